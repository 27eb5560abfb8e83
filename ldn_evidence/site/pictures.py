"""The site's pictures as plain geometry: the evidence map, the search flow and the forest plots.

Each function turns plain data into shapes (numbers and strings in dicts) that a
template draws as inline SVG, so every word in a picture goes through the same
escaping as the rest of the page, and each picture has a table beside it saying
the same thing in text.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

#: Largest circle radius of the evidence map, in SVG units.
MAX_RADIUS = 26.0
#: Smallest radius a cell with studies gets, so that a study with no count still shows.
MIN_RADIUS = 5.0


def evidence_map(
    cells: Mapping[str, Mapping[str, Mapping[str, Any]]], conditions: Sequence[str], designs: Sequence[str]
) -> dict[str, Any]:
    """Conditions (rows) by designs (columns), a circle per cell sized by people (area follows the count).

    `cells[condition][design]` holds `count` and `participants`. Only the conditions
    and designs that have studies appear, in the order given.
    """
    rows = [c for c in conditions if any(cells.get(c, {}).get(d, {}).get("count") for d in designs)]
    columns = [d for d in designs if any(cells.get(c, {}).get(d, {}).get("count") for c in rows)]
    most = max([cells[c][d].get("participants") or 0 for c in rows for d in columns if d in cells.get(c, {})] or [0])
    left, top, step_x, step_y = 230.0, 96.0, 64.0, 60.0
    circles = []
    for i, condition in enumerate(rows):
        for j, design in enumerate(columns):
            cell = cells.get(condition, {}).get(design)
            if not cell or not cell.get("count"):
                continue
            people = cell.get("participants") or 0
            radius = MIN_RADIUS if not most or not people else max(MIN_RADIUS, MAX_RADIUS * math.sqrt(people / most))
            circles.append(
                {
                    "x": left + step_x * j + step_x / 2,
                    "y": top + step_y * i + step_y / 2,
                    "r": round(radius, 1),
                    # A count that does not fit in its circle goes beside it.
                    "label_x": round(left + step_x * j + step_x / 2 + (0 if radius >= 9 else radius + 3), 1),
                    "inside": radius >= 9,
                    "count": cell["count"],
                    "people": people,
                    "unknown": cell.get("n_unknown") or 0,
                    "condition": condition,
                    "design": design,
                }
            )
    return {
        "width": left + step_x * len(columns) + 80,
        "height": top + step_y * len(rows) + 8,
        "rows": [{"key": c, "y": top + step_y * i + step_y / 2} for i, c in enumerate(rows)],
        "columns": [{"key": d, "x": left + step_x * j + step_x / 2, "y": top - 8} for j, d in enumerate(columns)],
        "circles": circles,
        "top": top,
        "left": left,
    }


def flow(
    search: Mapping[str, Any],
    designs_words: Mapping[str, str] | None = None,
    reasons_words: Mapping[str, str] | None = None,
    narrow: bool = False,
) -> dict[str, Any]:
    """The boxes and arrows of a PRISMA-style flow of the search, from `data.search_flow`, keys said in words.

    Wide, the excluded records branch off to the right; `narrow` (for a phone) stacks
    every box in one column, the excluded ones indented under the records screened.
    """
    designs_words = designs_words or {}
    reasons_words = reasons_words or {}
    reasons = search.get("excluded_by_reason", [])
    screened = [f"Records screened: {search.get('screened', 0)}", f"in {len(search.get('queries', []))} searches"]
    excluded = [f"Records excluded: {search.get('excluded_count', 0)}",
                *[f"{reasons_words.get(r, r)}: {count}" for r, count in reasons]]  # fmt: skip
    included = [f"Relevant records: {search.get('relevant', 0)}", "(as each search counted them)"]
    catalogued = [f"Studies included from the search: {search.get('included', 0)}",
                  *[f"{designs_words.get(d, d)}: {count}" for d, count in search.get("included_by_design", [])],
                  f"and {search.get('retold', 0)} studies the articles retell"]  # fmt: skip

    def box(x: float, y: float, w: float, lines: list[str]) -> dict[str, Any]:
        return {"x": x, "y": y, "w": w, "h": 22 + 18 * len(lines), "lines": lines}

    if narrow:
        first = box(10, 10, 420, screened)
        side = box(50, first["y"] + first["h"] + 30, 380, excluded)
        middle = box(10, side["y"] + side["h"] + 30, 420, included)
        last = box(10, middle["y"] + middle["h"] + 40, 420, catalogued)
        trunk = 26
        arrows = [
            {"x1": trunk, "y1": first["y"] + first["h"], "x2": trunk, "y2": middle["y"] - 4},
            {"x1": trunk, "y1": side["y"] + side["h"] / 2, "x2": side["x"] - 4, "y2": side["y"] + side["h"] / 2},
            {"x1": trunk, "y1": middle["y"] + middle["h"], "x2": trunk, "y2": last["y"] - 4},
        ]
        boxes, width = [first, side, middle, last], 440
    else:
        first = box(10, 10, 420, screened)
        middle = box(10, first["y"] + first["h"] + 60, 420, included)
        last = box(10, middle["y"] + middle["h"] + 60, 420, catalogued)
        side = box(480, first["y"] + first["h"] + 20, 340, excluded)
        branch = first["y"] + first["h"] + 30
        arrows = [
            {"x1": 220, "y1": first["y"] + first["h"], "x2": 220, "y2": middle["y"] - 4},
            {"x1": 220, "y1": branch, "x2": side["x"] - 4, "y2": branch},
            {"x1": 220, "y1": middle["y"] + middle["h"], "x2": 220, "y2": last["y"] - 4},
        ]
        boxes, width = [first, middle, last, side], 830
    height = max(b["y"] + b["h"] for b in boxes) + 10
    return {"width": width, "height": height, "boxes": boxes, "arrows": arrows}


#: Width of one character of a row's label in a forest plot, in SVG units (13px text, a generous average).
LABEL_CHAR = 7.8


def forest(rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """One forest-style plot: a square at each estimate, a line across its interval, a line at no effect.

    Ratios (no effect at 1) are drawn on a log scale where every limit is above 0, as is
    usual; differences on a linear one. Each row is labelled with its study on the left and
    its estimate on the right.
    """
    if not rows:
        return {"width": 0, "height": 0, "rows": [], "ticks": []}
    null = float(rows[0]["null"])
    log = null == 1.0 and all(float(r["low"]) > 0 for r in rows)

    def scaled(value: float) -> float:
        return math.log(value) if log else value

    low = min([scaled(float(r["low"])) for r in rows] + [scaled(null)])
    high = max([scaled(float(r["high"])) for r in rows] + [scaled(null)])
    span = (high - low) or 1.0
    low, high = low - span * 0.05, high + span * 0.05
    left = round(16 + LABEL_CHAR * max(len(str(r["study"])) for r in rows), 1)
    width, top, step, right_text = 360.0, 16.0, 30.0, 190.0

    def at(value: float) -> float:
        return round(left + (scaled(value) - low) / (high - low) * width, 1)

    shapes = [
        {
            "y": top + step * i + step / 2,
            "x": at(r["point"]),
            "x1": at(r["low"]),
            "x2": at(r["high"]),
            "label": r["study"],
            "text": f"{r['point']:g} ({r['low']:g} to {r['high']:g})",
        }
        for i, r in enumerate(rows)
    ]
    bottom = top + step * len(rows)
    if log:
        marks = [v for v in (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100) if low <= math.log(v) <= high]
    else:
        marks = _nice(low, high)
    ticks = [{"x": at(v), "label": f"{v:g}"} for v in sorted({null, *marks})]
    return {
        "width": left + width + right_text,
        "height": bottom + 40,
        "rows": shapes,
        "null_x": at(null),
        "top": top,
        "bottom": bottom,
        "ticks": ticks,
        "left": left,
        "right": left + width,
        "text_x": left + width + 14,
        "log": log,
    }


def _nice(low: float, high: float) -> list[float]:
    """Three or so round values between low and high for an axis."""
    span = high - low
    step = 10 ** math.floor(math.log10(span / 3)) if span > 0 else 1.0
    for factor in (1, 2, 5, 10):
        if span / (step * factor) <= 5:
            step *= factor
            break
    first = math.ceil(low / step) * step
    return [round(first + k * step, 6) for k in range(int((high - first) / step) + 1)]
