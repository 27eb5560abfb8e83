"""The view of `ldn claims`: each claim of an article with its link and its checks, drawn from the report."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text

from ldn_evidence.render import _label_grid, _t
from ldn_evidence.text import visible

VERDICT_STYLES = {"agrees": "green", "differs": "bold red", "unchecked": "yellow"}


#: The lines of a check's detail: (label, how to read it from the check). Empty values are left out; a check
#: that does not differ shows only the first three, on its heading line.
CLAIM_CHECK_DETAIL: tuple[tuple[str, Callable[[Any], str | None]], ...] = (
    ("article", lambda k: k.article),
    ("catalogue", lambda k: k.catalogue),
    ("paper", lambda k: k.published),
    ("about", lambda k: k.about),
    ("quote", lambda k: f"“{k.excerpt}”" if k.excerpt else None),
    ("layer", lambda k: {"published": "as published", "articles": "as the articles report it"}.get(k.layer or "")),
)


def _check_parts(check: Any) -> list[RenderableType]:
    """A check: its verdict and kind, then what was compared; a differing one in full, one labelled line each."""
    from rich.padding import Padding

    head = Text(check.verdict, style=VERDICT_STYLES.get(check.verdict, ""))
    head.append(f"  {check.kind}", style="bold")
    if check.verdict != "differs":
        for label, read in CLAIM_CHECK_DETAIL[:4]:
            value = read(check)
            if value:
                head.append(f"  {label}: ", style="dim")
                head.append(visible(value))
        return [Padding(head, (0, 0, 0, 2))]
    grid = _label_grid()
    for label, read in CLAIM_CHECK_DETAIL:
        value = read(check)
        if value:
            grid.add_row(Text(label, style="dim"), _t(value))
    parts: list[RenderableType] = [Padding(head, (0, 0, 0, 2)), Padding(grid, (0, 0, 0, 4))]
    if check.source:  # under the labels, at the full width, so that a web address stays whole where it can
        parts.append(Padding(Text("from ", style="dim") + _t(check.source), (0, 0, 0, 4)))
    return parts


def _claim_block(claim: Any) -> RenderableType:
    from rich.padding import Padding

    head = Text(f"line {claim.line}  ", style="bold")
    if claim.study:
        head.append(visible(", ".join((claim.study, *claim.also))), style="bold cyan")
        head.append(f"  score {claim.score:g}", style="dim")
        cues = ", ".join(f"{q.kind} {q.text}" for q in claim.cues if q.kind != "context")
        if cues:
            head.append(f"  ({visible(cues)})", style="dim")
    else:
        head.append("no study", style="dim")
    parts: list[RenderableType] = [head, Padding(_t(claim.sentence), (0, 0, 0, 2))]
    for check in claim.checks:
        parts += _check_parts(check)
    return Group(*parts)


def claims_view(report: Any) -> RenderableType:
    """An article checked: a count, every linked or checked sentence in order with its checks, then the
    unsupported claims and the reminder that this is not medical advice."""
    from ldn_evidence.claims.report import count_line, shown_name
    from ldn_evidence.claims.result import NOT_ADVICE

    parts: list[RenderableType] = [
        Text(f"Claims in {shown_name(report.name)}", style="bold"),
        Text(count_line(report)),
        Text(
            "Each check compares with the paper where the published layer verifies a value (paper:), else "
            "with the catalogue's record, as the articles report it (catalogue:).",
            style="dim",
        ),
        Text(""),
    ]
    differing = [(c, k) for c in report.claims for k in c.checks if k.verdict == "differs"]
    if differing:  # what differs leads: one line each, the article's words against what is known
        parts.append(Text("What differs", style="bold"))
        for claim, check in differing:
            line = Text(f"line {claim.line}  ", style="bold")
            line.append(check.kind, style=VERDICT_STYLES["differs"])
            line.append(f"  {visible(check.article)}")
            known = check.published or check.catalogue
            if known:
                line.append("  against  ", style="dim")
                line.append(visible(known))
            parts.append(line)
        parts.append(Text(""))
    shown = [c for c in report.claims if c.study is not None or c.checks]
    for claim in shown:
        parts += [_claim_block(claim), Text("")]
    if not shown:
        parts += [Text("No sentence retells a catalogued study.", style="dim"), Text("")]
    if report.unsupported:
        parts.append(Text("Claims with no study behind them", style="bold"))
        for claim in report.unsupported:
            parts.append(Text(f"line {claim.line}  ", style="bold") + _t(claim.sentence))
        parts.append(Text(""))
    parts.append(Text(NOT_ADVICE, style="italic"))
    return Group(*parts)
