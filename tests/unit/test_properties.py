"""Property tests: generated catalogues survive every export and back; mutated ones never crash the loader."""

from __future__ import annotations

import json
import random

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ldn_evidence.errors import CatalogueInvalid
from ldn_evidence.formats import studies_csv, studies_from_csv, studies_json, studies_markdown, studies_tsv
from ldn_evidence.loader import parse_catalogue
from ldn_evidence.model import CONDITIONS, DESIGNS, EFFECTS, MEASURES
from ldn_evidence.records import study_from_record

from conftest import SHIPPED

# Any Unicode text YAML can carry and the loader accepts (no surrogates or NUL; PyYAML folds the
# byte-order mark), including quotes, commas, line breaks and markup-like text.
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\ufeff\x00"), min_size=1, max_size=40
).filter(lambda s: s.strip())
OPTIONAL_TEXT = st.one_of(st.none(), TEXT)
SLUG = st.from_regex(r"[a-z0-9]{1,6}(-[a-z0-9]{1,6}){0,2}", fullmatch=True)


@st.composite
def studies(draw: st.DrawFn) -> dict[str, object]:
    design = draw(st.sampled_from(sorted(DESIGNS)))
    return {
        "title": draw(TEXT),
        "year": draw(st.one_of(st.none(), st.integers(1950, 2026))),
        "place": draw(OPTIONAL_TEXT),
        "investigators": draw(st.lists(TEXT, max_size=2)),
        "condition": draw(st.sampled_from(sorted(CONDITIONS))),
        "population": draw(OPTIONAL_TEXT),
        "design": design,
        "n": draw(st.one_of(st.none(), st.integers(1, 10**6))),
        "duration": draw(st.one_of(st.none(), st.sampled_from(["8 weeks", "six months", "804 days", "1 year"]))),
        "dose": draw(st.one_of(st.none(), st.sampled_from(["4.5 mg nightly", "5 mg", "3 mg twice daily"]))),
        "outcome": draw(TEXT),
        "effect": None if design == "hypothesis" else draw(st.sampled_from(sorted(EFFECTS))),
        "findings": draw(
            st.lists(
                st.fixed_dictionaries(
                    {
                        "measure": st.sampled_from(sorted(MEASURES)),
                        "effect": st.sampled_from(sorted(EFFECTS)),
                        "detail": OPTIONAL_TEXT,
                    }
                ),
                max_size=3,
            )
        ),
        "adverse_events": draw(st.lists(st.fixed_dictionaries({"event": TEXT, "share": OPTIONAL_TEXT}), max_size=2)),
        "tolerability": draw(OPTIONAL_TEXT),
        "notes": draw(OPTIONAL_TEXT),
        "sources": draw(
            st.lists(st.fixed_dictionaries({"seed": st.just("a.txt"), "quote": TEXT}), min_size=1, max_size=3)
        ),
    }


CATALOGUES = st.lists(studies(), min_size=1, max_size=6).flatmap(
    lambda records: st.lists(SLUG, min_size=len(records), max_size=len(records), unique=True).map(
        lambda ids: [{"id": i, **r} for i, r in zip(ids, records, strict=True)]
    )
)


def _load(records: list[dict[str, object]]):  # type: ignore[no-untyped-def]
    text = yaml.safe_dump({"studies": records}, allow_unicode=True, sort_keys=False)
    return parse_catalogue(text.encode("utf-8"), "gen.yaml")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(CATALOGUES)
def test_load_export_and_back_gives_the_same_records(records: list[dict[str, object]]) -> None:
    catalogue = _load(records)
    assert [s.id for s in catalogue.studies] == [r["id"] for r in records]
    from_json = [study_from_record(r) for r in json.loads(studies_json(catalogue.studies))]
    assert from_json == list(catalogue.studies)
    assert studies_from_csv(studies_csv(catalogue.studies)) == list(catalogue.studies)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(CATALOGUES)
def test_the_table_and_markdown_views_hold_every_id(records: list[dict[str, object]]) -> None:
    from ldn_evidence.render.layout import console
    from ldn_evidence.render.studies import studies_table

    catalogue = _load(records)
    buffer = __import__("io").StringIO()
    console(file=buffer, width=400).print(studies_table(catalogue.studies))
    table, markdown, tsv = buffer.getvalue(), studies_markdown(catalogue.studies), studies_tsv(catalogue.studies)
    for study in catalogue.studies:
        assert study.id in table and study.id in markdown
        assert f"\n{study.id}\t" in tsv


BASE = SHIPPED.read_text(encoding="utf-8")


def mutate(text: str, rng: random.Random, times: int) -> str:
    """Delete lines, swap characters, change indentation, insert tags and odd characters."""
    lines = text.split("\n")
    for _ in range(times):
        i = rng.randrange(len(lines))
        kind = rng.randrange(6)
        if kind == 0 and len(lines) > 1:
            del lines[i]
        elif kind == 1 and len(lines[i]) > 1:
            j = rng.randrange(len(lines[i]) - 1)
            line = lines[i]
            lines[i] = line[:j] + line[j + 1] + line[j] + line[j + 2 :]
        elif kind == 2:
            lines[i] = " " * rng.choice([0, 1, 2, 3, 5, 8]) + lines[i].lstrip(" ")
        elif kind == 3:
            j = rng.randrange(len(lines[i]) + 1)
            tag = rng.choice(["!!python/object:os.system ", "!x ", "&a ", "*a ", "!!binary ", "? ", "- ", ": "])
            lines[i] = lines[i][:j] + tag + lines[i][j:]
        elif kind == 4:
            j = rng.randrange(len(lines[i]) + 1)
            lines[i] = (
                lines[i][:j] + rng.choice(["\t", "'", '"', "[", "{", "#", "\\", "\u00e9", "%", "@", "`"]) + lines[i][j:]
            )
        else:
            lines.insert(i, lines[rng.randrange(len(lines))])
    return "\n".join(lines)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=2**32), st.integers(min_value=1, max_value=8))
def test_random_mutations_give_a_catalogue_or_a_report_never_a_crash(seed: int, times: int) -> None:
    text = mutate(BASE, random.Random(seed), times)
    try:
        parse_catalogue(text.encode("utf-8"), "m.yaml")
    except CatalogueInvalid as exc:
        assert exc.problems
        assert all(str(p).startswith("m.yaml") for p in exc.problems)
