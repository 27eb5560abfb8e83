"""A Markdown article is counted before markdown-it builds its tokens: its words, marks, lines with text and the
cells its tables are filled out to, at most MARKDOWN_UNITS; so what reading it holds, and the calls it makes, are
bounded by that count, measured (tracemalloc, a profile's calls), never timed."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ldn_evidence.claims import ArticleError, Checker, sentences
from ldn_evidence.claims.reading import (
    _ALNUM,
    _MARK,
    _TEXT_LINE,
    MARKDOWN_UNITS,
    STEPS_PER_MARK,
    _markup_within_limit,
    _table_cells,
    markdown_text,
)
from ldn_evidence.loader import load

ROOT = Path(__file__).resolve().parents[2]
#: What a whole check holds, at most: for each byte, each sentence (as tests/claims/test_claims_bounds.py), and for
#: each unit of a Markdown source (markdown-it's tokens: measured up to about 1,250 bytes, a line of "#").
PER_BYTE, PER_SENTENCE, PER_UNIT = 10, 16_000, 1_400


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker.of(load(ROOT / "data" / "studies.yaml"))


def units(text: str) -> int:
    """What `_markup_within_limit` counts: words, marks, lines with text and the cells tables are filled out to."""
    return len(_ALNUM.findall(text)) + len(_MARK.findall(text)) + len(_TEXT_LINE.findall(text)) + _table_cells(text)


def _fits(text: str) -> bool:
    try:
        _markup_within_limit("a.md", text)
    except ArticleError:
        return False
    return True


def peak_of(run: object) -> int:
    import tracemalloc

    tracemalloc.start()
    try:
        run()  # type: ignore[operator]
    except ArticleError:
        pass
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak


#: The shapes markdown-it held the most for (a wide table, links, setext headings, lazy quotes, reference
#: definitions, headings and list items without words, a table filled out from one-word lines), by unit.
SHAPES = {
    "wide table": lambda k: ("|" + "w|" * 200 + "\n") + "|" + "-|" * 200 + "\n" + ("|" + "w|" * 200 + "\n") * k,
    "links": lambda k: "[w](w) " * (100 * k),
    "setext": lambda k: "w w\n=\n" * (100 * k),
    "lazy": lambda k: "> w\nw\n" * (100 * k),
    "reference definitions": lambda k: "LDN is a drug.\n\n" + "[w]: /u\n" * (100 * k),
    "headings": lambda k: "LDN is a drug.\n\n" + "#\n" * (100 * k),
    "list items": lambda k: "LDN is a drug.\n\n" + "-\n" * (100 * k),
    "filled table": lambda k: "|".join(["w"] * 2000) + "\n" + "|".join(["-"] * 2000) + "\n" + "w\n" * k,
}


@pytest.mark.parametrize("shape", SHAPES, ids=list(SHAPES))
def test_a_markdown_article_past_the_count_is_refused_before_it_is_parsed(shape: str) -> None:
    text = SHAPES[shape](2_000)
    assert units(text) > MARKDOWN_UNITS
    with pytest.raises(ArticleError, match=r"^a\.md:\d+: .* more than an article has \(the limit is 120,000"):
        markdown_text(text, "a.md")
    # Refused after counting: reading held about the text's size, not markdown-it's tokens (hundreds a byte).
    assert peak_of(lambda: markdown_text(text, "a.md")) <= 3 * len(text.encode())


def largest(shape: str, count: int) -> int:
    """The largest size (by doubling) at which `shape` stays within `count` units."""
    k = 1
    while units(SHAPES[shape](2 * k)) <= count:
        k *= 2
    return k


@pytest.mark.parametrize("shape", SHAPES, ids=list(SHAPES))
def test_a_whole_check_of_markdown_holds_memory_bounded_by_its_count(checker: Checker, shape: str) -> None:
    text = SHAPES[shape](largest(shape, MARKDOWN_UNITS))
    assert units(text) <= MARKDOWN_UNITS
    claims = [0]

    def run() -> None:
        claims[0] = len(checker.check("a.md", text).claims)

    checker.check("a.md", "Warm-up sentence. LDN cures MS.")
    peak = peak_of(run)
    assert peak <= PER_BYTE * len(text.encode()) + PER_SENTENCE * claims[0] + PER_UNIT * units(text)


def calls_of(text: str) -> int:
    calls = [0]

    def count(frame: object, event: str, arg: object) -> None:
        if event == "call":
            calls[0] += 1

    sys.setprofile(count)
    try:
        markdown_text(text, "a.md")
    except ArticleError:
        pass
    finally:
        sys.setprofile(None)
    return calls[0]


@pytest.mark.parametrize("shape", SHAPES, ids=list(SHAPES))
def test_markdown_its_calls_are_within_the_steps_counted_for_it(shape: str) -> None:
    text = SHAPES[shape](largest(shape, 20_000))
    marks, lines = _markup_within_limit("a.md", text)
    # Each mark and each line with text counted as STEPS_PER_MARK steps, each character as one.
    assert calls_of(text) <= STEPS_PER_MARK * (marks + lines) + len(text) + 20_000


PIECES = ["word ", "[a](b) ", "[a]: /u\n", "*e* ", "_u_ ", "&#117;", "&amp; ", "<span hidden>x</span>", "`c` ",
          "\n", "\n\n", "> ", "- ", "# ", "a|b\n-|-\n", "![i](j) ", "\\*", "~~s~~ ", "<b>", "w\n===\n"]  # fmt: skip


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), max_size=60))
def test_the_count_is_never_lower_than_the_words_rendered(pieces: list[str]) -> None:
    text = "".join(pieces)
    rendered = sum(len(_ALNUM.findall(part)) for _, part in markdown_text(text, "a.md")) if _fits(text) else 0
    assert rendered <= len(_ALNUM.findall(text))


def test_sentences_of_markdown_within_the_count_are_read() -> None:
    text = "LDN is a drug.\n\n| a | b |\n|---|---|\n| one | two |\n\n[w]: /u\n\nIt cures MS."
    read = " ".join(s.text for s in sentences("a.md", text))
    assert read.startswith("LDN is a drug.") and "one two" in read and read.endswith("It cures MS.")
    assert "/u" not in read
