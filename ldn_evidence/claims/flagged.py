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

Each stretch read costs a bounded number of steps (a window of `_CONTEXT` characters either side, once a
pattern), counted against the article's budget.
"""

from __future__ import annotations

import re

from ldn_evidence.claims.result import counted
from ldn_evidence.claims.statements import _ADVICE_RE, _EVIDENCE_RE, _HARMS_RE, _OVERSTATEMENT_RE
from ldn_evidence.text import BLANK

#: The patterns whose words are flagged.
_FLAGS = (_OVERSTATEMENT_RE, _HARMS_RE, _EVIDENCE_RE, _ADVICE_RE)
#: How far either side of a word the patterns read (the longest flagged phrase, advice, spans about 120).
_CONTEXT = 80
#: The longest part of a split word looked at.
_MOST_LETTERS = 40
_LETTERS = re.compile(r"[^\W\d_]+")
_HYPHENS = "-\u2010\u2011"
#: Where a word may be split: a hyphen and a space, or a run of blanks, between letters.
_JOINT = re.compile(rf"(?<=[^\W\d_])(?:[{_HYPHENS}] |[{BLANK}]+)(?=[^\W\d_])")
_LEFT = re.compile(rf"[^\W\d_]{{1,{_MOST_LETTERS}}}\Z")
_RIGHT = re.compile(rf"[^\W\d_]{{1,{_MOST_LETTERS}}}")
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


def _flagged_across(text: str, start: int, end: int) -> bool:
    """True when a flag pattern matches `text` over a stretch that overlaps text[start:end], or, where start ==
    end (a joint between two letters), holds the letters on both sides of it."""
    low = max(0, start - _CONTEXT)
    window = text[low : end + _CONTEXT]
    counted(len(window), len(_FLAGS))
    first, last = start - low, end - low
    return any(match.start() < last and match.end() > first for pattern in _FLAGS for match in pattern.finditer(window))


def _lookalike_words(text: str) -> str:
    """Each word holding letters AnyASCII reads as plain ones, read so where it then makes a flagged word."""
    pieces: list[str] = []
    last = 0
    for match in _LETTERS.finditer(text):
        word = match.group()
        if word.isascii():
            continue
        plain = word.translate(_ONE_LETTER)
        if plain == word or not plain.isascii():
            continue
        start, end = match.span()
        read = text[max(0, start - _CONTEXT) : start] + plain + text[end : end + _CONTEXT]
        at = min(start, _CONTEXT)
        if _flagged_across(read, at, at + len(plain)):
            pieces += [text[last:start], plain]
            last = end
    return "".join(pieces) + text[last:] if pieces else text


def _joined_words(text: str) -> str:
    """Each word split by a blank or a hyphen and a space read whole where only whole it is a flagged word."""
    pieces: list[str] = []
    last = 0
    for joint in _JOINT.finditer(text):
        start, end = joint.span()
        if start < last:
            continue
        left = _LEFT.search(text, max(last, start - _MOST_LETTERS), start)
        right = _RIGHT.match(text, end)
        if left is None or right is None:
            continue
        before = text[max(0, left.start() - _CONTEXT) : left.start()]
        after = text[right.end() : right.end() + _CONTEXT]
        at = len(before) + len(left.group())
        hyphen = text[start] in _HYPHENS
        for middle in ("", "-") if hyphen else ("",):
            if _flagged_across(before + left.group() + middle + right.group() + after, at, at + len(middle)):
                pieces += [text[last:start], middle]
                last = end
                break
    joined = "".join(pieces) + text[last:] if pieces else text
    return _SPACES.sub(" ", _BLANKS.sub(" ", joined)) if _BLANKS.search(joined) else joined


def as_read(sentence: str) -> str:
    """A folded sentence (`text.for_matching`) with its flagged words read as a reader reads them (see the
    module's note); any other blank read as a space. ASCII text without a hyphen and a space is returned as it is."""
    if sentence.isascii() and "- " not in sentence:
        return sentence
    return _joined_words(_lookalike_words(sentence))
