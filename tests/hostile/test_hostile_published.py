"""Hostile text in the published layer: shown literally in every view, kept exactly in data."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import bibtexparser
import rispy
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ldn_evidence.cli import app
from ldn_evidence.text import invisible

from conftest import catalogue_text, dump_yaml, study_yaml

ATTACKS = st.sampled_from([
    "[bold red]x[/bold red]", "[link=https://example.invalid]click[/link]", "[/]", "\x1b[2J", "\x1b]0;title\x07",
    "\x9b31m", "\x07", "\r", "\u202e", "\x7f", ":smile:", "<script>", "| pipe |", "}", "{", "@misc{",
    "\nER  - \nTY  - ", "%", "\\", "`tick`",
])  # fmt: skip
TEXT = (
    st.lists(st.one_of(ATTACKS, st.text(max_size=5)), min_size=1, max_size=4)
    .map("".join)
    .filter(lambda s: s.strip() != "" and "\x00" not in s)  # NUL is refused by the loader
)
CONTROL = {chr(c) for c in range(0x20) if c not in (0x0A,)} | {chr(c) for c in range(0x7F, 0xA0)} | {"\u202e"}

VIEWS = [
    ["show", "evil"],
    ["show", "evil", "--format", "markdown"],
    ["discrepancies", "--format", "table"],
    ["discrepancies"],
    ["discrepancies", "--format", "markdown"],
    ["sources", "a.txt"],
    ["list", "--format", "table"],
    ["list", "--n", "published"],
    ["cite", "--format", "ris"],
    ["cite", "--format", "bibtex"],
]


def cited(text: str) -> str:
    """The text with its control and invisible characters dropped: a citation's fields may not hold them."""
    return "T" + "".join(ch for ch in text if invisible(ch) is None and ch not in "\t\n\v\f\r\x85\u2028\u2029")


def hostile_catalogue(text: str, cite_as: str | None = None) -> str:
    cite_as = cited(text) if cite_as is None else cite_as
    # A page is an address a reader can open: hostile, but with no white space.
    page = "https://example.org/" + re.sub(r"\s", "", text)
    publication = {
        "id": "evil-2001", "study": "evil", "title": cite_as, "year": 2001, "journal": cite_as,
        "authors": ",".join(name for name in cite_as.split(",") if name.strip()) or "T",  # no empty name: refused
        "volume_pages": cite_as, "doi": "10.1234/evil", "verified_on": [page], "not_seen": [text], "notes": text,
        "unverified": [text],
        "facts": [{"field": "enrolled", "value": 10, "text": text, "excerpt": text, "page": page,
                   "page_kind": "abstract"}],
        "discrepancies": [{"kind": "outcome", "seed": "a.txt", "article_says": text, "published_says": text,
                           "page": text, "page_kind": "secondary", "explanation": text}],
    }  # fmt: skip
    body = dump_yaml({"publications": [publication]})
    return catalogue_text(study_yaml("evil", n=11)) + body


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(TEXT)
@example("0\x85")  # NEL: a line break to YAML, a C1 control to a terminal
def test_no_published_view_passes_markup_or_control_characters(
    write_catalogue: Callable[[str], Path], text: str
) -> None:
    path = write_catalogue(hostile_catalogue(text))
    runner = CliRunner()
    for view in VIEWS:
        result = runner.invoke(app, ["--no-cache", "--data", str(path), *view], env={"COLUMNS": "200"})
        assert result.exit_code == 0, (view, result.stderr)
        shown = result.stdout.replace("\r\n", "\n")
        assert not set(shown) & (CONTROL - {"\t"}), (view, repr(shown))
        assert not (set(result.stderr) & CONTROL), (view, repr(result.stderr))
    data = json.loads(runner.invoke(app, ["--no-cache", "--data", str(path), "show", "evil", "-f", "json"]).stdout)
    (paper,) = data["publications"]
    assert paper["title"] == cited(text) and paper["notes"] == text and paper["facts"][0]["excerpt"] == text
    assert paper["unverified"] == [text]
    explanations = [d["explanation"] for d in data["discrepancies"]]
    assert text in explanations  # the curated one, exactly as written
    assert any(d["computed"] and d["kind"] == "n" for d in data["discrepancies"])  # 11 said, 10 enrolled
    raw = runner.invoke(app, ["--no-cache", "--data", str(path), "discrepancies", "-f", "json"]).stdout
    assert any(d["article_says"] == text for d in json.loads(raw))
    # Citations stay one record each, whatever the title holds.
    ris = runner.invoke(app, ["--no-cache", "--data", str(path), "cite", "-f", "ris"]).stdout
    assert [r["id"] for r in rispy.loads(ris)] == ["evil-2001"]
    bib = runner.invoke(app, ["--no-cache", "--data", str(path), "cite", "-f", "bibtex"]).stdout
    library = bibtexparser.parse_string(bib)
    assert library.failed_blocks == [] and [e.key for e in library.entries] == ["evil-2001"]
    assert library.entries[0].fields_dict["doi"].value == "10.1234/evil"
    if invisible(" ".join(text.split())) is not None:  # the same text in a citation's fields is refused
        path = write_catalogue(hostile_catalogue(text, text))
        refused = runner.invoke(app, ["--no-cache", "--data", str(path), "list"])
        # a line break (a NEL is both) is named first, on its own terms
        assert "holds an invisible or control character" in refused.stderr or "holds a line break" in refused.stderr


def test_the_show_view_prints_published_markup_as_written(write_catalogue: Callable[[str], Path]) -> None:
    text = "[bold red]x[/bold red] [link=https://example.invalid]click[/link] :smile:"
    path = write_catalogue(hostile_catalogue(text))
    result = CliRunner().invoke(app, ["--no-cache", "--data", str(path), "show", "evil"], env={"COLUMNS": "300"})
    assert result.exit_code == 0
    # The study's title is not hostile here; every published field that holds the text shows it as written.
    assert result.stdout.count(text) >= 6
