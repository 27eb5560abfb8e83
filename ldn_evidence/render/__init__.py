"""Terminal views drawn with rich. The only module that imports rich.

Catalogue text always enters rich as `Text` (never as markup) after control
characters have been made visible, so nothing from a data file can style,
link, move the cursor or retitle the terminal.

The views of results: each draws what a command assembled (see `results`), never
asking the library while it draws. Tables are declared with `layout.Column` and
`layout.Sheet` and fitted to the width by `layout.lay_out`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Collection, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.table import Table
from rich.text import Text

from ldn_evidence.formats import (
    LIST_COLUMNS,
    MENTION_WORDS,
    NOT_REPORTED,
    dose_words,
    drawing_width,
    duration_words,
    list_row,
)
from ldn_evidence.model import (
    CAUTION_TOPICS,
    CONDITIONS,
    DESIGNS,
    DOCUMENT_KINDS,
    DURATION_KINDS,
    EFFECTS,
    HARM_EVENTS,
    MEASURES,
    Catalogue,
    Facts,
    Study,
    level_label,
)
from ldn_evidence.text import COMMERCIAL_MARK, COMMERCIAL_ONLY, NOT_MEDICAL_ADVICE, PUBLISHED_MARK, plural, visible

from .layout import STACK_BELOW, Column, Sheet, console

if TYPE_CHECKING:
    from ldn_evidence.results import ShowResult

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


def _t(value: object, style: str = "") -> Text:
    """Catalogue text as a rich Text, control characters made visible."""
    if value is None:
        return Text(NOT_REPORTED, style="dim")
    return Text(visible(str(value)), style=style)


def hyperlinks(console: Console) -> bool:
    """Whether addresses are drawn as short labels that are links (OSC 8): on a terminal with escape codes."""
    return console.is_terminal and console.color_system is not None and not console.legacy_windows


def _host(url: str) -> str:
    """The site of an address, as a short label ("pubmed.ncbi.nlm.nih.gov")."""
    from urllib.parse import urlsplit

    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")


class Address:
    """A web address a person can use.

    On a terminal that draws escape codes it is a short label that is a hyperlink
    (OSC 8); elsewhere (a pipe, NO_COLOR, TERM=dumb) the whole address on a line of its
    own, never broken, whatever the width (the view is drawn without cropping).
    Addresses that are not http(s) are shown as text.
    """

    def __init__(self, url: str, label: str | None = None, lead: str = "", style: str = "dim") -> None:
        self.url = url
        self.label = label
        self.lead = lead
        self.style = style

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich.style import Style

        address = visible(self.url)
        linkable = address.startswith(("https://", "http://")) and address == self.url
        if linkable and hyperlinks(console):
            line = Text(self.lead, style=self.style)
            label = self.label or _host(address)
            line.append(visible(label), style=Style(link=address, underline=True))
            yield line
            return
        if self.label:
            yield Text(self.lead + visible(self.label), style=self.style)
        elif self.lead.strip():
            yield Text(self.lead.rstrip(), style=self.style)
        yield Text(address, no_wrap=True, overflow="ignore", style=self.style)


# --- the views ------------------------------------------------------------------------------------

#: `ldn list`'s columns: key cells (the effect too) whole; dose may wrap; year goes first when short of room.
STUDY_COLUMNS = {
    "id": Column("id"),
    "year": Column("year", justify="right", drop=1),
    "condition": Column("condition", drop=5),
    "design": Column("design"),
    "level": Column("level", justify="right", drop=4),
    "n": Column("n", justify="right"),
    "duration": Column("duration", drop=3),
    "dose": Column("dose", wrap=True, drop=2),
    "effect": Column("effect"),
}


def studies_table(
    studies: Sequence[Facts],
    marked: Collection[str] = (),
    n_of: Callable[[Study], str | None] | None = None,
    wide: bool = False,
    catalogue: Catalogue | None = None,
) -> Sheet:
    """The table of `ldn list`; ids in `marked` get a mark (their articles differ from the paper).

    With the catalogue, records resting only on a commercial source get their own mark.
    """
    commercial = catalogue.commercial_seeds() if catalogue is not None else frozenset()
    legend = ["– not reported"]  # one entry a line, so no entry's mark is parted from its meaning
    if marked:
        legend.append(f"{DIFFERS_MARK} the articles differ from the paper (ldn discrepancies)")
    if any(not s.retold for s in studies):
        legend.append(f"{PUBLISHED_MARK} as published: a study no article retells (ldn show ID)")
    if catalogue is not None and any(catalogue.commercial_only(s, commercial) for s in studies):
        legend.append(f"{COMMERCIAL_MARK} rests {COMMERCIAL_ONLY}")
    caption = "\n".join(legend)
    sheet = Sheet(
        [STUDY_COLUMNS[column] for column in LIST_COLUMNS],
        caption=caption,
        wide=wide,
        hint="--wide, a wider window or --format tsv shows them",
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
            if column == "id" and catalogue is not None and catalogue.commercial_only(study, commercial):
                cell.append(f" {COMMERCIAL_MARK}")
            cells.append(cell)
        sheet.add_row(*cells)
    return sheet


def lead_parts(result: ShowResult) -> list[RenderableType]:
    """What the paper says, first: each value, ≠ beside the article's value where they differ, and why."""
    if not result.lead:
        return []
    study = result.study
    head = "What the paper says" + (", beside the articles" if study.retold else "")
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    for row in result.lead:
        cell = _t(row.published) if row.published is not None else Text("")
        if row.differs:
            if row.published is not None:
                cell.append("  ")
            cell.append(f"{DIFFERS_MARK} articles", style="bold")
            cell.append(f": {visible(row.articles)}" if row.articles is not None else "")
            if row.why:
                cell.append("\n")
                cell.append(visible(row.why), style="dim")
        elif row.articles is not None:
            cell.append(f"  (articles: {visible(row.articles)})", style="dim")
        grid.add_row(row.label, cell)
    return [Text(head, style="bold"), grid, Text("")]


def _registration_line(record: dict[str, Any]) -> Text:
    from ldn_evidence.model import REGISTRY_STATUSES, RESULTS

    line = Text("Registered: ", style="bold")
    bits = [", ".join(visible(r) for r in record["registry"]) or "registry id not seen"]
    bits.append(REGISTRY_STATUSES.get(record["status"], "status not seen") if record["status"] else "status not seen")
    if record["planned"] is not None:
        bits.append(f"{record['planned']} planned")
    if record["start"]:
        bits.append(f"started {visible(str(record['start']))}")
    if record["completion"]:
        bits.append(f"completion {visible(str(record['completion']))}")
    if record["results"]:
        bits.append(RESULTS[record["results"]])
    else:
        bits.append("results stated on a page seen" if record["has_results"] else "no results seen")
    line.append("; ".join(bits))
    if record["flag"]:
        line.append(f"\n{record['flag']}: a reporting-bias signal", style="bold")
    return line


def study_view(result: ShowResult) -> RenderableType:
    """One study: what the paper says first (≠ where the articles differ), the articles' account, then its papers.

    A study no article retells says so, and shows only its papers: its articles' layer is empty.
    """
    study = result.study
    level = study.evidence_level
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold", no_wrap=True)
    facts.add_column(overflow="fold")
    evidence = Text(f"{level_label(level)} — {DESIGNS[study.design][1]} ({study.design})")
    parts: list[RenderableType] = [_t(study.title, "bold"), Text("")]
    head: list[tuple[str, RenderableType]] = [
        ("id", _t(study.id)),
        ("evidence", evidence),
        ("condition", _t(f"{CONDITIONS[study.condition][0]} ({study.condition})")),
    ]
    if not study.retold:
        searched = f" of {result.searched}" if result.searched else ""
        for label, cell in head:
            facts.add_row(label, cell)
        facts.add_row("told by", Text(f"not retold by any article: found by the search{searched}", style="bold"))
        parts += [facts, Text("")]
        if result.registration:
            parts += [_registration_line(result.registration), Text("")]
        parts += lead_parts(result)
        if study.notes:
            parts += [Text("Notes", style="bold"), _t(study.notes), Text("")]
        if result.published:
            parts += published_parts(result)
        return Group(*parts)
    rows: list[tuple[str, RenderableType]] = [
        *head,
        ("population", _t(study.population)),
        *([("mention", _t(MENTION_WORDS))] if study.mention else []),
        ("told by", _t(result.told_by)),
        ("n", _t(study.n)),
        ("duration", _t(duration_words(study.duration) if study.duration else None)),
        ("dose", _t(dose_words(study.dose) if study.dose else None)),
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

    findings = Sheet([Column("measure"), Column("effect"), Column("detail", wrap=True, min_width=20)], title="Findings")
    for finding in study.findings:
        findings.add_row(
            _t(MEASURES[finding.measure]),
            _t(EFFECTS[finding.effect], EFFECT_STYLES[finding.effect]),
            _t(finding.detail) if finding.detail else Text(""),
        )
    harms = Sheet([Column(""), Column("", wrap=True)], show_header=False, stack_below=0)
    for event in study.adverse_events:
        harms.add_row(_t(event.event), _t(event.share or "share not reported"))
    harms.add_row(Text("tolerability"), _t(study.tolerability))

    sources: list[RenderableType] = []
    for document in result.documents:
        seed = document.seed
        if sources:
            sources.append(Text(""))
        line = Text(visible(seed), style="bold")
        line.append(f"  {document.kind}", style="dim")
        if document.title:
            line.append("  ")
            line.append(visible(document.title), style="italic")
        sources.append(line)
        for source in study.sources:
            if source.seed == seed:
                sources.append(Text("  “") + _t(source.quote) + Text("”"))
    parts += lead_parts(result)
    if result.registration:
        parts += [_registration_line(result.registration), Text("")]
    parts += [Text("As the articles report it", style="bold"), facts, Text("")]
    parts.append(findings if study.findings else Text("Findings: " + NOT_REPORTED, style="dim"))
    parts += [Text(""), Text("Harms", style="bold"), harms, Text("")]
    parts += [Text("Notes", style="bold"), _t(study.notes), Text("")]
    parts += [Text("Sources", style="bold"), *sources]
    if result.published:
        parts += [Text(""), *published_parts(result)]
    return Group(*parts)


def _group_table(by: str, groups: dict[str, Any], wide: bool = False) -> Sheet:
    columns = [Column(by, wrap=by != "design")]
    if by == "design":
        columns.append(Column("level", justify="right", drop=2))
    # A stratum without people (the summary's: it spans designs or conditions) has no participants column.
    people = all("participants" in group for group in groups.values())
    columns += [
        Column("studies", justify="right"),
        *([Column("participants", justify="right")] if people else []),
        Column("n not\nreported", justify="right", drop=1, name="n not reported"),
    ]
    sheet = Sheet(columns, title=f"By {by}", wide=wide)
    for key, group in groups.items():
        cells = [Text(_BY_LABEL[by](key))]
        if by == "design":
            level = DESIGNS[key][0]
            cells.append(Text(str(level) if level is not None else "none"))
        cells.append(Text(str(group["count"])))
        if people:
            cells.append(Text(str(group["participants"]) if group["n_unknown"] < group["count"] else "–"))
        cells.append(Text(str(group["n_unknown"])))
        sheet.add_row(*cells)
    return sheet


_BY_LABEL: dict[str, Callable[[str], str]] = {
    "design": lambda key: key,
    "condition": lambda key: CONDITIONS[key][0],
    "level": lambda key: level_label(None if key == "none" else int(key)),
    "measure": lambda key: MEASURES[key],
}


def _days(days: float) -> str:
    """Whole days: a month is 30.44 days, so a fraction of a day would be false precision."""
    return f"{int(days + 0.5)} days"


#: The Summary of Findings table: one row per outcome. Nothing goes; prose wraps.
SOF_COLUMNS = (
    Column("outcome", wrap=True, min_width=10),
    # Stacked, the studies take the whole width under the outcome, so the longest id stays whole.
    Column("studies: design · people · finding", wrap=True, min_width=24, name=" "),
    Column("people", justify="right"),
    Column("certainty", name="GRADE"),  # a short name, so a stacked row leaves room for the longest id
)

#: GRADE's marks for each certainty, weakest first.
_CERTAINTY_MARKS = ("⊕◯◯◯", "⊕⊕◯◯", "⊕⊕⊕◯", "⊕⊕⊕⊕")
_CERTAINTY_WORDS = ("very low", "low", "moderate", "high")


def _findings(outcome: dict[str, Any], facts: dict[str, Facts]) -> list[dict[str, Any]]:
    """Each study of an outcome: id, design, people (counted one way, with which count), finding, marks."""
    out = []
    people = outcome.get("people", {})
    marks = outcome.get("marks", {})
    for ident, effect in outcome["found"].items():
        study = facts[ident]
        count = people.get(ident)
        published = ident in outcome["enrolled"]
        number = count["number"] if count else (outcome["enrolled"][ident] if published else study.n)
        kind = count["basis"].replace(" (as published)", "") if count and "published" in count["basis"] else ""
        if not count and published:
            kind = "enrolled"
        out.append(
            {"id": ident, "design": study.design, "participants": number, "published": bool(kind), "kind": kind,
             "effect": effect, "marks": marks.get(ident, "")}
        )  # fmt: skip
    return out


def _finding_line(finding: dict[str, Any], sep: str = ": ") -> Text:
    """ "ucsf-cree-rct ≠: rct · 80 enrolled · mixed": a study's part in an outcome (the count's kind: as published)."""
    people = "n not reported" if finding["participants"] is None else str(finding["participants"])
    if finding["published"]:
        people += f" {finding.get('kind') or 'enrolled'}"
    marks = f" {finding['marks']}" if finding.get("marks") else ""
    line = Text(f"{visible(finding['id'])}{marks}{sep}{finding['design']} · {people} · ")
    line.append(EFFECTS.get(finding["effect"], finding["effect"]), style=EFFECT_STYLES.get(finding["effect"], ""))
    return line


def _people(findings: Sequence[dict[str, Any]]) -> str:
    if all(f["participants"] is None for f in findings):
        return "–"
    return str(sum(f["participants"] or 0 for f in findings))


def sof_table(outcomes: Sequence[dict[str, Any]], facts: dict[str, Facts], wide: bool = False) -> Sheet:
    """The Summary of Findings: per outcome, the rated studies, their people and the certainty."""
    title = "Summary of findings: as published where a paper states it, else as the articles report it"
    sheet = Sheet(SOF_COLUMNS, title=title, wide=wide)
    for outcome in outcomes:
        findings = _findings(outcome, facts)
        chosen = set(outcome["rated"])
        rated = [f for f in findings if f["id"] in chosen]
        beside = [f for f in findings if f["id"] not in chosen]
        studies = Text("\n").join(_finding_line(f, "\n  ") for f in rated)
        # The rated people, each counted once (a review beside another that pools the same trials is not).
        people = _people(rated) if "rated_participants" not in outcome or not outcome["rated_participants"] else (
            str(outcome["rated_participants"]))  # fmt: skip
        if beside:
            studies.append("\nbeside, not rated:", style="dim")
            studies.append_text(Text("\n").join(Text("\n") + _finding_line(f, "\n  ") for f in beside))
            # People beside are summed within one design only, never across designs.
            by_design = outcome.get("participants_beside") or {}
            people += "".join(
                f"\n+{cell['participants'] if cell['participants'] or not cell['n_unknown'] else '–'} beside ({design})"
                for design, cell in by_design.items()
            ) if isinstance(by_design, dict) and by_design else f"\n+{_people(beside)} beside"  # fmt: skip
        if outcome.get("overlap"):
            people += "\nmay overlap"
        certainty = outcome["certainty"]
        mark = _CERTAINTY_MARKS[_CERTAINTY_WORDS.index(certainty)]
        sheet.add_row(
            Text(_outcome_label(outcome)),
            studies,
            Text(people),
            Text(f"{mark}\n{certainty}"),
        )
    return sheet


def _outcome_label(outcome: dict[str, Any]) -> str:
    """ "pain (ms)", or a harm's event: "serious adverse events (ms)"."""
    event = outcome.get("event")
    what = HARM_EVENTS.get(event, event) if event else MEASURES[outcome["measure"]]
    return f"{what} ({outcome['condition']})"


def _sof_key(outcomes: Sequence[dict[str, Any]]) -> str:
    """The line under the Summary of Findings that says what its marks and its "beside" mean."""
    marks = f"{_CERTAINTY_MARKS[0]} {_CERTAINTY_WORDS[0]} to {_CERTAINTY_MARKS[-1]} {_CERTAINTY_WORDS[-1]}"
    if any(set(outcome["found"]) - set(outcome["rated"]) for outcome in outcomes):
        return f"{marks}; beside: weaker studies, not counted in the rating."
    return f"{marks}."


def _outcome_reasons(outcome: dict[str, Any], facts: dict[str, Facts]) -> RenderableType:
    """One outcome's certainty in words: the statement, each step down and why, what is beside it."""
    head = Text(f"{_outcome_label(outcome)}: ", style="bold")
    head.append(f"{outcome['certainty']} certainty, starting from {outcome['start']}")
    # Below 80 columns each reason is a heading with its text at the whole width, so no study id is broken.
    grid = Sheet([Column(""), Column("", wrap=True)], show_header=False, stack_below=80)
    grid.add_row(Text("in words", style="dim"), _t(outcome["statement"]))
    for reason in outcome["reasons"]:
        steps = "−1" if reason["steps"] == 1 else f"−{reason['steps']}"
        grid.add_row(Text(f"{steps} {reason['domain'].replace('-', ' ')}", style="dim"), _t(reason["text"]))
    for pair in outcome.get("overlap", ()):
        grid.add_row(
            Text("may overlap", style="dim"),
            _t(
                f"the record of {pair['study']} names {pair['same_people_as']} in who was studied: its people may be "
                f"the same, so {outcome['participants']} people may be {outcome['participants_if_same']}"
            ),
        )
    if outcome.get("kept"):
        grid.add_row(Text("counted", style="dim"), _t(outcome["kept"]))
    if not any(r["domain"] == "publication-bias" for r in outcome["reasons"]):
        grid.add_row(Text("publication bias", style="dim"), _t(outcome["publication_bias"]))
    beside = [f for f in _findings(outcome, facts) if f["id"] not in outcome["rated"]]
    if beside:
        grid.add_row(Text("not rated", style="dim"), Text("; ").join(_finding_line(f) for f in beside))
    return Group(head, grid)


def _ids_line(label: str, ids: Sequence[str]) -> Text:
    line = Text(f"{label} ({len(ids)}): ", style="bold")
    line.append(", ".join(visible(i) for i in ids) if ids else "none")
    return line


def summary_view(summary: dict[str, Any], by: str, studies: Sequence[Facts], wide: bool = False) -> RenderableType:
    """The summary: findings per outcome with their certainty, what is apart, then counts, units, map and chart."""
    if not summary["count"] and not summary["mentions"]["count"]:
        return Group(
            Text("Nothing to summarise: no studies match these filters."),
            Text(""),
            Text(NOT_MEDICAL_ADVICE, style="italic"),
        )
    parts: list[RenderableType] = []
    outcomes = summary["outcomes"]
    facts = {study.id: study for study in studies}
    if outcomes:
        parts.append(sof_table(outcomes, facts, wide))
        parts.append(Text(_sof_key(outcomes), style="dim"))
        parts.append(
            Text(
                "people: each rated study counted once, analysed where a page of the paper states it, else "
                "randomized, else enrolled (the count names which), else as the articles give them. Findings are "
                "the papers' where a page states one, else the articles'. Risk of bias is judged by domain on "
                f"the papers' sentences, else on the articles; each reason says which. {COMMERCIAL_MARK} rests only "
                "on a commercial source; ≠ the articles differ from the paper (`ldn discrepancies`). Certainty "
                "(GRADE): high, moderate, low or very low; publication bias assessed on each row.",
                style="dim",
            )
        )
        parts.append(Text(""))
        parts.append(Text("Why each certainty", style="bold"))
        for outcome in outcomes:
            parts.append(_outcome_reasons(outcome, facts))
    else:
        parts.append(Text("No outcome has an evidence body: no study of people with a stated design reports one."))
    for item in summary.get("contradicted", ()):
        parts.append(
            _t(f"Not rated: {MEASURES[item['measure']]} ({item['condition']}) in {item['study']}, as the articles "
               f"report it; the paper contradicts it: {item['why']}")
        )  # fmt: skip
    parts.append(Text(""))
    apart = summary["not_rated"]
    parts.append(Text("Listed apart: never rated, never counted as studies with effects", style="bold"))
    parts.append(_ids_line("Preclinical work (animal, cell, hypothesis)", apart["preclinical"]))
    parts.append(_ids_line("Passing mentions, with no design, size or data", apart["mentions"]))
    parts.append(_ids_line("Studies of people whose design is not stated", apart["design_not_stated"]))
    commercial = summary["commercial_only"]
    parts.append(
        Text(
            f"Who is telling it: {commercial['count']} of {commercial['of']} records "
            f"{'rests' if commercial['count'] == 1 else 'rest'} {COMMERCIAL_ONLY} "
            f"({COMMERCIAL_MARK} in `ldn list`)."
        )
    )
    parts.append(Text(""))

    head = Text()
    head.append(plural(summary["count"], "study"), style="bold")
    # People are never summed across designs or conditions: they are in the rated rows and the evidence map.
    if "participants" in summary:
        head.append(f" (mentions apart), {summary['participants']} participants where n is reported")
    else:
        head.append(" (mentions apart)")
    head.append(f"; n not reported for {summary['n_unknown']}")
    parts.append(head)
    clinical, preclinical = summary["clinical"], summary["preclinical"]
    summed = f", {plural(clinical['participants'], 'participant')}" if "participants" in clinical else ""
    people = (
        f"People: {plural(clinical['count'], 'study')}{summed} "
        f"(n not reported for {clinical['n_unknown']}). "
        f"Preclinical (animal, cell, hypothesis): {plural(preclinical['count'], 'study')}."
    )
    parts.append(Text(people))
    parts.append(
        Text(
            "The counts below are of studies per stratum, every design included (mentions apart); people are "
            "never summed across designs or conditions (they are in the rated rows above and in the evidence map) "
            "and no effects are counted: what the studies found is in the rated rows above.",
            style="dim",
        )
    )
    parts += [_group_table(by, summary[f"by_{by}"], wide), Text("")]
    parts += _duration_lines(summary["duration_days"])
    parts += _dose_lines(summary["dose_mg"])
    counted = [s for s in studies if not s.mention]
    parts += [Text(""), evidence_map(summary["evidence_map"], wide), Text(""), bar_chart(counted), Text("")]
    parts.append(Text(NOT_MEDICAL_ADVICE, style="italic"))
    return Group(*parts)


def _duration_lines(durations: dict[str, dict[str, Any]]) -> list[RenderableType]:
    """Durations per kind of time, never on one scale."""
    if not durations:
        return [Text("Durations: not reported.", style="dim")]
    lines: list[RenderableType] = [Text("Durations, by kind of time (never on one scale):")]
    for kind, spread in durations.items():
        low, high = spread["min"], spread["max"]
        span = _days(low) if low == high else f"{_days(low)} to {_days(high)}, median {_days(spread['median'])}"
        lines.append(Text(f"  {DURATION_KINDS[kind]} ({plural(spread['count'], 'study')}): {span}"))
    return lines


def _dose_lines(doses: dict[str, Any]) -> list[RenderableType]:
    """Doses as stated; an amount a day only where the schedule is stated."""
    if not doses["count"]:
        return [Text("Doses: not reported.", style="dim")]
    stated = ", ".join(visible(d) for d in doses["stated"])
    lines: list[RenderableType] = [Text(f"Doses stated ({plural(doses['count'], 'study')}): {stated}.")]
    for key, words in (
        ("per_day", "a day, where the schedule is stated"),
        ("per_dose_no_schedule", "a dose, how often not stated"),
    ):
        spread = doses[key]
        if spread["count"]:
            low, high = spread["min"], spread["max"]
            span = f"{low:g}" if low == high else f"{low:g} to {high:g}"
            lines.append(Text(f"  {span} mg {words} ({plural(spread['count'], 'study')})"))
    return lines


def evidence_map(grid: dict[str, dict[str, Any]], wide: bool = False) -> Sheet:
    """Conditions down, designs across: studies (participants) in each cell.

    No design column is ever left out (a map with holes would mislead): when they do not
    all fit, each condition is stacked with its designs.
    """
    designs = [d for d in DESIGNS if any(d in row for row in grid.values())]
    columns = [Column("condition")]
    for design in designs:
        level = DESIGNS[design][0]
        tag = f"L{level if level is not None else '-'}"
        columns.append(Column(f"{design}\n{tag}", justify="center", name=f"{design} {tag}"))
    sheet = Sheet(
        columns,
        title="Evidence map",
        caption="studies (participants); L2 is Level 2 of 5 (1 is strongest)",
        blank="·",
        wide=wide,
        inline=True,
    )
    for condition, row in grid.items():
        cells = []
        for design in designs:
            if design in row:
                cell = row[design]
                participants = cell["participants"] if cell["participants"] else "–"
                cells.append(Text(f"{cell['count']} ({participants})"))
            else:
                cells.append(Text("·", style="dim"))
        sheet.add_row(Text(condition), *cells)
    return sheet


class _Bars:
    """Participants per study as bars, as long as the width allows."""

    def __init__(self, studies: Sequence[Facts]) -> None:
        self.studies = [s for s in studies if s.n is not None]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        rows = []
        for study in self.studies:
            level = study.evidence_level
            style = EFFECT_STYLES.get(study.effect or "none", "")
            tail = f" {study.n}  {EFFECTS.get(study.effect or '', 'no effect stated')}"
            rows.append(
                (_t(study.id), Text(f"L{level}" if level is not None else "L-", style="dim"), study.n, tail, style)
            )
        largest = max((n or 0 for _, _, n, _, _ in rows), default=0)
        id_width = max((ident.cell_len for ident, *_ in rows), default=0)
        tail_width = max((len(tail) for *_, tail, _ in rows), default=0)
        # id, level and bar columns, each padded by one space on both sides.
        room = min(BAR_WIDTH, options.max_width - id_width - 2 - tail_width - 6)
        yield Text("Participants per study (strongest evidence first; L1 strongest, L5 weakest)", style="bold")
        if room >= 8:
            table = Table(box=None, show_header=False, padding=(0, 1))
            table.add_column(no_wrap=True)
            table.add_column(no_wrap=True)
            table.add_column(no_wrap=True)
            for ident, tag, n, tail, style in rows:
                table.add_row(ident, tag, Text(self._bar(n, largest, room) + tail, style=style))
            yield table
            return
        room = min(BAR_WIDTH, options.max_width - 2)
        for ident, tag, n, tail, style in rows:
            yield Text.assemble(ident, " ", tag, Text(tail, style=style))
            yield Text("  " + self._bar(n, largest, room), style=style)

    @staticmethod
    def _bar(n: int | None, largest: int, room: int) -> str:
        return "█" * (max(1, round(room * (n or 0) / largest)) if largest else 1)


class _Legend:
    """Which colour is which effect: only where colour is shown."""

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if console.color_system is None and not console.record:
            return
        legend = Text("Colour: ")
        for i, key in enumerate(EFFECTS):
            legend.append("" if i == 0 else ", ")
            legend.append(EFFECTS[key], style=EFFECT_STYLES[key])
        yield legend


def bar_chart(studies: Sequence[Facts]) -> RenderableType:
    """Participants per study, coloured by effect, strongest evidence first."""
    unknown = [s.id for s in studies if s.n is None]
    parts: list[RenderableType] = [_Bars(studies), _Legend()]
    if unknown:
        parts.append(Text("n not reported: " + ", ".join(visible(i) for i in unknown), style="dim"))
    return Group(*parts)


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


def spinner(message: str) -> Any:
    """A spinner on stderr (a rich Status) for a load that takes a while."""
    return Console(stderr=True, width=drawing_width(stream=sys.stderr)).status(Text(message), spinner="dots")


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


def published_parts(result: ShowResult) -> list[RenderableType]:
    """The "Published as" and "Where the articles differ from the paper" sections of `ldn show`."""
    from ldn_evidence.model import FACT_FIELDS, PAGE_KINDS

    parts: list[RenderableType] = [Text("Published as", style="bold")]
    if not result.papers:
        parts.append(Text("No publication is catalogued for this study.", style="dim"))
    for paper in result.papers:
        publication = paper.publication
        parts.append(_t(paper.citation, "italic"))
        for label, url in paper.links:
            parts.append(Address(url, label, lead="  ", style=""))
        ids = _label_grid()
        if publication.not_seen:
            ids.add_row(Text("not seen", style="dim"), _t(", ".join(publication.not_seen), "dim"))
        for part in publication.unverified:
            ids.add_row(Text("unverified", style="bold"), _t(part))
        if publication.notes:
            ids.add_row(Text("note", style="dim"), _t(publication.notes))
        parts += [ids, Text(""), Text("As published", style="bold")]
        # Each fact's page goes under it at the full width, so its address is never broken.
        from rich.padding import Padding

        for fact in publication.facts:
            said = Text(FACT_FIELDS[fact.field], style="bold")
            said.append(f": {visible(fact.text)}")
            excerpt = Text("“") + Text(visible(fact.excerpt), style="dim") + Text("”")
            page = Address(fact.page, lead=f"  {PAGE_KINDS[fact.page_kind]}: ")
            parts += [said, Padding(excerpt, (0, 0, 0, 2)), page]
        parts.append(Text(""))
    found = result.discrepancies
    parts.append(Text(f"Where the articles differ from the paper ({len(found)})", style="bold"))
    if not found:
        parts.append(Text("None catalogued.", style="dim"))
    for discrepancy in found:
        parts += [discrepancy_block(discrepancy), Text("")]
    return parts


def _label_grid() -> Sheet:
    """Labels and values without header or lines; a value too wide to sit beside its label goes under it."""
    return Sheet([Column(""), Column("", wrap=True)], show_header=False, stack_below=0)


def discrepancy_block(found: Any) -> RenderableType:
    """One discrepancy: its kind and document, the sentence that says what differs, then both quotes."""
    from ldn_evidence.model import PAGE_KINDS

    head = Text(found.kind, style="bold")
    head.append(" (computed)" if found.computed else "", style="dim")
    head.append(f"  {visible(found.seed)}", style="dim")
    body = _label_grid()
    body.add_row(Text(""), _t(found.explanation))
    body.add_row(Text("article", style="dim"), Text("“") + _t(found.article_says) + Text("”"))
    paper = Text("“") + _t(found.published_says) + Text("”")
    body.add_row(Text("paper", style="dim"), paper)
    return Group(head, body, Address(found.page, lead=f"  {PAGE_KINDS[found.page_kind]}: "))


#: The columns of `ldn discrepancies`: the quotes and the page sit under the sentence that says what differs.
DISCREPANCY_COLUMNS = (
    Column("study"),
    Column("kind"),
    Column("doc"),
    Column(
        "what differs, what the article says, what the paper says",
        wrap=True,
        min_width=30,
        name="difference",
        fold_longer_than=30,
    ),
)


def discrepancies_table(records: Sequence[dict[str, Any]], wide: bool = False) -> Sheet:
    """The table of `ldn discrepancies`: one row per discrepancy, both quotes and the page under its sentence."""
    from ldn_evidence.model import PAGE_KINDS

    sheet = Sheet(
        list(DISCREPANCY_COLUMNS),
        caption="doc: the document's number (ldn sources NUMBER); computed: found by comparing values",
        wide=wide,
    )
    for record in records:
        difference = _t(record["explanation"])
        difference.append("\narticle: “", style="dim")
        difference.append(visible(record["article_says"]))
        difference.append("”\npaper: “", style="dim")
        difference.append(visible(record["published_says"]))
        difference.append("”\n")
        difference.append(f"{PAGE_KINDS[record['page_kind']]}: {visible(record['source_url'])}", style="dim")
        difference.append("\n")  # a blank line between discrepancies
        kind = Text(record["kind"])
        if record["computed"]:
            kind.append("\ncomputed", style="dim")
        sheet.add_row(_t(record["study"]), kind, _t(record["seed"].split("_")[0]), difference)
    return sheet


def picture(renderable: RenderableType, kind: str) -> str:
    """A view as the text of an SVG picture or an HTML page, drawn 110 columns wide."""
    with open(os.devnull, "w") as sink:
        recorder = console(file=sink, record=True, width=110)
        recorder.print(renderable)
    if kind == "svg":
        return recorder.export_svg(title="ldn summary")
    return recorder.export_html()


# --- `ldn claims` ----------------------------------------------------------------------------


def plain_view(pages: Sequence[dict[str, Any]]) -> RenderableType:
    """`ldn summary --plain`: a page per condition in plain words: key messages, what was found, how certain,
    what is not known, how up to date. No advice."""
    parts: list[RenderableType] = []
    if not pages:
        parts.append(Text("No outcome has an evidence body: there is nothing to say in plain words."))
    for page in pages:
        parts.append(Text(f"Low-dose naltrexone (LDN) for {page['label']}: what the studies found", style="bold"))
        parts.append(Text(""))
        parts.append(Text("Key messages", style="bold"))
        parts += [_t(f"• {words}") for words in page["key_messages"]]
        parts.append(Text(""))
        parts.append(Text("What the studies found", style="bold"))
        for line in page["found"]:
            people = f"{line['people']} people" if line["people"] else "people not counted"
            parts.append(_t(f"• {line['words']} ({plural(line['studies'], 'study')}, {people}; {line['basis']})"))
        if page["harms"]:
            parts.append(Text(""))
            parts.append(Text("Unwanted effects", style="bold"))
            parts += [_t(f"• {line['words']}") for line in page["harms"]]
        parts.append(Text(""))
        parts.append(Text("How certain is this?", style="bold"))
        for level in page["how_certain"]:
            parts.append(_t(f"• {level['certainty'].capitalize()} ({level['meaning']}): "
                            + ", ".join(o.replace("-", " ") for o in level["outcomes"])))  # fmt: skip
        parts.append(Text(""))
        parts.append(Text("What is not known", style="bold"))
        unknown = ", ".join(o.replace("-", " ") for o in page["not_known"]) or "none named"
        parts.append(_t(f"• Outcomes resting on one study, or on very uncertain evidence: {unknown}."))
        if page["unreported_trials"]:
            parts.append(
                _t(
                    "• Registered trials whose results are not (all) in the catalogue: "
                    + "; ".join(page["unreported_trials"])
                    + "."
                )
            )
        parts.append(Text(""))
        parts.append(Text("How up to date is this?", style="bold"))
        searched = page["searched"]
        none = "• The catalogue holds no documented search: only the studies the articles retell."
        parts.append(_t(f"• The studies were searched for in {searched}." if searched else none))
        parts.append(Text(""))
    parts.append(Text(NOT_MEDICAL_ADVICE, style="italic"))
    return Group(*parts)
