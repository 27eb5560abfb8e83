"""Keep help and docs honest: the README shows every command, with its real output.

Each ```console block in README.md holds `$ ldn ...` lines, each followed by
what the command prints (stdout and stderr as they interleave), as run with
NO_COLOR=1 and COLUMNS=80 in the repository's root (`$ COLUMNS=50 ldn ...` sets
another width). A block may end its output with a line `...` to show only the first
lines. `python tests/test_docs.py` rewrites the blocks from real runs.
"""

from __future__ import annotations

import os
import re
import shlex
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
BLOCK = re.compile(r"```console\n(.*?)```", re.DOTALL)
ENV = {"NO_COLOR": "1", "COLUMNS": "80", "LDN_DATA": ""}


def examples(text: str) -> list[tuple[str, list[str]]]:
    """(command, expected output lines) for every `$ ldn` line in the README's console blocks."""
    found = []
    for block in BLOCK.findall(text):
        command: str | None = None
        lines: list[str] = []
        for line in block.splitlines():
            if line.startswith("$ "):
                if command is not None:
                    found.append((command, lines))
                command, lines = line[2:], []
            else:
                lines.append(line)
        if command is not None:
            found.append((command, lines))
    return found


def run(command: str, folder: Path) -> list[str]:
    """Run one README command; its output lines, trailing spaces removed.

    Commands run in the repository's root, as a reader would; `ldn export` and `ldn site`
    run in `folder` so that they write nothing into the checkout.
    """
    from ldn_evidence.cli import app

    words = shlex.split(command)
    env = dict(ENV)
    while "=" in words[0]:  # `COLUMNS=50 ldn ...`: an example at another width
        name, _, value = words.pop(0).partition("=")
        env[name] = value
    assert words[0] == "ldn", command
    previous = Path.cwd()
    os.chdir(folder if words[1] in ("export", "site") else ROOT)
    try:
        result = CliRunner().invoke(app, ["--no-cache", *words[1:]], env=env)
    finally:
        os.chdir(previous)
    lines = [line.rstrip() for line in result.output.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def test_the_readme_shows_every_command() -> None:
    from ldn_evidence.cli import app

    shown = {
        next(w for w in shlex.split(command) if "=" not in w and w != "ldn")
        for command, _ in examples(README.read_text(encoding="utf-8"))
    }
    commands = {command.name or command.callback.__name__ for command in app.registered_commands}  # type: ignore[union-attr]
    assert commands <= shown, f"not in the README: {sorted(commands - shown)}"


@pytest.mark.parametrize(("command", "expected"), examples(README.read_text(encoding="utf-8")))
def test_readme_output_is_real(command: str, expected: list[str], tmp_path: Path) -> None:
    actual = run(command, tmp_path)
    if expected and expected[-1] == "...":
        assert actual[: len(expected) - 1] == expected[:-1]
    else:
        assert actual == expected


def update() -> None:
    """Rewrite every console block of the README with the commands' real output."""
    import tempfile

    text = README.read_text(encoding="utf-8")

    def fill(match: re.Match[str]) -> str:
        out = []
        for command, expected in examples(match.group(0)):
            with tempfile.TemporaryDirectory() as folder:
                lines = run(command, Path(folder))
            if expected and expected[-1] == "...":
                lines = [*lines[: len(expected) - 1], "..."]
            out += [f"$ {command}", *lines]
        return "```console\n" + "\n".join(out) + "\n```"

    README.write_text(BLOCK.sub(fill, text), encoding="utf-8")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    update()
