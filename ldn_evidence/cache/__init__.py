"""A cache of parsed catalogues, so a repeat query skips YAML parsing and reads only what it shows.

One SQLite file per catalogue path under ``$XDG_CACHE_HOME/ldn-evidence``
(default ``~/.cache/ldn-evidence``; a relative ``XDG_CACHE_HOME`` is ignored, as
the XDG spec says). It holds the catalogue as plain data, never pickle:

* a ``catalogue`` row: the key of the file it was made from (its hash, and the
  `os.stat` facts that let a repeat run skip reading it), the sections other than
  the studies (documents, cautions, ...) and every study's `Entry`, as columns;
* a ``studies`` row per study: the `Study` as orjson writes a dataclass, and the positions
  of the publications that name it. ``ldn show ID`` reads that one row by its id;
* a ``publications`` row per publication, as orjson writes it: ``ldn show ID`` reads only
  its own study's, and the whole published layer is read only when a command asks for it.

Every part is sealed with a keyed BLAKE2b under a secret of the user's in the cache
folder, bound to the catalogue's content key and to this version of ldn (`_Seal`).
Only this user's ldn holds the secret, and it writes only catalogues the loader has
checked, so a part whose seal matches is read as it is; a file made, copied in or
changed without the secret, or written by another version, is not believed even
under the right content key, and the catalogue file is parsed instead and the cache
written again. A cache folder, file or secret that another user owns or can write is
not used (as ``ssh`` treats its keys); the folder is made 0700; catalogues that are
not regular files (pipes) are not cached. Files are written under a temporary name,
locked while they are written, and renamed, so concurrent runs never see half a
file; a temporary file whose writer died is removed by the next run.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import sqlite3
import stat as stats
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar, overload

from ldn_evidence import model
from ldn_evidence.cachefolder import RACY_NS, SECRET, _entry, _folder, _safe, _secret, still_since
from ldn_evidence.cachefolder import stat_key as _stat_key
from ldn_evidence.model import Catalogue, Entry, Facts, Study
from ldn_evidence.paths import catalogue_location, read_bytes

from .rows import (
    _SECTIONS,
    SMALL_ROWS,
    _decode,
    _orjson_loads,
    _pairs,
    _publication,
    _search,
    _shared,
    _study,
    entry_of,
    write_cache,
)
from .seal import (
    _DAMAGED,
    BASE_CALLS,
    CACHE_BYTES_PER_CALL,
    FORMAT,
    LARGE,
    MAX_RATIO,
    SPARE_BYTES,
    _Guard,
    _plausible,
    _Seal,
    cache_file,
    cache_folder,
    digest,
)

__all__ = [
    "BASE_CALLS",
    "CACHE_BYTES_PER_CALL",
    "FORMAT",
    "LARGE",
    "MAX_RATIO",
    "RACY_NS",
    "SECRET",
    "SPARE_BYTES",
    "cache_file",
    "cache_folder",
    "digest",
    "entry_of",
    "load_cached",
    "write_cache",
]

_T = TypeVar("_T")

#: What each load of this process was answered from, in order, for `answers` to keep an answer under:
#: the catalogue's path, its content key, and the stat and time at which it was last found current;
#: None for a load that read no sealed cache file (a pipe, --no-cache, a file that could not be cached, one rebuilt).
SERVED: list[tuple[str, str, str, int] | None] = []


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Build many small objects without the cycle collector rescanning them again and again.

    A catalogue is plain data with no reference cycles; collecting while it is built
    only costs time.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load_cached(data: str | os.PathLike[str] | None = None, use_cache: bool = True) -> Catalogue:
    """The catalogue named by `data` ($LDN_DATA, or the shipped one), from the cache when it is current."""
    with _no_cycle_collection():
        return _load(data, use_cache)


def _load(data: str | os.PathLike[str] | None, use_cache: bool) -> Catalogue:
    path = catalogue_location(data)
    folder = _folder() if use_cache else None
    try:
        status = os.stat(path)
    except OSError:
        status = None  # read_bytes says what is wrong
    if folder is None or status is None or not stats.S_ISREG(status.st_mode):
        from ldn_evidence.loader import parse_catalogue

        SERVED.append(None)
        return parse_catalogue(read_bytes(path), path)  # pipes and devices are read once, never cached
    entry = _entry(path, folder)
    served = _Reader.open(entry, folder, path, status)
    if served is not None:
        return served
    from ldn_evidence.loader import parse_catalogue  # PyYAML and the loader only when the file is parsed

    checked = time.time_ns()
    status = os.stat(path)
    raw = read_bytes(path)
    catalogue = parse_catalogue(raw, path)
    source, source_stat = digest(raw), _stat_key(status)
    written = write_cache(entry, source, source_stat, checked, catalogue)
    SERVED.append((path, source, source_stat, checked) if written else None)
    return catalogue


class _Reader:
    """An open cache file of a current catalogue: its entries and studies, each read on first use.

    Should anything read turn out damaged, the catalogue file is parsed instead (and
    the cache written again), and every answer comes from that.
    """

    def __init__(self, entry: str, path: str, connection: sqlite3.Connection, seal: _Seal, papers: int) -> None:
        self.entry = entry
        self.path = path
        self.connection = connection
        self.seal = seal
        self.count = papers  # how many publications the catalogue has
        self.papers: dict[str, tuple[int, ...]] = {}  # study id -> its publications' positions, once its row is read
        self.made: dict[int, model.Publication] = {}  # publications made so far, shared by the studies they back
        self.entries: tuple[Entry, ...] | None = None
        self.parsed: Catalogue | None = None
        self.verified: tuple[int, Study] | None = None  # the study `position_of` last found, as read

    @classmethod
    def open(cls, entry: str, folder: str, path: str, status: os.stat_result) -> Catalogue | None:
        """The cached catalogue if the cache file is ours, sealed whole and made from the file as it is now."""
        if not (_safe(folder, stats.S_ISDIR) and _safe(entry, stats.S_ISREG)) or not _plausible(entry, status):
            return None
        key = _secret(folder)
        if key is None:
            return None
        connection = None
        try:
            connection, _ = _Guard.open_checked(entry)
            ((source, source_stat, checked_ns, header_seal, sections, sections_seal),) = connection.execute(
                "SELECT source_hash, source_stat, checked_ns, seal, sections, sections_seal FROM catalogue"
                " WHERE rowid = 1"
            ).fetchall()
            seal = _Seal(key, source)
            if header_seal != seal.header(source_stat, checked_ns) or sections_seal != seal("sections", sections):
                connection.close()
                return None
            current = _current(entry, path, status, seal, source_stat, checked_ns)
            if current is None:
                connection.close()
                return None
            # Every section as it was written (documents, cautions, ...); the studies and publications lazily.
            plain = _decode(sections)
            search, count = plain.pop("search"), plain.pop("publications")
            if type(count) is not int or set(plain) != set(_SECTIONS):
                raise ValueError("the cached sections are damaged")
            made: dict[str, Any] = {name: tuple(map(_SECTIONS[name], records)) for name, records in plain.items()}
            made["search"] = None if search is None else _search(search)
        except _DAMAGED:
            if connection is not None:
                connection.close()
            return None
        reader = cls(entry, path, connection, seal, count)
        SERVED.append((path, seal.source, *current))
        return Catalogue(path, _Studies(reader), entries=_Entries(reader), publications=_Publications(reader), **made)

    # -- entries ---------------------------------------------------------------

    def all_entries(self) -> tuple[Entry, ...]:
        if self.entries is None:
            try:
                with _no_cycle_collection():
                    self.entries = self._read_entries()
            except _DAMAGED:
                self.entries = tuple([entry_of(s) for s in self.rebuilt().studies])
        return self.entries

    def _read_entries(self) -> tuple[Entry, ...]:
        ((blob, seal),) = self.connection.execute(
            "SELECT entries, entries_seal FROM catalogue WHERE rowid = 1"
        ).fetchall()
        if seal != self.seal("entries", blob):
            raise ValueError("the cached entries are damaged")
        columns = _decode(blob)
        columns["duration"] = _shared(model.Duration, columns["duration"])
        columns["dose"] = _shared(model.Dose, columns["dose"])
        measured: dict[str, tuple[tuple[str, str], ...]] = {}
        columns["measured"] = [
            measured.get(joined) or measured.setdefault(joined, _pairs(joined)) for joined in columns["measured"]
        ]
        columns["seeds"] = _shared(tuple, columns["seeds"], spread=False)
        rows = zip(*(columns[name] for name in Entry._fields), strict=True)
        # tuple.__new__ makes each Entry from its row in C, without a Python call per study.
        return tuple(map(functools.partial(tuple.__new__, Entry), rows))

    # -- studies ---------------------------------------------------------------

    def position_of(self, ident: str) -> int | None:
        """Where the study with this id stands, found without reading any other."""
        if self.parsed is None and self.entries is None:
            try:
                rows = self.connection.execute("SELECT position FROM studies WHERE id = ?", (ident,)).fetchall()
            except _DAMAGED:
                rows = None
            if rows == []:
                return None
            if rows is not None and len(rows) == 1 and type(rows[0][0]) is int:
                # The index that found it is not sealed: the row it names must be this study's, sealed.
                position = int(rows[0][0])
                try:
                    (study,) = self._read_studies([position])
                except (IndexError, *_DAMAGED):
                    study = None
                if study is not None and study.id == ident:
                    self.verified = (position, study)
                    return position
            self.rebuilt()  # an id twice, an index that leads elsewhere, or an unreadable table
        return next((i for i, e in enumerate(self.index()) if e.id == ident), None)

    def index(self) -> Sequence[Facts]:
        return self.parsed.studies if self.parsed is not None else self.all_entries()

    def studies(self, positions: Sequence[int]) -> list[Study]:
        """The studies at these positions, each made from its own row."""
        if self.parsed is None:
            try:
                with _no_cycle_collection():
                    return self._read_studies(positions)
            except _DAMAGED:
                pass  # every study comes from the parsed file instead
        studies = self.rebuilt().studies
        return [studies[p] for p in positions]

    def _read_studies(self, positions: Sequence[int]) -> list[Study]:
        rows: dict[int, tuple[Any, ...]] = {}
        wanted = sorted(set(positions))
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            query = f"SELECT position, id, line, record, seal, papers FROM studies WHERE position IN ({marks})"
            for row in self.connection.execute(query, chunk):
                if row[0] in rows:
                    raise ValueError("a position used twice")
                rows[row[0]] = row
        entries = self.entries
        decode = _decode if len(wanted) <= SMALL_ROWS else _orjson_loads()
        papers: dict[str, tuple[int, ...]] = {}
        for position in wanted:
            if position not in rows:
                if entries is not None and 0 <= position < len(entries):
                    raise ValueError("a study row is missing")
                raise IndexError("study index out of range")
            _, ident, line, record, seal, named = rows[position]
            if (
                type(record) is not bytes
                or type(named) is not str
                or seal != self.seal.row(position, ident, line, record, named)
            ):
                raise ValueError("a damaged study row")
            papers[ident] = tuple(map(int, named.split(","))) if named else ()
        # The publication each study is attached to, as the loader attaches them (`model.first_publications`):
        # its first about it alone, else the first that names it.
        every = self.publications(sorted({position for at in papers.values() for position in at}))
        first = {ident: model.first_publications([every[p] for p in at])[ident] for ident, at in papers.items() if at}
        self.papers.update(papers)
        made: dict[int, Study] = {}
        for position in wanted:
            made[position] = _study(decode(rows[position][3]), first)
        return [made[p] for p in positions]

    # -- publications ----------------------------------------------------------

    def publications(self, positions: Sequence[int]) -> dict[int, model.Publication]:
        """The publications at these positions, each made once from its own row (or from the parsed file)."""
        if self.parsed is not None:
            every = self.parsed.publications
            return {p: every[p] for p in positions}
        wanted = [p for p in positions if p not in self.made]
        if wanted:
            if any(not 0 <= p < self.count for p in wanted):
                raise ValueError("a publication out of range")
            rows: dict[int, bytes] = {}
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                marks = ",".join("?" * len(chunk))
                query = f"SELECT position, record, seal FROM publications WHERE position IN ({marks})"
                for position, record, seal in self.connection.execute(query, chunk):
                    if position in rows or type(record) is not bytes or seal != self.seal.publication(position, record):
                        raise ValueError("a damaged publication row")
                    rows[position] = record
            if len(rows) != len(wanted):
                raise ValueError("a publication row is missing")
            decode = _decode if len(wanted) <= SMALL_ROWS else _orjson_loads()
            with _no_cycle_collection():
                for position in wanted:
                    self.made[position] = _publication(decode(rows[position]))
        return {p: self.made[p] for p in positions}

    def all_publications(self) -> tuple[model.Publication, ...]:
        try:
            made = self.publications(range(self.count))
        except _DAMAGED:
            return tuple(self.rebuilt().publications)
        return tuple(made.values())

    def publications_of(self, ident: str) -> tuple[model.Publication, ...]:
        """The publications that name this study, in file order, read from their own rows only."""
        if self.parsed is None and ident not in self.papers:
            position = self.position_of(ident)
            if position is None or self.parsed is not None:
                return tuple(p for p in self.all_publications() if ident in p.study)
            self.studies([position])
        if self.parsed is not None:
            return self.parsed.publications_of(ident)  # indexed once, not walked once a study
        try:
            return tuple(self.publications(self.papers.get(ident, ())).values())
        except _DAMAGED:
            return self.rebuilt().publications_of(ident)

    def rebuilt(self) -> Catalogue:
        """The catalogue parsed from its file, with the cache file written again."""
        if self.parsed is None:
            from ldn_evidence.loader import parse_catalogue

            checked = time.time_ns()
            status = os.stat(self.path)
            raw = read_bytes(self.path)
            self.parsed = parse_catalogue(raw, self.path)
            write_cache(self.entry, digest(raw), _stat_key(status), checked, self.parsed)
            SERVED.append(None)  # the answer no longer rests on what was served first
        return self.parsed


def _current(
    entry: str, path: str, status: os.stat_result, seal: _Seal, source_stat: Any, checked_ns: Any
) -> tuple[str, int] | None:
    """The stat and time at which the file was found as the cache was made from it, if it is so now; else None.

    As git does for its index: when the file's size, times, inode and device are
    those recorded, and it had been still for `RACY_NS` when it was read, it is the
    same file; otherwise its content is hashed and compared, and a match is recorded
    so that the next run can trust the stat again.
    """
    if _stat_key(status) == source_stat and still_since(status, checked_ns):
        return source_stat, checked_ns
    checked = time.time_ns()
    now = _stat_key(os.stat(path))
    if digest(read_bytes(path)) != seal.source:
        return None
    with contextlib.suppress(*_DAMAGED):
        connection, _ = _Guard.open_checked(entry, read_only=False)
        try:
            connection.execute("PRAGMA busy_timeout = 0")
            connection.execute(
                "UPDATE catalogue SET source_stat = ?, checked_ns = ?, seal = ? WHERE rowid = 1",
                (now, checked, seal.header(now, checked)),
            )
        finally:
            connection.close()
    return now, checked


class _Entries(Sequence[Entry]):
    """A cached catalogue's entries, read and checked the first time any is asked for."""

    __slots__ = ("_reader",)

    def __init__(self, reader: _Reader) -> None:
        self._reader = reader

    def __len__(self) -> int:
        return len(self._reader.all_entries())

    @overload
    def __getitem__(self, index: int) -> Entry: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Entry, ...]: ...

    def __getitem__(self, index: int | slice) -> Entry | tuple[Entry, ...]:
        return self._reader.all_entries()[index]

    def __iter__(self) -> Iterator[Entry]:
        return iter(self._reader.all_entries())


class _Whole(Sequence[_T]):
    """A cached sequence that, iterated, compared, hashed or shown, is the tuple of all its items (`_all`)."""

    __slots__ = ()

    def _all(self) -> tuple[_T, ...]:
        raise NotImplementedError

    def __iter__(self) -> Iterator[_T]:
        return iter(self._all())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence):
            return self._all() == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._all())

    def __repr__(self) -> str:
        return repr(self._all())


class _Studies(_Whole[Study]):
    """A cached catalogue's studies: each made from its own row when first asked for."""

    __slots__ = ("_made", "_reader", "_whole")

    def __init__(self, reader: _Reader) -> None:
        self._reader = reader
        self._made: dict[int, Study] = {}  # studies made one by one
        self._whole: tuple[Study, ...] | None = None  # every study, once all are made

    def position_of(self, ident: str) -> int | None:
        """Where the study with this id stands, found without reading any other study."""
        position = self._reader.position_of(ident)
        if self._reader.verified is not None:
            at, study = self._reader.verified
            self._reader.verified = None
            if self._whole is None:
                self._made[at] = study
        return position

    def take(self, positions: Sequence[int]) -> list[Study]:
        """The studies at these positions, read together (and not kept)."""
        if self._whole is not None:
            return [self._whole[p] for p in positions]
        return self._reader.studies(positions)

    def _all(self) -> tuple[Study, ...]:
        if self._whole is None:
            self._whole = tuple(self._reader.studies(range(len(self))))
            self._made = {}
        return self._whole

    def __len__(self) -> int:
        return len(self._reader.index())

    @overload
    def __getitem__(self, index: int) -> Study: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Study, ...]: ...

    def __getitem__(self, index: int | slice) -> Study | tuple[Study, ...]:
        if self._whole is not None:
            return self._whole[index]
        if isinstance(index, slice):
            return tuple(self.take(range(*index.indices(len(self)))))
        if index < 0:
            index += len(self)
        if index < 0 or (self._reader.entries is not None and index >= len(self)):
            raise IndexError("study index out of range")
        study = self._made.get(index)
        if study is None:
            found = self._reader.studies([index])
            study = self._made[index] = found[0]
        return study


class _Publications(_Whole["model.Publication"]):
    """A cached catalogue's publications: all read the first time all are asked for, a study's from their own rows."""

    __slots__ = ("_by_study", "_reader", "_whole")

    def __init__(self, reader: _Reader) -> None:
        self._reader = reader
        self._whole: tuple[model.Publication, ...] | None = None
        self._by_study: dict[str, tuple[model.Publication, ...]] | None = None  # once all are read

    def of_study(self, ident: str) -> tuple[model.Publication, ...]:
        """The publications that name this study, in file order, reading no other publication."""
        if self._whole is not None:
            if self._by_study is None:  # indexed once: one pass, not one per study asked
                self._by_study = model.papers_by_study(self._whole)
            return self._by_study.get(ident, ())
        return self._reader.publications_of(ident)

    def _all(self) -> tuple[model.Publication, ...]:
        if self._whole is None:
            self._whole = self._reader.all_publications()
        return self._whole

    def __len__(self) -> int:
        return self._reader.count if self._reader.parsed is None else len(self._reader.parsed.publications)

    @overload
    def __getitem__(self, index: int) -> model.Publication: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[model.Publication, ...]: ...

    def __getitem__(self, index: int | slice) -> model.Publication | tuple[model.Publication, ...]:
        return self._all()[index]
