"""Reading an article: a text, Markdown or saved HTML file (or `-`), with the catalogue's file rules."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser

from ldn_evidence.claims.result import MAX_BYTES, ArticleError

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
_HIDDEN_TAGS = frozenset(("script", "style", "noscript", "template", "head", "svg", "iframe", "object"))


class _VisibleText(HTMLParser):
    """The text a browser shows, one block a line, each line tagged with its line in the HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[tuple[int, str]] = []
        self._current: list[str] = []
        self._line = 1
        self._hidden = 0

    def _flush(self) -> None:
        text = " ".join("".join(self._current).split())
        if text:
            self.lines.append((self._line, text))
        self._current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN_TAGS:
            self._hidden += 1
        elif tag in _BLOCK_TAGS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN_TAGS:
            self._hidden = max(0, self._hidden - 1)
        elif tag in _BLOCK_TAGS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self._hidden:
            return
        if not self._current:
            leading = data[: len(data) - len(data.lstrip())]
            self._line = self.getpos()[0] + leading.count("\n")
        self._current.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def html_text(html: str) -> list[tuple[int, str]]:
    """The visible text of an HTML page as (line in the page, block of text), scripts and styles left out."""
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    return parser.lines


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
