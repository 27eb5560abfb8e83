"""YAML that is valid but hostile: tags, anchors and aliases, deep nesting, huge scalars, wrong shapes."""

from __future__ import annotations

import resource
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ldn_evidence.yamltree import MAX_DEPTH

from conftest import MINIMAL, ROOT, peak_kib, problems_of

TAG_NAMES = st.one_of(
    st.sampled_from(["!!python/object:os.system", "!!python/object/apply:os.system", "!!python/name:os.system",
                     "!!python/module:os", "!!binary", "!!set", "!!omap", "!!timestamp", "!!int", "!!float",
                     "!!bool", "!!null", "!!map", "!!seq", "!<tag:yaml.org,2002:python/tuple>"]),
    st.from_regex(r"![a-z][a-z0-9]{0,8}", fullmatch=True),
)  # fmt: skip


@settings(max_examples=100, deadline=None)
@given(
    TAG_NAMES,
    st.sampled_from(
        ["title: {tag} A study", "n: {tag} 10", "condition: {tag} ms", "design: {tag} [a]", "outcome: {tag} {{a: b}}"]
    ),
)
def test_every_explicit_tag_is_refused_and_nothing_is_constructed(tag: str, line: str) -> None:
    old = line.split(":")[0]
    target = next(row for row in MINIMAL.splitlines() if row.strip().startswith(old + ":"))
    text = MINIMAL.replace(target, "    " + line.format(tag=tag), 1)
    problems = problems_of(text)
    assert any("tags are not allowed" in p or "YAML syntax" in p for p in problems), problems


def test_a_python_tag_never_runs(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    text = MINIMAL.replace("title: A study", f"title: !!python/object/apply:os.system ['touch {marker}']")
    problems_of(text)
    assert not marker.exists()


def laughs(depth: int) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, depth):
        refs = ", ".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    return "\n".join(lines) + "\nstudies: []\n"


@settings(max_examples=20, deadline=None)
@given(st.integers(min_value=1, max_value=30))
def test_an_expansion_bomb_is_refused_at_its_first_anchor(depth: int) -> None:
    problems = problems_of(laughs(depth))
    assert "f.yaml:1:5: anchors are not allowed (&a0); write the value out" in problems


def test_a_self_referencing_alias_is_refused() -> None:
    problems = problems_of("studies: &s\n  - *s\n")
    assert "f.yaml:1:10: anchors are not allowed (&s); write the value out" in problems
    assert "f.yaml:2:5: aliases are not allowed (*s); write the value out" in problems


NESTERS = {
    "flow lists": lambda n: "studies: " + "[" * n + "]" * n + "\n",
    "flow mappings": lambda n: "studies: " + "{a: " * n + "1" + "}" * n + "\n",
    "block lists": lambda n: "studies:\n" + "".join("  " * i + "-\n" for i in range(n)),
    "compact lists": lambda n: "studies: \n  " + "- " * n + "x\n",
}


# Block nesting grows with the square of its depth (each level indents further), so
# 2,000 levels are already a 4 MB file; the other shapes reach libyaml's crash depth.
DEPTHS = [(shape, depth) for shape in NESTERS for depth in (MAX_DEPTH + 1, 1000, 60_000)
          if not (shape == "block lists" and depth > 2000)] + [("block lists", 2000)]  # fmt: skip


@pytest.mark.parametrize(("shape", "depth"), DEPTHS)
def test_deep_nesting_is_refused_before_it_can_crash(shape: str, depth: int) -> None:
    problems = problems_of(NESTERS[shape](depth))
    # PyYAML 6.0.4's libyaml scans a flow collection's brackets ahead of its events and
    # refuses past its own depth limit first: a located refusal all the same.
    refusals = (f"nested more than {MAX_DEPTH} levels deep; refused", "exceeded maximum nesting depth")
    assert any(r in p and p.startswith("f.yaml:") for p in problems for r in refusals), problems[:3]


def test_nesting_at_the_limit_is_only_a_shape_problem() -> None:
    problems = problems_of(NESTERS["flow lists"](MAX_DEPTH - 1))
    assert not any("nested more than" in p for p in problems)


@pytest.mark.parametrize(
    "hostile",
    [
        "'studies: ' + '[' * 200_000 + ']' * 200_000",
        "laughs",
        "'studies:\\n  - title: \"' + 'x' * 5_000_000 + '\"\\n'",
    ],
    ids=["deep-200k", "billion-laughs", "5-MB-scalar"],
)
def test_hostile_files_need_no_more_memory_than_a_valid_file_of_their_size(hostile: str) -> None:
    setup = f"""
        import sys
        sys.path.insert(0, {str(ROOT / "tests")!r}); sys.path.insert(0, {str(ROOT / "tests" / "hostile")!r})
        sys.path.insert(0, {str(ROOT)!r})
        from test_hostile_yaml import laughs
        from ldn_evidence.loader import parse_catalogue
        from ldn_evidence.errors import CatalogueInvalid
        hostile = ({hostile} if {hostile!r} != "laughs" else laughs(25)).encode()
    """
    bad = peak_kib(setup + """
        try:
            parse_catalogue(hostile, "f.yaml")
        except CatalogueInvalid:
            pass
    """)  # fmt: skip
    good = peak_kib(setup + """
        sys.path.insert(0, 'bench')
        from synthetic import synthetic_text
        per_study = len(synthetic_text(100)) / 100
        text = synthetic_text(int(len(hostile) / per_study) + 1)
        parse_catalogue(text.encode(), "f.yaml")
    """)  # fmt: skip
    assert bad <= good * 1.1, (bad, good)


@settings(max_examples=50, deadline=None)
@given(st.sampled_from(["1", "[1, 2]", "{a: 1}", "true", "null", "3.5"]))
def test_a_key_that_is_not_text_is_refused(key: str) -> None:
    problems = problems_of(MINIMAL.replace("    title: A study", f"    title: A study\n    ? {key}\n    : v"))
    assert any("a key must be text" in p or "unknown field" in p for p in problems), problems


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (MINIMAL[MINIMAL.index("studies:") :], "studies: {x: 1}\n", "studies: must be a list, found a mapping"),
        ("    sources:\n", "    sources: {seed: a.txt}\n    x:\n", "sources: must be a list, found a mapping"),
        ("    title: A study", "    title: [A, study]", "title: expected text, found a list"),
        ("    title: A study", "    title: {A: study}", "title: expected text, found a mapping"),
        ("  - id: good-study", "  - [id, good-study]\n  - id: good-study", "a study must be a mapping"),
    ],
)
def test_a_mapping_where_a_list_belongs_and_the_other_way_round(old: str, new: str, expected: str) -> None:
    problems = problems_of(MINIMAL.replace(old, new, 1))
    assert any(expected in p for p in problems), problems


def test_resource_module_is_available() -> None:
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss > 0
