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
import json
import os
import sqlite3
import stat as stats
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar, overload

from . import __version__, model
from .errors import CatalogueError
from .model import Catalogue, Entry, Facts, Study
from .paths import catalogue_location, read_bytes

if TYPE_CHECKING:
    from pathlib import Path

try:  # CPython's own BLAKE2 needs no OpenSSL start-up
    from _blake2 import blake2b as _blake2b
except ImportError:  # pragma: no cover - other Pythons
    from hashlib import blake2b as _blake2b

_T = TypeVar("_T")

#: Bump when the tables' shape changes.
FORMAT = 9
#: From this size on, a catalogue's key is its SHA-256 rather than its BLAKE2b.
LARGE = 4 * 1024 * 1024
#: A file changed less than this long before it was read may change again within the
#: same timestamp (coarse clocks, file systems that keep seconds): its stat is not
#: trusted, and its content is hashed on every run until it has been still this long.
RACY_NS = 2_000_000_000

_SCHEMA = (
    "CREATE TABLE catalogue(format INTEGER NOT NULL, package TEXT NOT NULL, source_hash TEXT NOT NULL,"
    " source_stat TEXT NOT NULL, checked_ns INTEGER NOT NULL, seal BLOB NOT NULL, sections BLOB NOT NULL,"
    " sections_seal BLOB NOT NULL, entries BLOB NOT NULL, entries_seal BLOB NOT NULL)",
    "CREATE TABLE studies(position INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, line INTEGER NOT NULL,"
    " record BLOB NOT NULL, seal BLOB NOT NULL, papers TEXT NOT NULL)",
    "CREATE TABLE publications(position INTEGER PRIMARY KEY, record BLOB NOT NULL, seal BLOB NOT NULL)",
)
#: What reading a damaged, foreign or crafted cache can raise.
_DAMAGED = (sqlite3.Error, OSError, ValueError, TypeError, KeyError, CatalogueError)
#: The schema every cache file must have, exactly as SQLite keeps it in ``sqlite_master``, before
#: anything else in it is read: three tables and the index of the studies' unique ids; no view,
#: no trigger, nothing that would run when read.
_SCHEMA_ROWS = sorted(
    [("table", "catalogue", "catalogue", _SCHEMA[0]), ("table", "studies", "studies", _SCHEMA[1]),
     ("index", "sqlite_autoindex_studies_1", "studies", None), ("table", "publications", "publications", _SCHEMA[2])],
    key=repr,
)  # fmt: skip
#: SQLite calls the progress handler after this many of its virtual-machine steps ...
STEPS_PER_CALL = 1000
#: ... and a cache file may cost this many calls, plus one per CACHE_BYTES_PER_CALL of its size, before
#: its reading is cut off (and the catalogue file parsed instead). Reading every study of a
#: 10,000-study cache costs under a tenth of that allowance (tests/test_cache_trust.py measures it).
BASE_CALLS = 1000
CACHE_BYTES_PER_CALL = 1000
#: The largest string or blob a cache file may hand back: a part larger than this is damage, not data.
MAX_PART = 4 * 64 * 1024 * 1024


def digest(data: bytes) -> str:
    """The content key of a catalogue file: "blake2b:" or "sha256:" and the hash in hex.

    Which hash follows from the size alone, so the key still depends on nothing but
    the content. CPython's BLAKE2b costs nothing to start; OpenSSL's SHA-256 costs a few
    milliseconds to load, and on processors with SHA instructions hashes a large file
    in about half BLAKE2b's time.
    """
    if len(data) < LARGE:
        return "blake2b:" + _blake2b(data, digest_size=32).hexdigest()
    import hashlib

    return "sha256:" + hashlib.sha256(data).hexdigest()


def _folder() -> str | None:
    """$XDG_CACHE_HOME/ldn-evidence, else ~/.cache/ldn-evidence; None when neither is an absolute path."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # the spec: a relative path is invalid and is ignored
        base = os.path.join(os.path.expanduser("~"), ".cache")
    if not os.path.isabs(base):
        return None
    # "//tmp" is "/tmp" on Linux, but os.path keeps two leading slashes and a URI would read "tmp" as a host.
    return os.path.join(os.sep + base.lstrip(os.sep), "ldn-evidence")


def _entry(path: str | os.PathLike[str], folder: str) -> str:
    key = _blake2b(os.path.realpath(path).encode("utf-8", "surrogateescape"), digest_size=32).hexdigest()[:32]
    return os.path.join(folder, f"{key}.sqlite")


def cache_folder() -> Path:
    """Where cache files live: $XDG_CACHE_HOME/ldn-evidence, else ~/.cache/ldn-evidence."""
    from pathlib import Path

    folder = _folder()
    if folder is None:
        raise CatalogueError("no cache folder: neither $XDG_CACHE_HOME nor $HOME is an absolute path")
    return Path(folder)


def cache_file(path: str | os.PathLike[str]) -> Path:
    """The cache file for a catalogue path."""
    from pathlib import Path

    return Path(_entry(path, str(cache_folder())))


def _ours(status: os.stat_result) -> bool:
    """Owned by this user and writable by no one else: the only cache we may believe."""
    return status.st_uid == os.getuid() and not status.st_mode & (stats.S_IWGRP | stats.S_IWOTH)


def _safe(path: str, kind: Callable[[int], bool]) -> bool:
    try:
        status = os.lstat(path)
    except OSError:
        return False
    return kind(status.st_mode) and _ours(status)


#: The file in the cache folder that holds this user's secret key for sealing cache files.
SECRET = "secret"


def _secret(folder: str, make: bool = False) -> bytes | None:
    """This user's key for sealing cache files (made when `make` and there is none); None if it cannot be trusted.

    Like an ssh key it must be a regular file of ours that no one else can read or write.
    """
    path = os.path.join(folder, SECRET)
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except FileNotFoundError:
        if not make:
            return None
        with contextlib.suppress(OSError):
            import tempfile

            made, temporary = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=folder)  # mode 0600
            try:
                os.write(made, os.urandom(32))
            finally:
                os.close(made)
            with contextlib.suppress(FileExistsError):  # another run made one first: use that one
                os.link(temporary, path)
            os.unlink(temporary)
        return _secret(folder)
    except OSError:
        return None
    try:
        status = os.fstat(handle)
        if not (stats.S_ISREG(status.st_mode) and _ours(status) and not status.st_mode & 0o077):
            return None
        key = os.read(handle, 64)
    finally:
        os.close(handle)
    return key if len(key) == 32 else None


class _Seal:
    """Keyed BLAKE2b of the parts of a cache file, bound to the catalogue's content key and ldn's version.

    Without the secret no one can make a cache file, or change one, that this user's
    runs believe, even with the right content key; it also catches any damage. A file
    another version of ldn sealed (whose loader may have checked less) is not believed.
    """

    __slots__ = ("_start", "source")

    def __init__(self, key: bytes, source: Any, version: str = f"{FORMAT} {__version__}") -> None:
        if type(source) is not str:
            raise TypeError("a content key is text")
        self.source = source
        start = f"{version}\x00{source}\x00".encode("utf-8", "surrogateescape")
        self._start = _blake2b(start, key=key, digest_size=16)

    def __call__(self, label: str, data: bytes) -> bytes:
        """The seal of one part: `label` names it (and holds no NUL), `data` is its content."""
        mac = self._start.copy()
        mac.update(label.encode("utf-8", "surrogateescape") + b"\x00")
        mac.update(data)
        return mac.digest()

    def header(self, source_stat: str, checked_ns: int) -> bytes:
        return self(f"header\x00{source_stat}\x00{checked_ns}", b"")

    def row(self, position: int, ident: str, line: int, record: bytes, papers: str = "") -> bytes:
        """A study's row; `papers` are the positions of the publications that name it ("3,7")."""
        if "\x00" in ident:
            raise ValueError("an id with a NUL")
        return self(f"{position}\x00{ident}\x00{line}\x00{papers}", record)

    def publication(self, position: int, record: bytes) -> bytes:
        return self(f"publication\x00{position}", record)


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


def _stat_key(status: os.stat_result) -> str:
    return f"{status.st_size} {status.st_mtime_ns} {status.st_ctime_ns} {status.st_ino} {status.st_dev}"


def _load(data: str | os.PathLike[str] | None, use_cache: bool) -> Catalogue:
    path = catalogue_location(data)
    folder = _folder() if use_cache else None
    try:
        status = os.stat(path)
    except OSError:
        status = None  # read_bytes says what is wrong
    if folder is None or status is None or not stats.S_ISREG(status.st_mode):
        from .loader import parse_catalogue

        return parse_catalogue(read_bytes(path), path)  # pipes and devices are read once, never cached
    entry = _entry(path, folder)
    served = _Reader.open(entry, folder, path, status)
    if served is not None:
        return served
    from .loader import parse_catalogue  # PyYAML and the loader only when the file is parsed

    checked = time.time_ns()
    status = os.stat(path)
    raw = read_bytes(path)
    catalogue = parse_catalogue(raw, path)
    write_cache(entry, digest(raw), _stat_key(status), checked, catalogue)
    return catalogue


def _connect(entry: str, read_only: bool = True) -> sqlite3.Connection:
    if read_only:
        uri = entry.replace("%", "%25").replace("?", "%3f").replace("#", "%23")
        # "file://" and an empty authority: a path that begins with two slashes cannot be read as a host.
        return sqlite3.connect(f"file://{uri}?mode=ro", uri=True, isolation_level=None)
    return sqlite3.connect(entry, isolation_level=None)


#: A cache file larger than this many times its catalogue file, plus SPARE_BYTES, is not opened:
#: the cache of 2,000 shipped-shape studies is 1.3 times its file, of one study 7 times.
MAX_RATIO, SPARE_BYTES = 32, 1024 * 1024


def _plausible(entry: str, status: os.stat_result) -> bool:
    """Whether the raw bytes of `entry` could be a cache file of ours for a catalogue of `status`'s size.

    Checked before SQLite opens it: the file starts with SQLite's header, uses a rollback
    journal as ours do (not write-ahead logging, which would need files beside it), and is
    not far larger than its catalogue could make it.
    """
    try:
        handle = os.open(entry, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return False
    try:
        found = os.fstat(handle)
        header = os.read(handle, 100) if stats.S_ISREG(found.st_mode) else b""
    except OSError:
        return False
    finally:
        os.close(handle)
    size = found.st_size
    return (
        header.startswith(b"SQLite format 3\x00")
        and header[18:20] == b"\x01\x01"
        and size <= MAX_RATIO * status.st_size + SPARE_BYTES
    )


class _Guard:
    """What a connection to a cache file not yet believed may do: read our two tables, and little else.

    SQLite runs a view's query, or a trigger, when a statement touches it, so a file made
    by someone else could hold a ``catalogue`` that is a recursive view and hang the run
    or fill memory before any seal is checked. Guarded, a connection:

    * may only read the tables ``catalogue``, ``studies``, ``publications`` and ``sqlite_master``, and update
      ``catalogue`` (`updates`); anything done on behalf of a view or trigger, a recursive
      query, a function, an attached database, is refused when the statement is prepared
      (the authorizer);
    * stops after `calls` progress-handler calls (STEPS_PER_CALL virtual-machine steps each),
      counted in `used`, so no statement on it can run long;
    * hands back no string or blob longer than MAX_PART;
    * keeps schema functions from running (``trusted_schema``) and checks each cell's size.

    And `open_checked` reads ``sqlite_master`` first and refuses any file whose schema is
    not exactly ours.
    """

    _PRAGMAS = ("trusted_schema", "cell_size_check", "query_only", "busy_timeout")

    def __init__(self, calls: int, updates: bool = False) -> None:
        self.calls = calls
        self.used = 0
        self.updates = updates

    def _authorize(
        self, action: int, first: str | None, second: str | None, database: str | None, source: str | None
    ) -> int:
        if source is not None or database not in (None, "main"):  # on behalf of a view or trigger, or elsewhere
            return sqlite3.SQLITE_DENY
        if action == sqlite3.SQLITE_SELECT:
            return sqlite3.SQLITE_OK
        if action == sqlite3.SQLITE_READ and first in ("catalogue", "studies", "publications", "sqlite_master"):
            return sqlite3.SQLITE_OK
        if action == sqlite3.SQLITE_UPDATE and self.updates and first == "catalogue":
            return sqlite3.SQLITE_OK
        if action == sqlite3.SQLITE_PRAGMA and first in self._PRAGMAS:
            return sqlite3.SQLITE_OK
        return sqlite3.SQLITE_DENY

    def _progress(self) -> int:
        self.used += 1
        return 1 if self.used > self.calls else 0  # non-zero interrupts the statement

    def apply(self, connection: sqlite3.Connection) -> sqlite3.Connection:
        """`connection`, guarded."""
        for pragma in ("trusted_schema = OFF", "cell_size_check = ON"):
            connection.execute(f"PRAGMA {pragma}")
        connection.set_authorizer(self._authorize)
        connection.set_progress_handler(self._progress, STEPS_PER_CALL)
        if hasattr(connection, "setlimit"):  # Python 3.11 and later
            connection.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_PART)
            connection.setlimit(sqlite3.SQLITE_LIMIT_ATTACHED, 0)
        return connection

    @classmethod
    def open_checked(cls, entry: str, read_only: bool = True) -> tuple[sqlite3.Connection, _Guard]:
        """A guarded connection to a cache file whose schema is ours (ValueError, sqlite3.Error otherwise)."""
        guard = cls(BASE_CALLS + os.stat(entry).st_size // CACHE_BYTES_PER_CALL, updates=not read_only)
        connection = guard.apply(_connect(entry, read_only))
        try:
            cursor = connection.execute("SELECT type, name, tbl_name, sql FROM sqlite_master")
            schema = cursor.fetchmany(len(_SCHEMA_ROWS) + 1)
            if sorted(schema, key=repr) != _SCHEMA_ROWS:
                raise ValueError("not a cache file's schema")
        except BaseException:
            connection.close()
            raise
        return connection, guard


def _ready_folder(folder: str) -> bool:
    """Make the cache folder (0700) if need be; True if it is ours to use.

    Also removes the temporary files of runs that died, and cache files of older formats.
    """
    with contextlib.suppress(FileExistsError):
        os.makedirs(folder, mode=0o700)
    if not _safe(folder, stats.S_ISDIR):
        return False
    import fcntl

    for name in os.listdir(folder):
        if name.endswith(".json") and len(name) == 37:  # a cache file of format 5 or older
            with contextlib.suppress(OSError):
                os.unlink(os.path.join(folder, name))
        if not (name.startswith(".") and name.endswith(".tmp")):
            continue
        # A live writer holds a lock on its temporary file; one we can lock was left by a run that died.
        with contextlib.suppress(OSError):
            handle = os.open(os.path.join(folder, name), os.O_RDONLY | os.O_NOFOLLOW)
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                os.unlink(os.path.join(folder, name))
            finally:
                os.close(handle)
    return True


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
        publications = [_plain(p) for p in catalogue.publications]
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
                connection.executemany(
                    "INSERT INTO publications VALUES (?, ?, ?)",
                    ((i, record, seal.publication(i, record)) for i, record in enumerate(publications)),
                )
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
            if not _current(entry, path, status, seal, source_stat, checked_ns):
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
            return tuple(p for p in self.parsed.publications if ident in p.study)
        try:
            return tuple(self.publications(self.papers.get(ident, ())).values())
        except _DAMAGED:
            return tuple(p for p in self.rebuilt().publications if ident in p.study)

    def rebuilt(self) -> Catalogue:
        """The catalogue parsed from its file, with the cache file written again."""
        if self.parsed is None:
            from .loader import parse_catalogue

            checked = time.time_ns()
            status = os.stat(self.path)
            raw = read_bytes(self.path)
            self.parsed = parse_catalogue(raw, self.path)
            write_cache(self.entry, digest(raw), _stat_key(status), checked, self.parsed)
        return self.parsed


def _current(entry: str, path: str, status: os.stat_result, seal: _Seal, source_stat: Any, checked_ns: Any) -> bool:
    """Whether the cache was made from the file as it is now.

    As git does for its index: when the file's size, times, inode and device are
    those recorded, and it had been still for `RACY_NS` when it was read, it is the
    same file; otherwise its content is hashed and compared, and a match is recorded
    so that the next run can trust the stat again.
    """
    if (
        _stat_key(status) == source_stat
        and type(checked_ns) is int
        and max(status.st_mtime_ns, status.st_ctime_ns) < checked_ns - RACY_NS
    ):
        return True
    checked = time.time_ns()
    now = _stat_key(os.stat(path))
    if digest(read_bytes(path)) != seal.source:
        return False
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
    return True


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
    facts=_many(_make(model.PublishedFact)), discrepancies=_many(_make(model.Discrepancy)),
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


class _Studies(Sequence[Study]):
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

    def __iter__(self) -> Iterator[Study]:
        return iter(self._all())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence):
            return self._all() == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._all())

    def __repr__(self) -> str:
        return repr(self._all())


class _Publications(Sequence["model.Publication"]):
    """A cached catalogue's publications: all read the first time all are asked for, a study's from their own rows."""

    __slots__ = ("_reader", "_whole")

    def __init__(self, reader: _Reader) -> None:
        self._reader = reader
        self._whole: tuple[model.Publication, ...] | None = None

    def of_study(self, ident: str) -> tuple[model.Publication, ...]:
        """The publications that name this study, in file order, reading no other publication."""
        if self._whole is not None:
            return tuple(p for p in self._whole if ident in p.study)
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

    def __iter__(self) -> Iterator[model.Publication]:
        return iter(self._all())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence):
            return self._all() == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._all())

    def __repr__(self) -> str:
        return repr(self._all())
