"""Every option of `ldn` that two parsers share, declared once as data.

The Typer app (`cli`) builds its study filters and its `--format` choices from
these declarations, and the start-up fast path (`fast`) builds its tables from the
very same ones, so the two cannot drift: every command that selects studies takes
every filter, spelled the same way, and every command offers the formats listed
here. Plain data; neither Typer nor click is imported here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dataclasses import dataclass
else:  # the same classes, made at a fraction of the start-up cost (see `frozen`)
    from .frozen import dataclass

#: How an option takes its value: "text", "flag", "many" (repeatable text), ("int", low, high)
#: or ("choice", values...).
Kind = Any


@dataclass(frozen=True)
class Option:
    """One option as both parsers read it."""

    dest: str
    """The parameter it fills."""
    names: tuple[str, ...]
    """Its spellings, long first ("--condition", "-c")."""
    kind: Kind
    """How it takes its value (see `Kind`)."""
    help: str
    """One line of help."""
    vocabulary: str = ""
    """The word list its values complete from (condition, design, effect, measure), if any."""


#: The study filters: every command that selects studies takes all of them.
FILTERS: tuple[Option, ...] = (
    Option("condition", ("--condition", "-c"), "many",
           "Condition key or alias (ms, ppms, crohns, 'back pain', ...); repeat for several.", "condition"),
    Option("design", ("--design", "-d"), "many",
           "Design key or alias (rct, randomized, open-label, ...); repeat for several.", "design"),
    Option("effect", ("--effect", "-e"), "many",
           "Overall effect (benefit, no-effect, harm, mixed, unclear); repeat for several.", "effect"),
    Option("measure", ("--measure", "-m"), "many",
           "Studies with a finding on this measure (pain, fatigue, qol, ...); repeat for several.", "measure"),
    Option("min_n", ("--min-n",), ("int", 1, None), "At least this many participants."),
    Option("level", ("--level", "-l"), ("int", 1, 5), "Evidence level N or stronger (1 strongest)."),
    Option("clinical", ("--clinical",), "flag", "People only: drop animal, in-vitro and hypothesis."),
    Option("search", ("--search", "-s"), "text", "Text in title, population, outcome, notes or quotes."),
    Option("retold", ("--retold",), "flag", "Only studies an article retells."),
    Option("not_retold", ("--not-retold",), "flag", "Only studies no article retells (found by the search)."),
)  # fmt: skip

#: The commands that select studies, each taking every one of FILTERS.
SELECTING = ("list", "summary", "safety", "export", "discrepancies", "cite")

#: Each command's `--format` choices, in the order its help names them. The writers and views
#: that answer them are chosen from these names (see `writers.WRITERS`); the Enums Typer shows
#: (`formats.ListFormat`, `citations.CiteFormat`, `export.ExportFormat`, the ones in `cli`) are
#: checked against these by tests/cli/test_registry.py.
FORMATS: dict[str, tuple[str, ...]] = {
    "prisma": ("text", "json"),
    "list": ("table", "tsv", "json", "jsonl", "csv", "markdown"),
    "show": ("text", "json", "markdown"),
    "summary": ("text", "json"),
    "safety": ("text", "json"),
    "sources": ("text", "json"),
    "discrepancies": ("table", "tsv", "json", "csv", "markdown"),
    "claims": ("text", "json", "markdown"),
    "cite": ("ris", "bibtex", "csl-json"),
    "export": ("sqlite", "csv", "json", "jsonl", "markdown", "datapackage"),
}

#: The options before the command word.
GLOBAL_OPTIONS: dict[str, tuple[str, Kind]] = {"--data": ("data", "text"), "--no-cache": ("no_cache", "flag")}


def format_choice(command: str) -> Kind:
    """The kind of a command's --format option: a choice of its formats."""
    return ("choice", *FORMATS[command])


def table(options: tuple[Option, ...]) -> dict[str, tuple[str, Kind]]:
    """Each spelling of each option -> (dest, kind): the shape the fast path reads."""
    return {name: (option.dest, option.kind) for option in options for name in option.names}
