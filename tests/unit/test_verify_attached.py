"""verify ties each number to what it is of: a dose to milligrams, a length of time to a length (not an age), n to
people (not a share of them), and a finding's or harm's number to its own clause, an elliptic one included."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from ldn_evidence.loader import load, seeds_folder
from ldn_evidence.text import fold
from ldn_evidence.verify import clauses_of, counts_people

from conftest import catalogue_text, study_yaml


def _problems(write_catalogue: Callable[[str], Path], quote: str, **fields: object) -> list[str]:
    from ldn_evidence.verify import verify

    path = write_catalogue(catalogue_text(study_yaml("s", sources=[{"seed": "a.txt", "quote": quote}], **fields)))
    (path.parent.parent / "seeds" / "a.txt").write_text("A randomized trial. " + quote + "\n", encoding="utf-8")
    return [str(p) for p in verify(load(path), seeds_folder(path))]


@pytest.mark.parametrize(
    ("quote", "backed"),
    [
        ("Patients weighed 70 kg on average and took 4.5 mg of naltrexone at night.", False),
        ("Each drank 70 ml of water.", False),
        ("Each took 70 g of sugar.", False),
        ("Each took 70 mcg of the drug.", False),  # micrograms are not milligrams (no conversion is made)
        ("Each took 70 mg of the drug.", True),
        ("Each took 70 milligrams of the drug.", True),
        ("Each took 70mg at night.", True),
    ],
)
def test_only_milligrams_back_a_dose(write_catalogue: Callable[[str], Path], quote: str, backed: bool) -> None:
    problems = [p for p in _problems(write_catalogue, quote, dose="70 mg") if ": s: dose: " in p]
    assert (problems == []) == backed, problems
    if not backed:
        assert (
            "70 is not stated as an amount of the drug in milligrams" in problems[0] or "does not appear" in problems[0]
        )


@pytest.mark.parametrize(
    ("quote", "duration", "backed"),
    [
        ("Patients took LDN for 8 months.", "8 weeks", False),
        ("Patients took LDN for 8 weeks.", "8 weeks", True),
        ("It was an 8-week trial of LDN.", "8 weeks", True),
        ("Treatment lasted 8 wks.", "8 weeks", True),
        ("Patients took LDN for 12 weeks, then were followed for 12 months.", "12 months", True),
        ("Patients took LDN for 3 years.", "3 months", False),
        ("The trial ran for 10 days.", "median 10 days", True),
    ],
)
def test_a_duration_is_backed_only_in_its_own_unit(
    write_catalogue: Callable[[str], Path], quote: str, duration: str, backed: bool
) -> None:
    problems = [p for p in _problems(write_catalogue, quote, duration=duration) if ": s: duration: " in p]
    assert (problems == []) == backed, problems


@pytest.mark.parametrize(
    ("quote", "backed"),
    [
        ("Symptoms returned in patients within 30 years of age.", False),
        ("Patients under 30 years of age took LDN nightly.", False),
        ("A 30-year-old woman took LDN nightly.", False),
        ("Patients aged 30 years took LDN nightly.", False),
        ("Patients took LDN nightly for 30 years.", True),
    ],
)
def test_an_age_backs_no_duration(write_catalogue: Callable[[str], Path], quote: str, backed: bool) -> None:
    problems = [p for p in _problems(write_catalogue, quote, duration="30 years") if ": s: duration: " in p]
    assert (problems == []) == backed, problems


@pytest.mark.parametrize(
    "quote",
    [
        "Of the patients, 80 pct reported less pain.",
        "About 80 ‰ of the patients stopped.",
        "About 80 per mille of the patients stopped.",
        "About 80 per cent of the patients stopped.",
        "About 80 percent of the patients stopped.",
        "An 80-percent share of the patients stopped.",
        "About 80% of the patients stopped.",
        "About 80 per thousand patients stopped.",
    ],
)
def test_a_share_of_people_backs_no_n(write_catalogue: Callable[[str], Path], quote: str) -> None:
    assert not counts_people(fold(quote).lower(), 80.0)
    problems = [p for p in _problems(write_catalogue, quote, n=80) if ": s: n: " in p]
    assert len(problems) == 1, problems
    assert counts_people("about 80 of the patients stopped.", 80.0)  # the same words without the share: a count


@pytest.mark.parametrize(
    ("sentence", "clauses"),
    [
        (
            "fatigue fell in 12% of patients, pain in 60% of them.",
            ["fatigue fell in 12% of patients", "pain in 60% of them."],
        ),
        (
            "nausea was seen in 5% of patients, headache in 20%.",
            ["nausea was seen in 5% of patients", "headache in 20%."],
        ),
        ("pain fell in 12%, 15% and 20% of patients at weeks 4, 8 and 12.", None),
        ("fatigue fell in 12% of patients, at week 8.", None),
        ("fatigue fell in 12% of patients, in 20 weeks.", None),
    ],
)
def test_an_elliptic_clause_with_its_own_subject_is_a_clause(sentence: str, clauses: list[str] | None) -> None:
    assert clauses_of(sentence) == (clauses or [sentence])


def test_a_findings_number_from_an_elliptic_clause_fails(write_catalogue: Callable[[str], Path]) -> None:
    quote = "Fatigue fell in 12% of patients, pain in 60% of them."
    finding = {"measure": "fatigue", "effect": "benefit"}
    wrong = _problems(
        write_catalogue,
        quote,
        outcome="Fatigue fell.",
        findings=[{**finding, "detail": "fatigue fell in 60% of patients"}],
    )
    assert [p for p in wrong if "findings: 60% is stated in the record's quotes, but not beside" in p], wrong
    right = _problems(
        write_catalogue,
        quote,
        outcome="Fatigue fell.",
        findings=[{**finding, "detail": "fatigue fell in 12% of patients"}],
    )
    assert not [p for p in right if "findings" in p], right


@pytest.mark.parametrize(("share", "backed"), [("20%", False), ("5%", True)])
def test_a_harms_share_from_an_elliptic_clause_fails(
    write_catalogue: Callable[[str], Path], share: str, backed: bool
) -> None:
    quote = "Nausea was seen in 5% of patients, headache in 20%."
    problems = [p for p in _problems(write_catalogue, quote, adverse_events=[{"event": "nausea", "share": share}])
                if "adverse_events" in p]  # fmt: skip
    assert (problems == []) == backed, problems
    headache = [p for p in _problems(write_catalogue, quote, adverse_events=[{"event": "headache", "share": "20%"}])
                if "adverse_events" in p]  # fmt: skip
    assert headache == []
