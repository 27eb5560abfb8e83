"""Value types with units: durations in days with their kind, doses in mg a dose and (when scheduled) a day."""

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
    ],
)
def test_durations_are_known_in_days(text: str, days: float) -> None:
    assert Duration.parse(text) == Duration(text, days, "treatment")


def test_a_duration_keeps_its_kind() -> None:
    assert Duration.parse("median 804 days").kind == "median-on-ldn"
    assert Duration.parse("median 804 days").label == "median time on LDN"
    assert Duration.parse("17 weeks", "whole-study") == Duration("17 weeks", 119.0, "whole-study")
    with pytest.raises(ValueError, match="unknown kind of duration 'forever'"):
        Duration.parse("8 weeks", "forever")


@pytest.mark.parametrize(
    ("text", "per_dose", "per_day"),
    [
        ("4.5 mg nightly", 4.5, 4.5),
        ("3 mg twice daily", 3.0, 6.0),
        ("4.5 mg a day", 4.5, 4.5),
        ("2 mg every other day", 2.0, 1.0),
        # No schedule stated: per dose only, never "a day".
        ("5 milligrams", 5.0, None),
        ("4.5 mg", 4.5, None),
    ],
)
def test_doses_are_per_day_only_when_the_schedule_is_stated(text: str, per_dose: float, per_day: float | None) -> None:
    dose = Dose.parse(text)
    assert (dose.mg_per_dose, dose.mg_per_day, dose.scheduled) == (per_dose, per_day, per_day is not None)


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
    assert level_label(2) == "Level 2 of 5 (1 is strongest)"
    assert level_label(None) == "no level (design not stated)"
    animal = Study(id="y", title="t", condition="ms", design="animal", outcome="o", effect="benefit", sources=())
    assert not animal.clinical


def test_every_vocabulary_is_named_through_model_too() -> None:
    from ldn_evidence import model, vocabularies

    names = [name for name in vars(vocabularies) if not name.startswith("_") and name != "annotations"]
    assert {"DESIGNS", "CONDITIONS", "MEASURES", "HARM_EVENTS", "MS_FORMS", "FACT_FIELDS", "level_label"} <= set(names)
    assert [name for name in names if getattr(model, name, None) is not getattr(vocabularies, name)] == []
