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
from ldn_evidence.model import Finding, Source, Study
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
        (["open-label", "controlled-trial", "case-report"], g.LOW, ["s0", "s1"]),
        (["before-after", "retrospective"], g.LOW, ["s0", "s1"]),
        (["case-series", "case-report"], g.VERY_LOW, ["s0", "s1"]),
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
    trial = Evidence("t", "rct", 500, g.PUBLISHED_ENROLLED, "benefit", g.Conduct("double-blind", True, 500, 450))
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
    assert [domain for domain, _ in g.DOWNGRADES] == ["risk-of-bias", "inconsistency", "imprecision", "indirectness"]
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
    big = g.grade("ms", "pain", [evidence("a", n=500)])
    assert (g.CERTAINTY[big.certainty], [r.domain for r in big.reasons]) == ("moderate", ["risk-of-bias"])
    small = g.grade("ms", "biomarker", [evidence("a", "case-report", n=1)])
    assert g.CERTAINTY[small.certainty] == "very low"
    assert sum(r.steps for r in small.reasons) == 4  # more steps than there is room for


@pytest.mark.parametrize(
    ("certainty", "direction", "measure", "words"),
    [
        (g.HIGH, "benefit", "pain", "LDN improves pain in MS."),
        (g.MODERATE, "benefit", "pain", "LDN probably improves pain in MS."),
        (g.LOW, "benefit", "pain", "LDN may improve pain in MS."),
        (g.VERY_LOW, "benefit", "spasticity", "We are very uncertain whether LDN improves spasticity in MS."),
        (g.MODERATE, "no-effect", "pain", "LDN probably makes little or no difference to pain in MS."),
        (g.LOW, "harm", "pain", "LDN may worsen pain in MS."),
        (
            g.VERY_LOW,
            "disagree",
            "quality-of-life",
            "The studies disagree on quality of life in MS, and we are very uncertain whether LDN improves it.",
        ),
        (
            g.VERY_LOW,
            "no-effect",
            "medication-use",
            "We are very uncertain whether LDN changes the use of other medicines in MS (the studies found no effect).",
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
    assert (row["certainty"], [r["domain"] for r in row["reasons"]]) == ("moderate", ["risk-of-bias"])
    assert row["statement"] == "LDN probably makes little or no difference to pain in MS."
    # Nothing apart is counted with an effect anywhere in the summary.
    assert data["by_effect"] == {
        "no-effect": {"count": 1, "participants": 500, "n_unknown": 0},
        "benefit": {"count": 1, "participants": 1, "n_unknown": 0},
    }
    assert data["not_rated"] == {"preclinical": ["cells", "mice-a", "mice-b"], "mentions": ["said"],
                                 "design_not_stated": []}  # fmt: skip
    assert data["by_measure"]["pain"]["effects"] == data["by_effect"]
    text = runner.invoke(app, ["--no-cache", "--data", str(path), "summary"], env={"COLUMNS": "80"})
    assert "LDN probably makes little or no difference to pain in MS." in " ".join(text.stdout.split())


# --- the shipped catalogue ----------------------------------------------------------------------


SHIPPED_CATALOGUE = load(SHIPPED)


def test_ms_has_a_rated_row_for_each_outcome_people_ask_about(runner: CliRunner) -> None:
    result = run(runner, "summary", "--condition", "ms", "--format", "json")
    assert result.exit_code == 0
    assert result.stderr == NOT_MEDICAL_ADVICE + "\n"
    rows = {row["measure"]: row for row in json.loads(result.stdout)["outcomes"]}
    wanted = ["quality-of-life", "mental-health", "pain", "cognition", "spasticity", "disability", "medication-use"]
    assert set(wanted) <= set(rows)
    for measure in wanted:
        row = rows[measure]
        assert row["condition"] == "ms"
        assert row["certainty"] in g.CERTAINTY
        assert row["reasons"] and all(r["domain"] in dict(g.DOWNGRADES) for r in row["reasons"])
        assert row["statement"] and row["participants_basis"] in (
            g.AS_ARTICLES,
            g.PUBLISHED_ENROLLED,
            f"{g.PUBLISHED_ENROLLED} where verified, else {g.AS_ARTICLES}",
        )
        assert row["publication_bias"] == "not assessed"
    quality = rows["quality-of-life"]
    assert quality["rated"] == ["ms-17-week-rct", "ucsf-cree-rct"]
    # The UCSF trial enrolled 80 as published (the articles say 60); the retrospective survey has no enrolment.
    assert quality["enrolled"] == {"ms-17-week-rct": 96, "ucsf-cree-rct": 80}
    assert quality["participants"] == 96 + 80 + 215
    assert quality["participants_basis"] == f"{g.PUBLISHED_ENROLLED} where verified, else {g.AS_ARTICLES}"
    assert rows["medication-use"]["participants_basis"] == g.AS_ARTICLES  # the paper gives 341 analysed
    assert {"inconsistency", "imprecision"} <= {r["domain"] for r in quality["reasons"]}
    assert rows["medication-use"]["reasons"][-1]["domain"] == "indirectness"


def test_the_summary_text_shows_the_table_and_says_publication_bias_is_not_assessed(runner: CliRunner) -> None:
    result = runner.invoke(
        app, ["--no-cache", "summary", "--condition", "ms"], env={"LDN_DATA": "", "COLUMNS": "80", "NO_COLOR": "1"}
    )
    assert result.exit_code == 0
    assert all(len(line) <= 80 for line in result.stdout.splitlines())
    flat = " ".join(result.stdout.split())
    assert "Summary of findings: what the articles report, and how certain" in flat
    assert "We are very uncertain whether LDN improves spasticity in MS." in flat
    assert "publication bias not assessed" in flat
    assert "Overall effect" not in flat
    assert "Passing mentions, with no design, size or data (2): ms-il6-tnf-mention, ms-trials" in flat
    assert "Preclinical work (animal, cell, hypothesis) (4): eae-mice-ogf" in flat


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


def test_the_ms_risk_of_bias_reasons_rest_on_the_published_layer_and_say_so(runner: CliRunner) -> None:
    result = run(runner, "summary", "--condition", "ms", "--format", "json")
    rows = {row["measure"]: row for row in json.loads(result.stdout)["outcomes"]}
    bias = {m: next(r for r in row["reasons"] if r["domain"] == "risk-of-bias") for m, row in rows.items()}
    assert bias["mental-health"] == {
        "domain": "risk-of-bias",
        "steps": 1,
        "text": "ucsf-cree-rct: as published: randomized, double-blind; 60 of 80 enrolled completed, 25% lost "
        "(more than 20%)",
        "basis": "published",
    }
    assert bias["weakness"]["basis"] == "articles"
    assert "not reported in the articles" not in bias["quality-of-life"]["text"]
    for row in rows.values():
        assert all(r["basis"] in ("published", "articles", "both") for r in row["reasons"])
        for reason in row["reasons"]:
            layer = {"published": "as published", "articles": "the articles"}.get(reason["basis"])
            assert layer is None or layer in reason["text"]


def test_studies_whose_records_name_the_same_people_are_both_counted_and_flagged() -> None:
    pilot = study("pilot", "controlled-trial", 10, ("pain", "benefit"), condition="fibromyalgia")
    later = study(
        "later", "before-after", 8, ("pain", "benefit"), condition="fibromyalgia",
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


def test_the_fibromyalgia_rows_say_their_two_studies_may_share_their_women(runner: CliRunner) -> None:
    result = run(runner, "summary", "--condition", "fibromyalgia", "--format", "json")
    rows = {row["measure"]: row for row in json.loads(result.stdout)["outcomes"]}
    pain = rows["pain"]
    assert pain["studies"] == ["fibromyalgia-pilot", "fibromyalgia-cytokines"]
    assert pain["overlap"] == [{"study": "fibromyalgia-cytokines", "same_people_as": "fibromyalgia-pilot"}]
    assert (pain["participants"], pain["participants_if_same"]) == (18, 10)
    assert rows["inflammation"]["overlap"] == []
    text = runner.invoke(
        app, ["--no-cache", "summary", "--condition", "fibromyalgia"], env={"LDN_DATA": "", "COLUMNS": "80"}
    )
    flat = " ".join(text.stdout.split())
    assert "may overlap the record of fibromyalgia-cytokines names fibromyalgia-pilot" in flat
    assert "so 18 people may be 10" in flat
