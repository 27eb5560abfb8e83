"""verify's closest-passage search has one budget and one cap for the whole run: quotes, excerpts and discrepancies.

The work is counted as characters scanned and searches made, never as seconds.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_publications import FACT, publication, with_publications, write_published  # noqa: F401

import ldn_evidence.finding as finding
import ldn_evidence.verify as verifying
from ldn_evidence.files import Page
from ldn_evidence.finding import MAX_PASSAGES, PASSAGE_BUDGET, Budget
from ldn_evidence.loader import load
from ldn_evidence.text import fold
from ldn_evidence.verify import excerpt_problems

LARGE = fold("Nothing in this paragraph says anything about the trial at all. " * 16_000)  # about 1 MB


@pytest.fixture
def searches(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The length of the document of every closest-passage search made."""
    made: list[int] = []
    real = finding.closest_passage

    def counted(quote: str, document: str, budget: Budget | None = None) -> str | None:
        made.append(len(document))
        return real(quote, document, budget)

    monkeypatch.setattr(finding, "closest_passage", counted)
    return made


def test_failed_excerpts_share_the_cap_on_searches(searches: list[int]) -> None:
    pages = [Page("https://example.org/a", "abstract", (LARGE[:50_000],), 1)]
    budget = Budget()
    messages = [
        excerpt_problems(
            pages, "p.txt", f"an excerpt that is not there {i}", "https://example.org/a", "abstract", budget
        )
        for i in range(MAX_PASSAGES + 50)
    ]
    assert len(searches) == MAX_PASSAGES
    left_out = [m for ((_, m),) in messages if f"only for the first {MAX_PASSAGES} failed quotes" in m]
    assert len(left_out) == 50
    assert 0 <= budget.left <= PASSAGE_BUDGET


@settings(max_examples=25, deadline=None)
@given(
    failures=st.integers(min_value=1, max_value=400),
    size=st.integers(min_value=1, max_value=200_000),
    characters=st.integers(min_value=0, max_value=10**8),
)
def test_the_characters_scanned_never_pass_the_budget(failures: int, size: int, characters: int) -> None:
    document = ("filler words here " * (size // 18 + 1))[:size]
    pages = [Page("https://example.org/a", "abstract", (document,), 1)]
    budget = Budget(characters)
    messages = [
        message
        for i in range(failures)
        for _, message in excerpt_problems(
            pages, "p.txt", f"missing excerpt number {i}", "https://example.org/a", "abstract", budget
        )
    ]
    # Every character scanned or joined was counted first, and only the last joining may overdraw.
    assert budget.left >= -size
    # The scans that look for the excerpts draw on the same budget: an excerpt it cannot pay for is listed as not
    # checked (and no closest passage is searched for it); every other failure is searched, up to the cap.
    unchecked = [m for m in messages if m.startswith("excerpt not checked in p.txt")]
    assert len(messages) == failures
    assert (characters < size) == (len(unchecked) == failures)
    assert budget.searches == max(0, MAX_PASSAGES - (failures - len(unchecked)))


def test_quotes_excerpts_and_discrepancies_of_one_run_draw_on_one_cap(
    write_published: Callable[..., Path],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    searches: list[int],
) -> None:
    monkeypatch.setattr(finding, "MAX_PASSAGES", 3)
    facts = [{**FACT, "excerpt": f"80 people were admitted {i}"} for i in range(4)]
    study = (
        "  - id: s\n    title: S\n    condition: ms\n    design: rct\n    outcome: O.\n    effect: benefit\n"
        "    sources:\n      - {seed: a.txt, quote: A quote that is not there}\n"
        "      - {seed: a.txt, quote: Another quote that is not there}\n"
    )
    path = write_published(with_publications(publication(facts=facts), study=study))
    problems = [p.message for p in verifying.verify(load(path), path.parent.parent / "seeds")]
    assert len(searches) == 3
    searched = [m for m in problems if 'closest passage: "' in m]
    left_out = [m for m in problems if "closest passage not searched" in m]
    assert len(searched) == 3 and len(left_out) == 3, problems


def test_a_spent_budget_leaves_out_the_excerpts_passage(monkeypatch: pytest.MonkeyPatch, searches: list[int]) -> None:
    pages = [Page("https://example.org/a", "abstract", (LARGE,), 1)]
    budget = Budget(characters=5 * len(LARGE))
    found = [
        excerpt_problems(pages, "p.txt", f"missing {i}", "https://example.org/a", "abstract", budget)[0][1]
        for i in range(20)
    ]
    assert any("the time set aside for searching is spent" in m for m in found)
    assert budget.left >= -len(LARGE)
    assert len(searches) < 20


# --- the whole run's bound, on padded publication files -------------------------------------------------------


def test_the_budget_is_one_a_pre_commit_hook_bears() -> None:
    """At the measured 2,000 MB a second of substring tests (docs/internals/robustness.md), half a second."""
    assert PASSAGE_BUDGET <= 1_000_000_000


def _reference_fold(text: str) -> str:
    import re

    quotes = dict.fromkeys("\u2018\u2019\u201a\u201b", "'") | dict.fromkeys("\u201c\u201d\u201e\u201f", '"')
    table = str.maketrans(quotes | dict.fromkeys("\u2013\u2014", "-"))
    return re.sub(r"\s+", " ", text.translate(table)).strip()


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list(" \t\n\r\u00a0\u2028\u3000ab\u2018\u2019\u201c\u201d\u2013\u2014é"))
        | st.characters()
    )
)
def test_fold_folds_as_evidence_md_allows(text: str) -> None:
    assert fold(text) == _reference_fold(text)


def test_fold_replaces_no_single_space_one_by_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """Counted: the whitespace substitutions of a publication file padded with words are as many as its runs of
    whitespace that are not one plain space, not one per word (a padded 4 MiB file took seconds)."""
    import ldn_evidence.text as texts

    padded = "word " * 800_000 + "two  spaces\tand a tab"
    assert len(list(texts._SPACE.finditer(padded))) == 2
    assert fold(padded).endswith("two spaces and a tab")
