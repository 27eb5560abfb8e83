"""The real thing: a wheel built and installed in a fresh virtual environment, run as a process.

The `installed` fixture (conftest) builds the wheel once and installs it with its
dependencies into a new venv; these tests run that `ldn` from a temporary
folder. test_output_faults uses the same installation.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.installed


def ldn(bin_dir: Path, *args: str, cwd: Path, env: dict[str, str] | None = None, **kwargs: object):  # type: ignore[no-untyped-def]
    environment = {"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(cwd), "XDG_CACHE_HOME": str(cwd / "cache")}
    options: dict[str, object] = {"capture_output": True, "text": True, "timeout": 120, **kwargs}
    return subprocess.run([str(bin_dir / "ldn"), *args], cwd=cwd, env={**environment, **(env or {})}, **options)  # type: ignore[call-overload]


def test_the_installed_ldn_reads_the_shipped_catalogue_from_anywhere(installed: Path, tmp_path: Path) -> None:
    listed = ldn(installed, "list", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert "norway-2017\t2017\tms\tbefore-after" in listed.stdout
    verified = ldn(installed, "verify", cwd=tmp_path)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "verified:" in verified.stderr
    assert str(ROOT) not in verified.stderr  # the seeds came from the wheel, not this checkout
    validated = ldn(installed, "validate", cwd=tmp_path)
    assert validated.returncode == 0


def test_python_dash_m_works_like_ldn(installed: Path, tmp_path: Path) -> None:
    via_module = subprocess.run([str(installed / "python"), "-m", "ldn_evidence", "show", "norway", "--format", "json"],
                                cwd=tmp_path, capture_output=True, text=True, check=True)  # fmt: skip
    via_script = ldn(installed, "show", "norway", "--format", "json", cwd=tmp_path)
    assert via_module.stdout == via_script.stdout


def test_shell_completion_offers_ids_and_vocabularies(installed: Path, tmp_path: Path) -> None:
    ids = ldn(installed, cwd=tmp_path, env={"_LDN_COMPLETE": "complete_bash", "COMP_WORDS": "ldn show norw",
                                            "COMP_CWORD": "2"})  # fmt: skip
    assert ids.stdout.split() == ["norway-2017"]
    conditions = ldn(
        installed,
        cwd=tmp_path,
        env={"_LDN_COMPLETE": "complete_bash", "COMP_WORDS": "ldn list --condition pp", "COMP_CWORD": "3"},
    )
    assert conditions.stdout.split() == ["ppms"]
    measures = ldn(
        installed,
        cwd=tmp_path,
        env={"_LDN_COMPLETE": "complete_bash", "COMP_WORDS": "ldn list --measure sp", "COMP_CWORD": "3"},
    )
    assert measures.stdout.split() == ["spasticity"]
    for shell in ("bash", "zsh", "fish"):
        script = ldn(installed, "--show-completion", shell, cwd=tmp_path)
        assert script.returncode == 0 and "_LDN_COMPLETE" in script.stdout, shell


def test_the_installed_ldn_writes_the_site_with_its_templates(installed: Path, tmp_path: Path) -> None:
    written = ldn(installed, "site", "out", cwd=tmp_path)
    assert written.returncode == 0, written.stderr
    home = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "What is the evidence for low-dose naltrexone?" in home and 'href="site.css"' in home
    assert (tmp_path / "out" / "site.css").stat().st_size > 1000 and (tmp_path / "out" / "filter.js").is_file()
    article = (tmp_path / "out" / "articles" / "001-cfcaaea8c494e144.html").read_text(encoding="utf-8")
    assert '<mark class="claim' in article  # the article's text came with the wheel
