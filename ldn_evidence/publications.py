"""The papers behind the studies as things to open and cite: links, citations, what was read.

A publication's facts stand on verbatim excerpts of public pages, kept in
``publications/ID.txt`` beside ``seeds/`` (read by `files`) and checked by
`ldn verify`. What the papers say about each study is read in `published`; this
module only names the papers: the links a person can open and a one-line
citation. Plain data out; nothing here prints.
"""

from __future__ import annotations

from .model import Catalogue, Publication


def excerpt_count(catalogue: Catalogue) -> int:
    """How many excerpts the published layer rests on: facts' and curated discrepancies'."""
    return sum(len(p.facts) + len(p.discrepancies) for p in catalogue.publications)


# --- links and citations -------------------------------------------------------------------------------


def links(publication: Publication) -> list[tuple[str, str]]:
    """(label, address) of each page a person can open for the publication's identifiers."""
    out = []
    if publication.pmid:
        out.append((f"PMID {publication.pmid}", f"https://pubmed.ncbi.nlm.nih.gov/{publication.pmid}/"))
    if publication.pmcid:
        out.append((publication.pmcid, f"https://pmc.ncbi.nlm.nih.gov/articles/{publication.pmcid}/"))
    if publication.doi:
        out.append((f"DOI {publication.doi}", f"https://doi.org/{publication.doi}"))
    for registry in publication.registry:
        if registry.startswith("NCT"):
            out.append((registry, f"https://clinicaltrials.gov/study/{registry}"))
        else:
            number = registry.split()[-1]
            out.append((registry, f"https://www.clinicaltrialsregister.eu/ctr-search/search?query={number}"))
    return out


def citation(publication: Publication) -> str:
    """A one-line citation: authors (year). Title. Journal volume(issue):pages. What was not seen stays out."""
    parts = [f"{publication.authors or 'Authors not seen'} ({publication.year or 'year not seen'})."]
    title = publication.title.rstrip(".")
    parts.append(f"{title}.")
    if publication.journal:
        parts.append(publication.journal + (f" {publication.volume_pages}" if publication.volume_pages else "") + ".")
    return " ".join(parts)


def is_address(page: str) -> bool:
    """True if a page is named by an http(s) address a person can open."""
    return page.startswith(("https://", "http://"))


# --- plain data -------------------------------------------------------------------------------------


# --- `ldn list --n published` -------------------------------------------------------------------------
