"""The published layer: what the papers say about each study, read once per catalogue.

THE reading of the papers. Every other module (discrepancies, grading, claims,
results and through them every view) asks this one what a study's papers say, so
that `show`, `claims` and `summary` cannot come to disagree about one paper.

The one rule for which publication speaks: a study's publications are read in the
catalogue file's order, and for each field the first fact that states it gives it.
A fact knows whether its publication backs this study alone (`alone`); where a
number of people or the conduct of a trial is at stake, `grading` hears only
publications about the study alone (a count shared by several studies belongs to
none of them), which is the same reading with `alone=True`, not another rule.

Also here: both layers as the same `Values` (a count says whether it is enrolled or
completed, a length what kind of time it is), so comparing them is a loop.
Plain data out; nothing here prints.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

from .model import (
    COUNT_FIELDS,
    TIME_FIELDS,
    Catalogue,
    Count,
    Dose,
    Duration,
    Period,
    Publication,
    PublishedFact,
    Study,
    Values,
)

if TYPE_CHECKING:
    from dataclasses import dataclass, field
else:  # the same classes, made at a fraction of the start-up cost (see `frozen`)
    from .frozen import dataclass, field

#: The fields of the design and conduct of a trial, as publications state them.
CONDUCT_FIELDS = ("design", "blinding", "allocation", "control")
#: The fields of what was measured and what harmed.
OUTCOME_FIELDS = ("outcome",)
HARM_FIELDS = ("harms", "dropouts")


@dataclass(frozen=True)
class Said:
    """One fact a paper states about a study, with where it states it."""

    fact: PublishedFact
    """The fact as catalogued: field, value, text, excerpt, page and page kind."""
    publication: Publication
    """The publication that states it."""
    alone: bool
    """True when that publication backs this study alone (a shared one speaks for none of its studies alone)."""

    @property
    def field(self) -> str:
        """The fact's field (a key of FACT_FIELDS)."""
        return self.fact.field

    @property
    def value(self) -> Any:
        """The fact's value: a count (see `counted`), a length or dose as text, a design word, or None."""
        number = counted(self.fact)
        return number if number is not None else self.fact.value

    @property
    def basis(self) -> str:
        """Which count this is, and how it was reached: 'analysed', or 'analysed, 51 + 49 by arm'."""
        if self.fact.value is None and self.fact.arms:
            return f"{self.fact.field}, {' + '.join(str(arm) for arm in self.fact.arms)} by arm"
        return self.fact.field


@dataclass(frozen=True)
class Reading:
    """What the papers say about one study: every fact, in the one order, and the first of each kind."""

    study: str
    """The study's id."""
    publications: tuple[Publication, ...]
    """The study's publications, in the catalogue file's order."""
    facts: tuple[Said, ...] = field(default=())
    """Every fact of those publications, publication by publication, each in its file order."""

    @cached_property
    def _asked(self) -> dict[tuple[Any, ...], Any]:
        """The answers already given, by question: every row of a summary asks its study's reading the same ones."""
        return {}

    def all(self, *fields: str, alone: bool = False) -> tuple[Said, ...]:
        """Every fact of these fields, in order; with `alone`, only from publications about this study alone."""
        asked = self._asked
        key = (fields, alone)
        found: tuple[Said, ...] | None = asked.get(key)
        if found is None:
            found = asked[key] = tuple(s for s in self.facts if s.field in fields and (s.alone or not alone))
        return found

    def first(self, name: str, alone: bool = False) -> Said | None:
        """The fact that gives this field: the first that states it (a value that is not None)."""
        return next((s for s in self.all(name, alone=alone) if s.value is not None), None)

    def counts(self, alone: bool = False) -> dict[str, Said]:
        """The count of each kind (enrolled, randomized, completed, analysed, dropouts) that speaks for the study.

        A count of people belongs to the study a page counts: where the study has a
        publication about it alone, only those are heard (a count shared by several
        studies belongs to none of them); and a paper's own pages (abstract, full
        text, publisher, conference abstract) speak before a registry record, which
        speaks before a secondary page. Among equals, the first in file order.
        """
        asked = self._asked
        key = ("counts", alone)
        out: dict[str, Said] | None = asked.get(key)
        if out is None:
            own = alone or any(said.alone for said in self.facts)
            heard = [s for s in self.all(*sorted(COUNT_FIELDS), alone=own) if isinstance(s.value, int)]
            out = asked[key] = {}
            for said in sorted(heard, key=lambda s: page_rank(s.fact.page_kind)):
                out.setdefault(said.field, said)
        return dict(out)  # the caller's own copy

    def people(self) -> Said | None:
        """The one count of people a view rests on: analysed where stated, else randomized, else enrolled.

        A count a page prints only arm by arm counts as the sum of its arms (`Said.basis` says so):
        the people whose data the result rests on are those of every arm, each number stated.
        """
        counts = self.counts()
        return next((counts[kind] for kind in PEOPLE_ORDER if kind in counts), None)

    def periods(self, alone: bool = False) -> dict[str, Said]:
        """The first length of each kind of time ('treatment', 'whole-study')."""
        out: dict[str, Said] = {}
        for said in self.all(*TIME_FIELDS, alone=alone):
            if said.value is not None:
                out.setdefault(TIME_FIELDS[said.field], said)
        return out

    def doses(self, alone: bool = False) -> tuple[Said, ...]:
        """Every dose the papers state, in order (the checks take the first they can read)."""
        return tuple(s for s in self.all("dose", alone=alone) if s.value is not None)

    def conduct(self, alone: bool = False) -> dict[str, Said]:
        """The first design, blinding, allocation and control stated."""
        out: dict[str, Said] = {}
        for said in self.all(*CONDUCT_FIELDS, alone=alone):
            if said.value is not None:
                out.setdefault(said.field, said)
        return out

    def outcomes(self) -> tuple[Said, ...]:
        """Every outcome the papers report, in order."""
        return self.all(*OUTCOME_FIELDS)

    def harms(self) -> tuple[Said, ...]:
        """Every harm and drop-out the papers report, in order."""
        return self.all(*HARM_FIELDS)


def counted(fact: PublishedFact) -> int | None:
    """The number of people a count fact gives: its value, or the sum of the arms a page prints one by one.

    A page that prints a count only arm by arm ("51 subjects ... 49 subjects") states the people of
    every arm, so together they are the count (`ldn verify` checks each arm's number in the excerpt).
    None for a fact that is not a count of people or states no number.
    """
    if fact.field not in COUNT_FIELDS:
        return None
    if isinstance(fact.value, int):
        return fact.value
    return sum(fact.arms) if fact.arms else None


#: Which count of people a view rests on, in order of preference (EVIDENCE.md: analysed where stated,
#: the number whose data the result rests on, else randomized, else enrolled).
PEOPLE_ORDER = ("analysed", "randomized", "enrolled")

#: How far a kind of page speaks for a paper: its own pages first, then a registry, then others' pages.
_PAGE_RANKS = {"abstract": 0, "full-text": 0, "publisher-page": 0, "conference-abstract": 0, "registry": 1}


def page_rank(kind: str) -> int:
    """0 for a paper's own page, 1 for a registry record, 2 for a secondary page (or any other)."""
    return _PAGE_RANKS.get(kind, 2)


def reading_of(catalogue: Catalogue, study: str) -> Reading:
    """What the papers say about the study with this id (an empty reading if none backs it).

    Read from the whole catalogue's readings where they were already computed; otherwise from this
    study's own publications alone (`Catalogue.publications_of`), so one `show` reads one study's papers.
    """
    for seen, found in _READINGS:
        if seen is catalogue:
            return found.get(study) or Reading(study, ())
    publications = tuple(catalogue.publications_of(study))
    return _reading(study, publications) if publications else Reading(study, ())


def _reading(study: str, publications: tuple[Publication, ...]) -> Reading:
    facts = tuple(Said(f, p, len(p.study) == 1) for p in publications for f in p.facts)
    return Reading(study, publications, facts)


def _read(catalogue: Catalogue) -> dict[str, Reading]:
    backing: dict[str, list[Publication]] = {}
    for publication in catalogue.publications:
        for study in publication.study:
            backing.setdefault(study, []).append(publication)
    return {study: _reading(study, tuple(publications)) for study, publications in backing.items()}


#: The last few catalogues read, by identity (a run reads one; tests make many small ones).
_READINGS: list[tuple[Catalogue, dict[str, Reading]]] = []


def readings(catalogue: Catalogue) -> dict[str, Reading]:
    """What the papers say about each study that has a publication, by study id: computed once per catalogue."""
    for seen, found in _READINGS:
        if seen is catalogue:
            return found
    found = _read(catalogue)
    _READINGS.insert(0, (catalogue, found))
    del _READINGS[4:]
    return found


# --- one publication, and both layers, as values ------------------------------------------------

#: Which published count stands for a study's size, in order of preference.
HEADLINE_COUNTS = ("enrolled", "randomized", "analysed", "completed")


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
        Count(number, fact.field)
        for fact in publication.facts
        if fact.field != "dropouts" and (number := counted(fact)) is not None
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
    """The count that stands for the study's size: enrolled, else randomized, analysed, completed.

    Of several counts of one kind, the paper's own page speaks before a registry or a
    secondary page, then the first in file order (as `Reading.counts`).
    """
    facts = [f for f in publication.facts if f.field in HEADLINE_COUNTS and counted(f) is not None]
    counts: dict[str, Count] = {}
    for fact in sorted(facts, key=lambda f: page_rank(f.page_kind)):
        counts.setdefault(fact.field, Count(counted(fact) or 0, fact.field))
    return next((counts[kind] for kind in HEADLINE_COUNTS if kind in counts), None)


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
