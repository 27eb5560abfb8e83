"""verify checks every number of a record's retellings (outcome, tolerability, population, findings' details) against
its quotes, beside the words it is said of, and a length's or dose's number followed by its unit."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from ldn_evidence.loader import load, seeds_folder
from ldn_evidence.text import fold, numbers_in
from ldn_evidence.verify import TIME_UNITS, detached_numbers, verify, with_unit

from conftest import catalogue_text, study_yaml

#: The shape of a real quote (ms-retrospective-215): 215, 87%, 10%, 804 days, 77%, 6%, 5%, 60%, "four", "ten years".
QUOTE = (
    "A retrospective study assessed 215 patients among which, 87% had relapsing-remitting MS and 10% with "
    "secondary progressive MS. The average disease duration was ten years, and the LDN therapy was given for a "
    "median period of 804 days. 77% of subjects experienced no side effects at any point of LDN therapy. "
    "6% reported insomnia, and 5% complained of having vivid dreams. 60% of subjects reported less weakness "
    "while using LDN, and just four persons mentioned it oppositely. A group of ten women took part."
)
GOOD: dict[str, object] = {
    "n": 215,
    "duration": "median 804 days",
    "outcome": "77% reported no side effects; 60% reported less weakness on LDN (four reported the opposite).",
    "tolerability": "77% experienced no side effects at any point of LDN therapy",
    "population": "people with MS: 87% relapsing-remitting, 10% secondary progressive; disease duration ten years",
    "findings": [
        {"measure": "weakness", "effect": "benefit", "detail": "60% reported less weakness; four people reported more"}
    ],
}


BESIDE = "is stated in the record's quotes, but not beside"


def _problems(write_catalogue: Callable[[str], Path], **changed: object) -> list[str]:
    fields = {**GOOD, **changed}
    path = write_catalogue(
        catalogue_text(study_yaml("s", design="retrospective", sources=[{"seed": "a.txt", "quote": QUOTE}], **fields))
    )
    (path.parent.parent / "seeds" / "a.txt").write_text("A randomized trial. " + QUOTE + "\n", encoding="utf-8")
    return [str(p) for p in verify(load(path), seeds_folder(path))]


def test_the_faithful_record_passes(write_catalogue: Callable[[str], Path]) -> None:
    assert _problems(write_catalogue) == []


def _detail(text: str) -> list[dict[str, str]]:
    return [{"measure": "weakness", "effect": "benefit", "detail": text}]


@pytest.mark.parametrize(
    ("changed", "field", "says"),
    [
        ({"tolerability": "97% experienced no side effects"}, "tolerability", "97% does not appear"),
        ({"outcome": "80% reported less weakness"}, "outcome", "80% does not appear"),
        ({"population": "people with MS: 88% relapsing-remitting"}, "population", "88% does not appear"),
        ({"findings": _detail("6% reported less weakness")}, "findings", f"6% {BESIDE}"),
        ({"outcome": "87% reported less weakness"}, "outcome", f"87% {BESIDE}"),
        ({"findings": _detail("forty people reported more")}, "findings", "40 does not appear"),
        ({"findings": _detail("thirty people reported more")}, "findings", "30 does not appear"),
        ({"duration": "median 87 days"}, "duration", "87 is not stated as a length of time"),
        ({"duration": "215 days"}, "duration", "215 is not stated as a length of time"),
        # "The average disease duration was ten years": the disease's length, not the study's.
        ({"duration": "median 10 years"}, "duration", "10 is stated as a length of time in the record's quotes, but"),
        ({"duration": "ten years"}, "duration", "not in a clause that says it is the study's"),
    ],
)  # fmt: skip
def test_a_number_its_quote_does_not_hold_for_what_it_says_fails(
    write_catalogue: Callable[[str], Path], changed: dict[str, object], field: str, says: str
) -> None:
    problems = _problems(write_catalogue, **changed)
    assert len(problems) == 1 and f": s: {field}: " in problems[0] and says in problems[0], problems


@pytest.mark.parametrize(
    "changed",
    [
        {"outcome": "002 reports that 60% had less weakness."},  # a seed named by its number
        {"findings": _detail("four of the ten women said the opposite")},  # a group counted elsewhere
        {"population": "one patient with MS"},  # "a patient" in a quote
    ],
)
def test_what_a_retelling_may_say_without_a_number_beside_its_words(
    write_catalogue: Callable[[str], Path], changed: dict[str, object]
) -> None:
    assert _problems(write_catalogue, **changed) == []


@pytest.mark.parametrize(
    ("quotes", "number", "found"),
    [
        ("a median period of 804 days", 804.0, True),
        ("87% had rrms", 87.0, False),
        ("8 to 12 weeks of ldn", 8.0, True),
        ("a twelve-week trial", 12.0, True),
        ("12 patients. weeks later", 12.0, False),
        ("12 patients and 3 weeks", 12.0, False),
        ("12.0 weeks", 12.0, True),
        ("4.50 weeks", 4.5, True),
        ("4.51 weeks", 4.5, False),
    ],
)
def test_a_length_is_a_number_followed_by_a_unit_of_time(quotes: str, number: float, found: bool) -> None:
    assert with_unit(fold(quotes).lower(), number, TIME_UNITS) is found


def test_a_retelling_with_very_many_numbers_is_checked_in_bounded_work(monkeypatch: pytest.MonkeyPatch) -> None:
    from ldn_evidence import verify as module

    calls = []
    real = module._stated

    def counting(*args: object, **kwargs: object) -> bool:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(module, "_stated", counting)
    quotes = fold(" ".join(f"{k}% reported less weakness." for k in range(200))).lower()
    clauses = [quotes]  # one clause holding every word
    text = " ".join(f"{k}% reported less weakness" for k in range(5_000))
    detached_numbers(quotes, numbers_in(quotes), clauses, text)
    # at most _PROSE_NUMBERS numbers, each looked for in the quotes once and in each clause near its words once
    assert len(calls) <= module._PROSE_NUMBERS * (1 + len(clauses))


@pytest.mark.parametrize(
    ("quotes", "duration", "tied"),
    [
        ("the average disease duration was ten years", "median 10 years", False),
        ("patients had lived with ms for ten years, and ldn was given for 8 weeks", "10 years", False),
        ("ldn was given for a median period of 804 days", "median 804 days", True),
        ("the eight-week-long trial was carried out on 60 patients", "8 weeks", True),
        ("participants took 4.5 milligrams nightly for eight weeks", "8 weeks", True),
        ("patients were followed for a median of 4.7 years", "median 4.7 years", True),
        ("the disease had lasted ten years; the trial ran for 12 weeks", "10 years", False),
        ("symptoms over ten years of illness", "10 years of illness", True),  # the duration's own words
        ("symptoms over ten years of illness", "10 years", False),
    ],
)
def test_a_duration_stands_beside_words_of_the_study_or_its_own(quotes: str, duration: str, tied: bool) -> None:
    from ldn_evidence.text import leading_number
    from ldn_evidence.verify import length_of_study

    assert length_of_study(fold(quotes).lower(), leading_number(duration), duration) is tied
