"""Paths that are not a readable file: missing, a folder, unreadable, a symlink loop, a dangling link."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ldn_evidence.cli import app
from ldn_evidence.errors import CatalogueFileError
from ldn_evidence.loader import load

from conftest import MINIMAL


def _cases(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    loop = tmp_path / "loop.yaml"
    loop.symlink_to(loop)
    dangling = tmp_path / "dangling.yaml"
    dangling.symlink_to(tmp_path / "gone.yaml")
    folder = tmp_path / "folder.yaml"
    folder.mkdir()
    return {
        "missing": (tmp_path / "missing.yaml", "no such file"),
        "folder": (folder, "is a folder, not a catalogue file"),
        "symlink loop": (loop, "cannot read: Too many levels of symbolic links"),
        "dangling link": (dangling, "no such file"),
        "inside a file": (tmp_path / "missing.yaml" / "x.yaml", "no such file"),
    }


@pytest.mark.parametrize("case", ["missing", "folder", "symlink loop", "dangling link", "inside a file"])
def test_a_path_that_cannot_be_read_is_a_clear_error(case: str, tmp_path: Path, runner: CliRunner) -> None:
    path, message = _cases(tmp_path)[case]
    with pytest.raises(CatalogueFileError) as caught:
        load(path)
    assert str(caught.value) == f"{path}: {message}"
    for command in (["list"], ["summary"], ["show", "x"], ["validate"], ["verify"]):
        result = runner.invoke(app, ["--no-cache", "--data", str(path), *command])
        assert result.exit_code == 1, command
        assert result.stdout == ""
        assert result.stderr.strip() == f"Error: {path}: {message}", command
        assert "Traceback" not in result.stderr


def _load_as_nobody(path: str, answer: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    os.setgid(65534)
    os.setuid(65534)
    try:
        load(path)
        answer.put("read")
    except CatalogueFileError as exc:
        answer.put(str(exc))


def test_a_file_without_read_permission(write_catalogue: Callable[[str], Path]) -> None:
    path = write_catalogue(MINIMAL)
    path.chmod(0)
    if os.geteuid() != 0:
        with pytest.raises(CatalogueFileError, match="permission denied"):
            load(path)
        return
    # root reads anything: ask an unprivileged child instead.
    path.parent.parent.chmod(0o755)
    path.parent.chmod(0o755)
    answer: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
    child = multiprocessing.get_context("fork").Process(target=_load_as_nobody, args=(str(path), answer))
    child.start()
    child.join(30)
    assert answer.get(timeout=5) == f"{path}: permission denied"
