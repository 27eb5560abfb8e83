"""Check a catalogue against its source documents.

Every quote must stand in its seed document, compared after folding runs of
whitespace (non-breaking spaces included) to one space, typographic quote marks
to straight ones and en/em dashes to hyphens. Every stated number (n, year,
duration, dose) must appear in one of the record's own quotes.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from pathlib import Path

from .errors import Problem
from .model import NUMBER_WORDS, Catalogue, Source, Study

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
    """The stretch of the (folded) document most like the (folded) quote."""
    matcher = difflib.SequenceMatcher(None, document, quote, autojunk=False)
    match = matcher.find_longest_match(0, len(document), 0, len(quote))
    start = max(0, match.a - match.b)
    return document[start : start + len(quote)]


def read_seeds(folder: Path, names: set[str]) -> dict[str, str]:
    """The folded text of each named seed document that exists in `folder`."""
    texts = {}
    for name in names:
        file = folder / name
        if "/" in name or "\\" in name or name.startswith("."):
            continue
        try:
            texts[name] = fold(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            continue
    return texts


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
    texts = read_seeds(seeds, names)
    problems = []
    for name in sorted(names - texts.keys()):
        problems.append(Problem(catalogue.path, None, f"source document '{name}' is not in {seeds}"))
    for record, line, sources in _sourced(catalogue):
        for source in sources:
            text = texts.get(source.seed)
            if text is None:
                continue
            quote = fold(source.quote)
            if quote in text:
                continue
            passage = closest_passage(quote, text)
            problems.append(
                Problem(
                    catalogue.path,
                    line,
                    f'quote not found in {source.seed}: "{_clip(quote)}"; closest passage: "{_clip(passage)}"',
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
