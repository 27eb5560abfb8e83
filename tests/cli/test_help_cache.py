"""`ldn --help` served from the kept text is Typer's own help, byte for byte, at every width.

Each case runs the installed entry point in a fresh cache folder: the first run renders the
help with Typer and keeps it, the second serves the kept text without importing Typer or
click, and both are compared with what the Typer app itself writes in the same situation.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ldn_evidence import commands, helpcache

_CLEAN = ("COLUMNS", "LINES", "LDN_DATA", "NO_COLOR", "FORCE_COLOR", "TERMINAL_WIDTH", "_LDN_COMPLETE")


def _environment(cache: Path, columns: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _CLEAN and not k.startswith(("TYPER", "_TYPER"))}
    env["XDG_CACHE_HOME"] = str(cache)
    if columns is not None:
        env["COLUMNS"] = columns
    return env


def _ldn(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "ldn_evidence", *args], env=env, capture_output=True, check=False
    )


def _typer_help(args: list[str], env: dict[str, str]) -> bytes:
    """What the Typer app writes for `args`, run directly (no kept text involved)."""
    program = "import sys; from ldn_evidence.cli import app; app(args=sys.argv[1:], prog_name='ldn')"
    return subprocess.run([sys.executable, "-c", program, *args], env=env, capture_output=True, check=False).stdout


def _imported(stderr: bytes) -> set[str]:
    return {line.split("|")[-1].strip() for line in stderr.decode().splitlines() if line.startswith("import time:")}


@pytest.mark.parametrize("columns", [None, "50", "61", "80", "100", "200"])
def test_kept_help_is_typers_help_at_each_width(tmp_path: Path, columns: str | None) -> None:
    env = _environment(tmp_path, columns)
    expected = _typer_help(["--help"], env)
    assert expected.startswith(b"Usage: ldn [OPTIONS] COMMAND [ARGS]...")
    first = _ldn(["--help"], env)
    assert first.returncode == 0 and first.stdout == expected
    assert "typer" in _imported(first.stderr)  # rendered by Typer, and kept
    assert len(list((tmp_path / "ldn-evidence").glob("help-*.txt"))) == 1
    for args in (["--help"], ["-h"]):
        again = _ldn(args, env)
        assert again.returncode == 0 and again.stdout == expected
        assert not {"typer", "click", "ldn_evidence.cli", "ldn_evidence.commands"} & _imported(again.stderr)


def test_a_change_of_width_or_version_is_another_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env = _environment(tmp_path, "120")
    assert _ldn(["--help"], env).stdout == _typer_help(["--help"], env)
    narrow = _environment(tmp_path, "52")
    served = _ldn(["--help"], narrow)
    assert served.stdout == _typer_help(["--help"], narrow) != _typer_help(["--help"], env)
    assert len(list((tmp_path / "ldn-evidence").glob("help-*.txt"))) == 2
    monkeypatch.setenv("COLUMNS", "52")
    before = helpcache.key()
    monkeypatch.setattr(helpcache, "__version__", "0.0.0-other")
    assert helpcache.key() != before


def test_a_kept_text_someone_else_could_write_is_not_served(tmp_path: Path) -> None:
    env = _environment(tmp_path, "80")
    expected = _ldn(["--help"], env).stdout
    (kept,) = (tmp_path / "ldn-evidence").glob("help-*.txt")
    kept.write_bytes(b"forged\n")
    kept.chmod(0o666)
    served = _ldn(["--help"], env)
    assert served.stdout == expected and "typer" in _imported(served.stderr)


def test_the_entry_points_exit_codes_are_the_commands_ones() -> None:
    source = (Path(helpcache.__file__).parent / "__main__.py").read_text(encoding="utf-8")
    stated = f"EXIT_OK, EXIT_NOT_FOUND, EXIT_INTERRUPTED = {commands.EXIT_OK}, {commands.EXIT_NOT_FOUND}, "
    assert stated + f"{commands.EXIT_INTERRUPTED}\n" in source
