"""Count the words a drawn view splits or cuts, at the widths people use.

Each view is run as `ldn` in a pipe with NO_COLOR=1 and COLUMNS=N; a "word" is a run of
characters between spaces and box-drawing lines. A word of the narrow rendering that is not
a word of the same view drawn 400 columns wide (`--wide` where the command has it) is a
fragment of a split word; a word ending in "…" is a cut one.

    python bench/split_words.py            # the eight views at 80 and 100 columns
    python bench/split_words.py 60 80      # other widths
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VIEWS = [
    ["list", "--condition", "ms", "--format", "table"],
    ["list", "--format", "table"],
    ["show", "milan"],
    ["summary"],
    ["summary", "--by", "measure"],
    ["safety"],
    ["sources"],
    ["sources", "003"],
]
_WORD = re.compile(r"[^\s│─╭╮╰╯━┃┏┓┗┛]+")
#: The layout's own sentence about columns it left out, which no wide rendering has.
NOTE_WORDS = set("Left out for the width: , and (--wide or a wider window shows them; --format tsv too) .".split())


def words(text: str) -> list[str]:
    """The words of a screen, trailing punctuation kept."""
    return _WORD.findall(text)


def draw(args: list[str], columns: int) -> str:
    """What `ldn ARGS` prints in a pipe at this width."""
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": str(columns), "LDN_DATA": ""}
    ldn = Path(sys.executable).parent / "ldn"
    result = subprocess.run([str(ldn), "--no-cache", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    return result.stdout


def broken(args: list[str], columns: int, wide: str) -> list[str]:
    """The fragments and cut words of one view at one width."""
    whole = set(words(wide)) | NOTE_WORDS
    return [w for w in words(draw(args, columns)) if w not in whole or w.endswith("…")]


def main() -> None:
    widths = [int(a) for a in sys.argv[1:]] or [80, 100]
    total = dict.fromkeys(widths, 0)
    for args in VIEWS:
        wide = draw(args, 400)
        counts = []
        for width in widths:
            found = broken(args, width, wide)
            total[width] += len(found)
            counts.append(f"{width}: {len(found):3d}")
        print(f"{' '.join(args):45} " + "  ".join(counts))
    print(f"{'total':45} " + "  ".join(f"{w}: {total[w]:3d}" for w in widths))


if __name__ == "__main__":
    main()
