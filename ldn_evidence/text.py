"""Rules for text shared by every layer: folding for comparison, numbers in prose, and safety.

Folding is the one comparison EVIDENCE.md allows (whitespace, quote marks, dashes);
the number rules say whether a passage states a number and which number a length or
dose starts with; the safety rules keep catalogue text from acting on a terminal
(`visible`), a spreadsheet (`spreadsheet_safe`) or a Markdown renderer (`markdown_text`).
Pure functions of strings; the ground floor (it imports only the model's word list).
"""

from __future__ import annotations

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


# --- folding and numbers in prose ---------------------------------------------------------------

_FOLD = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"',
        "\u2013": "-", "\u2014": "-",
    }
)  # fmt: skip
_SPACE = re.compile(r"\s+")
WORDS_BY_NUMBER = {value: word for word, value in NUMBER_WORDS.items() if word not in ("a", "an")}


def fold(text: str) -> str:
    """Fold text for comparison as EVIDENCE.md allows, and nothing more."""
    return _SPACE.sub(" ", text.translate(_FOLD)).strip()


def _leading_number(text: str) -> float:
    token = re.match(r"\s*(?:about |median |up to )?([\w.]+)", text)
    word = token.group(1).lower() if token else ""
    if word in NUMBER_WORDS:
        return float(NUMBER_WORDS[word])
    try:
        return float(word)
    except ValueError:
        return float("nan")


def number_text(number: float) -> str:
    """A number as a record states it: 12 for 12.0, 3.5 as is."""
    return str(int(number)) if number == int(number) else str(number)


def mentions_number(text: str, number: float) -> bool:
    """True if `text` states `number` as a word of its own (digits, with commas, or a number word)."""
    if number != number:  # NaN: the text could not be read as a number
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


# --- terminal, spreadsheet and Markdown safety ------------------------------------------

# C0 and C1 control characters, DEL, and the invisible format characters (Unicode
# category Cf: soft hyphen, zero-width spaces and joiners, bidi marks, embeddings
# and overrides, word joiners, the byte-order mark, interlinear annotations, tag
# characters), the line and paragraph separators, and the other default-ignorable
# code points that draw as nothing (Hangul fillers, variation selectors, Mongolian
# free variation selectors): a terminal may act on them or hide them, so views show
# them as escapes instead.
_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180b-\u180f"
    "\u115f\u1160\u3164\uffa0\ufe00-\ufe0f\U000e0100-\U000e01ef"
    "\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f]"
)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def invisible(text: str) -> str | None:
    """The first control or invisible character in `text` (as `visible` shows it), or None."""
    found = _CONTROL.search(text)
    return None if found is None else _escape(found)


def visible(text: str) -> str:
    """Text safe to print on a terminal: control and invisible characters become visible escapes."""
    return _CONTROL.sub(_escape, text)


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
