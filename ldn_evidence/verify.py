"""Check a catalogue against its source documents.

Every quote must stand in its seed document, compared after folding runs of
whitespace (non-breaking spaces included) to one space, typographic quote marks
to straight ones and en/em dashes to hyphens. Every stated number (n, year,
duration, dose) must appear in one of the record's own quotes.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

from .errors import CatalogueFileError, Problem
from .model import NUMBER_WORDS, Catalogue, Source, Study
from .paths import escaped, read_capped

#: A source document larger than this is refused (the shipped ones are under 20 KB).
MAX_SEED_BYTES = 4 * 1024 * 1024
#: How much of a failed quote the closest-passage search looks for, in characters.
PASSAGE_WINDOW = 200
#: Closest passages are searched for this many failed quotes; the rest are only listed.
MAX_PASSAGES = 200

_FOLD = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"',
        "\u2013": "-", "\u2014": "-",
    }
)  # fmt: skip
_SPACE = re.compile(r"\s+")
_WORDS_BY_NUMBER = {value: word for word, value in NUMBER_WORDS.items() if word not in ("a", "an")}


def fold(text: str) -> str:
    """Fold text for comparison as EVIDENCE.md allows, and nothing more."""
    return _SPACE.sub(" ", text.translate(_FOLD)).strip()


def closest_passage(quote: str, document: str) -> str:
    """The stretch of the (folded) document most like the (folded) quote.

    The longest piece of the quote's first PASSAGE_WINDOW characters that starts
    at a word and stands in the document, found by substring search (a binary
    search on its length from each word), then widened to the quote's length.
    The work is bounded by the window, whatever the sizes of quote and document.
    """
    window = quote[:PASSAGE_WINDOW]
    best_at, best_in_quote, best_length = 0, 0, 0
    starts = [0] + [m.end() for m in re.finditer(r"\s+", window)]
    for start in starts:
        low, high = 0, len(window) - start
        if high <= best_length:
            continue
        while low < high:  # the longest window[start:start + n] found in the document
            middle = (low + high + 1) // 2
            if window[start : start + middle] in document:
                low = middle
            else:
                high = middle - 1
        if low > best_length:
            best_at, best_in_quote, best_length = document.find(window[start : start + low]), start, low
    begin = max(0, best_at - best_in_quote)
    return document[begin : begin + len(quote)]


def read_seeds(folder: Path, names: set[str]) -> tuple[dict[str, str], dict[str, str]]:
    """The folded text of each named seed document in `folder`, and why the others could not be read.

    A seed must be a regular UTF-8 file of at most MAX_SEED_BYTES inside the
    folder: a name with a path in it, a symbolic link that leads out of the
    folder, a device or a FIFO is refused, so nothing outside the documents is
    ever read (and so never quoted back in a message).
    """
    texts: dict[str, str] = {}
    refused: dict[str, str] = {}
    try:
        inside = os.path.realpath(folder)
    except (OSError, ValueError):
        return texts, {name: "the folder cannot be read" for name in names}
    for name in names:
        if "/" in name or "\\" in name or name.startswith(".") or "\x00" in name or not name:
            refused[name] = "a seed is a plain file name in the folder, with no path"
            continue
        file = os.path.join(folder, name)
        if not os.path.lexists(file):
            continue
        real = os.path.realpath(file)
        if os.path.dirname(real) != inside and not real.startswith(inside.rstrip(os.sep) + os.sep):
            refused[name] = "it is a link that leads out of the folder; refused"
            continue
        try:
            raw = read_capped(real, MAX_SEED_BYTES, "source document", pipes=False)
            texts[name] = fold(raw.decode("utf-8"))
        except CatalogueFileError as exc:
            refused[name] = str(exc).removeprefix(escaped(real) + ": ")
        except UnicodeDecodeError:
            refused[name] = "it is not UTF-8 text"
    return texts, refused


def _sourced(catalogue: Catalogue) -> Iterator[tuple[str, int, tuple[Source, ...]]]:
    for document in catalogue.documents:
        yield document.seed, document.line, document.sources
    for caution in catalogue.cautions:
        yield caution.id, caution.line, caution.sources
    for study in catalogue.studies:
        yield study.id, study.line, study.sources


def quote_count(catalogue: Catalogue) -> int:
    """How many quotes the catalogue holds, in studies, documents and cautions."""
    return sum(len(sources) for _, _, sources in _sourced(catalogue))


def verify(catalogue: Catalogue, seeds: Path) -> list[Problem]:
    """Every quote that is not in its document and every number no quote states."""
    names = {source.seed for _, _, sources in _sourced(catalogue) for source in sources}
    names |= {document.seed for document in catalogue.documents}
    texts, refused = read_seeds(seeds, names)
    problems = []
    folder = escaped(str(seeds))
    for name in sorted(names - texts.keys()):
        why = refused.get(name)
        shown = escaped(name)
        where = f"in {folder}: {why}" if why else f"is not in {folder}"
        message = f"source document '{shown}' {where}"
        problems.append(Problem(catalogue.path, None, message))
    searched = 0
    for record, line, sources in _sourced(catalogue):
        for source in sources:
            text = texts.get(source.seed)
            if text is None:
                continue
            quote = fold(source.quote)
            if quote in text:
                continue
            searched += 1
            if searched <= MAX_PASSAGES:
                closest = f'closest passage: "{_clip(closest_passage(quote, text))}"'
            else:
                closest = f"closest passage not searched (only for the first {MAX_PASSAGES} failed quotes)"
            problems.append(
                Problem(
                    catalogue.path,
                    line,
                    f'quote not found in {source.seed}: "{_clip(quote)}"; {closest}',
                    record=record,
                    field="sources",
                )
            )
    for study in catalogue.studies:
        problems.extend(unbacked_numbers(study, catalogue.path))
    return problems


def unbacked_numbers(study: Study, path: str) -> list[Problem]:
    """The stated numbers of a study that none of its quotes contains."""
    quotes = " ".join(fold(source.quote) for source in study.sources).lower()
    checks: list[tuple[str, float]] = []
    if study.n is not None and not (study.n == 1 and study.design == "case-report"):
        checks.append(("n", study.n))
    if study.year is not None:
        checks.append(("year", study.year))
    if study.duration is not None:
        checks.append(("duration", _leading_number(study.duration.text)))
    if study.dose is not None:
        checks.append(("dose", _leading_number(study.dose.text)))
    problems = []
    for field, number in checks:
        if not _mentions(quotes, number):
            problems.append(
                Problem(
                    path,
                    study.line,
                    f"{_show(number)} does not appear in any of the record's quotes",
                    record=study.id,
                    field=field,
                )
            )
    return problems


def _leading_number(text: str) -> float:
    token = re.match(r"\s*(?:about |median |up to )?([\w.]+)", text)
    word = token.group(1).lower() if token else ""
    if word in NUMBER_WORDS:
        return float(NUMBER_WORDS[word])
    try:
        return float(word)
    except ValueError:
        return float("nan")


def _show(number: float) -> str:
    return str(int(number)) if number == int(number) else str(number)


def _mentions(text: str, number: float) -> bool:
    if number != number:  # NaN: the text could not be read as a number
        return False
    forms = {_show(number)}
    if number == int(number):
        whole = int(number)
        forms.add(f"{whole:,}")
        if whole in _WORDS_BY_NUMBER:
            forms.add(_WORDS_BY_NUMBER[whole])
    return any(re.search(rf"(?<![\w.]){re.escape(form)}(?![\w]|\.\d)", text) for form in forms)


def _clip(text: str, width: int = 160) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."
