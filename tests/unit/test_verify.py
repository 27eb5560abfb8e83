"""Quotes stand verbatim in their documents; stated numbers stand in their quotes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from ldn_evidence.loader import load, seeds_folder
from ldn_evidence.text import fold
from ldn_evidence.verify import verify

from conftest import SEEDS, SHIPPED, catalogue_text, study_yaml


def test_the_shipped_catalogue_verifies() -> None:
    catalogue = load(SHIPPED)
    assert seeds_folder(SHIPPED).resolve() == SEEDS.resolve()
    assert verify(catalogue, SEEDS) == []


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("it\u2019s \u201cfine\u201d", 'it\'s "fine"'),
        ("a\u00a0\u00a0 b\n\tc", "a b c"),
        ("2009\u20132010 \u2014 x", "2009-2010 - x"),
    ],
)
def test_folding_forgives_only_whitespace_quote_marks_and_dashes(typed: str, folded: str) -> None:
    assert fold(typed) == folded


def _problems(write_catalogue: Callable[[str], Path], *studies: str) -> list[str]:
    path = write_catalogue(catalogue_text(*studies))
    return [str(p) for p in verify(load(path), seeds_folder(path))]


def test_a_quote_with_typographic_marks_and_odd_spacing_still_matches(
    write_catalogue: Callable[[str], Path],
) -> None:
    quote = "A  randomized\u00a0trial of ten people with MS took 4.5\u00a0mg nightly"
    assert _problems(write_catalogue, study_yaml("s", sources=[{"seed": "a.txt", "quote": quote}])) == []


def test_a_changed_word_is_reported_with_the_closest_passage(write_catalogue: Callable[[str], Path]) -> None:
    quote = "A randomised trial of ten people"
    (problem,) = _problems(write_catalogue, study_yaml("s", sources=[{"seed": "a.txt", "quote": quote}]))
    assert problem.endswith(
        's: sources: quote not found in a.txt: "A randomised trial of ten people"; '
        'closest passage: "A randomized trial of ten people"'
    )


def test_a_missing_document_is_reported(write_catalogue: Callable[[str], Path]) -> None:
    path = write_catalogue(catalogue_text(study_yaml("s")))
    (path.parent.parent / "seeds" / "a.txt").unlink()
    (problem,) = [str(p) for p in verify(load(path), seeds_folder(path))]
    assert "source document 'a.txt' is not in" in problem


@pytest.mark.parametrize(
    ("fields", "ok"),
    [
        ({"n": 10}, True),  # "ten people": numbers in words count
        ({"n": 11}, False),
        ({"n": 40}, False),  # 40 is in the document but not in this record's quote
        ({"year": 2019}, False),
        ({"dose": "4.5 mg nightly"}, False),
        ({"duration": "8 weeks"}, False),
    ],
)
def test_every_stated_number_must_be_quoted(
    write_catalogue: Callable[[str], Path], fields: dict[str, object], ok: bool
) -> None:
    record = study_yaml("s", sources=[{"seed": "a.txt", "quote": "A randomized trial of ten people"}], **fields)
    problems = _problems(write_catalogue, record)
    assert (problems == []) is ok, problems
    if not ok:
        assert "does not appear in any of the record's quotes" in problems[0]


def test_numbers_in_a_longer_quote_are_found(write_catalogue: Callable[[str], Path]) -> None:
    quote = "A randomized trial of ten people with MS took 4.5 mg nightly for 8 weeks"
    record = study_yaml(
        "s", n=10, dose="4.5 mg nightly", duration="8 weeks", sources=[{"seed": "a.txt", "quote": quote}]
    )
    assert _problems(write_catalogue, record) == []
