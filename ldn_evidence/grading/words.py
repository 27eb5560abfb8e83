"""The findings in words: Cochrane plain-language statements, sizes, and the plain-language page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ldn_evidence.model import CONDITIONS, HARM_EVENTS, MEASURES

from .evidence import _EFFECT_WORDS, CERTAINTY, HIGH, PUBLISHED, SURROGATE_MEASURES, VERY_LOW, Evidence, Found

# --- in words --------------------------------------------------------------------------------


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
#: The right verb for a measure, where "improves" reads wrongly: at high, moderate, low certainty, and very uncertain.
_MEASURE_VERBS: dict[str, tuple[str, str, str, str]] = {
    "medication-use": ("reduces", "probably reduces", "may reduce", "reduces"),
    "inflammation": ("lowers", "probably lowers", "may lower", "lowers"),
    "biomarker": ("changes", "probably changes", "may change", "changes"),
    "immune": ("changes", "probably changes", "may change", "changes"),
    "adverse-events": ("increases", "probably increases", "may increase", "increases"),
    "pain": ("reduces", "probably reduces", "may reduce", "reduces"),
    "fatigue": ("reduces", "probably reduces", "may reduce", "reduces"),
    "spasticity": ("reduces", "probably reduces", "may reduce", "reduces"),
    "symptoms": ("reduces", "probably reduces", "may reduce", "reduces"),
}

#: The verb of a very uncertain statement, by what the studies found.
_UNCERTAIN_VERB = {"benefit": "improves", "mixed": "improves", "no-effect": "changes", "harm": "worsens"}


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
    who, reports = ("the study", "reports") if studies == 1 else ("the studies", "report")
    if direction == "disagree":
        if certainty == VERY_LOW:
            return f"The studies disagree on {what}, and we are very uncertain whether LDN improves it."
        return f"The studies disagree on {what}; the certainty that LDN improves it is {CERTAINTY[certainty]}."
    if direction == "unclear":
        if certainty == VERY_LOW:
            return f"We are very uncertain whether LDN changes {what}: {who} {reports} no clear result."
        return f"{who.capitalize()} {reports} no clear result on {what} (certainty {CERTAINTY[certainty]})."
    verbs = _MEASURE_VERBS.get("adverse-events" if event else measure)
    if certainty == VERY_LOW:
        found = "" if direction == "benefit" else f" ({who} found {_EFFECT_WORDS[direction]})"
        verb = verbs[3] if verbs and direction in ("benefit", "mixed") and not event else _UNCERTAIN_VERB[direction]
        if event and direction == "harm":
            verb, found = "increases", ""
        return f"We are very uncertain whether LDN {verb} {what}{found}."
    if verbs and direction == "benefit" and not event:
        return f"LDN {verbs[HIGH - certainty]} {what}."
    if direction == "mixed" and measure in SURROGATE_MEASURES:
        return f"LDN {('changes', 'probably changes', 'may change')[HIGH - certainty]} some aspects of {what}."
    if event and direction == "harm":
        return f"LDN {_MEASURE_VERBS['adverse-events'][HIGH - certainty]} {what}."
    return f"LDN {_PHRASES[direction][HIGH - certainty]} {what}."


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
