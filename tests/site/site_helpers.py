"""Helpers shared by the tests of `ldn site`: a hostile catalogue, and reading the pages written."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from conftest import catalogue_text, dump_yaml, study_yaml

#: Text that would run, close the title, or reorder the line if it were written raw.
HOSTILE = '</title><script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2"> \u202eevil\u202c'
#: An address a page must never make clickable.
SCRIPT_ADDRESS = "javascript:window.__pwned = 3"


def hostile_catalogue() -> str:
    """A valid catalogue whose free text is hostile everywhere the loader lets it be.

    The loader refuses a script address as a page a fact or a citation was read on, so it
    stands only where a discrepancy names its page.
    """
    publication = {
        "id": "evil-2001", "study": "evil", "title": "Plain title", "year": 2001, "authors": "Doe J",
        "journal": "J Evil", "volume_pages": "1(2):3-4", "doi": "10.1234/evil",
        "verified_on": ["https://example.org/evil"], "not_seen": [HOSTILE], "notes": HOSTILE,
        "facts": [{"field": "enrolled", "value": 10, "text": HOSTILE, "excerpt": HOSTILE,
                   "page": "https://example.org/evil", "page_kind": "abstract"}],
        "discrepancies": [{"kind": "outcome", "seed": "a.txt", "article_says": HOSTILE, "published_says": HOSTILE,
                           "page": SCRIPT_ADDRESS, "page_kind": "secondary", "explanation": HOSTILE}],
    }  # fmt: skip
    study = study_yaml("evil", n=11, title=HOSTILE, notes=HOSTILE, population=HOSTILE)
    return catalogue_text(study) + dump_yaml({"publications": [publication]})


class Page(HTMLParser):
    """What a page links to and holds: anchors, resources, element ids, and its text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.resources: list[str] = []
        self.ids: set[str] = set()
        self.scripts: list[str] = []
        self.title = ""
        self._in_title = False
        self.text: list[str] = []
        self.csp: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if "id" in values:
            self.ids.add(values["id"])
        if tag == "a" and "href" in values:
            self.links.append(values["href"])
        if tag in ("link", "script", "img", "iframe", "source", "audio", "video", "embed", "object"):
            for key in ("href", "src", "data"):
                if key in values:
                    self.resources.append(values[key])
        if tag == "script":
            self.scripts.append(values.get("src", ""))
        if tag == "meta" and values.get("http-equiv", "").lower() == "content-security-policy":
            self.csp = values.get("content")
        if tag == "title":
            self._in_title = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        self.text.append(data)


def read_page(path: Path) -> Page:
    """A written page, parsed."""
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def broken_links(folder: Path) -> list[str]:
    """Every internal link of every page that leads to no file, or to no element with its #id."""
    parsed = {p: read_page(p) for p in folder.rglob("*.html")}
    broken = []
    for path, page in parsed.items():
        for href in page.links + page.resources:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc:
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if not target.is_file():
                broken.append(f"{path.relative_to(folder)} -> {href}")
            elif parts.fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else read_page(target).ids
                if parts.fragment not in ids:
                    broken.append(f"{path.relative_to(folder)} -> {href} (no such id)")
    return broken
