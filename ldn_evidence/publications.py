"""The published layer: what the papers behind the studies say, kept apart from what the articles say.

A publication's facts stand on verbatim excerpts of public pages. The excerpts
are kept in ``publications/ID.txt`` beside ``seeds/``, grouped under the page each
was read on, and `ldn verify` checks every excerpt against that file as it checks
quotes against the seeds. This module reads those files, turns both layers of a
study into the same `Values`, says which count a number of people is, and makes
the links a person can open. Plain data out; nothing here prints.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .model import (
    COUNT_FIELDS,
    FACT_FIELDS,
    TIME_FIELDS,
    Catalogue,
    Count,
    Discrepancy,
    Dose,
    Duration,
    Period,
    Publication,
    PublishedFact,
    Study,
    Values,
)

if TYPE_CHECKING:
    pass

#: Which published count stands for a study's size, in order of preference.
HEADLINE_COUNTS = ("enrolled", "randomized", "analysed", "completed")


def excerpt_count(catalogue: Catalogue) -> int:
    """How many excerpts the published layer rests on: facts' and curated discrepancies'."""
    return sum(len(p.facts) + len(p.discrepancies) for p in catalogue.publications)


# --- the two layers as values ------------------------------------------------------------------------


def reported_values(study: Study) -> Values:
    """What the articles report, as values: counts and lengths say they are 'as stated'."""
    return Values(
        counts=(Count(study.n, "stated"),) if study.n is not None else (),
        periods=(Period(study.duration, "stated"),) if study.duration is not None else (),
        doses=(study.dose,) if study.dose is not None else (),
        design=study.design if study.design != "unspecified" else None,
        year=study.year,
    )


def published_values(publication: Publication) -> Values:
    """What the publication's facts say, as values: every count and length says which it is."""
    counts = [
        Count(int(fact.value), fact.field)
        for fact in publication.facts
        if fact.field in COUNT_FIELDS and fact.field != "dropouts" and isinstance(fact.value, int)
    ]
    periods = [
        Period(Duration.parse(str(fact.value)), TIME_FIELDS[fact.field])
        for fact in publication.facts
        if fact.field in TIME_FIELDS and fact.value is not None
    ]
    doses = [Dose.parse(str(fact.value)) for fact in publication.facts if fact.field == "dose" and fact.value]
    design = next((str(f.value) for f in publication.facts if f.field == "design" and f.value is not None), None)
    return Values(tuple(counts), tuple(periods), tuple(doses), design, publication.year)


def headline_count(publication: Publication) -> Count | None:
    """The count that stands for the study's size: enrolled, else randomized, analysed, completed."""
    counts = {count.kind: count for count in published_values(publication).counts}
    return next((counts[kind] for kind in HEADLINE_COUNTS if kind in counts), None)


# --- links and citations -------------------------------------------------------------------------------


def links(publication: Publication) -> list[tuple[str, str]]:
    """(label, address) of each page a person can open for the publication's identifiers."""
    out = []
    if publication.pmid:
        out.append((f"PMID {publication.pmid}", f"https://pubmed.ncbi.nlm.nih.gov/{publication.pmid}/"))
    if publication.pmcid:
        out.append((publication.pmcid, f"https://pmc.ncbi.nlm.nih.gov/articles/{publication.pmcid}/"))
    if publication.doi:
        out.append((f"DOI {publication.doi}", f"https://doi.org/{publication.doi}"))
    for registry in publication.registry:
        if registry.startswith("NCT"):
            out.append((registry, f"https://clinicaltrials.gov/study/{registry}"))
        else:
            number = registry.split()[-1]
            out.append((registry, f"https://www.clinicaltrialsregister.eu/ctr-search/search?query={number}"))
    return out


def citation(publication: Publication) -> str:
    """A one-line citation: authors (year). Title. Journal volume(issue):pages. What was not seen stays out."""
    parts = [f"{publication.authors or 'Authors not seen'} ({publication.year or 'year not seen'})."]
    title = publication.title.rstrip(".")
    parts.append(f"{title}.")
    if publication.journal:
        parts.append(publication.journal + (f" {publication.volume_pages}" if publication.volume_pages else "") + ".")
    return " ".join(parts)


def is_address(page: str) -> bool:
    """True if a page is named by an http(s) address a person can open."""
    return page.startswith(("https://", "http://"))


# --- plain data -------------------------------------------------------------------------------------


def fact_record(fact: PublishedFact) -> dict[str, Any]:
    """A published fact as plain data."""
    return {
        "field": fact.field,
        "about": FACT_FIELDS[fact.field],
        "value": fact.value,
        "text": fact.text,
        "excerpt": fact.excerpt,
        "page": fact.page,
        "page_kind": fact.page_kind,
    }


def publication_record(publication: Publication) -> dict[str, Any]:
    """A publication as plain data: citation, identifiers (as strings), links, facts and curated discrepancies."""
    headline = headline_count(publication)
    return {
        "id": publication.id,
        "studies": list(publication.study),
        "citation": citation(publication),
        "authors": publication.authors,
        "year": publication.year,
        "title": publication.title,
        "journal": publication.journal,
        "volume_pages": publication.volume_pages,
        "pmid": publication.pmid,
        "pmcid": publication.pmcid,
        "doi": publication.doi,
        "registry": list(publication.registry),
        "links": [{"label": label, "url": url} for label, url in links(publication)],
        "verified_on": list(publication.verified_on),
        "not_seen": list(publication.not_seen),
        "unverified": list(publication.unverified),
        "notes": publication.notes,
        "enrolment": {"number": headline.number, "count": headline.kind} if headline else None,
        "facts": [fact_record(fact) for fact in publication.facts],
    }


def discrepancy_record(found: Discrepancy) -> dict[str, Any]:
    """A discrepancy as plain data: the JSON contract of `ldn discrepancies`."""
    return {
        "study": found.study,
        "publication": found.publication,
        "kind": found.kind,
        "seed": found.seed,
        "article_says": found.article_says,
        "published_says": found.published_says,
        "explanation": found.explanation,
        "source_url": found.page,
        "page_kind": found.page_kind,
        "computed": found.computed,
    }


# --- `ldn list --n published` -------------------------------------------------------------------------


def published_n(study: Study) -> str | None:
    """The published count that stands for the study's size, saying which it is ('80 enrolled'); None if unknown."""
    if study.publication is None:
        return None
    count = headline_count(study.publication)
    return str(count) if count is not None else None


def sort_by_published(studies: list[Study], by: str) -> list[Study]:
    """Sorted as asked, with 'n' meaning the published count (largest first, unknown last).

    Other orders keep the order they were given.
    """
    if by != "n":
        return studies

    def size(study: Study) -> int | None:
        count = headline_count(study.publication) if study.publication is not None else None
        return count.number if count is not None else None

    return sorted(studies, key=lambda s: (size(s) is None, -(size(s) or 0), s.id))


def published_list(studies: list[Study], fmt: str, raw: bool = False) -> str:
    """`ldn list --n published` as json, jsonl or csv: each record with `published_n` (number and count).

    CSV cells are spreadsheet-safe unless `raw` (see `formats.spreadsheet_safe`).
    """
    import csv
    import io
    import json

    from .formats import RECORD_FIELDS, study_record, to_json
    from .text import csv_cell

    def record(study: Study) -> dict[str, Any]:
        count = headline_count(study.publication) if study.publication is not None else None
        published = {"number": count.number, "count": count.kind} if count is not None else None
        return {**study_record(study), "published_n": published}

    records = [record(s) for s in studies]
    if fmt == "json":
        return to_json(records)
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    buffer = io.StringIO()
    writer = csv.DictWriter(
        buffer, fieldnames=[*RECORD_FIELDS, "published_n", "published_count"], lineterminator="\r\n"
    )
    writer.writeheader()
    for r in records:
        row = {k: json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v for k, v in r.items()}
        published = r["published_n"]
        row["published_n"], row["published_count"] = (
            (published["number"], published["count"]) if published else ("", "")
        )
        writer.writerow({k: csv_cell(v, raw) for k, v in row.items()})
    return buffer.getvalue()


def chosen(catalogue: Catalogue, wanted: Sequence[str]) -> list[Publication]:
    """The publications named by study ids (or unique prefixes) and publication ids, each once; all if none.

    Raises StudyNotFound for a word that names neither, or a study with no publication.
    """
    from .catalogue import find
    from .errors import StudyNotFound

    if not wanted:
        return list(catalogue.publications)
    out: list[Publication] = []
    for word in wanted:
        by_id = [p for p in catalogue.publications if p.id == word]
        if by_id:
            out += by_id
            continue
        try:
            study = find(catalogue, word)
        except StudyNotFound as exc:
            raise StudyNotFound(word, exc.close, exc.ambiguous, what="study or publication") from None
        backing = catalogue.publications_of(study.id)
        if not backing:
            raise StudyNotFound(study.id, [], what="publication catalogued for the study")
        out += backing
    return list(dict.fromkeys(out))
