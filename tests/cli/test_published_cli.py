"""The published layer on the command line: show, discrepancies, sources and list give the library's answers."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from typer.testing import CliRunner

from ldn_evidence import catalogue as q
from ldn_evidence.cli import app
from ldn_evidence.discrepancies import find_all, misreports
from ldn_evidence.loader import load
from ldn_evidence.published import headline_count
from ldn_evidence.results import discrepancy_record, show_record, show_result
from ldn_evidence.text import misreport_line

from conftest import SHIPPED

CATALOGUE = load(SHIPPED)
REQUIRED = {"study", "kind", "seed", "article_says", "published_says", "explanation", "source_url"}


def run(runner: CliRunner, *args: str, columns: str = "200"):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["--no-cache", *args], env={"LDN_DATA": "", "COLUMNS": columns, "NO_COLOR": "1"})


def test_discrepancies_json_is_the_library_answer(runner: CliRunner) -> None:
    result = run(runner, "discrepancies", "--format", "json")
    assert result.exit_code == 0, result.stderr
    records = json.loads(result.stdout)
    assert records == [discrepancy_record(d) for d in find_all(CATALOGUE, q.select(CATALOGUE))]
    assert all(set(r) >= REQUIRED for r in records)
    assert len(records) == sum(len(p.discrepancies) for p in CATALOGUE.publications) + sum(
        1 for r in records if r["computed"]
    )
    assert "articles against papers: 2 computed, 20 curated" in result.stderr


@pytest.mark.parametrize(
    ("args", "keep"),
    [
        (["--kind", "harms"], lambda r: r["kind"] == "harms"),
        (["--kind", "N"], lambda r: r["kind"] == "n"),
        (["--seed", "001"], lambda r: r["seed"] == "001_cfcaaea8c494e144.txt"),
        (["--condition", "crohns"], lambda r: r["study"] == "crohns-2007"),
        (
            ["--design", "rct", "--kind", "duration"],
            lambda r: r["study"] == "ucsf-cree-rct" and r["kind"] == "duration",
        ),
    ],
)
def test_discrepancies_filters(runner: CliRunner, args: list[str], keep) -> None:  # type: ignore[no-untyped-def]
    every = json.loads(run(runner, "discrepancies", "--format", "json").stdout)
    chosen = json.loads(run(runner, "discrepancies", *args, "--format", "json").stdout)
    assert chosen and chosen == [r for r in every if keep(r)]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--kind", "harm"], "Error: unknown kind 'harm'; did you mean 'harms'?"),
        (["--seed", "009"], "Error: no document '009'"),
        (["--condition", "gout"], "Error: unknown condition 'gout'"),
    ],
)
def test_discrepancies_bad_filters_are_usage_errors(runner: CliRunner, args: list[str], message: str) -> None:
    result = run(runner, "discrepancies", *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(message)


def test_discrepancies_csv_tsv_and_markdown_hold_every_row(runner: CliRunner) -> None:
    records = json.loads(run(runner, "discrepancies", "--format", "json").stdout)
    rows = list(csv.DictReader(io.StringIO(run(runner, "discrepancies", "--format", "csv").stdout, newline="")))
    assert [(r["study"], r["kind"], r["article_says"]) for r in rows] == [
        (r["study"], r["kind"], r["article_says"]) for r in records
    ]
    tsv = run(runner, "discrepancies").stdout.splitlines()
    assert tsv[0].split("\t")[:4] == ["study", "publication", "kind", "seed"] and len(tsv) == len(records) + 1
    markdown = run(runner, "discrepancies", "--format", "markdown").stdout.splitlines()
    assert len(markdown) == len(records) + 2


def test_the_discrepancies_table_shows_both_quotes_at_80_columns(runner: CliRunner) -> None:
    result = run(runner, "discrepancies", "--format", "table", "--kind", "n", columns="80")
    assert result.exit_code == 0
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    flat = " ".join(result.stdout.split())
    for record in json.loads(run(runner, "discrepancies", "--kind", "n", "--format", "json").stdout):
        assert " ".join(record["explanation"].split()[:4]) in flat
        assert " ".join(record["article_says"].split()[:4]) in flat


def test_show_json_carries_the_published_layer(runner: CliRunner) -> None:
    result = run(runner, "show", "ucsf", "--format", "json")
    data = json.loads(result.stdout)
    assert data == show_record(show_result(CATALOGUE, q.find(CATALOGUE, "ucsf-cree-rct")))
    (paper,) = data["publications"]
    assert (paper["pmid"], paper["doi"], paper["registry"]) == (None, "10.1002/ana.22006", ["NCT00501696"])
    assert isinstance(paper["doi"], str)
    assert paper["enrolment"] == {"number": 80, "count": "enrolled"}
    assert data["n"] == 60  # the articles' layer is unchanged beside it
    assert {(d["kind"], d["computed"]) for d in data["discrepancies"]} >= {("n", True), ("duration", True)}


def test_show_text_labels_both_layers_and_gives_links(runner: CliRunner) -> None:
    out = run(runner, "show", "ucsf-cree-rct", columns="300").stdout
    assert "As the articles report it" in out and "Published as" in out and "As published" in out
    assert "Where the articles differ from the paper (3)" in out
    for url in ("https://doi.org/10.1002/ana.22006", "https://clinicaltrials.gov/study/NCT00501696"):
        assert url in out
    # The PMID was seen only inside a page's address: shown as such, never linked.
    assert "https://pubmed.ncbi.nlm.nih.gov/20695007/" not in out
    assert "seen in an address only" in out
    none = run(runner, "show", "hiv-aids-trials").stdout
    assert "No publication is catalogued for this study." in none and "None catalogued." in none


def test_show_prints_each_unverified_part_and_no_link_for_an_unverified_pmid(runner: CliRunner) -> None:
    ludwig = next(p for p in CATALOGUE.publications if p.id == "ludwig-2017")
    (part,) = ludwig.unverified
    out = run(runner, "show", "ms-serum-ogf", columns="300").stdout
    assert re.search(
        rf"^unverified +{re.escape(part)} *$", out, re.MULTILINE
    )  # the label beside the whole part, on one line
    assert "pubmed.ncbi.nlm.nih.gov" not in out and "https://doi.org/10.1177/1535370217724791" in out
    markdown = run(runner, "show", "ms-serum-ogf", "--format", "markdown").stdout
    assert "- unverified: PMID 28766982" in markdown
    data = json.loads(run(runner, "show", "ms-serum-ogf", "--format", "json").stdout)
    (paper,) = [p for p in data["publications"] if p["id"] == "ludwig-2017"]
    assert paper["pmid"] is None and paper["unverified"] == [part]


def test_show_markdown_has_the_published_sections(runner: CliRunner) -> None:
    out = run(runner, "show", "crohns-2007", "--format", "markdown").stdout
    assert "## Published as" in out and "## Where the articles differ from the paper" in out
    assert "sleep disturbances, occurring in seven patients" in out


def test_sources_counts_a_documents_misreports(runner: CliRunner) -> None:
    entry = q.find_document(CATALOGUE, "003")
    tally = misreports(CATALOGUE, entry["seed"], entry["studies"])
    text = " ".join(run(runner, "sources", "003", columns="300").stdout.split())
    assert misreport_line(tally) in text
    data = json.loads(run(runner, "sources", "003", "--format", "json").stdout)
    assert data["misreports"] == tally and sum(tally["kinds"].values()) > 0


def test_list_marks_the_studies_whose_articles_differ(runner: CliRunner) -> None:
    out = run(runner, "list", "--format", "table", columns="200").stdout
    assert "ucsf-cree-rct ≠" in out and "ms-17-week-rct ≠" not in out and "eae-mice-progression ≠" not in out
    assert "≠ the articles differ from the paper" in out


def test_list_n_published_shows_and_sorts_by_the_papers_count(runner: CliRunner) -> None:
    result = run(runner, "list", "--clinical", "--n", "published", "--sort", "n", "--format", "json")
    records = json.loads(result.stdout)
    known = [r["published_n"]["number"] for r in records if r["published_n"]]
    assert known == sorted(known, reverse=True) and known
    assert records[-1]["published_n"] is None  # unknown last
    ucsf = next(r for r in records if r["id"] == "ucsf-cree-rct")
    assert ucsf["published_n"] == {"number": 80, "count": "enrolled"} and ucsf["n"] == 60
    by_id = {s.id: s for s in CATALOGUE.studies}
    for record in records:
        paper = by_id[record["id"]].publication
        count = headline_count(paper) if paper else None
        assert record["published_n"] == ({"number": count.number, "count": count.kind} if count else None)
    tsv = run(runner, "list", "--n", "published", "--design", "rct").stdout
    assert "\t80 enrolled\t" in tsv and "\t96 enrolled\t" in tsv
    assert "n is the paper's count, saying which, where known" in run(runner, "list", "--n", "published").stderr


def test_discrepancies_wide_draws_every_line_whole(runner: CliRunner) -> None:
    narrow = run(runner, "discrepancies", "--format", "table", "--kind", "n", columns="80").stdout
    wide = run(runner, "discrepancies", "--format", "table", "--kind", "n", "--wide", columns="80").stdout
    sentence = "The article's 60 is the number who completed; 80 were enrolled, so the two count people differently."
    assert sentence not in narrow and sentence in wide
