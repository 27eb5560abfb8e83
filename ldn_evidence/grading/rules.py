"""The GRADE rules as a table of small functions: where a rating starts, and each step down.

`starting_point` sets the start from the strongest designs present; each function of
`DOWNGRADES` looks at the rated studies and returns a `Reason` or None; `grade` rates
one outcome and puts it in words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from ldn_evidence.model import MEASURES

from .bias import study_bias
from .evidence import (
    _DIRECTIONS,
    _EFFECT_WORDS,
    ARTICLES,
    AS_ARTICLES,
    CERTAINTY,
    IMPRECISE_BELOW,
    NAMED,
    PUBLISHED,
    SURROGATE_MEASURES,
    TIER,
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
from .words import _sized, disagreement, harm_words, outcome_words, size_words, statement

# --- the rules: where to start, and each step down -----------------------------------------


def starting_point(body: Sequence[Evidence]) -> tuple[int, tuple[Evidence, ...]]:
    """Where the rating starts, and the studies it rests on: those of the strongest designs present.

    A systematic review starts high only as a review of randomized trials: one whose
    pages say it included case reports, retrospective or other uncontrolled studies
    starts where those do (`Evidence.start`). Among designs that start alike, case
    series and reports are listed beside a study of more people (`TIER`). A review
    pools trials: where randomized trials are in the body, they are rated and the
    review is beside, its people not counted. Where reviews are rated alone, they may
    pool the same trials: all are rated for what they found, but only the one that
    pooled the most people is counted (see `kept`).
    """
    start = max(item.starts for item in body)
    rated = tuple(item for item in body if item.starts == start)
    tier = max(TIER.get(item.design, len(TIER)) for item in rated)
    rated = tuple(item for item in rated if TIER.get(item.design, len(TIER)) == tier)
    if any(item.design == "rct" for item in rated):
        rated = tuple(item for item in rated if item.design != "systematic-review")
    reviews = [item for item in rated if item.design == "systematic-review"]
    if len(reviews) > 1:
        keep = max(reviews, key=lambda item: item.participants or 0)
        rated = tuple(i if i is keep or i.design != "systematic-review" else i._replace(counted=False) for i in rated)
    return start, rated


def kept(body: Sequence[Evidence], rated: Sequence[Evidence]) -> str:
    """Which of a review and the trials it may pool was counted, in a sentence; "" where no review is in the body."""
    reviews = [item for item in body if item.design == "systematic-review"]
    if not reviews:
        return ""
    rated_ids = {item.id for item in rated}
    trials = [item for item in rated if item.design != "systematic-review"]
    beside = [item for item in reviews if item.id not in rated_ids]
    if trials and beside:
        return (f"the trials ({_ids(trials)}) are rated and counted; the review(s) {_ids(beside)} pool trials of "
                "this kind and are listed beside, their people not counted again")  # fmt: skip
    uncounted = [item for item in rated if not item.counted]
    if uncounted:
        counted = [item for item in rated if item.counted and item.design == "systematic-review"]
        return (f"the reviews may pool the same trials: their findings are rated, their people counted once, by "
                f"{_ids(counted)} (the most pooled); not counted again: {_ids(uncounted)}")  # fmt: skip
    return ""


def risk_of_bias(rated: Sequence[Evidence], measure: str) -> Reason | None:
    """One step down when any rated study has a concern in a domain of RoB 2; two when one has three at high risk.

    Each study is judged once, on its own (`bias.study_bias`): domain by domain on its
    papers' verified excerpts, each judgement quoting its sentence, else on the
    articles (`bias_of`). The row takes the most serious step among its rated
    studies, so a study weighs the same in every row it is rated in.
    """
    why: dict[str, list[Evidence]] = {}
    bases = []
    domains: list[tuple[str, Judgement]] = []
    steps = 0
    for item in rated:
        judged_ = study_bias(item)
        if judged_.concern is None:
            continue
        steps = max(steps, judged_.steps)
        why.setdefault(judged_.concern, []).append(item)
        domains += [(item.id, j) for j in judged_.domains]
        bases.append(judged_.basis)
    if not why:
        return None
    text = ". ".join(f"{_ids(items)}: {concern}" for concern, items in why.items())
    return Reason("risk-of-bias", steps, text, _basis(bases), tuple(domains))


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
    """The wider of two concerns: the confidence interval, and the number of people (GRADE's optimal information size).

    An interval a page gives that includes no effect cannot tell a benefit from none
    (one step). Whatever the interval, a body of fewer than 400 people counted is
    one step down and fewer than 100 two: a single small study, exploratory
    outcomes included, is imprecise even where its interval excludes no effect.
    People are counted once: a review beside another that pools the same trials,
    and a study whose record says its people may be another's, are not counted again.
    """
    parts: list[str] = []
    steps = 0
    crossing = [(item, found) for item, found, ci in _intervals(rated) if ci[0] < ci[2] < ci[1]]
    if crossing:
        item, found = crossing[0]
        parts.append(f"{item.id}: the confidence interval includes no effect ({found.size})")
        steps = 1
    counted_rated = [item for item in rated if item.counted]
    counted_twice = _double_counted(counted_rated)
    people = sum(item.participants or 0 for item in counted_rated)
    unknown = [item for item in counted_rated if item.participants is None]
    by_count = (
        0 if people - counted_twice >= IMPRECISE_BELOW else 2 if people - counted_twice < VERY_IMPRECISE_BELOW else 1
    )
    counted = [item for item in counted_rated if item.participants is not None]
    if by_count and people == 0:
        parts.append(f"{_ids(counted_rated)}: the number of participants is not reported in the articles or a "
                     "verified publication")  # fmt: skip
    elif by_count:
        limit = VERY_IMPRECISE_BELOW if by_count == 2 else IMPRECISE_BELOW
        text = f"{people} participants in {_ids(counted_rated)}, fewer than {limit}"
        if unknown:
            text += f" (n not reported for {_ids(unknown)})"
        for study, other in overlap_of(counted_rated):
            text += (
                f" ({people - counted_twice} counting {study}'s people among {other}'s, as its record says they may be)"
            )
        kinds = list(dict.fromkeys(item.basis for item in counted))
        if len(kinds) == 1:
            text += f"; counted {kinds[0]}"
        else:
            text += "; counted " + ", ".join(
                f"{kind} for {_ids(i for i in counted if i.basis == kind)}" for kind in kinds
            )
        parts.append(text)
    steps = max(steps, by_count)
    if not steps:
        return None
    bases = [PUBLISHED] if crossing else []
    bases += [ARTICLES if item.basis == AS_ARTICLES else PUBLISHED for item in counted] if by_count else []
    return Reason("imprecision", steps, "; ".join(parts), _basis(bases) if bases else ARTICLES)


def indirect_people(item: Evidence) -> str | None:
    """Why a study's people are narrower than its condition, judged on the study alone; None if they are not."""
    if item.indirect:
        return item.indirect
    if len(item.forms) == 1:
        return f"only people with {item.forms[0].upper()}"
    return None


def indirectness(rated: Sequence[Evidence], measure: str) -> Reason | None:
    """One step down when the measure is a surrogate, or a rated study's people are narrower than the row names.

    One rule for every row: a surrogate measure (medicine use, laboratory values:
    biomarkers, inflammation markers, immune measures such as the CD4 count), and any
    rated study whose population is narrower than the condition (a PPMS-only trial
    rated for "MS", children only), each named. A study is judged once, on itself.
    """
    parts = []
    if measure in SURROGATE_MEASURES and rated:
        parts.append(f"{MEASURES[measure]} is a surrogate, not how patients feel or function ({_ids(rated)})")
    narrow = [(item, why) for item in rated if (why := indirect_people(item)) is not None]
    if narrow:
        parts.append("; ".join(f"{item.id}: {why}" for item, why in narrow) + ": narrower than the row's condition")
    if not parts:
        return None
    published = any(item.domains or item.findings for item, _ in narrow) or (measure in SURROGATE_MEASURES)
    return Reason("indirectness", 1, "; ".join(parts), PUBLISHED if narrow and published else ARTICLES)


def publication_bias(rated: Sequence[Evidence], measure: str) -> Reason | None:
    """One step down for a body that may be a biased selection; assessed on every row.

    Signals: every rated study was chosen by the press (retold by an article, and no
    documented search covered the condition to find others); the rated studies are
    few and small (under 400 people counted) and all found a benefit; or registered
    trials of the condition ended with no results seen. Trials still recruiting, or
    with later time points not yet seen, are named in the row (see `pending_words`)
    but are not a step: their results are not yet due.
    """
    signals = []
    if rated and all(item.retold and not item.searched for item in rated):
        signals.append(f"every rated study ({_ids(rated)}) is one the articles chose to retell, and no documented "
                       "search covered the condition")  # fmt: skip
    people = sum(item.participants or 0 for item in rated if item.counted)
    if rated and all(item.effect == "benefit" for item in rated) and people < IMPRECISE_BELOW:
        size = f"{people} people" if people else "its number of people not reported"
        signals.append(f"a small body ({size}) of positive studies only")
    unreported = rated[0].unreported if rated else ()
    if unreported:
        signals.append(f"{len(unreported)} registered trial(s) in this condition ended with no results seen: "
                       + ", ".join(unreported[:NAMED]))  # fmt: skip
    if not signals:
        return None
    return Reason("publication-bias", 1, "; ".join(signals), PUBLISHED if unreported else ARTICLES)


#: Why trials still running are named beside publication bias but are not a step down.
NOT_DUE = "named, not a step: their results are not yet due"


def pending_words(rated: Sequence[Evidence]) -> str:
    """The registered trials of the condition whose results are not (all) in the catalogue, in words; "" if none."""
    pending = rated[0].pending if rated else ()
    if not pending:
        return ""
    return f"{len(pending)} registered trial(s) in this condition with results not in the catalogue: " + "; ".join(
        pending[:NAMED]
    )


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
    what = outcome_words(condition, measure, event)
    if event and any(f.excerpt for item in rated for f in item.findings):
        lead = statement(certainty, direction, condition, measure, len(rated), event) if direction != "unclear" else (
            f"We are very uncertain about {what} with LDN." if certainty == VERY_LOW
            else f"The evidence on {what} with LDN is of {CERTAINTY[certainty]} certainty.")  # fmt: skip
        words = f"{lead} {harm_words(rated)}"
    elif direction == "disagree" and any(item.findings for item in rated):
        words = disagreement(rated, what, certainty)
    else:
        sized = [f for item in rated if (f := _sized(item)) is not None]
        size = size_words(sized[0]) if len(rated) == 1 and sized else ""
        # "The studies found no effect" speaks only for the studies that found it; the others are named.
        unclear = [item for item in rated if item.effect not in _DIRECTIONS] if direction in _DIRECTIONS else []
        words = statement(certainty, direction, condition, measure, len(rated) - len(unclear), event, size)
        if unclear:
            words += (f" Of the {len(rated)} studies rated, {_ids(unclear)} "
                      f"report{'s' if len(unclear) == 1 else ''} no clear result.")  # fmt: skip
    caveats = list(dict.fromkeys(f"{item.id}: {f.caveat}" for item in rated for f in item.findings if f.caveat))
    if caveats:
        words += " Why not a benefit: " + "; ".join(caveats) + "."
    bias = next((r for r in reasons if r.domain == "publication-bias"), None)
    pending = pending_words(rated)
    if bias:
        assessed = f"suspected: {bias.text}" + (f"; also {pending} ({NOT_DUE})" if pending else "")
    else:
        assessed = "assessed: no signal found (" + _no_signal(rated, pending) + ")"
    return Outcome(
        condition, measure, tuple(body), rated, start, reasons, certainty, direction, words, overlap_of(rated),
        event, assessed, not_rated, kept(body, rated),
    )  # fmt: skip


def _no_signal(rated: Sequence[Evidence], pending: str) -> str:
    searched = "a documented search covered the condition" if any(i.searched or not i.retold for i in rated) else ""
    trials = (
        f"no registered trial of the condition ended without results; {pending} ({NOT_DUE})"
        if pending
        else "no registered trial of the condition in the catalogue is without results"
    )
    return "; ".join(x for x in (searched, trials) if x)
