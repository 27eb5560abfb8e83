"""Class 3: files that are not what they seem: FIFOs, devices, endless pipes, seeds that lead elsewhere."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ldn_evidence import verify as verifier
from ldn_evidence.cli import app
from ldn_evidence.errors import CatalogueFileError
from ldn_evidence.loader import load
from ldn_evidence.paths import read_capped

from conftest import MINIMAL, ROOT, SEED_TEXT

SECRET = "root:x:0:0:the-secret-line-from-outside"


def ldn(*args: str, stdin: bytes | None = None, **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    """The real command in a child process: a hang fails the test by its timeout instead of blocking CI."""
    return subprocess.run(
        [sys.executable, "-m", "ldn_evidence", "--no-cache", *args], input=stdin, capture_output=True,
        timeout=60, cwd=ROOT, **kwargs,  # type: ignore[arg-type]
    )  # fmt: skip


def test_a_fifo_with_no_writer_does_not_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "studies.yaml"
    os.mkfifo(fifo)
    result = ldn("--data", str(fifo), "list")
    assert result.returncode == 1
    assert result.stderr.decode().startswith(f"{fifo}:1: the file is empty")


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_a_device_is_refused_before_it_is_read(device: str) -> None:
    with pytest.raises(CatalogueFileError, match=f"^{device}: is a device, not a catalogue file; refused$"):
        load(device)
    result = ldn("--data", device, "validate")
    assert result.returncode == 1
    assert result.stderr.decode() == f"Error: {device}: is a device, not a catalogue file; refused\n"


def test_a_catalogue_on_a_pipe_is_read() -> None:
    result = ldn("--data", "/dev/stdin", "validate", stdin=MINIMAL.encode())
    assert result.returncode == 0, result.stderr
    assert result.stderr == b"/dev/stdin: valid: 1 study, 1 document, 0 cautions\n"


def test_an_endless_pipe_is_cut_at_the_limit() -> None:
    read, write = os.pipe()
    stop = threading.Event()

    def endless() -> None:
        chunk = b"studies: [" * 8192
        try:
            while not stop.is_set():
                os.write(write, chunk)
        except OSError:
            pass

    writer = threading.Thread(target=endless, daemon=True)
    writer.start()
    try:
        with pytest.raises(CatalogueFileError, match=r"more than the 1,000,000 bytes allowed; refused$"):
            read_capped(f"/proc/self/fd/{read}", 1_000_000, "catalogue file")
    finally:
        stop.set()
        os.close(read)
        writer.join(10)
        os.close(write)


def test_an_endless_pipe_on_stdin_ends_with_a_message() -> None:
    yes = subprocess.Popen(["yes", "studies: []"], stdout=subprocess.PIPE)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "ldn_evidence", "--no-cache", "--data", "/dev/stdin", "validate"],
            stdin=yes.stdout, capture_output=True, timeout=120, cwd=ROOT,
        )  # fmt: skip
    finally:
        yes.kill()
        yes.wait()
    assert result.returncode == 1
    assert result.stderr.decode().endswith("bytes allowed; refused\n")


# --- seeds ---------------------------------------------------------------------------------------


@pytest.fixture
def project(write_catalogue: Callable[[str], Path], tmp_path: Path) -> Path:
    """A catalogue whose only quote is not in its seed, so verify would show a closest passage."""
    (tmp_path / "outside.txt").write_text(f"{SECRET}\n" * 50, encoding="utf-8")
    return write_catalogue(MINIMAL.replace("A randomized trial of ten people", "root:x:0:0 the-secret-line"))


def _verify(path: Path, runner: CliRunner) -> str:
    result = runner.invoke(app, ["--no-cache", "verify", str(path)])
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    return result.stdout + result.stderr


def test_a_seed_that_links_out_of_seeds_is_refused_and_never_quoted(project: Path, runner: CliRunner) -> None:
    seed = project.parent.parent / "seeds" / "a.txt"
    seed.unlink()
    seed.symlink_to(project.parent.parent / "outside.txt")
    shown = _verify(project, runner)
    assert "the-secret-line-from-outside" not in shown
    assert "seeds: it is a link that leads out of the folder; refused" in shown


def test_a_link_inside_seeds_is_followed(project: Path, runner: CliRunner) -> None:
    seeds = project.parent.parent / "seeds"
    (seeds / "a.txt").rename(seeds / "real.txt")
    (seeds / "a.txt").symlink_to("real.txt")
    project.write_text(MINIMAL, encoding="utf-8")
    assert runner.invoke(app, ["--no-cache", "verify", str(project)]).exit_code == 0


@pytest.mark.parametrize("kind", ["fifo", "device", "folder", "too large", "not utf-8"])
def test_a_seed_that_is_not_a_regular_text_file_is_refused(
    project: Path, runner: CliRunner, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed = project.parent.parent / "seeds" / "a.txt"
    seed.unlink()
    expected = {
        "fifo": "is a FIFO (named pipe), not a source document; refused",
        "device": "is a device, not a source document; refused",
        "folder": "is a folder, not a source document",
        "too large": f"{len(SEED_TEXT.encode())} bytes is larger than the 100 allowed",
        "not utf-8": "it is not UTF-8 text",
    }[kind]
    if kind == "fifo":
        os.mkfifo(seed)
    elif kind == "device":
        if os.geteuid() != 0:
            pytest.skip("making a device file needs root")
        os.mknod(seed, 0o600 | 0o020000, os.makedev(1, 5))  # a character device: /dev/zero's numbers
    elif kind == "folder":
        seed.mkdir()
    elif kind == "too large":
        monkeypatch.setattr(verifier, "MAX_SEED_BYTES", 100)
        seed.write_text(SEED_TEXT, encoding="utf-8")
    else:
        seed.write_bytes(b"caf\xe9 " + SECRET.encode())
    shown = _verify(project, runner)
    assert "source document 'a.txt' in " in shown and f"seeds: {expected}" in shown, shown
    assert "the-secret-line-from-outside" not in shown


# Seed names as a hostile catalogue might write them: paths, dots, links, control characters.
NAMES = st.one_of(
    st.sampled_from(["../outside.txt", "..", ".", "/etc/passwd", "a.txt/..", "..\\outside.txt", "./a.txt",
                     "link.txt", "seeds/../../outside.txt", "a.txt\n", "\x1b[2Ja.txt"]),
    st.text(min_size=1, max_size=12).filter(lambda s: "\x00" not in s and s.strip()),
)  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(NAMES)
def test_no_seed_name_reads_outside_the_seeds_folder(project: Path, name: str) -> None:
    seeds = project.parent.parent / "seeds"
    link = seeds / "link.txt"
    if not link.is_symlink():
        link.symlink_to(project.parent.parent / "outside.txt")
    import yaml

    text = yaml.safe_dump({
        "documents": [{"seed": name, "kind": "news", "sources": [{"seed": name, "quote": "root:x:0:0 the"}]}],
        "studies": [],
    })  # fmt: skip
    project.write_text(text, encoding="utf-8")
    catalogue = load(project)
    problems = [str(p) for p in verifier.verify(catalogue, seeds)]
    assert problems
    assert not any("the-secret-line-from-outside" in p for p in problems), problems
    assert not any(set(p) & {"\n", "\x1b"} for p in problems), problems


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(["\n", "\r", "\x1b[2J", "\u2028", "\x85"]), st.sampled_from(["design", "condition", "effect"]))
def test_a_value_in_a_message_cannot_forge_a_line(
    write_catalogue: Callable[[str], Path], runner: CliRunner, breaker: str, field: str
) -> None:
    import json

    value = json.dumps(f"x{breaker}Error: forged")
    path = write_catalogue(MINIMAL.replace(f"    {field}: ", f"    {field}: {value}\n    x{field}: ", 1))
    for args in (["list"], ["validate"], ["verify"]):
        result = runner.invoke(app, ["--no-cache", "--data", str(path), *args])
        assert result.exit_code == 1
        for stream in (result.stdout, result.stderr):
            assert not any(line.startswith("Error: forged") for line in stream.splitlines()), (args, stream)
            assert "\x1b" not in stream


@pytest.mark.parametrize("kind", ["link out", "fifo"])
def test_a_publication_file_follows_the_seeds_rules(tmp_path: Path, runner: CliRunner, kind: str) -> None:
    import shutil

    for folder in ("data", "seeds", "publications"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    (tmp_path / "outside.txt").write_text(f"page: x\nkind: abstract\n\n{SECRET}\n", encoding="utf-8")
    victim = sorted((tmp_path / "publications").glob("*.txt"))[0]
    victim.unlink()
    if kind == "fifo":
        os.mkfifo(victim)
    else:
        victim.symlink_to(tmp_path / "outside.txt")
    result = runner.invoke(app, ["--no-cache", "verify", str(tmp_path / "data" / "studies.yaml")])
    assert result.exit_code == 1
    shown = result.stdout + result.stderr
    assert "the-secret-line-from-outside" not in shown
    reason = "it is a link that leads out of the folder; refused" if kind != "fifo" else "is a FIFO (named pipe)"
    assert f"{victim.name}: cannot read the excerpt file: {reason}" in shown, shown
