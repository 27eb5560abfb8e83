"""The wider evidence: studies no article retells, reviews, registered trials and the documented search."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import yaml

from ldn_evidence import wider
from ldn_evidence.cache import load_cached
from ldn_evidence.catalogue import make_filters, select
from ldn_evidence.export import export
from ldn_evidence.loader import load
from ldn_evidence.model import Catalogue
from ldn_evidence.verify import counted_in, unstated_numbers, verify

from conftest import SEED_TEXT, problems_of

RCT_PAGE = "https://example.org/rct-abstract"
REVIEW_PAGE = "https://example.org/review-abstract"
REGISTRY_PAGE = "https://example.org/registry/NCT01234567"

#: A catalogue with one study an article retells, one randomized trial and one review that no
#: article retells, a registered trial with no results long after its end, and the search.
WIDER = """\
documents:
  - seed: a.txt
    kind: news
    sources:
      - {seed: a.txt, quote: "A randomized trial"}
studies:
  - id: retold-trial
    title: A trial an article retells
    condition: ms
    design: rct
    n: 10
    outcome: Pain fell.
    effect: benefit
    sources:
      - {seed: a.txt, quote: "A randomized trial of ten people"}
  - id: fibro-rct
    title: A randomized trial no article retells
    condition: fibromyalgia
    design: rct
    sources: []
  - id: pain-review
    title: A review of trials no article retells
    condition: chronic-pain
    design: systematic-review
    sources: []
    includes: [fibro-rct, retold-trial]
  - id: ibd-registered
    title: A registered trial with no results seen
    condition: ibd
    design: rct
    sources: []
publications:
  - id: fibro-2020
    study: [fibro-rct]
    title: "A trial of LDN in fibromyalgia"
    year: 2020
    verified_on: ["https://example.org/rct-abstract"]
    facts:
      - field: design
        value: rct
        text: Randomized against placebo.
        excerpt: "99 women were randomly assigned to LDN or placebo."
        page: "https://example.org/rct-abstract"
        page_kind: abstract
      - field: randomized
        value: 99
        text: Ninety-nine women were randomized.
        excerpt: "99 women were randomly assigned to LDN or placebo."
        page: "https://example.org/rct-abstract"
        page_kind: abstract
      - field: outcome
        text: Pain did not differ from placebo.
        excerpt: "Pain did not differ between groups (mean difference 0.2, 95% CI -0.3 to 0.7)."
        page: "https://example.org/rct-abstract"
        page_kind: abstract
        measure: pain
        direction: no-effect
        size: "mean difference 0.2 (95% CI -0.3 to 0.7)"
        timepoint: 12 weeks
        comparison: placebo
        primary: true
  - id: review-2023
    study: pain-review
    title: "A review of LDN for chronic pain"
    facts:
      - field: design
        value: systematic-review
        text: A systematic review with meta-analysis.
        excerpt: "Four trials with 222 patients were included in the meta-analysis."
        page: "https://example.org/review-abstract"
        page_kind: abstract
      - field: trials-pooled
        value: 4
        text: It pooled four trials.
        excerpt: "Four trials with 222 patients were included in the meta-analysis."
        page: "https://example.org/review-abstract"
        page_kind: abstract
      - field: people-pooled
        value: 222
        text: It pooled 222 people.
        excerpt: "Four trials with 222 patients were included in the meta-analysis."
        page: "https://example.org/review-abstract"
        page_kind: abstract
      - field: pooled-result
        text: Pain fell more with LDN.
        excerpt: "Pain fell more with LDN (MD -0.86, 95% CI -1.20 to -0.51)."
        page: "https://example.org/review-abstract"
        page_kind: abstract
        measure: pain
        direction: benefit
        size: "MD -0.86 (95% CI -1.20 to -0.51)"
      - field: certainty
        text: The authors rate the certainty as low.
        excerpt: "The certainty of the evidence was low."
        page: "https://example.org/review-abstract"
        page_kind: abstract
  - id: nct01234567
    study: ibd-registered
    title: "LDN in inflammatory bowel disease"
    registry: ["NCT01234567"]
    facts:
      - field: design
        value: rct
        text: Randomized.
        excerpt: "Allocation: Randomized"
        page: "https://example.org/registry/NCT01234567"
        page_kind: registry
      - field: status
        value: completed
        text: Completed.
        excerpt: "Recruitment Status: Completed"
        page: "https://example.org/registry/NCT01234567"
        page_kind: registry
      - field: planned
        value: 40
        text: Forty people were to be enrolled.
        excerpt: "Estimated Enrollment: 40 participants"
        page: "https://example.org/registry/NCT01234567"
        page_kind: registry
      - field: completion
        value: "2019-06"
        text: It was to end in June 2019.
        excerpt: "Primary Completion Date: June 2019"
        page: "https://example.org/registry/NCT01234567"
        page_kind: registry
      - field: results
        value: none
        text: No results were posted.
        excerpt: "No Results Posted"
        page: "https://example.org/registry/NCT01234567"
        page_kind: registry
search:
  searched: "2026-12"
  scope: Clinical studies of low-dose naltrexone.
  where: ["stored public pages"]
  queries:
    - {group: fibromyalgia, query: "naltrexone fibromyalgia trial", corpus: pages, screened: 8, included: 2}
    - {group: ibd, query: "naltrexone colitis", screened: 5, included: 1}
  excluded:
    - {title: "A single patient", reason: case-report, page: "https://example.org/case"}
    - {title: "A review of opioids", reason: narrative-review}
    - {title: "Another report", reason: case-report}
"""

EXCERPTS = {
    "fibro-2020": (
        RCT_PAGE,
        "abstract",
        [
            "99 women were randomly assigned to LDN or placebo.",
            "Pain did not differ between groups (mean difference 0.2, 95% CI -0.3 to 0.7).",
        ],
    ),
    "review-2023": (
        REVIEW_PAGE,
        "abstract",
        [
            "Four trials with 222 patients were included in the meta-analysis.",
            "Pain fell more with LDN (MD -0.86, 95% CI -1.20 to -0.51).",
            "The certainty of the evidence was low.",
        ],
    ),
    "nct01234567": (
        REGISTRY_PAGE,
        "registry",
        [
            "Allocation: Randomized",
            "Recruitment Status: Completed",
            "Estimated Enrollment: 40 participants",
            "Primary Completion Date: June 2019",
            "No Results Posted",
        ],
    ),
}


def write_wider(root: Path, text: str = WIDER) -> Path:
    """The catalogue under root/data, its seed under root/seeds and its excerpt files under root/publications."""
    for name in ("data", "seeds", "publications"):
        (root / name).mkdir(exist_ok=True)
    (root / "seeds" / "a.txt").write_text(SEED_TEXT, encoding="utf-8")
    for ident, (page, kind, excerpts) in EXCERPTS.items():
        body = "\n\n".join(excerpts)
        (root / "publications" / f"{ident}.txt").write_text(
            f"# Publication '{ident}'.\n\npage: {page}\nkind: {kind}\n\n{body}\n", encoding="utf-8"
        )
    path = root / "data" / "studies.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def wider_catalogue(tmp_path: Path) -> tuple[Path, Catalogue]:
    path = write_wider(tmp_path)
    return path, load(path)


# --- loading -----------------------------------------------------------------------------------------


def test_studies_no_article_retells_load_with_an_empty_articles_layer(wider_catalogue: tuple[Path, Catalogue]) -> None:
    _, catalogue = wider_catalogue
    by_id = {s.id: s for s in catalogue.studies}
    assert [s.id for s in catalogue.studies if s.retold] == ["retold-trial"]
    rct = by_id["fibro-rct"]
    assert (rct.sources, rct.outcome, rct.effect, rct.n, rct.findings) == ((), "", None, None, ())
    assert rct.publication is not None and rct.publication.id == "fibro-2020"
    assert by_id["pain-review"].includes == ("fibro-rct", "retold-trial")
    outcome = rct.publication.facts_on("outcome")[0]
    assert (outcome.measure, outcome.direction, outcome.comparison, outcome.primary) == (
        "pain", "no-effect", "placebo", True,
    )  # fmt: skip
    assert outcome.size == "mean difference 0.2 (95% CI -0.3 to 0.7)"
    search = catalogue.search
    assert search is not None
    assert (search.searched, len(search.queries), [e.reason for e in search.excluded]) == (
        "2026-12", 2, ["case-report", "narrative-review", "case-report"],
    )  # fmt: skip


def _replace(old: str, new: str, count: int = 1) -> str:
    assert old in WIDER, old
    return WIDER.replace(old, new, count)


BAD: list[tuple[str, str]] = [
    (
        _replace(
            "    design: rct\n    sources: []\n  - id: pain-review",
            "    design: rct\n    n: 99\n    sources: []\n  - id: pain-review",
        ),
        "f.yaml:20: fibro-rct: n: the articles' layer of a study no article retells stays empty",
    ),
    (
        _replace(
            "    condition: fibromyalgia\n    design: rct\n",
            "    condition: fibromyalgia\n    design: rct\n    outcome: Pain fell.\n",
        ),
        "f.yaml:20: fibro-rct: outcome: the articles' layer of a study no article retells stays empty",
    ),
    (
        _replace("    study: [fibro-rct]\n", "    study: [retold-trial]\n"),
        "f.yaml:20: fibro-rct: sources: is empty; every record needs at least one source quote, "
        "or a publication that names it",
    ),
    (
        _replace("    condition: fibromyalgia\n    design: rct\n", "    condition: fibromyalgia\n    design: cohort\n"),
        "f.yaml:19: fibro-rct: design: 'cohort' is not the design its publication states (rct); "
        "a study no article retells takes its design from it",
    ),
    (
        _replace("    includes: [fibro-rct, retold-trial]", "    includes: [fibro-rtc]"),
        "f.yaml:26: pain-review: includes: no study 'fibro-rtc' in the catalogue; did you mean 'fibro-rct'?",
    ),
    (
        _replace("    value: completed\n", "    value: finished\n"),
        "f.yaml:109: nct01234567: facts.value: unknown value 'finished'; valid: not-yet-recruiting",
    ),
    (
        _replace('    value: "2019-06"\n', '    value: "June 2019"\n'),
        "f.yaml:121: nct01234567: facts.value: 'June 2019' is not an ISO date (YYYY-MM-DD, YYYY-MM or YYYY)",
    ),
    (
        _replace("    value: 4\n", "    value: four\n"),
        "f.yaml:73: review-2023: facts.value: expected a whole number, found 'four'",
    ),
    (
        _replace(
            "        measure: pain\n        direction: no-effect\n",
            "        measure: pains\n        direction: no-effect\n",
        ),
        "f.yaml:56: fibro-2020: facts.measure: unknown value 'pains'; did you mean 'pain'?",
    ),
    (
        _replace(
            "      - field: certainty\n        text:", "      - field: certainty\n        measure: pain\n        text:"
        ),
        "review-2023: facts.measure: only an outcome, pooled-result or harms fact carries `measure`",
    ),
    (
        _replace('        page: "https://example.org/review-abstract"\n', "        page: a record seen in a library\n"),
        "f.yaml:70: review-2023: facts.page: 'a record seen in a library' is not an address a reader can open",
    ),
    (
        _replace(
            '    verified_on: ["https://example.org/rct-abstract"]', '    verified_on: ["a record with no address"]'
        ),
        "f.yaml:37: fibro-2020: verified_on: 'a record with no address' is not an address a reader can open",
    ),
    (
        _replace(
            '    registry: ["NCT01234567"]', '    registry: ["NCT01234567"]\n    unverified: ["NCT01234567 seen"]'
        ),
        "nct01234567: unverified: names NCT01234567, which the publication also gives as its own identifier",
    ),
    (
        _replace("    year: 2020\n", '    year: 2020\n    unverified: ["PMID 123: in a URL"]\n'),
        "fibro-2020: unverified: an identifier seen only inside a page's address is said as 'seen in an address only'",
    ),
    (
        _replace("reason: narrative-review}", "reason: narative-review}"),
        "search: excluded.reason: unknown value 'narative-review'; did you mean 'narrative-review'?",
    ),
    (
        _replace("screened: 5, included: 1}", "screened: -5, included: 1}"),
        "search: queries.screened: -5 is not a plain whole number",
    ),
    (
        _replace('  searched: "2026-12"', '  searched: "December 2026"'),
        "search: searched: 'December 2026' is not an ISO date",
    ),
    (
        _replace("  where: [", "  were: ["),
        "search: were: unknown field; did you mean 'where'?",
    ),
    (
        _replace("    design: rct\n    n: 10\n", "    design: rct\n    n: 10\n    includes: [fibro-rct]\n"),
        "retold-trial: includes: only a systematic review includes other studies",
    ),
]


@pytest.mark.parametrize(("text", "expected"), BAD)
def test_a_wrong_wider_record_is_a_located_error(text: str, expected: str) -> None:
    problems = problems_of(text)
    assert any(expected in problem for problem in problems), problems


def test_a_record_with_neither_a_seed_source_nor_a_publication_names_its_line() -> None:
    text = WIDER.replace("    study: [fibro-rct]\n", "    study: [pain-review]\n")
    assert problems_of(text) == [
        "f.yaml:20: fibro-rct: sources: is empty; every record needs at least one source quote, "
        "or a publication that names it",
    ]


def test_a_study_no_article_retells_needs_a_design_fact_of_its_publication() -> None:
    text = WIDER.replace("        value: systematic-review\n", "")
    assert problems_of(text) == [
        "f.yaml:24: pain-review: design: a study no article retells takes its design from its publication: "
        "give review-2023 a `design` fact with the value 'systematic-review'",
    ]


def test_the_new_conditions_and_their_aliases() -> None:
    assert make_filters(condition="ulcerative colitis").conditions == ("ibd",)
    assert make_filters(condition="IBD").conditions == ("ibd",)
    assert make_filters(condition="chronic pain").conditions == ("chronic-pain",)


# --- the schema ---------------------------------------------------------------------------------------


def test_the_schema_accepts_the_wider_records_and_refuses_a_filled_articles_layer() -> None:
    import jsonschema

    from ldn_evidence.schema import catalogue_schema

    data = yaml.safe_load(WIDER)
    jsonschema.validate(data, catalogue_schema())
    data["studies"][1]["outcome"] = "Pain fell."
    with pytest.raises(jsonschema.ValidationError) as caught:
        jsonschema.validate(data, catalogue_schema())
    # Refused either for the value itself or for the seed quote such a value needs.
    assert list(caught.value.absolute_path)[:2] == ["studies", 1]
    assert list(caught.value.absolute_path)[2] in ("outcome", "sources")
    data = yaml.safe_load(WIDER)
    data["search"]["excluded"][0]["reason"] = "boring"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, catalogue_schema())


# --- verify -------------------------------------------------------------------------------------------


def test_verify_checks_every_new_excerpt(wider_catalogue: tuple[Path, Catalogue]) -> None:
    path, catalogue = wider_catalogue
    assert verify(catalogue, path.parent.parent / "seeds") == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('size: "MD -0.86 (95% CI -1.20 to -0.51)"', 'size: "MD -0.86 (95% CI -1.25 to -0.51)"',
         "1.25 in `size` does not appear in the fact's excerpt"),
        ("    value: 40\n", "    value: 41\n", "41 does not appear in the fact's excerpt"),
        ("Pain fell more with LDN (MD", "Pain fell more with LDN in 4 weeks (MD", "excerpt not found"),
    ],
)  # fmt: skip
def test_verify_finds_a_wrong_new_excerpt(tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert old in WIDER
    path = write_wider(tmp_path, WIDER.replace(old, new, 1))
    problems = verify(load(path), tmp_path / "seeds")
    assert any(expected in problem.message for problem in problems), problems


def test_a_count_must_be_stated_as_a_count_of_people(tmp_path: Path) -> None:
    text = WIDER.replace("    value: 40\n", "    value: 2019\n", 1).replace(
        "        text: Forty people", "        text: Many people"
    )
    text = text.replace(
        '        excerpt: "Estimated Enrollment: 40 participants"',
        '        excerpt: "Primary Completion Date: June 2019"',
    )
    path = write_wider(tmp_path, text)
    problems = [p.message for p in verify(load(path), tmp_path / "seeds")]
    assert "2019 is not stated in the fact's excerpt as a number of people" in problems


@pytest.mark.parametrize(
    ("text", "number", "people"),
    [
        ("99 patients were randomly assigned", 99, True),
        ("ten women were randomly assigned", 10, True),
        ("actual enrollment : | 53 participants |", 53, True),
        ("started 16 15", 16, True),
        ("ldn 4.5 mg for 8 weeks in 2019", 8, False),
        ("primary completion date: june 2019", 2019, False),
    ],
)
def test_counted_in(text: str, number: int, people: bool) -> None:
    from ldn_evidence.verify import PEOPLE_WORDS

    assert counted_in(text, number, PEOPLE_WORDS) is people


def test_unstated_numbers() -> None:
    excerpt = "rr 1.23 (95% ci 0.9 to 1.6), p<.01"
    assert unstated_numbers("RR 1.23 (95% CI 0.9 to 1.6)", excerpt) == []
    assert unstated_numbers("P<.01", excerpt) == []
    assert unstated_numbers("RR 1.2 (95% CI 0.9 to 1.7)", excerpt) == ["1.2", "1.7"]


# --- the flow and the evidence body --------------------------------------------------------------------


def test_the_flow_counts_what_the_catalogue_holds(wider_catalogue: tuple[Path, Catalogue]) -> None:
    _, catalogue = wider_catalogue
    flow = wider.flow(catalogue)
    assert flow["records_screened"] == 13
    assert flow["queries"] == 2
    assert flow["included"] == {
        "total": 3,
        "by_design": {"systematic-review": 1, "rct": 2},
        "by_condition": {"fibromyalgia": 1, "ibd": 1, "chronic-pain": 1},
        "reviews": 1,
    }
    assert flow["retold_by_the_articles"] == 1
    assert flow["excluded"] == {"total": 3, "by_reason": {"case-report": 2, "narrative-review": 1}}
    assert flow["registered_trials"] == {
        "total": 1,
        "by_status": {"completed": 1},
        "no_results_long_after_end": ["ibd-registered"],
    }


def test_the_evidence_body_in_one_line(wider_catalogue: tuple[Path, Catalogue]) -> None:
    _, catalogue = wider_catalogue
    body = wider.evidence_body(catalogue.studies, catalogue)
    assert body["line"] == "4 studies: 1 retold by the articles, 3 found by the search of 2026-12; 1 registered trial"
    assert (body["retold"], body["found_by_search"], body["registered_trials"]) == (1, 3, 1)
    assert (
        wider.evidence_body(catalogue.studies)["line"]
        == "4 studies: 1 retold by the articles, 3 not retold by any article"
    )


@pytest.mark.parametrize(
    ("completion", "results", "searched", "flagged"),
    [
        ("2019-06", "none", "2026-12", True),
        ("2025-12", "none", "2026-12", False),  # less than a year before the search
        ("2025", "none", "2026-12", False),  # "2025" may mean its last day
        ("2019-06", "posted", "2026-12", False),
        ("2019-06", "published", "2026-12", False),
    ],
)
def test_no_results_long_after_the_end(
    tmp_path: Path, completion: str, results: str, searched: str, flagged: bool
) -> None:
    text = WIDER.replace('    value: "2019-06"', f'    value: "{completion}"').replace(
        "        value: none\n", f"        value: {results}\n"
    )
    catalogue = load(write_wider(tmp_path, text))
    (found,) = wider.registrations(catalogue)
    assert found.no_results_long_after_end is flagged
    assert found.record()["flag"] == (wider.NO_RESULTS if flagged else None)


def test_the_retold_filter(wider_catalogue: tuple[Path, Catalogue]) -> None:
    _, catalogue = wider_catalogue
    assert [s.id for s in select(catalogue, make_filters(retold=True))] == ["retold-trial"]
    assert sorted(s.id for s in select(catalogue, make_filters(retold=False))) == [
        "fibro-rct", "ibd-registered", "pain-review",
    ]  # fmt: skip


# --- the cache and the exports ----------------------------------------------------------------------


def test_the_cache_keeps_the_wider_records_and_the_search(wider_catalogue: tuple[Path, Catalogue]) -> None:
    path, parsed = wider_catalogue
    load_cached(path)
    served = load_cached(path)
    assert served.entries is not None, "the second load must come from the cache"
    assert served.search == parsed.search
    assert served.publications == parsed.publications
    assert list(served.studies) == list(parsed.studies)
    assert [e.retold for e in served.index] == [s.retold for s in parsed.studies]
    assert wider.flow(served) == wider.flow(parsed)
    assert served.studies[2].includes == ("fibro-rct", "retold-trial")


def test_sqlite_holds_the_wider_records_and_the_search(wider_catalogue: tuple[Path, Catalogue], tmp_path: Path) -> None:
    _, catalogue = wider_catalogue
    target = tmp_path / "out.db"
    export(target, catalogue, list(catalogue.studies))
    with sqlite3.connect(target) as db:
        assert db.execute("SELECT id, retold, outcome FROM studies WHERE id = 'fibro-rct'").fetchall() == [
            ("fibro-rct", 0, None)
        ]
        assert db.execute("SELECT included_id FROM review_includes ORDER BY position").fetchall() == [
            ("fibro-rct",), ("retold-trial",),
        ]  # fmt: skip
        assert db.execute("SELECT sum(screened) FROM search_queries").fetchone() == (13,)
        reasons = "SELECT reason, count(*) FROM search_excluded GROUP BY reason ORDER BY reason"
        assert db.execute(reasons).fetchall() == [
            ("case-report", 2), ("narrative-review", 1),
        ]  # fmt: skip
        assert db.execute(
            "SELECT measure, direction, size, comparison, \"primary\" FROM published_facts WHERE field = 'outcome'"
        ).fetchall() == [("pain", "no-effect", "mean difference 0.2 (95% CI -0.3 to 0.7)", "placebo", 1)]
        assert db.execute("SELECT searched FROM search").fetchall() == [("2026-12",)]


def test_json_carries_the_search_and_the_evidence_body(wider_catalogue: tuple[Path, Catalogue], tmp_path: Path) -> None:
    _, catalogue = wider_catalogue
    target = tmp_path / "out.json"
    export(target, catalogue, list(catalogue.studies))
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["search"] == wider.search_record(catalogue.search)
    assert data["evidence_body"] == wider.evidence_body(list(catalogue.studies), catalogue)
    assert [s["id"] for s in data["studies"]] == ["retold-trial", "fibro-rct", "pain-review", "ibd-registered"]


def test_the_data_package_tables_hold_the_search(wider_catalogue: tuple[Path, Catalogue], tmp_path: Path) -> None:
    _, catalogue = wider_catalogue
    target = tmp_path / "pkg" / "datapackage.json"
    export(target, catalogue, list(catalogue.studies))
    descriptor = json.loads(target.read_text(encoding="utf-8"))
    names = [r["name"] for r in descriptor["resources"]]
    assert names[-4:] == ["discrepancies", "search", "search_queries", "search_excluded"]
    assert "review_includes" in names

    def rows(name: str) -> list[dict[str, Any]]:
        with (target.parent / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))

    studies = {row["id"]: row for row in rows("studies")}
    assert (studies["fibro-rct"]["retold"], studies["retold-trial"]["retold"]) == ("False", "True")
    assert [row["reason"] for row in rows("search_excluded")] == ["case-report", "narrative-review", "case-report"]
    assert [row["screened"] for row in rows("search_queries")] == ["8", "5"]


def test_the_shipped_search_flow_equals_its_own_counts() -> None:
    from conftest import SHIPPED

    catalogue = load(SHIPPED)
    assert catalogue.search is not None
    flow = wider.flow(catalogue)
    assert flow["records_screened"] == sum(q.screened for q in catalogue.search.queries)
    assert flow["excluded"]["total"] == len(catalogue.search.excluded) == sum(flow["excluded"]["by_reason"].values())
    assert flow["included"]["total"] == sum(1 for s in catalogue.studies if not s.retold and not s.mention)
    # The search section stays at the end of the file, after the studies and publications.
    text = SHIPPED.read_text(encoding="utf-8")
    assert text.index("\nsearch:\n") > text.index("\npublications:\n") > text.index("\nstudies:\n")


def test_no_shipped_identifier_is_linked_that_a_page_showed_only_in_its_address() -> None:
    from conftest import SHIPPED

    for publication in load(SHIPPED).publications:
        for part in publication.unverified:
            if "address" in part:
                assert "seen in an address only" in part
        assert all(page.startswith(("http://", "https://")) for page in publication.verified_on)
        assert all(f.page.startswith(("http://", "https://")) for f in publication.facts)
