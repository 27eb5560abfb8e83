"""Citations out: the publications as RIS, BibTeX and CSL-JSON, for Zotero, EndNote and pandoc.

Each writer is a pure function from publications to text. Only what was seen is
written: a citation part or identifier that is None stays out. The tests read the
output back with rispy and bibtexparser.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from enum import Enum
from typing import Any

from .formats import invisible
from .model import Publication
from .publications import links

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
        first, _, last = pages.partition("-")
        parts["first"] = first
        if last:
            parts["last"] = last
    return parts


def authors(publication: Publication) -> list[tuple[str, str]]:
    """(family name, initials) of each author: 'Cree BAC, Goodin DS' -> [('Cree', 'BAC'), ('Goodin', 'DS')]."""
    if not publication.authors:
        return []
    out = []
    for name in publication.authors.split(","):
        family, _, initials = name.strip().rpartition(" ")
        out.append((family, initials) if family else (initials, ""))
    return out


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


def ris(publications: Sequence[Publication]) -> str:
    """The publications as RIS records (TY ... ER), one after the other."""
    records = []
    for p in publications:
        lines = [("TY", "JOUR" if p.journal else "GEN"), ("ID", p.id)]
        lines += [("AU", f"{family}, {initials}" if initials else family) for family, initials in authors(p)]
        lines.append(("TI", p.title))
        if p.journal:
            lines.append(("T2", p.journal))
        if p.year is not None:
            lines.append(("PY", str(p.year)))
        parts = volume_parts(p.volume_pages)
        for tag, key in (("VL", "volume"), ("IS", "issue"), ("SP", "first"), ("EP", "last")):
            if key in parts:
                lines.append((tag, parts[key]))
        if p.doi:
            lines.append(("DO", p.doi))
        if p.pmid:
            lines.append(("AN", p.pmid))
        if p.pmcid:
            lines.append(("C2", p.pmcid))
        lines += [("UR", url) for _, url in links(p)]
        if p.registry:
            lines.append(("N1", "Trial registry: " + "; ".join(p.registry)))
        records.append("".join(f"{tag}  - {_one_line(value)}\n" for tag, value in lines) + "ER  - \n")
    return "\n".join(records)


# --- BibTeX ----------------------------------------------------------------------------------------

_BIBTEX_SPECIAL = re.compile(r"([\\{}&%$#_^~])")
_BIBTEX_ESCAPES = {"\\": r"\textbackslash{}", "^": r"\textasciicircum{}", "~": r"\textasciitilde{}"}


def bibtex_text(text: str) -> str:
    """Text for a BibTeX field: special characters escaped, so braces stay balanced and nothing runs as a macro."""
    return _BIBTEX_SPECIAL.sub(lambda m: _BIBTEX_ESCAPES.get(m.group(1), "\\" + m.group(1)), _one_line(text))


def bibtex(publications: Sequence[Publication]) -> str:
    """The publications as BibTeX entries: @article where the journal was seen, else @misc."""
    entries = []
    for p in publications:
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
        kind = "article" if p.journal else "misc"
        body = ",\n".join(f"  {name} = {{{bibtex_text(value)}}}" for name, value in fields)
        entries.append(f"@{kind}{{{p.id},\n{body}\n}}\n")
    return "\n".join(entries)


# --- CSL-JSON --------------------------------------------------------------------------------------


def csl_item(p: Publication) -> dict[str, Any]:
    """One publication as a CSL-JSON item (the format pandoc and Zotero read)."""
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
    if p.registry:
        item["note"] = "Trial registry: " + "; ".join(p.registry)
    return item


def csl_json(publications: Sequence[Publication]) -> str:
    """The publications as a CSL-JSON list."""
    return json.dumps([csl_item(p) for p in publications], indent=2, ensure_ascii=False) + "\n"


WRITERS = {CiteFormat.ris: ris, CiteFormat.bibtex: bibtex, CiteFormat.csl_json: csl_json}


def cite(publications: Sequence[Publication], fmt: CiteFormat) -> str:
    """The publications in the chosen format."""
    return WRITERS[fmt](publications)
