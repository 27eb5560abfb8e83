"""The published layer: publications load strictly, and every excerpt stands in its publication's file."""

from __future__ import annotations

import datetime
import re
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ldn_evidence import cache, files, published
from ldn_evidence import publications as papers
from ldn_evidence.cli import app
from ldn_evidence.errors import CatalogueInvalid
from ldn_evidence.formats import catalogue_yaml
from ldn_evidence.loader import IDENTIFIERS, load, parse_catalogue
from ldn_evidence.model import FACT_FIELDS, PAGE_KINDS, Count, Period
from ldn_evidence.text import invisible
from ldn_evidence.verify import verify

from conftest import SEEDS, SHIPPED, catalogue_text, study_yaml

CATALOGUE = load(SHIPPED)

#: The excerpt file of the tiny catalogues below.
PAGES = """\
# Excerpts for the tests.

page: https://example.org/abstract
kind: abstract

80 people were enrolled and 60 completed the trial.

Treatment lasted 12 weeks at 4.5 mg a day.

page: https://example.org/registry
kind: registry

A 17 week study.
"""

FACT = {
    "field": "enrolled",
    "value": 80,
    "text": "80 people were enrolled.",
    "excerpt": "80 people were enrolled and 60 completed the trial.",
    "page": "https://example.org/abstract",
    "page_kind": "abstract",
}
DISCREPANCY = {
    "kind": "outcome",
    "seed": "a.txt",
    "article_says": "pain fell",
    "published_says": "A 17 week study.",
    "page": "https://example.org/registry",
    "page_kind": "registry",
    "explanation": "Our own sentence.",
}


def publication(**fields: Any) -> dict[str, Any]:
    """A publication entry backing the study 's'."""
    entry: dict[str, Any] = {
        "id": "paper-2010",
        "study": "s",
        "title": "A paper",
        "year": 2010,
        "pmid": "20695007",
        "doi": "10.1002/ana.22006",
        "registry": ["NCT00501696"],
        "facts": [dict(FACT)],
        "discrepancies": [dict(DISCREPANCY)],
    }
    entry.update(fields)
    return entry


def with_publications(*entries: dict[str, Any], study: str = "") -> str:
    """A tiny catalogue: study 's' (or the one given) and these publications."""
    text = yaml.safe_dump({"publications": list(entries)}, sort_keys=False, allow_unicode=True)
    return catalogue_text(study or study_yaml("s")) + text


@pytest.fixture
def write_published(write_catalogue: Callable[[str], Path]) -> Callable[..., Path]:
    """Write a tiny catalogue with publications, and publications/paper-2010.txt beside seeds/."""

    def write(text: str, pages: str | None = PAGES) -> Path:
        path = write_catalogue(text)
        folder = path.parent.parent / "publications"
        folder.mkdir(exist_ok=True)
        if pages is not None:
            (folder / "paper-2010.txt").write_text(pages, encoding="utf-8")
        return path

    return write


def problems_of(text: str) -> list[str]:
    """Every problem the loader finds in catalogue text (none: an empty list)."""
    try:
        parse_catalogue(text.encode(), "f.yaml")
    except CatalogueInvalid as exc:
        return [str(p) for p in exc.problems]
    return []


# --- the shipped catalogue -------------------------------------------------------------------------


def test_the_shipped_publications_are_attached_to_their_studies() -> None:
    by_id = {s.id: s for s in CATALOGUE.studies}
    ucsf = by_id["ucsf-cree-rct"].publication
    assert ucsf is not None
    assert (ucsf.pmid, ucsf.doi, ucsf.registry) == (None, "10.1002/ana.22006", ("NCT00501696",))
    # The PMID was seen only inside a page's address: listed as such, never linked.
    assert any(part.startswith("PMID 20695007: seen in an address only") for part in ucsf.unverified)
    assert published.headline_count(ucsf) == Count(80, "enrolled")
    # The articles' layer is untouched: the record still says what the articles say.
    assert (by_id["ucsf-cree-rct"].n, by_id["ucsf-cree-rct"].duration.text) == (60, "8 weeks")  # type: ignore[union-attr]
    for publication in CATALOGUE.publications:
        for ident in publication.study:
            assert publication in CATALOGUE.publications_of(ident)
    # A study whose publication was not identified has none.
    assert by_id["crps-eds-case-report"].publication is None


def test_identifiers_that_were_not_seen_stay_out() -> None:
    by_id = {p.id: p for p in CATALOGUE.publications}
    assert by_id["smith-2007"].doi is None and "doi" in by_id["smith-2007"].not_seen
    assert by_id["sharafaddinzadeh-2010"].pmid is None
    assert by_id["chart-review-2015"].authors is None and by_id["chart-review-2015"].journal is None


def test_parts_seen_only_on_a_weak_page_are_marked_unverified() -> None:
    by_id = {p.id: p for p in CATALOGUE.publications}
    # PMIDs seen only in a page's address: named as unverified, not used as identifiers.
    for ident, pmid in (("ludwig-2017", "28766982"), ("younger-2009", "19453963")):
        assert by_id[ident].pmid is None
        assert any(part.startswith(f"PMID {pmid}:") for part in by_id[ident].unverified)
        assert all(pmid not in url for _, url in papers.links(by_id[ident]))
    # A year given only by a secondary page stays in the citation and says so.
    assert by_id["chart-review-2015"].year == 2015
    assert any(part.startswith("year 2015:") for part in by_id["chart-review-2015"].unverified)


def test_links_a_person_can_open() -> None:
    ucsf = next(p for p in CATALOGUE.publications if p.id == "cree-2010")
    assert dict((label, url) for label, url in papers.links(ucsf)) == {
        "DOI 10.1002/ana.22006": "https://doi.org/10.1002/ana.22006",
        "NCT00501696": "https://clinicaltrials.gov/study/NCT00501696",
    }


def test_both_layers_give_the_same_kinds_of_values() -> None:
    study = next(s for s in CATALOGUE.studies if s.id == "ucsf-cree-rct")
    assert study.publication is not None
    reported, paper = published.reported_values(study), published.published_values(study.publication)
    assert reported.counts == (Count(60, "stated"),)
    assert set(paper.counts) == {Count(80, "enrolled"), Count(60, "completed")}
    assert {(p.duration.text, p.kind) for p in paper.periods} == {("8 weeks", "treatment"), ("17 weeks", "whole-study")}
    assert all(isinstance(p, Period) for p in (*reported.periods, *paper.periods))


def test_the_shipped_published_layer_verifies() -> None:
    assert verify(CATALOGUE, SEEDS) == []


def test_verify_says_how_many_quotes_and_excerpts_it_checked() -> None:
    result = CliRunner().invoke(app, ["--no-cache", "verify"], env={"LDN_DATA": ""})
    assert result.exit_code == 0, result.output
    documents = len({s.seed for st in CATALOGUE.studies for s in st.sources})
    excerpts = papers.excerpt_count(CATALOGUE)
    assert f"quotes in {documents} documents, {excerpts} excerpts in {len(CATALOGUE.publications)} publications" in (
        result.stderr
    )


def test_every_shipped_excerpt_file_is_used() -> None:
    files = {p.stem for p in (SHIPPED.parent.parent / "publications").glob("*.txt")}
    assert files == {p.id for p in CATALOGUE.publications}


# --- the loader ------------------------------------------------------------------------------------


def test_a_well_formed_publication_loads() -> None:
    catalogue = parse_catalogue(with_publications(publication()).encode(), "f.yaml")
    (paper,) = catalogue.publications
    assert catalogue.studies[0].publication == paper
    assert paper.facts[0].value == 80 and paper.discrepancies[0].study == "s"
    assert paper.discrepancies[0].publication == "paper-2010"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("pmid", "PMID20695007", "pmid: 'PMID20695007' is not the shape of one: a PMID is digits only"),
        ("pmid", "2069 5007", "a PMID is digits only"),
        ("doi", "doi:10.1002/ana.22006", "a DOI starts with '10.'"),
        ("doi", "11.1002/x", "a DOI starts with '10.'"),
        ("pmcid", "3661907", "a PMCID is 'PMC' and digits"),
        ("registry", ["NCT0050169"], "a registry id is 'NCT' and 8 digits"),
        ("registry", ["nct00501696"], "a registry id is 'NCT' and 8 digits"),
        ("registry", ["ISRCTN123"], "a registry id is 'NCT' and 8 digits"),
    ],
)
def test_an_identifier_of_the_wrong_shape_is_a_located_error(field: str, value: Any, message: str) -> None:
    text = with_publications(publication(**{field: value}))
    (problem,) = problems_of(text)
    line = next(i for i, row in enumerate(text.splitlines(), 1) if repr(value)[1:8] in row or str(value)[2:9] in row)
    assert problem.startswith(f"f.yaml:{line}: paper-2010: {field}: ")
    assert message in problem


def test_a_pmid_written_as_a_number_must_be_quoted() -> None:
    text = with_publications(publication()).replace("pmid: '20695007'", "pmid: 20695007")
    (problem,) = problems_of(text)
    assert "pmid: 20695007 reads as a number in YAML, not text; quote it" in problem


def test_a_count_a_page_states_only_in_words_is_a_fact_without_a_value() -> None:
    """ "20 and 20 started" states no single number of people: the fact keeps its text and is never compared."""
    catalogue = parse_catalogue(with_publications(publication(facts=[{**FACT, "value": None}])).encode(), "f.yaml")
    (fact,) = catalogue.publications[0].facts
    assert fact.field == "enrolled" and fact.value is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"study": "no-such-study"}, "study: no study 'no-such-study' in the catalogue"),
        ({"facts": [{**FACT, "field": "outcome"}]}, "facts.value: a fact about what was measured and found has no"),
        ({"facts": [{**FACT, "field": "treatment-period", "value": "forever"}]}, "duration: cannot read duration"),
        ({"facts": [{**FACT, "page_kind": "blog"}]}, "facts.page_kind: unknown value 'blog'"),
        ({"facts": [{**FACT, "field": "enroled"}]}, "facts.field: unknown value 'enroled'; did you mean 'enrolled'?"),
        ({"facts": [{**FACT, "quote": "x"}]}, "quote: unknown field"),
        ({"discrepancies": [{**DISCREPANCY, "kind": "size"}]}, "discrepancies.kind: unknown value 'size'"),
        ({"discrepancies": [{**DISCREPANCY, "seed": "b.txt"}]}, "discrepancies.seed: 'b.txt' is not a listed document"),
        ({"discrepancies": [{**DISCREPANCY, "study": "t"}]}, "'t' is not one of the studies the publication backs"),
        ({"title": None}, "title: is empty; it is required"),
        ({"year": datetime.date.today().year + 1}, f"year: {datetime.date.today().year + 1} is in the future"),
    ],
)
def test_a_wrong_publication_is_a_located_error(change: dict[str, Any], message: str) -> None:
    problems = problems_of(with_publications(publication(**change)))
    assert problems, change
    assert any(message in p for p in problems), problems
    assert all(p.startswith("f.yaml:") for p in problems)


def test_a_discrepancy_must_name_its_study_when_the_publication_backs_several() -> None:
    text = with_publications(publication(study=["s", "t"]), study=study_yaml("s") + study_yaml("t"))
    (problem,) = problems_of(text)
    assert "discrepancies.study: missing; the publication backs several studies, so name one" in problem


def test_an_unknown_top_level_section_names_publications() -> None:
    (problem,) = problems_of(catalogue_text(study_yaml("s")) + "publication: []\n")
    assert "unknown section; did you mean 'publications'?" in problem


# --- verify --------------------------------------------------------------------------------------------


def _verify(path: Path) -> list[str]:
    return [str(p) for p in verify(load(path), path.parent.parent / "seeds")]


def test_a_tiny_published_layer_verifies(write_published: Callable[..., Path]) -> None:
    assert _verify(write_published(with_publications(publication()))) == []


def test_an_excerpt_not_in_its_publication_file_is_located(write_published: Callable[..., Path]) -> None:
    text = with_publications(publication(facts=[{**FACT, "excerpt": "80 people were admitted"}]))
    path = write_published(text)
    (problem,) = _verify(path)
    line = next(i for i, row in enumerate(text.splitlines(), 1) if row.strip() == "- field: enrolled")
    assert problem.startswith(f"{path}:{line}: paper-2010: facts.excerpt: excerpt not found in paper-2010.txt")
    assert 'closest passage: "' in problem


def test_an_excerpt_under_another_page_does_not_count(write_published: Callable[..., Path]) -> None:
    fact = {**FACT, "excerpt": "A 17 week study.", "field": "study-length", "value": "17 weeks"}
    (problem,) = _verify(write_published(with_publications(publication(facts=[fact]))))
    assert "facts.excerpt: excerpt not found in paper-2010.txt under its page" in problem


def test_a_page_the_file_does_not_list_and_a_wrong_page_kind(write_published: Callable[..., Path]) -> None:
    facts = [{**FACT, "page": "https://example.org/other"}, {**FACT, "page_kind": "secondary"}]
    problems = _verify(write_published(with_publications(publication(facts=facts))))
    assert any("facts.page: page 'https://example.org/other' is not in paper-2010.txt" in p for p in problems)
    assert any("page_kind is 'secondary' but paper-2010.txt lists the page as 'abstract'" in p for p in problems)


def test_a_number_not_in_its_excerpt(write_published: Callable[..., Path]) -> None:
    (problem,) = _verify(write_published(with_publications(publication(facts=[{**FACT, "value": 81}]))))
    assert "facts.value: 81 does not appear in the fact's excerpt" in problem


def test_a_missing_publication_file_is_located(write_published: Callable[..., Path]) -> None:
    text = with_publications(publication())
    path = write_published(text, pages=None)
    (problem,) = _verify(path)
    line = next(i for i, row in enumerate(text.splitlines(), 1) if row == "- id: paper-2010")
    assert problem.startswith(f"{path}:{line}: paper-2010: facts: its excerpt file ")
    assert "paper-2010.txt is missing" in problem


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"article_says": "pain rose"}, 'discrepancies.article_says: article quote not found in a.txt: "pain rose"'),
        ({"published_says": "A 12 week study."}, "discrepancies.excerpt: excerpt not found in paper-2010.txt"),
    ],
)
def test_a_discrepancy_whose_quotes_do_not_verify(
    write_published: Callable[..., Path], change: dict[str, str], message: str
) -> None:
    (problem,) = _verify(write_published(with_publications(publication(discrepancies=[{**DISCREPANCY, **change}]))))
    assert message in problem


@pytest.mark.parametrize(
    ("pages", "message"),
    [
        ("Stray text\npage: https://example.org/abstract\nkind: abstract\n\nx\n", "1: text before the first `page:`"),
        ("page: https://example.org/abstract\n\nEighty\n", "1: a `page:` line must be followed by a `kind:` line"),
        ("page: https://example.org/abstract\nkind: blog\n\nEighty\n", "2: unknown page kind 'blog'"),
        ("page: https://example.org/abstract\nkind: abstract\n", "1: page 'https://example.org/abstract' has no"),
        ("# only a comment\n", "1: the file holds no `page:` lines"),
    ],
)
def test_a_malformed_publication_file_is_located(
    write_published: Callable[..., Path], pages: str, message: str
) -> None:
    path = write_published(with_publications(publication()), pages=pages)
    problems = _verify(path)
    file = path.parent.parent / "publications" / "paper-2010.txt"
    assert any(p.startswith(f"{file}:{message}") for p in problems), problems


def test_an_unreadable_publication_file_is_reported_with_its_path(write_published: Callable[..., Path]) -> None:
    path = write_published(with_publications(publication()), pages=None)
    file = path.parent.parent / "publications" / "paper-2010.txt"
    file.write_bytes(b"page: https://example.org/abstract\nkind: abstract\n\n\xff\xfe80 people\n")
    (problem,) = _verify(path)
    assert problem.startswith(f"{file}: cannot read the excerpt file: invalid start byte")
    file.unlink()
    file.mkdir()
    (problem,) = _verify(path)
    # Read under the seeds' rules: a folder is refused before it is opened as a file.
    assert problem == f"{file}: cannot read the excerpt file: is a folder, not an excerpt file"


def test_verify_on_the_command_line_fails_with_the_problem(
    write_published: Callable[..., Path], runner: CliRunner
) -> None:
    path = write_published(with_publications(publication(facts=[{**FACT, "excerpt": "80 people were admitted"}])))
    result = runner.invoke(app, ["--no-cache", "verify", str(path)])
    assert result.exit_code == 1
    assert "facts.excerpt: excerpt not found" in result.stdout
    assert "1 of the checks failed" in result.stderr


# --- the cache carries the published layer ---------------------------------------------------------------


def test_the_cache_serves_the_same_published_layer() -> None:
    cache.load_cached(SHIPPED)
    served = cache.load_cached(SHIPPED)
    assert served.entries is not None, "the second load must come from the cache"
    assert served.publications == CATALOGUE.publications
    assert [s.publication for s in served.studies] == [s.publication for s in CATALOGUE.studies]
    # Lines survive too, so messages about cached records still point into the file.
    assert [f.line for p in served.publications for f in p.facts] == [
        f.line for p in CATALOGUE.publications for f in p.facts
    ]


def test_the_excerpt_file_reader_keeps_paragraphs_apart() -> None:
    pages, problems = files.parse_pages(textwrap.dedent(PAGES), "x.txt")
    assert problems == []
    assert [(p.address, p.kind, len(p.excerpts), p.line) for p in pages] == [
        ("https://example.org/abstract", "abstract", 2, 3),
        ("https://example.org/registry", "registry", 1, 10),
    ]


# --- the JSON Schema covers the published layer ------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda p: p.update(pmid="PMID1"), ["pmid"]),
        (lambda p: p.update(doi="doi:10.1/x"), ["doi"]),
        (lambda p: p.update(registry=["NCT123"]), ["registry", 0]),
        (lambda p: p["facts"][0].update(field="size"), ["facts", 0, "field"]),
        (lambda p: p["facts"][0].update(page_kind="blog"), ["facts", 0, "page_kind"]),
        (lambda p: p["discrepancies"][0].update(kind="size"), ["discrepancies", 0, "kind"]),
        (lambda p: p["discrepancies"][0].pop("explanation"), ["discrepancies", 0]),
        (lambda p: p.update(publication="x"), []),
    ],
)
def test_the_schema_refuses_a_wrong_publication(change: Callable[[dict[str, Any]], object], path: list[Any]) -> None:
    import jsonschema

    from ldn_evidence.schema import catalogue_schema

    data = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    jsonschema.validate(data, catalogue_schema())
    change(data["publications"][0])
    with pytest.raises(jsonschema.ValidationError) as caught:
        jsonschema.validate(data, catalogue_schema())
    assert list(caught.value.absolute_path) == ["publications", 0, *path]


# --- generated publications ------------------------------------------------------------------------

GEN_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\ufeff\x00"), min_size=1, max_size=30
).filter(lambda s: s.strip())
#: A citation's fields (title, authors, journal) hold no control or invisible character, line break or tab: the
#: loader refuses them.
CITED_TEXT = GEN_TEXT.map(
    lambda s: "".join(ch if invisible(ch) is None and ch not in "\t\n\v\f\r\x85\u2028\u2029" else "x" for ch in s)
)
#: Authors, comma-separated, with no empty name between the commas: the loader refuses one.
AUTHORS = CITED_TEXT.filter(lambda s: all(name.strip() for name in s.split(",")))
VALUES: dict[str, Any] = {
    "enrolled": st.integers(1, 10**6), "completed": st.integers(1, 10**6), "dropouts": st.integers(0, 99),
    "randomized": st.integers(1, 10**6), "analysed": st.integers(1, 10**6),
    "treatment-period": st.sampled_from(["8 weeks", "12 weeks", "six months"]),
    "study-length": st.sampled_from(["17 weeks", "1 year"]), "dose": st.sampled_from(["4.5 mg nightly", "5 mg"]),
    "design": st.sampled_from(["rct", "open-label", None]), "blinding": st.sampled_from(["double-blind", None]),
    "screened": st.integers(1, 10**6), "planned": st.integers(1, 10**6), "people-pooled": st.integers(1, 10**6),
    "trials-pooled": st.integers(1, 99), "year": st.integers(1950, 2025),
    "start": st.sampled_from(["2019", "2019-03", "2019-03-31"]), "completion": st.sampled_from(["2031-12", "2020"]),
    "status": st.sampled_from(["completed", "recruiting", "withdrawn"]), "results": st.sampled_from(["posted", "none"]),
}  # fmt: skip


@st.composite
def facts(draw: st.DrawFn) -> dict[str, Any]:
    field = draw(st.sampled_from(sorted(FACT_FIELDS)))
    fact: dict[str, Any] = {"field": field}
    value = draw(VALUES[field]) if field in VALUES else None
    if value is not None:
        fact["value"] = value
    page = "https://example.org/" + draw(st.from_regex(r"[a-z0-9/._-]{0,20}", fullmatch=True))
    fact.update(text=draw(GEN_TEXT), excerpt=draw(GEN_TEXT), page=page,
                page_kind=draw(st.sampled_from(sorted(PAGE_KINDS))))  # fmt: skip
    return fact


@st.composite
def publications(draw: st.DrawFn) -> dict[str, Any]:
    def maybe(strategy: Any) -> Any:
        return draw(st.one_of(st.none(), strategy))

    return {
        "id": draw(st.from_regex(r"[a-z]{1,6}-[0-9]{4}", fullmatch=True)),
        "study": "s",
        "title": draw(CITED_TEXT),
        "year": maybe(st.integers(1950, 2026)),
        "authors": maybe(AUTHORS),
        "pmid": maybe(st.from_regex(IDENTIFIERS["pmid"][0], fullmatch=True)),
        "pmcid": maybe(st.from_regex(IDENTIFIERS["pmcid"][0], fullmatch=True)),
        "doi": maybe(st.from_regex(r"10\.[0-9]{4,6}/[a-z0-9.()-]{1,12}", fullmatch=True)),
        "registry": draw(st.lists(st.from_regex(r"NCT[0-9]{8}", fullmatch=True), max_size=2)),
        "facts": draw(st.lists(facts(), max_size=5)),
        "discrepancies": [],
    }


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(publications(), min_size=1, max_size=3, unique_by=lambda p: p["id"]))
def test_generated_publications_load_and_survive_a_round_trip(entries: list[dict[str, Any]]) -> None:
    catalogue = parse_catalogue(with_publications(*entries).encode(), "f.yaml")
    assert [p.id for p in catalogue.publications] == [e["id"] for e in entries]
    assert catalogue.studies[0].publication == catalogue.publications[0]
    again = parse_catalogue(catalogue_yaml(catalogue).encode(), "g.yaml")
    assert again.publications == catalogue.publications
    for paper in catalogue.publications:
        published.published_values(paper)  # every value the loader accepts reads as a value
        papers.links(paper)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["pmid", "pmcid", "doi"]), GEN_TEXT)
def test_a_generated_identifier_loads_only_in_its_shape(name: str, value: str) -> None:
    problems = problems_of(with_publications(publication(**{name: value})))
    pattern = IDENTIFIERS[name][0]
    if pattern.match(value):
        assert problems == []
    else:
        assert problems and all(p.startswith("f.yaml:") for p in problems)
        assert any(f"paper-2010: {name}: " in p for p in problems)


INVISIBLE = ["\u200b", "\ufeff", "\u2060", "\u00ad", "\u200e", "\u3164", "\ufe0f", "\x07", "\x1b"]
GOOD_IDENTIFIERS = {"pmid": "20695007", "pmcid": "PMC3661907", "doi": "10.1002/ana.22006", "registry": "NCT00501696"}


@settings(max_examples=60, deadline=None)
@given(
    field=st.sampled_from(sorted(GOOD_IDENTIFIERS)),
    char=st.sampled_from(INVISIBLE) | st.characters(categories=["Cf", "Cc", "Zs", "Co"], exclude_characters="\x00"),
    at=st.integers(min_value=0, max_value=30),
)
def test_an_identifier_with_an_invisible_character_is_refused(field: str, char: str, at: int) -> None:
    good = GOOD_IDENTIFIERS[field]
    at = min(at, len(good))
    value = good[:at] + char + good[at:]
    if field == "registry" and value.strip() == good:
        value = good[:1] + char + good[1:]
    problems = problems_of(with_publications(publication(**{field: [value] if field == "registry" else value})))
    assert any(f"{field}: " in p and "is not the shape of one" in p for p in problems), (value, problems)
    assert not any(char in p for p in problems if not char.isprintable())


@pytest.mark.parametrize("field", ["title", "authors", "journal", "volume_pages"])
@pytest.mark.parametrize("char", INVISIBLE)
def test_a_cited_field_with_an_invisible_character_is_refused(field: str, char: str) -> None:
    problems = problems_of(with_publications(publication(**{field: f"Ann{char} Neurol"})))
    assert any(f"{field}: holds an invisible or control character" in p for p in problems), problems


@pytest.mark.parametrize("field", ["title", "authors", "journal", "volume_pages"])
@pytest.mark.parametrize("char", ["\n", "\r", "\t", "\u2028", "\x85"])
def test_a_cited_field_with_a_line_break_is_refused_with_its_line(field: str, char: str) -> None:
    problems = problems_of(with_publications(publication(**{field: f"PLoS One{char}ER  - {char}TY  - JOUR"})))
    refused = [p for p in problems if f"{field}: holds a line break or tab" in p]
    assert len(refused) == 1 and re.search(r":\d+: ", refused[0]), problems
    assert char not in refused[0]  # shown escaped, on one line


def test_a_citation_writer_never_escapes_an_invisible_character() -> None:
    from dataclasses import replace

    from ldn_evidence.citations import CiteFormat, cite

    (paper,) = parse_catalogue(with_publications(publication()).encode(), "f.yaml").publications
    for fmt in (CiteFormat.ris, CiteFormat.bibtex):
        with pytest.raises(ValueError, match="invisible"):
            cite([replace(paper, title="A\u200btitle")], fmt)
