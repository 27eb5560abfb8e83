"""Values that PyYAML would turn into something else, or fail on outside YAMLError."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ldn_evidence.loader import parse_catalogue

from conftest import MINIMAL, problems_of

DATES = st.builds(
    lambda y, m, d: f"{y:04d}-{m:02d}-{d:02d}",
    st.integers(1000, 9999), st.integers(0, 99), st.integers(0, 99),
)  # fmt: skip


@settings(max_examples=100, deadline=None)
@given(DATES, st.sampled_from(["title", "outcome", "notes", "population"]))
def test_an_unquoted_date_possible_or_not_is_a_located_quote_it(date: str, field: str) -> None:
    text = MINIMAL.replace("    title: A study", f"    title: A study\n    {field}: {date}" if field != "title"
                           else f"    title: {date}")  # fmt: skip
    if field != "title":
        text = text.replace("    outcome: Something.\n", "") if field == "outcome" else text
    problems = problems_of(text)
    assert any(f"{field}: {date} reads as a date in YAML, not text; quote it" in p for p in problems), problems


@pytest.mark.parametrize("value", [".nan", ".NaN", ".inf", "-.inf", "+.INF", "1e3", "1.5e3", "0x1F", "0o17",
                                   "0b101", "1_000", "1:30", "190:20:30", "012", "-5", "+0", "yes"])  # fmt: skip
def test_a_number_field_takes_only_a_plain_whole_number(value: str) -> None:
    problems = problems_of(MINIMAL.replace("n: 10", f"n: {value}"))
    assert any(p.startswith("f.yaml:12: good-study: n: ") for p in problems), problems


@pytest.mark.parametrize("value", ["~", ""])
def test_an_empty_number_is_null(value: str) -> None:
    catalogue = parse_catalogue(MINIMAL.replace("n: 10", f"n: {value}").encode(), "f.yaml")
    assert catalogue.studies[0].n is None


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=0, max_value=0x1F).filter(lambda c: c not in (0x09, 0x0A, 0x0D)))
def test_a_raw_control_character_is_a_located_problem(code: int) -> None:
    text = MINIMAL.replace("title: A study", f"title: A {chr(code)}study")
    problems = problems_of(text)
    assert any(p.startswith("f.yaml:9") for p in problems), problems


@settings(max_examples=50, deadline=None)
@given(st.sampled_from(["\\e[31m", "\\x1b]0;x\\x07", "\\x9b", "\\u202e"]))
def test_escaped_control_characters_load_exactly(escape: str) -> None:
    text = MINIMAL.replace("title: A study", f'title: "A {escape} study"')
    title = parse_catalogue(text.encode(), "f.yaml").studies[0].title
    import json

    assert title == "A " + json.loads('"' + escape.replace("\\e", "\\u001b").replace("\\x", "\\u00") + '"') + " study"
