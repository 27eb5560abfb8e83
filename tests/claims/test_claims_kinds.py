"""Each kind of failure seen on real articles (issue 21), as a small article of our own: how the checker
links and checks it. The studies and their facts are the catalogue's (data/studies.yaml)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ldn_evidence.claims import Checker, Report
from ldn_evidence.claims.statements import stated_advice, stated_outcomes, stated_overstatement
from ldn_evidence.loader import load

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker.of(load(ROOT / "data" / "studies.yaml"))


def links(report: Report) -> list[set[str]]:
    return [({c.study} | set(c.also)) - {None} for c in report.claims]  # type: ignore[operator]


def verdicts(report: Report, kind: str) -> list[str]:
    return [k.verdict for c in report.claims for k in c.checks if k.kind == kind]


@pytest.mark.parametrize(
    ("sentence", "study"),
    [
        ("A 96-patient trial ran for 17 weeks.", "ms-17-week-rct"),  # compound number
        ("Sharafaddinzadeh et al. reported it in 2010.", "ms-17-week-rct"),  # author et al. and year
        ("LDN was tried for fatigue (Cree, 2010).", "ucsf-cree-rct"),  # author-year citation
        ("Its results appeared in Annals of Neurology in 2010.", "ucsf-cree-rct"),  # journal in full
        ("The trial was registered as NCT00568555.", "fibromyalgia-younger-2013-rct"),  # registry id
        (
            'The paper, "Low-dose naltrexone for the treatment of fibromyalgia: findings of a small, randomized '
            'trial assessing daily pain levels", followed.',
            "fibromyalgia-younger-2013-rct",
        ),
        ("The FINAL trial enrolled women only.", "fibromyalgia-bruun-2024-final-rct"),  # a trial's name
        ("Younger and Mackey ran it at Stanford in 2013.", "fibromyalgia-younger-2013-rct"),  # co-author, place
    ],
)  # fmt: skip
def test_a_study_is_named_by_its_paper(checker: Checker, sentence: str, study: str) -> None:
    assert study in links(checker.check("a.txt", sentence))[0]


def test_a_sentence_that_goes_on_about_a_study_continues_its_link(checker: Checker) -> None:
    report = checker.check(
        "a.txt",
        "The 60-patient UCSF study was published in Annals of Neurology. Participants also reported less pain.\n\n"
        "Participants also reported less pain.",
    )
    assert [c.study for c in report.claims] == ["ucsf-cree-rct", "ucsf-cree-rct", None]
    assert any(q.text.startswith("continues line") for q in report.claims[1].cues)


def test_a_sentence_on_two_studies_links_both(checker: Checker) -> None:
    report = checker.check(
        "a.txt", "The UCSF trial found better mental health, and the Norwegian study of 341 people found no change."
    )
    assert links(report)[0] == {"ucsf-cree-rct", "norway-2017"}


def test_a_sentence_saying_no_such_study_exists_links_none(checker: Checker) -> None:
    text = "The Norwegian study was published in 2017. To date, no comprehensive study has been conducted in Norway."
    assert links(checker.check("a.txt", text))[1] == set()


@pytest.mark.parametrize(
    ("sentence", "verdict"),
    [
        ("The 17-week trial of 96 patients found that LDN improved quality of life.", "differs"),
        ("The 17-week trial of 96 patients found no change in quality of life.", "agrees"),
        ("The 17-week trial of 96 patients found no meaningful improvement in quality of life.", "agrees"),
        ("The 60-patient UCSF study improved mental health.", "agrees"),
        ("The FINAL trial of 99 women found pain fell in both groups.", "agrees"),
        ("The FINAL trial of 99 women found less pain on LDN.", "differs"),
    ],
)
def test_an_outcome_is_compared_by_its_direction(checker: Checker, sentence: str, verdict: str) -> None:
    assert verdicts(checker.check("a.txt", sentence), "outcome")[:1] == [verdict]


def test_a_reversed_outcome_is_never_agrees_and_differs_shows_both_sides(checker: Checker) -> None:
    report = checker.check("a.txt", "The 17-week trial of 96 patients found that LDN improved quality of life.")
    check = next(k for c in report.claims for k in c.checks if k.kind == "outcome")
    assert check.verdict == "differs" and check.article and check.published and check.excerpt


def test_a_measure_with_no_known_direction_is_unchecked_with_why(checker: Checker) -> None:
    report = checker.check("a.txt", "The 60-patient UCSF study reduced spasticity.")
    check = next(k for c in report.claims for k in c.checks if k.kind == "outcome")
    assert check.verdict in ("differs", "unchecked")
    if check.verdict == "unchecked":
        assert check.catalogue


def test_a_safety_claim_beside_the_dropouts_is_not_a_misreport(checker: Checker) -> None:
    claim = "The Italian pilot in Milan found LDN safe and well tolerated."
    alone = checker.check("a.txt", claim)
    beside = checker.check("a.txt", claim + " Even so, five people dropped out of the Milan pilot.")
    assert verdicts(alone, "harms") == ["differs"]
    assert verdicts(beside, "harms")[:1] == ["agrees"]


@pytest.mark.parametrize(
    "sentence",
    [
        "If your disease-modifying therapy is giving you side effects, switch from your disease-modifying therapy "
        "to LDN like I did.",
        "Ask a compounding pharmacy, they're super helpful.",
        "You can stop your current MS injections once LDN is working.",
    ],
)
def test_advice_is_found(sentence: str) -> None:
    assert stated_advice(sentence)


@pytest.mark.parametrize(
    "sentence", ["Keep taking the treatments your neurologist has prescribed.", "Patients, stop reading here."]
)
def test_what_is_not_advice(sentence: str) -> None:
    assert stated_advice(sentence) is None


@pytest.mark.parametrize(
    "sentence",
    [
        "Those findings established that LDN worked as a symptom treatment.",
        "The study showed that LDN halts progression in PPMS.",
        "LDN was shown to stop disease progression.",
        "LDN is now an established first-line fibromyalgia treatment.",
        "This is exactly how LDN switches off autoimmunity.",
    ],
)
def test_overstatement_at_every_level(sentence: str) -> None:
    assert stated_overstatement(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Research in EAE mice showed LDN slows the disease, so the same protection can be expected in people.",
        "In experimental autoimmune encephalomyelitis, LDN delayed onset; patients can expect the same.",
    ],
)
def test_an_animal_model_named_any_way_carried_to_people(checker: Checker, sentence: str) -> None:
    assert "differs" in verdicts(checker.check("a.txt", sentence), "animal-to-human")


def test_a_negated_change_is_no_change() -> None:
    found = stated_outcomes("It found no clinically relevant pain relief.")
    assert found and all(not changed for _, _, changed in found)


#: Words that look like a negation but affirm what follows, and a question tag after a statement.
AFFIRMED = [
    "There is no doubt LDN cures MS.",
    "It is no secret LDN cures MS.",
    "Not only does LDN cure MS, it reverses it.",
    "LDN cures MS, isn't that amazing?",
    "LDN cures MS, right?",
    "There is no question that LDN cures MS.",
    "Undeniably, LDN cures MS.",
    "It won't hurt, and LDN cures MS.",
    "Nothing else works; LDN cures MS.",
]
#: A negation that governs the flagged word's clause, and real questions.
NEGATED = [
    "LDN does not cure MS.",
    "There is no evidence that it cures MS.",
    "LDN cannot be said to cure MS.",
    "It is not, as some claim, a cure.",
    "No one knows whether it cures MS.",
    "It has not been proven.",
    "Is it a miracle cure?",
    "Does LDN cure MS, or not?",
    "There is no doubt that LDN does not cure MS.",
]


@pytest.mark.parametrize("sentence", AFFIRMED)
def test_words_that_only_look_like_a_negation_leave_the_overstatement(checker: Checker, sentence: str) -> None:
    assert stated_overstatement(sentence)
    assert "differs" in verdicts(checker.check("a.txt", sentence), "overstatement")


@pytest.mark.parametrize("sentence", NEGATED)
def test_a_negation_of_the_claims_own_clause_is_no_overstatement(sentence: str) -> None:
    assert stated_overstatement(sentence) is None


@given(
    opener=st.sampled_from(
        [
            "There is no doubt",
            "It is no secret",
            "There is little doubt",
            "It is beyond doubt",
            "No wonder",
            "Not surprisingly",
            "It cannot be denied",
            "It won't hurt to say",
            "Nobody tells you this, but",
        ]
    ),
    subject=st.sampled_from(["LDN", "low dose naltrexone", "the drug", "it"]),
    tag=st.sampled_from(["", ", isn't that amazing?", ", right?", ", doesn't it?", " - who knew?"]),
)
def test_an_affirming_opener_or_a_question_tag_never_hides_a_cure(opener: str, subject: str, tag: str) -> None:
    sentence = f"{opener} {subject} cures MS{tag or '.'}"
    assert stated_overstatement(sentence) == "cures"


@given(
    negator=st.sampled_from(["does not", "doesn't", "cannot be said to", "will never", "has not been shown to"]),
    subject=st.sampled_from(["LDN", "low dose naltrexone", "the drug", "it"]),
    opener=st.sampled_from(["", "There is no doubt that ", "Not only that: "]),
)
def test_a_negator_before_the_verb_still_negates_it(negator: str, subject: str, opener: str) -> None:
    assert stated_overstatement(f"{opener}{subject} {negator} cure MS.") is None
