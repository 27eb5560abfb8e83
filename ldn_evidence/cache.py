"""Loading the catalogue for a command (a cache of parsed catalogues comes here)."""

from __future__ import annotations

import os

from .loader import catalogue_path, load
from .model import Catalogue


def load_cached(data: str | os.PathLike[str] | None = None, use_cache: bool = True) -> Catalogue:
    """Load the catalogue named by `data` ($LDN_DATA, or the shipped one)."""
    del use_cache
    return load(catalogue_path(data))
