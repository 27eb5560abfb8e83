"""No traceback with a closed standard stream, a number thousands of digits long, or a dose written "4.5mg"."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ldn_evidence import fast
from ldn_evidence.cli import app
from ldn_evidence.loader import load, seeds_folder
from ldn_evidence.verify import verify

from conftest import catalogue_text, study_yaml

#: Commands that write their answer on stdout.
WRITERS = [["list"], ["list", "--format", "json"], ["show", "cree"], ["summary"], ["safety"], ["cite"],
           ["discrepancies"], ["sources"], ["--help"]]  # fmt: skip
#: Commands that answer on stderr alone, and a command that reads standard input.
OTHERS = [["validate"], ["verify"], ["claims", "-"]]


def _ldn(args: list[str], redirect: str) -> subprocess.CompletedProcess[str]:
    """ldn with a shell redirection (">&-" closes stdout, "<&-" stdin, "2>&-" stderr)."""
    command = " ".join([f"'{sys.executable}'", "-m", "ldn_evidence", *args, redirect])
    return subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("args", WRITERS, ids=" ".join)
def test_a_closed_stdout_is_a_located_error_not_a_traceback(args: list[str]) -> None:
    done = _ldn(args, ">&-")
    assert "Traceback" not in done.stderr
    assert done.returncode == 1, done.stderr
    assert "Error: cannot write output: standard output is closed" in done.stderr


@pytest.mark.parametrize("args", [["list"], ["show", "cree"], ["cite"], *OTHERS], ids=" ".join)
def test_a_closed_stdin_or_stderr_changes_no_answer(args: list[str]) -> None:
    usual = _ldn(args, "</dev/null")
    closed = _ldn(args, "<&-")
    assert "Traceback" not in closed.stderr
    assert (closed.returncode, closed.stdout) == (usual.returncode, usual.stdout)
    quiet = _ldn(args, "2>&- </dev/null")
    assert (quiet.returncode, quiet.stdout) == (usual.returncode, usual.stdout)


def test_an_article_on_a_closed_stdin_is_said_to_be_empty() -> None:
    done = _ldn(["claims", "-"], "<&-")
    assert done.returncode == 1
    assert "standard input: empty" in done.stderr


@pytest.mark.parametrize("option", ["--min-n", "--limit", "--level"])
@pytest.mark.parametrize("digits", [19, 4_301, 5_000, 100_000])
def test_a_number_thousands_of_digits_long_is_refused_with_its_length(
    runner: CliRunner, option: str, digits: int
) -> None:
    result = runner.invoke(app, ["--no-cache", "list", option, "9" * digits])
    assert result.exit_code == 2
    assert f"'999999999999...' ({digits:,} characters) is too long to be a number here" in result.stderr
    assert len(result.stderr) < 1000


def test_the_fast_path_hands_a_long_number_to_typer() -> None:
    done = _ldn(["list", "--min-n", "9" * 5000], "")
    assert "Traceback" not in done.stderr
    assert done.returncode == 2
    assert "(5,000 characters) is too long to be a number here" in done.stderr


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789", min_size=1, max_size=6000))
def test_the_fast_path_reads_any_digits_or_declines(raw: str) -> None:
    try:
        value = fast._value(("int", 1, None), raw)
    except fast._NotMine:
        return
    assert value == int(raw) and len(raw) <= 18


@pytest.mark.parametrize(
    ("dose", "quote", "problem"),
    [("4.5mg nightly", "took 4.5mg nightly", None), ("4.5mg nightly", "took 4.5 mg nightly", None),
     ("4.5 mg nightly", "took 4.5mg nightly", None), ("3mg", "took 4.5mg nightly", "dose: 3 does not appear"),
     ("4.5mg", "took 4.50 mg", None)],
)  # fmt: skip
def test_a_dose_written_without_a_space_verifies(
    write_catalogue: Callable[[str], Path], dose: str, quote: str, problem: str | None
) -> None:
    seed_text = f"A randomized trial {quote}.\n"
    path = write_catalogue(catalogue_text(study_yaml("s", dose=dose, sources=[{"seed": "a.txt", "quote": quote}])))
    (path.parent.parent / "seeds" / "a.txt").write_text(seed_text, encoding="utf-8")
    problems = [str(p) for p in verify(load(path), seeds_folder(path))]
    if problem is None:
        assert problems == []
    else:
        (found,) = problems
        assert problem in found and found.startswith(f"{path}:")


def test_leading_zeros_do_not_make_a_number_too_long(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--no-cache", "list", "--min-n", "0" * 40 + "1", "--format", "json"])
    assert result.exit_code == 0, result.stderr
