"""Value types with units: durations in days, doses in mg a day."""

from __future__ import annotations

import pytest

from ldn_evidence.model import DESIGNS, Dose, Duration, Study, level_label


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("8 weeks", 56.0),
        ("eight weeks", 56.0),
        ("six-month", 182.64),
        ("6 months", 182.64),
        ("804 days", 804.0),
        ("1 year", 365.25),
        ("17 weeks", 119.0),
        ("median 804 days", 804.0),
    ],
)
def test_durations_are_known_in_days(text: str, days: float) -> None:
    assert Duration.parse(text) == Duration(text, days)


@pytest.mark.parametrize(
    ("text", "mg"),
    [
        ("4.5 mg nightly", 4.5),
        ("5 milligrams", 5.0),
        ("3 mg twice daily", 6.0),
        ("4.5 mg", 4.5),
    ],
)
def test_doses_are_known_in_mg_per_day(text: str, mg: float) -> None:
    assert Dose.parse(text).mg_per_day == mg


@pytest.mark.parametrize("text", ["forever", "weeks", "", "0 weeks", "8"])
def test_unreadable_durations_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        Duration.parse(text)


@pytest.mark.parametrize("text", ["lots", "4.5", "mg", "0 mg"])
def test_unreadable_doses_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        Dose.parse(text)


def test_the_level_follows_from_the_design() -> None:
    study = Study(id="x", title="t", condition="ms", design="rct", outcome="o", effect="benefit", sources=())
    assert study.evidence_level == DESIGNS["rct"][0] == 2
    assert study.clinical
    assert level_label(2) == "Level 2 of 5"
    assert level_label(None) == "no level (design not stated)"
    animal = Study(id="y", title="t", condition="ms", design="animal", outcome="o", effect="benefit", sources=())
    assert not animal.clinical
