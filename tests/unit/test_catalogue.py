"""Queries: filters, sorting, lookup, the summary and the safety roll-up."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ldn_evidence import catalogue as q
from ldn_evidence.errors import StudyNotFound, UnknownValue
from ldn_evidence.loader import load
from ldn_evidence.model import (
    CONDITIONS,
    DESIGNS,
    EFFECTS,
    MEASURES,
    PRECLINICAL_DESIGNS,
    Catalogue,
    Dose,
    Duration,
    Entry,
    Finding,
    Source,
    Study,
)

from conftest import SHIPPED, catalogue_text, study_yaml


@pytest.fixture
def small(write_catalogue: Callable[[str], Path]) -> Catalogue:
    """Six studies across designs, conditions and effects."""
    text = catalogue_text(
        study_yaml(
            "rct-a",
            n=100,
            effect="benefit",
            duration="8 weeks",
            dose="4.5 mg nightly",
            findings=[{"measure": "pain", "effect": "benefit"}],
            adverse_events=[{"event": "Insomnia", "share": "6%"}],
        ),
        study_yaml(
            "rct-b",
            n=50,
            effect="no-effect",
            duration="17 weeks",
            findings=[{"measure": "pain", "effect": "no-effect"}],
        ),
        study_yaml(
            "ppms-open",
            design="open-label",
            n=40,
            population="people with primary-progressive MS",
            tolerability="well tolerated",
            adverse_events=[{"event": "insomnia"}],
        ),
        study_yaml("mice", design="animal", notes="EAE model of MS"),
        study_yaml("crps-case", design="case-report", condition="crps", n=1, year=2019),
        study_yaml("idea", design="hypothesis", effect=None, year=2005),
    )
    return load(write_catalogue(text))


def ids(studies: list) -> list[str]:  # type: ignore[type-arg]
    return [s.id for s in studies]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ["rct-a", "rct-b", "ppms-open", "crps-case", "idea", "mice"]),
        ({"condition": "MS"}, ["rct-a", "rct-b", "ppms-open", "idea", "mice"]),
        ({"condition": "multiple sclerosis"}, ["rct-a", "rct-b", "ppms-open", "idea", "mice"]),
        ({"condition": "ppms"}, ["ppms-open"]),
        ({"condition": "Complex Regional Pain Syndrome"}, ["crps-case"]),
        ({"designs": ["rct"]}, ["rct-a", "rct-b"]),
        ({"designs": ["rct", "animal"]}, ["rct-a", "rct-b", "mice"]),
        ({"effect": "no-effect"}, ["rct-b"]),
        ({"measure": "pain"}, ["rct-a", "rct-b"]),
        ({"min_n": 50}, ["rct-a", "rct-b"]),
        ({"level": 2}, ["rct-a", "rct-b"]),
        ({"level": 4}, ["rct-a", "rct-b", "ppms-open", "crps-case"]),
        ({"clinical": True}, ["rct-a", "rct-b", "ppms-open", "crps-case"]),
        ({"search": "eae"}, ["mice"]),
        ({"search": "PRIMARY"}, ["ppms-open"]),
        ({"search": "a randomized"}, ["rct-a", "rct-b", "ppms-open", "crps-case", "idea", "mice"]),
        ({"designs": ["cohort"]}, []),
    ],
)
def test_filters(small: Catalogue, filters: dict[str, object], expected: list[str]) -> None:
    assert ids(q.select(small, q.make_filters(**filters))) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"condition": "mss"}, "unknown condition 'mss'; did you mean 'ms'?"),
        ({"designs": ["rtc"]}, "unknown design 'rtc'; did you mean 'rct'?"),
        ({"effect": "good"}, "unknown effect 'good'"),
        ({"measure": "pian"}, "unknown measure 'pian'; did you mean 'pain'?"),
        ({"level": 7}, "unknown level '7'"),
    ],
)
def test_unknown_filter_values_are_refused(filters: dict[str, object], message: str) -> None:
    with pytest.raises(UnknownValue) as caught:
        q.make_filters(**filters)  # type: ignore[arg-type]
    assert str(caught.value).startswith(message)
    assert "Valid values:" in str(caught.value)


@pytest.mark.parametrize(
    ("by", "expected"),
    [
        ("level", ["rct-a", "rct-b", "ppms-open", "crps-case", "idea", "mice"]),
        ("n", ["rct-a", "rct-b", "ppms-open", "crps-case", "idea", "mice"]),
        ("year", ["crps-case", "idea", "rct-a", "rct-b", "ppms-open", "mice"]),
        ("id", ["crps-case", "idea", "mice", "ppms-open", "rct-a", "rct-b"]),
    ],
)
def test_sorting(small: Catalogue, by: str, expected: list[str]) -> None:
    assert ids(q.select(small, sort=by)) == expected


def test_limit(small: Catalogue) -> None:
    assert ids(q.select(small, limit=2)) == ["rct-a", "rct-b"]


def test_find_by_id_or_unique_prefix(small: Catalogue) -> None:
    assert q.find(small, "ppms-open").id == "ppms-open"
    assert q.find(small, "ppms").id == "ppms-open"
    with pytest.raises(StudyNotFound, match=r"'rct' matches more than one study: rct-a, rct-b"):
        q.find(small, "rct")
    with pytest.raises(StudyNotFound, match=r"no study 'mouse'; did you mean mice"):
        q.find(small, "mouse")


def test_find_takes_a_whole_word_of_an_id_when_only_one_id_holds_it(small: Catalogue) -> None:
    assert q.find(small, "open").id == "ppms-open"
    assert q.find(small, "case").id == "crps-case"
    with pytest.raises(StudyNotFound, match=r"no study 'pen'"):
        q.find(small, "pen")


def test_show_finds_the_ucsf_trial_by_its_investigator() -> None:
    assert q.find(load(SHIPPED), "cree").id == "ucsf-cree-rct"


def test_summary_counts_come_from_the_records(small: Catalogue) -> None:
    studies = q.select(small)
    result = q.summarise(studies)
    known = [s.n for s in studies if s.n is not None]
    # The hypothesis is a preclinical study with no effect; there are no mentions here.
    assert result["mentions"] == {"count": 0}
    assert result["count"] == len(studies)
    assert result["participants"] == sum(known)
    assert result["n_unknown"] == len(studies) - len(known)
    assert result["clinical"] == {"count": 4, "participants": 191, "n_unknown": 0}
    assert result["preclinical"] == {"count": 2, "participants": 0, "n_unknown": 2}
    assert result["by_design"]["rct"]["effects"] == {
        "benefit": {"count": 1, "participants": 100, "n_unknown": 0},
        "no-effect": {"count": 1, "participants": 50, "n_unknown": 0},
    }
    assert result["by_level"]["2"]["count"] == 2
    assert result["by_measure"]["pain"]["count"] == 2
    assert "none" not in result["by_effect"]  # the hypothesis has no effect to count
    assert result["by_design"]["hypothesis"]["effects"] == {}
    # The mouse study is counted as a record, never among studies with effects.
    assert result["by_design"]["animal"] == {"count": 1, "participants": 0, "n_unknown": 1, "effects": {}}
    assert result["with_effects"]["count"] == 4
    assert result["evidence_map"]["crps"] == {"case-report": {"count": 1, "participants": 1, "n_unknown": 0}}
    assert result["duration_days"] == {"treatment": {"min": 56.0, "median": 87.5, "max": 119.0, "count": 2}}
    assert result["dose_mg"] == {
        "per_day": {"min": 4.5, "max": 4.5, "count": 1},
        "per_dose_no_schedule": {"min": None, "max": None, "count": 0},
        "count": 1,
        "stated": ["4.5 mg nightly"],
    }
    assert result["ids"] == ids(studies)


def test_durations_of_different_kinds_are_never_on_one_scale() -> None:
    def study(ident: str, duration: Duration) -> Study:
        return Study(ident, "t", "ms", "rct", "o", "benefit", (), duration=duration)

    result = q.summarise(
        [study("a", Duration.parse("8 weeks")), study("b", Duration.parse("median 804 days")),
         study("c", Duration.parse("17 weeks", "whole-study"))]
    )  # fmt: skip
    assert list(result["duration_days"]) == ["treatment", "whole-study", "median-on-ldn"]
    assert [spread["max"] for spread in result["duration_days"].values()] == [56.0, 119.0, 804.0]


def _reference_summary(studies: list[Study]) -> dict[str, Any]:
    """The summary's groups counted the slow, obvious way: one filter per group.

    Mentions are left out; effects count only studies of people with a stated design.
    """
    effect_order = [*EFFECTS, "none"]
    studies = [s for s in studies if not s.mention]

    def effect(study: Study) -> str:
        if study.design in PRECLINICAL_DESIGNS or study.design == "unspecified":
            return "not counted"
        return study.effect or "none"

    def tally(group: list[Study]) -> dict[str, int]:
        sizes = [s.n for s in group]
        return {"count": len(group), "participants": sum(n for n in sizes if n), "n_unknown": sizes.count(None)}

    def grouped(key: Callable[[Study], str], order: list[str]) -> dict[str, Any]:
        out = {}
        for value in order:
            group = [s for s in studies if key(s) == value]
            if group:
                effects = {e: tally([s for s in group if effect(s) == e]) for e in effect_order}
                out[value] = {**tally(group), "effects": {e: t for e, t in effects.items() if t["count"]}}
        return out

    by_measure = {}
    for measure in MEASURES:
        group = [s for s in studies if any(f.measure == measure for f in s.findings)]
        if group:
            effects = {
                e: tally([s for s in group if Finding(measure, e) in s.findings and effect(s) != "not counted"])
                for e in EFFECTS
            }
            by_measure[measure] = {**tally(group), "effects": {e: t for e, t in effects.items() if t["count"]}}
    levels = [*map(str, range(1, 6)), "none"]
    return {
        **tally(studies),
        "clinical": tally([s for s in studies if s.design not in PRECLINICAL_DESIGNS]),
        "preclinical": tally([s for s in studies if s.design in PRECLINICAL_DESIGNS]),
        "by_effect": {e: tally(g) for e in effect_order if (g := [s for s in studies if effect(s) == e])},
        "by_design": grouped(lambda s: s.design, list(DESIGNS)),
        "by_condition": grouped(lambda s: s.condition, list(CONDITIONS)),
        "by_level": grouped(lambda s: q.level_key(s.evidence_level), levels),
        "by_measure": by_measure,
        "evidence_map": {
            c: {d: tally(g) for d in DESIGNS if (g := [s for s in studies if (s.condition, s.design) == (c, d)])}
            for c in CONDITIONS
            if any(s.condition == c for s in studies)
        },
    }


DURATIONS = [Duration("8 weeks", 56.0), Duration("1 year", 365.25)]
DOSES = [Dose.parse("4.5 mg"), Dose.parse("3 mg twice daily")]


@st.composite
def _studies(draw: st.DrawFn) -> list[Study]:
    out = []
    for i in range(draw(st.integers(0, 40))):
        design = draw(st.sampled_from(sorted(DESIGNS)))
        findings = draw(
            st.lists(
                st.builds(Finding, st.sampled_from(sorted(MEASURES)), st.sampled_from(sorted(EFFECTS))), max_size=4
            )
        )
        out.append(
            Study(
                f"s{i}", "t", draw(st.sampled_from(sorted(CONDITIONS))), design, "o",
                None if design == "hypothesis" else draw(st.sampled_from(sorted(EFFECTS))), (Source("000.md", "q"),),
                n=draw(st.one_of(st.none(), st.integers(1, 500))),
                duration=draw(st.one_of(st.none(), st.sampled_from(DURATIONS))),
                dose=draw(st.one_of(st.none(), st.sampled_from(DOSES))),
                findings=tuple(findings),
                mention=draw(st.booleans()),
            )
        )  # fmt: skip
    return out


# The draws build up to 40 studies each; on a loaded machine that trips the speed health check,
# which would make the test assert a wall-clock time. The examples and the assertion are unchanged.
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_studies())
def test_the_summary_agrees_with_counting_group_by_group(studies: list[Study]) -> None:
    result = q.summarise(studies)
    expected = _reference_summary(studies)
    # Same groups, same numbers, in the same order (the JSON output keeps it).
    assert {key: result[key] for key in expected} == expected
    assert [list(result[key]) for key in expected if isinstance(expected[key], dict)] == [
        list(value) for value in expected.values() if isinstance(value, dict)
    ]
    entries = [Entry(s.id, s.condition, s.design, s.effect, s.year, s.population, s.n, s.duration, s.dose,
                     s.measured, s.mention, s.seeds) for s in studies]  # fmt: skip
    assert q.summarise(entries) == result


def test_summary_of_nothing(small: Catalogue) -> None:
    result = q.summarise([])
    assert (result["count"], result["participants"], result["ids"]) == (0, 0, [])
    assert result["duration_days"] == {}


def test_safety_rolls_events_up_across_studies(small: Catalogue) -> None:
    report = q.safety(small, q.select(small))
    (insomnia,) = report["adverse_events"]
    assert [s["id"] for s in insomnia["studies"]] == ["rct-a", "ppms-open"]
    assert [s["share"] for s in insomnia["studies"]] == ["6%", None]
    assert report["tolerability"] == [{"id": "ppms-open", "statement": "well tolerated"}]
    assert report["no_harms_reported"] == ["rct-b", "crps-case", "idea", "mice"]
    assert (report["count"], report["reporting_harms"], report["mentions"]) == (6, 2, [])


def test_documents_count_the_studies_citing_them(small: Catalogue) -> None:
    (entry,) = q.documents(small)
    assert entry["seed"] == "a.txt"
    assert len(entry["studies"]) == len(small.studies)
    with pytest.raises(StudyNotFound, match="no document 'zzz'"):
        q.find_document(small, "zzz")


class _CountedTuple(tuple):  # type: ignore[type-arg]
    """A tuple that counts how often it is walked."""

    walks = 0

    def __iter__(self):  # type: ignore[no-untyped-def]
        type(self).walks += 1
        return super().__iter__()


def test_every_studys_publications_are_found_in_one_walk_of_the_publications() -> None:
    from dataclasses import replace

    catalogue = load(SHIPPED)
    expected = {s.id: tuple(p for p in catalogue.publications if s.id in p.study) for s in catalogue.studies}
    _CountedTuple.walks = 0
    counted = replace(catalogue, publications=_CountedTuple(catalogue.publications))
    found = {s.id: counted.publications_of(s.id) for s in catalogue.studies}
    assert found == expected and any(found.values())
    assert _CountedTuple.walks == 1  # indexed once, not once a study (8,000 studies took 16 s that way)
