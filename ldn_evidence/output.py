"""Output for people and for programs: data on stdout, notes on stderr, views drawn, a spinner.

What every command and every writer prints goes through here: `out` and `out_bytes` write data
as UTF-8 whatever the locale, `say` a line for people on stderr, `render` a rich view.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterable
from typing import Any

from .formats import drawing_width
from .text import visible

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
