"""Kept answers (`ldn_evidence.answers`): a command run again in the same situation writes the same bytes, unread.

Each run is a real process, so that its standard streams are the operating system's. A run
served from a kept answer imports neither `fast` nor `commands`; the wrapper below says which.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ldn_evidence import answers
from ldn_evidence.cachefolder import RACY_NS

from conftest import SHIPPED

#: Runs `ldn` with the arguments after the first, and writes to the file named first whether it ran the command.
RUN = (
    "import atexit, sys\n"
    "marker = sys.argv.pop(1)\n"
    "atexit.register(lambda: open(marker, 'w').write(str('ldn_evidence.fast' in sys.modules)))\n"
    "from ldn_evidence.__main__ import main\n"
    "main()\n"
)


def ldn(
    tmp_path: Path, *args: str, merged: bool = False, env: dict[str, str] | None = None
) -> tuple[bytes, bytes, int, bool]:
    """stdout, stderr (or nothing, `merged` into stdout), the exit code, and whether the command ran (not kept)."""
    marker = tmp_path / "ran"
    done = subprocess.run(
        [sys.executable, "-c", RUN, str(marker), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT if merged else subprocess.PIPE,
        env={**os.environ, **(env or {})},
        check=False,
    )
    return done.stdout, done.stderr or b"", done.returncode, marker.read_text() == "True"


def kept_files(cache_home: Path) -> list[Path]:
    return sorted((cache_home / "ldn-evidence").glob("*-answer-*"))


@pytest.mark.parametrize(
    "args",
    [
        ("list", "--format", "json"),
        ("list",),
        ("list", "--condition", "ms", "--sort", "year", "--limit", "3"),
        ("summary", "--format", "json"),
        ("show", "ucsf-cree-rct"),
        ("show", "ucsf-cree-rct", "--format", "markdown"),
        ("safety",),
        ("--data", str(SHIPPED), "list", "--format", "tsv"),
    ],
)
def test_a_command_run_again_is_answered_with_the_same_bytes_without_running(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    first = ldn(tmp_path, *args)
    assert first[2] == 0 and first[3]
    again = ldn(tmp_path, *args)
    assert again == (*first[:3], False)
    # stdout and stderr into one pipe: each write in its order, as a run that reads no cache at all writes them.
    uncached = ldn(tmp_path, "--no-cache", *args, merged=True)
    assert uncached[3]
    ldn(tmp_path, *args, merged=True)
    merged = ldn(tmp_path, *args, merged=True)
    assert merged == (*uncached[:3], False)


def test_a_failed_command_is_not_kept(tmp_path: Path, private_cache: Path) -> None:
    first = ldn(tmp_path, "show", "no-such-study")
    assert first[2] == 1 and first[3]
    assert ldn(tmp_path, "show", "no-such-study")[3]
    assert kept_files(private_cache) == []


def test_another_situation_is_another_answer(tmp_path: Path) -> None:
    narrow = {"COLUMNS": "50"}
    wide = ldn(tmp_path, "show", "ucsf-cree-rct")
    ldn(tmp_path, "show", "ucsf-cree-rct", env=narrow)
    kept = ldn(tmp_path, "show", "ucsf-cree-rct", env=narrow)
    assert not kept[3]
    assert kept[:3] == ldn(tmp_path, "--no-cache", "show", "ucsf-cree-rct", env=narrow)[:3]
    assert kept[0] != wide[0]


def _still_copy(tmp_path: Path) -> Path:
    """A copy of the shipped catalogue that has been still long enough for its stat to be trusted."""
    folder = tmp_path / "data"
    folder.mkdir()
    copy = folder / "studies.yaml"
    shutil.copyfile(SHIPPED, copy)
    shutil.copytree(SHIPPED.parent.parent / "seeds", tmp_path / "seeds")
    time.sleep(RACY_NS / 1e9 + 0.2)  # waited for, never measured
    return copy


def test_a_changed_catalogue_is_read_again(tmp_path: Path) -> None:
    copy = _still_copy(tmp_path)
    args = ("--data", str(copy), "list", "--format", "tsv")
    before = ldn(tmp_path, *args)
    assert not ldn(tmp_path, *args)[3]
    text = copy.read_text(encoding="utf-8")
    copy.write_text(text.replace("ucsf-cree-rct", "ucsf-cree-trial"), encoding="utf-8")
    changed = ldn(tmp_path, *args)
    assert changed[3] and changed[0] != before[0] and b"ucsf-cree-trial" in changed[0]
    assert changed[:3] == ldn(tmp_path, "--no-cache", *args)[:3]


@pytest.mark.parametrize("damage", ["flip a byte of the output", "flip a byte of the seal", "others may write it"])
def test_an_answer_not_sealed_by_this_user_is_refused_and_replaced(
    tmp_path: Path, private_cache: Path, damage: str
) -> None:
    args = ("list", "--format", "json")
    first = ldn(tmp_path, *args)
    (kept,) = kept_files(private_cache)
    blob = bytearray(kept.read_bytes())
    if damage == "flip a byte of the output":
        at = blob.rindex(b"\n", 0, len(blob) - 2) + 1
        blob[at] ^= 0x20
    elif damage == "flip a byte of the seal":
        blob[0] ^= 1
    kept.write_bytes(bytes(blob))
    if damage == "others may write it":
        kept.chmod(0o622)
    refused = ldn(tmp_path, *args)
    assert refused == (*first[:3], True)
    assert kept.stat().st_mode & 0o022 == 0  # written again, by this user, sealed
    assert ldn(tmp_path, *args) == (*first[:3], False)


def test_each_catalogue_keeps_a_bounded_number_of_answers(tmp_path: Path, private_cache: Path) -> None:
    for limit in range(answers.SLOTS + 8):
        ldn(tmp_path, "list", "--format", "tsv", "--limit", str(limit))
    assert 0 < len(kept_files(private_cache)) <= answers.SLOTS


def test_what_is_kept_answers_a_command_only_with_the_same_arguments() -> None:
    assert answers.invocation(["list"]) == ""
    assert answers.invocation(["--data", "x.yaml", "summary", "--format", "json"]) == "x.yaml"
    assert answers.invocation(["--data=x.yaml", "show", "a"]) == "x.yaml"
    for other in (["--no-cache", "list"], ["list", "--help"], ["verify"], ["export", "x"], ["--data"], []):
        assert answers.invocation(other) is None
