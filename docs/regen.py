"""Rewrite the documentation's examples and its CLI reference from real runs.

    python docs/regen.py           rewrite README.md, every page in docs/ and docs/reference/cli.md
    python docs/regen.py --check   change nothing; exit 1, naming each stale file, when any is stale

A ```console block holds `$ ldn ...` lines, each followed by what the command prints
(stdout and stderr as they interleave), as run with NO_COLOR=1 and COLUMNS=80 in the
repository's root; `$ COLUMNS=50 ldn ...` sets another width or another variable. A block
may end a command's output with a line `...` to show only its first lines. Output is never
typed by hand: write the `$` line, run this script, read what it wrote.

It also rewrites the table of modules between the `<!-- modules: start -->` and
`<!-- modules: end -->` lines of docs/internals/architecture.md.

`tests/test_docs.py` reads the same blocks with the functions below and fails when a page
and a real run differ, or when the CLI reference is not what `cli_reference()` makes.
"""

from __future__ import annotations

import os
import re
import shlex
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
CLI_REFERENCE = DOCS / "reference" / "cli.md"
BLOCK = re.compile(r"```console\n(.*?)```", re.DOTALL)
ENV = {"NO_COLOR": "1", "COLUMNS": "80", "LDN_DATA": ""}
WIDTH = 80


def pages() -> list[Path]:
    """README.md and every Markdown page under docs/, in a fixed order."""
    return [ROOT / "README.md", *sorted(DOCS.rglob("*.md"))]


@dataclass(frozen=True)
class Example:
    """One `$ ldn ...` line of a console block and the output written under it."""

    page: Path
    """The file the block is in."""
    line: int
    """The line of the `$` in that file (1 is the first)."""
    command: str
    """The command as written, without the `$ `."""
    expected: tuple[str, ...]
    """The lines under it; a last line `...` means only the first lines are shown."""

    @property
    def where(self) -> str:
        """`page:line`, for test ids and messages."""
        return f"{self.page.relative_to(ROOT)}:{self.line}"


def examples(page: Path, text: str | None = None) -> list[Example]:
    """Every `$` line in the page's console blocks, with the output written under it."""
    text = page.read_text(encoding="utf-8") if text is None else text
    found = []
    for match in BLOCK.finditer(text):
        first = text.count("\n", 0, match.start(1)) + 1
        command: str | None = None
        start = 0
        lines: list[str] = []
        for number, line in enumerate(match.group(1).splitlines(), first):
            if line.startswith("$ "):
                if command is not None:
                    found.append(Example(page, start, command, tuple(lines)))
                command, start, lines = line[2:], number, []
            else:
                lines.append(line)
        if command is not None:
            found.append(Example(page, start, command, tuple(lines)))
    return found


def run(command: str, folder: Path) -> list[str]:
    """Run one `ldn ...` command line; its output lines, trailing spaces and blank lines removed.

    Commands run in the repository's root, as a reader would; `ldn export` and
    `ldn site` run in `folder` so that they write nothing into the checkout.
    """
    from typer.testing import CliRunner

    from ldn_evidence.cli import app

    words = shlex.split(command)
    env = dict(ENV)
    while words and "=" in words[0]:  # `COLUMNS=50 ldn ...`: an example at another width
        name, _, value = words.pop(0).partition("=")
        env[name] = value
    if not words or words[0] != "ldn":
        raise ValueError(f"not an ldn command: {command}")
    previous = Path.cwd()
    os.chdir(folder if words[1:2] in (["export"], ["site"]) else ROOT)
    try:
        result = CliRunner().invoke(app, ["--no-cache", *words[1:]], env=env, prog_name="ldn")
    finally:
        os.chdir(previous)
    lines = [line.rstrip() for line in result.output.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def shown(example: Example, actual: list[str]) -> list[str]:
    """What the page should show for a run: all of it, or as many first lines as it shows."""
    if example.expected and example.expected[-1] == "...":
        return [*actual[: len(example.expected) - 1], "..."]
    return actual


def refill(page: Path, text: str) -> str:
    """The page's text with every console block's output replaced by a real run's."""

    def fill(match: re.Match[str]) -> str:
        out = []
        for example in examples(page, match.group(0)):
            with tempfile.TemporaryDirectory() as folder:
                out += [f"$ {example.command}", *shown(example, run(example.command, Path(folder)))]
        return "```console\n" + "\n".join(out) + "\n```"

    return BLOCK.sub(fill, text)


# --- the CLI reference ------------------------------------------------------------------


def _cell(text: str) -> str:
    """Text for one Markdown table cell: one line, pipes escaped."""
    return " ".join(text.split()).replace("|", "\\|")


def _param_row(param: Any) -> str:
    import click

    if isinstance(param, click.Argument):
        names = f"`{param.human_readable_name.strip('[].')}`"
    else:
        names = ", ".join(f"`{name}`" for name in sorted([*param.opts, *param.secondary_opts], key=len))
    kind = param.type
    if isinstance(kind, click.Choice):
        value = " / ".join(f"`{choice}`" for choice in kind.choices)
    elif getattr(param, "is_flag", False):
        value = "flag"
    else:
        value = kind.name.lower()
        if isinstance(kind, click.types._NumberRangeBase):
            value = f"{value.removesuffix(' range')}, {kind._describe_range()}"
        if param.nargs == -1:
            value += ", any number"
    default = param.default
    if default is None or default is False or default == () or getattr(param, "is_flag", False):
        default_text = ""
    else:
        default_text = f"`{getattr(default, 'value', default)}`"
    extra = []
    help_text = getattr(param, "help", None) or ""
    if getattr(param, "multiple", False) and "repeat" not in help_text:
        extra.append("may be repeated")
    if param.envvar:
        extra.append(f"environment variable `{param.envvar}`")
    if isinstance(param, click.Argument):
        extra.append("required" if param.required else "optional")
    if extra:
        help_text = f"{help_text} ({'; '.join(extra)})" if help_text else "; ".join(extra)
    return f"| {names} | {_cell(value)} | {default_text} | {_cell(help_text)} |"


def cli_reference() -> str:
    """docs/reference/cli.md, made from the Typer app: every command, its usage and its options."""
    import click
    import typer.main

    from ldn_evidence.cli import app

    group = typer.main.get_command(app)
    assert isinstance(group, click.Group)
    root = click.Context(group, info_name="ldn", terminal_width=WIDTH, **group.context_settings)
    out = [
        "# Command-line reference",
        "",
        "<!-- Made by `python docs/regen.py` from the Typer app; a test fails when it is stale. -->",
        "",
        "Every command, its arguments and its options, as `ldn COMMAND --help` gives them.",
        "The pages under [Commands](../commands/index.md) show each one at work.",
        "",
    ]

    def section(ctx: click.Context, command: click.Command, title: str) -> None:
        usage = " ".join(command.collect_usage_pieces(ctx))
        help_text = (command.help or "").split("\b")[0].strip()
        out.extend([f"## {title}", "", "```text", f"{ctx.command_path} {usage}", "```", ""])
        paragraphs = [" ".join(p.split()) for p in help_text.split("\n\n") if p.strip()]
        prose = [p for p in paragraphs if not p.startswith("Example")]
        out.extend(f"{p}\n" for p in prose)
        example = (command.help or "").partition("Example:")[2]
        if example.strip():
            lines = [line.strip() for line in example.strip("\b\n").splitlines() if line.strip()]
            out.extend(["Examples:", "", "```sh", *lines, "```", ""])
        params = [p for p in command.get_params(ctx) if not getattr(p, "hidden", False)]
        if params:
            out.extend(["| name | value | default | what it does |", "|---|---|---|---|"])
            out.extend(_param_row(p) for p in params)
            out.append("")

    section(root, group, "`ldn`")
    for name in group.list_commands(root):
        command = group.get_command(root, name)
        assert command is not None
        ctx = click.Context(command, info_name=name, parent=root, **command.context_settings)
        section(ctx, command, f"`ldn {name}`")
    return "\n".join(out).rstrip("\n") + "\n"


# --- the module table -------------------------------------------------------------------

MODULES = re.compile(r"(<!-- modules: start -->\n).*?(<!-- modules: end -->)", re.DOTALL)


def module_table() -> str:
    """A Markdown table of the package's modules, each with its docstring's first line."""
    import ast

    package = ROOT / "ldn_evidence"
    rows = ["| module | what it is |", "|---|---|"]
    for path in sorted(package.rglob("*.py")):
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
        first = " ".join(doc.split("\n\n")[0].split())
        name = ".".join(path.relative_to(package).with_suffix("").parts)
        rows.append(f"| `{name}` | {_cell(first)} |")
    return "\n".join(rows) + "\n"


def refill_modules(text: str) -> str:
    """The text with the table between the `modules` markers made anew."""
    return MODULES.sub(lambda m: m.group(1) + module_table() + m.group(2), text)


# --- the script ---------------------------------------------------------------------------


def stale() -> dict[Path, str]:
    """Each file whose text differs from what real runs give, with the text it should have."""
    wanted: dict[Path, str] = {}
    for page in pages():
        if page == CLI_REFERENCE:
            continue
        text = page.read_text(encoding="utf-8")
        new = refill_modules(refill(page, text))
        if new != text:
            wanted[page] = new
    reference = cli_reference()
    if not CLI_REFERENCE.exists() or CLI_REFERENCE.read_text(encoding="utf-8") != reference:
        wanted[CLI_REFERENCE] = reference
    return wanted


def main(argv: list[str]) -> int:
    """Rewrite what is stale (or, with --check, only name it); 1 when --check finds something."""
    check = argv == ["--check"]
    if argv and not check:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    wanted = stale()
    for path, text in wanted.items():
        where = path.relative_to(ROOT)
        if check:
            print(f"stale: {where}", file=sys.stderr)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"rewrote {where}", file=sys.stderr)
    return 1 if check and wanted else 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main(sys.argv[1:]))
