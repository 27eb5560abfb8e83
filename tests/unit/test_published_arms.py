"""A count a page prints only arm by arm counts as the sum of its arms, and says so.

The Mali trial's abstract says its result rests on "the treatment group (51 subjects)" and "the control
group (49 subjects)" and prints no total. EVIDENCE.md counts people "analysed where the page states it
(the number whose data the result rests on)": the page states the people of both arms, so the count is
their sum, 100 analysed. Before, such a fact had no value and the summary showed "not reported" (or a
weaker count) although the page states every person. The fact keeps each arm's number in `arms`, `ldn
verify` checks each is printed in its excerpt as a number of people, and the count's basis names the arms.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from ldn_evidence.errors import CatalogueInvalid
from ldn_evidence.loader import load, parse_catalogue
from ldn_evidence.model import Publication, PublishedFact
from ldn_evidence.published import _reading, counted, headline_count, published_values, readings
from ldn_evidence.verify import verify

from conftest import SHIPPED, catalogue_text, study_yaml

PAGE = "https://example.org/abstract"
EXCERPT = "the treatment group (51 subjects) was significantly greater than the control group (49 subjects)"


def fact(field: str, value: int | None = None, arms: tuple[int, ...] = (), kind: str = "abstract") -> PublishedFact:
    return PublishedFact(field, "t", EXCERPT, PAGE, kind, value=value, arms=arms)


def reading_of(*facts: PublishedFact) -> Any:
    return _reading("s", (Publication("p", ("s",), "P", facts=facts),))


# --- the rule -------------------------------------------------------------------------------------------


def test_a_count_by_arm_is_the_sum_of_its_arms() -> None:
    assert counted(fact("analysed", arms=(51, 49))) == 100
    assert counted(fact("randomized", value=31)) == 31
    assert counted(fact("enrolled")) is None  # stated in words that hold no number: still nothing
    assert counted(PublishedFact("outcome", "t", EXCERPT, PAGE, "abstract", arms=(1, 2))) is None


def test_the_people_of_a_view_are_the_arms_analysed_before_a_stated_randomized_count() -> None:
    people = reading_of(fact("randomized", value=114), fact("analysed", arms=(51, 49))).people()
    assert people is not None
    assert (people.field, people.value, people.basis) == ("analysed", 100, "analysed, 51 + 49 by arm")


def test_a_stated_count_names_no_arms_and_a_count_without_arms_or_value_is_not_heard() -> None:
    people = reading_of(fact("analysed"), fact("enrolled", value=120)).people()
    assert people is not None and (people.field, people.value, people.basis) == ("enrolled", 120, "enrolled")
    assert reading_of(fact("analysed")).people() is None


def test_list_and_discrepancies_read_the_same_sum() -> None:
    publication = Publication("p", ("s",), "P", facts=(fact("analysed", arms=(51, 49)),))
    count = headline_count(publication)
    assert count is not None and (count.number, count.kind) == (100, "analysed")
    assert [(c.number, c.kind) for c in published_values(publication).counts] == [(100, "analysed")]


def test_the_shipped_mali_trial_counts_its_two_arms_analysed() -> None:
    people = readings(load(SHIPPED))["hiv-aids-traore-2011-rct"].people()
    assert people is not None
    assert (people.field, people.value, people.basis) == ("analysed", 100, "analysed, 51 + 49 by arm")


# --- the file: only a count of people, no value beside it, at least two arms, each on the page --------------

FACT = {"field": "analysed", "arms": [51, 49], "text": "t", "excerpt": EXCERPT, "page": PAGE, "page_kind": "abstract"}


def catalogue(**change: Any) -> str:
    entry = {"id": "p", "study": "s", "title": "P", "facts": [{**FACT, **change}]}
    return catalogue_text(study_yaml("s")) + yaml.safe_dump({"publications": [entry]}, sort_keys=False)


def problems_of(text: str) -> list[str]:
    try:
        parse_catalogue(text.encode(), "f.yaml")
    except CatalogueInvalid as exc:
        return [str(p) for p in exc.problems]
    return []


def test_arms_load_as_whole_numbers() -> None:
    (loaded,) = parse_catalogue(catalogue().encode(), "f.yaml").publications[0].facts
    assert loaded.arms == (51, 49) and loaded.value is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"field": "dose", "value": "3 mg"}, "only a count of people (enrolled, randomized, completed, analysed)"),
        ({"field": "dropouts"}, "only a count of people"),
        ({"value": 100}, "a count with arms has no `value`: the page prints no total"),
        ({"arms": [100]}, "lists the number of each arm: at least two"),
        ({"arms": [51, "many"]}, "facts.arms"),
    ],
)
def test_wrong_arms_are_a_located_error(change: dict[str, Any], message: str) -> None:
    problems = problems_of(catalogue(**change))
    assert any(message in p for p in problems), problems
    assert all(p.startswith("f.yaml:") for p in problems)


def test_verify_finds_an_arm_the_excerpt_does_not_print(write_catalogue: Callable[[str], Path]) -> None:
    def problems(arms: list[int]) -> list[str]:
        text = catalogue(arms=arms).replace("id: p\n", "id: paper\n")
        path = write_catalogue(text)
        folder = path.parent.parent / "publications"
        folder.mkdir(exist_ok=True)
        (folder / "paper.txt").write_text(f"page: {PAGE}\nkind: abstract\n\n{EXCERPT}\n", encoding="utf-8")
        return [str(p) for p in verify(load(path), path.parent.parent / "seeds")]

    assert problems([51, 49]) == []
    (problem,) = problems([51, 48])
    assert "facts.arms: 48 in `arms` is not stated in the fact's excerpt as a number of people" in problem
