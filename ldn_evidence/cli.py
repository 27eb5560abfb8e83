"""The `ldn` command line: parse, call the library, render, choose the exit code.

Exit codes: 0 success; 1 a study, document or file that is not there, or a
catalogue that is invalid; 2 a usage error; 130 interrupted.
"""

from __future__ import annotations

import errno
import os
import signal
import sys
from collections.abc import Iterator
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, NoReturn, Optional

import click
import typer

from . import __version__
from . import catalogue as queries
from .errors import (
    CatalogueError,
    CatalogueFileError,
    CatalogueInvalid,
    ExportError,
    StudyNotFound,
    UnknownValue,
)
from .export import ExportFormat
from .formats import (
    ListFormat,
    one_line,
    studies_csv,
    studies_json,
    studies_jsonl,
    studies_markdown,
    studies_tsv,
    study_markdown,
    study_record,
    to_json,
    visible,
)
from .model import CONDITIONS, DESIGNS, EFFECTS, MEASURES, MS_FORMS, Catalogue, Study

EXIT_OK, EXIT_NOT_FOUND, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
#: A reader command shows this many problems of an invalid catalogue; `ldn validate` shows all.
SHOWN_PROBLEMS = 10

app = typer.Typer(
    name="ldn",
    help=(
        "Read the ldn-evidence catalogue: studies of low-dose naltrexone (LDN), "
        "each value checkable against the sentence it stands on. Not medical advice."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


# --- helpers ------------------------------------------------------------------------


def say(message: str) -> None:
    """A line for people on stderr: counts, notes, warnings."""
    sys.stderr.write(visible(message) + "\n")


def fail(message: str, code: int = EXIT_NOT_FOUND) -> NoReturn:
    """Report an error on stderr and exit with `code`."""
    say(f"Error: {message}")
    raise typer.Exit(code)


def out(text: str) -> None:
    """Data on stdout, exactly as given (click.echo would strip escape codes)."""
    sys.stdout.write(text)


def _data_path(ctx: typer.Context) -> Optional[str]:
    obj = ctx.find_root().obj
    return obj.get("data") if isinstance(obj, dict) else None


def load_catalogue(ctx: typer.Context, path: Optional[str] = None) -> Catalogue:
    """The catalogue for this run, or an error and exit 1."""
    from .cache import load_cached

    root = ctx.find_root().obj or {}
    try:
        return load_cached(path or _data_path(ctx), use_cache=root.get("cache", True))
    except CatalogueInvalid as exc:
        for problem in exc.problems[:SHOWN_PROBLEMS]:
            say(str(problem))
        more = len(exc.problems) - SHOWN_PROBLEMS
        if more > 0:
            say(f"... and {more} more")
        fail(f"{exc}; nothing was read (`ldn validate` lists every problem)")
    except CatalogueFileError as exc:
        fail(str(exc))


def render(renderable: Any, width: Optional[int] = None) -> None:
    """Draw a rich view on stdout (imports rich only now)."""
    from . import render as views

    if width is None and not sys.stdout.isatty():
        # A drawn table asked for in a pipe: as wide as $COLUMNS, else wide enough not to fold.
        width = int(os.environ["COLUMNS"]) if os.environ.get("COLUMNS", "").isdigit() else 120
    views.console(width=width).print(renderable)


def _filters(**values: Any) -> queries.Filters:
    try:
        return queries.make_filters(**values)
    except UnknownValue as exc:
        fail(str(exc), EXIT_USAGE)


def _no_match(studies: list[Study]) -> None:
    if not studies:
        say("no studies match")


# --- shell completion ---------------------------------------------------------------


def _complete(options: list[str], incomplete: str) -> list[str]:
    return [o for o in options if o.startswith(incomplete.lower())]


def complete_condition(incomplete: str) -> list[str]:
    """Condition keys and MS forms."""
    return _complete([*CONDITIONS, *MS_FORMS], incomplete)


def complete_design(incomplete: str) -> list[str]:
    """Design keys."""
    return _complete(list(DESIGNS), incomplete)


def complete_effect(incomplete: str) -> list[str]:
    """Effect keys."""
    return _complete(list(EFFECTS), incomplete)


def complete_measure(incomplete: str) -> list[str]:
    """Measure keys."""
    return _complete(list(MEASURES), incomplete)


def complete_id(ctx: typer.Context, incomplete: str) -> list[str]:
    """Study ids of the catalogue in use."""
    from .cache import load_cached

    try:
        catalogue = load_cached(_data_path(ctx))
    except CatalogueError:
        return []
    return _complete([s.id for s in catalogue.studies], incomplete)


# --- shared options ------------------------------------------------------------------

Condition = Annotated[
    Optional[str],
    typer.Option(
        "--condition",
        "-c",
        help="Condition key or alias (ms, ppms, crohns, 'back pain', ...).",
        autocompletion=complete_condition,
    ),
]
Design = Annotated[
    Optional[list[str]],
    typer.Option(
        "--design",
        "-d",
        help="Design key; repeat for several (rct, open-label, ...).",
        autocompletion=complete_design,
    ),
]
Effect = Annotated[
    Optional[str],
    typer.Option(
        "--effect",
        "-e",
        help="Overall effect: benefit, no-effect, harm, mixed, unclear.",
        autocompletion=complete_effect,
    ),
]
Measure = Annotated[
    Optional[str],
    typer.Option(
        "--measure",
        "-m",
        help="Studies with a finding on this measure (pain, fatigue, ...).",
        autocompletion=complete_measure,
    ),
]
MinN = Annotated[Optional[int], typer.Option("--min-n", min=1, help="At least this many participants.")]
Level = Annotated[
    Optional[int],
    typer.Option("--level", "-l", min=1, max=5, help="Evidence level N or stronger (1 strongest)."),
]
Clinical = Annotated[bool, typer.Option("--clinical", help="People only: drop animal, in-vitro and hypothesis.")]
Search = Annotated[
    Optional[str], typer.Option("--search", "-s", help="Text in title, population, outcome, notes or quotes.")
]


class TextFormat(str, Enum):
    """Formats of the summarising views."""

    text = "text"
    json = "json"


class ShowFormat(str, Enum):
    """Formats of `ldn show`."""

    text = "text"
    json = "json"
    markdown = "markdown"


class SortKey(str, Enum):
    """Orders of `ldn list`."""

    level = "level"
    n = "n"
    year = "year"
    id = "id"


class GroupBy(str, Enum):
    """Groupings of `ldn summary`."""

    design = "design"
    measure = "measure"
    condition = "condition"
    level = "level"


# --- the commands -------------------------------------------------------------------------


def _version(value: bool) -> None:
    if value:
        out(f"ldn {__version__}\n")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    data: Annotated[
        Optional[str],
        typer.Option(
            "--data",
            envvar="LDN_DATA",
            help="Catalogue file to read instead of the shipped one.",
            show_envvar=True,
        ),
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Do not read or write the parsed-catalogue cache.")
    ] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Read the ldn-evidence catalogue of low-dose naltrexone studies.

    \b
    Examples:
      ldn list --condition ms
      ldn show norway-2017
      ldn summary --design rct
    """
    ctx.obj = {"data": data, "cache": not no_cache}


@app.command("list")
def list_studies(
    ctx: typer.Context,
    condition: Condition = None,
    design: Design = None,
    effect: Effect = None,
    measure: Measure = None,
    min_n: MinN = None,
    level: Level = None,
    clinical: Clinical = False,
    search: Search = None,
    sort: Annotated[SortKey, typer.Option("--sort", help="Order: level (then n), n, year or id.")] = SortKey.level,
    limit: Annotated[Optional[int], typer.Option("--limit", min=0, help="Show at most N studies.")] = None,
    format: Annotated[
        Optional[ListFormat],
        typer.Option(
            "--format",
            "-f",
            help="table (default on a terminal), tsv (default in a pipe), json, jsonl, csv, markdown.",
        ),
    ] = None,
) -> None:
    """List studies, strongest evidence first.

    \b
    Example:
      ldn list --condition ms --design rct
      ldn list --measure pain --format json
    """
    filters = _filters(
        condition=condition,
        designs=design or (),
        effect=effect,
        measure=measure,
        min_n=min_n,
        level=level,
        clinical=clinical,
        search=search,
    )
    catalogue = load_catalogue(ctx)
    matched = queries.select(catalogue, filters, sort=sort.value)
    shown = matched[:limit] if limit is not None else matched
    fmt = format or (ListFormat.table if sys.stdout.isatty() else ListFormat.tsv)
    if fmt is ListFormat.table:
        if shown:
            from .render import studies_table

            render(studies_table(shown))
    else:
        writers = {
            ListFormat.tsv: studies_tsv, ListFormat.json: studies_json, ListFormat.jsonl: studies_jsonl,
            ListFormat.csv: studies_csv, ListFormat.markdown: studies_markdown,
        }  # fmt: skip
        if shown or fmt in (ListFormat.json, ListFormat.csv, ListFormat.tsv, ListFormat.markdown):
            out(writers[fmt](shown))
    _no_match(matched)
    if matched:
        participants = sum(s.n for s in shown if s.n is not None)
        unknown = sum(1 for s in shown if s.n is None)
        count = (
            f"showing {len(shown)} of {len(matched)} studies" if len(shown) < len(matched) else f"{len(shown)} studies"
        )
        say(f"{count}, {participants} participants where n is reported (n not reported for {unknown})")


@app.command()
def show(
    ctx: typer.Context,
    study_id: Annotated[
        str,
        typer.Argument(metavar="ID", help="A study id or a unique prefix of one.", autocompletion=complete_id),
    ],
    format: Annotated[ShowFormat, typer.Option("--format", "-f", help="text, json or markdown.")] = ShowFormat.text,
) -> None:
    """Everything about one study, with the quote each fact stands on.

    \b
    Example:
      ldn show norway-2017
      ldn show norway --format json
    """
    catalogue = load_catalogue(ctx)
    try:
        study = queries.find(catalogue, study_id)
    except StudyNotFound as exc:
        fail(str(exc))
    if format is ShowFormat.json:
        out(to_json(study_record(study)))
    elif format is ShowFormat.markdown:
        out(study_markdown(study, catalogue))
    else:
        from .render import study_view

        render(study_view(study, catalogue))


@app.command()
def summary(
    ctx: typer.Context,
    condition: Condition = None,
    design: Design = None,
    effect: Effect = None,
    measure: Measure = None,
    min_n: MinN = None,
    level: Level = None,
    clinical: Clinical = False,
    search: Search = None,
    by: Annotated[GroupBy, typer.Option("--by", help="Group by design, measure, condition or level.")] = GroupBy.design,
    format: Annotated[TextFormat, typer.Option("--format", "-f", help="text or json.")] = TextFormat.text,
    svg: Annotated[Optional[Path], typer.Option("--svg", help="Also save the view as an SVG picture.")] = None,
    html: Annotated[Optional[Path], typer.Option("--html", help="Also save the view as an HTML page.")] = None,
) -> None:
    """How much evidence, how strong, what it found: a summary of findings.

    \b
    Example:
      ldn summary --design rct
      ldn summary --condition ms --by measure --format json
    """
    filters = _filters(
        condition=condition,
        designs=design or (),
        effect=effect,
        measure=measure,
        min_n=min_n,
        level=level,
        clinical=clinical,
        search=search,
    )
    catalogue = load_catalogue(ctx)
    studies = queries.select(catalogue, filters)
    result = queries.summarise(studies)
    _no_match(studies)
    if format is TextFormat.json:
        out(to_json(result))
        say(queries.NOT_MEDICAL_ADVICE)
    else:
        from . import render as views

        render(views.summary_view(result, by.value, studies))
    for path, kind in ((svg, "svg"), (html, "html")):
        if path is not None:
            from . import render as views

            recorder = views.console(file=open(os.devnull, "w"), record=True, width=110)  # noqa: SIM115
            recorder.print(views.summary_view(result, by.value, studies))
            try:
                if kind == "svg":
                    recorder.save_svg(str(path), title="ldn summary")
                else:
                    recorder.save_html(str(path))
            except OSError as exc:
                fail(f"cannot write {path}: {exc.strerror}")
            finally:
                recorder.file.close()
            say(f"saved {path}")


@app.command()
def safety(
    ctx: typer.Context,
    condition: Condition = None,
    design: Design = None,
    effect: Effect = None,
    measure: Measure = None,
    min_n: MinN = None,
    level: Level = None,
    clinical: Clinical = False,
    search: Search = None,
    format: Annotated[TextFormat, typer.Option("--format", "-f", help="text or json.")] = TextFormat.text,
) -> None:
    """What the documents say about harms, and their general cautions.

    \b
    Example:
      ldn safety --condition ms
    """
    filters = _filters(
        condition=condition,
        designs=design or (),
        effect=effect,
        measure=measure,
        min_n=min_n,
        level=level,
        clinical=clinical,
        search=search,
    )
    catalogue = load_catalogue(ctx)
    studies = queries.select(catalogue, filters)
    report = queries.safety(catalogue, studies)
    _no_match(studies)
    if format is TextFormat.json:
        out(to_json(report))
        say(queries.NOT_MEDICAL_ADVICE)
    else:
        from .render import safety_view

        render(safety_view(report))


@app.command()
def sources(
    ctx: typer.Context,
    seed: Annotated[
        Optional[str], typer.Argument(help="A document's file name, or a unique prefix (e.g. 003).")
    ] = None,
    format: Annotated[TextFormat, typer.Option("--format", "-f", help="text or json.")] = TextFormat.text,
) -> None:
    """The source documents, and the studies each describes.

    \b
    Example:
      ldn sources
      ldn sources 003
    """
    catalogue = load_catalogue(ctx)
    if seed is None:
        entries = queries.documents(catalogue)
        if format is TextFormat.json:
            out(to_json(entries))
        else:
            from .render import documents_table

            render(documents_table(entries))
        return
    try:
        entry = queries.find_document(catalogue, seed)
    except StudyNotFound as exc:
        fail(str(exc))
    if format is TextFormat.json:
        out(to_json(entry))
    else:
        from .render import document_view

        studies = [queries.find(catalogue, ident) for ident in entry["studies"]]
        render(document_view(entry, studies))


PathsArg = Annotated[
    Optional[list[Path]],
    typer.Argument(metavar="[PATH]...", help="Catalogue files (default: --data, $LDN_DATA or the shipped one)."),
]


def _load_for_check(ctx: typer.Context, paths: Optional[list[Path]]) -> Iterator[tuple[Path, Optional[Catalogue]]]:
    """Load each file named (or the default one) in turn, printing every problem on stdout."""
    from .loader import catalogue_path, load

    for target in paths or [catalogue_path(_data_path(ctx))]:
        try:
            catalogue = load(target)
        except CatalogueInvalid as exc:
            for problem in exc.problems:
                out(one_line(str(problem)) + "\n")
            say(f"{target}: {exc}")
            yield target, None
        except CatalogueFileError as exc:
            say(f"Error: {exc}")
            yield target, None
        else:
            yield target, catalogue


@app.command()
def validate(ctx: typer.Context, paths: PathsArg = None) -> None:
    """Check catalogue files: every problem, one a line, with its file and line.

    \b
    Example:
      ldn validate data/studies.yaml
    """
    failed = 0
    for target, catalogue in _load_for_check(ctx, paths):
        if catalogue is None:
            failed += 1
            continue
        say(
            f"{target}: valid: {len(catalogue.studies)} studies, {len(catalogue.documents)} documents, "
            f"{len(catalogue.cautions)} cautions"
        )
    if failed:
        raise typer.Exit(EXIT_NOT_FOUND)


@app.command()
def verify(
    ctx: typer.Context,
    paths: PathsArg = None,
    seeds: Annotated[
        Optional[Path],
        typer.Option("--seeds", help="Folder of source documents (default: seeds/ beside data/)."),
    ] = None,
) -> None:
    """Check every quote against its source document, and every number against its quotes.

    \b
    Example:
      ldn verify
    """
    from .loader import seeds_folder
    from .verify import quote_count
    from .verify import verify as check

    failed = 0
    for target, catalogue in _load_for_check(ctx, paths):
        if catalogue is None:
            failed += 1
            continue
        folder = seeds or seeds_folder(target)
        problems = check(catalogue, folder)
        for problem in problems:
            out(one_line(str(problem)) + "\n")
        quotes = quote_count(catalogue)
        if problems:
            failed += 1
            say(f"{target}: {len(problems)} of the checks failed ({quotes} quotes against {folder})")
        else:
            say(
                f"{target}: verified: {quotes} quotes found in their documents in {folder}; "
                "every stated number is quoted"
            )
    if failed:
        raise typer.Exit(EXIT_NOT_FOUND)


@app.command()
def export(
    ctx: typer.Context,
    path: Annotated[
        Path, typer.Argument(help="File to write: .db/.sqlite, .csv, .json, .jsonl, .md or datapackage.json.")
    ],
    condition: Condition = None,
    design: Design = None,
    effect: Effect = None,
    measure: Measure = None,
    min_n: MinN = None,
    level: Level = None,
    clinical: Clinical = False,
    search: Search = None,
    format: Annotated[
        Optional[ExportFormat], typer.Option("--format", "-f", help="Format, if the suffix does not say.")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace a file that exists.")] = False,
) -> None:
    """Write the (filtered) catalogue to a file other tools open.

    \b
    Example:
      ldn export ldn.db
      ldn export out/datapackage.json --condition ms
    """
    from .export import export as write

    filters = _filters(
        condition=condition,
        designs=design or (),
        effect=effect,
        measure=measure,
        min_n=min_n,
        level=level,
        clinical=clinical,
        search=search,
    )
    catalogue = load_catalogue(ctx)
    studies = queries.select(catalogue, filters)
    _no_match(studies)
    try:
        written = write(path, catalogue, studies, format, force)
    except ExportError as exc:
        fail(str(exc))
    for file in written:
        say(f"wrote {file}")
    say(f"{len(studies)} studies")


@app.command()
def schema() -> None:
    """Print the JSON Schema (draft 2020-12) of the catalogue file.

    \b
    Example:
      ldn schema > studies.schema.json
    """
    from .schema import schema_text

    out(schema_text())


# --- entry point ---------------------------------------------------------------------------


def main() -> None:
    """Run `ldn`: quiet in a closed pipe, exit 130 on Ctrl-C, a message on a full disk."""
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    try:
        try:
            code = app(standalone_mode=False)
        except click.ClickException as exc:
            exc.show()
            code = exc.exit_code
        except (click.exceptions.Abort, KeyboardInterrupt):
            sys.stderr.write("\ninterrupted\n")
            code = EXIT_INTERRUPTED
        sys.stdout.flush()
    except OSError as exc:
        if exc.errno != errno.EPIPE:
            sys.stderr.write(f"Error: cannot write output: {exc.strerror}\n")
        # Send what is left in the buffer nowhere, so shutdown does not fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        code = EXIT_NOT_FOUND if exc.errno != errno.EPIPE else 0
    sys.exit(code if isinstance(code, int) else EXIT_OK)
