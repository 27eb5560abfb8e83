"""`ldn show ID`: one study, what the paper says first, then the articles' account and its papers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ldn_evidence.formats import (
    MENTION_WORDS,
    NOT_REPORTED,
    dose_words,
    duration_words,
)
from ldn_evidence.model import (
    CONDITIONS,
    DESIGNS,
    EFFECTS,
    MEASURES,
    level_label,
)
from ldn_evidence.render import DIFFERS_MARK, EFFECT_STYLES, Address, _label_grid, _t
from ldn_evidence.render.layout import Column, Sheet
from ldn_evidence.text import visible

if TYPE_CHECKING:
    from ldn_evidence.results import ShowResult


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
