"""Export the catalogue to files other tools open: SQLite, CSV, JSON, Markdown, a Data Package.

Every file is written to a temporary name beside its target and renamed into
place, so an interrupted export never leaves a half-written file.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from .errors import ExportError
from .formats import studies_csv, studies_json, studies_jsonl, studies_markdown
from .model import Catalogue, Study


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


def format_for(path: Path, chosen: ExportFormat | None = None) -> ExportFormat:
    """The format to write: the one chosen, a datapackage.json name, or the file's suffix."""
    if chosen is not None:
        return chosen
    if path.name == "datapackage.json":
        return ExportFormat.datapackage
    try:
        return SUFFIXES[path.suffix.lower()]
    except KeyError:
        known = ", ".join([*SUFFIXES, "datapackage.json"])
        raise ExportError(f"cannot tell the format of '{path.name}' from its suffix ({known}); use --format") from None


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
    """The catalogue as related tables: studies, investigators, findings, adverse events, sources, documents."""
    ids = {s.id for s in studies}
    study_fk = (("study_id", "studies", "id"),)
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
                _c("outcome", "string", "What was found.", True), _c("effect", "string", "Overall effect key."),
                _c("tolerability", "string", "Tolerability as stated."), _c("notes", "string", "Caveats."),
                _c("mention", "boolean", "A passing mention, never counted as a study with an effect.", True),
            ),
            [
                (s.id, s.title, s.year, s.place, s.condition, s.population, s.design, s.evidence_level, s.n,
                 s.duration.text if s.duration else None, s.duration.days if s.duration else None,
                 s.duration.kind if s.duration else None,
                 s.dose.text if s.dose else None, s.dose.mg_per_dose if s.dose else None,
                 s.dose.mg_per_day if s.dose else None,
                 s.outcome, s.effect, s.tolerability, s.notes, s.mention)
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
            ("study_id", "position"), study_fk,
        ),
        Table(
            "documents", "The source documents.",
            (_c("seed", "string", "File name.", True), _c("kind", "string", "Kind of source.", True),
             _c("title", "string", "Headline."), _c("publisher", "string", "Publisher."),
             _c("author", "string", "Author."), _c("date", "string", "Publication date (ISO).")),
            [(d.seed, d.kind, d.title, d.publisher, d.author, d.date) for d in catalogue.documents
             if not ids or any(d.seed in s.seeds for s in studies)],
            ("seed",),
        ),
        *published_tables(catalogue, studies),
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
            ),
            [(p.id, citation(p), p.title, p.year, p.authors, p.journal, p.volume_pages, p.pmid, p.pmcid, p.doi,
              "; ".join(p.registry) or None, p.notes) for p in papers],
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
             _c("page_kind", "string", "Kind of page (abstract, registry, ...).", True)),
            [(p.id, i, f.field, None if f.value is None else str(f.value), f.text, f.excerpt, f.page, f.page_kind)
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


# --- atomic writing ---------------------------------------------------------------------------


@contextmanager
def atomic_path(target: Path, force: bool) -> Iterator[Path]:
    """A temporary path beside `target`, renamed onto it when the block ends without error."""
    if target.exists() and not force:
        raise ExportError(f"{target} exists; use --force to replace it")
    if target.is_dir():
        raise ExportError(f"{target} is a folder")
    folder = target.parent if str(target.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise ExportError(f"cannot write in {folder}: {exc.strerror}") from exc
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        os.replace(temporary, target)
    except OSError as exc:
        raise ExportError(f"cannot write {target}: {exc.strerror}") from exc
    finally:
        temporary.unlink(missing_ok=True)


def write_text(target: Path, text: str, force: bool) -> None:
    """Write text to `target` atomically."""
    with atomic_path(target, force) as temporary:
        temporary.write_text(text, encoding="utf-8", newline="")


_SQL_TYPES = {"string": "TEXT", "integer": "INTEGER", "number": "REAL", "boolean": "INTEGER"}


def write_sqlite(target: Path, catalogue: Catalogue, studies: Sequence[Study], force: bool) -> None:
    """A SQLite database with one table per `tables()` entry, keys and foreign keys declared."""
    with atomic_path(target, force) as temporary:
        temporary.unlink()
        connection = sqlite3.connect(temporary)
        try:
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
        finally:
            connection.close()


def table_csv(table: Table) -> str:
    """One exported table as CSV with a header."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.name for c in table.columns])
    writer.writerows([["" if v is None else v for v in row] for row in table.rows])
    return buffer.getvalue()


def datapackage_descriptor(tables_: Sequence[Table]) -> dict[str, Any]:
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
        "description": "Studies of low-dose naltrexone as the source documents describe them. Not medical advice.",
        "resources": resources,
    }


def write_datapackage(target: Path, catalogue: Catalogue, studies: Sequence[Study], force: bool) -> list[Path]:
    """The descriptor at `target` and one CSV per table beside it; returns every file written."""
    tables_ = tables(catalogue, studies)
    existing = [p for p in (target, *(target.parent / f"{t.name}.csv" for t in tables_)) if p.exists()]
    if existing and not force:
        # Refuse before writing anything, so a refused export changes nothing.
        raise ExportError(f"{', '.join(map(str, existing))} exist; use --force to replace them")
    written = []
    for table in tables_:
        path = target.parent / f"{table.name}.csv"
        write_text(path, table_csv(table), force)
        written.append(path)
    write_text(target, json.dumps(datapackage_descriptor(tables_), indent=2, ensure_ascii=False) + "\n", force)
    return [*written, target]


_TEXT_WRITERS: dict[ExportFormat, Callable[[Sequence[Study]], str]] = {
    ExportFormat.csv: studies_csv,
    ExportFormat.json: studies_json,
    ExportFormat.jsonl: studies_jsonl,
    ExportFormat.markdown: studies_markdown,
}


def export(
    target: Path,
    catalogue: Catalogue,
    studies: Sequence[Study],
    fmt: ExportFormat | None = None,
    force: bool = False,
) -> list[Path]:
    """Write `studies` to `target` in the format its name asks for; returns the files written."""
    chosen = format_for(target, fmt)
    if chosen is ExportFormat.sqlite:
        write_sqlite(target, catalogue, studies, force)
        return [target]
    if chosen is ExportFormat.datapackage:
        return write_datapackage(target, catalogue, studies, force)
    if catalogue.publications and chosen in (ExportFormat.json, ExportFormat.jsonl):
        # JSON carries the published layer: each record with its publications and discrepancies.
        from .formats import show_record, to_json

        records = [show_record(s, catalogue) for s in studies]
        text = (
            to_json(records)
            if chosen is ExportFormat.json
            else "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
        )
        write_text(target, text, force)
        return [target]
    write_text(target, _TEXT_WRITERS[chosen](studies), force)
    return [target]
