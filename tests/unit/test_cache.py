"""The parsed-catalogue cache: served only when current, rebuilt when damaged, never shared half-written."""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from ldn_evidence import cache, loader
from ldn_evidence.loader import load

from conftest import MINIMAL


@pytest.fixture
def catalogue_file(write_catalogue: Callable[[str], Path]) -> Path:
    return write_catalogue(MINIMAL)


def _no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> None:
        raise AssertionError("parsed the YAML although the cache was current")

    monkeypatch.setattr(loader, "parse_catalogue", refuse)


def test_a_repeat_load_is_served_from_the_cache(catalogue_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = cache.load_cached(catalogue_file)
    entry = cache.cache_file(catalogue_file)
    assert entry.read_bytes().startswith(b"SQLite format 3\x00")
    _no_parsing(monkeypatch)
    again = cache.load_cached(catalogue_file)
    assert again == first
    assert [s.line for s in again.studies] == [s.line for s in first.studies]
    assert [d.line for d in again.documents] == [d.line for d in first.documents]


def test_the_cached_catalogue_equals_the_parsed_one_for_the_shipped_file(monkeypatch: pytest.MonkeyPatch) -> None:
    shipped = loader.shipped_catalogue()
    parsed = load(shipped)
    cache.load_cached(shipped)
    _no_parsing(monkeypatch)
    served = cache.load_cached(shipped)
    assert served.entries is not None
    assert served == parsed
    assert [s.line for s in served.studies] == [s.line for s in parsed.studies]
    # The kinds of duration, doses a dose and passing mentions come back as parsed.
    assert [(s.duration, s.dose, s.mention) for s in served.studies] == [
        (s.duration, s.dose, s.mention) for s in parsed.studies
    ]
    assert any(s.mention for s in served.studies)
    assert {s.duration.kind for s in served.studies if s.duration} == {
        s.duration.kind for s in parsed.studies if s.duration
    }
    assert len({s.duration.kind for s in served.studies if s.duration}) > 1
    # Fields that equality leaves out: the published layer attached to each study, and every line.
    assert parsed.publications and served.publications == parsed.publications
    assert [s.publication for s in served.studies] == [s.publication for s in parsed.studies]
    assert any(s.publication is not None for s in served.studies)
    for name in ("documents", "cautions", "publications"):
        assert [x.line for x in getattr(served, name)] == [x.line for x in getattr(parsed, name)]
    # One study found by id gets its publication too.
    from ldn_evidence import catalogue as queries

    for study in parsed.studies:
        assert queries.find(cache.load_cached(shipped), study.id).publication == study.publication


def _sql(entry: Path, *statements: str) -> None:
    connection = sqlite3.connect(entry, isolation_level=None)
    try:
        for statement in statements:
            connection.execute(statement)
    finally:
        connection.close()


def _trust_stat_from_now_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the cache record its reads as if they happened a minute from now, so it trusts the file's stat."""
    real = time.time_ns
    monkeypatch.setattr(cache.time, "time_ns", lambda: real() + 60_000_000_000)


def _count_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    reads: list[str] = []
    real = cache.read_bytes

    def counted(path: Any) -> bytes:
        reads.append(str(path))
        return real(path)

    monkeypatch.setattr(cache, "read_bytes", counted)
    return reads


def test_a_still_file_is_known_by_its_stat_and_not_read_again(
    catalogue_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _trust_stat_from_now_on(monkeypatch)
    expected = cache.load_cached(catalogue_file)
    reads = _count_reads(monkeypatch)
    assert cache.load_cached(catalogue_file) == expected
    assert reads == []


def test_an_edit_keeping_the_size_and_the_mtime_is_never_served_stale(
    catalogue_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _trust_stat_from_now_on(monkeypatch)
    cache.load_cached(catalogue_file)
    before = catalogue_file.stat()
    # Same size, same modification time to the nanosecond: only the change time (and the content) tells.
    catalogue_file.write_text(MINIMAL.replace("A study", "B study"), encoding="utf-8")
    os.utime(catalogue_file, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (catalogue_file.stat().st_size, catalogue_file.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    assert cache.load_cached(catalogue_file).studies[0].title == "B study"


def test_an_edit_within_the_same_tick_is_never_served_stale(
    catalogue_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A coarse clock or file system can give an edit the very stat the cache recorded; a file
    # that changed so recently is hashed, as git treats a "racily clean" file.
    monkeypatch.setattr(cache, "_stat_key", lambda status: "the same every time")
    cache.load_cached(catalogue_file)
    catalogue_file.write_text(MINIMAL.replace("A study", "B study"), encoding="utf-8")
    assert cache.load_cached(catalogue_file).studies[0].title == "B study"


def test_a_file_hashed_unchanged_is_trusted_by_its_stat_next_time(
    catalogue_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache.load_cached(catalogue_file)  # just written: racy, so the next run hashes it
    _trust_stat_from_now_on(monkeypatch)
    reads = _count_reads(monkeypatch)
    _no_parsing(monkeypatch)
    cache.load_cached(catalogue_file)
    assert reads == [str(catalogue_file)]
    cache.load_cached(catalogue_file)
    assert reads == [str(catalogue_file)]  # the match was recorded: no read the second time


def test_an_invalid_catalogue_is_not_cached(catalogue_file: Path) -> None:
    catalogue_file.write_text(MINIMAL.replace("n: 10", "n: ten"), encoding="utf-8")
    with pytest.raises(loader.CatalogueInvalid):
        cache.load_cached(catalogue_file)
    assert not cache.cache_file(catalogue_file).exists()


#: How a crafted part is sealed: with another key, not at all, or with this user's secret by another
#: version of ldn (whose loader may have let more through). None of them is believed.
SEALS = ["another key", "no seal", "another version"]


def _forge(
    entry: Path,
    record: Callable[[dict[str, Any]], None] | None = None,
    entries: Callable[[dict[str, Any]], None] | None = None,
    sealed: str = "another key",
) -> None:
    """Change the first study's record or the entry columns, and seal the change as `sealed` says."""
    connection = sqlite3.connect(entry, isolation_level=None)
    try:
        ((source,),) = connection.execute("SELECT source_hash FROM catalogue").fetchall()
        secret = (cache.cache_folder() / cache.SECRET).read_bytes()
        seal = {
            "another key": cache._Seal(os.urandom(32), source),
            "another version": cache._Seal(secret, source, version=f"{cache.FORMAT} 0.0.1"),
        }.get(sealed)
        if record is not None:
            ((ident, line, blob),) = connection.execute("SELECT id, line, record FROM studies WHERE position = 0")
            data = json.loads(blob)
            record(data)
            blob = json.dumps(data).encode()
            mark = b"" if seal is None else seal.row(0, ident, line, blob)
            connection.execute("UPDATE studies SET record = ?, seal = ? WHERE position = 0", (blob, mark))
        if entries is not None:
            ((blob,),) = connection.execute("SELECT entries FROM catalogue").fetchall()
            columns = json.loads(blob)
            entries(columns)
            blob = json.dumps(columns).encode()
            mark = b"" if seal is None else seal("entries", blob)
            connection.execute("UPDATE catalogue SET entries = ?, entries_seal = ?", (blob, mark))
    finally:
        connection.close()


def _damage(entry: Path, case: str, sealed: str = "another key") -> None:
    blob = entry.read_bytes()
    if case == "truncated":
        entry.write_bytes(blob[: len(blob) // 2])
    elif case == "empty":
        entry.write_bytes(b"")
    elif case == "foreign text":
        entry.write_bytes(b"hello, world\n")
    elif case == "binary":
        entry.write_bytes(bytes(range(256)) * 16)
    elif case == "a byte of a record flipped":
        flipped = bytearray(blob)
        flipped[blob.index(b'"title":"A study"') + 10] ^= 0x01
        entry.write_bytes(bytes(flipped))
    elif case == "no studies table":
        _sql(entry, "DROP TABLE studies")
    elif case == "a second catalogue row":
        _sql(entry, "INSERT INTO catalogue SELECT * FROM catalogue")
    elif case == "the secret replaced":
        (cache.cache_folder() / cache.SECRET).write_bytes(os.urandom(32))
    elif case == "the secret readable by others":
        (cache.cache_folder() / cache.SECRET).chmod(0o644)
    elif case == "the stat of another file":
        _sql(entry, "UPDATE catalogue SET checked_ns = checked_ns + 600000000000")
    else:
        field, value = case.split(" = ", 1)
        _forge(entry, record=lambda data: data.__setitem__(field, json.loads(value)), sealed=sealed)


DAMAGE = [
    "truncated", "empty", "foreign text", "binary", "a byte of a record flipped", "no studies table",
    "a second catalogue row", "the secret replaced", "the secret readable by others", "the stat of another file",
]  # fmt: skip
#: Records under the right content key with a value the loader refuses (out of its vocabulary,
#: out of range, Infinity where a number stands), and believable ones: refused by the seal.
CRAFTED_RECORDS = [
    "n = -5", "n = true", "n = 1.5", "n = 1e999", "year = 3000", "condition = \"ms \"", "condition = \"cancer\"",
    "design = \"meta\"", "effect = null", "title = \"\"", "sources = []", "unknown = 1",
    "duration = {\"text\": \"8 weeks\", \"days\": 1e999, \"kind\": \"treatment\"}",
    "findings = [{\"measure\": \"pain\"}]", "id = \"other-study\"", "n = 11",
]  # fmt: skip


@pytest.mark.parametrize(
    ("case", "sealed"),
    [(case, "another key") for case in DAMAGE] + [(case, seal) for case in CRAFTED_RECORDS for seal in SEALS],
)
def test_a_damaged_or_crafted_cache_is_not_believed(
    catalogue_file: Path, case: str, sealed: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ldn_evidence import catalogue as queries

    expected = cache.load_cached(catalogue_file)
    entry = cache.cache_file(catalogue_file)
    _damage(entry, case, sealed)
    served = cache.load_cached(catalogue_file)
    assert served == expected
    assert queries.find(served, "good-study") == expected.studies[0]
    again = cache.load_cached(catalogue_file)
    assert queries.find(again, "good-study") == expected.studies[0]
    assert queries.select(again) == list(expected.studies)
    if case != "the secret readable by others":
        _no_parsing(monkeypatch)  # and the cache was written again
        assert cache.load_cached(catalogue_file) == expected


@pytest.mark.parametrize("sealed", SEALS)
@pytest.mark.parametrize(
    ("column", "value"),
    [("condition", '"cancer"'), ("n", "11"), ("n", "-1"), ("n", "true"), ("n", "1e999"), ("design", '"nope"'),
     ("id", '"Bad Id"'), ("effect", "null"), ("duration", '["forever", 1e999, "treatment"]'),
     ("measured", '"pain nope"'), ("year", "1900")],
)  # fmt: skip
def test_a_crafted_entry_never_changes_an_answer(catalogue_file: Path, column: str, value: str, sealed: str) -> None:
    from ldn_evidence import catalogue as queries

    expected = cache.load_cached(catalogue_file)
    _forge(cache.cache_file(catalogue_file), entries=lambda c: c[column].__setitem__(0, json.loads(value)),
           sealed=sealed)  # fmt: skip
    served = cache.load_cached(catalogue_file)
    assert served.entries is not None
    assert list(served.entries) == [cache.entry_of(s) for s in expected.studies]
    assert queries.summarise(queries.matching(served)) == queries.summarise(list(expected.studies))
    assert queries.select(served) == list(expected.studies)


def _count_decoded(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the studies whose rows are decoded from the cache, in order."""
    decoded: list[str] = []
    real = cache._study

    def counted(record: dict[str, Any], first: dict[str, Any]) -> Any:
        decoded.append(record["id"])
        return real(record, first)

    monkeypatch.setattr(cache, "_study", counted)
    return decoded


def test_counting_reads_no_study_text(big_catalogue: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ldn_evidence import catalogue as queries

    parsed = load(big_catalogue)
    cache.load_cached(big_catalogue)
    decoded = _count_decoded(monkeypatch)
    served = cache.load_cached(big_catalogue)
    for where in (queries.Filters(), queries.make_filters("ms", min_n=20), queries.make_filters(measure="pain")):
        assert queries.summarise(queries.matching(served, where)) == queries.summarise(queries.select(parsed, where))
    assert decoded == []
    queries.select(served, queries.make_filters(search="placebo"))
    assert len(decoded) == len(parsed.studies)  # a text search reads every study's text


def test_one_study_is_made_from_its_own_row(big_catalogue: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ldn_evidence import catalogue as queries

    parsed = load(big_catalogue)
    cache.load_cached(big_catalogue)
    decoded = _count_decoded(monkeypatch)
    served = cache.load_cached(big_catalogue)
    wanted = parsed.studies[4321]
    assert queries.find(served, wanted.id) == wanted
    assert decoded == [wanted.id]
    assert served.entries is not None and served.studies[-1] == parsed.studies[-1]
    assert served.studies[2:5] == parsed.studies[2:5]
    with pytest.raises(IndexError):
        served.studies[len(parsed.studies)]
    assert list(served.studies) == list(parsed.studies)


def _count_publications(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the publications whose rows are decoded from the cache, in order."""
    decoded: list[str] = []
    real = cache._publication

    def counted(record: dict[str, Any]) -> Any:
        decoded.append(record["id"])
        return real(record)

    monkeypatch.setattr(cache, "_publication", counted)
    return decoded


def _backed(parsed: Any) -> Any:
    """A study late in the catalogue that more than one publication backs, else one that any backs."""
    backed = [s for s in parsed.studies[len(parsed.studies) // 2 :] if parsed.publications_of(s.id)]
    return max(backed, key=lambda s: len(parsed.publications_of(s.id)))


def test_show_reads_only_its_own_publications(big_catalogue: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ldn_evidence import catalogue as queries
    from ldn_evidence.results import show_result

    parsed = load(big_catalogue)
    cache.load_cached(big_catalogue)
    decoded = _count_publications(monkeypatch)
    served = cache.load_cached(big_catalogue)
    wanted = _backed(parsed)
    assert show_result(served, queries.find(served, wanted.id)) == show_result(parsed, wanted)
    assert sorted(decoded) == sorted(p.id for p in parsed.publications_of(wanted.id))
    assert len(served.publications) == len(parsed.publications) > len(decoded)
    assert list(served.publications) == list(parsed.publications)


def test_a_damaged_publication_row_is_noticed_when_read(big_catalogue: Path) -> None:
    from ldn_evidence import catalogue as queries
    from ldn_evidence.results import show_result

    parsed = load(big_catalogue)
    cache.load_cached(big_catalogue)
    wanted = _backed(parsed)
    at = list(parsed.publications).index(parsed.publications_of(wanted.id)[0])
    entry = cache.cache_file(big_catalogue)
    connection = sqlite3.connect(entry, isolation_level=None)
    try:
        connection.execute("UPDATE publications SET record = ? WHERE position = ?", (b'{"id": "forged"}', at))
    finally:
        connection.close()
    served = cache.load_cached(big_catalogue)
    assert show_result(served, queries.find(served, wanted.id)) == show_result(parsed, wanted)
    assert list(served.publications) == list(parsed.publications)
    again = cache.load_cached(big_catalogue)  # the cache was written again, whole
    assert list(again.publications) == list(parsed.publications)


@pytest.mark.parametrize(
    ("argv", "wanted"),
    [
        (["show", "ID", "--format", "json"], {"ID"}),
        (["show", "ID"], {"ID"}),
        (["list", "--condition", "crps", "--format", "json"], None),
        (["list", "--condition", "crps", "--min-n", "2", "--format", "csv"], None),
        # TSV shows a study no article retells with its paper's values, so it reads the rows it shows.
        (["list", "--condition", "crps", "--format", "tsv"], None),
        (["summary", "--format", "json"], set()),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else "",
)
def test_a_warm_query_decodes_only_the_studies_it_shows(
    big_catalogue: Path, monkeypatch: pytest.MonkeyPatch, argv: list[str], wanted: set[str] | None
) -> None:
    from typer.testing import CliRunner

    from ldn_evidence.cli import app

    ident = load(big_catalogue).studies[4321].id
    argv = [ident if word == "ID" else word for word in argv]
    wanted = {ident} if wanted == {"ID"} else wanted
    runner = CliRunner()
    env = {"LDN_DATA": str(big_catalogue), "COLUMNS": "100", "NO_COLOR": "1"}
    parsed = runner.invoke(app, ["--no-cache", *argv], env=env)
    runner.invoke(app, ["summary"], env=env)  # fills the cache
    decoded = _count_decoded(monkeypatch)
    _no_parsing(monkeypatch)
    cached = runner.invoke(app, argv, env=env)
    assert parsed.exit_code == cached.exit_code == 0, cached.stderr
    assert (cached.stdout, cached.stderr) == (parsed.stdout, parsed.stderr)
    if wanted is None:  # the studies the list shows, and no other
        delimiter = "\t" if "tsv" in argv else ","
        rows = (
            json.loads(cached.stdout)
            if "json" in argv
            else list(csv.DictReader(io.StringIO(cached.stdout), delimiter=delimiter))
        )
        wanted = {row["id"] for row in rows}
        assert 0 < len(wanted) < 2_000
    assert sorted(decoded) == sorted(wanted)


def test_each_entry_is_its_study_without_the_text() -> None:
    shipped = loader.shipped_catalogue()
    cache.load_cached(shipped)
    served = cache.load_cached(shipped)
    assert served.entries is not None
    for entry, study in zip(served.entries, load(shipped).studies, strict=True):
        assert entry == (
            study.id, study.condition, study.design, study.effect, study.year, study.population, study.n,
            study.duration, study.dose, tuple((f.measure, f.effect) for f in study.findings),
            study.mention, study.seeds,
        )  # fmt: skip
        assert (entry.evidence_level, entry.clinical) == (study.evidence_level, study.clinical)


def test_an_unwritable_cache_folder_only_costs_speed(
    catalogue_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert cache.load_cached(catalogue_file).studies[0].id == "good-study"
    assert blocker.read_text() == "a file where the cache folder would be"


def test_no_cache_writes_nothing(catalogue_file: Path) -> None:
    cache.load_cached(catalogue_file, use_cache=False)
    assert not cache.cache_file(catalogue_file).exists()


def test_the_cache_folder_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_folder() == tmp_path / "xdg" / "ldn-evidence"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.cache_folder() == tmp_path / "home" / ".cache" / "ldn-evidence"


def _load_titles(path: str) -> list[str]:
    return [s.title for s in cache.load_cached(path).studies]


def test_concurrent_runs_never_see_half_a_cache(write_catalogue: Callable[[str], Path]) -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).parents[2] / "bench"))
    from synthetic import synthetic_text

    path = write_catalogue(synthetic_text(300))
    expected = [s.title for s in load(path).studies]
    with ProcessPoolExecutor(max_workers=6) as pool:
        for _ in range(3):
            cache.cache_file(path).unlink(missing_ok=True)
            results = list(pool.map(_load_titles, [str(path)] * 12))
            assert all(r == expected for r in results)
    leftovers = [p.name for p in cache.cache_folder().iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


READER_RUNS = [
    ["list", "--format", "json"],
    ["list", "--format", "table"],
    ["list", "--condition", "ms", "--sort", "n", "--limit", "5", "--format", "tsv"],
    ["list", "--measure", "pain", "--format", "csv"],
    ["list", "--search", "placebo", "--format", "jsonl"],
    ["list", "--condition", "ppms", "--min-n", "10", "--format", "markdown"],
    ["show", "norway-2017"],
    ["show", "ucsf", "--format", "json"],
    ["summary"],
    ["summary", "--by", "measure"],
    ["summary", "--level", "4", "--clinical", "--format", "json"],
    ["safety", "--format", "json"],
    ["sources", "000"],
]


@pytest.mark.parametrize("argv", READER_RUNS, ids=" ".join)
def test_a_cached_run_answers_as_a_parsed_one(argv: list[str]) -> None:
    from typer.testing import CliRunner

    from ldn_evidence.cli import app

    runner = CliRunner()
    env = {"LDN_DATA": "", "COLUMNS": "100", "NO_COLOR": "1"}
    parsed = runner.invoke(app, ["--no-cache", *argv], env=env)
    runner.invoke(app, argv, env=env)  # fills the cache
    assert cache.cache_file(loader.shipped_catalogue()).exists()
    cached = runner.invoke(app, argv, env=env)
    assert parsed.exit_code == cached.exit_code == 0, cached.stderr
    assert (cached.stdout, cached.stderr) == (parsed.stdout, parsed.stderr)


def test_the_key_is_a_hash_of_the_content_alone() -> None:
    small, large = b"studies: []\n", b"#" * cache.LARGE
    assert cache.digest(small).startswith("blake2b:")
    assert cache.digest(large).startswith("sha256:")
    assert cache.digest(small) == cache.digest(bytes(small))
    assert cache.digest(large[:-1] + b"!") != cache.digest(large)
    assert cache.digest(small[:-1]) != cache.digest(small)


def test_a_large_catalogue_changed_in_place_is_never_served_stale(big_catalogue: Path, tmp_path: Path) -> None:
    path = tmp_path / "studies.yaml"
    text = big_catalogue.read_bytes()
    assert len(text) >= cache.LARGE
    path.write_bytes(text)
    studies = cache.load_cached(path).studies
    # The last study whose title stands in the file as written (YAML may quote or escape a title).
    at, first = next((i, s) for i, s in reversed(list(enumerate(studies))) if s.title.encode() in text)
    path.write_bytes(text.replace(first.title.encode(), first.title.upper().encode()))
    assert cache.load_cached(path).studies[at].title == first.title.upper()


# --- whose cache: as ssh treats its keys ---------------------------------------------


def _parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real = loader.parse_catalogue

    def counted(raw: bytes, path: str) -> Any:
        calls.append(path)
        return real(raw, path)

    monkeypatch.setattr(loader, "parse_catalogue", counted)
    return calls


def test_the_cache_folder_is_made_private(catalogue_file: Path) -> None:
    cache.load_cached(catalogue_file)
    assert cache.cache_folder().stat().st_mode & 0o777 == 0o700
    assert cache.cache_file(catalogue_file).stat().st_mode & 0o077 == 0


@pytest.mark.parametrize("mode", [0o770, 0o702, 0o777])
def test_a_cache_folder_others_can_write_is_not_used(
    catalogue_file: Path, monkeypatch: pytest.MonkeyPatch, mode: int
) -> None:
    expected = cache.load_cached(catalogue_file)
    folder, entry = cache.cache_folder(), cache.cache_file(catalogue_file)
    folder.chmod(mode)
    written = entry.stat().st_mtime_ns
    calls = _parsed(monkeypatch)
    assert cache.load_cached(catalogue_file) == expected
    assert calls == [str(catalogue_file)]  # not read from it
    assert entry.stat().st_mtime_ns == written  # nor written to it
    folder.chmod(0o700)


@pytest.mark.parametrize("mode", [0o620, 0o602, 0o666])
def test_a_cache_file_others_can_write_is_not_believed(
    catalogue_file: Path, monkeypatch: pytest.MonkeyPatch, mode: int
) -> None:
    expected = cache.load_cached(catalogue_file)
    entry = cache.cache_file(catalogue_file)
    entry.chmod(mode)
    calls = _parsed(monkeypatch)
    assert cache.load_cached(catalogue_file) == expected
    assert calls == [str(catalogue_file)]
    assert entry.stat().st_mode & 0o077 == 0  # replaced by one of our own


def test_a_cache_another_user_owns_is_not_used(catalogue_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = cache.load_cached(catalogue_file)
    entry = cache.cache_file(catalogue_file)
    written = entry.stat().st_mtime_ns
    me = os.getuid()
    monkeypatch.setattr(cache.os, "getuid", lambda: me + 1)  # so the folder and file are someone else's
    calls = _parsed(monkeypatch)
    assert cache.load_cached(catalogue_file) == expected
    assert calls == [str(catalogue_file)]
    assert entry.stat().st_mtime_ns == written


def test_a_cache_file_that_is_a_symlink_is_not_followed(
    catalogue_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = cache.load_cached(catalogue_file)
    entry = cache.cache_file(catalogue_file)
    elsewhere = tmp_path / "elsewhere.sqlite"
    entry.rename(elsewhere)
    entry.symlink_to(elsewhere)
    calls = _parsed(monkeypatch)
    assert cache.load_cached(catalogue_file) == expected
    assert calls == [str(catalogue_file)]


def test_a_relative_xdg_cache_home_is_ignored(
    catalogue_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.cache_folder() == tmp_path / "home" / ".cache" / "ldn-evidence"
    cache.load_cached(catalogue_file)
    assert not (tmp_path / "relative").exists()
    assert cache.cache_file(catalogue_file).exists()


def test_a_catalogue_read_from_a_pipe_is_not_cached(catalogue_file: Path) -> None:
    import threading

    text = catalogue_file.read_bytes()
    reading, writing = os.pipe()

    def feed() -> None:
        with os.fdopen(writing, "wb") as stream:
            stream.write(text)

    feeder = threading.Thread(target=feed)
    feeder.start()
    pipe = f"/dev/fd/{reading}"
    try:
        try:
            served = cache.load_cached(pipe)
        except loader.CatalogueFileError:
            served = None  # refused outright is fine too; cached is not
        if served is not None:
            assert served.studies[0].id == "good-study"
        assert not cache.cache_file(pipe).exists()
        assert list(cache.cache_folder().glob("*")) == [] if cache.cache_folder().exists() else True
    finally:
        feeder.join()
        os.close(reading)


def test_temporary_files_of_a_killed_run_and_older_caches_are_removed_by_the_next(catalogue_file: Path) -> None:
    import fcntl

    folder = cache.cache_folder()
    folder.mkdir(mode=0o700, parents=True)
    dead, live = folder / ".dead-run.tmp", folder / ".live-run.tmp"
    older = folder / ("0" * 32 + ".json")
    older.write_bytes(b'{"magic": "ldn-evidence-cache", "format": 5}')
    dead.write_bytes(b"half a cache file")
    live.write_bytes(b"a cache file being written")
    with live.open("rb") as holder:
        fcntl.flock(holder, fcntl.LOCK_EX)  # as a writer that is still running holds it
        cache.load_cached(catalogue_file)
        assert not dead.exists()
        assert not older.exists()
        assert live.exists()


def test_a_killed_writer_leaves_nothing_the_next_run_keeps(big_catalogue: Path) -> None:
    import signal
    import subprocess
    import sys

    folder = cache.cache_folder()
    code = f"from ldn_evidence import cache; cache.load_cached({str(big_catalogue)!r})"
    writer = subprocess.Popen([sys.executable, "-c", code], env={**os.environ})
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not list(folder.glob(".*.tmp")) and writer.poll() is None:
        time.sleep(0.005)
    writer.send_signal(signal.SIGKILL)
    writer.wait()
    left = list(folder.glob(".*.tmp"))
    cache.load_cached(big_catalogue)
    assert [p for p in left if p.exists()] == []
    assert list(folder.glob(".*.tmp")) == []


# --- a folder at the cache file's name -------------------------------------------------------


@pytest.mark.parametrize("folders", [1, 2])
def test_a_folder_at_the_cache_files_name_is_routed_around(
    catalogue_file: Path, monkeypatch: pytest.MonkeyPatch, folders: int
) -> None:
    """A rename never replaces a folder, and a folder is not ours to delete: the next name is used instead,
    so runs are served from the cache again (each run parsing anew was the failure). Counted: parses."""
    from ldn_evidence.cache.seal import ENTRY_ALTERNATES

    first = cache.cache_file(catalogue_file)
    blocked = [first] + [first.with_name(f"{first.stem}-{k}.sqlite") for k in range(1, folders)]
    for folder in blocked:
        folder.mkdir(parents=True)
        (folder / "kept").write_text("not the cache's to delete", encoding="utf-8")
    calls = _parsed(monkeypatch)
    for _ in range(3):
        cache.load_cached(catalogue_file)
    assert len(calls) == 1  # parsed once, then served from the cache
    used = cache.cache_file(catalogue_file)
    assert used == first.with_name(f"{first.stem}-{folders}.sqlite") and folders <= ENTRY_ALTERNATES
    assert used.read_bytes().startswith(b"SQLite format 3\x00")
    assert all((folder / "kept").read_text(encoding="utf-8") for folder in blocked)  # nothing of theirs removed


def test_past_the_alternate_names_a_run_still_answers(catalogue_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ldn_evidence.cache.seal import ENTRY_ALTERNATES

    first = cache.cache_file(catalogue_file)
    for k in range(ENTRY_ALTERNATES + 1):
        (first if k == 0 else first.with_name(f"{first.stem}-{k}.sqlite")).mkdir(parents=True)
    parsed = load(catalogue_file)
    calls = _parsed(monkeypatch)
    assert cache.load_cached(catalogue_file) == parsed
    assert cache.cache_file(catalogue_file) == first and len(calls) == 1
