"""Citations read back by the tools that read them: verbatim DOIs and URLs, whole author names, whole page ranges.

biblatex (and biber) read ``doi`` and ``url`` verbatim: what stands between the field's
braces is the identifier, with no escapes undone. `verbatim_fields` reads a BibTeX entry
by that rule; bibtexparser and rispy, the writers' own libraries, read the rest.
"""

from __future__ import annotations

import json
import re
import string
from dataclasses import replace

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import SeparateCoAuthors
from hypothesis import given, settings
from hypothesis import strategies as st

from ldn_evidence.citations import authors, bibtex, csl_json, last_page, ris, volume_parts
from ldn_evidence.loader import IDENTIFIERS
from ldn_evidence.model import Publication

from conftest import problems_of

PAPER = Publication(
    id="paper-2010",
    study=("s",),
    title="A trial",
    authors="Cree BAC, Goodin DS",
    journal="Ann Neurol",
    year=2010,
    volume_pages="68(2):964-9",
    doi="10.1002/ana_22006",
    pmid="20695007",
)


def verbatim_fields(text: str) -> dict[str, str]:
    """The fields of one BibTeX entry as biblatex reads a verbatim field: the text between balanced braces."""
    fields: dict[str, str] = {}
    for match in re.finditer(r"^\s*(\w+)\s*=\s*\{", text, re.MULTILINE):
        depth, at = 1, match.end()
        while depth:
            depth += {"{": 1, "}": -1}.get(text[at], 0)
            at += 1
        fields[match.group(1)] = text[match.end() : at - 1]
    return fields


def _pairs(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return True


def test_a_doi_and_a_url_with_an_underscore_are_written_verbatim() -> None:
    written = bibtex([PAPER])
    fields = verbatim_fields(written)
    assert fields["doi"] == "10.1002/ana_22006"
    assert fields["url"] == "https://pubmed.ncbi.nlm.nih.gov/20695007/"
    no_pubmed = replace(PAPER, pmid=None)
    assert verbatim_fields(bibtex([no_pubmed]))["url"] == "https://doi.org/10.1002/ana_22006"
    # Text fields are still escaped for LaTeX.
    assert verbatim_fields(bibtex([replace(PAPER, title="under_score")]))["title"] == r"under\_score"


DOI = st.from_regex(IDENTIFIERS["doi"][0], fullmatch=True)


@settings(max_examples=200, deadline=None)
@given(doi=DOI)
def test_any_doi_the_loader_accepts_reads_back_from_bibtex_as_written(doi: str) -> None:
    paper = replace(PAPER, doi=doi, pmid=None)
    written = bibtex([paper])
    library = bibtexparser.parse_string(written)
    assert library.failed_blocks == []
    (entry,) = library.entries
    assert [field.key for field in entry.fields] == [key for key in verbatim_fields(written)]
    assert verbatim_fields(written)["doi"] == doi
    assert entry.fields_dict["doi"].value == doi
    assert verbatim_fields(written)["url"] == f"https://doi.org/{doi}"
    assert entry.fields_dict["note" if "note" in entry.fields_dict else "url"].value  # nothing after it swallowed


@pytest.mark.parametrize(
    ("names", "people"),
    [
        ("Smith and Jones Group, Cree BAC", [("Smith and Jones", "Group"), ("Cree", "BAC")]),
        ("Research AND Development, Cree BAC", [("Research AND Development",), ("Cree", "BAC")]),
        ("And, Cree BAC", [("And",), ("Cree", "BAC")]),
        ("Cree and, Goodin DS", [("Cree", "and"), ("Goodin", "DS")]),
    ],
)
def test_an_author_holding_and_stays_one_author(names: str, people: list[tuple[str, ...]]) -> None:
    paper = replace(PAPER, authors=names)
    library = bibtexparser.parse_string(bibtex([paper]), append_middleware=[SeparateCoAuthors()])
    assert library.failed_blocks == []
    read = library.entries[0].fields_dict["author"].value
    assert len(read) == len(authors(paper)) == 2, read
    assert len(json.loads(csl_json([paper]))[0]["author"]) == 2
    (record,) = rispy.loads(ris([paper]))
    assert len(record["authors"]) == 2


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from(["and", "AND", "And", "van", "der", "Cree", "Å", "{x}", "O'Brien", "_"]), min_size=1,
                 max_size=4).map(" ".join),
        min_size=1, max_size=5,
    )
)  # fmt: skip
def test_bibtex_names_as_many_people_as_the_author_list(names: list[str]) -> None:
    paper = replace(PAPER, authors=", ".join(names))
    library = bibtexparser.parse_string(bibtex([paper]), append_middleware=[SeparateCoAuthors()])
    assert library.failed_blocks == []
    assert len(library.entries[0].fields_dict["author"].value) == len(authors(paper)) == len(names)


@pytest.mark.parametrize("listed", ["Cree BAC, , Goodin DS", "Cree BAC,", ", Cree BAC", " , "])
def test_an_empty_author_is_refused_by_validation(listed: str) -> None:
    text = f"""\
studies:
  - id: s
    title: S
    condition: ms
    design: rct
    outcome: O.
    effect: benefit
    sources:
      - {{seed: a.txt, quote: A randomized trial}}
publications:
  - id: p-2010
    study: [s]
    title: T
    authors: "{listed}"
"""
    problems = problems_of(text)
    assert any("f.yaml:14: p-2010: authors: name" in p and "is empty" in p for p in problems), problems


def test_no_empty_author_line_is_ever_written() -> None:
    paper = replace(PAPER, authors="Cree BAC, , Goodin DS,")
    written = ris([paper])
    assert re.search(r"^AU  - \s*$", written, re.MULTILINE) is None
    assert rispy.loads(written)[0]["authors"] == ["Cree, BAC", "Goodin, DS"]
    assert " and  and " not in bibtex([paper])


@pytest.mark.parametrize(
    ("first", "last", "whole"),
    [("964", "9", "969"), ("1198", "203", "1203"), ("145", "50", "150"), ("98", "102", "102"), ("45", "67", "67"),
     ("1999", "03", "2003"), ("964", "964", "964"), ("e12", "5", "5"), ("S4", "9", "9"), ("١٢٣", "٥", "٥")],
)  # fmt: skip
def test_a_shortened_page_range_ends_on_the_whole_page(first: str, last: str, whole: str) -> None:
    assert last_page(first, last) == whole


def test_a_shortened_range_is_written_whole_in_every_format() -> None:
    assert volume_parts("68(2):964-9") == {"volume": "68", "issue": "2", "first": "964", "last": "969"}
    (record,) = rispy.loads(ris([PAPER]))
    assert (record["start_page"], record["end_page"]) == ("964", "969")
    assert verbatim_fields(bibtex([PAPER]))["pages"] == "964--969"
    assert json.loads(csl_json([PAPER]))[0]["page"] == "964-969"


@given(st.integers(min_value=1, max_value=10**9), st.text(string.digits, min_size=1, max_size=9))
def test_a_widened_last_page_is_the_first_page_on_that_ends_in_the_digits_written(start: int, tail: str) -> None:
    first = str(start)
    whole = last_page(first, tail)
    if len(tail) >= len(first):
        assert whole == tail
    else:
        assert whole.endswith(tail)
        assert start <= int(whole) < start + 10 ** len(tail)


def test_a_page_number_thousands_of_digits_long_is_kept_as_written() -> None:
    first = "1" * 5000
    assert last_page(first, "2") == "2"
    paper = replace(PAPER, volume_pages=f"68(2):{first}-2")
    assert rispy.loads(ris([paper]))[0]["end_page"] == "2"


def test_a_range_printed_with_an_en_dash_is_a_range() -> None:
    assert volume_parts("68(2):964\u20139") == {"volume": "68", "issue": "2", "first": "964", "last": "969"}


# --- braces and percent signs, read back by pybtex and bibtexparser ------------------------------------------------


@pytest.mark.parametrize(
    "changed",
    [
        {"authors": "Raknes G, O'Neil }K"},
        {"authors": "Raknes G, O'Neil {K"},
        {"title": "Low dose } @misc{evil, title={x} naltrexone"},
        {"title": "Low dose { naltrexone"},
        {"journal": "J } Odd {"},
    ],
)
def test_an_unbalanced_brace_leaves_every_field_whole_in_pybtex_and_bibtexparser(changed: dict[str, str]) -> None:
    from pybtex.database import parse_string
    from test_citations import latex_decoder

    paper = replace(PAPER, **changed)
    written = bibtex([paper])
    assert written.count("{") == written.count("}")
    (entry,) = parse_string(written, "bibtex").entries.values()  # pybtex: one entry, every field
    assert set(entry.fields) | ({"author"} if entry.persons else set()) == set(verbatim_fields(written))
    assert len(entry.persons["author"]) == 2
    library = bibtexparser.parse_string(written, append_middleware=[latex_decoder(), SeparateCoAuthors()])
    assert library.failed_blocks == []
    (read,) = library.entries
    assert [field.key for field in read.fields] == list(verbatim_fields(written))
    assert len(read.fields_dict["author"].value) == 2
    for name in ("title", "journal"):
        assert read.fields_dict[name].value == getattr(paper, name)
    if "authors" in changed:
        assert read.fields_dict["author"].value[1] == changed["authors"].split(", ")[1].replace(" ", ", ", 1)


@pytest.mark.parametrize(
    "doi", ["10.1371/a_b%41c", "10.1371/a#b~c", "10.1002/(SICI)1097-4636(199909)47:4<493::AID>3.0"]
)
def test_a_doi_is_written_as_given(doi: str) -> None:
    from pybtex.database import parse_string

    text = bibtex([replace(PAPER, doi=doi, pmid=None)])
    assert verbatim_fields(text)["doi"] == doi
    assert bibtexparser.parse_string(text).entries[0].fields_dict["doi"].value == doi
    (entry,) = parse_string(text, "bibtex").entries.values()
    assert entry.fields["doi"] == doi
