"""A value the user types is echoed on one line; characters that draw as nothing are shown as escapes."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ldn_evidence.cli import app
from ldn_evidence.text import visible


def error_of(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code in (1, 2), result.output
    return result.stderr


@pytest.mark.parametrize(
    "args",
    [["show", "zz\nforged"], ["list", "--design", "x\ny"], ["sources", "00\nforged"], ["show", "zz\rforged"]],
)
def test_a_line_break_in_a_typed_value_is_escaped_in_the_error(args: list[str]) -> None:
    stderr = error_of(*args)
    assert stderr.count("\n") == 1 and "\r" not in stderr, stderr
    assert "forged" not in stderr or "\\nforged" in stderr or "\\rforged" in stderr


@settings(max_examples=50, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), min_size=1, max_size=12))
def test_an_unknown_id_is_one_error_line_whatever_it_holds(wanted: str) -> None:
    result = CliRunner().invoke(app, ["show", "zz" + wanted])
    assert result.exit_code in (1, 2)
    assert result.stderr.count("\n") == 1, result.stderr


DEFAULT_IGNORABLE = [
    "\u115f", "\u1160", "\u3164", "\uffa0", "\u180b", "\u180f", "\u2060", "\u2065", "\u206f",
    "\ufe00", "\ufe0f", "\U000e0100", "\U000e01ef",
]  # fmt: skip


@pytest.mark.parametrize("char", DEFAULT_IGNORABLE)
def test_default_ignorable_code_points_are_escaped(char: str) -> None:
    assert char not in visible(f"a{char}b")
    assert f"\\u{ord(char):04x}" in visible(char) or f"\\U{ord(char):08x}" in visible(char)


def test_a_filler_in_a_record_reaches_show_as_an_escape(tmp_path: object) -> None:
    from pathlib import Path

    from conftest import MINIMAL

    path = Path(str(tmp_path)) / "f.yaml"
    path.write_text(MINIMAL.replace("title: ", "title: A\u3164B\ufe0f "), encoding="utf-8")
    result = CliRunner().invoke(app, ["--data", str(path), "--no-cache", "show", "good-study"])
    assert result.exit_code == 0, result.output
    assert "\u3164" not in result.stdout and "\ufe0f" not in result.stdout
    assert "\\u3164" in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["show", "1" * 5_000],
        ["show", "ms-" + "x" * 5_000],
        ["cite", "1" * 5_000],
        ["sources", "0" * 5_000],
        ["list", "--condition", "c" * 5_000],
        ["show", "z\n" * 2_500],
    ],
)
def test_a_very_long_typed_value_is_echoed_cut_short_with_its_length(args: list[str]) -> None:
    from ldn_evidence.errors import TYPED_SHOWN

    stderr = error_of(*args)
    assert f"... ({len(args[-1]):,} characters)" in stderr, stderr
    assert stderr.count("\n") == 1
    assert len(stderr) < 4 * TYPED_SHOWN + 400  # the value shown (escapes at most 4 characters each) and the message


def test_json_never_writes_a_c1_control_raw(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """U+0080 to U+009F (U+009B is a control sequence introducer to some terminals) are escaped in JSON, as
    the C0 controls are, and the JSON reads back the same text."""
    import json

    from ldn_evidence.formats import json_bytes, to_json

    article = tmp_path / "a.txt"
    article.write_text("LDN \x9b31m cures MS \x85 in the UCSF trial.\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["--no-cache", "claims", "--format", "json", str(article)])
    assert result.exit_code == 0, result.stderr
    assert not any("\x80" <= c <= "\x9f" for c in result.stdout)
    assert "\\u009b31m cures" in result.stdout
    value = {"a": "x\x9by\x85\u00e9", "many": ["\x9b" * 50] * 10_000}  # the second large enough for orjson
    for written in (to_json(value).encode("utf-8"), json_bytes(value)):
        assert b"\xc2\x9b" not in written and b"\xc2\x85" not in written and json.loads(written) == value
