"""The GRADE rules as a table of small functions: where a rating starts, and each step down.

`starting_point` sets the start from the strongest designs present; each function of
`DOWNGRADES` looks at the rated studies and returns a `Reason` or None; `grade` rates
one outcome and puts it in words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from ldn_evidence.model import MEASURES

from .bias import _concerns, _quoted, bias_of
from .evidence import (
    _DIRECTIONS,
    _EFFECT_WORDS,
    ARTICLES,
    AS_ARTICLES,
    CERTAINTY,
    IMPRECISE_BELOW,
    NAMED,
    PUBLISHED,
    START,
    SURROGATE_MEASURES,
    VERY_IMPRECISE_BELOW,
    VERY_LOW,
    Evidence,
    Found,
    Judgement,
    Outcome,
    Reason,
    _basis,
    _double_counted,
    _ids,
    overlap_of,
)
from .words import _sized, disagreement, outcome_words, size_words, statement

# --- the rules: where to start, and each step down -----------------------------------------


def starting_point(body: Sequence[Evidence]) -> tuple[int, tuple[Evidence, ...]]:
    """Where the rating starts, and the studies it rests on: those of the strongest designs present."""
    start = max(START[item.design] for item in body)
    rated = tuple(item for item in body if START[item.design] == start)
    # A review pools trials: where the trials themselves are in the body, they are rated and the review is beside.
    if any(item.design == "rct" for item in rated):
        rated = tuple(item for item in rated if item.design != "systematic-review")
    return start, rated


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
