"""`ldn safety`: the harms the studies report, and what the papers publish about them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.console import Group, RenderableType
from rich.text import Text

from ldn_evidence.model import (
    CAUTION_TOPICS,
)
from ldn_evidence.render import Address, _t
from ldn_evidence.render.layout import Column, Sheet
from ldn_evidence.text import NOT_MEDICAL_ADVICE, plural, visible

if TYPE_CHECKING:
    pass


def safety_view(report: dict[str, Any], wide: bool = False) -> RenderableType:
    """Harms as the documents report them, and the general cautions with their quotes."""
    reporting = report["reporting_harms"]
    head = (
        f"{reporting} of {plural(report['count'], 'study')} {'reports' if reporting == 1 else 'report'} harms,"
        " as the articles report it"
    )
    parts: list[RenderableType] = [Text(head, style="bold")]
    if report["adverse_events"]:
        table = Sheet(
            [
                Column("adverse event", wrap=True),
                Column("studies", justify="right"),
                Column("reported in (share of patients)", wrap=True, name="reported in"),
            ],
            wide=wide,
        )
        for event in report["adverse_events"]:
            where = ", ".join(
                f"{visible(s['id'])} ({visible(s['share']) if s['share'] else 'share not reported'})"
                for s in event["studies"]
            )
            table.add_row(_t(event["event"]), Text(str(len(event["studies"]))), Text(where))
        parts += [Text(""), table, Text("")]
    else:
        parts.append(Text("No adverse events are reported for these studies.", style="dim"))
    if report["tolerability"]:
        parts.append(Text("What the studies say about tolerability, as the articles report it", style="bold"))
        grid = Sheet([Column(""), Column("", wrap=True)], show_header=False, stack_below=0)
        for entry in report["tolerability"]:
            grid.add_row(_t(entry["id"]), _t(entry["statement"]))
        parts += [grid, Text("")]
    if report["no_harms_reported"]:
        parts.append(
            Text(
                "No harms or tolerability reported in the articles"
                f" ({plural(len(report['no_harms_reported']), 'study')}): "
                + ", ".join(visible(i) for i in report["no_harms_reported"]),
                style="dim",
            )
        )
        parts.append(Text(""))
    if report["mentions"]:
        parts.append(
            Text(
                f"Not counted: passing mentions, with no design, size or data ({len(report['mentions'])}): "
                + ", ".join(visible(i) for i in report["mentions"]),
                style="dim",
            )
        )
        parts.append(Text(""))
    if report.get("not_retold"):
        parts.append(
            Text(
                f"Not retold by any article ({plural(len(report['not_retold']), 'study')}), so not in the counts"
                " above; what their publications say of harms is below: "
                + ", ".join(visible(i) for i in report["not_retold"]),
                style="dim",
            )
        )
        parts.append(Text(""))
    parts += _published_harms_parts(report.get("published_harms", []))
    if report["cautions"]:
        parts.append(Text("General cautions in the documents", style="bold"))
        for caution in report["cautions"]:
            line = Text(f"[{CAUTION_TOPICS.get(caution['topic'], caution['topic'])}] ", style="bold")
            line.append(visible(caution["text"]))
            parts.append(line)
            for source in caution["sources"]:
                quote = Text(f"  {visible(source['seed'])}: “", style="dim")
                quote.append(visible(source["quote"]), style="dim")
                quote.append("”", style="dim")
                parts.append(quote)
        parts.append(Text(""))
    parts.append(Text(NOT_MEDICAL_ADVICE, style="italic"))
    return Group(*parts)


def _published_harms_parts(entries: Sequence[dict[str, Any]]) -> list[RenderableType]:
    """`ldn safety`'s second layer: what each study's publication says of harms, as published, apart."""
    from ldn_evidence.model import PAGE_KINDS

    if not entries:
        return []
    parts: list[RenderableType] = [
        Text(f"What the publications say of harms, as published ({plural(len(entries), 'study')})", style="bold")
    ]
    # Each study's id on its own line and its excerpts under it at the full width, so a page's
    # address is broken only where it is longer than a line.
    silent = []
    for entry in entries:
        if not entry["facts"]:
            silent.append(entry["id"])
            continue
        parts.append(_t(entry["id"], "bold"))
        for fact in entry["facts"]:
            line = Text("  ")
            line.append(", ".join(fact["about"]) + ": ", style="dim")
            line.append(f"“{visible(fact['excerpt'])}”")
            parts.append(line)
            parts.append(Address(fact["page"], lead=f"  {PAGE_KINDS[fact['page_kind']]}: "))
    if silent:
        parts.append(
            Text(
                f"The publication's pages seen say nothing of harms ({plural(len(silent), 'study')}): "
                + ", ".join(visible(i) for i in silent),
                style="dim",
            )
        )
    parts.append(Text(""))
    return parts
