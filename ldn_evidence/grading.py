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
from dataclasses import dataclass
from typing import Any, NamedTuple

from .model import CONDITIONS, DESIGNS, MAX_LEVEL, MEASURES, Catalogue, Facts
from .published import readings

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
    return start, tuple(item for item in body if START[item.design] == start)


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


def risk_of_bias(rated: Sequence[Evidence], measure: str) -> Reason | None:
    """One step down when any rated study is not shown to be double-blind with at most 20% lost.

    Each study is judged on its publication's verified facts where there are any,
    else on the articles (see `bias_of`); the reason names each study's layer.
    """
    why: dict[str, list[Evidence]] = {}
    bases = []
    for item in rated:
        basis, concern = bias_of(item)
        if concern is not None:
            why.setdefault(concern, []).append(item)
            bases.append(basis)
    if not why:
        return None
    text = ". ".join(f"{_ids(items)}: {concern}" for concern, items in why.items())
    return Reason("risk-of-bias", 1, text, _basis(bases))


def inconsistency(rated: Sequence[Evidence], measure: str) -> Reason | None:
    """One step down when the rated studies disagree in direction (a mixed study is its own direction)."""
    directions = list(dict.fromkeys(item.effect for item in rated if item.effect in _DIRECTIONS))
    if len(directions) < 2:
        return None
    found = "; ".join(
        f"{_ids(item for item in rated if item.effect == direction)} found {_EFFECT_WORDS[direction]}"
        for direction in directions
    )
    return Reason("inconsistency", 1, f"as the articles report their findings, the studies disagree: {found}")


def imprecision(rated: Sequence[Evidence], measure: str) -> Reason | None:
    """One step down below 400 participants in the rated studies, two below 100 (or none known)."""
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
    published = [item for item in counted if item.basis == PUBLISHED_ENROLLED]
    given = [item for item in counted if item.basis != PUBLISHED_ENROLLED]
    if not given:
        text += f"; counted {PUBLISHED_ENROLLED}"
    elif not published:
        text += f"; counted {AS_ARTICLES}"
    else:
        text += f"; counted {PUBLISHED_ENROLLED} for {_ids(published)}, {AS_ARTICLES} for {_ids(given)}"
    basis = _basis(PUBLISHED if item.basis == PUBLISHED_ENROLLED else ARTICLES for item in counted)
    return Reason("imprecision", steps, text, basis)


def indirectness(rated: Sequence[Evidence], measure: str) -> Reason | None:
    """One step down when the measure stands in for how patients feel or function."""
    if measure not in SURROGATE_MEASURES:
        return None
    return Reason(
        "indirectness",
        1,
        f"{MEASURES[measure]}, as the articles report the findings, is a surrogate, not how patients feel or "
        f"function ({_ids(rated)})",
    )


#: Each step down, in the order a Summary of Findings table lists them.
DOWNGRADES: tuple[tuple[str, Callable[[Sequence[Evidence], str], Reason | None]], ...] = (
    ("risk-of-bias", risk_of_bias),
    ("inconsistency", inconsistency),
    ("imprecision", imprecision),
    ("indirectness", indirectness),
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
#: The verb of a very uncertain statement, by what the studies found.
_UNCERTAIN_VERB = {"benefit": "improves", "mixed": "improves", "no-effect": "changes", "harm": "worsens"}


def outcome_words(condition: str, measure: str) -> str:
    """An outcome in words: "quality of life in MS"."""
    what = _MEASURE_WORDS.get(measure, MEASURES[measure])
    return f"{what} in {_SHORT_CONDITION.get(condition, CONDITIONS[condition][0])}"


def statement(certainty: int, direction: str, condition: str, measure: str, studies: int = 2) -> str:
    """The finding the way Cochrane's plain-language summaries put it, certainty included.

    `studies` is how many studies were rated, so that one study is "the study".
    """
    what = outcome_words(condition, measure)
    who, reports = ("the study", "reports") if studies == 1 else ("the studies", "report")
    if direction == "disagree":
        if certainty == VERY_LOW:
            return f"The studies disagree on {what}, and we are very uncertain whether LDN improves it."
        return f"The studies disagree on {what}; the certainty that LDN improves it is {CERTAINTY[certainty]}."
    if direction == "unclear":
        if certainty == VERY_LOW:
            return f"We are very uncertain whether LDN changes {what}: {who} {reports} no clear result."
        return f"{who.capitalize()} {reports} no clear result on {what} (certainty {CERTAINTY[certainty]})."
    if certainty == VERY_LOW:
        found = "" if direction == "benefit" else f" ({who} found {_EFFECT_WORDS[direction]})"
        return f"We are very uncertain whether LDN {_UNCERTAIN_VERB[direction]} {what}{found}."
    return f"LDN {_PHRASES[direction][HIGH - certainty]} {what}."


# --- the table ---------------------------------------------------------------------------


def direction_of(rated: Sequence[Evidence]) -> str:
    """What the rated studies found together: their one direction, "disagree", or "unclear"."""
    directions = list(dict.fromkeys(item.effect for item in rated if item.effect in _DIRECTIONS))
    if not directions:
        return "unclear"
    return directions[0] if len(directions) == 1 else "disagree"


def grade(condition: str, measure: str, body: Sequence[Evidence]) -> Outcome:
    """Rate one outcome: the starting point, each step down in DOWNGRADES, and the statement."""
    start, rated = starting_point(body)
    reasons = tuple(reason for _, rule in DOWNGRADES if (reason := rule(rated, measure)) is not None)
    certainty = max(VERY_LOW, start - sum(reason.steps for reason in reasons))
    direction = direction_of(rated)
    return Outcome(
        condition, measure, tuple(body), rated, start, reasons, certainty, direction,
        statement(certainty, direction, condition, measure, len(rated)), overlap_of(body),
    )  # fmt: skip


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


def outcome_data(outcome: Outcome) -> dict[str, Any]:
    """An outcome as plain data: the JSON contract of `ldn summary --format json`'s `outcomes`."""
    return {
        "condition": outcome.condition,
        "measure": outcome.measure,
        "studies": [item.id for item in outcome.body],
        "rated": [item.id for item in outcome.rated],
        "participants": outcome.participants,
        "n_unknown": outcome.n_unknown,
        "participants_basis": outcome.participants_basis,
        # Pairs of studies whose records say they may share people: both are counted in `participants`.
        "overlap": [{"study": a, "same_people_as": b} for a, b in outcome.overlap],
        "participants_if_same": outcome.participants_if_same,
        "designs": list(dict.fromkeys(item.design for item in outcome.body)),
        # What each study found on the measure, and the counts taken from publications.
        "found": {item.id: item.effect for item in outcome.body},
        "enrolled": {item.id: item.participants for item in outcome.body if item.basis == PUBLISHED_ENROLLED},
        "start": CERTAINTY[outcome.start],
        "certainty": CERTAINTY[outcome.certainty],
        "reasons": [{"domain": r.domain, "steps": r.steps, "text": r.text, "basis": r.basis} for r in outcome.reasons],
        "publication_bias": "not assessed",
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
    if enrolled is None:
        enrolled = published_enrolment(catalogue)
    conduct = published_conduct(catalogue)
    return {
        "outcomes": [outcome_data(outcome) for outcome in summary_of_findings(studies, enrolled, conduct)],
        "publication_bias": "not assessed",
        "not_rated": not_rated(studies),
        "commercial_only": {"count": len(commercial), "of": len(studies), "ids": commercial},
    }
