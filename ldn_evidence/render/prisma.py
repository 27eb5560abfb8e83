"""`ldn prisma`: the search drawn as a flow, in the manner of a PRISMA diagram.

The view draws `wider.flow(catalogue)` as it is: boxes for where the search looked,
what it screened, what it left out (by reason) and what it included (by design and
by condition), then the registered trials by status. Side by side when the width
allows, one under the other when it does not.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ldn_evidence.model import CONDITIONS, DESIGNS, EXCLUSION_REASONS, REGISTRY_STATUSES
from ldn_evidence.text import NOT_MEDICAL_ADVICE, plural, visible

#: Below this width the side boxes go under the main flow.
SIDE_BY_SIDE = 100
#: What a registered trial whose status no page gave is called.
STATUS_WORDS = {**REGISTRY_STATUSES, "not-seen": "status not seen"}


def _tally(counts: Mapping[str, int], words: Mapping[str, Any]) -> Table:
    """One line per key: its count right-aligned, then its words."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column(overflow="fold")
    for key, count in counts.items():
        label = words.get(key, key)
        grid.add_row(Text(str(count)), Text(visible(label if isinstance(label, str) else label[0])))
    return grid


def _box(title: str, *body: RenderableType) -> Panel:
    return Panel(Group(*body), title=Text(title, style="bold"), title_align="left", box=box.SQUARE, expand=True)


def _arrow(word: str = "") -> Text:
    return Text(f"  │\n  ▼ {word}".rstrip(), style="dim")


def _condition_words() -> dict[str, str]:
    return {key: f"{words} ({key})" if words != key else key for key, (words, _) in CONDITIONS.items()}


class PrismaView:
    """The flow of the search, laid out for the width it is drawn in."""

    def __init__(self, flow: dict[str, Any]) -> None:
        self.flow = flow

    def _boxes(self) -> dict[str, RenderableType]:
        flow = self.flow
        searched = flow["searched"] or "date not stated"
        where = Text("\n").join(Text(f"• {visible(w)}") for w in flow["where"]) if flow["where"] else Text("not stated")
        found = _box(
            f"Identification: searched {searched}",
            Text(f"{plural(flow['queries'], 'query')} in:"),
            where,
        )
        screened = _box(
            "Screening",
            Text(f"{flow['records_screened']:,} records screened"),
            Text(
                f"{flow['relevant_in_queries']:,} kept by the queries (a record several queries found is "
                "counted by each)",
                style="dim",
            ),
        )
        excluded = flow["excluded"]
        left_out = _box(
            f"Excluded: {plural(excluded['total'], 'record')}, by reason",
            _tally(excluded["by_reason"], EXCLUSION_REASONS),
        )
        included = flow["included"]
        designs = {key: words for key, (_, words) in DESIGNS.items()}
        kept = _box(
            f"Included: {plural(included['total'], 'study')} no article retells",
            Text("by design", style="bold"),
            _tally(included["by_design"], designs),
            Text("by condition", style="bold"),
            _tally(included["by_condition"], _condition_words()),
            Text(
                f"{plural(included['reviews'], 'systematic review')} among them, shown beside the trials they "
                "pool, never counted as one more trial",
                style="dim",
            ),
        )
        trials = flow["registered_trials"]
        late = trials["no_results_long_after_end"]
        registered = _box(
            f"Registered trials: {trials['total']}, by status",
            _tally(trials["by_status"], STATUS_WORDS),
            Text(
                f"No results long after its end ({len(late)}): " + (", ".join(visible(i) for i in late) or "none"),
                style="bold" if late else "dim",
            ),
        )
        return {"found": found, "screened": screened, "excluded": left_out, "included": kept, "trials": registered}

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        flow = self.flow
        boxes = self._boxes()
        yield Text(f"The search of {flow['searched'] or 'an unstated date'}, as a flow", style="bold")
        if flow["scope"]:
            yield Text(visible(flow["scope"]), style="dim")
        yield Text("")
        main = Group(boxes["found"], _arrow(), boxes["screened"], _arrow(), boxes["included"])
        if options.max_width >= SIDE_BY_SIDE:
            layout = Table.grid(padding=(0, 2), expand=True)
            layout.add_column(ratio=1)
            layout.add_column(ratio=1)
            layout.add_row(main, Group(Text("\n\n\n\n\n\n"), boxes["excluded"], Text(""), boxes["trials"]))
            yield layout
        else:
            yield Group(
                boxes["found"],
                _arrow(),
                boxes["screened"],
                Text("  ├──▶ left out", style="dim"),
                boxes["excluded"],
                _arrow("kept"),
                boxes["included"],
                Text(""),
                boxes["trials"],
            )
        retold = flow["retold_by_the_articles"]
        yield Text("")
        yield Text(
            f"Beside them: {plural(retold, 'study')} the four articles retell (ldn sources), not counted in this flow."
        )
        yield Text(NOT_MEDICAL_ADVICE, style="italic")


def prisma_view(flow: dict[str, Any]) -> RenderableType:
    """The flow of `ldn prisma` as a view."""
    return PrismaView(flow)
