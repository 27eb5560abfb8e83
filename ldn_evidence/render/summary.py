"""`ldn summary`: the groups, the Summary of Findings, the evidence map and the bar chart;
`--plain`, a page per condition in plain words."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.table import Table
from rich.text import Text

from ldn_evidence.model import (
    CONDITIONS,
    DESIGNS,
    DURATION_KINDS,
    EFFECTS,
    HARM_EVENTS,
    MEASURES,
    Facts,
    level_label,
)
from ldn_evidence.render import BAR_WIDTH, EFFECT_STYLES, _t
from ldn_evidence.render.layout import Column, Sheet
from ldn_evidence.text import COMMERCIAL_MARK, COMMERCIAL_ONLY, NOT_MEDICAL_ADVICE, plural, visible

if TYPE_CHECKING:
    pass


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
    counts: dict[str, dict[str, Any]] | None = summary.get("people")
    parts += [Text(""), evidence_map(summary["evidence_map"], wide, counts is not None), Text("")]
    parts += [bar_chart(counted, counts), Text("")]
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


#: Which count of people the map and the bars give, where they count as the rated rows do.
COUNTED_AS_ROWS = (
    "people counted as in the rows: analysed, else randomized, else enrolled as published, else the articles'"
)


def evidence_map(grid: dict[str, dict[str, Any]], wide: bool = False, as_rows: bool = False) -> Sheet:
    """Conditions down, designs across: studies (participants) in each cell.

    With `as_rows`, the participants are counted as the rated rows count them, and the caption says so.

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
        caption="studies (participants); L2 is Level 2 of 5 (1 is strongest)"
        + (f"; {COUNTED_AS_ROWS}" if as_rows else "; people as the articles give them"),
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

    def __init__(self, studies: Sequence[Facts], people: dict[str, dict[str, Any]] | None = None) -> None:
        self.people = people
        self.studies = [s for s in studies if self.n(s) is not None]

    def n(self, study: Facts) -> int | None:
        """The study's people: as the rated rows count them where given, else as the articles give them."""
        if self.people is not None and study.id in self.people:
            number = self.people[study.id]["number"]
            return number if isinstance(number, int) else None
        return study.n

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        rows = []
        for study in self.studies:
            level = study.evidence_level
            style = EFFECT_STYLES.get(study.effect or "none", "")
            n = self.n(study)
            tail = f" {n}  {EFFECTS.get(study.effect or '', 'no effect stated')}"
            rows.append((_t(study.id), Text(f"L{level}" if level is not None else "L-", style="dim"), n, tail, style))
        largest = max((n or 0 for _, _, n, _, _ in rows), default=0)
        id_width = max((ident.cell_len for ident, *_ in rows), default=0)
        tail_width = max((len(tail) for *_, tail, _ in rows), default=0)
        # id, level and bar columns, each padded by one space on both sides.
        room = min(BAR_WIDTH, options.max_width - id_width - 2 - tail_width - 6)
        counted = COUNTED_AS_ROWS if self.people is not None else "people as the articles give them"
        yield Text(
            f"Participants per study (strongest evidence first; L1 strongest, L5 weakest; {counted})", style="bold"
        )
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


def bar_chart(studies: Sequence[Facts], people: dict[str, dict[str, Any]] | None = None) -> RenderableType:
    """Participants per study, coloured by effect, strongest evidence first; with `people`, counted as the rows."""
    bars = _Bars(studies, people)
    unknown = [s.id for s in studies if bars.n(s) is None]
    parts: list[RenderableType] = [bars, _Legend()]
    if unknown:
        parts.append(Text("n not reported: " + ", ".join(visible(i) for i in unknown), style="dim"))
    return Group(*parts)


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
