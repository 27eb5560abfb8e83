"""The wider evidence: what the search found, as plain data.

The catalogue holds studies the articles retell and studies a documented search found
(`Study.retold` tells them apart). This module answers, from the catalogue alone:

* `flow`: the search as a PRISMA-style flow: where and when, queries, records screened,
  studies included (by design and condition) and records excluded (by reason), and the
  registered trials by status;
* `evidence_body`: what a view rests on, in counts and one line ("22 studies: 12 retold
  by the articles, 10 found by the search of 2026-12; 9 registered trials");
* `registration`: a study's registry record as its publications state it, and whether it
  is a trial with no results long after its end (a reporting-bias signal).

Nothing here prints; views and writers take these results as they are.
"""

from __future__ import annotations

import calendar
import datetime
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .model import (
    CONDITIONS,
    DESIGNS,
    EXCLUSION_REASONS,
    REGISTRY_STATUSES,
    Catalogue,
    Facts,
    Publication,
    Search,
)

if TYPE_CHECKING:
    from dataclasses import dataclass
else:  # the same classes, made at a fraction of the start-up cost (see `frozen`)
    from .frozen import dataclass

#: How long after its end a registered trial may go without results before it is flagged, in days.
RESULTS_GRACE_DAYS = 365
#: Said of a registered trial with no results long after its end.
NO_RESULTS = "no results long after its end"
#: Statuses of a trial that has ended (or stopped) and so owes results; a withdrawn trial enrolled no one.
ENDED = frozenset({"completed", "terminated", "unknown", "active-not-recruiting", "suspended"})
#: The key under which registered trials whose status no page gave are counted.
STATUS_NOT_SEEN = "not-seen"


@dataclass(frozen=True, slots=True)
class Registration:
    """A study's registry record, as the facts of its publications state it."""

    study: str
    """The study's id."""
    registry: tuple[str, ...]
    """Its registry ids, as its publications give them."""
    status: str | None
    """A key of REGISTRY_STATUSES, or None where no page gave one."""
    planned: int | None
    """Planned enrolment, if stated."""
    enrolled: int | None
    """Actual enrolment, if stated."""
    start: str | None
    """Start date as stated."""
    completion: str | None
    """(Primary) completion date as stated."""
    results: str | None
    """A key of RESULTS: posted, published or none; None where no page says."""
    has_results: bool
    """True when results were posted or published, or a page other than the registry states an outcome."""
    no_results_long_after_end: bool
    """True when it ended more than RESULTS_GRACE_DAYS before the search with no results seen."""

    def record(self) -> dict[str, Any]:
        """As plain data."""
        return {
            "study": self.study,
            "registry": list(self.registry),
            "status": self.status,
            "planned": self.planned,
            "enrolled": self.enrolled,
            "start": self.start,
            "completion": self.completion,
            "results": self.results,
            "has_results": self.has_results,
            "flag": NO_RESULTS if self.no_results_long_after_end else None,
        }


def _end_of(stated: str) -> datetime.date | None:
    """The last day a stated date (YYYY, YYYY-MM or YYYY-MM-DD) can mean, or None if it is not one."""
    try:
        parts = [int(p) for p in stated.split("-")]
        if len(parts) == 1:
            return datetime.date(parts[0], 12, 31)
        if len(parts) == 2:
            return datetime.date(parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1])
        return datetime.date(parts[0], parts[1], parts[2])
    except (ValueError, IndexError):
        return None


def _start_of(stated: str) -> datetime.date | None:
    """The first day a stated date can mean, or None."""
    try:
        parts = [int(p) for p in stated.split("-")]
        return datetime.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except (ValueError, IndexError):
        return None


def _first(papers: Sequence[Publication], field: str) -> Any:
    return next((f.value for p in papers for f in p.facts if f.field == field and f.value is not None), None)


def registration(study: str, papers: Sequence[Publication], searched: str | None = None) -> Registration | None:
    """The registry record of a study from its publications' facts, or None if it is not a registered trial.

    A study is a registered trial when a publication gives a registry id or a registry status.
    It is flagged when its completion date lies more than RESULTS_GRACE_DAYS before the
    search date (`searched`, the search section's date) and no results were seen: none
    posted, none published, and no outcome stated on a page other than the registry.
    """
    registry = tuple(dict.fromkeys(ident for p in papers for ident in p.registry))
    status = _first(papers, "status")
    if not registry and status is None:
        return None
    results = _first(papers, "results")
    stated_outcome = any(
        f.field in ("outcome", "pooled-result") and f.page_kind != "registry" for p in papers for f in p.facts
    )
    has_results = results in ("posted", "published") or stated_outcome
    completion = _first(papers, "completion")
    late = False
    if not has_results and completion is not None and searched and (status is None or status in ENDED):
        ended, search_date = _end_of(str(completion)), _start_of(searched)
        late = ended is not None and search_date is not None and (search_date - ended).days > RESULTS_GRACE_DAYS
    return Registration(
        study=study,
        registry=registry,
        status=status,
        planned=_first(papers, "planned"),
        enrolled=_first(papers, "enrolled"),
        start=_first(papers, "start"),
        completion=completion,
        results=results,
        has_results=has_results,
        no_results_long_after_end=late,
    )


def registrations(catalogue: Catalogue, studies: Sequence[Facts] | None = None) -> list[Registration]:
    """The registered trials among `studies` (all by default), in order."""
    searched = catalogue.search.searched if catalogue.search else None
    chosen = catalogue.index if studies is None else studies
    out = []
    for study in chosen:
        found = registration(study.id, catalogue.publications_of(study.id), searched)
        if found is not None:
            out.append(found)
    return out


def _counted(values: Sequence[str], order: Sequence[str]) -> dict[str, int]:
    """Counts of each value, in the order of its vocabulary, leaving out zeros."""
    tally = Counter(values)
    known = {key: tally[key] for key in order if tally[key]}
    return known | {key: count for key, count in sorted(tally.items()) if key not in known}


def flow(catalogue: Catalogue) -> dict[str, Any]:
    """The search as a PRISMA-style flow, from the catalogue's own `search:` section and records.

    Records screened is the sum of the queries' screened counts; included are the studies
    no article retells (found by the search), by design and by condition; excluded are the
    search's excluded records by reason; registered trials are counted by status, with the
    ones that have no results long after their end named.
    """
    search: Search | None = catalogue.search
    studies = [s for s in catalogue.index if not s.mention]
    found = [s for s in studies if not s.retold]
    trials = registrations(catalogue, studies)
    late = [t.study for t in trials if t.no_results_long_after_end]
    return {
        "searched": search.searched if search else None,
        "scope": search.scope if search else None,
        "where": list(search.where) if search else [],
        "queries": len(search.queries) if search else 0,
        "records_screened": sum(q.screened for q in search.queries) if search else 0,
        "relevant_in_queries": sum(q.included for q in search.queries) if search else 0,
        "included": {
            "total": len(found),
            "by_design": _counted([s.design for s in found], list(DESIGNS)),
            "by_condition": _counted([s.condition for s in found], list(CONDITIONS)),
            "reviews": sum(1 for s in found if s.design == "systematic-review"),
        },
        "retold_by_the_articles": len(studies) - len(found),
        "excluded": {
            "total": len(search.excluded) if search else 0,
            "by_reason": _counted([e.reason for e in search.excluded], list(EXCLUSION_REASONS)) if search else {},
        },
        "registered_trials": {
            "total": len(trials),
            "by_status": _counted([t.status or STATUS_NOT_SEEN for t in trials], [*REGISTRY_STATUSES, STATUS_NOT_SEEN]),
            "no_results_long_after_end": late,
        },
    }


def evidence_body(studies: Sequence[Facts], catalogue: Catalogue | None = None) -> dict[str, Any]:
    """What a view rests on: how many studies, how many the articles retell and the search found, as plain data.

    Passing mentions are not studies: they are counted apart. With the catalogue, the
    search date and the registered trials among `studies` are given too.
    """
    kept = [s for s in studies if not s.mention]
    retold = sum(1 for s in kept if s.retold)
    found = len(kept) - retold
    searched = catalogue.search.searched if catalogue is not None and catalogue.search else None
    trials = len(registrations(catalogue, kept)) if catalogue is not None else None
    line = f"{len(kept)} {'study' if len(kept) == 1 else 'studies'}: {retold} retold by the articles"
    if searched:
        line += f", {found} found by the search of {searched}"
    elif found:
        line += f", {found} not retold by any article"
    if trials is not None:
        line += f"; {trials} registered {'trial' if trials == 1 else 'trials'}"
    return {
        "studies": len(kept),
        "retold": retold,
        "found_by_search": found,
        "searched": searched,
        "registered_trials": trials,
        "mentions": len(studies) - len(kept),
        "line": line,
    }


def search_record(search: Search | None) -> dict[str, Any] | None:
    """The search section as plain data (for JSON and the exports)."""
    if search is None:
        return None
    return {
        "searched": search.searched,
        "scope": search.scope,
        "where": list(search.where),
        "queries": [
            {"group": q.group, "query": q.query, "corpus": q.corpus, "screened": q.screened, "included": q.included}
            for q in search.queries
        ],
        "excluded": [{"title": e.title, "reason": e.reason, "page": e.page, "note": e.note} for e in search.excluded],
    }
