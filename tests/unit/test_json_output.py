"""Long JSON lists are written by orjson; they must be the standard encoder's text, byte for byte."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from ldn_evidence import formats, records
from ldn_evidence.loader import load, shipped_catalogue

# A study record's only floats are its two derived numbers; everything else is text, whole
# numbers, booleans, null, and lists and mappings of them.
_scalars = st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.text()
_values = st.recursive(
    _scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4), max_leaves=20
)


def _standard(data: Any) -> bytes:
    """The standard encoder's text, C1 controls escaped (as `formats.to_json` writes them for terminals)."""
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    return "".join(f"\\u{ord(c):04x}" if "\x80" <= c <= "\x9f" else c for c in text).encode("utf-8")


_texts = st.text() | st.sampled_from(["", "café", "a\u2028b", "\x00\x1f\x7f", '\\"', "\ud800"])
_floats = st.none() | st.floats(allow_nan=False, allow_infinity=False) | st.sampled_from([0.0, -0.0, 1e-4, 1e16])


@settings(max_examples=300)
@given(st.fixed_dictionaries(
    {"id": _texts, "title": _texts, "n": st.none() | st.integers(-(2**70), 2**70), "duration_days": _floats,
     "dose_mg": _floats, "nested": _values},
))  # fmt: skip
def test_a_record_written_by_orjson_is_the_standard_encoders_text(record: dict[str, Any]) -> None:
    written = formats._orjson_bytes(record)
    try:
        assert written == _standard(record)
    except UnicodeEncodeError:  # a lone surrogate: written as the same JSON value in ASCII instead
        assert written.isascii()
        assert json.loads(written) == json.loads(json.dumps(record))


def test_a_list_written_a_study_at_a_time_is_the_whole_list_indented() -> None:
    studies = load(shipped_catalogue()).studies
    many = [study for _ in range(10) for study in studies]  # past the point where orjson takes over
    for chosen in (many, studies, studies[:1], []):
        expected = _standard([records.study_record(s) for s in chosen])
        assert b"".join(formats.studies_json_chunks(chosen)) == expected
        assert formats.studies_json(chosen) == expected.decode("utf-8")


def test_what_utf8_cannot_hold_is_escaped_not_lost() -> None:
    data = {"text": "a \ud800 b", "big": 2**70, "word": "café"}
    written = formats.json_bytes(data)
    assert written.isascii()
    assert json.loads(written) == data
