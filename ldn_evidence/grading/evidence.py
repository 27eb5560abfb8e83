"""The pieces a rating is made of: certainties and start points, a study's evidence and findings, a row.

Also the evidence body's own small rules (who enters it, how people are counted once,
which studies name each other's people) that every other module of the package shares.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from ldn_evidence.model import DESIGNS, MAX_LEVEL, MEASURES, Discrepancy, Facts
from ldn_evidence.published import Reading, Said

if TYPE_CHECKING:
    from dataclasses import dataclass
    from typing import NamedTuple
else:  # the same classes, made at a fraction of the start-up cost (see `frozen`)
    from ldn_evidence.frozen import NamedTuple, dataclass

#: Certainty, weakest first; a rating is an index into it.
CERTAINTY = ("very low", "low", "moderate", "high")
VERY_LOW, LOW, MODERATE, HIGH = range(4)

#: Where the rating starts for a body whose strongest design is this one: randomized high, a
#: concurrent comparison group low, every uncontrolled design (surveys and chart reviews included) very low.
START: dict[str, int] = {
    "systematic-review": HIGH,
    "rct": HIGH,
    "controlled-trial": LOW,
    "cohort": LOW,
    "before-after": VERY_LOW,
    "open-label": VERY_LOW,
    "retrospective": VERY_LOW,
    "case-series": VERY_LOW,
    "case-report": VERY_LOW,
}

#: Among designs that start alike, the weaker ones are listed beside: a case series or report beside
#: a study of 20 or more people followed or reviewed (higher is stronger).
TIER: dict[str, int] = {"case-series": 1, "case-report": 0}

#: Measures that stand in for how patients feel or function, rather than being it: medicine use and
#: laboratory values (biomarkers, inflammation markers, immune measures such as the CD4 count).
SURROGATE_MEASURES = frozenset({"medication-use", "biomarker", "inflammation", "immune"})

#: A named instrument decides the measure it counts under, whatever a fact's measure key says: the
#: Fibromyalgia Impact Questionnaire is a disease-impact (symptom) score, pain catastrophizing a pain
#: measure; neither is mental health. (pattern, measure key), first match wins.
INSTRUMENTS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bFIQ-?R?\b|fibromyalgia impact questionnaire", re.IGNORECASE), "symptoms"),
    (re.compile(r"pain catastroph", re.IGNORECASE), "pain"),
)

#: A page saying a result did not survive adjustment for multiple comparisons: not a positive finding.
MULTIPLICITY = re.compile(
    r"significan\w* (?:was|were) lost after (?:adjust|correct)\w*|"
    r"(?:no longer|not) significant after (?:adjust|correct)\w* for multipl",
    re.IGNORECASE,
)
#: Why such a finding is not rated as a benefit, in words.
MULTIPLICITY_WHY = "significance was lost after adjusting for multiplicity, as a page states: not counted as a benefit"

#: Fewer participants than these in the rated studies: one step down, or two.
IMPRECISE_BELOW, VERY_IMPRECISE_BELOW = 400, 100


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
    """The registered trials of its condition that ended with no results seen (the same for every study of it)."""
    searched: bool = False
    """True when a documented search covered its condition (so its body is not the press's choice alone)."""
    pending: tuple[str, ...] = ()
    """The registered trials of its condition whose results are not (all) in the catalogue, with why, in words."""
    indirect: str | None = None
    """Why its people are narrower than its condition ("only people with PPMS", "children only"); None if not."""
    counted: bool = True
    """False for a review rated beside another that pools the same trials: its people are not counted again."""
    bias: StudyBias | None = None
    """Its risk of bias, judged once per study (see `bias.study_bias`); None where not yet judged."""
    start: int | None = None
    """Where a rating on it starts, where not its design's (a review of case reports is no review of trials)."""

    @property
    def starts(self) -> int:
        """Where a rating on this study starts: its own start where set, else its design's (see START)."""
        return START[self.design] if self.start is None else self.start


class StudyBias(NamedTuple):
    """One study's risk of bias as a whole, judged once and the same in every row that rates it."""

    steps: int
    """0 (no concern), 1 (a concern), or 2 (high risk in three domains or more)."""
    basis: str
    """The layer it rests on: PUBLISHED (its papers' domains) or ARTICLES."""
    concern: str | None
    """The concern in words, quoting the sentences; None if there is none."""
    domains: tuple[Judgement, ...] = ()
    """Its judgements by domain, where its papers give them."""


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
    kept: str = ""
    """Where a review and trials it may pool (or several reviews) are in the body: which was counted, in words."""

    @property
    def beside(self) -> tuple[Evidence, ...]:
        """Weaker studies in the body, listed beside the rating but not rated."""
        rated = {item.id for item in self.rated}
        return tuple(item for item in self.body if item.id not in rated)

    @property
    def counted(self) -> tuple[Evidence, ...]:
        """The rated studies whose people are counted (a review beside another that pools the same trials is not)."""
        return tuple(item for item in self.rated if item.counted)

    @property
    def participants(self) -> int:
        """People in the rated studies, each counted once, where the number is known; never summed with those beside."""
        return sum(item.participants or 0 for item in self.counted)

    @property
    def participants_if_same(self) -> int:
        """The rated people if each pair in `overlap` is the same people: the smaller count goes."""
        return self.participants - _double_counted(self.counted)

    @property
    def n_unknown(self) -> int:
        """Studies in the body whose number of people is not reported."""
        return sum(1 for item in self.body if item.participants is None)

    @property
    def participants_basis(self) -> str:
        """Which counts the rated participants are: one basis, or both named."""
        bases = list(dict.fromkeys(item.basis for item in self.counted))
        if not bases:
            return "not reported"
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
    publication: str | None = None
    """The id of the publication that states it (published findings only)."""
    caveat: str | None = None
    """Why its direction is not the page's plain one (significance lost after multiplicity); None if none."""


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


#: The measure every unwanted event is a row of: harms are rated by event, never split by the key a fact carries.
HARMS = "adverse-events"

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
        direction, caveat = fact.direction or "unclear", None
        if MULTIPLICITY.search(fact.excerpt):
            direction, caveat = ("unclear" if direction == "benefit" else direction), MULTIPLICITY_WHY
        out.append(
            Found(
                # An unwanted event is one row of harms whatever measure key its fact carries ("safety", "sleep").
                measure_of(fact.measure, fact.scale) if event is None else HARMS,
                direction,
                PUBLISHED,
                event,
                fact.size,
                fact.scale,
                fact.timepoint,
                fact.excerpt,
                fact.page,
                fact.primary,
                said.publication.id,
                caveat,
            )
        )
    return tuple(out)


def measure_of(measure: str, scale: str | None) -> str:
    """The measure a finding counts under: its named instrument's (see INSTRUMENTS), else its own key."""
    for pattern, key in INSTRUMENTS if scale else ():
        if pattern.search(scale or ""):
            return key
    return measure


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


def people_of(
    study: Facts, reading: Reading | None, found: Sequence[Found] = (), published: Sequence[Found] | None = None
) -> tuple[int | None, str]:
    """A study's people, counted once: analysed where a page states it, else randomized, else enrolled, else the
    articles'; the basis names the arms where a page gives the count only arm by arm ("analysed, 51 + 49 by arm").

    A count of people analysed belongs to the results of the publication that states it: where that
    publication reports results of its own (a secondary analysis of some outcomes) and none of `found`
    is among them, it does not speak for these findings, and the study's randomized or enrolled count does.
    `published` is the study's `published_findings(reading)` where the caller has read them already.
    """
    said = reading.people() if reading is not None else None
    if reading is not None and said is not None and not _speaks_for(reading, said, found, published):
        counts = reading.counts()
        said = next((counts[kind] for kind in ("randomized", "enrolled") if kind in counts), None)
    if said is not None:
        return int(said.value), f"{said.basis} (as published)"
    pooled = reading.first("people-pooled", alone=True) if reading is not None else None
    if study.design == "systematic-review" and pooled is not None and isinstance(pooled.value, int):
        return pooled.value, "pooled by the review (as published)"
    return study.n, AS_ARTICLES


def _speaks_for(reading: Reading, said: Said, found: Sequence[Found], published: Sequence[Found] | None) -> bool:
    """False for a count of people analysed whose publication reports results of its own, none of them in `found`."""
    if said.field != "analysed" or not found:
        return True
    pub = said.publication.id
    if not any(f.publication == pub for f in (published_findings(reading) if published is None else published)):
        return True
    return any(f.publication == pub for f in found if f.layer == PUBLISHED)


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
    return tuple(sorted(body, key=lambda e: (-e.starts, _RANK[e.design], -(e.participants or 0), e.id)))


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


#: A reason names at most this many studies, then says how many more.
NAMED = 12


def _ids(items: Iterable[Evidence]) -> str:
    ids = [item.id for item in items]
    if len(ids) > NAMED:
        return ", ".join(ids[:NAMED]) + f" and {len(ids) - NAMED} more"
    return ", ".join(ids)


def _percent(share: float) -> str:
    return f"{round(100 * share, 1):g}%"


def _basis(bases: Iterable[str]) -> str:
    found = set(bases)
    return found.pop() if len(found) == 1 else BOTH


_EFFECT_WORDS = {
    "benefit": "a benefit",
    "no-effect": "no effect",
    "harm": "harm",
    "mixed": "benefit on some measures and no change on others",
    "unclear": "no clear result",
}
