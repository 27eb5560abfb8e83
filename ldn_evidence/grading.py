"""How sure anyone can be: a Summary of Findings per outcome, with GRADE certainty.

An *outcome* is a measure within a condition ("pain in MS"). Its *evidence body*
is the studies of people, with a stated design, that report a finding on that
measure; preclinical work, passing mentions, hypotheses and studies whose design
the documents do not state are listed apart and never rated or counted.

The rating follows GRADE as Cochrane's Summary of Findings tables use it:

1. `starting_point`: the strongest designs present set where the rating starts
   (randomized trials high; other controlled, cohort, before-and-after, open-label
   and retrospective studies low; case series and reports very low), and only the
   studies of those designs are rated. Weaker studies are listed beside it.
2. Each function in `DOWNGRADES` looks at the rated studies and returns a `Reason`
   to step down (with the studies it names), or None: `risk_of_bias`,
   `inconsistency`, `imprecision`, `indirectness`. Publication bias is not assessed.
3. `statement` puts the result in the words of Cochrane's plain-language summaries.

Pure functions over the model: nothing here prints, renders or reads files.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from .model import CONDITIONS, DESIGNS, HARM_EVENTS, MAX_LEVEL, MEASURES, MS_FORMS, Catalogue, Discrepancy, Facts
from .published import Reading, Said, readings
from .text import COMMERCIAL_MARK

if TYPE_CHECKING:
    from dataclasses import dataclass
else:  # the same classes, made at a fraction of the start-up cost (see `frozen`)
    from .frozen import dataclass

#: Certainty, weakest first; a rating is an index into it.
CERTAINTY = ("very low", "low", "moderate", "high")
VERY_LOW, LOW, MODERATE, HIGH = range(4)

#: Where the rating starts for a body whose strongest design is this one.
START: dict[str, int] = {
    "systematic-review": HIGH,
    "rct": HIGH,
    "controlled-trial": LOW,
    "cohort": LOW,
    "before-after": LOW,
    "open-label": LOW,
    "retrospective": LOW,
    "case-series": VERY_LOW,
    "case-report": VERY_LOW,
}

#: Measures that stand in for how patients feel or function, rather than being it.
SURROGATE_MEASURES = frozenset({"medication-use", "biomarker", "inflammation"})

#: Fewer participants than these in the rated studies: one step down, or two.
IMPRECISE_BELOW, VERY_IMPRECISE_BELOW = 400, 100

#: Why a study of each design is at risk of bias, as the articles describe it. None of
#: the articles reports double-blinding or how many dropped out; not reported is a concern.
_BIAS: dict[str, str] = {
    "systematic-review": "the trials' blinding and losses are not reported in the articles",
    "rct": "blinding and how many dropped out are not reported in the articles",
    "controlled-trial": "not randomized; blinding and how many dropped out are not reported in the articles",
    "cohort": "blinding and how many were lost are not reported in the articles",
    "before-after": "no concurrent comparison group",
    "open-label": "open-label: everyone knew they were taking LDN, with no comparison group",
    "retrospective": "patients' recollection of past treatment, with no comparison group",
    "case-series": "a few patients, with no comparison group",
    "case-report": "one patient, with no comparison group",
}

#: A concern a design carries whatever its publication says of blinding and losses.
_BY_DESIGN: dict[str, str] = {
    "before-after": "no concurrent comparison group",
    "open-label": "no comparison group",
    "retrospective": "patients' recollection of past treatment, with no comparison group",
    "case-series": "a few patients, with no comparison group",
    "case-report": "one patient, with no comparison group",
}

#: Losing more than this share of those enrolled is a concern for risk of bias.
MOST_LOST = 0.20

#: Which layer a reason rests on: the publications' verified facts, the articles, or both
#: (its text then says which study rests on which).
PUBLISHED, ARTICLES, BOTH = "published", "articles", "both"

#: Which count of people a participant figure is.
PUBLISHED_ENROLLED = "as published (enrolled)"
AS_ARTICLES = "as the articles give them"

#: Directions of a study's finding that can disagree with one another.
_DIRECTIONS = ("benefit", "no-effect", "harm", "mixed")


class Conduct(NamedTuple):
    """How a study was run, as its publication states it: only what a verified excerpt says.

    Each field is None where no verified excerpt of the study's publication states it.
    """

    blinding: str | None = None
    """A key of BLINDING: double-blind, single-blind or open-label."""
    randomized: bool | None = None
    """True where the publication says the study was randomized."""
    enrolled: int | None = None
    """People enrolled."""
    completed: int | None = None
    """People who completed."""
    dropouts: int | None = None
    """People who dropped out."""

    @property
    def known(self) -> bool:
        """True if the publication states any of these."""
        return any(value is not None for value in self)

    @property
    def lost(self) -> int | None:
        """How many of those enrolled were lost: enrolled less completed, else the dropouts; None if unknown."""
        if self.enrolled is None:
            return None
        if self.completed is not None:
            return self.enrolled - self.completed
        return self.dropouts


class Evidence(NamedTuple):
    """One study's part in an outcome: its design, its people and what it found on the measure.

    A named tuple: one is made per study and measure, thousands on a large catalogue.
    """

    id: str
    """The study's id."""
    design: str
    """Its design key."""
    participants: int | None
    """Its people, counted once: as published (enrolled) where verified, else as the articles give them."""
    basis: str
    """Which count `participants` is: PUBLISHED_ENROLLED or AS_ARTICLES."""
    effect: str
    """What it found on the measure; "mixed" when it found both benefit and no effect."""
    conduct: Conduct | None = None
    """Its blinding and losses as published, where verified; None if its publication states neither."""
    same_as: str | None = None
    """Another study its record names in who was studied (its people may be that study's); None if none."""
    findings: tuple[Found, ...] = ()
    """What it found on the measure, finding by finding (time points and scales apart), each with its layer."""
    domains: tuple[Judgement, ...] = ()
    """Its risk of bias by domain, from its papers; empty where it has none (the articles then decide)."""
    retold: bool = True
    """True when an article retells it; False for a study the search found."""
    forms: tuple[str, ...] = ()
    """The forms of MS its population names (ppms, rrms, spms), where any."""
    unreported: tuple[str, ...] = ()
    """The registered trials of its condition with no results seen (the same for every study of a condition)."""
    searched: bool = False
    """True when a documented search covered its condition (so its body is not the press's choice alone)."""


@dataclass(frozen=True, slots=True)
class Reason:
    """One step (or two) down, and why, naming the studies."""

    domain: str
    """risk-of-bias, inconsistency, imprecision or indirectness."""
    steps: int
    """How many steps down: 1, or 2 for very serious imprecision."""
    text: str
    """Why, in a sentence that names the studies and the layer each rests on."""
    basis: str = ARTICLES
    """Which layer it rests on: PUBLISHED, ARTICLES, or BOTH (the text says which study rests on which)."""
    domains: tuple[tuple[str, Judgement], ...] = ()
    """For risk of bias: (study, judgement) of each domain of concern, with the sentence it stands on."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """One row of the Summary of Findings table."""

    condition: str
    """A condition key."""
    measure: str
    """A measure key."""
    body: tuple[Evidence, ...]
    """Every study in the evidence body, strongest design first."""
    rated: tuple[Evidence, ...]
    """The studies the rating rests on: those of the strongest designs present."""
    start: int
    """Where the rating started (an index into CERTAINTY)."""
    reasons: tuple[Reason, ...]
    """Each step down, in the order of DOWNGRADES."""
    certainty: int
    """The rating (an index into CERTAINTY); never below very low."""
    direction: str
    """What the rated studies found together: an effect key, or "disagree"."""
    statement: str
    """The finding in plain words."""
    overlap: tuple[tuple[str, str], ...] = ()
    """(study, other) where the study's record names the other's people as its own: both are counted."""
    event: str | None = None
    """On a harm row: the event (a key of HARM_EVENTS or a named common event); None otherwise."""
    publication_bias: str = "assessed: no signal found"
    """What the assessment of publication bias found, in words (a step down is among `reasons`)."""
    not_rated: tuple[tuple[str, str], ...] = ()
    """(study, why) for each finding of the articles that a paper contradicts: never rated."""

    @property
    def beside(self) -> tuple[Evidence, ...]:
        """Weaker studies in the body, listed beside the rating but not rated."""
        rated = {item.id for item in self.rated}
        return tuple(item for item in self.body if item.id not in rated)

    @property
    def participants(self) -> int:
        """People in the whole body, each study counted once, where its number is known."""
        return sum(item.participants or 0 for item in self.body)

    @property
    def participants_if_same(self) -> int:
        """People in the whole body if each pair in `overlap` is the same people: the smaller count goes."""
        return self.participants - _double_counted(self.body)

    @property
    def n_unknown(self) -> int:
        """Studies in the body whose number of people is not reported."""
        return sum(1 for item in self.body if item.participants is None)

    @property
    def participants_basis(self) -> str:
        """Which counts the participants are: one basis, or both named."""
        bases = list(dict.fromkeys(item.basis for item in self.body))
        return bases[0] if len(bases) == 1 else f"{PUBLISHED_ENROLLED} where verified, else {AS_ARTICLES}"


# --- findings as published -------------------------------------------------------------------


class Found(NamedTuple):
    """One finding of one study on a measure (and, for a harm, an event), at a time point where known."""

    measure: str
    """A key of MEASURES."""
    direction: str
    """A key of EFFECTS: what the page (or the article) says of LDN against its comparison."""
    layer: str
    """PUBLISHED (a verified excerpt) or ARTICLES (the articles' account, where no published finding exists)."""
    event: str | None = None
    """On a harm: a key of HARM_EVENTS or a named common event; None for any other outcome."""
    size: str | None = None
    """The size as the page states it."""
    scale: str | None = None
    """The named instrument."""
    timepoint: str | None = None
    """When it was measured."""
    excerpt: str | None = None
    """The verbatim excerpt it stands on (published findings only)."""
    page: str | None = None
    """The page the excerpt was read on."""
    primary: bool = False
    """True where the page says it is the primary outcome."""


class Judgement(NamedTuple):
    """One risk-of-bias domain of one study: the judgement and the sentence it stands on."""

    domain: str
    """A key of BIAS_DOMAINS."""
    judgement: str
    """low, high or unclear."""
    why: str
    """In our words."""
    quote: str | None = None
    """The verbatim excerpt it stands on; None where nothing is stated (the judgement then says so)."""
    page: str | None = None
    """The page of the excerpt."""


#: The result fields whose structured keys are findings.
_RESULT_FIELDS = ("outcome", "pooled-result", "harms")


def published_findings(reading: Reading) -> tuple[Found, ...]:
    """The findings the papers state about a study: each result fact with a measure and a direction (or a harm's event).

    A fact naming a measure but no direction says what was measured, not what was
    found, and is left out, except a harm with its event (a reported harm is a finding).
    """
    out = []
    for said in reading.all(*_RESULT_FIELDS):
        fact = said.fact
        if fact.measure is None:
            continue
        event = fact.event if said.field == "harms" or fact.measure == "adverse-events" else None
        if fact.direction is None and event is None:
            continue
        out.append(
            Found(
                fact.measure,
                fact.direction or "unclear",
                PUBLISHED,
                event,
                fact.size,
                fact.scale,
                fact.timepoint,
                fact.excerpt,
                fact.page,
                fact.primary,
            )
        )
    return tuple(out)


def contradicted(measure: str, found: Sequence[Discrepancy]) -> Discrepancy | None:
    """The discrepancy by which the paper contradicts the articles' finding on this measure, if there is one.

    The articles' measure is contradicted when an outcome discrepancy quotes the
    article naming it and explains that the paper's measure was not it ("the
    symptom studied was fatigue ... not less weakness").
    """
    label = MEASURES[measure].lower()
    for item in found:
        if item.kind != "outcome" or label not in item.article_says.lower():
            continue
        if re.search(rf"\bnot\b[^.;]{{0,30}}\b{re.escape(label)}\b", item.explanation.lower()):
            return item
    return None


def people_of(study: Facts, reading: Reading | None) -> tuple[int | None, str]:
    """A study's people, counted once: analysed where a page states it, else randomized, else enrolled, else the
    articles'."""
    said = reading.people() if reading is not None else None
    if said is not None:
        return int(said.value), f"{said.field} (as published)"
    pooled = reading.first("people-pooled", alone=True) if reading is not None else None
    if study.design == "systematic-review" and pooled is not None and isinstance(pooled.value, int):
        return pooled.value, "pooled by the review (as published)"
    return study.n, AS_ARTICLES


# --- risk of bias by domain: one small function each --------------------------------------------


def _first(reading: Reading, *fields: str, value: object = None) -> Said | None:
    for said in reading.all(*fields, alone=True):
        if said.value is not None and (value is None or said.value == value):
            return said
    return None


def randomization(reading: Reading, design: str) -> Judgement | None:
    """Randomization and allocation: randomized as a page says, or not randomized, or no comparison group."""
    said = _first(reading, "design", value="rct") or _first(reading, "randomized")
    if design in ("rct", "systematic-review"):
        if said is not None:
            return Judgement("randomization", "low", "randomized, as published", said.fact.excerpt, said.fact.page)
        return Judgement("randomization", "unclear", "randomization is not stated on a page seen")
    concern = "no comparison group" if design in _BY_DESIGN else "not randomized"
    said = _first(reading, "design") or _first(reading, "control")
    return Judgement(
        "randomization", "high", concern, said.fact.excerpt if said else None, said.fact.page if said else None
    )


def blinding(reading: Reading, design: str) -> Judgement | None:
    """Blinding of participants and those who assess: double-blind is low risk, anything less high."""
    said = _first(reading, "blinding")
    if said is None:
        said = _first(reading, "design", value="open-label")
    if said is None:
        return Judgement("blinding", "unclear", "blinding is not stated on a page seen")
    value = str(said.value)
    level = "low" if value == "double-blind" else "high"
    return Judgement("blinding", level, value, said.fact.excerpt, said.fact.page)


def missing_data(reading: Reading, design: str) -> Judgement | None:
    """Missing outcome data: more than 20% of those enrolled lost, or losses not stated, is a concern."""
    counts = reading.counts()
    start = counts.get("randomized") or counts.get("enrolled")
    end = counts.get("analysed") or counts.get("completed")
    lost = counts.get("dropouts")
    if start is not None and end is not None and int(start.value) > 0:
        share = (int(start.value) - int(end.value)) / int(start.value)
        why = f"{end.value} of {start.value} {end.field}, {_percent(share)} lost"
        level = "high" if share > MOST_LOST else "low"
        return Judgement("missing-data", level, why + (" (more than 20%)" if share > MOST_LOST else ""),
                         end.fact.excerpt, end.fact.page)  # fmt: skip
    if start is not None and lost is not None and int(start.value) > 0:
        share = int(lost.value) / int(start.value)
        level = "high" if share > MOST_LOST else "low"
        why = f"{lost.value} of {start.value} dropped out, {_percent(share)}"
        return Judgement("missing-data", level, why, lost.fact.excerpt, lost.fact.page)
    nobody = next((s for s in reading.all("dropouts", alone=True) if "no participants" in s.fact.excerpt.lower()), None)
    if nobody is not None:
        return Judgement("missing-data", "low", "none lost, as published", nobody.fact.excerpt, nobody.fact.page)
    return Judgement("missing-data", "unclear", "how many were lost is not stated on a page seen")


def measurement(reading: Reading, design: str) -> Judgement | None:
    """Measurement of the outcome: self-reported outcomes are at risk where participants knew what they took."""
    said = _first(reading, "blinding") or _first(reading, "design", value="open-label")
    if said is None:
        return Judgement(
            "measurement", "unclear", "whether those who reported the outcome knew the treatment is not stated"
        )
    if said.value == "double-blind":
        return Judgement(
            "measurement", "low", "outcomes assessed blind to treatment", said.fact.excerpt, said.fact.page
        )
    return Judgement("measurement", "high", f"{said.value}: outcomes reported knowing the treatment",
                     said.fact.excerpt, said.fact.page)  # fmt: skip


def selective_reporting(reading: Reading, design: str) -> Judgement | None:
    """Selective reporting: an outcome registered or named as primary whose result no page reports."""
    registered = _first(reading, "registered-outcome")
    primary = [s for s in reading.all(*_RESULT_FIELDS) if s.fact.primary]
    measures = {s.fact.measure for s in primary}
    reported = [s for s in reading.all(*_RESULT_FIELDS) if s.fact.measure in measures and s.fact.direction is not None]
    if registered is None and not primary:
        return None
    if primary and not reported:
        first = primary[0]
        return Judgement("selective-reporting", "high", "the primary outcome is named but no result for it is reported",
                         first.fact.excerpt, first.fact.page)  # fmt: skip
    if registered is not None and not reported:
        return Judgement("selective-reporting", "unclear",
                         "an outcome was registered; no reported result is marked as that outcome",
                         registered.fact.excerpt, registered.fact.page)  # fmt: skip
    said = reported[0] if reported else registered
    assert said is not None
    return Judgement(
        "selective-reporting", "low", "the primary outcome's result is reported", said.fact.excerpt, said.fact.page
    )


_IMBALANCE = re.compile(r"(different|differ\w*|imbalance\w*)\b[^.]{0,60}\b(before|baseline)", re.IGNORECASE)


def baseline_imbalance(reading: Reading, design: str) -> Judgement | None:
    """Baseline imbalance the paper itself states ("scores were statistically different ... before starting")."""
    for said in reading.all("outcome", "population", alone=True):
        if _IMBALANCE.search(said.fact.excerpt):
            return Judgement("baseline-imbalance", "high", "the paper states the groups differed at the start",
                             said.fact.excerpt, said.fact.page)  # fmt: skip
    return None


#: The risk-of-bias domains (after RoB 2), each a small function of a study's reading and design.
BIAS_DOMAINS: tuple[tuple[str, Callable[[Reading, str], Judgement | None]], ...] = (
    ("randomization", randomization),
    ("blinding", blinding),
    ("missing-data", missing_data),
    ("measurement", measurement),
    ("selective-reporting", selective_reporting),
    ("baseline-imbalance", baseline_imbalance),
)


def judged(reading: Reading | None, design: str) -> tuple[Judgement, ...]:
    """A study's risk of bias by domain, from its papers; empty where it has none."""
    if reading is None:
        return ()
    return tuple(j for _, rule in BIAS_DOMAINS if (j := rule(reading, design)) is not None)


# --- the evidence body -------------------------------------------------------------------


def in_evidence(study: Facts) -> bool:
    """True for a study that can enter an evidence body: people, a stated design, not a mention."""
    return study.clinical and not study.apart and study.design in START


def effect_on(study: Facts, measure: str) -> str | None:
    """A study's finding on a measure, counted once: its one effect, or "mixed"; None if it has none.

    "unclear" gives way to any clear finding beside it; two clear ones that differ
    (benefit on overall quality of life, no effect on physical) are "mixed".
    """
    return _combined([effect for m, effect in study.measured if m == measure])


def _combined(effects: list[str]) -> str | None:
    """Several findings on one measure as one: "unclear" gives way, two clear ones are "mixed"."""
    effects = list(dict.fromkeys(effects))
    if len(effects) > 1:
        effects = [effect for effect in effects if effect != "unclear"]
    if not effects:
        return None
    return effects[0] if len(effects) == 1 else "mixed"


def participants_of(study: Facts, enrolled: Mapping[str, int]) -> tuple[int | None, str]:
    """A study's people and which count that is: the published enrolment where there is one."""
    if study.id in enrolled:
        return enrolled[study.id], PUBLISHED_ENROLLED
    return study.n, AS_ARTICLES


def _as_evidence(
    study: Facts,
    measure: str,
    enrolled: Mapping[str, int],
    conduct: Mapping[str, Conduct],
    same_as: Mapping[str, str],
) -> Evidence | None:
    effect = effect_on(study, measure)
    if effect is None:
        return None
    participants, basis = participants_of(study, enrolled)
    return Evidence(study.id, study.design, participants, basis, effect, conduct.get(study.id), same_as.get(study.id))


_RANK = {design: level or MAX_LEVEL + 1 for design, (level, _) in DESIGNS.items()}


def _strongest_first(body: Iterable[Evidence]) -> tuple[Evidence, ...]:
    return tuple(sorted(body, key=lambda e: (-START[e.design], _RANK[e.design], -(e.participants or 0), e.id)))


def evidence_body(
    studies: Iterable[Facts],
    condition: str,
    measure: str,
    enrolled: Mapping[str, int] | None = None,
    conduct: Mapping[str, Conduct] | None = None,
) -> tuple[Evidence, ...]:
    """The studies of people with a stated design and a finding on the measure, strongest design first.

    `enrolled` and `conduct` map study ids to their published enrolment and conduct (see
    `published_enrolment` and `published_conduct`), where verified.
    """
    studies = list(studies)
    same_as = named_people(studies)
    found = (
        _as_evidence(study, measure, enrolled or {}, conduct or {}, same_as)
        for study in studies
        if study.condition == condition and in_evidence(study)
    )
    return _strongest_first(item for item in found if item is not None)


#: A study id as it can appear in a record's prose: a word of letters and digits, or several joined by hyphens.
_ID_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def named_people(studies: Sequence[Facts]) -> dict[str, str]:
    """Each study whose record names, in who was studied, another study of its condition: study -> that one.

    ("women with fibromyalgia, the same group as in the opening research
    (fibromyalgia-pilot)"). Such studies may share their people; the table counts
    both and says so.
    """
    by_id = {study.id: study.condition for study in studies}
    out: dict[str, str] = {}
    # Many studies share a population's wording: each distinct one is read once.
    named: dict[str, list[str]] = {}
    for study in studies:
        if not study.population:
            continue
        words = named.get(study.population)
        if words is None:
            words = named[study.population] = [w for w in _ID_WORD.findall(study.population.lower()) if w in by_id]
        for word in words:
            if word != study.id and by_id[word] == study.condition:
                out.setdefault(study.id, word)
                break
    return out


def overlap_of(items: Sequence[Evidence]) -> tuple[tuple[str, str], ...]:
    """(study, other) for each study among these whose record names another of them as having its people."""
    ids = {item.id for item in items}
    return tuple((item.id, item.same_as) for item in items if item.same_as in ids and item.same_as is not None)


def _double_counted(items: Sequence[Evidence]) -> int:
    """How many people may be counted twice: for each overlapping pair, the smaller known count."""
    size = {item.id: item.participants for item in items}
    return sum(min(size[a] or 0, size[b] or 0) for a, b in overlap_of(items))


# --- the rules: where to start, and each step down -----------------------------------------


def starting_point(body: Sequence[Evidence]) -> tuple[int, tuple[Evidence, ...]]:
    """Where the rating starts, and the studies it rests on: those of the strongest designs present."""
    start = max(START[item.design] for item in body)
    rated = tuple(item for item in body if START[item.design] == start)
    # A review pools trials: where the trials themselves are in the body, they are rated and the review is beside.
    if any(item.design == "rct" for item in rated):
        rated = tuple(item for item in rated if item.design != "systematic-review")
    return start, rated


#: A reason names at most this many studies, then says how many more.
NAMED = 12


def _ids(items: Iterable[Evidence]) -> str:
    ids = [item.id for item in items]
    if len(ids) > NAMED:
        return ", ".join(ids[:NAMED]) + f" and {len(ids) - NAMED} more"
    return ", ".join(ids)


def _percent(share: float) -> str:
    return f"{round(100 * share, 1):g}%"


def bias_of(item: Evidence) -> tuple[str, str | None]:
    """A rated study's risk of bias: the layer it rests on, and the concern (None if there is none).

    Where its publication states blinding, randomization or losses (verified facts),
    those decide, and the concern says "as published" and what was published; a
    study is free of concern only if published as double-blind with at most 20% of
    those enrolled lost, and its design carries no concern of its own. Otherwise
    the articles decide, and they report neither: every such study is a concern.
    """
    conduct = item.conduct
    if conduct is None or not conduct.known:
        return ARTICLES, f"as the articles report it: {_BIAS[item.design]}"
    concern = False
    how = "randomized, " if conduct.randomized else ""
    if conduct.blinding is None:
        how, concern = how + "blinding not stated", True
    else:
        how, concern = how + conduct.blinding, conduct.blinding != "double-blind"
    parts = [how]
    lost = conduct.lost
    if lost is None or not conduct.enrolled:
        parts.append("how many were lost is not stated")
        concern = True
    else:
        share = lost / conduct.enrolled
        if conduct.completed is not None:
            counted = f"{conduct.completed} of {conduct.enrolled} enrolled completed"
        else:
            counted = f"{lost} of {conduct.enrolled} enrolled dropped out"
        parts.append(f"{counted}, {_percent(share)} lost" + (" (more than 20%)" if share > MOST_LOST else ""))
        concern = concern or share > MOST_LOST
    if item.design == "controlled-trial" and not conduct.randomized:
        parts.append("not randomized")
        concern = True
    if item.design in _BY_DESIGN:
        parts.append(_BY_DESIGN[item.design])
        concern = True
    return PUBLISHED, f"as published: {'; '.join(parts)}" if concern else None


def _basis(bases: Iterable[str]) -> str:
    found = set(bases)
    return found.pop() if len(found) == 1 else BOTH


#: Judgements that are a concern: a high risk, or a domain that decides the result left unstated.
_CONCERNS = {"high", "unclear"}


def _concerns(item: Evidence) -> tuple[Judgement, ...]:
    return tuple(
        j for j in item.domains
        if j.judgement == "high" or (j.judgement == "unclear" and j.domain != "selective-reporting")
    )  # fmt: skip


def _quoted(judgement: Judgement) -> str:
    said = f"{judgement.domain.replace('-', ' ')}: {judgement.why}"
    return f'{said} ("{judgement.quote}")' if judgement.quote else said


def risk_of_bias(rated: Sequence[Evidence], measure: str) -> Reason | None:
    """One step down when any rated study has a concern in a domain of RoB 2 (two when every one has three).

    A study with papers is judged domain by domain on their verified excerpts (see
    `BIAS_DOMAINS`), each judgement quoting its sentence; a study with none falls back
    to the articles (see `bias_of`). The reason names each study's layer.
    """
    why: dict[str, list[Evidence]] = {}
    bases = []
    domains: list[tuple[str, Judgement]] = []
    serious = bool(rated)
    for item in rated:
        if item.domains:
            concerns = _concerns(item)
            serious = serious and sum(1 for j in concerns if j.judgement == "high") >= 3
            if concerns:
                why.setdefault("as published: " + "; ".join(_quoted(j) for j in concerns), []).append(item)
                domains += [(item.id, j) for j in item.domains]
                bases.append(PUBLISHED)
            continue
        serious = False
        basis, concern = bias_of(item)
        if concern is not None:
            why.setdefault(concern, []).append(item)
            bases.append(basis)
    if not why:
        return None
    text = ". ".join(f"{_ids(items)}: {concern}" for concern, items in why.items())
    return Reason("risk-of-bias", 2 if serious else 1, text, _basis(bases), tuple(domains))


def inconsistency(rated: Sequence[Evidence], measure: str) -> Reason | None:
    """One step down when the rated studies disagree in direction (a mixed study is its own direction)."""
    directions = list(dict.fromkeys(item.effect for item in rated if item.effect in _DIRECTIONS))
    if len(directions) < 2:
        return None
    found = "; ".join(
        f"{_ids(item for item in rated if item.effect == direction)} found {_EFFECT_WORDS[direction]}"
        for direction in directions
    )
    layers = {f.layer for item in rated for f in item.findings} or {ARTICLES}
    lead = "as the articles report their findings, " if layers == {ARTICLES} else ""
    return Reason("inconsistency", 1, f"{lead}the studies disagree: {found}", _basis(layers))


_CI = re.compile(r"(?:CI[^0-9-]{0,6}|\()(-?[0-9]+(?:\.[0-9]+)?)\s*(?:to|,|-)\s*(-?[0-9]+(?:\.[0-9]+)?)")


def interval(size: str | None) -> tuple[float, float, float] | None:
    """(low, high, no effect) of a confidence interval a size states ("SMD -0.61; 95% CI -1.14, -0.08"); None if none.

    No effect is 1 for a ratio (RR, OR, HR), else 0.
    """
    if not size or ("CI" not in size and " to " not in size):
        return None
    plain = size.replace("·", ".").replace("−", "-").replace("–", "-")
    found = _CI.search(plain)
    if found is None:
        return None
    low, high = sorted((float(found.group(1)), float(found.group(2))))
    return low, high, 1.0 if re.match(r"\s*(RR|OR|HR)\b", plain) else 0.0


def _intervals(rated: Sequence[Evidence]) -> list[tuple[Evidence, Found, tuple[float, float, float]]]:
    out = []
    for item in rated:
        for found in item.findings:
            ci = interval(found.size) if found.layer == PUBLISHED else None
            if ci is not None:
                out.append((item, found, ci))
    return out


def imprecision(rated: Sequence[Evidence], measure: str) -> Reason | None:
    """From the confidence interval where a page gives one; else one step below 400 participants, two below 100.

    An interval that includes no effect is imprecise (one step): it cannot tell a
    benefit from none. Without one, the counts of the rated studies decide.
    """
    intervals = _intervals(rated)
    if intervals:
        crossing = [(item, found, ci) for item, found, ci in intervals if ci[0] < ci[2] < ci[1]]
        if not crossing:
            return None
        item, found, _ = crossing[0]
        return Reason(
            "imprecision", 1,
            f"{item.id}: the confidence interval includes no effect ({found.size})", PUBLISHED,
        )  # fmt: skip
    counted_twice = _double_counted(rated)
    people = sum(item.participants or 0 for item in rated)
    unknown = [item for item in rated if item.participants is None]
    if people - counted_twice >= IMPRECISE_BELOW:
        return None
    steps = 2 if people - counted_twice < VERY_IMPRECISE_BELOW else 1
    if people == 0:
        text = f"{_ids(rated)}: the number of participants is not reported"
        return Reason("imprecision", steps, text + " in the articles or a verified publication")
    limit = VERY_IMPRECISE_BELOW if steps == 2 else IMPRECISE_BELOW
    text = f"{people} participants in {_ids(rated)}, fewer than {limit}"
    if unknown:
        text += f" (n not reported for {_ids(unknown)})"
    for study, other in overlap_of(rated):
        text += f" ({people - counted_twice} counting {study}'s people among {other}'s, as its record says they may be)"
    counted = [item for item in rated if item.participants is not None]
    kinds = list(dict.fromkeys(item.basis for item in counted))
    if len(kinds) == 1:
        text += f"; counted {kinds[0]}"
    else:
        text += "; counted " + ", ".join(f"{kind} for {_ids(i for i in counted if i.basis == kind)}" for kind in kinds)
    basis = _basis(ARTICLES if item.basis == AS_ARTICLES else PUBLISHED for item in counted)
    return Reason("imprecision", steps, text, basis)


def indirectness(rated: Sequence[Evidence], measure: str) -> Reason | None:
    """One step down when the measure stands in for how patients feel or function, or the people are fewer kinds.

    A population narrower than the row names: every rated study of MS enrolled one
    form of it only (a PPMS-only trial rated for "MS").
    """
    narrow = [item for item in rated if len(item.forms) == 1]
    if measure not in SURROGATE_MEASURES:
        if rated and len(narrow) == len(rated):
            forms = ", ".join(dict.fromkeys(item.forms[0].upper() for item in narrow))
            return Reason("indirectness", 1, f"only people with {forms} were studied ({_ids(narrow)}); the row "
                          "speaks of MS as a whole",
                          PUBLISHED if any(i.domains for i in narrow) else ARTICLES)  # fmt: skip
        return None
    return Reason(
        "indirectness",
        1,
        f"{MEASURES[measure]} is a surrogate, not how patients feel or function ({_ids(rated)})",
    )


def publication_bias(rated: Sequence[Evidence], measure: str) -> Reason | None:
    """One step down for a body that may be a biased selection; assessed on every row.

    Signals: every rated study was chosen by the press (retold by an article, and no
    documented search covered the condition to find others); the
    rated studies are few and small (under 400 people) and all found a benefit; or
    trials registered in the condition have no results seen.
    """
    signals = []
    if rated and all(item.retold and not item.searched for item in rated):
        signals.append(f"every rated study ({_ids(rated)}) is one the articles chose to retell, and no documented "
                       "search covered the condition")  # fmt: skip
    people = sum(item.participants or 0 for item in rated)
    if rated and all(item.effect == "benefit" for item in rated) and people < IMPRECISE_BELOW:
        signals.append(f"a small body ({people} people) of positive studies only")
    unreported = rated[0].unreported if rated else ()
    if unreported:
        signals.append(f"{len(unreported)} registered trial(s) in this condition with no results seen: "
                       + ", ".join(unreported[:NAMED]))  # fmt: skip
    if not signals:
        return None
    return Reason("publication-bias", 1, "; ".join(signals), PUBLISHED if unreported else ARTICLES)


#: Each step down, in the order a Summary of Findings table lists them.
DOWNGRADES: tuple[tuple[str, Callable[[Sequence[Evidence], str], Reason | None]], ...] = (
    ("risk-of-bias", risk_of_bias),
    ("inconsistency", inconsistency),
    ("imprecision", imprecision),
    ("indirectness", indirectness),
    ("publication-bias", publication_bias),
)


# --- in words --------------------------------------------------------------------------------

_EFFECT_WORDS = {
    "benefit": "a benefit",
    "no-effect": "no effect",
    "harm": "harm",
    "mixed": "benefit on some measures and no change on others",
    "unclear": "no clear result",
}

#: direction -> the verb phrase at high, moderate and low certainty, and the object's wording.
_PHRASES: dict[str, tuple[str, str, str]] = {
    "benefit": ("improves", "probably improves", "may improve"),
    "no-effect": (
        "makes little or no difference to",
        "probably makes little or no difference to",
        "may make little or no difference to",
    ),
    "harm": ("worsens", "probably worsens", "may worsen"),
    "mixed": ("improves some aspects of", "probably improves some aspects of", "may improve some aspects of"),
}

_SHORT_CONDITION = {"ms": "MS", "crps": "CRPS", "ibs": "IBS"}
#: A measure as the object of a sentence, where its label alone reads wrongly.
_MEASURE_WORDS = {
    "biomarker": "biomarker levels",
    "inflammation": "inflammation markers",
    "medication-use": "the use of other medicines",
}
#: The right verb for a measure, where "improves" reads wrongly: at high, moderate, low certainty, and very uncertain.
_MEASURE_VERBS: dict[str, tuple[str, str, str, str]] = {
    "medication-use": ("reduces", "probably reduces", "may reduce", "reduces"),
    "inflammation": ("lowers", "probably lowers", "may lower", "lowers"),
    "biomarker": ("changes", "probably changes", "may change", "changes"),
    "immune": ("changes", "probably changes", "may change", "changes"),
    "adverse-events": ("increases", "probably increases", "may increase", "increases"),
    "pain": ("reduces", "probably reduces", "may reduce", "reduces"),
    "fatigue": ("reduces", "probably reduces", "may reduce", "reduces"),
    "spasticity": ("reduces", "probably reduces", "may reduce", "reduces"),
    "symptoms": ("reduces", "probably reduces", "may reduce", "reduces"),
}

#: The verb of a very uncertain statement, by what the studies found.
_UNCERTAIN_VERB = {"benefit": "improves", "mixed": "improves", "no-effect": "changes", "harm": "worsens"}


def outcome_words(condition: str, measure: str, event: str | None = None) -> str:
    """An outcome in words: "quality of life in MS", "serious adverse events in MS"."""
    what = HARM_EVENTS.get(event, event) if event else _MEASURE_WORDS.get(measure, MEASURES[measure])
    return f"{what} in {_SHORT_CONDITION.get(condition, CONDITIONS[condition][0])}"


def statement(
    certainty: int,
    direction: str,
    condition: str,
    measure: str,
    studies: int = 2,
    event: str | None = None,
    size: str = "",
) -> str:
    """The finding the way Cochrane's plain-language summaries put it, certainty included, with its size.

    `studies` is how many studies were rated, so that one study is "the study"; the
    verb is the measure's own ("reduces pain", "changes beta-endorphin", never
    "improves" a surrogate); `size` is the size as the pages state it, added in brackets.
    """
    what = outcome_words(condition, measure, event)
    said = _said(certainty, direction, what, measure, studies, event)
    if not size:
        return said
    return f"{said[:-2]}; {size})." if said.endswith(").") else f"{said[:-1]} ({size})."


def _said(certainty: int, direction: str, what: str, measure: str, studies: int, event: str | None) -> str:
    who, reports = ("the study", "reports") if studies == 1 else ("the studies", "report")
    if direction == "disagree":
        if certainty == VERY_LOW:
            return f"The studies disagree on {what}, and we are very uncertain whether LDN improves it."
        return f"The studies disagree on {what}; the certainty that LDN improves it is {CERTAINTY[certainty]}."
    if direction == "unclear":
        if certainty == VERY_LOW:
            return f"We are very uncertain whether LDN changes {what}: {who} {reports} no clear result."
        return f"{who.capitalize()} {reports} no clear result on {what} (certainty {CERTAINTY[certainty]})."
    verbs = _MEASURE_VERBS.get("adverse-events" if event else measure)
    if certainty == VERY_LOW:
        found = "" if direction == "benefit" else f" ({who} found {_EFFECT_WORDS[direction]})"
        verb = verbs[3] if verbs and direction in ("benefit", "mixed") and not event else _UNCERTAIN_VERB[direction]
        if event and direction == "harm":
            verb, found = "increases", ""
        return f"We are very uncertain whether LDN {verb} {what}{found}."
    if verbs and direction == "benefit" and not event:
        return f"LDN {verbs[HIGH - certainty]} {what}."
    if direction == "mixed" and measure in SURROGATE_MEASURES:
        return f"LDN {('changes', 'probably changes', 'may change')[HIGH - certainty]} some aspects of {what}."
    if event and direction == "harm":
        return f"LDN {_MEASURE_VERBS['adverse-events'][HIGH - certainty]} {what}."
    return f"LDN {_PHRASES[direction][HIGH - certainty]} {what}."


# --- the table ---------------------------------------------------------------------------


def direction_of(rated: Sequence[Evidence]) -> str:
    """What the rated studies found together: their one direction, "disagree", or "unclear"."""
    directions = list(dict.fromkeys(item.effect for item in rated if item.effect in _DIRECTIONS))
    if not directions:
        return "unclear"
    return directions[0] if len(directions) == 1 else "disagree"


def grade(
    condition: str,
    measure: str,
    body: Sequence[Evidence],
    event: str | None = None,
    not_rated: tuple[tuple[str, str], ...] = (),
) -> Outcome:
    """Rate one outcome: the starting point, each step down in DOWNGRADES, and the statement."""
    start, rated = starting_point(body)
    reasons = tuple(reason for _, rule in DOWNGRADES if (reason := rule(rated, measure)) is not None)
    certainty = max(VERY_LOW, start - sum(reason.steps for reason in reasons))
    direction = direction_of(rated)
    if event and direction == "unclear" and any(f.excerpt for item in rated for f in item.findings):
        quotes = "; ".join(f'{item.id}: "{f.excerpt}"' for item in rated for f in item.findings[:1] if f.excerpt)
        sure = "We are very uncertain about" if certainty == VERY_LOW else f"Certainty {CERTAINTY[certainty]} about"
        words = f"{sure} {outcome_words(condition, measure, event)} with LDN. What the papers state: {quotes}"
    elif direction == "disagree" and any(item.findings for item in rated):
        words = disagreement(rated, outcome_words(condition, measure, event), certainty)
    else:
        sized = [f for item in rated if (f := _sized(item)) is not None]
        size = size_words(sized[0]) if len(rated) == 1 and sized else ""
        words = statement(certainty, direction, condition, measure, len(rated), event, size)
    bias = next((r for r in reasons if r.domain == "publication-bias"), None)
    assessed = f"suspected: {bias.text}" if bias else "assessed: no signal found (" + _no_signal(rated) + ")"
    return Outcome(
        condition, measure, tuple(body), rated, start, reasons, certainty, direction, words, overlap_of(body),
        event, assessed, not_rated,
    )  # fmt: skip


def _no_signal(rated: Sequence[Evidence]) -> str:
    searched = "a documented search covered the condition" if any(i.searched or not i.retold for i in rated) else ""
    return "; ".join(
        x for x in (searched, "no registered trial of the condition in the catalogue is without results") if x
    )


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


def size_words(found: Found) -> str:
    """A published finding's size in words: "Mental Health Inventory: 6 points ... (P<.01), 8 weeks"."""
    parts = []
    if found.size:
        lead = f"{found.scale}: " if found.scale and found.scale.lower() not in found.size.lower() else ""
        parts.append(lead + found.size)
    elif found.scale:
        parts.append(found.scale)
    if found.timepoint:
        parts.append(found.timepoint)
    return ", ".join(parts)


def _sized(item: Evidence) -> Found | None:
    """The finding of a study that speaks for its size: a published one with a size, the primary first."""
    sized = [f for f in item.findings if f.layer == PUBLISHED and (f.size or f.timepoint)]
    return next((f for f in sized if f.primary), sized[0] if sized else None)


def disagreement(rated: Sequence[Evidence], what: str, certainty: int) -> str:
    """The studies disagree: what each found, with its size, and how certain."""
    parts = []
    for item in rated:
        sizes = [size_words(f) for f in item.findings if f.layer == PUBLISHED and (f.size or f.timepoint)]
        size = f" ({'; '.join(dict.fromkeys(sizes))})" if sizes else ""
        layer = "" if any(f.layer == PUBLISHED for f in item.findings) else ", as the articles report it"
        parts.append(f"{item.id} found {_EFFECT_WORDS.get(item.effect, item.effect)}{size}{layer}")
    sure = "we are very uncertain of the effect" if certainty == VERY_LOW else f"certainty {CERTAINTY[certainty]}"
    return f"The studies disagree on {what}: " + "; ".join(parts) + f". {sure.capitalize()}."


# --- the plain-language page ------------------------------------------------------------------------

#: How a certainty reads to a person, weakest first.
_PLAIN_CERTAINTY = (
    "very uncertain: further research is very likely to change it",
    "low certainty: further research may well change it",
    "moderate certainty: further research could change it",
    "high certainty: further research is unlikely to change it",
)


def plain_summary(summary: dict[str, Any], searched: str | None) -> list[dict[str, Any]]:
    """A plain-language page per condition, after Cochrane's plain-language summaries, as data.

    Each page: key messages (the benefit rows first, then harms), what was found (every
    row's words), how certain (each certainty and the reasons behind it), what is not
    known (rows resting on one small study or none rated higher than very low,
    registered trials with no results) and how up to date (the search's date).
    """
    pages: dict[str, dict[str, Any]] = {}
    for row in summary["outcomes"]:
        page = pages.setdefault(
            row["condition"],
            {"condition": row["condition"], "label": CONDITIONS[row["condition"]][0], "benefits": [], "harms": [],
             "certainty": {}, "unknown": [], "unreported": set()},
        )  # fmt: skip
        line = {"outcome": row["event"] or row["measure"], "words": row["statement"], "certainty": row["certainty"],
                "people": row["rated_participants"], "basis": row["rated_participants_basis"],
                "studies": len(row["rated"])}  # fmt: skip
        (page["harms"] if row["event"] else page["benefits"]).append(line)
        page["certainty"].setdefault(row["certainty"], []).append(line["outcome"])
        if row["certainty"] == "very low" or len(row["rated"]) == 1:
            page["unknown"].append(line["outcome"])
        for reason in row["reasons"]:
            if reason["domain"] == "publication-bias" and "registered trial" in reason["text"]:
                page["unreported"].add(reason["text"].split("no results seen: ", 1)[-1])
    out = []
    for page in pages.values():
        levels = [c for c in reversed(CERTAINTY) if c in page["certainty"]]
        out.append(
            {
                "condition": page["condition"],
                "label": page["label"],
                "key_messages": [b["words"] for b in page["benefits"] if b["certainty"] != "very low"][:4]
                or [f"The evidence on every outcome that studies of LDN in {page['label']} report is very uncertain."],
                "found": page["benefits"],
                "harms": page["harms"],
                "how_certain": [
                    {"certainty": c, "meaning": _PLAIN_CERTAINTY[CERTAINTY.index(c)], "outcomes": page["certainty"][c]}
                    for c in levels
                ],
                "not_known": page["unknown"],
                "unreported_trials": sorted(page["unreported"]),
                "searched": searched,
            }
        )
    return out
