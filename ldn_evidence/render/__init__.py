"""Terminal views drawn with rich. Only this package imports rich.

Catalogue text always enters rich as `Text` (never as markup) after control
characters have been made visible, so nothing from a data file can style,
link, move the cursor or retitle the terminal.

The views of results: each draws what a command assembled (see `results`), never
asking the library while it draws. Tables are declared with `layout.Column` and
`layout.Sheet` and fitted to the width by `layout.lay_out`.

This module holds what every view shares (catalogue text as `Text`, web addresses, the label
grid, pictures and the spinner); the views live beside it, one module a command: `studies`
(`ldn list`), `show`, `summary`, `safety`, `sources`, `discrepancies`, `claims` and `prisma`.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.text import Text

from ldn_evidence.formats import NOT_REPORTED, drawing_width
from ldn_evidence.text import visible

from .layout import Column, Sheet, console

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


def _label_grid() -> Sheet:
    """Labels and values without header or lines; a value too wide to sit beside its label goes under it."""
    return Sheet([Column(""), Column("", wrap=True)], show_header=False, stack_below=0)


def picture(renderable: RenderableType, kind: str) -> str:
    """A view as the text of an SVG picture or an HTML page, drawn 110 columns wide."""
    with open(os.devnull, "w") as sink:
        recorder = console(file=sink, record=True, width=110)
        recorder.print(renderable)
    if kind == "svg":
        return recorder.export_svg(title="ldn summary")
    return recorder.export_html()
