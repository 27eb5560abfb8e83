"""The certainty rules, one test per rule, and the Summary of Findings they make."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ldn_evidence import grading as g
from ldn_evidence.cli import app
from ldn_evidence.grading import Evidence
from ldn_evidence.loader import load
from ldn_evidence.model import Discrepancy, Finding, Publication, PublishedFact, Source, Study
from ldn_evidence.published import Reading, Said
from ldn_evidence.text import NOT_MEDICAL_ADVICE

from conftest import SHIPPED, catalogue_text, study_yaml


def evidence(ident: str, design: str = "rct", n: int | None = 100, effect: str = "benefit") -> Evidence:
    return Evidence(ident, design, n, g.AS_ARTICLES, effect)


def study(ident: str, design: str = "rct", n: int | None = 100, *findings: tuple[str, str], **more: object) -> Study:
    return Study(
        ident, "t", str(more.pop("condition", "ms")), design, "o", None if design == "hypothesis" else "benefit",
        (Source("a.txt", "q"),), n=n, findings=tuple(Finding(m, e) for m, e in findings), **more,  # type: ignore[arg-type]
    )  # fmt: skip


def run(runner: CliRunner, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["--no-cache", *args], env={"LDN_DATA": ""})


# --- the rules, one by one -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("designs", "start", "rated"),
    [
        (["rct", "open-label"], g.HIGH, ["s0"]),
        (["systematic-review"], g.HIGH, ["s0"]),
        (["open-label", "controlled-trial", "case-report"], g.LOW, ["s1"]),
        # Uncontrolled designs (surveys and chart reviews included) start very low, as case series do.
        (["before-after", "retrospective"], g.VERY_LOW, ["s0", "s1"]),
        (["open-label", "case-series"], g.VERY_LOW, ["s0"]),
        (["case-series", "case-report"], g.VERY_LOW, ["s0"]),
    ],
)
def test_the_strongest_designs_set_the_start_and_are_rated_alone(
    designs: list[str], start: int, rated: list[str]
) -> None:
    body = [evidence(f"s{i}", design) for i, design in enumerate(designs)]
    begins, chosen = g.starting_point(body)
    assert (begins, [item.id for item in chosen]) == (start, rated)


def test_risk_of_bias_with_nothing_published_falls_back_to_the_articles() -> None:
    reason = g.risk_of_bias([evidence("a"), evidence("b"), evidence("c", "open-label")], "pain")
    assert reason is not None
    assert (reason.domain, reason.steps, reason.basis) == ("risk-of-bias", 1, "articles")
    assert reason.text == (
        "a, b: as the articles report it: blinding and how many dropped out are not reported in the articles. "
        "c: as the articles report it: open-label: everyone knew they were taking LDN, with no comparison group"
    )
    # A publication that states nothing of blinding or losses is no basis either.
    empty = g.risk_of_bias([evidence("a")._replace(conduct=g.Conduct())], "pain")
    assert empty is not None and empty.basis == "articles"
    assert g.risk_of_bias([], "pain") is None


def published(ident: str, design: str = "rct", **conduct: object) -> Evidence:
    return evidence(ident, design)._replace(conduct=g.Conduct(**conduct))  # type: ignore[arg-type]


def test_risk_of_bias_published_double_blind_with_few_lost_is_no_concern() -> None:
    assert g.risk_of_bias([published("a", blinding="double-blind", enrolled=80, completed=64)], "pain") is None
    assert g.risk_of_bias([published("b", blinding="double-blind", enrolled=40, dropouts=5)], "pain") is None
    # 20% lost is not more than 20%.
    assert g.risk_of_bias([published("c", blinding="double-blind", enrolled=100, completed=80)], "pain") is None
    trial = Evidence("t", "rct", 500, g.PUBLISHED_ENROLLED, "benefit", g.Conduct("double-blind", True, 500, 450),
                     retold=False)  # fmt: skip
    outcome = g.grade("ms", "pain", [trial])
    assert (g.CERTAINTY[outcome.certainty], outcome.reasons) == ("high", ())


def test_risk_of_bias_published_double_blind_but_more_than_a_fifth_lost_steps_down() -> None:
    ucsf = published("ucsf", blinding="double-blind", enrolled=80, completed=60)
    reason = g.risk_of_bias([ucsf, published("ok", blinding="double-blind", enrolled=80, completed=70)], "pain")
    assert reason is not None
    assert (reason.domain, reason.steps, reason.basis) == ("risk-of-bias", 1, "published")
    assert reason.text == "ucsf: as published: double-blind; 60 of 80 enrolled completed, 25% lost (more than 20%)"


@pytest.mark.parametrize(
    ("item", "text"),
    [
        (
            published("a", blinding="single-blind", enrolled=10, completed=10),
            "as published: single-blind; 10 of 10 enrolled completed, 0% lost",
        ),
        (
            published("a", blinding="double-blind", enrolled=96, randomized=True),
            "as published: randomized, double-blind; how many were lost is not stated",
        ),
        (
            published("a", enrolled=40, dropouts=5),
            "as published: blinding not stated; 5 of 40 enrolled dropped out, 12.5% lost",
        ),
        (
            published("a", "open-label", blinding="open-label", enrolled=40, dropouts=5),
            "as published: open-label; 5 of 40 enrolled dropped out, 12.5% lost; no comparison group",
        ),
        (
            published("a", "controlled-trial", blinding="double-blind", enrolled=10, completed=10),
            "as published: double-blind; 10 of 10 enrolled completed, 0% lost; not randomized",
        ),
    ],
)
def test_risk_of_bias_published_unknown_or_weaker_blinding_or_unknown_losses_are_concerns(
    item: Evidence, text: str
) -> None:
    assert g.bias_of(item) == ("published", text)


def test_risk_of_bias_names_the_layer_of_each_study_when_they_differ() -> None:
    reason = g.risk_of_bias([published("p", blinding="single-blind", enrolled=8, completed=8), evidence("a")], "pain")
    assert reason is not None and reason.basis == "both"
    assert reason.text.startswith("p: as published: single-blind; ")
    assert "a: as the articles report it: " in reason.text


def test_a_reason_names_at_most_twelve_studies_and_counts_the_rest() -> None:
    reason = g.risk_of_bias([evidence(f"s{i:02d}") for i in range(15)], "pain")
    assert reason is not None
    assert reason.text.startswith("s00, s01, s02, s03, s04, s05, s06, s07, s08, s09, s10, s11 and 3 more: ")


@pytest.mark.parametrize(
    ("effects", "disagree"),
    [
        (["benefit", "benefit"], False),
        (["no-effect", "no-effect"], False),
        (["benefit", "unclear"], False),  # an unclear finding points no way
        (["benefit"], False),
        (["benefit", "no-effect"], True),
        (["mixed", "no-effect"], True),  # the MS quality-of-life trials
        (["benefit", "harm"], True),
    ],
)
def test_inconsistency_is_rated_studies_disagreeing_in_direction(effects: list[str], disagree: bool) -> None:
    rated = [evidence(f"s{i}", effect=effect) for i, effect in enumerate(effects)]
    reason = g.inconsistency(rated, "pain")
    assert (reason is not None) == disagree
    if reason is not None:
        assert reason.domain == "inconsistency" and reason.steps == 1
        assert all(f"s{i}" in reason.text for i in range(len(effects)))


@pytest.mark.parametrize(
    ("sizes", "steps", "text"),
    [
        ([400], 0, None),
        ([300, 100], 0, None),
        ([399], 1, "399 participants in s0, fewer than 400; counted as the articles give them"),
        ([60, 96], 1, "156 participants in s0, s1, fewer than 400; counted as the articles give them"),
        ([99], 2, "99 participants in s0, fewer than 100; counted as the articles give them"),
        (
            [40, None],
            2,
            "40 participants in s0, s1, fewer than 100 (n not reported for s1); counted as the articles give them",
        ),
        ([None], 2, "s0: the number of participants is not reported in the articles or a verified publication"),
    ],
)
def test_imprecision_steps_down_once_below_400_and_twice_below_100(
    sizes: list[int | None], steps: int, text: str | None
) -> None:
    reason = g.imprecision([evidence(f"s{i}", n=n) for i, n in enumerate(sizes)], "pain")
    assert (reason.steps if reason else 0, reason.text if reason else None) == (steps, text)


def test_imprecision_says_which_counts_are_published() -> None:
    enrolled = Evidence("ucsf", "rct", 80, g.PUBLISHED_ENROLLED, "benefit")
    alone = g.imprecision([enrolled], "pain")
    assert alone is not None and alone.basis == "published"
    assert alone.text == "80 participants in ucsf, fewer than 100; counted as published (enrolled)"
    both = g.imprecision([enrolled, evidence("other", n=96)], "pain")
    assert both is not None and both.basis == "both"
    assert both.text.endswith("; counted as published (enrolled) for ucsf, as the articles give them for other")


@pytest.mark.parametrize(
    ("measure", "indirect"),
    [("medication-use", True), ("biomarker", True), ("inflammation", True), ("pain", False), ("fatigue", False)],
)
def test_indirectness_is_a_surrogate_measure(measure: str, indirect: bool) -> None:
    reason = g.indirectness([evidence("norway")], measure)
    assert (reason is not None) == indirect
    if reason is not None:
        assert reason.domain == "indirectness" and "norway" in reason.text


def test_the_table_of_rules_lists_each_domain_once() -> None:
    assert [domain for domain, _ in g.DOWNGRADES] == [
        "risk-of-bias", "inconsistency", "imprecision", "indirectness", "publication-bias",
    ]  # fmt: skip
    for domain, rule in g.DOWNGRADES:
        found = rule([evidence("a", n=10), evidence("b", n=10, effect="no-effect")], "biomarker")
        assert found is not None and found.domain == domain


# --- one outcome -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("findings", "expected"),
    [
        ([("pain", "benefit")], "benefit"),
        ([("pain", "benefit"), ("pain", "no-effect")], "mixed"),
        ([("pain", "benefit"), ("pain", "benefit")], "benefit"),
        ([("pain", "unclear"), ("pain", "no-effect")], "no-effect"),
        ([("pain", "unclear")], "unclear"),
        ([("fatigue", "benefit")], None),
    ],
)
def test_a_study_counts_once_on_a_measure(findings: list[tuple[str, str]], expected: str | None) -> None:
    assert g.effect_on(study("s", "rct", 10, *findings), "pain") == expected


def test_the_evidence_body_is_people_with_a_stated_design_and_a_finding() -> None:
    studies = [
        study("open", "open-label", 40, ("pain", "benefit")),
        study("trial", "rct", 60, ("pain", "no-effect")),
        study("mice", "animal", None, ("pain", "benefit")),
        study("cells", "in-vitro", None, ("pain", "benefit")),
        study("said", "unspecified", None, ("pain", "benefit"), mention=True),
        study("unsaid", "unspecified", 17, ("pain", "benefit")),
        study("elsewhere", "rct", 60, ("pain", "benefit"), condition="crps"),
        study("other-measure", "rct", 60, ("fatigue", "benefit")),
    ]
    body = g.evidence_body(studies, "ms", "pain")
    assert [(item.id, item.effect) for item in body] == [("trial", "no-effect"), ("open", "benefit")]


def test_participants_are_the_published_enrolment_where_there_is_one() -> None:
    studies = [study("trial", "rct", 60, ("pain", "benefit")), study("other", "rct", 96, ("pain", "benefit"))]
    body = g.evidence_body(studies, "ms", "pain", {"trial": 80})
    assert [(item.id, item.participants, item.basis) for item in body] == [
        ("other", 96, g.AS_ARTICLES),
        ("trial", 80, g.PUBLISHED_ENROLLED),
    ]
    outcome = g.grade("ms", "pain", body)
    assert outcome.participants == 176
    assert outcome.participants_basis == "as published (enrolled) where verified, else as the articles give them"
    assert g.grade("ms", "pain", body[:1]).participants_basis == g.AS_ARTICLES


def test_the_rating_steps_down_per_reason_and_stops_at_very_low() -> None:
    big = g.grade("ms", "pain", [evidence("a", n=500)._replace(retold=False)])
    assert (g.CERTAINTY[big.certainty], [r.domain for r in big.reasons]) == ("moderate", ["risk-of-bias"])
    small = g.grade("ms", "biomarker", [evidence("a", "case-report", n=1)])
    assert g.CERTAINTY[small.certainty] == "very low"
    # More steps than there is room for: bias, two for imprecision, a surrogate, a small positive body.
    assert [(r.domain, r.steps) for r in small.reasons] == [
        ("risk-of-bias", 1), ("imprecision", 2), ("indirectness", 1), ("publication-bias", 1),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("certainty", "direction", "measure", "words"),
    [
        (g.HIGH, "benefit", "quality-of-life", "LDN improves quality of life in MS."),
        (g.HIGH, "benefit", "pain", "LDN reduces pain in MS."),
        (g.MODERATE, "benefit", "pain", "LDN probably reduces pain in MS."),
        (g.LOW, "benefit", "pain", "LDN may reduce pain in MS."),
        (g.LOW, "benefit", "medication-use", "LDN may reduce the use of other medicines in MS."),
        (g.LOW, "benefit", "biomarker", "LDN may change biomarker levels in MS."),
        (g.VERY_LOW, "benefit", "spasticity", "We are very uncertain whether LDN reduces spasticity in MS."),
        (g.MODERATE, "no-effect", "pain", "LDN probably makes little or no difference to pain in MS."),
        (g.LOW, "harm", "pain", "LDN may increase pain in MS."),
        (g.LOW, "harm", "quality-of-life", "LDN may worsen quality of life in MS."),
        (g.MODERATE, "benefit", "remission", "LDN probably increases the chance of remission in MS."),
        (
            g.VERY_LOW,
            "no-effect",
            "safety",
            "We are very uncertain whether LDN makes any difference to unwanted effects in MS (the studies found no "
            "effect).",
        ),
        (
            g.VERY_LOW,
            "disagree",
            "quality-of-life",
            "The studies disagree on quality of life in MS, and we are very uncertain about the effect of LDN on it.",
        ),
        (
            g.VERY_LOW,
            "no-effect",
            "medication-use",
            "We are very uncertain whether LDN makes any difference to the use of other medicines in MS (the studies "
            "found no effect).",
        ),
    ],
)
def test_statements_use_cochrane_plain_language(certainty: int, direction: str, measure: str, words: str) -> None:
    assert g.statement(certainty, direction, "ms", measure) == words


# --- the table against a vote count -----------------------------------------------------------


def test_the_table_answers_where_a_vote_count_would_mislead(
    runner: CliRunner, write_catalogue: Callable[[str], Path]
) -> None:
    """Five records 'for', one 'against': a large trial against mice, cells, a mention and a case report."""
    pain = {"measure": "pain", "effect": "benefit"}
    path = write_catalogue(
        catalogue_text(
            study_yaml("big-trial", n=500, effect="no-effect", findings=[{"measure": "pain", "effect": "no-effect"}]),
            study_yaml("mice-a", design="animal", findings=[pain]),
            study_yaml("mice-b", design="animal", findings=[pain]),
            study_yaml("cells", design="in-vitro", findings=[pain]),
            study_yaml("said", design="unspecified", mention=True, findings=[pain]),
            study_yaml("one-woman", design="case-report", n=1, findings=[pain]),
        )
    )
    votes = Counter(s.effect for s in load(path).studies)
    assert votes.most_common(1) == [("benefit", 5)]  # what counting votes would say

    result = runner.invoke(app, ["--no-cache", "--data", str(path), "summary", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    (row,) = data["outcomes"]
    assert (row["condition"], row["measure"], row["studies"], row["rated"]) == (
        "ms", "pain", ["big-trial", "one-woman"], ["big-trial"],
    )  # fmt: skip
    # Every rated study is one the articles chose: a press-chosen body is a publication-bias signal.
    assert (row["certainty"], [r["domain"] for r in row["reasons"]]) == ("low", ["risk-of-bias", "publication-bias"])
    assert row["statement"] == "LDN may make little or no difference to pain in MS."
    # No tally of effects anywhere in the summary, and no people summed across designs or conditions: strata keep
    # counts of studies only; people are within one condition and design (the evidence map) and in the rated rows.
    assert "by_effect" not in data and "with_effects" not in data and "participants" not in data
    assert "participants" not in data["clinical"]
    for key in ("by_design", "by_condition", "by_level", "by_measure"):
        assert all(set(group) == {"count", "n_unknown"} for group in data[key].values()), key
    assert data["by_measure"]["pain"] == {"count": 2, "n_unknown": 0}
    assert all("participants" in cell for row in data["evidence_map"].values() for cell in row.values())
    assert data["not_rated"] == {"preclinical": ["cells", "mice-a", "mice-b"], "mentions": ["said"],
                                 "design_not_stated": []}  # fmt: skip
    text = runner.invoke(app, ["--no-cache", "--data", str(path), "summary"], env={"COLUMNS": "80"})
    assert "LDN may make little or no difference to pain in MS." in " ".join(text.stdout.split())


# --- the shipped catalogue ----------------------------------------------------------------------


SHIPPED_CATALOGUE = load(SHIPPED)


def _rows(runner: CliRunner, condition: str) -> dict[str, dict]:  # type: ignore[type-arg]
    result = run(runner, "summary", "--condition", condition, "--format", "json")
    # stderr: the evidence body the rows rest on, then the not-advice line; nothing else.
    assert result.exit_code == 0 and result.stderr.startswith("Rests on ")
    assert result.stderr.splitlines()[1:] == [NOT_MEDICAL_ADVICE]
    data = json.loads(result.stdout)
    return {row["event"] or row["measure"]: row for row in data["outcomes"]} | {"": data}


def test_ms_rows_read_the_published_layer_with_the_17_week_trials_null_result(runner: CliRunner) -> None:
    rows = _rows(runner, "ms")
    for measure in ("pain", "mental-health", "cognition"):
        row = rows[measure]
        assert row["rated"] == ["ms-17-week-rct", "ucsf-cree-rct"]
        assert row["found"]["ms-17-week-rct"] == "no-effect" and row["found"]["ucsf-cree-rct"] == "benefit"
        assert row["statement"].startswith(f"The studies disagree on {MEASURE_WORDS[measure]} in MS")
        assert "inconsistency" in {r["domain"] for r in row["reasons"]}
        null = row["findings"]["ms-17-week-rct"]
        assert all(f["layer"] == "published" and "did not show" in f["excerpt"] for f in null)
    assert "weakness" not in rows  # the paper measured fatigue: the articles' "weakness" is never rated
    (weakness,) = [c for c in rows[""]["contradicted"] if c["measure"] == "weakness"]
    assert weakness["study"] == "ms-retrospective-215" and "fatigue" in weakness["why"]
    sizes = [f["size"] for f in rows["mental-health"]["findings"]["ucsf-cree-rct"]]
    assert "6 points on the Mental Health Inventory (P<.01)" in sizes
    assert "6 points on the Mental Health Inventory" in rows["mental-health"]["statement"]
    serious = rows["serious-adverse-events"]
    assert serious["measure"] == "adverse-events" and serious["rated"] == ["ucsf-cree-rct"]
    assert "serious adverse events did not occur" in serious["statement"]
    for key, row in rows.items():
        if not key:
            continue
        people = [row["people"][i]["number"] for i in row["rated"] if row["people"][i]["number"] is not None]
        # No number of people given anywhere is null, never 0.
        assert row["rated_participants"] == (sum(people) if people else None) and row["rated_participants_basis"]
        assert row["participants"] == row["rated_participants"]
        assert row["publication_bias"].startswith(("assessed", "suspected"))
    quality = rows["quality-of-life"]
    # Counted one way: the papers' enrolment (UCSF 80, not the articles' 60); the retrospective survey beside.
    assert quality["people"]["ucsf-cree-rct"] == {"number": 80, "basis": "enrolled (as published)"}
    # Beside the rating, people are summed within one design only, never across designs.
    assert quality["rated_participants"] == 96 + 80
    assert quality["participants_beside"] == {"retrospective": {"studies": 1, "participants": 215, "n_unknown": 0}}
    assert rows["medication-use"]["people"]["norway-2017"]["basis"] == "analysed (as published)"
    assert "indirectness" in {r["domain"] for r in rows["medication-use"]["reasons"]}
    # A PPMS-only trial rated for MS is indirect in population.
    spasticity = {r["domain"]: r for r in rows["spasticity"]["reasons"]}
    assert "PPMS" in spasticity["indirectness"]["text"]


MEASURE_WORDS = {"pain": "pain", "mental-health": "mental health", "cognition": "cognition"}


def test_the_summary_text_shows_the_table_and_assesses_publication_bias(runner: CliRunner) -> None:
    result = runner.invoke(
        app, ["--no-cache", "summary", "--condition", "ms"], env={"LDN_DATA": "", "COLUMNS": "80", "NO_COLOR": "1"}
    )
    assert result.exit_code == 0
    assert all(len(line) <= 80 for line in result.stdout.splitlines())
    flat = " ".join(result.stdout.split())
    assert "Summary of findings: as published where a paper states it, else as the articles report it" in flat
    assert "We are very uncertain whether LDN reduces spasticity in MS" in flat
    assert "publication bias assessed on each row" in flat and "not assessed" not in flat
    assert "Not rated: weakness (ms) in ms-retrospective-215" in flat
    assert "ucsf-cree-rct ≠" in flat and "ms-17-week-rct †" in flat
    assert "Overall effect" not in flat
    assert "Passing mentions, with no design, size or data (2): ms-il6-tnf-mention, ms-trials" in flat
    assert "Preclinical work (animal, cell, hypothesis) (4): eae-mice-ogf" in flat


def test_fibromyalgia_pain_is_rated_on_the_randomized_trials_not_the_pilot(runner: CliRunner) -> None:
    pain = _rows(runner, "fibromyalgia")["pain"]
    trials = [s.id for s in SHIPPED_CATALOGUE.studies if s.condition == "fibromyalgia" and s.design == "rct"]
    assert pain["rated"] and set(pain["rated"]) <= set(trials)
    assert "fibromyalgia-pilot" not in pain["rated"] and "fibromyalgia-pilot" in pain["studies"]
    assert pain["start"] == "high"
    assert any(f["direction"] == "no-effect" for i in pain["rated"] for f in pain["findings"][i])


def test_who_is_telling_it_is_counted_from_the_document_kinds() -> None:
    studies = list(SHIPPED_CATALOGUE.studies)
    expected = [s.id for s in studies if {SHIPPED_CATALOGUE.document(seed).kind for seed in s.seeds}  # type: ignore[union-attr]
                == {"pharmacy-marketing"}]  # fmt: skip
    summary = g.findings_summary(SHIPPED_CATALOGUE, studies)
    assert summary["commercial_only"] == {"count": len(expected), "of": len(studies), "ids": expected}
    assert "ms-17-week-rct" in expected and "ucsf-cree-rct" not in expected


def test_the_table_gathers_each_body_as_evidence_body_does() -> None:
    studies = list(SHIPPED_CATALOGUE.studies)
    for outcome in g.summary_of_findings(studies, {"ucsf-cree-rct": 80}):
        assert outcome.body == g.evidence_body(studies, outcome.condition, outcome.measure, {"ucsf-cree-rct": 80})


def test_the_published_enrolment_comes_from_an_enrolled_fact_of_a_publication_of_one_study() -> None:
    enrolled = g.published_enrolment(SHIPPED_CATALOGUE)
    expected = {}
    for publication in SHIPPED_CATALOGUE.publications:
        facts = [f.value for f in publication.facts if f.field == "enrolled" and isinstance(f.value, int)]
        if len(publication.study) == 1 and facts:
            expected.setdefault(publication.study[0], facts[0])
    assert enrolled == expected
    assert enrolled["ucsf-cree-rct"] == 80
    assert "norway-2017" not in enrolled  # its paper gives the number analysed, not enrolled


def test_published_conduct_comes_from_verified_facts_of_a_publication_of_one_study() -> None:
    conduct = g.published_conduct(SHIPPED_CATALOGUE)
    # Its abstract: 80 enrolled, 60 completed, ten withdrew; its registry record: randomized.
    assert conduct["ucsf-cree-rct"] == g.Conduct(
        blinding="double-blind", randomized=True, enrolled=80, completed=60, dropouts=10
    )
    assert conduct["ucsf-cree-rct"].lost == 20
    assert conduct["milan-ppms-pilot"] == g.Conduct(blinding="open-label", enrolled=40, dropouts=5)
    assert conduct["ms-17-week-rct"] == g.Conduct(blinding="double-blind", randomized=True, enrolled=96)
    for study, found in conduct.items():
        publications = [p for p in SHIPPED_CATALOGUE.publications_of(study) if len(p.study) == 1]
        fields = {f.field for p in publications for f in p.facts if f.value is not None}
        assert found.known and fields & {"blinding", "design", "enrolled", "completed", "dropouts", "randomized"}
    assert "ms-retrospective-215" not in conduct  # its paper states no blinding, enrolment or losses


def test_the_ms_risk_of_bias_is_judged_by_domain_with_the_sentence_each_stands_on(runner: CliRunner) -> None:
    rows = _rows(runner, "ms")
    judged = {(j["study"], j["domain"]): j for j in rows["mental-health"]["risk_of_bias"]}
    missing = judged[("ucsf-cree-rct", "missing-data")]
    assert missing["judgement"] == "high" and "60 of 80" in missing["why"]
    assert (
        missing["quote"]
        == "80 subjects with clinically definite multiple sclerosis were enrolled and 60 subjects completed the trial."
    )
    assert judged[("ucsf-cree-rct", "blinding")]["judgement"] == "low"
    imbalance = judged[("ms-17-week-rct", "baseline-imbalance")]
    assert imbalance["judgement"] == "high" and "before starting" in imbalance["quote"]
    for key, row in rows.items():
        if not key:
            continue
        for judgement in row["risk_of_bias"]:
            assert judgement["domain"] in dict(g.BIAS_DOMAINS)
            assert judgement["quote"] is None or judgement["judgement"] in ("low", "high", "unclear")
        for reason in row["reasons"]:
            layer = {"published": "as published", "articles": "the articles"}.get(reason["basis"])
            assert reason["domain"] != "risk-of-bias" or layer is None or layer in reason["text"]


def test_studies_whose_records_name_the_same_people_are_both_counted_and_flagged() -> None:
    pilot = study("pilot", "controlled-trial", 10, ("pain", "benefit"), condition="fibromyalgia")
    later = study(
        "later", "controlled-trial", 8, ("pain", "benefit"), condition="fibromyalgia",
        population="women, the same group as in the opening research (pilot)",
    )  # fmt: skip
    elsewhere = study(
        "other", "rct", 50, ("pain", "benefit"), population="unlike pilot-x or pilot"
    )  # another condition
    assert g.named_people([pilot, later, elsewhere]) == {"later": "pilot"}
    (outcome,) = [o for o in g.summary_of_findings([pilot, later, elsewhere]) if o.condition == "fibromyalgia"]
    assert outcome.overlap == (("later", "pilot"),)
    assert (outcome.participants, outcome.participants_if_same) == (18, 10)
    reason = next(r for r in outcome.reasons if r.domain == "imprecision")
    assert "18 participants in pilot, later, fewer than 100 (10 counting later's people among pilot's" in reason.text
    data = g.outcome_data(outcome)
    assert data["overlap"] == [{"study": "later", "same_people_as": "pilot"}] and data["participants_if_same"] == 10
    alone = g.grade("fibromyalgia", "pain", g.evidence_body([later], "fibromyalgia", "pain"))
    assert alone.overlap == () and alone.participants_if_same == 8  # the other study is not in this body


def test_imprecision_counts_overlapping_people_once_when_that_decides_a_step() -> None:
    a = evidence("a", n=300)
    b = evidence("b", n=200)._replace(same_as="a")
    reason = g.imprecision([a, b], "pain")  # 500 if all differ, 300 if b's people are a's
    assert reason is not None and reason.steps == 1
    assert reason.text.startswith("500 participants in a, b, fewer than 400 (300 counting b's people among a's")


def test_the_fibromyalgia_inflammation_row_rests_on_the_cytokine_study() -> None:
    (row,) = [o for o in g.findings_table(SHIPPED_CATALOGUE, SHIPPED_CATALOGUE.studies)
              if o.condition == "fibromyalgia" and o.measure == "inflammation"]  # fmt: skip
    assert [item.id for item in row.rated] == ["fibromyalgia-cytokines"]
    assert "indirectness" in {r.domain for r in row.reasons}


# --- the rules of the published layer, one by one ----------------------------------------------------


def paper(*facts: PublishedFact, studies: tuple[str, ...] = ("s",)) -> Reading:
    publication = Publication("p", studies, "t", facts=facts)
    return Reading("s", (publication,), tuple(Said(f, publication, len(studies) == 1) for f in facts))


def fact(field: str, value: object = None, excerpt: str = "x", kind: str = "abstract", **keys: object) -> PublishedFact:
    return PublishedFact(field, "t", excerpt, "https://example.org", kind, value, **keys)  # type: ignore[arg-type]


def test_published_findings_are_results_with_a_measure_and_a_direction_or_a_harms_event() -> None:
    reading = paper(
        fact("outcome", measure="pain", direction="no-effect", size="p = 0.4", timepoint="12 weeks"),
        fact("outcome", measure="pain", scale="VAS"),  # what was measured, not what was found
        fact("harms", measure="adverse-events", event="serious-adverse-events"),
        fact("pooled-result", measure="pain", direction="benefit", size="SMD -0.6 (95% CI -1.1 to -0.1)"),
    )
    found = g.published_findings(reading)
    assert [(f.measure, f.direction, f.event) for f in found] == [
        ("pain", "no-effect", None), ("adverse-events", "unclear", "serious-adverse-events"), ("pain", "benefit", None),
    ]  # fmt: skip
    assert found[0].timepoint == "12 weeks" and found[0].layer == g.PUBLISHED


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        ("SMD -0.61; 95% CI -1.14, -0.08", (-1.14, -0.08, 0.0)),
        ("RR 1.68; 95% CI 0.84, 3.36", (0.84, 3.36, 1.0)),
        ("-0·34 (-0·95 to 0·27; p=0·27)", (-0.95, 0.27, 0.0)),
        ("6 points on the Mental Health Inventory (P<.01)", None),
        (None, None),
    ],
)
def test_a_confidence_interval_is_read_from_the_size_as_stated(size: str | None, expected: object) -> None:
    assert g.interval(size) == expected


def test_imprecision_comes_from_the_interval_where_a_page_gives_one() -> None:
    crosses = g.Found("pain", "no-effect", g.PUBLISHED, size="MD -0.3 (95% CI -0.9 to 0.3)")
    clear = g.Found("pain", "benefit", g.PUBLISHED, size="SMD -0.6; 95% CI -1.1, -0.1")
    wide = g.imprecision([evidence("a", n=500)._replace(findings=(crosses,))], "pain")
    assert wide is not None and wide.steps == 1 and "includes no effect" in wide.text
    both = g.imprecision([evidence("a", n=20)._replace(findings=(crosses,))], "pain")
    assert both is not None and both.steps == 2 and "includes no effect" in both.text and "fewer than 100" in both.text
    # An interval that excludes no effect is not enough: a small body is still imprecise by its count.
    small = g.imprecision([evidence("a", n=20)._replace(findings=(clear,))], "pain")
    assert small is not None and small.steps == 2 and "fewer than 100" in small.text
    assert g.imprecision([evidence("a", n=500)._replace(findings=(clear,))], "pain") is None


def test_each_risk_of_bias_domain_stands_on_a_sentence() -> None:
    trial = paper(
        fact("design", "rct", "a randomized trial"),
        fact("blinding", "double-blind", "double-masked"),
        fact("enrolled", 80, "80 were enrolled"),
        fact("completed", 60, "60 completed"),
        fact("outcome", excerpt="scores were statistically different between the groups before starting"),
    )
    judged = {j.domain: j for j in g.judged(trial, "rct")}
    assert (judged["randomization"].judgement, judged["randomization"].quote) == ("low", "a randomized trial")
    assert (judged["blinding"].judgement, judged["measurement"].judgement) == ("low", "low")
    assert (judged["missing-data"].judgement, judged["missing-data"].quote) == ("high", "60 completed")
    assert judged["baseline-imbalance"].judgement == "high"
    assert "selective-reporting" not in judged  # nothing registered or named as primary
    silent = {j.domain: j.judgement for j in g.judged(paper(fact("design", "rct", "randomised")), "rct")}
    assert silent["blinding"] == silent["missing-data"] == "unclear"
    named = paper(fact("outcome", measure="pain", primary=True, excerpt="The primary outcome was pain"))
    assert g.selective_reporting(named, "rct").judgement == "high"  # type: ignore[union-attr]
    reported = paper(*named.publications[0].facts, fact("outcome", measure="pain", direction="no-effect"))
    assert g.selective_reporting(reported, "rct").judgement == "low"  # type: ignore[union-attr]
    assert g.randomization(paper(fact("design", "open-label", "open label")), "open-label").judgement == "high"  # type: ignore[union-attr]


def test_risk_of_bias_quotes_each_domain_of_concern() -> None:
    concern = g.Judgement("missing-data", "high", "60 of 80 completed", "60 completed", "https://example.org")
    fine = g.Judgement("blinding", "low", "double-blind", "double-masked")
    reason = g.risk_of_bias([evidence("a")._replace(domains=(concern, fine))], "pain")
    assert reason is not None and reason.basis == g.PUBLISHED and reason.steps == 1
    assert reason.text == 'a: as published: missing data: 60 of 80 completed ("60 completed")'
    assert g.risk_of_bias([evidence("a")._replace(domains=(fine,))], "pain") is None


def test_indirectness_of_population_is_one_form_of_ms_only() -> None:
    ppms = evidence("pilot", "open-label")._replace(forms=("ppms",))
    reason = g.indirectness([ppms], "spasticity")
    assert reason is not None and "PPMS" in reason.text
    # One rule: the PPMS-only study is indirect in every row that rates it, beside broader studies too.
    mixed = g.indirectness([ppms, evidence("trial")._replace(forms=("rrms", "spms"))], "spasticity")
    assert mixed is not None and "pilot: only people with PPMS" in mixed.text and "trial" not in mixed.text
    assert g.indirectness([evidence("trial")._replace(forms=("rrms", "spms"))], "spasticity") is None


def test_publication_bias_is_assessed_on_every_row() -> None:
    press = g.publication_bias([evidence("a"), evidence("b", effect="no-effect")], "pain")
    assert press is not None and "chose to retell" in press.text
    small = g.publication_bias([evidence("a", n=50)._replace(retold=False)], "pain")
    assert small is not None and "small body (50 people) of positive studies" in small.text
    unreported = evidence("a", n=500, effect="no-effect")._replace(retold=False, unreported=("nct1",))
    found = g.publication_bias([unreported], "pain")
    assert found is not None and "nct1" in found.text and found.basis == g.PUBLISHED
    clean = g.grade("ms", "pain", [evidence("a", n=500, effect="no-effect")._replace(retold=False)])
    assert clean.publication_bias.startswith("assessed: no signal found")


def test_a_count_of_people_is_analysed_else_randomized_else_enrolled_else_the_articles() -> None:
    entry = study("s", "rct", 60)
    assert g.people_of(entry, paper(fact("enrolled", 80), fact("randomized", 78))) == (78, "randomized (as published)")
    assert g.people_of(entry, paper(fact("enrolled", 80), fact("analysed", 70))) == (70, "analysed (as published)")
    assert g.people_of(entry, paper(fact("design", "rct"))) == (60, g.AS_ARTICLES)
    assert g.people_of(entry, None) == (60, g.AS_ARTICLES)


def test_an_articles_finding_the_paper_contradicts_is_found() -> None:
    said = Discrepancy("outcome", "a.txt", "60% reported less weakness", "less fatigue", "https://x", "abstract",
                       "The symptom studied was fatigue: nearly 60% had less fatigue, not less weakness.")  # fmt: skip
    assert g.contradicted("weakness", [said]) is said
    assert g.contradicted("fatigue", [said]) is None


def test_the_plain_page_says_each_part_in_plain_words(runner: CliRunner) -> None:
    result = runner.invoke(
        app, ["--no-cache", "summary", "--condition", "ms", "--plain"],
        env={"LDN_DATA": "", "COLUMNS": "80", "NO_COLOR": "1"},
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert all(len(line) <= 80 for line in result.stdout.splitlines())
    flat = " ".join(result.stdout.split())
    for part in ("Key messages", "What the studies found", "Unwanted effects", "How certain is this?",
                 "What is not known", "How up to date is this?"):  # fmt: skip
        assert part in flat
    assert "The studies disagree on pain in MS" in flat and NOT_MEDICAL_ADVICE in flat
    assert "recommend" not in flat.lower() and "should take" not in flat.lower()
    data = json.loads(run(runner, "summary", "--condition", "ms", "--plain", "--format", "json").stdout)
    (page,) = data
    assert page["condition"] == "ms" and page["searched"] == SHIPPED_CATALOGUE.search.searched  # type: ignore[union-attr]
    assert {line["outcome"] for line in page["harms"]} >= {"serious-adverse-events"}


def test_strata_keep_counts_of_studies_and_people_only() -> None:
    from ldn_evidence.results import measure_strata, strata_only

    rows = [
        {"measure": "pain", "people": {"a": {"number": 80, "basis": "enrolled"}, "b": {"number": None, "basis": "x"}}},
        {"measure": "pain", "people": {"a": {"number": 80, "basis": "enrolled"}}},  # the same study, another row
    ]
    assert measure_strata(rows) == {"pain": {"count": 2, "n_unknown": 1}}
    summary = {"by_effect": {}, "with_effects": {}, "by_design": {"rct": {"count": 1, "participants": 5,
               "n_unknown": 0, "effects": {"benefit": {}}}}, "outcomes": rows}  # fmt: skip
    flat = strata_only(summary)
    assert "by_effect" not in flat and "with_effects" not in flat
    assert flat["by_design"] == {"rct": {"count": 1, "n_unknown": 0}}  # a design spans conditions: no people summed
    assert flat["by_measure"] == measure_strata(rows)


def test_a_review_is_counted_by_the_people_it_pooled_and_a_surrogate_is_never_improved() -> None:
    review = study("r", "systematic-review", None)
    assert g.people_of(review, paper(fact("people-pooled", 222))) == (222, "pooled by the review (as published)")
    assert g.people_of(study("t", "rct", 60), paper(fact("people-pooled", 222))) == (60, g.AS_ARTICLES)
    words = g.statement(g.MODERATE, "mixed", "fibromyalgia", "biomarker")
    assert words == "LDN probably changes some aspects of biomarker levels in fibromyalgia." and "improve" not in words
