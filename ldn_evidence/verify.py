"""Check a catalogue against its source documents.

Every quote must stand in its seed document, compared after folding runs of
whitespace (non-breaking spaces included) to one space, typographic quote marks
to straight ones and en/em dashes to hyphens. Every stated number (n, year,
duration, dose) must appear in one of the record's own quotes.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from .errors import CatalogueFileError, Problem
from .files import MAX_SEED_BYTES
from .finding import Budget, Finder
from .finding import clip as _clip
from .model import NUMBER_WORDS, Catalogue, Source, Study
from .paths import escaped, read_inside, stays_inside
from .text import fold, leading_number, mentions_number, number_text, number_words, numbers_in, states_number

#: Why a quote or excerpt is listed unchecked: the run's budget for scans (PASSAGE_BUDGET) is spent.
_SPENT = (
    "the run's budget for scanning documents is spent (by quotes made only of words their documents repeat "
    "everywhere, or by very many failures)"
)

if TYPE_CHECKING:
    from pathlib import Path  # for annotations only: views that fold text need not import pathlib

    from .files import Page


def read_seeds(folder: Path, names: set[str]) -> tuple[dict[str, str], dict[str, str]]:
    """The folded text of each named seed document in `folder`, and why the others could not be read.

    A seed must be a regular UTF-8 file of at most MAX_SEED_BYTES inside the
    folder: a name with a path in it, a symbolic link that leads out of the
    folder, a device or a FIFO is refused, so nothing outside the documents is
    ever read (and so never quoted back in a message).
    """
    texts: dict[str, str] = {}
    refused: dict[str, str] = {}
    for name in names:
        try:
            texts[name] = fold(read_inside(folder, name, MAX_SEED_BYTES, "source document").decode("utf-8"))
        except FileNotFoundError:
            continue
        except CatalogueFileError as exc:
            refused[name] = str(exc)
        except UnicodeDecodeError:
            refused[name] = "it is not UTF-8 text"
    return texts, refused


def missing_documents(catalogue: Catalogue, seeds: Path, names: set[str], refused: dict[str, str]) -> list[Problem]:
    """A problem for each seed that is not in `seeds`, or was refused (and why)."""
    folder = escaped(str(seeds))
    problems = []
    for name in sorted(names):
        why = refused.get(name)
        where = f"in {folder}: {why}" if why else f"is not in {folder}"
        problems.append(Problem(catalogue.path, None, f"source document '{escaped(name)}' {where}"))
    return problems


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
    texts, refused = read_seeds(seeds, names)
    problems = missing_documents(catalogue, seeds, names - texts.keys(), refused)
    budget = Budget()
    wanted: dict[str, dict[str, None]] = {}  # each seed's distinct quotes, in the catalogue's order
    for _, _, sources in _sourced(catalogue):
        for source in sources:
            wanted.setdefault(source.seed, {})[fold(source.quote)] = None
    for publication in catalogue.publications:
        for found in publication.discrepancies:
            wanted.setdefault(found.seed, {})[fold(found.article_says)] = None
    for name, quotes in wanted.items():
        if name in texts:  # one document at a time, so that at most one index is held
            finder = Finder(texts[name], budget)
            budget.held.update(((name, quote), finder.holds(quote)) for quote in quotes)
    for record, line, sources in _sourced(catalogue):
        for source in sources:
            text = texts.get(source.seed)
            if text is None:
                continue
            quote = fold(source.quote)
            held = budget.held[source.seed, quote]
            if held:
                continue
            if held is None:
                problems.append(
                    Problem(catalogue.path, line, f'quote not checked in {source.seed}: "{_clip(quote)}"; {_SPENT}',
                            record=record, field="sources")
                )  # fmt: skip
                continue
            _, closest = budget.passage(quote, text)
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
    if catalogue.publications:
        from .files import folder_beside

        if publications is None:
            publications = folder_beside(seeds)
            try:
                stays_inside(publications, seeds.parent, "publications folder")
            except CatalogueFileError as exc:
                return _once([*problems, Problem(catalogue.path, None, str(exc))])
        problems.extend(verify_published(catalogue, seeds, publications, budget))
    return _once(problems)


def _once(problems: list[Problem]) -> list[Problem]:
    """Each problem once, in order: a seed refused for the quotes is not refused again for the discrepancies."""
    seen: set[tuple[object, ...]] = set()
    kept = []
    for problem in problems:
        key = (problem.path, problem.line, problem.message, problem.record, problem.field)
        if key not in seen:
            seen.add(key)
            kept.append(problem)
    return kept


def unbacked_numbers(study: Study, path: str) -> list[Problem]:
    """The stated numbers of a study that none of its quotes contains.

    n, the year, the length and the dose must each stand in a quote; n as a count
    (digits, with commas, or a word), never as a percentage ("77% improved" backs no
    n of 77); a length followed by a unit of time and a dose by a unit of dose
    (`with_unit`). So must every number and percentage the outcome, the tolerability,
    the population, a finding's detail or a harm's event or share states: a percentage
    as a percentage, any other number as a number, and beside its own words
    (`detached_numbers`, `harm_problems`).
    """
    quotes = " ".join(fold(source.quote) for source in study.sources).lower()
    stated = numbers_in(quotes)
    problems = []

    def unbacked(field: str, message: str) -> None:
        problems.append(Problem(path, study.line, message, record=study.id, field=field))

    counted = study.n is not None and not (study.n == 1 and study.design == "case-report")
    if study.n is not None and counted and not _stated(quotes, stated, float(study.n), False):
        only = "appears in the record's quotes only as a percentage, not as a count of people"
        absent = "does not appear in any of the record's quotes"
        unbacked("n", f"{study.n} {only if _stated(quotes, stated, float(study.n), True) else absent}")
    elif study.n is not None and counted and not counts_people(quotes, float(study.n)):
        unbacked("n", f"{study.n} is not stated as a count of people in any of the record's quotes ({_PEOPLE_HINT})")
    if study.year is not None and not mentions_number(quotes, study.year):
        unbacked("year", f"{study.year} does not appear in any of the record's quotes")
    for field, value, units, what in (
        (
            "duration",
            study.duration,
            time_units(study.duration.text) if study.duration else TIME_UNITS,
            "a length of time in its unit (not an age)",
        ),
        ("dose", study.dose, DOSE_UNITS, "an amount of the drug in milligrams"),
    ):
        if value is None:
            continue
        number = leading_number(value.text)
        if not math.isfinite(number):
            unbacked(field, f"'{_clip(value.text, 60)}' does not begin with a number a quote could state")
        elif not (states_number(quotes, number) or (number, False) in stated):  # "4.5mg" is "4.50 mg"
            unbacked(field, f"{number_text(number)} does not appear in any of the record's quotes")
        elif not with_unit(quotes, number, units):
            unbacked(
                field,
                f"{number_text(number)} is not stated as {what} in any of the record's quotes "
                "(no unit follows it there)",
            )
        elif field == "duration" and not length_of_study(quotes, number, value.text):
            unbacked(
                field,
                f"{number_text(number)} is stated as a length of time in the record's quotes, but not in a clause "
                "that says it is the study's, its treatment's or its follow-up's (a word such as treated, took, "
                "trial, study or follow-up, or the duration's own words)",
            )
    told: list[tuple[str, str]] = [("findings", finding.detail or "") for finding in study.findings]
    told += [("adverse_events", f"{harm.event} {harm.share or ''}") for harm in study.adverse_events]
    told += [(field, text) for field, text in _prose(study) if text]
    for harm in study.adverse_events:
        for message in harm_problems(quotes, harm.event, harm.share):
            unbacked("adverse_events", message)
    clauses: list[str] | None = None
    for field, text in told:
        for number, percent in sorted(numbers_in(_DOCUMENT_NUMBER.sub(" ", fold(text).lower())) - stated):
            if _stated(quotes, stated, number, percent, prose=field != "adverse_events"):
                continue
            shown = number_text(number) + ("%" if percent else "") if math.isfinite(number) else "a number this long"
            unbacked(field, f"{shown} does not appear in any of the record's quotes")
    for field, text in told:
        if field == "adverse_events":
            continue  # harms are attached by their name: `harm_problems`
        if clauses is None:
            clauses = [c for sentence in _sentences(quotes) for c in clauses_of(sentence) if c.strip()]
        for message in detached_numbers(quotes, stated, clauses, text):
            unbacked(field, message)
    return problems


def _prose(study: Study) -> tuple[tuple[str, str | None], ...]:
    """The free-text fields of a study that retell its quotes (beside findings' details and harms)."""
    return (("outcome", study.outcome), ("tolerability", study.tolerability), ("population", study.population))


#: Words that, right after a number, make it a length of time.
TIME_UNITS = frozenset(
    {"seconds", "second", "minutes", "minute", "hours", "hour", "days", "day", "weeks", "week", "wk", "wks"}
    | {"months", "month", "mo", "mos", "years", "year", "yr", "yrs", "nights", "night"}
)
#: Units of time by what they measure: a duration's number is backed only in its own unit ("8 months" backs no
#: "8 weeks").
_TIME_FAMILIES = tuple(
    frozenset(words.split())
    for words in (
        "seconds second", "minutes minute", "hours hour", "days day", "weeks week wk wks",
        "months month mo mos", "years year yr yrs", "nights night",
    )
)  # fmt: skip


def time_units(duration: str) -> frozenset[str]:
    """The units of time of the first unit `duration` names ("8 weeks": week, weeks, wk, wks); TIME_UNITS if none."""
    for word in _UNIT_WORD.findall(fold(duration).lower()):
        for family in _TIME_FAMILIES:
            if word in family:
                return family
    return TIME_UNITS


#: Words that, right after a number, make it an amount of the drug: a dose is in milligrams (the loader reads no
#: other unit), so only milligrams back it; a weight ("70 kg"), a volume ("3 ml") or grams are other amounts.
DOSE_UNITS = frozenset({"mg", "milligrams", "milligram"})
#: How many words after a number a unit may come ("8 to 12 weeks", "4.5 or 3 mg").
_UNIT_WORDS = 4
#: A length of time that is an age ("within 30 years of age", "30 years old", "a 30-year-old"), not a length;
#: and the words before a number that make it one ("aged 30 years", "at the age of 30 years").
_AN_AGE = re.compile(r"[\s-]*(?:years?|yrs?|months?|weeks?|days?)(?:\s*-\s*|\s+)(?:of\s+age|old|of\s+life)\b")
_AGED = re.compile(r"\b(?:aged|age\s+of|ages\s+of)\s+$")


def with_unit(quotes: str, number: float, units: frozenset[str]) -> bool:
    """True if folded, lower-cased `quotes` state `number` followed, within _UNIT_WORDS words of numbers and
    joiners (_BETWEEN_UNIT) and before any percent sign, by a word of `units` ("median period of 804 days",
    "8 to 12 weeks", "4.5mg"), at one of its first _COUNT_PLACES places."""
    # In digits with any zeros after the point ("4.50", "12.0"), with commas, or in words.
    forms = [re.escape(number_text(number)) + (r"(?:\.0+)?" if number == int(number) else "0*")]
    if number == int(number):
        forms += [re.escape(f"{int(number):,}")] + [re.escape(word) for word in number_words(int(number))]
    places = 0
    for form in forms:
        for found in re.finditer(rf"(?<![\w.]){form}(?![0-9]|\.\d)", quotes):
            places += 1
            if places > _COUNT_PLACES:
                return False
            rest = quotes[found.end() : found.end() + _COUNT_CHARS]
            if _PERCENT_AFTER.match(rest):
                continue
            if units <= TIME_UNITS and (
                _AN_AGE.match(rest) or _AGED.search(quotes, max(0, found.start() - 16), found.start())
            ):
                continue
            cut = re.search(r"[%\uff05\ufe6a\u066a;:.](?!\d)", rest)
            for word in _UNIT_WORD.findall(rest[: cut.start()] if cut else rest)[:_UNIT_WORDS]:
                if word in units:
                    return True
                if not (word in _BETWEEN_UNIT or word[0].isdigit() or word in NUMBER_WORDS):
                    break  # "12 patients and 3 weeks": the unit is another number's
    return False


#: Words that make a length of time the study's own, in the clause that states it: its treatment, the trial or
#: study, its follow-up ("LDN was given for a median period of 804 days", "the eight-week-long trial"); not the
#: disease's ("the average disease duration was ten years").
STUDY_TIME_WORDS = frozenset(
    " ".join(
        (
            "treatment treatments treated treating therapy therapies took take takes taking taken given giving",
            "received receiving administered administration ldn naltrexone drug medication dose doses dosing",
            "nightly daily trial trials study studies pilot investigation follow followed followup period phase",
            "course intervention observation observed monitored use used using run washout",
            "placebo crossover program programme protocol",
        )
    ).split()
)
#: Words of a duration that qualify its number, saying nothing of whose length it is.
_QUALIFIERS = frozenset(
    " ".join(("median mean average about approximately around up to", "over nearly almost least total")).split()
)
_WORDS = re.compile(r"[a-z]+")


def length_of_study(quotes: str, number: float, duration: str) -> bool:
    """True if folded, lower-cased `quotes` state `number` as a length of time (`with_unit`) in a clause that also
    holds a word of STUDY_TIME_WORDS or one of the `duration`'s own words (beside its number, unit and qualifiers):
    a duration is the study's, its treatment's or its follow-up's, as every other number stands beside its
    words (`detached_numbers`). Each clause holding the number is read once."""
    own = {
        w
        for w in _WORDS.findall(fold(duration).lower())
        if w not in TIME_UNITS and w not in NUMBER_WORDS and w not in _QUALIFIERS and w not in _GENERIC
    }
    forms = {number_text(number)} | (number_words(int(number)) if number == int(number) else set())
    for sentence in _sentences(quotes):
        for clause in _CLAUSE.split(sentence):
            if not clause or not any(form in clause for form in forms):
                continue
            words = set(_WORDS.findall(clause))
            if (words & STUDY_TIME_WORDS or words & own) and with_unit(clause, number, time_units(duration)):
                return True
    return False


#: What may stand between a number and its unit: another number and these ("8 to 12 weeks", "4.5 or 3 mg").
_BETWEEN_UNIT = frozenset(("to", "and", "or", "than", "more", "additional", "further", "consecutive", "full"))


_UNIT_WORD = re.compile(r"[a-zµμ]+|[0-9][0-9,.]*")

#: Words of a retelling that say nothing of what a number in it is about: fillers, reporting verbs, who.
_GENERIC = frozenset(
    " ".join(
        (
            "a an the of for and or with to in on at by from any as than that this it its their was were is are",
            "be been had has have reported report reports reporting said say says noted found showed shows",
            "experienced mentioned complained who which about around approximately nearly almost over under",
            "more less most least just only also all some no not none but while whereas per cent percent",
            "patients patient participants participant subjects subject people persons person individuals",
            "women men adults children group groups those them they out ldn naltrexone low dose using use",
            "on off at point time times",
        )
    ).split()
)
#: A seed named by its number in a retelling ("002 reports that..."): a name, not a number it states.
_DOCUMENT_NUMBER = re.compile(r"(?<![\w.,])0[0-9]+(?![\w.,%])")
#: The whole a share is out of: "6 of 10", "six of the ten", "2 out of 40".
_OUT_OF = re.compile(
    r"(?<![\w.,])(?:[0-9][0-9,.]*|[a-z]+)\s+(?:out\s+)?of\s+(?:the\s+)?([0-9][0-9,.]*|[a-z]+)(?![\w%])"
)
#: A retelling's numbers checked for their place in a quote: past this many, only their presence is.
_PROSE_NUMBERS = 32
_PROSE_WORDS = 8


def detached_numbers(quotes: str, stated: set[tuple[float, bool]], clauses: list[str], text: str) -> list[str]:
    """Numbers of a retelling (`text`) that its quotes state, but in no clause that also holds a word of the
    retelling's own clause around the number: "6% reported less weakness" is not backed by "6% reported
    insomnia", as a harm's share is not backed by a number beside another harm (`harm_problems`).

    `clauses` are the quotes' clauses. A clause of the retelling with no word of its own ("60%") is only
    looked for in the quotes. At most _PROSE_NUMBERS numbers a text, each with its first _PROSE_WORDS words.
    """
    missing: list[str] = []
    checked = 0
    for sentence in _sentences(_DOCUMENT_NUMBER.sub(" ", fold(text).lower())):
        for clause in clauses_of(sentence):
            if not clause or not clause.strip():
                continue
            numbers = sorted(numbers_in(clause))
            if not numbers:
                continue
            words = [w for w in re.findall(r"[a-z]+", clause) if w not in _GENERIC and w not in NUMBER_WORDS]
            stems = list(dict.fromkeys(_harm_stems(" ".join(words))))[:_PROSE_WORDS] if words else []
            if not stems:
                continue
            named = re.compile(r"\b(?:" + "|".join(re.escape(s) for s in stems) + r")")
            near = [(c, numbers_in(c)) for c in clauses if named.search(c)]
            wholes = {value for match in _OUT_OF.finditer(clause) for value, _ in numbers_in(match.group(1))}
            for number, percent in numbers:
                checked += 1
                if checked > _PROSE_NUMBERS:
                    return missing
                if not _stated(quotes, stated, number, percent, prose=True):
                    continue  # in no quote at all: said already
                if not percent and number in wholes and counts_people(quotes, number):
                    continue  # "6 of 10 improved": the 10 is the group, counted where the quotes count it
                if not any(_stated(c, found, number, percent, prose=True) for c, found in near):
                    shown = number_text(number) + ("%" if percent else "") if math.isfinite(number) else "a number"
                    missing.append(
                        f"{shown} is stated in the record's quotes, but not beside "
                        f"'{_clip(clause.strip(), 60)}' (in the same clause)"
                    )
    return missing


#: A percent sign (any of its forms) or word, right after a number.
_PERCENT_AFTER = re.compile(r"\s?(?:[%\uff05\ufe6a\u066a]|percent\b|per cent\b)")


def _stated(quotes: str, stated: set[tuple[float, bool]], number: float, percent: bool, prose: bool = False) -> bool:
    """True if `quotes` state `number`, as a percentage if `percent` and as a plain number if not.

    `stated` is what `numbers_in` read in them; a whole number may also stand in words
    that it does not read ("thirty-one", "two hundred and sixty"), as `number_words` writes them.
    """
    if (number, percent) in stated:
        return True
    if not math.isfinite(number) or number != int(number):
        return False
    if prose and number == 1 and not percent and _ONE.search(quotes):
        return True  # a retelling's "one patient" is the quote's "a patient"
    for form in number_words(int(number)):
        for found in re.finditer(rf"(?<![\w-]){re.escape(form)}(?![\w-])", quotes):
            if bool(_PERCENT_AFTER.match(quotes, found.end())) == percent:
                return True
    return False


_ONE = re.compile(r"(?<![\w-])an?\s")


# --- the published layer ------------------------------------------------------------------------


def verify_published(catalogue: Catalogue, seeds: Path, folder: Path, budget: Budget | None = None) -> list[Problem]:
    """Every excerpt not found under its page in its publication's file, and every quote not in its seed.

    Each publication's excerpts are in ``folder/ID.txt``. A fact's excerpt, and a
    curated discrepancy's, must stand (folded as quotes are) within one paragraph
    under the page it names, and that page must be of the kind it says; a fact's
    number (people, a length, a dose, each arm of a count) must appear in its excerpt; a discrepancy's
    article quote must stand in its seed. The closest-passage searches of failures
    draw on `budget` (a new one if None), as the quotes' do.
    """
    from .files import read_pages

    budget = Budget() if budget is None else budget
    problems: list[Problem] = []
    names = {found.seed for p in catalogue.publications for found in p.discrepancies}
    texts, refused = read_seeds(seeds, names)
    problems += missing_documents(catalogue, seeds, names - texts.keys(), refused)
    for publication in catalogue.publications:
        if not publication.facts and not publication.discrepancies:
            continue  # no excerpt to check
        budget.pages = {}  # one publication's page indexes held at a time
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
            for suffix, message in excerpt_problems(pages, name, excerpt, page, kind, budget):
                problems.append(
                    Problem(catalogue.path, line, message, record=publication.id, field=f"{field}.{suffix}")
                )
        for fact in publication.facts:
            number = _fact_number(fact.value)
            excerpt = fold(fact.excerpt).lower()
            if number is not None and not states_number(excerpt, number):
                problems.append(
                    Problem(catalogue.path, fact.line, f"{number_text(number)} does not appear in the fact's excerpt",
                            record=publication.id, field="facts.value")
                )  # fmt: skip
            elif number is not None and fact.field in _COUNTED:
                what, nouns = _COUNTED[fact.field]
                if not counted_in(excerpt, number, nouns):
                    problems.append(
                        Problem(catalogue.path, fact.line,
                                f"{number_text(number)} is not stated in the fact's excerpt as a number of {what}",
                                record=publication.id, field="facts.value")
                    )  # fmt: skip
            for arm in fact.arms:
                if not counted_in(excerpt, float(arm), PEOPLE_WORDS):
                    problems.append(
                        Problem(catalogue.path, fact.line,
                                f"{arm} in `arms` is not stated in the fact's excerpt as a number of people",
                                record=publication.id, field="facts.arms")
                    )  # fmt: skip
            for token in unstated_numbers(fact.size, excerpt) if fact.size else ():
                problems.append(
                    Problem(catalogue.path, fact.line, f"{token} in `size` does not appear in the fact's excerpt",
                            record=publication.id, field="facts.size")
                )  # fmt: skip
        for found in publication.discrepancies:
            text = texts.get(found.seed)
            quote = fold(found.article_says)
            if text is None:
                held: bool | None = False
            elif (found.seed, quote) in budget.held:
                held = budget.held[found.seed, quote]
            else:
                held = Finder(text, budget).holds(quote)
            if text is not None and held is None:
                problems.append(
                    Problem(catalogue.path, found.line, f'article quote not checked in {found.seed}: "{_clip(quote)}"; '
                            f"{_SPENT}", record=publication.id, field="discrepancies.article_says")
                )  # fmt: skip
            elif text is not None and not held:
                problems.append(
                    Problem(
                        catalogue.path, found.line,
                        f'article quote not found in {found.seed}: "{_clip(quote)}"; {budget.passage(quote, text)[1]}',
                        record=publication.id, field="discrepancies.article_says",
                    )
                )  # fmt: skip
    return problems


def excerpt_problems(
    pages: Sequence[Page], name: str, excerpt: str, page: str, kind: str, budget: Budget | None = None
) -> list[tuple[str, str]]:
    """(field, message) for an excerpt that is not under its page, of its kind, in the excerpt file `name`.

    The closest passage of a failed excerpt is searched within `budget` (a new one if None).
    """
    named = [found for found in pages if found.address == page]
    if not named:
        return [("page", f"page '{_clip(page, 100)}' is not in {name}")]
    out = []
    of_kind = [found for found in named if found.kind == kind]
    if not of_kind:
        listed = " or ".join(f"'{found.kind}'" for found in named)
        out.append(("page_kind", f"page_kind is '{kind}' but {name} lists the page as {listed}"))
    folded = fold(excerpt)
    budget = Budget() if budget is None else budget
    selected = tuple(paragraph for found in (of_kind or named) for paragraph in found.excerpts)
    finder = budget.pages.get(selected)
    if finder is None:
        # Folded paragraphs hold no line break, nor does a folded excerpt: one stands in the joined text
        # exactly where it stands within one paragraph.
        finder = budget.pages[selected] = Finder("\n".join(selected), budget)
    held = finder.holds(folded) if selected else False
    if held is None:
        out.append(("excerpt", f'excerpt not checked in {name} under its page: "{_clip(folded)}"; {_SPENT}'))
    elif not held:
        _, closest = budget.passage(folded, lambda: " ".join(selected))
        out.append(("excerpt", f'excerpt not found in {name} under its page: "{_clip(folded)}"; {closest}'))
    return out


def _fact_number(value: int | str | None) -> float | None:
    """The number a fact's value states: a count, or the leading number of a length or dose."""
    if isinstance(value, int):
        return float(value)
    if isinstance(value, str) and re.match(r"\s*(?:about |median |up to )?[\d.]", value):
        return leading_number(value)
    return None


# --- counts and sizes in excerpts -------------------------------------------------------------------

#: Words that, near a number, say it counts people (or marks a row of a registry's count table).
PEOPLE_WORDS = frozenset(
    " ".join(
        (
            "patients patient participants participant subjects subject people persons person individuals",
            "individual women woman men man adults adult children child volunteers volunteer cases veterans",
            "users pwms enrolled enrollment enrolment recruitment recruited randomized randomised randomly",
            "allocated assigned started completed screened analysed analyzed evaluated included withdrew",
            "withdrawn dropouts dropped lost discontinued n total sample respondents",
        )
    ).split()
)
#: Words that, near a number, say it counts trials or studies.
TRIAL_WORDS = frozenset(
    " ".join(("trials trial studies study rcts rct articles", "article publications reports records papers k")).split()
)
#: Fact field -> (what its number counts, the words that say so).
_COUNTED: dict[str, tuple[str, frozenset[str]]] = {
    **{field: ("people", PEOPLE_WORDS) for field in ("enrolled", "randomized", "completed", "analysed",
                                                      "dropouts", "screened", "planned", "people-pooled")},
    "trials-pooled": ("trials or studies", TRIAL_WORDS),
}  # fmt: skip
#: How many words either side of a count may say what it counts.
COUNT_WINDOW = 6
_COUNT_CHARS = 400
_WORD = re.compile(r"[a-z]+|[0-9][0-9,.]*")
_SIZE_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?|\.[0-9]+")


def counted_in(text: str, number: float, nouns: frozenset[str], at: re.Match[str] | None = None) -> bool:
    """True if folded, lower-cased `text` states `number` with a word of `nouns` within COUNT_WINDOW words of it
    (only the one place `at` when given).

    The number may be written in digits, with commas, or in words ("thirty-one", "two hundred and sixty").
    """
    forms = {number_text(number)}
    if number == int(number):
        forms.add(f"{int(number):,}")
        forms.update(number_words(int(number)))
    read = 0
    for form in forms:
        if at is not None and form != at.group():
            continue  # the one place given is read once, for the form it holds
        places = [at] if at is not None else re.finditer(rf"(?<![\w.]){re.escape(form)}(?![\w]|\.\d)", text)
        for found in places:
            read += 1
            if read > _COUNT_PLACES:
                return False  # a text that repeats the number this often is not read further
            # Read in a window of characters, so that a text that repeats the number is read once per place,
            # not whole each time (COUNT_WINDOW words fit in it unless a word is dozens of letters long).
            start, end = found.start(), found.end()
            if SHARE_AFTER.match(text, end):
                continue  # "80 pct", "64 ‰", "77% of patients": a share of people, not a count of them
            before = [w.rstrip(".,") for w in _WORD.findall(text[max(0, start - _COUNT_CHARS) : start])][-COUNT_WINDOW:]
            after = [w.rstrip(".,") for w in _WORD.findall(text[end : end + _COUNT_CHARS])][:COUNT_WINDOW]
            if any(w in nouns for w in before + after):
                return True
    return False


#: Words that, right after a number, say it is a length of time or an amount of a drug, not people counted.
NOT_PEOPLE = frozenset(
    " ".join(
        (
            "seconds second minutes minute hours hour days day weeks week months month years year nights night",
            "mg milligrams milligram mcg micrograms microgram ug g grams gram ml millilitres milliliters doses dose",
            "times percent cent",
        )
    ).split()
)
#: A share right after a number: a percent or per-mille sign (any of their forms) or word, "pct", "per thousand".
SHARE_AFTER = re.compile(
    r"\s?-?\s?(?:[%\uff05\ufe6a\u066a\u2030\u2031\u0609\u060a]|pct\b|percent|per\s*cent|percentage"
    r"|per\s*mill?e?\b|permill?e?\b|per\s+(?:ten\s+)?thousand\b|per\s+hundred\b)"
)
#: The most places a record's quotes are read at for `n` (a quote states its count once or twice).
_COUNT_PLACES = 64
_UNIT = re.compile(r"[\s-]*([a-zµμ]+)")
_PEOPLE_HINT = "a number beside a word such as patients, participants, people, subjects, women or men"


def _sentences(text: str) -> list[str]:
    """A (folded) text in sentences: cut after ., ! or ? before a space (never inside "4.5"), and at ;."""
    return [part for part in re.split(r"(?<=[.!?])\s+|;\s*", text) if part.strip()]


def counts_people(quotes: str, number: float) -> bool:
    """True if (folded, lower-cased) `quotes` state `number` as a count of people: in one sentence with a word of
    PEOPLE_WORDS within COUNT_WINDOW words, and not followed by a unit of time or dose ("804 days", "4.5 mg")."""
    forms = {number_text(number)}
    if number == int(number):
        forms.add(f"{int(number):,}")
        forms.update(number_words(int(number)))
    places = 0
    for sentence in _sentences(quotes):
        for form in forms:
            if form not in sentence:
                continue
            for found in re.finditer(rf"(?<![\w.]){re.escape(form)}(?![\w]|\.\d)", sentence):
                places += 1
                if places > _COUNT_PLACES:
                    return False  # a quote that repeats the number this often is not read further
                unit = _UNIT.match(sentence, found.end())
                if unit is not None and unit.group(1) in NOT_PEOPLE:
                    continue
                if counted_in(sentence, number, PEOPLE_WORDS, at=found):
                    return True
    return False


#: Words of a harm's name that say nothing of which harm it is.
_HARM_FILLER = frozenset(
    {"a", "an", "the", "of", "for", "and", "or", "with", "to", "in", "on", "at", "by", "from", "any", "events"}
    | {"event", "effects", "effect"}
)
#: Where a sentence is cut in clauses for harms: at a colon or semicolon, and at a comma or "and"/"but"/"while"
#: that starts a new statement ("6% reported insomnia, and 5% vivid dreams": 5% is not insomnia's).
_CLAUSE = re.compile(
    r"[;:]\s*|,\s*(?=(?:and|but|or|while|whereas|whilst)\b)|\s(?=(?:while|whereas|whilst)\b)"
    r"|\s(?=and\s+(?:[0-9]|one|two|three|four|five|six|seven|eight|nine|ten)\b)"
)

#: A comma that begins an elliptic clause with a subject of its own, its verb left out: ", pain in 60% of them",
#: ", headache in 20%" (a word, at most two more, then a number). The first word must not be one that carries on
#: the clause before it (`_CARRIES_ON`: "in 12%, at week 8", "4, 8 and 12 weeks").
_ELLIPSIS = re.compile(
    r",\s*(?=([a-z][a-z'-]*)(?:\s+[a-z][a-z'-]*){0,2}\s+(?:[0-9]|(?:"
    + "|".join(sorted((w for w in NUMBER_WORDS if w not in ("a", "an")), key=len, reverse=True))
    + r")\b))"
)
_CARRIES_ON = frozenset(
    " ".join(
        (
            "a an the of for and or but nor with to in on at by from as than that which who whom whose where when",
            "after before during within over under between among about around approximately nearly almost up down",
            "since until till from into onto versus vs compared respectively including included i e g ie eg p ci",
            "range iqr sd se mean median average total overall each every all both only just while whereas whilst",
            "then so yet also plus minus",
        )
    ).split()
)


def clauses_of(sentence: str) -> list[str]:
    """A (folded, lower-cased) sentence in clauses: cut by _CLAUSE, and at a comma that begins an elliptic clause
    with its own subject (_ELLIPSIS), so that "fatigue fell in 12% of patients, pain in 60% of them" gives 60% to
    pain, not to fatigue. One scan of the sentence for each pattern."""
    clauses: list[str] = []
    for part in _CLAUSE.split(sentence):
        if not part:
            continue
        start = 0
        for cut in _ELLIPSIS.finditer(part):
            word = cut.group(1)
            if word in _CARRIES_ON or word in TIME_UNITS or word in NUMBER_WORDS:
                continue
            clauses.append(part[start : cut.start()])
            start = cut.end()
        clauses.append(part[start:])
    return clauses


#: A harm is named by its first few words (a name is a few words; a 50,000-character one costs no more).
_HARM_WORDS = 8
#: ... and states a number or two: past this many, the rest are only looked for in the quotes.
_HARM_NUMBERS = 32


#: The words of the harms vocabulary ("adverse-events", "withdrawals-for-adverse-events") as papers also say them.
_HARM_SYNONYMS = {
    "advers": ("side effect", "side-effect"),
    "withdr": ("discontinu", "stopped", "dropped out", "terminated"),
}


def _harm_stems(event: str) -> list[str]:
    """The beginnings of a harm's words that name it: "withdrawals-for-adverse-events" -> withdr, advers."""
    words = re.findall(r"[a-z]+", fold(event).lower())
    named = [w for w in words if w not in _HARM_FILLER] or words
    return [w[: max(4, min(len(w) - 2, 6))] if len(w) > 4 else w for w in named]


def harm_problems(quotes: str, event: str, share: str | None) -> list[str]:
    """What a harm states that its record's (folded, lower-cased) quotes do not back: its words must stand in a
    quote (a harm with nothing else to check is checked by them), and every number of its share and name
    must stand in the same clause as one of them, as a percentage where it is one (a quote's "60% of subjects
    reported less weakness" backs no "liver failure: 60%")."""
    stems = _harm_stems(event)[:_HARM_WORDS]
    stems += [other for stem in stems for other in _HARM_SYNONYMS.get(stem, ())]
    words = re.compile(r"\b(?:" + "|".join(re.escape(s) for s in stems) + r")") if stems else None
    if words is None or not words.search(quotes):
        what = f"'{_clip(event, 60)}'" + (f" ({_clip(share, 30)})" if share else "")
        return [f"the harm {what} is not named in any of the record's quotes, so nothing it states can be checked"]
    wanted = numbers_in(fold(f"{event} {share or ''}").lower())
    if not wanted:
        return []
    clauses = [c for sentence in _sentences(quotes) for c in clauses_of(sentence) if words.search(c)]
    near = [(clause, numbers_in(clause)) for clause in clauses if clause.strip()]
    missing = []
    stated = numbers_in(quotes)
    checked = sorted(wanted)
    if len(checked) > _HARM_NUMBERS:
        missing.append(
            f"'{_clip(event, 60)}' states {len(checked):,} numbers; only the first {_HARM_NUMBERS} are checked "
            "beside its name (a harm's share is a number or two)"
        )
    for number, percent in checked[:_HARM_NUMBERS]:
        if not _stated(quotes, stated, number, percent):
            continue  # in no quote at all: `unbacked_numbers` says so
        if not any(_stated(clause, found, number, percent) for clause, found in near):
            shown = number_text(number) + ("%" if percent else "") if math.isfinite(number) else "a number this long"
            missing.append(f"{shown} is not stated beside '{_clip(event, 60)}' (in the same clause) in any quote")
    return missing


def unstated_numbers(size: str, excerpt: str) -> list[str]:
    """The numbers written in a result's `size` that its (folded, lower-cased) excerpt does not contain."""
    missing = []
    for token in _SIZE_NUMBER.findall(size):
        if not re.search(rf"(?<![0-9.]){re.escape(token)}(?![0-9]|\.[0-9])", excerpt):
            missing.append(token)
    return missing
