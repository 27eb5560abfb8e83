"""Where the catalogue is, and reading its bytes: all a cache hit needs of the file system.

Kept apart from the loader so that a run served from the cache never imports
the validator or PyYAML.
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import CatalogueFileError

#: Larger files are refused before parsing: the shipped catalogue is ~50 KB and
#: 10,000 studies are ~14 MB.
MAX_BYTES = 256 * 1024 * 1024

_PACKAGE = Path(__file__).resolve().parent


def shipped_catalogue() -> Path:
    """The catalogue that ships with the package (in a wheel, or in a checkout)."""
    for candidate in (
        _PACKAGE / "_data" / "data" / "studies.yaml",
        _PACKAGE.parent / "data" / "studies.yaml",
    ):
        if candidate.is_file():
            return candidate
    raise CatalogueFileError("the shipped catalogue is missing from this installation")


def catalogue_path(data: str | os.PathLike[str] | None = None) -> Path:
    """The catalogue to read: `data` if given, else $LDN_DATA, else the shipped one."""
    if data:
        return Path(data)
    env = os.environ.get("LDN_DATA")
    if env:
        return Path(env)
    return friendly(shipped_catalogue())


def friendly(path: Path) -> Path:
    """The path relative to the working folder when it lies inside it, as people would type it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except (ValueError, OSError):
        return path


def seeds_folder(catalogue: Path) -> Path:
    """The source documents for a catalogue: seeds/ beside its data folder, else the shipped ones."""
    beside = catalogue.resolve().parent.parent / "seeds"
    if beside.is_dir():
        return friendly(beside)
    return friendly(shipped_catalogue().parent.parent / "seeds")


def read_bytes(path: Path) -> bytes:
    """Read a catalogue file, turning every way that can fail into CatalogueFileError."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise CatalogueFileError(f"{path}: {size:,} bytes is larger than the {MAX_BYTES:,} allowed")
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise CatalogueFileError(f"{path}: no such file") from exc
    except IsADirectoryError as exc:
        raise CatalogueFileError(f"{path}: is a folder, not a catalogue file") from exc
    except PermissionError as exc:
        raise CatalogueFileError(f"{path}: permission denied") from exc
    except OSError as exc:
        raise CatalogueFileError(f"{path}: cannot read: {exc.strerror or exc}") from exc
