"""Files that are not a catalogue at all: binary, empty, other encodings, a BOM, JSON, several documents."""

from __future__ import annotations

import json
import re

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from ldn_evidence.errors import CatalogueInvalid
from ldn_evidence.loader import parse_catalogue

from conftest import MINIMAL

LOCATED = re.compile(r"^f\.yaml(:\d+(:\d+)?)?: .+")


def outcome(raw: bytes) -> list[str] | None:
    """None if the bytes are a valid catalogue, else every problem; any other exception fails the test."""
    try:
        parse_catalogue(raw, "f.yaml")
    except CatalogueInvalid as exc:
        problems = [str(p) for p in exc.problems]
        assert problems, "an invalid catalogue must say why"
        assert all(LOCATED.match(p) for p in problems), problems
        return problems
    return None


@settings(max_examples=200, deadline=None)
@given(st.binary(min_size=1, max_size=2000))
def test_any_bytes_give_a_catalogue_or_located_problems(raw: bytes) -> None:
    outcome(raw)


@settings(max_examples=100, deadline=None)
@given(st.binary(min_size=1, max_size=200).filter(lambda b: b"\x00" in b))
def test_binary_with_nul_bytes_is_refused_as_binary(raw: bytes) -> None:
    problems = outcome(MINIMAL.encode() + raw)
    assert problems is not None
    assert any("NUL bytes" in p or "UTF-16" in p for p in problems)


@pytest.mark.parametrize("raw", [b"", b" ", b"\n\n", b"\t \n", b"\xef\xbb\xbf"])
def test_an_empty_file_is_refused(raw: bytes) -> None:
    assert outcome(raw) == ["f.yaml:1: the file is empty; a catalogue needs a 'studies' list"]


def _not_utf8(word: str) -> bool:
    try:
        word.encode("latin-1").decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False  # these bytes read as UTF-8 too ("Â\xa0" is a no-break space): nothing to refuse


@settings(max_examples=100, deadline=None)
@given(
    st.text(alphabet=st.characters(min_codepoint=0xA0, max_codepoint=0xFF), min_size=1, max_size=20).filter(_not_utf8)
)
def test_latin_1_text_is_refused_with_its_line(word: str) -> None:
    text = MINIMAL.replace("title: A study", f"title: A study {word}")
    problems = outcome(text.encode("latin-1"))
    assert problems is not None
    assert problems[0].startswith("f.yaml:9:")
    assert "is not UTF-8 (Latin-1?)" in problems[0]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf_16_and_32_are_refused(encoding: str) -> None:
    problems = outcome(MINIMAL.encode(encoding))
    assert problems is not None
    assert "UTF-16" in problems[0] or "NUL bytes" in problems[0]


def test_a_utf8_byte_order_mark_is_accepted() -> None:
    assert outcome(b"\xef\xbb\xbf" + MINIMAL.encode()) is None


@settings(max_examples=50, deadline=None)
@given(st.integers(min_value=0, max_value=4))
def test_json_is_accepted_in_any_layout(indent: int) -> None:
    data = yaml.safe_load(MINIMAL)
    assert outcome(json.dumps(data, indent=indent or None, ensure_ascii=bool(indent % 2)).encode()) is None


@pytest.mark.parametrize("separator", ["---\n", "...\n---\n", "--- \n"])
def test_several_documents_are_refused(separator: str) -> None:
    problems = outcome((MINIMAL + separator + MINIMAL).encode())
    assert problems is not None
    assert any("more than one YAML document" in p for p in problems)


def test_a_leading_document_marker_alone_is_fine() -> None:
    assert outcome(("---\n" + MINIMAL).encode()) is None
