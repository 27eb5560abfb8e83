"""`ldn claims` from the installed console script: on a real pseudo-terminal at 80 and 20 columns, and in a pipe."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT
from test_installed import ldn
from test_output_faults import _on_a_terminal

pytestmark = pytest.mark.installed

ARTICLE = ROOT / "tests" / "articles" / "exaggerated.html"


def test_the_report_fits_an_80_column_terminal(installed: Path, tmp_path: Path) -> None:
    code, screen = _on_a_terminal(installed, tmp_path, ["claims", str(ARTICLE)], 80, {"NO_COLOR": "1"})
    assert code == 0, screen[-500:]
    lines = screen.replace("\r", "").splitlines()
    assert all(len(line.rstrip()) <= 80 for line in lines), max(lines, key=len)
    assert "line 14  milan-ppms-pilot" in screen and "differs" in screen
    assert "Traceback" not in screen


def test_a_20_column_terminal_still_works(installed: Path, tmp_path: Path) -> None:
    code, screen = _on_a_terminal(installed, tmp_path, ["claims", str(ARTICLE)], 20, {})
    assert code == 0, screen[-500:]
    assert "Traceback" not in screen


def test_an_article_piped_in_is_checked_and_strict_fails_it(installed: Path, tmp_path: Path) -> None:
    text = ARTICLE.read_text(encoding="utf-8")
    result = ldn(installed, "claims", "-", "--format", "json", "--strict", cwd=tmp_path, input=text)
    assert result.returncode == 1, result.stderr
    assert '"study": "milan-ppms-pilot"' in result.stdout
    assert result.stderr.splitlines()[-1] == "This checks an article against the catalogue; it is not medical advice."
