"""Every view on a real pseudo-terminal at 40, 60, 80, 100 and 120 columns.

No line is wider than the terminal, and every word shown is a whole word of the same
view drawn 400 columns wide: a fragment of a split or cut word fails. The layout's own
note about columns it left out is the only text a wide rendering does not have.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from rich.cells import cell_len
from test_output_faults import _on_a_terminal

from test_installed import ldn

pytestmark = pytest.mark.installed

VIEWS = [
    ["list"],
    ["show", "milan"],
    ["summary"],
    ["summary", "--by", "condition"],
    ["safety"],
    ["sources"],
    ["sources", "003"],
]
WIDTHS = [40, 60, 80, 100, 120]
_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")
_WORD = re.compile(r"[^\s│─╭╮╰╯]+")
_PUNCTUATION = ".,;:()“”\"'"
NOTE = "Left out for the width: and (--wide, a wider window or --format tsv shows them)."


def screen_lines(screen: str) -> list[str]:
    """What a person sees, line by line: escape codes gone, line ends as a terminal sends them."""
    return _ESCAPE.sub("", screen).replace("\r\n", "\n").split("\n")


def words(text: str) -> set[str]:
    """The words of a screen without the punctuation around them; a chart's bars are not words."""
    found = (word.strip(_PUNCTUATION) for word in _WORD.findall(text))
    return {word for word in found if word and not set(word) <= {"█"}}


@pytest.fixture(scope="module")
def drawn(installed: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, int], list[str]]:
    """Each view's lines at each width, and 400 columns wide."""
    folder = tmp_path_factory.mktemp("widths")
    screens = {}
    for view in VIEWS:
        for width in [*WIDTHS, 400]:
            code, screen = _on_a_terminal(installed, folder, view, width, {})
            assert code == 0, (view, width, screen[-500:])
            screens[(" ".join(view), width)] = screen_lines(screen)
    return screens


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("view", [" ".join(v) for v in VIEWS])
def test_no_line_is_wider_than_the_terminal(drawn: dict[tuple[str, int], list[str]], view: str, width: int) -> None:
    lines = drawn[(view, width)]
    assert any(line.strip() for line in lines), "the view printed nothing"
    too_wide = [line for line in lines if cell_len(line) > width]
    assert not too_wide, too_wide[:3]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("view", [" ".join(v) for v in VIEWS])
def test_every_word_shown_is_whole(drawn: dict[tuple[str, int], list[str]], view: str, width: int) -> None:
    whole = words("\n".join(drawn[(view, 400)])) | words(NOTE)
    shown = words("\n".join(drawn[(view, width)]))
    # A word longer than a line (a long web address) cannot be whole; only its pieces are forgiven.
    too_long = [word for word in whole if len(word) > width - 4]
    broken = {word for word in shown - whole if not any(word in long for long in too_long)}
    assert not broken, sorted(broken)[:20]
    assert not [word for word in shown if word.endswith("…")]


def _stacked_blocks(ids: list[str], lines: list[str], width: int) -> None:
    """Each id heads its block, whole when it fits the line, else folded over the lines above its fields."""
    for ident in ids:
        if len(ident) <= width - 3:  # room for the id and its marks
            at = next(i for i, line in enumerate(lines) if line.split()[:1] == [ident] and len(line.split()) <= 3)
        else:
            pieces = [ident[i : i + width] for i in range(0, len(ident), width)]
            at = next(
                i + len(pieces) - 1
                for i, line in enumerate(lines)
                if [lines[i + k].strip().split(" ")[0] for k in range(len(pieces)) if i + k < len(lines)] == pieces
            )
        block = lines[at : lines.index("", at)]  # a wrapped dose may take more than one line
        assert block[1].split()[0] == "year:" and any(line.split()[:1] == ["effect:"] for line in block), ident


def test_at_40_columns_list_shows_every_id_with_its_fields(
    installed: Path, tmp_path: Path, drawn: dict[tuple[str, int], list[str]]
) -> None:
    ids = [record["id"] for record in json.loads(ldn(installed, "list", "--format", "json", cwd=tmp_path).stdout)]
    assert any(len(ident) > 40 for ident in ids) and any(len(ident) <= 37 for ident in ids)
    # The id (and its marks: the articles differ from the paper; a commercial source only) heads its block.
    _stacked_blocks(ids, [line.rstrip() for line in drawn[("list", 40)]], 40)


def test_at_80_columns_list_is_a_table_when_its_key_columns_fit(installed: Path, tmp_path: Path) -> None:
    # The studies the articles retell have short ids: a table, which names what it left out.
    code, screen = _on_a_terminal(installed, tmp_path, ["list", "--retold"], 80, {})
    assert code == 0
    lines = screen_lines(screen)
    assert max(cell_len(line) for line in lines) <= 80
    text = "\n".join(lines)
    header = next(line for line in lines if line.startswith("id "))
    # The effect is kept whole ("benefit (mention)"), so lower-priority columns make room for it.
    assert header.split()[0] == "id" and {"design", "n", "effect"} <= set(header.split())
    assert "benefit (mention)" in text and "none (hypothesis)" in text
    assert "Left out for the width:" in text and "--wide" in text


def test_at_80_columns_ids_too_long_for_a_table_stack_whole(
    installed: Path, tmp_path: Path, drawn: dict[tuple[str, int], list[str]]
) -> None:
    records = json.loads(ldn(installed, "list", "--format", "json", cwd=tmp_path).stdout)
    lines = [line.rstrip() for line in drawn[("list", 80)]]
    _stacked_blocks([record["id"] for record in records], lines, 80)
    # A study no article retells shows its paper's values, marked, and never the articles' "none (hypothesis)".
    for record in records:
        if not record["retold"]:
            at = next(i for i, line in enumerate(lines) if line.split()[:1] == [record["id"]])
            block = lines[at : lines.index("", at)]
            assert "effect: not retold" in [" ".join(line.split()) for line in block], record["id"]
            assert "none (hypothesis)" not in "\n".join(block)


def test_nonsense_columns_draw_at_80(installed: Path, tmp_path: Path) -> None:
    for columns in ("0", "-5", "99999999", "abc", ""):
        result = ldn(installed, "sources", cwd=tmp_path, env={"COLUMNS": columns, "NO_COLOR": "1"})
        assert result.returncode == 0
        lines = result.stdout.splitlines()
        assert lines and max(cell_len(line) for line in lines) <= (80 if columns else 120), columns
        assert "000_ba81afa49e5c64ef.txt" in result.stdout, columns


def test_wide_runs_past_the_terminal_and_leaves_nothing_out(installed: Path, tmp_path: Path) -> None:
    code, screen = _on_a_terminal(installed, tmp_path, ["list", "--wide"], 60, {})
    assert code == 0
    lines = screen_lines(screen)
    header = next(line for line in lines if line.startswith("id "))
    assert header.split() == ["id", "year", "condition", "design", "level", "n", "duration", "dose", "effect"]
    assert "Left out" not in screen


def test_the_colour_legend_shows_only_in_colour(installed: Path, tmp_path: Path) -> None:
    _, coloured = _on_a_terminal(installed, tmp_path, ["summary"], 120, {})
    _, plain = _on_a_terminal(installed, tmp_path, ["summary"], 120, {"NO_COLOR": "1"})
    assert "Colour: benefit" in _ESCAPE.sub("", coloured)
    assert "Colour:" not in plain and "norway-2017" in plain
