"""Splitting an article into sentences with pysbd, paragraph by paragraph, each with its line."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from ldn_evidence.claims.reading import Sentence, html_text, looks_like_html, looks_like_markdown, markdown_text
from ldn_evidence.claims.result import MAX_SENTENCE, MAX_SENTENCES, MAX_WORDS, ArticleError, counted
from ldn_evidence.text import visual_order, without_invisible

_MARKDOWN_LINK = re.compile(r"!?\[([^\[\]]*)\]\([^()]*\)")
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


def _paragraphs(lines: Iterable[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    """Group rendered Markdown's lines into its blocks, which an empty line separates (see `markdown_text`)."""
    blocks: list[list[tuple[int, str]]] = [[]]
    for number, text in lines:
        if text.strip():
            blocks[-1].append((number, text.strip()))
        elif blocks[-1]:
            blocks.append([])
    return [block for block in blocks if block]


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
    `segment` (tests/claims/test_claims.py).
    """
    return [str(sentence) for sentence in segmenter.processor(text).process()]


def _split(segmenter: Any, text: str) -> list[tuple[int, str]]:
    """(offset, sentence) of each sentence in one paragraph, pysbd deciding every boundary."""
    found: list[tuple[int, str]] = []
    start = 0
    while start < len(text):
        window = text[start : start + _WINDOW]
        counted(len(window))
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
    single = set(alone)
    rest = [i for i in range(len(paragraphs)) if i not in single]
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


_LINE = re.compile(r"[^\n]+")
#: A word, for the limits: a run of letters or digits. What costs is sentences and the pieces patterns read,
#: and punctuation makes them without spaces ("x!x!x!" is three sentences), so a run of characters without
#: spaces is not one word.
_WORD = re.compile(r"[^\W_]+")


def _text_lines(text: str) -> Iterator[tuple[int, str]]:
    """Each line of a text that is not empty, with its number, and ("", its number) where empty lines were:
    a run of line breaks is passed over by the pattern, not looked at line by line."""
    number, end = 1, 0
    for match in _LINE.finditer(text):
        breaks = text.count("\n", end, match.start())
        number += breaks
        if breaks > 1:
            yield number - 1, ""
        end = match.end()
        yield number, match.group()


def sentences(name: str, text: str) -> list[Sentence]:
    """The article's sentences in order, each with the line it starts on (HTML read as its visible text).

    Raises ArticleError, with the line where the limit is passed, for text with no visible words, more than
    MAX_WORDS of them (a word is a run of letters or digits) or more than MAX_SENTENCES sentences.
    """
    html = looks_like_html(name, text)
    markdown = not html and looks_like_markdown(name)
    source = html_text(text, name) if html else markdown_text(text, name) if markdown else _text_lines(text)
    # Matched as a reader sees it: a soft hyphen or zero-width character inside a word hides nothing.
    counted(len(text))
    # Only lines with words are kept, and one empty line for each run of lines without any (a paragraph
    # break), so what is kept grows with the words (at most MAX_WORDS), not with the lines: two million
    # line breaks are one empty line, not two million.
    lines: list[tuple[int, str]] = []
    count, over = 0, 0
    for at_line, raw in source:
        seen = without_invisible(visual_order(raw))  # as shown: a right-to-left override reversed
        in_line = sum(1 for _ in _WORD.finditer(seen))  # counted, not split: one line may hold every word
        count += in_line
        if count > MAX_WORDS:
            over = over or at_line
            continue  # counted to the end for the message, kept no more
        if in_line:
            lines.append((at_line, seen))
        elif lines and lines[-1][1]:
            lines.append((at_line, ""))
    if count > MAX_WORDS:
        raise ArticleError(
            f"{name}:{over}: {count:,} words is more than an article (the limit is {MAX_WORDS:,}, passed on this "
            "line; a word is a run of letters or digits)"
        )
    if not count:
        raise ArticleError(f"{name}: no visible text to check")
    blocks = [[line] for line in lines] if html else _paragraphs(lines) if markdown else _blocks(lines)
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
            for words in (p for part in _resplit(" ".join(piece.split())) for p in _pieces(part)):
                found.append(Sentence(words, line, number))
                if len(found) > MAX_SENTENCES:
                    raise ArticleError(
                        f"{name}:{line}: more than {MAX_SENTENCES:,} sentences, more than an article has (the limit "
                        "is passed on this line)"
                    )
    return found


#: Where pysbd joins two sentences: after "MS." (read as "Ms."), after ".)", and after a footnote number
#: ("California.3 It ..."), each followed by a capital letter starting the next sentence.
_MISSED_END = re.compile(r"(?<=\b(?:MS|ME)\.)\s+(?=[A-Z])|(?<=\.\))\s+(?=[A-Z(])|(?<=[a-z]\.\d)\s+(?=[A-Z])")


def _resplit(sentence: str) -> list[str]:
    """A sentence pysbd left whole, cut where one sentence plainly ends and the next begins."""
    return [part for part in _MISSED_END.split(sentence) if part]


def _pieces(sentence: str) -> list[str]:
    """A sentence in pieces of at most MAX_SENTENCE characters, each cut at its last space where it has one."""
    pieces = []
    while len(sentence) > MAX_SENTENCE:
        cut = sentence.rfind(" ", MAX_SENTENCE // 2, MAX_SENTENCE + 1)
        cut = cut if cut > 0 else MAX_SENTENCE
        pieces.append(sentence[:cut].strip())
        sentence = sentence[cut:].strip()
    if sentence:
        pieces.append(sentence)
    return pieces
