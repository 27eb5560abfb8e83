"""Check a catalogue against its source documents.

Every quote must stand in its seed document, compared after folding runs of
whitespace (non-breaking spaces included) to one space, typographic quote marks
to straight ones and en/em dashes to hyphens. Every stated number (n, year,
duration, dose) must appear in one of the record's own quotes.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from .errors import Problem
from .model import NUMBER_WORDS, Catalogue, Source, Study

if TYPE_CHECKING:
    from pathlib import Path  # for annotations only: views that fold text need not import pathlib

    from .publications import Page

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
    import difflib  # only a failed check needs it; it costs a start-up import otherwise

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


def quoted_documents(catalogue: Catalogue) -> set[str]:
    """The source documents the catalogue's quotes come from."""
    return {source.seed for _, _, sources in _sourced(catalogue) for source in sources}


def verify(catalogue: Catalogue, seeds: Path, publications: Path | None = None) -> list[Problem]:
    """Every quote that is not in its document and every number no quote states.

    With a published layer, also every excerpt that is not in its publication's file
    (in `publications`, by default publications/ beside `seeds`): see `verify_published`.
    """
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
    if catalogue.publications:
        from .publications import folder_beside

        problems.extend(verify_published(catalogue, seeds, publications or folder_beside(seeds)))
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


# --- the published layer ------------------------------------------------------------------------


def verify_published(catalogue: Catalogue, seeds: Path, folder: Path) -> list[Problem]:
    """Every excerpt not found under its page in its publication's file, and every quote not in its seed.

    Each publication's excerpts are in ``folder/ID.txt``. A fact's excerpt, and a
    curated discrepancy's, must stand (folded as quotes are) within one paragraph
    under the page it names, and that page must be of the kind it says; a fact's
    number (people, a length, a dose) must appear in its excerpt; a discrepancy's
    article quote must stand in its seed.
    """
    from .publications import read_pages

    problems: list[Problem] = []
    names = {found.seed for p in catalogue.publications for found in p.discrepancies}
    texts = read_seeds(seeds, names)
    for name in sorted(names - texts.keys()):
        problems.append(Problem(catalogue.path, None, f"source document '{name}' is not in {seeds}"))
    for publication in catalogue.publications:
        path, pages, file_problems = read_pages(folder, publication)
        problems.extend(file_problems)
        if pages is None:
            if not file_problems:
                problems.append(
                    Problem(
                        catalogue.path, publication.line,
                        f"its excerpt file {path} is missing: every excerpt must be kept there, under its page",
                        record=publication.id, field="facts",
                    )
                )  # fmt: skip
            continue
        name = os.path.basename(path)
        checks = [(f.excerpt, f.page, f.page_kind, f.line, "facts") for f in publication.facts]
        checks += [(d.published_says, d.page, d.page_kind, d.line, "discrepancies") for d in publication.discrepancies]
        for excerpt, page, kind, line, field in checks:
            for suffix, message in excerpt_problems(pages, name, excerpt, page, kind):
                problems.append(
                    Problem(catalogue.path, line, message, record=publication.id, field=f"{field}.{suffix}")
                )
        for fact in publication.facts:
            number = _fact_number(fact.value)
            if number is not None and not _number_in(fold(fact.excerpt).lower(), number):
                problems.append(
                    Problem(catalogue.path, fact.line, f"{_show(number)} does not appear in the fact's excerpt",
                            record=publication.id, field="facts.value")
                )  # fmt: skip
        for found in publication.discrepancies:
            text = texts.get(found.seed)
            quote = fold(found.article_says)
            if text is not None and quote not in text:
                problems.append(
                    Problem(
                        catalogue.path, found.line,
                        f'article quote not found in {found.seed}: "{_clip(quote)}"; '
                        f'closest passage: "{_clip(closest_passage(quote, text))}"',
                        record=publication.id, field="discrepancies.article_says",
                    )
                )  # fmt: skip
    return problems


def excerpt_problems(pages: Sequence[Page], name: str, excerpt: str, page: str, kind: str) -> list[tuple[str, str]]:
    """(field, message) for an excerpt that is not under its page, of its kind, in the excerpt file `name`."""
    named = [found for found in pages if found.address == page]
    if not named:
        return [("page", f"page '{_clip(page, 100)}' is not in {name}")]
    out = []
    of_kind = [found for found in named if found.kind == kind]
    if not of_kind:
        listed = " or ".join(f"'{found.kind}'" for found in named)
        out.append(("page_kind", f"page_kind is '{kind}' but {name} lists the page as {listed}"))
    folded = fold(excerpt)
    paragraphs = [paragraph for found in (of_kind or named) for paragraph in found.excerpts]
    if not any(folded in paragraph for paragraph in paragraphs):
        passage = closest_passage(folded, " ".join(paragraphs))
        out.append(
            ("excerpt", f'excerpt not found in {name} under its page: "{_clip(folded)}"; closest: "{_clip(passage)}"')
        )
    return out


def _fact_number(value: int | str | None) -> float | None:
    """The number a fact's value states: a count, or the leading number of a length or dose."""
    if isinstance(value, int):
        return float(value)
    if isinstance(value, str) and re.match(r"\s*(?:about |median |up to )?[\d.]", value):
        return _leading_number(value)
    return None


def _number_in(text: str, number: float) -> bool:
    """Like `_mentions`, but a unit may follow the number directly ("3.5mg", "12-wk")."""
    if _mentions(text, number):
        return True
    forms = {_show(number)}
    if number == int(number):
        forms.add(f"{int(number):,}")
    return any(re.search(rf"(?<![\w.]){re.escape(form)}(?!\d|\.\d)", text) for form in forms)


def states_number(text: str, number: float) -> bool:
    """True if folded, lower-cased `text` states `number` (in digits, with commas, or as a word)."""
    return _number_in(text, number)


def leading_number(text: str) -> float:
    """The number a length or dose starts with ("8 weeks" -> 8.0, "six months" -> 6.0); NaN if none."""
    return _leading_number(text)
