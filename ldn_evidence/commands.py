"""What each command does: load, call the library, render or write, choose the exit code.

Plain functions with plain arguments, free of Typer and click, so that both the
Typer app (`cli`) and the start-up fast path (`fast`) run the very same code.
An error is reported on stderr and raised as `Exit`; data goes to stdout.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, NoReturn, Optional, cast

from . import catalogue as queries
from .errors import CatalogueError, CatalogueFileError, CatalogueInvalid, ExportError, StudyNotFound, UnknownValue
from .formats import ListFormat
from .model import Catalogue, Facts, Study
from .text import COMMERCIAL_MARK, COMMERCIAL_ONLY, NOT_MEDICAL_ADVICE, PUBLISHED_MARK, one_line, plural
from .writers import WRITERS, Listing, Sources, Style, Summary, _Spinner, _summary_view, needs, say
from .writers import out as out  # cli.py and tests write data through commands.out

if TYPE_CHECKING:
    from dataclasses import dataclass
    from pathlib import Path
else:  # the same classes, made at a fraction of the start-up cost (see `frozen`)
    from .frozen import dataclass

EXIT_OK, EXIT_NOT_FOUND, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
#: A reader command shows this many problems of an invalid catalogue; `ldn validate` shows all.
SHOWN_PROBLEMS = 10


class Exit(Exception):
    """End the command with this exit code (its message, if any, is already on stderr)."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Run:
    """The global options of one run."""

    data: Optional[str] = None
    """--data (or $LDN_DATA): the catalogue to read; None for the shipped one."""
    cache: bool = True
    """False with --no-cache."""


def fail(message: str, code: int = EXIT_NOT_FOUND) -> NoReturn:
    """Report an error on stderr, on one line (a typed value cannot forge another), and end with `code`."""
    say(f"Error: {message}".replace("\r", "\\r").replace("\n", "\\n"))
    raise Exit(code)


def load_catalogue(run: Run) -> Catalogue:
    """The catalogue for this run, or an error and exit 1."""
    from .cache import load_cached

    try:
        with _Spinner("reading the catalogue"):
            return load_cached(run.data, use_cache=run.cache)
    except CatalogueInvalid as exc:
        for problem in exc.problems[:SHOWN_PROBLEMS]:
            say(one_line(str(problem)))  # one line each: a value or a file name cannot forge another
        more = len(exc.problems) - SHOWN_PROBLEMS
        if more > 0:
            say(f"... and {more} more")
        fail(f"{exc}; nothing was read (`ldn validate` lists every problem)")
    except CatalogueFileError as exc:
        fail(str(exc))


def filters(
    condition: str | Sequence[str] | None = None,
    designs: Sequence[str] = (),
    effect: str | Sequence[str] | None = None,
    measure: str | Sequence[str] | None = None,
    min_n: Optional[int] = None,
    level: Optional[int] = None,
    clinical: bool = False,
    search: Optional[str] = None,
    retold: bool = False,
    not_retold: bool = False,
) -> queries.Filters:
    """Checked filters, or a usage error (exit 2) naming the valid values.

    `retold` keeps the studies an article retells, `not_retold` those the search alone found.
    """
    if retold and not_retold:
        fail("--retold and --not-retold exclude each other: give one, or neither for both", EXIT_USAGE)
    keep = True if retold else False if not_retold else None
    try:
        return queries.make_filters(condition, designs, effect, measure, min_n, level, clinical, search, keep)
    except UnknownValue as exc:
        fail(str(exc), EXIT_USAGE)


def _documents_folder(run: Run) -> Path:
    """The folder of the source documents of this run's catalogue."""
    from .paths import catalogue_path
    from .paths import seeds_folder as beside

    return beside(catalogue_path(run.data))


def _no_match(studies: Sequence[Facts]) -> None:
    if not studies:
        say("no studies match")


def rests_on(catalogue: Catalogue, studies: Sequence[Facts]) -> None:
    """Say on stderr, in one line, what a summarising view rests on (`wider.evidence_body`)."""
    from .wider import evidence_body

    say("Rests on " + evidence_body(studies, catalogue)["line"])


# --- the commands ------------------------------------------------------------------------------


def list_studies(
    run: Run,
    where: queries.Filters,
    sort: str,
    limit: Optional[int],
    fmt: Optional[str],
    n_source: str = "articles",
    wide: bool = False,
    raw_csv: bool = False,
) -> None:
    """`ldn list`."""
    catalogue = load_catalogue(run)
    chosen = ListFormat(fmt) if fmt else (ListFormat.table if sys.stdout.isatty() else ListFormat.tsv)
    published = n_source == "published"
    # TSV and Markdown of the articles' account show only what entries hold; the other views read
    # every shown study's text (from a cache, only now).
    light = not published and chosen in (ListFormat.tsv, ListFormat.markdown)
    with _Spinner("reading the studies"):
        entries = queries.matching(catalogue, where, sort=sort)
        # A study no article retells shows its paper's values, which only its full record holds.
        light = light and all(entry.retold for entry in entries)
        matched: Sequence[Facts] = entries if light else catalogue.records(entries)
    if published:
        from .published import sort_by_published

        matched = sort_by_published(cast("list[Study]", matched), sort)
    shown = matched[:limit] if limit is not None else matched
    full = cast("list[Study]", shown)  # what the table, the records and --n published read
    told = None
    if published:
        from .published import published_n

        told = {study.id: published_n(study) for study in full}
    seeds = catalogue.commercial_seeds()
    commercial = frozenset(s.id for s in shown if catalogue.commercial_only(s, seeds))
    # The marks and the records are worked out only for the formats that draw them (writers.NEEDS).
    differs: frozenset[str] = frozenset()
    if shown and needs("list", chosen.value, "differs"):
        from .discrepancies import differing

        differs = frozenset(differing(catalogue, full))
    records = None
    if needs("list", chosen.value, "records"):
        from .results import list_records

        with _Spinner("reading the studies"):
            records = list_records(catalogue, full)
    listing = Listing(shown, told, commercial, differs, records)
    WRITERS["list"][chosen.value](listing, Style(wide=wide, raw_csv=raw_csv))
    _no_match(matched)
    if matched and not shown:
        say(f"--limit 0: no studies shown; {_studies_and_mentions(matched)} match")
    elif matched and told is not None:
        known = sum(1 for s in full if s.publication is not None and told[s.id] is not None)
        counted = _studies_and_mentions(shown)
        say(f"{counted}; n is the paper's count, saying which, where known ({known} of {len(shown)})")
    elif matched:
        participants = sum(s.n for s in shown if s.n is not None)
        # The articles' n: a study no article retells has none to be missing; its n is the paper's, marked.
        not_retold = sum(1 for s in shown if not s.retold)
        unknown = sum(1 for s in shown if s.n is None and s.retold and not s.mention)
        what = _studies_and_mentions(shown)
        count = f"showing {what} of {len(matched)} records" if len(shown) < len(matched) else what
        told_n = f"{plural(participants, 'participant')} where n is reported (n not reported for {unknown})"
        by_papers = f"{not_retold} not retold by any article, their n as published ({PUBLISHED_MARK})"
        if not not_retold:
            line = f"{count}, {told_n}"
        elif not_retold == len(shown):
            # No article retells any of them: the articles' count would be a misleading "0 participants".
            line = f"{count}, none retold by any article: their n as published ({PUBLISHED_MARK})"
        else:
            told_studies = sum(1 for s in shown if s.retold and not s.mention)
            line = f"{count}: {told_studies} retold by the articles, {told_n}; {by_papers}"
        say(line)
    if matched:
        rests_on(catalogue, shown)
        if commercial:
            rest = "rests" if len(commercial) == 1 else "rest"
            say(f"{len(commercial)} of them {rest} {COMMERCIAL_ONLY} ({COMMERCIAL_MARK} in the table)")
        say(NOT_MEDICAL_ADVICE)


def _studies_and_mentions(records: Sequence[Facts]) -> str:
    """ "10 studies and 2 passing mentions": a passing mention is listed, but it is not a study."""
    mentions = sum(1 for s in records if s.mention)
    studies = plural(len(records) - mentions, "study")
    return f"{studies} and {plural(mentions, 'passing mention')}" if mentions else studies


def show(run: Run, wanted: str, fmt: str) -> None:
    """`ldn show`."""
    if not wanted.strip():
        fail("no study id given: name one, or the start of one (`ldn list` shows them)", EXIT_USAGE)
    catalogue = load_catalogue(run)
    try:
        study = queries.find(catalogue, wanted)
    except StudyNotFound as exc:
        fail(str(exc))
    from .results import show_result

    WRITERS["show"][fmt](show_result(catalogue, study), Style())
    say(NOT_MEDICAL_ADVICE)


def summary(
    run: Run,
    where: queries.Filters,
    by: str,
    fmt: str,
    svg: Optional[Path],
    html: Optional[Path],
    wide: bool = False,
    force: bool = False,
    plain: bool = False,
) -> None:
    """`ldn summary`; with `plain`, a plain-language page per condition."""
    from .grading import counted_people, findings_summary
    from .paths import escaped

    for picture in (svg, html):
        if picture is not None:
            from .export import check_target  # (with tempfile and shutil) only when a picture is written

            try:
                check_target(picture, force)  # refused before anything is drawn or written
            except ExportError as exc:
                fail(str(exc))
    catalogue = load_catalogue(run)
    with _Spinner("reading the studies"):
        studies = queries.matching(catalogue, where)
    from .results import strata_only

    # One count of people per view: the map and the bars count each study as the rated rows do.
    people = counted_people(catalogue, studies)
    numbers = {ident: cell["number"] for ident, cell in people.items()}
    result = strata_only(
        {**findings_summary(catalogue, studies), **queries.summarise(studies, numbers), "people": people}
    )
    _no_match(studies)
    rests_on(catalogue, studies)
    pages = None
    if plain:
        from .grading import plain_summary

        pages = plain_summary(result, catalogue.search.searched if catalogue.search else None)
    answer = Summary(result, by, studies, pages)
    drawn = WRITERS["summary"][fmt](answer, Style(wide=wide))  # the text writer returns the view it drew
    if plain or (svg is None and html is None):
        return
    from . import render as views
    from .export import write_text

    view = drawn if drawn is not None else _summary_view(answer, Style(wide=wide))
    for path, kind in ((svg, "svg"), (html, "html")):
        if path is not None:
            try:
                write_text(path, views.picture(view, kind), force)  # atomic, and only what may be replaced
            except ExportError as exc:
                fail(str(exc))
            say(f"saved {escaped(str(path))}")


def safety(run: Run, where: queries.Filters, fmt: str, wide: bool = False) -> None:
    """`ldn safety`."""
    catalogue = load_catalogue(run)
    with _Spinner("reading the studies"):
        studies = queries.select(catalogue, where)
    report = queries.safety(catalogue, studies)
    _no_match(studies)
    rests_on(catalogue, studies)
    WRITERS["safety"][fmt](report, Style(wide=wide))


def sources(run: Run, seed: Optional[str], fmt: str, wide: bool = False, text: bool = False) -> None:
    """`ldn sources`; with `text`, the whole text of the one document named."""
    if seed is not None and not seed.strip():
        fail("no document named: give its file name, or the start of one (`ldn sources` lists them)", EXIT_USAGE)
    catalogue = load_catalogue(run)
    if seed is None:
        if text:
            fail("--text reads one document: name it (`ldn sources 003 --text`)", EXIT_USAGE)
        found = None
        if needs("sources", fmt, "flow"):
            from .wider import flow

            found = flow(catalogue)
        WRITERS["sources"][fmt](Sources(entries=queries.documents(catalogue), flow=found), Style(wide=wide))
        return
    try:
        entry = queries.find_document(catalogue, seed)
        whole = queries.document_text(catalogue, entry["seed"], _documents_folder(run)) if text else None
    except (StudyNotFound, CatalogueFileError) as exc:
        fail(str(exc))
    tally = None
    if whole is None and catalogue.publications:
        from .discrepancies import misreports

        tally = misreports(catalogue, entry["seed"], entry["studies"])
    studies, differs = None, frozenset[str]()
    if whole is None and needs("sources", fmt, "studies"):
        studies = [queries.find(catalogue, ident) for ident in entry["studies"]]
        if tally is not None:
            from .discrepancies import differing

            differs = frozenset(differing(catalogue, studies))
    answer = Sources(entry=entry, whole=whole, tally=tally, studies=studies, differs=differs)
    WRITERS["sources"][fmt](answer, Style(wide=wide))


def _load_for_check(run: Run, paths: Optional[Sequence[Path]]) -> Iterator[tuple[Path, Optional[Catalogue]]]:
    """Load each file named (or the default one) in turn, printing every problem on stdout."""
    from .loader import load

    try:
        targets = list(paths) if paths else [_checked_by_default(run)]
    except CatalogueFileError as exc:
        from pathlib import Path

        say(f"Error: {exc}")
        yield Path(os.curdir), None
        return
    for target in targets:
        try:
            catalogue = load(target)
        except CatalogueInvalid as exc:
            for problem in exc.problems:
                out(one_line(str(problem)) + "\n")
            say(f"{one_line(str(target))}: {exc}")
            yield target, None
        except CatalogueFileError as exc:
            say(f"Error: {exc}")
            yield target, None
        else:
            yield target, catalogue


def _checked_by_default(run: Run) -> Path:
    """The catalogue `validate` and `verify` check when no file is named, said on stderr when it is not plain.

    Inside a checkout that is the catalogue being edited (data/studies.yaml here or in a
    parent), not the copy installed with the package; elsewhere the installed one.
    """
    from pathlib import Path

    from .paths import catalogue_path, local_catalogue, shipped_location

    if run.data:
        return catalogue_path(run.data)
    installed = shipped_location()
    local = local_catalogue()
    if local is not None and os.path.realpath(local) != os.path.realpath(installed):
        say(f"checking {local}, the catalogue of this folder, not the installed one (name a file to choose)")
        return Path(local)
    if local is None:
        say(f"checking the installed catalogue, {installed} (name a file, or use --data, to check another)")
    return catalogue_path(None)


def validate(run: Run, paths: Optional[Sequence[Path]]) -> None:
    """`ldn validate`."""
    failed = 0
    for target, catalogue in _load_for_check(run, paths):
        if catalogue is None:
            failed += 1
            continue
        published = f", {len(catalogue.publications)} publications" if catalogue.publications else ""
        say(
            f"{one_line(str(target))}: valid: {plural(len(catalogue.studies), 'study')}, "
            f"{plural(len(catalogue.documents), 'document')}, {plural(len(catalogue.cautions), 'caution')}"
            f"{published}"
        )
    if failed:
        raise Exit(EXIT_NOT_FOUND)


def verify(run: Run, paths: Optional[Sequence[Path]], seeds: Optional[Path]) -> None:
    """`ldn verify`."""
    from .loader import seeds_folder
    from .verify import quote_count, quoted_documents
    from .verify import verify as check

    failed = 0
    for target, catalogue in _load_for_check(run, paths):
        if catalogue is None:
            failed += 1
            continue
        try:
            folder = seeds or seeds_folder(target)
        except CatalogueFileError as exc:
            say(f"Error: {one_line(str(exc))}")
            failed += 1
            continue
        problems = check(catalogue, folder)
        for problem in problems:
            out(one_line(str(problem)) + "\n")
        quotes = quote_count(catalogue)
        if problems:
            failed += 1
            say(f"{one_line(str(target))}: {len(problems)} of the checks failed ({quotes} quotes against "
                f"{one_line(str(folder))})")  # fmt: skip
        else:
            checked = f"{quotes} quotes found in their documents in {one_line(str(folder))}"
            if catalogue.publications:
                checked = f"{quotes} quotes in {len(quoted_documents(catalogue))} documents, " + published_checked(
                    catalogue, folder
                )
            say(f"{one_line(str(target))}: verified: {checked}; every stated number is quoted")
    if failed:
        raise Exit(EXIT_NOT_FOUND)


def published_checked(catalogue: Catalogue, seeds: Path) -> str:
    """What `ldn verify` checked of the published layer, in words."""
    from .files import folder_beside
    from .publications import excerpt_count

    count = len(catalogue.publications)
    where = folder_beside(seeds)
    return f"{excerpt_count(catalogue)} excerpts in {count} publications, found in {seeds} and {where}"


def export(
    run: Run, path: Path, where: queries.Filters, fmt: Optional[str], force: bool, raw_csv: bool = False
) -> None:
    """`ldn export`."""
    from .export import ExportFormat
    from .export import export as write
    from .paths import escaped

    catalogue = load_catalogue(run)
    with _Spinner("reading the studies"):
        studies = queries.select(catalogue, where)
    _no_match(studies)
    try:
        written = write(path, catalogue, studies, ExportFormat(fmt) if fmt else None, force, raw_csv)
    except ExportError as exc:
        fail(str(exc))
    for file in written:
        say(f"wrote {escaped(str(file))}")
    say(plural(len(studies), "study"))


def prisma(run: Run, fmt: str, svg: Optional[Path] = None, force: bool = False) -> None:
    """`ldn prisma`: the search as a flow; with `svg`, also drawn as a picture."""
    from .export import check_target, write_text
    from .paths import escaped
    from .wider import flow

    if svg is not None:
        try:
            check_target(svg, force)  # refused before anything is drawn or written
        except ExportError as exc:
            fail(str(exc))
    catalogue = load_catalogue(run)
    if catalogue.search is None:
        fail("this catalogue has no search: section, so there is no flow to show")
    result = flow(catalogue)
    WRITERS["prisma"][fmt](result, Style())
    if svg is not None:
        from .diagram import prisma_svg

        try:
            write_text(svg, prisma_svg(result), force)
        except ExportError as exc:
            fail(str(exc))
        say(f"saved {escaped(str(svg))}")


def site(run: Run, folder: Path, articles: Sequence[str], force: bool, data_file: Optional[str] = None) -> None:
    """`ldn site`: refuse a non-empty folder without `force` before reading anything, then write every page.

    `data_file` (the command's own --data) takes the place of the global --data.
    """
    from dataclasses import replace

    from .paths import escaped
    from .site import data
    from .site.build import SiteError, build, check_folder

    if data_file:
        run = replace(run, data=data_file)
    try:
        check_folder(folder, force)
    except SiteError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot read the folder {escaped(str(folder))}: {exc.strerror or exc}")
    texts = []
    for article in articles:
        try:
            texts.append(data.read_article(article))
        except CatalogueError as exc:
            fail(str(exc))
    catalogue = load_catalogue(run)
    try:
        gathered = data.gather(catalogue, data.seeds_of(run.data), texts)
        written = build(gathered, folder, force)
    except (SiteError, CatalogueError) as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot write the site into {escaped(str(folder))}: {exc.strerror or exc}")
    say(f"wrote {plural(len(written.pages), 'page')} and {plural(len(written.files), 'file')} into "
        f"{escaped(str(folder))}; open {escaped(str(folder / 'index.html'))} in a browser")  # fmt: skip
    say(gathered["not_advice"])


def schema() -> None:
    """`ldn schema`."""
    from .schema import schema_text

    out(schema_text())


def discrepancies(
    run: Run,
    where: queries.Filters,
    kind: Optional[str],
    seed: Optional[str],
    fmt: Optional[str],
    wide: bool = False,
    raw_csv: bool = False,
) -> None:
    """`ldn discrepancies`."""
    from .discrepancies import find_all, resolve_kind
    from .results import discrepancy_record

    if kind is not None:
        try:
            kind = resolve_kind(kind)
        except UnknownValue as exc:
            fail(str(exc), EXIT_USAGE)
    catalogue = load_catalogue(run)
    if seed is not None:
        try:
            seed = queries.find_document(catalogue, seed)["seed"]
        except StudyNotFound as exc:
            fail(str(exc), EXIT_USAGE)
    with _Spinner("reading the studies"):
        studies = queries.select(catalogue, where)
    found = find_all(catalogue, studies, kind, seed)
    records = [discrepancy_record(d) for d in found]
    chosen = fmt or ("table" if sys.stdout.isatty() else "tsv")
    WRITERS["discrepancies"][chosen](records, Style(wide=wide, raw_csv=raw_csv))
    rests_on(catalogue, studies)
    if not catalogue.publications:
        say("this catalogue has no publications, so nothing to compare the articles with")
    elif not records:
        say("no discrepancies match")
    else:
        computed = sum(1 for d in found if d.computed)
        told = len({d.study for d in found})
        many = "discrepancy" if len(found) == 1 else "discrepancies"
        studies_word = "study" if told == 1 else "studies"
        say(f"{len(found)} {many} in {told} {studies_word}, articles against papers: {computed} computed, "
            f"{len(found) - computed} curated")  # fmt: skip


def cite(run: Run, wanted: Sequence[str], fmt: str, where: Optional[queries.Filters] = None) -> None:
    """`ldn cite`: the publications named (all if none), only those behind a matching study when filtered."""
    from .citations import CiteFormat
    from .citations import cite as write

    catalogue = load_catalogue(run)
    try:
        papers = queries.chosen(catalogue, wanted)
    except StudyNotFound as exc:
        fail(str(exc))
    if not papers:
        fail("this catalogue has no publications to cite")
    if where is not None and where != queries.Filters():
        matched = {study.id for study in queries.matching(catalogue, where)}
        papers = [paper for paper in papers if matched.intersection(paper.study)]
        if not papers:
            fail("no catalogued publication backs a study that matches")
    out(write(papers, CiteFormat(fmt)))
    noun = "publication" if len(papers) == 1 else "publications"
    say(f"{len(papers)} {noun}; identifiers only where they were seen on a named page")


def claims(run: Run, article: str, fmt: str, strict: bool) -> None:
    """`ldn claims`: exit 1 for an article that cannot be read, and with --strict when a check differs."""
    from . import claims as checker

    try:
        name, text = checker.read_article(article)
    except checker.ArticleError as exc:
        fail(str(exc))
    catalogue = load_catalogue(run)
    with _Spinner("checking the article"):
        try:
            report = checker.check_article(catalogue, name, text)
        except checker.ArticleError as exc:
            fail(str(exc))
    WRITERS["claims"][fmt](report, Style())
    rests_on(catalogue, catalogue.index)
    counts = checker.tally(report)
    if fmt != "text":
        say(checker.count_line(report))
        say(checker.NOT_ADVICE)
    if strict and counts["differs"]:
        raise Exit(EXIT_NOT_FOUND)
