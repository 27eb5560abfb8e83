"""How a sentence's neighbours, its heading and the studies spoken of before it tie it to a study, and how the
size of a change is compared: each rule on a small article of our own, the studies those of data/studies.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest

from ldn_evidence.claims import Checker, Context, Report, check_outcome
from ldn_evidence.claims.statements import size_values, stated_sizes
from ldn_evidence.loader import load

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker.of(load(ROOT / "data" / "studies.yaml"))


def links(report: Report) -> list[set[str]]:
    return [({c.study} | set(c.also)) - {None} for c in report.claims]  # type: ignore[operator]


def study(checker: Checker, ident: str) -> object:
    return next(s for s in checker.catalogue.studies if s.id == ident)


# --- headings ------------------------------------------------------------------------------------


def test_a_heading_that_speaks_of_a_study_is_tied_to_the_study_of_its_section(checker: Checker) -> None:
    report = checker.check(
        "a.md",
        "# Guide\n\n## The first randomized trial\n\n"
        "Younger et al. (2013) ran a 31-woman trial. It found less pain.\n\n"
        "## Where it leaves us\n\nNobody knows.\n",
    )
    by_text = {c.sentence: c for c in report.claims}
    assert by_text["The first randomized trial"].study == "fibromyalgia-younger-2013-rct"
    assert any(q.text.startswith("heads the section") for q in by_text["The first randomized trial"].cues)
    assert by_text["Where it leaves us"].study is None  # speaks of no study


def test_a_heading_speaking_of_several_trials_is_tied_to_each_of_its_section(checker: Checker) -> None:
    report = checker.check(
        "a.md",
        "# Guide\n\n## The newer trials\n\n"
        "- FINAL, a 99-woman trial in Denmark, found pain fell in both groups.\n"
        "- INNOVA, a single-centre trial in 98 women, found the same.\n\n"
        "## Elsewhere\n\nNothing more.\n",
    )
    heading = next(c for c in report.claims if c.sentence == "The newer trials")
    assert {heading.study, *heading.also} == {"fibromyalgia-bruun-2024-final-rct", "fibromyalgia-innova-rct"}


def test_a_heading_whose_design_does_not_fit_or_that_asks_or_that_is_a_talk_is_tied_to_nothing(
    checker: Checker,
) -> None:
    for heading in ("The open-label study", "What did the trial find?", "Presentation by Jarred Younger, PhD"):
        report = checker.check("a.md", f"# Guide\n\n## {heading}\n\nYounger et al. (2013) ran a 31-woman trial.\n")
        assert next(c for c in report.claims if c.sentence == heading).study is None, heading


def test_a_talk_by_an_investigator_is_not_linked_by_the_speakers_name(checker: Checker) -> None:
    # Cree names one study alone: the talk line is not that study, a sentence about his trial is.
    report = checker.check("a.txt", "Presentation by Bruce Cree, MD.\n\nA paper by Bruce Cree reported the trial.")
    assert [c.study for c in report.claims] == [None, "ucsf-cree-rct"]


# --- two studies, neighbours and continuations ---------------------------------------------------


def test_one_study_and_the_other_are_the_two_spoken_of_just_before(checker: Checker) -> None:
    report = checker.check(
        "a.txt",
        "The UCSF trial of 80 people ran at the University of California, San Francisco.\n\n"
        "A second trial, by Sharafaddinzadeh and colleagues, randomized 96 adults.\n\n"
        "So of the two placebo-controlled trials, one study showed gains in mental health, the other found no "
        "effect on quality of life at all.",
    )
    assert links(report)[-1] == {"ucsf-cree-rct", "ms-17-week-rct"}
    # Design words that do not fit both tie it to neither.
    report = checker.check(
        "a.txt",
        "The UCSF trial of 80 people ran at the University of California, San Francisco.\n\n"
        "A second trial, by Sharafaddinzadeh and colleagues, randomized 96 adults.\n\n"
        "Of the two open-label trials, one study showed gains, the other found no effect at all.",
    )
    assert links(report)[-1] == set()


def test_a_neighbour_helps_only_the_study_it_points_at_most(checker: Checker) -> None:
    # Penn State names two Crohn's trials; the sentence after it is about the first one only.
    report = checker.check(
        "a.txt",
        'The story starts at Penn State College of Medicine. In "Low-dose naltrexone therapy improves active '
        "Crohn's disease\", Smith and colleagues gave 17 patients 4.5 mg for 12 weeks.",
    )
    assert report.claims[0].study != "crohns-smith-2011-rct"
    assert report.claims[1].study == "crohns-2007"


def test_a_continuation_goes_on_past_words_every_trial_of_the_condition_shares(checker: Checker) -> None:
    report = checker.check(
        "a.txt",
        "A 2024 meta-analysis in the Korean Journal of Pain pooled 4 randomized trials. Pain scores were lower "
        "with LDN overall, but the FIQR (the main fibro questionnaire) did not differ from placebo.",
    )
    assert [c.study for c in report.claims] == ["fibromyalgia-vatvani-2024-review"] * 2


def test_a_topic_and_one_uncommon_word_are_no_link(checker: Checker) -> None:
    report = checker.check("a.txt", "Annual scientific meeting, chronic pain section.")
    assert report.claims[0].study is None


def test_a_sentence_about_people_is_the_patient_part_of_a_paper_and_mice_its_mouse_part(checker: Checker) -> None:
    report = checker.check(
        "a.txt",
        "Ludwig, Zagon and McLaughlin reported in Experimental Biology and Medicine (2017) that serum enkephalin "
        "was lower in people with MS than in healthy volunteers. In the mice, a fall in the growth factor came "
        "before the first signs of disease.",
    )
    assert [c.study for c in report.claims] == ["ms-serum-ogf", "eae-mice-ogf"]


# --- the size of a change ------------------------------------------------------------------------


def test_sizes_are_read_with_their_units_and_bounds() -> None:
    found = [(s.value, s.unit, s.bound) for s in stated_sizes("fell by more than 30%, about 15%, 3.3 points")]
    assert found == [(30.0, "%", "at least"), (15.0, "%", "about"), (3.3, "points", "")]
    assert [s.value for s in stated_sizes("Eighty-nine percent responded")] == [89.0]
    assert size_values("28.8% reduction versus 18.0% reduction; P = 0.016") == [28.8, 18.0]
    assert size_values("-0·34 (-0·95 to 0·27; p=0·27, Cohen's d 0·23)") == [0.34, 0.95, 0.27]


@pytest.mark.parametrize(
    ("ident", "sentence", "expected"),
    [
        ("ucsf-cree-rct", "Less pain: scores improved 1.6 points on LDN.", "agrees"),
        ("ucsf-cree-rct", "Less pain: scores improved 4 points on LDN.", "differs"),
        ("fibromyalgia-younger-2013-rct", "Less pain, by 28.8%.", "agrees"),
        ("fibromyalgia-younger-2013-rct", "Less pain, by more than 20%.", "agrees"),
        ("fibromyalgia-younger-2013-rct", "Less pain, by 50%.", "differs"),
        ("fibromyalgia-younger-2013-rct", "Less pain, by 30%.", "agrees"),  # within a twentieth of 28.8
        ("ucsf-cree-rct", "Less pain: scores improved 2 points on LDN.", "agrees"),  # 1.6 rounded
        ("ucsf-cree-rct", "Less pain: scores improved 1.9 points on LDN.", "differs"),  # 1.6 to one place is 1.6
        ("fibromyalgia-younger-2013-rct", "Less pain, by 5 points.", "unchecked"),  # the paper's size is in %
        ("fibromyalgia-cytokines", "Pain fell by about 15%.", "agrees"),  # the catalogue's sentence gives it
    ],
)
def test_a_size_is_compared_with_the_papers_for_that_measure(
    checker: Checker, ident: str, sentence: str, expected: str
) -> None:
    ctx = Context(sentence, study(checker, ident), checker.catalogue, checker.published)  # type: ignore[arg-type]
    checks = check_outcome(ctx)
    assert checks[0].kind == "outcome" and checks[0].verdict == "agrees"  # the direction
    sized = [c for c in checks if c.kind == "size"]
    assert [c.verdict for c in sized] == [expected]
    if expected == "differs":
        assert sized[0].published is not None and sized[0].excerpt  # the paper's size beside the article's


def test_no_size_is_compared_when_the_direction_differs(checker: Checker) -> None:
    ctx = Context(
        "Quality of life improved by 30%.",
        study(checker, "ms-17-week-rct"),
        checker.catalogue,
        checker.published,  # type: ignore[arg-type]
    )
    checks = check_outcome(ctx)
    assert [c.verdict for c in checks] == ["differs"]


def test_words_alone_do_not_stop_a_continuation(checker: Checker) -> None:
    # "vivid dreams" are words of another study's record, not its name.
    report = checker.check(
        "a.txt",
        "A 2024 meta-analysis in the Korean Journal of Pain pooled 4 randomized trials. Vivid dreams and nausea "
        "were more common on LDN.",
    )
    assert [c.study for c in report.claims] == ["fibromyalgia-vatvani-2024-review"] * 2


def test_a_paragraph_opening_on_the_paper_goes_on_about_the_study_before_it(checker: Checker) -> None:
    text = (
        "The UCSF trial of 80 people ran at the University of California, San Francisco.\n\n"
        "The press release that came with the paper was careful.\n\n"
        "Press releases often are.\n"
    )
    assert [c.study for c in checker.check("a.txt", text).claims] == ["ucsf-cree-rct", "ucsf-cree-rct", None]
    # After a heading it does not.
    text = "# Guide\n\n## The UCSF trial\n\nThe press release that came with the paper was careful.\n"
    assert checker.check("a.md", text).claims[-1].study is None


def test_one_place_named_in_full_is_one_mention(checker: Checker) -> None:
    # "University of Alabama" and "Birmingham" name one place: not a second study's own name.
    report = checker.check(
        "a.txt",
        "In a later study at the University of Alabama at Birmingham, eight women took 4.5 mg of LDN nightly for "
        "eight weeks, and blood levels of several inflammatory cytokines fell.",
    )
    assert links(report) == [{"fibromyalgia-cytokines"}]


def test_neither_and_both_of_two_studies_are_the_two_spoken_of_just_before(checker: Checker) -> None:
    report = checker.check(
        "a.txt",
        "The UCSF trial of 80 people ran at the University of California, San Francisco.\n\n"
        "A 17-week trial of 96 people with MS found no meaningful difference in quality of life.\n\n"
        "Neither was large, and neither measured relapses.",
    )
    assert links(report)[-1] == {"ucsf-cree-rct", "ms-17-week-rct"}


def test_a_possessive_names_the_investigator(checker: Checker) -> None:
    report = checker.check(
        "a.txt", "Dr Cree's trial at the University of California, San Francisco enrolled 80 people."
    )
    assert [(k.verdict, k.article) for k in report.claims[0].checks if k.kind == "attribution"] == [("agrees", "Cree")]


def test_a_pilot_proves_nothing_though_it_found_a_benefit(checker: Checker) -> None:
    from ldn_evidence.claims import check_overstatement

    def said(ident: str) -> list[tuple[str, str]]:
        ctx = Context("That study proves LDN works.", study(checker, ident), checker.catalogue, checker.published)  # type: ignore[arg-type]
        return [(c.verdict, f"{c.catalogue} {c.published}") for c in check_overstatement(ctx) if c.about is None]

    ((verdict, why),) = said("fibromyalgia-pilot")  # "...: a pilot study", a controlled trial with a benefit
    assert verdict == "differs" and "calls it a pilot" in why
    # A randomized trial whose papers do not call it a pilot is not one.
    from ldn_evidence.claims.checks import _is_pilot

    assert not _is_pilot(checker.catalogue, study(checker, "fibromyalgia-younger-2013-rct"))  # type: ignore[arg-type]
    assert _is_pilot(checker.catalogue, study(checker, "ucsf-cree-rct"))  # type: ignore[arg-type]


def test_a_pilot_is_named_by_the_word_its_paper_uses_and_a_place_counts_once(checker: Checker) -> None:
    # Both Stanford studies name the place; only the first one's paper calls it a pilot.
    report = checker.check("a.txt", "Fibromyalgia: the Stanford pilot showed symptoms fell more on LDN than placebo.")
    assert report.claims[0].study == "fibromyalgia-pilot"
    assert ("design", "pilot") in {(q.kind, q.text) for q in report.claims[0].cues}
    report = checker.check("a.txt", "Younger and Mackey ran it at Stanford in 2013.")  # the year tells them apart
    assert report.claims[0].study == "fibromyalgia-younger-2013-rct"
    assert not [q for q in report.claims[0].cues if q.kind == "words" and "stanford" in q.text]
