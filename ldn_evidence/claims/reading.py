"""Reading an article: a text, Markdown or saved HTML file (or `-`), with the catalogue's file rules."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ldn_evidence.claims.prepass import _Prepass
from ldn_evidence.claims.result import MAX_BYTES, ArticleError, counted

# --- reading an article ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence, the line it starts on, and its paragraph."""

    text: str
    line: int
    paragraph: int


_BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "td",
        "th",
        "tr",
        "ul",
        "title",
    ]
)
#: Elements whose content a browser does not show, in the tree as a browser builds it: there `head` holds
#: only what belongs in it (stray text and elements are moved to the body), and an unclosed `<svg>` ends
#: at the next HTML element, so neither hides what a browser shows. Not `object`: its content is the fallback a
#: browser shows when the embedded file does not load (and the pass before the parser keeps no attribute to
#: tell whether there is one), so it is read, as a reader may see it.
_HIDDEN_TAGS = frozenset(
    ("head", "script", "style", "noscript", "template", "iframe", "x-script", "x-style", "x-iframe")
)  # and the same in <svg> or <math>, as `_Prepass` names them
#: Elements whose content a browser never shows where it supports them: a data list's options, the fallback of
#: media and of a canvas (shown only by browsers without them, or for a canvas without scripts), ruby's
#: parentheses (the rendering rules: `rp { display: none }`). Read as absent: they join and split no word.
_NEVER_SHOWN = frozenset(("datalist", "audio", "video", "canvas", "rp"))
#: What the pass before the parser marks a tag with (`css_hiding`): `hidden` for an element not shown at all (the
#: `hidden` attribute, `display: none`), and for what an element's style does to its text, inherited by what it
#: holds: "0" hides it, "1" shows it again (`visibility`, a transparent `color`, a zero `font-size`), and `x-o`
#: for what no descendant can show again (`opacity` near 0, `content-visibility: hidden`).
_MARKS = ("x-v", "x-c", "x-f", "x-o")
#: Hidden text that keeps its place (not a zero font size) is read as one blank (`text.BLANK`) for each run of it:
#: read as nothing inside a word where that makes a flagged word, as a space elsewhere (see `claims/flagged.py`).
_HIDDEN_RUN = re.compile(r"\S+")
#: Elements a browser shows an attribute of, as text where the element stands (see `_shown_attribute`).
_SHOWS_ATTRIBUTE = frozenset(("img", "input", "textarea"))
#: Inputs that show no text of theirs.
_NO_TEXT_INPUTS = frozenset(("hidden", "checkbox", "radio", "file", "range", "color"))


def _shown_attribute(node: Any) -> str:
    """What a browser shows of an element's attributes where it stands: an image's alternative text (shown when
    the image does not load), an input's value or, when it has none, its placeholder (an image input's
    alternative text), an empty text area's placeholder. Not a title, shown only as a tooltip."""
    attributes = node.attributes
    if node.tag == "img":
        return str(attributes.get("alt") or "")
    if node.tag == "textarea":
        return "" if node.text(deep=True) else str(attributes.get("placeholder") or "")
    kind = str(attributes.get("type") or "text").strip().lower()
    if kind in _NO_TEXT_INPUTS:
        return ""
    if kind == "image":
        return str(attributes.get("alt") or "")
    return str(attributes.get("value") or attributes.get("placeholder") or "")


#: How far past the last block's place the next block's words are looked for in the page, to give its line.
_LINE_SEARCH = 20_000


class _VisibleText:
    """The text a browser shows, one block a line, each line tagged with its line in the page.

    The page is parsed by lexbor (through selectolax) by the WHATWG rules browsers follow: a
    stray `<head>`, an unclosed `<svg>` or a missing `</head>` hide nothing a browser shows, and
    numeric character references of any length are read as browsers read them. The tree is walked
    once without recursion, and each block's line is found by searching forward from the last one
    within `_LINE_SEARCH` characters, so the work is linear in the page.
    """

    def __init__(self, html: str) -> None:
        self.html = html
        self.lines: list[tuple[int, str]] = []
        self._current: list[str] = []
        self._cursor = 0
        self._line = 1
        self._details = False

    def _flush(self) -> None:
        text = " ".join("".join(self._current).split())
        self._current = []
        if not text:
            return
        probe = text[:24]
        window = self.html[self._cursor : self._cursor + _LINE_SEARCH]
        at = window.find(probe)
        if at < 0:
            at = window.find(probe.split()[0]) if probe.split() else -1
        if at >= 0:
            self._line += window.count("\n", 0, at)
            self._cursor += at
        self.lines.append((self._line, text.replace("<\u200b", "<")))  # as the page wrote it (see `_escaped`)

    def read(self) -> list[tuple[int, str]]:
        from selectolax.lexbor import LexborHTMLParser

        root = LexborHTMLParser(self.html).root
        self._details = "<details" in self.html  # a closed one shows its summary only (see `_absent`)
        node = root
        # For each element entered, what its style does to the text it holds: (visibility, color, font size,
        # opacity) each True where hidden. Pushed on entering an element's children, popped on leaving them.
        states: list[tuple[bool, bool, bool, bool]] = [(False, False, False, False)]
        while node is not None:
            tag = node.tag or ""
            if self._absent(node, tag):
                pass
            elif tag == "-text":
                self._current.append(_as_shown(node.text_content or "", states[-1]))
            elif tag[:1] != "-":
                state = _state(node, states[-1])
                if tag in _SHOWS_ATTRIBUTE:
                    self._current.append(_as_shown(_shown_attribute(node), state))
                elif tag in _BLOCK_TAGS:
                    self._flush()
                child = None if tag in _HIDDEN_TAGS else node.child
                if child is not None:
                    states.append(state)
                    node = child
                    continue
            # No child to enter: leave this node, and every ancestor it is the last child of.
            while node is not None:
                if node.tag in _BLOCK_TAGS and not self._absent(node, node.tag):
                    self._flush()
                if len(states) == 1 or node.next is not None:  # at the root, or a sibling to go on to
                    break
                node = node.parent
                states.pop()
            node = None if node is None or len(states) == 1 else node.next
        self._flush()
        return self.lines

    def _absent(self, node: Any, tag: str) -> bool:
        """True for what a browser does not show at all (and so breaks no line): an element marked `hidden` (by
        the pass before the parser, for the `hidden` attribute or `display: none`), one never shown
        (`_NEVER_SHOWN`), a closed dialog, and what a closed details element holds but its summary."""
        if tag in _NEVER_SHOWN:
            return True
        if tag == "dialog":
            return "open" not in node.attributes
        if tag[:1] != "-" and node.attributes and "hidden" in node.attributes:
            return True
        if self._details and tag != "summary":
            parent = node.parent
            return parent is not None and parent.tag == "details" and "open" not in parent.attributes
        return False


def _state(node: Any, state: tuple[bool, bool, bool, bool]) -> tuple[bool, bool, bool, bool]:
    """What an element's marks (`_MARKS`) make of the state it inherits."""
    attributes = node.attributes
    if not attributes:
        return state
    v, c, f, o = (attributes.get(mark) if mark in attributes else "" for mark in _MARKS)
    if not (v or c or f or o):
        return state
    return (
        state[0] if not v else v == "0",
        state[1] if not c else c == "0",
        state[2] if not f else f == "0",
        state[3] or o == "0",
    )


def _as_shown(text: str, state: tuple[bool, bool, bool, bool]) -> str:
    """Text as a browser shows it: as it is; hidden, a blank for each run (`_HIDDEN_RUN`); at a zero size, nothing."""
    if not (state[0] or state[1] or state[2] or state[3]):
        return text
    return _HIDDEN_RUN.sub("" if state[2] else "\u2800", text)


def html_text(html: str, name: str = "page", first_line: int = 1) -> list[tuple[int, str]]:
    """The visible text of an HTML page as (line in the page, block of text), scripts and styles left out.

    The page goes through `_Prepass` first (one step a character, and one more for a style sheet's), then lexbor
    (one more): ArticleError for a page whose elements nest more than MAX_DEPTH deep, or whose CSS has a browser
    show text with letters (`css_shown`)."""
    counted(len(html), 2)
    return _VisibleText(_Prepass(name, html, first_line).run()).read()


def looks_like_markdown(name: str) -> bool:
    """True for a Markdown article (.md, .markdown): read as CommonMark renders it."""
    return name.lower().endswith((".md", ".markdown"))


def _inline_lines(children: list[Any], line: int, name: str) -> list[tuple[int, str]]:
    """The text a Markdown inline token renders, a line of it for each line of the source: emphasis, entities and
    escapes rendered ("c*ure*s", "c&#117;res" are "cures"), an image by its alternative text (as the plain-text
    reader kept it). Inline HTML among them ("cu<span>res</span>", "cu<span hidden>x</span>res") is read with the
    rest as a browser shows the HTML CommonMark renders (`_inline_html`)."""
    if any(child.type == "html_inline" for child in children):
        return _inline_html(children, line, name)
    found: list[tuple[int, str]] = []
    parts: list[str] = []
    for child in children:
        kind = child.type
        if kind in ("softbreak", "hardbreak"):
            found.append((line, "".join(parts)))
            parts = []
            line += 1
        elif kind in ("text", "code_inline", "image"):
            parts.append(child.content)
    found.append((line, "".join(parts)))
    return found


def _inline_html(children: list[Any], line: int, name: str) -> list[tuple[int, str]]:
    """Inline tokens holding HTML, rendered to HTML by CommonMark's rules and read by `html_text`, each line break
    of the source a `<br>` (a line break hidden by the HTML around it breaks nothing, as in a browser)."""
    from markdown_it.common.utils import escapeHtml

    parts: list[str] = []
    for child in children:
        kind = child.type
        if kind in ("softbreak", "hardbreak"):
            parts.append("<br>\n")
        elif kind == "text":
            parts.append(escapeHtml(child.content))
        elif kind == "code_inline":
            parts.append(f"<code>{escapeHtml(child.content)}</code>")
        elif kind == "image":
            parts.append(f'<img alt="{escapeHtml(child.content)}">')
        elif kind == "html_inline":
            parts.append(child.content)
        # Emphasis, links and strikethrough render as tags that show their text as it is: left out.
    # In a paragraph, as CommonMark renders it (so that an element that ends a paragraph ends it here too).
    html = "<p>" + "".join(parts) + "</p>"
    return [(line + at - 1, text) for at, text in html_text(html, name, line)] or [(line, "")]


#: The characters that make Markdown's inline markup (links, images, emphasis, code, HTML, entities, escapes).
_MARK = re.compile(r"[\[\]!*_<>&`~\\|]")
_ALNUM = re.compile(r"[^\W_]+")
#: markdown-it-py (in Python) makes up to about 90 calls for each mark in the worst shapes found ("[" or "!["
#: repeated: 91 and 74 calls a character, where prose takes under 10), so a Markdown article may hold at most
#: MARKS_PER_WORD marks for each word, and MARKS_FREE more; each mark counted as STEPS_PER_MARK steps.
MARKS_PER_WORD = 2
MARKS_FREE = 1_000
STEPS_PER_MARK = 100
#: markdown-it-py builds every token of the article before any is read, up to about 1,300 bytes of tokens and 75
#: calls for each word, mark or line with text in the source (a line of "#": a heading of three tokens; a wide
#: table: 640 bytes a byte). So these are counted in the source before it is parsed, and an article may hold at
#: most MARKDOWN_UNITS of them (a count never lower than what the words rendered, since rendering only removes
#: or joins the source's words); each line with text is counted as STEPS_PER_MARK steps, as a mark is.
MARKDOWN_UNITS = 120_000
_TEXT_LINE = re.compile(r"^[^\S\n]*\S", re.MULTILINE)


def _markup_within_limit(name: str, text: str) -> tuple[int, int]:
    """The Markdown marks and the lines with text in `text`; ArticleError, with the line where a limit is passed,
    for more than MARKS_PER_WORD marks a word (and MARKS_FREE more), a run of brackets being no article, or more
    than MARKDOWN_UNITS words, marks and lines with text in all."""
    words = sum(1 for _ in _ALNUM.finditer(text))
    limit = MARKS_PER_WORD * words + MARKS_FREE
    marks = 0
    for mark in _MARK.finditer(text):
        marks += 1
        if marks > limit:
            line = text.count("\n", 0, mark.start()) + 1
            raise ArticleError(
                f"{name}:{line}: more Markdown marks ([, ], !, *, _, <, >, &, `, ~, \\, |) than an article has: "
                f"more than {MARKS_PER_WORD} a word and {MARKS_FREE:,} more ({words:,} words; the limit is passed "
                "on this line)"
            )
    lines = sum(1 for _ in _TEXT_LINE.finditer(text))
    cells = _table_cells(text)
    if words + marks + lines + cells > MARKDOWN_UNITS:
        raise ArticleError(
            f"{name}:{_unit_line(text)}: {words:,} words, {marks:,} Markdown marks, {lines:,} lines with text"
            + (f" and {cells:,} for the cells of its tables" if cells else "")
            + f", more than an article has (the limit is {MARKDOWN_UNITS:,} in all, counted in the source before "
            "it is read, link addresses and reference definitions included; reached on this line)"
        )
    return marks, lines


#: A line that may be a table's delimiter row ("|---|:-:|", in a quote or a list item too): checked for a "|" and a
#: "-" after. One class, one quantifier: linear.
_DELIMITER_ROW = re.compile(r"^[ \t|:>*+.)0-9-]+$", re.MULTILINE)
_BLANK_LINE = re.compile(r"\n[^\S\n]*(?:\n|$)")


def _table_cells(text: str) -> int:
    """At least twice the cells markdown-it makes for the tables of `text`, beyond its words and marks: a table's
    rows are filled out to its header's cells ("a|b|...|z", its delimiter row, then 4,000 lines of "w" made 65,536
    cells, 60 MiB, from 16 KB). Each line after a delimiter row, to the next empty line, counted as twice the most
    cells of a delimiter row there (a "|" and a word of each in a row as written)."""
    total, region_end, cells, start = 0, -1, 0, 0
    for row in _DELIMITER_ROW.finditer(text):
        line = row.group()
        if "|" not in line or "-" not in line:
            continue
        if row.start() >= region_end:  # a new stretch between empty lines: the last one's rows counted
            if region_end > 0:
                total += 2 * cells * text.count("\n", start, region_end)
            found = _BLANK_LINE.search(text, row.end())
            region_end, cells, start = (len(text) if found is None else found.start()), 0, row.end()
        cells = max(cells, line.count("|") + 1)
    if region_end > 0:
        total += 2 * cells * (text.count("\n", start, region_end) + 1)
    return total


def _unit_line(text: str) -> int:
    """The line of `text` on which its words, marks and lines with text pass MARKDOWN_UNITS."""
    units, start, number = 0, 0, 1
    while True:
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        line = text[start:end]
        units += sum(1 for _ in _ALNUM.finditer(line)) + sum(1 for _ in _MARK.finditer(line)) + bool(line.strip())
        if units > MARKDOWN_UNITS or end == len(text):
            return number
        start, number = end + 1, number + 1


def markdown_text(text: str, name: str = "article") -> list[tuple[int, str]]:
    """The text of a Markdown article as CommonMark (with GitHub's tables and strikethrough) renders it, as
    (line, text), with (line, "") between blocks: markdown-it-py's tokens, each block's lines numbered from its
    source map; a block of raw HTML is read by `html_text`, as a browser shows it."""
    from markdown_it import MarkdownIt

    marks, text_lines = _markup_within_limit(name, text)
    counted(len(text) + STEPS_PER_MARK * (marks + text_lines))
    parser = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    # Lines are counted at "\n", as everywhere else: a lone carriage return is a space, not a line's end.
    text = text.replace("\r\n", "\n").replace("\r", " ")
    found: list[tuple[int, str]] = []
    last_map: list[int] | None = None
    for token in parser.parse(text):
        at = token.map[0] + 1 if token.map else None
        if token.type == "inline" and at is not None:
            lines = _inline_lines(token.children or [], at, name)
            if token.map == last_map and found:  # the cells of one table row: one line
                found[-1] = (found[-1][0], found[-1][1] + " " + " ".join(part for _, part in lines))
                continue
            found.extend([(at, "")] if found else [])
            found.extend((number, part) for number, part in lines)
            last_map = token.map
        elif token.type in ("fence", "code_block") and at is not None:
            found.extend([(at, "")] if found else [])
            found.extend((at + 1 + k if token.type == "fence" else at + k, part)
                         for k, part in enumerate(token.content.split("\n")))  # fmt: skip
            last_map = token.map
        elif token.type == "html_block" and at is not None:
            for k, part in html_text(token.content, name, at):  # each of its blocks a paragraph
                found.extend([(at + k - 1, "")] if found else [])
                found.append((at + k - 1, part))
            last_map = token.map
    return found


def looks_like_html(name: str, text: str) -> bool:
    """True for a page saved from a browser: an .html name, or a doctype or <html> at the start."""
    head = text.lstrip()[:200].lower()
    return name.lower().endswith((".html", ".htm")) or head.startswith(("<!doctype html", "<html"))


def decode_article(name: str, data: bytes) -> str:
    """The article's text, or ArticleError for binary, undecodable, empty or oversized input."""
    if len(data) > MAX_BYTES:
        raise ArticleError(f"{name}: {len(data):,} bytes is too large for an article (the limit is {MAX_BYTES:,})")
    if b"\x00" in data:
        raise ArticleError(f"{name}: a binary file, not text (it holds NUL bytes)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ArticleError(f"{name}:{line}: not UTF-8 text (byte 0x{data[exc.start]:02x})") from exc
    if not text.strip():
        raise ArticleError(f"{name}: empty: there is no text to check")
    return text


def read_article(path: str) -> tuple[str, str]:
    """(name, text) of the article at `path`, "-" for standard input; ArticleError if it cannot be read."""
    import sys

    if path == "-":
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
        return "-", decode_article("standard input", data)
    from ldn_evidence.errors import CatalogueFileError
    from ldn_evidence.paths import read_capped

    try:
        # A regular file or a pipe only, read with a cap: a FIFO with no writer, a device
        # or an endless pipe can neither hang the run nor fill memory.
        data = read_capped(path, MAX_BYTES, "article")
    except CatalogueFileError as exc:
        raise ArticleError(str(exc)) from exc
    return path, decode_article(path, data)
