"""Safe, strict YAML reading: text -> plain values that remember their lines.

The tree is built from libyaml's event stream in one iterative pass, so:

* no tag ever constructs an object (every explicit tag but ``!!str`` is refused);
* anchors and aliases are refused before they can expand;
* nesting depth is bounded before it can exhaust the stack (libyaml's own
  recursive composer crashes the process near 50,000 levels);
* a key given twice in one mapping is reported, not silently overwritten;
* plain scalars are *not* converted: they stay `Plain` with the type YAML 1.1
  would give them, so the caller decides what a field may hold and can say
  "quote it" when `NO` would read as false.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Union

from .errors import Problem

#: Deeper nesting than this is refused; a catalogue needs about five levels.
MAX_DEPTH = 64
#: More records than this in one section (studies, documents, cautions) are refused.
MAX_RECORDS = 50_000
#: More values (scalars, lists and mappings) than this in one file are refused: a
#: study is about 40, so this is room for MAX_RECORDS full studies, and it bounds the
#: time and memory a file of many tiny values needs.
MAX_VALUES = 2_000_000

_STR_TAGS = frozenset({"tag:yaml.org,2002:str", "!"})

# YAML 1.1 implicit resolution of plain scalars, as PyYAML's SafeLoader does it.
_BOOL = re.compile(r"^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$")
_INT = re.compile(
    r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+"
    r"|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$"
)
_FLOAT = re.compile(
    r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
    r"|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_TIMESTAMP = re.compile(
    r"^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]"
    r"|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?"
    r":[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$"
)
_FIRST_CHARS_NON_STR = frozenset("yYnNtTfFoO0123456789+-.~")
#: Texts this short that recur (keys, vocabulary words, dates) are kept as one object each, up to _SHARED_KEPT of
#: them (in the shipped catalogue, 6,030 texts of up to 40 characters hold 1,413 distinct ones).
_SHARED_LENGTH, _SHARED_KEPT = 32, 65_536
#: A file's plain scalars are resolved once each, remembering this many (years, counts and dates recur).
_KINDS_KEPT = 4096


@dataclass(frozen=True, slots=True)
class Plain:
    """A plain (unquoted) scalar that YAML 1.1 reads as something other than text."""

    text: str
    """The scalar exactly as written."""
    kind: str
    """What YAML 1.1 makes of it: "bool", "int", "float" or "timestamp"."""
    line: int
    """1-based line."""


class Map(dict):  # type: ignore[type-arg]
    """A mapping that remembers its line and the line of each key."""

    __slots__ = ("line", "lines")

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.lines: dict[str, int] = {}


class Seq(list):  # type: ignore[type-arg]
    """A sequence that remembers its line and the line of each item."""

    __slots__ = ("line", "lines")

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.lines: list[int] = []


Value = Union[str, None, Plain, Map, Seq]


def resolve_plain(text: str) -> str:
    """The YAML 1.1 type of a plain scalar: "str", "null", "bool", "int", "float", "timestamp"."""
    if text and text[0] not in _FIRST_CHARS_NON_STR:
        return "str"
    if _NULL.match(text):
        return "null"
    if _BOOL.match(text):
        return "bool"
    if _INT.match(text):
        return "int"
    if _FLOAT.match(text):
        return "float"
    if _TIMESTAMP.match(text):
        return "timestamp"
    return "str"


class _Stop(Exception):
    """Raised inside the builder to stop reading a file that is refused outright."""


_BAD_KEY = object()


def _parser(data: bytes) -> Any:
    """libyaml's event parser, or PyYAML's pure-Python one where libyaml is missing."""
    try:
        from yaml._yaml import CParser

        return CParser(data)
    except ImportError:  # pragma: no cover - depends on how PyYAML was built
        from yaml.parser import Parser
        from yaml.reader import Reader
        from yaml.scanner import Scanner

        class PurePython(Reader, Scanner, Parser):
            def __init__(self, stream: bytes) -> None:
                Reader.__init__(self, stream)
                Scanner.__init__(self)
                Parser.__init__(self)

        return PurePython(data)


#: Called with the top-level mapping (its finished sections so far), a section's name, one of its items (just
#: read whole) and the item's line; True if it took the item, which the tree then holds as None.
Take = Callable[["Map", str, "Value", int], bool]


def parse(data: bytes, path: str, problems: list[Problem], take: Take | None = None) -> Value:
    """Read one YAML document from UTF-8 bytes into a line-aware tree.

    Every problem found is appended to `problems`; the returned tree is as much
    as could be read (None if nothing could). With `take`, each item of a list
    under a top-level key is offered to it as soon as it is read whole, and one it
    takes is not kept in the tree (so a caller that builds records as it reads never
    holds the whole file's tree).
    """
    import yaml
    from yaml import events

    parser = _parser(data)
    # Each frame: [container, pending key (None: expecting a key), key line].
    stack: list[list[object]] = []
    root: Value = None
    documents = 0

    def add(value: Value, line: int) -> None:
        nonlocal root
        if not stack:
            root = value
            return
        frame = stack[-1]
        container = frame[0]
        if isinstance(container, Seq):
            if (
                take is not None
                and len(stack) == 2
                and type(stack[0][0]) is Map
                and type(stack[0][1]) is str
                and take(stack[0][0], stack[0][1], value, line)
            ):
                value = None  # taken: the list keeps its place only
            container.append(value)
            container.lines.append(line)
            if len(stack) == 2 and len(container) > MAX_RECORDS:
                problems.append(
                    Problem(path, line, f"more than {MAX_RECORDS:,} records in one section; refused at this one")
                )
                raise _Stop
            return
        assert isinstance(container, Map)
        key = frame[1]
        if key is None:
            if isinstance(value, str):
                frame[1], frame[2] = value, line
            else:
                shown = value.text if isinstance(value, Plain) else type(value).__name__.lower()
                if value is None:
                    shown = "null"
                problems.append(Problem(path, line, f"a key must be text, not {shown!r}; quote it"))
                frame[1], frame[2] = _BAD_KEY, line
            return
        frame[1] = None
        if key is _BAD_KEY:
            return
        assert isinstance(key, str)
        if key in container:
            problems.append(
                Problem(
                    path,
                    int(frame[2]),  # type: ignore[call-overload]
                    f"key '{key}' given twice in one mapping (also on line "
                    f"{container.lines[key]}); YAML would keep only the last",
                )
            )
            return
        container[key] = value
        container.lines[key] = int(frame[2])  # type: ignore[call-overload]

    def check_node(event: Any, line: int, column: int) -> None:
        if event.anchor is not None:
            problems.append(
                Problem(path, line, f"anchors are not allowed (&{event.anchor}); write the value out", column)
            )
        tag = getattr(event, "tag", None)
        allowed = _STR_TAGS if isinstance(event, events.ScalarEvent) else frozenset()
        if tag is not None and tag not in allowed:
            problems.append(Problem(path, line, f"tags are not allowed ({tag}); remove it", column))

    values = 0
    # The loop runs once an event (a few million in a large file): names it uses are local.
    get_event = parser.get_event
    scalar, mapping_start, sequence_start = events.ScalarEvent, events.MappingStartEvent, events.SequenceStartEvent
    non_str = _FIRST_CHARS_NON_STR
    shared: dict[str, str] = {}  # short texts seen, up to _SHARED_KEPT
    kinds: dict[str, str] = {}  # what YAML 1.1 makes of each plain scalar seen (numbers, dates), up to _KINDS_KEPT
    try:
        while True:
            event: Any = get_event()
            kind = type(event)
            if kind is scalar:
                values += 1
                if values > MAX_VALUES:
                    line = event.start_mark.line + 1
                    problems.append(Problem(path, line, f"more than {MAX_VALUES:,} values in one file; refused here"))
                    raise _Stop
                line = event.start_mark.line + 1
                tag = event.tag
                if event.anchor is not None or tag is not None:
                    check_node(event, line, event.start_mark.column + 1)
                text: str = event.value
                if len(text) <= _SHARED_LENGTH:  # one object for each short text that recurs (keys, vocabulary)
                    known = shared.get(text)
                    if known is not None:
                        text = known
                    elif len(shared) < _SHARED_KEPT:
                        shared[text] = text
                value: Value = text
                # A plain scalar whose first character no YAML 1.1 type but text starts with is text.
                if not event.style and tag is None and event.implicit[0] and (not text or text[0] in non_str):
                    resolved = kinds.get(text)
                    if resolved is None:
                        resolved = resolve_plain(text)
                        if len(kinds) < _KINDS_KEPT:
                            kinds[text] = resolved
                    if resolved == "null":
                        value = None
                    elif resolved != "str":
                        value = Plain(event.value, resolved, line)
                # The common cases of `add`, inline: a key of a mapping, and a value under a new key.
                if stack:
                    frame = stack[-1]
                    container = frame[0]
                    if type(container) is Map:
                        key = frame[1]
                        if key is None:
                            if type(value) is str:
                                frame[1], frame[2] = value, line
                                continue
                        elif type(key) is str and key not in container:
                            frame[1] = None
                            container[key] = value
                            container.lines[key] = frame[2]  # type: ignore[assignment]  # the key's line
                            continue
                add(value, line)
            elif kind is mapping_start or kind is sequence_start:
                values += 1
                if values > MAX_VALUES:
                    line = event.start_mark.line + 1
                    problems.append(Problem(path, line, f"more than {MAX_VALUES:,} values in one file; refused here"))
                    raise _Stop
                line = event.start_mark.line + 1
                if event.anchor is not None or event.tag is not None:
                    check_node(event, line, event.start_mark.column + 1)
                if len(stack) >= MAX_DEPTH:
                    problems.append(
                        Problem(
                            path,
                            line,
                            f"nested more than {MAX_DEPTH} levels deep; refused",
                            event.start_mark.column + 1,
                        )
                    )
                    raise _Stop
                container = Map(line) if kind is mapping_start else Seq(line)
                stack.append([container, None, 0])
            elif kind is events.MappingEndEvent or kind is events.SequenceEndEvent:
                frame = stack.pop()
                finished = frame[0]
                assert isinstance(finished, Map | Seq)
                add(finished, finished.line)
            elif kind is events.AliasEvent:
                line = event.start_mark.line + 1
                problems.append(
                    Problem(
                        path,
                        line,
                        f"aliases are not allowed (*{event.anchor}); write the value out",
                        event.start_mark.column + 1,
                    )
                )
                add(None, line)
            elif kind is events.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    problems.append(
                        Problem(
                            path,
                            event.start_mark.line + 1,
                            "more than one YAML document in the file; a catalogue is one document",
                        )
                    )
                    raise _Stop
            elif kind is events.StreamEndEvent:
                break
    except _Stop:
        pass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = " ".join(part for part in (exc.context, exc.problem) if part)
        problems.append(
            Problem(
                path,
                mark.line + 1 if mark else None,
                f"YAML syntax: {message}",
                mark.column + 1 if mark else None,
            )
        )
    except yaml.reader.ReaderError as exc:
        line = data.count(b"\n", 0, exc.position) + 1
        column = exc.position - (data.rfind(b"\n", 0, exc.position) + 1) + 1
        character = exc.character if isinstance(exc.character, str) else chr(exc.character)
        problems.append(
            Problem(
                path,
                line,
                f"character {character!r} (U+{ord(character):04X}) is not allowed in YAML; remove it",
                column,
            )
        )
    except yaml.YAMLError as exc:
        problems.append(Problem(path, None, f"YAML: {exc}"))
    return root
