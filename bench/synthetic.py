"""Synthetic catalogues of any size, made from the shipped records with unique ids.

Used by the benchmark and by the tests that need a catalogue too large to load
in an instant. Every copied record keeps its quotes, so a synthetic catalogue
also verifies against the shipped seeds.
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ldn_evidence.formats import catalogue_data  # noqa: E402
from ldn_evidence.loader import load  # noqa: E402

load_catalogue = load

_Dumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def synthetic_text(count: int) -> str:
    """A catalogue of `count` studies: the shipped ones repeated, each id made unique."""
    data = catalogue_data(load(ROOT / "data" / "studies.yaml"))
    base = data["studies"]
    studies = []
    for i in range(count):
        record = copy.deepcopy(base[i % len(base)])
        record["id"] = f"{record['id']}-{i:05d}"
        studies.append(record)
    data["studies"] = studies
    header = "# yaml-language-server: $schema=../schema/studies.schema.json\n"
    return header + yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def write_synthetic(path: Path, count: int) -> Path:
    """Write a synthetic catalogue of `count` studies to `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(synthetic_text(count), encoding="utf-8")
    return path


if __name__ == "__main__":
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(f"bench/out/studies-{size}.yaml")
    print(write_synthetic(target, size))
