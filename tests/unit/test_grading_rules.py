"""The GRADE rules a methodologist's review of every row found broken, one test each (each failed before its fix)."""

from __future__ import annotations

import re

import pytest

from ldn_evidence import grading as g
from ldn_evidence.grading import Evidence
from ldn_evidence.grading.table import _analysed_for, _indirect, pending_trials
from ldn_evidence.loader import load
from ldn_evidence.model import Publication, PublishedFact, Source, Study
from ldn_evidence.published import Reading, Said, readings

from conftest import SHIPPED

CATALOGUE = load(SHIPPED)
ROWS = g.findings_table(CATALOGUE, CATALOGUE.studies)
DATA = g.findings_summary(CATALOGUE, CATALOGUE.studies)["outcomes"]


def row(condition: str, measure: str, event: str | None = None) -> g.Outcome:
    return next(o for o in ROWS if (o.condition, o.measure, o.event) == (condition, measure, event))


def evidence(ident: str, design: str = "rct", n: int | None = 100, effect: str = "benefit") -> Evidence:
    return Evidence(ident, design, n, g.AS_ARTICLES, effect, retold=False)


def fact(field: str, value: object = None, excerpt: str = "x", **keys: object) -> PublishedFact:
    return PublishedFact(field, "t", excerpt, "https://example.org", "abstract", value, **keys)  # type: ignore[arg-type]


def reading(*papers: tuple[str, tuple[PublishedFact, ...]]) -> Reading:
    pubs = tuple(Publication(ident, ("s",), "t", facts=facts) for ident, facts in papers)
    return Reading("s", pubs, tuple(Said(f, p, True) for p in pubs for f in p.facts))


# --- 3. start -------------------------------------------------------------------------------------


@pytest.mark.parametrize("design", ["open-label", "before-after", "retrospective", "case-series"])
def test_uncontrolled_designs_start_very_low(design: str) -> None:
    assert g.grade("ms", "pain", [evidence("a", design, 500)]).start == g.VERY_LOW


def test_no_row_of_the_catalogue_rated_on_uncontrolled_designs_starts_above_very_low() -> None:
    uncontrolled = {"open-label", "before-after", "retrospective", "case-series", "case-report"}
    for outcome in ROWS:
        if all(item.design in uncontrolled for item in outcome.rated):
            assert outcome.start == g.VERY_LOW, (outcome.condition, outcome.measure)


def test_a_review_whose_pages_say_it_included_case_reports_does_not_start_high() -> None:
    crps = row("crps", "pain")
    assert [item.id for item in crps.rated] == ["crps-soin-2021-systematic-review"]
    assert crps.start == g.VERY_LOW


# --- 1. imprecision and the count of people --------------------------------------------------------


def test_a_single_small_study_is_imprecise_even_where_its_interval_excludes_no_effect() -> None:
    clear = g.Found("biomarker", "benefit", g.PUBLISHED, size="2.0 kPa; 95% confidence interval (CI) 0.4–3.7 kPa")
    reason = g.imprecision([evidence("final", n=92)._replace(findings=(clear,))], "biomarker")
    assert reason is not None and reason.steps == 2 and "fewer than 100" in reason.text
    biomarker = row("fibromyalgia", "biomarker")
    assert "imprecision" in {r.domain for r in biomarker.reasons}
    assert biomarker.certainty < g.MODERATE


def test_people_are_those_analysed_in_the_publication_a_finding_comes_from() -> None:
    found = fact("outcome", measure="biomarker", direction="benefit", excerpt="only change in CPM")
    papers = reading(("main", (fact("analysed", 99),)), ("secondary", (fact("analysed", 92), found)))
    (finding,) = g.published_findings(papers)
    assert finding.publication == "secondary"
    assert _analysed_for(papers, [finding]) == (92, "analysed for these outcomes in secondary (as published)")
    # A finding of the main paper keeps the study's own count.
    main = reading(("main", (fact("analysed", 99), found)), ("secondary", (fact("analysed", 92),)))
    assert _analysed_for(main, list(g.published_findings(main))) is None


# --- 5. multiplicity -------------------------------------------------------------------------------


def test_a_result_that_lost_significance_after_multiplicity_adjustment_is_not_a_benefit() -> None:
    excerpt = "memory improved (P = .004), although the significance was lost after adjusting for multiplicity."
    lost = fact("outcome", measure="cognition", direction="benefit", excerpt=excerpt)
    (finding,) = g.published_findings(reading(("p", (lost,))))
    assert finding.direction == "unclear" and finding.caveat == g.MULTIPLICITY_WHY
    cognition = row("fibromyalgia", "cognition")
    assert cognition.direction != "benefit"
    assert "multiplicity" in cognition.statement and "improves" not in cognition.statement


# --- 6. selective reporting ------------------------------------------------------------------------


def test_primary_outcomes_named_by_their_instruments_are_reported_when_their_results_are() -> None:
    primary = fact("outcome", primary=True, excerpt="The primary outcomes were FIQR scores and summed pain intensity")
    fiqr = fact("outcome", measure="symptoms", direction="no-effect", scale="FIQR", excerpt="FIQR -1.65")
    spir = fact("outcome", measure="pain", direction="no-effect", scale="summed pain intensity ratings (SPIR)")
    judged = g.selective_reporting(reading(("p", (primary, fiqr, spir))), "rct")
    assert judged is not None and judged.judgement == "low"
    silent = g.selective_reporting(reading(("p", (primary,))), "rct")
    assert silent is not None and silent.judgement == "high"
    bested = next(j for o in ROWS for i in o.rated if i.id == "fibromyalgia-bested-2023-rct" for j in i.domains
                  if j.domain == "selective-reporting")  # fmt: skip
    assert bested.judgement == "low"


# --- 7. indirectness -------------------------------------------------------------------------------


def test_children_only_is_indirect_for_the_condition() -> None:
    study = Study("kids", "t", "crohns", "rct", "o", "benefit", (Source("a.txt", "q"),), n=14)
    papers = reading(("p", (fact("design", "rct", "Children were randomized to placebo or naltrexone"),)))
    assert _indirect(study, papers, ()) is not None
    for outcome in ROWS:
        if any(item.id == "crohns-smith-2013-paediatric-rct" for item in outcome.rated):
            reason = next(r for r in outcome.reasons if r.domain == "indirectness")
            assert "crohns-smith-2013-paediatric-rct: children only" in reason.text


def test_one_indirectness_rule_for_every_row_a_narrow_study_or_a_surrogate_is_rated_in() -> None:
    for outcome in ROWS:
        reason = next((r for r in outcome.reasons if r.domain == "indirectness"), None)
        if any(item.id == "milan-ppms-pilot" for item in outcome.rated):
            assert reason is not None and "milan-ppms-pilot: only people with PPMS" in reason.text, outcome.measure
        if outcome.measure in g.SURROGATE_MEASURES:
            assert reason is not None and "surrogate" in reason.text
    assert "immune" in g.SURROGATE_MEASURES  # the CD4 count is a laboratory value


# --- 8. risk of bias, once per study ---------------------------------------------------------------


def test_a_study_takes_the_same_risk_of_bias_step_in_every_row() -> None:
    seen: dict[str, g.StudyBias] = {}
    for outcome in ROWS:
        steps = 0
        for item in outcome.rated:
            judged = g.study_bias(item)
            assert seen.setdefault(item.id, judged) == judged, item.id
            steps = max(steps, judged.steps)
        reason = next((r for r in outcome.reasons if r.domain == "risk-of-bias"), None)
        assert (reason.steps if reason else 0) == steps, (outcome.condition, outcome.measure)
    assert seen["milan-ppms-pilot"].steps == 2 and seen["ibd-lie-2018-open-label"].steps == 2


# --- 9. publication bias ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("condition", "trial"),
    [
        ("crohns", "crohns-paulides-ldn-crohn-rct (recruiting)"),
        ("hiv-aids", "hiv-aids-emory-2023-open-label (recruiting)"),
        ("fibromyalgia", "fibromyalgia-innova-rct (active not recruiting: results seen to 3 months only, 12 months"),
    ],
)
def test_registered_trials_whose_results_are_not_in_the_catalogue_are_named(condition: str, trial: str) -> None:
    assert any(t.startswith(trial) for t in pending_trials(CATALOGUE.studies, readings(CATALOGUE))[condition])
    for outcome in ROWS:
        if outcome.condition == condition:
            assert trial in outcome.publication_bias
            assert "no registered trial of the condition in the catalogue is without results" not in (
                outcome.publication_bias
            )


# --- 10. measures, reviews and counts --------------------------------------------------------------


@pytest.mark.parametrize(
    ("scale", "measure"),
    [("fibromyalgia impact questionnaire revised", "symptoms"), ("FIQR", "symptoms"),
     ("pain catastrophizing scale", "pain"), ("Mental Health Inventory", "mental-health")],
)  # fmt: skip
def test_a_named_instrument_decides_its_measure(scale: str, measure: str) -> None:
    said = fact("pooled-result", measure="mental-health", direction="no-effect", scale=scale)
    assert [f.measure for f in g.published_findings(reading(("p", (said,))))] == [measure]


def test_no_fibromyalgia_mental_health_row_rests_on_the_impact_questionnaire_or_catastrophizing() -> None:
    for outcome in ROWS:
        if outcome.measure == "mental-health":
            for item in outcome.body:
                for found in item.findings:
                    assert not re.search(r"FIQ|impact questionnaire|catastroph", found.scale or "", re.IGNORECASE)


def test_reviews_of_the_same_trials_are_counted_once_and_beside_the_trials_not_at_all() -> None:
    reviews = [evidence("big", "systematic-review", 222), evidence("small", "systematic-review", 150)]
    both = g.grade("fibromyalgia", "pain", reviews)
    assert [i.id for i in both.rated] == ["big", "small"] and both.participants == 222
    assert "counted once, by big" in both.kept and "not counted again: small" in both.kept
    imprecise = next(r for r in both.reasons if r.domain == "imprecision")
    assert imprecise.text.startswith("222 participants in big,")
    with_trial = g.grade("fibromyalgia", "pain", [*reviews, evidence("trial", "rct", 99)])
    assert [i.id for i in with_trial.rated] == ["trial"] and with_trial.participants == 99
    assert "review(s) big, small" in with_trial.kept
    assert g.outcome_data(with_trial)["participants_beside"] == {
        "systematic-review": {"studies": 2, "participants": 372, "n_unknown": 0}
    }


def test_no_count_of_people_in_the_summary_sums_across_designs() -> None:
    for data, outcome in zip(DATA, ROWS, strict=True):
        counted = [i for i in outcome.rated if i.counted and i.participants is not None]
        expected = sum(i.participants or 0 for i in counted) if counted else None
        assert data["participants"] == data["rated_participants"] == expected
        assert (data["participants_if_same"] or 0) <= (data["participants"] or 0)
        assert all(isinstance(cell, dict) for cell in data["participants_beside"].values())


# --- minor: words ----------------------------------------------------------------------------------


def test_verbs_fit_the_measure_and_harms_state_their_sizes() -> None:
    for outcome in ROWS:
        assert not re.search(r"changes (unwanted effects|safety)|improves (remission|the chance)", outcome.statement)
        assert not re.search(r"improves (biomarker|inflammation|immune|the use)", outcome.statement)
    withdrawals = row("fibromyalgia", "adverse-events", "withdrawals-for-adverse-events")
    assert "In 1 trial (99 people, randomized (as published)): fibromyalgia-bruun-2024-final-rct: Four of 49" in (
        withdrawals.statement
    )


# --- review 3: every row read again ----------------------------------------------------------------


def test_a_count_given_only_by_arm_says_so_in_the_basis() -> None:
    papers = reading(("p", (fact("analysed", arms=(51, 49)),)))
    study = next(s for s in CATALOGUE.studies if s.id == "hiv-aids-traore-2011-rct")
    assert g.people_of(study, papers) == (100, "analysed, 51 + 49 by arm (as published)")
    immune = next(r for r in DATA if (r["condition"], r["measure"]) == ("hiv-aids", "immune"))
    assert immune["rated_participants_basis"] == "analysed, 51 + 49 by arm (as published)"


def test_a_secondary_analysis_count_speaks_for_its_own_findings_only() -> None:
    main = fact("outcome", measure="pain", direction="no-effect", excerpt="pain did not differ")
    secondary = fact("outcome", measure="biomarker", direction="benefit", excerpt="only change in CPM")
    papers = reading(
        ("main", (fact("randomized", 99), main)), ("secondary", (fact("analysed", arms=(45, 47)), secondary))
    )
    study = next(s for s in CATALOGUE.studies if s.id == "fibromyalgia-bruun-2024-final-rct")
    pain, cpm = g.published_findings(papers)
    assert g.people_of(study, papers, [pain]) == (99, "randomized (as published)")
    assert g.people_of(study, papers, [cpm]) == (92, "analysed, 45 + 47 by arm (as published)")
    # Its losses are those of the secondary analysis, not of the trial: the missing-data domain is not judged on them.
    assert "92 of 99" not in g.missing_data(papers, "rct").why
    # In the catalogue: FINAL's exploratory rows count the 92 analysed, its main rows the 99 randomized.
    assert row("fibromyalgia", "biomarker").participants == 92
    assert row("fibromyalgia", "function").participants == 92
    assert row("fibromyalgia", "mental-health").participants == 99
    final = next(i for i in row("fibromyalgia", "pain").rated if i.id == "fibromyalgia-bruun-2024-final-rct")
    missing = next(j for j in final.domains if j.domain == "missing-data")
    assert "No participants were lost" in (missing.quote or "")


def test_an_unwanted_event_is_one_row_whatever_measure_key_its_fact_carries() -> None:
    harm = fact("harms", measure="safety", event="adverse-events", excerpt="a favourable safety profile")
    (found,) = g.published_findings(reading(("p", (harm,))))
    assert (found.measure, found.event) == ("adverse-events", "adverse-events")
    keys = [(o.condition, o.measure, o.event) for o in ROWS]
    assert all(measure == "adverse-events" for _, measure, event in keys if event is not None)
    assert len(keys) == len(set(keys))
    ibs = row("ibs", "adverse-events", "adverse-events")
    assert ibs.start == g.HIGH and [i.design for i in ibs.rated] == ["rct"]
    assert {i.design for i in ibs.beside} == {"retrospective", "open-label"}


def test_a_review_starts_high_only_where_its_pages_say_its_trials_were_randomized() -> None:
    said = fact("trials-pooled", 4, excerpt="Four trials met the inclusion criteria")
    review = next(s for s in CATALOGUE.studies if s.design == "systematic-review")
    from ldn_evidence.grading.table import _review_start

    assert _review_start(review, reading(("r", (said,)))) == g.LOW
    assert _review_start(review, None) == g.LOW
    randomized = fact("trials-pooled", 7, excerpt="Seven randomized clinical trials involving 406 patients")
    assert _review_start(review, reading(("r", (randomized,)))) is None
    assert g.randomization(reading(("r", (randomized,))), "systematic-review").judgement == "low"
    for outcome in ROWS:
        for item in outcome.rated:
            if item.design == "systematic-review" and outcome.start == g.HIGH:
                judged = {j.domain: j for j in item.domains}
                assert judged["randomization"].judgement == "low", (outcome.condition, outcome.measure, item.id)


def test_words_say_no_effect_only_for_the_studies_that_found_none() -> None:
    rated = [evidence("a", "open-label", 40, "unclear"), evidence("b", "retrospective", None, "no-effect")]
    words = g.grade("ms", "disability", rated).statement
    assert "the studies found no effect" not in words
    assert "the study found no effect" in words and "a reports no clear result" in words


def test_the_evidence_map_and_bars_count_people_as_the_rows_do() -> None:
    people = g.counted_people(CATALOGUE, CATALOGUE.studies)
    assert people["ucsf-cree-rct"] == {"number": 80, "basis": "enrolled (as published)"}
    from ldn_evidence.catalogue import summarise

    numbers = {ident: cell["number"] for ident, cell in people.items()}
    ms_rct = summarise(CATALOGUE.studies, numbers)["evidence_map"]["ms"]["rct"]
    rated = row("ms", "quality-of-life")
    assert ms_rct["participants"] == rated.participants == 176


def test_rated_people_of_several_designs_show_each_designs_share() -> None:
    rated = [evidence("a", "open-label", 47), evidence("b", "retrospective", 40)]
    outcome = g.grade("ibd", "remission", rated)
    people, basis = g.rated_participants(outcome)
    assert people == 87 and "by design, each starting very low: open-label 47, retrospective 40" in basis
    assert g.outcome_data(outcome)["rated_by_design"]["open-label"]["participants"] == 47
    unknown = g.grade("ibd", "remission", [evidence("a", "open-label", 47), evidence("b", "retrospective", None)])
    assert "open-label 47, retrospective not reported" in g.rated_participants(unknown)[1]
    nobody = g.grade("ibd", "remission", [evidence("b", "retrospective", None)])
    assert g.rated_participants(nobody) == (None, "not reported")
    for data in DATA:
        if len(data["rated_by_design"]) > 1:
            assert "by design" in data["rated_participants_basis"]


def test_no_group_of_the_summary_that_spans_designs_or_conditions_sums_people() -> None:
    from ldn_evidence.catalogue import summarise
    from ldn_evidence.results import strata_only

    data = strata_only({**g.findings_summary(CATALOGUE, CATALOGUE.studies), **summarise(CATALOGUE.studies)})
    assert "participants" not in data
    for kind in ("clinical", "preclinical"):
        assert "participants" not in data[kind]
