"""A cache of parsed catalogues, so a repeat query skips YAML parsing.

The cache lives under ``$XDG_CACHE_HOME/ldn-evidence`` (default
``~/.cache/ldn-evidence``), one file per catalogue path. It is plain JSON,
never pickle: a header line, then the index and the text (see below). The
header holds the hash of the catalogue file it was made from (see `digest`), so
a changed catalogue is never served from it, and each part's length and CRC-32,
so a truncated, corrupt or foreign file is ignored and rebuilt. Files are written
to a temporary name and renamed, so concurrent runs never see half a file, and a
folder that cannot be written only costs speed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import gc
import json
import os
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar, overload

from . import __version__
from .formats import cautions_data, documents_data
from .model import (
    AdverseEvent,
    Catalogue,
    Caution,
    Discrepancy,
    Document,
    Dose,
    Duration,
    Entry,
    Finding,
    Publication,
    PublishedFact,
    Source,
    Study,
)
from .paths import catalogue_location, read_bytes

if TYPE_CHECKING:
    from pathlib import Path

try:  # CPython's own BLAKE2 needs no OpenSSL start-up
    from _blake2 import blake2b as _blake2b
except ImportError:  # pragma: no cover - other Pythons
    from hashlib import blake2b as _blake2b

_T = TypeVar("_T")

MAGIC = "ldn-evidence-cache"
#: Bump when the payload's shape changes.
FORMAT = 7
#: The header line is far shorter; a longer first line is not a header.
_HEADER_LIMIT = 4096


#: From this size on, a catalogue's key is its SHA-256 rather than its BLAKE2b.
LARGE = 4 * 1024 * 1024


def digest(data: bytes) -> str:
    """The content key of a catalogue file: "blake2b:" or "sha256:" and the hash in hex.

    Which hash follows from the size alone, so the key still depends on nothing but
    the content. CPython's BLAKE2b costs nothing to start; OpenSSL's SHA-256 costs a few
    milliseconds to load, and on processors with SHA instructions (most x86 since 2017,
    and ARMv8) hashes a large file in about half BLAKE2b's time.
    """
    if len(data) < LARGE:
        return "blake2b:" + _blake2b(data, digest_size=32).hexdigest()
    import hashlib

    return "sha256:" + hashlib.sha256(data).hexdigest()


def _folder() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "ldn-evidence")


def _entry(path: str | os.PathLike[str]) -> str:
    key = _blake2b(os.path.realpath(path).encode("utf-8", "surrogateescape"), digest_size=32).hexdigest()[:32]
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
    only costs time.
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
    cached = read_cache(entry, key, path, raw)
    if cached is not None:
        return cached
    from .loader import parse_catalogue  # only when the cache cannot answer

    catalogue = parse_catalogue(raw, path)
    write_cache(entry, key, catalogue)
    return catalogue


def _header(source: str, index: bytes, text_bytes: int, text_crc32: Any) -> dict[str, Any]:
    return {
        "magic": MAGIC,
        "format": FORMAT,
        "package": __version__,
        "source_hash": source,
        # A CRC catches a truncated or damaged part; the source's hash is what keeps it current.
        "index_bytes": len(index),
        "index_crc32": zlib.crc32(index),
        "text_bytes": text_bytes,
        "text_crc32": text_crc32,
    }


# After the header line come the index, one line of JSON, and the text, one line of
# JSON per study (JSON escapes every newline inside a string).
#
# The index holds the documents, the cautions and each study's `Entry`, as columns
# (one list per field, in file order): all that filters, sorting and counting read,
# and the shape that is quickest to turn back into entries. Each study's findings are
# one "measure effect,measure effect" string; durations, doses and findings repeat,
# and each distinct one is made once.
#
# The text holds the rest of each study as a positional row. Only a view that shows
# studies needs it: its CRC is checked on first use, and only the rows asked for are
# decoded (`ldn show` on 10,000 studies decodes one).

_COLUMNS = ("id", "condition", "design", "effect", "year", "population", "n")


def _index(catalogue: Catalogue) -> dict[str, Any]:
    studies = catalogue.studies
    columns: dict[str, list[Any]] = {name: [getattr(s, name) for s in studies] for name in _COLUMNS}
    columns["duration"] = [s.duration.text if s.duration else None for s in studies]
    columns["days"] = [s.duration.days if s.duration else None for s in studies]
    columns["duration_kind"] = [s.duration.kind if s.duration else None for s in studies]
    columns["dose"] = [s.dose.text if s.dose else None for s in studies]
    columns["mg_per_day"] = [s.dose.mg_per_day if s.dose else None for s in studies]
    columns["mg_per_dose"] = [s.dose.mg_per_dose if s.dose else None for s in studies]
    columns["mention"] = [s.mention for s in studies]
    columns["seeds"] = [list(s.seeds) for s in studies]
    columns["measured"] = [",".join(f"{m} {e}" for m, e in s.measured) for s in studies]
    return {
        "documents": documents_data(catalogue),
        "cautions": cautions_data(catalogue),
        # The published layer, whole (it is small): each publication as its fields, lines included.
        "publications": [dataclasses.asdict(p) for p in catalogue.publications],
        # Lines are kept so that messages about cached records still point into the file.
        "lines": {"documents": [d.line for d in catalogue.documents], "cautions": [c.line for c in catalogue.cautions]},
        "studies": columns,
    }


def _text_row(study: Study) -> list[Any]:
    return [
        study.title, study.outcome, [[s.seed, s.quote] for s in study.sources], study.place,
        list(study.investigators), [[f.measure, f.effect, f.detail] for f in study.findings],
        [[a.event, a.share] for a in study.adverse_events], study.tolerability, study.notes, study.line,
    ]  # fmt: skip


def _dumps(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def write_cache(entry: str | os.PathLike[str], source: str, catalogue: Catalogue) -> bool:
    """Write the cache file atomically; False (and nothing else) if it cannot be written."""
    index = _dumps(_index(catalogue))
    text = b"\n".join([_dumps(_text_row(s)) for s in catalogue.studies])
    header = json.dumps(_header(source, index, len(text), zlib.crc32(text))).encode("utf-8")
    import tempfile

    temporary = None
    try:
        folder = os.path.dirname(entry)
        os.makedirs(folder, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=folder)
        with os.fdopen(handle, "wb") as stream:
            stream.write(b"\n".join((header, index, text)))
        os.replace(temporary, entry)
        return True
    except OSError:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        return False


def read_cache(entry: str | os.PathLike[str], source: str, path: str, raw: bytes) -> Catalogue | None:
    """The cached catalogue if the file is whole, ours, current and made from `raw` (whose hash is `source`).

    Only the header and the index are read now. The text is read, and its CRC checked,
    the first time a study is asked for; should it then turn out to be damaged, `raw`
    is parsed instead and the cache file written again.
    """
    try:
        with open(entry, "rb") as handle:
            head = handle.readline(_HEADER_LIMIT)
            header = json.loads(head)
            if not isinstance(header, dict):
                return None
            index_bytes, text_bytes = header.get("index_bytes"), header.get("text_bytes")
            if not (isinstance(index_bytes, int) and isinstance(text_bytes, int) and index_bytes >= 0):
                return None
            index = handle.read(index_bytes + 1)
            whole = len(head) + len(index) + text_bytes == os.fstat(handle.fileno()).st_size
        if not whole or index[-1:] != b"\n":
            return None
        index = index[:-1]
        if header != _header(source, index, text_bytes, header.get("text_crc32")):
            return None
        index_data = json.loads(index)
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None

    def text() -> bytes:
        """The text part of the same cache file (another run may have replaced it since)."""
        with open(entry, "rb") as handle:
            if handle.readline(_HEADER_LIMIT) != head:
                raise ValueError("the cache file changed")
            handle.seek(index_bytes + 1, os.SEEK_CUR)
            return handle.read(text_bytes + 1)

    def rebuilt() -> Sequence[Study]:
        """The studies parsed from `raw`, with the cache file written again."""
        from .loader import parse_catalogue

        whole = parse_catalogue(raw, path)
        write_cache(entry, source, whole)
        return whole.studies

    try:
        entries, documents, cautions = _parts(index_data)
        publications = tuple([_publication(p) for p in index_data["publications"]])
    except (ValueError, TypeError, KeyError, AttributeError):
        # Valid JSON of the wrong shape (a foreign or older file): rebuild.
        return None
    studies = _Studies(entries, text, header["text_crc32"], rebuilt, publications)
    return Catalogue(path, studies, documents, cautions, entries, publications)


def _publication(data: dict[str, Any]) -> Publication:
    """A publication from its fields as `_index` wrote them."""
    lists = {key: tuple(data[key]) for key in ("study", "registry", "verified_on", "not_seen", "unverified")}
    facts = tuple([PublishedFact(**fact) for fact in data["facts"]])
    discrepancies = tuple([Discrepancy(**found) for found in data["discrepancies"]])
    return Publication(**{**data, **lists, "facts": facts, "discrepancies": discrepancies})


def _sources(items: list[dict[str, str]]) -> tuple[Source, ...]:
    return tuple(Source(s["seed"], s["quote"]) for s in items)


def _parts(index: dict[str, Any]) -> tuple[tuple[Entry, ...], tuple[Document, ...], tuple[Caution, ...]]:
    """The entries, documents and cautions of a cache file's index."""
    lines = index["lines"]
    documents = tuple(
        Document(
            seed=d["seed"], kind=d["kind"], sources=_sources(d["sources"]), title=d["title"],
            publisher=d["publisher"], author=d["author"], date=d["date"], line=line, notes=d["notes"],
        )
        for d, line in zip(index["documents"], lines["documents"], strict=True)
    )  # fmt: skip
    cautions = tuple(
        Caution(id=c["id"], topic=c["topic"], text=c["text"], sources=_sources(c["sources"]), line=line)
        for c, line in zip(index["cautions"], lines["cautions"], strict=True)
    )
    columns = index["studies"]
    durations = _made_once(Duration, zip(columns["duration"], columns["days"], columns["duration_kind"], strict=True))
    doses = _made_once(Dose, zip(columns["dose"], columns["mg_per_day"], columns["mg_per_dose"], strict=True))
    measured = _made_once(_pairs, zip(columns["measured"]))
    seeds = _made_once(_seeds, zip(map(tuple, columns["seeds"])))
    rows = zip(
        *(columns[name] for name in _COLUMNS), durations, doses, measured, columns["mention"], seeds, strict=True
    )
    # tuple.__new__ makes each Entry from its row in C, without a Python call per study.
    entries: tuple[Entry, ...] = tuple(map(functools.partial(tuple.__new__, Entry), rows))
    return entries, documents, cautions


def _made_once(make: Callable[..., _T], keys: Iterable[tuple[Any, ...]]) -> list[_T | None]:
    """make(*key) for each key, or None where its first part is None; each distinct value is made once."""
    made: dict[tuple[Any, ...], _T] = {}
    values: list[_T | None] = []
    for key in keys:
        if key[0] is None:
            values.append(None)
            continue
        value = made.get(key)
        if value is None:
            value = made[key] = make(*key)
        values.append(value)
    return values


def _seeds(seeds: tuple[str, ...]) -> tuple[str, ...]:
    return seeds


def _pairs(joined: str) -> tuple[tuple[str, str], ...]:
    """ "pain benefit,fatigue no-effect" -> (("pain", "benefit"), ("fatigue", "no-effect"))."""
    if not joined:
        return ()
    return tuple((measure, effect) for measure, effect in (pair.split(" ") for pair in joined.split(",")))


#: What reading a damaged or foreign text part can raise.
_DAMAGED = (OSError, ValueError, TypeError, KeyError, AttributeError)


class _Studies(Sequence[Study]):
    """A cached catalogue's studies: each entry joined to its text when the study is first asked for.

    The text's CRC is checked on first use. Should the text be damaged, or not what
    this package writes, `rebuilt` gives every study instead.
    """

    __slots__ = ("_crc", "_entries", "_made", "_published", "_rebuilt", "_rows", "_text", "_whole")

    def __init__(
        self,
        entries: tuple[Entry, ...],
        text: Callable[[], bytes],
        crc: Any,
        rebuilt: Callable[[], Sequence[Study]],
        publications: tuple[Publication, ...] = (),
    ) -> None:
        self._published: dict[str, Publication] = {}  # study id -> its first publication, as the loader attaches
        for publication in publications:
            for ident in publication.study:
                self._published.setdefault(ident, publication)
        self._entries = entries
        self._text = text
        self._crc = crc
        self._rebuilt = rebuilt
        self._rows: list[bytes] | None = None  # each study's text, once read and checked
        self._made: dict[int, Study] = {}  # studies made one by one
        self._whole: tuple[Study, ...] | None = None  # every study, once all are made

    def _checked_rows(self) -> list[bytes]:
        if self._rows is None:
            text = self._text()
            if zlib.crc32(text) != self._crc:
                raise ValueError("the cached text is damaged")
            rows = text.split(b"\n") if text else []
            if len(rows) != len(self._entries):
                raise ValueError("the cached text does not match the index")
            self._rows = rows
        return self._rows

    def _from_text(self, position: int) -> Study:
        study = self._made.get(position)
        if study is None:
            row = json.loads(self._checked_rows()[position])
            entry = self._entries[position]
            study = _study(entry, row)
            publication = self._published.get(entry.id)
            if publication is not None:
                study = dataclasses.replace(study, publication=publication)
            self._made[position] = study
        return study

    def _all(self) -> tuple[Study, ...]:
        if self._whole is None:
            try:
                with _no_cycle_collection():
                    self._whole = tuple([self._from_text(i) for i in range(len(self._entries))])
            except _DAMAGED:
                self._whole = tuple(self._rebuilt())
            self._made, self._rows = {}, None
        return self._whole

    def _one(self, position: int) -> Study:
        if self._whole is None:
            try:
                return self._from_text(position)
            except _DAMAGED:
                pass  # every study is rebuilt instead
        return self._all()[position]

    def __len__(self) -> int:
        return len(self._entries)

    @overload
    def __getitem__(self, index: int) -> Study: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Study, ...]: ...

    def __getitem__(self, index: int | slice) -> Study | tuple[Study, ...]:
        if isinstance(index, slice):
            return tuple([self._one(i) for i in range(*index.indices(len(self)))])
        size = len(self)
        if not -size <= index < size:
            raise IndexError("study index out of range")
        return self._one(index % size)

    def __iter__(self) -> Iterator[Study]:
        return iter(self._all())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence):
            return self._all() == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._all())

    def __repr__(self) -> str:
        return repr(self._all())


def _study(e: Entry, row: list[Any]) -> Study:
    """A study from its entry and its row of text."""
    title, outcome, sources, place, investigators, findings, events, tolerability, notes, line = row
    return Study(
        e.id, title, e.condition, e.design, outcome, e.effect,
        tuple([Source(seed, quote) for seed, quote in sources]), e.year, place, tuple(investigators),
        e.population, e.n, e.duration, e.dose, tuple([Finding(m, effect, d) for m, effect, d in findings]),
        tuple([AdverseEvent(event, share) for event, share in events]), tolerability, notes, line, e.mention,
    )  # fmt: skip
