"""Class 7: every input is bounded, and each limit, when hit, is a message that names it."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ldn_evidence import paths, yamltree
from ldn_evidence.cli import app
from ldn_evidence.errors import CatalogueFileError
from ldn_evidence.finding import PASSAGE_WINDOW, closest_passage
from ldn_evidence.loader import MAX_TEXT, load
from ldn_evidence.text import fold

from conftest import MINIMAL, ROOT, catalogue_text, peak_kib, problems_of, study_yaml


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "studies.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    monkeypatch.setattr(paths, "MAX_BYTES", 100)
    with pytest.raises(CatalogueFileError, match=rf"^{path}: {len(MINIMAL):,} bytes is larger than the 100 allowed$"):
        load(path)


@pytest.mark.parametrize("field", ["title", "outcome", "notes"])
def test_one_text_over_the_length_limit_is_a_located_message(field: str) -> None:
    long = "x" * (MAX_TEXT + 1)
    text = MINIMAL.replace("    title: A study", f"    title: A study\n    {field}: {long}" if field != "title"
                           else f"    title: {long}")  # fmt: skip
    if field == "outcome":
        text = text.replace("    outcome: Something.\n", "")
    problems = problems_of(text)
    assert any(f"{field}: is {MAX_TEXT + 1:,} characters long, more than the {MAX_TEXT:,} allowed for one text" in p
               for p in problems), problems  # fmt: skip


def test_a_text_at_the_limit_is_shown_whole(write_catalogue: Callable[[str], Path], runner: CliRunner) -> None:
    words = ("word " * (MAX_TEXT // 5)).strip()
    path = write_catalogue(MINIMAL.replace("outcome: Something.", f"outcome: {words}"))
    result = runner.invoke(app, ["--no-cache", "--data", str(path), "show", "good-study"], env={"COLUMNS": "80"})
    assert result.exit_code == 0
    assert result.stdout.count("word") == MAX_TEXT // 5


def test_more_records_than_the_limit_are_refused() -> None:
    text = "studies:\n" + "  - x\n" * (yamltree.MAX_RECORDS + 1)
    problems = problems_of(text)
    assert problems[0] == (
        f"f.yaml:{yamltree.MAX_RECORDS + 2}: more than {yamltree.MAX_RECORDS:,} records in one section; "
        "refused at this one"
    )


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(min_value=1, max_value=200), st.sampled_from(["  - x\n", "  - [1, 2, 3]\n", "  - {a: [1, 2]}\n"]))
def test_more_values_than_the_limit_are_refused(monkeypatch: pytest.MonkeyPatch, limit: int, record: str) -> None:
    monkeypatch.setattr(yamltree, "MAX_VALUES", limit)
    text = "studies:\n" + record * 300
    problems = problems_of(text)
    assert any(f"more than {limit:,} values in one file; refused here" in p for p in problems), problems


def test_a_million_tiny_records_need_no_more_memory_than_a_valid_file_of_their_size() -> None:
    setup = f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r}); sys.path.insert(0, {str(ROOT / "bench")!r})
        from ldn_evidence.loader import parse_catalogue
        from ldn_evidence.errors import CatalogueInvalid
        hostile = ("studies:\\n" + "- {{id: a}}\\n" * 1_000_000).encode()
    """
    bad = peak_kib(setup + """
        try:
            parse_catalogue(hostile, "f.yaml")
        except CatalogueInvalid:
            pass
    """)  # fmt: skip
    good = peak_kib(setup + """
        from synthetic import synthetic_text
        per_study = len(synthetic_text(100)) / 100
        parse_catalogue(synthetic_text(int(len(hostile) / per_study) + 1).encode(), "f.yaml")
    """)  # fmt: skip
    assert bad <= good * 1.1, (bad, good)


def test_a_valid_catalogue_needs_at_most_ten_times_its_size() -> None:
    code = f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r}); sys.path.insert(0, {str(ROOT / "bench")!r})
        from synthetic import synthetic_text
        from ldn_evidence.loader import parse_catalogue
        raw = synthetic_text(3000).encode()
        import resource
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        parse_catalogue(raw, "f.yaml")
        sys.stderr.write(f"{{len(raw)}} {{before}}")
    """
    child = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code) + "\nimport resource, sys\n"
         "sys.stdout.write(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))"],
        capture_output=True, text=True, timeout=120, check=True, cwd=ROOT,
    )  # fmt: skip
    size, before = map(int, child.stderr.split())
    grown = (int(child.stdout) - before) * 1024
    assert grown <= 10 * size, (grown, size)


# --- the closest passage ------------------------------------------------------------------------------

WORDS = st.lists(st.sampled_from(["pain", "fell", "in", "the", "trial", "of", "ten", "MS", "4.5", "mg", "naltrexone",
                                  "low-dose", "weeks", "people", "and", "with"]), min_size=3, max_size=60)  # fmt: skip


@settings(max_examples=100, deadline=None)
@given(WORDS, WORDS, st.integers(min_value=0, max_value=10_000))
def test_the_closest_passage_is_a_stretch_of_the_document_that_holds_the_quotes_longest_shared_piece(
    document_words: list[str], quote_words: list[str], padding: int
) -> None:
    document = fold("x " * padding + " ".join(document_words))
    quote = fold(" ".join(quote_words))
    passage = closest_passage(quote, document)
    assert passage in document
    assert len(passage) <= len(quote)
    window = quote[:PASSAGE_WINDOW]
    # Whatever piece of the quote's window, starting at a word, the document holds, the passage
    # is built around a piece at least as long.
    starts = [0, *[i + 1 for i, c in enumerate(window) if c == " "]]
    shared = max((n for start in starts for n in range(len(window) - start + 1)
                  if window[start:start + n] in document), default=0)  # fmt: skip
    best = max((n for start in range(len(passage)) for n in range(len(passage) - start + 1)
                if passage[start:start + n] in window), default=0)  # fmt: skip
    assert best >= min(shared, len(passage))


def test_a_failed_quote_in_a_large_document_finds_its_passage(tmp_path: Path) -> None:
    filler = "Nothing to see in this sentence at all. " * 25_000  # 1 MB
    document = fold(filler + "In 2019 a case report described one woman with CRPS. " + filler)
    quote = fold("In 2019 a case report described one man with CRPS. " * 200)
    passage = closest_passage(quote, document)
    assert passage.startswith("In 2019 a case report described one woman with CRPS.")


def test_the_closest_passage_search_stops_when_its_budget_is_spent() -> None:
    from ldn_evidence.finding import Budget

    document = fold("Nothing to see in this sentence at all. " * 1000)
    quote = fold("In 2019 a case report described one man with CRPS. " * 10)
    budget = Budget(10 * len(document))
    assert closest_passage(quote, document, budget) is None
    assert 0 <= budget.left < len(document)
    assert closest_passage(quote, document, Budget(10**12)) is not None


def test_verify_leaves_out_the_closest_passage_past_the_budget(
    write_catalogue: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    import ldn_evidence.finding as finding
    import ldn_evidence.verify as verifying

    path = write_catalogue(
        catalogue_text(*[study_yaml(f"s{i}", sources=[{"seed": "a.txt", "quote": f"A missing quote {i}"}])
                         for i in range(20)])
    )  # fmt: skip
    seeds = path.parent.parent / "seeds"
    seeds.mkdir(exist_ok=True)
    (seeds / "a.txt").write_text("A randomized trial " + "filler words here " * 50_000, encoding="utf-8")
    monkeypatch.setattr(finding, "PASSAGE_BUDGET", 60 * 900_000)
    problems = [p.message for p in verifying.verify(load(path), seeds)]
    found = [m for m in problems if "closest passage: " in m]
    spent = [m for m in problems if "the time set aside for searching is spent" in m]
    assert found and spent and len(found) + len(spent) == 20, problems


MINIMAL_RECORD = (
    "  - id: s{i}\n    title: S\n    condition: ms\n    design: rct\n    outcome: O.\n    effect: benefit\n"
    "    sources:\n      - {{seed: a.txt, quote: A randomized trial}}\n"
)


def test_many_minimal_records_need_at_most_fifty_times_their_size_to_export(tmp_path: Path) -> None:
    """The README's bound for the smallest records: the load and a JSON export, at most 50 times the file."""
    source = tmp_path / "min.yaml"
    source.write_text(catalogue_text(*[MINIMAL_RECORD.format(i=i) for i in range(10_000)]), encoding="utf-8")
    code = f"""
        import resource, sys
        from pathlib import Path
        from ldn_evidence import export
        from ldn_evidence.loader import load
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        catalogue = load(Path({str(source)!r}))
        export.export(Path({str(tmp_path / "r.json")!r}), catalogue, catalogue.studies, None, True)
        sys.stdout.write(f"{{before}} {{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}}")
    """
    child = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120, check=True, cwd=ROOT
    )
    before, after = map(int, child.stdout.split())
    size = source.stat().st_size
    assert (after - before) * 1024 <= 50 * size, ((after - before) * 1024 / size, size)
