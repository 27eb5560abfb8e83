"""`ldn claims` on the command line: formats, exit codes, standard input, bad input, width."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ldn_evidence.claims import NOT_ADVICE, check_article, report_record
from ldn_evidence.cli import app
from ldn_evidence.loader import load

from conftest import ROOT

SEED = ROOT / "seeds" / "003_8ba770466c0a1f04.txt"
ENV = {"NO_COLOR": "1", "COLUMNS": "80", "LDN_DATA": ""}


def claims(runner: CliRunner, *args: str, stdin: str | bytes | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--no-cache", "claims", *args], env=ENV, input=stdin)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def test_json_is_the_librarys_report(runner: CliRunner) -> None:
    code, stdout, stderr = claims(runner, str(SEED), "--format", "json")
    assert code == 0
    expected = report_record(check_article(load(ROOT / "data" / "studies.yaml"), str(SEED), SEED.read_text()))
    assert json.loads(stdout) == expected
    assert stderr.splitlines()[-1] == NOT_ADVICE
    record = json.loads(stdout)
    assert set(record) >= {"claims", "unsupported"}
    for claim in record["claims"]:
        assert set(claim) >= {"sentence", "line", "study", "score", "cues", "checks"}
        for check in claim["checks"]:
            assert set(check) >= {"kind", "verdict", "article", "catalogue", "published", "excerpt"}


def test_strict_exits_1_when_a_check_differs_and_0_when_none_does(runner: CliRunner, tmp_path: Path) -> None:
    assert claims(runner, str(SEED), "--format", "json")[0] == 0
    assert claims(runner, str(SEED), "--format", "json", "--strict")[0] == 1
    calm = tmp_path / "calm.txt"
    calm.write_text("A study published in 2017 looked at prescription records in Norway.\n", encoding="utf-8")
    code, stdout, _ = claims(runner, str(calm), "--format", "json", "--strict")
    assert code == 0
    assert [c["verdict"] for c in json.loads(stdout)["claims"][0]["checks"]] == ["agrees"]


def test_standard_input_is_read_with_a_dash(runner: CliRunner) -> None:
    code, stdout, _ = claims(runner, "-", "--format", "json", stdin="Bruce Cree led a UCSF trial of 60 patients.\n")
    assert code == 0
    record = json.loads(stdout)
    assert record["article"] == "-"
    assert [c["study"] for c in record["claims"]] == ["ucsf-cree-rct"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty: there is no text to check"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "a binary file, not text (it holds NUL bytes)"),
        (b"caf\xe9\n", "not UTF-8 text (byte 0xe9)"),
    ],
)
def test_bad_articles_exit_1_with_a_message_and_no_traceback(
    runner: CliRunner, tmp_path: Path, content: bytes, message: str
) -> None:
    article = tmp_path / "article.txt"
    article.write_bytes(content)
    code, stdout, stderr = claims(runner, str(article))
    assert code == 1 and stdout == ""
    assert stderr.startswith(f"Error: {article}") and message in stderr
    assert "Traceback" not in stderr


def test_a_missing_article_exits_1(runner: CliRunner, tmp_path: Path) -> None:
    code, _, stderr = claims(runner, str(tmp_path / "nope.txt"))
    assert code == 1 and stderr == f"Error: {tmp_path / 'nope.txt'}: no such file\n"


def test_an_unknown_format_is_a_usage_error(runner: CliRunner) -> None:
    assert claims(runner, str(SEED), "--format", "csv")[0] == 2


def test_the_text_view_fits_80_columns_and_says_what_it_compared_with(runner: CliRunner) -> None:
    code, stdout, _ = claims(runner, str(SEED))
    assert code == 0
    lines = stdout.splitlines()
    assert all(len(line.rstrip()) <= 80 for line in lines), max(lines, key=len)
    assert "where the published layer verifies a value" in stdout
    assert "line 14  ucsf-cree-rct" in stdout
    assert lines[-1] == NOT_ADVICE


def test_markdown_lists_checked_sentences_and_unsupported_claims(runner: CliRunner) -> None:
    article = ROOT / "tests" / "articles" / "exaggerated.html"
    code, stdout, _ = claims(runner, str(article), "--format", "markdown")
    assert code == 0
    assert stdout.startswith(f"# Claims in {article}\n")
    assert "## Line 14: `milan-ppms-pilot`" in stdout
    assert "## Claims with no study behind them\n\n- line 19: Studies prove LDN works for everyone." in stdout


def test_article_text_is_never_read_as_markup(runner: CliRunner, tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("[bold red]Bruce Cree[/] led a UCSF \x1b[2Jtrial of 60 patients.\n", encoding="utf-8")
    code, stdout, _ = claims(runner, str(article))
    assert code == 0
    assert "[bold red]Bruce Cree[/]" in stdout and "\x1b" not in stdout and "\\x1b[2J" in stdout


def test_markdown_shows_control_characters_as_escapes(runner: CliRunner, tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Bruce Cree led a UCSF \x1b[2Jtrial of 60 patients.\n", encoding="utf-8")
    code, stdout, _ = claims(runner, str(article), "--format", "markdown")
    assert code == 0
    assert "\x1b" not in stdout and "\\\\x1b\\[2J" in stdout


def test_markdown_shows_the_article_literally(runner: CliRunner, tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(
        "Cree found <img src=x onerror=alert(1)> www.evil.example ~~x~~ in 80 patients with multiple sclerosis.\n",
        encoding="utf-8",
    )
    code, stdout, _ = claims(runner, str(article), "--format", "markdown")
    assert code == 0
    quoted = next(line for line in stdout.splitlines() if line.startswith("> "))
    assert "\\<img src=x onerror=alert(1)\\>" in quoted
    assert "www\\.evil" in quoted and "\\~\\~x\\~\\~" in quoted


def test_a_fifo_with_no_writer_reads_as_empty_instead_of_waiting(runner: CliRunner, tmp_path: Path) -> None:
    fifo = tmp_path / "article"
    os.mkfifo(fifo)
    code, _, stderr = claims(runner, str(fifo))
    assert code == 1
    assert stderr == f"Error: {fifo}: empty: there is no text to check\n"


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_a_cached_run_answers_as_a_parsed_one(fmt: str) -> None:
    runner = CliRunner()
    argv = ["claims", str(SEED), "--format", fmt]
    parsed = runner.invoke(app, ["--no-cache", *argv], env=ENV)
    runner.invoke(app, argv, env=ENV)  # fills the cache
    cached = runner.invoke(app, argv, env=ENV)
    assert parsed.exit_code == cached.exit_code == 0, cached.stderr
    assert (cached.stdout, cached.stderr) == (parsed.stdout, parsed.stderr)


def test_an_article_too_long_or_with_no_visible_text_exits_1(runner: CliRunner, tmp_path: Path) -> None:
    from ldn_evidence.claims import MAX_WORDS

    long = tmp_path / "long.txt"
    long.write_text("word " * (MAX_WORDS + 1), encoding="utf-8")
    code, stdout, stderr = claims(runner, str(long))
    assert (code, stdout) == (1, "")
    assert stderr == (
        f"Error: {long}:1: {MAX_WORDS + 1:,} words is more than an article (the limit is {MAX_WORDS:,}, passed on "
        "this line; a word is a run of letters or digits)\n"
    )
    page = tmp_path / "page.html"
    page.write_text("<html><head><script>var x = 1;</script></head><body></body></html>", encoding="utf-8")
    code, _, stderr = claims(runner, str(page))
    assert code == 1 and stderr == f"Error: {page}: no visible text to check\n"
