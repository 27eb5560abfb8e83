"""The real thing: a wheel built and installed in a fresh virtual environment, run as a process.

These tests build the wheel once, install it with its dependencies into a new
venv, and run the installed `ldn` from a temporary folder: in pipes, with
Ctrl-C, on a full disk, on an ASCII terminal and on a 20-column terminal.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time
import venv
from pathlib import Path

import pytest
from conftest import ROOT
from synthetic import write_synthetic

pytestmark = pytest.mark.installed


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin/ folder of a fresh venv with the built wheel installed."""
    root = tmp_path_factory.mktemp("installed")
    wheels = root / "wheels"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(wheels), str(ROOT)],
        check=True, capture_output=True,
    )  # fmt: skip
    (wheel,) = wheels.glob("ldn_evidence-*.whl")
    env_dir = root / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    bin_dir = env_dir / "bin"
    subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "--quiet", str(wheel)], check=True,
                   capture_output=True)  # fmt: skip
    return bin_dir


@pytest.fixture(scope="module")
def big_catalogue(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 10,000-study catalogue: slow enough to load that it can be interrupted."""
    return write_synthetic(tmp_path_factory.mktemp("big") / "data" / "studies.yaml", 10_000)


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


def test_a_closed_pipe_ends_quietly(installed: Path, tmp_path: Path, big_catalogue: Path) -> None:
    shell = subprocess.run(
        f"'{installed / 'ldn'}' --no-cache --data '{big_catalogue}' list | head -1",
        shell=True, cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert shell.stdout.startswith("id\tyear\t")
    assert shell.stderr == ""


def test_ctrl_c_exits_130_without_a_traceback(installed: Path, tmp_path: Path, big_catalogue: Path) -> None:
    process = subprocess.Popen(
        [str(installed / "ldn"), "--no-cache", "--data", str(big_catalogue), "summary", "--format", "json"],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    time.sleep(1.0)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "Traceback" not in stderr
    assert stdout == ""


def test_a_full_disk_is_an_error_not_a_traceback(installed: Path, tmp_path: Path) -> None:
    with open("/dev/full", "w") as full:
        result = ldn(installed, "list", "--format", "json", cwd=tmp_path, stdout=full, capture_output=False,
                     stderr=subprocess.PIPE)  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.strip().endswith("Error: cannot write output: No space left on device")
    assert "Traceback" not in result.stderr


def test_an_ascii_terminal_gets_replacements_not_a_crash(installed: Path, tmp_path: Path) -> None:
    for args in (["show", "milan"], ["summary"], ["safety"], ["list", "--format", "table"]):
        result = ldn(installed, *args, cwd=tmp_path, env={"PYTHONIOENCODING": "ascii"})
        assert result.returncode == 0, (args, result.stderr)
        assert result.stdout.isascii()


def _on_a_terminal(bin_dir: Path, cwd: Path, args: list[str], columns: int, env: dict[str, str]) -> tuple[int, str]:
    main, secondary = pty.openpty()
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    environment = {"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(cwd), "TERM": "xterm-256color", **env}
    process = subprocess.Popen([str(bin_dir / "ldn"), "--no-cache", *args], cwd=cwd, env=environment,
                               stdout=secondary, stderr=secondary, close_fds=True)  # fmt: skip
    os.close(secondary)
    chunks = []
    while True:
        ready, _, _ = select.select([main], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(main, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(main)
    return process.wait(timeout=30), b"".join(chunks).decode("utf-8", "replace")


def test_a_terminal_gets_a_drawn_table_in_colour_and_no_colour_means_none(installed: Path, tmp_path: Path) -> None:
    code, screen = _on_a_terminal(installed, tmp_path, ["list", "--condition", "ms"], 160, {})
    assert code == 0
    assert "\x1b[" in screen and "─" in screen and "norway-2017" in screen
    code, plain = _on_a_terminal(installed, tmp_path, ["list", "--condition", "ms"], 160, {"NO_COLOR": "1"})
    assert code == 0
    assert "\x1b[" not in plain and "norway-2017" in plain


def test_a_20_column_terminal_still_works(installed: Path, tmp_path: Path) -> None:
    for args in (["list"], ["show", "norway-2017"], ["summary"], ["safety"], ["sources"]):
        code, screen = _on_a_terminal(installed, tmp_path, args, 20, {})
        assert code == 0, (args, screen[-500:])
        assert "Traceback" not in screen
