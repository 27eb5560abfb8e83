"""A start-up fast path for the common read-only commands.

Importing Typer and click costs more than the rest of a run at the shipped
size. This module reads the invocations it fully understands (list, show,
summary, safety, sources and verify with their usual options) without them and runs
the same functions in `commands`. Anything else, including every malformed
argument, help, completion, an unusual spelling or a one-value option given twice, is
left to the Typer app (`run_fast` returns None), so every usage message still
comes from one place. A test checks that OPTIONS matches the Typer app's own
options, and that both paths give the same output for the same arguments.
"""

from __future__ import annotations

import os
from typing import Any, Optional

from . import commands
from .options import FILTERS, GLOBAL_OPTIONS, Kind, format_choice
from .options import table as option_table

_FILTERS = option_table(FILTERS)
_FORMAT = ("--format", "-f")


def _formats(command: str) -> dict[str, tuple[str, Kind]]:
    return {name: ("format", format_choice(command)) for name in _FORMAT}


#: command -> (options, how many positional arguments it takes: (least, most)). The filters and the
#: formats come from `options`, as the Typer app's do; a test checks the rest against the app.
OPTIONS: dict[str, tuple[dict[str, tuple[str, Kind]], tuple[int, int]]] = {
    "list": (
        {
            **_FILTERS,
            "--sort": ("sort", ("choice", "level", "n", "year", "id")),
            "--limit": ("limit", ("int", 0, None)),
            **_formats("list"),
            "--raw-csv": ("raw_csv", "flag"),
            "--n": ("n_source", ("choice", "articles", "published")),
            "--wide": ("wide", "flag"),
        },
        (0, 0),
    ),
    "show": (_formats("show"), (1, 1)),
    "summary": (
        {
            **_FILTERS,
            "--by": ("by", ("choice", "design", "measure", "condition", "level")),
            **_formats("summary"),
            "--wide": ("wide", "flag"),
        },
        (0, 0),
    ),
    "safety": ({**_FILTERS, **_formats("safety"), "--wide": ("wide", "flag")}, (0, 0)),
    "sources": ({**_formats("sources"), "--wide": ("wide", "flag"), "--text": ("text", "flag")}, (0, 1)),
    "verify": ({"--seeds": ("seeds", "text")}, (0, 1)),
}


#: The most digits of a whole number the fast path reads itself.
_LONGEST = 18


class _NotMine(Exception):
    """The arguments are not a plain invocation this module reads; Typer will."""


def _value(kind: Kind, raw: str) -> Any:
    if kind == "text" or kind == "many":
        return raw
    if kind[0] == "int":
        # Plain digits, few enough that no limit is near; Typer reads the rest (leading zeros too) and
        # refuses a number too long to be a count with a message.
        if not (raw.isascii() and raw.isdigit() and len(raw) <= _LONGEST):
            raise _NotMine
        number = int(raw)
        low, high = kind[1], kind[2]
        if (low is not None and number < low) or (high is not None and number > high):
            raise _NotMine
        return number
    if kind[0] == "choice":  # case-insensitive, as click's Choice(case_sensitive=False)
        if raw.lower() not in kind[1:]:
            raise _NotMine
        return raw.lower()
    raise _NotMine  # pragma: no cover - every kind is handled above


def _parse(
    arguments: list[str], table: dict[str, tuple[str, Kind]], stop_at_word: bool
) -> tuple[dict[str, Any], list[str], int]:
    """Options read from the start of `arguments`, the positional words, and where reading stopped."""
    values: dict[str, Any] = {}
    words: list[str] = []
    i = 0
    while i < len(arguments):
        token = arguments[i]
        if not token.startswith("-") or token == "-":
            if stop_at_word:
                break
            words.append(token)
            i += 1
            continue
        name, equals, attached = token.partition("=")
        if name not in table or token == "--":
            raise _NotMine
        dest, kind = table[name]
        if kind == "flag":
            if equals or dest in values:
                raise _NotMine
            values[dest] = True
            i += 1
            continue
        if equals:
            if not name.startswith("--"):
                raise _NotMine
            raw = attached
            i += 1
        else:
            if i + 1 >= len(arguments) or arguments[i + 1].startswith("-"):
                raise _NotMine
            raw = arguments[i + 1]
            i += 2
        if kind == "many":
            values.setdefault(dest, []).append(raw)
        elif dest in values:
            raise _NotMine
        else:
            values[dest] = _value(kind, raw)
    return values, words, i


def _invocation(argv: list[str]) -> tuple[commands.Run, str, dict[str, Any], list[str]]:
    if os.environ.get("_LDN_COMPLETE") or any(a in ("-h", "--help", "--version") for a in argv):
        raise _NotMine
    globals_, _, at = _parse(argv, GLOBAL_OPTIONS, stop_at_word=True)
    if at >= len(argv) or argv[at] not in OPTIONS:
        raise _NotMine
    command = argv[at]
    table, (least, most) = OPTIONS[command]
    values, words, _ = _parse(argv[at + 1 :], table, stop_at_word=False)
    if not least <= len(words) <= most:
        raise _NotMine
    data = globals_.get("data")
    run = commands.Run(data=(data or os.environ.get("LDN_DATA") or None), cache=not globals_.get("no_cache", False))
    return run, command, values, words


def run_fast(argv: list[str]) -> Optional[int]:
    """Run `argv` if it is a plain read-only invocation; its exit code, or None to leave it to Typer."""
    try:
        run, command, values, words = _invocation(argv)
    except _NotMine:
        return None
    try:
        if command == "show":
            commands.show(run, words[0], values.get("format", "text"))
        elif command == "verify":
            from pathlib import Path

            seeds = values.get("seeds")
            commands.verify(run, [Path(words[0])] if words else None, None if seeds is None else Path(seeds))
        elif command == "sources":
            commands.sources(
                run, words[0] if words else None, values.get("format", "text"), values.get("wide", False),
                values.get("text", False),
            )  # fmt: skip
        else:
            where = commands.filters(
                values.get("condition", ()), values.get("design", ()), values.get("effect", ()),
                values.get("measure", ()), values.get("min_n"), values.get("level"), values.get("clinical", False),
                values.get("search"), values.get("retold", False), values.get("not_retold", False),
            )  # fmt: skip
            if command == "list":
                commands.list_studies(
                    run, where, values.get("sort", "level"), values.get("limit"), values.get("format"),
                    values.get("n_source", "articles"), values.get("wide", False), values.get("raw_csv", False),
                )  # fmt: skip
            elif command == "summary":
                commands.summary(
                    run, where, values.get("by", "design"), values.get("format", "text"), None, None,
                    values.get("wide", False),
                )  # fmt: skip
            else:
                commands.safety(run, where, values.get("format", "text"), values.get("wide", False))
    except commands.Exit as exc:
        return exc.code
    return commands.EXIT_OK
