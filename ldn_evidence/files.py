"""Reading the files a catalogue rests on: source documents and excerpt files, with their limits.

Every file is read with the rules of `paths` (a regular file inside its folder, of
bounded size); this module adds what each kind of file holds. The excerpt files in
``publications/`` are pages of verbatim excerpts, one file per publication.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .errors import CatalogueFileError, Problem
from .model import PAGE_KINDS, Publication
from .paths import read_inside
from .text import fold

if TYPE_CHECKING:
    from pathlib import Path
    from typing import NamedTuple
else:  # the same class, made without compiling its annotations (see `frozen`)
    from .frozen import NamedTuple

#: A source document larger than this is refused (the shipped ones are under 20 KB).
MAX_SEED_BYTES = 4 * 1024 * 1024
#: The folder of excerpt files, beside seeds/.
FOLDER = "publications"
_PAGE = re.compile(r"^page:\s*(\S.*?)\s*$")
_KIND = re.compile(r"^kind:\s*(\S+)\s*$")


# --- excerpt files -------------------------------------------------------------------------------


class Page(NamedTuple):
    """One public page in an excerpt file, and the excerpts read on it (a named tuple: cheap to define)."""

    address: str
    """Its address (or, for a record seen without one, what it was)."""
    kind: str
    """A key of PAGE_KINDS."""
    excerpts: tuple[str, ...]
    """Each paragraph under the page, folded as quotes are (see text.fold)."""
    line: int
    """Line of its `page:` line in the file."""


def excerpt_file(publication: Publication) -> str:
    """The file name of a publication's excerpts: its id and '.txt'."""
    return f"{publication.id}.txt"


def folder_beside(seeds: Path) -> Path:
    """The folder of excerpt files that goes with a folder of source documents: publications/ beside it."""
    return seeds.parent / FOLDER


def parse_pages(text: str, path: str) -> tuple[list[Page], list[Problem]]:
    """The pages of an excerpt file, and every problem with its shape (each with its line).

    The file is comment lines (``#``) first, then for each page a ``page: ADDRESS``
    line, a ``kind: KIND`` line, and its excerpts, one a paragraph (paragraphs are
    separated by blank lines). An excerpt must lie within one paragraph.
    """
    pages: list[Page] = []
    problems: list[Problem] = []
    address: str | None = None
    kind = ""
    start = 0
    paragraphs: list[str] = []
    current: list[str] = []
    expect_kind = False

    def close_paragraph() -> None:
        if current:
            paragraphs.append(fold(" ".join(current)))
            current.clear()

    def close_page() -> None:
        close_paragraph()
        if address is not None:
            if not paragraphs:
                problems.append(Problem(path, start, f"page '{address}' has no excerpts"))
            pages.append(Page(address, kind, tuple(paragraphs), start))
        paragraphs.clear()

    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if expect_kind:
            expect_kind = False
            match = _KIND.match(line)
            if match is None:
                problems.append(Problem(path, start, "a `page:` line must be followed by a `kind:` line"))
            elif match.group(1) not in PAGE_KINDS:
                problems.append(
                    Problem(path, number, f"unknown page kind '{match.group(1)}'; valid: {', '.join(PAGE_KINDS)}")
                )
            else:
                kind = match.group(1)
            if match is not None:
                continue
        page = _PAGE.match(line)
        if page is not None:
            close_page()
            address, kind, start, expect_kind = page.group(1), "", number, True
            continue
        if address is None:
            if line and not line.startswith("#"):
                problems.append(Problem(path, number, "text before the first `page:` line; start it with '#'"))
            continue
        if line:
            current.append(line)
        else:
            close_paragraph()
    if expect_kind:
        problems.append(Problem(path, start, "a `page:` line must be followed by a `kind:` line"))
    close_page()
    if not pages and not problems:
        problems.append(Problem(path, 1, "the file holds no `page:` lines, so no excerpts"))
    return pages, problems


#: An excerpt file larger than this is refused (the shipped ones are a few KB).
MAX_EXCERPT_BYTES = 4 * 1024 * 1024


def read_pages(folder: Path, publication: Publication) -> tuple[str, list[Page] | None, list[Problem]]:
    """A publication's excerpt file: its path, its pages (None if it cannot be read) and its problems."""
    path = folder / excerpt_file(publication)
    try:
        # The same rules as a seed: a regular file inside the folder, of bounded size.
        text = read_inside(folder, excerpt_file(publication), MAX_EXCERPT_BYTES, "excerpt file").decode("utf-8")
    except FileNotFoundError:
        return str(path), None, []
    except (CatalogueFileError, UnicodeDecodeError) as exc:
        reason = exc.reason if isinstance(exc, UnicodeDecodeError) else str(exc)
        return str(path), None, [Problem(str(path), None, f"cannot read the excerpt file: {reason}")]
    pages, problems = parse_pages(text, str(path))
    return str(path), pages, problems
