"""Writing: data on stdout, notes on stderr, views drawn; and each command's writers, in one registry.

`out` and `out_bytes` write data as UTF-8 whatever the locale, `say` a line for people on
stderr, `render` a rich view, `_Spinner` a spinner while a load takes long. A command
assembles its answer once and hands it to the writer its `--format` names in `WRITERS`; the
Typer app, the fast path and the tests read the same registry, whose format names are
`options.FORMATS`.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, Optional, cast

from .formats import drawing_width, json_bytes, published_markdown, studies_markdown, studies_tsv, study_markdown
from .model import Facts, Study
from .text import NOT_MEDICAL_ADVICE, misreport_line, visible

if TYPE_CHECKING:
    from dataclasses import dataclass
else:  # the same classes, made at a fraction of the start-up cost (see `frozen`)
    from .frozen import dataclass

#: A load that takes longer than this shows a spinner on a terminal's stderr.
SPINNER_AFTER = 1.0


def say(message: str) -> None:
    """A line for people on stderr: counts, notes, warnings; wrapped between words on a terminal."""
    text = visible(message)
    if sys.stderr.isatty():
        import textwrap

        width = drawing_width(stream=sys.stderr)
        text = textwrap.fill(text, width, break_long_words=False, break_on_hyphens=False) or text
    sys.stderr.write(text + "\n")


def out(text: str) -> None:
    """Data on stdout, exactly as given, as UTF-8 whatever the locale's encoding.

    Data formats must not lose characters: where stdout's encoding is not UTF-8
    (a Latin-1 or ASCII locale, PYTHONIOENCODING), the text goes to the byte
    stream as UTF-8 instead of through an encoder that would write `?`.
    """
    encoding = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    buffer = getattr(sys.stdout, "buffer", None)
    if encoding in ("utf8", "utf8sig") or buffer is None:
        sys.stdout.write(text)
        return
    sys.stdout.flush()
    buffer.write(text.encode("utf-8", "surrogateescape"))
    buffer.flush()


def out_bytes(chunks: Iterable[bytes]) -> None:
    """Data already encoded as UTF-8 on stdout, whatever the locale's encoding."""
    sys.stdout.flush()
    for chunk in chunks:
        sys.stdout.buffer.write(chunk)
    sys.stdout.buffer.flush()


class _Spinner:
    """A spinner on stderr that appears only if the work outlasts `delay` and stderr is a terminal.

    The timer's thread and `__exit__` take one lock, and `__exit__` sets `stopped`
    under it: a timer that fires as the work ends either starts the spinner before
    the exit (which then stops it) or finds it stopped and does nothing. Off a
    terminal there is no timer, and `threading` is not even imported.
    """

    #: Whether any spinner has shown in this process (its frames are on stderr: the run's answer is not kept).
    shown = False

    def __init__(self, message: str, delay: float | None = None) -> None:
        self.message = message
        self.delay = SPINNER_AFTER if delay is None else delay
        self.timer: Any = None
        self.status: Any = None
        self.stopped = False
        self.lock: Any = contextlib.nullcontext()

    def _start(self) -> None:
        from . import render as views

        with self.lock:
            if self.stopped:
                return
            self.status = views.spinner(self.message)
            _Spinner.shown = True
            self.status.start()

    def __enter__(self) -> _Spinner:
        if sys.stderr.isatty():
            import threading

            self.lock = threading.Lock()
            self.timer = threading.Timer(self.delay, self._start)
            self.timer.daemon = True
            self.timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        with self.lock:
            self.stopped = True
            if self.timer is not None:
                self.timer.cancel()
            if self.status is not None:
                self.status.stop()


def render(renderable: Any, wide: bool = False) -> None:
    """Draw a rich view on stdout (rich is imported only now), laid out for the width it has.

    The width is $COLUMNS when it makes sense, else the terminal's, else 80; `wide`
    lets a `--wide` table run past it rather than be cut (and a web address longer than
    the width runs past it whole: views that show addresses are drawn as wide).
    """
    from .render.layout import console

    console(width=drawing_width()).print(renderable, crop=not wide)


def _readable(text: str) -> str:
    """A document's text ending in a line break; on a terminal, its long lines wrapped between words."""
    if sys.stdout.isatty():
        import textwrap

        width = drawing_width()
        fill = textwrap.TextWrapper(width, break_long_words=False, break_on_hyphens=False, replace_whitespace=False)
        text = "\n".join(fill.fill(line) if len(line) > width else line for line in text.split("\n"))
    return text if text.endswith("\n") else text + "\n"


# --- the writers: each command's formats, chosen from one registry ------------------------------


@dataclass(frozen=True)
class Style:
    """How a result is to be written, beside its format."""

    wide: bool = False
    """--wide: every column, nothing wrapped."""
    raw_csv: bool = False
    """--raw-csv: CSV cells exactly, without the spreadsheet guard."""


@dataclass(frozen=True)
class Listing:
    """What `ldn list` shows: the studies, and what the chosen format draws beside them, as plain data.

    The command works out `differs` and `records` only for the formats that draw them (`NEEDS`).
    """

    shown: Sequence[Facts]
    """The studies shown, in order (entries alone when only entries are written)."""
    published_n: Optional[dict[str, Optional[str]]] = None
    """With --n published: each shown study's n as its paper states it, by id (None: the articles' n)."""
    commercial: frozenset[str] = frozenset()
    """The ids of the shown studies that rest only on a commercial source (the table marks them)."""
    differs: frozenset[str] = frozenset()
    """For the table: the ids of the shown studies whose articles differ from their paper."""
    records: Optional[list[dict[str, Any]]] = None
    """For JSON, JSON lines and CSV: each shown study's record, as `results.list_records` makes it."""

    @property
    def n_of(self) -> Optional[Callable[[Study], Optional[str]]]:
        """How each study's n is told: its paper's (`published_n`), or None for the articles' own."""
        told = self.published_n
        return None if told is None else (lambda study: told[study.id])


@dataclass(frozen=True)
class Summary:
    """What `ldn summary` shows: the summary of the selected studies, or (`--plain`) its pages in plain words."""

    result: dict[str, Any]
    """The grouped counts, the Summary of Findings and the evidence map."""
    by: str
    """The grouping of the table: condition, design or measure."""
    studies: Sequence[Facts]
    """The selected studies, for the bar chart."""
    pages: Optional[list[dict[str, Any]]] = None
    """With --plain: a page per condition; the other parts are then not written."""


@dataclass(frozen=True)
class Sources:
    """What `ldn sources` shows: every document, one document, or one document's whole text.

    The command works out `flow` and `studies` only for the text view, which draws them (`NEEDS`).
    """

    entries: Optional[list[dict[str, Any]]] = None
    """Without a document named: every document."""
    entry: Optional[dict[str, Any]] = None
    """The document named."""
    whole: Optional[str] = None
    """With --text: the named document's whole text."""
    tally: Optional[dict[str, Any]] = None
    """How the named document's account differs from the papers, where any publication is catalogued."""
    flow: Optional[dict[str, Any]] = None
    """For the text view of every document: the search, as `wider.flow` gives it."""
    studies: Optional[list[Study]] = None
    """For the text view of the document named: the studies it describes."""
    differs: frozenset[str] = frozenset()
    """Of those, with a tally: the ids of the studies whose articles differ from their paper."""


def _view(
    draw: Callable[[Any, Style], Any], wide_view: bool = False, uncropped: bool = False
) -> Callable[[Any, Style], Any]:
    """A writer that draws a rich view of the result (render is imported only now), and returns the view.

    `uncropped`: the view shows web addresses, each on a line of its own, which must never be cut.
    """

    def write(result: Any, style: Style) -> Any:
        view = draw(result, style)
        render(view, (style.wide and wide_view) or uncropped)
        return view

    return write


def _text(write: Callable[[Any, Style], str]) -> Callable[[Any, Style], None]:
    """A writer of plain text on stdout."""
    return lambda result, style: out(write(result, style))


def _json(record: Callable[[Any], Any] = lambda result: result, advice: str = "") -> Callable[[Any, Style], None]:
    """A writer of the result as JSON on stdout, then (on stderr) the not-advice line if given."""

    def write(result: Any, style: Style) -> None:
        out_bytes([json_bytes(record(result))])
        if advice:
            say(advice)

    return write


def _show_view(result: Any, style: Style) -> Any:
    from .render.show import study_view

    return study_view(result)


def _show_record(result: Any) -> Any:
    from .results import show_record

    return show_record(result)


def _show_markdown(result: Any, style: Style) -> str:
    return study_markdown(result) + (published_markdown(result) if result.published else "")


def _prisma_view(result: Any, style: Style) -> Any:
    from .render.prisma import prisma_view

    return prisma_view(result)


def _safety_view(report: Any, style: Style) -> Any:
    from .render.safety import safety_view

    return safety_view(report, style.wide)


def _discrepancies_table(records: Any, style: Style) -> None:
    if records:
        from .render.discrepancies import discrepancies_table

        render(discrepancies_table(records, style.wide), style.wide)


def _discrepancies_text(name: str) -> Callable[[Any, Style], None]:
    def write(records: Any, style: Style) -> None:
        from . import formats

        if name == "csv":
            out(formats.discrepancies_csv(records, style.raw_csv))
        else:
            out(getattr(formats, f"discrepancies_{name}")(records))

    return write


def _claims_view(report: Any, style: Style) -> Any:
    from .render.claims import claims_view

    return claims_view(report)


def _claims_record(report: Any) -> Any:
    from .claims import report_record

    return report_record(report)


def _claims_markdown(report: Any, style: Style) -> str:
    from .claims import report_markdown

    return report_markdown(report)


def _list_table(listing: Listing, style: Style) -> None:
    if listing.shown:
        from .render.studies import studies_table

        shown = cast("list[Study]", listing.shown)
        render(studies_table(shown, listing.differs, listing.n_of, style.wide, listing.commercial), style.wide)


def _list_records(name: str) -> Callable[[Any, Style], None]:
    def write(listing: Listing, style: Style) -> None:
        from .formats import published_list

        assert listing.records is not None, "the command makes the records for this format (NEEDS)"
        out(published_list(listing.records, name, style.raw_csv))

    return write


def _list_text(write: Callable[..., str]) -> Callable[[Any, Style], None]:
    return lambda listing, style: out(write(listing.shown, listing.n_of))


def _summary_view(answer: Summary, style: Style) -> Any:
    if answer.pages is not None:
        from .render.summary import plain_view

        return plain_view(answer.pages)
    from .render.summary import summary_view

    return summary_view(answer.result, answer.by, answer.studies, style.wide)


def _summary_json(answer: Summary, style: Style) -> None:
    out_bytes([json_bytes(answer.pages if answer.pages is not None else answer.result)])
    say(NOT_MEDICAL_ADVICE)


def _sources_text(answer: Sources, style: Style) -> None:
    if answer.entries is not None:
        from .render.sources import sources_view

        assert answer.flow is not None, "the command gives the search for this view (NEEDS)"
        render(sources_view(answer.entries, answer.flow, style.wide), style.wide)
        return
    entry = answer.entry
    assert entry is not None
    if answer.whole is not None:
        out(_readable(visible(answer.whole)))
        return
    from .render.sources import document_view

    assert answer.studies is not None, "the command gives the document's studies for this view (NEEDS)"
    note = None
    if answer.tally is not None:
        note = f"Against the papers (ldn discrepancies --seed {entry['seed'][:3]}): {misreport_line(answer.tally)}."
    render(document_view(entry, answer.studies, note, style.wide, answer.differs), style.wide)


def _sources_record(answer: Sources) -> Any:
    if answer.entries is not None:
        return answer.entries
    entry = answer.entry
    assert entry is not None
    if answer.whole is not None:
        return {"seed": entry["seed"], "text": answer.whole}
    return {**entry, "misreports": answer.tally} if answer.tally is not None else entry


#: Each command's writers: format -> what writes the command's result in it (a writer that draws a
#: rich view returns it, so that `summary --svg` saves the view it drew). The format names are
#: `options.FORMATS` (a test checks both, and the Typer app's choices); the fast path, the Typer app
#: and the tests all come here.
WRITERS: dict[str, dict[str, Callable[[Any, Style], Any]]] = {
    "list": {
        "table": _list_table,
        "tsv": _list_text(studies_tsv),
        **{name: _list_records(name) for name in ("json", "jsonl", "csv")},
        "markdown": _list_text(studies_markdown),
    },
    "show": {"text": _view(_show_view, uncropped=True), "json": _json(_show_record), "markdown": _text(_show_markdown)},
    "summary": {"text": _view(_summary_view, wide_view=True), "json": _summary_json},
    "sources": {"text": _sources_text, "json": _json(_sources_record)},
    "safety": {"text": _view(_safety_view, wide_view=True, uncropped=True), "json": _json(advice=NOT_MEDICAL_ADVICE)},
    "prisma": {"text": _view(_prisma_view), "json": _json(advice=NOT_MEDICAL_ADVICE)},
    "discrepancies": {
        "table": _discrepancies_table,
        **{name: _discrepancies_text(name) for name in ("tsv", "json", "csv", "markdown")},
    },
    "claims": {"text": _view(_claims_view), "json": _json(_claims_record), "markdown": _text(_claims_markdown)},
}

#: What a writer draws beside its result's own fields, by command and format: the command works
#: these out only when the format chosen needs them, so TSV and JSON stay as light as they were.
NEEDS: dict[str, dict[str, frozenset[str]]] = {
    "list": {"table": frozenset({"differs"}), **{name: frozenset({"records"}) for name in ("json", "jsonl", "csv")}},
    "sources": {"text": frozenset({"flow", "studies"})},
}


def needs(command: str, fmt: str, part: str) -> bool:
    """True when the writer of `command` in `fmt` draws `part`, which the command must then work out."""
    return part in NEEDS.get(command, {}).get(fmt, frozenset())
