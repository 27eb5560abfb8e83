"""Output cut by a file-size limit is an error, never a short file and exit 0 (a real process, a real rlimit)."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

LIMIT = 20 * 1024


def limited() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, LIMIT))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # as a shell's `ulimit -f` leaves it for Python


@pytest.mark.parametrize("unbuffered", [True, False])
@pytest.mark.parametrize("args", [["list", "--format", "json"], ["list"], ["show", "milan", "--format", "json"]])
def test_output_past_a_file_size_limit_exits_1_with_the_reason(
    tmp_path: Path, args: list[str], unbuffered: bool
) -> None:
    whole = subprocess.run([sys.executable, "-m", "ldn_evidence", *args], capture_output=True, check=True).stdout
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    if unbuffered:
        env["PYTHONUNBUFFERED"] = "1"
    target = tmp_path / "out"
    with target.open("wb") as sink:
        done = subprocess.run(
            [sys.executable, "-m", "ldn_evidence", *args],
            stdout=sink, stderr=subprocess.PIPE, env=env, preexec_fn=limited, check=False,
        )  # fmt: skip
    stderr = done.stderr.decode()
    if len(whole) > LIMIT:
        assert done.returncode == 1, stderr
        assert "Error: cannot write output: File too large" in stderr
        assert "Traceback" not in stderr
    else:
        assert done.returncode == 0, stderr
        assert target.read_bytes() == whole


def test_a_closed_pipe_stays_quiet_with_unbuffered_output() -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    done = subprocess.run(
        f"{sys.executable} -m ldn_evidence list --format json | head -c 10", shell=True,
        capture_output=True, env=env, check=False,
    )  # fmt: skip
    assert done.returncode == 0 and len(done.stdout) == 10
    assert b"Error" not in done.stderr and b"Traceback" not in done.stderr
