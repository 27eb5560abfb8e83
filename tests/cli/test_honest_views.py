"""Words a patient reads right: who is telling it, mentions, units, levels, harms and the reminder."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ldn_evidence import catalogue as q
from ldn_evidence.cli import app
from ldn_evidence.errors import CatalogueInvalid
from ldn_evidence.loader import load
from ldn_evidence.text import COMMERCIAL_MARK, NOT_MEDICAL_ADVICE

from conftest import MINIMAL, SHIPPED, catalogue_text, study_yaml

SHIPPED_CATALOGUE = load(SHIPPED)


def run(runner: CliRunner, *args: str, columns: str = "80"):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["--no-cache", *args], env={"LDN_DATA": "", "COLUMNS": columns, "NO_COLOR": "1"})


def flat(text: str) -> str:
    return " ".join(text.replace("│", " ").split())


@pytest.mark.parametrize("args", [["list"], ["list", "--format", "json"], ["show", "norway-2017"]])
def test_list_and_show_carry_the_reminder_on_stderr(runner: CliRunner, args: list[str]) -> None:
    result = run(runner, *args)
    assert result.exit_code == 0
    assert result.stderr.endswith(NOT_MEDICAL_ADVICE + "\n")
    assert NOT_MEDICAL_ADVICE not in result.stdout


def test_list_marks_records_resting_only_on_a_commercial_source(runner: CliRunner) -> None:
    commercial = [s.id for s in SHIPPED_CATALOGUE.studies if SHIPPED_CATALOGUE.commercial_only(s)]
    result = run(runner, "list", "--format", "table", columns="200")
    ids = {s.id for s in SHIPPED_CATALOGUE.studies}
    rows = [line.split() for line in result.stdout.splitlines() if line.split() and line.split()[0] in ids]
    marked = [row[0] for row in rows if COMMERCIAL_MARK in row[1:3]]  # after the ≠ mark, if any
    assert sorted(marked) == sorted(commercial)
    assert f"{len(commercial)} of them rest only on a compounding pharmacy's marketing post" in result.stderr


def test_show_says_who_is_telling_it(runner: CliRunner) -> None:
    only = flat(run(runner, "show", "ms-17-week-rct").stdout)
    assert "told by only a pharmacy's marketing post (a commercial source)" in only
    several = flat(run(runner, "show", "ucsf-cree-rct").stdout)
    assert "told by patient's column, community article, a pharmacy's marketing post" in several
    markdown = run(runner, "show", "ms-17-week-rct", "--format", "markdown").stdout
    assert "- **told by**: only a pharmacy's marketing post (a commercial source)" in markdown


def test_show_gives_the_level_out_of_five_with_its_direction(runner: CliRunner) -> None:
    assert "Level 4 of 5 (1 is strongest)" in run(runner, "show", "milan-ppms-pilot").stdout


def test_units_keep_their_kind_and_a_dose_without_schedule_is_never_a_day(runner: CliRunner) -> None:
    milan = flat(run(runner, "show", "milan-ppms-pilot").stdout)
    assert "duration 6 months (whole study)" in milan
    assert "dose 5 mg (a dose; how often not stated)" in milan
    survey = flat(run(runner, "show", "ms-retrospective-215").stdout)
    assert "median 804 days (median time on LDN)" in survey
    record = json.loads(run(runner, "show", "milan-ppms-pilot", "--format", "json").stdout)
    assert (record["duration_kind"], record["dose_mg_per_dose"], record["dose_mg_per_day"]) == ("whole-study", 5, None)
    summary = flat(run(runner, "summary", "--condition", "ms").stdout)
    assert "4.5 mg a day, where the schedule is stated (1 study)" in summary
    assert "5 mg a dose, how often not stated" in summary
    assert re.search(r"(?<![\d.])5 mg a day", summary) is None
    assert "median time on LDN (1 study): 804 days" in summary


def test_mentions_are_marked_in_list_and_show(runner: CliRunner) -> None:
    lines = run(runner, "list", "--condition", "ms").stdout.splitlines()
    row = next(line.split("\t") for line in lines if line.startswith("ms-trials\t"))
    assert row[-1] == "benefit (mention)"
    assert "a passing mention: no design, size or finding of its own" in flat(run(runner, "show", "ms-trials").stdout)


def test_safety_says_how_many_studies_report_harms(runner: CliRunner) -> None:
    chosen = [s for s in SHIPPED_CATALOGUE.studies if s.condition == "ms" and s.design in ("rct", "retrospective")]
    told = [s for s in chosen if s.retold and not s.mention]
    reporting = sum(1 for s in told if s.adverse_events)
    result = run(runner, "safety", "--condition", "ms", "--design", "rct", "--design", "retrospective")
    assert result.stdout.startswith(f"{reporting} of {len(told)} studies reports harms, as the articles report it\n")
    data = json.loads(run(runner, "safety", "--condition", "ms", "--format", "json").stdout)
    ms = [s for s in SHIPPED_CATALOGUE.studies if s.condition == "ms"]
    assert data["reporting_harms"] == sum(1 for s in ms if s.retold and s.adverse_events)
    # Passing mentions are not studies: not counted, listed apart. The hypothesis is a study with no data.
    assert data["mentions"] == sorted(s.id for s in ms if s.mention)
    assert data["count"] == sum(1 for s in ms if s.retold and not s.mention)
    assert "ms-hypothesis-2005" in data["no_harms_reported"]
    # A study no article retells has no articles' account: never "no harms reported in the articles".
    not_retold = {s.id for s in ms if not s.retold}
    assert not_retold and set(data["not_retold"]) == not_retold
    assert not not_retold & set(data["no_harms_reported"])
    assert not_retold <= {entry["id"] for entry in data["published_harms"]}
    text = flat(run(runner, "safety", "--condition", "ms").stdout)
    assert text.startswith(f"{data['reporting_harms']} of {data['count']} studies reports harms")
    assert f"Not retold by any article ({len(not_retold)} studies), so not in the counts above" in text


def test_safety_counts_leave_a_study_no_article_retells_out(write_catalogue: Callable[[str], Path]) -> None:
    text = catalogue_text(study_yaml("told", adverse_events=[{"event": "vivid dreams"}]), study_yaml("silent"))
    small = load(write_catalogue(text))
    told, silent = small.studies
    # The same record with its seed quotes taken away is one no article retells.
    alone = dataclasses.replace(silent, id="alone", sources=())
    report = q.safety(small, [told, silent, alone])
    assert (report["reporting_harms"], report["count"]) == (1, 2)
    assert (report["no_harms_reported"], report["not_retold"]) == (["silent"], ["alone"])


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"mention": "yes"}, "mention: expected true or false, found 'yes'"),
        ({"duration": "8 weeks", "duration_kind": "forever"}, "duration_kind: unknown value 'forever'"),
        ({"duration_kind": "treatment"}, "duration_kind: is set but there is no duration"),
    ],
)
def test_the_new_fields_are_checked(
    write_catalogue: Callable[[str], Path], fields: dict[str, str], message: str
) -> None:
    path = write_catalogue(catalogue_text(study_yaml("s", **fields)))
    with pytest.raises(CatalogueInvalid) as caught:
        load(path)
    assert any(message in str(problem) for problem in caught.value.problems)


def test_a_mention_and_a_duration_kind_are_read(write_catalogue: Callable[[str], Path]) -> None:
    text = MINIMAL + "    mention: true\n    duration: 17 weeks\n    duration_kind: whole-study\n"
    (study,) = load(write_catalogue(text)).studies
    assert study.mention and study.apart
    assert study.duration is not None and study.duration.kind == "whole-study"


def test_safety_shows_the_published_harms_apart_from_the_articles(runner: CliRunner) -> None:
    data = json.loads(run(runner, "safety", "--condition", "ms", "--format", "json").stdout)
    assert data["layer"] == "as the articles report it"
    published = {entry["id"]: entry for entry in data["published_harms"]}
    # The articles call the Milan pilot safe and well tolerated; its abstract reports dropouts and major events.
    assert {"id": "milan-ppms-pilot", "statement": "safe and well tolerated"} in data["tolerability"]
    (milan,) = published["milan-ppms-pilot"]["facts"]
    assert milan["excerpt"].startswith("Five dropouts and two major adverse events occurred.")
    assert milan["about"] == ["adverse events", "dropouts"] and milan["page"].startswith("https://")
    # The articles say nothing of harms for the UCSF trial; its publication does, and the layers stay apart.
    assert "ucsf-cree-rct" in data["no_harms_reported"]
    ucsf = [f["excerpt"] for f in published["ucsf-cree-rct"]["facts"]]
    assert "LDN was well tolerated and serious adverse events did not occur." in ucsf
    (cree,) = SHIPPED_CATALOGUE.publications_of("ucsf-cree-rct")
    assert sorted(ucsf) == sorted({f.excerpt for f in cree.facts_on("harms", "dropouts")})
    assert all(e["id"] != "ucsf-cree-rct" for e in data["tolerability"])
    text = flat(run(runner, "safety", "--condition", "ms").stdout)
    assert text.startswith(f"{data['reporting_harms']} of {data['count']} studies reports harms, as the articles")
    articles, published_part = text.split("What the publications say of harms, as published")
    assert "Five dropouts" not in articles and "serious adverse events did not occur" not in articles
    assert "Five dropouts and two major adverse events occurred." in published_part
    assert "LDN was well tolerated and serious adverse events did not occur." in published_part


def test_summary_explains_its_marks_and_beside_and_rounds_days(runner: CliRunner) -> None:
    text = run(runner, "summary").stdout
    lines = text.splitlines()
    assert "+215 beside (retrospective)" in text  # people beside are summed within one design only
    key = next(line for line in lines if line.startswith("⊕◯◯◯ very low to ⊕⊕⊕⊕ high"))
    assert key.strip() == "⊕◯◯◯ very low to ⊕⊕⊕⊕ high; beside: weaker studies, not counted in the rating."
    assert "is the answer" not in text
    assert "The counts below are of studies per stratum" in flat(text)
    assert "people are never summed across designs or conditions" in flat(text)
    assert "no effects are counted" in flat(text)
    # Durations in whole days: six months is 182.64 days, shown as 183.
    durations = text[text.index("Durations, by kind of time") :].split("Doses stated")[0]
    assert "whole study (2 studies): 119 days to 183 days, median 151 days" in durations
    assert not re.search(r"\d\.\d+ days", durations)
    # Without weaker studies beside the rated ones, the key says nothing of "beside".
    alone = run(runner, "summary", "--condition", "psoriasis").stdout
    assert "beside" not in alone and "⊕◯◯◯ very low to ⊕⊕⊕⊕ high." in alone
