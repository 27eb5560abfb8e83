"""Terminal views drawn with rich. The only module that imports rich.

Catalogue text always enters rich as `Text` (never as markup) after control
characters have been made visible, so nothing from a data file can style,
link, move the cursor or retitle the terminal.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Collection, Iterable, Sequence
from typing import IO, Any

from rich import box
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from .catalogue import NOT_MEDICAL_ADVICE
from .formats import LIST_COLUMNS, NOT_REPORTED, list_row, visible
from .model import (
    CAUTION_TOPICS,
    CONDITIONS,
    DESIGNS,
    DOCUMENT_KINDS,
    EFFECTS,
    MEASURES,
    Catalogue,
    Facts,
    Study,
    level_label,
)

EFFECT_STYLES = {
    "benefit": "green",
    "no-effect": "yellow",
    "mixed": "cyan",
    "harm": "red",
    "unclear": "magenta",
    "none": "dim",
}
BAR_WIDTH = 36
#: Marks a study in `ldn list` whose articles differ from its paper.
DIFFERS_MARK = "≠"


def console(file: IO[str] | None = None, record: bool = False, width: int | None = None) -> Console:
    """A console that lets rich decide colour (NO_COLOR, TERM=dumb, pipes) and never reads markup."""
    # NO_COLOR and a dumb terminal mean no escape codes at all, not only no colour.
    plain = bool(os.environ.get("NO_COLOR")) or os.environ.get("TERM") in ("dumb", "unknown")
    return Console(
        file=file or sys.stdout,
        color_system=None if plain else "auto",
        markup=False,
        emoji=False,
        highlight=False,
        record=record,
        width=width,
        soft_wrap=False,
    )


def _t(value: object, style: str = "") -> Text:
    """Catalogue text as a rich Text, control characters made visible."""
    if value is None:
        return Text(NOT_REPORTED, style="dim")
    return Text(visible(str(value)), style=style)


def _effects_text(effects: dict[str, dict[str, Any]]) -> Text:
    text = Text()
    for i, (key, tally) in enumerate(effects.items()):
        if i:
            text.append(", ")
        label = EFFECTS.get(key, "none (hypothesis)")
        text.append(f"{label} {tally['count']}", style=EFFECT_STYLES.get(key, ""))
        text.append(f" ({tally['participants']})" if tally["n_unknown"] < tally["count"] else "")
    return text


def studies_table(
    studies: Sequence[Study],
    marked: Collection[str] = (),
    n_of: Callable[[Study], str | None] | None = None,
) -> Table:
    """The table of `ldn list`; ids in `marked` get a mark (their articles differ from the paper)."""
    table = Table(box=box.SIMPLE_HEAD, header_style="bold")
    for column in LIST_COLUMNS:
        table.add_column(
            column,
            justify="right" if column in ("year", "level", "n") else "left",
            overflow="fold",
            no_wrap=column == "id",
        )
    for study in studies:
        row = list_row(study, n_of)
        cells = []
        for column in LIST_COLUMNS:
            value = row[column]
            if value == NOT_REPORTED:
                cells.append(Text("–", style="dim"))
                continue
            style = EFFECT_STYLES.get(study.effect or "none", "") if column == "effect" else ""
            cell = _t(value, style)
            if column == "id" and study.id in marked:
                cell.append(f" {DIFFERS_MARK}", style="bold")
            cells.append(cell)
        table.add_row(*cells)
    table.caption = "– not reported"
    if marked:
        table.caption += f"   {DIFFERS_MARK} the articles differ from the paper (ldn discrepancies)"
    table.caption_justify = "left"
    return table


def study_view(study: Study, catalogue: Catalogue) -> RenderableType:
    """Everything about one study: fields, level, outcome, findings, harms, notes, sources."""
    level = study.evidence_level
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold", no_wrap=True)
    facts.add_column(overflow="fold")
    evidence = Text(f"{level_label(level)} — {DESIGNS[study.design][1]} ({study.design})")
    rows: list[tuple[str, RenderableType]] = [
        ("id", _t(study.id)),
        ("evidence", evidence),
        ("condition", _t(f"{CONDITIONS[study.condition][0]} ({study.condition})")),
        ("population", _t(study.population)),
        ("n", _t(study.n)),
        ("duration", _t(study.duration.text if study.duration else None)),
        ("dose", _t(study.dose.text if study.dose else None)),
        ("year", _t(study.year)),
        ("place", _t(study.place)),
        ("investigators", _t(", ".join(study.investigators) or None)),
        (
            "effect",
            _t(
                EFFECTS[study.effect] if study.effect else "none (a hypothesis has no data)",
                EFFECT_STYLES.get(study.effect or "none", ""),
            ),
        ),
        ("outcome", _t(study.outcome)),
    ]
    for label, cell in rows:
        facts.add_row(label, cell)

    findings = Table(box=box.SIMPLE_HEAD, header_style="bold", title="Findings", title_justify="left")
    findings.add_column("measure", no_wrap=True)
    findings.add_column("effect", no_wrap=True)
    findings.add_column("detail", overflow="fold")
    for finding in study.findings:
        findings.add_row(
            _t(MEASURES[finding.measure]),
            _t(EFFECTS[finding.effect], EFFECT_STYLES[finding.effect]),
            _t(finding.detail) if finding.detail else Text(""),
        )
    harms = Table.grid(padding=(0, 2))
    harms.add_column(style="bold", no_wrap=True)
    harms.add_column(overflow="fold")
    for event in study.adverse_events:
        harms.add_row(_t(event.event), _t(event.share or "share not reported"))
    harms.add_row("tolerability", _t(study.tolerability))

    sources: list[RenderableType] = []
    for seed in study.seeds:
        document = catalogue.document(seed)
        kind = DOCUMENT_KINDS.get(document.kind, document.kind) if document else "document not listed"
        head = Text(visible(seed), style="bold")
        head.append(f"  {kind}", style="dim")
        if document and document.title:
            head.append("  ")
            head.append(visible(document.title), style="italic")
        sources.append(head)
        for source in study.sources:
            if source.seed == seed:
                sources.append(Text("  “") + _t(source.quote) + Text("”"))
        sources.append(Text(""))
    parts: list[RenderableType] = [Text("As the articles report it", style="bold"), facts, Text("")]
    parts.append(findings if study.findings else Text("Findings: " + NOT_REPORTED, style="dim"))
    parts += [Text("Harms", style="bold"), harms, Text("")]
    parts += [Text("Notes", style="bold"), _t(study.notes), Text("")]
    parts += [Text("Sources", style="bold"), *sources]
    if catalogue.publications:
        parts += published_parts(study, catalogue)
    from rich.panel import Panel  # only `show` draws a panel

    return Panel(Group(*parts), title=_t(study.title, "bold"), title_align="left", box=box.ROUNDED)


def _group_table(by: str, groups: dict[str, Any]) -> Table:
    table = Table(box=box.SIMPLE_HEAD, header_style="bold", title=f"By {by}", title_justify="left")
    table.add_column(by, no_wrap=True)
    if by == "design":
        table.add_column("level", justify="right")
    table.add_column("studies", justify="right")
    table.add_column("participants", justify="right")
    table.add_column("n not reported", justify="right")
    table.add_column("effects: studies (participants)", overflow="fold")
    for key, group in groups.items():
        participants = str(group["participants"]) if group["n_unknown"] < group["count"] else "–"
        cells = [Text(_BY_LABEL[by](key))]
        if by == "design":
            level = DESIGNS[key][0]
            cells.append(Text(str(level) if level is not None else "none"))
        cells += [
            Text(str(group["count"])),
            Text(participants),
            Text(str(group["n_unknown"])),
            _effects_text(group["effects"]),
        ]
        table.add_row(*cells)
    return table


_BY_LABEL: dict[str, Callable[[str], str]] = {
    "design": lambda key: key,
    "condition": lambda key: CONDITIONS[key][0],
    "level": lambda key: "no level (design not stated)" if key == "none" else f"level {key}",
    "measure": lambda key: MEASURES[key],
}


def _days(days: float) -> str:
    return f"{days:g} days"


def plural(count: int, word: str) -> str:
    """'1 study', '2 studies', '1 participant', '3 participants'."""
    if count == 1:
        return f"{count} {word}"
    return f"{count} {word[:-1]}ies" if word.endswith("y") else f"{count} {word}s"


def summary_view(summary: dict[str, Any], by: str, studies: Sequence[Facts]) -> RenderableType:
    """The summary of findings: counts, effects per group, durations, doses, map and chart."""
    parts: list[RenderableType] = []
    head = Text()
    head.append(plural(summary["count"], "study"), style="bold")
    head.append(f", {summary['participants']} participants where n is reported")
    head.append(f"; n not reported for {summary['n_unknown']}")
    parts.append(head)
    clinical, preclinical = summary["clinical"], summary["preclinical"]
    people = (
        f"People: {plural(clinical['count'], 'study')}, {plural(clinical['participants'], 'participant')} "
        f"(n not reported for {clinical['n_unknown']}). "
        f"Preclinical (animal, cell, hypothesis): {plural(preclinical['count'], 'study')}."
    )
    parts.append(Text(people))
    effects = Text("Overall effect: ")
    effects.append_text(_effects_text(summary["by_effect"]))
    parts += [effects, Text("")]

    parts += [_group_table(by, summary[f"by_{by}"]), Text("")]
    durations, doses = summary["duration_days"], summary["dose_mg"]
    if durations["count"]:
        span = f"{_days(durations['min'])} to {_days(durations['max'])}, median {_days(durations['median'])}"
        parts.append(Text(f"Durations ({plural(durations['count'], 'study')} state one): {span}."))
    else:
        parts.append(Text("Durations: not reported.", style="dim"))
    if doses["count"]:
        stated = ", ".join(visible(d) for d in doses["stated"])
        low, high = doses["min"], doses["max"]
        span = f"{low:g}" if low == high else f"{low:g} to {high:g}"
        parts.append(Text(f"Doses stated ({plural(doses['count'], 'study')}): {stated}; {span} mg a day."))
    else:
        parts.append(Text("Doses: not reported.", style="dim"))
    parts += [Text(""), evidence_map(summary["evidence_map"]), Text(""), bar_chart(studies), Text("")]
    parts.append(Text(NOT_MEDICAL_ADVICE, style="italic"))
    return Group(*parts)


def evidence_map(grid: dict[str, dict[str, Any]]) -> Table:
    """Conditions down, designs across: studies (participants) in each cell."""
    designs = [d for d in DESIGNS if any(d in row for row in grid.values())]
    table = Table(
        box=box.SIMPLE_HEAD,
        header_style="bold",
        title="Evidence map",
        caption="studies (participants)",
        title_justify="left",
    )
    table.add_column("condition", no_wrap=True)
    for design in designs:
        level = DESIGNS[design][0]
        table.add_column(f"{_two_lines(design)}\nL{level if level is not None else '-'}", justify="center")
    for condition, row in grid.items():
        cells = []
        for design in designs:
            if design in row:
                cell = row[design]
                cells.append(
                    Text(
                        f"{cell['count']} ({cell['participants']})" if cell["participants"] else f"{cell['count']} (–)"
                    )
                )
            else:
                cells.append(Text("·", style="dim"))
        table.add_row(Text(condition), *cells)
    return table


def _two_lines(key: str) -> str:
    """A long design key broken after its hyphen, so map columns stay narrow."""
    if len(key) <= 7:
        return key + "\n"
    head, _, tail = key.partition("-")
    if tail:
        return f"{head}-\n{tail}"
    return f"{key[: len(key) // 2]}-\n{key[len(key) // 2 :]}"


def bar_chart(studies: Sequence[Facts]) -> RenderableType:
    """Participants per study, coloured by effect, strongest evidence first."""
    known = [s for s in studies if s.n is not None]
    table = Table(
        box=None,
        title="Participants per study (strongest evidence first)",
        title_justify="left",
        show_header=False,
        padding=(0, 1),
    )
    table.add_column(no_wrap=True)
    table.add_column(justify="right", no_wrap=True)
    table.add_column(no_wrap=True)
    largest = max((s.n or 0 for s in known), default=0)
    for study in known:
        n = study.n or 0
        length = max(1, round(BAR_WIDTH * n / largest)) if largest else 1
        style = EFFECT_STYLES.get(study.effect or "none", "")
        bar = Text("█" * length, style=style)
        bar.append(f" {n}  {EFFECTS.get(study.effect or '', 'no effect stated')}", style=style)
        level = study.evidence_level
        table.add_row(_t(study.id), Text(f"L{level}" if level is not None else "L-", style="dim"), bar)
    unknown = [s.id for s in studies if s.n is None]
    legend = Text("Colour: ")
    for i, key in enumerate(EFFECTS):
        legend.append("" if i == 0 else ", ")
        legend.append(EFFECTS[key], style=EFFECT_STYLES[key])
    parts: list[RenderableType] = [table, legend]
    if unknown:
        parts.append(Text("n not reported: " + ", ".join(visible(i) for i in unknown), style="dim"))
    return Group(*parts)


def safety_view(report: dict[str, Any]) -> RenderableType:
    """Harms as the documents report them, and the general cautions with their quotes."""
    parts: list[RenderableType] = [Text(f"Harms reported across {report['count']} studies", style="bold")]
    if report["adverse_events"]:
        table = Table(box=box.SIMPLE_HEAD, header_style="bold")
        table.add_column("adverse event", overflow="fold")
        table.add_column("studies", justify="right")
        table.add_column("reported in (share of patients)", overflow="fold")
        for event in report["adverse_events"]:
            where = ", ".join(
                f"{visible(s['id'])} ({visible(s['share']) if s['share'] else 'share not reported'})"
                for s in event["studies"]
            )
            table.add_row(_t(event["event"]), str(len(event["studies"])), Text(where))
        parts.append(table)
    else:
        parts.append(Text("No adverse events are reported for these studies.", style="dim"))
    if report["tolerability"]:
        parts.append(Text("What the studies say about tolerability", style="bold"))
        grid = Table.grid(padding=(0, 2))
        grid.add_column(no_wrap=True)
        grid.add_column(overflow="fold")
        for entry in report["tolerability"]:
            grid.add_row(_t(entry["id"]), _t(entry["statement"]))
        parts += [grid, Text("")]
    if report["no_harms_reported"]:
        parts.append(
            Text(
                f"No harms or tolerability reported ({len(report['no_harms_reported'])} studies): "
                + ", ".join(visible(i) for i in report["no_harms_reported"]),
                style="dim",
            )
        )
        parts.append(Text(""))
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


def documents_table(entries: Iterable[dict[str, Any]]) -> Table:
    """The source documents and how many studies each describes."""
    table = Table(box=box.SIMPLE_HEAD, header_style="bold")
    for column in ("seed", "title", "publisher", "author", "date", "kind", "studies"):
        table.add_column(
            column,
            overflow="fold",
            justify="right" if column == "studies" else "left",
            no_wrap=column in ("seed", "date"),
        )
    for entry in entries:
        cells = [
            entry["seed"],
            entry["title"],
            entry["publisher"],
            entry["author"],
            entry["date"],
            DOCUMENT_KINDS.get(entry["kind"] or "", entry["kind"]),
        ]
        table.add_row(*(_t(c) if c is not None else Text("–", style="dim") for c in cells), str(len(entry["studies"])))
    table.caption = "– not stated in the document"
    table.caption_justify = "left"
    return table


def document_view(entry: dict[str, Any], studies: Sequence[Study], note: str | None = None) -> RenderableType:
    """One document and the studies it describes (and, if given, a line of note under the document)."""
    return Group(
        documents_table([entry]),
        *([Text(note)] if note else []),
        Text(f"Studies it describes ({len(studies)}):", style="bold"),
        studies_table(studies),
    )


def spinner(message: str) -> Any:
    """A spinner on stderr (a rich Status) for a load that takes a while."""
    return Console(stderr=True).status(Text(message), spinner="dots")


def save(renderable: RenderableType, path: Any, kind: str) -> None:
    """Save a view as an SVG picture or an HTML page, drawn 110 columns wide."""
    with open(os.devnull, "w") as sink:
        recorder = console(file=sink, record=True, width=110)
        recorder.print(renderable)
    if kind == "svg":
        recorder.save_svg(str(path), title="ldn summary")
    else:
        recorder.save_html(str(path))


# --- the published layer ------------------------------------------------------------------------------


def published_parts(study: Study, catalogue: Catalogue) -> list[RenderableType]:
    """The "Published as" and "Where the articles differ from the paper" sections of `ldn show`."""
    from .discrepancies import of_study
    from .model import FACT_FIELDS, PAGE_KINDS
    from .publications import citation, links

    parts: list[RenderableType] = [Text("Published as", style="bold")]
    publications = catalogue.publications_of(study.id)
    if not publications:
        parts.append(Text("No publication is catalogued for this study.", style="dim"))
    for publication in publications:
        parts.append(_t(citation(publication), "italic"))
        ids = Table.grid(padding=(0, 2))
        ids.add_column(no_wrap=True)
        ids.add_column(overflow="fold")
        for label, url in links(publication):
            ids.add_row(_t(label), _t(url))
        if publication.not_seen:
            ids.add_row(Text("not seen", style="dim"), _t(", ".join(publication.not_seen), "dim"))
        if publication.notes:
            ids.add_row(Text("note", style="dim"), _t(publication.notes))
        parts += [ids, Text("")]
        facts = Table.grid(padding=(0, 2))
        facts.add_column(style="bold", overflow="fold", max_width=16)
        facts.add_column(overflow="fold")
        for fact in publication.facts:
            cell = Text(visible(fact.text))
            cell.append("\n“")
            cell.append(visible(fact.excerpt), style="dim")
            cell.append("”\n")
            cell.append(f"{PAGE_KINDS[fact.page_kind]}: ", style="dim")
            cell.append(visible(fact.page), style="dim")
            facts.add_row(Text(FACT_FIELDS[fact.field]), cell)
        parts += [Text("As published", style="bold"), facts, Text("")]
    found = of_study(catalogue, study)
    parts.append(Text(f"Where the articles differ from the paper ({len(found)})", style="bold"))
    if not found:
        parts.append(Text("None catalogued.", style="dim"))
    for discrepancy in found:
        parts += [discrepancy_block(discrepancy), Text("")]
    return parts


def discrepancy_block(found: Any) -> RenderableType:
    """One discrepancy: its kind and document, the sentence that says what differs, then both quotes."""
    from .model import PAGE_KINDS

    head = Text(found.kind, style="bold")
    head.append(" (computed)" if found.computed else "", style="dim")
    head.append(f"  {visible(found.seed)}", style="dim")
    body = Table.grid(padding=(0, 1))
    body.add_column(no_wrap=True, style="dim")
    body.add_column(overflow="fold")
    body.add_row("", _t(found.explanation))
    body.add_row("article", Text("“") + _t(found.article_says) + Text("”"))
    paper = Text("“") + _t(found.published_says) + Text("”\n")
    paper.append(f"{PAGE_KINDS[found.page_kind]}: {visible(found.page)}", style="dim")
    body.add_row("paper", paper)
    return Group(head, body)


#: The columns of `ldn discrepancies` as a table: (key, header, may wrap). The quotes sit under the difference.
DISCREPANCY_COLUMNS: tuple[tuple[str, str, bool], ...] = (
    ("study", "study", True),
    ("kind", "kind", False),
    ("seed", "doc", False),
    ("difference", "what differs, what the article says, what the paper says", True),
)


def discrepancies_table(records: Sequence[dict[str, Any]]) -> Table:
    """The table of `ldn discrepancies`: one row per discrepancy, both quotes and the page under its sentence."""
    from .model import PAGE_KINDS

    table = Table(box=box.SIMPLE_HEAD, header_style="bold", show_lines=True)
    for key, header, wraps in DISCREPANCY_COLUMNS:
        table.add_column(header, overflow="fold", no_wrap=not wraps, ratio=4 if key == "difference" else None)
    for record in records:
        difference = _t(record["explanation"])
        difference.append("\narticle: “", style="dim")
        difference.append(visible(record["article_says"]))
        difference.append("”\npaper: “", style="dim")
        difference.append(visible(record["published_says"]))
        difference.append("”\n")
        difference.append(f"{PAGE_KINDS[record['page_kind']]}: {visible(record['source_url'])}", style="dim")
        kind = Text(record["kind"])
        if record["computed"]:
            kind.append("\ncomputed", style="dim")
        cells = {"study": _t(record["study"]), "kind": kind, "seed": _t(record["seed"].split("_")[0]),
                 "difference": difference}  # fmt: skip
        table.add_row(*(cells[key] for key, _, _ in DISCREPANCY_COLUMNS))
    table.caption = "doc: the document's number (ldn sources NUMBER); computed: found by comparing values"
    table.caption_justify = "left"
    return table


def picture(renderable: RenderableType, kind: str) -> str:
    """A view as the text of an SVG picture or an HTML page, drawn 110 columns wide."""
    with open(os.devnull, "w") as sink:
        recorder = console(file=sink, record=True, width=110)
        recorder.print(renderable)
    if kind == "svg":
        return recorder.export_svg(title="ldn summary")
    return recorder.export_html()
