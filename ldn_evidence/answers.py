"""Kept answers: a read-only command run again, in the same situation, writes the bytes it wrote last time.

`ldn list`, `show`, `summary` and `safety` read nothing but the catalogue and write nothing but
what it holds, so their whole output (stdout and stderr, each write in its order) is a function of
the catalogue file and of a key: the command line, the working folder, ldn's version and every
file of its package (size and time), the installed rich and orjson, Python and its flags, the
three standard streams (terminal or not, size, open mode, encoding) and the environment. After a
run that ends well, that output is kept in the cache folder, sealed like the cache
(`cachefolder`): a keyed BLAKE2b under the user's secret over the key, the catalogue's content key,
the stat of the file it was read from and when that was found current, and the bytes. A run with
the same key, whose catalogue file has the same stat and had been still for `RACY_NS` when it was
read (the trust the cache itself gives a stat), writes them again without importing the rest of
ldn. Anything else (no file, another key, another stat, a seal that does not hold, a file that
is not ours) is a miss, and the command runs as always.

Each catalogue has at most `SLOTS` answers kept (an answer's slot is a hash of its key), each at
most `MAX_BYTES`; a command that showed a spinner, failed, or read no sealed cache is not kept.
"""

from __future__ import annotations

import os
import stat as stats
import sys

from . import __version__
from .cachefolder import _blake2b, _folder, _safe, _secret, catalogue_key, stat_key, still_since

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

#: The commands whose answers are kept.
COMMANDS = ("list", "show", "summary", "safety")
#: Answers kept per catalogue.
SLOTS = 16
#: The most bytes (stdout and stderr together) an answer kept may hold.
MAX_BYTES = 4 * 1024 * 1024
#: Where a kept answer's file begins; part of what its seal covers.
_MAGIC = b"ldn-answer 1\n"
#: Variables that change from one shell command to the next without bearing on any output.
_SHELL_BOOKKEEPING = ("_", "OLDPWD", "PWD", "SHLVL")
#: Folders of the package that hold no code: byte code, and the shipped data (the catalogue, which these commands
#: read, is keyed by its own stat; they read nothing else there).
_NOT_CODE = ("__pycache__", "_data")
#: Options that no kept answer is for.
_NEVER = ("-h", "--help", "--version", "--no-cache")


def invocation(argv: Sequence[str]) -> str | None:
    """The catalogue `argv` reads (as `--data` gives it; "" for the default), if it runs a command kept here."""
    if os.environ.get("_LDN_COMPLETE") or any(token in _NEVER for token in argv):
        return None
    data, at = "", 0
    if at < len(argv) and argv[at].startswith("--data"):
        if argv[at] == "--data" and at + 1 < len(argv) and not argv[at + 1].startswith("-"):
            data, at = argv[at + 1], at + 2
        elif argv[at].startswith("--data="):
            data, at = argv[at][len("--data=") :], at + 1
        else:
            return None
    if at >= len(argv) or argv[at] not in COMMANDS:
        return None
    return data


def _files(folder: str, into: list[tuple[str, int, int]]) -> None:
    """Every file under `folder` (but in `_NOT_CODE`): its path, size and modification time."""
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name not in _NOT_CODE:
                        _files(entry.path, into)
                else:
                    status = entry.stat()
                    into.append((entry.path, status.st_size, status.st_mtime_ns))
    except OSError:
        into.append((folder, -1, -1))


def _installed(package: str) -> list[tuple[str, int, int]]:
    """A package's files as `_files` gives them, found on sys.path without importing it."""
    for entry in sys.path:
        folder = os.path.join(entry or ".", package)
        if os.path.isfile(os.path.join(folder, "__init__.py")):
            found: list[tuple[str, int, int]] = []
            _files(folder, found)
            return found
    return []


def _stream(descriptor: int) -> tuple[object, ...]:
    """What a standard stream's output could depend on: its open mode, whether it is a terminal, its size."""
    import fcntl

    try:
        mode = fcntl.fcntl(descriptor, fcntl.F_GETFL)
        terminal = os.isatty(descriptor)
        size = tuple(os.get_terminal_size(descriptor)) if terminal else None
    except OSError:
        return (None,)
    return mode, terminal, size


def key(argv: Sequence[str], path: str) -> bytes:
    """Everything the output of `argv` on the catalogue at `path` depends on, but the catalogue itself."""
    ours: list[tuple[str, int, int]] = []
    _files(os.path.dirname(os.path.abspath(__file__)), ours)
    parts = (
        __version__, sys.version, sys.executable, tuple(sys.flags), os.getcwd(), os.path.realpath(path),
        list(argv), [_stream(fd) for fd in (0, 1, 2)],
        [(getattr(s, "encoding", None), getattr(s, "errors", None)) for s in (sys.stdout, sys.stderr)],
        sorted((name, value) for name, value in os.environ.items() if name not in _SHELL_BOOKKEEPING),
        sorted(ours), [(name, _installed(name)) for name in ("rich", "orjson")],
    )  # fmt: skip
    return _blake2b(repr(parts).encode("utf-8", "surrogateescape"), digest_size=32).digest()


def _name(folder: str, path: str, wanted: bytes) -> str:
    return os.path.join(folder, f"{catalogue_key(path)}-answer-{wanted[0] % SLOTS}")


def _seal(secret: bytes, body: bytes) -> bytes:
    return _blake2b(body, key=secret, digest_size=32).digest()


class Kept:
    """A run that may keep its answer: where, under which key, and the writes made so far, in order."""

    __slots__ = ("folder", "key", "path", "size", "writes")

    def __init__(self, folder: str, path: str, wanted: bytes) -> None:
        self.folder = folder
        self.path = path
        self.key = wanted
        self.writes: list[tuple[int, bytes]] | None = []  # None once too large to keep
        self.size = 0

    def wrote(self, descriptor: int, data: bytes) -> None:
        if self.writes is None:
            return
        self.size += len(data)
        if self.size > MAX_BYTES:
            self.writes = None
        else:
            self.writes.append((descriptor, data))

    def keep(self, served: tuple[str, str, str, int]) -> None:
        """Keep the writes as the answer, sealed, if `served` (cache.SERVED) is the catalogue they came from."""
        path, source, source_stat, checked_ns = served
        if self.writes is None or os.path.realpath(path) != os.path.realpath(self.path):
            return
        if not _safe(self.folder, stats.S_ISDIR):
            return
        secret = _secret(self.folder)
        if secret is None:
            return
        head = f"{source}\x00{source_stat}\x00{checked_ns}\n".encode("utf-8", "surrogateescape")
        chunks = [b"%d %d\n" % (descriptor, len(data)) + data for descriptor, data in self.writes]
        body = b"".join([_MAGIC, self.key, head, *chunks])
        name = _name(self.folder, self.path, self.key)
        temporary = os.path.join(self.folder, f".answer-{os.getpid()}-{os.urandom(6).hex()}.tmp")
        try:
            handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
            try:
                with open(handle, "wb", closefd=False) as stream:
                    stream.write(_seal(secret, body) + body)
            finally:
                os.close(handle)
            os.replace(temporary, name)
        except OSError:
            import contextlib  # only here: it costs a warm run more than the rest of its imports

            with contextlib.suppress(OSError):
                os.unlink(temporary)


def _read(name: str) -> bytes | None:
    """The bytes of `name` if it is a regular file of ours no larger than an answer may be."""
    try:
        handle = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        status = os.fstat(handle)
        if not stats.S_ISREG(status.st_mode) or status.st_size > MAX_BYTES + 64 * 1024:
            return None
        if status.st_uid != os.getuid() or status.st_mode & (stats.S_IWGRP | stats.S_IWOTH):
            return None
        with open(handle, "rb", closefd=False) as stream:
            return stream.read(MAX_BYTES + 64 * 1024 + 1)
    except OSError:
        return None
    finally:
        os.close(handle)


def _writes(data: bytes, at: int) -> list[tuple[int, bytes]] | None:
    """The writes recorded from `at` on, or None if they are not whole."""
    writes: list[tuple[int, bytes]] = []
    while at < len(data):
        end = data.find(b"\n", at, at + 32)
        if end < 0:
            return None
        descriptor, _, length = data[at:end].partition(b" ")
        if descriptor not in (b"1", b"2") or not length.isdigit():
            return None
        start, at = end + 1, end + 1 + int(length)
        if at > len(data):
            return None
        writes.append((int(descriptor), data[start:at]))
    return writes


def lookup(argv: Sequence[str]) -> Kept | int | None:
    """Write the kept answer to `argv` and return its exit code; else a `Kept` to record the run in, or None."""
    data = invocation(argv)
    folder = _folder()
    if data is None or folder is None:
        return None
    try:
        from .paths import catalogue_location

        path = catalogue_location(data or None)
        status = os.stat(path)
        wanted = key(argv, path)
    except Exception:  # no catalogue to be found, a working folder gone: the command says what is wrong
        return None
    if not stats.S_ISREG(status.st_mode):
        return None
    kept = Kept(folder, path, wanted)
    if not _safe(folder, stats.S_ISDIR):
        return kept
    found = _read(_name(folder, path, wanted))
    secret = _secret(folder) if found is not None else None
    if found is None or secret is None or _seal(secret, found[32:]) != found[:32]:
        return kept
    body = found[32:]
    head = len(_MAGIC) + 32
    end = body.find(b"\n", head)
    if not body.startswith(_MAGIC) or body[len(_MAGIC) : head] != wanted or end < 0:
        return kept
    fields = body[head:end].decode("utf-8", "surrogateescape").split("\x00")
    writes = _writes(body, end + 1)
    if len(fields) != 3 or not fields[2].isdigit() or writes is None:
        return kept
    if stat_key(status) != fields[1] or not still_since(status, int(fields[2])):
        return kept
    for descriptor, chunk in writes:
        view = memoryview(chunk)
        while view:
            view = view[os.write(descriptor, view) :]
    return 0


#: The standard streams replaced by `record`, kept alive: collected, they would close the descriptors they share.
_REPLACED: list[object] = []


def record(kept: Kept) -> None:
    """Have stdout and stderr tell `kept` every write they make, in order, and otherwise behave as before."""
    import io

    streams = (sys.stdout, sys.stderr)
    buffers = [getattr(stream, "buffer", None) for stream in streams]
    # Unbuffered (python -u, $PYTHONUNBUFFERED), a stream writes to its file straight.
    raws = [buffer if isinstance(buffer, io.FileIO) else getattr(buffer, "raw", None) for buffer in buffers]
    if not all(isinstance(s, io.TextIOWrapper) for s in streams) or not all(isinstance(r, io.FileIO) for r in raws):
        kept.writes = None  # a stream this module did not make: not recorded, nor kept
        return

    class Tee(io.RawIOBase):
        def __init__(self, raw: io.FileIO) -> None:
            self.raw = raw
            self.descriptor = raw.fileno()

        def writable(self) -> bool:
            return True

        def write(self, data: Any) -> int | None:
            written = self.raw.write(data)
            if written:
                kept.wrote(self.descriptor, bytes(memoryview(data).cast("B")[:written]))
            return written

        def isatty(self) -> bool:
            return self.raw.isatty()

        def fileno(self) -> int:
            return self.descriptor

        def close(self) -> None:  # the descriptor stays open, as the stream it stands in for leaves it
            super().close()

    made = []
    for stream, buffer, raw in zip(streams, buffers, raws, strict=True):
        assert isinstance(stream, io.TextIOWrapper) and isinstance(raw, io.FileIO)
        stream.flush()
        size = os.fstat(raw.fileno()).st_blksize
        under: Any = Tee(raw)
        if buffer is not raw:
            under = io.BufferedWriter(under, size if size > 1 else io.DEFAULT_BUFFER_SIZE)
        made.append(
            io.TextIOWrapper(
                under,
                encoding=stream.encoding,
                errors=stream.errors,
                newline=None,
                line_buffering=stream.line_buffering,
                write_through=stream.write_through,
            )
        )
    _REPLACED.extend(streams)
    sys.stdout, sys.stderr = made
