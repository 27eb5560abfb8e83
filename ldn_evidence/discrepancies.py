"""Where the articles' account of a study differs from its publication.

Two sources of discrepancies, one shape (`model.Discrepancy`):

* *computed*: wherever both layers hold a structured value (n, duration, design,
  dose, year), a rule compares them. Each rule is one small function in `RULES`,
  so a new study gets its discrepancies without anyone typing them;
* *curated*: prose differences (what was found, harms left out, who did it, who
  was studied) are written in the catalogue, each with the article's quote and the
  publication's excerpt.

A computed discrepancy quotes the article's sentences that state the value (one
discrepancy per document that states it) and the excerpt of the fact it is compared
with. Plain data out; nothing here prints.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from .errors import UnknownValue
from .model import (
    DESIGNS,
    DISCREPANCY_KINDS,
    TIME_FIELDS,
    TIME_KINDS,
    Catalogue,
    Count,
    Discrepancy,
    Dose,
    Duration,
    Period,
    Publication,
    PublishedFact,
    Study,
    level_label,
)
from .publications import citation, is_address
from .published import HEADLINE_COUNTS, published_values, reported_values

#: Lengths of time closer than this (as a share of the longer) are the same length: "6 months" is "26 weeks".
SAME_LENGTH = 0.03
#: Years this close are not flagged: an article may give the print year and the record the online one.
YEAR_SLACK = 1

#: How a count reads after "the number ...".
_COUNTED = {"enrolled": "enrolled", "randomized": "randomized", "completed": "who completed", "analysed": "analysed"}
#: Which kind of time stands for time on LDN, in order of preference.
_HEADLINE_TIMES = ("treatment", "whole-study")


def _quotes_stating(study: Study, number: float | None) -> list[tuple[str, str]]:
    """(seed, quote) of the first quote in each document that states `number` (every document's first if None)."""
    from .text import fold, states_number

    chosen: dict[str, str] = {}
    for source in study.sources:
        if source.seed in chosen:
            continue
        if number is None or states_number(fold(source.quote).lower(), number):
            chosen[source.seed] = source.quote
    if not chosen and study.sources:
        first = study.sources[0]
        chosen[first.seed] = first.quote
    return list(chosen.items())


def _found(
    kind: str, study: Study, publication: Publication, number: float | None, fact: PublishedFact, explanation: str
) -> list[Discrepancy]:
    """One computed discrepancy for each document whose quote states the article's value."""
    return [
        Discrepancy(
            kind=kind, seed=seed, article_says=quote, published_says=fact.excerpt, page=fact.page,
            page_kind=fact.page_kind, explanation=explanation, study=study.id, publication=publication.id,
            computed=True,
        )
        for seed, quote in _quotes_stating(study, number)
    ]  # fmt: skip


def _fact(publication: Publication, fields: Iterable[str], value: Any) -> PublishedFact:
    """The first fact about one of `fields` whose value is `value` (the values come from the facts)."""
    wanted = set(fields)
    return next(f for f in publication.facts if f.field in wanted and _same_value(f, value))


def _same_value(fact: PublishedFact, value: Any) -> bool:
    if isinstance(value, Count):
        return fact.value == value.number
    if isinstance(value, Period):
        return fact.value == value.duration.text and TIME_FIELDS.get(fact.field) == value.kind
    return bool(fact.value == value)


# --- the rules: (study, publication) -> discrepancies -----------------------------------------------


def n_rule(study: Study, publication: Publication) -> list[Discrepancy]:
    """The article's number of people against the paper's headline count (enrolled, else randomized, ...).

    A number that matches another of the paper's counts (60 who completed, of 80
    enrolled) is still a discrepancy, and says that it only counts differently.
    """
    said = reported_values(study).counts
    counts = {count.kind: count for count in published_values(publication).counts}
    headline = next((counts[kind] for kind in HEADLINE_COUNTS if kind in counts), None)
    if not said or headline is None or said[0].number == headline.number:
        return []
    number = said[0].number
    other = next((c for c in counts.values() if c.number == number), None)
    if other is not None:
        explanation = (
            f"The article's {number} is the number {_COUNTED[other.kind]}; {headline.number} were "
            f"{headline.kind}, so the two count people differently."
        )
    else:
        explanation = f"The article gives {number} people; the paper gives {headline.number} {headline.kind}."
    fact = _fact(publication, [headline.kind], headline)
    return _found("n", study, publication, number, fact, explanation)


def _same_length(a: float, b: float) -> bool:
    return abs(a - b) <= SAME_LENGTH * max(a, b)


def duration_rule(study: Study, publication: Publication) -> list[Discrepancy]:
    """The article's length of time against the paper's time on LDN (the treatment period, else the whole study).

    A length that matches the paper's other kind of time (the whole study, not the
    treatment) is still a discrepancy, and says what kind of time it is. Where the
    length matches, the documents' own wording is read (`trial_length_rule`).
    """
    if study.duration is None:
        return []
    periods = {period.kind: period for period in published_values(publication).periods}
    headline = next((periods[kind] for kind in _HEADLINE_TIMES if kind in periods), None)
    if headline is None or _same_length(study.duration.days, headline.duration.days):
        return trial_length_rule(study, publication)
    said = study.duration.text
    other = next((p for p in periods.values() if _same_length(p.duration.days, study.duration.days)), None)
    if other is not None:
        explanation = (
            f"The article's {said} is the {TIME_KINDS[other.kind]}; the {TIME_KINDS[headline.kind]} "
            f"was {headline.duration.text}, so the two are different kinds of time."
        )
    else:
        explanation = (
            f"The article gives {said}; the paper gives {headline.duration.text} ({TIME_KINDS[headline.kind]})."
        )
    fact = _fact(publication, TIME_FIELDS, headline)
    return _found("duration", study, publication, _leading(said), fact, explanation)


#: A length given as the trial's own: "an eight-week trial", "the seventeen-week-long study".
_TRIAL_LENGTH = re.compile(
    r"\b((?:[0-9]+(?:\.[0-9]+)?|[a-z]+)[\s-]*(?:day|week|month|year)s?)(?:[\s-]+long)?[\s-]+(?:trial|study|pilot)\b",
    re.IGNORECASE,
)


def trial_lengths(quote: str) -> list[Duration]:
    """The lengths a quote gives as the whole trial's ("an eight-week trial"); "for eight weeks" is not one."""
    lengths = []
    for match in _TRIAL_LENGTH.finditer(quote):
        try:
            lengths.append(Duration.parse(match.group(1), "whole-study"))
        except ValueError:  # a word that is not a number ("a long-term study")
            continue
    return lengths


def _plural(text: str) -> str:
    """'eight-week' -> 'eight weeks', as a length reads on its own."""
    words = re.sub(r"[\s-]+", " ", text.strip())
    return words if words.endswith("s") or re.match(r"(?:1|one|a|an) ", words, re.I) else words + "s"


def trial_length_rule(study: Study, publication: Publication) -> list[Discrepancy]:
    """A document that gives a length as the whole trial's, where the paper's whole study was another length.

    The record's one duration cannot show this when it agrees with the paper's
    treatment period: "the eight-week trial" is right about the time on LDN and
    wrong about the trial, which ran longer. Each document's quotes are read for a
    length said of the trial itself, and the first that differs from the paper's
    whole-study length is the discrepancy.
    """
    periods = {period.kind: period for period in published_values(publication).periods}
    whole = periods.get("whole-study")
    if whole is None:
        return []
    fact = _fact(publication, TIME_FIELDS, whole)
    out: list[Discrepancy] = []
    seen: set[str] = set()
    for source in study.sources:
        if source.seed in seen:
            continue
        said = next((d for d in trial_lengths(source.quote) if not _same_length(d.days, whole.duration.days)), None)
        if said is None:
            continue
        seen.add(source.seed)
        treatment = periods.get("treatment")
        length = _plural(said.text)
        if treatment is not None and _same_length(said.days, treatment.duration.days):
            explanation = (
                f"The article gives {length} as the trial's length; that was the time on LDN, "
                f"and the whole study ran {whole.duration.text}."
            )
        else:
            explanation = f"The article gives {length} as the trial's length; the study ran {whole.duration.text}."
        out.append(
            Discrepancy(
                kind="duration", seed=source.seed, article_says=source.quote, published_says=fact.excerpt,
                page=fact.page, page_kind=fact.page_kind, explanation=explanation, study=study.id,
                publication=publication.id, computed=True,
            )
        )  # fmt: skip
    return out


def _same_dose(a: Dose, b: Dose) -> bool:
    """The same amount a day where both state a schedule; else the same amount a dose."""
    if a.mg_per_day is not None and b.mg_per_day is not None:
        return abs(a.mg_per_day - b.mg_per_day) < 1e-9
    return a.mg_per_dose is not None and b.mg_per_dose is not None and abs(a.mg_per_dose - b.mg_per_dose) < 1e-9


def dose_rule(study: Study, publication: Publication) -> list[Discrepancy]:
    """The article's dose against every dose the paper gives: a discrepancy if none is the same.

    The same means the same amount a day where both state a schedule, else the same amount a dose.
    """
    doses = published_values(publication).doses
    if study.dose is None or not doses:
        return []
    if any(_same_dose(dose, study.dose) for dose in doses):
        return []
    given = ", ".join(dose.text for dose in doses)
    explanation = f"The article gives {study.dose.text}; the paper gives {given}."
    fact = _fact(publication, ["dose"], doses[0].text)
    return _found("dose", study, publication, _leading(study.dose.text), fact, explanation)


def design_rule(study: Study, publication: Publication) -> list[Discrepancy]:
    """The article's design against the paper's, where the articles state one and a fact gives the paper's."""
    said, paper = reported_values(study).design, published_values(publication).design
    if said is None or paper is None or said == paper:
        return []
    explanation = (
        f"The articles' account makes it {DESIGNS[said][1]}, {level_label(DESIGNS[said][0])}; "
        f"the paper describes {DESIGNS[paper][1]}, {level_label(DESIGNS[paper][0])}."
    )
    fact = _fact(publication, ["design"], paper)
    return _found("design", study, publication, None, fact, explanation)


def year_rule(study: Study, publication: Publication) -> list[Discrepancy]:
    """The article's year against the publication's, allowing `YEAR_SLACK` (online versus print dates).

    The paper's side is its citation as catalogued, read on the first page it was verified on.
    """
    if study.year is None or publication.year is None or abs(study.year - publication.year) <= YEAR_SLACK:
        return []
    pages = [page for page in publication.verified_on if is_address(page)] or list(publication.verified_on)
    citation_fact = PublishedFact(
        field="design", text="", excerpt=citation(publication), page=pages[0] if pages else "",
        page_kind="bibliographic-record",
    )  # fmt: skip
    explanation = f"The article dates it {study.year}; the publication is from {publication.year}."
    return _found("year", study, publication, float(study.year), citation_fact, explanation)


#: Kind -> the rule that computes it. One function each, each tested on its own.
RULES: dict[str, Callable[[Study, Publication], list[Discrepancy]]] = {
    "n": n_rule,
    "duration": duration_rule,
    "design": design_rule,
    "dose": dose_rule,
    "year": year_rule,
}


def _leading(text: str) -> float | None:
    from .text import leading_number

    number = leading_number(text)
    return None if number != number else number


# --- queries ----------------------------------------------------------------------------------------


def resolve_kind(value: str) -> str:
    """A typed discrepancy kind -> its key ('N' -> 'n'); raises UnknownValue naming the valid kinds."""
    import difflib

    word = value.strip().lower()
    if word in DISCREPANCY_KINDS:
        return word
    close = difflib.get_close_matches(word, list(DISCREPANCY_KINDS), n=1, cutoff=0.5)
    raise UnknownValue("kind", value, list(DISCREPANCY_KINDS), close)


def computed(study: Study, publication: Publication) -> list[Discrepancy]:
    """Every discrepancy the rules find between a study's articles and one of its publications."""
    return [found for rule in RULES.values() for found in rule(study, publication)]


_KIND_ORDER = {kind: i for i, kind in enumerate(DISCREPANCY_KINDS)}


def of_study(catalogue: Catalogue, study: Study) -> list[Discrepancy]:
    """Every discrepancy of one study, computed and curated, by kind then document.

    Where the catalogue also writes a discrepancy of a computed kind for the same
    document, the written one stands and the computed one is not repeated.
    """
    found: list[Discrepancy] = []
    for publication in catalogue.publications_of(study.id):
        curated = [d for d in publication.discrepancies if d.study == study.id]
        written = {(d.kind, d.seed) for d in curated}
        found += [d for d in computed(study, publication) if (d.kind, d.seed) not in written]
        found += curated
    return sorted(found, key=lambda d: (_KIND_ORDER[d.kind], d.seed))


def find_all(
    catalogue: Catalogue, studies: Sequence[Study], kind: str | None = None, seed: str | None = None
) -> list[Discrepancy]:
    """The discrepancies of these studies (in their order), of one kind and one document if asked."""
    out = []
    for study in studies:
        for found in of_study(catalogue, study):
            if (kind is None or found.kind == kind) and (seed is None or found.seed == seed):
                out.append(found)
    return out


def differing(catalogue: Catalogue, studies: Sequence[Study]) -> set[str]:
    """The ids of the studies whose articles differ from the paper somewhere."""
    return {study.id for study in studies if of_study(catalogue, study)}


def misreports(catalogue: Catalogue, seed: str, retold: Iterable[str]) -> dict[str, Any]:
    """How often one document differs from the papers: studies it misreports, of those it retells, by kind.

    A study counts as retold if the document is one of its sources or if a
    discrepancy quotes the document about it.
    """
    found = [d for study in catalogue.studies for d in of_study(catalogue, study) if d.seed == seed]
    misreported = list(dict.fromkeys(d.study for d in found if d.study is not None))
    told = list(dict.fromkeys([*retold, *misreported]))
    kinds = Counter(d.kind for d in found)
    return {
        "studies": len(told),
        "misreported": misreported,
        "kinds": {kind: kinds[kind] for kind in DISCREPANCY_KINDS if kind in kinds},
    }
