"""Output faults and terminals, on the installed console script run as a real process.

A closed pipe, Ctrl-C during a long load, a full disk, an ASCII-only terminal, a
20-column terminal, colour rules and the load spinner.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import termios
from pathlib import Path

import pytest

from ldn_evidence.loader import load
from ldn_evidence.publications import excerpt_count

from conftest import SHIPPED
from test_installed import ldn

pytestmark = pytest.mark.installed


def test_a_closed_pipe_ends_quietly(installed: Path, tmp_path: Path, big_catalogue: Path) -> None:
    shell = subprocess.run(
        f"'{installed / 'ldn'}' --no-cache --data '{big_catalogue}' list | head -1",
        shell=True, cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert shell.stdout.startswith("id\tyear\t")
    assert shell.stderr == ""


def test_ctrl_c_exits_130_without_a_traceback(installed: Path, tmp_path: Path) -> None:
    # The catalogue is a pipe that stays open and empty, so the load waits for as long as the
    # test likes: the signal comes once the spinner (shown at once here) proves the load is under
    # way, never after a guessed sleep that a fast machine outruns.
    run = ("import sys; from ldn_evidence import writers, __main__; writers.SPINNER_AFTER = 0; "
           "sys.argv = ['ldn', *sys.argv[1:]]; __main__.main()")  # fmt: skip
    main, secondary = pty.openpty()
    process = subprocess.Popen(
        [str(installed / "python"), "-c", run, "--no-cache", "--data", "/dev/stdin", "summary", "--format", "json"],
        cwd=tmp_path, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=secondary, text=True, close_fds=True,
    )  # fmt: skip
    os.close(secondary)
    screen = b""
    while b"reading the catalogue" not in screen:
        ready, _, _ = select.select([main], [], [], 60)
        chunk = os.read(main, 65536) if ready else b""  # the terminal closes when the process has gone
        assert chunk, (process.poll(), screen.decode("utf-8", "replace"))
        screen += chunk
    process.send_signal(signal.SIGINT)
    stdout, _ = process.communicate(timeout=60)
    try:
        while select.select([main], [], [], 0.5)[0]:
            screen += os.read(main, 65536)
    except OSError:
        pass  # the terminal closes when the process has gone
    os.close(main)
    assert process.returncode == 130
    shown = screen.decode("utf-8", "replace")
    assert "interrupted" in shown and "Traceback" not in shown
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


def _on_a_terminal(
    bin_dir: Path, cwd: Path, args: list[str], columns: int, env: dict[str, str], command: list[str] | None = None
) -> tuple[int, str]:
    """Run `ldn --no-cache ARGS` (or `command`) on a pseudo-terminal; its exit code and everything it showed."""
    main, secondary = pty.openpty()
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    environment = {"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(cwd), "TERM": "xterm-256color", **env}
    process = subprocess.Popen(command or [str(bin_dir / "ldn"), "--no-cache", *args], cwd=cwd, env=environment,
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


def test_a_long_load_shows_a_spinner_on_a_terminal(installed: Path, tmp_path: Path, big_catalogue: Path) -> None:
    # The test sets the delay (none), so it holds however quickly the machine loads the catalogue.
    run = ("import sys; from ldn_evidence import writers, __main__; writers.SPINNER_AFTER = 0; "
           "sys.argv = ['ldn', *sys.argv[1:]]; __main__.main()")  # fmt: skip
    args = ["--no-cache", "--data", str(big_catalogue), "summary", "--format", "json"]
    code, screen = _on_a_terminal(installed, tmp_path, [], 120, {}, [str(installed / "python"), "-c", run, *args])
    assert code == 0, screen[-500:]
    assert "reading the catalogue" in screen


def test_the_spinner_also_covers_reading_the_studies_text(installed: Path, tmp_path: Path, big_catalogue: Path) -> None:
    # A cached catalogue reads its studies' text after the load; with no delay, the spinner
    # shows for that step too (at the usual second, 10,000 studies are read too soon to see it).
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    args = ["--data", str(big_catalogue), "list", "--search", "placebo", "--format", "jsonl", "--limit", "1"]
    assert ldn(installed, *args, cwd=tmp_path, env=env).returncode == 0  # fills the cache
    run = ("import sys; from ldn_evidence import writers, __main__; writers.SPINNER_AFTER = 0; "
           "sys.argv = ['ldn', *sys.argv[1:]]; __main__.main()")  # fmt: skip
    code, screen = _on_a_terminal(installed, tmp_path, [], 120, env, [str(installed / "python"), "-c", run, *args])
    assert code == 0, screen[-500:]
    assert "reading the studies" in screen


def test_no_spinner_when_stderr_is_not_a_terminal(installed: Path, tmp_path: Path, big_catalogue: Path) -> None:
    result = ldn(installed, "--no-cache", "--data", str(big_catalogue), "summary", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0
    assert "reading the catalogue" not in result.stderr


def test_the_published_views_fit_an_80_column_terminal(installed: Path, tmp_path: Path) -> None:
    import re

    escapes = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")
    for args, expected in (
        (["show", "ucsf-cree-rct"], "Where the articles differ from the paper (3)"),
        (["discrepancies", "--kind", "n"], "crps-two-cases"),
        (["sources", "003"], "misreports"),
    ):
        code, screen = _on_a_terminal(installed, tmp_path, args, 80, {})
        assert code == 0, (args, screen[-500:])
        lines = [escapes.sub("", line) for line in screen.replace("\r\n", "\n").split("\n")]
        assert max(len(line) for line in lines) <= 80, args
        assert expected in " ".join(" ".join(lines).split()), args
    for args in (["discrepancies"], ["cite"], ["show", "crohns-2007"]):
        code, screen = _on_a_terminal(installed, tmp_path, args, 20, {})
        assert code == 0 and "Traceback" not in screen, (args, screen[-500:])


def test_the_installed_wheel_verifies_the_published_layer(installed: Path, tmp_path: Path) -> None:
    result = ldn(installed, "verify", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    shipped = load(SHIPPED)
    # Every excerpt of every publication was checked: the excerpt files came with the wheel.
    assert f"{excerpt_count(shipped)} excerpts in {len(shipped.publications)} publications" in result.stderr
    cited = ldn(installed, "cite", "ucsf", "--format", "bibtex", cwd=tmp_path)
    assert cited.returncode == 0 and "doi = {10.1002/ana.22006}" in cited.stdout
