"""The catalogue's data model: frozen records and value types with units.

Nothing here reads files or prints; the loader builds these objects and the
catalogue module queries them. The vocabularies they draw on live in `vocabularies`;
every name of it is re-exported here, so `from ldn_evidence.model import DESIGNS` works.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Union, cast

# Every vocabulary is re-exported: code and tests name them through `model` (`model.DESIGNS`).
from .vocabularies import *  # noqa: F403
from .vocabularies import COMMERCIAL_KINDS, DESIGNS, DURATION_KINDS, PRECLINICAL_DESIGNS, TIME_KINDS

if TYPE_CHECKING:
    from dataclasses import dataclass, field
    from typing import NamedTuple
else:  # the same classes, made at a fraction of the start-up cost (see `frozen`)
    from .frozen import NamedTuple, dataclass, field


# --- value types with units ------------------------------------------------

DAYS_PER_UNIT: dict[str, float] = {"day": 1.0, "week": 7.0, "month": 30.44, "year": 365.25}

NUMBER_WORDS: dict[str, int] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20,
}  # fmt: skip

#: Longer durations and larger daily doses are refused as mistakes (naltrexone's
#: full dose is 50 to 100 mg a day; no study runs for a century).
MAX_DAYS = 36_525.0
MAX_MG_PER_DAY = 1_000.0

# ASCII digits only, and a bounded count of them: float() reads other scripts' digits too.
_NUMBER = r"([0-9]{1,9}(?:\.[0-9]{1,9})?|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + ")"
# Compiled on first use (re caches them): a run served from the cache parses no units.
# Spelt out as explicit classes, not \s and \b, which ECMAScript reads otherwise (its \s
# takes U+FEFF, its \b sees "é" as no letter), so that the JSON Schema's copy of these
# patterns accepts exactly what the loader does; both engines read \xHH and \uHHHH alike.
# _SPACES is Python's own \s; a unit ends at the end, a space, ASCII punctuation or
# U+2010-2027 (dashes, quotes, the ellipsis).
_SPACES = r"\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_UNIT_END = rf"(?![^{_SPACES}!-/:-@\[-`{{-~\u2010-\u2027])"
_DURATION_RE = rf"^[{_SPACES}]*(?:about |median |up to )?{_NUMBER}[{_SPACES}-]*(day|week|month|year)s?{_UNIT_END}"
_DOSE_RE = rf"^[{_SPACES}]*(?:up to )?{_NUMBER}[{_SPACES}]*(mg|milligrams?){_UNIT_END}([\s\S]*)$"
#: Schedule words -> doses a day, most specific first. A dose with none of them has
#: no stated schedule, and so no amount a day.
_SCHEDULES: tuple[tuple[str, float], ...] = (
    ("three times daily", 3.0),
    ("three times a day", 3.0),
    ("twice daily", 2.0),
    ("twice a day", 2.0),
    ("every other day", 0.5),
    ("once daily", 1.0),
    ("once a day", 1.0),
    ("nightly", 1.0),
    ("every night", 1.0),
    ("each night", 1.0),
    ("at night", 1.0),
    ("at bedtime", 1.0),
    ("daily", 1.0),
    ("a day", 1.0),
    ("per day", 1.0),
    ("every day", 1.0),
)


def number_value(token: str) -> float:
    """Read a number written in digits or as an English word ("ten" -> 10)."""
    word = token.lower()
    if word in NUMBER_WORDS:
        return float(NUMBER_WORDS[word])
    return float(token)


@dataclass(frozen=True, slots=True)
class Duration:
    """A length of time as the documents state it, the same in days, and what kind of time it is."""

    text: str
    """As written, e.g. "8 weeks" or "median 804 days"."""
    days: float
    """The same in days: week = 7, month = 30.44, year = 365.25."""
    kind: str = "treatment"
    """A key of DURATION_KINDS: time on LDN, the whole study, follow-up, or a median time on LDN."""

    @classmethod
    def parse(cls, text: str, kind: str | None = None) -> Duration:
        """Read "8 weeks", "six months", "median 804 days"; raise ValueError otherwise.

        With no `kind`, a median ("median 804 days") is a median time on LDN and
        anything else a treatment period.
        """
        match = re.match(_DURATION_RE, text, re.IGNORECASE)
        if not match:
            raise ValueError(f"cannot read duration {text!r}: write a number and a unit, e.g. '8 weeks'")
        amount = number_value(match.group(1))
        days = round(amount * DAYS_PER_UNIT[match.group(2).lower()], 2)
        if days <= 0:
            raise ValueError(f"duration {text!r} is not positive")
        if not days <= MAX_DAYS:  # also NaN and infinity
            raise ValueError(f"duration {text!r} is longer than the {MAX_DAYS / 365.25:g} years allowed")
        if kind is None:
            kind = "median-on-ldn" if text.strip().lower().startswith("median ") else "treatment"
        if kind not in DURATION_KINDS:
            raise ValueError(f"unknown kind of duration {kind!r}; valid: {', '.join(DURATION_KINDS)}")
        return cls(text, days, kind)

    @property
    def label(self) -> str:
        """What kind of time it is, in words ("median time on LDN")."""
        return DURATION_KINDS[self.kind]


@dataclass(frozen=True, slots=True)
class Dose:
    """A dose as the documents state it: milligrams a dose, and a day only when the schedule is stated."""

    text: str
    """As written, e.g. "4.5 mg nightly"."""
    mg_per_day: float | None
    """Milligrams a day, or None when no schedule is stated ("5 mg" is per dose, never "a day")."""
    mg_per_dose: float | None = None
    """Milligrams in one dose, as stated."""

    @classmethod
    def parse(cls, text: str) -> Dose:
        """Read "4.5 mg nightly", "5 milligrams"; raise ValueError otherwise."""
        match = re.match(_DOSE_RE, text, re.IGNORECASE)
        if not match:
            raise ValueError(f"cannot read dose {text!r}: write an amount in mg, e.g. '4.5 mg nightly'")
        amount = number_value(match.group(1))
        if amount <= 0:
            raise ValueError(f"dose {text!r} is not positive")
        rest = " ".join(match.group(3).lower().split())
        per_day = next((times for words, times in _SCHEDULES if words in rest), None)
        if not amount * (per_day or 1.0) <= MAX_MG_PER_DAY:  # also NaN and infinity
            raise ValueError(f"dose {text!r} is more than the {MAX_MG_PER_DAY:g} mg allowed (in a dose or a day)")
        per_day_mg = None if per_day is None else round(amount * per_day, 3)
        if per_day_mg is not None and per_day_mg <= 0:
            raise ValueError(f"dose {text!r} is not positive (it rounds to 0 mg a day)")
        return cls(text, per_day_mg, amount)

    @property
    def scheduled(self) -> bool:
        """True when the documents state how often it is taken, so an amount a day is known."""
        return self.mg_per_day is not None


# --- records -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Source:
    """Where a fact stands: a source document and a verbatim sentence from it."""

    seed: str
    """The source document's file name in seeds/."""
    quote: str
    """Verbatim text from that document (whitespace, quote marks and dashes folded)."""


@dataclass(frozen=True, slots=True)
class Finding:
    """One outcome a study measured and what LDN did to it."""

    measure: str
    """A key of MEASURES, e.g. "pain"."""
    effect: str
    """A key of EFFECTS."""
    detail: str | None = None
    """What exactly was measured or found, in a phrase, if it adds anything."""


@dataclass(frozen=True, slots=True)
class AdverseEvent:
    """A harm reported in a study."""

    event: str
    """What happened, e.g. "insomnia"."""
    share: str | None = None
    """The share of patients as stated ("6%", "2 of 40"), or None if not stated."""


@dataclass(frozen=True, slots=True)
class Study:
    """One piece of research as the source documents describe it."""

    id: str
    """A slug a person can type, e.g. "norway-2017"."""
    title: str
    """A short descriptive title."""
    condition: str
    """A key of CONDITIONS."""
    design: str
    """A key of DESIGNS; the evidence level follows from it."""
    outcome: str
    """What was found, in one or two sentences, as the documents report it ("" for a study no article retells)."""
    effect: str | None
    """A key of EFFECTS for the main outcome; None for a hypothesis."""
    sources: tuple[Source, ...]
    """The quotes that back every stated value."""
    year: int | None = None
    """Publication year, if stated."""
    place: str | None = None
    """Where the study was done, if stated."""
    investigators: tuple[str, ...] = ()
    """Who led it, if stated."""
    population: str | None = None
    """Who was studied, in a phrase."""
    n: int | None = None
    """Number of people (or patients) studied, if stated."""
    duration: Duration | None = None
    """Time on LDN or followed, if stated."""
    dose: Dose | None = None
    """Dose of LDN, if stated."""
    findings: tuple[Finding, ...] = ()
    """Each outcome measured and its effect."""
    adverse_events: tuple[AdverseEvent, ...] = ()
    """Harms reported."""
    tolerability: str | None = None
    """What the documents say of tolerability overall ("well tolerated"), if anything."""
    notes: str | None = None
    """Caveats, disagreements between documents, what a placebo phase means."""
    line: int = field(default=0, compare=False)
    """Line of the record in its catalogue file (0 when not loaded from a file)."""
    mention: bool = False
    """True for research a document only mentions in passing, with no design, size or finding of its own."""
    publication: Publication | None = field(default=None, compare=False)
    """The publication it comes from, as published (attached by the loader; None if none is catalogued)."""
    includes: tuple[str, ...] = ()
    """For a systematic review: the ids of the catalogued studies it pooled."""

    @property
    def retold(self) -> bool:
        """True when an article retells it (it has seed quotes); False for a study found by the search alone."""
        return bool(self.sources)

    @property
    def evidence_level(self) -> int | None:
        """Evidence level of the design (1 strongest, 5 weakest), None if unspecified."""
        return DESIGNS[self.design][0]

    @property
    def clinical(self) -> bool:
        """True if people were studied (not animal, in-vitro or a hypothesis)."""
        return self.design not in PRECLINICAL_DESIGNS

    @property
    def apart(self) -> bool:
        """True for a passing mention or a hypothesis: listed apart, never counted as a study with an effect."""
        return self.mention or self.design == "hypothesis"

    @property
    def measured(self) -> tuple[tuple[str, str], ...]:
        """(measure, effect) of each finding, in order."""
        return tuple([(finding.measure, finding.effect) for finding in self.findings])

    @property
    def seeds(self) -> tuple[str, ...]:
        """The source documents this study is cited from, in order, each once."""
        return tuple(dict.fromkeys(source.seed for source in self.sources))


class Entry(NamedTuple):
    """A study without its text: what queries filter, sort and count by.

    A cached catalogue reads these first, and its full `Study` records only when a
    view shows them, so counting 10,000 studies never decodes their quotes. A
    named tuple, not a dataclass: it is made 10,000 times on every cached run, and
    a tuple is made in a fraction of the time. Each field and property means what
    the `Study` one of the same name means.
    """

    id: str
    condition: str
    design: str
    effect: str | None
    year: int | None
    population: str | None
    n: int | None
    duration: Duration | None
    dose: Dose | None
    measured: tuple[tuple[str, str], ...]
    mention: bool = False
    seeds: tuple[str, ...] = ()

    @property
    def evidence_level(self) -> int | None:
        """As `Study.evidence_level`."""
        return DESIGNS[self.design][0]

    @property
    def clinical(self) -> bool:
        """As `Study.clinical`."""
        return self.design not in PRECLINICAL_DESIGNS

    @property
    def apart(self) -> bool:
        """As `Study.apart`."""
        return self.mention or self.design == "hypothesis"

    @property
    def retold(self) -> bool:
        """As `Study.retold`."""
        return bool(self.seeds)


#: What filters, sorting and counting read: a full study or its entry.
Facts = Union[Study, Entry]


@dataclass(frozen=True, slots=True)
class Document:
    """A source document in seeds/."""

    seed: str
    """File name in seeds/."""
    kind: str
    """A key of DOCUMENT_KINDS."""
    sources: tuple[Source, ...]
    """Quotes from the document that back its title, author, publisher and date."""
    title: str | None = None
    """Its headline, if it has one."""
    publisher: str | None = None
    """Who published it, if stated."""
    author: str | None = None
    """Who wrote it, if stated."""
    date: str | None = None
    """Publication date as ISO text (YYYY-MM-DD, YYYY-MM or YYYY), if stated."""
    line: int = field(default=0, compare=False)
    """Line of the entry in its catalogue file."""
    notes: str | None = None
    """What the page itself says about where the text comes from (a repost, say), if anything."""


@dataclass(frozen=True, slots=True)
class Caution:
    """A general caution the documents state that belongs to no single study."""

    id: str
    """A slug."""
    topic: str
    """A key of CAUTION_TOPICS."""
    text: str
    """The caution in a sentence."""
    sources: tuple[Source, ...]
    """The quotes it stands on."""
    line: int = field(default=0, compare=False)
    """Line of the entry in its catalogue file."""


#: The publications of the catalogue last asked, and its index by study id (`Catalogue.publications_of`).
_PAPERS_OF: list[Any] = [None, {}]


def papers_by_study(publications: Iterable[Publication]) -> dict[str, tuple[Publication, ...]]:
    """Each study id's publications, in file order, each once: one pass over the publications."""
    index: dict[str, list[Publication]] = {}
    for paper in publications:
        for ident in dict.fromkeys(paper.study):
            index.setdefault(ident, []).append(paper)
    return {ident: tuple(papers) for ident, papers in index.items()}


@dataclass(frozen=True, slots=True)
class Catalogue:
    """A loaded catalogue file: its studies, source documents and cautions."""

    path: str
    """The file it was loaded from."""
    studies: Sequence[Study]
    """Every study, in file order (from the cache: decoded on first use)."""
    documents: tuple[Document, ...] = ()
    """The source documents."""
    cautions: tuple[Caution, ...] = ()
    """General cautions."""
    entries: Sequence[Entry] | None = field(default=None, compare=False, repr=False)
    """The studies' entries, in the same order, when read apart from them (from the cache); else None."""
    publications: Sequence[Publication] = ()
    """The publications behind the studies (the published layer), in file order (from the cache: read on first use)."""
    search: Search | None = None
    """The documented search for the wider evidence, if the catalogue holds one."""

    @property
    def index(self) -> Sequence[Facts]:
        """What queries read: the entries when there are any, else the studies themselves."""
        return self.studies if self.entries is None else self.entries

    def records(self, chosen: Sequence[Facts]) -> list[Study]:
        """The full studies of entries (or studies) taken from `index`, in the same order."""
        return list(self.each(chosen))

    def each(self, chosen: Sequence[Facts], batch: int = 1000) -> Iterator[Study]:
        """`records` one at a time; a cached catalogue makes them a batch at a time and keeps none."""
        if self.entries is None:
            yield from cast("Sequence[Study]", chosen)
            return
        position = {entry.id: i for i, entry in enumerate(self.entries)}
        positions = [position[item.id] for item in chosen]
        take = getattr(self.studies, "take", None)  # a cached catalogue reads the rows together
        for start in range(0, len(positions), batch):
            part = positions[start : start + batch]
            yield from take(part) if take is not None else [self.studies[p] for p in part]

    def position(self, ident: str) -> int | None:
        """Where the study with this id stands in `studies`, or None (a cached catalogue reads no other study)."""
        lookup = getattr(self.studies, "position_of", None)
        if lookup is not None:
            return cast("int | None", lookup(ident))
        return next((i for i, study in enumerate(self.index) if study.id == ident), None)

    def document(self, seed: str) -> Document | None:
        """The document with this seed file name, or None."""
        return next((doc for doc in self.documents if doc.seed == seed), None)

    def publications_of(self, study: str) -> tuple[Publication, ...]:
        """Every publication that backs the study with this id, in file order (from the cache: only those read)."""
        lookup = getattr(self.publications, "of_study", None)
        if lookup is not None:
            return cast("tuple[Publication, ...]", lookup(study))
        publications = self.publications
        if _PAPERS_OF[0] is not publications:  # indexed once per catalogue: one pass, not one per study
            _PAPERS_OF[:] = [publications, papers_by_study(publications)]
        return cast("dict[str, tuple[Publication, ...]]", _PAPERS_OF[1]).get(study, ())

    def commercial_seeds(self) -> frozenset[str]:
        """The documents of a commercial kind."""
        return frozenset(doc.seed for doc in self.documents if doc.kind in COMMERCIAL_KINDS)

    def commercial_only(self, study: Facts, commercial: frozenset[str] | None = None) -> bool:
        """True when every document the study is cited from is commercial ("who is telling it").

        `commercial` is `commercial_seeds()`, passed in when asking of many studies.
        """
        seeds = self.commercial_seeds() if commercial is None else commercial
        return bool(study.seeds) and all(seed in seeds for seed in study.seeds)


# --- the published layer ------------------------------------------------------
#
# Beside what the articles report, a study may have a publication: the paper (or
# abstract, or registry entry) it comes from, with facts seen on public pages, each
# backed by a verbatim excerpt. Both layers hold their structured values in the same
# types (`Values`), so comparing them is a loop over a table of rules. Its vocabularies
# (PAGE_KINDS, FACT_FIELDS, ...) are in `vocabularies` with the others.
#
# The value types below are named tuples, not dataclasses: they are made on every run and
# a named tuple's class costs a small fraction of a frozen dataclass's to create (as `Entry`).


class Count(NamedTuple):
    """A number of people that says which count it is."""

    number: int
    """How many people."""
    kind: str
    """A key of COUNT_KINDS: enrolled, randomized, completed, analysed, or stated (not said)."""

    def __str__(self) -> str:
        return f"{self.number}" if self.kind == "stated" else f"{self.number} {self.kind}"


class Period(NamedTuple):
    """A length of time that says what kind of time it is."""

    duration: Duration
    """The length, as written and in days."""
    kind: str
    """A key of TIME_KINDS."""

    def __str__(self) -> str:
        return self.duration.text if self.kind == "stated" else f"{self.duration.text} ({TIME_KINDS[self.kind]})"


class Values(NamedTuple):
    """The structured values of one layer of a study: the same shape for both layers."""

    counts: tuple[Count, ...] = ()
    """Numbers of people, each saying which count it is."""
    periods: tuple[Period, ...] = ()
    """Lengths of time, each saying what kind of time it is."""
    doses: tuple[Dose, ...] = ()
    """Doses as stated."""
    design: str | None = None
    """A key of DESIGNS, where one can be told."""
    year: int | None = None
    """Year of publication."""


#: `field` itself, for the record types below that have a field named "field".
_field = field


@dataclass(frozen=True, slots=True)
class PublishedFact:
    """One fact seen on a public page about a publication, with the excerpt it stands on."""

    field: str
    """A key of FACT_FIELDS: what the fact is about."""
    text: str
    """The fact in the catalogue's own words."""
    excerpt: str
    """Verbatim text of the page (whitespace, quote marks and dashes folded), kept in publications/."""
    page: str
    """The address of the page the excerpt was read on (or, for a record seen without one, what it was)."""
    page_kind: str
    """A key of PAGE_KINDS."""
    value: int | str | None = None
    """A structured value where the field has one: a number of people, a length ('8 weeks'), a dose, a design key."""
    line: int = _field(default=0, compare=False)
    """Line of the fact in its catalogue file."""
    measure: str | None = None
    """On an outcome, pooled result or harm: a key of MEASURES, where the excerpt says what was measured."""
    direction: str | None = None
    """On an outcome, pooled result or harm: a key of EFFECTS, what the excerpt says of LDN against its comparison."""
    size: str | None = None
    """The size as the page states it ('RR 1.23 (95% CI 0.9 to 1.6)'); every number in it is in the excerpt."""
    scale: str | None = None
    """The named instrument ('SF-36 Mental Component Summary'), where the excerpt names it."""
    timepoint: str | None = None
    """When it was measured ('8 weeks'), where a page of the publication says it."""
    comparison: str | None = None
    """A key of COMPARISONS: what LDN was compared with."""
    primary: bool = False
    """True where the excerpt says it is the primary outcome."""
    event: str | None = None
    """On a harm: a key of HARM_EVENTS, or a named common event ('vivid dreams')."""
    arms: tuple[int, ...] = ()
    """On a count the page prints only arm by arm ('51 subjects ... 49 subjects'): each arm's number, as printed."""


@dataclass(frozen=True, slots=True)
class Discrepancy:
    """A place where an article's account of a study differs from its publication."""

    kind: str
    """A key of DISCREPANCY_KINDS."""
    seed: str
    """The article (a document in seeds/)."""
    article_says: str
    """Verbatim quote of the article."""
    published_says: str
    """Verbatim excerpt of the publication's page."""
    page: str
    """The page the excerpt was read on."""
    page_kind: str
    """A key of PAGE_KINDS."""
    explanation: str
    """The difference in one plain sentence, in the catalogue's own words."""
    study: str | None = None
    """The study it concerns; may be left out when the publication backs one study."""
    publication: str = field(default="", compare=False)
    """Id of the publication (filled in by the loader or the rule that computed it)."""
    computed: bool = field(default=False, compare=False)
    """True if the library computed it from structured values; False if it was written in the catalogue."""
    line: int = field(default=0, compare=False)
    """Line of the entry in its catalogue file (0 when computed)."""


@dataclass(frozen=True, slots=True)
class Publication:
    """A publication behind one or more studies: citation, identifiers, facts and curated discrepancies."""

    id: str
    """A slug, also the name of its excerpt file in publications/ (id + '.txt')."""
    study: tuple[str, ...]
    """The ids of the studies it backs."""
    title: str
    """The title as published."""
    year: int | None = None
    """Year of publication, as seen."""
    authors: str | None = None
    """Authors as seen ('Cree BAC, Kornyeyeva E, Goodin DS'); None if not seen."""
    journal: str | None = None
    """Journal (abbreviated) as seen; None if not seen."""
    volume_pages: str | None = None
    """Volume, issue and pages ('68(2):145-150'), if seen."""
    pmid: str | None = None
    """PubMed id (digits), only if seen on a named page."""
    pmcid: str | None = None
    """PubMed Central id ('PMC' and digits), only if seen."""
    doi: str | None = None
    """DOI ('10.' ...), only if seen."""
    registry: tuple[str, ...] = ()
    """Trial registry ids ('NCT' and 8 digits, or 'EudraCT' and its number), only if seen."""
    verified_on: tuple[str, ...] = ()
    """The pages the citation and identifiers were seen on."""
    not_seen: tuple[str, ...] = ()
    """Parts of the citation that were looked for and not seen (e.g. 'doi')."""
    unverified: tuple[str, ...] = ()
    """Parts seen only where they cannot be relied on (a page's address, a secondary page), in the
    catalogue's words with their values; `show` prints each. An identifier named here is not among
    the publication's identifiers, so no link or citation uses it."""
    notes: str | None = None
    """Caveats about the publication or its link to the study, in the catalogue's own words."""
    facts: tuple[PublishedFact, ...] = ()
    """Facts seen on its public pages, each with its excerpt."""
    discrepancies: tuple[Discrepancy, ...] = ()
    """Prose differences between the articles and the publication, each with both quotes."""
    line: int = field(default=0, compare=False)
    """Line of the entry in its catalogue file."""

    def facts_on(self, *fields: str) -> tuple[PublishedFact, ...]:
        """The facts about any of these fields, in file order."""
        return tuple([fact for fact in self.facts if fact.field in fields])


def first_publications(publications: Sequence[Publication]) -> dict[str, Publication]:
    """Each study's publication as attached to it: its first about it alone, else the first that names it.

    A publication shared by several studies speaks for none of them alone (its counts
    are of them all): it is a study's `publication` only when the study has none of its own.
    """
    first: dict[str, Publication] = {}
    for publication in sorted(publications, key=lambda p: len(p.study) > 1):
        for ident in publication.study:
            first.setdefault(ident, publication)
    return first


# --- the search ---------------------------------------------------------------------
#
# The wider evidence comes from a documented search: where and when, each query and
# how many records it screened, and every record left out with its reason.


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """One query of the search and what it turned up."""

    query: str
    """The words searched for."""
    group: str | None = None
    """What it looked for (a condition key or a theme), if given."""
    corpus: str | None = None
    """Which collection of stored pages it searched, if given."""
    screened: int = 0
    """How many records it returned that were screened."""
    included: int = 0
    """How many of them were relevant and kept."""
    line: int = field(default=0, compare=False)
    """Line of the entry in its catalogue file."""


@dataclass(frozen=True, slots=True)
class Excluded:
    """A record the search screened and left out, with the reason."""

    title: str
    """The record's title as seen (a citation)."""
    reason: str
    """A key of EXCLUSION_REASONS."""
    page: str | None = None
    """The address of the page it was seen on."""
    note: str | None = None
    """Why, in the catalogue's own words, where the reason needs it."""
    line: int = field(default=0, compare=False)
    """Line of the entry in its catalogue file."""


@dataclass(frozen=True, slots=True)
class Search:
    """The documented search behind the wider evidence."""

    searched: str
    """When it was searched, as an ISO date (YYYY-MM or YYYY-MM-DD)."""
    scope: str
    """What it looked for, in a sentence."""
    where: tuple[str, ...] = ()
    """The collections of pages it searched."""
    queries: tuple[SearchQuery, ...] = ()
    """Every query, in order."""
    excluded: tuple[Excluded, ...] = ()
    """Every record screened and left out, with its reason."""
    line: int = field(default=0, compare=False)
    """Line of the section in its catalogue file."""
