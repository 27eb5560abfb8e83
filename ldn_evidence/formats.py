"""Plain-text writers: JSON, JSON lines, CSV, TSV and Markdown. No rich here.

Each writer is a pure function from library results to text. JSON keeps every
character of the catalogue exactly, and so does CSV but for one rule: a cell that
a spreadsheet would run as a formula is written with a leading apostrophe (see
`spreadsheet_safe`; `raw=True` turns it off). The views meant for a terminal (TSV,
Markdown) show control and invisible characters as visible escapes.
"""

from __future__ import annotations

import io
import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from enum import Enum
from typing import IO, Any

from .model import (
    CONDITIONS,
    DESIGNS,
    DOCUMENT_KINDS,
    EFFECTS,
    MEASURES,
    AdverseEvent,
    Catalogue,
    Dose,
    Duration,
    Facts,
    Finding,
    Source,
    Study,
    level_label,
)

NOT_REPORTED = "not reported"
MENTION_WORDS = "a passing mention: no design, size or finding of its own; never counted as a study with an effect"


class ListFormat(str, Enum):
    """Output formats of `ldn list`."""

    table = "table"
    tsv = "tsv"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    markdown = "markdown"


#: The record's fields, in the order of the JSON contract, then the derived ones.
RECORD_FIELDS = (
    "id", "title", "year", "place", "investigators", "condition", "population", "design",
    "n", "duration", "duration_kind", "dose", "outcome", "effect", "findings", "adverse_events",
    "tolerability", "notes", "mention", "sources",
    "evidence_level", "duration_days", "dose_mg_per_dose", "dose_mg_per_day",
)  # fmt: skip
#: The fields computed from the others, which a catalogue file does not hold.
DERIVED_FIELDS = ("evidence_level", "duration_days", "dose_mg_per_dose", "dose_mg_per_day")
LIST_COLUMNS = ("id", "year", "condition", "design", "level", "n", "duration", "dose", "effect")

# C0 and C1 control characters, DEL, the invisible format characters (Unicode category
# Cf: soft hyphen, zero-width spaces and joiners, bidi marks, embeddings and overrides,
# word joiners, the byte-order mark, interlinear annotations, Arabic and Egyptian
# format marks), the line and paragraph separators, and every default-ignorable code
# point (Unicode's Default_Ignorable_Code_Point, DerivedCoreProperties.txt: the
# combining grapheme joiner, Hangul fillers, Khmer inherent vowels, Mongolian and
# other variation selectors, U+FFF0-FFF8, the whole tag block U+E0000-E0FFF, and the
# reserved code points among them, which a later Unicode may make invisible): a
# terminal may act on them or hide them, so views show them as escapes, and the
# loader refuses them where text is cited.
_INVISIBLE_RANGES = (
    "\x00-\x08\x0b-\x1f\x7f-\x9f\xad\u034f\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2"
    "\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164"
    "\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0000-\U000e0fff"
)
#: The one set of characters that are escaped on terminals and refused in cited text and identifiers.
INVISIBLE = re.compile(f"[{_INVISIBLE_RANGES}]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def invisible(text: str) -> str | None:
    """The first control or invisible character in `text` (as `visible` shows it), or None."""
    found = INVISIBLE.search(text)
    return None if found is None else _escape(found)


def visible(text: str) -> str:
    """Text safe to print on a terminal: control and invisible characters become visible escapes."""
    return INVISIBLE.sub(_escape, text)


#: A cell beginning with one of these is run as a formula by spreadsheets (OWASP's
#: "CSV injection"); the apostrophe is there so that such a cell, written with one
#: more apostrophe in front, reads back exactly.
CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")


def spreadsheet_safe(cell: str) -> str:
    """A CSV cell that no spreadsheet runs: one beginning with = + - @ tab CR or ' gets a leading '."""
    return "'" + cell if cell.startswith(CSV_FORMULA_STARTS) else cell


def from_spreadsheet_safe(cell: str) -> str:
    """Undo `spreadsheet_safe`: the exact text of a cell it wrote."""
    return cell[1:] if cell.startswith("'") else cell


#: The width to draw in when $COLUMNS makes no sense and there is no terminal to ask.
DEFAULT_COLUMNS = 80
#: The width of a view drawn into a pipe or file with no $COLUMNS: wide enough that little wraps.
PIPE_COLUMNS = 120
#: $COLUMNS outside this range (0, a negative or a huge number) is taken as not known.
SENSIBLE_COLUMNS = range(10, 1001)
_COLUMNS_NUMBER = re.compile(r"[0-9]{1,6}")


def drawing_width(environ: dict[str, str] | None = None, stream: IO[str] | None = None) -> int:
    """The width to draw in: $COLUMNS when it makes sense, else the terminal's.

    With no terminal, a $COLUMNS that makes no sense (0, negative, huge, not a number) counts
    as unknown: 80. With no $COLUMNS at all, a view drawn into a pipe or file is 120 wide.
    """
    environ = dict(os.environ) if environ is None else environ
    stream = stream or sys.stdout
    raw = environ.get("COLUMNS", "")
    if _COLUMNS_NUMBER.fullmatch(raw.strip()) and int(raw) in SENSIBLE_COLUMNS:
        return int(raw)
    try:
        if stream.isatty():
            columns = os.get_terminal_size(stream.fileno()).columns
            if columns in SENSIBLE_COLUMNS:
                return columns
    except (OSError, ValueError):
        pass
    return DEFAULT_COLUMNS if raw else PIPE_COLUMNS


def plural(count: int, word: str) -> str:
    """'1 study', '2 studies', '1 participant', '3 participants'."""
    if count == 1:
        return f"{count} {word}"
    return f"{count} {word[:-1]}ies" if word.endswith("y") else f"{count} {word}s"


def one_line(text: str) -> str:
    """`visible` text with tabs and line breaks escaped, for one TSV cell."""
    return visible(text.replace("\\", "\\\\").replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n"))


# --- records as data ----------------------------------------------------------


def study_record(study: Study) -> dict[str, Any]:
    """A study as plain data: the JSON contract of `ldn list --format json`."""
    return {
        "id": study.id,
        "title": study.title,
        "year": study.year,
        "place": study.place,
        "investigators": list(study.investigators),
        "condition": study.condition,
        "population": study.population,
        "design": study.design,
        "n": study.n,
        "duration": study.duration.text if study.duration else None,
        "duration_kind": study.duration.kind if study.duration else None,
        "dose": study.dose.text if study.dose else None,
        "outcome": study.outcome,
        "effect": study.effect,
        "findings": [{"measure": f.measure, "effect": f.effect, "detail": f.detail} for f in study.findings],
        "adverse_events": [{"event": a.event, "share": a.share} for a in study.adverse_events],
        "tolerability": study.tolerability,
        "notes": study.notes,
        "mention": study.mention,
        "sources": [{"seed": s.seed, "quote": s.quote} for s in study.sources],
        "evidence_level": study.evidence_level,
        "duration_days": study.duration.days if study.duration else None,
        "dose_mg_per_dose": study.dose.mg_per_dose if study.dose else None,
        # Only when the documents state a schedule: "5 mg" is per dose, never "a day".
        "dose_mg_per_day": study.dose.mg_per_day if study.dose else None,
    }


def study_from_record(record: dict[str, Any]) -> Study:
    """Rebuild a study from `study_record` output (derived fields are recomputed)."""
    return Study(
        id=record["id"],
        title=record["title"],
        condition=record["condition"],
        design=record["design"],
        outcome=record["outcome"],
        effect=record["effect"],
        sources=tuple(Source(s["seed"], s["quote"]) for s in record["sources"]),
        year=record["year"],
        place=record["place"],
        investigators=tuple(record["investigators"]),
        population=record["population"],
        n=record["n"],
        duration=(
            Duration.parse(record["duration"], record.get("duration_kind")) if record["duration"] is not None else None
        ),
        dose=Dose.parse(record["dose"]) if record["dose"] is not None else None,
        findings=tuple(Finding(f["measure"], f["effect"], f["detail"]) for f in record["findings"]),
        adverse_events=tuple(AdverseEvent(a["event"], a["share"]) for a in record["adverse_events"]),
        tolerability=record["tolerability"],
        notes=record["notes"],
        mention=bool(record.get("mention")),
    )


def to_json(data: Any) -> str:
    """Indented JSON with non-ASCII kept as it is, ending in a newline; NaN and infinity are refused."""
    return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def json_bytes(data: Any) -> bytes:
    """`to_json` as UTF-8; where UTF-8 cannot hold the text (a lone surrogate), the same JSON value in ASCII."""
    try:
        return to_json(data).encode("utf-8")
    except UnicodeEncodeError:
        return (json.dumps(data, indent=2) + "\n").encode("ascii")


#: A list longer than this is written by orjson; importing it costs more than writing a short list.
ORJSON_AFTER = 64


def studies_json_chunks(studies: Iterable[Study]) -> Iterator[bytes]:
    """`studies_json` as UTF-8, a study at a time, so a large list is never held whole.

    Past the first `ORJSON_AFTER` studies each record is written by orjson (Python's own
    encoder has no C path for indented output), byte for byte as Python writes it: a
    record whose float Python would write with an exponent, or with text orjson refuses,
    is still written by Python.
    """
    encode: Callable[[dict[str, Any]], bytes] = json_bytes
    count = 0
    for count, study in enumerate(studies, 1):
        if count > ORJSON_AFTER:
            encode = _orjson_bytes
        # One record indented as an item of the list: two more spaces on every line.
        item = encode(study_record(study))[:-1].replace(b"\n", b"\n  ")
        yield (b",\n  " if count > 1 else b"[\n  ") + item
    yield b"\n]\n" if count else b"[]\n"


def _orjson_bytes(record: dict[str, Any]) -> bytes:
    """`json_bytes` of a study record, by orjson when it writes the same bytes."""
    import orjson

    floats = [value for value in record.values() if type(value) is float]  # only derived numbers are
    if all(value == 0.0 or 1e-4 <= abs(value) < 1e16 for value in floats):
        try:
            return orjson.dumps(record, option=orjson.OPT_INDENT_2) + b"\n"
        except TypeError:
            pass
    return json_bytes(record)


def studies_json(studies: Iterable[Study]) -> str:
    """A JSON list of study records."""
    return b"".join(studies_json_chunks(studies)).decode("utf-8")


def studies_jsonl(studies: Iterable[Study]) -> str:
    """One JSON study record a line."""
    return "".join(json.dumps(study_record(s), ensure_ascii=False, allow_nan=False) + "\n" for s in studies)


_NESTED = ("investigators", "findings", "adverse_events", "sources")


def csv_cell(value: Any, raw: bool = False) -> Any:
    """A value as a CSV cell: null is empty, text is `spreadsheet_safe` unless `raw`."""
    if value is None:
        return ""
    if isinstance(value, str) and not raw:
        return spreadsheet_safe(value)
    return value


def studies_csv(studies: Iterable[Study], raw: bool = False) -> str:
    """One row per study with a header. List-valued fields are JSON in their cell, so nothing is lost.

    Text cells are `spreadsheet_safe` unless `raw`.
    """
    import csv

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=RECORD_FIELDS, lineterminator="\r\n")
    writer.writeheader()
    for study in studies:
        row = study_record(study)
        for key in _NESTED:
            row[key] = json.dumps(row[key], ensure_ascii=False, allow_nan=False)
        writer.writerow({k: csv_cell(v, raw) for k, v in row.items()})
    return buffer.getvalue()


def studies_from_csv(text: str, raw: bool = False) -> list[Study]:
    """Read `studies_csv` output back into studies."""
    import csv

    out = []
    for row in csv.DictReader(io.StringIO(text, newline="")):
        if not raw:
            row = {k: from_spreadsheet_safe(v) for k, v in row.items()}
        record: dict[str, Any] = {k: (v if v != "" else None) for k, v in row.items()}
        for key in _NESTED:
            record[key] = json.loads(row[key])
        for key in ("year", "n"):
            record[key] = int(record[key]) if record[key] is not None else None
        record["mention"] = record.get("mention") == "True"
        for key in ("title", "outcome"):
            record[key] = record[key] or ""
        out.append(study_from_record(record))
    return out


# --- terminal-friendly views ------------------------------------------------------


def list_row(study: Facts, n_of: Callable[[Any], str | None] | None = None) -> dict[str, str]:
    """The cells of a study's row in `ldn list`, as text; null is "not reported".

    `n_of`, if given, gives the n cell instead of the articles' n (e.g. the published count).
    """
    level = study.evidence_level
    if n_of is not None:
        n = n_of(study)
        return {**list_row(study), "n": n if n is not None else NOT_REPORTED}
    return {
        "id": study.id,
        "year": str(study.year) if study.year is not None else NOT_REPORTED,
        "condition": study.condition,
        "design": study.design,
        "level": str(level) if level is not None else "none",
        "n": str(study.n) if study.n is not None else NOT_REPORTED,
        "duration": study.duration.text if study.duration else NOT_REPORTED,
        "dose": study.dose.text if study.dose else NOT_REPORTED,
        "effect": effect_cell(study),
    }


def effect_cell(study: Facts) -> str:
    """A study's main effect for a list: a passing mention's is marked as not counted."""
    if study.effect is None:
        return "none (hypothesis)"
    return f"{study.effect} (mention)" if study.mention else study.effect


def duration_words(duration: Duration) -> str:
    """A duration as stated, with its kind: "6 months (whole study)"."""
    return f"{duration.text} ({duration.label})"


def dose_words(dose: Dose) -> str:
    """A dose as stated; one with no stated schedule says so, and is never "a day"."""
    return dose.text if dose.scheduled else f"{dose.text} (a dose; how often not stated)"


def told_by(study: Study, catalogue: Catalogue) -> str:
    """Who is telling it: the kinds of document the record rests on, in words."""
    kinds = []
    for seed in study.seeds:
        document = catalogue.document(seed)
        kinds.append(DOCUMENT_KINDS.get(document.kind, document.kind) if document else "document not listed")
    words = ", ".join(dict.fromkeys(kinds))
    return f"only {words} (a commercial source)" if catalogue.commercial_only(study) else words


def studies_tsv(studies: Iterable[Facts], n_of: Callable[[Any], str | None] | None = None) -> str:
    """A header and one tab-separated line per study: the table for pipes."""
    lines = ["\t".join(LIST_COLUMNS)]
    for study in studies:
        row = list_row(study, n_of)
        lines.append("\t".join(one_line(row[c]) for c in LIST_COLUMNS))
    return "\n".join(lines) + "\n"


# Emphasis, code, links, HTML, tables, headings, strikethrough (~), entities (&) and
# e-mail autolinks (@); `_md` also breaks URL and www autolinks and block starts.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~&@])")
_MD_URL = re.compile(r"(?<=[A-Za-z0-9]):(?=//)")
_MD_WWW = re.compile(r"(?i)\b(www)\.")
_MD_BLOCK_START = re.compile(r"^(\s*)([-+=]|[0-9]+(?=[.)]))")


def _md(text: str) -> str:
    """Catalogue text for Markdown: shown literally, never as a link, emphasis, list, HTML or strikethrough."""
    # Leading space would make an indented code block; Markdown drops it from a paragraph anyway.
    text = _MD_SPECIAL.sub(r"\\\1", visible(text)).replace("\r", " ").replace("\n", " ").strip()
    text = _MD_WWW.sub(r"\1\\.", _MD_URL.sub(r"\\:", text))
    return _MD_BLOCK_START.sub(_md_block, text, count=1)


def markdown_text(text: str) -> str:
    """Text for Markdown output, shown literally (the rule `_md` applies to catalogue text)."""
    return _md(text)


def _md_block(match: re.Match[str]) -> str:
    """A leading list, heading or setext marker escaped: `\\-`, `\\+`, `\\=`, `12\\.`."""
    space, marker = match.group(1), match.group(2)
    return space + (marker + "\\" if marker.isdigit() else "\\" + marker)


def markdown_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A GitHub-flavoured Markdown table; cells are escaped."""
    lines = ["| " + " | ".join(_md(h) for h in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_md(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def studies_markdown(studies: Iterable[Facts], n_of: Callable[[Any], str | None] | None = None) -> str:
    """The list as a Markdown table."""
    rows = [[list_row(s, n_of)[c] for c in LIST_COLUMNS] for s in studies]
    return markdown_table(LIST_COLUMNS, rows)


def study_markdown(study: Study, catalogue: Catalogue) -> str:
    """Everything about one study as a Markdown document."""

    def value(v: object) -> str:
        return NOT_REPORTED if v is None or v == () else _md(str(v))

    level = study.evidence_level
    lines = [
        f"# {_md(study.title)}",
        "",
        f"- **id**: {_md(study.id)}",
        f"- **evidence**: {level_label(level)} — {DESIGNS[study.design][1]} (`{study.design}`)",
        *([f"- **mention**: {MENTION_WORDS}"] if study.mention else []),
        f"- **told by**: {_md(told_by(study, catalogue))}",
        f"- **condition**: {CONDITIONS[study.condition][0]}",
        f"- **population**: {value(study.population)}",
        f"- **n**: {value(study.n)}",
        f"- **duration**: {value(duration_words(study.duration) if study.duration else None)}",
        f"- **dose**: {value(dose_words(study.dose) if study.dose else None)}",
        f"- **year**: {value(study.year)}",
        f"- **place**: {value(study.place)}",
        f"- **investigators**: {value(', '.join(study.investigators) or None)}",
        f"- **effect**: {EFFECTS[study.effect] if study.effect else 'none (a hypothesis has no data)'}",
        "",
        "## Outcome",
        "",
        _md(study.outcome),
        "",
        "## Findings",
        "",
    ]
    if study.findings:
        lines += [
            f"- {MEASURES[f.measure]}: {EFFECTS[f.effect]}" + (f" — {_md(f.detail)}" if f.detail else "")
            for f in study.findings
        ]
    else:
        lines.append(NOT_REPORTED)
    lines += ["", "## Harms", ""]
    if study.adverse_events:
        lines += [
            f"- {_md(a.event)}: {_md(a.share) if a.share else 'share not reported'}" for a in study.adverse_events
        ]
    lines.append(f"- tolerability: {value(study.tolerability)}")
    lines += ["", "## Notes", "", value(study.notes), "", "## Sources", ""]
    for source in study.sources:
        document = catalogue.document(source.seed)
        kind = DOCUMENT_KINDS.get(document.kind, document.kind) if document else "document not listed"
        title = document.title if document and document.title else "untitled"
        lines += [f'- {_md(source.seed)} ({_md(kind)}, "{_md(title)}"):', "", f"  > {_md(source.quote)}", ""]
    return "\n".join(lines).rstrip() + "\n"


def _drop_derived(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k not in DERIVED_FIELDS}


def study_data(study: Study) -> dict[str, Any]:
    """A study as plain data in the shape of its YAML record (no derived fields): what the loader reads back."""
    record = study_record(study)
    for key in DERIVED_FIELDS:
        del record[key]
    return record


def documents_data(catalogue: Catalogue) -> list[dict[str, Any]]:
    """The catalogue's source documents as plain data, in the shape of its YAML file."""
    return [
        {
            "seed": d.seed, "kind": d.kind, "title": d.title, "publisher": d.publisher,
            "author": d.author, "date": d.date, "notes": d.notes,
            "sources": [{"seed": s.seed, "quote": s.quote} for s in d.sources],
        }
        for d in catalogue.documents
    ]  # fmt: skip


def cautions_data(catalogue: Catalogue) -> list[dict[str, Any]]:
    """The catalogue's general cautions as plain data, in the shape of its YAML file."""
    return [
        {
            "id": c.id,
            "topic": c.topic,
            "text": c.text,
            "sources": [{"seed": s.seed, "quote": s.quote} for s in c.sources],
        }
        for c in catalogue.cautions
    ]


def catalogue_data(catalogue: Catalogue) -> dict[str, Any]:
    """The whole catalogue as plain data in the shape of its YAML file."""
    return {
        "documents": documents_data(catalogue),
        "cautions": cautions_data(catalogue),
        "studies": [study_data(s) for s in catalogue.studies],
    }


def publications_data(catalogue: Catalogue) -> list[dict[str, Any]]:
    """The catalogue's publications (the published layer) as plain data, in the shape of its YAML file."""
    out = []
    for p in catalogue.publications:
        facts = [
            {"field": f.field, **({"value": f.value} if f.value is not None else {}), "text": f.text,
             "excerpt": f.excerpt, "page": f.page, "page_kind": f.page_kind}
            for f in p.facts
        ]  # fmt: skip
        discrepancies = [
            {"kind": d.kind, "study": d.study, "seed": d.seed, "article_says": d.article_says,
             "published_says": d.published_says, "page": d.page, "page_kind": d.page_kind,
             "explanation": d.explanation}
            for d in p.discrepancies
        ]  # fmt: skip
        out.append({
            "id": p.id, "study": list(p.study), "title": p.title, "year": p.year, "authors": p.authors,
            "journal": p.journal, "volume_pages": p.volume_pages, "pmid": p.pmid, "pmcid": p.pmcid, "doi": p.doi,
            "registry": list(p.registry), "verified_on": list(p.verified_on), "not_seen": list(p.not_seen),
            "unverified": list(p.unverified), "notes": p.notes, "facts": facts, "discrepancies": discrepancies,
        })  # fmt: skip
    return out


def file_data(catalogue: Catalogue) -> dict[str, Any]:
    """Every section of the catalogue as plain data, in the shape of its YAML file (the published layer too)."""
    data = catalogue_data(catalogue)
    if catalogue.publications:
        data["publications"] = publications_data(catalogue)
    return data


def catalogue_yaml(catalogue: Catalogue) -> str:
    """The catalogue written back as YAML that the loader reads to the same records."""
    import yaml

    return yaml.safe_dump(file_data(catalogue), sort_keys=False, allow_unicode=True, width=100)


# --- the published layer ----------------------------------------------------------------------------


def show_record(study: Study, catalogue: Catalogue) -> dict[str, Any]:
    """`ldn show --format json`: the study as the articles report it, then its publications and discrepancies.

    The record's own fields are the articles' account; `publications` holds the
    papers (identifiers as plain strings) with the facts seen on their pages, and
    `discrepancies` every place the two differ.
    """
    from .discrepancies import of_study
    from .publications import discrepancy_record, publication_record

    return {
        **study_record(study),
        "publications": [publication_record(p) for p in catalogue.publications_of(study.id)],
        "discrepancies": [discrepancy_record(d) for d in of_study(catalogue, study)],
    }


#: The columns of `ldn discrepancies` as TSV and CSV, in order.
DISCREPANCY_FIELDS = (
    "study", "publication", "kind", "seed", "article_says", "published_says", "explanation", "source_url",
    "page_kind", "computed",
)  # fmt: skip


def discrepancies_json(records: Sequence[dict[str, Any]]) -> str:
    """A JSON list of discrepancy records."""
    return to_json(list(records))


def discrepancies_csv(records: Sequence[dict[str, Any]], raw: bool = False) -> str:
    """One row per discrepancy with a header; text cells are spreadsheet-safe unless `raw`."""
    import csv

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=DISCREPANCY_FIELDS, lineterminator="\r\n")
    writer.writeheader()
    for record in records:
        writer.writerow({k: csv_cell(str(v).lower() if isinstance(v, bool) else v, raw) for k, v in record.items()})
    return buffer.getvalue()


def discrepancies_tsv(records: Sequence[dict[str, Any]]) -> str:
    """A header and one tab-separated line per discrepancy: the table for pipes."""
    lines = ["\t".join(DISCREPANCY_FIELDS)]
    for record in records:
        cells = ["" if record[k] is None else str(record[k]).lower() if isinstance(record[k], bool) else str(record[k])
                 for k in DISCREPANCY_FIELDS]  # fmt: skip
        lines.append("\t".join(one_line(cell) for cell in cells))
    return "\n".join(lines) + "\n"


def discrepancies_markdown(records: Sequence[dict[str, Any]]) -> str:
    """The discrepancies as a Markdown table: study, kind, document, both quotes, the page and why."""
    header = ("study", "kind", "document", "the article says", "the paper says", "page", "difference")
    rows = [
        (r["study"] or "", r["kind"] + (" (computed)" if r["computed"] else ""), r["seed"], r["article_says"],
         r["published_says"], f"{r['source_url']} ({r['page_kind']})", r["explanation"])
        for r in records
    ]  # fmt: skip
    return markdown_table(header, rows)


def published_markdown(study: Study, catalogue: Catalogue) -> str:
    """The published layer of one study as Markdown sections, to follow `study_markdown`."""
    from .discrepancies import of_study
    from .model import FACT_FIELDS, PAGE_KINDS
    from .publications import citation, links

    lines = ["", "## Published as", ""]
    publications = catalogue.publications_of(study.id)
    if not publications:
        lines.append("No publication is catalogued for this study.")
    for publication in publications:
        lines += [f"{_md(citation(publication))}", ""]
        lines += [f"- {_md(label)}: {_md(url)}" for label, url in links(publication)]
        if publication.not_seen:
            lines.append(f"- not seen: {_md(', '.join(publication.not_seen))}")
        lines += [f"- unverified: {_md(part)}" for part in publication.unverified]
        if publication.notes:
            lines.append(f"- note: {_md(publication.notes)}")
        lines += ["", "### As published", ""]
        for fact in publication.facts:
            lines += [
                f"- **{FACT_FIELDS[fact.field]}**: {_md(fact.text)}",
                f"  > {_md(fact.excerpt)}",
                f"  ({PAGE_KINDS[fact.page_kind]}: {_md(fact.page)})",
            ]
        lines.append("")
    found = of_study(catalogue, study)
    lines += ["## Where the articles differ from the paper", ""]
    if not found:
        lines.append("None catalogued.")
    for d in found:
        how = "computed" if d.computed else "curated"
        lines += [
            f"- **{d.kind}** ({how}, {_md(d.seed)}): {_md(d.explanation)}",
            f"  - the article: > {_md(d.article_says)}",
            f"  - the paper: > {_md(d.published_says)} ({PAGE_KINDS[d.page_kind]}: {_md(d.page)})",
        ]
    return "\n".join(lines).rstrip() + "\n"
