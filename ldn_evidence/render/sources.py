"""`ldn sources`: the source documents and the search; `ldn sources NUMBER`, one document and its studies."""

from __future__ import annotations

import sys
from collections.abc import Collection, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from rich.console import Group, RenderableType
from rich.text import Text

from ldn_evidence.model import (
    DOCUMENT_KINDS,
    Study,
)
from ldn_evidence.render import _t
from ldn_evidence.render.layout import STACK_BELOW, Column, Sheet
from ldn_evidence.text import plural, visible

if TYPE_CHECKING:
    pass
from ldn_evidence.render.studies import studies_table

#: `ldn sources`'s columns: the seed, date and count whole; author, then publisher, then date go first.
DOCUMENT_COLUMNS = (
    Column("seed"),
    Column("title", wrap=True, min_width=12),
    Column("publisher", wrap=True, drop=2),
    Column("author", wrap=True, drop=1),
    Column("date", drop=3),
    Column("kind", wrap=True),
    Column("studies", justify="right"),
)


def documents_table(entries: Iterable[dict[str, Any]], wide: bool = False, stack_below: int = STACK_BELOW) -> Sheet:
    """The source documents and how many studies each describes."""
    sheet = Sheet(DOCUMENT_COLUMNS, caption="– not stated in the document", wide=wide, stack_below=stack_below)
    for entry in entries:
        cells = [
            entry["seed"],
            entry["title"],
            entry["publisher"],
            entry["author"],
            entry["date"],
            DOCUMENT_KINDS.get(entry["kind"] or "", entry["kind"]),
        ]
        sheet.add_row(
            *(_t(c) if c is not None else Text("–", style="dim") for c in cells), Text(str(len(entry["studies"])))
        )
    return sheet


def sources_view(entries: Iterable[dict[str, Any]], found: dict[str, Any], wide: bool = False) -> RenderableType:
    """`ldn sources`: the four articles, and the search beside them."""
    return Group(documents_table(entries, wide), Text(""), search_lines(found))


def search_lines(found: dict[str, Any]) -> RenderableType:
    """The search beside the articles: when and where, queries, records screened, studies included."""
    if not found["searched"]:
        return Text("No search is recorded: the catalogue holds only what the articles retell.", style="dim")
    included = found["included"]
    lines = [
        Text("The search, beside the articles", style="bold"),
        _t(f"searched {found['searched']}: {found['queries']} queries, {found['records_screened']:,} records screened"),
        _t(
            f"{plural(included['total'], 'study')} included that no article retells"
            f" ({plural(included['reviews'], 'systematic review')}); {found['excluded']['total']} records excluded"
        ),
        *(_t(f"in: {where}") for where in found["where"]),
        Text("The whole flow, by design, condition and reason: ldn prisma", style="dim"),
    ]
    return Group(*lines)


def document_view(
    entry: dict[str, Any],
    studies: Sequence[Study],
    note: str | None = None,
    wide: bool = False,
    marked: Collection[str] = (),
) -> RenderableType:
    """One document (its fields stacked) and the studies it describes (and, if given, a line of note)."""
    return Group(
        documents_table([entry], stack_below=sys.maxsize),
        *([Text("About the page: ", style="bold") + _t(entry["notes"])] if entry.get("notes") else []),
        *([_t(note)] if note else []),
        Text(""),
        Text(f"Studies it describes ({len(studies)}):", style="bold"),
        studies_table(studies, marked, wide=wide),
    )


def document_text(seed: str, text: str) -> RenderableType:
    """A source document's whole text, control characters made visible."""
    return Group(Text(visible(seed), style="bold"), Text(""), Text(visible(text)))
