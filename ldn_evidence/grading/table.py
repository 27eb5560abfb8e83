"""Gathering the rows: the evidence bodies from the catalogue and its papers, and the table as plain data."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from ldn_evidence.model import CONDITIONS, MEASURES, MS_FORMS, Catalogue, Facts
from ldn_evidence.published import Reading, readings
from ldn_evidence.text import COMMERCIAL_MARK

from .bias import _first, judged
from .evidence import (
    ARTICLES,
    CERTAINTY,
    PUBLISHED_ENROLLED,
    Conduct,
    Evidence,
    Found,
    Outcome,
    _combined,
    _ids,
    _strongest_first,
    contradicted,
    in_evidence,
    named_people,
    participants_of,
    people_of,
    published_findings,
)
from .rules import grade


def summary_of_findings(
    studies: Sequence[Facts], enrolled: Mapping[str, int] | None = None, conduct: Mapping[str, Conduct] | None = None
) -> list[Outcome]:
    """One rated outcome per measure within a condition that has an evidence body, in vocabulary order.

    `enrolled` maps a study id to its published enrolment, where one has been verified;
    the rest are counted as the articles give them. `conduct` maps a study id to its
    blinding and losses as published, where verified; the rest are judged on the
    articles. Each body is what `evidence_body` gives, gathered in one pass over the studies.
    """
    enrolled = enrolled or {}
    conduct = conduct or {}
    same_as = named_people(studies)
    bodies: dict[tuple[str, str], list[Evidence]] = {}
    # Many studies share one tuple of findings (the cache makes each distinct one once).
    per_measure: dict[tuple[tuple[str, str], ...], list[tuple[str, str]]] = {}
    for study in studies:
        if not in_evidence(study):
            continue
        found = per_measure.get(study.measured)
        if found is None:
            grouped: dict[str, list[str]] = {}
            for measure, effect in study.measured:
                grouped.setdefault(measure, []).append(effect)
            found = per_measure[study.measured] = [(m, _combined(e) or "") for m, e in grouped.items()]
        participants, basis = participants_of(study, enrolled)
        for measure, effect in found:
            body = bodies.setdefault((study.condition, measure), [])
            body.append(
                Evidence(
                    study.id, study.design, participants, basis, effect, conduct.get(study.id), same_as.get(study.id)
                )
            )
    return [
        grade(condition, measure, _strongest_first(bodies[(condition, measure)]))
        for condition in CONDITIONS
        for measure in MEASURES
        if (condition, measure) in bodies
    ]


def rated_participants(outcome: Outcome) -> tuple[int, str]:
    """The people the rating rests on, each rated study counted once, and which counts they are."""
    counted = [item for item in outcome.rated if item.participants is not None]
    kinds = list(dict.fromkeys(item.basis for item in counted))
    if not kinds:
        return 0, "not reported"
    if len(kinds) == 1:
        return sum(i.participants or 0 for i in counted), kinds[0]
    by_kind = "; ".join(f"{kind}: {_ids(i for i in counted if i.basis == kind)}" for kind in kinds)
    return sum(i.participants or 0 for i in counted), by_kind


def _found_data(item: Evidence) -> list[dict[str, Any]]:
    return [
        {"layer": f.layer, "direction": f.direction, "size": f.size, "scale": f.scale, "timepoint": f.timepoint,
         "primary": f.primary, "excerpt": f.excerpt, "page": f.page}
        for f in item.findings
    ]  # fmt: skip


def outcome_data(outcome: Outcome) -> dict[str, Any]:
    """An outcome as plain data: the JSON contract of `ldn summary --format json`'s `outcomes`."""
    people, basis = rated_participants(outcome)
    return {
        "condition": outcome.condition,
        "measure": outcome.measure,
        "event": outcome.event,
        "studies": [item.id for item in outcome.body],
        "rated": [item.id for item in outcome.rated],
        # One count of people per row: the rated studies, analysed, else randomized, else enrolled, else the articles'.
        "rated_participants": people,
        "rated_participants_basis": basis,
        "participants": people,
        "participants_beside": outcome.participants - people,
        "n_unknown": outcome.n_unknown,
        "participants_basis": outcome.participants_basis,
        # Pairs of studies whose records say they may share people: both are counted in `participants`.
        "overlap": [{"study": a, "same_people_as": b} for a, b in outcome.overlap],
        "participants_if_same": outcome.participants_if_same,
        "designs": list(dict.fromkeys(item.design for item in outcome.body)),
        # What each study found on the measure, and the counts taken from publications.
        "found": {item.id: item.effect for item in outcome.body},
        "findings": {item.id: _found_data(item) for item in outcome.body if item.findings},
        "people": {item.id: {"number": item.participants, "basis": item.basis} for item in outcome.body},
        "enrolled": {item.id: item.participants for item in outcome.body if item.basis == PUBLISHED_ENROLLED},
        "start": CERTAINTY[outcome.start],
        "certainty": CERTAINTY[outcome.certainty],
        "reasons": [
            {"domain": r.domain, "steps": r.steps, "text": r.text, "basis": r.basis}
            | ({"domains": [{"study": study, **j._asdict()} for study, j in r.domains]} if r.domains else {})
            for r in outcome.reasons
        ],
        "risk_of_bias": [{"study": item.id, **j._asdict()} for item in outcome.rated for j in item.domains],
        "publication_bias": outcome.publication_bias,
        "not_rated": [{"study": study, "why": why} for study, why in outcome.not_rated],
        "statement": outcome.statement,
    }


def published_enrolment(catalogue: Catalogue) -> dict[str, int]:
    """Each study's enrolment as its publication gives it, where a verified excerpt states one.

    Read from the published layer (`published.readings`) hearing only publications
    about the study alone (an enrolment shared by several studies belongs to none of
    them alone); the first that states it gives it.
    """
    enrolled: dict[str, int] = {}
    for study, reading in readings(catalogue).items():
        said = reading.counts(alone=True).get("enrolled")
        if said is not None:
            enrolled[study] = said.value
    return enrolled


def published_conduct(catalogue: Catalogue) -> dict[str, Conduct]:
    """Each study's blinding, randomization and losses as its publications state them, where verified.

    As with the enrolment, only publications about the study alone are heard, and the
    first value of each kind wins. Blinding is a `blinding` fact, or a design fact of
    open-label; randomized is a design fact of rct or a count of people randomized.
    """
    found: dict[str, Conduct] = {}
    for study, reading in readings(catalogue).items():
        values: dict[str, Any] = {}
        for said in reading.all(*_CONDUCT_FACTS, alone=True):
            if said.value is None:
                continue
            if said.field == "blinding" or (said.field == "design" and said.value == "open-label"):
                values.setdefault("blinding", str(said.value))
            elif (said.field == "design" and said.value == "rct") or said.field == "randomized":
                values.setdefault("randomized", True)
            if said.field in ("enrolled", "completed", "dropouts") and isinstance(said.value, int):
                values.setdefault(said.field, said.value)
        if values:
            found[study] = Conduct(**values)
    return found


#: The facts the conduct of a trial is judged on.
_CONDUCT_FACTS = ("blinding", "design", "randomized", "enrolled", "completed", "dropouts")


def not_rated(studies: Sequence[Facts]) -> dict[str, list[str]]:
    """The records listed apart from the table, by why: never rated, never counted with an effect."""
    out: dict[str, list[str]] = {"preclinical": [], "mentions": [], "design_not_stated": []}
    for study in studies:
        if study.mention:
            out["mentions"].append(study.id)
        elif not study.clinical:
            out["preclinical"].append(study.id)
        elif study.design == "unspecified":
            out["design_not_stated"].append(study.id)
    return out


def findings_summary(
    catalogue: Catalogue, studies: Sequence[Facts], enrolled: Mapping[str, int] | None = None
) -> dict[str, Any]:
    """The Summary of Findings of these studies as plain data, with what is listed apart and who tells it.

    `outcomes` holds one rated outcome each (see `outcome_data`); `not_rated` the
    preclinical work (the hypothesis included), passing mentions, and studies of
    people whose design is not stated; `commercial_only` the records resting only on a commercial
    source ("who is telling it"). `enrolled` maps study ids to their published
    enrolment; left out, it is `published_enrolment(catalogue)`. Risk of bias rests on
    `published_conduct(catalogue)` where it has a study, else on the articles.
    """
    seeds = catalogue.commercial_seeds()
    commercial = [s.id for s in studies if catalogue.commercial_only(s, seeds)]
    if enrolled is not None:  # counts given by the caller: the articles' findings with those counts
        outcomes = summary_of_findings(studies, enrolled, published_conduct(catalogue))
        contradicted_: list[tuple[str, str, str, str]] = []
    else:
        outcomes, contradicted_ = gather(catalogue, studies)
    differs = {p_study for p in catalogue.publications for d in p.discrepancies for p_study in [d.study] if p_study}
    data = [outcome_data(outcome) for outcome in outcomes]
    for row in data:
        # † rests only on a commercial source; ≠ the articles differ from its paper (a written discrepancy).
        row["marks"] = {
            ident: ((COMMERCIAL_MARK if ident in commercial else "") + ("≠" if ident in differs else "")).strip()
            for ident in row["studies"]
            if ident in commercial or ident in differs
        }
    return {
        "outcomes": data,
        # The articles' findings a paper contradicts: never rated, each with why.
        "contradicted": [{"condition": c, "measure": m, "study": s, "why": w} for c, m, s, w in contradicted_],
        "publication_bias": "assessed on each row",
        "not_rated": not_rated(studies),
        "commercial_only": {"count": len(commercial), "of": len(studies), "ids": commercial},
    }


# --- the table from the published layer ----------------------------------------------------------

#: Registry statuses of a trial that should by now have results.
_ENDED = frozenset({"completed", "terminated", "unknown", "active-not-recruiting", "suspended"})


def unreported_trials(studies: Sequence[Facts], papers: Mapping[str, Reading]) -> dict[str, tuple[str, ...]]:
    """By condition: the registered trials that ended (or stopped) and have no results seen, posted or published."""
    out: dict[str, list[str]] = {}
    for study in studies:
        reading = papers.get(study.id)
        if reading is None:
            continue
        status = _first(reading, "status")
        results = {str(s.value) for s in reading.all("results") if s.value is not None}
        if status is None or status.value not in _ENDED or results & {"posted", "published"}:
            continue
        if published_findings(reading):
            continue
        out.setdefault(study.condition, []).append(study.id)
    return {condition: tuple(ids) for condition, ids in out.items()}


def _forms(study: Facts, reading: Reading | None) -> tuple[str, ...]:
    texts = [study.population or ""]
    if reading is not None:
        texts += [s.fact.excerpt for s in reading.all("population", alone=True)]
    words = " ".join(texts).lower()
    return tuple(
        form for form, names in MS_FORMS.items() if any(re.search(rf"\b{re.escape(n)}\b", words) for n in names)
    )


def _row_key(found: Found) -> tuple[str, str | None]:
    return found.measure, found.event


def findings_table(catalogue: Catalogue, studies: Sequence[Facts]) -> list[Outcome]:
    """One rated row per outcome, led by the published layer (see `gather`)."""
    return gather(catalogue, studies)[0]


def gather(catalogue: Catalogue, studies: Sequence[Facts]) -> tuple[list[Outcome], list[tuple[str, str, str, str]]]:
    """One rated row per outcome (measure, or harm event) within a condition, led by the published layer.

    Each study's findings come from its papers where a verified excerpt states one on
    the measure; from the articles only where none does (labelled ARTICLES); an
    articles' finding a paper contradicts is never rated and the row says why. People
    are counted one way: analysed, else randomized, else enrolled as published, else
    as the articles give them.
    """
    papers = readings(catalogue)
    unreported = unreported_trials(studies, papers)
    queries = catalogue.search.queries if catalogue.search else ()
    covered = {q.group for q in queries if q.group}
    same_as = named_people(studies)
    bodies: dict[tuple[str, str, str | None], list[Evidence]] = {}
    apart: dict[tuple[str, str, str | None], list[tuple[str, str]]] = {}
    for study in studies:
        if not in_evidence(study):
            continue
        reading = papers.get(study.id)
        found = list(published_findings(reading)) if reading is not None else []
        keys = {_row_key(f) for f in found}
        # Outcome discrepancies are written, never computed: read them without decoding the study.
        discrepant = [d for p in catalogue.publications_of(study.id) for d in p.discrepancies
                      if d.kind == "outcome" and d.study in (study.id, None)] if study.measured else []  # fmt: skip
        for measure, effect in study.measured:
            if (measure, None) in keys:
                continue
            against = contradicted(measure, discrepant)
            if against is not None:
                apart.setdefault((study.condition, measure, None), []).append((study.id, against.explanation))
                continue
            found.append(Found(measure, effect, ARTICLES))
        if not found:
            continue
        participants, basis = people_of(study, reading)
        alone = reading is not None and any(s.alone for s in reading.facts)
        domains = judged(reading, study.design) if alone else ()
        forms = _forms(study, reading) if study.condition == "ms" else ()
        grouped: dict[tuple[str, str | None], list[Found]] = {}
        for item in found:
            grouped.setdefault(_row_key(item), []).append(item)
        for (measure, event), items in grouped.items():
            effect = _combined([i.direction for i in items]) or "unclear"
            bodies.setdefault((study.condition, measure, event), []).append(
                Evidence(
                    study.id,
                    study.design,
                    participants,
                    basis,
                    effect,
                    None,
                    same_as.get(study.id),
                    tuple(items),
                    domains,
                    study.retold,
                    forms,
                    unreported.get(study.condition, ()),
                    study.condition in covered,
                )
            )
    contradicted_ = [(c, m, study, why) for (c, m, _), items in apart.items() for study, why in items]
    order = {m: i for i, m in enumerate(MEASURES)}
    rows_in = sorted(bodies, key=lambda k: (list(CONDITIONS).index(k[0]), order[k[1]], k[2] is not None, k[2] or ""))
    rows = [grade(c, m, _strongest_first(bodies[(c, m, e)]), e, tuple(apart.get((c, m, e), ()))) for c, m, e in rows_in]
    return rows, contradicted_
