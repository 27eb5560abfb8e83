"""Fuzz the catalogue loader for a fixed time: any input must give a catalogue or a report.

    python tests/fuzz_loader.py --seconds 60 [--seed N]

Each input is a valid catalogue (the shipped one, or a small one) mutated at the
line level (deleted, swapped, re-indented, tagged lines) and at the byte level
(flipped, inserted, deleted bytes). The loader may return a catalogue or raise
CatalogueInvalid with located problems; anything else is a crash: the input is
saved under bench/out/ and the run exits 1.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "unit"))

from ldn_evidence.errors import CatalogueInvalid  # noqa: E402
from ldn_evidence.loader import parse_catalogue  # noqa: E402

from conftest import MINIMAL  # noqa: E402
from test_properties import mutate  # noqa: E402

SEEDS = [(ROOT / "data" / "studies.yaml").read_text(encoding="utf-8"), MINIMAL, '{"studies": []}', "studies: []\n"]


def byte_mutations(raw: bytes, rng: random.Random) -> bytes:
    data = bytearray(raw)
    for _ in range(rng.randrange(1, 6)):
        if not data:
            data.append(rng.randrange(256))
            continue
        i = rng.randrange(len(data))
        kind = rng.randrange(3)
        if kind == 0:
            data[i] ^= 1 << rng.randrange(8)
        elif kind == 1:
            data[i:i] = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 4)))
        else:
            del data[i : i + rng.randrange(1, 4)]
    return bytes(data)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(2**32)
    rng = random.Random(seed)
    counts = {"valid": 0, "invalid": 0}
    slowest = 0.0
    deadline = time.monotonic() + args.seconds
    while time.monotonic() < deadline:
        text = mutate(rng.choice(SEEDS), rng, rng.randrange(1, 12))
        raw = text.encode("utf-8")
        if rng.random() < 0.5:
            raw = byte_mutations(raw, rng)
        started = time.monotonic()
        try:
            parse_catalogue(raw, "fuzz.yaml")
            counts["valid"] += 1
        except CatalogueInvalid as exc:
            if not exc.problems:
                raise SystemExit("an invalid catalogue gave no problem") from exc
            counts["invalid"] += 1
        except Exception:
            out = ROOT / "bench" / "out"
            out.mkdir(parents=True, exist_ok=True)
            crash = out / f"fuzz-crash-{seed}-{sum(counts.values())}.yaml"
            crash.write_bytes(raw)
            traceback.print_exc()
            print(f"crash: input saved to {crash} (seed {seed})", file=sys.stderr)
            return 1
        slowest = max(slowest, time.monotonic() - started)
    total = sum(counts.values())
    print(f"fuzz: {total} inputs in {args.seconds:g} s (seed {seed}): {counts['valid']} valid, "
          f"{counts['invalid']} reported as invalid, 0 crashes; slowest input {slowest * 1000:.0f} ms")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
