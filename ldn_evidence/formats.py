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
from typing import IO, TYPE_CHECKING, Any

from .model import (
    CONDITIONS,
    DESIGNS,
    EFFECTS,
    MEASURES,
    Catalogue,
    Dose,
    Duration,
    Facts,
    Study,
    level_label,
)
from .records import DERIVED_FIELDS, RECORD_FIELDS, study_from_record, study_record
from .text import (
    NOT_RETOLD,
    PUBLISHED_MARK,
    csv_cell,
    from_spreadsheet_safe,
    markdown_table,
    markdown_text,
    one_line,
)

if TYPE_CHECKING:
    from .results import ShowResult

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


LIST_COLUMNS = ("id", "year", "condition", "design", "level", "n", "duration", "dose", "effect")

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


def to_json(data: Any) -> str:
    """Indented JSON with non-ASCII kept as it is, ending in a newline; NaN and infinity are refused. C1 control
    characters (U+0080 to U+009F, which some terminals read as escapes) are written escaped, as JSON allows."""
    text = json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    return _C1.sub(lambda found: f"\\u{ord(found.group()):04x}", text) if _C1.search(text) else text


_C1 = re.compile("[\x80-\x9f]")
#: The same in UTF-8: a C1 control is 0xC2 then 0x80 to 0x9F (0xC2 is only ever a lead byte).
_C1_BYTES = re.compile(b"\xc2([\x80-\x9f])")


def _c1_escaped(data: bytes) -> bytes:
    return _C1_BYTES.sub(lambda found: b"\\u%04x" % found.group(1)[0], data) if b"\xc2" in data else data


#: Compact JSON longer than this is indented by orjson when it writes the same bytes: Python's own
#: encoder has no C path for indented output. Counted in instructions, importing orjson (with the
#: `dataclasses`, `uuid` and `datetime` it brings) and checking the compact form cost what indenting
#: about 270 kB does: a summary's JSON (570 kB at the shipped size) gains, a 160 kB list does not.
ORJSON_BYTES = 256 * 1024


def json_bytes(data: Any) -> bytes:
    """`to_json` as UTF-8; where UTF-8 cannot hold the text (a lone surrogate), the same JSON value in ASCII.

    A large value is indented by orjson, but only when its compact form is byte for byte the
    standard library's (written by its C encoder): then both read the same tokens, and both
    indent them alike (two spaces, ``": "`` after a key, ``[]`` and ``{}`` when empty). Floats
    Python writes with an exponent, keys that are not text, NaN, text UTF-8 cannot hold:
    anything where the two differ or orjson refuses goes the standard library's way.
    """
    fast = _orjson_indented(data)
    if fast is not None:
        return _c1_escaped(fast)
    try:
        return to_json(data).encode("utf-8")
    except UnicodeEncodeError:
        return (json.dumps(data, indent=2) + "\n").encode("ascii")


#: A list longer than this is written by orjson; importing it costs more than writing a short list
#: (counted in instructions, the two break even near 140 like-shaped studies).
ORJSON_AFTER = 128


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


def _orjson_indented(data: Any) -> bytes | None:
    """`json_bytes(data)` by orjson, for a large value that orjson writes as the standard library does; else None."""
    try:
        compact = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")
    except (TypeError, ValueError, RecursionError):  # the standard path raises its own error
        return None
    if len(compact) <= ORJSON_BYTES:
        return None
    import orjson

    try:
        same = orjson.dumps(data) == compact
        del compact  # not held beside the indented form (a large summary's is tens of megabytes)
        return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE) if same else None
    except TypeError:  # orjson.JSONEncodeError: a key that is not text, a number too large, ...
        return None


def _orjson_bytes(record: dict[str, Any]) -> bytes:
    """`json_bytes` of a study record, by orjson when it writes the same bytes."""
    import orjson

    floats = [value for value in record.values() if type(value) is float]  # only derived numbers are
    if all(value == 0.0 or 1e-4 <= abs(value) < 1e16 for value in floats):
        try:
            return _c1_escaped(orjson.dumps(record, option=orjson.OPT_INDENT_2) + b"\n")
        except TypeError:
            pass
    return json_bytes(record)


def studies_json(studies: Iterable[Study]) -> str:
    """A JSON list of study records."""
    return b"".join(studies_json_chunks(studies)).decode("utf-8")


def studies_jsonl(studies: Iterable[Study]) -> str:
    """One JSON study record a line."""
    return "".join(json.dumps(study_record(s), ensure_ascii=False, allow_nan=False) + "\n" for s in studies)


_NESTED = ("investigators", "findings", "adverse_events", "sources", "includes")


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
        record: dict[str, Any] = {k: (v if v != "" else None) for k, v in row.items() if k in RECORD_FIELDS}
        for key in _NESTED:
            record[key] = json.loads(row[key])
        for key in ("year", "n"):
            record[key] = int(record[key]) if record[key] is not None else None
        record["mention"] = record.get("mention") == "True"
        record["retold"] = record.get("retold") == "True"
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
    if not study.retold and isinstance(study, Study):
        return published_row(study)
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


def published_row(study: Study) -> dict[str, str]:
    """The list cells of a study no article retells: its paper's values, each marked as published.

    The articles' layer of such a study is empty, so its cells come from the published
    layer (year, design, the headline count saying which it is, the treatment period,
    the dose as stated), each with PUBLISHED_MARK; the effect cell says "not retold".
    """
    from .published import headline_count, published_values

    def marked(value: object) -> str:
        return f"{value}{PUBLISHED_MARK}" if value is not None else NOT_REPORTED

    publication = study.publication
    values = published_values(publication) if publication is not None else None
    count = headline_count(publication) if publication is not None else None
    periods = sorted(values.periods, key=lambda p: p.kind != "treatment") if values else []
    level = study.evidence_level
    return {
        "id": study.id,
        "year": marked(values.year if values else None),
        "condition": study.condition,
        "design": marked(study.design),
        "level": str(level) if level is not None else "none",
        "n": marked(count),
        "duration": marked(periods[0] if periods else None),
        "dose": marked(values.doses[0].text if values and values.doses else None),
        "effect": NOT_RETOLD,
    }


def effect_cell(study: Facts) -> str:
    """A study's main effect for a list: a passing mention's is marked as not counted."""
    if not study.retold:
        return NOT_RETOLD
    if study.effect is None:
        return "none (hypothesis)"
    return f"{study.effect} (mention)" if study.mention else study.effect


def duration_words(duration: Duration) -> str:
    """A duration as stated, with its kind: "6 months (whole study)"."""
    return f"{duration.text} ({duration.label})"


def dose_words(dose: Dose) -> str:
    """A dose as stated; one with no stated schedule says so, and is never "a day"."""
    return dose.text if dose.scheduled else f"{dose.text} (a dose; how often not stated)"


def studies_tsv(studies: Iterable[Facts], n_of: Callable[[Any], str | None] | None = None) -> str:
    """A header and one tab-separated line per study: the table for pipes."""
    lines = ["\t".join(LIST_COLUMNS)]
    for study in studies:
        row = list_row(study, n_of)
        lines.append("\t".join(one_line(row[c]) for c in LIST_COLUMNS))
    return "\n".join(lines) + "\n"


def studies_markdown(studies: Iterable[Facts], n_of: Callable[[Any], str | None] | None = None) -> str:
    """The list as a Markdown table."""
    rows = [[list_row(s, n_of)[c] for c in LIST_COLUMNS] for s in studies]
    return markdown_table(LIST_COLUMNS, rows)


def study_markdown(result: ShowResult) -> str:
    """Everything about one study as a Markdown document (the articles' account; `published_markdown` follows)."""
    study = result.study

    def value(v: object) -> str:
        return NOT_REPORTED if v is None or v == () else markdown_text(str(v))

    level = study.evidence_level
    lines = [
        f"# {markdown_text(study.title)}",
        "",
        f"- **id**: {markdown_text(study.id)}",
        f"- **evidence**: {level_label(level)} — {DESIGNS[study.design][1]} (`{study.design}`)",
        *([f"- **mention**: {MENTION_WORDS}"] if study.mention else []),
        f"- **told by**: {markdown_text(result.told_by)}",
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
        markdown_text(study.outcome),
        "",
        "## Findings",
        "",
    ]
    if study.findings:
        lines += [
            f"- {MEASURES[f.measure]}: {EFFECTS[f.effect]}" + (f" — {markdown_text(f.detail)}" if f.detail else "")
            for f in study.findings
        ]
    else:
        lines.append(NOT_REPORTED)
    lines += ["", "## Harms", ""]
    if study.adverse_events:
        lines += [
            f"- {markdown_text(a.event)}: {markdown_text(a.share) if a.share else 'share not reported'}"
            for a in study.adverse_events
        ]
    lines.append(f"- tolerability: {value(study.tolerability)}")
    lines += ["", "## Notes", "", value(study.notes), "", "## Sources", ""]
    documents = {d.seed: d for d in result.documents}
    for source in study.sources:
        document = documents[source.seed]
        kind, title = document.kind, document.title or "untitled"
        lines += [
            f'- {markdown_text(source.seed)} ({markdown_text(kind)}, "{markdown_text(title)}"):',
            "",
            f"  > {markdown_text(source.quote)}",
            "",
        ]
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


#: A published result's structured keys, written only where a fact holds them.
_RESULT_KEYS = ("measure", "direction", "size", "scale", "timepoint", "comparison", "primary", "event")


def publications_data(catalogue: Catalogue) -> list[dict[str, Any]]:
    """The catalogue's publications (the published layer) as plain data, in the shape of its YAML file."""
    out = []
    for p in catalogue.publications:
        facts = [
            {"field": f.field, **({"value": f.value} if f.value is not None else {}),
             **({"arms": list(f.arms)} if f.arms else {}), "text": f.text,
             **{key: getattr(f, key) for key in _RESULT_KEYS if getattr(f, key) not in (None, False)},
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


def published_markdown(result: ShowResult) -> str:
    """The published layer of one study as Markdown sections, to follow `study_markdown`."""
    from .model import FACT_FIELDS, PAGE_KINDS

    lines = ["", "## Published as", ""]
    if not result.papers:
        lines.append("No publication is catalogued for this study.")
    for paper in result.papers:
        publication = paper.publication
        lines += [f"{markdown_text(paper.citation)}", ""]
        lines += [f"- {markdown_text(label)}: {markdown_text(url)}" for label, url in paper.links]
        if publication.not_seen:
            lines.append(f"- not seen: {markdown_text(', '.join(publication.not_seen))}")
        lines += [f"- unverified: {markdown_text(part)}" for part in publication.unverified]
        if publication.notes:
            lines.append(f"- note: {markdown_text(publication.notes)}")
        lines += ["", "### As published", ""]
        for fact in publication.facts:
            lines += [
                f"- **{FACT_FIELDS[fact.field]}**: {markdown_text(fact.text)}",
                f"  > {markdown_text(fact.excerpt)}",
                f"  ({PAGE_KINDS[fact.page_kind]}: {markdown_text(fact.page)})",
            ]
        lines.append("")
    found = result.discrepancies
    lines += ["## Where the articles differ from the paper", ""]
    if not found:
        lines.append("None catalogued.")
    for d in found:
        how = "computed" if d.computed else "curated"
        lines += [
            f"- **{d.kind}** ({how}, {markdown_text(d.seed)}): {markdown_text(d.explanation)}",
            f"  - the article: > {markdown_text(d.article_says)}",
            f"  - the paper: > {markdown_text(d.published_says)} ({PAGE_KINDS[d.page_kind]}: {markdown_text(d.page)})",
        ]
    return "\n".join(lines).rstrip() + "\n"


#: The columns `ldn list --format csv` adds after the record's own: both n's, the marks, the paper's values.
LIST_CSV_EXTRA = ("published_n", "published_count", "n_articles", "differs", "commercial_only", "published")


def published_list(records: Sequence[dict[str, Any]], fmt: str, raw: bool = False) -> str:
    """`ldn list` as json, jsonl or csv, from `results.list_records` (or `results.published_records`).

    CSV has the record's columns, then LIST_CSV_EXTRA (those the records carry): the
    published n and its kind in two cells, and `published` as JSON in its cell. CSV cells
    are spreadsheet-safe unless `raw` (see `text.spreadsheet_safe`).
    """
    if fmt == "json":
        # Past ORJSON_AFTER records (about 2 kB each) the list is past the size where orjson pays.
        fast = _orjson_indented(records) if len(records) > ORJSON_AFTER else None
        return to_json(records) if fast is None else fast.decode("utf-8")
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    import csv

    buffer = io.StringIO()
    extra = [name for name in LIST_CSV_EXTRA if name == "published_count" or (records and name in records[0])]
    writer = csv.DictWriter(buffer, fieldnames=[*RECORD_FIELDS, *extra], lineterminator="\r\n")
    writer.writeheader()
    for r in records:
        row = {k: json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v for k, v in r.items()}
        published = r["published_n"]
        row["published_n"], row["published_count"] = (
            (published["number"], published["count"]) if published else ("", "")
        )
        writer.writerow({k: csv_cell(v, raw) for k, v in row.items()})
    return buffer.getvalue()
