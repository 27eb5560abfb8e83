"""One registry of formats per command: the Typer app, the fast path and the writers all read `options`."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import click
import pytest
import typer.main
from typer.testing import CliRunner

from ldn_evidence import commands, fast, options, writers
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


@pytest.mark.parametrize("name", sorted(writers.NEEDS))
def test_what_a_writer_needs_is_declared_for_its_own_formats(name: str) -> None:
    assert set(writers.NEEDS[name]) <= set(options.FORMATS[name])
    result = {"list": writers.Listing, "sources": writers.Sources}[name]
    fields = {field.name for field in dataclasses.fields(result)}
    assert set().union(*writers.NEEDS[name].values()) <= fields


@pytest.mark.parametrize("result", [writers.Listing, writers.Sources, writers.Summary])
def test_results_hold_plain_data_not_the_catalogue(result: type) -> None:
    assert all("Catalogue" not in str(field.type) for field in dataclasses.fields(result))


def test_the_list_table_draws_its_marks_from_the_result_alone(capsys: pytest.CaptureFixture[str]) -> None:
    studies = load(SHIPPED).studies[:3]
    listing = writers.Listing(studies, commercial=frozenset({studies[1].id}), differs=frozenset({studies[2].id}))
    writers.WRITERS["list"]["table"](listing, writers.Style(wide=True))
    lines = capsys.readouterr().out.splitlines()
    assert any(studies[1].id + " †" in line for line in lines) and any(studies[2].id + " ≠" in line for line in lines)
    assert not any(studies[0].id + " " + mark in line for line in lines for mark in "†≠")


@pytest.mark.parametrize("fmt", ["tsv", "markdown", "table", "json"])
def test_list_works_out_the_marks_and_records_only_for_the_formats_that_draw_them(
    fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ldn_evidence.discrepancies
    import ldn_evidence.results

    asked: list[str] = []
    for module, name in ((ldn_evidence.discrepancies, "differing"), (ldn_evidence.results, "list_records")):
        real = getattr(module, name)
        monkeypatch.setattr(module, name, lambda *a, real=real, name=name: asked.append(name) or real(*a))
    result = CliRunner().invoke(app, ["list", "--format", fmt])
    assert result.exit_code == 0, result.output
    # (the records themselves carry the ≠ mark: list_records asks `differing` in turn)
    assert asked == {"table": ["differing"], "json": ["list_records", "differing"]}.get(fmt, [])


def test_sources_works_out_the_studies_only_for_the_text_view(monkeypatch: pytest.MonkeyPatch) -> None:
    import ldn_evidence.catalogue
    import ldn_evidence.wider

    asked: list[str] = []
    for module, name in ((ldn_evidence.catalogue, "find"), (ldn_evidence.wider, "flow")):
        real = getattr(module, name)
        monkeypatch.setattr(module, name, lambda *a, real=real, name=name: asked.append(name) or real(*a))
    for args in (["sources", "--format", "json"], ["sources", "003", "--format", "json"], ["sources", "003", "--text"]):
        assert CliRunner().invoke(app, args).exit_code == 0
    assert asked == []
    assert CliRunner().invoke(app, ["sources"]).exit_code == 0
    assert asked == ["flow"]
    assert CliRunner().invoke(app, ["sources", "003"]).exit_code == 0
    assert asked[0] == "flow" and set(asked[1:]) == {"find"} and len(asked) > 1


def test_summary_saves_the_view_it_drew_without_drawing_it_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ldn_evidence.render.summary

    built: list[object] = []
    real = ldn_evidence.render.summary.summary_view
    monkeypatch.setattr(ldn_evidence.render.summary, "summary_view", lambda *a: built.append(a) or real(*a))
    picture = tmp_path / "s.svg"
    result = CliRunner().invoke(app, ["summary", "--svg", str(picture)])
    assert result.exit_code == 0, result.output
    assert picture.read_text(encoding="utf-8").startswith("<svg") and len(built) == 1
    built.clear()
    result = CliRunner().invoke(app, ["summary", "--format", "json", "--svg", str(tmp_path / "j.svg")])
    assert result.exit_code == 0 and len(built) == 1
