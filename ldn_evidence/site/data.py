"""Everything the site shows, asked of the library once and turned into plain dicts.

This is the one module of the site that knows the library's functions: each page
is drawn from the plain data `gather` returns (the same answers the `--format
json` views give), so the pages never call the library while they are drawn. When
the library's modules move, this file is the one to re-point.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import Any

from ldn_evidence.catalogue import NOT_MEDICAL_ADVICE, document_text, documents, safety, summarise
from ldn_evidence.citations import bibtex, ris
from ldn_evidence.discrepancies import find_all
from ldn_evidence.errors import CatalogueError
from ldn_evidence.formats import show_record
from ldn_evidence.grading import AS_ARTICLES, CERTAINTY, PUBLISHED_ENROLLED, findings_summary
from ldn_evidence.model import CONDITIONS, DESIGNS, DISCREPANCY_KINDS, DOCUMENT_KINDS, EFFECTS, MEASURES, Catalogue
from ldn_evidence.publications import discrepancy_record

#: The question the catalogue answers, in plain words.
QUESTION = (
    "How much evidence is there for low-dose naltrexone (LDN), how strong is it, what did the studies find, "
    "and what are the risks?"
)

#: GRADE's marks for each certainty, weakest first (the index into grading.CERTAINTY).
CERTAINTY_MARKS = ("⊕◯◯◯", "⊕⊕◯◯", "⊕⊕⊕◯", "⊕⊕⊕⊕")

#: Excluded-record reason keys of the search, in the words a page shows.
EXCLUSION_REASONS = {
    "already-catalogued": "already in the catalogue",
    "duplicate": "duplicate record",
    "case-report": "case report",
    "case-series": "case series",
    "narrative-review": "narrative review",
    "animal-or-cell": "animal or cell work",
    "not-low-dose": "not a low dose",
    "too-small": "observational, under 20 people",
    "out-of-scope-condition": "condition out of scope",
    "not-a-study": "not a study (commentary, protocol, news)",
    "not-naltrexone": "not naltrexone",
    "other": "other reason",
}


def labels() -> dict[str, Any]:
    """The vocabularies' words, keyed as the data is."""
    return {
        "designs": {key: label for key, (_, label) in DESIGNS.items()},
        "levels": {key: level for key, (level, _) in DESIGNS.items()},
        "conditions": {key: label for key, (label, _) in CONDITIONS.items()},
        "measures": dict(MEASURES),
        "effects": dict(EFFECTS),
        "document_kinds": dict(DOCUMENT_KINDS),
        "discrepancy_kinds": list(DISCREPANCY_KINDS),
        "exclusion_reasons": dict(EXCLUSION_REASONS),
        # How people are counted where rows of one table rest on different counts.
        "mixed_basis": f"{PUBLISHED_ENROLLED} where verified, else {AS_ARTICLES}",
    }


def plain(value: Any) -> Any:
    """A library value as plain data: dataclasses and named tuples become dicts, tuples lists."""
    if is_dataclass(value) and not isinstance(value, type):
        return plain(asdict(value))
    if isinstance(value, tuple) and hasattr(value, "_asdict"):
        return plain(value._asdict())
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


# --- the search ------------------------------------------------------------------------------


def _raw_search(catalogue: Catalogue) -> Any:
    """The catalogue's `search:` section: from the loaded catalogue when it carries one, else from its file.

    Read from the file only after the loader accepted that file; any problem reading it
    again means there is no section to show.
    """
    found = getattr(catalogue, "search", None)
    if found is not None:
        return plain(found)
    try:
        with open(catalogue.path, encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, ValueError):
        return None
    if not re.search(r"^search:", text, re.MULTILINE):
        return None  # most catalogues: no need to parse the file again
    import yaml

    try:
        whole = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return None
    return whole.get("search") if isinstance(whole, dict) else None


def _count(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def search_flow(catalogue: Catalogue, studies: Sequence[Mapping[str, Any]] = ()) -> dict[str, Any]:
    """The documented search as a PRISMA-style flow, in plain data.

    `present` is False when the catalogue has no `search:` section. Otherwise: when and
    where it was searched, each query with the records it screened and included, the
    records screened in all, the excluded ones counted by reason (and listed), and the
    catalogue's studies of people by design, split into those the articles retell and
    those only the search found.
    """
    raw = _raw_search(catalogue)
    if not isinstance(raw, Mapping):
        return {"present": False}
    queries = [q for q in raw.get("queries") or [] if isinstance(q, Mapping)]
    excluded = [e for e in raw.get("excluded") or [] if isinstance(e, Mapping)]
    reasons: dict[str, int] = {}
    for item in excluded:
        reason = _text(item.get("reason")) or "other"
        reasons[reason] = reasons.get(reason, 0) + 1
    by_design: dict[str, dict[str, int]] = {}
    for study in studies:
        if study.get("mention") or study.get("design") in ("animal", "in-vitro", "hypothesis"):
            continue
        tally = by_design.setdefault(study["design"], {"retold": 0, "found": 0})
        tally["retold" if study.get("sources") else "found"] += 1
    order = list(DESIGNS)
    return {
        "present": True,
        "searched": _text(raw.get("searched")),
        "scope": _text(raw.get("scope")),
        "where": [w for w in raw.get("where") or [] if isinstance(w, str)],
        "queries": [
            {
                "group": _text(q.get("group")),
                "query": _text(q.get("query")) or "",
                "corpus": _text(q.get("corpus")),
                "screened": _count(q.get("screened")),
                "included": _count(q.get("included")),
            }
            for q in queries
        ],
        "screened": sum(_count(q.get("screened")) for q in queries),
        "included": sum(_count(q.get("included")) for q in queries),
        "excluded_count": len(excluded),
        "excluded_by_reason": sorted(reasons.items(), key=lambda item: (-item[1], item[0])),
        "excluded": [
            {
                "title": _text(e.get("title")) or "",
                "reason": _text(e.get("reason")) or "other",
                "page": _text(e.get("page")),
                "note": _text(e.get("note")),
            }
            for e in excluded
        ],
        "by_design": sorted(by_design.items(), key=lambda item: order.index(item[0]) if item[0] in order else 99),
    }


# --- sizes with confidence intervals -----------------------------------------------------------

_NUMBER = r"[-−–]?\d+(?:\.\d+)?"
_SIZE = re.compile(
    rf"(?P<measure>[A-Za-z][A-Za-z ]{{0,40}}?)?\s*(?P<point>{_NUMBER})\s*[(\[,;]?\s*(?:95\s*%\s*)?"
    rf"(?:CI|confidence interval)[:,]?\s*(?P<low>{_NUMBER})\s*(?:to|,|–|-|—)\s*(?P<high>{_NUMBER})",
    re.IGNORECASE,
)


def _number(text: str) -> float:
    return float(text.replace("−", "-").replace("–", "-"))


def interval(size: str) -> dict[str, Any] | None:
    """A point estimate with its confidence interval, read from a size as a page states it.

    "RR 1.23 (95% CI 0.9 to 1.6)" -> {label: "RR", point: 1.23, low: 0.9, high: 1.6}; None when
    the text states no interval, or one that does not hold its point.
    """
    match = _SIZE.search(size)
    if match is None:
        return None
    point, low, high = (_number(match[name]) for name in ("point", "low", "high"))
    if not low <= point <= high:
        return None
    label = (match["measure"] or "").strip()
    ratio = bool(re.search(r"\b(?:RR|OR|HR|ratio)\b", label, re.IGNORECASE))
    return {"label": label, "point": point, "low": low, "high": high, "null": 1.0 if ratio else 0.0}


def forest_rows(records: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Per outcome (condition, measure), each published finding that states a size with a confidence interval.

    Only facts of the published layer with a `size` whose interval can be read are drawn;
    the excerpt and page go with each, so the picture is as checkable as the table.
    """
    outcomes: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for record in records:
        for publication in record.get("publications", []):
            for fact in publication.get("facts", []):
                size = fact.get("size")
                if not isinstance(size, str):
                    continue
                found = interval(size)
                if found is None:
                    continue
                measure = fact.get("measure") or fact.get("field") or "outcome"
                outcomes.setdefault((record["condition"], str(measure)), []).append(
                    {
                        **found,
                        "study": record["id"],
                        "publication": publication["id"],
                        "size": size,
                        "scale": fact.get("scale"),
                        "timepoint": fact.get("timepoint"),
                        "excerpt": fact.get("excerpt"),
                        "page": fact.get("page"),
                    }
                )
    return [{"condition": c, "measure": m, "rows": rows} for (c, m), rows in sorted(outcomes.items())]


# --- articles ------------------------------------------------------------------------------------


def article_report(catalogue: Catalogue, name: str, text: str) -> dict[str, Any]:
    """An article checked sentence by sentence (`ldn claims --format json`), its sentences grouped in paragraphs.

    A paragraph is the run of sentences that start on one line of the text, or on
    lines with no blank line between them.
    """
    from ldn_evidence import claims

    record = claims.report_record(claims.check_article(catalogue, name, text))
    number = 0
    for claim in record["claims"]:
        marked = bool(claim["study"] or claim["checks"])
        number += marked
        claim["number"] = number if marked else None
        claim["unsupported"] = claim["sentence"] in record["unsupported"] and not marked
        # Where the article departs from the paper is read first; the agreements follow.
        claim["ordered"] = sorted(claim["checks"], key=lambda k: _VERDICT_ORDER.get(k["verdict"], 1))
        claim["verdicts"] = {v: sum(1 for k in claim["checks"] if k["verdict"] == v) for v in _VERDICT_ORDER}
    # An HTML article's lines are where its blocks (paragraphs, headings, items) start.
    html = claims.looks_like_html(name, text)
    lines = text.splitlines()
    paragraphs: list[list[dict[str, Any]]] = []
    last = 0
    for claim in record["claims"]:
        line = claim["line"]
        if not paragraphs or (line != last and (html or _starts_paragraph(lines, last, line))):
            paragraphs.append([])
        paragraphs[-1].append(claim)
        last = line
    counts = {"sentences": len(record["claims"]), "linked": sum(1 for c in record["claims"] if c["study"])}
    for verdict in claims.VERDICTS:
        counts[verdict] = sum(1 for c in record["claims"] for k in c["checks"] if k["verdict"] == verdict)
    return {**record, "paragraphs": paragraphs, "counts": counts, "not_advice": claims.NOT_ADVICE}


_VERDICT_ORDER = {"differs": 0, "unchecked": 1, "agrees": 2}
_LIST_MARK = re.compile(r"^\s*(?:[-*+•]|\d+[.)]|#{1,6}|>)\s")
_ENDS = re.compile(r"[.!?:;\"”’)]\s*$")


def _starts_paragraph(lines: Sequence[str], last: int, line: int) -> bool:
    """True when the text between lines `last` and `line` (1-based) breaks a paragraph.

    A blank line between them, a list mark opening `line`, or `last` ending as a
    sentence ends (one paragraph a line, as the documents are kept) all do.
    """
    if not 0 < last < line <= len(lines):
        return line != last
    if any(not lines[number - 1].strip() for number in range(last + 1, line)):
        return True
    return bool(_LIST_MARK.match(lines[line - 1]) or _ENDS.search(lines[line - 2]))


def seeds_of(data: str | None) -> Path | None:
    """The folder of the source documents of the catalogue `data` names (None: the shipped one), or None if refused."""
    from ldn_evidence.paths import catalogue_path, seeds_folder

    try:
        return seeds_folder(catalogue_path(data))
    except CatalogueError:
        return None


def read_article(path: str) -> tuple[str, str]:
    """An article file given with --article: its name and text, read by the `ldn claims` rules."""
    from ldn_evidence import claims

    return claims.read_article(path)


# --- everything ----------------------------------------------------------------------------------


def gather(catalogue: Catalogue, seeds: Path | None, articles: Sequence[tuple[str, str]] = ()) -> dict[str, Any]:
    """What the whole site shows, as plain data.

    `seeds` is the folder of the catalogue's source documents (None: their text is not
    read); `articles` are (name, text) of further articles to check.
    """
    records = [show_record(study, catalogue) for study in catalogue.studies]
    commercial = catalogue.commercial_seeds()
    for study, record in zip(catalogue.studies, records, strict=True):
        record["commercial_only"] = catalogue.commercial_only(study, commercial)
        record["seeds"] = sorted({s.seed for s in study.sources})
        by_id = {p.id: p for p in catalogue.publications_of(study.id)}
        for publication in record["publications"]:
            paper = by_id[publication["id"]]
            publication["ris"] = ris([paper])
            publication["bibtex"] = bibtex([paper])
    studies = list(catalogue.studies)
    summary = {**findings_summary(catalogue, catalogue.index), **summarise(catalogue.index)}
    for outcome in summary["outcomes"]:
        rank = CERTAINTY.index(outcome["certainty"])
        outcome["marks"] = CERTAINTY_MARKS[rank]
        outcome["rank"] = rank
    docs = []
    for entry in documents(catalogue):
        text, problem = None, None
        if seeds is not None:
            try:
                text = document_text(catalogue, entry["seed"], seeds)
            except CatalogueError as exc:
                problem = str(exc)
        else:
            problem = "the folder of source documents was not found"
        report = article_report(catalogue, entry["seed"], text) if text is not None else None
        docs.append({**entry, "report": report, "problem": problem, "commercial": entry["seed"] in commercial})
    return {
        "question": QUESTION,
        "not_advice": NOT_MEDICAL_ADVICE,
        "catalogue": Path(catalogue.path).name,
        "labels": labels(),
        "certainty_words": list(CERTAINTY),
        "certainty_marks": list(CERTAINTY_MARKS),
        "studies": records,
        "summary": summary,
        "safety": safety(catalogue, studies),
        "discrepancies": [discrepancy_record(d) for d in find_all(catalogue, studies, None, None)],
        "documents": docs,
        "articles": [{"name": name, "report": article_report(catalogue, name, text)} for name, text in articles],
        "search": search_flow(catalogue, records),
        "forest": forest_rows(records),
        "publications": len(catalogue.publications),
    }
