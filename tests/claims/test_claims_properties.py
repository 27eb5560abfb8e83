"""Property tests of linking: a correct link survives shuffling, whitespace and quote marks, and unrelated text."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from ldn_evidence.claims import KINDS, VERDICTS, ArticleError, Checker
from ldn_evidence.loader import load
from ldn_evidence.text import without_invisible

ROOT = Path(__file__).resolve().parents[2]

#: Sentences that each retell one study, with the study they retell.
RETELLINGS: tuple[tuple[str, str], ...] = (
    (
        "At the University of California, San Francisco, neurologist Bruce Cree led a randomized, "
        "placebo-controlled trial in which 60 patients took 4.5 mg of naltrexone nightly for eight weeks.",
        "ucsf-cree-rct",
    ),
    ("A study published in 2017 looked at prescription records in Norway.", "norway-2017"),
    (
        "In Italy, an open-label pilot at San Raffaele Hospital in Milan gave 5 mg to 40 people with "
        "primary-progressive MS for six months.",
        "milan-ppms-pilot",
    ),
    ("One 2007 study of 17 people with Crohn's disease found no particular side effects.", "crohns-2007"),
    (
        "A retrospective chart review of 215 people with MS found that most had no side effects, and 6% "
        "reported insomnia.",
        "ms-retrospective-215",
    ),
    (
        "In a small pilot, ten women with fibromyalgia took 4.5 mg for eight weeks after a couple of weeks on placebo.",
        "fibromyalgia-pilot",
    ),
    (
        "The seventeen-week-long study comprised 96 patients, and no analytical variation was observed.",
        "ms-17-week-rct",
    ),
    ("Both CRPS patients needed much less ketamine, and one stopped using a walking aid.", "crps-two-cases"),
)

#: Sentences about nothing in the catalogue.
UNRELATED = (
    "The weather in San Diego was mild on the day this story was filed.",
    "Tickets for the concert cost ten dollars and sold out in an hour.",
    "Our newsletter arrives every Tuesday morning.",
    "The bakery on the corner makes excellent bread.",
    "Sign in to comment on this story.",
    "Photographs by the author.",
    "A new bridge opened across the river last spring.",
    "Share this article with a friend.",
)

QUOTES = {"'": ("’", "'"), '"': ("“", "”", '"')}


_CHECKER: list[Checker] = []


def shipped() -> Checker:
    """The shipped catalogue prepared once (a plain function, so hypothesis never prints it)."""
    if not _CHECKER:
        _CHECKER.append(Checker.of(load(ROOT / "data" / "studies.yaml")))
    return _CHECKER[0]


def links(text: str) -> dict[str, str | None]:
    """The study each sentence of the text is linked to, by its words (whitespace and quote marks folded)."""
    from ldn_evidence.text import fold

    return {fold(c.sentence): c.study for c in shipped().check("a.txt", text).claims}


def expected(sentence: str) -> str:
    from ldn_evidence.text import fold

    return fold(sentence)


SETTINGS = settings(max_examples=100, deadline=None)


@SETTINGS
@given(
    order=st.permutations(range(len(RETELLINGS))),
    separators=st.lists(st.sampled_from([" ", "\n", "\n\n"]), min_size=8, max_size=8),
)
def test_shuffling_sentences_never_changes_a_correct_link(order: list[int], separators: list[str]) -> None:
    text = ""
    for position, index in enumerate(order):
        text += RETELLINGS[index][0] + separators[position % len(separators)]
    found = links(text)
    for sentence, study in RETELLINGS:
        assert found[expected(sentence)] == study


@SETTINGS
@given(
    index=st.integers(0, len(RETELLINGS) - 1),
    spaces=st.lists(st.sampled_from([" ", "  ", "\t", "\u00a0", " \n"]), min_size=1, max_size=40),
    curly=st.booleans(),
)
def test_whitespace_and_quote_marks_never_change_a_correct_link(index: int, spaces: list[str], curly: bool) -> None:
    sentence, study = RETELLINGS[index]
    words = sentence.split(" ")
    text = "".join(word + spaces[i % len(spaces)] for i, word in enumerate(words))
    if curly:
        text = text.replace("'", "’")
    text = "\u201c" + text.strip() + "\u201d" if curly else text
    found = [c.study for c in shipped().check("a.txt", text + "\n").claims]
    assert found == [study]


@SETTINGS
@given(
    index=st.integers(0, len(RETELLINGS) - 1),
    before=st.lists(st.sampled_from(UNRELATED), max_size=4),
    after=st.lists(st.sampled_from(UNRELATED), max_size=4),
    joined=st.sampled_from([" ", "\n", "\n\n"]),
)
def test_unrelated_sentences_never_change_a_correct_link(
    index: int, before: list[str], after: list[str], joined: str
) -> None:
    sentence, study = RETELLINGS[index]
    text = joined.join([*before, sentence, *after]) + "\n"
    found = links(text)
    assert found[expected(sentence)] == study
    assert all(found[expected(other)] is None for other in before + after)


@settings(max_examples=60, deadline=None)
@given(text=st.text(min_size=1, max_size=3000), name=st.sampled_from(["page.html", "a.txt", "a.md"]))
def test_any_text_gives_a_report_with_lines_inside_the_article(text: str, name: str) -> None:
    html = name.endswith(".html")
    try:
        report = shipped().check(name, text)
    except ArticleError as exc:
        assert str(exc) == f"{name}: no visible text to check"
        # Text without a letter or digit, or only with invisible characters between them, has no words.
        assert html or name.endswith(".md") or not re.search(r"[^\W_]", without_invisible(text))
        return
    last = text.count("\n") + 1
    for claim in report.claims:
        assert claim.sentence.strip() and 1 <= claim.line <= last
        assert claim.study is None or claim.score > 0
        assert all(check.kind in KINDS and check.verdict in VERDICTS for check in claim.checks)
