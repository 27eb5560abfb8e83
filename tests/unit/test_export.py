"""Exports opened by the tools they are for; atomic writes; the JSON Schema."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from ldn_evidence import catalogue as q
from ldn_evidence import export as exporter
from ldn_evidence.cli import app
from ldn_evidence.errors import ExportError
from ldn_evidence.loader import load
from ldn_evidence.records import study_record
from ldn_evidence.results import list_records, show_record, show_result
from ldn_evidence.schema import catalogue_schema, schema_text

from conftest import ROOT, SHIPPED

CATALOGUE = load(SHIPPED)


def run(runner: CliRunner, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["--no-cache", *args], env={"LDN_DATA": ""})


def test_sqlite_opens_in_sqlite3_with_keys_and_a_join(runner: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "ldn.db"
    result = run(runner, "export", str(db))
    assert result.exit_code == 0, result.stderr
    with sqlite3.connect(db) as connection:
        connection.execute("PRAGMA foreign_keys = ON")
        count = connection.execute("SELECT count(*) FROM studies").fetchone()[0]
        quotes = connection.execute("SELECT count(*) FROM sources").fetchone()[0]
        joined = connection.execute(
            "SELECT s.id, s.n, s.evidence_level, s.duration_days, q.seed, q.quote FROM studies s "
            "JOIN sources q ON q.study_id = s.id WHERE s.id = 'norway-2017' ORDER BY q.position"
        ).fetchall()
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        types = {row[1]: row[2] for row in connection.execute("PRAGMA table_info(studies)")}
    assert count == len(CATALOGUE.studies)
    assert quotes == sum(len(s.sources) for s in CATALOGUE.studies)
    norway = q.find(CATALOGUE, "norway-2017")
    assert [(r[4], r[5]) for r in joined] == [(s.seed, s.quote) for s in norway.sources]
    assert joined[0][1:4] == (norway.n, norway.evidence_level, None)
    assert (types["n"], types["duration_days"], types["title"]) == ("INTEGER", "REAL", "TEXT")


@pytest.mark.parametrize("suffix", [".csv", ".json", ".jsonl", ".md"])
def test_text_exports_equal_list_formats(runner: CliRunner, tmp_path: Path, suffix: str) -> None:
    target = tmp_path / f"out{suffix}"
    assert run(runner, "export", str(target), "--condition", "ms").exit_code == 0
    fmt = {".csv": "csv", ".json": "json", ".jsonl": "jsonl", ".md": "markdown"}[suffix]
    listed = run(runner, "list", "--condition", "ms", "--format", fmt).stdout
    written = target.read_text(encoding="utf-8")
    if suffix in (".json", ".jsonl"):
        # JSON also carries the published layer: the list's records, each with its publications and discrepancies;
        # the JSON export also holds the documents and the general cautions.
        exported = json.loads(written) if suffix == ".json" else None
        records = exported["studies"] if exported else [json.loads(line) for line in written.splitlines()]
        expected = json.loads(listed) if suffix == ".json" else [json.loads(line) for line in listed.splitlines()]
        assert [{k: r[k] for k in e} for r, e in zip(records, expected, strict=True)] == expected
        assert all({"publications", "discrepancies"} <= set(r) for r in records)
        if exported:
            assert [c["id"] for c in exported["cautions"]] == [c.id for c in CATALOGUE.cautions]
            assert {d["seed"] for d in exported["documents"]} >= {s["seed"] for r in records for s in r["sources"]}
    else:
        assert written == listed


def test_csv_and_json_give_every_record_and_field_back(runner: CliRunner, tmp_path: Path) -> None:
    run(runner, "export", str(tmp_path / "a.json"))
    run(runner, "export", str(tmp_path / "a.csv"))
    records = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))["studies"]
    chosen = q.select(CATALOGUE)
    listed = list_records(CATALOGUE, chosen)
    assert records == [{**r, **show_record(show_result(CATALOGUE, s))} for r, s in zip(listed, chosen, strict=True)]
    records = [study_record(s) for s in q.select(CATALOGUE)]
    with (tmp_path / "a.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["id"] for r in rows] == [r["id"] for r in records]
    for row, record in zip(rows, records, strict=True):
        for key, value in record.items():
            if isinstance(value, list):
                assert json.loads(row[key]) == value
            else:
                assert row[key] == ("" if value is None else str(value)), key


def test_the_data_package_validates_with_frictionless(runner: CliRunner, tmp_path: Path) -> None:
    frictionless = pytest.importorskip("frictionless")
    target = tmp_path / "pkg" / "datapackage.json"
    assert run(runner, "export", str(target)).exit_code == 0
    report = frictionless.validate(str(target))
    assert report.valid, report.flatten(["type", "note"])
    descriptor = json.loads(target.read_text())
    assert [r["name"] for r in descriptor["resources"]] == [
        "studies",
        "investigators",
        "findings",
        "adverse_events",
        "sources",
        "documents",
        "cautions",
        "caution_sources",
        "review_includes",
        "publications",
        "publication_studies",
        "published_facts",
        "discrepancies",
        "search",
        "search_queries",
        "search_excluded",
    ]


def test_an_existing_file_is_replaced_only_with_force(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_text("old")
    refused = run(runner, "export", str(target))
    assert refused.exit_code == 1
    assert refused.stderr == f"Error: {target} exists; use --force to replace it\n"
    assert target.read_text() == "old"
    assert run(runner, "export", str(target), "--force").exit_code == 0
    assert json.loads(target.read_text())["studies"][0]["id"]


def test_an_interrupted_export_leaves_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "ldn.db"
    target.write_bytes(b"old database")

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(exporter, "tables", broken)
    with pytest.raises(KeyboardInterrupt):
        exporter.export(target, CATALOGUE, CATALOGUE.studies, force=True)
    assert target.read_bytes() == b"old database"
    assert [p.name for p in tmp_path.iterdir()] == ["ldn.db"]


def test_an_unknown_suffix_asks_for_a_format(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match=r"cannot tell the format of 'out\.xlsx'"):
        exporter.export(tmp_path / "out.xlsx", CATALOGUE, CATALOGUE.studies)


# --- schema --------------------------------------------------------------------------------


def test_the_schema_file_is_what_ldn_schema_prints(runner: CliRunner) -> None:
    printed = run(runner, "schema").stdout
    assert printed == schema_text()
    assert (ROOT / "schema" / "studies.schema.json").read_text(encoding="utf-8") == printed


def test_the_catalogue_points_editors_at_the_schema() -> None:
    first = SHIPPED.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../schema/studies.schema.json"
    assert (SHIPPED.parent / "../schema/studies.schema.json").resolve().is_file()


def test_the_shipped_catalogue_validates_against_the_schema() -> None:
    schema = catalogue_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(yaml.safe_load(SHIPPED.read_text(encoding="utf-8")), schema)


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"design": "rtc"}, "design"),
        ({"n": 0}, "n"),
        ({"doze": "5 mg"}, None),
        ({"sources": []}, "sources"),
        ({"id": "Not A Slug"}, "id"),
        ({"duration": "forever"}, "duration"),
    ],
)
def test_a_wrong_record_does_not_validate(change: dict[str, Any], path: str | None) -> None:
    data = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    data["studies"][0].update(change)
    with pytest.raises(jsonschema.ValidationError) as caught:
        jsonschema.validate(data, catalogue_schema())
    if path:
        assert list(caught.value.absolute_path)[-1] == path


def test_a_missing_required_field_does_not_validate() -> None:
    data = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    del data["studies"][0]["outcome"]
    with pytest.raises(jsonschema.ValidationError, match="'outcome' is a required property"):
        jsonschema.validate(data, catalogue_schema())


def test_sqlite_joins_discrepancies_and_publications_to_studies(runner: CliRunner, tmp_path: Path) -> None:
    from ldn_evidence.discrepancies import find_all

    db = tmp_path / "ldn.db"
    assert run(runner, "export", str(db), "--condition", "ms").exit_code == 0
    with sqlite3.connect(db) as connection:
        connection.execute("PRAGMA foreign_keys = ON")
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        rows = connection.execute(
            "SELECT d.study_id, d.kind, d.seed, p.doi, d.computed FROM discrepancies d "
            "JOIN studies s ON s.id = d.study_id JOIN publications p ON p.id = d.publication_id "
            "ORDER BY d.study_id, d.position"
        ).fetchall()
        facts = connection.execute("SELECT count(*) FROM published_facts").fetchone()[0]
        linked = connection.execute("SELECT study_id FROM publication_studies").fetchall()
    studies = q.select(CATALOGUE, q.make_filters(condition="ms"))
    expected = find_all(CATALOGUE, studies)
    assert len(rows) == len(expected)
    assert ("ucsf-cree-rct", "n", "003_8ba770466c0a1f04.txt", "10.1002/ana.22006", 1) in rows
    ids = {s.id for s in studies}
    assert {row[0] for row in linked} <= ids  # only the chosen studies
    papers = [p for p in CATALOGUE.publications if ids & set(p.study)]
    assert facts == sum(len(p.facts) for p in papers)
