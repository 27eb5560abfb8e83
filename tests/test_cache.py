"""The parsed-catalogue cache: served only when current, rebuilt when damaged, never shared half-written."""

from __future__ import annotations

import json
import os
import zlib
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
    assert entry.read_bytes().startswith(b'{"magic": "ldn-evidence-cache"')
    _no_parsing(monkeypatch)
    again = cache.load_cached(catalogue_file)
    assert again == first
    assert [s.line for s in again.studies] == [s.line for s in first.studies]


def test_the_cached_catalogue_equals_the_parsed_one_for_the_shipped_file(tmp_path: Path) -> None:
    shipped = loader.shipped_catalogue()
    parsed = load(shipped)
    cache.load_cached(shipped)
    raw = shipped.read_bytes()
    served = cache.read_cache(cache.cache_file(shipped), cache.digest(raw), parsed.path, raw)
    assert served is not None and served.entries is not None
    assert served == parsed


def test_a_changed_catalogue_is_never_served_stale(catalogue_file: Path) -> None:
    cache.load_cached(catalogue_file)
    stat = catalogue_file.stat()
    # Same size, same modification time: only the content tells.
    catalogue_file.write_text(MINIMAL.replace("A study", "B study"), encoding="utf-8")
    os.utime(catalogue_file, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert catalogue_file.stat().st_size == stat.st_size
    assert cache.load_cached(catalogue_file).studies[0].title == "B study"


def test_an_invalid_catalogue_is_not_cached(catalogue_file: Path) -> None:
    catalogue_file.write_text(MINIMAL.replace("n: 10", "n: ten"), encoding="utf-8")
    with pytest.raises(loader.CatalogueInvalid):
        cache.load_cached(catalogue_file)
    assert not cache.cache_file(catalogue_file).exists()


def _damage_cases(blob: bytes) -> dict[str, bytes]:
    head = blob.partition(b"\n")[0]
    wrong_shape = json.dumps({"studies": "x"}).encode()
    header = json.loads(head)
    header.update(index_crc32=zlib.crc32(wrong_shape), index_bytes=len(wrong_shape))
    parts = blob.split(b"\n")
    short_text = json.loads(head) | {"text_crc32": zlib.crc32(b"[]"), "text_bytes": 2}
    in_index, in_text = bytearray(blob), bytearray(blob)
    in_index[len(head) + 40] ^= 0x01
    in_text[-40] ^= 0x01
    return {
        "truncated": blob[: len(blob) // 2],
        "the last byte missing": blob[:-1],
        "empty": b"",
        "a byte of the index flipped": bytes(in_index),
        "a byte of the text flipped": bytes(in_text),
        "foreign text": b"hello, world\n",
        "binary": bytes(range(256)),
        "header only": head,
        "well-formed but the wrong shape": b"\n".join([json.dumps(header).encode(), wrong_shape, b""]),
        "well-formed text for no studies": b"\n".join([json.dumps(short_text).encode(), parts[1], b"[]"]),
        "another format version": blob.replace(f'"format": {cache.FORMAT}'.encode(), b'"format": 999', 1),
    }


@pytest.mark.parametrize("case", list(_damage_cases(b'{"a": 1}\n{"b": 2}\n' + b" " * 100)))
def test_a_damaged_cache_is_ignored_and_rebuilt(catalogue_file: Path, case: str) -> None:
    expected = cache.load_cached(catalogue_file)
    entry = cache.cache_file(catalogue_file)
    entry.write_bytes(_damage_cases(entry.read_bytes())[case])
    assert cache.load_cached(catalogue_file) == expected
    raw = catalogue_file.read_bytes()
    # Served from the file again, whole (the text is read, and its CRC checked, on first use).
    assert cache.read_cache(entry, cache.digest(raw), str(catalogue_file), raw) == expected


def test_damaged_text_is_noticed_when_first_read(catalogue_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = cache.load_cached(catalogue_file)
    entry = cache.cache_file(catalogue_file)
    entry.write_bytes(_damage_cases(entry.read_bytes())["a byte of the text flipped"])
    served = cache.load_cached(catalogue_file)
    assert served.entries is not None  # the index was whole, so it was served
    assert list(served.studies) == list(expected.studies)  # the text was not: the file was parsed
    _no_parsing(monkeypatch)
    assert cache.load_cached(catalogue_file) == expected  # and the cache written again


def test_counting_reads_no_study_text(big_catalogue: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ldn_evidence import catalogue as queries

    parsed = load(big_catalogue)
    cache.load_cached(big_catalogue)

    def refuse(*args: object) -> None:
        raise AssertionError("decoded the studies' text to count them")

    monkeypatch.setattr(cache, "_study", refuse)
    served = cache.load_cached(big_catalogue)
    for where in (queries.Filters(), queries.make_filters("ms", min_n=20), queries.make_filters(measure="pain")):
        assert queries.summarise(queries.matching(served, where)) == queries.summarise(queries.select(parsed, where))
    with pytest.raises(AssertionError, match="decoded"):
        queries.select(served, queries.make_filters(search="placebo"))


def test_one_study_is_made_from_its_own_row(big_catalogue: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ldn_evidence import catalogue as queries

    parsed = load(big_catalogue)
    cache.load_cached(big_catalogue)
    made: list[str] = []
    real = cache._study

    def counted(entry: Any, row: Any) -> Any:
        made.append(entry.id)
        return real(entry, row)

    monkeypatch.setattr(cache, "_study", counted)
    served = cache.load_cached(big_catalogue)
    wanted = parsed.studies[4321]
    assert queries.find(served, wanted.id) == wanted
    assert made == [wanted.id]
    assert served.studies[-1] == parsed.studies[-1]
    assert served.studies[2:5] == parsed.studies[2:5]
    with pytest.raises(IndexError):
        served.studies[len(parsed.studies)]
    assert list(served.studies) == list(parsed.studies)


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

    sys.path.insert(0, str(Path(__file__).parent.parent / "bench"))
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
    first = cache.load_cached(path).studies[-1]
    path.write_bytes(text.replace(first.title.encode(), first.title.upper().encode()))
    assert cache.load_cached(path).studies[-1].title == first.title.upper()
