"""Flagged words as a reader reads them: split by a blank or a hyphen and a space, or written with letters that look
like Latin ones but that Unicode's confusables do not map.

`ldn claims` matches a sentence already folded (`text.for_matching`: NFKC, and the confusables of every script).
Three ways of writing a flagged word are left, and read here, each only where the letters around make a flagged
word (one the patterns of `statements` flag: an overstatement, a harms claim, a claim of evidence, advice) that
the text as written does not:

- a blank-looking character inside a word (`text.BLANK`: "cu\u2800res", the braille pattern blank), read as
  nothing there and as a space elsewhere ("LDN\u2800cures" is two words);
- a hyphen and a space ("cu- res", and "cu-" at the end of a line: lines are joined with a space), the
  hyphenation of a word at a line's end, read as the word with or without its hyphen ("well- tolerated");
- letters of the International Phonetic Alphabet and other Latin extensions that look like a plain letter
  ("cuɾes", "cʊres", "cʉres", "ᴄures"): a word holding such letters is read through AnyASCII's transliteration
  (each letter it writes as one ASCII letter), and kept as it is unless it then makes a flagged word. AnyASCII
  is used, and only for words, because it maps every script (Cyrillic "д" to "d" too): applied to the whole
  text it would change what words say; on a word that becomes a flagged word it shows what a reader may read.

Each way is read in one pass of the patterns over the sentence as it would read with every such word read so
(two for hyphens: without and with the hyphen), and a word is read so only where a match holds it: a few steps a
character for each pattern, counted against the article's budget.
"""

from __future__ import annotations

import bisect
import re

from ldn_evidence.claims.result import counted
from ldn_evidence.claims.statements import _ADVICE_RE, _EVIDENCE_RE, _HARMS_RE, _OVERSTATEMENT_RE
from ldn_evidence.text import BLANK

#: The patterns whose words are flagged.
_FLAGS = (_OVERSTATEMENT_RE, _HARMS_RE, _EVIDENCE_RE, _ADVICE_RE)
_LETTERS = re.compile(r"[^\W\d_]+")
_HYPHENS = "-\u2010\u2011"
#: Where a word may be split: a hyphen and a space, or a run of blanks, between letters.
_JOINT = re.compile(rf"(?<=[^\W\d_])(?:[{_HYPHENS}] |[{BLANK}]+)(?=[^\W\d_])")
_BLANKS = re.compile(rf"[{BLANK}]+")
_SPACES = re.compile(r"  +")


class _OneLetter(dict[int, str]):
    """A str.translate table: a letter AnyASCII writes as one ASCII letter, that letter; any other, itself."""

    def __missing__(self, code: int) -> str:
        from anyascii import anyascii

        char = chr(code)
        written = anyascii(char) if char.isalpha() else char
        self[code] = written if len(written) == 1 and written.isascii() and written.isalpha() else char
        return self[code]


_ONE_LETTER = _OneLetter()


def _held(text: str, spans: list[tuple[int, int]]) -> set[int]:
    """Which of `spans` (sorted places in `text`; a joint where start == end) a flag pattern's match holds: overlaps,
    or for a joint, has letters on both sides of. One pass of each pattern over `text`."""
    counted(len(text), len(_FLAGS))
    starts = [start for start, _ in spans]
    held: set[int] = set()
    for pattern in _FLAGS:
        for match in pattern.finditer(text):
            # The spans that start before the match ends, back to the first that ends after it starts.
            k = bisect.bisect_left(starts, match.end()) - 1
            while k >= 0 and spans[k][1] >= match.start():
                start, end = spans[k]
                if (
                    (start < match.end() and end > match.start())
                    if start < end
                    else match.start() < start < match.end()
                ):
                    held.add(k)
                k -= 1
    return held


def _lookalike_words(text: str) -> str:
    """Each word holding letters AnyASCII reads as plain ones, read so where it then makes a flagged word."""
    words = [(match.span(), plain) for match in _LETTERS.finditer(text)
             if not match.group().isascii() and (plain := match.group().translate(_ONE_LETTER)).isascii()]  # fmt: skip
    if not words:
        return text
    pieces, spans, last, length = [], [], 0, 0
    for (start, end), plain in words:
        pieces += [text[last:start], plain]
        length += start - last
        spans.append((length, length + len(plain)))
        length += len(plain)
        last = end
    held = _held("".join(pieces) + text[last:], spans)
    pieces, last = [], 0
    for k, ((start, end), plain) in enumerate(words):
        if k in held:
            pieces += [text[last:start], plain]
            last = end
    return "".join(pieces) + text[last:]


def _joined_words(text: str) -> str:
    """Each word split by a blank or a hyphen and a space read whole where only whole it is a flagged word (and,
    for a hyphen, with it where only so it is: "well- tolerated"); any other blank read as a space."""
    joints = [match.span() for match in _JOINT.finditer(text)]
    if not joints:
        return text
    chosen: dict[int, str] = {}
    for middle in ("", "-"):
        pieces, spans, last, length = [], [], 0, 0
        for start, end in joints:
            pieces += [text[last:start], middle]
            length += start - last
            spans.append((length, length) if not middle else (length, length + 1))
            length += len(middle)
            last = end
        for k in _held("".join(pieces) + text[last:], spans):
            if middle == "" or text[joints[k][0]] in _HYPHENS:
                chosen.setdefault(k, middle)
    pieces, last = [], 0
    for k, (start, end) in enumerate(joints):
        if k in chosen:
            pieces += [text[last:start], chosen[k]]
            last = end
    joined = "".join(pieces) + text[last:]
    return _SPACES.sub(" ", _BLANKS.sub(" ", joined)) if _BLANKS.search(joined) else joined


def as_read(sentence: str) -> str:
    """A folded sentence (`text.for_matching`) with its flagged words read as a reader reads them (see the
    module's note); any other blank read as a space. ASCII text without a hyphen and a space is returned as it is."""
    if sentence.isascii() and "- " not in sentence:
        return sentence
    return _joined_words(_lookalike_words(sentence))
