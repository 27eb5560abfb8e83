"""The library's exceptions and its problem report.

The command line catches `CatalogueError` and nothing else, so a bug anywhere
still shows its traceback.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at run time

if TYPE_CHECKING:
    from dataclasses import dataclass
else:  # the same classes, made at a fraction of the start-up cost (see `frozen`)
    from .frozen import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a catalogue file, located as closely as it can be."""

    path: str
    """The file."""
    line: int | None
    """1-based line, if known."""
    message: str
    """What is wrong and, where it helps, how to put it right."""
    column: int | None = None
    """1-based column, if known."""
    record: str | None = None
    """The id of the record it is in, if any."""
    field: str | None = None
    """The field it is in, if any."""

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        parts = [where]
        if self.record is not None:
            parts.append(self.record)
        if self.field is not None:
            parts.append(self.field)
        parts.append(self.message)
        return ": ".join(parts)

    def sort_key(self) -> tuple[int, int]:
        """Order problems by where they are in the file."""
        return (self.line or 0, self.column or 0)


class CatalogueError(Exception):
    """Base of every error the library raises on purpose."""


class CatalogueFileError(CatalogueError):
    """The catalogue file cannot be read at all (missing, a folder, no permission)."""


class CatalogueInvalid(CatalogueError):
    """The catalogue file was read but is not a valid catalogue."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=Problem.sort_key)
        count = len(self.problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in the catalogue")


#: How much of a typed value a message shows: past it, the start, an ellipsis and the value's length.
TYPED_SHOWN = 60


def typed(value: str) -> str:
    """A value the user typed, shown on one line: line breaks and other unprintable characters as escapes, and a
    long one cut to its first TYPED_SHOWN characters ("1111...  (5,000 characters)"), so a message stays short."""
    length = len(value)
    if length > TYPED_SHOWN:
        value = value[:TYPED_SHOWN]
    shown = value if value.isprintable() else "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in value)
    return shown if length <= TYPED_SHOWN else f"{shown}... ({length:,} characters)"


class StudyNotFound(CatalogueError):
    """No study has the id (or id prefix) asked for."""

    def __init__(self, wanted: str, close: list[str], ambiguous: bool = False, what: str = "study") -> None:
        self.wanted = wanted
        self.close = close
        self.ambiguous = ambiguous
        wanted = typed(wanted)
        if ambiguous:
            message = f"'{wanted}' matches more than one {what}: {', '.join(close)}"
        else:
            message = f"no {what} '{wanted}'"
            if close:
                message += f"; did you mean {', '.join(close)}?"
        super().__init__(message)


class UnknownValue(CatalogueError):
    """A filter names a value that is not in its vocabulary."""

    def __init__(self, option: str, value: str, valid: list[str], close: list[str], why: str = "") -> None:
        self.option = option
        self.value = value
        value = typed(value)
        self.valid = valid
        self.close = close
        message = f"unknown {option} '{value}'"
        if why:
            message = f"'{value}' is not a {option} on its own. {why}."
        elif close:
            message += f"; did you mean '{close[0]}'?"
        else:
            message += "."
        message += f" Valid values: {', '.join(valid)}"
        super().__init__(message)


class ExportError(CatalogueError):
    """An export could not be written."""
