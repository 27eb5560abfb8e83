"""`ldn --help` without importing Typer and click: their own text, kept from the last time they wrote it.

The help is what click writes for the Typer app, and importing the two costs several
times the rest of the run. Writing the same text again from the option declarations
would mean copying click's layout (its wrapping, its column widths, its shortened
command help), which could drift from it with any release; so the help is taken from
Typer itself the first time and kept in the user's cache folder, under a key made of
everything the text depends on: ldn's version and its modules' sizes and times, the
installed Typer, click and rich, Python's version, the width click reads ($COLUMNS, or
the terminal's), whether stdout is a terminal, its encoding, and every environment
variable Typer, click or rich read. Any change gives another key, and Typer writes the
help again. tests/cli/test_help_cache.py compares the kept text with Typer's, byte for
byte, at several widths.
"""

from __future__ import annotations

import os
import sys

from . import __version__

try:  # the hash alone: hashlib would load OpenSSL first, a tenth of this run
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python built without it
    from hashlib import blake2b

#: The invocations served: the top-level help only.
HELP_ARGUMENTS = (["--help"], ["-h"])
#: Environment variables the help's text or layout could depend on (click, Typer, rich, the terminal).
_ENVIRONMENT = (
    "COLUMNS", "LINES", "TERM", "COLORTERM", "NO_COLOR", "FORCE_COLOR", "PY_COLORS", "GITHUB_ACTIONS",
    "TERMINAL_WIDTH", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "JUPYTER_COLUMNS", "JUPYTER_LINES",
    "PYTHONIOENCODING", "LANG", "LC_ALL", "LC_CTYPE", "_LDN_COMPLETE",
)  # fmt: skip
_PREFIXES = ("TYPER", "_TYPER", "CLICK", "_CLICK", "LDN")


def _folder() -> str | None:
    """Where the help is kept: the catalogue cache's folder ($XDG_CACHE_HOME/ldn-evidence or ~/.cache/ldn-evidence)."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        base = os.path.join(os.path.expanduser("~"), ".cache")
    if not os.path.isabs(base):
        return None
    return os.path.join(os.sep + base.lstrip(os.sep), "ldn-evidence")


def _stats(folder: str) -> list[tuple[str, int, int]]:
    """Each Python file's name, size and modification time in `folder` (empty if it cannot be read)."""
    try:
        with os.scandir(folder) as entries:
            found = [(e.name, e.stat().st_size, e.stat().st_mtime_ns) for e in entries if e.name.endswith(".py")]
    except OSError:
        return []
    return sorted(found)


def _installed(package: str) -> list[tuple[str, int, int]]:
    """A package's files as `_stats` gives them, found on sys.path without importing it."""
    for entry in sys.path:
        folder = os.path.join(entry or ".", package)
        if os.path.isfile(os.path.join(folder, "__init__.py")):
            return _stats(folder)
    return []


def key() -> str:
    """What the help text depends on, as one hash."""
    stream = sys.stdout
    try:
        size: object = tuple(os.get_terminal_size(sys.__stdout__.fileno()))  # type: ignore[union-attr]  # as click reads it
    except (AttributeError, ValueError, OSError):
        size = None
    parts = (
        __version__, sys.version, sys.executable, _stats(os.path.dirname(__file__)),
        [(name, _installed(name)) for name in ("typer", "click", "rich")],
        size, stream.isatty(), getattr(stream, "encoding", None), getattr(stream, "errors", None),
        sorted((name, value) for name, value in os.environ.items()
               if name in _ENVIRONMENT or name.startswith(_PREFIXES)),
    )  # fmt: skip
    return blake2b(repr(parts).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _path(folder: str, wanted: str) -> str:
    return os.path.join(folder, f"help-{wanted}.txt")


def kept(argv: list[str]) -> bytes | None:
    """The help Typer wrote for this same situation, if kept safely (our own file, written by us only)."""
    folder = _folder()
    if argv not in HELP_ARGUMENTS or folder is None:
        return None
    try:
        handle = os.open(_path(folder, key()), os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return None
    try:
        status = os.fstat(handle)
        if status.st_uid != os.getuid() or status.st_mode & 0o022 or status.st_size > 1 << 20:
            return None
        with os.fdopen(handle, "rb", closefd=False) as stream:
            return stream.read()
    except OSError:
        return None
    finally:
        os.close(handle)


def keep(text: bytes, wanted: str) -> None:
    """Keep `text` under the key `wanted` (taken before Typer ran); quietly nothing if the folder is not ours."""
    folder = _folder()
    if folder is None:
        return
    import tempfile

    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        status = os.lstat(folder)
        if status.st_uid != os.getuid() or status.st_mode & 0o022 or not os.path.isdir(folder):
            return
        handle, temporary = tempfile.mkstemp(prefix=".help-", dir=folder)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(text)
            os.replace(temporary, _path(folder, wanted))
        except OSError:
            os.unlink(temporary)
    except OSError:
        return
