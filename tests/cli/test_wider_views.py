"""The views of the wider evidence: `ldn prisma`, --retold/--not-retold, show and list of both layers, links."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ldn_evidence import catalogue as q
from ldn_evidence.cli import app
from ldn_evidence.loader import load
from ldn_evidence.published import headline_count, published_values
from ldn_evidence.results import list_records
from ldn_evidence.wider import evidence_body, flow

from conftest import SHIPPED

SHIPPED_CATALOGUE = load(SHIPPED)


def run(runner: CliRunner, *args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["--no-cache", *args], env={"LDN_DATA": "", "COLUMNS": "80", **(env or {})})


def test_prisma_json_is_the_library_flow_and_its_counts_are_the_catalogues(runner: CliRunner) -> None:
    result = run(runner, "prisma", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data == json.loads(json.dumps(flow(SHIPPED_CATALOGUE)))
    search = SHIPPED_CATALOGUE.search
    assert search is not None
    found = [s for s in SHIPPED_CATALOGUE.studies if not s.mention and not s.retold]
    assert data["queries"] == len(search.queries)
    assert data["records_screened"] == sum(query.screened for query in search.queries)
    assert data["excluded"]["total"] == len(search.excluded) == sum(data["excluded"]["by_reason"].values())
    assert data["included"]["total"] == len(found) == sum(data["included"]["by_design"].values())
    assert sum(data["included"]["by_condition"].values()) == len(found)


def test_prisma_text_and_svg_show_the_same_numbers(runner: CliRunner, tmp_path: Path) -> None:
    picture = tmp_path / "flow.svg"
    result = run(runner, "prisma", "--svg", str(picture))
    assert result.exit_code == 0, result.stderr
    data = flow(SHIPPED_CATALOGUE)
    drawn = picture.read_text(encoding="utf-8")
    assert drawn.startswith("<svg")
    for shown in (result.stdout, drawn):
        assert f"{data['queries']} queries" in shown
        assert f"{data['records_screened']:,} records screened" in shown
        assert f"Excluded: {data['excluded']['total']} records" in shown
        assert f"Included: {data['included']['total']} studies" in shown
        for late in data["registered_trials"]["no_results_long_after_end"]:
            assert late in shown
    again = run(runner, "prisma", "--svg", str(picture))
    assert again.exit_code == 1 and "--force" in again.stderr


@pytest.mark.parametrize(("flag", "retold"), [("--retold", True), ("--not-retold", False)])
def test_retold_filters_the_list_as_the_library_does(runner: CliRunner, flag: str, retold: bool) -> None:
    result = run(runner, "list", flag, "--format", "json")
    assert result.exit_code == 0, result.stderr
    chosen = q.select(SHIPPED_CATALOGUE, q.make_filters(retold=retold))
    assert json.loads(result.stdout) == json.loads(json.dumps(list_records(SHIPPED_CATALOGUE, chosen)))
    assert chosen and all(s.retold is retold for s in chosen)
    assert f"Rests on {evidence_body(chosen, SHIPPED_CATALOGUE)['line']}\n" in result.stderr


@pytest.mark.parametrize("command", ["list", "summary", "safety", "discrepancies"])
def test_every_summarising_view_says_what_it_rests_on(runner: CliRunner, command: str) -> None:
    result = run(runner, command, "--not-retold", "--format", "json")
    assert result.exit_code == 0, result.stderr
    chosen = q.matching(SHIPPED_CATALOGUE, q.make_filters(retold=False))
    assert result.stderr.count("Rests on ") == 1
    assert f"Rests on {evidence_body(chosen, SHIPPED_CATALOGUE)['line']}\n" in result.stderr


@pytest.mark.parametrize("command", ["list", "summary", "safety", "export"])
def test_retold_and_not_retold_together_are_a_usage_error(runner: CliRunner, command: str, tmp_path: Path) -> None:
    extra = [str(tmp_path / "out.json")] if command == "export" else []
    result = run(runner, command, *extra, "--retold", "--not-retold")
    assert result.exit_code == 2
    assert "--retold and --not-retold exclude each other" in result.stderr


def test_show_of_a_study_no_article_retells(runner: CliRunner) -> None:
    result = run(runner, "show", "fibromyalgia-bruun-2024-final-rct")
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert "not retold by any article" in text
    assert "a hypothesis has no data" not in text and "As the articles report it" not in text
    assert "NCT04270877" in text and "Registered:" in text
    flat = " ".join(text.split())
    for paper in SHIPPED_CATALOGUE.publications_of("fibromyalgia-bruun-2024-final-rct"):
        for fact in paper.facts:
            assert " ".join(fact.excerpt.split()) in flat, fact.excerpt
            assert fact.page in text.splitlines() or fact.page in text


def test_show_leads_with_what_the_paper_says(runner: CliRunner) -> None:
    first_screen = "\n".join(run(runner, "show", "ucsf-cree-rct").stdout.splitlines()[:24])
    for said in ("80 enrolled", "60 completed", "crossover", "17 weeks", "≠ articles: 60"):
        assert said in first_screen, said
    record = json.loads(run(runner, "show", "ucsf-cree-rct", "--format", "json").stdout)
    n = next(row for row in record["lead"] if row["about"] == "n")
    assert n["differs"] and n["articles"] == "60" and "80 enrolled" in n["published"]


def test_list_csv_carries_both_ns_and_the_marks(runner: CliRunner) -> None:
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(run(runner, "list", "--format", "csv").stdout))}
    ucsf = rows["ucsf-cree-rct"]
    assert (ucsf["n"], ucsf["n_articles"], ucsf["published_n"], ucsf["published_count"]) == (
        "60",
        "60",
        "80",
        "enrolled",
    )
    assert ucsf["differs"] == "True"
    assert {r["commercial_only"] for r in rows.values()} == {"True", "False"}
    found = rows["fibromyalgia-bruun-2024-final-rct"]
    assert found["retold"] == "False" and found["n"] == "" and json.loads(found["published"])["design"] == "rct"


def test_an_ms_form_matches_the_papers_population(runner: CliRunner) -> None:
    ids = [r["id"] for r in json.loads(run(runner, "list", "--condition", "rrms", "--format", "json").stdout)]
    assert "ms-17-week-rct" in ids  # the paper enrolled people with relapsing-remitting MS


@pytest.mark.parametrize("args", [["show", "milan-ppms-pilot"], ["safety"]])
@pytest.mark.parametrize("width", ["80", "100"])
def test_addresses_are_whole_on_lines_of_their_own_in_a_pipe(runner: CliRunner, args: list[str], width: str) -> None:
    text = run(runner, *args, env={"COLUMNS": width, "NO_COLOR": "1"}).stdout
    lines = [line.strip() for line in text.splitlines()]
    addresses = [word for line in lines for word in line.split() if "://" in word]
    assert addresses
    for address in addresses:
        assert address.startswith(("http://", "https://", "(https://")), address
    pages = {f.page for p in SHIPPED_CATALOGUE.publications for f in p.facts}
    shown = [line for line in lines if line.startswith(("http://", "https://"))]
    assert shown and all(line in pages or " " not in line for line in shown)


def test_list_rows_of_a_study_no_article_retells_show_its_paper(runner: CliRunner) -> None:
    lines = run(runner, "list", "--not-retold").stdout.splitlines()
    header = lines[0].split("\t")
    rows = {line.split("\t")[0]: dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:]}
    study = q.find(SHIPPED_CATALOGUE, "fibromyalgia-younger-2013-rct")
    assert study.publication is not None
    values = published_values(study.publication)
    row = rows[study.id]
    assert row["design"] == "rct‡" and row["n"] == f"{headline_count(study.publication)}‡"
    assert row["dose"] == f"{values.doses[0].text}‡" and row["effect"] == "not retold"
    assert all(r["effect"] == "not retold" for r in rows.values())
    assert "none (hypothesis)" not in "\n".join(lines)
    # The articles' rows are as they were: no mark.
    retold = run(runner, "list", "--retold").stdout
    assert "‡" not in retold and "not retold" not in retold


def test_sources_lists_the_search_beside_the_articles(runner: CliRunner) -> None:
    found = flow(SHIPPED_CATALOGUE)
    text = " ".join(run(runner, "sources", env={"COLUMNS": "200"}).stdout.split())
    assert (
        f"searched {found['searched']}: {found['queries']} queries, {found['records_screened']:,} records screened"
        in text
    )
    assert f"{found['included']['total']} studies included that no article retells" in text
    for document in SHIPPED_CATALOGUE.documents:
        assert document.seed in text


def test_the_count_line_of_studies_no_article_retells_claims_no_articles_count(runner: CliRunner) -> None:
    """No "0 participants where n is reported" for studies whose n only the papers give."""
    result = run(runner, "list", "--not-retold", "--format", "json")
    assert result.exit_code == 0, result.stderr
    first = result.stderr.splitlines()[0]
    assert "participants where n is reported" not in first
    assert first.endswith("none retold by any article: their n as published (‡)")


def test_the_count_line_of_both_layers_counts_each_apart(runner: CliRunner) -> None:
    result = run(runner, "list", "--condition", "ms", "--format", "json")
    assert result.exit_code == 0, result.stderr
    chosen = q.select(SHIPPED_CATALOGUE, q.make_filters(condition="ms"))
    retold = [s for s in chosen if s.retold and not s.mention]
    people = sum(s.n for s in chosen if s.n is not None)
    first = result.stderr.splitlines()[0]
    assert f": {len(retold)} retold by the articles, {people} participants where n is reported" in first
    assert f"{sum(1 for s in chosen if not s.retold)} not retold by any article" in first
