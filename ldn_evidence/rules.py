"""The catalogue file's rules, declared once: every record's fields, their kinds, which are required,
their vocabularies and patterns.

The loader's checker reads these declarations for the fields it knows and requires, and
`schema` builds the JSON Schema from the same declarations, so the two cannot drift.
Descriptions come from the docstring under each field of the model's records.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from . import model

if TYPE_CHECKING:
    from dataclasses import dataclass
else:  # the same classes, made at a fraction of the start-up cost (see `frozen`)
    from .frozen import dataclass

# Patterns are matched against the whole value (`fullmatch`), so a trailing newline
# cannot pass `$`; they are written in the subset that ECMAScript reads the same way
# (the schema hands them to editors), with ASCII digits only.
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ISO_DATE = re.compile(r"^[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?$")
#: A page a reader can open.
ADDRESS = re.compile(r"^https?://[^\s]+$")
FIRST_YEAR = 1950
#: The most people one study may count.
MAX_N = 100_000_000
#: The longest one text (a title, an outcome, a quote) may be, in characters.
MAX_TEXT = 50_000
#: An entry of an author list that names no one but says the list goes on: "et al.", "others". Only last.
ET_AL = re.compile(r"et\.? al\.?|others", re.IGNORECASE)
#: The shapes of a publication's identifiers: (pattern, what a right one looks like).
IDENTIFIERS: dict[str, tuple[re.Pattern[str], str]] = {
    "pmid": (re.compile(r"^[1-9][0-9]{0,8}$"), "a PMID is digits only, e.g. '20695007'"),
    "pmcid": (re.compile(r"^PMC[1-9][0-9]{0,9}$"), "a PMCID is 'PMC' and digits, e.g. 'PMC3661907'"),
    "doi": (
        # No backslash or brace: BibTeX cannot hold them verbatim, and a DOI is written the same in every format.
        re.compile(r"^10\.[0-9]{4,9}/[!-\[\]-z|~]+$"),
        "a DOI starts with '10.', a registrant code and '/', then printable ASCII with no space, backslash "
        "or brace, e.g. '10.1002/ana.22006'",
    ),
    "registry": (
        re.compile(
            r"^(?:NCT[0-9]{8}|EudraCT [0-9]{4}-[0-9]{6}-[0-9]{2}|ACTRN[0-9]{14}|ISRCTN[0-9]{8}|NL[0-9]{1,6}"
            r"|NL-OMON[0-9]{1,7}|PROSPERO CRD[0-9]{11}|NCTR [0-9]{8})$"
        ),
        "a registry id is 'NCT' and 8 digits (e.g. 'NCT00501696'), 'EudraCT' and its number "
        "(e.g. 'EudraCT 2005-005679-13'), an ANZCTR 'ACTRN' and 14 digits, 'ISRCTN' and 8 digits, a Dutch "
        "'NL' or 'NL-OMON' number, 'PROSPERO CRD' and 11 digits, or Nigeria's 'NCTR' and 8 digits",
    ),
}
#: Fact fields whose value, if given, comes from a vocabulary.
FACT_VOCABULARIES: dict[str, Mapping[str, Any]] = {
    "design": model.DESIGNS,
    "blinding": model.BLINDING,
    "allocation": model.ALLOCATIONS,
    "control": model.CONTROLS,
    "status": model.REGISTRY_STATUSES,
    "results": model.RESULTS,
}
#: What is said of a study no article retells that holds a value of the articles' layer.
EMPTY_LAYER = "the articles' layer of a study no article retells stays empty"


@dataclass(frozen=True, slots=True)
class Rule:
    """One field of a record in the catalogue file."""

    name: str
    """The key the file writes."""
    kind: str
    """What it holds: text, slug, int, flag, vocabulary, date, duration, dose, identifier, identifiers,
    texts, slugs, records, study-ids or value."""
    required: bool | str = False
    """True if every record must have it; "retold" if only a study an article retells must."""
    vocabulary: Mapping[str, Any] | None = None
    """The keys it takes, for a vocabulary field."""
    pattern: re.Pattern[str] | None = None
    """The shape a text must have."""
    low: int | None = None
    """The smallest whole number it takes."""
    record: str | None = None
    """For a list of records: which record's rules each item follows."""
    articles: bool = False
    """True for a value of the articles' layer, which stays empty in a study no article retells."""
    nullable: bool = True
    """Whether null is written for "not stated"."""


def _r(name: str, kind: str, required: bool | str = False, **more: Any) -> Rule:
    return Rule(name, kind, required, **more)


def _a(name: str, kind: str, **more: Any) -> Rule:
    return Rule(name, kind, articles=True, **more)


_SOURCES = _r("sources", "records", True, record="source", nullable=False)

#: record name -> its fields, in the order the file writes them.
RECORDS: dict[str, tuple[Rule, ...]] = {
    "source": (_r("seed", "text", True), _r("quote", "text", True)),
    "finding": (
        _r("measure", "vocabulary", True, vocabulary=model.MEASURES),
        _r("effect", "vocabulary", True, vocabulary=model.EFFECTS),
        _r("detail", "text"),
    ),
    "adverse_event": (_r("event", "text", True), _r("share", "text")),
    "study": (
        _r("id", "slug", True),
        _r("title", "text", True),
        _a("year", "int", low=FIRST_YEAR),
        _a("place", "text"),
        _a("investigators", "texts"),
        _r("condition", "vocabulary", True, vocabulary=model.CONDITIONS),
        _a("population", "text"),
        _r("design", "vocabulary", True, vocabulary=model.DESIGNS),
        _a("n", "int", low=1),
        _a("duration", "duration"),
        _a("duration_kind", "vocabulary", vocabulary=model.DURATION_KINDS),
        _a("dose", "dose"),
        _a("outcome", "text", required="retold"),
        _a("effect", "vocabulary", required="retold", vocabulary=model.EFFECTS),
        _a("findings", "records", record="finding"),
        _a("adverse_events", "records", record="adverse_event"),
        _a("tolerability", "text"),
        _r("notes", "text"),
        _a("mention", "flag", nullable=False),
        _SOURCES,
        _r("includes", "slugs"),
    ),
    "document": (
        _r("seed", "text", True),
        _r("kind", "vocabulary", True, vocabulary=model.DOCUMENT_KINDS),
        _SOURCES,
        _r("title", "text"),
        _r("publisher", "text"),
        _r("author", "text"),
        _r("date", "date"),
        _r("notes", "text"),
    ),
    "caution": (
        _r("id", "slug", True),
        _r("topic", "vocabulary", True, vocabulary=model.CAUTION_TOPICS),
        _r("text", "text", True),
        _SOURCES,
    ),
    "publication": (
        _r("id", "slug", True),
        _r("study", "study-ids", True),
        _r("title", "text", True),
        _r("year", "int", low=FIRST_YEAR),
        _r("authors", "text"),
        _r("journal", "text"),
        _r("volume_pages", "text"),
        _r("pmid", "identifier", pattern=IDENTIFIERS["pmid"][0]),
        _r("pmcid", "identifier", pattern=IDENTIFIERS["pmcid"][0]),
        _r("doi", "identifier", pattern=IDENTIFIERS["doi"][0]),
        _r("registry", "identifiers", pattern=IDENTIFIERS["registry"][0]),
        _r("verified_on", "texts", pattern=ADDRESS),
        _r("not_seen", "texts"),
        _r("unverified", "texts"),
        _r("notes", "text"),
        _r("facts", "records", record="fact"),
        _r("discrepancies", "records", record="discrepancy"),
    ),
    "fact": (
        _r("field", "vocabulary", True, vocabulary=model.FACT_FIELDS),
        _r("text", "text", True),
        _r("excerpt", "text", True),
        _r("page", "text", True, pattern=ADDRESS),
        _r("page_kind", "vocabulary", True, vocabulary=model.PAGE_KINDS),
        _r("value", "value"),
        _r("measure", "vocabulary", vocabulary=model.MEASURES),
        _r("direction", "vocabulary", vocabulary=model.EFFECTS),
        _r("size", "text"),
        _r("scale", "text"),
        _r("timepoint", "text"),
        _r("comparison", "vocabulary", vocabulary=model.COMPARISONS),
        _r("primary", "flag", nullable=False),
        _r("event", "text"),
        _r("arms", "counts"),
    ),
    "discrepancy": (
        _r("study", "slug"),
        _r("kind", "vocabulary", True, vocabulary=model.DISCREPANCY_KINDS),
        _r("seed", "text", True),
        _r("article_says", "text", True),
        _r("published_says", "text", True),
        _r("page", "text", True),
        _r("page_kind", "vocabulary", True, vocabulary=model.PAGE_KINDS),
        _r("explanation", "text", True),
    ),
    "search": (
        _r("searched", "date", True),
        _r("scope", "text", True),
        _r("where", "texts"),
        _r("queries", "records", record="query"),
        _r("excluded", "records", record="excluded"),
    ),
    "query": (
        _r("group", "text"),
        _r("query", "text", True),
        _r("corpus", "text"),
        _r("screened", "int", True, low=0, nullable=False),
        _r("included", "int", low=0, nullable=False),
    ),
    "excluded": (
        _r("title", "text", True),
        _r("reason", "vocabulary", True, vocabulary=model.EXCLUSION_REASONS),
        _r("page", "text", pattern=ADDRESS),
        _r("note", "text"),
    ),
}

#: record name -> the model class whose field docstrings describe it.
MODELS: dict[str, type] = {
    "source": model.Source,
    "finding": model.Finding,
    "adverse_event": model.AdverseEvent,
    "study": model.Study,
    "document": model.Document,
    "caution": model.Caution,
    "publication": model.Publication,
    "fact": model.PublishedFact,
    "discrepancy": model.Discrepancy,
    "search": model.Search,
    "query": model.SearchQuery,
    "excluded": model.Excluded,
}

#: The top level of the file: section -> (the record its items follow, whether it is a list).
SECTIONS: dict[str, tuple[str, bool]] = {
    "documents": ("document", True),
    "cautions": ("caution", True),
    "studies": ("study", True),
    "publications": ("publication", True),
    "search": ("search", False),
}


def names(record: str) -> tuple[str, ...]:
    """The fields of a record, in the order the file writes them."""
    return tuple([rule.name for rule in RECORDS[record]])


def required(record: str, retold: bool = True) -> tuple[str, ...]:
    """The fields a record must have (for a study, those of one an article retells unless `retold` is False)."""
    return tuple([r.name for r in RECORDS[record] if r.required is True or (retold and r.required == "retold")])


def rule(record: str, name: str) -> Rule:
    """The rule of one field."""
    return next(r for r in RECORDS[record] if r.name == name)


def articles_layer() -> tuple[str, ...]:
    """The fields of a study's articles' layer: empty in a study no article retells."""
    return tuple([r.name for r in RECORDS["study"] if r.articles])
