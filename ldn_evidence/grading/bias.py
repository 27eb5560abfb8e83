"""Risk of bias by domain (after RoB 2): one small function per domain, each quoting its sentence.

A study with papers is judged on their verified excerpts; one without falls back to
what the articles say of its design (`bias_of`).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ldn_evidence.published import Reading, Said

from .evidence import _RESULT_FIELDS, ARTICLES, PUBLISHED, Evidence, Judgement, StudyBias, _percent

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


# --- risk of bias by domain: one small function each --------------------------------------------


def _first(reading: Reading, *fields: str, value: object = None) -> Said | None:
    for said in reading.all(*fields, alone=True):
        if said.value is not None and (value is None or said.value == value):
            return said
    return None


#: A page saying the studies were randomized ("Seven randomized clinical trials", "included RCTs").
RANDOMIZED_WORDS = re.compile(r"\bRCTs?\b|\brandomi[sz]ed\b", re.IGNORECASE)


def _review_randomized(reading: Reading) -> Said | None:
    """The sentence of a review's pages saying the trials it included were randomized; None if none says so."""
    said = reading.all("included-studies", "trials-pooled", "design", alone=True)
    return next((s for s in said if RANDOMIZED_WORDS.search(s.fact.excerpt)), None)


def randomization(reading: Reading, design: str) -> Judgement | None:
    """Randomization and allocation: randomized as a page says, or not randomized, or no comparison group.

    A review's trials are randomized where a page of the review says it included randomized trials.
    """
    said = _first(reading, "design", value="rct") or _first(reading, "randomized")
    if said is None and design == "systematic-review":
        said = _review_randomized(reading)
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


def _secondary(reading: Reading, said: Said) -> bool:
    """True for a count from a secondary analysis: its publication reports results of its own, and another
    publication of the study reports results too (the count speaks for the secondary analysis alone)."""
    with_results = {s.publication.id for s in reading.all(*_RESULT_FIELDS) if s.fact.direction or s.field == "harms"}
    return said.publication.id in with_results and len(with_results) > 1


def missing_data(reading: Reading, design: str) -> Judgement | None:
    """Missing outcome data: more than 20% of those enrolled lost, or losses not stated, is a concern."""
    counts = reading.counts()
    start = counts.get("randomized") or counts.get("enrolled")
    analysed = counts.get("analysed")
    end = (analysed if analysed is not None and not _secondary(reading, analysed) else None) or counts.get("completed")
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


def _names(scale: str) -> list[str]:
    """An instrument's names as a page may write them: "summed pain intensity ratings (SPIR)" -> both, and "SPIR"."""
    inner = re.findall(r"\(([^()]+)\)", scale)
    outer = re.sub(r"\s*\([^()]*\)", "", scale).strip()
    return [name.lower() for name in (outer, *inner) if len(name) >= 3]


def _reports(primary: Said, result: Said) -> bool:
    """True when a reported result (with a direction) is the result of this named primary outcome.

    The same measure key; or, where the primary outcome names no measure key, the
    result's instrument named in the primary outcome's sentence ("The primary outcomes
    were ... (FIQR) scores and summed pain intensity ratings").
    """
    if primary.fact.measure == "safety" and result.field == "harms":
        return True
    if result.fact.direction is None:
        return False
    if primary.fact.measure is not None and result.fact.measure == primary.fact.measure:
        return True
    sentence = primary.fact.excerpt.lower()
    return bool(result.fact.scale) and any(name in sentence for name in _names(result.fact.scale or ""))


def selective_reporting(reading: Reading, design: str) -> Judgement | None:
    """Selective reporting: an outcome registered or named as primary whose result no page reports.

    Each named primary outcome is matched with the results reported for it (see
    `_reports`); one with none is a concern, quoting the sentence that names it.
    """
    registered = _first(reading, "registered-outcome")
    results = [s for s in reading.all(*_RESULT_FIELDS) if s.fact.direction is not None or s.field == "harms"]
    primary = [s for s in reading.all(*_RESULT_FIELDS) if s.fact.primary]
    if registered is None and not primary:
        return None
    missing = [p for p in primary if p.fact.direction is None and not any(_reports(p, r) for r in results)]
    if missing:
        first = missing[0]
        return Judgement("selective-reporting", "high", "a primary outcome is named but no result for it is reported",
                         first.fact.excerpt, first.fact.page)  # fmt: skip
    reported = [r for p in primary for r in results if p is r or _reports(p, r)]
    if registered is not None and not reported:
        return Judgement("selective-reporting", "unclear",
                         "an outcome was registered; no reported result is marked as that outcome",
                         registered.fact.excerpt, registered.fact.page)  # fmt: skip
    said = reported[0] if reported else registered
    assert said is not None
    why = "the primary outcomes' results are reported" if len(primary) > 1 or len(reported) > 1 else (
        "the primary outcome's result is reported")  # fmt: skip
    return Judgement("selective-reporting", "low", why, said.fact.excerpt, said.fact.page)


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


#: High risk in this many domains is a serious concern: two steps down.
SERIOUS_DOMAINS = 3


def study_bias(item: Evidence) -> StudyBias:
    """A study's risk of bias as a whole, from its domains where its papers give them, else from `bias_of`.

    Computed from the study alone (never from the other studies of a row), so one
    study takes the same step in every row that rates it.
    """
    if item.bias is not None:
        return item.bias
    if item.domains:
        concerns = _concerns(item)
        highs = sum(1 for j in concerns if j.judgement == "high")
        steps = 2 if highs >= SERIOUS_DOMAINS else 1 if concerns else 0
        text = "as published: " + "; ".join(_quoted(j) for j in concerns) if concerns else None
        return StudyBias(steps, PUBLISHED, text, item.domains)
    basis, concern = bias_of(item)
    return StudyBias(1 if concern else 0, basis, concern)
