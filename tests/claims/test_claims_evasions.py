"""`ldn claims --strict` sees what a reader sees: a flagged word split by a blank or by a hyphen at a line's end,
written in letters Unicode's confusables do not map, shown from an attribute (an image's alternative text, an
input's value), or written by a style sheet (refused, with its line); and the pass before the HTML parser counts
no deeper than browsers nest, so a page of implied end tags is read, not refused."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_claims_bounds import TAGS
from typer.testing import CliRunner

from ldn_evidence.claims import ArticleError, Checker, html_text, sentences
from ldn_evidence.claims.css import css_shown
from ldn_evidence.claims.flagged import as_read
from ldn_evidence.claims.prepass import MAX_DEPTH, MAX_OPTIONS, _Prepass
from ldn_evidence.claims.statements import stated_harms, stated_overstatement
from ldn_evidence.loader import load
from ldn_evidence.text import BLANK, for_matching

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker.of(load(ROOT / "data" / "studies.yaml"))


def flagged(checker: Checker, name: str, text: str) -> bool:
    report = checker.check(name, text)
    return any(k.kind == "overstatement" and k.verdict == "differs" for c in report.claims for k in c.checks)


def read(text: str) -> str:
    return as_read(for_matching(text))


# --- blanks and hyphens inside a word ------------------------------------------------------------------------

FLAGGED_WORDS = ["cures", "cured", "proven", "proved", "miracle", "halts", "confirmed", "established"]


@settings(max_examples=120, deadline=None)
@given(st.sampled_from(FLAGGED_WORDS), st.data())
def test_a_flagged_word_split_by_blanks_or_a_hyphen_at_a_line_end_is_read_whole(word: str, data: st.DataObject) -> None:
    at = data.draw(st.integers(1, len(word) - 1))
    joint = data.draw(st.sampled_from([*BLANK, "\u2800\u2800", "- ", "\u2010 ", "\u2011 "]))
    sentence = f"LDN {word[:at]}{joint}{word[at:]} MS."
    assert stated_overstatement(read(sentence)) == word


@pytest.mark.parametrize("blank", list(BLANK))
def test_a_blank_between_words_is_a_space(checker: Checker, blank: str) -> None:
    assert read(f"LDN{blank}cures{blank}MS.") == "LDN cures MS."
    assert flagged(checker, "a.txt", f"LDN{blank}cures{blank}MS, the study shows.")
    assert flagged(checker, "a.txt", f"LDN cu{blank}res MS, the study shows.")


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("a.txt", "LDN cu-\nres MS, the study shows."),
        ("a.txt", "LDN cu- res MS, the study shows."),
        ("a.md", "LDN cu-\nres MS, the study shows."),
        ("a.html", "<p>LDN cu-\n  res MS, the study shows.</p>"),
        ("a.html", "<p>LDN cu&#x2800;res MS, the study shows.</p>"),
    ],
)
def test_strict_sees_a_word_hyphenated_at_a_line_end(checker: Checker, name: str, text: str) -> None:
    assert flagged(checker, name, text)


def test_a_hyphen_kept_where_the_word_has_one() -> None:
    assert stated_harms(read("In the trial LDN was well- tolerated.")) == "well-tolerated"


@pytest.mark.parametrize(
    "text",
    [
        "Pre- and post-treatment scores were taken.",
        "The cu- rrent trial.",
        "It was a long- term study of pro- gress.",
        "A cu\u2800rrent trial.",
    ],
)
def test_parts_that_make_no_flagged_word_are_left_apart(text: str) -> None:
    assert read(text) == text.replace("\u2800", " ")
    assert stated_overstatement(read(text)) is None


# --- letters Unicode's confusables do not map -------------------------------------------------------------


def _plain_lookalikes() -> dict[str, list[str]]:
    """Letters (of any script) that AnyASCII writes as one ASCII letter and the confusables leave alone."""
    from anyascii import anyascii

    found: dict[str, list[str]] = {}
    for code in range(0x80, 0x1E000):
        char = chr(code)
        if not unicodedata.category(char).startswith("L") or for_matching(char) != char:
            continue
        plain = anyascii(char)
        if len(plain) == 1 and plain.isascii() and plain.isalpha():
            found.setdefault(plain.lower(), []).append(char)
    return found


PLAIN = _plain_lookalikes()


def test_the_letters_the_last_attack_used_are_among_them() -> None:
    assert "ɾ" in PLAIN["r"] and "ʊ" in PLAIN["u"] and "ʉ" in PLAIN["u"]
    assert len({unicodedata.name(c, "?").split()[0] for cs in PLAIN.values() for c in cs}) > 20  # many scripts


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(FLAGGED_WORDS), st.data())
def test_a_flagged_word_in_letters_of_any_script_is_read_as_the_word(word: str, data: st.DataObject) -> None:
    letters = list(word)
    for at in data.draw(st.lists(st.integers(0, len(word) - 1), min_size=1, max_size=len(word))):
        options = PLAIN.get(word[at])
        if options:
            letters[at] = data.draw(st.sampled_from(options))
    assert (stated_overstatement(read(f"LDN {''.join(letters)} MS.")) or "").lower() == word


@pytest.mark.parametrize("word", ["cuɾes", "cʊres", "cʉres", "ᴄures", "cuʀes", "pɾoven"])
def test_strict_sees_the_phonetic_lookalikes(checker: Checker, word: str) -> None:
    assert flagged(checker, "a.txt", f"LDN {word} MS, the study shows.")


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(categories=["L", "Zs"]), max_size=30))
def test_a_word_that_makes_no_flagged_word_is_left_as_written(text: str) -> None:
    folded = for_matching(text)
    if stated_overstatement(read(folded)) is None and stated_harms(read(folded)) is None:
        assert read(folded).split() == folded.split() or any(c in BLANK for c in folded)


def test_accented_words_stay_as_written() -> None:
    assert read("A naïve café in Ærø, Дмитрий said.") == for_matching("A naïve café in Ærø, Дмитрий said.")


# --- what a browser shows of attributes ---------------------------------------------------------------------

SHOWN = [
    ("a.html", "<p>LDN <img src=x.png alt=cures> MS, the study shows.</p>"),
    ("a.html", "<p>LDN cu<img alt='res'> MS, the study shows.</p>"),
    ("a.html", "<p>LDN <input value=cures> MS, the study shows.</p>"),
    ("a.html", "<p>LDN <input type=submit value='cu&#114;es'> MS, the study shows.</p>"),
    ("a.html", "<p>LDN <input placeholder=cures> MS, the study shows.</p>"),
    ("a.html", "<p>LDN <input type=image alt=cures> MS, the study shows.</p>"),
    ("a.html", "<p>LDN <button>cures</button> MS, the study shows.</p>"),
    ("a.html", "<p>LDN <textarea>cures</textarea> MS, the study shows.</p>"),
    ("a.html", "<p>LDN <textarea placeholder=cures></textarea> MS, the study shows.</p>"),
    ("a.md", "LDN <img alt=cures> MS, the study shows."),
    ("a.md", "LDN <input value=cures> MS, the study shows."),
]


@pytest.mark.parametrize(("name", "text"), SHOWN)
def test_what_an_attribute_shows_is_read(checker: Checker, name: str, text: str) -> None:
    assert flagged(checker, name, text)


@pytest.mark.parametrize(
    "page",
    [
        "<p>LDN <input type=hidden value=cures> MS.</p>",
        "<p>LDN <input type=checkbox value=cures> MS.</p>",
        "<p>LDN <span title=cures>helps</span> MS.</p>",  # a tooltip, shown only on hover
        "<p>LDN <img src=x.png> MS.</p>",
    ],
)
def test_attributes_a_browser_does_not_show_are_not_read(page: str) -> None:
    assert "cures" not in " ".join(text for _, text in html_text(page))


def test_an_attribute_keeps_the_lines_of_the_page() -> None:
    page = '<p>LDN <img\nsrc=x.png\nalt="cu\nres"> MS.</p>\n<p>Next.</p>'
    assert html_text(page) == [(1, "LDN cu res MS."), (5, "Next.")]


def test_a_million_attributes_keep_one_of_each_shown() -> None:
    page = "<p><img " + "alt=a " * 300_000 + "alt=b>shown</p>"
    assert html_text(page) == [(1, "ashown")]


# --- text a style sheet writes ------------------------------------------------------------------------------

REFUSED_CSS = [
    ('<style>p::before{content:"cures"}</style><p>LDN MS.</p>', 1, '"cures"'),
    ('<head>\n<style>\n@media screen { @supports (x:y) { .a::after { content: "\\63 ures" } } }</style>', 3, '"cures"'),
    ("<style>p::before{c\\6fntent:'cu'}</style>", 1, '"cu"'),
    ('<p style="content:&quot;cures&quot;">x</p>', 1, '"cures"'),
    ("<p\n style='color:red;content:\"cu\"'>x</p>", 2, '"cu"'),
    ("<svg><style>p::after{content:attr(title)}</style></svg><p>x</p>", 1, "attr(…)"),
    ("<style>p::after{--w:'cures'}</style>", 1, '"cures"'),
    ("<style>p::after{content:var(--w)}</style>", 1, "var(…)"),
    ('<style>q{quotes:"cures" "!"}</style><p><q>x</q></p>', 1, '"cures"'),
    ('<style>li{list-style:"cures "}</style>', 1, '"cures "'),
    ("<style>li::before{content:counter(x, lower-alpha)}</style>", 1, "counter(…)"),
]


@pytest.mark.parametrize(("page", "line", "shown"), REFUSED_CSS)
def test_a_page_whose_style_shows_text_is_refused_with_its_line(page: str, line: int, shown: str) -> None:
    with pytest.raises(ArticleError) as raised:
        html_text(page, "a.html")
    message = str(raised.value)
    assert message.startswith(f"a.html:{line}: the page's style") and f"({shown})" in message, message


@pytest.mark.parametrize(
    "page",
    [
        '<style>.q::before{content:"\\201C"} .b::after{content:""} a{font-family:"Helvetica Neue"}</style><p>x</p>',
        "<style>li::before{content:counter(item) '. '} .i::before{content:'\\f101'}</style><p>x</p>",
        '<style>a[href$=".pdf"]::after{content:" \\2193"}</style><p>x</p>',
        "<p style='color:red'>x</p>",
        "<p>content: 'cures' in prose is text, not style</p>",
    ],
)
def test_style_that_shows_no_letters_is_read_as_before(page: str) -> None:
    assert html_text(page, "a.html")


def test_strict_refuses_a_page_whose_style_shows_text(tmp_path: Path) -> None:
    from ldn_evidence.cli import app

    page = tmp_path / "a.html"
    page.write_text('<style>\n.x::before{content:"cures"}</style>\n<p>LDN <span class=x></span> MS.</p>')
    result = CliRunner().invoke(app, ["--no-cache", "claims", str(page), "--strict"])
    assert result.exit_code == 1
    assert "a.html:2: the page's style sheet has a browser show text" in result.stderr
    assert "Traceback" not in result.stderr


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(["content", "CONTENT", "c\\6fntent", "quotes", "list-style-type", "--x"]),
    st.sampled_from(["p::before", "@media print{p::after", "@supports(a:b){@media x{.a::marker"]),
    st.text(st.characters(categories=["L"]), min_size=1, max_size=8),
)
def test_any_style_sheet_writing_letters_is_seen(prop: str, selector: str, letters: str) -> None:
    css = f'{selector}{{{prop}: "{letters}"}}' + "}" * selector.count("{")
    found = css_shown(css)
    assert found is not None and found[1] == f'"{letters}"'


# --- implied end tags: pages browsers keep shallow are read -------------------------------------------------

SHALLOW = {
    "select option": ("", "<select><option>x"),
    "options in a select": ("<select>", "<optgroup>x<option>y"),
    "select input": ("", "<select><option>x<input>"),
    "select textarea": ("", "<select><textarea>x</textarea>"),  # the next <select> ends the open one
    "select in a paragraph": ("", "<p><select><p>x<input>"),
    "forms": ("", "<form>x"),
    "ruby parts": ("<ruby>", "<rb>x<rt>y<rp>z<rtc>w"),
    "captions": ("<table>", "<caption>x"),
    "column groups": ("<table>", "<colgroup><col>x"),
    "tables in tables": ("", "<table><tr>x"),
}


def lexbor_depth(page: str) -> int:
    from selectolax.lexbor import LexborHTMLParser

    deepest, stack = 0, [(LexborHTMLParser(page).root, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        child = node.child if node is not None else None
        while child is not None:
            if child.tag and not child.tag.startswith("-"):
                stack.append((child, depth + 1))
            child = child.next
    return deepest


@pytest.mark.parametrize("shape", SHALLOW, ids=list(SHALLOW))
def test_a_page_browsers_keep_shallow_is_read(shape: str) -> None:
    first, unit = SHALLOW[shape]
    times = 4 * MAX_DEPTH
    if first == "<select>":  # one select holds at most MAX_OPTIONS options (refused past them: lexbor's cost)
        times = min(times, MAX_OPTIONS // unit.count("<opt"))
    assert times > MAX_DEPTH
    page = "<!DOCTYPE html><p>An article.</p>" + first + unit * times
    assert lexbor_depth(page) < 10  # what the parser builds
    assert html_text(page, "a.html")[0] == (1, "An article.")


@pytest.mark.parametrize(
    "page",
    [
        "<p><keygen><select><p><keygen><select>",
        "<select><p><textarea>x",
        "<keygen>x</keygen>y" * 3,
        "<table><col>" * 5,
        "</path><caption></br><select><p>" * 5,
        "<center><select><span><path><button>" * 5,  # a select bounds the scope of what it holds
        "</style></li><li></table></object><noscript><ol>" * 5,  # </li> in a list in a list item: ignored
        "<li><rb><ol><input><tbody></li><font></tr></div>" * 5,
    ],
)
def test_what_lexbor_keeps_open_the_pass_keeps_open(page: str) -> None:
    model = _Deepest("a.html", page)
    assert lexbor_depth(model.run()) <= model.deepest + 3  # found by the test below


class _Deepest(_Prepass):
    deepest = 0

    def _push(self, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        element = super()._push(*args, **kwargs)  # type: ignore[arg-type]
        self.deepest = max(self.deepest, len(self.stack))
        return element


@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(TAGS), min_size=1, max_size=8), st.integers(1, 12))
def test_the_pass_never_counts_shallower_than_lexbor_builds(unit: list[str], times: int) -> None:
    page = "".join(unit) * times
    model = _Deepest("a.html", page)
    try:
        read_page = model.run()
    except ArticleError:
        return
    # lexbor's tree holds html and body, which the model leaves out, and counts a void element (<img>, <col>)
    # as a level, which the model never opens.
    assert lexbor_depth(read_page) <= model.deepest + 3


def test_sentences_of_a_shallow_page_keep_their_lines() -> None:
    page = "<p>One.</p>\n" + "<select><option>x" * 300 + "\n<p>LDN cures MS.</p>"
    assert [s.line for s in sentences("a.html", page) if s.text == "LDN cures MS."] == [3]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("# An article\n\nLDN helps.\n<style>p::before{content:'cures'}</style>\n", 4),
        ("# An article\n\nLDN <span style=\"content:'cures'\">helps</span>.\n", 3),
    ],
    ids=["block", "inline"],
)
def test_markdown_html_with_style_is_refused_at_its_line_in_the_article(text: str, line: int) -> None:
    with pytest.raises(ArticleError, match=rf"^a\.md:{line}: the page's style"):
        sentences("a.md", text)
