"""A folder found beside the catalogue, or a document in it, that leads elsewhere is never read."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ldn_evidence import catalogue as q
from ldn_evidence.cli import app
from ldn_evidence.errors import CatalogueFileError
from ldn_evidence.files import MAX_SEED_BYTES
from ldn_evidence.loader import load

from conftest import SEEDS, SHIPPED

SECRET = "SECRET-OUTSIDE-TEXT the closest passage must never show this"


def project(tmp_path: Path, seeds: Path | None = None) -> Path:
    """A catalogue in tmp_path/project/data with seeds/ beside it (a copy, or a link to `seeds`)."""
    root = tmp_path / "project"
    (root / "data").mkdir(parents=True)
    shutil.copy(SHIPPED, root / "data" / "studies.yaml")
    if seeds is None:
        shutil.copytree(SEEDS, root / "seeds")
    else:
        (root / "seeds").symlink_to(seeds, target_is_directory=True)
    shutil.copytree(SEEDS.parent / "publications", root / "publications")
    return root


def outside_seeds(tmp_path: Path) -> Path:
    """A folder outside the project with files named as the seeds, holding other text."""
    outside = tmp_path / "outside"
    outside.mkdir()
    for seed in SEEDS.iterdir():
        (outside / seed.name).write_text(SECRET + "\n", encoding="utf-8")
    return outside


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


SEED = sorted(p.name for p in SEEDS.iterdir())[0]


def test_sources_text_refuses_a_seed_link_leading_out_of_seeds(tmp_path: Path) -> None:
    root = project(tmp_path)
    (tmp_path / "secret.txt").write_text(SECRET, encoding="utf-8")
    (root / "seeds" / SEED).unlink()
    (root / "seeds" / SEED).symlink_to(tmp_path / "secret.txt")
    code, stdout, stderr = run("--data", str(root / "data" / "studies.yaml"), "sources", SEED, "--text")
    assert code == 1
    assert SECRET not in stdout + stderr
    assert "leads out of the folder" in stderr


@pytest.mark.parametrize("kind", ["fifo", "device", "large"])
def test_document_text_refuses_what_verify_refuses(tmp_path: Path, kind: str) -> None:
    folder = tmp_path / "seeds"
    folder.mkdir()
    catalogue = load(SHIPPED)
    if kind == "fifo":
        os.mkfifo(folder / SEED)
        message = "FIFO"
    elif kind == "device":
        (folder / SEED).symlink_to("/dev/zero")
        message = "leads out of the folder"
    else:
        (folder / SEED).write_bytes(b"a" * (MAX_SEED_BYTES + 1))
        message = "larger than"
    with pytest.raises(CatalogueFileError, match=message):
        q.document_text(catalogue, SEED, folder)


def test_a_seeds_folder_linking_out_of_the_tree_is_refused(tmp_path: Path) -> None:
    root = project(tmp_path, outside_seeds(tmp_path))
    data = str(root / "data" / "studies.yaml")
    code, stdout, stderr = run("--data", data, "sources", SEED, "--text")
    assert code == 1 and SECRET not in stdout + stderr
    assert "seeds folder is a link that leads out of" in stderr and "--seeds" in stderr
    code, stdout, stderr = run("verify", data)
    assert code == 1 and SECRET not in stdout + stderr
    assert "seeds folder is a link that leads out of" in stderr


def test_a_seeds_folder_named_with_the_option_is_trusted(tmp_path: Path) -> None:
    root = project(tmp_path, outside_seeds(tmp_path))
    code, stdout, _ = run("verify", str(root / "data" / "studies.yaml"), "--seeds", str(tmp_path / "outside"))
    assert code == 1 and "quote not found" in stdout  # read, because the user named it


def test_a_seeds_link_inside_the_tree_is_followed(tmp_path: Path) -> None:
    root = project(tmp_path)
    (root / "seeds").rename(root / "documents")
    (root / "seeds").symlink_to(root / "documents", target_is_directory=True)
    code, _, stderr = run("verify", str(root / "data" / "studies.yaml"))
    assert code == 0, stderr


def test_a_publications_folder_linking_out_of_the_tree_is_refused(tmp_path: Path) -> None:
    root = project(tmp_path)
    outside = tmp_path / "elsewhere"
    shutil.move(root / "publications", outside)
    for name in os.listdir(outside):
        (outside / name).write_text(SECRET + "\n", encoding="utf-8")
    (root / "publications").symlink_to(outside, target_is_directory=True)
    code, stdout, stderr = run("verify", str(root / "data" / "studies.yaml"))
    assert code == 1 and SECRET not in stdout + stderr
    assert "publications folder is a link that leads out of" in stdout


def test_a_refused_seed_is_reported_once(tmp_path: Path) -> None:
    root = project(tmp_path)
    catalogue = load(root / "data" / "studies.yaml")
    cited = {found.seed for p in catalogue.publications for found in p.discrepancies}
    seed = sorted(cited)[0]
    (root / "seeds" / seed).unlink()
    os.mkfifo(root / "seeds" / seed)
    code, stdout, _ = run("verify", str(root / "data" / "studies.yaml"))
    assert code == 1
    refused = [line for line in stdout.splitlines() if f"'{seed}'" in line and "FIFO" in line]
    assert len(refused) == 1, stdout
