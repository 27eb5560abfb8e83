"""Text that attacks the terminal or the renderer: shown literally everywhere, kept exactly in data."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ldn_evidence.cli import app
from ldn_evidence.text import from_spreadsheet_safe

from conftest import catalogue_text, study_yaml

ATTACKS = st.sampled_from([
    "[bold red]x[/bold red]", "[link=https://example.invalid]click[/link]", "[/]", "[", "\\[escaped]",
    "\x1b[2J", "\x1b]0;title\x07", "\x1b]8;;https://example.invalid\x1b\\link\x1b]8;;\x1b\\", "\x9b31m",
    "\x07", "\x08\x08", "\r", "\u202e", "\x7f", ":smile:", "<script>", "| pipe |", "`tick`",
])  # fmt: skip
TEXT = (
    st.lists(st.one_of(ATTACKS, st.text(max_size=5)), min_size=1, max_size=4)
    .map("".join)
    .filter(lambda s: s.strip() != "" and "\x00" not in s)  # NUL is refused by the loader
)
CONTROL = {chr(c) for c in range(0x20) if c not in (0x0A,)} | {chr(c) for c in range(0x7F, 0xA0)} | {"\u202e"}

VIEWS = [
    ["list", "--format", "table"],
    ["list"],
    ["list", "--format", "markdown"],
    ["show", "evil"],
    ["show", "evil", "--format", "markdown"],
    ["summary"],
    ["safety"],
    ["sources"],
    ["sources", "a.txt"],
]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(TEXT)
@example("0\x85")  # NEL: a line break to YAML, a C1 control to a terminal
def test_no_view_passes_markup_or_control_characters(write_catalogue: Callable[[str], Path], text: str) -> None:
    path = write_catalogue(catalogue_text(study_yaml(
        "evil", title=text, notes=text, population=text, outcome=text, tolerability=text,
        adverse_events=[{"event": text, "share": text}], findings=[{"measure": "pain", "effect": "benefit",
                                                                    "detail": text}],
    )))  # fmt: skip
    runner = CliRunner()
    for view in VIEWS:
        result = runner.invoke(app, ["--no-cache", "--data", str(path), *view], env={"COLUMNS": "200"})
        assert result.exit_code == 0, (view, result.stderr)
        shown = result.stdout.replace("\r\n", "\n")
        # Tabs separate TSV cells; a tab inside a value is escaped like every other control character.
        assert not set(shown) & (CONTROL - {"\t"}), (view, repr(shown))
        assert not (set(result.stderr) & CONTROL), (view, repr(result.stderr))
    data = json.loads(runner.invoke(app, ["--no-cache", "--data", str(path), "list", "--format", "json"]).stdout)
    assert data[0]["title"] == text and data[0]["notes"] == text
    assert data[0]["adverse_events"][0]["event"] == text
    raw = runner.invoke(app, ["--no-cache", "--data", str(path), "list", "--format", "csv"]).stdout_bytes
    (row,) = csv.DictReader(io.StringIO(raw.decode("utf-8"), newline=""))
    # CSV guards cells a spreadsheet would run; removing the one leading apostrophe gives the text back.
    assert from_spreadsheet_safe(row["title"]) == text and from_spreadsheet_safe(row["notes"]) == text


def test_the_text_view_shows_markup_as_written(write_catalogue: Callable[[str], Path]) -> None:
    text = "[bold red]x[/bold red] [link=https://example.invalid]click[/link] :smile:"
    path = write_catalogue(catalogue_text(study_yaml("evil", title=text, notes=text)))
    result = CliRunner().invoke(app, ["--no-cache", "--data", str(path), "show", "evil"], env={"COLUMNS": "200"})
    assert result.stdout.count(text) == 2


def test_markdown_escapes_markup_so_it_renders_as_written(write_catalogue: Callable[[str], Path]) -> None:
    text = "[bold red]red[/] [link=http://x]x[/link] <b>*a*_b_</b>"
    path = write_catalogue(catalogue_text(study_yaml("evil", title=text)))
    result = CliRunner().invoke(app, ["--no-cache", "--data", str(path), "show", "evil", "--format", "markdown"])
    assert result.stdout.startswith(
        "# \\[bold red\\]red\\[/\\] \\[link=http\\://x\\]x\\[/link\\] \\<b\\>\\*a\\*\\_b\\_\\</b\\>\n"
    )
