"""The loader's checks of single fields: scalars, structures, sources, addresses and identifiers.

Each records what is wrong as a `Problem` with its file, line, record and field, and returns the
converted value or None. `walkers` walks a whole catalogue with them.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from ldn_evidence.errors import Problem
from ldn_evidence.model import Source
from ldn_evidence.rules import ADDRESS, ET_AL, IDENTIFIERS, ISO_DATE, MAX_TEXT, SLUG
from ldn_evidence.yamltree import Map, Plain, Seq

#: How an identifier seen only inside a page's address is said in `unverified`.
ADDRESS_ONLY = "seen in an address only"


def did_you_mean(word: str, options: Iterable[str]) -> str | None:
    """The closest option to a mistyped word, if one is close enough."""
    import difflib

    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return close[0] if close else None


_KIND_WORDS = {
    "bool": "a true/false value",
    "int": "a number",
    "float": "a number",
    "timestamp": "a date",
}


#: Line breaks and tabs (YAML's "\\n" and "\\t", a literal block's lines, Unicode's separators): not in a cited field.
_LINE_BREAK = re.compile("[\\t\\n\\v\\f\\r\\x85\\u2028\\u2029]")


class Fields:
    """The checks of single fields: each converts what is right and records what is wrong, with its line.

    `walkers.Checker` builds on them, one walker per record; the state here is what they share.
    """

    def __init__(self, path: str, problems: list[Problem]) -> None:
        self.path = path
        self.problems = problems
        self.record: str | None = None
        self.seeds: set[str] | None = None
        self.listed: set[str] = set()
        """Every seed a documents entry names, valid or not: citing one that is wrong is not another error."""
        self.named: set[str] = set()
        """Every study id a publication names, valid or not."""
        self.include_lines: dict[str, int] = {}
        """Each review's id -> the line of its `includes`."""
        self.unretold: dict[str, tuple[int, int]] = {}
        """Each study no article retells -> the lines of its `sources` and `design`, for the checks that read
        its publications."""

    # -- reporting ----------------------------------------------------------

    def problem(self, line: int | None, field: str | None, message: str) -> None:
        self.problems.append(Problem(self.path, line, message, record=self.record, field=field))

    # -- scalars --------------------------------------------------------------

    def text(self, value: Any, line: int, field: str, required: bool = False) -> str | None:
        if value is None:
            if required:
                self.problem(line, field, "is empty; it is required")
            return None
        if isinstance(value, str):
            if required and not value.strip():
                self.problem(line, field, "is empty; it is required")
                return None
            if "\x00" in value:
                self.problem(line, field, "holds a NUL character (\\0); remove it")
                return None
            if len(value) > MAX_TEXT:
                self.problem(
                    line, field, f"is {len(value):,} characters long, more than the {MAX_TEXT:,} allowed for one text"
                )
                return None
            return value
        if isinstance(value, Plain):
            self.problem(
                line,
                field,
                f'{value.text} reads as {_KIND_WORDS[value.kind]} in YAML, not text; quote it: "{value.text}"',
            )
            return None
        self.problem(line, field, f"expected text, found a {_shape(value)}")
        return None

    def whole_number(self, value: Any, line: int, field: str, low: int, high: int) -> int | None:
        if value is None:
            return None
        if isinstance(value, Plain) and value.kind == "int":
            text = value.text
            if len(text) > 12:
                # int() of thousands of digits is slow, and refused past 4,300 digits.
                self.problem(line, field, f"a {len(text):,}-digit number is out of range ({low} to {high})")
                return None
            if re.fullmatch(r"[+]?(0|[1-9][0-9]*)", text):
                number = int(text)
                if field == "year" and number > high >= low:
                    self.problem(line, field, f"{number} is in the future (the latest year is {high})")
                    return None
                if not low <= number <= high:
                    self.problem(line, field, f"{number} is out of range ({low} to {high})")
                    return None
                return number
            if ":" in text:
                hint = "YAML 1.1 reads it as a base-60 number"
            elif re.fullmatch(r"[-+]?0[0-7_]+", text):
                hint = "YAML 1.1 reads a leading 0 as octal"
            else:
                hint = "write a plain decimal whole number"
            self.problem(line, field, f"{text} is not a plain whole number ({hint}); write e.g. {low}")
            return None
        if isinstance(value, Plain) and value.kind == "float":
            self.problem(line, field, f"{value.text} is not a whole number")
            return None
        shown = value.text if isinstance(value, Plain) else value
        if isinstance(value, str | Plain):
            self.problem(line, field, f"expected a whole number, found {shown!r}")
        else:
            self.problem(line, field, f"expected a whole number, found a {_shape(value)}")
        return None

    def vocabulary(
        self, value: Any, line: int, field: str, options: Mapping[str, Any], required: bool = True
    ) -> str | None:
        word = self.text(value, line, field, required)
        if word is None:
            return None
        if word in options:
            return word
        guess = did_you_mean(word, options)
        hint = f"did you mean '{guess}'? " if guess else ""
        self.problem(line, field, f"unknown value '{word}'; {hint}valid: {', '.join(options)}")
        return None

    def flag(self, value: Any, line: int, field: str) -> bool:
        """true or false; left out or null is false. YAML 1.1's yes/no/on/off are refused as ambiguous."""
        if value is None:
            return False
        if isinstance(value, Plain) and value.kind == "bool" and value.text in ("true", "false"):
            return value.text == "true"
        shown = value.text if isinstance(value, Plain) else value
        self.problem(line, field, f"expected true or false, found {shown!r}")
        return False

    def parsed(self, value: Any, line: int, field: str, parse: Callable[[str], Any]) -> Any:
        if isinstance(value, Plain) and value.kind in ("int", "float"):
            self.problem(
                line,
                field,
                f'{value.text} has no unit; write it as text with its unit, e.g. "{value.text} weeks"'
                if field == "duration"
                else f'{value.text} has no unit; write e.g. "{value.text} mg daily"',
            )
            return None
        text = self.text(value, line, field)
        if text is None:
            return None
        try:
            return parse(text)
        except ValueError as exc:
            self.problem(line, field, str(exc))
            return None

    # -- structures -------------------------------------------------------------

    def mapping(self, value: Any, line: int, what: str, field: str | None = None) -> Map | None:
        if isinstance(value, Map):
            return value
        self.problem(line, field, f"{what} must be a mapping (key: value), found {_describe(value)}")
        return None

    def sequence(self, value: Any, line: int, field: str) -> Seq | None:
        if value is None:
            return None
        if isinstance(value, Seq):
            return value
        self.problem(line, field, f"must be a list, found {_describe(value)}")
        return None

    def items(self, value: Any, line: int, field: str) -> Iterator[tuple[Any, int]]:
        """Each item of a list field with its line; nothing if the field is null or not a list."""
        items = self.sequence(value, line, field)
        if items is not None:
            yield from zip(items, items.lines, strict=True)

    def mappings(self, value: Any, line: int, field: str, what: str) -> Iterator[tuple[Map, int]]:
        """The items of a list field that are mappings, with their lines; the others are reported."""
        for item, item_line in self.items(value, line, field):
            entry = self.mapping(item, item_line, what, field)
            if entry is not None:
                yield entry, item_line

    def fields(self, entry: Map, known: tuple[str, ...], required: tuple[str, ...]) -> None:
        for key in entry:
            if key not in known:
                guess = did_you_mean(key, known)
                hint = f"; did you mean '{guess}'?" if guess else f"; known fields: {', '.join(known)}"
                self.problem(entry.lines[key], key, f"unknown field{hint}")
        for key in required:
            if key not in entry:
                self.problem(entry.line, key, "missing; it is required")

    def cited(self, value: Any, line: int, field: str, required: bool = False) -> str | None:
        """Text that goes into a citation (RIS, BibTeX): no control or invisible character for a writer to alter."""
        text = self.text(value, line, field, required)
        if text is not None:
            from ldn_evidence.text import invisible

            breaks = _LINE_BREAK.search(text)
            if breaks is not None:  # RIS and BibTeX write a field on one line: the writer would have to alter it
                shown = ascii(breaks.group())[1:-1]  # "\\n", "\\u2028": the character named, on one line
                self.problem(line, field, f"holds a line break or tab ({shown}); a cited field is written on one line")
                return None
            found = invisible(text)
            if found is not None:
                self.problem(line, field, f"holds an invisible or control character ({found}); remove it")
                return None
        return text

    def author_list(self, value: Any, line: int) -> str | None:
        """Authors as 'Family Initials, Family Initials': cited text with no empty name between its commas."""
        text = self.cited(value, line, "authors")
        if text is None:
            return None
        names = text.split(",")
        empty = next((i for i, name in enumerate(names, 1) if not name.strip()), None)
        if empty is not None:
            self.problem(
                line,
                "authors",
                f"name {empty} of {len(names)} is empty (a comma too many?); write 'Family Initials, ...'",
            )
            return None
        more = [i for i, name in enumerate(names, 1) if ET_AL.fullmatch(name.strip())]
        if more and (more != [len(names)] or len(names) == 1):
            self.problem(
                line,
                "authors",
                f"name {more[0]} of {len(names)} is '{names[more[0] - 1].strip()}': 'et al.' or 'others' may only "
                "follow the authors the page names, at the end of the list",
            )
            return None
        return text

    def text_list(self, entry: Map, field: str) -> tuple[str, ...]:
        out = []
        for item, line in self.items(entry.get(field), entry.lines.get(field, entry.line), field):
            text = self.text(item, line, field, required=True)
            if text is not None:
                out.append(text)
        return tuple(out)

    def slugs(self, entry: Map, field: str) -> tuple[str, ...]:
        """A list of record ids."""
        out = []
        for item, line in self.items(entry.get(field), entry.lines.get(field, entry.line), field):
            text = self.text(item, line, field, required=True)
            if text is None:
                continue
            if not SLUG.fullmatch(text):
                self.problem(line, field, f"'{text}' is not a slug: use lower-case letters, digits and single hyphens")
                continue
            out.append(text)
        return tuple(out)

    def sources(self, entry: Map) -> tuple[Source, ...]:
        line = entry.lines.get("sources", entry.line)
        items = self.sequence(entry.get("sources"), line, "sources")
        if items is None:
            return ()
        if not items:
            self.problem(line, "sources", "is empty; every record needs at least one source quote")
        out = []
        for item, item_line in zip(items, items.lines, strict=True):
            source = self.mapping(item, item_line, "a source", "sources")
            if source is None:
                continue
            self.fields(source, ("seed", "quote"), ("seed", "quote"))
            seed = self.text(source.get("seed"), source.lines.get("seed", item_line), "sources.seed", True)
            quote = self.text(source.get("quote"), source.lines.get("quote", item_line), "sources.quote", True)
            if seed is not None and self.seeds is not None and seed not in self.seeds:
                guess = did_you_mean(seed, self.seeds)
                hint = f"; did you mean '{guess}'?" if guess else ""
                self.problem(
                    source.lines.get("seed", item_line),
                    "sources.seed",
                    f"'{seed}' is not a listed document{hint}",
                )
                seed = None
            if seed is not None and quote is not None:
                out.append(Source(seed, quote))
        return tuple(out)

    def identifier_value(self, value: Any, line: int, name: str) -> str | None:
        """An identifier of the right shape, or None (and a problem saying what the shape is)."""
        text = self.text(value, line, name)
        if text is None:
            return None
        pattern, shape = IDENTIFIERS[name]
        if not pattern.fullmatch(text):
            from ldn_evidence.errors import typed

            self.problem(line, name, f"'{typed(text)}' is not the shape of one: {shape}")
            return None
        return text

    def address(self, value: Any, line: int, field: str, required: bool = False) -> str | None:
        """A page named by an http(s) address a reader can open."""
        text = self.text(value, line, field, required)
        if text is not None and not ADDRESS.fullmatch(text):
            self.problem(
                line,
                field,
                f"{_clip(text)!r} is not an address a reader can open: name the page by its http(s) address",
            )
            return None
        return text

    def addresses(self, entry: Map, field: str) -> tuple[str, ...]:
        """A list of pages, each an http(s) address."""
        out = []
        for item, line in self.items(entry.get(field), entry.lines.get(field, entry.line), field):
            text = self.address(item, line, field, required=True)
            if text is not None:
                out.append(text)
        return tuple(out)


def _empty(value: Any) -> bool:
    """Whether a value of the file says nothing: left null, an empty list, or a false flag."""
    if value is None:
        return True
    if isinstance(value, Seq | Map):
        return not value
    if isinstance(value, str):
        return not value.strip()
    return isinstance(value, Plain) and value.kind == "bool" and value.text == "false"


def stated_date_problem(date: str) -> str | None:
    """Why `date` is not a real ISO date (YYYY-MM-DD, YYYY-MM or YYYY), or None; it may lie ahead (a planned end)."""
    if not ISO_DATE.fullmatch(date):
        return f"{date!r} is not an ISO date (YYYY-MM-DD, YYYY-MM or YYYY)"
    parts = [int(p) for p in date.split("-")]
    try:
        datetime.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return f"{date!r} is not a date on the calendar"
    return None


def _clip(text: str, width: int = 80) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


def date_problem(date: str) -> str | None:
    """Why `date` is not a real ISO date (YYYY-MM-DD, YYYY-MM or YYYY) that has passed, or None."""
    shown = repr(date)
    if not ISO_DATE.fullmatch(date):
        return f"{shown} is not an ISO date (YYYY-MM-DD, YYYY-MM or YYYY)"
    parts = [int(p) for p in date.split("-")]
    year, month, day = parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1
    try:
        when = datetime.date(year, month, day)
    except ValueError:
        return f"{shown} is not a date on the calendar"
    today = datetime.date.today()
    if (when.year, when.month if len(parts) > 1 else 1, when.day if len(parts) > 2 else 1) > (
        today.year,
        today.month if len(parts) > 1 else 1,
        today.day if len(parts) > 2 else 1,
    ):
        return f"{shown} is in the future"
    return None


class _Invalid:
    """Stands in for a record with problems, so its id still counts for duplicates."""

    __slots__ = ("id", "line")

    def __init__(self, ident: str, line: int) -> None:
        self.id = ident
        self.line = line


def _shape(value: Any) -> str:
    if isinstance(value, Map):
        return "mapping"
    if isinstance(value, Seq):
        return "list"
    return type(value).__name__


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, Plain):
        return f"{_KIND_WORDS[value.kind]} ({value.text})"
    if isinstance(value, str):
        return f"text ({value[:40]!r})"
    return f"a {_shape(value)}"
