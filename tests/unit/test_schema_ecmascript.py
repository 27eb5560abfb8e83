"""Class 10: the schema in its real consumer. Editors run its patterns as ECMAScript regular expressions."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from typing import Any

import pytest
import regress
from hypothesis import given, settings
from hypothesis import strategies as st

from ldn_evidence.errors import CatalogueInvalid
from ldn_evidence.loader import parse_catalogue
from ldn_evidence.schema import catalogue_schema, ecmascript_ignore_case

from conftest import MINIMAL, ROOT


def patterns(schema: Any, where: str = "") -> Iterator[tuple[str, str]]:
    """Every (location, pattern) in a schema."""
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key == "pattern":
                yield where, value
            else:
                yield from patterns(value, f"{where}/{key}")
    elif isinstance(schema, list):
        for i, value in enumerate(schema):
            yield from patterns(value, f"{where}/{i}")


@functools.cache
def _compiled(pattern: str) -> regress.Regex:
    return regress.Regex(pattern)


def ecmascript_accepts(pattern: str, value: str) -> bool:
    """What a JSON Schema validator in JavaScript says: the pattern matches somewhere in the value."""
    return _compiled(pattern).find(value) is not None


def test_an_inline_flag_is_not_ecmascript() -> None:
    with pytest.raises(Exception):  # noqa: B017 - regress raises its own error type
        regress.Regex("(?i)^a")


def test_every_pattern_in_the_schema_file_is_valid_ecmascript() -> None:
    found = list(patterns(json.loads((ROOT / "schema" / "studies.schema.json").read_text(encoding="utf-8"))))
    assert len(found) >= 5
    for where, pattern in found:
        regress.Regex(pattern)  # raises on anything ECMAScript cannot read
        assert "(?" not in pattern.replace("(?:", "").replace("(?!", ""), where  # no inline flags


@functools.cache
def _field(name: str) -> dict[str, Any]:
    studies = catalogue_schema()["properties"]["studies"]["items"]["properties"]
    documents = catalogue_schema()["properties"]["documents"]["items"]["properties"]
    return {**studies, "date": documents["date"]}[name]


def ldn_accepts(field: str, value: str) -> bool:
    """What `ldn validate` says of `value` in `field` of an otherwise good catalogue."""
    quoted = json.dumps(value)
    if field == "date":
        text = MINIMAL.replace("    kind: news\n", f"    kind: news\n    date: {quoted}\n")
    elif field == "id":
        text = MINIMAL.replace("id: good-study", f"id: {quoted}")
    else:
        text = MINIMAL.replace("n: 10", f"n: 10\n    {field}: {quoted}")
    try:
        parse_catalogue(text.encode(), "f.yaml")
    except CatalogueInvalid:
        return False
    return True


# Values the pattern alone decides: each is accepted by both or refused by both.
SHARED = {
    "id": ["norway-2017", "a", "a1-b2", "good-study\n", "Good", "a--b", "-a", "a-", "ａ", "a_b", "", "a b"],
    "date": ["2019", "2019-05", "2019-05-17", "2019-05-17\n", "19-05-17", "２０１９", "2019/05/17", "2019-5",
             "2019-05-17T10:00"],
    "duration": ["8 weeks", "six months", "Six Months", "804 days", "about 12 weeks", "median 3 years", "12-week",
                 "8 weeksé", "8 weeksΩ", "\ufeff8 weeks", "8\ufeffweeks", "8\xa0weeks", "8\x1cweeks",
                 "8 weeks, then", "8 weeks\u2014", "8 weeks_x", "8 weeks1",
                 "forever", "weeks", "8", "٨ weeks", "1.5 years", "1.5.2 years", "UP TO 6 MONTHS"],
    "dose": ["4.5 mg nightly", "4.5 MG", "4.5mg", "five milligrams", "Up to 4.5 mg", "up to 4.5 mg\ntwice daily",
             "mg", "4.5", "lots", "٤ mg", "4.5 mcg", "4.5 mgs",
             "4.5 mgé", "4.5\ufeffmg", "\ufeff4.5 mg", "4.5\xa0mg", "4.5 mg/day", "4.5 mg\u2014daily", "4.5 mgΩ"],
}  # fmt: skip
# Values only the loader can refuse: calendar dates, the future, limits of size.
LOADER_ONLY = {
    "date": ["2019-02-30", "2019-13", "9999-01-01"],
    "duration": ["999999 years"],
    "dose": ["999999 mg daily"],
}


@pytest.mark.parametrize(("field", "value"), [(f, v) for f, values in SHARED.items() for v in values])
def test_the_schema_and_ldn_validate_agree(field: str, value: str) -> None:
    assert ecmascript_accepts(_field(field)["pattern"], value) == ldn_accepts(field, value), (field, value)


@pytest.mark.parametrize(("field", "value"), [(f, v) for f, values in LOADER_ONLY.items() for v in values])
def test_the_loader_is_stricter_than_the_schema_only_where_a_pattern_cannot_tell(field: str, value: str) -> None:
    assert ecmascript_accepts(_field(field)["pattern"], value)
    assert not ldn_accepts(field, value)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["duration", "dose", "id", "date"]), st.data())
def test_the_schema_never_refuses_what_ldn_accepts(field: str, data: st.DataObject) -> None:
    pieces = {
        "duration": ["8", "six", "1.5", " ", "-", "weeks", "months", "days", "about ", "x", "\n", "Weeks"],
        "dose": ["4.5", "five", " ", "mg", "MG", "milligrams", "nightly", "twice daily", "up to ", "\n", "x"],
        "id": ["a", "b", "1", "-", "A", "\n", " "],
        "date": ["2019", "-", "05", "17", "1", "\n", "x"],
    }[field]
    value = "".join(data.draw(st.lists(st.sampled_from(pieces), min_size=1, max_size=6)))
    accepted_by_ldn = ldn_accepts(field, value)
    if accepted_by_ldn:
        assert ecmascript_accepts(_field(field)["pattern"], value), (field, value)
    if field in ("id", "duration", "dose"):
        assert ecmascript_accepts(_field(field)["pattern"], value) == accepted_by_ldn, (field, value)


def test_ignore_case_expansion() -> None:
    assert ecmascript_ignore_case(r"^(mg|x\b)[ab\s-]") == r"^([mM][gG]|[xX]\b)[aAbB\s-]"
    assert ecmascript_ignore_case(r"[\x1c-\x1f\u200a]a") == r"[\x1c-\x1f\u200a][aA]"
    with pytest.raises(ValueError, match="a range of letters"):
        ecmascript_ignore_case("[a-c]")


@pytest.mark.parametrize(
    "value",
    ["10.1371/x", "10.1371/x\ufeff", "10.1371/\u200bx", "10.1371/x y", "10.1002/ana.22006", "10.1/x", "10.1371/é"],
)
def test_the_schema_and_the_loader_agree_on_a_doi(value: str) -> None:
    from ldn_evidence.loader import IDENTIFIERS

    pattern = catalogue_schema()["properties"]["publications"]["items"]["properties"]["doi"]["pattern"]
    assert ecmascript_accepts(pattern, value) == bool(IDENTIFIERS["doi"][0].fullmatch(value)), value
