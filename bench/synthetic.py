"""Synthetic catalogues of any size, made from the shipped records with unique ids.

Used by the benchmark and by the tests that need a catalogue too large to load in an
instant. The shipped file is copied as data (its YAML read and written again, nothing of
the package imported): its studies are repeated, each id made unique, and every round of
copies brings its own copy of the publications (the published layer) that name them, so a
synthetic catalogue has the shipped one's shape: documents, cautions, search, studies with
their seed quotes, and publications with their facts. The publications' excerpt files are
not copied, so `verify` is for the shipped catalogue only.
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "data" / "studies.yaml"

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Dumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _shipped() -> dict[str, Any]:
    with SHIPPED.open("rb") as stream:
        data: dict[str, Any] = yaml.load(stream, Loader=_Loader)
    return data


def study_ids(count: int, study: str) -> list[str]:
    """The ids that the copies of shipped study `study` have in a catalogue of `count` studies."""
    base = [record["id"] for record in _shipped()["studies"]]
    at = base.index(study)
    return [f"{study}-{i:05d}" for i in range(at, count, len(base))]


def synthetic_text(count: int) -> str:
    """A catalogue of `count` studies: the shipped ones repeated, each id made unique, with their publications."""
    data = _shipped()
    base = data["studies"]
    publications = data.get("publications") or []
    studies, copies = [], []
    for i in range(count):
        record = copy.deepcopy(base[i % len(base)])
        record["id"] = f"{record['id']}-{i:05d}"
        studies.append(record)
    for round_ in range((count + len(base) - 1) // len(base)):
        first = round_ * len(base)
        # The copy of each shipped study in this round of copies, if the catalogue reaches it.
        ids = {s["id"]: f"{s['id']}-{first + n:05d}" for n, s in enumerate(base) if first + n < count}
        for publication in publications:
            named = [ids[s] for s in publication.get("study") or [] if s in ids]
            if not named:
                continue
            made = copy.deepcopy(publication)
            made["id"] = f"{publication['id']}-{round_:05d}"
            made["study"] = named
            for found in made.get("discrepancies") or []:
                if found.get("study") is not None:
                    found["study"] = ids.get(found["study"], named[0])
            for key in ("includes",):
                if key in made:
                    made[key] = [ids[s] for s in made[key] if s in ids]
            copies.append(made)
        for record in studies[first : first + len(base)]:
            if record.get("includes"):
                record["includes"] = [ids[s] for s in record["includes"] if s in ids]
    data["studies"] = studies
    if publications:
        data["publications"] = copies
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
