"""`ldn cite`: RIS, BibTeX and CSL-JSON, read back with rispy and bibtexparser to the same identifiers."""

from __future__ import annotations

import json

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db
from typer.testing import CliRunner

from ldn_evidence.citations import bibtex, csl_json, ris, volume_parts
from ldn_evidence.cli import app
from ldn_evidence.loader import load
from ldn_evidence.model import Publication

from conftest import SHIPPED


def latex_decoder() -> LatexDecodingMiddleware:
    """bibtexparser's LaTeX decoder, taught the LaTeX kernel's text commands for braces (pylatexenc drops them)."""
    context = get_default_latex_context_db()
    context.add_context_category(
        "braces", prepend=True, macros=[MacroTextSpec("textbraceleft", "{"), MacroTextSpec("textbraceright", "}")]
    )
    return LatexDecodingMiddleware(decoder=LatexNodes2Text(latex_context=context))


CATALOGUE = load(SHIPPED)
BY_ID = {p.id: p for p in CATALOGUE.publications}


def cite(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(app, ["--no-cache", "cite", *args], env={"LDN_DATA": ""})
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_ris_reads_back_to_the_same_identifiers(runner: CliRunner) -> None:
    records = rispy.loads(cite(runner, "--format", "ris"))
    assert [r["id"] for r in records] == [p.id for p in CATALOGUE.publications]
    for record in records:
        paper = BY_ID[record["id"]]
        assert record.get("doi") == paper.doi
        assert record.get("accession_number") == paper.pmid
        assert record.get("custom2") == paper.pmcid
        assert record["title"] == paper.title
        assert record.get("year") == (str(paper.year) if paper.year else None)
        listed = [name.strip() for name in paper.authors.split(",")] if paper.authors else []
        people = [name for name in listed if name.lower() not in ("et al.", "et al", "others")]
        assert len(record.get("authors", [])) == len(people)
        if paper.pmid:
            assert f"https://pubmed.ncbi.nlm.nih.gov/{paper.pmid}/" in record["urls"]
        notes = record.get("notes", [])
        notes_text = " ".join(notes) if isinstance(notes, list) else notes
        for registry in paper.registry:
            assert registry in notes_text
        assert ("et al." in notes_text) is (len(people) < len(listed))


def test_bibtex_reads_back_to_the_same_identifiers(runner: CliRunner) -> None:
    library = bibtexparser.parse_string(cite(runner, "--format", "bibtex"))
    assert library.failed_blocks == []
    assert [e.key for e in library.entries] == [p.id for p in CATALOGUE.publications]
    for entry in library.entries:
        paper = BY_ID[entry.key]
        fields = entry.fields_dict
        for name in ("doi", "pmid", "pmcid"):
            assert (fields[name].value if name in fields else None) == getattr(paper, name), (entry.key, name)
        assert entry.entry_type == ("article" if paper.journal else "misc")
        assert ("year" in fields) is (paper.year is not None)


def test_csl_json_carries_the_same_identifiers(runner: CliRunner) -> None:
    items = json.loads(cite(runner, "--format", "csl-json"))
    for item in items:
        paper = BY_ID[item["id"]]
        assert (item.get("DOI"), item.get("PMID"), item.get("PMCID")) == (paper.doi, paper.pmid, paper.pmcid)


def test_cite_by_study_id_prefix_or_publication_id(runner: CliRunner) -> None:
    by_study = rispy.loads(cite(runner, "ucsf"))
    assert [r["id"] for r in by_study] == ["cree-2010"]
    # A study with two publications gives both; a publication id gives that one.
    assert [r["id"] for r in rispy.loads(cite(runner, "lymphocytes-in-vitro"))] == [
        "zagon-2011-t-cells",
        "zagon-2011-b-cells",
    ]
    assert [r["id"] for r in rispy.loads(cite(runner, "zagon-2010", "ucsf-cree-rct"))] == ["zagon-2010", "cree-2010"]


@pytest.mark.parametrize(
    ("ids", "message"),
    [
        (["hiv-aids-trials"], "Error: no publication catalogued for the study 'hiv-aids-trials'"),
        (["nothing-like-it"], "Error: no study or publication 'nothing-like-it'"),
    ],
)
def test_cite_what_has_no_publication(runner: CliRunner, ids: list[str], message: str) -> None:
    result = runner.invoke(app, ["--no-cache", "cite", *ids], env={"LDN_DATA": ""})
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(message)


HOSTILE = Publication(
    id="odd-2001",
    study=("s",),
    title="A {title} with } and @misc{x, 50% & $5 #1 under_score back\\slash\nER  - \nTY  - JOUR",
    authors="O'Brien J, van der Berg AB",
    journal="J Odd",
    year=2001,
    volume_pages="12(3):45-67",
    doi="10.1234/a_b%41",
)


def test_a_hostile_title_stays_one_bibtex_field() -> None:
    library = bibtexparser.parse_string(bibtex([HOSTILE]), append_middleware=[latex_decoder()])
    assert library.failed_blocks == []
    (entry,) = library.entries
    fields = entry.fields_dict
    assert fields["title"].value == " ".join(HOSTILE.title.split())
    # Verbatim, as biblatex reads a DOI: "_" and "%" as they are.
    assert bibtexparser.parse_string(bibtex([HOSTILE])).entries[0].fields_dict["doi"].value == "10.1234/a_b%41"
    assert fields["author"].value == "O'Brien, J and van der Berg, AB"


def test_latex_special_characters_are_escaped_in_the_bibtex_as_written() -> None:
    """Read without decoding, each special character of the title is escaped, and nothing else is changed."""
    (entry,) = bibtexparser.parse_string(bibtex([HOSTILE])).entries
    raw = entry.fields_dict["title"].value
    braces = r"A {\textbraceleft}title{\textbraceright} with {\textbraceright}"
    for escaped in (braces, r"50\% \& \$5 \#1 under\_score", r"back{\textbackslash}slash"):
        assert escaped in raw
    assert raw.count("{") == raw.count("}")  # every brace pairs up, as BibTeX counts them (backslash or not)
    # Letters beyond ASCII are written for LaTeX and read back as they were.
    raknes = BY_ID["raknes-2017"]
    assert raknes.authors is not None and "Småbrekke" in raknes.authors
    written = bibtex([raknes])
    assert written.isascii()
    decoded = bibtexparser.parse_string(written, append_middleware=[LatexDecodingMiddleware()])
    assert decoded.entries[0].fields_dict["author"].value == "Raknes, G and Småbrekke, L"


@pytest.mark.parametrize("write", [ris, bibtex, csl_json])
def test_citations_are_byte_stable(write) -> None:  # type: ignore[no-untyped-def]
    """The same publications give the same bytes, each record the same alone as among others."""
    papers = list(CATALOGUE.publications)
    text = write(papers)
    assert write(papers) == text and write(list(papers)) == text
    assert "\r" not in text and text.endswith("\n") and not text.endswith("\n\n")
    if write is not csl_json:  # records written one by one, joined by a blank line, are the same text
        assert "\n".join(write([p]) for p in papers) == text


def test_only_ldn_cite_loads_the_citation_libraries(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from ldn_evidence.cli import app\n"
        "for args in (['list'], ['show', 'ucsf'], ['discrepancies']):\n"
        "    assert CliRunner().invoke(app, ['--no-cache', *args]).exit_code == 0, args\n"
        "print(sorted({'rispy', 'bibtexparser'} & set(sys.modules)))\n"
        "CliRunner().invoke(app, ['--no-cache', 'cite', '-f', 'bibtex'])\n"
        "CliRunner().invoke(app, ['--no-cache', 'cite', '-f', 'ris'])\n"
        "print(sorted({'rispy', 'bibtexparser'} & set(sys.modules)))\n"
    )
    env = {"PATH": "/usr/bin:/bin", "LDN_DATA": "", "HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True).stdout
    assert out.splitlines() == ["[]", "['bibtexparser', 'rispy']"]


def test_a_hostile_title_stays_one_ris_record() -> None:
    (record,) = rispy.loads(ris([HOSTILE]))
    assert record["title"] == " ".join(HOSTILE.title.split())
    assert (record["volume"], record["number"], record["start_page"], record["end_page"]) == ("12", "3", "45", "67")


def test_csl_json_is_json_whatever_the_title() -> None:
    (item,) = json.loads(csl_json([HOSTILE]))
    assert item["title"] == " ".join(HOSTILE.title.split())  # written on one line, as RIS and BibTeX write it
    assert item["author"][1] == {"family": "van der Berg", "given": "AB"}
    assert item["page"] == "45-67"


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("68(2):145-150", {"volume": "68", "issue": "2", "first": "145", "last": "150"}),
        ("1310:154-161", {"volume": "1310", "first": "154", "last": "161"}),
        ("12(11):e0187423", {"volume": "12", "issue": "11", "first": "e0187423"}),
        ("216(1-2):173-183", {"volume": "216", "issue": "1-2", "first": "173", "last": "183"}),
        (None, {}),
        ("not a volume (at all", {}),
    ],
)
def test_volume_parts(text: str | None, parts: dict[str, str]) -> None:
    assert volume_parts(text) == parts


def test_choosing_publications_in_the_library() -> None:
    from ldn_evidence.catalogue import chosen
    from ldn_evidence.errors import StudyNotFound

    assert chosen(CATALOGUE, []) == list(CATALOGUE.publications)
    assert [p.id for p in chosen(CATALOGUE, ["ucsf", "cree-2010", "eae-mice-ogf"])] == [
        "cree-2010", "ludwig-2017", "zagon-2010",
    ]  # fmt: skip
    with pytest.raises(StudyNotFound, match="matches more than one study or publication"):
        chosen(CATALOGUE, ["ms-"])
    with pytest.raises(StudyNotFound, match="no publication catalogued for the study 'cancer-trials'"):
        chosen(CATALOGUE, ["cancer-trials"])
