"""A cache of parsed catalogues, so a repeat query skips YAML parsing.

The cache lives under ``$XDG_CACHE_HOME/ldn-evidence`` (default
``~/.cache/ldn-evidence``), one file per catalogue path. It is plain JSON,
never pickle: a header line, then the payload. The header holds the hash of
the catalogue file it was made from (BLAKE2b), so a changed catalogue is never served
from it, and the payload's length and CRC-32, so a truncated, corrupt or
foreign file is ignored and rebuilt. Files are written to a temporary name and renamed,
so concurrent runs never see half a file, and a folder that cannot be written
only costs speed.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from . import __version__
from .formats import cautions_data, documents_data
from .model import AdverseEvent, Catalogue, Caution, Document, Dose, Duration, Finding, Source, Study
from .paths import catalogue_location, read_bytes

if TYPE_CHECKING:
    from pathlib import Path

try:  # CPython's own BLAKE2 needs no OpenSSL start-up
    from _blake2 import blake2b as _blake2b
except ImportError:  # pragma: no cover - other Pythons
    from hashlib import blake2b as _blake2b

MAGIC = "ldn-evidence-cache"
#: Bump when the payload's shape changes.
FORMAT = 4


def digest(data: bytes) -> str:
    """The content key of a catalogue file: its BLAKE2b-256 in hex."""
    return _blake2b(data, digest_size=32).hexdigest()


def _folder() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "ldn-evidence")


def _entry(path: str | os.PathLike[str]) -> str:
    key = digest(os.path.realpath(path).encode("utf-8", "surrogateescape"))[:32]
    return os.path.join(_folder(), f"{key}.json")


def cache_folder() -> Path:
    """Where cache files live: $XDG_CACHE_HOME/ldn-evidence, else ~/.cache/ldn-evidence."""
    from pathlib import Path

    return Path(_folder())


def cache_file(path: str | os.PathLike[str]) -> Path:
    """The cache file for a catalogue path."""
    from pathlib import Path

    return Path(_entry(path))


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Build many small objects without the cycle collector rescanning them again and again.

    A catalogue is plain data with no reference cycles; collecting while it is built
    only costs time (a fifth of a 10,000-study load from the cache).
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
    raw = read_bytes(path)
    if not use_cache:
        from .loader import parse_catalogue

        return parse_catalogue(raw, path)
    key = digest(raw)
    entry = _entry(path)
    cached = read_cache(entry, key, path)
    if cached is not None:
        return cached
    from .loader import parse_catalogue  # only when the cache cannot answer

    catalogue = parse_catalogue(raw, path)
    write_cache(entry, key, catalogue)
    return catalogue


def _header(source: str, payload: bytes) -> dict[str, Any]:
    return {
        "magic": MAGIC,
        "format": FORMAT,
        "package": __version__,
        "source_blake2b": source,
        # A CRC catches a truncated or damaged payload; the source's SHA-256 is what keeps it current.
        "payload_crc32": zlib.crc32(payload),
        "payload_bytes": len(payload),
    }


def _study_row(study: Study) -> list[Any]:
    """A study as a positional row: smaller to store and quicker to read back than a mapping."""
    return [
        study.id, study.title, study.condition, study.design, study.outcome, study.effect,
        [[s.seed, s.quote] for s in study.sources], study.year, study.place, list(study.investigators),
        study.population, study.n,
        [study.duration.text, study.duration.days] if study.duration else None,
        [study.dose.text, study.dose.mg_per_day] if study.dose else None,
        [[f.measure, f.effect, f.detail] for f in study.findings],
        [[a.event, a.share] for a in study.adverse_events],
        study.tolerability, study.notes, study.line,
    ]  # fmt: skip


def _payload(catalogue: Catalogue) -> dict[str, Any]:
    data: dict[str, Any] = {
        "documents": documents_data(catalogue),
        "cautions": cautions_data(catalogue),
        "studies": [_study_row(s) for s in catalogue.studies],
    }
    # Lines are kept so that messages about cached records still point into the file.
    data["lines"] = {
        "documents": [d.line for d in catalogue.documents],
        "cautions": [c.line for c in catalogue.cautions],
    }
    return data


def write_cache(entry: str | os.PathLike[str], source: str, catalogue: Catalogue) -> bool:
    """Write the cache file atomically; False (and nothing else) if it cannot be written."""
    payload = json.dumps(_payload(catalogue), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    header = json.dumps(_header(source, payload)).encode("utf-8")
    import tempfile

    temporary = None
    try:
        folder = os.path.dirname(entry)
        os.makedirs(folder, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=folder)
        with os.fdopen(handle, "wb") as stream:
            stream.write(header + b"\n" + payload)
        os.replace(temporary, entry)
        return True
    except OSError:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        return False


def read_cache(entry: str | os.PathLike[str], source: str, path: str) -> Catalogue | None:
    """The cached catalogue if the file is whole, ours, current and made from this content; else None."""
    try:
        with open(entry, "rb") as handle:
            blob = handle.read()
    except OSError:
        return None
    head, newline, payload = blob.partition(b"\n")
    if not newline:
        return None
    try:
        header = json.loads(head)
        if not isinstance(header, dict) or header != _header(source, payload):
            return None
        return _catalogue(json.loads(payload), path)
    except (ValueError, TypeError, KeyError, AttributeError):
        # Valid JSON of the wrong shape (a foreign or older file): rebuild.
        return None


def _sources(items: list[dict[str, str]]) -> tuple[Source, ...]:
    return tuple(Source(s["seed"], s["quote"]) for s in items)


def _catalogue(data: dict[str, Any], path: str) -> Catalogue:
    lines = data["lines"]
    documents = tuple(
        Document(
            seed=d["seed"], kind=d["kind"], sources=_sources(d["sources"]), title=d["title"],
            publisher=d["publisher"], author=d["author"], date=d["date"], line=line,
        )
        for d, line in zip(data["documents"], lines["documents"], strict=True)
    )  # fmt: skip
    cautions = tuple(
        Caution(id=c["id"], topic=c["topic"], text=c["text"], sources=_sources(c["sources"]), line=line)
        for c, line in zip(data["cautions"], lines["cautions"], strict=True)
    )
    studies = [
        Study(
            ident, title, condition, design, outcome, effect,
            tuple([Source(seed, quote) for seed, quote in sources]), year, place, tuple(investigators),
            population, n,
            Duration(duration[0], duration[1]) if duration else None,
            Dose(dose[0], dose[1]) if dose else None,
            tuple([Finding(m, e, d) for m, e, d in findings]),
            tuple([AdverseEvent(event, share) for event, share in events]),
            tolerability, notes, line,
        )
        for (ident, title, condition, design, outcome, effect, sources, year, place, investigators, population, n,
             duration, dose, findings, events, tolerability, notes, line) in data["studies"]
    ]  # fmt: skip
    return Catalogue(path, tuple(studies), documents, cautions)
