"""One set of invisible characters: every default-ignorable code point, escaped on terminals, refused where cited.

DEFAULT_IGNORABLE is Unicode's Default_Ignorable_Code_Point property as DerivedCoreProperties.txt
lists it (Unicode 15): the test's own copy, so that the set in the code is checked against it.
"""

from __future__ import annotations

import json
import unicodedata

import pytest
import rispy
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ldn_evidence.cli import app
from ldn_evidence.text import INVISIBLE, invisible, visible

from conftest import catalogue_text, problems_of, study_yaml

DEFAULT_IGNORABLE = [
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160), (0x17B4, 0x17B5),
    (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x206F), (0x3164, 0x3164),
    (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF),
]  # fmt: skip
EVERY_IGNORABLE = [chr(c) for low, high in DEFAULT_IGNORABLE for c in range(low, high + 1)]
#: The ones the last attack passed through, and the blank-looking characters that are neither whitespace nor
#: default-ignorable (the braille pattern blank, the musical null notehead).
NAMED = ["\u034f", "\u17b4", "\u17b5", "\ufff0", "\ufff8", "\U000e0000", "\U000e0041", "\U000e007f", "\u2800",
         "\U0001d159"]  # fmt: skip


def test_every_default_ignorable_code_point_is_in_the_one_set() -> None:
    missed = [f"U+{ord(c):04X}" for c in EVERY_IGNORABLE if not INVISIBLE.fullmatch(c)]
    assert missed == []


def test_every_control_and_format_character_is_in_the_set() -> None:
    kinds = ("Cc", "Cf", "Zl", "Zp")
    chars = (chr(code) for code in range(0x110000))
    missed = [f"U+{ord(c):04X}" for c in chars if unicodedata.category(c) in kinds and c not in "\t\n\r"
              and not invisible(c)]  # fmt: skip
    assert missed == []


@settings(max_examples=500, deadline=None)
@given(st.text(st.characters(categories=["L", "M", "N", "P", "S", "Zs"]), max_size=40))
def test_visible_text_is_left_alone_and_escapes_are_visible(text: str) -> None:
    kept = "".join(c for c in text if not INVISIBLE.fullmatch(c))  # the Mn and Lo among the ignorables
    assert visible(kept) == kept
    shown = visible(text + "".join(NAMED))
    assert INVISIBLE.search(shown) is None
    assert all(f"{ord(c):04x}" in shown for c in NAMED)


@pytest.mark.parametrize("char", NAMED, ids=lambda c: f"U+{ord(c):04X}")
def test_an_invisible_character_is_refused_in_cited_text_and_identifiers(char: str) -> None:
    publication = (
        "publications:\n  - id: p-2010\n    study: [s]\n"
        f"    title: {json.dumps('A' + char + 'trial', ensure_ascii=False)}\n"
        f"    authors: {json.dumps('Cree' + char + ' BAC', ensure_ascii=False)}\n"
    )
    problems = problems_of(catalogue_text(study_yaml("s")) + publication)
    escaped = visible(char)
    assert any("title: holds an invisible or control character" in p and escaped in p for p in problems), problems
    assert any("authors: holds an invisible or control character" in p for p in problems), problems
    assert any("id" in p for p in problems_of(catalogue_text(study_yaml("s" + char))))


@pytest.mark.parametrize("char", NAMED, ids=lambda c: f"U+{ord(c):04X}")
def test_show_escapes_an_invisible_character(runner: CliRunner, write_catalogue, char: str) -> None:  # type: ignore[no-untyped-def]
    path = write_catalogue(catalogue_text(study_yaml("s", title=f"A{char}trial")))
    result = runner.invoke(app, ["--no-cache", "--data", str(path), "show", "s", "--format", "text"])
    assert result.exit_code == 0, result.stderr
    assert char not in result.stdout
    assert visible(char) in result.stdout


def test_ris_never_carries_an_invisible_character() -> None:
    from dataclasses import replace

    from ldn_evidence.citations import ris
    from ldn_evidence.loader import load

    from conftest import SHIPPED

    paper = load(SHIPPED).publications[0]
    for char in NAMED:
        with pytest.raises(ValueError, match="invisible"):
            ris([replace(paper, title=f"A{char}trial")])
    assert all(not INVISIBLE.search(str(value)) for value in rispy.loads(ris([paper]))[0].values())


def test_the_set_names_no_visible_letter() -> None:
    """Every character in the set is a control, format, separator, unassigned, a default-ignorable mark or filler,
    or a blank-looking symbol (`BLANK`)."""
    from ldn_evidence.text import BLANK

    ignorable = set(EVERY_IGNORABLE) | set(BLANK)
    for code in range(0x110000):
        char = chr(code)
        if INVISIBLE.fullmatch(char):
            kind = unicodedata.category(char)
            assert kind in ("Cc", "Cf", "Cn", "Zl", "Zp") or char in ignorable, f"U+{code:04X} {kind}"


@pytest.mark.parametrize("char", NAMED, ids=lambda c: f"U+{ord(c):04X}")
def test_a_file_name_in_a_message_escapes_the_same_set(char: str) -> None:
    from ldn_evidence.paths import escaped

    assert escaped(f"a{char}b.yaml") == f"a{visible(char)}b.yaml"
    assert escaped("café.yaml") == "café.yaml"


def test_a_blank_is_kept_for_matching_where_other_invisible_characters_are_removed() -> None:
    from ldn_evidence.text import BLANK, without_invisible

    for char in BLANK:
        assert INVISIBLE.fullmatch(char) and not char.isspace()
        assert without_invisible(f"cu{char}res\u200b") == f"cu{char}res"
