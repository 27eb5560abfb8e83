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

from ldn_evidence import wider
from ldn_evidence.catalogue import document_text, documents, safety, summarise
from ldn_evidence.citations import bibtex, ris
from ldn_evidence.discrepancies import find_all
from ldn_evidence.errors import CatalogueError
from ldn_evidence.grading import AS_ARTICLES, CERTAINTY, PUBLISHED_ENROLLED, findings_summary
from ldn_evidence.model import (
    COMPARISONS,
    CONDITIONS,
    DESIGNS,
    DISCREPANCY_KINDS,
    DOCUMENT_KINDS,
    EFFECTS,
    EXCLUSION_REASONS,
    MEASURES,
    REGISTRY_STATUSES,
    RESULTS,
    Catalogue,
)
from ldn_evidence.published import headline_count
from ldn_evidence.results import discrepancy_record, show_record, show_result
from ldn_evidence.text import NOT_MEDICAL_ADVICE

#: The question the catalogue answers, in plain words.
QUESTION = (
    "How much evidence is there for low-dose naltrexone (LDN), how strong is it, what did the studies find, "
    "and what are the risks?"
)

#: GRADE's marks for each certainty, weakest first (the index into grading.CERTAINTY).
CERTAINTY_MARKS = ("⊕◯◯◯", "⊕⊕◯◯", "⊕⊕⊕◯", "⊕⊕⊕⊕")


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
        "registry_statuses": dict(REGISTRY_STATUSES),
        "results": dict(RESULTS),
        "comparisons": dict(COMPARISONS),
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


def _pairs(counts: Mapping[str, int]) -> list[tuple[str, int]]:
    return list(counts.items())


def search_flow(catalogue: Catalogue) -> dict[str, Any]:
    """The documented search as a PRISMA-style flow (`wider.flow`), with its queries and excluded records listed.

    `present` is False when the catalogue has no `search:` section.
    """
    if catalogue.search is None:
        return {"present": False}
    flow = wider.flow(catalogue)
    record = wider.search_record(catalogue.search) or {}
    trials = flow["registered_trials"]
    return {
        "present": True,
        "searched": flow["searched"],
        "scope": flow["scope"],
        "where": flow["where"],
        "queries": record.get("queries", []),
        "screened": flow["records_screened"],
        "relevant": flow["relevant_in_queries"],
        "excluded_count": flow["excluded"]["total"],
        "excluded_by_reason": _pairs(flow["excluded"]["by_reason"]),
        "excluded": record.get("excluded", []),
        "included": flow["included"]["total"],
        "included_by_design": _pairs(flow["included"]["by_design"]),
        "included_by_condition": _pairs(flow["included"]["by_condition"]),
        "retold": flow["retold_by_the_articles"],
        "trials": trials["total"],
        "trials_by_status": _pairs(trials["by_status"]),
        "no_results_long_after_end": trials["no_results_long_after_end"],
    }


# --- sizes with confidence intervals -----------------------------------------------------------

_NUMBER = r"[-−–]?\s?\d+(?:[.·]\d+)?"
_SIZE = re.compile(
    rf"(?:(?P<measure>\b[A-Za-z][A-Za-z0-9]{{0,8}})\s*[:=]?\s*)?(?P<point>{_NUMBER})(?:\s*[A-Za-z%]+){{0,3}}\s*[(\[,;]?\s*"
    rf"(?:95\s*(?:%|percent)\s*)?(?:CI|confidence interval)(?:\s*[(\[]CI[)\]])?\s*[:,]?\s*\[?\s*"
    rf"(?P<low>{_NUMBER})\s*(?:to|,|–|-|—)\s*(?P<high>{_NUMBER})",
    re.IGNORECASE,
)
#: Named sizes drawn against 1 (no difference is a ratio of 1); any other against 0.
_RATIOS = re.compile(r"^(?:RR|OR|HR|IRR|ratio)$", re.IGNORECASE)
#: Names of sizes a forest plot shows; anything else before the number is not a name.
_NAMED = re.compile(r"^(?:RR|OR|HR|IRR|MD|SMD|WMD|d|g)$", re.IGNORECASE)
#: A dose estimate (ED50, ED95) is not an effect against a comparison.
_DOSE = re.compile(r"^ED\d+$", re.IGNORECASE)


def _number(text: str) -> float:
    return float(text.replace(" ", "").replace("−", "-").replace("–", "-").replace("·", "."))


def intervals(size: str) -> list[dict[str, Any]]:
    """Each point estimate with its confidence interval in a size as a page states it.

    "RR: 1.99, 95% CI [1.07, 3.70]" -> [{label: "RR", point: 1.99, low: 1.07, high: 3.7, null: 1.0}];
    an interval that does not hold its point is left out (the page states it some other way),
    and so is a dose estimate.
    """
    out = []
    for match in _SIZE.finditer(size):
        point, low, high = (_number(match[name]) for name in ("point", "low", "high"))
        label = (match["measure"] or "").strip()
        if _DOSE.match(label) or not low <= point <= high:
            continue
        label = label if _NAMED.match(label) else ""
        out.append(
            {"label": label, "point": point, "low": low, "high": high, "null": 1.0 if _RATIOS.match(label) else 0.0}
        )
    return out


def interval(size: str) -> dict[str, Any] | None:
    """The first point estimate with its confidence interval in a size, or None."""
    found = intervals(size)
    return found[0] if found else None


def evidence_map(catalogue: Catalogue) -> dict[str, dict[str, dict[str, int]]]:
    """Conditions by designs: how many studies in each cell and how many people their papers counted.

    People are the published headline count (enrolled, else randomized, analysed,
    completed) of each study's publication; a study with none is counted in `n_unknown`.
    Passing mentions are left out.
    """
    cells: dict[str, dict[str, dict[str, int]]] = {}
    for study in catalogue.studies:
        if study.mention:
            continue
        cell = cells.setdefault(study.condition, {}).setdefault(
            study.design, {"count": 0, "participants": 0, "n_unknown": 0}
        )
        cell["count"] += 1
        count = headline_count(study.publication) if study.publication is not None else None
        if count is None:
            cell["n_unknown"] += 1
        else:
            cell["participants"] += count.number
    return cells


#: The structured parts of a published fact a page shows beside its words.
FACT_PARTS = ("measure", "direction", "size", "scale", "timepoint", "comparison", "primary", "event")


def forest_rows(records: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Per outcome (condition, measure, ratio or difference), each published size stated with a confidence interval.

    Only facts of the published layer with a `size` whose interval can be read are drawn;
    the excerpt and page go with each, so the picture is as checkable as the table.
    """
    outcomes: dict[tuple[str, str, bool], list[dict[str, Any]]] = {}
    for record in records:
        for publication in record.get("publications", []):
            for fact in publication.get("facts", []):
                size = fact.get("size")
                if not isinstance(size, str):
                    continue
                measure = fact.get("measure") or fact.get("field") or "outcome"
                for found in intervals(size):
                    outcomes.setdefault((record["condition"], str(measure), found["null"] == 1.0), []).append(
                        {
                            **found,
                            "study": record["id"],
                            "publication": publication["id"],
                            "size": size,
                            "direction": fact.get("direction"),
                            "scale": fact.get("scale"),
                            "timepoint": fact.get("timepoint"),
                            "excerpt": fact.get("excerpt"),
                            "page": fact.get("page"),
                        }
                    )
    return [
        {"condition": c, "measure": m, "ratio": ratio, "rows": rows} for (c, m, ratio), rows in sorted(outcomes.items())
    ]


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
    records = [show_record(show_result(catalogue, study)) for study in catalogue.studies]
    registered = {r.study: r for r in wider.registrations(catalogue)}
    commercial = catalogue.commercial_seeds()
    for study, record in zip(catalogue.studies, records, strict=True):
        record["commercial_only"] = catalogue.commercial_only(study, commercial)
        record["seeds"] = sorted({s.seed for s in study.sources})
        record["retold"] = study.retold
        found = registered.get(study.id)
        record["registration"] = found.record() if found is not None else None
        by_id = {p.id: p for p in catalogue.publications_of(study.id)}
        for publication in record["publications"]:
            paper = by_id[publication["id"]]
            publication["ris"] = ris([paper])
            publication["bibtex"] = bibtex([paper])
            for fact, source in zip(publication["facts"], paper.facts, strict=True):
                fact.update({part: getattr(source, part) for part in FACT_PARTS})
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
        "search": search_flow(catalogue),
        "body": wider.evidence_body(catalogue.index, catalogue),
        "evidence_map": evidence_map(catalogue),
        "forest": forest_rows(records),
        "publications": len(catalogue.publications),
    }
