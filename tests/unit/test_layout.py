"""Layout for the width, and the reader's edges: repeatable options, aliases, suggestions, small words.

The layout is tested on `render.layout.lay_out` directly (a Sheet drawn by a rich console of a given
width), the options and messages through the Typer app with stdout and stderr apart.
"""

from __future__ import annotations

import fcntl
import io
import os
import pty
import struct
import termios
from pathlib import Path

import pytest
from rich.console import Console
from rich.text import Text
from typer.testing import CliRunner

from ldn_evidence import catalogue as q
from ldn_evidence.cli import app
from ldn_evidence.errors import CatalogueFileError, UnknownValue
from ldn_evidence.formats import drawing_width
from ldn_evidence.loader import load
from ldn_evidence.render.layout import Column, Sheet
from ldn_evidence.text import plural

from conftest import SEEDS, SHIPPED

SHIPPED_CATALOGUE = load(SHIPPED)


def run(*args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, ["--no-cache", *args], env={"LDN_DATA": "", "NO_COLOR": "1", **(env or {})})


def ids(result) -> list[str]:  # type: ignore[no-untyped-def]
    return [line.split("\t")[0] for line in result.stdout.splitlines()[1:]]


# --- the layout ---------------------------------------------------------------------------------


def sheet(**options: object) -> Sheet:
    """Four columns: an id, a number, prose that may wrap, and two that may be left out."""
    columns = [
        Column("id"),
        Column("n", justify="right"),
        Column("outcome", wrap=True),
        Column("duration", drop=2),
        Column("place", wrap=True, drop=1),
    ]
    table = Sheet(columns, **options)  # type: ignore[arg-type]
    table.add_row(Text("norway-2017"), Text("341"), Text("no change in use of other medicines"), Text("804 days"),
                  Text("Oslo, Norway"))  # fmt: skip
    table.add_row(Text("milan-ppms-pilot"), Text("40"), Text("spasticity fell"), Text("6 months"), Text("Milan"))
    return table


def draw(renderable: object, width: int) -> list[str]:
    out = io.StringIO()
    Console(file=out, width=width, color_system=None).print(renderable)
    return [line.rstrip() for line in out.getvalue().splitlines()]


def test_a_sheet_that_fits_is_one_table_with_every_column() -> None:
    lines = draw(sheet(), 120)
    assert lines[0].split() == ["id", "n", "outcome", "duration", "place"]
    assert "norway-2017" in lines[2] and "Oslo, Norway" in lines[2]
    assert not any("Left out" in line for line in lines)


def test_columns_are_left_out_lowest_priority_first_and_the_view_says_so() -> None:
    # Every column needs 51 (its longest cell, or for prose its longest word, and the lines between).
    assert draw(sheet(stack_below=30), 51)[0].split() == ["id", "n", "outcome", "duration", "place"]
    lines = draw(sheet(stack_below=30), 50)
    assert lines[0].split() == ["id", "n", "outcome", "duration"]
    assert " ".join(lines[-2:]) == "Left out for the width: place (--wide or a wider window shows them)."
    lines = draw(sheet(stack_below=30), 40)
    assert lines[0].split() == ["id", "n", "outcome"]
    assert "Left out for the width: duration and place" in " ".join(lines)


def test_prose_wraps_between_words_and_key_cells_stay_whole() -> None:
    lines = draw(sheet(stack_below=30), 40)
    assert max(len(line) for line in lines) <= 40
    text = " ".join(lines)
    for word in ("norway-2017", "milan-ppms-pilot", "341", "medicines", "spasticity"):
        assert word in text.split()


def test_below_60_columns_each_row_is_stacked_as_field_value_lines() -> None:
    lines = draw(sheet(caption="– not reported"), 59)
    assert lines[:5] == ["norway-2017", "  n:        341", "  outcome:  no change in use of other medicines",
                         "  duration: 804 days", "  place:    Oslo, Norway"]  # fmt: skip
    assert "milan-ppms-pilot" in lines and lines[-1] == "– not reported"


def test_a_sheet_wide_draws_every_column_however_wide() -> None:
    out = io.StringIO()
    Console(file=out, width=40, color_system=None).print(sheet(wide=True), crop=False)
    lines = out.getvalue().splitlines()
    assert lines[0].split() == ["id", "n", "outcome", "duration", "place"]
    assert max(len(line.rstrip()) for line in lines) > 40


def test_a_web_address_in_prose_that_may_fold_does_not_force_the_table_to_stack() -> None:
    address = "https://example.org/" + "a" * 60
    for fold in (0, 20):
        table = Sheet([Column("id"), Column("page", wrap=True, fold_longer_than=fold)])
        table.add_row(Text("norway-2017"), Text(f"read on {address}"))
        lines = draw(table, 60)
        if fold:
            assert lines[0].split() == ["id", "page"] and max(len(line) for line in lines) <= 60
        else:
            assert lines[0] == "norway-2017" and "page:" in lines[1]  # stacked: the address is too long


def test_a_sheet_inside_a_panel_fits_the_panel() -> None:
    from rich.panel import Panel

    lines = draw(Panel(sheet(stack_below=30)), 54)
    assert max(len(line) for line in lines) <= 54
    assert "Left out for the width: place" in " ".join(line.strip("│ ") for line in lines)


@pytest.mark.parametrize(
    ("columns", "tty_width", "expected"),
    [("100", None, 100), ("0", None, 80), ("-5", None, 80), ("99999999", None, 80), ("abc", None, 80),
     (" ", None, 80), ("", None, 120), (None, None, 120), ("0", 90, 90), (None, 70, 70), ("50", 70, 50),
     ("0", 0, 80)],
)  # fmt: skip
def test_the_drawing_width(columns: str | None, tty_width: int | None, expected: int) -> None:
    environ = {} if columns is None else {"COLUMNS": columns}
    if tty_width is None:
        assert drawing_width(environ, io.StringIO()) == expected
        return
    main, secondary = pty.openpty()  # a real terminal of that width
    try:
        fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 24, tty_width, 0, 0))
        with open(secondary, "w", closefd=False) as terminal:
            assert drawing_width(environ, terminal) == expected
    finally:
        os.close(main)
        os.close(secondary)


def test_nonsense_columns_draw_at_80_and_never_nothing() -> None:
    for columns in ("0", "-1", "100000000", "wide"):
        result = run("summary", env={"COLUMNS": columns})
        assert result.exit_code == 0
        assert result.stdout.strip() and max(len(line) for line in result.stdout.splitlines()) <= 80


# --- item 3: options behave the same way everywhere ------------------------------------------------


@pytest.mark.parametrize(
    ("option", "values"),
    [("--condition", ["ms", "crps"]), ("--effect", ["no-effect", "mixed"]), ("--measure", ["pain", "fatigue"])],
)
def test_condition_effect_and_measure_repeat_like_design(option: str, values: list[str]) -> None:
    both = ids(run("list", option, values[0], option, values[1]))
    each = [ids(run("list", option, value)) for value in values]
    assert each[0] and each[1]
    assert set(both) == set(each[0]) | set(each[1])
    name = option.lstrip("-")
    assert ids(run("list", option, values[0], option, values[1])) == [
        s.id
        for s in q.select(SHIPPED_CATALOGUE, q.make_filters(**{name: values}))  # type: ignore[arg-type]
    ]


@pytest.mark.parametrize("args", [["list", "--format", "JSON"], ["list", "-f", "Json"], ["summary", "--format", "JSON"],
                                  ["show", "norway", "--format", "MARKDOWN"], ["list", "--sort", "YEAR"]])  # fmt: skip
def test_format_and_other_choice_names_are_case_insensitive(args: list[str]) -> None:
    result = run(*args)
    lower = run(*[a.lower() if a.isupper() or a == "Json" else a for a in args])
    assert result.exit_code == 0, result.output
    assert result.stdout == lower.stdout


def test_a_long_option_with_one_dash_suggests_two() -> None:
    result = run("list", "-condition", "ms")
    assert result.exit_code == 2
    assert "No such option '-condition'; did you mean '--condition'?" in result.stderr


def test_a_short_option_with_its_value_attached_still_works() -> None:
    assert ids(run("list", "-cms")) == ids(run("list", "--condition", "ms"))
    assert run("list", "--search", "-condition").exit_code == 0  # a value that looks like an option


# --- item 4: suggestions people can use ------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    ["randomized", "randomised", "RCT", "randomized controlled trial", "Randomised Controlled Trial",
     "randomised-controlled-trial"],
)  # fmt: skip
def test_what_people_call_an_rct_is_an_rct(typed: str) -> None:
    assert q.make_filters(designs=[typed]).designs == ("rct",)
    assert ids(run("list", "--design", typed)) == ids(run("list", "--design", "rct"))


@pytest.mark.parametrize("typed", ["randomised controled trial", "randomized controlled trail", "randomised control"])
def test_a_misspelt_randomized_trial_never_suggests_the_non_randomized_design(typed: str) -> None:
    with pytest.raises(UnknownValue) as caught:
        q.make_filters(designs=[typed])
    assert caught.value.close == ["rct"]
    assert "did you mean 'rct'?" in str(caught.value)


def test_placebo_controlled_says_what_it_maps_to() -> None:
    result = run("list", "--design", "placebo-controlled")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: 'placebo-controlled' is not a design on its own.")
    assert "'rct'" in result.stderr and "'controlled-trial'" in result.stderr
    assert "did you mean" not in result.stderr


@pytest.mark.parametrize("typed", ["qol", "QoL", "quality of life", "Quality-of-Life"])
def test_quality_of_life_by_any_name(typed: str) -> None:
    assert q.make_filters(measure=typed).measures == ("quality-of-life",)


def test_did_you_mean_is_said_once() -> None:
    result = run("lst")
    assert result.exit_code == 2
    assert result.output.count("Did you mean") == 1 and "'list'" in result.output


@pytest.mark.parametrize("args", [["show", ""], ["show", "  "], ["sources", ""]])
def test_an_empty_id_is_a_clear_error(args: list[str]) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: no ")
    assert "did you mean" not in result.stderr
    assert "given" in result.stderr or "named" in result.stderr


# --- item 5: small words --------------------------------------------------------------------------


def test_plural() -> None:
    assert [plural(n, "study") for n in (0, 1, 2)] == ["0 studies", "1 study", "2 studies"]
    assert plural(1, "participant") == "1 participant"


def test_one_study_is_one_study() -> None:
    listed = run("list", "--design", "rct", "--condition", "ms", "--effect", "mixed")
    assert listed.stderr.startswith("1 study, 60 participants where n is reported (n not reported for 0)\n")
    safety = run("safety", "--search", "Gianvito")
    assert safety.stdout.startswith("0 of 1 study report harms, as the articles report it\n")
    summary = run("summary", "--search", "Gianvito")
    assert "\n1 study (mentions apart); n not reported for 0" in summary.stdout


def test_limit_0_says_what_happened() -> None:
    result = run("list", "--limit", "0", "--format", "table")
    assert result.exit_code == 0
    assert result.stdout == ""
    everything = load(SHIPPED).studies
    studies = sum(1 for s in everything if not s.mention)
    mentions = sum(1 for s in everything if s.mention)
    said = f"--limit 0: no studies shown; {studies} studies and {mentions} passing mentions match\n"
    assert result.stderr.startswith(said)


def test_an_empty_summary_says_so_in_a_sentence() -> None:
    result = run("summary", "--search", "no-study-says-this-anywhere")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "Nothing to summarise: no studies match these filters."
    assert "By design" not in result.stdout and "Evidence map" not in result.stdout


def test_no_colour_legend_without_colour() -> None:
    assert "Colour:" not in run("summary").stdout


def _panel_text(output: str) -> list[str]:
    return [line.strip("│╭╮╰╯─ ").rstrip() for line in output.splitlines()]


@pytest.mark.parametrize("study", ["milan", "ms-hypothesis-2005", "norway-2017"])
def test_show_has_a_blank_line_before_each_section(study: str) -> None:
    lines = _panel_text(run("show", study, env={"COLUMNS": "100"}).stdout)
    for heading in ("Harms", "Notes", "Sources"):
        at = lines.index(heading)
        assert lines[at - 1] == "", (heading, lines[at - 2 : at + 1])
    findings = next(i for i, line in enumerate(lines) if line.startswith("Findings"))
    assert lines[findings - 1] == ""


def test_sources_text_prints_the_whole_document() -> None:
    result = run("sources", "003", "--text")
    assert result.exit_code == 0, result.stderr
    seed = next(SEEDS.glob("003_*.txt"))
    assert result.stdout.rstrip("\n") == seed.read_text(encoding="utf-8").rstrip("\n")
    as_json = run("sources", "001", "--text", "--format", "json")
    assert as_json.stdout.startswith('{\n  "seed": "001_')


def test_sources_text_needs_a_document() -> None:
    result = run("sources", "--text")
    assert result.exit_code == 2
    assert "--text reads one document" in result.stderr


def test_document_text_reads_only_the_catalogues_documents(tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("not a document", encoding="utf-8")
    with pytest.raises(CatalogueFileError, match="not a document of this catalogue"):
        q.document_text(SHIPPED_CATALOGUE, "secret.txt", tmp_path)
    with pytest.raises(CatalogueFileError, match="is not there"):
        q.document_text(SHIPPED_CATALOGUE, SHIPPED_CATALOGUE.documents[0].seed, tmp_path)


def test_the_list_legend_keeps_each_mark_with_its_meaning_and_effects_stay_whole() -> None:
    from ldn_evidence.render.studies import studies_table

    studies = q.sort_studies(SHIPPED_CATALOGUE.studies)
    commercial = {s.id for s in studies if SHIPPED_CATALOGUE.commercial_only(s)}
    assert commercial
    table = studies_table(studies, {"ucsf-cree-rct"}, commercial=commercial)
    for width in (60, 80, 100):
        lines = draw(table, width)
        assert "– not reported" in lines
        assert "≠ the articles differ from the paper (ldn discrepancies)" in lines
        assert "† rests only on a compounding pharmacy's marketing post" in lines
        text = "\n".join(lines)
        assert "none (hypothesis)" in text and "benefit (mention)" in text
