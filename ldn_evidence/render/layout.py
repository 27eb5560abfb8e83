"""The layout engine: every table is declared, then laid out for the width it has.

Tables are declared, not measured by hand. A view describes each column once
with `Column` and puts its rows, one `Text` per cell, in a `Sheet`:

    sheet = Sheet([Column("id"), Column("n", justify="right"),
                   Column("dose", wrap=True, drop=1)], caption="– not reported")
    sheet.add_row(Text("norway-2017"), Text("341"), Text("4.5 mg nightly"))

A Column says: its header; `wrap=True` for prose (titles, outcomes), which wraps
only between words, else it is a key cell (an id, a key, a number, a date) that
is always whole on one line; `drop=N` if it may be left out when the width is
short (the lowest N goes first; 0, the default, never goes); `justify`;
`min_width` for prose; `fold_longer_than=N` for prose that holds web addresses
(a word longer than N may be broken rather than widen the table); `name` when
the header is on two lines.

A Sheet is a rich renderable: wherever it is printed (on its own, in a Group,
in a Panel) `lay_out` fits it to the width it is given, measuring every cell with
rich. The columns that never go come first; then each droppable one, the last to
go first, is kept if it still fits; prose columns share the room left; a line
under the table names what was left out and how to see it (`hint`). Below
`stack_below` columns (60), or when even the columns that never go do not fit,
each row becomes a block of "field: value" lines (`inline=True`: one wrapped
line beside the row's first cell; cells equal to `blank` are skipped).
`Sheet(wide=True)` draws every column unwrapped however wide (`--wide`; print it
with `crop=False`). `formats.drawing_width` is the width a command draws in.

To move a table onto it: declare its columns, build a Sheet instead of a rich
Table (same rows, as Text), and return or group the Sheet; no width arithmetic.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import IO, Literal

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

#: Below this many columns a table is drawn as stacked "field: value" blocks.
STACK_BELOW = 60


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


def _and(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


# --- layout: every table is declared, then laid out for the width it has -----------------------


@dataclass(frozen=True)
class Column:
    """One column of a view's table, as the view declares it."""

    header: str
    """The header; a "\\n" in it puts a long header on two lines."""
    wrap: bool = False
    """True for prose (titles, outcomes): wraps at spaces, never inside a word. False for a key
    cell (an id, a key, a number, a date): always whole, on one line."""
    drop: int = 0
    """0: always shown. Otherwise the column may be left out when the width is short: 1 goes
    first, then 2, and so on."""
    justify: Literal["left", "center", "right"] = "left"
    """How cells sit in the column."""
    min_width: int = 0
    """Prose gets at least this many columns (or its longest word, if that is longer)."""
    name: str = ""
    """What the stacked layout and the note about left-out columns call it (default: the header); a
    blank name (" ") puts its cell at the whole width under the row's heading, unnamed."""
    fold_longer_than: int = 0
    """Prose holding words that may be longer than a line (web addresses): a word longer than
    this many columns may be broken, so it does not force the table wider. 0: never broken."""

    @property
    def label(self) -> str:
        """The column's name on one line."""
        return self.name or " ".join(self.header.split())


@dataclass
class Sheet:
    """A table declared by a view; rich draws it laid out for the width it gets (see `lay_out`)."""

    columns: Sequence[Column]
    """The columns, left to right; the first one names each record in the stacked layout."""
    rows: list[Sequence[Text]] = field(default_factory=list)
    """One cell per column in each row."""
    title: str = ""
    """A heading above the table."""
    caption: str = ""
    """A line under the table (a legend)."""
    wide: bool = False
    """Every column, nothing wrapped, however wide that is (`--wide`)."""
    stack_below: int = STACK_BELOW
    """Below this width the rows are stacked as "field: value" blocks."""
    hint: str = "--wide or a wider window shows them"
    """How to see the columns left out, said in the note that names them."""
    blank: str = ""
    """A cell with this text means "nothing here": the stacked layout leaves it out."""
    show_header: bool = True
    """False for a grid of labels and values, drawn without header or lines."""
    inline: bool = False
    """When the table does not fit but the width is no narrower than `stack_below`, stack each
    row on one wrapped line ("field: value; field: value") beside its first cell."""

    def add_row(self, *cells: Text) -> None:
        """Append a row: one Text per column."""
        self.rows.append(cells)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        """Lay the sheet out for the width rich offers it."""
        if self.wide:
            table = self.table(range(len(self.columns)), None)
            width = Measurement.get(console, options.update_width(10_000), table).maximum
            yield from console.render(table, options.update_width(max(width, options.max_width)))
            if self.caption:
                yield Text(self.caption)
            return
        yield Group(*lay_out(self, console, options))

    def table(self, shown: Iterable[int], widths: Sequence[int] | None, rows: bool = True) -> Table:
        """A rich Table of the columns `shown`, each as wide as `widths` says (None: as it needs)."""
        if self.show_header:
            table = Table(
                box=box.SIMPLE_HEAD,
                header_style="bold",
                title_justify="left",
                caption_justify="left",
                show_edge=False,
                pad_edge=False,
                collapse_padding=True,
            )
        else:
            table = Table.grid(padding=(0, 2))
        table.title = Text(self.title, style="bold") if self.title else None
        shown = list(shown)
        for k, i in enumerate(shown):
            column = self.columns[i]
            table.add_column(
                Text(column.header),
                justify=column.justify,
                no_wrap=widths is None or not column.wrap,
                overflow="fold",
                width=None if widths is None else widths[k],
            )
        for row in self.rows if rows else ():
            table.add_row(*(row[i] for i in shown))
        return table

    def stacked(self, width: int = 0) -> list[RenderableType]:
        """Each row as a block: its first cell as a heading, then one "field: value" line per cell
        (or, for an `inline` sheet at least `stack_below` wide, all on one wrapped line beside it)."""
        parts: list[RenderableType] = [Text(self.title, style="bold")] if self.title else []
        if self.inline and width >= self.stack_below:
            grid = Table.grid(padding=(0, 2))
            grid.add_column(no_wrap=True)
            grid.add_column(overflow="fold")
            for row in self.rows:
                line = Text("; ").join(
                    Text.assemble(f"{column.label}: ", cell)
                    for column, cell in zip(self.columns[1:], row[1:], strict=True)
                    if cell.plain and cell.plain != self.blank
                )
                grid.add_row(row[0], line)
            parts.append(grid)
            if self.caption:
                parts.append(Text(self.caption))
            return parts
        for n, row in enumerate(self.rows):
            if n or self.title:
                parts.append(Text(""))
            head = row[0].copy()
            head.stylize("bold")
            if head.plain:
                parts.append(head)
            grid = Table.grid(padding=(0, 1))
            grid.add_column(overflow="fold")
            grid.add_column(overflow="fold")
            for column, cell in zip(self.columns[1:], row[1:], strict=True):
                if not cell.plain or cell.plain == self.blank:
                    continue
                if column.label.strip():
                    grid.add_row(Text(f"  {column.label}:"), cell)
                else:  # a value with no name of its own gets the whole width under its heading
                    parts.append(cell)
            if grid.row_count:
                parts.append(grid)
        if self.caption:
            parts += [Text(""), Text(self.caption)]
        return parts


def lay_out(sheet: Sheet, console: Console, options: ConsoleOptions) -> list[RenderableType]:
    """What draws `sheet` in `options.max_width` columns: the one function every table goes through.

    Each column is measured by rich (a key cell needs its longest line, prose its longest
    word). The columns that are never left out come first; then each column with a `drop`
    rank, the last to go first, is kept if it still fits. Prose columns share what room is
    left, and a line under the table names the columns left out and how to see them. Below
    `sheet.stack_below` columns, or when even the columns that always stay do not fit, each
    row becomes a block of "field: value" lines.
    """
    width = options.max_width
    if width < sheet.stack_below:
        return sheet.stacked()
    roomy = options.update_width(10_000)  # measured unclamped, so nothing seems to fit that does not
    lows, highs = [], []
    for i, column in enumerate(sheet.columns):
        cells = [row[i] for row in sheet.rows]
        if sheet.show_header:
            cells.append(Text(column.header))
        sizes = [Measurement.get(console, roomy, cell) for cell in cells]
        high = max((size.maximum for size in sizes), default=1)
        low = max([column.min_width, *(size.minimum for size in sizes)]) if column.wrap else high
        if column.wrap and column.fold_longer_than:
            low = min(low, max(column.min_width, column.fold_longer_than))
        lows.append(min(low, high))
        highs.append(high)

    def frame(count: int) -> int:
        """What the lines and padding of a table of `count` columns take, as rich measures it."""
        return Measurement.get(console, roomy, sheet.table(range(count), [1] * count, rows=False)).maximum - count

    def fits(shown: list[int]) -> bool:
        return frame(len(shown)) + sum(lows[i] for i in shown) <= width

    shown = [i for i, column in enumerate(sheet.columns) if not column.drop]
    if not fits(shown):
        return sheet.stacked(width)
    for _, i in sorted(((column.drop, i) for i, column in enumerate(sheet.columns) if column.drop), reverse=True):
        if fits(sorted([*shown, i])):
            shown = sorted([*shown, i])
    widths = [lows[i] for i in shown]
    spare = width - frame(len(shown)) - sum(widths)
    while spare > 0:  # prose columns grow in turn towards their longest line
        growing = [k for k, i in enumerate(shown) if widths[k] < highs[i]]
        if not growing:
            break
        share = max(1, spare // len(growing))
        for k in growing:
            step = min(share, highs[shown[k]] - widths[k], spare)
            widths[k] += step
            spare -= step
    parts: list[RenderableType] = [sheet.table(shown, widths)]
    if sheet.caption:  # under the table at the full width, not wrapped to the table's
        parts.append(Text(sheet.caption))
    left_out = [column.label for i, column in enumerate(sheet.columns) if i not in shown]
    if left_out:
        parts.append(Text(f"Left out for the width: {_and(left_out)} ({sheet.hint}).", style="dim"))
    return parts
