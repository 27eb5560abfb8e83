"""Class 5 and the file habits of exports: replace only what may be replaced, whole or not at all."""

from __future__ import annotations

import hashlib
import json
import os
import random
import resource
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ldn_evidence import export as exporter
from ldn_evidence.cli import app
from ldn_evidence.errors import ExportError
from ldn_evidence.loader import load

from conftest import ROOT, SHIPPED

CATALOGUE = load(SHIPPED)


def run(runner: CliRunner, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["--no-cache", *args], env={"LDN_DATA": ""})


def _listing(folder: Path) -> dict[str, str]:
    """Every file under `folder` (hidden ones too) and a digest of its bytes."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "folder"
        for p in sorted(folder.rglob("*"))
    }


# --- what may be replaced ------------------------------------------------------------------------


@pytest.fixture
def special(tmp_path: Path) -> Iterator[dict[str, Path]]:
    """Things that are not regular files, under names an export might be given."""
    fifo = tmp_path / "fifo.csv"
    os.mkfifo(fifo)
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(tmp_path / "socket.csv"))
    things = {"fifo": fifo, "folder": folder, "socket": tmp_path / "socket.csv"}
    if os.geteuid() == 0:
        device = tmp_path / "device.csv"
        os.mknod(device, 0o600 | 0o020000, os.makedev(1, 3))  # a character device with /dev/null's numbers
        things["device"] = device
    yield things
    sock.close()


@pytest.mark.parametrize("kind", ["fifo", "folder", "socket", "device"])
@pytest.mark.parametrize("force", [False, True])
def test_a_file_that_is_not_regular_is_never_replaced(
    special: dict[str, Path], runner: CliRunner, kind: str, force: bool
) -> None:
    if kind not in special:
        pytest.skip("making a device file needs root")
    target = special[kind]
    before = os.lstat(target)
    result = run(runner, "export", str(target), *(["--force"] if force else []))
    assert result.exit_code == 1
    message = "is a folder" if kind == "folder" else "is not a regular file (a device, FIFO or socket); refused"
    assert result.stderr == f"Error: {target} {message}\n" or (not force and "exists" in result.stderr)
    after = os.lstat(target)
    assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)
    assert [p.name for p in target.parent.iterdir() if p.name.startswith(".")] == []


def test_a_dangling_link_needs_force_and_only_the_link_is_replaced(runner: CliRunner, tmp_path: Path) -> None:
    link = tmp_path / "out.csv"
    link.symlink_to(tmp_path / "elsewhere" / "target.csv")
    refused = run(runner, "export", str(link))
    assert refused.exit_code == 1
    assert refused.stderr == f"Error: {link} exists (a symbolic link to nothing); use --force to replace the link\n"
    assert link.is_symlink()
    assert run(runner, "export", str(link), "--force").exit_code == 0
    assert not link.is_symlink() and link.is_file()
    assert not (tmp_path / "elsewhere").exists()


def test_a_link_to_a_device_is_replaced_as_a_link(runner: CliRunner, tmp_path: Path) -> None:
    link = tmp_path / "out.json"
    link.symlink_to("/dev/null")
    assert run(runner, "export", str(link)).exit_code == 1
    assert run(runner, "export", str(link), "--force").exit_code == 0
    assert link.is_file() and not link.is_symlink()
    assert os.path.exists("/dev/null") and not Path("/dev/null").is_file()


def test_a_missing_folder_is_an_error_and_nothing_is_made(runner: CliRunner, tmp_path: Path) -> None:
    for target in (tmp_path / "a" / "b" / "out.csv", tmp_path / "a" / "b" / "datapackage.json"):
        result = run(runner, "export", str(target))
        assert result.exit_code == 1
        assert result.stderr == f"Error: {target.parent if target.suffix == '.csv' else target.parent.parent}: " \
                                "no such folder; create it first\n"  # fmt: skip
        assert list(tmp_path.iterdir()) == []


def test_a_data_package_may_make_its_own_one_folder(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "pkg" / "datapackage.json"
    assert run(runner, "export", str(target)).exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pkg"]


def test_a_data_package_is_written_to_a_folder_of_its_own(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "notes.txt").write_text("mine")
    result = run(runner, "export", str(tmp_path / "pkg" / "datapackage.json"))
    assert result.exit_code == 1
    assert "holds other files (notes.txt); a data package is written to a folder of its own" in result.stderr
    assert [p.name for p in (tmp_path / "pkg").iterdir()] == ["notes.txt"]


@pytest.mark.parametrize("suffix", [".csv", ".json", ".md", ".db", "/datapackage.json"])
@pytest.mark.parametrize("mask", [0o022, 0o077, 0o002])
def test_files_get_the_users_umask(runner: CliRunner, tmp_path: Path, suffix: str, mask: int) -> None:
    target = tmp_path / ("pkg" + suffix if suffix.startswith("/") else "out" + suffix)
    old = os.umask(mask)
    try:
        assert run(runner, "export", str(target)).exit_code == 0
    finally:
        os.umask(old)
    files = [target] if not suffix.startswith("/") else list(target.parent.iterdir())
    for file in files:
        assert file.stat().st_mode & 0o777 == 0o666 & ~mask, file
    if suffix.startswith("/"):
        assert target.parent.stat().st_mode & 0o777 == 0o777 & ~mask


@pytest.mark.parametrize(("name", "fmt"), [("out.json", "csv"), ("out.csv", "sqlite"), ("out.db", "markdown"),
                                           ("datapackage.json", "csv")])  # fmt: skip
def test_a_suffix_that_contradicts_format_is_an_error(runner: CliRunner, tmp_path: Path, name: str, fmt: str) -> None:
    result = run(runner, "export", str(tmp_path / name), "--format", fmt)
    assert result.exit_code == 1
    assert f"'{name}' names the " in result.stderr and f"format, not {fmt}" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_format_for_a_name_without_a_suffix_is_fine(runner: CliRunner, tmp_path: Path) -> None:
    assert run(runner, "export", str(tmp_path / "out"), "--format", "csv").exit_code == 0


# --- names in messages --------------------------------------------------------------------------------


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(st.characters(blacklist_characters="/\x00", blacklist_categories=("Cs",)), min_size=1, max_size=8))
def test_a_file_name_cannot_forge_a_line_or_drive_the_terminal(tmp_path: Path, name: str) -> None:
    if name in (".", ".."):
        return
    folder = tmp_path / "names"
    folder.mkdir(exist_ok=True)
    target = folder / f"{name}\n\x1b[2JError: forged.csv"
    runner = CliRunner()
    for args in (["export", str(target), "--force"], ["export", str(target)]):
        result = run(runner, *args)
        assert "\x1b" not in result.stderr
        assert len(result.stderr.splitlines()) <= 3, result.stderr
        assert not any(line.startswith("Error: forged") for line in result.stderr.splitlines())


# --- whole or nothing ----------------------------------------------------------------------------------


def _package(folder: Path, studies: int, runner: CliRunner) -> dict[str, str]:
    exporter.export(folder / "datapackage.json", CATALOGUE, CATALOGUE.studies[:studies], force=True)
    return _listing(folder)


@pytest.mark.parametrize("failing_table", [0, 3, 7])
@pytest.mark.parametrize("error", [OSError(28, "No space left on device"), KeyboardInterrupt()])
def test_a_data_package_that_fails_halfway_leaves_the_old_one(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch, failing_table: int, error: BaseException
) -> None:
    folder = tmp_path / "pkg"
    old = _package(folder, 5, runner)
    written: list[str] = []
    real = exporter.table_csv

    def failing(table: exporter.Table, raw: bool = False) -> str:
        if len(written) == failing_table:
            raise error
        written.append(table.name)
        return real(table, raw)

    monkeypatch.setattr(exporter, "table_csv", failing)
    with pytest.raises(ExportError if isinstance(error, OSError) else KeyboardInterrupt):
        exporter.export(folder / "datapackage.json", CATALOGUE, CATALOGUE.studies, force=True)
    assert _listing(folder) == old
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pkg"]


def test_a_killed_data_package_export_leaves_the_old_package_or_the_new(tmp_path: Path) -> None:
    from synthetic import write_synthetic

    data = write_synthetic(tmp_path / "data" / "studies.yaml", 600)
    out = tmp_path / "out"
    out.mkdir()
    folder = out / "pkg"
    command = [sys.executable, "-m", "ldn_evidence", "--no-cache", "--data", str(data), "export",
               str(folder / "datapackage.json"), "--force"]  # fmt: skip
    subprocess.run([*command, "--condition", "ms"], check=True, capture_output=True, cwd=ROOT)
    old = _listing(folder)
    subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
    new = _listing(folder)
    assert old != new
    rng = random.Random(13)
    seen = set()
    for attempt in range(4):
        subprocess.run([*command, "--condition", "ms"], check=True, capture_output=True, cwd=ROOT)
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
        time.sleep(rng.uniform(0.1, 1.2))
        child.send_signal(signal.SIGKILL)
        child.wait()
        now = _listing(folder)
        assert now in (old, new), attempt
        seen.add("old" if now == old else "new")
    print("states seen after a kill:", sorted(seen))
    # The next export clears what a killed one left beside the package.
    subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
    assert sorted(p.name for p in out.iterdir()) == ["pkg"]


def test_a_full_disk_during_a_sqlite_export_is_a_message(tmp_path: Path) -> None:
    target = tmp_path / "ldn.db"

    def small_files() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writing past the limit fails with EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (16 * 1024, 16 * 1024))

    result = subprocess.run(
        [sys.executable, "-m", "ldn_evidence", "--no-cache", "export", str(target)],
        capture_output=True, text=True, timeout=120, cwd=ROOT, preexec_fn=small_files,
        env={**os.environ, "LDN_DATA": ""},
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith(f"Error: cannot write {target}: ")
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_failed_sqlite_export_leaves_no_temporary_or_journal_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "ldn.db"
    target.write_bytes(b"old")
    real = exporter.tables

    def broken(*args: Any) -> list[exporter.Table]:
        tables = real(*args)
        return [*tables, exporter.Table("studies", "again", tables[0].columns, [], ("id",))]

    monkeypatch.setattr(exporter, "tables", broken)
    with pytest.raises(ExportError, match='table "studies" already exists'):
        exporter.export(target, CATALOGUE, CATALOGUE.studies, force=True)
    assert [p.name for p in tmp_path.iterdir()] == ["ldn.db"]
    assert target.read_bytes() == b"old"


# --- what every export holds --------------------------------------------------------------------------


def test_sqlite_holds_cautions_and_documents_and_seeds_are_keys(runner: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "ldn.db"
    assert run(runner, "export", str(db), "--condition", "crps").exit_code == 0
    with sqlite3.connect(db) as connection:
        connection.execute("PRAGMA foreign_keys = ON")
        keys = {(row[3], row[2], row[4]) for row in connection.execute("PRAGMA foreign_key_list(sources)")}
        cautions = connection.execute("SELECT count(*) FROM cautions").fetchone()[0]
        quotes = connection.execute("SELECT count(*) FROM caution_sources").fetchone()[0]
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        with pytest.raises(sqlite3.IntegrityError):
            connection.execute("INSERT INTO sources VALUES ((SELECT id FROM studies LIMIT 1), 99, 'nope.txt', 'q')")
    assert ("seed", "documents", "seed") in keys
    assert cautions == len(CATALOGUE.cautions)
    assert quotes == sum(len(c.sources) for c in CATALOGUE.cautions)


# --- summary pictures ----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["svg", "html"])
def test_summary_pictures_replace_a_file_only_with_force(runner: CliRunner, tmp_path: Path, kind: str) -> None:
    picture = tmp_path / f"summary.{kind}"
    picture.write_text("old")
    refused = run(runner, "summary", f"--{kind}", str(picture))
    assert refused.exit_code == 1
    assert refused.stderr == f"Error: {picture} exists; use --force to replace it\n"
    assert refused.stdout == ""
    assert picture.read_text() == "old"
    done = run(runner, "summary", f"--{kind}", str(picture), "--force")
    assert done.exit_code == 0, done.stderr
    assert picture.read_text() != "old" and picture.stat().st_mode & 0o777 == 0o666 & ~_umask()
    fifo = tmp_path / f"fifo.{kind}"
    os.mkfifo(fifo)
    assert "not a regular file" in run(runner, "summary", f"--{kind}", str(fifo), "--force").stderr


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def test_an_existing_data_package_is_replaced_only_with_force(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "pkg" / "datapackage.json"
    assert run(runner, "export", str(target), "--condition", "ms").exit_code == 0
    before = _listing(target.parent)
    refused = run(runner, "export", str(target))
    assert refused.exit_code == 1
    files = len(list(target.parent.iterdir()))
    expected = f"Error: {target.parent} holds a data package ({files} of its files); use --force to replace it\n"
    assert refused.stderr == expected
    assert _listing(target.parent) == before
    assert run(runner, "export", str(target), "--force").exit_code == 0
    assert _listing(target.parent) != before


def test_a_previous_data_package_is_replaced_whole_with_force(runner: CliRunner, tmp_path: Path) -> None:
    from conftest import MINIMAL

    target = tmp_path / "pkg" / "datapackage.json"
    assert run(runner, "export", str(target)).exit_code == 0
    assert (tmp_path / "pkg" / "discrepancies.csv").exists()
    smaller = tmp_path / "small.yaml"
    smaller.write_text(MINIMAL, encoding="utf-8")
    result = run(runner, "--data", str(smaller), "export", str(target), "--force")
    assert result.exit_code == 0, result.stderr
    listed = {r["path"] for r in json.loads(target.read_text())["resources"]}
    assert {p.name for p in (tmp_path / "pkg").iterdir()} == listed | {"datapackage.json"}
    assert "discrepancies.csv" not in listed


def test_a_file_a_previous_package_does_not_list_still_blocks_it(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "pkg" / "datapackage.json"
    assert run(runner, "export", str(target)).exit_code == 0
    (tmp_path / "pkg" / "notes.txt").write_text("mine")
    result = run(runner, "export", str(target), "--force")
    assert result.exit_code == 1 and "holds other files (notes.txt)" in result.stderr
    assert (tmp_path / "pkg" / "notes.txt").read_text() == "mine"
