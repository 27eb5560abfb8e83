"""One registry of formats per command: the Typer app, the fast path and the writers all read `options`."""

from __future__ import annotations

import click
import pytest
import typer.main
from typer.testing import CliRunner

from ldn_evidence import commands, fast, options
from ldn_evidence.cli import app
from ldn_evidence.formats import ListFormat
from ldn_evidence.loader import load

from conftest import SHIPPED

COMMAND = typer.main.get_command(app)
assert isinstance(COMMAND, click.Group)


def _format_choices(name: str) -> tuple[str, ...]:
    (param,) = [p for p in COMMAND.commands[name].params if isinstance(p, click.Option) and "--format" in p.opts]
    assert isinstance(param.type, click.Choice)
    return tuple(param.type.choices)


@pytest.mark.parametrize("name", sorted(options.FORMATS))
def test_the_typer_app_offers_the_declared_formats(name: str) -> None:
    assert _format_choices(name) == options.FORMATS[name]


@pytest.mark.parametrize("name", sorted(n for n in fast.OPTIONS if n in options.FORMATS))
def test_the_fast_path_offers_the_declared_formats(name: str) -> None:
    table, _ = fast.OPTIONS[name]
    assert table["--format"] == table["-f"] == ("format", ("choice", *options.FORMATS[name]))


@pytest.mark.parametrize("name", sorted(commands.WRITERS))
def test_every_declared_format_has_one_writer(name: str) -> None:
    assert tuple(commands.WRITERS[name]) == options.FORMATS[name]


def test_list_formats_are_the_declared_ones() -> None:
    assert tuple(f.value for f in ListFormat) == options.FORMATS["list"]


@pytest.mark.parametrize("name", options.SELECTING)
def test_every_command_that_selects_studies_takes_every_filter(name: str) -> None:
    spellings = {o for p in COMMAND.commands[name].params if isinstance(p, click.Option) for o in p.opts}
    for option in options.FILTERS:
        assert set(option.names) <= spellings, (name, option.names)


def test_cite_selects_by_design() -> None:
    """`ldn cite --design rct` was "No such option"; now it cites the papers behind the RCTs only."""
    everything = CliRunner().invoke(app, ["cite", "--format", "bibtex"])
    rcts = CliRunner().invoke(app, ["cite", "--design", "rct", "--format", "bibtex"])
    assert everything.exit_code == rcts.exit_code == 0, rcts.output
    keys = [line for line in rcts.stdout.splitlines() if line.startswith("@")]
    assert 0 < len(keys) < everything.stdout.count("\n@") + 1
    # A design and condition whose studies no catalogued publication backs (computed: the catalogue grows).
    catalogue = load(SHIPPED)
    backed = {ident for publication in catalogue.publications for ident in publication.study}
    design, condition = next(
        (s.design, s.condition) for s in catalogue.studies
        if not any(o.id in backed for o in catalogue.studies if (o.design, o.condition) == (s.design, s.condition))
    )  # fmt: skip
    nothing = CliRunner().invoke(app, ["cite", "--design", design, "--condition", condition])
    assert nothing.exit_code == 1
    assert "no catalogued publication backs a study that matches" in nothing.stderr
