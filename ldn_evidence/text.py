"""Rules for text shared by every layer: folding for comparison, numbers in prose, and safety.

Folding is the one comparison EVIDENCE.md allows (whitespace, quote marks, dashes);
the number rules say whether a passage states a number and which number a length or
dose starts with; the safety rules keep catalogue text from acting on a terminal
(`visible`), a spreadsheet (`spreadsheet_safe`) or a Markdown renderer (`markdown_text`).
Pure functions of strings; the ground floor (it imports only the model's word list).
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable, Sequence
from typing import Any

from .model import NUMBER_WORDS

# --- sentences every view shares ---------------------------------------------------------------

#: The not-advice line every summarising view carries.
NOT_MEDICAL_ADVICE = "This summarises what the source documents report about studies; it is not medical advice."
#: "Who is telling it": said of a record that rests only on a commercial source, and its mark in tables.
COMMERCIAL_ONLY = "only on a compounding pharmacy's marketing post"
COMMERCIAL_MARK = "†"
#: Marks a list cell read from the paper: the study is one no article retells.
PUBLISHED_MARK = "‡"
#: A list's effect cell for a study no article retells (the articles' effect does not exist).
NOT_RETOLD = "not retold"


def misreport_line(tally: dict[str, Any]) -> str:
    """A document's count line against the papers, from `discrepancies.misreports`' tally:
    'misreports 6 of the 13 studies it retells: n ×2, outcome ×3, harms ×1'."""
    if not tally["misreported"]:
        return f"no discrepancy with a paper is catalogued for the {tally['studies']} studies it retells"
    kinds = ", ".join(f"{kind} ×{count}" for kind, count in tally["kinds"].items())
    return f"misreports {len(tally['misreported'])} of the {tally['studies']} studies it retells: {kinds}"


# --- folding and numbers in prose ---------------------------------------------------------------

_FOLD = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"',
        "\u2013": "-", "\u2014": "-",
    }
)  # fmt: skip
#: The same folds as pairs for str.replace, which runs at memory speed where str.translate with a table
#: holding non-ASCII characters reads one character at a time (13 MB/s: 4 MiB publication files took seconds).
_FOLD_PAIRS = tuple((chr(code), str(folded)) for code, folded in _FOLD.items())
#: Whitespace that is not already one plain space: a run of two or more, or any other whitespace character.
#: (Lone spaces, most of any text, are left where they are instead of being replaced one by one.)
_SPACE = re.compile(r"[^\S ]\s*| \s+")
WORDS_BY_NUMBER = {value: word for word, value in NUMBER_WORDS.items() if word not in ("a", "an")}


def fold(text: str) -> str:
    """Fold text for comparison as EVIDENCE.md allows, and nothing more."""
    for typographic, plain in _FOLD_PAIRS:
        if typographic in text:
            text = text.replace(typographic, plain)
    return _SPACE.sub(" ", text).strip()


def _leading_number(text: str) -> float:
    """The number `text` begins with: digits ("4.5mg" -> 4.5) or a word ("six months" -> 6.0); NaN if none."""
    token = re.match(r"\s*(?:about |median |up to )?(?:([0-9]+(?:\.[0-9]+)?)(?![0-9.])|([a-z]+)\b)", text, re.I)
    if token is None:
        return float("nan")
    if token.group(1):
        return float(token.group(1))
    word = token.group(2).lower()
    return float(NUMBER_WORDS[word]) if word in NUMBER_WORDS else float("nan")


def number_text(number: float) -> str:
    """A number as a record states it: 12 for 12.0, 3.5 as is (nan and inf as Python writes them)."""
    if not math.isfinite(number):
        return str(number)
    return str(int(number)) if number == int(number) else str(number)


def mentions_number(text: str, number: float) -> bool:
    """True if `text` states `number` as a word of its own (digits, with commas, or a number word)."""
    if not math.isfinite(number):  # NaN: the text could not be read as a number
        return False
    forms = {number_text(number)}
    if number == int(number):
        whole = int(number)
        forms.add(f"{whole:,}")
        forms.add(f"{whole}.0")  # "3.0 mg" states the dose 3
        forms.update(number_words(whole))
    return any(re.search(rf"(?<![\w.]){re.escape(form)}(?![\w]|\.\d)", text) for form in forms)


_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")


def number_words(whole: int) -> set[str]:
    """The ways prose writes a whole number below 1,000 in words, lower-cased ("thirty-one", "thirty one",
    "two hundred and sixty"); none for other numbers."""
    if whole in WORDS_BY_NUMBER:
        return {WORDS_BY_NUMBER[whole]}
    if 20 < whole < 100:
        tens, unit = _TENS[whole // 10 - 2], whole % 10
        return {tens} if unit == 0 else {f"{tens}-{WORDS_BY_NUMBER[unit]}", f"{tens} {WORDS_BY_NUMBER[unit]}"}
    if 100 <= whole < 1000:
        hundreds = f"{WORDS_BY_NUMBER[whole // 100]} hundred"
        rest = whole % 100
        if rest == 0:
            return {hundreds}
        return {f"{hundreds}{joint}{word}" for word in number_words(rest) for joint in (" and ", " ")}
    return set()


def _number_in(text: str, number: float) -> bool:
    """Like `mentions_number`, but a unit may follow the number directly ("3.5mg", "12-wk")."""
    if mentions_number(text, number):
        return True
    if not math.isfinite(number):
        return False
    forms = {number_text(number)}
    if number == int(number):
        forms.add(f"{int(number):,}")
    return any(re.search(rf"(?<![\w.]){re.escape(form)}(?!\d|\.\d)", text) for form in forms)


def states_number(text: str, number: float) -> bool:
    """True if folded, lower-cased `text` states `number` (in digits, with commas, or as a word)."""
    return _number_in(text, number)


def leading_number(text: str) -> float:
    """The number a length or dose starts with ("8 weeks" -> 8.0, "six months" -> 6.0); NaN if none."""
    return _leading_number(text)


#: A number in prose: digits with "." or "," between groups, or a word (checked against
#: NUMBER_WORDS), and a percent sign or word after it. Each repeat starts with a separator,
#: so the pattern cannot match one stretch two ways: a run of digits and separators of any
#: length is read in one pass, without backtracking.
#: Digits are any script's decimal digits ("١٦" is 16), and a percent sign any of its forms
#: (fullwidth, small, Arabic), so no way of writing a number slips past the check.
_NUMBER_IN_TEXT = re.compile(r"(?<![\w.,])(\d+(?:[.,]\d+)*|[a-z]+)(\s?(?:[%\uff05\ufe6a\u066a]|percent\b|per cent\b))?")
_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_DECIMAL = re.compile(r"\d+[.,]\d+")
#: The words `numbers_in` reads as numbers: one to twenty and the tens ("forty"; "forty-one" is read as 40 and 1,
#: in a quote as in a record, so each still has to stand in the other).
_WORD_NUMBERS = {word: value for word, value in NUMBER_WORDS.items() if word not in ("a", "an")}
_WORD_NUMBERS.update({word: 20 + 10 * i for i, word in enumerate(_TENS)})


def numbers_in(text: str) -> set[tuple[float, bool]]:
    """The numbers folded, lower-cased `text` states, each with whether it is a percentage.

    "1,200 people" -> (1200.0, False); "32.5%" and "32,5%" -> (32.5, True); "ten" -> (10.0, False);
    a list such as "3,4,5" or "1.2.3" -> each part. One scan of the text.
    """
    found: set[tuple[float, bool]] = set()
    for match in _NUMBER_IN_TEXT.finditer(text):
        token, percent = match.group(1), bool(match.group(2))
        if not token[0].isdecimal():
            if token in _WORD_NUMBERS:
                found.add((float(_WORD_NUMBERS[token]), percent))
        elif _THOUSANDS.fullmatch(token):
            found.add((float(token.replace(",", "")), percent))
        elif token.isdecimal() or _DECIMAL.fullmatch(token):
            found.add((float(token.replace(",", ".")), percent))
        else:
            parts = re.split(r"[.,]", token)
            found.update((float(part), percent and i == len(parts) - 1) for i, part in enumerate(parts))
    return found


# --- terminal, spreadsheet and Markdown safety ------------------------------------------

# C0 and C1 control characters, DEL, the invisible format characters (Unicode category
# Cf: soft hyphen, zero-width spaces and joiners, bidi marks, embeddings and overrides,
# word joiners, the byte-order mark, interlinear annotations, Arabic and Egyptian
# format marks), the line and paragraph separators, and every default-ignorable code
# point (Unicode's Default_Ignorable_Code_Point, DerivedCoreProperties.txt: the
# combining grapheme joiner, Hangul fillers, Khmer inherent vowels, Mongolian and
# other variation selectors, U+FFF0-FFF8, the whole tag block U+E0000-E0FFF, and the
# reserved code points among them, which a later Unicode may make invisible), and
# the blank-looking characters that are neither whitespace nor default-ignorable (the
# braille pattern blank U+2800, the musical null notehead U+1D159: shown as an empty
# space, as the Hangul fillers are): a terminal may act on them or hide them, so views
# show them as escapes, and the loader refuses them where text is cited.
_INVISIBLE_RANGES = (
    "\x00-\x08\x0b-\x1f\x7f-\x9f\xad\u034f\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2"
    "\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u2028-\u202e\u2060-\u206f\u2800\u3164"
    "\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d159\U0001d173-\U0001d17a"
    "\U000e0000-\U000e0fff"
)
#: The invisible characters a reader sees as a blank the width of a letter or more (the Hangul fillers, the
#: braille pattern blank, the musical null notehead): kept by `without_invisible`, for `ldn claims` to read as
#: a space, or as nothing where the letters around them make a flagged word only together ("cu\u2800res").
BLANK = "\u115f\u1160\u2800\u3164\uffa0\U0001d159"
#: The one set of characters that are escaped on terminals and refused in cited text and identifiers.
INVISIBLE = re.compile(f"[{_INVISIBLE_RANGES}]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def invisible(text: str) -> str | None:
    """The first control or invisible character in `text` (as `visible` shows it), or None."""
    found = INVISIBLE.search(text)
    return None if found is None else _escape(found)


def _unseen(char: str) -> str | None:
    if char.isspace():
        return " "
    return None if ord(char) < 0xA0 or char in BLANK else ""


@functools.cache
def _unseen_table() -> dict[int, str]:
    """`without_invisible` as a str.translate table, made once from the ranges (a few thousand code points):
    translate writes only the result, where a substitution with a function keeps a piece per character."""
    table: dict[int, str] = {}
    chars, at = _INVISIBLE_RANGES, 0
    while at < len(chars):
        is_range = at + 2 < len(chars) and chars[at + 1] == "-"
        last = chars[at + 2] if is_range else chars[at]
        for code in range(ord(chars[at]), ord(last) + 1):
            seen = _unseen(chr(code))
            if seen is not None:
                table[code] = seen
        at += 3 if is_range else 1
    return table


#: A right-to-left override (U+202E) and the run it reverses: to a pop (U+202C), an isolate's end or another
#: override or embedding, or the end of the line.
_OVERRIDDEN = re.compile("\u202e([^\u202a-\u202e\u2066-\u2069\n]*)[\u202c\u2069]?")


def visual_order(text: str) -> str:
    """Text in the order it is shown where a right-to-left override reverses a run of it: "\u202eseruc\u202c"
    is shown, and read, as "cures". Overrides nested in others are read as one run each."""
    if "\u202e" not in text:
        return text
    return _OVERRIDDEN.sub(lambda match: match.group(1)[::-1], text)


def without_invisible(text: str) -> str:
    """Text as a reader sees it, for matching: the invisible characters `visible` escapes removed (a soft hyphen
    or a zero-width space inside a word joins it again), those that space text (form feed, line separator) a
    space; control characters and the blank-looking ones (`BLANK`) stay, for views to show as escapes."""
    return text.translate(_unseen_table())


#: Compatibility forms NFKC would fold that change what a number says ("10⁵" is not 105, "½" not "1⁄2"):
#: kept as they are for matching.
_KEEP_FORMS = ("<super>", "<sub>", "<fraction>")
#: A character folds to at most this many (a ligature such as "ﬃ"), so folded text is at most 3 times as long.
_MOST_FOLDED = 3


class _Folded(dict[int, str]):
    """A str.translate table for `for_matching`, filled one code point at a time as they are met."""

    def __missing__(self, code: int) -> str:
        import unicodedata

        char = chr(code)
        lookalike = _latin_lookalike(char)  # before NFKC, which may make it another script's letter ("ϲ" to "ς")
        if lookalike != char:
            self[code] = lookalike
            return lookalike
        folded = (
            char if unicodedata.decomposition(char).startswith(_KEEP_FORMS) else unicodedata.normalize("NFKC", char)
        )
        if len(folded) > _MOST_FOLDED:
            folded = char  # an Arabic ligature of 18 letters, say: nothing an English pattern reads
        self[code] = "".join(_latin_lookalike(c) for c in folded)
        return self[code]


def _latin_lookalike(char: str) -> str:
    """The Latin letter a letter of any script looks like (Unicode's confusables: Cyrillic "с", Greek "ο",
    Armenian "ս", Cherokee "Ꭰ"), else the letter itself. Only letters: a digit of another script ("٥") is a
    digit, read as its value, never as the letter it looks like."""
    import unicodedata

    if char.isascii() or not unicodedata.category(char).startswith("L"):
        return char
    from confusable_homoglyphs.confusables import confusables_data  # type: ignore[import-untyped]

    for glyph in confusables_data.get(char, ()):
        latin = glyph["c"]
        if len(latin) == 1 and latin.isascii() and latin.isalpha():
            # Unicode's skeleton reads every capital I-like letter as "l"; a capital is a capital I.
            return "I" if latin == "l" and char.isupper() else str(latin)
    return char


_FOLDED = _Folded()


def for_matching(text: str) -> str:
    """Text as `ldn claims` matches it (never as it shows it): compatibility forms folded by NFKC (full-width
    and mathematical letters, ligatures: "ｃｕｒｅｓ" is "cures"), except superscripts, subscripts and fractions,
    which would change a number; and each letter of any script that looks like a Latin one read as that
    letter ("сurеs" with Cyrillic с and е is "cures", "cսres" with Armenian ս too). ASCII text is returned as it is."""
    return text if text.isascii() else text.translate(_FOLDED)


def visible(text: str) -> str:
    """Text safe to print on a terminal: control and invisible characters become visible escapes."""
    return INVISIBLE.sub(_escape, text)


#: A cell beginning with one of these is run as a formula by spreadsheets (OWASP's
#: "CSV injection"); the apostrophe is there so that such a cell, written with one
#: more apostrophe in front, reads back exactly.
CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")


def spreadsheet_safe(cell: str) -> str:
    """A CSV cell that no spreadsheet runs: one beginning with = + - @ tab CR or ' gets a leading '."""
    return "'" + cell if cell.startswith(CSV_FORMULA_STARTS) else cell


def from_spreadsheet_safe(cell: str) -> str:
    """Undo `spreadsheet_safe`: the exact text of a cell it wrote."""
    return cell[1:] if cell.startswith("'") else cell


def plural(count: int, word: str) -> str:
    """'1 study', '2 studies', '1 participant', '3 participants'."""
    if count == 1:
        return f"{count} {word}"
    return f"{count} {word[:-1]}ies" if word.endswith("y") else f"{count} {word}s"


def one_line(text: str) -> str:
    """`visible` text with tabs and line breaks escaped, for one TSV cell."""
    return visible(text.replace("\\", "\\\\").replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n"))


def csv_cell(value: Any, raw: bool = False) -> Any:
    """A value as a CSV cell: null is empty, text is `spreadsheet_safe` unless `raw`."""
    if value is None:
        return ""
    if isinstance(value, str) and not raw:
        return spreadsheet_safe(value)
    return value


# Emphasis, code, links, HTML, tables, headings, strikethrough (~), entities (&) and
# e-mail autolinks (@); `_md` also breaks URL and www autolinks and block starts.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~&@])")
_MD_URL = re.compile(r"(?<=[A-Za-z0-9]):(?=//)")
_MD_WWW = re.compile(r"(?i)\b(www)\.")
_MD_BLOCK_START = re.compile(r"^(\s*)([-+=]|[0-9]+(?=[.)]))")


def _md(text: str) -> str:
    """Catalogue text for Markdown: shown literally, never as a link, emphasis, list, HTML or strikethrough."""
    # Leading space would make an indented code block; Markdown drops it from a paragraph anyway.
    text = _MD_SPECIAL.sub(r"\\\1", visible(text)).replace("\r", " ").replace("\n", " ").strip()
    text = _MD_WWW.sub(r"\1\\.", _MD_URL.sub(r"\\:", text))
    return _MD_BLOCK_START.sub(_md_block, text, count=1)


def markdown_text(text: str) -> str:
    """Text for Markdown output, shown literally (the rule `_md` applies to catalogue text)."""
    return _md(text)


def _md_block(match: re.Match[str]) -> str:
    """A leading list, heading or setext marker escaped: `\\-`, `\\+`, `\\=`, `12\\.`."""
    space, marker = match.group(1), match.group(2)
    return space + (marker + "\\" if marker.isdigit() else "\\" + marker)


def markdown_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A GitHub-flavoured Markdown table; cells are escaped."""
    lines = ["| " + " | ".join(_md(h) for h in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_md(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"
