"""`ldn claims` reads HTML, and raw HTML in Markdown, as a browser shows it: what a browser does not render (the
`hidden` attribute, `display: none`, a data list, the fallback of media and canvas, ruby's parentheses, a closed
dialog or details element, a hidden line break) joins and splits no word; text hidden but keeping its place
(`visibility: hidden`, transparent, opacity 0) is read as a blank, so a word split by it is read whole where that
makes a flagged word."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ldn_evidence.claims import Checker, html_text
from ldn_evidence.claims.css import css_hiding
from ldn_evidence.claims.reading import markdown_text
from ldn_evidence.loader import load

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker.of(load(ROOT / "data" / "studies.yaml"))


def flagged(checker: Checker, name: str, text: str) -> bool:
    report = checker.check(name, text)
    return any(k.kind == "overstatement" and k.verdict == "differs" for c in report.claims for k in c.checks)


def page(body: str) -> str:
    return f"<html><body><p>{body}</p></body></html>"


#: What a browser renders as nothing between "cu" and "res": each read so, in HTML and in Markdown.
NOT_RENDERED = [
    "<span hidden>x</span>",
    "<span HIDDEN=''>x</span>",
    '<span hidden="until-found">x</span>',
    "<datalist>x</datalist>",
    "<audio>x</audio>",
    "<video controls>x<source src=a.webm></video>",
    "<canvas>x</canvas>",
    "<rp>x</rp>",
    "<br hidden>",
    "<br\nhidden>",
    '<span style="display:none">x</span>',
    '<span style="color:red; DISPLAY : none !important">x y z</span>',
    '<span style="display:none">x<b style="display:inline">y</b></span>',
    '<span style="font-size:0">x</span>',
    '<span style="font-size:0.5pt">x</span>',
    "<span hidden><b>x</b> y <i>z</i></span>",
    '<img alt="x" hidden>',
    '<input value="x" hidden>',
]


@pytest.mark.parametrize("hidden", NOT_RENDERED)
def test_what_a_browser_does_not_render_joins_the_word(checker: Checker, hidden: str) -> None:
    assert html_text(page(f"LDN cu{hidden}res MS.")) == [(1, "LDN cures MS.")]
    assert markdown_text(f"LDN cu{hidden}res MS.")[0][1] == "LDN cures MS."
    assert flagged(checker, "a.html", page(f"LDN cu{hidden}res MS, the study shows."))
    assert flagged(checker, "a.md", f"LDN cu{hidden}res MS, the study shows.")


def test_a_closed_dialog_is_not_shown_an_open_one_is() -> None:
    assert html_text("<div>LDN cu<dialog>x</dialog>res MS.</div>") == [(1, "LDN cures MS.")]
    assert html_text("<div>LDN cu<dialog open>x</dialog>res MS.</div>") == [(1, "LDN cuxres MS.")]
    # In a paragraph a dialog ends it (as it does in Markdown, whose paragraphs are <p>): two blocks.
    assert html_text(page("LDN cu<dialog>x</dialog>res MS.")) == [(1, "LDN cu"), (1, "res MS.")]
    assert [text for _, text in markdown_text("LDN cu<dialog>x</dialog>res MS.")] == ["LDN cu", "res MS."]


def test_a_closed_details_element_shows_its_summary_only() -> None:
    closed = "<details><summary>Results</summary>LDN cures MS.<p>more</p></details><p>after</p>"
    assert [text for _, text in html_text(closed)] == ["Results", "after"]
    opened = closed.replace("<details>", "<details open>")
    assert [text for _, text in html_text(opened)] == ["Results", "LDN cures MS.", "more", "after"]


@pytest.mark.parametrize(
    "hidden",
    [
        '<span style="visibility:hidden">x</span>',
        '<span style="visibility: collapse">x</span>',
        '<span style="opacity:0">x</span>',
        '<span style="opacity:1%">x</span>',
        '<span style="color:transparent">x</span>',
        '<span style="color:rgba(0,0,0,0)">x</span>',
        '<span style="color:#0000">x</span>',
        '<span style="content-visibility:hidden">x</span>',
    ],
)
def test_hidden_text_that_keeps_its_place_is_a_blank(checker: Checker, hidden: str) -> None:
    assert html_text(page(f"LDN cu{hidden}res MS.")) == [(1, "LDN cu\u2800res MS.")]
    assert flagged(checker, "a.html", page(f"LDN cu{hidden}res MS, the study shows."))
    # Between words it is a space: "cures" is still a word of its own.
    assert flagged(checker, "a.html", page(f"LDN{hidden}cures MS, the study shows."))


def test_a_descendant_shown_again_is_read() -> None:
    shown = '<span style="visibility:hidden">x<b style="visibility:visible">cures</b></span>'
    assert html_text(page(f"LDN {shown} MS.")) == [(1, "LDN \u2800cures MS.")]
    sized = '<span style="font-size:0">x<b style="font-size:16px">cures</b> <i style="font-size:2em">y</i></span>'
    assert html_text(page(f"LDN {sized} MS.")) == [(1, "LDN cures MS.")]
    # An opacity hides what it holds whatever that says; and an explicit display shows what `hidden` would hide.
    assert html_text(page('a<span style="opacity:0">x<b style="opacity:1">y</b></span>b')) == [(1, "a\u2800\u2800b")]
    assert html_text(page('cu<span hidden style="display:inline">x</span>res')) == [(1, "cuxres")]


def test_a_hidden_block_breaks_no_line_a_visibility_hidden_one_does() -> None:
    assert html_text("<div>LDN cu<div hidden>x</div>res MS.</div>") == [(1, "LDN cures MS.")]
    blocks = html_text('<div>LDN cu<div style="visibility:hidden">x</div>res MS.</div>')
    assert [text for _, text in blocks] == ["LDN cu", "\u2800", "res MS."]


def test_hidden_text_in_markdown_keeps_the_lines_of_the_article() -> None:
    text = "First line.\nLDN cu<span\nhidden>x</span>res MS.\nThird *line* <b>here</b>.\n\nNext `c<d>` para."
    assert markdown_text(text) == [
        (1, "First line."),
        (2, "LDN cures MS."),
        (4, "Third line here."),
        (6, ""),
        (6, "Next c<d> para."),
    ]


def test_what_a_style_attribute_hides() -> None:
    assert css_hiding("display:none") == (True, "")
    assert css_hiding("display:block") == (False, "")
    assert css_hiding("display:none; display:block") == (False, "")
    assert css_hiding("display:none !important; display:block") == (True, "")
    assert css_hiding("visibility:hidden") == (None, ' x-v="0"')
    assert css_hiding("color: red") == (None, ' x-c="1"')
    assert css_hiding("font-size: 12px; opacity: .5") == (None, ' x-f="1"')
    assert css_hiding("margin: 0") == (None, "")


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(NOT_RENDERED),
    st.sampled_from(["cures", "proven", "miracle", "halts"]),
    st.data(),
    st.sampled_from(["<b>{}</b>", "<em>{}</em>", "<span>{}</span>", "{}", "<a href=x>{}</a>"]),
)
def test_any_flagged_word_split_by_unrendered_content_is_read_whole(
    hidden: str, word: str, data: st.DataObject, wrapper: str
) -> None:
    at = data.draw(st.integers(1, len(word) - 1))
    body = wrapper.format(f"LDN {word[:at]}{hidden}{word[at:]} MS.")
    assert html_text(page(body)) == [(1, f"LDN {word} MS.")]
    assert markdown_text(body)[0][1] == f"LDN {word} MS."


@pytest.mark.parametrize("tag", ["x-script", "x-style", "x-iframe", "X-Script", "x-head", "x-v"])
@pytest.mark.parametrize("attributes", ["", " class=a"])
def test_an_authors_custom_element_is_shown_as_browsers_show_it(checker: Checker, tag: str, attributes: str) -> None:
    """The pass before the parser names raw text in SVG `x-script`; an author's own <x-script> is an inline element."""
    body = f"LDN cu<{tag}{attributes}>r</{tag}>es MS."
    assert html_text(page(body)) == [(1, "LDN cures MS.")]
    assert flagged(checker, "a.html", page(body))
    assert flagged(checker, "a.md", f"An article.\n\n{body}\n")
