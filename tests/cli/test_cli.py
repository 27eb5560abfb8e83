"""The command line: every command, format, filter and error path, stdout and stderr apart."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ldn_evidence import __version__
from ldn_evidence import catalogue as q
from ldn_evidence.cli import app
from ldn_evidence.discrepancies import misreports
from ldn_evidence.formats import studies_from_csv, to_json
from ldn_evidence.grading import counted_people, findings_summary
from ldn_evidence.loader import load
from ldn_evidence.results import list_records, show_record, show_result, strata_only
from ldn_evidence.text import NOT_MEDICAL_ADVICE
from ldn_evidence.wider import evidence_body

from conftest import MINIMAL, SHIPPED, catalogue_text, study_yaml

SHIPPED_CATALOGUE = load(SHIPPED)
COMMANDS = ("list", "show", "summary", "safety", "sources", "validate", "verify", "export", "schema")


def run(runner: CliRunner, *args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["--no-cache", *args], env={"LDN_DATA": "", **(env or {})})


# --- list --------------------------------------------------------------------------------


def test_list_json_equals_the_library(runner: CliRunner) -> None:
    result = run(runner, "list", "--condition", "ms", "--format", "json")
    assert result.exit_code == 0, result.stderr
    expected = list_records(SHIPPED_CATALOGUE, q.select(SHIPPED_CATALOGUE, q.make_filters(condition="ms")))
    assert json.loads(result.stdout) == expected
    mentions = sum(1 for record in expected if record["mention"])
    assert mentions == 2  # passing mentions are listed, and counted apart from the studies
    assert result.stderr.startswith(f"{len(expected) - mentions} studies and {mentions} passing mentions: ")


def test_list_json_has_the_contract_fields(runner: CliRunner) -> None:
    records = json.loads(run(runner, "list", "--format", "json").stdout)
    assert set(records[0]) == {
        "id", "title", "year", "place", "investigators", "condition", "population", "design", "n",
        "duration", "duration_kind", "dose", "outcome", "effect", "findings", "adverse_events", "tolerability",
        "notes", "mention", "sources", "evidence_level", "duration_days", "dose_mg_per_dose", "dose_mg_per_day",
        "includes", "retold", "n_articles", "published_n", "differs", "commercial_only", "published",
    }  # fmt: skip


def test_list_in_a_pipe_is_tab_separated_under_a_header(runner: CliRunner) -> None:
    result = run(runner, "list", "--condition", "ms")
    lines = result.stdout.splitlines()
    assert lines[0].split("\t") == [
        "id",
        "year",
        "condition",
        "design",
        "level",
        "n",
        "duration",
        "dose",
        "effect",
    ]
    expected = q.select(SHIPPED_CATALOGUE, q.make_filters(condition="ms"))
    assert [line.split("\t")[0] for line in lines[1:]] == [s.id for s in expected]
    assert all(len(line.split("\t")) == 9 for line in lines)
    assert "\x1b" not in result.stdout


def test_list_table_when_asked(runner: CliRunner) -> None:
    result = run(runner, "list", "--format", "table", "--design", "rct")
    assert result.exit_code == 0
    for study in q.select(SHIPPED_CATALOGUE, q.make_filters(designs=["rct"])):
        assert study.id in result.stdout
    assert "not reported" in result.stdout


def test_list_jsonl_and_csv_hold_every_record(runner: CliRunner) -> None:
    lines = run(runner, "list", "--format", "jsonl").stdout.splitlines()
    assert [json.loads(line)["id"] for line in lines] == [s.id for s in q.select(SHIPPED_CATALOGUE)]
    text = run(runner, "list", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(rows) == len(SHIPPED_CATALOGUE.studies)
    assert {s.id: s for s in studies_from_csv(text)} == {s.id: s for s in SHIPPED_CATALOGUE.studies}


def test_list_markdown(runner: CliRunner) -> None:
    text = run(runner, "list", "--format", "markdown", "--design", "rct").stdout
    assert text.startswith("| id | year | condition |")
    assert text.count("\n") == 2 + len(q.select(SHIPPED_CATALOGUE, q.make_filters(designs=["rct"])))


def test_list_limit_and_sort(runner: CliRunner) -> None:
    result = run(runner, "list", "--sort", "n", "--limit", "2", "--format", "json")
    ranked = q.select(SHIPPED_CATALOGUE, sort="n")
    assert [r["id"] for r in json.loads(result.stdout)] == [s.id for s in ranked[:2]]
    assert result.stderr.startswith(f"showing 2 studies of {len(ranked)} records")


@pytest.mark.parametrize("fmt", ["json", "csv", "tsv", "jsonl", "markdown", "table"])
def test_a_filter_that_matches_nothing_is_not_an_error(runner: CliRunner, fmt: str) -> None:
    result = run(runner, "list", "--condition", "cancer", "--design", "case-report", "--format", fmt)
    assert result.exit_code == 0
    assert result.stderr == "no studies match\n"
    if fmt == "json":
        assert result.stdout == "[]\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--condition", "mss"],
            "Error: unknown condition 'mss'; did you mean 'ms'? Valid values: ms, crohns",
        ),
        (
            ["--design", "rtc"],
            "Error: unknown design 'rtc'; did you mean 'rct'? Valid values: systematic-review",
        ),
        (["--effect", "good"], "Error: unknown effect 'good'. Valid values: benefit, no-effect"),
        (["--measure", "pian"], "Error: unknown measure 'pian'; did you mean 'pain'? Valid values:"),
    ],
)
def test_unknown_filter_values_are_usage_errors(runner: CliRunner, args: list[str], message: str) -> None:
    for command in ("list", "summary", "safety"):
        result = run(runner, command, *args)
        assert result.exit_code == 2
        assert result.stdout == ""
        assert result.stderr.startswith(message)


@pytest.mark.parametrize("args", [["--level", "9"], ["--min-n", "0"], ["--sort", "size"], ["--format", "xml"]])
def test_bad_option_values_are_usage_errors(runner: CliRunner, args: list[str]) -> None:
    result = run(runner, "list", *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Invalid value" in result.stderr


# --- show ------------------------------------------------------------------------------------


def test_show_by_id_and_prefix(runner: CliRunner) -> None:
    full = run(runner, "show", "norway-2017", "--format", "json")
    assert json.loads(full.stdout) == show_record(
        show_result(SHIPPED_CATALOGUE, q.find(SHIPPED_CATALOGUE, "norway-2017"))
    )
    assert run(runner, "show", "norway", "--format", "json").stdout == full.stdout


def test_show_text_has_the_level_and_every_quote(runner: CliRunner) -> None:
    study = q.find(SHIPPED_CATALOGUE, "ucsf-cree-rct")
    result = run(runner, "show", study.id, env={"COLUMNS": "400"})
    assert "Level 2 of 5 (1 is strongest) — randomized controlled trial" in result.stdout
    flat = " ".join(result.stdout.replace("│", " ").split())
    for source in study.sources:
        assert " ".join(source.quote.split()) in flat


def test_show_markdown(runner: CliRunner) -> None:
    study = q.find(SHIPPED_CATALOGUE, "norway-2017")
    text = run(runner, "show", "norway-2017", "--format", "markdown").stdout
    assert text.startswith(f"# {study.title}\n")
    assert "  > The most comprehensive study examining the impact of LDN" in text


def test_show_unknown_id(runner: CliRunner) -> None:
    result = run(runner, "show", "norway-2018")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("Error: no study 'norway-2018'; did you mean norway-2017")


def test_show_ambiguous_prefix(runner: CliRunner) -> None:
    result = run(runner, "show", "ms-")
    assert result.exit_code == 1
    assert "matches more than one study" in result.stderr


# --- summary and safety ----------------------------------------------------------------------------


def test_summary_json_equals_the_library(runner: CliRunner) -> None:
    result = run(runner, "summary", "--design", "rct", "--format", "json")
    assert result.exit_code == 0
    rcts = q.select(SHIPPED_CATALOGUE, q.make_filters(designs=["rct"]))
    # People are counted as the rated rows count them, in the map and the bars too (one count per view).
    people = counted_people(SHIPPED_CATALOGUE, rcts)
    numbers = {ident: cell["number"] for ident, cell in people.items()}
    expected = strata_only(
        {**findings_summary(SHIPPED_CATALOGUE, rcts), **q.summarise(rcts, numbers), "people": people}
    )
    assert json.loads(result.stdout) == json.loads(to_json(expected))
    data = json.loads(result.stdout)
    assert data["count"] == len(rcts)
    # People are never summed across conditions: only within one condition and design, in the evidence map.
    assert "participants" not in data
    for condition, row in data["evidence_map"].items():
        counted = [people[s.id]["number"] for s in rcts if s.condition == condition]
        assert row["rct"]["participants"] == sum(n for n in counted if n is not None)
    assert result.stderr == f"Rests on {evidence_body(rcts, SHIPPED_CATALOGUE)['line']}\n{NOT_MEDICAL_ADVICE}\n"


@pytest.mark.parametrize("by", ["design", "measure", "condition", "level"])
def test_summary_text_views(runner: CliRunner, by: str) -> None:
    result = run(runner, "summary", "--condition", "ms", "--by", by)
    assert result.exit_code == 0
    assert result.stdout.rstrip().endswith(NOT_MEDICAL_ADVICE)
    assert f"By {by}" in result.stdout
    assert "Evidence map" in result.stdout and "Participants per study" in result.stdout


def test_summary_saves_svg_and_html(runner: CliRunner, tmp_path: Path) -> None:
    svg, html = tmp_path / "s.svg", tmp_path / "s.html"
    result = run(runner, "summary", "--svg", str(svg), "--html", str(html))
    assert result.exit_code == 0
    assert svg.read_text().startswith("<svg")
    assert "not medical advice" in html.read_text()


def test_safety_json_equals_the_library(runner: CliRunner) -> None:
    result = run(runner, "safety", "--condition", "ms", "--format", "json")
    studies = q.select(SHIPPED_CATALOGUE, q.make_filters(condition="ms"))
    assert json.loads(result.stdout) == q.safety(SHIPPED_CATALOGUE, studies)
    assert result.stderr == f"Rests on {evidence_body(studies, SHIPPED_CATALOGUE)['line']}\n{NOT_MEDICAL_ADVICE}\n"


def test_safety_text_shows_events_and_cautions(runner: CliRunner) -> None:
    result = run(runner, "safety", env={"COLUMNS": "300"})
    assert result.exit_code == 0
    report = q.safety(SHIPPED_CATALOGUE, SHIPPED_CATALOGUE.studies)
    for event in report["adverse_events"]:
        assert event["event"] in result.stdout
    for caution in report["cautions"]:
        assert caution["text"] in result.stdout
    assert NOT_MEDICAL_ADVICE in result.stdout


# --- sources --------------------------------------------------------------------------------


def test_sources(runner: CliRunner) -> None:
    result = run(runner, "sources", "--format", "json")
    assert json.loads(result.stdout) == q.documents(SHIPPED_CATALOGUE)
    one = run(runner, "sources", "003", "--format", "json")
    entry = q.find_document(SHIPPED_CATALOGUE, "003")
    tally = misreports(SHIPPED_CATALOGUE, entry["seed"], entry["studies"])
    assert json.loads(one.stdout) == {**entry, "misreports": tally}
    assert run(runner, "sources").exit_code == 0
    assert run(runner, "sources", "003").exit_code == 0
    missing = run(runner, "sources", "999")
    assert missing.exit_code == 1
    assert missing.stderr.startswith("Error: no document '999'")


# --- validate and verify -----------------------------------------------------------------------


def test_validate_the_shipped_catalogue(runner: CliRunner) -> None:
    result = run(runner, "validate")
    assert result.exit_code == 0
    assert result.stdout == ""
    cautions = len(SHIPPED_CATALOGUE.cautions)
    assert result.stderr.endswith(
        f"valid: {len(SHIPPED_CATALOGUE.studies)} studies, 4 documents, {cautions} cautions, "
        f"{len(SHIPPED_CATALOGUE.publications)} publications\n"
    )


def test_validate_reports_every_problem(runner: CliRunner, write_catalogue: Callable[[str], Path]) -> None:
    path = write_catalogue(MINIMAL.replace("title: A study", "title: NO").replace("design: rct", "design: rtc"))
    result = run(runner, "validate", str(path))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{path}:9: good-study: title: NO reads as")
    assert lines[1].startswith(f"{path}:11: good-study: design: unknown value 'rtc'")
    assert result.stderr == f"{path}: 2 problems in the catalogue\n"


def test_every_reader_command_refuses_an_invalid_catalogue(
    runner: CliRunner, write_catalogue: Callable[[str], Path]
) -> None:
    path = write_catalogue(MINIMAL.replace("n: 10", "n: ten"))
    for command in (["list"], ["show", "good"], ["summary"], ["safety"], ["sources"]):
        result = run(runner, "--data", str(path), *command)
        assert result.exit_code == 1
        assert result.stdout == ""
        assert f"{path}:12: good-study: n: expected a whole number, found 'ten'" in result.stderr


def test_a_missing_catalogue_is_exit_1(runner: CliRunner, tmp_path: Path) -> None:
    result = run(runner, "--data", str(tmp_path / "none.yaml"), "list")
    assert result.exit_code == 1
    assert result.stderr == f"Error: {tmp_path / 'none.yaml'}: no such file\n"


def test_data_from_the_environment(runner: CliRunner, write_catalogue: Callable[[str], Path]) -> None:
    path = write_catalogue(MINIMAL)
    result = runner.invoke(app, ["--no-cache", "list", "--format", "json"], env={"LDN_DATA": str(path)})
    assert [r["id"] for r in json.loads(result.stdout)] == ["good-study"]


def test_validate_several_files_reports_each(
    runner: CliRunner, write_catalogue: Callable[[str], Path], tmp_path: Path
) -> None:
    good = write_catalogue(MINIMAL)
    missing = tmp_path / "missing.yaml"
    result = run(runner, "validate", str(good), str(missing))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{good}: valid: 1 study, 1 document, 0 cautions",
        f"Error: {missing}: no such file",
    ]


def test_verify_the_shipped_catalogue(runner: CliRunner) -> None:
    result = run(runner, "verify")
    assert result.exit_code == 0, result.stdout
    assert "verified:" in result.stderr


def test_verify_reports_a_quote_that_is_not_verbatim(runner: CliRunner, write_catalogue: Callable[[str], Path]) -> None:
    path = write_catalogue(catalogue_text(study_yaml("s", sources=[{"seed": "a.txt", "quote": "A random trial"}])))
    result = run(runner, "verify", str(path))
    assert result.exit_code == 1
    assert 's: sources: quote not found in a.txt: "A random trial"; closest passage:' in result.stdout
    assert result.stderr.startswith(f"{path}: 1 of the checks failed (2 quotes against ")


# --- help and version --------------------------------------------------------------------------


def test_version(runner: CliRunner) -> None:
    result = run(runner, "--version")
    assert result.stdout == f"ldn {__version__}\n"


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(runner: CliRunner, command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.stdout
    assert f"ldn {command}" in result.stdout
