"""The cache folder and what makes a file in it ours: its place, the names of its files, the user's secret.

Apart from `cache` (and from SQLite) so that a run answered from a kept answer (`answers`)
can find and trust its file without importing them. `cache.seal` builds on it.
"""

from __future__ import annotations

import os
import stat as stats

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Callable

try:  # CPython's own BLAKE2 needs no OpenSSL start-up
    from _blake2 import blake2b as _blake2b
except ImportError:  # pragma: no cover - other Pythons
    from hashlib import blake2b as _blake2b

__all__ = [
    "ENTRY_ALTERNATES", "RACY_NS", "SECRET", "_blake2b", "_entry", "_folder", "_ours", "_safe", "_secret",
    "catalogue_key", "stat_key", "still_since",
]  # fmt: skip

#: A file changed less than this long before it was read may change again within the
#: same timestamp (coarse clocks, file systems that keep seconds): its stat is not
#: trusted, and its content is hashed on every run until it has been still this long.
RACY_NS = 2_000_000_000


def stat_key(status: os.stat_result) -> str:
    """What identifies a file's version without reading it: its size, times, inode and device."""
    return f"{status.st_size} {status.st_mtime_ns} {status.st_ctime_ns} {status.st_ino} {status.st_dev}"


def still_since(status: os.stat_result, checked_ns: object) -> bool:
    """Whether a file of `status` had not changed for `RACY_NS` when it was read at `checked_ns`."""
    return type(checked_ns) is int and max(status.st_mtime_ns, status.st_ctime_ns) < checked_ns - RACY_NS


def catalogue_key(path: str | os.PathLike[str]) -> str:
    """The name a catalogue's files in the cache folder start with: a hash of its real path."""
    return _blake2b(os.path.realpath(path).encode("utf-8", "surrogateescape"), digest_size=32).hexdigest()[:32]


def _folder() -> str | None:
    """$XDG_CACHE_HOME/ldn-evidence, else ~/.cache/ldn-evidence; None when neither is an absolute path."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # the spec: a relative path is invalid and is ignored
        base = os.path.join(os.path.expanduser("~"), ".cache")
    if not os.path.isabs(base):
        return None
    # "//tmp" is "/tmp" on Linux, but os.path keeps two leading slashes and a URI would read "tmp" as a host.
    return os.path.join(os.sep + base.lstrip(os.sep), "ldn-evidence")


#: Other names a catalogue's cache file may take when a folder stands at its own name (see `_entry`).
ENTRY_ALTERNATES = 2


def _entry(path: str | os.PathLike[str], folder: str) -> str:
    """The cache file for the catalogue at `path`: KEY.sqlite in `folder`, or KEY-1.sqlite, KEY-2.sqlite.

    A rename replaces any file, link, FIFO or socket at the name, never a folder, and a folder there
    is not ours to delete (it may hold anything): so past a folder the next name is used, reader and
    writer alike, and a run is served from the cache again instead of parsing every time. Past
    ENTRY_ALTERNATES folders the first name is kept, and the cache is not written (nor read).
    """
    key = catalogue_key(path)
    names = [os.path.join(folder, f"{key}.sqlite")]
    names += [os.path.join(folder, f"{key}-{k}.sqlite") for k in range(1, ENTRY_ALTERNATES + 1)]
    for name in names:
        try:
            if not stats.S_ISDIR(os.lstat(name).st_mode):
                return name
        except OSError:
            return name  # nothing there (or nothing this user can see): the name is free
    return names[0]


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
        import contextlib

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
