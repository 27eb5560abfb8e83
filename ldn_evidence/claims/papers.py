"""The published layer as the checks read it: `published.readings` turned into what each check compares."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ldn_evidence.claims.statements import MEASURE_WORDS, SIZE_WINDOW, stated_doses, stated_outcomes, stated_sizes
from ldn_evidence.discrepancies import of_study
from ldn_evidence.model import (
    COUNT_KINDS,
    DESIGNS,
    TIME_KINDS,
    Catalogue,
    Discrepancy,
    Duration,
)
from ldn_evidence.publications import citation
from ldn_evidence.published import Reading, Said, readings

# --- the published layer ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Fact:
    """One published value with the excerpt that backs it and the page it was read on."""

    value: Any
    """The value: a count, days, milligrams, a year, a design word, or a list of names."""
    text: str
    """The value in the catalogue's own words, for a report."""
    excerpt: str | None
    """Verbatim excerpt of the page (None for a citation's year or authors, seen on the page named)."""
    source: str
    """The page's address."""


#: Which count of people stands for a study's size, in order of preference.
COUNT_ORDER = ("enrolled", "randomized", "analysed", "completed")


@dataclass(frozen=True, slots=True)
class Published:
    """What a study's publication says, as far as the published layer verifies it. Missing means unknown."""

    counts: dict[str, Fact] = field(default_factory=dict)
    """Numbers of people by which count they are: enrolled, randomized, analysed, completed."""
    treatment_days: Fact | None = None
    """The time on LDN, in days."""
    study_days: Fact | None = None
    """The length of the whole study, in days."""
    design: dict[str, Fact] = field(default_factory=dict)
    """design (a key of DESIGNS), blinding, allocation and control, each as the paper says it."""
    dose_mg: Fact | None = None
    """The dose in milligrams (per dose)."""
    year: Fact | None = None
    authors: Fact | None = None
    """value: the authors' surnames, first author first."""
    outcomes: tuple[Fact, ...] = ()
    """What was measured and found; value: the measure keys each names."""
    harms: tuple[Fact, ...] = ()
    """Harms, dropouts or side effects the paper reports; value: serious, common or minor (see HARM_GRADES)."""
    tolerated: tuple[Fact, ...] = ()
    """What it says of safety where it reports no harm ("well tolerated")."""
    curated: tuple[Curated, ...] = ()
    """Differences curated by hand, each with the article's quote."""
    directions: dict[str, tuple[Fact, ...]] = field(default_factory=dict)
    """measure key -> what the paper found for it, where its page says which way: value benefit, no-effect,
    harm, mixed or unclear; the size, where stated, in the text."""
    sizes: dict[str, tuple[Fact, ...]] = field(default_factory=dict)
    """measure key -> the size of what the paper found for it, where its page gives one (value: the size's words,
    "28.8% reduction versus 18.0% reduction; P = 0.016")."""

    @property
    def level(self) -> tuple[int, Fact] | None:
        """The evidence level of the published design, and the fact it comes from."""
        fact = self.design.get("design")
        level = DESIGNS.get(str(fact.value), (None, ""))[0] if fact else None
        return (level, fact) if fact is not None and level is not None else None

    @property
    def measures(self) -> set[str]:
        """Every measure the paper's outcomes name."""
        return {m for fact in self.outcomes for m in fact.value}


@dataclass(frozen=True, slots=True)
class Curated:
    """A difference between an article and the paper, curated with both quotes."""

    kind: str
    seed: str
    article_says: str
    published_says: str
    """One plain sentence, in the catalogue's words."""
    excerpt: str
    source: str


_NO_HARM = re.compile(
    r"\bdid not occur\b|\bdid not report any\b|\bno (?:serious |major )?(?:adverse|side)|\bwell[- ]tolerated\b"
    r"|\brelatively safe\b",
    re.IGNORECASE,
)
#: How serious a reported harm is -> what in an excerpt says so, most serious first.
HARM_GRADES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("serious", re.compile(r"\b(?:dropouts?|withdr\w*|discontinu\w*|major|serious)\b", re.IGNORECASE)),
    ("minor", re.compile(r"\b(?:rare|rarely|minor|transient|mild)\b", re.IGNORECASE)),
    ("common", re.compile(r"\bside effects?\b|\badverse events?\b|\binsomnia\b|\bsleep disturbances?\b", re.I)),
)


def harm_grade(excerpt: str, count: object = None) -> str | None:
    """serious, common or minor for an excerpt that reports a harm; None when it reports none."""
    if count == 0 or _NO_HARM.search(excerpt):
        return None
    return next((grade for grade, pattern in HARM_GRADES if pattern.search(excerpt)), None)


def _measures_named(text: str) -> set[str]:
    """The measure keys a text names."""
    return {key for key, words in MEASURE_WORDS.items() if re.search(rf"\b(?:{words})\b", text, re.IGNORECASE)}


def published_of(reading: Reading, found: Sequence[Discrepancy]) -> Published:
    """A study's published facts as the checks read them, from the published layer's one reading.

    `published.Reading` decides which publication speaks (the first to state a fact gives
    it); this only turns each fact into what a check compares.
    """
    counts = {kind: _fact(said, said.value, f"{said.value} {COUNT_KINDS[kind]}")
              for kind, said in reading.counts().items() if kind in COUNT_ORDER}  # fmt: skip
    times = {kind: _fact(said, Duration.parse(str(said.value)).days, f"{said.value} ({TIME_KINDS[kind]})")
             for kind, said in reading.periods().items()}  # fmt: skip
    design = {name: _fact(said, str(said.value), said.fact.text) for name, said in reading.conduct().items()}
    doses: list[Fact] = []
    for said in reading.doses():
        amounts = stated_doses(str(said.value))
        if amounts:
            doses.append(_fact(said, amounts[0][1], str(said.value)))
    outcomes = []
    directions: dict[str, list[Fact]] = {}
    inferred: dict[str, list[Fact]] = {}
    sizes: dict[str, list[Fact]] = {}
    structured = {said.fact.measure for said in reading.outcomes() if getattr(said.fact, "direction", None)}
    for said in reading.outcomes():
        named = _measures_named(f"{said.fact.text} {said.fact.excerpt}")
        outcomes.append(_fact(said, named, said.fact.text))
        measure, direction = getattr(said.fact, "measure", None), getattr(said.fact, "direction", None)
        if measure and direction:
            size = getattr(said.fact, "size", None)
            text = f"{said.fact.text} ({direction}{'; ' + size if size else ''})"
            directions.setdefault(measure, []).append(_fact(said, direction, text))
            if size:
                sizes.setdefault(measure, []).append(_fact(said, size, f"{said.fact.text} ({size})"))
        elif not direction:
            # No direction recorded: the catalogue's own sentence for the fact may say which way it went
            # ("was not followed by less use of other medicines"), read as an article's sentence is.
            for key, phrase, changed in stated_outcomes(said.fact.text):
                if key not in structured:
                    way = "benefit" if changed else "no-effect"
                    read = f"{said.fact.text} ({way}, as the catalogue's sentence for it says)"
                    inferred.setdefault(key, []).append(_fact(said, way, read))
                    # ... and its size, read as an article's is: the figures just after the measure's words.
                    at = said.fact.text.find(phrase)
                    given = stated_sizes(said.fact.text[at : at + len(phrase) + SIZE_WINDOW])
                    if given:
                        size = ", ".join(g.phrase for g in given)
                        sizes.setdefault(key, []).append(_fact(said, size, f"{said.fact.text} ({size})"))
    harms: list[Fact] = []
    tolerated: list[Fact] = []
    for said in reading.harms():
        grade = harm_grade(said.fact.excerpt, said.value if said.field == "dropouts" else None)
        (harms if grade else tolerated).append(_fact(said, grade, said.fact.text))
    first = reading.publications[0]
    page = first.verified_on[0] if first.verified_on else citation(first)
    year = Fact(first.year, f"published in {first.year}", None, page) if first.year else None
    names = [part.strip().split()[0] for part in (first.authors or "").split(",") if part.strip()]
    authors = Fact(names, first.authors or "", None, page) if names else None
    curated = tuple(Curated(d.kind, d.seed, d.article_says, d.explanation, d.published_says, d.page) for d in found)
    return Published(
        counts, times.get("treatment"), times.get("whole-study"), design, doses[0] if doses else None, year, authors,
        tuple(outcomes), tuple(harms), tuple(tolerated), curated,
        {k: tuple(v) for k, v in (inferred | directions).items()}, {k: tuple(v) for k, v in sizes.items()},
    )  # fmt: skip


def _fact(said: Said, value: Any, text: str) -> Fact:
    """A published fact as a check reads it: its value, words, excerpt and page."""
    return Fact(value, text, said.fact.excerpt, said.fact.page)


def published_layer(catalogue: Catalogue) -> dict[str, Published]:
    """The published facts of each study that has a publication, by study id: the adapter to the published layer.

    Each check reads these first and falls back to the study's own record (as the
    articles report it) where the paper says nothing, and says which it used.
    """
    found = {}
    for study in catalogue.studies:
        reading = readings(catalogue).get(study.id)
        if reading is not None:
            found[study.id] = published_of(reading, of_study(catalogue, study))
    return found
