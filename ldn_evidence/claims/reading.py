"""Reading an article: a text, Markdown or saved HTML file (or `-`), with the catalogue's file rules."""

from __future__ import annotations

from dataclasses import dataclass

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
#: at the next HTML element, so neither hides what a browser shows.
_HIDDEN_TAGS = frozenset(("head", "script", "style", "noscript", "template", "iframe", "object"))
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
        self.lines.append((self._line, text))

    def read(self) -> list[tuple[int, str]]:
        from selectolax.lexbor import LexborHTMLParser

        root = LexborHTMLParser(self.html).root
        node = root
        while node is not None:
            tag = node.tag or ""
            if tag == "-text":
                self._current.append(node.text_content or "")
            elif tag in _BLOCK_TAGS:
                self._flush()
            child = None if tag in _HIDDEN_TAGS or tag.startswith("-") else node.child
            if child is not None:
                node = child
                continue
            # No child to enter: leave this node, and every ancestor it is the last child of.
            while node is not None:
                if node.tag in _BLOCK_TAGS:
                    self._flush()
                if node is root or node.next is not None:
                    break
                node = node.parent
            node = None if node is None or node is root else node.next
        self._flush()
        return self.lines


def html_text(html: str) -> list[tuple[int, str]]:
    """The visible text of an HTML page as (line in the page, block of text), scripts and styles left out."""
    counted(len(html))
    return _VisibleText(html).read()


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
