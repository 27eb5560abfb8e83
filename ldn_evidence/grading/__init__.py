"""How sure anyone can be: a Summary of Findings per outcome, with GRADE certainty.

An *outcome* is a measure within a condition ("pain in MS"). Its *evidence body*
is the studies of people, with a stated design, that report a finding on that
measure; preclinical work, passing mentions, hypotheses and studies whose design
the documents do not state are listed apart and never rated or counted.

The package, each module importing only those listed after it:

- `table`: gathering the rows from the catalogue and its papers, and the table as plain data;
- `rules`: the GRADE rules as a table of small functions (`starting_point`, `DOWNGRADES`, `grade`);
- `words`: statements in the words of Cochrane's plain-language summaries, and the plain page;
- `bias`: risk of bias by domain after RoB 2 (`BIAS_DOMAINS`), each judgement with its sentence;
- `evidence`: the pieces (certainties, start points, a study's evidence and findings, a row).

Pure functions over the model: nothing here prints, renders or reads files.
"""

from __future__ import annotations

from .bias import (
    BIAS_DOMAINS,
    MOST_LOST,
    baseline_imbalance,
    bias_of,
    blinding,
    judged,
    measurement,
    missing_data,
    randomization,
    selective_reporting,
)
from .evidence import (
    ARTICLES,
    AS_ARTICLES,
    BOTH,
    CERTAINTY,
    HIGH,
    IMPRECISE_BELOW,
    LOW,
    MODERATE,
    NAMED,
    PUBLISHED,
    PUBLISHED_ENROLLED,
    START,
    SURROGATE_MEASURES,
    VERY_IMPRECISE_BELOW,
    VERY_LOW,
    Conduct,
    Evidence,
    Found,
    Judgement,
    Outcome,
    Reason,
    contradicted,
    effect_on,
    evidence_body,
    in_evidence,
    named_people,
    overlap_of,
    participants_of,
    people_of,
    published_findings,
)
from .rules import (
    DOWNGRADES,
    direction_of,
    grade,
    imprecision,
    inconsistency,
    indirectness,
    interval,
    publication_bias,
    risk_of_bias,
    starting_point,
)
from .table import (
    findings_summary,
    findings_table,
    gather,
    not_rated,
    outcome_data,
    published_conduct,
    published_enrolment,
    rated_participants,
    summary_of_findings,
    unreported_trials,
)
from .words import disagreement, outcome_words, plain_summary, size_words, statement

__all__ = [
    "ARTICLES",
    "AS_ARTICLES",
    "BIAS_DOMAINS",
    "BOTH",
    "CERTAINTY",
    "DOWNGRADES",
    "HIGH",
    "IMPRECISE_BELOW",
    "LOW",
    "MODERATE",
    "MOST_LOST",
    "NAMED",
    "PUBLISHED",
    "PUBLISHED_ENROLLED",
    "START",
    "SURROGATE_MEASURES",
    "VERY_IMPRECISE_BELOW",
    "VERY_LOW",
    "Conduct",
    "Evidence",
    "Found",
    "Judgement",
    "Outcome",
    "Reason",
    "baseline_imbalance",
    "bias_of",
    "blinding",
    "contradicted",
    "direction_of",
    "disagreement",
    "effect_on",
    "evidence_body",
    "findings_summary",
    "findings_table",
    "gather",
    "grade",
    "imprecision",
    "in_evidence",
    "inconsistency",
    "indirectness",
    "interval",
    "judged",
    "measurement",
    "missing_data",
    "named_people",
    "not_rated",
    "outcome_data",
    "outcome_words",
    "overlap_of",
    "participants_of",
    "people_of",
    "plain_summary",
    "publication_bias",
    "published_conduct",
    "published_enrolment",
    "published_findings",
    "randomization",
    "rated_participants",
    "risk_of_bias",
    "selective_reporting",
    "size_words",
    "starting_point",
    "statement",
    "summary_of_findings",
    "unreported_trials",
]
