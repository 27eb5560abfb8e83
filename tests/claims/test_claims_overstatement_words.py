"""Overstatement in plain words: every form of each flagged word, negations that negate something else, rhetorical
questions, and the verbs of curing a chronic disease that are not "cure"."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ldn_evidence.claims import Checker, Report
from ldn_evidence.claims.statements import CURE_VERBS, OVERSTATEMENT_FORMS, asked, stated_overstatement
from ldn_evidence.loader import load

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker.of(load(ROOT / "data" / "studies.yaml"))


def verdicts(report: Report, kind: str) -> list[str]:
    return [k.verdict for c in report.claims for k in c.checks if k.kind == kind]


#: Every form of each flagged stem, written out here (not taken from the table): a form the table lacks fails.
EVERY_FORM = {
    "prove": ["proves", "proved", "proven", "proving"],
    "cure": ["cure", "cures", "cured", "curing", "curative"],
    "work": ["works", "worked"],
    "miracle": ["miracle", "miraculous"],
    "establish": ["established", "establishes"],
    "halt": ["halt", "halts", "halted", "halting"],
    "eradicate": ["eradicate", "eradicates", "eradicated", "eradicating"],
    "confirm": ["confirmed"],
}
CURE_VERB_FORMS = {
    "heal": ["heal", "heals", "healed", "healing"],
    "reverse": ["reverse", "reverses", "reversed", "reversing"],
    "beat": ["beat", "beats", "beaten", "beating"],
    "stop": ["stop", "stops", "stopped", "stopping"],
}


def test_the_table_holds_every_form_written_out_here() -> None:
    for stem, forms in EVERY_FORM.items():
        assert set(forms) <= set(OVERSTATEMENT_FORMS[stem]), stem
    for stem, forms in CURE_VERB_FORMS.items():
        assert set(forms) <= set(CURE_VERBS[stem]), stem


@pytest.mark.parametrize("form", [form for forms in EVERY_FORM.values() for form in forms])
@pytest.mark.parametrize("frame", ["LDN {} MS.", "Doctors say LDN {} it, in MS.", "{}: LDN and MS."])
def test_every_form_of_a_flagged_word_is_flagged(frame: str, form: str) -> None:
    sentence = frame.format(form)
    assert (stated_overstatement(sentence) or "").lower() == form, sentence
    assert stated_overstatement(frame.format(form.upper())), "case does not matter"


def test_prove_in_its_base_form() -> None:
    assert stated_overstatement("Studies prove LDN helps MS.") == "prove"
    assert stated_overstatement("These results prove that LDN beats MS.") == "prove"


@pytest.mark.parametrize(
    "sentence",
    [
        "LDN may prove useful in MS.",  # "prove" as "turn out"
        "A trial to prove whether LDN helps is planned.",
        "Studies have yet to prove that LDN works.",
        "The heart beat faster after the dose.",
        "Wound healing was faster.",
        "Stop taking it if you feel unwell.",
        "LDN reverses the effect of opioid blockers.",
    ],
)
def test_the_same_words_in_other_senses_are_not_flagged(sentence: str) -> None:
    assert stated_overstatement(sentence) is None


@pytest.mark.parametrize(
    ("sentence", "word"),
    [
        ("LDN heals MS.", "heals MS"),
        ("LDN reverses MS.", "reverses MS"),
        ("LDN eradicates MS.", "eradicates"),
        ("LDN beats MS.", "beats MS"),
        ("LDN stops MS in its tracks.", "stops MS"),
        ("LDN stopped the disease in its tracks.", "stopped the disease"),
        ("LDN stops inflammation in its tracks.", "stops inflammation in its tracks"),
        ("Patients healed their fibromyalgia with LDN.", "healed their fibromyalgia"),
        ("It is reversing multiple sclerosis.", "reversing multiple sclerosis"),
        ("LDN stops disease progression.", "stops disease progression"),
    ],
)
def test_a_cure_said_with_another_verb_is_flagged(sentence: str, word: str) -> None:
    assert stated_overstatement(sentence) == word


@pytest.mark.parametrize("verb", [form for forms in CURE_VERB_FORMS.values() for form in forms])
def test_every_form_of_a_cure_verb_with_a_disease_as_object(verb: str) -> None:
    assert stated_overstatement(f"LDN {verb} MS.") == f"{verb} MS"
    assert stated_overstatement(f"LDN never {verb} MS.") is None


#: A negation of another verb ("never forget", "don't doubt") that asserts the claim after it.
ASSERTED = [
    "Never forget that LDN cures MS.",
    "Always remember and never doubt that LDN cures MS.",
    "Don't doubt it: LDN cures MS.",
    "Do not forget that LDN cures MS.",
    "No one can deny that LDN cures MS.",
    "Nobody disputes that LDN cures MS.",
    "You cannot ignore that LDN cures MS.",
    "Never underestimate how LDN cures MS.",
    "Not only does LDN cure MS, it heals it.",
    "There is no doubt LDN cures MS.",
]


@pytest.mark.parametrize("sentence", ASSERTED)
def test_a_negated_verb_of_doubting_or_forgetting_does_not_shield_the_claim(sentence: str) -> None:
    assert stated_overstatement(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Never forget that LDN does not cure MS.",
        "Do not believe that LDN cures MS.",
        "I never said LDN cures MS.",
        "No one doubts that it does not cure MS.",
        "LDN is not curing anyone of MS.",
    ],
)
def test_a_negation_of_the_claim_itself_still_holds(sentence: str) -> None:
    assert stated_overstatement(sentence) is None


@given(
    negation=st.sampled_from(["Never", "Don't", "Do not", "No one should", "Nobody can", "You can't"]),
    verb=st.sampled_from(["forget", "doubt", "deny", "dispute", "question", "overlook", "ignore"]),
    claim=st.sampled_from(["LDN cures MS", "LDN heals MS", "LDN reverses MS", "studies prove it works"]),
)
def test_any_negated_verb_of_doubting_asserts_the_claim_after_that(negation: str, verb: str, claim: str) -> None:
    assert stated_overstatement(f"{negation} {verb} that {claim}.")


@pytest.mark.parametrize(
    "sentence",
    [
        "Who would have guessed that LDN cures MS?",
        "Who would have thought that LDN heals MS?",
        "Who knew that LDN cures MS?",
        "Did you know that LDN cures MS?",
        "Isn't it amazing that LDN cures MS?",
    ],
)
def test_a_rhetorical_question_states_the_claim_it_carries(checker: Checker, sentence: str) -> None:
    assert not asked(sentence)
    assert stated_overstatement(sentence)
    assert "differs" in verdicts(checker.check("a.txt", sentence), "overstatement")


@pytest.mark.parametrize(
    "sentence",
    ["Is it true that LDN cures MS?", "Does LDN cure MS?", "Who says that LDN cures MS?", "Can LDN heal MS?"],
)
def test_a_real_question_is_still_asked(sentence: str) -> None:
    assert asked(sentence)
    assert stated_overstatement(sentence) is None


@pytest.mark.parametrize(
    "text",
    [
        "Studies prove LDN helps MS.",
        "Studies prove LDN beats MS.",
        "Never forget that LDN cures MS.",
        "Always remember and never doubt that LDN cures MS.",
        "LDN is curing people of MS.",
        "LDN is a curative treatment for MS.",
        "LDN heals MS.",
        "LDN reverses MS.",
        "LDN eradicates MS.",
        "LDN stops MS in its tracks.",
        "Who would have guessed that LDN cures MS?",
    ],
)
def test_each_shape_fails_a_strict_run(checker: Checker, text: str) -> None:
    assert "differs" in verdicts(checker.check("a.txt", text), "overstatement")


def test_a_cure_verb_said_of_animals_is_left_to_the_animal_check() -> None:
    """What mice showed may be true of mice: carrying it to people is the `animal-to-human` check's to flag."""
    assert stated_overstatement("In mice, LDN reversed the disease.") is None
    assert stated_overstatement("In mice, LDN stopped the disease in its tracks, which proves it works.") == "proves"
