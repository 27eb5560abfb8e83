"""A large value's JSON is indented by orjson only where that gives the standard library's bytes."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest

from ldn_evidence import formats


def _standard(data: Any) -> bytes:
    try:
        return formats.to_json(data).encode("utf-8")
    except UnicodeEncodeError:
        return (json.dumps(data, indent=2) + "\n").encode("ascii")


def _large(value: Any) -> dict[str, Any]:
    """`value` inside a value whose compact JSON is past `ORJSON_BYTES`."""
    filler = [{"id": f"study-{i}", "n": i, "share": i / 7, "empty": [], "none": {}, "text": "é ☃"} for i in range(3000)]
    return {"filler": filler, "value": value}


@pytest.mark.parametrize(
    "value",
    [
        "plain", 0.5, 1e-5, 1e16, 1.5e300, 12345678901234567.0, -0.0, 2**64, {1: "int key"}, {"nested": [[], {}]},
        "\ud800 lone surrogate", True, None, ("a", "tuple"),
    ],
)  # fmt: skip
def test_large_values_are_written_as_the_standard_library_writes_them(value: Any) -> None:
    data = _large(value)
    assert len(json.dumps(data, separators=(",", ":"))) > formats.ORJSON_BYTES
    assert formats.json_bytes(data) == _standard(data)


def test_a_large_value_is_indented_by_orjson_when_it_agrees() -> None:
    data = _large("plain")
    assert formats._orjson_indented(data) == _standard(data)
    assert formats._orjson_indented(_large(1e-5)) is None  # Python writes 1e-05
    assert formats._orjson_indented({"small": 1}) is None


def test_nan_is_refused_as_before() -> None:
    with pytest.raises(ValueError, match="Out of range float values are not JSON compliant"):
        formats.json_bytes(_large(math.nan))
