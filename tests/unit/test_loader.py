"""The loader: the shipped catalogue loads; every class of problem is reported with its line."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path

import pytest

from ldn_evidence.errors import CatalogueFileError, CatalogueInvalid, Problem
from ldn_evidence.formats import catalogue_yaml
from ldn_evidence.loader import catalogue_path, load, parse_catalogue

from conftest import MINIMAL, SHIPPED, catalogue_text, problems_of, study_yaml

THIS_YEAR = datetime.date.today().year
NEXT_YEAR = THIS_YEAR + 1
DESIGN_LIST = (
    "systematic-review, rct, controlled-trial, cohort, open-label, before-after, retrospective, "
    "case-series, case-report, animal, in-vitro, hypothesis, unspecified"
)


def test_the_shipped_catalogue_loads() -> None:
    catalogue = load(SHIPPED)
    assert catalogue.studies, "the shipped catalogue has studies"
    assert len({s.id for s in catalogue.studies}) == len(catalogue.studies)


def test_the_minimal_catalogue_is_valid() -> None:
    catalogue = parse_catalogue(MINIMAL.encode(), "f.yaml")
    (study,) = catalogue.studies
    assert (study.id, study.n, study.line) == ("good-study", 10, 8)


# Each row: text replaced in MINIMAL, its replacement, and the one problem expected.
CASES = [
    pytest.param(
        "title: A study",
        "title: NO",
        'f.yaml:9: good-study: title: NO reads as a true/false value in YAML, not text; quote it: "NO"',
        id="yaml11-bool-no",
    ),
    pytest.param(
        "title: A study",
        "title: on",
        'f.yaml:9: good-study: title: on reads as a true/false value in YAML, not text; quote it: "on"',
        id="yaml11-bool-on",
    ),
    pytest.param(
        "title: A study",
        "title: 2023-02-30",
        'f.yaml:9: good-study: title: 2023-02-30 reads as a date in YAML, not text; quote it: "2023-02-30"',
        id="unquoted-impossible-date",
    ),
    pytest.param(
        "title: A study",
        "title: 012",
        'f.yaml:9: good-study: title: 012 reads as a number in YAML, not text; quote it: "012"',
        id="number-as-title",
    ),
    pytest.param(
        "n: 10",
        "n: 012",
        "f.yaml:12: good-study: n: 012 is not a plain whole number (YAML 1.1 reads a leading 0 as octal); write e.g. 1",
        id="octal",
    ),
    pytest.param(
        "n: 10",
        "n: 1:30",
        "f.yaml:12: good-study: n: 1:30 is not a plain whole number "
        "(YAML 1.1 reads it as a base-60 number); write e.g. 1",
        id="base-60",
    ),
    pytest.param("n: 10", "n: 0", "f.yaml:12: good-study: n: 0 is out of range (1 to 100000000)", id="n-zero"),
    pytest.param("n: 10", "n: .nan", "f.yaml:12: good-study: n: .nan is not a whole number", id="nan"),
    pytest.param("n: 10", "n: .inf", "f.yaml:12: good-study: n: .inf is not a whole number", id="inf"),
    pytest.param("n: 10", "n: 4.5", "f.yaml:12: good-study: n: 4.5 is not a whole number", id="float-n"),
    pytest.param("n: 10", "n: 1e3", "f.yaml:12: good-study: n: expected a whole number, found '1e3'", id="1e3-is-text"),
    pytest.param("n: 10", "n: [1]", "f.yaml:12: good-study: n: expected a whole number, found a list", id="list-for-n"),
    pytest.param(
        "n: 10",
        "n: 10\n    year: 1800",
        f"f.yaml:13: good-study: year: 1800 is out of range (1950 to {THIS_YEAR})",
        id="year-implausible",
    ),
    pytest.param(
        "n: 10",
        "doze: 5 mg",
        "f.yaml:12: good-study: doze: unknown field; did you mean 'dose'?",
        id="unknown-field",
    ),
    pytest.param(
        "design: rct",
        "design: rtc",
        f"f.yaml:11: good-study: design: unknown value 'rtc'; did you mean 'rct'? valid: {DESIGN_LIST}",
        id="unknown-design",
    ),
    pytest.param(
        "condition: ms",
        "condition: mss",
        "f.yaml:10: good-study: condition: unknown value 'mss'; did you mean 'ms'? valid: ms, crohns, "
        "fibromyalgia, crps, chronic-low-back-pain, hiv-aids, ibs, cfs, psoriasis, cancer, ibd, chronic-pain",
        id="unknown-condition",
    ),
    pytest.param(
        "effect: benefit",
        "effect: benefits",
        "f.yaml:14: good-study: effect: unknown value 'benefits'; did you mean 'benefit'? valid: benefit, "
        "no-effect, harm, mixed, unclear",
        id="unknown-effect",
    ),
    pytest.param(
        "effect: benefit",
        "effect: benefit\n    findings:\n      - {measure: pian, effect: benefit}",
        "f.yaml:16: good-study: findings.measure: unknown value 'pian'; did you mean 'pain'? valid: "
        "quality-of-life, mental-health, pain, fatigue, weakness, spasticity, disability, cognition, "
        "symptoms, medication-use, inflammation, biomarker, safety, sleep, mood, remission, disease-activity, "
        "well-being, immune, function, response, survival, adverse-events",
        id="unknown-measure",
    ),
    pytest.param(
        "n: 10",
        "n: 10\n    duration: forever",
        "f.yaml:13: good-study: duration: cannot read duration 'forever': write a number and a unit, e.g. '8 weeks'",
        id="unreadable-duration",
    ),
    pytest.param(
        "n: 10",
        "n: 10\n    duration: 8",
        'f.yaml:13: good-study: duration: 8 has no unit; write it as text with its unit, e.g. "8 weeks"',
        id="duration-without-unit",
    ),
    pytest.param(
        "n: 10",
        "n: 10\n    dose: lots",
        "f.yaml:13: good-study: dose: cannot read dose 'lots': write an amount in mg, e.g. '4.5 mg nightly'",
        id="unreadable-dose",
    ),
    pytest.param(
        "id: good-study",
        "id: Good_Study",
        "f.yaml:8: id: 'Good_Study' is not a slug: use lower-case letters, digits and single hyphens, "
        "e.g. 'norway-2017'",
        id="id-not-slug",
    ),
    pytest.param(
        "    title: A study\n", "", "f.yaml:8: good-study: title: missing; it is required", id="missing-field"
    ),
    pytest.param(
        "n: 10",
        "n: 10\n    n: 11",
        "f.yaml:13: key 'n' given twice in one mapping (also on line 12); YAML would keep only the last",
        id="duplicate-key",
    ),
    pytest.param(
        "design: rct",
        "design: hypothesis",
        "f.yaml:14: good-study: effect: a hypothesis has no data: its effect must be null",
        id="hypothesis-with-effect",
    ),
    pytest.param(
        "effect: benefit",
        "effect: null",
        "f.yaml:14: good-study: effect: is null; only a hypothesis has no effect",
        id="null-effect",
    ),
    pytest.param(
        '- seed: a.txt\n        quote: "A randomized trial of',
        '- seed: b.txt\n        quote: "A randomized trial of',
        "f.yaml:16: good-study: sources.seed: 'b.txt' is not a listed document; did you mean 'a.txt'?",
        id="unknown-seed",
    ),
    pytest.param(
        '    sources:\n      - seed: a.txt\n        quote: "A randomized trial of ten people"\n',
        "    sources: []\n",
        "f.yaml:15: good-study: sources: is empty; every record needs at least one source quote, "
        "or a publication that names it",
        id="no-sources",
    ),
    pytest.param(
        "title: A study",
        "title: !!python/object/apply:os.system [echo hi]",
        "f.yaml:9:12: tags are not allowed (tag:yaml.org,2002:python/object/apply:os.system); remove it",
        id="python-tag",
    ),
    pytest.param(
        "title: A study",
        "title: !custom A study",
        "f.yaml:9:12: tags are not allowed (!custom); remove it",
        id="custom-tag",
    ),
    pytest.param(
        "title: A study",
        "title: &t A study",
        "f.yaml:9:12: anchors are not allowed (&t); write the value out",
        id="anchor",
    ),
    pytest.param(
        "title: A study",
        "title: [unclosed",
        "f.yaml:10:14: YAML syntax: while parsing a flow sequence did not find expected ',' or ']'",
        id="syntax-error",
    ),
    pytest.param(
        "  - id: good-study",
        "  - just text\n  - id: good-study",
        "f.yaml:8: a study must be a mapping (key: value), found text ('just text')",
        id="record-not-mapping",
    ),
    pytest.param(
        "studies:",
        "stduies:",
        "f.yaml:7: stduies: unknown section; did you mean 'studies'?",
        id="unknown-section",
    ),
]


@pytest.mark.parametrize(("old", "new", "expected"), CASES)
def test_each_problem_is_reported_with_its_line(old: str, new: str, expected: str) -> None:
    assert old in MINIMAL
    problems = problems_of(MINIMAL.replace(old, new, 1))
    assert expected in problems, problems


def test_an_alias_is_refused_where_it_stands() -> None:
    text = MINIMAL.replace("title: A study", "title: &t A study").replace("outcome: Something.", "outcome: *t")
    assert "f.yaml:13:14: aliases are not allowed (*t); write the value out" in problems_of(text)


def test_an_id_used_twice_names_both_lines() -> None:
    text = catalogue_text(study_yaml("twice"), study_yaml("twice"))
    problems = problems_of(text)
    second = text.count("\n", 0, text.rindex("- id: twice")) + 1
    first = text.count("\n", 0, text.index("- id: twice")) + 1
    assert problems == [f"f.yaml:{second}: twice: id: id used twice (first on line {first})"]


def test_every_problem_is_reported_at_once_in_file_order() -> None:
    text = (
        MINIMAL.replace("title: A study", "title: NO").replace("design: rct", "design: rtc").replace("n: 10", "doze: 1")
    )
    lines = [int(p.split(":")[1]) for p in problems_of(text)]
    assert lines == [9, 11, 12]


def test_a_missing_studies_list_is_reported() -> None:
    assert problems_of("documents: []\n") == ["f.yaml:1: studies: missing; the catalogue needs a 'studies' list"]


def test_the_top_level_must_be_a_mapping() -> None:
    assert problems_of("- a\n- b\n") == ["f.yaml:1: the top level must be a mapping (key: value), found a list"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"", "f.yaml:1: the file is empty; a catalogue needs a 'studies' list"),
        (b"  \n\n", "f.yaml:1: the file is empty; a catalogue needs a 'studies' list"),
        (
            b"studies: []\n\x00\x01",
            "f.yaml:2: the file holds NUL bytes: it is binary, not a UTF-8 text catalogue",
        ),
        (
            "studies:\n  - title: café\n".encode("latin-1"),
            "f.yaml:2:15: byte 0xe9 is not UTF-8 (Latin-1?); save the file as UTF-8",
        ),
        ("studies: []\n".encode("utf-16"), "f.yaml:1: the file is UTF-16; save it as UTF-8"),
        (
            b"studies: []\n---\nstudies: []\n",
            "f.yaml:2: more than one YAML document in the file; a catalogue is one document",
        ),
        (
            b"studies: []\ntitle: \x1b[31m\n",
            "f.yaml:2:8: character '\\x1b' (U+001B) is not allowed in YAML; remove it",
        ),
    ],
    ids=["empty", "blank", "binary", "latin-1", "utf-16", "two-documents", "raw-escape"],
)
def test_files_that_are_not_a_catalogue(raw: bytes, expected: str) -> None:
    with pytest.raises(CatalogueInvalid) as caught:
        parse_catalogue(raw, "f.yaml")
    assert str(caught.value.problems[0]) == expected


def test_a_byte_order_mark_and_json_are_accepted() -> None:
    catalogue = parse_catalogue(b"\xef\xbb\xbf" + MINIMAL.encode(), "f.yaml")
    assert catalogue.studies[0].id == "good-study"
    as_json = (
        '{"studies": [{"id": "j", "title": "T", "condition": "ms", "design": "rct", "n": 3,'
        ' "outcome": "O", "effect": "benefit", "sources": [{"seed": "a.txt", "quote": "q"}]}]}'
    )
    assert parse_catalogue(as_json.encode(), "f.json").studies[0].n == 3


def test_file_errors_name_the_path(tmp_path: Path) -> None:
    with pytest.raises(CatalogueFileError, match=r"missing\.yaml: no such file"):
        load(tmp_path / "missing.yaml")
    with pytest.raises(CatalogueFileError, match="is a folder, not a catalogue file"):
        load(tmp_path)
    loop = tmp_path / "loop.yaml"
    loop.symlink_to(loop)
    with pytest.raises(CatalogueFileError, match=r"loop\.yaml: cannot read"):
        load(loop)


def test_round_trip_loses_nothing(tmp_path: Path) -> None:
    catalogue = load(SHIPPED)
    copy = tmp_path / "copy.yaml"
    copy.write_text(catalogue_yaml(catalogue), encoding="utf-8")
    again = load(copy)
    assert again.studies == catalogue.studies
    assert again.documents == catalogue.documents
    assert again.cautions == catalogue.cautions
    assert again.publications == catalogue.publications
    assert [s.publication for s in again.studies] == [s.publication for s in catalogue.studies]


def test_the_catalogue_is_found_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, write_catalogue: Callable[[str], Path]
) -> None:
    mine = write_catalogue(MINIMAL)
    monkeypatch.delenv("LDN_DATA", raising=False)
    assert catalogue_path(None).resolve() == SHIPPED
    monkeypatch.setenv("LDN_DATA", str(mine))
    assert catalogue_path(None) == mine
    assert catalogue_path(str(tmp_path / "other.yaml")) == tmp_path / "other.yaml"


def _whole_tree_way(raw: bytes, path: str) -> tuple[object, list[str]]:
    """The catalogue (or None) and the problems the loader finds walking the whole file's tree, as it did before
    it built records while reading."""
    from ldn_evidence import yamltree
    from ldn_evidence.loader.walkers import Checker

    problems: list[Problem] = []
    tree = yamltree.parse(raw, path, problems)
    catalogue = Checker(path, problems).catalogue(tree)
    return (None if problems else catalogue), [str(p) for p in sorted(problems, key=Problem.sort_key)]


def _reordered(text: str, first: str) -> str:
    """The catalogue text with its top-level section `first` moved to the front."""
    import yaml

    data = yaml.safe_load(text)
    moved = {first: data.pop(first), **data}
    return yaml.safe_dump(moved, sort_keys=False, allow_unicode=True)


def test_building_records_while_reading_gives_the_whole_tree_catalogue() -> None:
    """The shipped catalogue built record by record as it is read equals the one built from the whole tree, and
    the parser's tree keeps none of the records it handed over."""
    from ldn_evidence import yamltree
    from ldn_evidence.loader.walkers import Checker

    raw = SHIPPED.read_bytes()
    whole, problems = _whole_tree_way(raw, "f.yaml")
    assert problems == []
    streamed = parse_catalogue(raw, "f.yaml")
    assert streamed == whole
    assert [s.publication for s in streamed.studies] == [s.publication for s in whole.studies]
    checker = Checker("f.yaml", [])
    tree = yamltree.parse(raw, "f.yaml", [], checker.take)
    assert isinstance(tree, dict)
    for section in ("studies", "cautions", "publications"):
        assert tree[section] and set(tree[section]) == {None}, section
        assert len(checker.taken[section]) == len(tree[section])


def test_sections_before_the_documents_are_walked_whole() -> None:
    """Records cite the documents' seeds, so a section read before the documents is kept and walked later."""
    from ldn_evidence import yamltree
    from ldn_evidence.loader.walkers import Checker

    text = _reordered(SHIPPED.read_text(encoding="utf-8"), "studies")
    checker = Checker("f.yaml", [])
    tree = yamltree.parse(text.encode(), "f.yaml", [], checker.take)
    assert isinstance(tree, dict) and None not in tree["studies"] and "studies" not in checker.taken
    whole, problems = _whole_tree_way(text.encode(), "f.yaml")
    assert problems == [] and parse_catalogue(text.encode(), "f.yaml") == whole
    # A seed no document lists is found in a study read before the documents as after them.
    bad = text.replace("seed: ", "seed: x", 1)
    with pytest.raises(CatalogueInvalid) as caught:
        parse_catalogue(bad.encode(), "f.yaml")
    assert [str(p) for p in caught.value.problems] == _whole_tree_way(bad.encode(), "f.yaml")[1]


@pytest.mark.parametrize(
    "old, new",
    [
        ("n: 10", "n: ten"),  # a problem inside a record read as the file is read
        ("studies:\n", "studies:\n  - just text\n"),  # an item that is not a mapping
        ("  - id: good-study", "  - id: good-study\n    n: 3\n  - id: good-study"),  # an id twice
    ],
)
def test_a_problem_found_while_reading_is_reported_as_the_whole_tree_reports_it(old: str, new: str) -> None:
    assert old in MINIMAL
    text = MINIMAL.replace(old, new, 1)
    with pytest.raises(CatalogueInvalid) as caught:
        parse_catalogue(text.encode(), "f.yaml")
    expected = _whole_tree_way(text.encode(), "f.yaml")[1]
    assert expected and [str(p) for p in caught.value.problems] == expected


@pytest.mark.parametrize("piece", [1, 2, 3, 5])
def test_utf8_is_checked_piece_by_piece_as_a_whole_decode_would(monkeypatch: pytest.MonkeyPatch, piece: int) -> None:
    import random

    from ldn_evidence import loader

    monkeypatch.setattr(loader, "_UTF8_PIECE", piece)
    rng = random.Random(piece)
    alphabet = [*"aé€😀\n".encode(), 0x80, 0xBF, 0xC3, 0xE2, 0xED, 0xA0, 0xF0, 0xFF]
    for _ in range(3000):
        raw = bytes(rng.choice(alphabet) for _ in range(rng.randint(0, 24)))
        try:
            raw.decode("utf-8")
            expected = None
        except UnicodeDecodeError as exc:
            expected = exc.start
        assert loader._not_utf8(raw) == expected, raw
