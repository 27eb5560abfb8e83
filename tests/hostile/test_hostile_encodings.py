"""Class 8: data formats keep every character whatever the locale; class 9: Markdown and invisible characters."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from marko.ext.gfm import gfm
from typer.testing import CliRunner

from ldn_evidence.cli import app
from ldn_evidence.text import markdown_text, visible

from conftest import ROOT, catalogue_text, study_yaml

TITLE = "Café naïve — 低剂量 ☃ 𝔏"

DATA_VIEWS = [
    ["list", "--format", "json"], ["list", "--format", "jsonl"], ["list", "--format", "csv"],
    ["list", "--format", "tsv"], ["list", "--format", "markdown"], ["show", "intl", "--format", "json"],
    ["show", "intl", "--format", "markdown"], ["summary", "--format", "json"],
]  # fmt: skip


@pytest.mark.parametrize("encoding", ["ascii", "latin-1", "cp1252"])
@pytest.mark.parametrize("view", DATA_VIEWS, ids=" ".join)
def test_data_formats_are_utf8_whatever_the_locale(
    write_catalogue: Callable[[str], Path], encoding: str, view: list[str]
) -> None:
    path = write_catalogue(catalogue_text(study_yaml("intl", title=TITLE, dose=f"4.5 mg {TITLE}")))
    result = subprocess.run(
        [sys.executable, "-m", "ldn_evidence", "--no-cache", "--data", str(path), *view],
        capture_output=True, timeout=60, cwd=ROOT,
        env={**os.environ, "PYTHONIOENCODING": encoding, "LC_ALL": "C", "PYTHONUTF8": "0"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    text = result.stdout.decode("utf-8")  # never anything else
    assert TITLE in text, text
    assert "?" not in text


def test_a_terminal_view_may_substitute_but_still_exits_cleanly(write_catalogue: Callable[[str], Path]) -> None:
    path = write_catalogue(catalogue_text(study_yaml("intl", title=TITLE)))
    result = subprocess.run(
        [sys.executable, "-m", "ldn_evidence", "--no-cache", "--data", str(path), "show", "intl"],
        capture_output=True, timeout=60, cwd=ROOT, env={**os.environ, "PYTHONIOENCODING": "ascii"},
    )  # fmt: skip
    assert result.returncode == 0
    assert b"Caf" in result.stdout


# --- class 9 ---------------------------------------------------------------------------------------

INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u2060", "\ufeff", "\u00ad", "\u061c",
             "\u2066", "\u2069", "\u202e", "\u2028", "\u2029", "\U000e0041", "\U000e0001", "\U000e007f"]  # fmt: skip


@pytest.mark.parametrize("char", INVISIBLE, ids=lambda c: f"U+{ord(c):04X}")
def test_invisible_characters_are_escapes_on_a_terminal(
    write_catalogue: Callable[[str], Path], runner: CliRunner, char: str
) -> None:
    title = f"pay{char}pal"
    path = write_catalogue(catalogue_text(study_yaml("hidden", title=title, notes=title)))
    code = ord(char)
    escape = f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
    for view in (["show", "hidden"], ["list", "--format", "tsv"], ["list", "--format", "table"],
                 ["show", "hidden", "--format", "markdown"]):  # fmt: skip
        result = runner.invoke(app, ["--no-cache", "--data", str(path), *view], env={"COLUMNS": "200"})
        assert result.exit_code == 0
        assert char not in result.stdout, view
    shown = runner.invoke(app, ["--no-cache", "--data", str(path), "show", "hidden"], env={"COLUMNS": "200"})
    assert f"pay{escape}pal" in shown.stdout
    data = runner.invoke(app, ["--no-cache", "--data", str(path), "list", "--format", "json"]).stdout
    assert json.loads(data)[0]["title"] == title  # data formats keep the exact text


HOSTILE_MD = st.sampled_from([
    "https://evil.example/x", "http://a.b", "www.evil.example", "WWW.Evil.Example/path", "a@b.example",
    "mailto:a@b.example", "~~struck~~", "~one~", "*em*", "_em_", "**strong**", "`code`", "<b>x</b>",
    "<https://a.b>", "[x](https://a.b)", "![i](https://a.b/i.png)", "&amp;", "&#x41;", "# heading", "- item",
    "1. item", "12) item", "+ item", "> quote", "===", "---", "| a | b |", "\\*", "[ref]: https://a.b",
    "    indented code", "\tindented code", "<!-- comment -->",
])  # fmt: skip
MD_TEXT = st.lists(st.one_of(HOSTILE_MD, st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=6)),
                   min_size=1, max_size=5).map(" ".join)  # fmt: skip
TAGS = re.compile(r"<(?!/?p>)[a-z/][^>]*>")


@settings(max_examples=300, deadline=None)
@given(st.one_of(MD_TEXT, HOSTILE_MD))
def test_markdown_renders_as_the_text_with_no_link_strikethrough_or_markup(text: str) -> None:
    rendered = gfm.convert(markdown_text(text)).strip()
    assert not TAGS.search(rendered), (text, markdown_text(text), rendered)
    inner = rendered.removeprefix("<p>").removesuffix("</p>")
    expected = visible(text).replace("\r", " ").replace("\n", " ")
    assert " ".join(html.unescape(inner).split()) == " ".join(expected.split()), (text, markdown_text(text), rendered)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(HOSTILE_MD)
def test_a_markdown_table_holds_no_link_or_strikethrough(write_catalogue: Callable[[str], Path], text: str) -> None:
    path = write_catalogue(catalogue_text(study_yaml("md", dose="4.5 mg " + text, title=text)))
    runner = CliRunner()
    listed = runner.invoke(app, ["--no-cache", "--data", str(path), "list", "--format", "markdown"]).stdout
    shown = runner.invoke(app, ["--no-cache", "--data", str(path), "show", "md", "--format", "markdown"]).stdout
    for document in (listed, shown):
        rendered = gfm.convert(document)
        assert "<a " not in rendered and "<del>" not in rendered and "<img" not in rendered, rendered


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",))), st.sampled_from(["ascii", "latin-1", "cp1252", "utf-8"]))
def test_data_on_any_stdout_is_the_exact_text_as_utf8(text: str, encoding: str) -> None:
    import io

    from ldn_evidence import commands

    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline="")
    saved = sys.stdout
    sys.stdout = stream
    try:
        commands.out("head\n")
        commands.out(text)
        stream.flush()
    finally:
        sys.stdout = saved
    assert raw.getvalue().decode("utf-8") == "head\n" + text
