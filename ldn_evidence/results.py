"""What each command shows, assembled once as plain data: the results the writers and views draw.

A view or a writer never asks the library while it draws: the command asks here,
once, and hands the result on. `show`'s result holds the study, who is telling it,
its documents, its papers (with their citations and links) and where the articles
differ from the papers; the records below are the JSON contract of each.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .discrepancies import of_study
from .model import DOCUMENT_KINDS, FACT_FIELDS, Catalogue, Discrepancy, Publication, PublishedFact, Study
from .publications import citation, links
from .published import HEADLINE_COUNTS, headline_count, reading_of
from .records import study_record

if TYPE_CHECKING:
    from dataclasses import dataclass
else:  # the same classes, made at a fraction of the start-up cost (see `frozen`)
    from .frozen import dataclass


@dataclass(frozen=True)
class Document:
    """A document a study is cited from, as `show` names it."""

    seed: str
    """Its file name in seeds/."""
    kind: str
    """Its kind in words ("document not listed" when the catalogue does not list it)."""
    title: str | None
    """Its title, if it has one."""


@dataclass(frozen=True)
class Paper:
    """A publication behind a study, with what a person needs to find it."""

    publication: Publication
    """The publication, its facts and its curated discrepancies."""
    citation: str
    """A one-line citation (what was not seen stays out)."""
    links: tuple[tuple[str, str], ...]
    """(label, address) of each page a person can open."""


@dataclass(frozen=True)
class Lead:
    """One line of what the paper says, led with in `ldn show`, beside what the articles say."""

    label: str
    """What it is about: n, design, duration, dose, year, or a discrepancy kind."""
    published: str | None
    """What the paper says, in brief ("80 enrolled, 60 completed"); None for a kind with no value."""
    articles: str | None
    """What the articles say ("60"), or None (not retold, or not stated)."""
    differs: bool
    """True where the articles differ from the paper on it (the ≠ mark)."""
    why: str | None
    """The difference in one line, where they differ."""


#: The structured values `show` leads with, each with the discrepancy kind that compares it.
LEAD_KINDS = ("n", "design", "duration", "dose", "year")


@dataclass(frozen=True)
class ShowResult:
    """Everything `ldn show` says of one study: the articles' account, then the papers'."""

    study: Study
    """The study as the articles report it."""
    told_by: str
    """Who is telling it: the kinds of document the record rests on, in words."""
    documents: tuple[Document, ...]
    """The documents it is cited from, in the order of its sources."""
    published: bool
    """True when the catalogue has a published layer at all (else `show` leaves those sections out)."""
    papers: tuple[Paper, ...]
    """Its publications, in the catalogue file's order."""
    discrepancies: tuple[Discrepancy, ...]
    """Where the articles differ from the papers, computed and curated."""
    lead: tuple[Lead, ...] = ()
    """What the paper says, first: each value beside the articles', with ≠ and why where they differ."""
    registration: dict[str, Any] | None = None
    """Its registry record (`wider.Registration.record()`), if it is a registered trial."""
    searched: str | None = None
    """The date of the catalogue's search (for "found by the search of ...")."""


def told_by(study: Study, catalogue: Catalogue) -> str:
    """Who is telling it: the kinds of document the record rests on, in words."""
    kinds = []
    for seed in study.seeds:
        document = catalogue.document(seed)
        kinds.append(DOCUMENT_KINDS.get(document.kind, document.kind) if document else "document not listed")
    words = ", ".join(dict.fromkeys(kinds))
    return f"only {words} (a commercial source)" if catalogue.commercial_only(study) else words


def paper(publication: Publication) -> Paper:
    """A publication with its citation and links."""
    return Paper(publication, citation(publication), tuple(links(publication)))


def _paper_words(summary: dict[str, Any]) -> dict[str, str | None]:
    """The paper's values in brief, per LEAD_KINDS."""
    counts = summary["counts"]
    n = ", ".join(f"{number} {kind}" for kind, number in counts.items()) or None
    conduct = [summary[k] for k in ("blinding", "allocation") if summary[k]]
    if summary["control"] == "placebo":
        conduct.append("placebo-controlled")
    design = ", ".join([summary["design"], *conduct]) if summary["design"] else None
    times = []
    if summary["treatment_period"]:
        times.append(f"{summary['treatment_period']} on treatment")
    if summary["study_length"]:
        times.append(f"{summary['study_length']} in all")
    year = str(summary["year"]) if summary["year"] is not None else None
    return {"n": n, "design": design, "duration": "; ".join(times) or None, "dose": summary["dose"], "year": year}


def _article_words(study: Study) -> dict[str, str | None]:
    """The articles' values in brief, per LEAD_KINDS (all None for a study no article retells)."""
    if not study.retold:
        return dict.fromkeys(LEAD_KINDS)
    return {
        "n": str(study.n) if study.n is not None else None,
        "design": study.design if study.design != "unspecified" else None,
        "duration": study.duration.text if study.duration else None,
        "dose": study.dose.text if study.dose else None,
        "year": str(study.year) if study.year is not None else None,
    }


def lead(catalogue: Catalogue, study: Study, found: Sequence[Discrepancy]) -> tuple[Lead, ...]:
    """What the paper says, first: its values beside the articles', then every other kind where they differ."""
    summary = published_summary(catalogue, study.id)
    if summary is None:
        return ()
    paper, articles = _paper_words(summary), _article_words(study)
    first: dict[str, Discrepancy] = {}
    for d in found:
        first.setdefault(d.kind, d)
    rows = [
        Lead(kind, paper[kind], articles[kind], kind in first, first[kind].explanation if kind in first else None)
        for kind in LEAD_KINDS
        if paper[kind] is not None or kind in first
    ]
    rows += [Lead(d.kind, None, None, True, d.explanation) for d in found if d.kind not in LEAD_KINDS]
    return tuple(rows)


def show_result(catalogue: Catalogue, study: Study) -> ShowResult:
    """The answer of `ldn show` for this study, assembled once."""
    from .wider import registration

    documents = []
    for seed in study.seeds:
        document = catalogue.document(seed)
        kind = DOCUMENT_KINDS.get(document.kind, document.kind) if document else "document not listed"
        documents.append(Document(seed, kind, document.title if document and document.title else None))
    published = bool(catalogue.publications)
    papers = catalogue.publications_of(study.id) if published else []
    found = tuple(of_study(catalogue, study)) if published else ()
    searched = catalogue.search.searched if catalogue.search else None
    registered = registration(study.id, papers, searched) if papers else None
    return ShowResult(
        study,
        told_by(study, catalogue),
        tuple(documents),
        published,
        tuple(paper(p) for p in papers),
        found,
        lead(catalogue, study, found),
        registered.record() if registered else None,
        searched,
    )


def show_record(result: ShowResult) -> dict[str, Any]:
    """`ldn show --format json`: the study as the articles report it, then its publications and discrepancies.

    The record's own fields are the articles' account; `publications` holds the
    papers (identifiers as plain strings) with the facts seen on their pages, and
    `discrepancies` every place the two differ.
    """
    return {
        **study_record(result.study),
        "told_by": result.told_by if result.study.retold else None,
        "lead": [lead_record(row) for row in result.lead],
        "registration": result.registration,
        "publications": [publication_record(p.publication) for p in result.papers],
        "discrepancies": [discrepancy_record(d) for d in result.discrepancies],
    }


#: The facts of a study's papers that `ldn list` carries, the first each paper states.
LISTED_FACTS = (
    "design", "blinding", "allocation", "control", "dose", "treatment-period", "study-length",
    "status", "planned", "start", "completion", "results", "trials-pooled", "people-pooled",
)  # fmt: skip


def published_summary(catalogue: Catalogue, study: str) -> dict[str, Any] | None:
    """What the papers say of a study in brief: its headline n with its kind, every count, and
    the first value of each of LISTED_FACTS; None when no publication backs it.

    Read through `published.reading_of`, so it says what `show` and the summary say.
    """
    reading = reading_of(catalogue, study)
    if not reading.publications:
        return None
    counts = reading.counts()
    headline = next((counts[kind] for kind in HEADLINE_COUNTS if kind in counts), None)
    year = next((p.year for p in reading.publications if p.year is not None), None)
    firsts = {name: reading.first(name) for name in LISTED_FACTS}
    return {
        "publications": [p.id for p in reading.publications],
        "year": year,
        "n": {"number": headline.value, "count": headline.field} if headline else None,
        "counts": {kind: said.value for kind, said in counts.items()},
        **{name.replace("-", "_"): said.value if said else None for name, said in firsts.items()},
    }


def list_records(catalogue: Catalogue, studies: Sequence[Study]) -> list[dict[str, Any]]:
    """`ldn list` as data: each study's record (the articles' account), then both n's and the marks.

    `n_articles` is the articles' n (the record's `n`); `published_n` the paper's headline
    count with its kind; `published` the paper's values in brief (see `published_summary`);
    `differs` is the ≠ mark (the articles differ from the paper somewhere), `commercial_only`
    the † mark (the record rests only on a commercial source); `retold` False for a study
    no article retells.
    """
    from .discrepancies import differing

    marked = differing(catalogue, studies) if catalogue.publications else set()
    commercial = catalogue.commercial_seeds()
    out = []
    for study in studies:
        summary = published_summary(catalogue, study.id)
        count = headline_count(study.publication) if study.publication is not None else None
        out.append(
            {
                **study_record(study),
                "n_articles": study.n,
                "published_n": {"number": count.number, "count": count.kind} if count else None,
                "differs": study.id in marked,
                "commercial_only": catalogue.commercial_only(study, commercial),
                "published": summary,
            }
        )
    return out


def lead_record(row: Lead) -> dict[str, Any]:
    """One line of what the paper says, as plain data."""
    return {"about": row.label, "published": row.published, "articles": row.articles, "differs": row.differs,
            "why": row.why}  # fmt: skip


def published_records(studies: Sequence[Study]) -> list[dict[str, Any]]:
    """`ldn list --n published` as data: each study's record with `published_n` (number and count, or None)."""

    def record(study: Study) -> dict[str, Any]:
        count = headline_count(study.publication) if study.publication is not None else None
        published = {"number": count.number, "count": count.kind} if count is not None else None
        return {**study_record(study), "published_n": published}

    return [record(s) for s in studies]


def fact_record(fact: PublishedFact) -> dict[str, Any]:
    """A published fact as plain data."""
    return {
        "field": fact.field,
        "about": FACT_FIELDS[fact.field],
        "value": fact.value,
        **({"arms": list(fact.arms)} if fact.arms else {}),
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


#: The groupings of `ldn summary` that keep counts of studies and people per stratum.
STRATA = ("by_design", "by_condition", "by_level", "by_measure")


def strata_only(summary: dict[str, Any]) -> dict[str, Any]:
    """A summary with no tally: each stratum keeps its count of studies only, and people are never summed across
    designs or conditions.

    Effects are never summed across designs or conditions (a mouse study and a trial
    are not equal votes): what the studies found is in the rated rows of `outcomes`.
    Nor are people: a stratum by design spans conditions, one by condition, level or
    measure spans designs, so they keep the number of studies and of studies whose n
    is not reported; people are given within one condition and one design only
    (`evidence_map`) and in the rated rows.
    """
    out = {key: value for key, value in summary.items() if key not in ("by_effect", "with_effects", "participants")}
    if summary.get("outcomes"):
        out["by_measure"] = measure_strata(summary["outcomes"])
    for kind in ("clinical", "preclinical"):  # each spans designs and conditions
        if isinstance(out.get(kind), dict):
            out[kind] = {k: v for k, v in out[kind].items() if k != "participants"}
    for key in STRATA:
        if key in out:
            out[key] = {
                name: {k: v for k, v in group.items() if k not in ("effects", "participants")}
                for name, group in out[key].items()
            }
    return out


def measure_strata(outcomes: Sequence[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """Per measure, the studies of the rated rows' bodies and their people, each study once, counted as the rows count.

    Read from the Summary of Findings rows, so a measure's people are the same count
    the rows give (analysed, else randomized, else enrolled as published, else the
    articles'), and an articles' finding a paper contradicts is in no stratum.
    """
    people: dict[str, dict[str, int | None]] = {}
    for row in outcomes:
        for ident, count in row.get("people", {}).items():
            people.setdefault(row["measure"], {})[ident] = count["number"]
    return {
        measure: {"count": len(found), "n_unknown": sum(1 for n in found.values() if n is None)}
        for measure, found in people.items()
    }
