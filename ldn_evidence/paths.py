"""Where the catalogue is, and reading its bytes: all a cache hit needs of the file system.

Kept apart from the loader so that a run served from the cache never imports
the validator or PyYAML. The hot path works on plain strings with os.path;
the functions that return `Path` import pathlib only when called (on Python
3.11 it costs a start-up import of urllib).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from .errors import CatalogueFileError

if TYPE_CHECKING:
    from pathlib import Path

#: Larger files are refused before parsing: the shipped catalogue is ~50 KB and
#: 10,000 studies are ~14 MB.
MAX_BYTES = 256 * 1024 * 1024

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

    beside = os.path.join(os.path.dirname(os.path.dirname(os.path.realpath(catalogue))), "seeds")
    if os.path.isdir(beside):
        return Path(friendly_location(beside))
    shipped = os.path.join(os.path.dirname(os.path.dirname(shipped_location())), "seeds")
    return Path(friendly_location(shipped))


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """Read a catalogue file, turning every way that can fail into CatalogueFileError."""
    try:
        size = os.stat(path).st_size
        if size > MAX_BYTES:
            raise CatalogueFileError(f"{path}: {size:,} bytes is larger than the {MAX_BYTES:,} allowed")
        with open(path, "rb") as handle:
            return handle.read()
    except FileNotFoundError as exc:
        raise CatalogueFileError(f"{path}: no such file") from exc
    except IsADirectoryError as exc:
        raise CatalogueFileError(f"{path}: is a folder, not a catalogue file") from exc
    except NotADirectoryError as exc:
        raise CatalogueFileError(f"{path}: no such file") from exc
    except PermissionError as exc:
        raise CatalogueFileError(f"{path}: permission denied") from exc
    except OSError as exc:
        raise CatalogueFileError(f"{path}: cannot read: {exc.strerror or exc}") from exc
