"""What makes a cache file believed: its seals and a guarded SQLite connection (its place, the secret: `cachefolder`).

The shape of a cache file (`FORMAT`, `_SCHEMA`) and every limit on reading one not yet believed
live here too; `rows` writes and reads what the tables hold, `cache` serves a catalogue from them.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat as stats
from typing import TYPE_CHECKING, Any

from ldn_evidence import __version__
from ldn_evidence.cachefolder import ENTRY_ALTERNATES as ENTRY_ALTERNATES  # tests find it here
from ldn_evidence.cachefolder import _blake2b, _entry, _folder, _safe
from ldn_evidence.errors import CatalogueError

if TYPE_CHECKING:
    from pathlib import Path


#: Bump when the tables' shape changes.
FORMAT = 9
#: From this size on, a catalogue's key is its SHA-256 rather than its BLAKE2b.
LARGE = 4 * 1024 * 1024

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
