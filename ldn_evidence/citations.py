"""Citations out: the publications as RIS, BibTeX and CSL-JSON, for Zotero, EndNote and pandoc.

Each writer is a pure function from publications to text. Only what was seen is
written: a citation part or identifier that is None stays out. rispy writes RIS and
bibtexparser writes BibTeX (imported only here, so only `ldn cite` loads them); the
tests read the output back with the same libraries.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from enum import Enum
from typing import Any

from .model import Publication
from .publications import links
from .rules import ET_AL
from .text import invisible

_VOLUME = re.compile(r"^\s*(?P<volume>[^(:\s]+)\s*(?:\((?P<issue>[^)]+)\))?\s*(?::\s*(?P<pages>\S+))?\s*$")


class CiteFormat(str, Enum):
    """Formats of `ldn cite`."""

    ris = "ris"
    bibtex = "bibtex"
    csl_json = "csl-json"


def volume_parts(volume_pages: str | None) -> dict[str, str]:
    """'68(2):145-150' -> {volume: 68, issue: 2, first: 145, last: 150}; the parts present, nothing guessed."""
    if not volume_pages:
        return {}
    match = _VOLUME.match(volume_pages)
    if match is None:
        return {}
    parts = {key: value for key, value in match.groupdict().items() if value}
    pages = parts.pop("pages", None)
    if pages:
        first, _, last = pages.replace("\u2013", "-").partition("-")  # an en dash, as journals print ranges
        parts["first"] = first
        if last:
            parts["last"] = last_page(first, last)
    return parts


def last_page(first: str, last: str) -> str:
    """The last page in full where a range shortens it: ('964', '9') -> '969', ('1198', '203') -> '1203'.

    Only a range of plain page numbers whose last is written with fewer digits is
    widened: to the first number from `first` on that ends in those digits. Anything
    else ('e12'-'e15', 'S4'-'S9', '45'-'67') is kept as written.
    """
    plain = first.isascii() and last.isascii() and first.isdigit() and last.isdigit()
    if not plain or len(last) >= len(first) or len(first) > 18:  # no page number is longer than that
        return last
    start, tail, scale = int(first), int(last), 10 ** len(last)
    whole = start - start % scale + tail
    if whole < start:
        whole += scale
    return str(whole)


def more_authors(publication: Publication) -> bool:
    """True when the author list ends with "et al." or "others": the page named only the first authors.

    One rule for every format: that entry is never written as a person. BibTeX says it in its own way
    ("and others", which BibTeX and biber print as "et al."); RIS and CSL-JSON have no such word, so their
    note says it.
    """
    if not publication.authors:
        return False
    return bool(ET_AL.fullmatch(publication.authors.rpartition(",")[2].strip()))


#: What RIS and CSL-JSON note for a list of authors that ends with "et al.".
MORE_NOTE = "Authors: only the first are listed (et al.)"


def authors(publication: Publication) -> list[tuple[str, str]]:
    """(family name, initials) of each author: 'Cree BAC, Goodin DS' -> [('Cree', 'BAC'), ('Goodin', 'DS')].

    A last "et al." or "others" is no author (`more_authors` says it is there).
    """
    if not publication.authors:
        return []
    out = []
    names = publication.authors.split(",")
    if more_authors(publication):
        names = names[:-1]
    for name in names:
        if not name.strip():  # the loader refuses an empty entry; no writer is handed one either
            continue
        family, _, initials = " ".join(name.split()).rpartition(" ")
        out.append((family, initials) if family else (initials, ""))
    return out


def _notes(p: Publication) -> list[str]:
    """The notes of a RIS record or CSL-JSON item: the trial registry, and an author list cut short."""
    notes = []
    if p.registry:
        notes.append("Trial registry: " + "; ".join(p.registry))
    if more_authors(p):
        notes.append(MORE_NOTE)
    return notes


def _one_line(text: str) -> str:
    """A value on one line (RIS and BibTeX fields may not hold line breaks).

    A control or invisible character is refused (the loader refuses it in every cited
    field), never written as an escape that would change the citation's text.
    """
    line = " ".join(text.split())
    found = invisible(line)
    if found is not None:
        raise ValueError(f"a citation cannot hold the control or invisible character {found}")
    return line


# --- RIS -------------------------------------------------------------------------------------------


def ris_record(p: Publication) -> dict[str, Any]:
    """One publication as a rispy record (rispy's field names, in the order the tags are written)."""
    record: dict[str, Any] = {"type_of_reference": "JOUR" if p.journal else "GEN", "id": p.id}
    names = authors(p)
    if names:
        record["authors"] = [f"{family}, {initials}" if initials else family for family, initials in names]
    record["title"] = p.title
    if p.journal:
        record["secondary_title"] = p.journal
    if p.year is not None:
        record["year"] = str(p.year)
    parts = volume_parts(p.volume_pages)
    for name, key in (("volume", "volume"), ("number", "issue"), ("start_page", "first"), ("end_page", "last")):
        if key in parts:
            record[name] = parts[key]
    for name, value in (("doi", p.doi), ("accession_number", p.pmid), ("custom2", p.pmcid)):
        if value:
            record[name] = value
    urls = [url for _, url in links(p)]
    if urls:
        record["urls"] = urls
    notes = _notes(p)
    if notes:
        record["notes"] = notes
    # A line break in a value would end the tag and let the rest read as tags of its own.
    return {
        key: [_one_line(v) for v in value] if isinstance(value, list) else _one_line(value)
        for key, value in record.items()
    }


def ris(publications: Sequence[Publication]) -> str:
    """The publications as RIS records (TY ... ER), written by rispy, a blank line between records."""
    import rispy  # type: ignore[import-untyped]

    class Writer(rispy.RisWriter):  # type: ignore[misc]
        """rispy's RIS writer without the '1.' counter line it puts before each record: RIS has no such line."""

        def set_header(self, count: int) -> str:
            return ""

    text: str = rispy.dumps([ris_record(p) for p in publications], implementation=Writer)
    return text


# --- BibTeX ----------------------------------------------------------------------------------------


#: Fields biblatex reads verbatim (no macros, no escapes): written as they are, braces aside.
VERBATIM = ("doi", "url")
#: A straight double quote, the first of a doubled - ` ' , < > and a ? or ! before ` (which TeX would join into a
#: dash, a curly quote, a guillemet or an inverted mark).
_LIGATURE = re.compile(r'"|([-`\',<>])(?=\1)|[?!](?=`)')
#: "and" between spaces, in any case: where BibTeX splits a list of names.
_AND = re.compile(r"\sand\s", re.IGNORECASE)


def bibtex_fields(p: Publication) -> list[tuple[str, str]]:
    """One publication's BibTeX fields, as plain text (`bibtex` escapes them, but for the VERBATIM ones)."""
    fields: list[tuple[str, str]] = []
    names = authors(p)
    if names:
        fields.append(("author", " and ".join(f"{f}, {i}" if i else f for f, i in names)))
    fields.append(("title", p.title))
    if p.journal:
        fields.append(("journal", p.journal))
    if p.year is not None:
        fields.append(("year", str(p.year)))
    parts = volume_parts(p.volume_pages)
    if "volume" in parts:
        fields.append(("volume", parts["volume"]))
    if "issue" in parts:
        fields.append(("number", parts["issue"]))
    if "first" in parts:
        fields.append(("pages", parts["first"] + (f"--{parts['last']}" if "last" in parts else "")))
    for name in ("doi", "pmid", "pmcid"):
        value = getattr(p, name)
        if value:
            fields.append((name, value))
    urls = links(p)
    if urls:
        fields.append(("url", urls[0][1]))
    if p.registry:
        fields.append(("note", "Trial registry: " + "; ".join(p.registry)))
    return [(name, _one_line(value)) for name, value in fields]


def verbatim(value: str) -> str:
    """A DOI or URL as a verbatim BibTeX field holds it: as it is.

    biblatex (and biber) read ``doi`` and ``url`` verbatim, special characters included:
    "10.1000/a_b" is written "10.1000/a_b", not "10.1000/a\\_b", and "10.1371/a%41c" as it
    is (inside a field's braces a percent sign starts no comment; biblatex's own manual
    writes URLs with "%20" in ``url``). Every BibTeX reader counts braces to find the end of
    a field, and some take a backslash before a brace as an escape, so no verbatim field can
    hold a backslash or a brace as it is: the loader refuses them in a DOI (the only part of a
    URL that comes from a file), and a value holding one is refused here rather than rewritten,
    so that BibTeX, RIS and CSL-JSON never carry two different identifiers.
    """
    if any(char in value for char in "\\{}"):
        raise ValueError(f"a BibTeX DOI or URL cannot hold a backslash or a brace: {value!r}")
    return value


def name_part(plain: str, encoded: str) -> str:
    """A part of an author's name as BibTeX reads it whole: braced if it holds "and" or a LaTeX command.

    BibTeX splits a name list at "and" between spaces, outside braces, and reads a
    command such as ``\\r{a}`` or ``\\_`` rightly only as a braced "special character".
    """
    return "{" + encoded + "}" if _AND.search(f" {plain} ") or "\\" in encoded else encoded


def bibtex(publications: Sequence[Publication]) -> str:
    """The publications as BibTeX entries (@article where the journal was seen, else @misc).

    bibtexparser writes them. Its LaTeX encoder escapes every special character of
    the text fields ({ } & % $ # _ ^ ~ \\, math included) and letters beyond ASCII,
    and a brace of the text is written ``{\\textbraceleft}`` or ``{\\textbraceright}``, so the
    braces every reader counts stay balanced and nothing runs as a macro. DOIs and URLs are written
    verbatim (`verbatim`), as biblatex reads them. An author's name holding "and"
    between spaces is braced, so that BibTeX does not split it into two people.
    """
    from bibtexparser.entrypoint import write_string
    from bibtexparser.library import Library
    from bibtexparser.middlewares import LatexEncodingMiddleware
    from bibtexparser.model import Entry, Field
    from bibtexparser.writer import BibtexFormat

    encoder = LatexEncodingMiddleware(keep_math=False, enclose_urls=False)

    def encoded_run(text: str) -> str:
        value, error = encoder._transform_python_value_string(text)
        if error:  # pragma: no cover - the encoder reports no error for text it can write
            raise ValueError(f"cannot write {text!r} as BibTeX: {error}")
        # BibTeX, pybtex and bibtexparser count braces whether a backslash stands before them or not, so the
        # encoder's "\}" leaves a field unbalanced: each brace of the text is written as a braced command.
        return str(value).replace("\\{", "{\\textbraceleft}").replace("\\}", "{\\textbraceright}")

    def encoded(text: str) -> str:
        # TeX joins "--", "---", "``", "''", ",,", "<<", "?`" and more into dashes, curly quotes, guillemets and
        # inverted marks, and the encoder writes '"' as "''": a straight quote is written {"} and the pairs are
        # kept apart by {}, so readers get the text back.
        out, at = [], 0
        for match in _LIGATURE.finditer(text):
            out.append(encoded_run(text[at : match.start()]))
            out.append('{"}' if match.group() == '"' else encoded_run(match.group()) + "{}")
            at = match.end()
        out.append(encoded_run(text[at:]))
        return "".join(out)

    def field(p: Publication, name: str, value: str) -> Field:
        if name in VERBATIM:
            return Field(name, verbatim(value))
        if name == "author":
            people = []
            for family, initials in authors(p):
                last, first = name_part(family, encoded(family)), name_part(initials, encoded(initials))
                people.append(f"{last}, {first}" if initials else last)
            if more_authors(p):
                people.append("others")  # BibTeX's word for "et al.", read as such by BibTeX, biber and pybtex
            return Field(name, " and ".join(people))
        if name == "pages":  # "--" between the pages is BibTeX's range: the pages themselves are text
            return Field(name, "--".join(encoded(page) for page in value.split("--", 1)))
        return Field(name, encoded(value))

    library = Library(
        [
            Entry("article" if p.journal else "misc", p.id, [field(p, name, value) for name, value in bibtex_fields(p)])
            for p in publications
        ]
    )
    layout = BibtexFormat()  # type: ignore[no-untyped-call]
    layout.indent = "  "
    layout.block_separator = "\n"  # each entry ends with a line break: one blank line between entries
    return write_string(library, bibtex_format=layout)


# --- CSL-JSON --------------------------------------------------------------------------------------


def csl_item(p: Publication) -> dict[str, Any]:
    """One publication as a CSL-JSON item (the format pandoc and Zotero read).

    Its text is written as RIS and BibTeX write it (`_one_line`: a run of spaces as one), so the three agree.
    """
    item: dict[str, Any] = {"id": p.id, "type": "article-journal" if p.journal else "document", "title": p.title}
    names = authors(p)
    if names:
        item["author"] = [{"family": f, **({"given": i} if i else {})} for f, i in names]
    if p.year is not None:
        item["issued"] = {"date-parts": [[p.year]]}
    if p.journal:
        item["container-title"] = p.journal
    parts = volume_parts(p.volume_pages)
    if "volume" in parts:
        item["volume"] = parts["volume"]
    if "issue" in parts:
        item["issue"] = parts["issue"]
    if "first" in parts:
        item["page"] = parts["first"] + (f"-{parts['last']}" if "last" in parts else "")
    for name, key in (("doi", "DOI"), ("pmid", "PMID"), ("pmcid", "PMCID")):
        value = getattr(p, name)
        if value:
            item[key] = value
    urls = links(p)
    if urls:
        item["URL"] = urls[0][1]
    item = _one_lines(item)
    notes = _notes(p)
    if notes:
        item["note"] = "\n".join(_one_line(note) for note in notes)
    return item


def _one_lines(value: Any) -> Any:
    """Each string of a CSL-JSON value on one line, as `_one_line` writes it."""
    if isinstance(value, str):
        return _one_line(value)
    if isinstance(value, dict):
        return {key: _one_lines(v) for key, v in value.items()}
    if isinstance(value, list):
        return [_one_lines(v) for v in value]
    return value


def csl_json(publications: Sequence[Publication]) -> str:
    """The publications as a CSL-JSON list.

    CSL-JSON is plain JSON in CSL's field names, so the standard library writes it; no citation library is needed.
    """
    return json.dumps([csl_item(p) for p in publications], indent=2, ensure_ascii=False) + "\n"


WRITERS = {CiteFormat.ris: ris, CiteFormat.bibtex: bibtex, CiteFormat.csl_json: csl_json}


def cite(publications: Sequence[Publication], fmt: CiteFormat) -> str:
    """The publications in the chosen format."""
    return WRITERS[fmt](publications)
