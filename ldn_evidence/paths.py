"""Where the catalogue is, and reading its bytes: all a cache hit needs of the file system.

Kept apart from the loader so that a run served from the cache never imports
the validator or PyYAML. The hot path works on plain strings with os.path;
the functions that return `Path` import pathlib only when called (on Python
3.11 it costs a start-up import of urllib).
"""

from __future__ import annotations

import os

from .errors import CatalogueFileError

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at run time

if TYPE_CHECKING:
    from pathlib import Path

#: Larger files are refused before parsing (and a pipe is cut here): the shipped catalogue is ~50 KB and
#: 10,000 studies are ~14 MB.
MAX_BYTES = 64 * 1024 * 1024

_PACKAGE = os.path.dirname(os.path.realpath(__file__))


def shipped_location() -> str:
    """The shipped catalogue's file (in a wheel, or in a checkout), as a string."""
    for candidate in (
        os.path.join(_PACKAGE, "_data", "data", "studies.yaml"),
        os.path.join(os.path.dirname(_PACKAGE), "data", "studies.yaml"),
    ):
        if os.path.isfile(candidate):
            return candidate
    raise CatalogueFileError("the shipped catalogue is missing from this installation")


def shipped_catalogue() -> Path:
    """The catalogue that ships with the package (in a wheel, or in a checkout)."""
    from pathlib import Path

    return Path(shipped_location())


def catalogue_location(data: str | os.PathLike[str] | None = None) -> str:
    """The catalogue to read, as a string: `data` if given, else $LDN_DATA, else the shipped one."""
    if data:
        return os.fspath(data)
    env = os.environ.get("LDN_DATA")
    if env:
        return env
    return friendly_location(shipped_location())


#: How many folders up from the working one `local_catalogue` looks.
LOCAL_DEPTH = 32


def local_catalogue(start: str | None = None) -> str | None:
    """The catalogue being edited where ldn runs: data/studies.yaml in the working folder or its checkout; else None.

    The working folder's own data/studies.yaml counts; above it, only the one at a
    checkout's top (a folder holding .git or pyproject.toml), where the search stops,
    so a data folder someone left in a shared parent such as /tmp is never picked up.
    The path is as people type it. A catalogue that is a link leading out of that folder
    (to a key, say, in a cloned repository) is refused with CatalogueFileError.
    """
    try:
        here = folder = os.path.realpath(start or os.getcwd())
    except OSError:
        return None
    for _ in range(LOCAL_DEPTH):
        candidate = os.path.join(folder, "data", "studies.yaml")
        top = any(os.path.exists(os.path.join(folder, mark)) for mark in (".git", "pyproject.toml"))
        if (folder == here or top) and os.path.isfile(candidate):
            # Found by its place, not named: like seeds/, it may not be a link out of its tree.
            real = os.path.realpath(candidate)
            if not real.startswith(folder.rstrip(os.sep) + os.sep):
                raise CatalogueFileError(
                    f"{escaped(friendly_location(candidate))}: the catalogue found here is a link that leads out of "
                    f"{escaped(folder)}; refused; name it (ldn validate FILE, or --data FILE) to read it"
                )
            return friendly_location(candidate)
        if top:
            return None
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent
    return None


def catalogue_path(data: str | os.PathLike[str] | None = None) -> Path:
    """The catalogue to read: `data` if given, else $LDN_DATA, else the shipped one."""
    from pathlib import Path

    return Path(catalogue_location(data))


def friendly_location(path: str) -> str:
    """The path relative to the working folder when it lies inside it, as people would type it."""
    try:
        real, here = os.path.realpath(path), os.path.realpath(os.getcwd())
    except OSError:
        return path
    if real == here or real.startswith(here.rstrip(os.sep) + os.sep):
        return os.path.relpath(real, here)
    return path


def friendly(path: Path) -> Path:
    """`friendly_location` for a Path."""
    from pathlib import Path

    return Path(friendly_location(os.fspath(path)))


def seeds_folder(catalogue: str | os.PathLike[str]) -> Path:
    """The source documents for a catalogue: seeds/ beside its data folder, else the shipped ones."""
    from pathlib import Path

    root = os.path.dirname(os.path.dirname(os.path.realpath(catalogue)))
    beside = os.path.join(root, "seeds")
    if os.path.isdir(beside):
        stays_inside(beside, root, "seeds folder", "--seeds")
        return Path(friendly_location(beside))
    shipped = os.path.join(os.path.dirname(os.path.dirname(shipped_location())), "seeds")
    return Path(friendly_location(shipped))


def stays_inside(folder: str | os.PathLike[str], root: str | os.PathLike[str], what: str, option: str = "") -> None:
    """Refuse (CatalogueFileError) a folder found by its place that is a link leading out of `root`.

    seeds/ and publications/ are found beside the catalogue, not named by the
    user; were one a link to /etc, its files' text would reach the "closest
    passage" of a failed quote and `sources --text`. Only a folder the user
    names (`option`) is taken wherever it leads.
    """
    real, tree = os.path.realpath(folder), os.path.realpath(root)
    if real != tree and not real.startswith(tree.rstrip(os.sep) + os.sep):
        named = f"; name it with {option} to read it" if option else ""
        raise CatalogueFileError(
            f"{escaped(friendly_location(os.fspath(folder)))}: the {what} is a link that leads out of "
            f"{escaped(friendly_location(tree))}; refused{named}"
        )


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """Read a catalogue file, turning every way that can fail into CatalogueFileError."""
    return read_capped(path, MAX_BYTES, "catalogue file")


def read_capped(path: str | os.PathLike[str], limit: int, what: str = "file", pipes: bool = True) -> bytes:
    """The bytes of a regular file or a pipe, at most `limit` of them; CatalogueFileError otherwise.

    A device (``/dev/zero``, a terminal), a socket or a folder is refused before
    anything is read; a pipe (``--data /dev/stdin``, ``<(...)``) is read up to the
    limit and refused past it, so an endless pipe cannot hang the run or fill memory.
    The file is opened without blocking, so a FIFO with no writer reads as empty
    instead of waiting for one.
    """
    import stat

    shown = escaped(os.fspath(path))
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError as exc:
        raise CatalogueFileError(f"{shown}: no such file") from exc
    except IsADirectoryError as exc:
        raise CatalogueFileError(f"{shown}: is a folder, not {_a(what)}") from exc
    except NotADirectoryError as exc:
        raise CatalogueFileError(f"{shown}: no such file") from exc
    except PermissionError as exc:
        raise CatalogueFileError(f"{shown}: permission denied") from exc
    except OSError as exc:
        raise CatalogueFileError(f"{shown}: cannot read: {exc.strerror or exc}") from exc
    try:
        mode = os.fstat(descriptor).st_mode
        if stat.S_ISDIR(mode):
            raise CatalogueFileError(f"{shown}: is a folder, not {_a(what)}")
        if not (stat.S_ISREG(mode) or (pipes and stat.S_ISFIFO(mode))):
            kind = "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a regular file"
            kind = "a FIFO (named pipe)" if stat.S_ISFIFO(mode) else kind
            raise CatalogueFileError(f"{shown}: is {kind}, not {_a(what)}; refused")
        # A regular file is read in one piece of its size (chunks joined would hold it twice); a pipe a
        # mebibyte at a time.
        step = 1 << 20
        if stat.S_ISREG(mode):
            size = os.fstat(descriptor).st_size
            if size > limit:
                raise CatalogueFileError(f"{shown}: {size:,} bytes is larger than the {limit:,} allowed")
            step = max(step, size + 1)
        else:
            # A pipe: wait for its data as a normal read would.
            os.set_blocking(descriptor, True)
        chunks = []
        total = 0
        while True:
            chunk = os.read(descriptor, min(step, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            step = 1 << 20
            if total > limit:
                raise CatalogueFileError(f"{shown}: more than the {limit:,} bytes allowed; refused")
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)
    except BlockingIOError as exc:  # pragma: no cover - a regular file never blocks
        raise CatalogueFileError(f"{shown}: cannot read: {exc.strerror or exc}") from exc
    except CatalogueFileError:
        raise
    except OSError as exc:
        raise CatalogueFileError(f"{shown}: cannot read: {exc.strerror or exc}") from exc
    finally:
        os.close(descriptor)


def read_inside(folder: str | os.PathLike[str], name: str, limit: int, what: str) -> bytes:
    """The bytes of the regular file `name` in `folder`, which it may not leave; CatalogueFileError otherwise.

    `name` must be a plain file name (no path, not hidden); a symbolic link is
    followed only while it stays inside the folder; the file must be a regular
    one of at most `limit` bytes. A missing file raises FileNotFoundError, so a
    caller can tell "not there" from "refused". The message is the reason alone.
    """
    if not name or "/" in name or "\\" in name or name.startswith(".") or "\x00" in name:
        raise CatalogueFileError(f"a {what} is a plain file name in its folder, with no path")
    file = os.path.join(folder, name)
    if not os.path.lexists(file):
        raise FileNotFoundError(file)
    inside = os.path.realpath(folder)
    real = os.path.realpath(file)
    if not real.startswith(inside.rstrip(os.sep) + os.sep):
        raise CatalogueFileError("it is a link that leads out of the folder; refused")
    try:
        return read_capped(real, limit, what, pipes=False)
    except CatalogueFileError as exc:
        raise CatalogueFileError(str(exc).removeprefix(escaped(real) + ": ")) from exc


def _a(noun: str) -> str:
    """'a catalogue file', 'an excerpt file'."""
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


def escaped(name: str) -> str:
    """A file name safe to print in a message: control characters and line breaks as escapes.

    A name can hold any byte but "/" and NUL; printed raw, a newline in it could
    forge a second line of output and an escape sequence could drive the terminal.
    The invisible characters views escape (`text.INVISIBLE`) are escaped too.
    """
    if name.isascii() and name.isprintable():
        return name
    from .text import INVISIBLE

    return "".join(ch if ch.isprintable() and not INVISIBLE.match(ch) else ascii(ch)[1:-1] for ch in name)
