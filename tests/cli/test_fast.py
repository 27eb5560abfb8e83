"""The start-up fast path reads only what it understands, exactly as the Typer app would."""

from __future__ import annotations

import click
import pytest
import typer.main
from typer.testing import CliRunner

from ldn_evidence import fast
from ldn_evidence.cli import app

COMMAND = typer.main.get_command(app)
assert isinstance(COMMAND, click.Group)


def _kind(param: click.Option) -> object:
    if param.is_flag:
        return "flag"
    if param.multiple:
        return "many"
    if isinstance(param.type, click.Choice):
        return ("choice", *param.type.choices)
    if isinstance(param.type, click.IntRange):
        return ("int", param.type.min, param.type.max)
    return "text"


def _typer_options(params: list[click.Parameter]) -> dict[str, tuple[str, object]]:
    table = {}
    for param in params:
        if isinstance(param, click.Option):
            for name in param.opts:
                table[name] = (param.name, _kind(param))
    return table


@pytest.mark.parametrize("name", list(fast.OPTIONS))
def test_every_fast_option_is_the_typer_option(name: str) -> None:
    command = COMMAND.commands[name]
    typer_options = _typer_options(command.params)
    options, (least, most) = fast.OPTIONS[name]
    for option, (dest, kind) in options.items():
        assert option in typer_options, option
        typer_dest, typer_kind = typer_options[option]
        assert dest == typer_dest, option
        if isinstance(kind, tuple) and kind[0] == "choice":
            assert set(kind[1:]) == set(typer_kind[1:]), option  # type: ignore[index]
        else:
            assert kind == typer_kind, option
    arguments = [p for p in command.params if isinstance(p, click.Argument)]
    assert (least, most) == (sum(a.required for a in arguments), len(arguments))


def test_the_global_options_are_typers() -> None:
    typer_options = _typer_options(COMMAND.params)
    for option, (dest, kind) in fast.GLOBAL_OPTIONS.items():
        assert typer_options[option] == (dest, kind)


# Every invocation below is run both ways; where the fast path takes it, both must agree.
INVOCATIONS = [
    ["list"],
    ["list", "--format", "json"],
    ["list", "-f", "jsonl"],
    ["list", "--format=csv"],
    ["list", "--format=csv", "--raw-csv"],
    ["list", "--condition", "ms", "--design", "rct", "-d", "open-label"],
    ["list", "-c", "PPMS"],
    ["list", "--condition", "multiple sclerosis", "--format", "markdown"],
    ["list", "--sort", "year", "--limit", "3"],
    ["list", "--min-n", "50"],
    ["list", "--level", "3", "--clinical"],
    ["list", "--search", "cytokine"],
    ["list", "--measure", "pain", "--effect", "benefit"],
    ["list", "--condition", "mss"],
    ["list", "--design", "rtc"],
    ["list", "--condition", "cancer", "--design", "rct", "--format", "json"],
    ["list", "--level", "9"],
    ["list", "--limit", "-1"],
    ["list", "--sort", "size"],
    ["list", "--format", "xml"],
    ["list", "--condition"],
    ["list", "extra"],
    ["list", "--condition", "ms", "--condition", "crps"],
    ["list", "-e", "mixed", "--effect", "no-effect", "-m", "qol", "--measure", "pain"],
    ["list", "--design", "randomised", "--format", "JSON"],
    ["list", "--format", "table", "--wide"],
    ["list", "--wide", "--limit", "0", "--format", "table"],
    ["list", "-condition", "ms"],
    ["list", "--design", "placebo-controlled"],
    ["list", "--clinical=yes"],
    ["list", "-cms"],
    ["list", "--min-n", "1_0"],
    ["list", "--limit", " 3"],
    ["show", "norway-2017"],
    ["show", "norway", "--format", "json"],
    ["show", "norway", "-f", "markdown"],
    ["show", "nope"],
    ["show", "ms-"],
    ["show"],
    ["show", "a", "b"],
    ["summary"],
    ["summary", "--design", "rct", "--format", "json"],
    ["summary", "--by", "measure"],
    ["summary", "--by", "level", "--condition", "ms"],
    ["summary", "--by", "nothing"],
    ["safety"],
    ["safety", "--condition", "ms", "--format", "json"],
    ["safety", "--effect", "good"],
    ["sources"],
    ["sources", "003"],
    ["sources", "--format", "json"],
    ["sources", "999"],
    ["sources", "003", "--text"],
    ["sources", "--text"],
    ["sources", "--wide"],
    ["sources", ""],
    ["show", ""],
    ["summary", "--wide", "--format", "TEXT"],
    ["summary", "--condition", "cancer", "--design", "rct"],
    ["safety", "--wide", "--measure", "pain"],
    ["verify"],
    ["verify", "data/studies.yaml"],
    ["verify", "--seeds", "/nonexistent/seeds"],
    ["verify", "/nonexistent/studies.yaml"],
    ["verify", "a.yaml", "b.yaml"],
    ["--help"],
    ["list", "--help"],
    ["--version"],
    ["validate"],
    ["schema"],
    ["nonsense"],
    [],
]


@pytest.mark.parametrize("argv", INVOCATIONS, ids=[" ".join(a) or "(none)" for a in INVOCATIONS])
def test_fast_path_and_typer_agree(
    argv: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("LDN_DATA", raising=False)
    code = fast.run_fast(["--no-cache", *argv])
    fast_out = capsys.readouterr()
    typer = CliRunner().invoke(app, ["--no-cache", *argv], env={"COLUMNS": "100", "NO_COLOR": "1"})
    if code is None:
        return  # left to Typer, as intended
    assert code == typer.exit_code
    # click's runner reports CRLF (CSV's line ends) as LF; the bytes written are the same.
    assert fast_out.out.replace("\r\n", "\n") == typer.stdout
    assert fast_out.err == typer.stderr


@pytest.mark.parametrize(
    "argv",
    [
        ["list", "--condition", "ms", "--format", "json"],
        ["list", "-c", "ms"],
        ["summary", "--design", "rct"],
        ["show", "norway"],
        ["safety", "--format", "json"],
        ["sources", "003"],
        ["sources", "003", "--text"],
        ["list", "-c", "ms", "-c", "crps", "--wide"],
        ["summary", "--format", "JSON", "--measure", "pain", "--measure", "qol"],
        ["verify"],
        ["verify", "--seeds", "/nonexistent/seeds"],
    ],
)
def test_the_fast_path_takes_the_common_invocations(argv: list[str]) -> None:
    # A catalogue that is not there makes every command fail at once, so this only shows who answered.
    assert fast.run_fast(["--data", "/nonexistent/studies.yaml", *argv]) == 1


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["list", "-h"],
        ["--version"],
        ["validate"],
        ["list", "--condition"],
        ["list", "--level", "9"],
        ["list", "-cms"],
        ["summary", "--svg", "x.svg"],
    ],
)
def test_anything_unusual_is_left_to_typer(argv: list[str]) -> None:
    assert fast.run_fast(argv) is None
