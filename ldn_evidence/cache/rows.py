"""A catalogue as the cache's rows, and records made again from them.

`write_cache` writes a whole file (atomically, sealed with `seal._Seal`); the record makers
turn the plain data orjson stored back into the model's frozen records.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from ldn_evidence import __version__, model
from ldn_evidence.cachefolder import _secret
from ldn_evidence.model import Catalogue, Entry, Study

from .seal import _SCHEMA, FORMAT, _connect, _ready_folder, _Seal

_T = TypeVar("_T")

#: Reading this many studies or fewer, or a part this small, the standard library's JSON
#: decoder costs less than importing orjson does (orjson brings `dataclasses`, `uuid` and
#: `datetime`; counted in instructions, the two break even near 140 like-shaped studies).
SMALL_ROWS, SMALL_PART = 128, 256 * 1024


def _decode(data: bytes) -> Any:
    """JSON to data: orjson for a large part, the standard library for a small one."""
    return json.loads(data) if len(data) <= SMALL_PART else _orjson_loads()(data)


def _orjson_loads() -> Callable[[bytes], Any]:
    import orjson

    return orjson.loads


def _plain(value: Any) -> bytes:
    import orjson

    return orjson.dumps(value)


def write_cache(entry: str, source: str, source_stat: str, checked_ns: int, catalogue: Catalogue) -> bool:
    """Write the cache file atomically; False (and nothing else) if it cannot be written."""
    import fcntl
    import tempfile

    folder = os.path.dirname(entry)
    try:
        # Each section but the studies and the publications (documents, cautions, ...), as orjson writes
        # dataclasses, and how many publications there are; those have rows of their own.
        sections = _plain(
            {name: getattr(catalogue, name) for name in _SECTIONS}
            | {"search": catalogue.search, "publications": len(catalogue.publications)}
        )
        entries = _plain(_columns(catalogue.studies))
    except TypeError:  # text that JSON cannot hold (a lone surrogate): not cached
        return False
    temporary = None
    try:
        key = _secret(folder, make=True) if _ready_folder(folder) else None
        if key is None:
            return False
        seal = _Seal(key, source)
        handle, temporary = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=folder)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX)
            connection = _connect(temporary, read_only=False)
            try:
                # The rename is what makes it atomic, and the seals catch a file a crash left torn.
                for pragma in ("journal_mode=OFF", "synchronous=OFF", "page_size=16384"):
                    connection.execute(f"PRAGMA {pragma}")
                connection.execute("BEGIN")
                for statement in _SCHEMA:
                    connection.execute(statement)
                connection.execute(
                    "INSERT INTO catalogue VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (FORMAT, __version__, source, source_stat, checked_ns, seal.header(source_stat, checked_ns),
                     sections, seal("sections", sections), entries, seal("entries", entries)),
                )  # fmt: skip
                connection.executemany("INSERT INTO studies VALUES (?, ?, ?, ?, ?, ?)", _rows(catalogue, seal))
                # Row by row as each is written, so no more than one publication's JSON is held at a time.
                connection.executemany("INSERT INTO publications VALUES (?, ?, ?)", _publication_rows(catalogue, seal))
                connection.execute("COMMIT")
            finally:
                connection.close()
            os.replace(temporary, entry)
            temporary = None
        finally:
            os.close(handle)
        return True
    except (OSError, sqlite3.Error, TypeError, ValueError):  # TypeError: text JSON cannot hold (a lone surrogate)
        return False
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def _publication_rows(catalogue: Catalogue, seal: _Seal) -> Iterator[tuple[int, bytes, bytes]]:
    """Each publication's row: its position, the publication as JSON, and its seal."""
    for position, publication in enumerate(catalogue.publications):
        record = _plain(publication)
        yield position, record, seal.publication(position, record)


def _rows(catalogue: Catalogue, seal: _Seal) -> Iterator[tuple[int, str, int, bytes, bytes, str]]:
    """Each study's row: the study as JSON (less its publication, attached again on reading), its seal, and
    the positions of the publications that name it, in file order (the first is its `publication`)."""
    import dataclasses

    papers: dict[str, list[str]] = {}
    for at, publication in enumerate(catalogue.publications):
        for ident in dict.fromkeys(publication.study):
            papers.setdefault(ident, []).append(str(at))
    for position, study in enumerate(catalogue.studies):
        record = _plain(dataclasses.replace(study, publication=None))
        named = ",".join(papers.get(study.id, ()))
        yield position, study.id, study.line, record, seal.row(position, study.id, study.line, record, named), named


def _columns(studies: Iterable[Study]) -> dict[str, list[Any]]:
    """Each study's entry, as one list per field; findings as "measure effect,measure effect"."""
    import dataclasses

    rows = list(studies)
    columns: dict[str, list[Any]] = {name: [getattr(s, name) for s in rows] for name in Entry._fields}
    columns["measured"] = [",".join(f"{m} {e}" for m, e in s.measured) for s in rows]
    for name in ("duration", "dose"):  # as lists of their fields, so that equal ones are made once on reading
        columns[name] = [
            None if v is None else [getattr(v, f.name) for f in dataclasses.fields(v)] for v in columns[name]
        ]
    return columns


def entry_of(study: Study) -> Entry:
    """A study's entry: what queries filter, sort and count by."""
    return Entry(
        study.id, study.condition, study.design, study.effect, study.year, study.population, study.n,
        study.duration, study.dose, study.measured, study.mention, study.seeds,
    )  # fmt: skip


# --- records back from the plain data `write_cache` stored --------------------------
#
# A record is a dataclass as orjson writes it (a mapping of its fields); it is made again
# with its nested records and tuples. Nothing is checked here: the file is read only when
# its seal is this user's, and only this user's ldn, of this version, seals a file, after
# the loader has checked every record in it.


def _make(cls: type[_T], **nested: Callable[[Any], Any]) -> Callable[[dict[str, Any]], _T]:
    def make(data: dict[str, Any]) -> _T:
        for name, convert in nested.items():
            data[name] = convert(data[name])
        return cls(**data)

    return make


def _many(make: Callable[[Any], _T]) -> Callable[[list[Any]], tuple[_T, ...]]:
    return lambda items: tuple([make(item) for item in items])


def _maybe(make: Callable[[Any], _T]) -> Callable[[Any], _T | None]:
    return lambda value: None if value is None else make(value)


_sources = _many(_make(model.Source))
#: The sections kept whole in the catalogue row.
_SECTIONS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "documents": _make(model.Document, sources=_sources),
    "cautions": _make(model.Caution, sources=_sources),
}
_publication = _make(
    model.Publication, study=tuple, registry=tuple, verified_on=tuple, not_seen=tuple, unverified=tuple,
    facts=_many(_make(model.PublishedFact, arms=tuple)), discrepancies=_many(_make(model.Discrepancy)),
)  # fmt: skip
_search = _make(
    model.Search, where=tuple, queries=_many(_make(model.SearchQuery)), excluded=_many(_make(model.Excluded))
)
_study_fields = _make(
    Study, sources=_sources, investigators=tuple, includes=tuple, duration=_maybe(_make(model.Duration)),
    dose=_maybe(_make(model.Dose)), findings=_many(_make(model.Finding)),
    adverse_events=_many(_make(model.AdverseEvent)),
)  # fmt: skip


def _study(data: dict[str, Any], first: dict[str, Any]) -> Study:
    data["publication"] = first.get(data["id"])
    return _study_fields(data)


def _shared(make: Callable[..., _T], values: list[Any], spread: bool = True) -> list[_T | None]:
    """make(*value) (or make(value)) for each list in `values`, None for None; equal values share one object."""
    made: dict[tuple[Any, ...], _T] = {}
    out: list[_T | None] = []
    for value in values:
        if value is None:
            out.append(None)
            continue
        key = tuple(value)
        one = made.get(key)
        if one is None:
            one = made[key] = make(*key) if spread else make(key)
        out.append(one)
    return out


def _pairs(joined: str) -> tuple[tuple[str, str], ...]:
    """ "measure effect,measure effect" -> ((measure, effect), ...)."""
    return tuple([(pair[0], pair[1]) for pair in (part.split(" ") for part in joined.split(","))]) if joined else ()
