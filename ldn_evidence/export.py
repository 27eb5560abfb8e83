"""Export the catalogue to files other tools open: SQLite, CSV, JSON, Markdown, a Data Package.

Every file is written to a temporary name beside its target and renamed into
place, so an interrupted export never leaves a half-written file; a data package
is written whole into a staging folder that then takes its folder's place in one
step. What may be replaced: a regular file, or a symbolic link with --force (the
link is replaced, never what it points to); never a folder, a device, a FIFO or a
socket. The folder written into must exist (a data package may create its own
one folder). Files get the permissions the user's umask gives new files.
"""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import shutil
import sqlite3
import stat
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ExportError
from .formats import cautions_data, documents_data, studies_markdown, to_json
from .model import Catalogue, Study
from .paths import escaped
from .text import csv_cell
from .wider import evidence_body, search_record

if TYPE_CHECKING:
    from dataclasses import dataclass
else:  # the same classes, made at a fraction of the start-up cost (see `frozen`)
    from .frozen import dataclass


class ExportFormat(str, Enum):
    """What `ldn export` can write."""

    sqlite = "sqlite"
    csv = "csv"
    json = "json"
    jsonl = "jsonl"
    markdown = "markdown"
    datapackage = "datapackage"


SUFFIXES = {
    ".db": ExportFormat.sqlite,
    ".sqlite": ExportFormat.sqlite,
    ".sqlite3": ExportFormat.sqlite,
    ".csv": ExportFormat.csv,
    ".json": ExportFormat.json,
    ".jsonl": ExportFormat.jsonl,
    ".md": ExportFormat.markdown,
    ".markdown": ExportFormat.markdown,
}


# A descriptor is JSON: `--format json datapackage.json` and `--format datapackage x.json` agree.
_JSON_NAMES = {ExportFormat.json, ExportFormat.datapackage}


def format_for(path: Path, chosen: ExportFormat | None = None) -> ExportFormat:
    """The format to write: the one chosen, a datapackage.json name, or the file's suffix.

    A suffix that names another format than the one chosen is an error, so that
    `--format csv out.json` cannot write CSV into a file every tool reads as JSON.
    """
    implied = ExportFormat.datapackage if path.name == "datapackage.json" else SUFFIXES.get(path.suffix.lower())
    if chosen is not None:
        if implied is not None and implied is not chosen and {implied, chosen} != _JSON_NAMES:
            raise ExportError(
                f"'{escaped(path.name)}' names the {implied.value} format, not {chosen.value}; "
                "change the suffix or drop --format"
            )
        return chosen
    if implied is not None:
        return implied
    known = ", ".join([*SUFFIXES, "datapackage.json"])
    raise ExportError(
        f"cannot tell the format of '{escaped(path.name)}' from its suffix ({known}); use --format"
    ) from None


# --- tables: the catalogue flattened, shared by SQLite, CSV files and the Data Package ------


@dataclass(frozen=True)
class Column:
    """A column of an exported table."""

    name: str
    type: str  # "string", "integer", "number" or "boolean"
    description: str
    required: bool = False


@dataclass(frozen=True)
class Table:
    """An exported table: its columns, rows, key and links to other tables."""

    name: str
    description: str
    columns: tuple[Column, ...]
    rows: list[tuple[Any, ...]]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[tuple[str, str, str], ...] = ()  # (column, table, column)


def _c(name: str, kind: str, description: str, required: bool = False) -> Column:
    return Column(name, kind, description, required)


def tables(catalogue: Catalogue, studies: Sequence[Study]) -> list[Table]:
    """The catalogue as related tables: studies, their parts, sources, documents and general cautions."""
    ids = {s.id for s in studies}
    study_fk = (("study_id", "studies", "id"),)
    # When the catalogue lists its documents, the loader has checked that every quote's
    # seed is one of them, so a quote's seed is a key into the documents table.
    seed_fk = (("seed", "documents", "seed"),) if catalogue.documents else ()
    wanted = {seed for s in studies for seed in s.seeds} | {q.seed for c in catalogue.cautions for q in c.sources}
    return [
        Table(
            "studies", "One row per study.",
            (
                _c("id", "string", "Study id.", True), _c("title", "string", "Short descriptive title.", True),
                _c("year", "integer", "Publication year, if stated."), _c("place", "string", "Where, if stated."),
                _c("condition", "string", "Condition key.", True), _c("population", "string", "Who was studied."),
                _c("design", "string", "Design key.", True),
                _c("evidence_level", "integer", "Evidence level of the design, 1 strongest; empty if unspecified."),
                _c("n", "integer", "Number of people, if stated."),
                _c("duration", "string", "Duration as stated."), _c("duration_days", "number", "Duration in days."),
                _c("duration_kind", "string", "What kind of time the duration is (treatment, whole-study, ...)."),
                _c("dose", "string", "Dose as stated."), _c("dose_mg_per_dose", "number", "Dose in mg, one dose."),
                _c("dose_mg_per_day", "number", "Dose in mg a day; empty when no schedule is stated."),
                _c("outcome", "string", "What the articles say was found; empty for a study no article retells."),
                _c("effect", "string", "Overall effect key."),
                _c("tolerability", "string", "Tolerability as stated."), _c("notes", "string", "Caveats."),
                _c("mention", "boolean", "A passing mention, never counted as a study with an effect.", True),
                _c("retold", "boolean", "Retold by an article (has seed quotes); false if found by the search.",
                   True),
            ),
            [
                (s.id, s.title, s.year, s.place, s.condition, s.population, s.design, s.evidence_level, s.n,
                 s.duration.text if s.duration else None, s.duration.days if s.duration else None,
                 s.duration.kind if s.duration else None,
                 s.dose.text if s.dose else None, s.dose.mg_per_dose if s.dose else None,
                 s.dose.mg_per_day if s.dose else None,
                 s.outcome or None, s.effect, s.tolerability, s.notes, s.mention, s.retold)
                for s in studies
            ],
            ("id",),
        ),
        Table(
            "investigators", "Who led each study.",
            (_c("study_id", "string", "Study id.", True), _c("position", "integer", "Order named.", True),
             _c("name", "string", "Investigator.", True)),
            [(s.id, i, name) for s in studies for i, name in enumerate(s.investigators, 1)],
            ("study_id", "position"), study_fk,
        ),
        Table(
            "findings", "Each outcome a study measured and its effect.",
            (_c("study_id", "string", "Study id.", True), _c("position", "integer", "Order listed.", True),
             _c("measure", "string", "Measure key.", True), _c("effect", "string", "Effect key.", True),
             _c("detail", "string", "What exactly was found.")),
            [(s.id, i, f.measure, f.effect, f.detail) for s in studies for i, f in enumerate(s.findings, 1)],
            ("study_id", "position"), study_fk,
        ),
        Table(
            "adverse_events", "Harms reported in each study.",
            (_c("study_id", "string", "Study id.", True), _c("position", "integer", "Order listed.", True),
             _c("event", "string", "What happened.", True), _c("share", "string", "Share of patients as stated.")),
            [(s.id, i, a.event, a.share) for s in studies for i, a in enumerate(s.adverse_events, 1)],
            ("study_id", "position"), study_fk,
        ),
        Table(
            "sources", "One row per quote: the sentence each fact stands on.",
            (_c("study_id", "string", "Study id.", True), _c("position", "integer", "Order listed.", True),
             _c("seed", "string", "Source document file name.", True),
             _c("quote", "string", "Verbatim quote.", True)),
            [(s.id, i, src.seed, src.quote) for s in studies for i, src in enumerate(s.sources, 1)],
            ("study_id", "position"), study_fk + seed_fk,
        ),
        Table(
            "documents", "The source documents.",
            (_c("seed", "string", "File name.", True), _c("kind", "string", "Kind of source.", True),
             _c("title", "string", "Headline."), _c("publisher", "string", "Publisher."),
             _c("author", "string", "Author."), _c("date", "string", "Publication date (ISO).")),
            [(d.seed, d.kind, d.title, d.publisher, d.author, d.date) for d in catalogue.documents
             if not ids or d.seed in wanted],
            ("seed",),
        ),
        Table(
            "cautions", "General cautions the documents give, not tied to one study.",
            (_c("id", "string", "Caution id.", True), _c("topic", "string", "Topic key.", True),
             _c("text", "string", "What the documents caution.", True)),
            [(c.id, c.topic, c.text) for c in catalogue.cautions],
            ("id",),
        ),
        Table(
            "caution_sources", "One row per quote a caution stands on.",
            (_c("caution_id", "string", "Caution id.", True), _c("position", "integer", "Order listed.", True),
             _c("seed", "string", "Source document file name.", True),
             _c("quote", "string", "Verbatim quote.", True)),
            [(c.id, i, q.seed, q.quote) for c in catalogue.cautions for i, q in enumerate(c.sources, 1)],
            ("caution_id", "position"), (("caution_id", "cautions", "id"), *seed_fk),
        ),
        Table(
            "review_includes", "The catalogued studies each systematic review pooled.",
            (_c("study_id", "string", "The review's id.", True), _c("position", "integer", "Order listed.", True),
             _c("included_id", "string", "Id of a study it pooled.", True)),
            [(s.id, i, ident) for s in studies for i, ident in enumerate(s.includes, 1)],
            ("study_id", "position"), study_fk,
        ),
        *published_tables(catalogue, studies),
        *search_tables(catalogue),
    ]  # fmt: skip


def search_tables(catalogue: Catalogue) -> list[Table]:
    """The documented search as tables: when and where, its queries, and the records it left out. Nothing
    when the catalogue holds no search."""
    search = catalogue.search
    if search is None:
        return []
    return [
        Table(
            "search", "The documented search for the wider evidence (one row).",
            (_c("searched", "string", "When it was searched (ISO date).", True),
             _c("scope", "string", "What it looked for.", True),
             _c("where", "string", "The collections of pages searched, '; ' between.")),
            [(search.searched, search.scope, "; ".join(search.where) or None)],
            ("searched",),
        ),
        Table(
            "search_queries", "Each query of the search and how many records it screened.",
            (_c("position", "integer", "Order run.", True), _c("group", "string", "What it looked for."),
             _c("query", "string", "The words searched for.", True), _c("corpus", "string", "What it searched."),
             _c("screened", "integer", "Records screened.", True), _c("included", "integer", "Records kept.", True)),
            [(i, q.group, q.query, q.corpus, q.screened, q.included) for i, q in enumerate(search.queries, 1)],
            ("position",),
        ),
        Table(
            "search_excluded", "Each record the search screened and left out, with the reason.",
            (_c("position", "integer", "Order listed.", True), _c("title", "string", "The record's title.", True),
             _c("reason", "string", "Reason key.", True), _c("page", "string", "The page it was seen on."),
             _c("note", "string", "Why, in the catalogue's words.")),
            [(i, e.title, e.reason, e.page, e.note) for i, e in enumerate(search.excluded, 1)],
            ("position",),
        ),
    ]  # fmt: skip


def published_tables(catalogue: Catalogue, studies: Sequence[Study]) -> list[Table]:
    """The published layer as tables: publications, which studies each backs, their facts, and the discrepancies.

    Only the publications behind the chosen studies, and only their discrepancies. Nothing when the
    catalogue has no published layer.
    """
    if not catalogue.publications:
        return []
    from .discrepancies import of_study
    from .publications import citation

    ids = {s.id for s in studies}
    papers = [p for p in catalogue.publications if ids & set(p.study)]
    publication_fk = ("publication_id", "publications", "id")
    found = [(s.id, i, d) for s in studies for i, d in enumerate(of_study(catalogue, s), 1)]
    return [
        Table(
            "publications", "The publications behind the studies (as published); identifiers only where seen.",
            (
                _c("id", "string", "Publication id (its excerpt file is publications/ID.txt).", True),
                _c("citation", "string", "Citation: authors (year). Title. Journal volume(issue):pages.", True),
                _c("title", "string", "Title.", True), _c("year", "integer", "Year."),
                _c("authors", "string", "Authors, if seen."), _c("journal", "string", "Journal, if seen."),
                _c("volume_pages", "string", "Volume, issue and pages, if seen."),
                _c("pmid", "string", "PubMed id, if seen."), _c("pmcid", "string", "PubMed Central id, if seen."),
                _c("doi", "string", "DOI, if seen."), _c("registry", "string", "Trial registry ids, '; ' between."),
                _c("notes", "string", "Caveats, in the catalogue's words."),
                _c("unverified", "string", "Parts seen only on a page too weak to rely on, '; ' between."),
            ),
            [(p.id, citation(p), p.title, p.year, p.authors, p.journal, p.volume_pages, p.pmid, p.pmcid, p.doi,
              "; ".join(p.registry) or None, p.notes, "; ".join(p.unverified) or None) for p in papers],
            ("id",),
        ),
        Table(
            "publication_studies", "Which studies each publication backs.",
            (_c("publication_id", "string", "Publication id.", True), _c("study_id", "string", "Study id.", True)),
            [(p.id, ident) for p in papers for ident in p.study if ident in ids],
            ("publication_id", "study_id"), (publication_fk, ("study_id", "studies", "id")),
        ),
        Table(
            "published_facts", "Facts seen on each publication's public pages, each with its verbatim excerpt.",
            (_c("publication_id", "string", "Publication id.", True), _c("position", "integer", "Order listed.", True),
             _c("field", "string", "What the fact is about.", True),
             _c("value", "string", "Its structured value (a count, a length, a dose, a key), if any."),
             _c("text", "string", "The fact in the catalogue's words.", True),
             _c("excerpt", "string", "Verbatim excerpt of the page.", True),
             _c("page", "string", "The page it was read on.", True),
             _c("page_kind", "string", "Kind of page (abstract, registry, ...).", True),
             _c("measure", "string", "What an outcome, pooled result or harm measured (a measure key)."),
             _c("direction", "string", "What the excerpt says of LDN against its comparison (an effect key)."),
             _c("size", "string", "The size as the page states it."), _c("scale", "string", "The named instrument."),
             _c("timepoint", "string", "When it was measured."),
             _c("comparison", "string", "What LDN was compared with (placebo, baseline, dose, other)."),
             _c("primary", "boolean", "The excerpt says it is the primary outcome.", True),
             _c("event", "string", "The kind of harm, or a named common event.")),
            [(p.id, i, f.field, None if f.value is None else str(f.value), f.text, f.excerpt, f.page, f.page_kind,
              f.measure, f.direction, f.size, f.scale, f.timepoint, f.comparison, f.primary, f.event)
             for p in papers for i, f in enumerate(p.facts, 1)],
            ("publication_id", "position"), (publication_fk,),
        ),
        Table(
            "discrepancies", "Where an article's account of a study differs from its publication.",
            (_c("study_id", "string", "Study id.", True), _c("position", "integer", "Order listed.", True),
             _c("publication_id", "string", "Publication id.", True), _c("kind", "string", "Kind.", True),
             _c("seed", "string", "The article's file name.", True),
             _c("article_says", "string", "Verbatim quote of the article.", True),
             _c("published_says", "string", "Verbatim excerpt of the publication's page.", True),
             _c("explanation", "string", "The difference in one sentence.", True),
             _c("source_url", "string", "The page the excerpt was read on.", True),
             _c("page_kind", "string", "Kind of page.", True),
             _c("computed", "integer", "1 if computed from values on both sides, 0 if curated.", True)),
            [(sid, i, d.publication, d.kind, d.seed, d.article_says, d.published_says, d.explanation, d.page,
              d.page_kind, int(d.computed)) for sid, i, d in found],
            ("study_id", "position"), (("study_id", "studies", "id"), publication_fk),
        ),
    ]  # fmt: skip


# --- safe, atomic writing --------------------------------------------------------------------

#: Temporary files and staging folders end in this, so a later export can clear those
#: a killed one left behind (and nothing else).
TEMPORARY = ".ldn-export-tmp"


def _shown(path: Path | str) -> str:
    return escaped(os.fspath(path))


def _umask_mode(kind: int = 0o666) -> int:
    """The permissions a new file (0o666) or folder (0o777) gets under the user's umask."""
    mask = os.umask(0o022)
    os.umask(mask)
    return kind & ~mask


def check_target(target: Path, force: bool) -> None:
    """Refuse, before anything is written, a target that may not be replaced."""
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(f"{_shown(folder)}: no such folder; create it first")
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise ExportError(f"cannot write {_shown(target)}: {exc.strerror}") from exc
    if stat.S_ISLNK(info.st_mode):
        if not force:
            what = "a symbolic link" if target.exists() else "a symbolic link to nothing"
            raise ExportError(f"{_shown(target)} exists ({what}); use --force to replace the link")
        return
    if stat.S_ISDIR(info.st_mode):
        raise ExportError(f"{_shown(target)} is a folder")
    if not stat.S_ISREG(info.st_mode):
        raise ExportError(f"{_shown(target)} is not a regular file (a device, FIFO or socket); refused")
    if not force:
        raise ExportError(f"{_shown(target)} exists; use --force to replace it")


def _clear_leftovers(folder: Path, name: str) -> None:
    """Remove what a killed export of `name` left in `folder` (its temporary files or staging folders)."""
    try:
        entries = os.listdir(folder)
    except OSError:
        return
    for entry in entries:
        if entry.startswith(f".{name}.") and entry.endswith(TEMPORARY):
            path = folder / entry
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)


@contextmanager
def atomic_path(target: Path, force: bool) -> Iterator[Path]:
    """A temporary path beside `target`, renamed onto it when the block ends without error."""
    check_target(target, force)
    folder = target.parent if str(target.parent) else Path(".")
    _clear_leftovers(folder, target.name)
    try:
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=TEMPORARY, dir=folder)
    except OSError as exc:
        raise ExportError(f"cannot write in {_shown(folder)}: {exc.strerror}") from exc
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        os.chmod(temporary, _umask_mode())
        os.replace(temporary, target)
    except OSError as exc:
        raise ExportError(f"cannot write {_shown(target)}: {exc.strerror}") from exc
    finally:
        temporary.unlink(missing_ok=True)
        Path(name + "-journal").unlink(missing_ok=True)


def write_text(target: Path, text: str, force: bool) -> None:
    """Write text to `target` atomically."""
    with atomic_path(target, force) as temporary:
        temporary.write_text(text, encoding="utf-8", newline="")


_SQL_TYPES = {"string": "TEXT", "integer": "INTEGER", "number": "REAL", "boolean": "INTEGER"}


def write_sqlite(target: Path, catalogue: Catalogue, studies: Sequence[Study], force: bool) -> None:
    """A SQLite database with one table per `tables()` entry, keys and foreign keys declared."""
    with atomic_path(target, force) as temporary:
        temporary.unlink()
        try:
            connection = sqlite3.connect(temporary)
        except sqlite3.Error as exc:
            raise ExportError(f"cannot write {_shown(target)}: {exc}") from exc
        try:
            # The file is renamed into place only when complete, so it needs no journal.
            connection.execute("PRAGMA journal_mode = OFF")
            with connection:
                for table in tables(catalogue, studies):
                    columns = [
                        f'"{c.name}" {_SQL_TYPES[c.type]}' + (" NOT NULL" if c.required else "") for c in table.columns
                    ]
                    columns.append("PRIMARY KEY (" + ", ".join(f'"{k}"' for k in table.primary_key) + ")")
                    columns += [f'FOREIGN KEY ("{c}") REFERENCES "{t}" ("{r}")' for c, t, r in table.foreign_keys]
                    connection.execute(f'CREATE TABLE "{table.name}" (\n  ' + ",\n  ".join(columns) + "\n)")
                    marks = ", ".join("?" for _ in table.columns)
                    connection.executemany(f'INSERT INTO "{table.name}" VALUES ({marks})', table.rows)
        except sqlite3.Error as exc:
            # "database or disk is full", "disk I/O error", ...
            raise ExportError(f"cannot write {_shown(target)}: {exc}") from exc
        finally:
            connection.close()


def table_csv(table: Table, raw: bool = False) -> str:
    """One exported table as CSV with a header; text cells are spreadsheet-safe unless `raw`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.name for c in table.columns])
    writer.writerows([[csv_cell(v, raw) for v in row] for row in table.rows])
    return buffer.getvalue()


def datapackage_descriptor(tables_: Sequence[Table], raw: bool = False) -> dict[str, Any]:
    """A Frictionless Data Package descriptor for the tables, each a CSV with a Table Schema."""
    resources = []
    for table in tables_:
        schema: dict[str, Any] = {
            "fields": [
                {"name": c.name, "type": c.type, "description": c.description,
                 **({"constraints": {"required": True}} if c.required else {})}
                for c in table.columns
            ],
            "missingValues": [""],
            "primaryKey": list(table.primary_key),
        }  # fmt: skip
        if table.foreign_keys:
            schema["foreignKeys"] = [
                {"fields": column, "reference": {"resource": ref_table, "fields": ref_column}}
                for column, ref_table, ref_column in table.foreign_keys
            ]
        resources.append({
            "name": table.name, "path": f"{table.name}.csv", "profile": "tabular-data-resource",
            "description": table.description, "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "schema": schema,
        })  # fmt: skip
    return {
        "profile": "tabular-data-package",
        "name": "ldn-evidence",
        "title": "ldn-evidence: studies of low-dose naltrexone",
        "description": "Studies of low-dose naltrexone as the source documents describe them. Not medical advice."
        + ("" if raw else _SAFE_NOTE),
        "resources": resources,
    }


_SAFE_NOTE = (
    " Text cells that begin with =, +, -, @, a tab, a carriage return or an apostrophe have one more"
    " apostrophe in front, so that no spreadsheet runs them as formulas; remove it to get the exact text."
)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one step (Linux renameat2 RENAME_EXCHANGE); False where it is not available."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_cwd, exchange = -100, 2
    if renameat2(at_cwd, os.fsencode(first), at_cwd, os.fsencode(second), exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code))


def previous_package(folder: Path, descriptor: str) -> set[str]:
    """The files of the data package already in `folder`: its descriptor and the tables it lists.

    Empty unless `descriptor` there is a readable data package whose resources are plain
    file names in the folder, so only a previous package's own files may be replaced.
    """
    from .errors import CatalogueFileError
    from .paths import read_inside

    try:
        data = json.loads(read_inside(folder, descriptor, 1 << 20, "data package descriptor"))
    except (OSError, CatalogueFileError, ValueError):
        return set()
    resources = data.get("resources") if isinstance(data, dict) else None
    if not isinstance(resources, list):
        return set()
    listed = {descriptor}
    for resource in resources:
        path = resource.get("path") if isinstance(resource, dict) else None
        if not isinstance(path, str) or not path or "/" in path or "\\" in path or path.startswith("."):
            return set()
        listed.add(path)
    return listed


def write_datapackage(
    target: Path, catalogue: Catalogue, studies: Sequence[Study], force: bool, raw: bool = False
) -> list[Path]:
    """The descriptor at `target` and one CSV per table beside it, in a folder of their own; returns the files.

    The package is written into a staging folder beside its folder, which then
    takes the folder's place in one step (swapped with the old one on Linux), so a
    failure or a kill leaves the old package or the new one, never a mix of tables.
    """
    tables_ = tables(catalogue, studies)
    folder = Path(os.path.abspath(target.parent if str(target.parent) else "."))
    names = [f"{t.name}.csv" for t in tables_] + [target.name]
    shown = _shown(target.parent if str(target.parent) else ".")
    if folder == Path(os.path.abspath(os.getcwd())) or folder.parent == folder:
        raise ExportError(
            f"a data package is written to a folder of its own, not {shown}; name one, e.g. out/datapackage.json"
        )
    if not folder.parent.is_dir():
        raise ExportError(f"{_shown(folder.parent)}: no such folder; create it first")
    if os.path.lexists(folder):
        if folder.is_symlink() or not folder.is_dir():
            raise ExportError(f"{shown} is not a folder; a data package is written to a folder of its own")
        entries = set(os.listdir(folder))
        others = sorted(entries - set(names) - previous_package(folder, target.name))
        if others:
            listed = ", ".join(_shown(o) for o in others[:5]) + (", ..." if len(others) > 5 else "")
            raise ExportError(f"{shown} holds other files ({listed}); a data package is written to a folder of its own")
        existing = [folder / n for n in sorted(entries) if n in set(names) | previous_package(folder, target.name)]
        for path in existing:
            info = os.lstat(path)
            if not (stat.S_ISREG(info.st_mode) or stat.S_ISLNK(info.st_mode)):
                raise ExportError(f"{_shown(path)} is not a regular file (a device, FIFO or socket); refused")
        if existing and not force:
            # Refuse before writing anything, so a refused export changes nothing.
            raise ExportError(f"{shown} holds a data package ({len(existing)} of its files); use --force to replace it")
    _clear_leftovers(folder.parent, folder.name)
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=TEMPORARY, dir=folder.parent))
    except OSError as exc:
        raise ExportError(f"cannot write in {_shown(folder.parent)}: {exc.strerror}") from exc
    try:
        mode = _umask_mode()
        for table in tables_:
            (staging / f"{table.name}.csv").write_text(table_csv(table, raw), encoding="utf-8", newline="")
        descriptor = json.dumps(datapackage_descriptor(tables_, raw), indent=2, ensure_ascii=False, allow_nan=False)
        (staging / target.name).write_text(descriptor + "\n", encoding="utf-8")
        for name in names:
            os.chmod(staging / name, mode)
        os.chmod(staging, _umask_mode(0o777))
        if not os.path.lexists(folder):
            os.rename(staging, folder)
        elif not _exchange(staging, folder):
            # No one-step swap here: move the old package aside for the moment of the rename.
            aside = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=TEMPORARY, dir=folder.parent))
            os.rename(folder, aside / "old")
            os.rename(staging, folder)
            shutil.rmtree(aside, ignore_errors=True)
    except OSError as exc:
        raise ExportError(f"cannot write {_shown(target)}: {exc.strerror or exc}") from exc
    finally:
        # After a swap the staging name holds the old package; after a failure, a partial new one.
        shutil.rmtree(staging, ignore_errors=True)
    return [target.parent / n for n in names]


def catalogue_json(catalogue: Catalogue, studies: Sequence[Study]) -> str:
    """The JSON export: the studies with the documents and general cautions they stand with."""
    from .results import list_records, show_record, show_result

    seeds = {seed for s in studies for seed in s.seeds} | {q.seed for c in catalogue.cautions for q in c.sources}
    published = bool(catalogue.publications)
    listed = list_records(catalogue, studies)
    return to_json(
        {
            # Each record is the list's (both n's and the marks); with a published layer it also
            # carries its publications and discrepancies.
            "studies": [
                {**record, **show_record(show_result(catalogue, s))} if published else record
                for record, s in zip(listed, studies, strict=True)
            ],
            "documents": [d for d in documents_data(catalogue) if d["seed"] in seeds],
            "cautions": cautions_data(catalogue),
            # The documented search and what the chosen studies rest on, where the catalogue holds a search.
            **(
                {"search": search_record(catalogue.search), "evidence_body": evidence_body(studies, catalogue)}
                if catalogue.search is not None
                else {}
            ),
        }
    )


def _listed(catalogue: Catalogue, studies: Sequence[Study], fmt: str, raw: bool) -> str:
    """The chosen studies as `ldn list --format FMT` writes them."""
    from .formats import published_list
    from .results import list_records

    return published_list(list_records(catalogue, studies), fmt, raw)


_TEXT_WRITERS: dict[ExportFormat, Callable[[Catalogue, Sequence[Study], bool], str]] = {
    # CSV and JSON Lines are `ldn list`'s own: the same records, both n's and the marks.
    ExportFormat.csv: lambda catalogue, studies, raw: _listed(catalogue, studies, "csv", raw),
    ExportFormat.json: lambda catalogue, studies, _: catalogue_json(catalogue, studies),
    ExportFormat.jsonl: lambda catalogue, studies, __: _listed(catalogue, studies, "jsonl", False),
    ExportFormat.markdown: lambda _, studies, __: studies_markdown(studies),
}


def export(
    target: Path,
    catalogue: Catalogue,
    studies: Sequence[Study],
    fmt: ExportFormat | None = None,
    force: bool = False,
    raw_csv: bool = False,
) -> list[Path]:
    """Write `studies` to `target` in the format its name asks for; returns the files written.

    CSV cells are spreadsheet-safe (see `text.spreadsheet_safe`) unless `raw_csv`.
    """
    chosen = format_for(target, fmt)
    if chosen is ExportFormat.sqlite:
        write_sqlite(target, catalogue, studies, force)
        return [target]
    if chosen is ExportFormat.datapackage:
        return write_datapackage(target, catalogue, studies, force, raw_csv)
    if catalogue.publications and chosen is ExportFormat.jsonl:
        # JSON lines carry the published layer: each record with its publications and discrepancies.
        from .results import list_records, show_record, show_result

        listed = list_records(catalogue, studies)
        records = [{**r, **show_record(show_result(catalogue, s))} for r, s in zip(listed, studies, strict=True)]
        write_text(target, "".join(json.dumps(r, ensure_ascii=False, allow_nan=False) + "\n" for r in records), force)
        return [target]
    write_text(target, _TEXT_WRITERS[chosen](catalogue, studies, raw_csv), force)
    return [target]
