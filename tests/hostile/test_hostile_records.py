"""Records wrong in every way the loader checks, mixed in one file: every problem, each at its line."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ldn_evidence.errors import CatalogueInvalid
from ldn_evidence.loader import parse_catalogue

GOOD = [
    "  - id: {id}",
    "    title: Study {id}",
    "    condition: ms",
    "    design: rct",
    "    n: 10",
    "    outcome: Found something.",
    "    effect: benefit",
    "    sources:",
    "      - {{seed: a.txt, quote: A randomized trial}}",
]
# defect -> (line index in GOOD it replaces, replacement, text the message holds)
DEFECTS = {
    "yaml-bool": (1, "    title: NO", "title: NO reads as a true/false value"),
    "octal": (4, "    n: 012", "n: 012 is not a plain whole number"),
    "range": (4, "    n: 0", "n: 0 is out of range"),
    "unknown-field": (4, "    doze: 5 mg", "doze: unknown field; did you mean 'dose'?"),
    "design": (3, "    design: rtc", "design: unknown value 'rtc'; did you mean 'rct'?"),
    "condition": (2, "    condition: mss", "condition: unknown value 'mss'"),
    "effect": (6, "    effect: benefits", "effect: unknown value 'benefits'"),
    "duration": (4, "    duration: forever", "duration: cannot read duration 'forever'"),
    "dose": (4, "    dose: lots", "dose: cannot read dose 'lots'"),
    "date": (5, "    outcome: 2023-02-30", "outcome: 2023-02-30 reads as a date"),
    "nan": (4, "    n: .nan", "n: .nan is not a whole number"),
    "list-for-text": (1, "    title: [a, b]", "title: expected text, found a list"),
    "seed": (8, "      - {{seed: b.txt, quote: q}}", "sources.seed: 'b.txt' is not a listed document"),
}


def catalogue(plan: list[str | None]) -> tuple[str, dict[int, str]]:
    """A file with one record per plan entry (None: a good record); the line and message of each defect."""
    lines = ["documents:", "  - {seed: a.txt, kind: news, sources: [{seed: a.txt, quote: A randomized trial}]}",
             "studies:"]  # fmt: skip
    expected: dict[int, str] = {}
    for i, defect in enumerate(plan):
        record = [line.format(id=f"study-{i}") for line in GOOD]
        if defect is not None:
            index, replacement, message = DEFECTS[defect]
            record[index] = replacement.format()
            expected[len(lines) + index + 1] = message
        lines += record
    return "\n".join(lines) + "\n", expected


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.none(), st.sampled_from(sorted(DEFECTS))), min_size=1, max_size=25))
def test_every_defect_is_reported_at_its_own_line(plan: list[str | None]) -> None:
    text, expected = catalogue(plan)
    if not expected:
        assert len(parse_catalogue(text.encode(), "f.yaml").studies) == len(plan)
        return
    with pytest.raises(CatalogueInvalid) as caught:
        parse_catalogue(text.encode(), "f.yaml")
    found = {p.line: str(p) for p in caught.value.problems}
    assert len(caught.value.problems) == len(expected), [str(p) for p in caught.value.problems]
    for line, message in expected.items():
        assert line in found, (line, message, found)
        assert message in found[line]


def test_duplicate_ids_and_bad_records_together() -> None:
    text, _ = catalogue([None, None])
    text = text.replace("study-1", "study-0") + "  - not a record\n"
    with pytest.raises(CatalogueInvalid) as caught:
        parse_catalogue(text.encode(), "f.yaml")
    messages = [str(p) for p in caught.value.problems]
    assert messages == [
        "f.yaml:13: study-0: id: id used twice (first on line 4)",
        "f.yaml:22: a study must be a mapping (key: value), found text ('not a record')",
    ]
