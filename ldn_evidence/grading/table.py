"""Gathering the rows: the evidence bodies from the catalogue and its papers, and the table as plain data."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from ldn_evidence.model import CONDITIONS, DAYS_PER_UNIT, MEASURES, MS_FORMS, Catalogue, Facts
from ldn_evidence.published import Reading, readings
from ldn_evidence.text import COMMERCIAL_MARK

from .bias import RANDOMIZED_WORDS, _first, judged, study_bias
from .evidence import (
    ARTICLES,
    CERTAINTY,
    LOW,
    MULTIPLICITY_WHY,
    PUBLISHED,
    PUBLISHED_ENROLLED,
    VERY_LOW,
    Conduct,
    Evidence,
    Found,
    Outcome,
    StudyBias,
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


def rated_participants(outcome: Outcome) -> tuple[int | None, str]:
    """The people the rating rests on, each rated study counted once, and which counts they are.

    The rated studies all start at one level, and GRADE judges imprecision on that body; where they
    are of several designs (an open-label study and a chart review, both uncontrolled), the basis
    gives each design's people, so that no view sums designs without showing the parts.
    """
    counted = [item for item in outcome.counted if item.participants is not None]
    kinds = list(dict.fromkeys(item.basis for item in counted))
    if not kinds:
        return None, "not reported"  # no page or article gives a number: null, never 0
    if len(kinds) == 1:
        basis = kinds[0]
    else:
        basis = "; ".join(f"{kind}: {_ids(i for i in counted if i.basis == kind)}" for kind in kinds)
    designs = _rated_by_design(outcome)
    if len(designs) > 1:
        parts = ", ".join(
            f"{design} {cell['participants'] if cell['participants'] or not cell['n_unknown'] else 'not reported'}"
            for design, cell in designs.items()
        )
        basis += f"; by design, each starting {CERTAINTY[outcome.start]}: {parts}"
    return sum(i.participants or 0 for i in counted), basis


def _rated_by_design(outcome: Outcome) -> dict[str, dict[str, int]]:
    """{design: {studies, participants, n_unknown}} of the rated studies whose people are counted."""
    out: dict[str, dict[str, int]] = {}
    for item in outcome.counted:
        cell = out.setdefault(item.design, {"studies": 0, "participants": 0, "n_unknown": 0})
        cell["studies"] += 1
        cell["participants"] += item.participants or 0
        cell["n_unknown"] += item.participants is None
    return out


def _beside_by_design(outcome: Outcome) -> dict[str, dict[str, int]]:
    """{design: {studies, participants, n_unknown}} of the studies beside the rating, never summed across designs."""
    out: dict[str, dict[str, int]] = {}
    beside = list(outcome.beside) + [item for item in outcome.rated if not item.counted]
    for item in beside:
        cell = out.setdefault(item.design, {"studies": 0, "participants": 0, "n_unknown": 0})
        cell["studies"] += 1
        cell["participants"] += item.participants or 0
        cell["n_unknown"] += item.participants is None
    return out


def _found_data(item: Evidence) -> list[dict[str, Any]]:
    return [
        {"layer": f.layer, "direction": f.direction, "size": f.size, "scale": f.scale, "timepoint": f.timepoint,
         "primary": f.primary, "excerpt": f.excerpt, "page": f.page, "caveat": f.caveat}
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
        # The rated people by design: the rated studies all start at one level (GRADE judges imprecision on that
        # body), and where they are of several designs of that level, here is each design's share.
        "rated_by_design": _rated_by_design(outcome),
        "participants": people,
        # Studies listed beside, by design: people are summed within one design only, never across designs.
        "participants_beside": _beside_by_design(outcome),
        "n_unknown": outcome.n_unknown,
        "participants_basis": outcome.participants_basis,
        # Pairs of rated studies whose records say they may share people: both are counted in `participants`.
        "overlap": [{"study": a, "same_people_as": b} for a, b in outcome.overlap],
        "participants_if_same": outcome.participants_if_same,
        # Where a review and trials it may pool (or several reviews) are in the body: which was counted.
        "kept": outcome.kept or None,
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


def counted_people(catalogue: Catalogue, studies: Sequence[Facts]) -> dict[str, dict[str, Any]]:
    """Each study's people, counted the one way the summary's rows count them, with the basis in words.

    Analysed where a page states it, else randomized, else enrolled as published, else as the
    articles give them (`people_of`): the evidence map and the bars per study of a view that
    shows the rated rows use these, so that one view gives one count of people for a study.
    """
    papers = readings(catalogue)
    out: dict[str, dict[str, Any]] = {}
    for study in studies:
        if study.mention:
            continue
        number, basis = people_of(study, papers.get(study.id))
        out[study.id] = {"number": number, "basis": basis}
    return out


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
    commercial_ids = set(commercial)  # looked up once a study a row, not walked
    for row in data:
        # † rests only on a commercial source; ≠ the articles differ from its paper (a written discrepancy).
        row["marks"] = {
            ident: ((COMMERCIAL_MARK if ident in commercial_ids else "") + ("≠" if ident in differs else "")).strip()
            for ident in row["studies"]
            if ident in commercial_ids or ident in differs
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


#: Registry statuses of a trial still running after enrolment: results at its later time points are not yet due.
_RUNNING = frozenset({"active-not-recruiting", "suspended"})
#: Registry statuses of a trial whose results are not yet due.
_ONGOING = frozenset({"recruiting", "not-yet-recruiting", "enrolling-by-invitation"})
#: A time point as a page writes it ("at 3 months", "12 weeks").
_TIME = re.compile(r"\b(\d+)[- ](day|week|month|year)s?\b", re.IGNORECASE)


def _days(text: str | None) -> float | None:
    found = [float(m.group(1)) * DAYS_PER_UNIT[m.group(2).lower()] for m in _TIME.finditer(text or "")]
    return max(found) if found else None


def unreported_trials(studies: Sequence[Facts], papers: Mapping[str, Reading]) -> dict[str, tuple[str, ...]]:
    """By condition: the registered trials that ended (or stopped) and have no results seen, posted or published."""
    return _unreported(_registered(studies, papers))


def _unreported(registered: Mapping[str, list[tuple[str, bool]]]) -> dict[str, tuple[str, ...]]:
    return {condition: tuple(ident for ident, ended in items if ended) for condition, items in registered.items()
            if any(ended for _, ended in items)}  # fmt: skip


def pending_trials(studies: Sequence[Facts], papers: Mapping[str, Reading]) -> dict[str, tuple[str, ...]]:
    """By condition: each registered trial whose results are not (all) in the catalogue, with why, in words.

    Those that ended with none (see `unreported_trials`); those still recruiting or not
    yet recruiting; and those still running (active, not recruiting) whose results are
    seen only at earlier time points than the length their registry or protocol plans.
    A trial withdrawn before enrolling has no results to give and is not counted.
    """
    return _pending(_registered(studies, papers))


def _pending(registered: Mapping[str, list[tuple[str, bool]]]) -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for condition, items in registered.items():
        for ident, _ in items:
            out.setdefault(condition, []).append(ident)
    return {condition: tuple(items) for condition, items in out.items()}


def _registered(
    studies: Sequence[Facts], papers: Mapping[str, Reading], published: Mapping[str, tuple[Found, ...]] | None = None
) -> dict[str, list[tuple[str, bool]]]:
    """By condition: (the trial and why its results are not all seen, whether it ended with none).

    `published` holds the studies' `published_findings` where the caller has read them already.
    """
    out: dict[str, list[tuple[str, bool]]] = {}
    for study in studies:
        reading = papers.get(study.id)
        status = _first(reading, "status") if reading is not None else None
        if reading is None or status is None or status.value == "withdrawn":
            continue
        results = {str(s.value) for s in reading.all("results") if s.value is not None}
        found = published[study.id] if published is not None else published_findings(reading)
        words = str(status.value).replace("-", " ")
        if not found and status.value in _ONGOING:
            out.setdefault(study.condition, []).append((f"{study.id} ({words})", False))
        elif not found and status.value in _ENDED and not results & {"posted", "published"}:
            out.setdefault(study.condition, []).append((f"{study.id} ({words}, no results seen)", True))
        elif found and status.value in _RUNNING:
            lengths = [
                (d, s.value) for s in reading.all("study-length", "treatment-period") if (d := _days(str(s.value)))
            ]
            seen = [d for f in found if (d := _days(f.timepoint) or _days(f.excerpt)) is not None]
            if lengths and seen and max(seen) < max(lengths)[0]:
                months = round(max(seen) / DAYS_PER_UNIT["month"])
                why = f"{study.id} ({words}: results seen to {months} months only, {max(lengths)[1]} planned)"
                out.setdefault(study.condition, []).append((why, False))
    return out


def _forms(study: Facts, reading: Reading | None) -> tuple[str, ...]:
    texts = [study.population or ""]
    if reading is not None:
        texts += [s.fact.excerpt for s in reading.all("population", alone=True)]
    words = " ".join(texts).lower()
    return tuple(form for form, names in _FORM_WORDS if any(name.search(words) for name in names))


#: Each form of MS and its names as whole words, compiled once.
_FORM_WORDS = tuple(
    (form, tuple(re.compile(rf"\b{re.escape(n)}\b") for n in names)) for form, names in MS_FORMS.items()
)


#: Words for a population narrower than its condition: children only.
_CHILDREN = re.compile(r"\b(children|paediatric|pediatric)\b", re.IGNORECASE)


def _indirect(study: Facts, reading: Reading | None, forms: tuple[str, ...]) -> str | None:
    """Why a study's people are narrower than its condition, judged once on the study itself; None if not.

    One form of MS only (PPMS, RRMS, SPMS); or children only, as its record's
    population, its papers' titles or their population, design or count sentences say.
    """
    if len(forms) == 1:
        return f"only people with {forms[0].upper()}"
    texts = [study.population or ""]
    if reading is not None:
        texts += [p.title or "" for p in reading.publications]
        texts += [s.fact.excerpt for s in reading.all("population", "design", "enrolled", alone=True)]
    said = next((text for text in texts if _CHILDREN.search(text)), None)
    return f'children only ("{said}")' if said else None


#: What a review included, as its pages say: uncontrolled designs, or controlled ones not said to be randomized.
_UNCONTROLLED = re.compile(
    r"case (?:reports?|series|studies)|retrospective|open-label|observational|uncontrolled", re.I
)
_NOT_RANDOMIZED = re.compile(r"\b(?:pilot|prospective|controlled) (?:trials?|studies)\b|clinical studies", re.I)


def _review_start(study: Facts, reading: Reading | None) -> int | None:
    """Where a rating on a review starts when its pages do not show it a review of randomized trials; else None.

    A review starts high only as a review of randomized trials (EVIDENCE.md), as its
    pages say, just as a design is `rct` only where a document says it was randomized.
    One that included case reports, series, retrospective or other uncontrolled studies
    starts very low, as they do; one that included controlled trials not said to be
    randomized, or whose pages never say its studies were randomized, starts low.
    """
    if study.design != "systematic-review":
        return None
    texts = [s.fact.excerpt for s in reading.all("included-studies", "trials-pooled", "design")] if reading else []
    if any(_UNCONTROLLED.search(text) for text in texts):
        return VERY_LOW
    if any(_NOT_RANDOMIZED.search(text) for text in texts) or not any(RANDOMIZED_WORDS.search(text) for text in texts):
        return LOW
    return None


def _analysed_for(reading: Reading | None, items: Sequence[Found]) -> tuple[int, str] | None:
    """The people analysed for these findings, where they all come from one publication that states its own count.

    (An exploratory analysis of 92 women of a trial that randomized 99.) None otherwise.
    """
    if reading is None:
        return None
    pubs = {f.publication for f in items if f.layer == PUBLISHED}
    if len(pubs) != 1 or any(f.layer != PUBLISHED for f in items):
        return None
    (pub,) = pubs
    said = next(
        (s for s in reading.all("analysed") if s.publication.id == pub and isinstance(s.value, int) and s.value > 0),
        None,
    )
    own = reading.people()
    if said is None or (own is not None and own.value == said.value):
        return None
    return said.value, f"{said.basis} for these outcomes in {pub} (as published)"


def _with_caveats(items: list[Found]) -> list[Found]:
    """One study's findings on one outcome: where a page says significance was lost after adjusting for multiplicity,
    a benefit another page reports for the same outcome is not counted as a benefit either."""
    if not any(f.caveat == MULTIPLICITY_WHY for f in items):
        return items
    return [f._replace(direction="unclear", caveat=MULTIPLICITY_WHY) if f.direction == "benefit" else f for f in items]


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
    # What each study's papers found, read once here and heard by the registry rules and every row.
    published = {s.id: published_findings(r) for s in studies if (r := papers.get(s.id)) is not None}
    registered = _registered(studies, papers, published)
    unreported = _unreported(registered)
    pending = _pending(registered)
    queries = catalogue.search.queries if catalogue.search else ()
    covered = {q.group for q in queries if q.group}
    same_as = named_people(studies)
    bodies: dict[tuple[str, str, str | None], list[Evidence]] = {}
    apart: dict[tuple[str, str, str | None], list[tuple[str, str]]] = {}
    for study in studies:
        if not in_evidence(study):
            continue
        reading = papers.get(study.id)
        own = published.get(study.id, ())
        found = list(own)
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
        alone = reading is not None and any(s.alone for s in reading.facts)
        domains = judged(reading, study.design) if alone else ()
        forms = _forms(study, reading) if study.condition == "ms" else ()
        indirect = _indirect(study, reading, forms)
        start = _review_start(study, reading)
        grouped: dict[tuple[str, str | None], list[Found]] = {}
        for item in found:
            grouped.setdefault(_row_key(item), []).append(item)
        # The study's risk of bias is judged once, here, and is the same in every row it is rated in.
        bias: StudyBias | None = None
        for (measure, event), items in grouped.items():
            items = _with_caveats(items)
            effect = _combined([i.direction for i in items]) or "unclear"
            people, counted_as = _analysed_for(reading, items) or people_of(study, reading, items, own)
            evidence = Evidence(
                study.id,
                study.design,
                people,
                counted_as,
                effect,
                None,
                same_as.get(study.id),
                tuple(items),
                domains,
                study.retold,
                forms,
                unreported.get(study.condition, ()),
                study.condition in covered,
                pending.get(study.condition, ()),
                indirect,
            )
            bias = bias or study_bias(evidence)
            evidence = evidence._replace(bias=bias, start=start)
            bodies.setdefault((study.condition, measure, event), []).append(evidence)
    contradicted_ = [(c, m, study, why) for (c, m, _), items in apart.items() for study, why in items]
    order = {m: i for i, m in enumerate(MEASURES)}
    rows_in = sorted(bodies, key=lambda k: (list(CONDITIONS).index(k[0]), order[k[1]], k[2] is not None, k[2] or ""))
    rows = [grade(c, m, _strongest_first(bodies[(c, m, e)]), e, tuple(apart.get((c, m, e), ()))) for c, m, e in rows_in]
    return rows, contradicted_
