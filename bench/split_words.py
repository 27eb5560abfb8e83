"""Count the words a drawn view splits or cuts, at the widths people use.

Each view is run as `ldn` in a pipe with NO_COLOR=1 and COLUMNS=N; a "word" is a run of
characters between spaces and box-drawing lines. A word of the narrow rendering that is not
a word of the same view drawn 400 columns wide (`--wide` where the command has it) is a
fragment of a split word; a word ending in "…" is a cut one. Pieces of a word longer than
any line at that width (a long web address) are counted apart, in brackets: no layout can
show those whole.

    python bench/split_words.py            # the eight views at 80 and 100 columns
    python bench/split_words.py 60 80      # other widths
    CHECKOUT=/tmp/old python bench/split_words.py   # another checkout of the package
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
_PUNCTUATION = ".,;:()“”\"'"


def words(text: str) -> list[str]:
    """The words of a screen, without the punctuation around them; bars of a chart are not words."""
    found = (w.strip(_PUNCTUATION) for w in _WORD.findall(text))
    return [w for w in found if w and not set(w) <= {"█"}]


#: The layout's own sentence about columns it left out, which no wide rendering has.
NOTE_WORDS = set(words("Left out for the width: and (--wide, a wider window or --format tsv shows them)."))


def draw(args: list[str], columns: int) -> str:
    """What `ldn ARGS` prints in a pipe at this width (the package in $CHECKOUT, else this one)."""
    root = Path(os.environ.get("CHECKOUT", ROOT))
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": str(columns), "LDN_DATA": "", "PYTHONPATH": str(root)}
    command = [sys.executable, "-m", "ldn_evidence", "--no-cache", *args]
    return subprocess.run(command, cwd=root, env=env, capture_output=True, text=True).stdout


def broken(args: list[str], columns: int, wide: str) -> tuple[list[str], list[str]]:
    """The fragments and cut words of one view at one width, and apart from them the pieces
    of words too long for any line there (web addresses), which cannot be shown whole."""
    whole = set(words(wide)) | NOTE_WORDS
    too_long = [w for w in whole if len(w) > columns - 4]
    found = [w for w in words(draw(args, columns)) if w not in whole or w.endswith("…")]
    pieces = [w for w in found if any(w in long for long in too_long) and not w.endswith("…")]
    return [w for w in found if w not in pieces], pieces


def main() -> None:
    widths = [int(a) for a in sys.argv[1:]] or [80, 100]
    total = dict.fromkeys(widths, 0)
    long_total = dict.fromkeys(widths, 0)
    print(f"{'view':45} " + "  ".join(f"{w:>4}: split (too long)" for w in widths))
    for args in VIEWS:
        wide = draw(args, 400)
        counts = []
        for width in widths:
            found, pieces = broken(args, width, wide)
            total[width] += len(found)
            long_total[width] += len(pieces)
            counts.append(f"{width:>4}: {len(found):5d} {'(' + str(len(pieces)) + ')':>11}")
        print(f"{' '.join(args):45} " + "  ".join(counts))
    print(f"{'total':45} " + "  ".join(f"{w:>4}: {total[w]:5d} {'(' + str(long_total[w]) + ')':>11}" for w in widths))


if __name__ == "__main__":
    main()
