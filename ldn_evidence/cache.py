"""A cache of parsed catalogues, so a repeat query skips YAML parsing.

The cache lives under ``$XDG_CACHE_HOME/ldn-evidence`` (default
``~/.cache/ldn-evidence``), one file per catalogue path. It is plain JSON,
never pickle: a header line, then the payload. The header holds the SHA-256 of
the catalogue file it was made from, so a changed catalogue is never served
from it, and the payload's length and CRC-32, so a truncated, corrupt or
foreign file is ignored and rebuilt. Files are written to a temporary name and renamed,
so concurrent runs never see half a file, and a folder that cannot be written
only costs speed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import zlib
from pathlib import Path
from typing import Any

from . import __version__
from .formats import catalogue_data
from .model import AdverseEvent, Catalogue, Caution, Document, Dose, Duration, Finding, Source, Study
from .paths import catalogue_path, read_bytes

MAGIC = "ldn-evidence-cache"
#: Bump when the payload's shape changes.
FORMAT = 3


def cache_folder() -> Path:
    """Where cache files live: $XDG_CACHE_HOME/ldn-evidence, else ~/.cache/ldn-evidence."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "ldn-evidence"


def cache_file(path: Path) -> Path:
    """The cache file for a catalogue path."""
    key = hashlib.sha256(str(path.resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:32]
    return cache_folder() / f"{key}.json"


def load_cached(data: str | os.PathLike[str] | None = None, use_cache: bool = True) -> Catalogue:
    """The catalogue named by `data` ($LDN_DATA, or the shipped one), from the cache when it is current."""
    path = catalogue_path(data)
    raw = read_bytes(path)
    if not use_cache:
        from .loader import parse_catalogue

        return parse_catalogue(raw, str(path))
    digest = hashlib.sha256(raw).hexdigest()
    entry = cache_file(path)
    cached = read_cache(entry, digest, str(path))
    if cached is not None:
        return cached
    from .loader import parse_catalogue  # only when the cache cannot answer

    catalogue = parse_catalogue(raw, str(path))
    write_cache(entry, digest, catalogue)
    return catalogue


def _header(digest: str, payload: bytes) -> dict[str, Any]:
    return {
        "magic": MAGIC,
        "format": FORMAT,
        "package": __version__,
        "source_sha256": digest,
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
    data = catalogue_data(catalogue)
    data["studies"] = [_study_row(s) for s in catalogue.studies]
    # Lines are kept so that messages about cached records still point into the file.
    data["lines"] = {
        "documents": [d.line for d in catalogue.documents],
        "cautions": [c.line for c in catalogue.cautions],
    }
    return data


def write_cache(entry: Path, digest: str, catalogue: Catalogue) -> bool:
    """Write the cache file atomically; False (and nothing else) if it cannot be written."""
    payload = json.dumps(_payload(catalogue), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    header = json.dumps(_header(digest, payload)).encode("utf-8")
    import tempfile

    temporary = None
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=entry.parent)
        with os.fdopen(handle, "wb") as stream:
            stream.write(header + b"\n" + payload)
        os.replace(temporary, entry)
        return True
    except OSError:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        return False


def read_cache(entry: Path, digest: str, path: str) -> Catalogue | None:
    """The cached catalogue if the file is whole, ours, current and made from this content; else None."""
    try:
        blob = entry.read_bytes()
    except OSError:
        return None
    head, newline, payload = blob.partition(b"\n")
    if not newline:
        return None
    try:
        header = json.loads(head)
        if not isinstance(header, dict) or header != _header(digest, payload):
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
