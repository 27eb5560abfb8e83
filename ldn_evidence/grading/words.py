"""The findings in words: Cochrane plain-language statements, sizes, and the plain-language page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ldn_evidence.model import CONDITIONS, HARM_EVENTS, MEASURES

from .evidence import _EFFECT_WORDS, CERTAINTY, PUBLISHED, SURROGATE_MEASURES, VERY_LOW, Evidence, Found

# --- in words --------------------------------------------------------------------------------


_SHORT_CONDITION = {"ms": "MS", "crps": "CRPS", "ibs": "IBS"}
#: A measure as the object of a sentence, where its label alone reads wrongly.
_MEASURE_WORDS = {
    "biomarker": "biomarker levels",
    "inflammation": "inflammation markers",
    "medication-use": "the use of other medicines",
    "remission": "the chance of remission",
    "response": "the chance of responding to treatment",
    "safety": "unwanted effects",
}

#: A verb as (he/she/it form, plain form): "reduces"/"may reduce".
Verb = tuple[str, str]
_IMPROVE: Verb = ("improves", "improve")
_REDUCE: Verb = ("reduces", "reduce")
_INCREASE: Verb = ("increases", "increase")
_CHANGE: Verb = ("changes", "change")
_WORSEN: Verb = ("worsens", "worsen")
_NO_DIFFERENCE: Verb = ("makes little or no difference to", "make little or no difference to")

#: The verb for a benefit on a measure, where "improves" reads wrongly (never "improves" a surrogate).
_BENEFIT_VERBS: dict[str, Verb] = {
    "medication-use": _REDUCE,
    "inflammation": ("lowers", "lower"),
    "biomarker": _CHANGE,
    "immune": _CHANGE,
    "pain": _REDUCE,
    "fatigue": _REDUCE,
    "spasticity": _REDUCE,
    "symptoms": _REDUCE,
    "remission": _INCREASE,
    "response": _INCREASE,
    "safety": _REDUCE,
    "disease-activity": _REDUCE,
}
#: The verb for harm on a measure, where "worsens" reads wrongly.
_HARM_VERBS: dict[str, Verb] = {
    "pain": _INCREASE, "fatigue": _INCREASE, "symptoms": _INCREASE, "safety": _INCREASE,
    "remission": _REDUCE, "response": _REDUCE, "medication-use": _INCREASE, "biomarker": _CHANGE, "immune": _CHANGE,
}  # fmt: skip


def verb_for(direction: str, measure: str, event: str | None = None) -> Verb | None:
    """The verb for what the studies found on a measure (or an unwanted event); None where no one verb says it.

    An unwanted event is increased (harm) or reduced (benefit); a benefit takes the
    measure's own verb ("reduces pain", "increases the chance of remission", "changes
    biomarker levels"); no effect is "makes little or no difference to".
    """
    if direction == "no-effect":
        return _NO_DIFFERENCE
    if event:
        return {"harm": _INCREASE, "benefit": _REDUCE}.get(direction)
    if direction == "benefit":
        return _BENEFIT_VERBS.get(measure, _IMPROVE)
    if direction == "harm":
        return _HARM_VERBS.get(measure, _WORSEN)
    return None


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
    """Cochrane's wording: high "LDN reduces", moderate "probably", low "may", very low "we are very uncertain"."""
    who, reports = ("the study", "reports") if studies == 1 else ("the studies", "report")
    if direction == "disagree":
        if certainty == VERY_LOW:
            return f"The studies disagree on {what}, and we are very uncertain about the effect of LDN on it."
        return f"The studies disagree on {what}; the certainty of the evidence is {CERTAINTY[certainty]}."
    if direction == "unclear":
        if certainty == VERY_LOW:
            return f"We are very uncertain about the effect of LDN on {what}: {who} {reports} no clear result."
        return f"{who.capitalize()} {reports} no clear result on {what} (certainty {CERTAINTY[certainty]})."
    verb = verb_for(direction, measure, event)
    if direction == "mixed":
        change = _CHANGE if measure in SURROGATE_MEASURES or event else _BENEFIT_VERBS.get(measure, _IMPROVE)
        verb = (f"{change[0]} some aspects of", f"{change[1]} some aspects of")
    assert verb is not None
    if certainty == VERY_LOW:
        found = "" if direction == "benefit" else f" ({who} found {_EFFECT_WORDS[direction]})"
        if direction == "no-effect":
            return f"We are very uncertain whether LDN makes any difference to {what}{found}."
        return f"We are very uncertain whether LDN {verb[0]} {what}{found}."
    how = ("", "may ", "probably ", "")[certainty]
    return f"LDN {how}{verb[1] if certainty == 1 else verb[0]} {what}."


#: A design in the plural, for "In 2 trials (197 people)".
_DESIGN_WORDS = {"rct": ("trial", "trials"), "systematic-review": ("review", "reviews")}


def harm_words(rated: Sequence[Evidence]) -> str:
    """An unwanted event in the manner of Cochrane's harms: how many studies and people, then what each page states.

    "In 2 trials (197 people): fibromyalgia-bruun-2024-final-rct: 4 of 49 on LDN ...". The
    sizes are the pages' own (a size where one is stated, else the sentence quoted).
    """
    designs = {item.design for item in rated}
    kind = _DESIGN_WORDS.get(designs.pop(), ("study", "studies")) if len(designs) == 1 else ("study", "studies")
    counted = [item for item in rated if item.counted and item.participants is not None]
    people = sum(item.participants or 0 for item in counted)
    basis = "; ".join(dict.fromkeys(item.basis for item in counted))
    who = f"{people} people, {basis}" if counted else "number of people not reported"
    parts = []
    for item in rated:
        stated = [f for f in item.findings if f.layer == PUBLISHED and f.excerpt]
        said = "; ".join(dict.fromkeys(f.size or f'"{f.excerpt}"' for f in stated)) or "as the articles report it"
        parts.append(f"{item.id}: {said}")
    said = f"In {len(rated)} {kind[0] if len(rated) == 1 else kind[1]} ({who}): " + "; ".join(parts)
    return said if said.endswith((".", '."')) else said + "."


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
        pending = row["publication_bias"].split("with results not in the catalogue: ", 1)
        if len(pending) == 2:
            page["unreported"].add(pending[1].split(" (named, not a step", 1)[0])
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
