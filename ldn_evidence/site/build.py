"""Write the site: one folder of static pages drawn from `data.gather` through Jinja2 templates.

Templates autoescape everything, and every value is also passed through
`visible` on its way out (`finalize`), so control and bidi characters in
catalogue text show as escapes instead of reordering the page. A link is made
clickable only when its address is http or https.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ldn_evidence.text import visible

from . import pictures

#: The Content-Security-Policy every page carries: nothing from any other host, no inline script.
CSP = (
    "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'"
)

#: Static files copied beside the pages.
ASSETS = ("site.css", "filter.js", "favicon.svg")


class SiteError(Exception):
    """The site cannot be written where asked (a folder that is not empty, a file in the way)."""


@dataclass(frozen=True)
class Written:
    """What a build wrote."""

    folder: Path
    """The site's folder."""
    pages: tuple[str, ...]
    """Every page written, relative to the folder."""
    files: tuple[str, ...]
    """Every other file written (stylesheet, script, citations)."""


_ADDRESS_CHARS = re.compile(r"^[\x21-\x7e]+$")


def link(value: Any) -> str | None:
    """The address if a browser may be sent there (http or https with a host, no spaces or controls), else None."""
    if not isinstance(value, str) or not _ADDRESS_CHARS.match(value):
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    return value if parts.scheme in ("http", "https") and parts.netloc else None


def short(address: str, room: int = 48) -> str:
    """An address as a person reads it: the host and the start of the path, with … where it is cut."""
    parts = urlsplit(address)
    text = parts.netloc + parts.path + ("?" + parts.query if parts.query else "")
    if text.startswith("www."):
        text = text[4:]
    return text if len(text) <= room else text[: room - 1] + "…"


def _finalize(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and not hasattr(value, "__html__"):
        return visible(value)
    return value


_SAFE_NAME = re.compile(r"[^a-z0-9-]+")


def file_name(key: str, taken: set[str]) -> str:
    """A file name (no suffix) made of lower-case letters, digits and hyphens, unique among `taken`."""
    base = _SAFE_NAME.sub("-", key.lower()).strip("-")[:80] or "page"
    name, number = base, 2
    while name in taken:
        name, number = f"{base}-{number}", number + 1
    taken.add(name)
    return name


def environment() -> Any:
    """The Jinja2 environment: package templates, autoescape everywhere, values made visible."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("ldn_evidence.site", "templates"),
        autoescape=True,
        finalize=_finalize,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["link"] = link
    env.filters["short"] = short
    env.globals["anchor"] = anchor
    env.filters["visible"] = lambda v: visible(v) if isinstance(v, str) else v
    return env


def check_folder(folder: Path, force: bool) -> None:
    """Refuse a path that is a file, or a folder that holds anything, unless `force` (then it is replaced)."""
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise SiteError(f"{visible(str(folder))} is not a folder")
    if folder.is_dir() and any(folder.iterdir()) and not force:
        raise SiteError(f"{visible(str(folder))} is not empty; use --force to replace what is in it")


def _pages(site: Mapping[str, Any]) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """File names of the study, document and further article pages."""
    taken: set[str] = set()
    studies = {s["id"]: "studies/" + file_name(s["id"], taken) + ".html" for s in site["studies"]}
    taken = set()
    documents = {d["seed"]: "articles/" + file_name(Path(d["seed"]).stem, taken) + ".html" for d in site["documents"]}
    extra = {}
    for i, article in enumerate(site["articles"]):
        extra[str(i)] = "articles/" + file_name("checked-" + Path(article["name"]).stem, taken) + ".html"
    return studies, documents, extra


def build(site: Mapping[str, Any], folder: Path, force: bool = False) -> Written:
    """Write the site from `data.gather`'s answer into `folder` (made if missing; refused if not empty).

    The pages are written into a new folder beside it and moved into place at the end,
    so a failure leaves no half-written site.
    """
    check_folder(folder, force)
    env = environment()
    study_pages, document_pages, extra_pages = _pages(site)
    labels = site["labels"]
    studies_by_id = {s["id"]: s for s in site["studies"]}
    publications = {p["id"]: p for s in site["studies"] for p in s["publications"]}
    common = {
        "site": site,
        "labels": labels,
        "csp": CSP,
        "study_page": study_pages,
        "document_page": document_pages,
        "studies_by_id": studies_by_id,
        "extra_pages": extra_pages,
        "document_title": {d["seed"]: _document_words(d) for d in site["documents"]},
    }
    parent = folder.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".ldn-site-", dir=parent))
    pages: list[str] = []
    files: list[str] = []

    def write(page: str, template: str, /, **values: Any) -> None:
        root = "../" * page.count("/")
        html = env.get_template(template).render(**common, root=root, here=page, **values)
        target = staging / page
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
        pages.append(page)

    try:
        by_condition = _by_condition(site)
        write("index.html", "home.html", conditions=by_condition)
        write("findings.html", "findings.html", conditions=by_condition)
        ordered = sorted(
            site["studies"], key=lambda s: (s["evidence_level"] or 9, s["mention"], -(s["n"] or 0), s["id"])
        )
        write("studies.html", "studies.html", ordered=ordered)
        for study in site["studies"]:
            cites = {}
            for publication in study["publications"]:
                stem = "cite/" + publication["id"]
                cites[publication["id"]] = {"ris": stem + ".ris", "bib": stem + ".bib"}
            write(study_pages[study["id"]], "study.html", study=study, cites=cites)
        for publication in publications.values():
            for suffix, key in (("ris", "ris"), ("bib", "bibtex")):
                name = f"cite/{publication['id']}.{suffix}"
                (staging / "cite").mkdir(exist_ok=True)
                (staging / name).write_text(publication[key], encoding="utf-8")
                files.append(name)
        write("articles.html", "articles.html")
        for document in site["documents"]:
            write(document_pages[document["seed"]], "article.html", document=document, report=document["report"])
        for i, article in enumerate(site["articles"]):
            write(extra_pages[str(i)], "article.html", document=None, name=article["name"], report=article["report"])
        write("discrepancies.html", "discrepancies.html")
        write("safety.html", "safety.html")
        flows = [
            pictures.flow(site["search"], labels["designs"], labels["exclusion_reasons"], narrow=narrow)
            for narrow in (False, True)
        ]
        write("search.html", "search.html", search=site["search"], flows=flows)
        grid = pictures.evidence_map(site["evidence_map"], list(labels["conditions"]), list(labels["designs"]))
        write("map.html", "map.html", grid=grid)
        plots = [{**outcome, "plot": pictures.forest(outcome["rows"])} for outcome in site["forest"]]
        write("effects.html", "effects.html", plots=plots)
        for asset in ASSETS:
            source = resources.files("ldn_evidence.site").joinpath("static", asset)
            (staging / asset).write_bytes(source.read_bytes())
            files.append(asset)
        _replace(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return Written(folder, tuple(pages), tuple(files))


def _replace(staging: Path, folder: Path) -> None:
    """Put the staged site where the folder is, keeping the folder itself (its permissions, an open shell in it)."""
    folder.mkdir(exist_ok=True)
    for old in list(folder.iterdir()):
        if old.is_dir() and not old.is_symlink():
            shutil.rmtree(old)
        else:
            old.unlink()
    for new in staging.iterdir():
        os.replace(new, folder / new.name)
    staging.rmdir()


def _document_words(document: Mapping[str, Any]) -> str:
    """How a page names an article: its title in quotes, else who published it, else its file name."""
    if document["title"]:
        return f"“{document['title']}”"
    return f"the article on {document['publisher']}" if document["publisher"] else document["seed"]


def _by_condition(site: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The Summary of Findings grouped by condition, with each condition's evidence body and what it leaves out.

    A condition comes in vocabulary order when it has a rated outcome or a study of people;
    `unrated` are its studies of people that no outcome of the summary rests on (studies
    the search found hold their results only in their papers' facts).
    """
    outcomes: dict[str, list[dict[str, Any]]] = {}
    for outcome in site["summary"]["outcomes"]:
        outcomes.setdefault(outcome["condition"], []).append(outcome)
    studies = site["studies"]
    apart = {i for ids in site["summary"]["not_rated"].values() for i in ids}
    people: dict[str, list[Mapping[str, Any]]] = {}
    for study in studies:
        if study["id"] not in apart and not study["mention"]:
            people.setdefault(study["condition"], []).append(study)
    order = list(site["labels"]["conditions"])
    conditions = sorted(set(outcomes) | set(people), key=lambda c: order.index(c) if c in order else len(order))
    out = []
    for condition in conditions:
        rows = outcomes.get(condition, [])
        body = {i for row in rows for i in row["studies"]}
        rated = [s for s in studies if s["id"] in body]
        retold = sum(1 for s in rated if s["retold"])
        bases = {row["participants_basis"] for row in rows}
        basis = bases.pop() if len(bases) == 1 else site["labels"]["mixed_basis"]
        out.append(
            {
                "key": condition,
                "rows": rows,
                "messages": sorted(rows, key=lambda r: -r["rank"]),
                "studies": len(body),
                "randomized": sum(1 for s in rated if s["design"] in ("rct", "systematic-review")),
                "retold": retold,
                "found": len(body) - retold,
                "basis": basis,
                "unrated": [s["id"] for s in people.get(condition, []) if s["id"] not in body],
            }
        )
    return out


def anchor(*parts: str) -> str:
    """An id for an element made of keys: lower-case letters, digits and hyphens."""
    return _SAFE_NAME.sub("-", "-".join(parts).lower()).strip("-")
