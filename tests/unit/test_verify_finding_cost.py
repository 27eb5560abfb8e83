"""Finding a quote in its document costs a bounded number of scans of the document, however many quotes it has.

A document is scanned for at most INDEX_AFTER quotes, then indexed by its words once; each later quote is compared
only at the places of its rarest whole word. Scans draw on the run's one budget. Work is counted (characters scanned
and compared), never timed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ldn_evidence.finding as finding
import ldn_evidence.verify as verifying
from ldn_evidence.finding import INDEX_AFTER, MAX_PLACES, PASSAGE_BUDGET, Budget, Finder
from ldn_evidence.loader import load, seeds_folder
from ldn_evidence.text import fold
from ldn_evidence.verify import verify

from conftest import catalogue_text, study_yaml

LINES = 6_000
SEED = "".join(f"Filler text about something else entirely, line {i}.\n" for i in range(LINES))


def _indexed(document: str, budget: Budget | None = None) -> Finder:
    finder = Finder(document, budget or Budget())
    finder.scans = INDEX_AFTER  # the next quote builds the index
    return finder


@settings(max_examples=200, deadline=None)
@given(
    document=st.text(alphabet="ab .,\n\u00e9", max_size=80),
    quotes=st.lists(st.text(alphabet="ab .,\u00e9", min_size=1, max_size=12), max_size=12),
)
def test_an_indexed_document_holds_exactly_what_a_scan_finds(document: str, quotes: list[str]) -> None:
    folded = fold(document)
    finder = _indexed(folded)
    pieces = [folded[i : i + 7] for i in range(0, len(folded), 5)]  # quotes that stand in it, cut anywhere
    for quote in quotes + pieces:
        if quote:
            assert finder.holds(quote) is (quote in folded), (quote, folded)


def test_a_quote_with_a_word_the_document_never_holds_costs_no_comparison() -> None:
    budget = Budget()
    finder = _indexed(fold(SEED), budget)
    assert finder.holds("Filler text about nothing else entirely, line 5.") is False
    assert budget.left == PASSAGE_BUDGET  # no scan
    work = budget.work
    assert finder.holds("text about nothing else") is False
    assert budget.work - work == len("text about nothing else")  # its words read, nothing compared


def _catalogue(write_catalogue: Callable[[str], Path], quotes: list[str]) -> Path:
    studies = [
        study_yaml(f"s{i}", design="open-label", effect="unclear", sources=[{"seed": "big.txt", "quote": quote}])
        for i, quote in enumerate(quotes)
    ]
    big = "  - seed: big.txt\n    kind: news\n    sources:\n      - {seed: big.txt, quote: Filler text about}\n"
    path = write_catalogue(catalogue_text(*studies).replace("studies:\n", big + "studies:\n", 1))
    (path.parent.parent / "seeds" / "big.txt").write_text(SEED, encoding="utf-8")
    return path


@pytest.fixture
def budgets(monkeypatch: pytest.MonkeyPatch) -> list[Budget]:
    """Every Budget a run makes."""
    made: list[Budget] = []

    class Counted(Budget):
        def __init__(self, *args: int | None) -> None:
            super().__init__(*args)
            made.append(self)

    monkeypatch.setattr(verifying, "Budget", Counted)
    return made


def test_many_quotes_of_one_large_document_cost_a_bounded_number_of_scans(
    write_catalogue: Callable[[str], Path], budgets: list[Budget]
) -> None:
    quotes = [f"Filler text about something else entirely, line {LINES - 1 - i}." for i in range(1_000)]
    path = _catalogue(write_catalogue, quotes)
    assert verify(load(path), seeds_folder(path)) == []
    (budget,) = budgets
    size = len(fold(SEED))
    scanned = PASSAGE_BUDGET - budget.left
    # The catalogue's document quote and a.txt are small; big.txt is scanned at most INDEX_AFTER times, then indexed.
    assert scanned <= INDEX_AFTER * size + 10_000
    assert budget.work <= size + len(quotes) * (MAX_PLACES + 1) * 60 + 10_000
    assert scanned + budget.work < len(quotes) * size / 3  # what a scan a quote would cost


def test_quotes_only_of_words_the_document_repeats_draw_on_the_budget_and_are_listed_unchecked(
    write_catalogue: Callable[[str], Path], budgets: list[Budget], monkeypatch: pytest.MonkeyPatch
) -> None:
    size = len(fold(SEED))
    monkeypatch.setattr(finding, "PASSAGE_BUDGET", (INDEX_AFTER + 20) * size)
    words = ["text", "about", "something", "else", "entirely", "line"]
    quotes = [f"Filler {' '.join(words[i % 6 :] + words[: i % 6])} {'line ' * (i // 6)}text" for i in range(400)]
    path = _catalogue(write_catalogue, quotes)
    problems = [str(p) for p in verify(load(path), seeds_folder(path))]
    (budget,) = budgets
    assert budget.left >= 0
    unchecked = [p for p in problems if "quote not checked in big.txt" in p and "budget for scanning" in p]
    not_found = [p for p in problems if "quote not found in big.txt" in p]
    assert len(unchecked) + len(not_found) == len(quotes)  # none passes, none is dropped
    assert unchecked and len(not_found) >= INDEX_AFTER
