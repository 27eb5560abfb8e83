"""Shared fixtures: tiny catalogues written to tmp_path, and a CLI runner."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import venv
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
# The tests mirror the package (unit/, claims/, cli/, hostile/, installed/); a few share helpers
# across folders by module name (`from test_installed import ldn`), so every folder is importable.
for _folder in sorted(p for p in Path(__file__).parent.iterdir() if p.is_dir() and p.name.isidentifier()):
    sys.path.insert(0, str(_folder))
# The benchmark's synthetic-catalogue generator serves the tests too.
sys.path.insert(0, str(ROOT / "bench"))
SHIPPED = ROOT / "data" / "studies.yaml"
SEEDS = ROOT / "seeds"

#: A source document for the tiny catalogues: every quote below stands in it.
SEED_TEXT = (
    "A randomized trial of ten people with MS took 4.5 mg nightly for 8 weeks; pain fell. "
    "In 2019 a case report described one woman with CRPS. "
    "A mouse study found less inflammation. "
    "An open-label study of 40 people with primary-progressive MS ran six months.\n"
)

MINIMAL = """\
documents:
  - seed: a.txt
    kind: news
    sources:
      - seed: a.txt
        quote: "A randomized trial"
studies:
  - id: good-study
    title: A study
    condition: ms
    design: rct
    n: 10
    outcome: Something.
    effect: benefit
    sources:
      - seed: a.txt
        quote: "A randomized trial of ten people"
"""


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own cache folder, never the user's."""
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    return folder


@pytest.fixture
def runner() -> CliRunner:
    """A CLI runner that keeps stdout and stderr apart."""
    return CliRunner()


@pytest.fixture
def write_catalogue(tmp_path: Path) -> Callable[[str], Path]:
    """Write YAML text as data/studies.yaml under tmp_path, with seeds/a.txt beside it."""

    def write(text: str) -> Path:
        data = tmp_path / "data"
        data.mkdir(exist_ok=True)
        seeds = tmp_path / "seeds"
        seeds.mkdir(exist_ok=True)
        (seeds / "a.txt").write_text(SEED_TEXT, encoding="utf-8")
        path = data / "studies.yaml"
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write


def study_yaml(ident: str, **fields: object) -> str:
    """One study record as YAML lines (indented for the studies list)."""
    record: dict[str, object] = {
        "id": ident,
        "title": f"Study {ident}",
        "condition": "ms",
        "design": "rct",
        "outcome": "Something.",
        "effect": "benefit",
        "sources": [{"seed": "a.txt", "quote": "A randomized trial"}],
    }
    record.update(fields)
    return textwrap.indent(dump_yaml([record]), "  ")


def dump_yaml(value: object) -> str:
    """`value` as YAML that reads back as the same value.

    PyYAML writes some characters (NEL, U+0085) raw inside quoted scalars and then reads
    them back as line breaks; where that would change a value, write it with escapes.
    """
    text = yaml.safe_dump(value, sort_keys=False, allow_unicode=True)
    if yaml.safe_load(text) != value:
        text = yaml.safe_dump(value, sort_keys=False, allow_unicode=False)
    return text


def catalogue_text(*studies: str) -> str:
    """A catalogue with the document a.txt and the given study records."""
    head = (
        "documents:\n  - seed: a.txt\n    kind: news\n    sources:\n      - {seed: a.txt, quote: A randomized trial}\n"
    )
    return head + "studies:\n" + "".join(studies)


@pytest.fixture(scope="session")
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


@pytest.fixture(scope="session")
def big_catalogue(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 10,000-study catalogue: slow enough to load that it can be interrupted."""
    from synthetic import write_synthetic

    return write_synthetic(tmp_path_factory.mktemp("big") / "data" / "studies.yaml", 10_000)


def problems_of(text: str | bytes) -> list[str]:
    """The problem lines the loader reports for catalogue text, the file named 'f.yaml'."""
    from ldn_evidence.errors import CatalogueInvalid
    from ldn_evidence.loader import parse_catalogue

    raw = text.encode("utf-8") if isinstance(text, str) else text
    with pytest.raises(CatalogueInvalid) as caught:
        parse_catalogue(raw, "f.yaml")
    return [str(p) for p in caught.value.problems]


def peak_kib(code: str, timeout: float = 120) -> int:
    """Peak memory of a fresh interpreter running `code` (KiB)."""
    child = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code) + "\nimport resource, sys\n"
         "sys.stdout.write(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))"],
        capture_output=True, text=True, timeout=timeout, check=True, cwd=ROOT,
    )  # fmt: skip
    return int(child.stdout)
