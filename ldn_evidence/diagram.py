"""The search as an SVG picture, in the manner of a PRISMA flow diagram. No rich here.

`prisma_svg(flow)` is a pure function of `wider.flow(catalogue)`: boxes for where and
when the search looked, what it screened, what it left out (by reason), what it
included (by design and by condition), and the registered trials by status, joined
by arrows. Every number in the picture is a number of the flow.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from typing import Any
from xml.sax.saxutils import escape

from .model import CONDITIONS, DESIGNS, EXCLUSION_REASONS, REGISTRY_STATUSES
from .text import plural

LINE = 18
PAD = 12
CHARS = 62
LEFT, RIGHT, BOX_WIDTH, GAP = 20, 500, 440, 36
STATUS_WORDS = {**REGISTRY_STATUSES, "not-seen": "status not seen"}


def _lines(words: str) -> list[str]:
    return textwrap.wrap(words, CHARS, break_long_words=False, break_on_hyphens=False) or [""]


def _tally(counts: Mapping[str, int], words: Mapping[str, str]) -> list[str]:
    return [f"{count:>4}  {words.get(key, key)}" for key, count in counts.items()]


class _Picture:
    """Boxes and arrows, gathered as SVG elements."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.bottom = 0

    def box(self, x: int, y: int, title: str, lines: list[str]) -> int:
        """A box at (x, y) with a bold title and lines under it; returns its bottom edge."""
        height = PAD * 2 + LINE * (len(lines) + 1)
        self.parts.append(
            f'<rect x="{x}" y="{y}" width="{BOX_WIDTH}" height="{height}" rx="4" fill="#ffffff" stroke="#333333"/>'
        )
        self.parts.append(f'<text x="{x + PAD}" y="{y + PAD + 13}" font-weight="bold">{escape(title)}</text>')
        for i, line in enumerate(lines, 2):
            self.parts.append(
                f'<text x="{x + PAD}" y="{y + PAD + 13 + LINE * (i - 1)}" xml:space="preserve">{escape(line)}</text>'
            )
        self.bottom = max(self.bottom, y + height)
        return y + height

    def arrow(self, x1: int, y1: int, x2: int, y2: int) -> None:
        """An arrow from (x1, y1) to (x2, y2)."""
        self.parts.append(f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="#333333" marker-end="url(#arrow)"/>')


def prisma_svg(flow: dict[str, Any]) -> str:
    """The flow of `ldn prisma` as the text of an SVG picture."""
    picture = _Picture()
    searched = flow["searched"] or "an unstated date"
    top = 20 + LINE * 2
    where = [line for w in flow["where"] for line in _lines(f"• {w}")]
    found_end = picture.box(
        LEFT, top, f"Identification: searched {searched}", [f"{plural(flow['queries'], 'query')} in:", *where]
    )
    screened_top = found_end + GAP
    screened_end = picture.box(
        LEFT,
        screened_top,
        "Screening",
        [
            f"{flow['records_screened']:,} records screened",
            *_lines(f"{flow['relevant_in_queries']:,} kept by the queries (a record several found is counted by each)"),
        ],
    )
    middle = LEFT + BOX_WIDTH // 2
    picture.arrow(middle, found_end, middle, screened_top - 2)
    excluded = flow["excluded"]
    excluded_end = picture.box(
        RIGHT,
        screened_top,
        f"Excluded: {plural(excluded['total'], 'record')}, by reason",
        _tally(excluded["by_reason"], EXCLUSION_REASONS),
    )
    picture.arrow(LEFT + BOX_WIDTH, screened_top + LINE * 2, RIGHT - 2, screened_top + LINE * 2)
    included = flow["included"]
    included_top = screened_end + GAP
    designs = {key: words for key, (_, words) in DESIGNS.items()}
    conditions = {key: words for key, (words, _) in CONDITIONS.items()}
    included_lines = [
        "by design:",
        *_tally(included["by_design"], designs),
        "by condition:",
        *_tally(included["by_condition"], conditions),
        *_lines(f"{plural(included['reviews'], 'systematic review')} among them, never counted as one more trial"),
    ]
    picture.box(
        LEFT, included_top, f"Included: {plural(included['total'], 'study')} no article retells", included_lines
    )
    picture.arrow(middle, screened_end, middle, included_top - 2)
    trials = flow["registered_trials"]
    late = trials["no_results_long_after_end"]
    picture.box(
        RIGHT,
        excluded_end + GAP,
        f"Registered trials: {trials['total']}, by status",
        [
            *_tally(trials["by_status"], STATUS_WORDS),
            f"no results long after its end: {len(late)}",
            *(f"  {ident}" for ident in late),
        ],
    )
    retold = flow["retold_by_the_articles"]
    note = f"Beside them: {plural(retold, 'study')} the four articles retell, not counted in this flow."
    height = picture.bottom + LINE * 2 + 10
    width = RIGHT + BOX_WIDTH + 20
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="13">\n'
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" '
        'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#333333"/></marker></defs>\n'
        f'<rect width="{width}" height="{height}" fill="#fafafa"/>\n'
        f'<text x="{LEFT}" y="{20 + 14}" font-size="16" font-weight="bold">'
        f"{escape(f'The search of {searched}, as a flow (in the manner of a PRISMA diagram)')}</text>\n"
    )
    tail = f'<text x="{LEFT}" y="{picture.bottom + LINE + 10}">{escape(note)}</text>\n</svg>\n'
    return head + "\n".join(picture.parts) + "\n" + tail
