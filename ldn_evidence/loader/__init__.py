"""Catalogue file -> model, strictly. Every problem is collected, none printed.

`load(path)` returns a `Catalogue` or raises `CatalogueInvalid` holding every
problem, each with its file, line, record and field.
"""

from __future__ import annotations

import os

from ldn_evidence.errors import CatalogueInvalid, Problem
from ldn_evidence.model import Catalogue
from ldn_evidence.paths import catalogue_path, friendly, read_bytes, seeds_folder, shipped_catalogue
from ldn_evidence.rules import FIRST_YEAR, IDENTIFIERS, ISO_DATE, MAX_N, MAX_TEXT, SLUG

from .checker import date_problem, did_you_mean, stated_date_problem
from .walkers import Abandon, Checker, attach

__all__ = [
    "FIRST_YEAR",
    "IDENTIFIERS",
    "ISO_DATE",
    "MAX_N",
    "MAX_TEXT",
    "SLUG",
    "attach",
    "catalogue_path",
    "date_problem",
    "did_you_mean",
    "friendly",
    "load",
    "parse_catalogue",
    "read_bytes",
    "seeds_folder",
    "shipped_catalogue",
    "stated_date_problem",
]


#: UTF-8 is checked this many bytes at a time: the whole file as text would take up to four times its size.
_UTF8_PIECE = 1 << 20


def _not_utf8(raw: bytes) -> int | None:
    """Where the first byte that is not UTF-8 stands, or None; checked a piece at a time by an incremental
    decoder (which carries a character cut between pieces into the next), so the text is never held whole."""
    import codecs

    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(raw)
    size = len(raw)
    for start in range(0, size or 1, _UTF8_PIECE):
        carried = len(decoder.getstate()[0])
        try:
            decoder.decode(view[start : start + _UTF8_PIECE], start + _UTF8_PIECE >= size)
        except UnicodeDecodeError as exc:
            return start - carried + exc.start
    return None


def decode(raw: bytes, path: str) -> tuple[bytes, list[Problem]]:
    """Check that the bytes are UTF-8 text; return them without a byte-order mark."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw, [Problem(path, 1, "the file is UTF-16; save it as UTF-8")]
    nul = raw.find(b"\x00")
    if nul != -1:
        line = raw.count(b"\n", 0, nul) + 1
        return raw, [Problem(path, line, "the file holds NUL bytes: it is binary, not a UTF-8 text catalogue")]
    bad = _not_utf8(raw)
    if bad is not None:
        line = raw.count(b"\n", 0, bad) + 1
        column = bad - (raw.rfind(b"\n", 0, bad) + 1) + 1
        return raw, [
            Problem(path, line, f"byte 0x{raw[bad]:02x} is not UTF-8 (Latin-1?); save the file as UTF-8", column)
        ]
    if not raw.strip():
        return raw, [Problem(path, 1, "the file is empty; a catalogue needs a 'studies' list")]
    return raw, []


def load(path: str | os.PathLike[str]) -> Catalogue:
    """Load and check a catalogue file; raise CatalogueInvalid with every problem."""
    return parse_catalogue(read_bytes(path), os.fspath(path))


def parse_catalogue(raw: bytes, path: str) -> Catalogue:
    """Check catalogue bytes and build the model; raise CatalogueInvalid with every problem."""
    data, problems = decode(raw, path)
    if problems:
        raise CatalogueInvalid(problems)
    from ldn_evidence import yamltree  # PyYAML is imported only when a file is parsed, not on a cache hit

    # One pass that builds each record as soon as it is read, so the whole file's tree (about five times
    # the file) is never held at once. It holds only for a file with no problem: at the first one it stops,
    # and the file is read again and checked whole, so that every problem is found and reported in one run.
    checker = Checker(path, problems)
    try:
        tree = yamltree.parse(data, path, problems, checker.take)
        catalogue = None if problems else checker.catalogue(tree)
    except Abandon:
        catalogue = None
    if catalogue is not None and not problems:
        return catalogue
    del checker
    tree, problems = None, []
    tree = yamltree.parse(data, path, problems)
    if problems:
        # The tree may be partial; still check what there is, so one run shows all.
        Checker(path, problems).catalogue(tree)
        raise CatalogueInvalid(problems)
    catalogue = Checker(path, problems).catalogue(tree)
    if problems or catalogue is None:
        raise CatalogueInvalid(problems)
    return catalogue
