"""Check a press article against the catalogue: which study each sentence retells, and where it departs.

`check_article` splits an article into sentences (pysbd, a maintained splitter),
links each sentence, with its neighbours as context, to at most one study by the
cues that identify it (`CUES`), and runs the claim checks (`CHECKS`) on it. Each
check compares what the sentence states with the published layer where a value
there is verified, else with the articles' layer (the record's own values), and
says which it used. Nothing here prints or imports rich: the result is plain data
that the renderers and writers take as it is.

Precision matters more than recall: a sentence is linked only when its own cues
reach `THRESHOLD` and no other study comes within `MARGIN` of it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from typing import Any

from .discrepancies import YEAR_SLACK, of_study
from .errors import CatalogueError
from .model import (
    CONDITIONS,
    COUNT_KINDS,
    DESIGNS,
    MS_FORMS,
    NUMBER_WORDS,
    PRECLINICAL_DESIGNS,
    TIME_KINDS,
    Catalogue,
    Discrepancy,
    Duration,
    Study,
    number_value,
)
from .publications import citation
from .published import Reading, Said, readings
from .text import fold

#: A linked sentence's own cues must score at least this much.
THRESHOLD = 3.0
#: ... and beat the next study by at least this much.
MARGIN = 1.0
#: A neighbour's cues for the same study count this much.
CONTEXT_WEIGHT = 0.5
#: A sentence shorter than this many words is helped by no neighbour: captions and bylines stand alone.
CONTINUE_WORDS = 6
#: Articles larger than this are refused: a press article is a few pages (a saved page holds markup too).
MAX_BYTES = 2_000_000
#: ... and so are those whose (visible) text has more words than this: about three seconds of checking.
MAX_WORDS = 50_000

VERDICTS = ("agrees", "differs", "unchecked")
KINDS = (
    "n", "duration", "design", "dose", "population", "outcome", "harms", "attribution", "year",
    "overstatement", "animal-to-human", "advice",
)  # fmt: skip
NOT_ADVICE = "This checks an article against the catalogue; it is not medical advice."


class ArticleError(CatalogueError):
    """An article that cannot be read as text (missing, binary, empty, too large)."""


# --- the result ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Cue:
    """One thing in a sentence that points at a study."""

    kind: str
    """investigator, place, year, n, duration, dose, design, condition, words or context."""
    text: str
    """What matched, as the sentence has it."""
    weight: float
    """What it adds to the link's score."""


@dataclass(frozen=True, slots=True)
class Check:
    """One stated value compared with what is known."""

    kind: str
    """A key of KINDS."""
    verdict: str
    """agrees, differs or unchecked."""
    article: str
    """What the article says, in its words."""
    catalogue: str | None = None
    """What the catalogue's record says (as the articles report it), if it says anything."""
    published: str | None = None
    """What the paper says (as published), if the published layer verifies it."""
    excerpt: str | None = None
    """The verbatim quote or excerpt behind the comparison."""
    source: str | None = None
    """Where the excerpt stands: a seed file name or the page it was read on."""
    about: str | None = None
    """The study id or condition key checked, when it is not the linked study."""
    layer: str | None = None
    """Which layer the verdict compared with: published or articles; None when neither applies."""


@dataclass(frozen=True, slots=True)
class Claim:
    """One sentence of the article, its study (if any) and its checks."""

    sentence: str
    """The sentence as the article has it (whitespace folded)."""
    line: int
    """1-based line of the article where it starts."""
    study: str | None = None
    """The id of the study it retells, or None."""
    score: float = 0.0
    """The link's score (own cues plus context); 0 when not linked."""
    cues: tuple[Cue, ...] = ()
    """The cues that made the link."""
    checks: tuple[Check, ...] = ()
    """What it states, checked."""
    evidence_claim: bool = False
    """True when it claims evidence ("research has shown", "studies prove")."""


@dataclass(frozen=True, slots=True)
class Report:
    """An article checked, sentence by sentence."""

    name: str
    """The article's file name, or "-" for standard input."""
    claims: tuple[Claim, ...]
    """Every sentence, in order."""

    @property
    def unsupported(self) -> tuple[Claim, ...]:
        """Sentences that claim evidence but are tied to no study."""
        return tuple(c for c in self.claims if c.evidence_claim and c.study is None and not c.checks)

    @property
    def linked(self) -> tuple[Claim, ...]:
        """The sentences tied to a study."""
        return tuple(c for c in self.claims if c.study is not None)


# --- reading an article ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence, the line it starts on, and its paragraph."""

    text: str
    line: int
    paragraph: int


_BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "td",
        "th",
        "tr",
        "ul",
        "title",
    ]
)
_HIDDEN_TAGS = frozenset(("script", "style", "noscript", "template", "head", "svg", "iframe", "object"))


class _VisibleText(HTMLParser):
    """The text a browser shows, one block a line, each line tagged with its line in the HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[tuple[int, str]] = []
        self._current: list[str] = []
        self._line = 1
        self._hidden = 0

    def _flush(self) -> None:
        text = " ".join("".join(self._current).split())
        if text:
            self.lines.append((self._line, text))
        self._current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN_TAGS:
            self._hidden += 1
        elif tag in _BLOCK_TAGS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN_TAGS:
            self._hidden = max(0, self._hidden - 1)
        elif tag in _BLOCK_TAGS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self._hidden:
            return
        if not self._current:
            leading = data[: len(data) - len(data.lstrip())]
            self._line = self.getpos()[0] + leading.count("\n")
        self._current.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def html_text(html: str) -> list[tuple[int, str]]:
    """The visible text of an HTML page as (line in the page, block of text), scripts and styles left out."""
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    return parser.lines


def looks_like_html(name: str, text: str) -> bool:
    """True for a page saved from a browser: an .html name, or a doctype or <html> at the start."""
    head = text.lstrip()[:200].lower()
    return name.lower().endswith((".html", ".htm")) or head.startswith(("<!doctype html", "<html"))


def decode_article(name: str, data: bytes) -> str:
    """The article's text, or ArticleError for binary, undecodable, empty or oversized input."""
    if len(data) > MAX_BYTES:
        raise ArticleError(f"{name}: {len(data):,} bytes is too large for an article (the limit is {MAX_BYTES:,})")
    if b"\x00" in data:
        raise ArticleError(f"{name}: a binary file, not text (it holds NUL bytes)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ArticleError(f"{name}:{line}: not UTF-8 text (byte 0x{data[exc.start]:02x})") from exc
    if not text.strip():
        raise ArticleError(f"{name}: empty: there is no text to check")
    return text


def read_article(path: str) -> tuple[str, str]:
    """(name, text) of the article at `path`, "-" for standard input; ArticleError if it cannot be read."""
    import sys

    if path == "-":
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
        return "-", decode_article("standard input", data)
    from .errors import CatalogueFileError
    from .paths import read_capped

    try:
        # A regular file or a pipe only, read with a cap: a FIFO with no writer, a device
        # or an endless pipe can neither hang the run nor fill memory.
        data = read_capped(path, MAX_BYTES, "article")
    except CatalogueFileError as exc:
        raise ArticleError(str(exc)) from exc
    return path, decode_article(path, data)


_MARKDOWN_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKDOWN_MARKS = re.compile(r"(\*\*|__|`)")
_LIST_MARK = re.compile(r"^\s*(?:[-*+•]|\d+[.)]|#{1,6}|>)\s+")
_ENDS_SENTENCE = re.compile(r"[.!?:;\"”’)]\s*$")


def _blocks(lines: Iterable[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    """Group lines into paragraphs: a blank line, a heading or list item, or a line ending a sentence ends one."""
    blocks: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    for number, raw in lines:
        text = _MARKDOWN_MARKS.sub("", _MARKDOWN_LINK.sub(r"\1", raw))
        starts_block = bool(_LIST_MARK.match(text))
        text = _LIST_MARK.sub("", text).strip()
        if not text or starts_block:
            if current:
                blocks.append(current)
            current = []
        if text:
            current.append((number, text))
            if _ENDS_SENTENCE.search(text):
                blocks.append(current)
                current = []
    if current:
        blocks.append(current)
    return blocks


#: pysbd's time grows faster than the text, so a long paragraph is split in windows of this many characters.
_WINDOW = 2_000


_SEGMENTER: list[Any] = []


def _segmenter() -> Any:
    """pysbd's English segmenter, made once (importing pysbd takes ~15 ms: only `ldn claims` pays it)."""
    if not _SEGMENTER:
        import pysbd  # type: ignore[import-untyped]

        _SEGMENTER.append(pysbd.Segmenter(language="en", clean=False))
    return _SEGMENTER[0]


def _segment(segmenter: Any, text: str) -> list[str]:
    """The sentences pysbd finds in `text`, each as the text has it.

    pysbd's `segment` finds every sentence again in the whole text with a regular
    expression made from it: time that grows with the square of the text, and a
    new pattern each sentence that flushes Python's regular-expression cache (pysbd
    makes many patterns of its own). Its processor gives the same sentences without
    that step; `_split` finds them in the text with str.find. Tested against
    `segment` (tests/test_claims.py).
    """
    return [str(sentence) for sentence in segmenter.processor(text).process()]


def _split(segmenter: Any, text: str) -> list[tuple[int, str]]:
    """(offset, sentence) of each sentence in one paragraph, pysbd deciding every boundary."""
    found: list[tuple[int, str]] = []
    start = 0
    while start < len(text):
        window = text[start : start + _WINDOW]
        last = start + len(window) >= len(text)
        pieces = [p for p in _segment(segmenter, window) if p.strip()]
        keep = pieces if last or len(pieces) < 2 else pieces[:-1]
        cursor = 0
        for piece in keep:
            at = window.find(piece, cursor)
            at = cursor if at < 0 else at
            found.append((start + at, piece.strip()))
            cursor = at + len(piece)
        if last or len(pieces) < 2:
            if not last:  # one sentence longer than the window: take the window as it is
                cursor = len(window)
            start += max(cursor, 1)
            if last:
                break
        else:
            start += cursor
    return found


def _batches(paragraphs: list[str]) -> list[list[int]]:
    """Group paragraphs (by index) so that one pysbd call reads several short ones; a long one goes alone."""
    batches: list[list[int]] = []
    size = 0
    for index, paragraph in enumerate(paragraphs):
        if not batches or size + len(paragraph) > _WINDOW or len(paragraph) > _WINDOW:
            batches.append([])
            size = 0
        batches[-1].append(index)
        size += len(paragraph) + 1
    return batches


#: A mark that may end a sentence, for pysbd.
_TERMINATOR = re.compile(r"[.!?…。]")


def _split_paragraphs(segmenter: Any, paragraphs: list[str]) -> list[list[tuple[int, str]]]:
    """(offset, sentence) of each sentence of each paragraph.

    pysbd costs a few milliseconds a call whatever the length, so short paragraphs are
    read together, joined by line breaks, which pysbd always treats as sentence
    boundaries (a sentence that still spans one is cut there).
    """
    found: list[list[tuple[int, str]]] = [[] for _ in paragraphs]
    # A paragraph with no sentence mark before its end (a heading, a menu item) is one sentence as it is.
    alone = [i for i, p in enumerate(paragraphs) if not _TERMINATOR.search(p.rstrip()[:-1])]
    for i in alone:
        found[i] = (
            [(len(paragraphs[i]) - len(paragraphs[i].lstrip()), paragraphs[i].strip())] if paragraphs[i].strip() else []
        )
    rest = [i for i in range(len(paragraphs)) if i not in set(alone)]
    for part_batch in _batches([paragraphs[i] for i in rest]):
        batch = [rest[k] for k in part_batch]
        if len(batch) == 1:
            found[batch[0]] = _split(segmenter, paragraphs[batch[0]])
            continue
        joined = "\n".join(paragraphs[i] for i in batch)
        starts, at = [], 0
        for i in batch:
            starts.append(at)
            at += len(paragraphs[i]) + 1
        for offset, piece in _split(segmenter, joined):
            for part in piece.split("\n"):
                where = joined.find(part, offset) if part.strip() else -1
                if where < 0:
                    continue
                offset = where + len(part)
                slot = max(k for k, start in enumerate(starts) if start <= where)
                found[batch[slot]].append((where - starts[slot], part.strip()))
    return found


def sentences(name: str, text: str) -> list[Sentence]:
    """The article's sentences in order, each with the line it starts on (HTML read as its visible text).

    Raises ArticleError for text with no visible words or more than MAX_WORDS of them.
    """
    html = looks_like_html(name, text)
    lines = html_text(text) if html else list(enumerate(text.split("\n"), start=1))
    count = sum(len(line.split()) for _, line in lines)
    if count > MAX_WORDS:
        raise ArticleError(f"{name}: {count:,} words is more than an article (the limit is {MAX_WORDS:,})")
    if not count:
        raise ArticleError(f"{name}: no visible text to check")
    blocks = [[line] for line in lines] if html else _blocks(lines)
    paragraphs: list[str] = []
    offsets: list[list[tuple[int, int]]] = []
    for block in blocks:
        joined = ""
        starts: list[tuple[int, int]] = []
        for line, part in block:
            starts.append((len(joined), line))
            joined += part + " "
        paragraphs.append(" ".join(joined.split("\n")))
        offsets.append(starts)
    found: list[Sentence] = []
    for number, pieces in enumerate(_split_paragraphs(_segmenter(), paragraphs)):
        for offset, piece in pieces:
            line = next(line for at, line in reversed(offsets[number]) if at <= offset)
            words = " ".join(piece.split())
            if words:
                found.append(Sentence(words, line, number))
    return found


# --- what a sentence states -----------------------------------------------------------------

_NUMBER = r"(\d[\d,]*(?:\.\d+)?|" + "|".join(sorted((w for w in NUMBER_WORDS if len(w) > 2), key=len, reverse=True))
_NUMBER += r"|seventeen|sixty|eighty|forty|thirty|fifty|ninety|hundred)"
_EXTRA_NUMBERS = {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "eighty": 80, "ninety": 90, "hundred": 100}
_PEOPLE = r"(?:patients|people|persons|subjects|participants|women|men|individuals|adults|volunteers|sufferers)"
_SIZE_BEFORE = (
    r"(?:included|including|includes|enrolled|enrolling|enrolls|comprised|comprising|involving|involved|with|on|"
    r"assessed|recruited|studied|of|among|followed|treated|to|in\s+a\s+group\s+of)"
)
_N_RE = re.compile(
    rf"\b{_SIZE_BEFORE}\s+(?:a\s+total\s+of\s+|only\s+|just\s+)?{_NUMBER}\s+(?:[a-z-]+\s+)?{_PEOPLE}\b"
    rf"|\b{_NUMBER}\s+(?:[a-z-]+\s+)?{_PEOPLE}\s+(?:were|was)\s+(?:enrolled|included|randomi[sz]ed|studied|recruited)"
    rf"|(?<![.\d])\b{_NUMBER}\s+(?:[a-z-]+\s+)?{_PEOPLE}(?:\s+with\s+[\w'’-]+(?:\s+[\w'’-]+)?)?\s+"
    r"(?:took|received|were\s+given|were\s+treated|participated|took\s+part|completed)\b"
    rf"|\bout\s+of\s+{_NUMBER}\b",
    re.IGNORECASE,
)
_ANY_COUNT = re.compile(rf"\b{_NUMBER}\s+(?:[a-z-]+\s+)?{_PEOPLE}\b", re.IGNORECASE)
_DURATION_RE = re.compile(
    rf"\b(?P<num>{_NUMBER[1:-1]}|a\s+couple\s+of)[\s-]+(?P<unit>day|week|month|year)s?(?P<long>[\s-]+long)?"
    r"(?:\s+(?P<what>trial|study|investigation|pilot|period|course|treatment))?",
    re.IGNORECASE,
)
_DURATION_LEAD = re.compile(
    r"(?:\bfor|\bover|\bperiod\s+of|\blasted|\bran)\s+(?:about\s+|a\s+median\s+period\s+of\s+)?$", re.I
)
_DOSE_RE = re.compile(r"\b(\d+(?:\.\d+)?)\s*(?:mg|milligrams?)\b", re.IGNORECASE)
_YEAR_RE = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
_PUBLISHED_YEAR = re.compile(
    r"\b(?:published|presented|reported|appeared|proposed|conducted|carried\s+out)\b[^.;]{0,40}?\b(?:in\s+)?(19[5-9]\d|20[0-4]\d)\b"
    r"|\b(?:a|the|one|this)\s+(19[5-9]\d|20[0-4]\d)\s+(?:study|trial|paper|report)",
    re.IGNORECASE,
)
_DAYS = {"day": 1.0, "week": 7.0, "month": 30.44, "year": 365.25}


#: Small patterns the checks share, compiled once.
_THAN = re.compile(r"than\s+$")
_WITHOUT = re.compile(r"\b(?:without|no|not|nor)\b(?:\s+\w+){0,4}\s*$", re.I)
_NOT_A_HARMS_CLAIM = re.compile(r"\bsafety and efficacy\b|\bsafely\b", re.I)
_NEVER = re.compile(r"\s*(?:never|don't|do not)\b", re.I)
_NAMED = re.compile(r"\b(?:Dr\.?|Professor|Prof\.)\s+(?:[A-Z][a-z]+\s+)?([A-Z][a-zA-Z'-]+)")
_BENEFIT_TO = re.compile(r"\bbenefit\w*\b[^.]{0,40}\b(?:autoimmune|ms|multiple sclerosis)\b", re.I)
_ANIMALS = re.compile(r"\b(?:mice|mouse|rats?|animals?)\b", re.I)


def count_value(token: str) -> int | None:
    """A count in digits or words ("ten", "1,744") as an int; None if it is not one."""
    word = token.lower().replace(",", "")
    if word in _EXTRA_NUMBERS:
        return _EXTRA_NUMBERS[word]
    if word.startswith("a couple"):
        return 2
    try:
        value = number_value(word)
    except ValueError:
        return None
    return int(value) if value == int(value) else None


def stated_n(sentence: str) -> list[tuple[str, int]]:
    """(phrase, number) for each study size the sentence states ("60 patients", "out of 40")."""
    found = []
    for match in _N_RE.finditer(sentence):
        token = next(g for g in match.groups() if g)
        value = count_value(token)
        if value is not None and sentence[match.end() : match.end() + 1] != "%":
            found.append((match.group(0).strip(), value))
    return found


@dataclass(frozen=True, slots=True)
class StatedDuration:
    """A length of time a sentence states, and whether it is the study's length or the time on treatment."""

    phrase: str
    days: float
    of_study: bool
    """True for "an eight-week trial"; False for "for eight weeks"."""


def stated_durations(sentence: str) -> list[StatedDuration]:
    """Lengths of a study or of treatment the sentence states; ages, disease durations and 'ago' are left out."""
    found = []
    for match in _DURATION_RE.finditer(sentence):
        value = count_value(match.group("num"))
        after = sentence[match.end() : match.end() + 6].lower()
        before = sentence[max(0, match.start() - 30) : match.start()]
        if value is None or after.startswith((" ago", " old")) or _THAN.search(before):
            continue
        of_study = bool(match.group("what") and match.group("what").lower() not in ("period", "course", "treatment"))
        of_study = of_study or (bool(match.group("long")) and not _DURATION_LEAD.search(before))
        if not (of_study or _DURATION_LEAD.search(before) or match.group("what")):
            continue
        days = round(value * _DAYS[match.group("unit").lower()], 2)
        found.append(StatedDuration(match.group(0).strip(), days, of_study))
    return found


def stated_doses(sentence: str) -> list[tuple[str, float]]:
    """(phrase, milligrams) for each dose the sentence states."""
    return [(m.group(0), float(m.group(1))) for m in _DOSE_RE.finditer(sentence)]


def stated_year(sentence: str) -> list[tuple[str, int]]:
    """(phrase, year) where the sentence dates a study ("published in 2007", "a 2017 study")."""
    found = []
    for match in _PUBLISHED_YEAR.finditer(sentence):
        year = match.group(1) or match.group(2)
        found.append((match.group(0), int(year)))
    return found


#: design word (a regex) -> the design keys it fits, and those it contradicts.
DESIGN_WORDS: dict[str, tuple[str, frozenset[str], frozenset[str]]] = {
    "randomized": (
        r"\brandomi[sz]ed\b",
        frozenset({"rct", "systematic-review"}),
        frozenset(
            {
                "open-label",
                "before-after",
                "retrospective",
                "case-series",
                "case-report",
                "controlled-trial",
                "cohort",
                "animal",
                "in-vitro",
                "hypothesis",
            }
        ),
    ),
    "placebo-controlled": (
        r"\bplacebo\b",
        frozenset({"rct", "controlled-trial"}),
        frozenset({"open-label", "retrospective", "case-series", "case-report", "cohort", "hypothesis"}),
    ),
    "open-label": (r"\bopen[- ]label(?:ed)?\b", frozenset({"open-label"}), frozenset({"rct", "controlled-trial"})),
    "retrospective": (
        r"\bretrospective\b|\bchart review\b",
        frozenset({"retrospective"}),
        frozenset({"rct", "controlled-trial", "open-label"}),
    ),
    "case report": (
        r"\bcase (?:report|study)\b|\bsingle case\b",
        frozenset({"case-report", "case-series"}),
        frozenset({"rct", "controlled-trial", "cohort", "open-label", "retrospective", "before-after"}),
    ),
    "crossover": (r"\bcross-?over\b", frozenset(), frozenset({"open-label", "retrospective", "case-report"})),
    "double-blind": (
        r"\bdouble[- ](?:blind|masked)\b",
        frozenset(),
        frozenset({"open-label", "retrospective", "case-report", "case-series", "before-after"}),
    ),
    "single-blind": (r"\bsingle[- ](?:blind|masked)\b", frozenset(), frozenset({"open-label"})),
    "in mice": (r"\bmice\b|\bmouse\b|\brats?\b|\banimals?\b", frozenset({"animal"}), frozenset()),
    "in cells": (r"\bin vitro\b|\bcell cultures?\b", frozenset({"in-vitro"}), frozenset()),
}
_DESIGN_RES = {word: re.compile(pattern, re.IGNORECASE) for word, (pattern, _, _) in DESIGN_WORDS.items()}


def stated_design(sentence: str) -> list[str]:
    """The design words (keys of DESIGN_WORDS) the sentence uses, unless negated ("without a placebo")."""
    found = []
    for word, pattern in _DESIGN_RES.items():
        match = pattern.search(sentence)
        if match and not _WITHOUT.search(sentence[: match.start()]):
            found.append(word)
    return found


#: measure key -> words that name it in an article.
MEASURE_WORDS: dict[str, str] = {
    "weakness": r"weakness",
    "fatigue": r"fatigue|tiredness",
    "pain": r"pain",
    "spasticity": r"spasticity",
    "quality-of-life": r"quality[- ]of[- ]life",
    "mental-health": r"mental health",
    "cognition": r"cogniti\w*",
    "inflammation": r"inflammat\w*|cytokines?",
    "disability": r"disability",
    "medication-use": r"use of (?:other )?(?:ms )?(?:medicines|medications|drugs)|medication use",
}
_CHANGE = r"(?:less|reduc\w*|decreas\w*|improv\w*|better|relie\w*|fell|diminish\w*|increas\w*|rose|more)"
_MEASURE_RES = {
    key: re.compile(
        rf"\b{_CHANGE}\b(?:\s+\w+){{0,2}}?\s+(?:{words})\b|\b(?:{words})\b(?:\s+\w+){{0,2}}?\s+{_CHANGE}\b", re.I
    )
    for key, words in MEASURE_WORDS.items()
}
_NO_CHANGE = (
    r"(?:no\s+(?:change|difference|improvement|effect|significant\s+\w+)"
    r"|did\s+not\s+(?:\w+\s+)?(?:change|improve|differ))"
)
_STEADY_RES = {
    key: re.compile(
        rf"\b{_NO_CHANGE}\b(?:\s+\w+){{0,3}}?\s+(?:{words})\b|\b(?:{words})\b(?:\s+\w+){{0,4}}?\s+{_NO_CHANGE}\b"
        rf"|\b(?:{words})\b(?:\s+\w+){{0,2}}?\s+(?:was|were)\s+unchanged\b",
        re.I,
    )
    for key, words in MEASURE_WORDS.items()
}


_HEDGED = re.compile(r"\b(?:may|might|could|can)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)


def stated_outcomes(sentence: str) -> list[tuple[str, str, bool]]:
    """(measure key, phrase, changed) for each measure the sentence says changed (True) or did not (False)."""
    found = []
    for key in MEASURE_WORDS:
        for pattern, changed in ((_STEADY_RES[key], False), (_MEASURE_RES[key], True)):
            for match in pattern.finditer(sentence):
                found.append((key, match.group(0), changed))
    # One statement a measure and direction: the first phrase that says it. A hedge ("may reduce pain")
    # states no finding.
    seen: set[tuple[str, bool]] = set()
    kept = []
    for key, phrase, changed in found:
        if _HEDGED.search(sentence[: sentence.find(phrase)]):
            continue
        if (key, changed) not in seen:
            seen.add((key, changed))
            kept.append((key, phrase, changed))
    return kept


_HARMS_RE = re.compile(
    r"\bno (?:particular |serious |major |significant )?(?:side[- ]effects|adverse (?:events|effects))\b"
    r"|\bwithout (?:any )?side[- ]effects\b|\bfree of side[- ]effects\b|\bwell[- ]tolerated\b|\bsafe\b|\bharmless\b",
    re.IGNORECASE,
)
_NEGATED = re.compile(r"\b(?:not|no|none|never|n't|nor|yet to be|whether|if)\b(?:\s+\w+){0,3}\s*$", re.IGNORECASE)
_SHARE = re.compile(r"\d+(?:\.\d+)?\s?%|\b(?:percent|most|many|majority|half|some)\b", re.IGNORECASE)


def stated_harms(sentence: str) -> str | None:
    """The phrase calling a treatment safe or free of side effects, or None (shares such as '77% had none' are not)."""
    match = _HARMS_RE.search(sentence)
    if not match or _NEGATED.search(sentence[: match.start()]) or _SHARE.search(sentence[: match.start()]):
        return None
    if _NOT_A_HARMS_CLAIM.search(sentence):
        return None
    return match.group(0)


_OVERSTATEMENT_RE = re.compile(
    r"\b(?:prov(?:ed|en|es)|proof|scientifically (?:shown|proven)|clinically proven|cures?|cured|works|miracle|"
    r"miraculous)\b",
    re.IGNORECASE,
)


def stated_overstatement(sentence: str) -> str | None:
    """The word presenting evidence as settled ("proved", "scientifically shown", "cure"), unless negated or asked."""
    if sentence.rstrip().endswith("?"):
        return None
    for match in _OVERSTATEMENT_RE.finditer(sentence):
        if not _NEGATED.search(sentence[: match.start()]):
            return match.group(0)
    return None


_EVIDENCE_RE = re.compile(
    r"\b(?:research|studies|study|science|scientists|trials|evidence|data)\b(?:\s+\w+){0,3}?\s+"
    r"(?:has|have|had)?\s*(?:shown|show|shows|proven|prove|proves|proved|demonstrated|demonstrate|suggests|supports|"
    r"indicates|confirms|found)\b|\bscientifically (?:shown|proven)\b|\bclinically proven\b"
    r"|\b(?:has|have) been (?:scientifically |clinically )?(?:shown|proven|demonstrated)\b",
    re.IGNORECASE,
)


def claims_evidence(sentence: str) -> bool:
    """True when the sentence claims evidence: 'research has shown', 'studies prove', 'science supports'."""
    return bool(_EVIDENCE_RE.search(sentence)) and not sentence.rstrip().endswith("?")


_ADVICE_RE = re.compile(
    r"(?:^|[.;:!]\s+|\byou\s+(?:should|must|need to|ought to|can)\s+|\bwe\s+recommend\s+(?:that\s+you\s+)?)"
    r"(?:(?:start|begin|try|take|stop|quit|switch\s+to|replace|increase|double|ask\s+(?:your|a)\s+(?:doctor|physician|"
    r"neurologist)\s+(?:for|to\s+prescribe))\b[^.]{0,60}?\b(?:ldn|naltrexone|it|your|medication|medicine|drug|dose|"
    r"treatment|therapy|dmts?)\b)",
    re.IGNORECASE,
)
_CAUTION_RE = re.compile(r"\b(?:without\s+(?:first\s+)?(?:consulting|talking|asking)|never|consult|talk to)\b", re.I)


def stated_advice(sentence: str) -> str | None:
    """The words that tell the reader to take or change a treatment, or None (consulting a doctor is not advice)."""
    match = _ADVICE_RE.search(sentence)
    if not match or _CAUTION_RE.search(match.group(0)) or _NEGATED.search(sentence[: match.start()]):
        return None
    if _NEVER.match(sentence):
        return None
    return match.group(0).strip(" .;:")


_HUMAN_RE = re.compile(r"\b(?:patients|people|humans|men|women|sufferers|you|adults|children|ms patients)\b", re.I)
_ANIMAL_RE = re.compile(r"\b(?:mice|mouse|rats?|animals?|in vitro|cells?|cell cultures?|lab(?:oratory)?)\b", re.I)


def found_conditions(sentence: str) -> list[tuple[str, str]]:
    """(condition key, phrase) for each condition the sentence names."""
    found = []
    for key, pattern in _CONDITION_RES.items():
        if match := pattern.search(sentence):
            found.append((key, match.group(0)))
    return found


def _condition_pattern(key: str) -> re.Pattern[str]:
    label, aliases = CONDITIONS[key]
    words = {label.lower(), *aliases, key}
    words |= _EXTRA_CONDITION_WORDS.get(key, set())
    words.discard("ms")
    body = "|".join(
        re.escape(w).replace("\\ ", r"[\s-]+").replace("'", "['’]?") for w in sorted(words, key=len, reverse=True)
    )
    if key == "ms":
        return re.compile(rf"\b(?:{body})\b|\bMS\b|\b(?:RR|PP|SP)MS\b")
    return re.compile(rf"\b(?:{body})\b", re.IGNORECASE)


_EXTRA_CONDITION_WORDS: dict[str, set[str]] = {
    "crohns": {"chron's", "chrons"},
    "crps": {"crps"},
    "chronic-low-back-pain": {"lower back pain", "back pain"},
    "cfs": {"me/cfs", "cfs"},
    "ibs": {"ibs"},
}
_CONDITION_RES = {key: _condition_pattern(key) for key in CONDITIONS}


# --- the published layer ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Fact:
    """One published value with the excerpt that backs it and the page it was read on."""

    value: Any
    """The value: a count, days, milligrams, a year, a design word, or a list of names."""
    text: str
    """The value in the catalogue's own words, for a report."""
    excerpt: str | None
    """Verbatim excerpt of the page (None for a citation's year or authors, seen on the page named)."""
    source: str
    """The page's address."""


#: Which count of people stands for a study's size, in order of preference.
COUNT_ORDER = ("enrolled", "randomized", "analysed", "completed")


@dataclass(frozen=True, slots=True)
class Published:
    """What a study's publication says, as far as the published layer verifies it. Missing means unknown."""

    counts: dict[str, Fact] = field(default_factory=dict)
    """Numbers of people by which count they are: enrolled, randomized, analysed, completed."""
    treatment_days: Fact | None = None
    """The time on LDN, in days."""
    study_days: Fact | None = None
    """The length of the whole study, in days."""
    design: dict[str, Fact] = field(default_factory=dict)
    """design (a key of DESIGNS), blinding, allocation and control, each as the paper says it."""
    dose_mg: Fact | None = None
    """The dose in milligrams (per dose)."""
    year: Fact | None = None
    authors: Fact | None = None
    """value: the authors' surnames, first author first."""
    outcomes: tuple[Fact, ...] = ()
    """What was measured and found; value: the measure keys each names."""
    harms: tuple[Fact, ...] = ()
    """Harms, dropouts or side effects the paper reports; value: serious, common or minor (see HARM_GRADES)."""
    tolerated: tuple[Fact, ...] = ()
    """What it says of safety where it reports no harm ("well tolerated")."""
    curated: tuple[Curated, ...] = ()
    """Differences curated by hand, each with the article's quote."""

    @property
    def level(self) -> tuple[int, Fact] | None:
        """The evidence level of the published design, and the fact it comes from."""
        fact = self.design.get("design")
        level = DESIGNS.get(str(fact.value), (None, ""))[0] if fact else None
        return (level, fact) if fact is not None and level is not None else None

    @property
    def measures(self) -> set[str]:
        """Every measure the paper's outcomes name."""
        return {m for fact in self.outcomes for m in fact.value}


@dataclass(frozen=True, slots=True)
class Curated:
    """A difference between an article and the paper, curated with both quotes."""

    kind: str
    seed: str
    article_says: str
    published_says: str
    """One plain sentence, in the catalogue's words."""
    excerpt: str
    source: str


_NO_HARM = re.compile(
    r"\bdid not occur\b|\bdid not report any\b|\bno (?:serious |major )?(?:adverse|side)|\bwell[- ]tolerated\b"
    r"|\brelatively safe\b",
    re.IGNORECASE,
)
#: How serious a reported harm is -> what in an excerpt says so, most serious first.
HARM_GRADES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("serious", re.compile(r"\b(?:dropouts?|withdr\w*|discontinu\w*|major|serious)\b", re.IGNORECASE)),
    ("minor", re.compile(r"\b(?:rare|rarely|minor|transient|mild)\b", re.IGNORECASE)),
    ("common", re.compile(r"\bside effects?\b|\badverse events?\b|\binsomnia\b|\bsleep disturbances?\b", re.I)),
)


def harm_grade(excerpt: str, count: object = None) -> str | None:
    """serious, common or minor for an excerpt that reports a harm; None when it reports none."""
    if count == 0 or _NO_HARM.search(excerpt):
        return None
    return next((grade for grade, pattern in HARM_GRADES if pattern.search(excerpt)), None)


def _measures_named(text: str) -> set[str]:
    """The measure keys a text names."""
    return {key for key, words in MEASURE_WORDS.items() if re.search(rf"\b(?:{words})\b", text, re.IGNORECASE)}


def published_of(reading: Reading, found: Sequence[Discrepancy]) -> Published:
    """A study's published facts as the checks read them, from the published layer's one reading.

    `published.Reading` decides which publication speaks (the first to state a fact gives
    it); this only turns each fact into what a check compares.
    """
    counts = {kind: _fact(said, said.value, f"{said.value} {COUNT_KINDS[kind]}")
              for kind, said in reading.counts().items() if kind in COUNT_ORDER}  # fmt: skip
    times = {kind: _fact(said, Duration.parse(str(said.value)).days, f"{said.value} ({TIME_KINDS[kind]})")
             for kind, said in reading.periods().items()}  # fmt: skip
    design = {name: _fact(said, str(said.value), said.fact.text) for name, said in reading.conduct().items()}
    doses: list[Fact] = []
    for said in reading.doses():
        amounts = stated_doses(str(said.value))
        if amounts:
            doses.append(_fact(said, amounts[0][1], str(said.value)))
    outcomes = []
    for said in reading.outcomes():
        named = _measures_named(f"{said.fact.text} {said.fact.excerpt}")
        outcomes.append(_fact(said, named, said.fact.text))
    harms: list[Fact] = []
    tolerated: list[Fact] = []
    for said in reading.harms():
        grade = harm_grade(said.fact.excerpt, said.value if said.field == "dropouts" else None)
        (harms if grade else tolerated).append(_fact(said, grade, said.fact.text))
    first = reading.publications[0]
    page = first.verified_on[0] if first.verified_on else citation(first)
    year = Fact(first.year, f"published in {first.year}", None, page) if first.year else None
    names = [part.strip().split()[0] for part in (first.authors or "").split(",") if part.strip()]
    authors = Fact(names, first.authors or "", None, page) if names else None
    curated = tuple(Curated(d.kind, d.seed, d.article_says, d.explanation, d.published_says, d.page) for d in found)
    return Published(
        counts, times.get("treatment"), times.get("whole-study"), design, doses[0] if doses else None, year, authors,
        tuple(outcomes), tuple(harms), tuple(tolerated), curated,
    )  # fmt: skip


def _fact(said: Said, value: Any, text: str) -> Fact:
    """A published fact as a check reads it: its value, words, excerpt and page."""
    return Fact(value, text, said.fact.excerpt, said.fact.page)


def published_layer(catalogue: Catalogue) -> dict[str, Published]:
    """The published facts of each study that has a publication, by study id: the adapter to the published layer.

    Each check reads these first and falls back to the study's own record (as the
    articles report it) where the paper says nothing, and says which it used.
    """
    found = {}
    for study in catalogue.studies:
        reading = readings(catalogue).get(study.id)
        if reading is not None:
            found[study.id] = published_of(reading, of_study(catalogue, study))
    return found


# --- study profiles: what identifies each study ---------------------------------------------

_STOPWORDS = frozenset(
    """about above after again against among because been before being below between both could during each
    every first found further given great having however including into itself later least little might more
    most much other others over people person persons patient patients shall should since some still study
    studies subjects such than that their them then there these they this those through trial trials under
    until upon using very were what when where which while whom whose with within without would years year
    weeks months days researchers research results people reported showed shown treatment therapy taking taken
    dose doses naltrexone multiple sclerosis effect effects disease diseases condition group groups those also
    another while level levels measured significant significantly improved improvement data based compared
    called known whether which their there against during following""".split()  # noqa: SIM905
)
_WORD = re.compile(r"[a-zß-ÿβ][a-zß-ÿβ'-]{4,}")


def _words(text: str) -> set[str]:
    found = set()
    for word in _WORD.findall(fold(text).lower()):
        word = word.strip("'-")
        found.add(word[:-1] if word.endswith("s") and not word.endswith("ss") else word)
    return found - _STOPWORDS


def _study_text(study: Study) -> str:
    parts = [study.title, study.outcome, study.population or "", study.tolerability or "", study.place or ""]
    parts += [f.detail or "" for f in study.findings] + [a.event for a in study.adverse_events]
    parts += [s.quote for s in study.sources]
    return " ".join(parts)


_DEMONYMS = {"norway": "norwegian", "italy": "italian", "sweden": "swedish", "denmark": "danish", "israel": "israeli"}


def _place_phrases(place: str | None) -> list[str]:
    if not place:
        return []
    phrases = [p.strip() for p in re.split(r"[,;]| - ", place) if p.strip()]
    found = [p for p in phrases if len(p) >= 4]
    initials = "".join(w[0] for w in re.findall(r"\b[A-Z][a-z]+", place) if w not in ("Of", "The"))
    if len(initials) >= 3:
        found.append(initials)
    found += [_DEMONYMS[p.lower()] for p in phrases if p.lower() in _DEMONYMS]
    return found


@dataclass(frozen=True)
class Profile:
    """What identifies one study in an article."""

    study: Study
    surnames: tuple[str, ...]
    places: tuple[re.Pattern[str], ...]
    sizes: frozenset[int]
    days: frozenset[float]
    doses: frozenset[float]
    years: frozenset[int]
    """Years a bare mention matches: the record's own."""
    dated: frozenset[int]
    """Years a dated mention ("published in 2010", "a 2010 study") matches: the record's and the paper's."""
    designs: frozenset[str]
    words: dict[str, float] = field(default_factory=dict)


def _profiles(catalogue: Catalogue, published: dict[str, Published]) -> list[Profile]:
    studies = list(catalogue.studies)
    condition_words = _words(" ".join(" ".join((label, *aliases)) for label, aliases in CONDITIONS.values()))
    vocab = {s.id: _words(_study_text(s)) - condition_words for s in studies}
    frequency: dict[str, int] = {}
    for words in vocab.values():
        for word in words:
            frequency[word] = frequency.get(word, 0) + 1
    profiles = []
    for study in studies:
        paper = published.get(study.id, Published())
        sizes = {study.n} if study.n is not None and study.n >= 5 else set()
        sizes |= {int(f.value) for f in paper.counts.values() if int(f.value) >= 5}
        days = {study.duration.days} if study.duration else set()
        days |= {f.value for f in (paper.treatment_days, paper.study_days) if f is not None}
        doses = {amount for _, amount in stated_doses(study.dose.text)} if study.dose else set()
        if paper.dose_mg is not None:
            doses.add(paper.dose_mg.value)
        years = {study.year} if study.year else set()
        dated = set(years)
        if paper.year is not None:
            dated.add(paper.year.value)
        surnames = {name.split()[-1] for name in study.investigators}
        if paper.authors is not None and paper.authors.value:
            surnames.add(paper.authors.value[0])
        text = fold(_study_text(study)).lower()
        designs = {w for w, (_, fits, _) in DESIGN_WORDS.items() if study.design in fits or _DESIGN_RES[w].search(text)}
        distinctive = {w: 1.0 / frequency[w] for w in vocab[study.id] if frequency[w] <= 2}
        places = tuple(
            re.compile(rf"\b{re.escape(p)}\b", re.IGNORECASE if not p.isupper() else 0)
            for p in _place_phrases(study.place)
        )
        profiles.append(
            Profile(
                study,
                tuple(sorted(surnames)),
                places,
                frozenset(sizes),
                frozenset(days),
                frozenset(doses),
                frozenset(years),
                frozenset(dated),
                frozenset(designs),
                distinctive,
            )
        )
    return profiles


# --- linking: each cue a small function ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class Stated:
    """What one sentence states, read once: the values every study's cues compare with."""

    text: str
    words: frozenset[str]
    counts: tuple[tuple[str, int | None], ...]
    durations: tuple[StatedDuration, ...]
    doses: tuple[tuple[str, float], ...]
    designs: tuple[str, ...]
    conditions: tuple[tuple[str, str], ...]
    years: tuple[str, ...]
    dated: tuple[tuple[str, int], ...]

    @classmethod
    def of(cls, sentence: str) -> Stated:
        """Read a sentence's values."""
        counts = [(m.group(0), count_value(m.group(1))) for m in _ANY_COUNT.finditer(sentence)]
        counts += [(p, v) for p, v in stated_n(sentence)]
        return cls(
            sentence, frozenset(_words(sentence)), tuple(counts), tuple(stated_durations(sentence)),
            tuple(stated_doses(sentence)), tuple(stated_design(sentence)), tuple(found_conditions(sentence)),
            tuple(_YEAR_RE.findall(sentence)), tuple(stated_year(sentence)),
        )  # fmt: skip


CueRule = Callable[[Profile, Stated], list[Cue]]


def cue_investigator(profile: Profile, stated: Stated) -> list[Cue]:
    """An investigator's surname, capitalised, in the sentence."""
    return [
        Cue("investigator", name, 3.0)
        for name in profile.surnames
        if name in stated.text and re.search(rf"\b{re.escape(name)}\b", stated.text)
    ]


def cue_place(profile: Profile, stated: Stated) -> list[Cue]:
    """The place, its initials (UCSF) or its people (Norwegian)."""
    if not profile.places:
        return []
    found = [m.group(0) for p in profile.places if (m := p.search(stated.text))]
    return [Cue("place", found[0], 3.0)] if found else []


def cue_year(profile: Profile, stated: Stated) -> list[Cue]:
    """The study's year: any mention of the record's, or a dated mention ("published in 2010") of the paper's."""
    if not profile.dated:
        return []
    found = [Cue("year", y, 2.0) for y in stated.years if int(y) in profile.years]
    found += [Cue("year", phrase, 2.0) for phrase, year in stated.dated if year in profile.dated]
    return found[:1]


def cue_n(profile: Profile, stated: Stated) -> list[Cue]:
    """The number of people."""
    if not profile.sizes:
        return []
    return [Cue("n", phrase, 2.5) for phrase, value in stated.counts if value in profile.sizes][:1]


def cue_duration(profile: Profile, stated: Stated) -> list[Cue]:
    """A length of study or treatment the study has."""
    return [
        Cue("duration", d.phrase, 1.5) for d in stated.durations
        if any(abs(d.days - days) <= 0.05 * days for days in profile.days)
    ][:1]  # fmt: skip


def cue_dose(profile: Profile, stated: Stated) -> list[Cue]:
    """The dose."""
    return [Cue("dose", phrase, 1.5) for phrase, mg in stated.doses if mg in profile.doses][:1]


def cue_design(profile: Profile, stated: Stated) -> list[Cue]:
    """Design words that fit the study (randomized, open-label, crossover, in mice, ...)."""
    return [Cue("design", word, 1.0) for word in stated.designs if word in profile.designs][:2]


def cue_condition(profile: Profile, stated: Stated) -> list[Cue]:
    """The study's condition (MS counts little: most of the catalogue is MS)."""
    for key, phrase in stated.conditions:
        if key == profile.study.condition:
            return [Cue("condition", phrase, 0.5 if key == "ms" else 2.0)]
    return []


def cue_words(profile: Profile, stated: Stated) -> list[Cue]:
    """Words few other studies use (spasticity, cytokines, ketamine), at most 3 points."""
    shared = stated.words & profile.words.keys()
    if not shared:
        return []
    hits = sorted(shared, key=lambda w: (-profile.words[w], w))
    total, chosen = 0.0, []
    for word in hits:
        if total >= 3.0:
            break
        total += profile.words[word]
        chosen.append(word)
    return [Cue("words", ", ".join(chosen), min(total, 3.0))] if chosen else []


#: The linking cues, each a small function; a link's score is the sum of what they find.
CUES: tuple[tuple[str, CueRule], ...] = (
    ("investigator", cue_investigator),
    ("place", cue_place),
    ("year", cue_year),
    ("n", cue_n),
    ("duration", cue_duration),
    ("dose", cue_dose),
    ("design", cue_design),
    ("condition", cue_condition),
    ("words", cue_words),
)


def own_cues(profile: Profile, stated: Stated) -> list[Cue]:
    """Every cue in the sentence for this study."""
    return [cue for _, rule in CUES for cue in rule(profile, stated)]


_ANAPHORA = re.compile(
    r"^(?:(?:the|these|this|that|both|each)\s+(?:same\s+)?(?:study|studies|trial|trials|researchers|investigators|"
    r"authors|investigation|pilot|review|patients?|participants|subjects|results?|medicine|drug|latter|former|"
    r"statistical\s+analysis|analysis|data|findings?|team|women|men|mice)\b"
    r"|(?:it|they|its|their|he|she)\b|(?:afterward|afterwards|thus|then|secondary|in addition)\b)",
    re.IGNORECASE,
)


def link_all(profiles: Sequence[Profile], found: Sequence[Sentence]) -> list[tuple[str | None, float, tuple[Cue, ...]]]:
    """Link each sentence to at most one study: its own cues choose (by a margin), half of its neighbours' help."""
    own: list[dict[str, list[Cue]]] = []
    for sentence in found:
        stated = Stated.of(sentence.text)
        own.append({p.study.id: cues for p in profiles if (cues := own_cues(p, stated))})
    links: list[tuple[str | None, float, tuple[Cue, ...]]] = []
    for i, sentence in enumerate(found):
        scores: dict[str, tuple[float, list[Cue]]] = {}
        # A short fragment (a caption, a byline, a credit) stands on its own cues: its neighbours do not help.
        helped = len(sentence.text.split()) >= CONTINUE_WORDS
        for ident, cues in own[i].items():
            total = sum(c.weight for c in cues)
            context = []
            for j in (i - 1, i + 1) if helped else ():
                if 0 <= j < len(found) and found[j].paragraph == sentence.paragraph and ident in own[j]:
                    weight = CONTEXT_WEIGHT * sum(c.weight for c in own[j][ident])
                    context.append(Cue("context", "line " + str(found[j].line), round(weight, 2)))
            scores[ident] = (total + sum(c.weight for c in context), cues + context)
        # The sentence's own cues choose the study; its neighbours only help it reach the threshold, so
        # what stands around a sentence never ties it to another study.
        mine = {ident: sum(c.weight for c in cues) for ident, cues in own[i].items()}
        ranked = sorted(mine, key=lambda ident: (-mine[ident], ident))
        if ranked:
            best = ranked[0]
            score, cues = scores[best]
            runner_up = mine[ranked[1]] if len(ranked) > 1 else 0.0
            if mine[best] >= 1.0 and score >= THRESHOLD and mine[best] - runner_up >= MARGIN:
                links.append((best, round(score, 2), tuple(cues)))
                continue
        # A sentence that goes on about the study before it continues that link: one with no cue of its
        # own that refers back ("The study was ..."), or one whose only cues are for that same study.
        previous = links[-1] if links else None
        if previous is not None and previous[0] is not None and found[i - 1].paragraph == sentence.paragraph:
            ident = previous[0]
            if not own[i] and _ANAPHORA.match(sentence.text):
                cue = Cue("context", "continues line " + str(found[i - 1].line), 0.0)
                links.append((ident, round(previous[1] * CONTEXT_WEIGHT, 2), (cue,)))
                continue
            if helped and set(own[i]) == {ident} and ident in scores and scores[ident][0] >= 2.0:
                links.append((ident, round(scores[ident][0], 2), tuple(scores[ident][1])))
                continue
        links.append((None, 0.0, ()))
    return links


# --- checks: each a small function ----------------------------------------------------------


@dataclass(frozen=True)
class Context:
    """What a check reads: the sentence, its study (if linked), the catalogue and the published layer."""

    sentence: str
    study: Study | None
    catalogue: Catalogue
    published: dict[str, Published]

    @property
    def paper(self) -> Published:
        """The linked study's published facts (empty when none)."""
        return self.published.get(self.study.id, Published()) if self.study else Published()

    def quote(self, study: Study | None = None, hint: str | None = None) -> tuple[str | None, str | None]:
        """(quote, seed) backing the record: the shortest of its quotes that holds `hint`, else its first."""
        target = study or self.study
        if target is None or not target.sources:
            return None, None
        holding = [s for s in target.sources if hint and hint.lower() in fold(s.quote).lower()]
        chosen = min(holding, key=lambda s: len(s.quote)) if holding else target.sources[0]
        return _narrowed(chosen.quote, hint), chosen.seed


CheckRule = Callable[[Context], list[Check]]

#: A quote longer than this is narrowed to its sentence that holds what a check compared.
LONG_QUOTE = 240


#: The sentences of each long quote, split once per run.
_QUOTE_SENTENCES: dict[str, list[str]] = {}


def _narrowed(quote: str, hint: str | None) -> str:
    """The sentence of a long quote that holds `hint` (still verbatim), else the whole quote."""
    if hint is None or len(quote) <= LONG_QUOTE:
        return quote
    if quote not in _QUOTE_SENTENCES:
        _QUOTE_SENTENCES[quote] = [p.strip() for p in _segment(_segmenter(), quote) if p.strip()]
    holding = [p for p in _QUOTE_SENTENCES[quote] if hint.lower() in fold(p).lower() and p in quote]
    return holding[0] if holding else quote


#: design key -> a word its quotes use for it, to pick the sentence that says how a study was done.
DESIGN_HINTS = {
    "rct": "randomized", "controlled-trial": "placebo", "open-label": "open-label", "retrospective": "retrospective",
    "case-series": "cases", "case-report": "case report", "animal": "mice", "in-vitro": "in vitro",
    "before-after": "before", "hypothesis": "theory",
}  # fmt: skip


def _articles(
    ctx: Context, kind: str, verdict: str, article: str, catalogue: str | None, study: Study | None = None,
    hint: str | None = None,
) -> Check:  # fmt: skip
    quote, seed = ctx.quote(study, hint)
    return Check(
        kind,
        verdict,
        article,
        catalogue,
        None,
        quote,
        seed,
        study.id if study and study is not ctx.study else None,
        "articles",
    )


def _published(
    kind: str, verdict: str, article: str, catalogue: str | None, fact: Fact, about: str | None = None
) -> Check:
    return Check(kind, verdict, article, catalogue, fact.text, fact.excerpt, fact.source, about, "published")


def check_n(ctx: Context) -> list[Check]:
    """The number of people: against the paper's counts (saying which count a number is), else the record's n."""
    if ctx.study is None:
        return []
    checks = []
    record = f"{ctx.study.n} people" if ctx.study.n is not None else None
    counts = ctx.paper.counts
    for phrase, value in stated_n(ctx.sentence):
        if counts:
            headline = next(counts[kind] for kind in COUNT_ORDER if kind in counts)
            same = [kind for kind in COUNT_ORDER if kind in counts and counts[kind].value == value]
            if same and (same[0] == "enrolled" or "enrolled" not in counts):
                checks.append(_published("n", "agrees", phrase, record, counts[same[0]]))
            elif same:
                said = f"{headline.text}; {value} is the number {same[0]}"
                fact = Fact(headline.value, said, counts[same[0]].excerpt, counts[same[0]].source)
                checks.append(_published("n", "differs", phrase, record, fact))
            else:
                checks.append(_published("n", "differs", phrase, record, headline))
        elif ctx.study.n is not None:
            verdict = "agrees" if value == ctx.study.n else "differs"
            checks.append(_articles(ctx, "n", verdict, phrase, record, hint=str(ctx.study.n)))
        else:
            checks.append(_articles(ctx, "n", "unchecked", phrase, None))
    return checks


def check_duration(ctx: Context) -> list[Check]:
    """A length of study or treatment: against the paper's study length and treatment period, else the record's."""
    if ctx.study is None:
        return []
    checks = []
    record = ctx.study.duration.text if ctx.study.duration else None
    paper = ctx.paper
    for stated in stated_durations(ctx.sentence):

        def close(days: float, stated: StatedDuration = stated) -> bool:
            return abs(stated.days - days) <= 0.05 * days

        # "An eight-week trial" is the study's length, "for eight weeks" the time on LDN; where the paper
        # gives only one of the two, that one is compared.
        order = (
            (paper.study_days, paper.treatment_days) if stated.of_study else (paper.treatment_days, paper.study_days)
        )
        fact = next((f for f in order if f is not None), None)
        if fact is not None:
            verdict = "agrees" if close(fact.value) else "differs"
            checks.append(_published("duration", verdict, stated.phrase, record, fact))
        elif ctx.study.duration is not None:
            agrees = close(ctx.study.duration.days) or any(
                close(d.days) for s in ctx.study.sources for d in stated_durations(s.quote)
            )
            verdict = "agrees" if agrees else "differs"
            checks.append(_articles(ctx, "duration", verdict, stated.phrase, record, hint=stated.phrase))
        else:
            checks.append(_articles(ctx, "duration", "unchecked", stated.phrase, None))
    return checks


def check_dose(ctx: Context) -> list[Check]:
    """A dose in mg: against the paper's, else the record's."""
    if ctx.study is None:
        return []
    checks = []
    record = ctx.study.dose.text if ctx.study.dose else None
    for phrase, mg in stated_doses(ctx.sentence):
        if ctx.paper.dose_mg is not None:
            verdict = "agrees" if mg == ctx.paper.dose_mg.value else "differs"
            checks.append(_published("dose", verdict, phrase, record, ctx.paper.dose_mg))
        elif ctx.study.dose is not None:
            amounts = {a for _, a in stated_doses(ctx.study.dose.text)}
            verdict = "agrees" if mg in amounts else "differs"
            checks.append(_articles(ctx, "dose", verdict, phrase, record, hint=f"{mg:g}"))
        else:
            checks.append(_articles(ctx, "dose", "unchecked", phrase, None))
    return checks


def check_design(ctx: Context) -> list[Check]:
    """Design words (randomized, placebo, crossover, open-label, blinding, case report): against the
    paper's, else the record's design."""
    if ctx.study is None:
        return []
    checks = []
    design = ctx.study.design
    record = f"{design} ({DESIGNS[design][1]})"
    text = fold(_study_text(ctx.study) + " " + (ctx.study.notes or "")).lower()
    for word in stated_design(ctx.sentence):
        if word in ("in mice", "in cells"):
            continue  # the animal-to-human check reads these
        _, fits, contradicts = DESIGN_WORDS[word]
        published = published_design(word, ctx.paper)
        if published is not None:
            verdict, fact = published
            checks.append(_published("design", verdict, word, record, fact))
        elif design in fits or (_DESIGN_RES[word].search(text) and design not in contradicts):
            checks.append(_articles(ctx, "design", "agrees", word, record, hint=word.split("-")[0]))
        elif design in contradicts:
            checks.append(_articles(ctx, "design", "differs", word, record, hint=word.split("-")[0]))
        else:
            checks.append(_articles(ctx, "design", "unchecked", word, record))
    return checks


#: design word -> (the published fact that settles it, the values that agree, the values that differ).
PUBLISHED_DESIGN: dict[str, tuple[str, frozenset[str], frozenset[str]]] = {
    "placebo-controlled": ("control", frozenset({"placebo"}), frozenset({"none"})),
    "open-label": ("blinding", frozenset({"open-label"}), frozenset({"single-blind", "double-blind"})),
    "double-blind": ("blinding", frozenset({"double-blind"}), frozenset({"open-label", "single-blind"})),
    "single-blind": ("blinding", frozenset({"single-blind"}), frozenset({"open-label", "double-blind"})),
    "crossover": ("allocation", frozenset({"crossover"}), frozenset({"parallel", "single-group"})),
}


def published_design(word: str, paper: Published) -> tuple[str, Fact] | None:
    """(verdict, fact) for a design word where the paper settles it; None where it does not say."""
    if word in PUBLISHED_DESIGN:
        name, agree, differ = PUBLISHED_DESIGN[word]
        fact = paper.design.get(name)
        if fact is not None and (str(fact.value) in agree or str(fact.value) in differ):
            return ("agrees" if str(fact.value) in agree else "differs"), fact
    fact = paper.design.get("design")
    if fact is not None and word in DESIGN_WORDS:
        _, fits, contradicts = DESIGN_WORDS[word]
        if str(fact.value) in fits | contradicts:
            return ("agrees" if str(fact.value) in fits else "differs"), fact
    return None


def check_year(ctx: Context) -> list[Check]:
    """The year a study was published: against the paper's, else the record's."""
    if ctx.study is None:
        return []
    checks = []
    for phrase, year in stated_year(ctx.sentence):
        if ctx.paper.year is not None:
            gap = abs(year - ctx.paper.year.value)
            verdict = "agrees" if gap <= YEAR_SLACK else "differs"
            paper = ctx.paper.year
            if 0 < gap <= YEAR_SLACK:  # agrees within the discrepancies rule's tolerance: say so
                paper = Fact(
                    paper.value, f"{paper.text} (within a year: online and print dates differ)", None, paper.source
                )
            checks.append(_published("year", verdict, phrase, str(ctx.study.year) if ctx.study.year else None, paper))
        elif ctx.study.year is not None:
            checks.append(
                _articles(ctx, "year", "agrees" if year == ctx.study.year else "differs", phrase, str(ctx.study.year))
            )
        else:
            checks.append(_articles(ctx, "year", "unchecked", phrase, None))
    return checks


def check_outcome(ctx: Context) -> list[Check]:
    """A measure said to have changed: is it one the paper (else the record) reports?"""
    if ctx.study is None or not ctx.study.clinical:
        return []
    checks = []
    found = {f.measure: f for f in ctx.study.findings}
    record = ", ".join(dict.fromkeys(f.measure for f in ctx.study.findings)) or None
    for measure, phrase, changed in stated_outcomes(ctx.sentence):
        if ctx.paper.measures:
            naming = [f for f in ctx.paper.outcomes if measure in f.value]
            verdict = "agrees" if naming else "differs"
            fact = naming[0] if naming else _closest(ctx.sentence, ctx.paper.outcomes)
            checks.append(_published("outcome", verdict, phrase, record, fact))
        elif measure in found:
            effects = {f.effect for f in ctx.study.findings if f.measure == measure}
            agrees = bool(effects - {"no-effect"}) if changed else "no-effect" in effects
            verdict = "agrees" if agrees else "differs"
            checks.append(_articles(ctx, "outcome", verdict, phrase, record, hint=MEASURE_WORDS[measure].split("|")[0]))
        elif ctx.study.findings:
            checks.append(_articles(ctx, "outcome", "differs", phrase, record, hint=phrase.split()[-1]))
        else:
            checks.append(_articles(ctx, "outcome", "unchecked", phrase, None))
    return checks


def _closest(sentence: str, facts: Sequence[Fact]) -> Fact:
    """The fact whose words the sentence shares most (the first on a tie)."""
    words = _words(sentence)
    return max(facts, key=lambda f: len(words & _words(f.text + " " + (f.excerpt or ""))))


def joined(texts: Iterable[str]) -> str:
    """Facts in one line, each once: a sentence is followed by a space, a phrase by "; "."""
    out = ""
    for text in dict.fromkeys(texts):
        out += ("" if not out else " " if out.rstrip().endswith((".", "!", "?")) else "; ") + text
    return out


def check_harms(ctx: Context) -> list[Check]:
    """'Safe', 'no side effects': differs where the paper (else the record) reports harms, dropouts or side effects."""
    phrase = stated_harms(ctx.sentence)
    if ctx.study is None or phrase is None:
        return []
    events = ", ".join(f"{a.event} ({a.share})" if a.share else a.event for a in ctx.study.adverse_events)
    record = events or ctx.study.tolerability
    # "No side effects" differs from any harm the paper reports; "safe" from dropouts, serious or common harms.
    absent = not re.search(r"safe|tolerated|harmless", phrase, re.IGNORECASE)
    against = [h for h in ctx.paper.harms if absent or h.value in ("serious", "common")]
    if against:
        text = joined(h.text for h in against)
        return [_published("harms", "differs", phrase, record, Fact(None, text, against[0].excerpt, against[0].source))]
    if ctx.paper.harms or ctx.paper.tolerated:
        return [_published("harms", "agrees", phrase, record, (*ctx.paper.tolerated, *ctx.paper.harms)[0])]
    if ctx.study.adverse_events:
        return [_articles(ctx, "harms", "differs", phrase, record, hint=ctx.study.adverse_events[0].event)]
    if ctx.study.tolerability:
        return [_articles(ctx, "harms", "agrees", phrase, record, hint=ctx.study.tolerability)]
    return [_articles(ctx, "harms", "unchecked", phrase, None)]


_FORM_RES = {
    form: re.compile(r"\b(?:" + "|".join(re.escape(w).replace("\\ ", r"[\s-]+") for w in words) + r")\b", re.I)
    for form, words in MS_FORMS.items()
}


def check_population(ctx: Context) -> list[Check]:
    """A form of MS the sentence names (PPMS, RRMS, SPMS): among those the record's population names?"""
    if ctx.study is None or ctx.study.condition != "ms":
        return []
    population = ctx.study.population or ""
    named = {form for form, pattern in _FORM_RES.items() if pattern.search(population)}
    checks = []
    for form, pattern in _FORM_RES.items():
        match = pattern.search(ctx.sentence)
        if match is None:
            continue
        verdict = "agrees" if form in named else "differs" if named else "unchecked"
        checks.append(_articles(ctx, "population", verdict, match.group(0), ctx.study.population, hint=match.group(0)))
    return checks


def check_attribution(ctx: Context) -> list[Check]:
    """A named investigator: among the paper's authors (first or not), else among the record's investigators."""
    if ctx.study is None:
        return []
    names = _NAMED.findall(ctx.sentence)
    checks = []
    for name in names:
        if ctx.paper.authors is not None and ctx.paper.authors.value:
            authors = list(ctx.paper.authors.value)
            verdict = "agrees" if authors[0] == name else "differs"
            if name in authors and authors[0] != name:
                said = f"{name} is author {authors.index(name) + 1} of {len(authors)}; the first is {authors[0]}"
            elif name not in authors:
                said = f"{name} is not among the authors ({', '.join(authors)})"
            else:
                said = f"{name} is the first author"
            fact = Fact(authors, said, ctx.paper.authors.excerpt, ctx.paper.authors.source)
            checks.append(_published("attribution", verdict, name, ", ".join(ctx.study.investigators) or None, fact))
        elif ctx.study.investigators:
            known = any(i.split()[-1] == name for i in ctx.study.investigators)
            checks.append(
                _articles(
                    ctx, "attribution", "agrees" if known else "differs", name, ", ".join(ctx.study.investigators)
                )
            )
    return checks


def _strongest(studies: Iterable[Study], published: dict[str, Published]) -> tuple[int | None, Study | None, str]:
    """The strongest evidence level among studies of people, the study that has it, and the layer it comes from."""
    best: tuple[int | None, Study | None, str] = (None, None, "articles")
    for study in studies:
        paper = published.get(study.id)
        level, layer = (paper.level[0], "published") if paper and paper.level else (study.evidence_level, "articles")
        if level is not None and (best[0] is None or level < best[0]):
            best = (level, study, layer)
    return best


def check_overstatement(ctx: Context) -> list[Check]:
    """'Proved', 'scientifically shown', 'cure', 'works' differs when said of evidence at level 4 or 5, of a study
    that found no clear benefit, or of a condition whose strongest study finding a benefit is at level 4 or 5."""
    word = stated_overstatement(ctx.sentence)
    if word is None:
        return []
    subjects: list[tuple[str | None, list[Study]]] = []
    if ctx.study is not None:
        subjects.append((None, [ctx.study]))
    for key, _ in found_conditions(ctx.sentence):
        if ctx.study is None or key != ctx.study.condition:
            studies = [s for s in ctx.catalogue.studies if s.condition == key and s.clinical]
            if studies:
                subjects.append((key, studies))
    checks = []
    for condition, studies in subjects:
        benefit = studies if condition is None else [s for s in studies if s.effect == "benefit"]
        level, study, layer = _strongest(benefit, ctx.published)
        if study is None:
            said = (
                "no study of it in the catalogue found a clear benefit"
                if not benefit
                else "the records do not say how the research was done (design unspecified)"
            )
            verdict = "differs" if not benefit else "unchecked"
            checks.append(Check("overstatement", verdict, word, said, about=condition, layer="articles"))
            continue
        assert level is not None
        lead = "the study" if condition is None else "the strongest study that found a benefit"
        design = study.design
        if layer == "published":
            settled = ctx.published[study.id].level
            design = str(settled[1].value) if settled else design
        said = f"{lead}: {study.id}, {DESIGNS[design][1]} (level {level}), effect {study.effect or 'none'}"
        verdict = "differs" if level >= 4 or study.effect != "benefit" else "agrees"
        if layer == "published":
            found = ctx.published[study.id].level
            assert found is not None
            record = f"{study.id}: {DESIGNS[study.design][1]} ({study.design})"
            fact = replace(found[1], text=f"{said}. {found[1].text}")
            checks.append(_published("overstatement", verdict, word, record, fact, condition))
        else:
            quote, seed = ctx.quote(study, DESIGN_HINTS.get(study.design))
            checks.append(Check("overstatement", verdict, word, said, None, quote, seed, condition, "articles"))
    return checks


def check_animal_to_human(ctx: Context) -> list[Check]:
    """A result from animals or cells stated as holding for people differs."""
    preclinical = ctx.study is not None and ctx.study.design in PRECLINICAL_DESIGNS - {"hypothesis"}
    animal = _ANIMAL_RE.search(ctx.sentence)
    human = _HUMAN_RE.search(ctx.sentence)
    if ctx.study is not None and preclinical:
        record = f"{ctx.study.design}: {ctx.study.population or DESIGNS[ctx.study.design][1]}"
        if human and not animal:
            return [_articles(ctx, "animal-to-human", "differs", human.group(0), record)]
        benefit = _BENEFIT_TO.search(ctx.sentence)
        if benefit:
            return [_articles(ctx, "animal-to-human", "differs", benefit.group(0), record)]
        return []
    if (
        animal
        and human
        and _ANIMALS.search(ctx.sentence)
        and re.search(
            r"\b(?:will|can|could)\s+(?:help|treat|cure|benefit|work)\b|\bworks?\s+(?:in|for)\b", ctx.sentence, re.I
        )
    ):
        return [
            Check(
                "animal-to-human",
                "differs",
                f"{animal.group(0)} … {human.group(0)}",
                "a result in animals is not a result in people",
                layer=None,
            )
        ]
    return []


def check_advice(ctx: Context) -> list[Check]:
    """The article tells the reader to take or change a treatment."""
    words = stated_advice(ctx.sentence)
    if words is None:
        return []
    return [Check("advice", "differs", words, "the catalogue reports what studies found and advises no treatment")]


@functools.cache
def _folded(text: str) -> str:
    return fold(text)


def check_curated(ctx: Context) -> list[Check]:
    """Discrepancies the catalogue holds whose article quote the sentence holds: the linked study's, and any
    other study's (named in `about`), since the catalogue itself ties that text to that study."""
    folded = fold(ctx.sentence)
    mine = ctx.study.id if ctx.study is not None else None
    return [
        Check(c.kind, "differs", c.article_says, None, c.published_says, c.excerpt, c.source,
              None if ident == mine else ident, "published")
        for ident, paper in ctx.published.items() for c in paper.curated if _folded(c.article_says) in folded
    ]  # fmt: skip


#: The claim checks, each a small function; a sentence's checks are these applied in turn.
CHECKS: tuple[tuple[str, CheckRule], ...] = (
    ("n", check_n),
    ("duration", check_duration),
    ("dose", check_dose),
    ("design", check_design),
    ("year", check_year),
    ("outcome", check_outcome),
    ("harms", check_harms),
    ("population", check_population),
    ("attribution", check_attribution),
    ("overstatement", check_overstatement),
    ("animal-to-human", check_animal_to_human),
    ("advice", check_advice),
    ("curated", check_curated),
)


def run_checks(ctx: Context) -> tuple[Check, ...]:
    """Every check on one sentence; a difference the catalogue holds replaces the computed check of its kind,
    keeping that check's words for what the article and the record say."""
    computed: list[Check] = []
    curated: list[Check] = []
    for name, rule in CHECKS:
        (curated if name == "curated" else computed).extend(rule(ctx))
    out = []
    for check in computed:
        held = next((c for c in curated if c.kind == check.kind and c.about == check.about), None)
        if held is None:
            out.append(check)
        elif held in curated:
            out.append(replace(held, article=check.article, catalogue=check.catalogue))
            curated.remove(held)
    return tuple(out + curated)


# --- the whole article -------------------------------------------------------------------------


@dataclass(frozen=True)
class Checker:
    """A catalogue prepared for checking articles: its profiles and published layer, made once."""

    catalogue: Catalogue
    published: dict[str, Published]
    profiles: list[Profile]

    @classmethod
    def of(cls, catalogue: Catalogue) -> Checker:
        """Prepare a catalogue (a cached one reads every study's text now)."""
        published = published_layer(catalogue)
        return cls(catalogue, published, _profiles(catalogue, published))

    def check(self, name: str, text: str) -> Report:
        """Check one article's text."""
        found = sentences(name, text)
        by_id = {p.study.id: p.study for p in self.profiles}
        claims = []
        for sentence, (ident, score, cues) in zip(found, link_all(self.profiles, found), strict=True):
            study = by_id.get(ident) if ident else None
            ctx = Context(sentence.text, study, self.catalogue, self.published)
            claims.append(
                Claim(sentence.text, sentence.line, ident, score, cues, run_checks(ctx), claims_evidence(sentence.text))
            )
        return Report(name, tuple(claims))


def check_article(catalogue: Catalogue, name: str, text: str) -> Report:
    """Check an article's text against a catalogue: every sentence, its study, its checks."""
    return Checker.of(catalogue).check(name, text)


# --- as data ---------------------------------------------------------------------------------


def report_record(report: Report) -> dict[str, Any]:
    """The JSON contract: `claims` (every sentence with its study, score, cues and checks) and `unsupported`."""
    return {
        "article": report.name,
        "compared_with": "the published layer where a value is verified there, else the articles' layer",
        "claims": [
            {
                "sentence": c.sentence,
                "line": c.line,
                "study": c.study,
                "score": c.score,
                "cues": [{"kind": q.kind, "text": q.text, "weight": q.weight} for q in c.cues],
                "checks": [
                    {
                        "kind": k.kind,
                        "verdict": k.verdict,
                        "article": k.article,
                        "catalogue": k.catalogue,
                        "published": k.published,
                        "excerpt": k.excerpt,
                        "source": k.source,
                        "about": k.about,
                        "layer": k.layer,
                    }
                    for k in c.checks
                ],
            }
            for c in report.claims
        ],
        "unsupported": [c.sentence for c in report.unsupported],
    }


def tally(report: Report) -> dict[str, int]:
    """Counts for a one-line summary: sentences, linked, checks by verdict, unsupported claims."""
    counts = {"sentences": len(report.claims), "linked": len(report.linked), "unsupported": len(report.unsupported)}
    for verdict in VERDICTS:
        counts[verdict] = sum(1 for c in report.claims for k in c.checks if k.verdict == verdict)
    return counts


def count_line(report: Report) -> str:
    """One line of counts: sentences, links, checks by verdict, unsupported claims."""
    counts = tally(report)

    def many(count: int, one: str, more: str) -> str:
        return f"{count} {one if count == 1 else more}"

    return (
        f"{many(counts['sentences'], 'sentence', 'sentences')}, {counts['linked']} linked to a study. Checks: "
        f"{many(counts['differs'], 'differs', 'differ')}, {many(counts['agrees'], 'agrees', 'agree')}, "
        f"{counts['unchecked']} unchecked. {many(counts['unsupported'], 'unsupported claim', 'unsupported claims')}."
    )


def report_markdown(report: Report) -> str:
    """The report as Markdown: the linked and checked sentences in order, then the unsupported claims."""

    from .text import markdown_text

    def cell(text: str | None) -> str:
        # The article's words and the catalogue's are shown literally: never as HTML, links or emphasis.
        return "" if text is None else markdown_text(" ".join(text.split()))

    lines = [
        f"# Claims in {cell(report.name)}",
        "",
        count_line(report),
        "Each check compares with the published layer where a value is verified there, else with the articles' layer.",
        "",
    ]
    for claim in report.claims:
        if claim.study is None and not claim.checks:
            continue
        study = f"`{claim.study}` (score {claim.score:g})" if claim.study else "no study"
        lines += [f"## Line {claim.line}: {study}", "", f"> {cell(claim.sentence)}", ""]
        if claim.cues:
            lines += ["Cues: " + ", ".join(f"{q.kind} {cell(q.text)}" for q in claim.cues), ""]
        if claim.checks:
            lines += ["| kind | verdict | article | catalogue | published | excerpt |", "|---|---|---|---|---|---|"]
            for k in claim.checks:
                excerpt = f"“{cell(k.excerpt)}” ({cell(k.source)})" if k.excerpt else ""
                about = f" ({cell(k.about)})" if k.about else ""
                lines.append(
                    f"| {k.kind}{about} | {k.verdict} | {cell(k.article)} | {cell(k.catalogue)} | {cell(k.published)} "
                    f"| {excerpt} |"
                )
            lines.append("")
    if report.unsupported:
        lines += ["## Claims with no study behind them", ""]
        lines += [f"- line {c.line}: {cell(c.sentence)}" for c in report.unsupported]
        lines.append("")
    return "\n".join(lines)
