"""The vocabularies: every keyed word list the records draw on, and the groups of fields named by them.

Plain dicts and sets of keys and labels (and `level_label`): the loader checks values against them,
the schema lists them, the views print their labels. `model` re-exports every name, so
`from ldn_evidence.model import DESIGNS` reads the same table.
"""

from __future__ import annotations

# --- what the articles report -------------------------------------------------

#: design key -> (evidence level or None, plain-language label). Levels follow
#: the Oxford CEBM 2011 table for a treatment's benefit; 1 is strongest.
DESIGNS: dict[str, tuple[int | None, str]] = {
    "systematic-review": (1, "systematic review of randomized trials"),
    "rct": (2, "randomized controlled trial"),
    "controlled-trial": (3, "controlled trial, not randomized"),
    "cohort": (3, "cohort study with a concurrent comparison group"),
    "open-label": (4, "open-label study, everyone gets LDN"),
    "before-after": (4, "before-and-after comparison, no concurrent control"),
    "retrospective": (4, "retrospective chart review or survey"),
    "case-series": (4, "case series"),
    "case-report": (4, "case report, one patient"),
    "animal": (5, "animal experiment"),
    "in-vitro": (5, "laboratory experiment on cells"),
    "hypothesis": (5, "published hypothesis, no data"),
    "unspecified": (None, "design not stated in the documents"),
}

#: Designs that study no people: counted apart as preclinical work.
PRECLINICAL_DESIGNS = frozenset({"animal", "in-vitro", "hypothesis"})

#: The weakest level; a design with no level sorts after it.
MAX_LEVEL = 5

#: condition key -> (label, aliases a user may type). Matching is case-insensitive.
CONDITIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "ms": ("multiple sclerosis", ("multiple sclerosis", "multiple-sclerosis")),
    "crohns": ("Crohn's disease", ("crohn", "crohn's disease", "crohn's", "crohns disease")),
    "fibromyalgia": ("fibromyalgia", ()),
    "crps": ("complex regional pain syndrome", ("complex regional pain syndrome",)),
    "chronic-low-back-pain": ("chronic low back pain", ("back pain", "low back pain")),
    "hiv-aids": ("HIV/AIDS", ("hiv", "aids", "hiv/aids")),
    "ibs": ("irritable bowel syndrome", ("irritable bowel syndrome",)),
    "cfs": ("chronic fatigue syndrome", ("chronic fatigue syndrome",)),
    "psoriasis": ("psoriasis", ()),
    "cancer": ("cancer", ()),
    "ibd": (
        "inflammatory bowel disease",
        ("inflammatory bowel disease", "ulcerative colitis", "inflammatory-bowel-disease", "ulcerative-colitis"),
    ),
    "chronic-pain": ("chronic pain, several conditions", ("chronic pain",)),
}

#: Forms of MS that are population detail of the `ms` condition. Filtering by
#: one of them finds the MS studies whose population names that form.
MS_FORMS: dict[str, tuple[str, ...]] = {
    "ppms": ("ppms", "primary-progressive", "primary progressive"),
    "rrms": ("rrms", "relapsing-remitting", "relapsing remitting"),
    "spms": ("spms", "secondary progressive", "secondary-progressive"),
}

#: effect key -> label.
EFFECTS: dict[str, str] = {
    "benefit": "benefit",
    "no-effect": "no effect",
    "harm": "harm",
    "mixed": "mixed",
    "unclear": "unclear",
}

#: measure key -> label: what a finding measured.
MEASURES: dict[str, str] = {
    "quality-of-life": "quality of life",
    "mental-health": "mental health",
    "pain": "pain",
    "fatigue": "fatigue",
    "weakness": "weakness",
    "spasticity": "spasticity",
    "disability": "disability",
    "cognition": "cognition",
    "symptoms": "overall symptom severity",
    "medication-use": "use of other medicines",
    "inflammation": "inflammation",
    "biomarker": "biomarker",
    "safety": "safety",
    "sleep": "sleep",
    "mood": "mood",
    "remission": "remission",
    "disease-activity": "disease activity",
    "well-being": "well-being",
    "immune": "immune measures",
    "function": "physical function",
    "response": "response to treatment",
    "survival": "survival",
    "adverse-events": "adverse events",
}

#: What people type for a design -> its key (compared ignoring case, hyphens and underscores).
DESIGN_ALIASES: dict[str, str] = {
    "randomized": "rct",
    "randomised": "rct",
    "randomized trial": "rct",
    "randomised trial": "rct",
    "randomized controlled trial": "rct",
    "randomised controlled trial": "rct",
    "randomized clinical trial": "rct",
    "randomised clinical trial": "rct",
    "non randomized": "controlled-trial",
    "non randomised": "controlled-trial",
    "non randomized controlled trial": "controlled-trial",
    "non randomised controlled trial": "controlled-trial",
    "mouse": "animal",
    "mice": "animal",
    "cell": "in-vitro",
    "cells": "in-vitro",
}

#: Words people take for a design that say something else about a study -> what to use instead.
NOT_DESIGNS: dict[str, str] = {
    "placebo controlled": (
        "A placebo says what the comparison group got, not how people were put in it: a randomized "
        "placebo-controlled trial is 'rct', a non-randomized one 'controlled-trial' (repeat --design for both)"
    ),
    "placebo": (
        "A placebo says what the comparison group got, not how people were put in it: a randomized "
        "placebo-controlled trial is 'rct', a non-randomized one 'controlled-trial' (repeat --design for both)"
    ),
    "double blind": (
        "Blinding says who knew who got what, not how people were put in groups: a randomized "
        "double-blind trial is 'rct', a non-randomized one 'controlled-trial' (repeat --design for both)"
    ),
}

#: What people type for a measure -> its key.
MEASURE_ALIASES: dict[str, str] = {
    "qol": "quality-of-life",
    "hrqol": "quality-of-life",
    "health related quality of life": "quality-of-life",
    "spasms": "spasticity",
}

#: kind of source document -> label.
DOCUMENT_KINDS: dict[str, str] = {
    "news": "news article",
    "patient-column": "patient's column",
    "community-article": "community article",
    "pharmacy-marketing": "a pharmacy's marketing post",
    "journal-article": "journal article",
    "other": "other",
}

#: topic of a general caution -> label.
CAUTION_TOPICS: dict[str, str] = {
    "side-effects": "side effects",
    "interactions": "interactions",
    "regulatory": "approval status",
    "evidence": "state of the evidence",
    "see-a-clinician": "see a clinician",
    "other": "other",
}

#: Kinds of document that sell what they describe: a record resting only on such
#: documents says so wherever it is shown ("who is telling it").
COMMERCIAL_KINDS = frozenset({"pharmacy-marketing"})

#: kind of time a duration is -> label. Different kinds are never put on one scale.
DURATION_KINDS: dict[str, str] = {
    "treatment": "treatment period",
    "whole-study": "whole study",
    "follow-up": "follow-up",
    "median-on-ldn": "median time on LDN",
}


def level_label(level: int | None) -> str:
    """Plain words for an evidence level: "Level 2 of 5 (1 is strongest)" or "no level"."""
    return "no level (design not stated)" if level is None else f"Level {level} of {MAX_LEVEL} (1 is strongest)"


# --- the published layer -------------------------------------------------------

#: Kind of public page an excerpt was read on -> label. Weaker kinds last.
PAGE_KINDS: dict[str, str] = {
    "abstract": "abstract",
    "registry": "registry entry",
    "conference-abstract": "conference abstract",
    "bibliographic-record": "bibliographic record",
    "publisher-page": "publisher's page",
    "full-text": "copy of the full text",
    "figure-legend": "figure legend",
    "secondary": "secondary report (press release, news or blog)",
}

#: Which count a number of people is -> label.
COUNT_KINDS: dict[str, str] = {
    "enrolled": "enrolled",
    "randomized": "randomized",
    "completed": "completed",
    "analysed": "analysed",
    "stated": "as the article gives it (which count is not said)",
}

#: What kind of time a duration is -> label.
TIME_KINDS: dict[str, str] = {
    "treatment": "treatment period",
    "whole-study": "whole study",
    "stated": "as the article gives it (what kind of time is not said)",
}

#: What a published fact is about -> label.
FACT_FIELDS: dict[str, str] = {
    "enrolled": "people enrolled",
    "randomized": "people randomized",
    "completed": "people who completed",
    "analysed": "people analysed",
    "design": "design",
    "blinding": "blinding",
    "allocation": "crossover, parallel or single group",
    "control": "control",
    "treatment-period": "treatment period",
    "study-length": "length of the whole study",
    "dose": "dose and schedule",
    "outcome": "what was measured and found",
    "harms": "adverse events",
    "dropouts": "dropouts",
    "population": "who was studied",
    "place": "where",
    "screened": "people screened",
    "planned": "planned enrolment",
    "status": "registry status",
    "start": "start date",
    "completion": "completion date",
    "results": "results posted or published",
    "year": "year",
    "registered-outcome": "outcome as registered",
    "conclusion": "the authors' conclusion",
    "funding": "sponsor or funder",
    "trials-pooled": "trials pooled",
    "people-pooled": "people pooled",
    "pooled-result": "pooled result",
    "certainty": "the review's certainty",
    "included-studies": "studies the review included",
}

#: Fact fields whose value is a number of people (the field names the count).
COUNT_FIELDS = frozenset({"enrolled", "randomized", "completed", "analysed", "dropouts"})
#: Every fact field whose value is a number of people, including those that are not a count of
#: the study's own participants (screened, planned, pooled by a review).
PEOPLE_FIELDS = COUNT_FIELDS | {"screened", "planned", "people-pooled"}
#: Fact fields whose value is a number of trials or studies.
TRIAL_FIELDS = frozenset({"trials-pooled"})
#: Fact fields whose value is a date as stated (YYYY, YYYY-MM or YYYY-MM-DD).
DATE_FIELDS = frozenset({"start", "completion"})
#: Fact fields that may carry what an outcome measured and found (measure, direction, size, ...).
RESULT_FIELDS = frozenset({"outcome", "pooled-result", "harms"})

#: Status of a registered trial, as its registry states it -> label.
REGISTRY_STATUSES: dict[str, str] = {
    "not-yet-recruiting": "not yet recruiting",
    "recruiting": "recruiting",
    "enrolling-by-invitation": "enrolling by invitation",
    "active-not-recruiting": "active, not recruiting",
    "completed": "completed",
    "terminated": "terminated",
    "withdrawn": "withdrawn",
    "suspended": "suspended",
    "unknown": "status unknown",
}
#: Whether a registered trial's results are out -> label.
RESULTS: dict[str, str] = {
    "posted": "results posted on the registry",
    "published": "results published in a paper",
    "none": "no results posted",
}
#: What LDN was compared with in an outcome -> label.
COMPARISONS: dict[str, str] = {
    "placebo": "placebo",
    "baseline": "before treatment",
    "dose": "another dose",
    "other": "another comparison",
}
#: Named kinds of harm a `harms` fact's `event` may be (any other text names a common event).
HARM_EVENTS: dict[str, str] = {
    "serious-adverse-events": "serious adverse events",
    "withdrawals-for-adverse-events": "withdrawals for adverse events",
    "adverse-events": "adverse events (any)",
}
#: Why a record the search found was not included -> label.
EXCLUSION_REASONS: dict[str, str] = {
    "already-catalogued": "already in the catalogue",
    "duplicate": "a duplicate of another record",
    "case-report": "case report",
    "case-series": "case series",
    "narrative-review": "narrative review",
    "animal-or-cell": "animal or cell work",
    "not-low-dose": "naltrexone not at a low dose",
    "too-small": "observational study of fewer than 20 people",
    "out-of-scope-condition": "a condition outside the scope",
    "not-a-study": "not a study (commentary, protocol, news)",
    "not-naltrexone": "not about naltrexone",
    "other": "another reason",
}
#: Fact fields whose value is a length of time -> the kind of time.
TIME_FIELDS: dict[str, str] = {"treatment-period": "treatment", "study-length": "whole-study"}
#: Fact fields whose value, if given, comes from a vocabulary.
BLINDING: dict[str, str] = {"open-label": "open-label", "single-blind": "single-blind", "double-blind": "double-blind"}
ALLOCATIONS: dict[str, str] = {"crossover": "crossover", "parallel": "parallel groups", "single-group": "single group"}
CONTROLS: dict[str, str] = {"placebo": "placebo", "none": "no control"}

#: Kind of discrepancy between the articles' account and the publication -> label.
DISCREPANCY_KINDS: dict[str, str] = {
    "n": "number of people",
    "duration": "length of time",
    "design": "design",
    "dose": "dose",
    "population": "who was studied",
    "outcome": "what was found",
    "harms": "harms left out",
    "attribution": "who did it, or when",
    "year": "year",
}
#: Kinds the library computes wherever both layers hold a structured value.
COMPUTED_KINDS = ("n", "duration", "design", "dose", "year")
