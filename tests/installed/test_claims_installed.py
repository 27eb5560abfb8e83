"""`ldn claims` from the installed console script: on a real pseudo-terminal from 20 to 120 columns, and in a pipe."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.cells import cell_len
from test_output_faults import _on_a_terminal
from test_terminal_widths import NOTE, WIDTHS, screen_lines, words

from conftest import ROOT
from test_installed import ldn

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


@pytest.mark.parametrize("article", [ARTICLE, ROOT / "seeds" / "003_8ba770466c0a1f04.txt"], ids=lambda p: p.name)
def test_at_every_width_no_line_is_too_wide_and_every_word_is_whole(
    installed: Path, tmp_path: Path, article: Path
) -> None:
    _, wide = _on_a_terminal(installed, tmp_path, ["claims", str(article)], 400, {})
    whole = words("\n".join(screen_lines(wide))) | words(NOTE)
    for width in WIDTHS:
        code, screen = _on_a_terminal(installed, tmp_path, ["claims", str(article)], width, {})
        assert code == 0, (width, screen[-500:])
        lines = screen_lines(screen)
        assert not [line for line in lines if cell_len(line) > width], width
        too_long = [word for word in whole if len(word) > width - 4]
        broken = {word for word in words("\n".join(lines)) - whole if not any(word in long for long in too_long)}
        assert not broken, (width, sorted(broken)[:20])
