"""The `ldn` command line as Typer sees it: options, help, completion.

Each command parses its options and hands them to the matching function in
`app`, which loads, queries, renders and chooses the exit code. Exit codes: 0
success; 1 a study, document or file that is not there, or a catalogue that is
invalid; 2 a usage error; 130 interrupted.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Optional

import click
import typer
import typer.core

from . import __version__, commands
from .citations import CiteFormat
from .errors import CatalogueError
from .export import ExportFormat
from .formats import ListFormat
from .model import CONDITIONS, DESIGNS, DISCREPANCY_KINDS, EFFECTS, MEASURES, MS_FORMS
from .options import FILTERS, Option
from .text import visible


class _Command(typer.core.TyperCommand):
    """A command that tells `-condition` (one dash, as some tools spell it) from `-c ondition`."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Refuse a long option written with one dash, suggesting the two-dash spelling."""
        takes_value = {name for p in self.params if isinstance(p, click.Option) and not p.is_flag for name in p.opts}
        longs = {name for p in self.params if isinstance(p, click.Option) for name in p.opts if name[:2] == "--"}
        skip = False
        for arg in args:
            if arg == "--":
                break
            if skip:
                skip = False
                continue
            name = arg.partition("=")[0]
            if name[:1] == "-" and name[:2] != "--" and "-" + name in longs:
                raise click.NoSuchOption(name, message=f"No such option {name!r}; did you mean '-{name}'?", ctx=ctx)
            skip = name in takes_value and "=" not in arg
        return super().parse_args(ctx, args)


app = typer.Typer(
    name="ldn",
    help=(
        "Read the ldn-evidence catalogue: studies of low-dose naltrexone (LDN), "
        "each value checkable against the sentence it stands on. Not medical advice."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    # click itself suggests the command meant; Typer's own suggestion would say it twice.
    suggest_commands=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


# --- helpers ------------------------------------------------------------------------


def _run(ctx: typer.Context) -> commands.Run:
    obj = ctx.find_root().obj
    return obj if isinstance(obj, commands.Run) else commands.Run()


def _call(function: Callable[..., None], *args: Any) -> None:
    """Run a command function, turning its Exit into Typer's."""
    try:
        function(*args)
    except commands.Exit as exc:
        raise typer.Exit(exc.code) from None


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


def complete_kind(incomplete: str) -> list[str]:
    """Discrepancy kinds."""
    return _complete(list(DISCREPANCY_KINDS), incomplete)


def complete_id(ctx: typer.Context, incomplete: str) -> list[str]:
    """Study ids of the catalogue in use."""
    from .cache import load_cached

    try:
        catalogue = load_cached(_run(ctx).data)
    except CatalogueError:
        return []
    return _complete([s.id for s in catalogue.index], incomplete)


# --- shared options ------------------------------------------------------------------


# --- the study filters: declared once in `options`, taken by every command that selects studies ---

_VOCABULARIES: dict[str, Callable[[str], list[str]]] = {
    "condition": complete_condition, "design": complete_design, "effect": complete_effect, "measure": complete_measure,
}  # fmt: skip
_TYPES: dict[str, Any] = {"many": Optional[list[str]], "text": Optional[str], "flag": bool}


class WholeNumber(click.IntRange):
    """click's IntRange, but a value too long to be a count is refused with its length, not echoed whole.

    Python refuses to read more than 4,300 digits, and a message echoing thousands of them helps no one.
    """

    #: More characters than any count this program takes can need.
    LONGEST = 18

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and len(value.strip().lstrip("0")) > self.LONGEST:
            text = value.strip()
            shown = visible(text[:12])
            self.fail(f"'{shown}...' ({len(text):,} characters) is too long to be a number here", param, ctx)
        return super().convert(value, param, ctx)


def _filter_parameter(option: Option) -> inspect.Parameter:
    """A Typer parameter for one of `options.FILTERS`."""
    extra: dict[str, Any] = {}
    if isinstance(option.kind, tuple):  # ("int", low, high)
        annotation: Any = Optional[int]
        extra = {"click_type": WholeNumber(min=option.kind[1], max=option.kind[2])}
    else:
        annotation = _TYPES[option.kind]
    if option.vocabulary:
        extra["autocompletion"] = _VOCABULARIES[option.vocabulary]
    info = typer.Option(*option.names, help=option.help, **extra)
    default = False if option.kind == "flag" else None
    return inspect.Parameter(option.dest, inspect.Parameter.KEYWORD_ONLY, default=default,
                             annotation=Annotated[annotation, info])  # fmt: skip


def selects_studies(function: Callable[..., None]) -> Callable[..., None]:
    """Give a command every study filter of `options.FILTERS`, handed to it as one checked `where`.

    The filters take the place of the command's `where` parameter in its options and its help.
    """
    signature = inspect.signature(function, eval_str=True)
    own = list(signature.parameters.values())
    at = [p.name for p in own].index("where")
    parameters = [*own[:at], *(_filter_parameter(o) for o in FILTERS), *own[at + 1 :]]
    parameters = [p if p.name == "ctx" else p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in parameters]

    @functools.wraps(function)
    def command(ctx: typer.Context, **values: Any) -> None:
        chosen = {o.dest: values.pop(o.dest) for o in FILTERS}
        function(ctx, where=_where(ctx, **chosen), **values)

    command.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
    command.__annotations__ = {p.name: p.annotation for p in parameters}
    return command


RawCsv = Annotated[
    bool,
    typer.Option(
        "--raw-csv",
        help="Write CSV cells exactly, without the apostrophe that keeps spreadsheets from running "
        "cells beginning with = + - @ as formulas.",
    ),
]
Wide = Annotated[
    bool,
    typer.Option("--wide", help="Every column, nothing wrapped, even if wider than the terminal (for less -S)."),
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


class NSource(str, Enum):
    """Which n `ldn list` shows and sorts by."""

    articles = "articles"
    published = "published"


class DiscrepancyFormat(str, Enum):
    """Formats of `ldn discrepancies`."""

    table = "table"
    tsv = "tsv"
    json = "json"
    csv = "csv"
    markdown = "markdown"


class GroupBy(str, Enum):
    """Groupings of `ldn summary`."""

    design = "design"
    measure = "measure"
    condition = "condition"
    level = "level"


# --- the commands -------------------------------------------------------------------------


def _version(value: bool) -> None:
    if value:
        commands.out(f"ldn {__version__}\n")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    data: Annotated[
        Optional[str],
        typer.Option(
            "--data", envvar="LDN_DATA", show_envvar=True, help="Catalogue file to read instead of the shipped one."
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
    ctx.obj = commands.Run(data=data or None, cache=not no_cache)


def _where(ctx: typer.Context, **values: Any) -> Any:
    values["designs"] = values.pop("design") or ()
    for name in ("condition", "effect", "measure"):
        values[name] = values[name] or None
    try:
        return commands.filters(**values)
    except commands.Exit as exc:
        raise typer.Exit(exc.code) from None


@app.command("list", cls=_Command)
@selects_studies
def list_studies(
    ctx: typer.Context,
    where: Any = None,
    sort: Annotated[
        SortKey, typer.Option("--sort", case_sensitive=False, help="Order: level (then n), n, year or id.")
    ] = SortKey.level,
    limit: Annotated[
        Optional[int], typer.Option("--limit", click_type=WholeNumber(min=0), help="Show at most N studies.")
    ] = None,
    format: Annotated[
        Optional[ListFormat],
        typer.Option(
            "--format",
            "-f",
            case_sensitive=False,
            help="table (default on a terminal), tsv (default in a pipe), json, jsonl, csv, markdown.",
        ),
    ] = None,
    n_source: Annotated[
        NSource,
        typer.Option(
            "--n",
            case_sensitive=False,
            help="Which n to show: articles (as the articles report it) or published (the paper's count, "
            "saying which: enrolled, randomized, analysed or completed).",
        ),
    ] = NSource.articles,
    wide: Wide = False,
    raw_csv: RawCsv = False,
) -> None:
    """List studies, strongest evidence first. A ≠ after an id: its articles differ from the paper.

    \b
    Example:
      ldn list --condition ms --design rct
      ldn list --measure pain --format json
    """
    _call(
        commands.list_studies, _run(ctx), where, sort.value, limit, format.value if format else None,
        n_source.value, wide, raw_csv,
    )  # fmt: skip


@app.command(cls=_Command)
def show(
    ctx: typer.Context,
    study_id: Annotated[
        str, typer.Argument(metavar="ID", help="A study id or a unique prefix of one.", autocompletion=complete_id)
    ],
    format: Annotated[
        ShowFormat, typer.Option("--format", "-f", case_sensitive=False, help="text, json or markdown.")
    ] = ShowFormat.text,
) -> None:
    """Everything about one study, with the quote each fact stands on.

    \b
    Example:
      ldn show norway-2017
      ldn show norway --format json
    """
    _call(commands.show, _run(ctx), study_id, format.value)


@app.command(cls=_Command)
@selects_studies
def summary(
    ctx: typer.Context,
    where: Any = None,
    by: Annotated[
        GroupBy, typer.Option("--by", case_sensitive=False, help="Group by design, measure, condition or level.")
    ] = GroupBy.design,
    format: Annotated[
        TextFormat, typer.Option("--format", "-f", case_sensitive=False, help="text or json.")
    ] = TextFormat.text,
    svg: Annotated[Optional[Path], typer.Option("--svg", help="Also save the view as an SVG picture.")] = None,
    html: Annotated[Optional[Path], typer.Option("--html", help="Also save the view as an HTML page.")] = None,
    wide: Wide = False,
    force: Annotated[bool, typer.Option("--force", help="Replace an --svg or --html file that exists.")] = False,
    plain: Annotated[
        bool, typer.Option("--plain", help="A plain-language page per condition: key messages, how certain.")
    ] = False,
) -> None:
    """How much evidence, how strong, what it found: a summary of findings.

    \b
    Example:
      ldn summary --design rct
      ldn summary --condition ms --by measure --format json
      ldn summary --condition ms --plain
    """
    _call(commands.summary, _run(ctx), where, by.value, format.value, svg, html, wide, force, plain)


@app.command(cls=_Command)
@selects_studies
def safety(
    ctx: typer.Context,
    where: Any = None,
    format: Annotated[
        TextFormat, typer.Option("--format", "-f", case_sensitive=False, help="text or json.")
    ] = TextFormat.text,
    wide: Wide = False,
) -> None:
    """What the documents say about harms, and their general cautions.

    \b
    Example:
      ldn safety --condition ms
    """
    _call(commands.safety, _run(ctx), where, format.value, wide)


@app.command(cls=_Command)
def sources(
    ctx: typer.Context,
    seed: Annotated[
        Optional[str], typer.Argument(help="A document's file name, or a unique prefix (e.g. 003).")
    ] = None,
    format: Annotated[
        TextFormat, typer.Option("--format", "-f", case_sensitive=False, help="text or json.")
    ] = TextFormat.text,
    wide: Wide = False,
    text: Annotated[bool, typer.Option("--text", help="Print the named document's whole text.")] = False,
) -> None:
    """The source documents, and the studies each describes; --text prints one whole.

    \b
    Example:
      ldn sources
      ldn sources 003
      ldn sources 003 --text
    """
    _call(commands.sources, _run(ctx), seed, format.value, wide, text)


@app.command(cls=_Command)
def prisma(
    ctx: typer.Context,
    format: Annotated[
        TextFormat, typer.Option("--format", "-f", case_sensitive=False, help="text or json.")
    ] = TextFormat.text,
    svg: Annotated[Optional[Path], typer.Option("--svg", help="Also draw the flow as an SVG picture.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an --svg file that exists.")] = False,
) -> None:
    """The search behind the wider evidence, as a flow in the manner of a PRISMA diagram.

    \b
    Example:
      ldn prisma
      ldn prisma --format json
      ldn prisma --svg search.svg
    """
    _call(commands.prisma, _run(ctx), format.value, svg, force)


PathsArg = Annotated[
    Optional[list[Path]],
    typer.Argument(metavar="[PATH]...", help="Catalogue files (default: --data, $LDN_DATA or the shipped one)."),
]


@app.command(cls=_Command)
def validate(ctx: typer.Context, paths: PathsArg = None) -> None:
    """Check catalogue files: every problem, one a line, with its file and line.

    \b
    Example:
      ldn validate data/studies.yaml
    """
    _call(commands.validate, _run(ctx), paths)


@app.command(cls=_Command)
def verify(
    ctx: typer.Context,
    paths: PathsArg = None,
    seeds: Annotated[
        Optional[Path], typer.Option("--seeds", help="Folder of source documents (default: seeds/ beside data/).")
    ] = None,
) -> None:
    """Check every quote against its source document, and every number against its quotes.

    \b
    Example:
      ldn verify
    """
    _call(commands.verify, _run(ctx), paths, seeds)


@app.command(cls=_Command)
@selects_studies
def export(
    ctx: typer.Context,
    path: Annotated[
        Path, typer.Argument(help="File to write: .db/.sqlite, .csv, .json, .jsonl, .md or datapackage.json.")
    ],
    where: Any = None,
    format: Annotated[
        Optional[ExportFormat],
        typer.Option("--format", "-f", case_sensitive=False, help="Format, if the suffix does not say."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace a file that exists.")] = False,
    raw_csv: RawCsv = False,
) -> None:
    """Write the (filtered) catalogue to a file other tools open.

    \b
    Example:
      ldn export ldn.db
      ldn export out/datapackage.json --condition ms
    """
    _call(commands.export, _run(ctx), path, where, format.value if format else None, force, raw_csv)


@app.command(cls=_Command)
def schema() -> None:
    """Print the JSON Schema (draft 2020-12) of the catalogue file.

    \b
    Example:
      ldn schema > studies.schema.json
    """
    commands.schema()


@app.command("discrepancies", cls=_Command)
@selects_studies
def discrepancies(
    ctx: typer.Context,
    kind: Annotated[
        Optional[str],
        typer.Option(
            "--kind", "-k", help="Only this kind: " + ", ".join(DISCREPANCY_KINDS) + ".", autocompletion=complete_kind
        ),
    ] = None,
    seed: Annotated[
        Optional[str], typer.Option("--seed", help="Only this document: its file name or a unique prefix (e.g. 003).")
    ] = None,
    where: Any = None,
    format: Annotated[
        Optional[DiscrepancyFormat],
        typer.Option(
            "--format",
            "-f",
            case_sensitive=False,
            help="table (default on a terminal), tsv (default in a pipe), json, csv, markdown.",
        ),
    ] = None,
    wide: Wide = False,
    raw_csv: RawCsv = False,
) -> None:
    """Where the articles differ from the papers they retell: each with both quotes and the page.

    \b
    Example:
      ldn discrepancies --kind n
      ldn discrepancies --seed 003 --format json
    """
    _call(commands.discrepancies, _run(ctx), where, kind, seed, format.value if format else None, wide, raw_csv)


@app.command(cls=_Command)
@selects_studies
def cite(
    ctx: typer.Context,
    ids: Annotated[
        Optional[list[str]],
        typer.Argument(
            metavar="[ID]...",
            help="Study ids (or prefixes) or publication ids; none for every publication.",
            autocompletion=complete_id,
        ),
    ] = None,
    where: Any = None,
    format: Annotated[
        CiteFormat,
        typer.Option(
            "--format", "-f", case_sensitive=False, help="ris (Zotero, EndNote), bibtex, or csl-json (pandoc)."
        ),
    ] = CiteFormat.ris,
) -> None:
    """The publications behind the studies, as citations for a reference manager.

    \b
    Example:
      ldn cite ucsf-cree-rct --format bibtex
      ldn cite > ldn.ris
      ldn cite --design rct --format bibtex
    """
    _call(commands.cite, _run(ctx), ids or [], format.value, where)


class ClaimsFormat(str, Enum):
    """Formats of `ldn claims`."""

    text = "text"
    json = "json"
    markdown = "markdown"


@app.command()
def claims(
    ctx: typer.Context,
    article: Annotated[
        str, typer.Argument(metavar="ARTICLE", help="Text, Markdown or saved HTML file; '-' reads standard input.")
    ],
    format: Annotated[ClaimsFormat, typer.Option("--format", "-f", help="text, json or markdown.")] = ClaimsFormat.text,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 when any check differs.")] = False,
) -> None:
    """Check a press article: which study each sentence retells, and where it departs from the catalogue.

    \b
    Example:
      ldn claims seeds/003_8ba770466c0a1f04.txt
      ldn claims article.html --format json --strict
    """
    _call(commands.claims, _run(ctx), article, format.value, strict)


@app.command(cls=_Command)
def site(
    ctx: typer.Context,
    folder: Annotated[Path, typer.Argument(metavar="OUT", help="Folder to write the site into (made if missing).")],
    article: Annotated[
        Optional[list[str]], typer.Option("--article", help="Also check this article and give it a page; repeat.")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace what a non-empty OUT folder holds.")] = False,
    data: Annotated[
        Optional[str], typer.Option("--data", help="Catalogue file to read (as `ldn --data FILE site OUT`).")
    ] = None,
) -> None:
    """Write the catalogue as a static website: findings, studies, articles checked, harms, search.

    \b
    Example:
      ldn site out/
      ldn site out/ --data other.yaml --article saved-article.html --force
    """
    _call(commands.site, _run(ctx), folder, article or [], force, data)
