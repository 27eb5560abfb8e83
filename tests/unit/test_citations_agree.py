"""BibTeX, RIS and CSL-JSON say the same thing: one DOI, one author list, one title, read back by the parsers.

pybtex and bibtexparser read the BibTeX, rispy the RIS, json the CSL-JSON; each field
read back is compared with what the other formats carry.
"""

from __future__ import annotations

import json
from dataclasses import replace

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import SeparateCoAuthors
from hypothesis import given, settings
from hypothesis import strategies as st
from pybtex.database import parse_string
from pybtex.richtext import Text
from test_citations import latex_decoder
from test_citations_trust import verbatim_fields

from ldn_evidence.citations import bibtex, csl_json, ris
from ldn_evidence.model import Publication

from conftest import problems_of

PAPER = Publication(
    id="paper-2010",
    study=("s",),
    title="A trial",
    authors="Smith J, Jones K",
    journal="J Neuro",
    year=2010,
    volume_pages="68(2):145-150",
    doi="10.1000/xyz",
)

CATALOGUE = """\
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
    authors: "{authors}"
    doi: "{doi}"
"""


def read_all(paper: Publication) -> dict[str, dict[str, object]]:
    """Title, DOI and author families of `paper` as pybtex, bibtexparser, rispy and json read each format back."""
    written = bibtex([paper])
    (entry,) = parse_string(written, "bibtex").entries.values()
    library = bibtexparser.parse_string(written, append_middleware=[latex_decoder(), SeparateCoAuthors()])
    assert library.failed_blocks == []
    (parsed,) = library.entries
    (raw,) = bibtexparser.parse_string(written).entries  # a DOI read as biblatex reads it: verbatim, not decoded
    (record,) = rispy.loads(ris([paper]))
    (item,) = json.loads(csl_json([paper]))
    return {
        "pybtex": {
            "title": Text.from_latex(entry.fields["title"]).render_as("text"),
            "doi": entry.fields.get("doi"),
            "authors": [" ".join(person.last_names) for person in entry.persons.get("author", [])],
        },
        "bibtexparser": {
            "title": parsed.fields_dict["title"].value,
            "doi": raw.fields_dict["doi"].value if "doi" in raw.fields_dict else None,
            "authors": [name.split(",")[0] for name in parsed.fields_dict["author"].value],
        },
        "ris": {
            "title": record["title"],
            "doi": record.get("doi"),
            "authors": [name.split(",")[0] for name in record.get("authors", [])],
        },
        "csl": {
            "title": item["title"],
            "doi": item.get("DOI"),
            "authors": [name["family"] for name in item.get("author", [])],
        },
    }


# --- a DOI: one identifier in every format --------------------------------------------------------------------------


@pytest.mark.parametrize("doi", ["10.1000/abc\\\\def", "10.1000/abc{def}", "10.1000/abc}def", "10.1000/a{b"])
def test_a_doi_with_a_backslash_or_a_brace_is_refused_with_its_line(doi: str) -> None:
    problems = problems_of(CATALOGUE.format(authors="Smith J", doi=doi))
    assert any(p.startswith("f.yaml:15: p-2010: doi:") and "backslash or brace" in p for p in problems), problems


def test_a_writer_handed_a_backslash_in_a_doi_refuses_it_rather_than_rewriting_it() -> None:
    with pytest.raises(ValueError, match="backslash or a brace"):
        bibtex([replace(PAPER, doi="10.1000/abc\\def")])


@pytest.mark.parametrize("doi", ["10.1000/abc%5Cdef", "10.1000/abc_def", "10.1000/a~b_c", "10.1000/abc#def"])
def test_a_doi_reads_back_the_same_from_every_format(doi: str) -> None:
    read = read_all(replace(PAPER, doi=doi))
    assert {reader: fields["doi"] for reader, fields in read.items()} == dict.fromkeys(read, doi)
    assert verbatim_fields(bibtex([replace(PAPER, doi=doi)]))["doi"] == doi  # as biblatex reads a verbatim field


# --- "others" and "et al.": one rule ---------------------------------------------------------------------------------


@pytest.mark.parametrize("more", ["others", "et al.", "et al", "Et Al.", "OTHERS"])
def test_et_al_is_no_person_in_any_format_and_each_says_the_list_goes_on(more: str) -> None:
    paper = replace(PAPER, authors=f"Smith J, Jones K, {more}", registry=("NCT00501696",))
    read = read_all(paper)
    # pybtex reads BibTeX's "and others" as its own marker, not a person named "others".
    (entry,) = parse_string(bibtex([paper]), "bibtex").entries.values()
    people = entry.persons["author"]
    assert [str(person) for person in people[:2]] == ["Smith, J", "Jones, K"]
    assert len(people) == 3 and str(people[2]) == "others"
    assert read["bibtexparser"]["authors"] == ["Smith", "Jones", "others"]  # "and others": BibTeX's et al.
    assert read["ris"]["authors"] == read["csl"]["authors"] == ["Smith", "Jones"]
    (record,) = rispy.loads(ris([paper]))
    assert any("et al." in note for note in record["notes"]) and any("NCT00501696" in n for n in record["notes"])
    assert "et al." in json.loads(csl_json([paper]))[0]["note"]
    assert "et al." not in bibtex([paper]) and more not in ris([paper]).replace("et al.)", "")


def test_a_full_author_list_carries_no_et_al_note() -> None:
    (record,) = rispy.loads(ris([PAPER]))
    assert "notes" not in record
    assert "note" not in json.loads(csl_json([PAPER]))[0]
    assert " and others" not in bibtex([PAPER])


@pytest.mark.parametrize(
    ("authors", "name"), [("others", "1 of 1"), ("et al., Smith J", "1 of 2"), ("Smith J, others, Jones K", "2 of 3")]
)
def test_et_al_anywhere_but_after_the_named_authors_is_refused(authors: str, name: str) -> None:
    problems = problems_of(CATALOGUE.format(authors=authors, doi="10.1000/x"))
    assert any(p.startswith("f.yaml:14: p-2010: authors: name " + name) for p in problems), problems


def test_et_al_after_the_named_authors_validates() -> None:
    from ldn_evidence.loader import parse_catalogue

    catalogue = parse_catalogue(CATALOGUE.format(authors="Smith J, et al.", doi="10.1000/x").encode(), "f.yaml")
    assert catalogue.publications[0].authors == "Smith J, et al."


# --- titles: the same text from every reader ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "read"),
    [
        ("A  trial   of\tLDN", "A trial of LDN"),  # a run of spaces is one space in every format
        ('The "quoted" trial', 'The "quoted" trial'),  # a straight quote stays straight
        ("Dashes -- and --- here", "Dashes -- and --- here"),  # no ligature into an en or em dash
        ("``Curly'' and 'single'", "``Curly'' and 'single'"),
    ],
)
def test_a_title_reads_back_the_same_from_every_format(title: str, read: str) -> None:
    found = read_all(replace(PAPER, title=title))
    assert {reader: fields["title"] for reader, fields in found.items()} == dict.fromkeys(found, read)


#: Characters of a title; "^" is left out: BibTeX's "\\^{}" prints "^", but pylatexenc reads it as U+02C6.
TITLE_CHARS = [*"ab -'`\"&%_$#~.,:;!?()[]/+<>=*@|", "é", "–", "\u201c"]


@settings(max_examples=150, deadline=None)
@given(st.text(st.sampled_from(TITLE_CHARS), min_size=1))
def test_any_title_reads_back_the_same_from_pybtex_bibtexparser_rispy_and_json(title: str) -> None:
    if not title.strip():
        return  # the loader refuses an empty title
    found = read_all(replace(PAPER, title=title))
    expected = " ".join(title.split())
    if "\\" in verbatim_fields(bibtex([replace(PAPER, title=title)]))["title"]:
        # A character written as a LaTeX command ("\\$", "\\ensuremath{<}"): pybtex's small LaTeX reader shows
        # the command, so only bibtexparser's decoder (pylatexenc) is asked to read it back.
        del found["pybtex"]
    assert {reader: fields["title"] for reader, fields in found.items()} == dict.fromkeys(found, expected)


def test_the_attack_author_and_doi_cases_agree_across_formats() -> None:
    """The shapes found to disagree: 'Smith J, others' and a doubled space in a title."""
    read = read_all(replace(PAPER, authors="Smith J, others", title="A  trial"))
    assert read["ris"]["authors"] == read["csl"]["authors"] == read["pybtex"]["authors"][:1] == ["Smith"]
    assert {fields["title"] for fields in read.values()} == {"A trial"}
