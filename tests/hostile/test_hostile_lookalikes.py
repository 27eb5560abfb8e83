"""Class 2: values that only look right; class 6: one seed listed as two documents."""

from __future__ import annotations

import datetime
import json
import math
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ldn_evidence.cli import app
from ldn_evidence.errors import CatalogueInvalid
from ldn_evidence.loader import date_problem, parse_catalogue

from conftest import MINIMAL
from conftest import problems_of as loader_problems

LOCATED = re.compile(r"^f\.yaml:\d+: ")


def problems_of(text: str) -> list[str]:
    problems = loader_problems(text)
    assert all(LOCATED.match(p) for p in problems), problems
    return problems


def with_document_date(date: str) -> str:
    return MINIMAL.replace("    kind: news\n", f"    kind: news\n    date: {json.dumps(date)}\n")


@pytest.mark.parametrize(
    "ident", ["good-study\n", "good-study\n\n", "\ngood-study", "good-study ", "Good-study", "good--study", "ｇood"]
)
def test_an_id_must_be_a_slug_as_a_whole(ident: str) -> None:
    problems = problems_of(MINIMAL.replace("id: good-study", f"id: {json.dumps(ident)}"))
    assert any("is not a slug" in p for p in problems), problems


@pytest.mark.parametrize(
    ("date", "why"),
    [
        ("2019-02-30", "is not a date on the calendar"),
        ("2019-13", "is not a date on the calendar"),
        ("2019-00-10", "is not a date on the calendar"),
        ("2019-01-01\n", "is not an ISO date"),
        ("２０１９-01-01", "is not an ISO date"),
        ("٢٠١٩", "is not an ISO date"),
        ("2019-1-1", "is not an ISO date"),
        ("9999-01-01", "is in the future"),
        (f"{datetime.date.today().year + 1}", "is in the future"),
    ],
)
def test_a_document_date_is_a_real_past_iso_date(date: str, why: str) -> None:
    problems = problems_of(with_document_date(date))
    assert any(f"date: {date!r} {why}" in p for p in problems), problems


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=12).filter(lambda s: "\x00" not in s))
def test_any_date_text_is_accepted_only_when_it_is_a_real_past_date(date: str) -> None:
    wrong = date_problem(date)
    if wrong is None:
        parts = [int(p) for p in date.split("-")]
        real = datetime.date(parts[0], *[*parts[1:], 1, 1][:2])
        assert date.isascii() and real <= datetime.date.today()


@pytest.mark.parametrize("field", ["title", "outcome", "notes", "population"])
def test_a_nul_character_anywhere_is_refused(field: str) -> None:
    text = MINIMAL.replace("    title: A study", f'    title: A study\n    {field}: "a\\0b"' if field != "title"
                           else '    title: "a\\0b"')  # fmt: skip
    if field == "outcome":
        text = text.replace("    outcome: Something.\n", "")
    assert any(f"{field}: holds a NUL character" in p for p in problems_of(text))


@pytest.mark.parametrize("digits", [13, 4301, 5000, 100_000])
@pytest.mark.parametrize("field", ["n", "year"])
def test_a_huge_integer_is_a_located_error(field: str, digits: int) -> None:
    number = "9" * digits
    text = MINIMAL.replace("n: 10", f"{field}: {number}")
    problems = problems_of(text)
    assert any(f"{field}: a {digits:,}-digit number is out of range" in p for p in problems), problems


@settings(max_examples=100, deadline=None)
@given(
    st.one_of(st.integers(min_value=0, max_value=10**30).map(str), st.sampled_from(["1e400", "1.5e308", "0.0000001"])),
    st.sampled_from(["days", "weeks", "months", "years", "mg nightly", "mg three times daily"]),
)
def test_a_duration_or_dose_is_finite_and_bounded_or_a_located_error(number: str, unit: str) -> None:
    field = "dose" if "mg" in unit else "duration"
    text = MINIMAL.replace("n: 10", f"n: 10\n    {field}: {number} {unit}")
    try:
        catalogue = parse_catalogue(text.encode(), "f.yaml")
    except CatalogueInvalid as exc:
        assert all(p.field == field and p.line == 13 for p in exc.problems), [str(p) for p in exc.problems]
        return
    study = catalogue.studies[0]
    if field == "dose":
        assert study.dose is not None
        values = [v for v in (study.dose.mg_per_day, study.dose.mg_per_dose) if v is not None]
    else:
        assert study.duration is not None
        values = [study.duration.days]
    assert values and all(math.isfinite(v) and 0 < v <= (1000 if field == "dose" else 36525) for v in values)


@pytest.mark.parametrize(("value", "message"), [
    ("99999 years", "longer than the 100 years allowed"),
    ("999999999 weeks", "longer than the 100 years allowed"),
    ("9999999999 days", "cannot read duration"),
])  # fmt: skip
def test_an_absurd_duration_is_refused(value: str, message: str) -> None:
    problems = problems_of(MINIMAL.replace("n: 10", f"n: 10\n    duration: {value}"))
    assert any(message in p for p in problems), problems


def test_infinity_and_nan_never_reach_json(write_catalogue: Callable[[str], Path], runner: CliRunner) -> None:
    for value in ("1e400 weeks", ".inf", "nan days", "99999999999999999999 weeks"):
        path = write_catalogue(MINIMAL.replace("n: 10", f"n: 10\n    duration: {value}"))
        for view in (["list", "-f", "json"], ["summary", "-f", "json"], ["show", "good-study", "-f", "json"]):
            result = runner.invoke(app, ["--no-cache", "--data", str(path), *view])
            assert result.exit_code == 1, (value, view)
            assert "Infinity" not in result.stdout and "NaN" not in result.stdout
            assert "Traceback" not in result.stderr


# --- class 6 ---------------------------------------------------------------------------------


def test_one_seed_listed_as_two_documents_is_a_validation_error(
    write_catalogue: Callable[[str], Path], runner: CliRunner
) -> None:
    second = "  - seed: a.txt\n    kind: other\n    sources:\n      - {seed: a.txt, quote: A randomized trial}\n"
    twice = MINIMAL.replace("studies:\n", second + "studies:\n")
    problems = problems_of(twice)
    assert problems == ["f.yaml:7: a.txt: seed: document listed twice (first on line 2); list each seed once"]
    path = write_catalogue(twice)
    result = runner.invoke(app, ["--no-cache", "--data", str(path), "validate"])
    assert result.exit_code == 1
    assert "document listed twice" in result.stdout
    export = runner.invoke(app, ["--no-cache", "--data", str(path), "export", str(path.parent / "x.db")])
    assert export.exit_code == 1 and "Traceback" not in export.stderr


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(["a.txt", "b.txt", "c.txt"]), min_size=1, max_size=6))
def test_every_repeated_document_is_reported(seeds: list[str]) -> None:
    documents = "".join(f"  - {{seed: {s}, kind: news, sources: [{{seed: {s}, quote: q}}]}}\n" for s in seeds)
    text = "documents:\n" + documents + "studies: []\n"
    repeats = len(seeds) - len(set(seeds))
    if not repeats:
        parse_catalogue(text.encode(), "f.yaml")
        return
    problems = problems_of(text)
    assert len([p for p in problems if "document listed twice" in p]) == repeats


@pytest.mark.parametrize("ahead", [1, 2, 50])
def test_a_study_year_in_the_future_is_refused_as_a_date_is(ahead: int) -> None:
    year = datetime.date.today().year + ahead
    problems = problems_of(MINIMAL.replace("    n: 10\n", f"    n: 10\n    year: {year}\n"))
    assert any(f"year: {year} is in the future" in p for p in problems), problems


def test_this_year_is_still_a_year() -> None:
    year = datetime.date.today().year
    parse_catalogue(MINIMAL.replace("    n: 10\n", f"    n: 10\n    year: {year}\n").encode(), "f.yaml")


def test_a_wrong_document_date_is_one_problem_not_one_per_citing_study() -> None:
    problems = problems_of(with_document_date("2019-02-30"))
    assert len(problems) == 1, problems
    assert "is not a date on the calendar" in problems[0]
