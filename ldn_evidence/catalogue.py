"""Queries over a loaded catalogue: filter, find, summarise. Plain data out.

Nothing here prints or imports rich; the renderers and writers take these
results as they are, so the command line and the library always agree.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from .errors import CatalogueFileError, StudyNotFound, UnknownValue
from .model import (
    CONDITIONS,
    DESIGN_ALIASES,
    DESIGNS,
    DURATION_KINDS,
    EFFECTS,
    FACT_FIELDS,
    MAX_LEVEL,
    MEASURE_ALIASES,
    MEASURES,
    MS_FORMS,
    NOT_DESIGNS,
    PRECLINICAL_DESIGNS,
    Catalogue,
    Facts,
    Publication,
    Study,
)

if TYPE_CHECKING:
    from dataclasses import dataclass
else:  # the same classes, made at a fraction of the start-up cost (see `frozen`)
    from .frozen import dataclass

SORT_KEYS = ("level", "n", "year", "id")
GROUPINGS = ("design", "measure", "condition", "level")


@dataclass(frozen=True, slots=True)
class Filters:
    """What to keep. Every field left at its default keeps everything."""

    conditions: tuple[str, ...] = ()
    """Condition keys or MS forms (ppms, rrms, spms); a study matching any of them is kept."""
    designs: tuple[str, ...] = ()
    """Design keys; a study matching any of them is kept."""
    effects: tuple[str, ...] = ()
    """Effect keys; a study with any of them is kept."""
    measures: tuple[str, ...] = ()
    """Measure keys; a study with a finding on any of them is kept."""
    min_n: int | None = None
    """Keep studies with at least this many people (n unknown is dropped)."""
    level: int | None = None
    """Keep studies at this evidence level or stronger (a lower number)."""
    clinical: bool = False
    """Keep only studies of people (drop animal, in-vitro and hypothesis)."""
    search: str | None = None
    """Case-insensitive text in the title, population, outcome, notes or quotes."""
    retold: bool | None = None
    """True keeps the studies an article retells, False those found by the search alone; None keeps both."""


def _plain(value: str) -> str:
    """A typed value compared as people mean it: case, hyphens, underscores and extra spaces ignored."""
    return " ".join(value.lower().replace("_", " ").replace("-", " ").split())


def _vocabulary_value(
    option: str,
    value: str,
    valid: Iterable[str],
    aliases: dict[str, str] | None = None,
    refused: dict[str, str] | None = None,
) -> str:
    """The key `value` names (a key or an alias), or UnknownValue with one suggestion people can use."""
    import difflib

    options = list(valid)
    names = {_plain(key): key for key in options} | {_plain(alias): key for alias, key in (aliases or {}).items()}
    word = _plain(value)
    if word in names:
        return names[word]
    if refused and word in refused:
        raise UnknownValue(option, value, options, [], why=refused[word])
    close = [names[name] for name in difflib.get_close_matches(word, list(names), n=1, cutoff=0.5)]
    if option == "design" and "random" in word.replace("non random", ""):
        close = ["rct"]  # whatever else it resembles, a randomized design is an rct
    raise UnknownValue(option, value, options, close)


def resolve_condition(value: str) -> tuple[str, str | None]:
    """A typed condition -> (condition key, MS form or None). Raises UnknownValue."""
    word = " ".join(value.strip().lower().replace("_", "-").split())
    if word in CONDITIONS:
        return word, None
    if word in MS_FORMS:
        return "ms", word
    for key, (_, aliases) in CONDITIONS.items():
        if word in aliases or word.replace("’", "'") in aliases:
            return key, None
    every = [*CONDITIONS, *MS_FORMS, *(alias for _, aliases in CONDITIONS.values() for alias in aliases)]
    valid = [*CONDITIONS, *MS_FORMS]
    import difflib

    close = difflib.get_close_matches(word, every, n=1, cutoff=0.5)
    raise UnknownValue("condition", value, valid, close)


def _many(values: str | Sequence[str] | None) -> tuple[str, ...]:
    """One typed value or several, as a tuple."""
    if values is None:
        return ()
    return (values,) if isinstance(values, str) else tuple(values)


def make_filters(
    condition: str | Sequence[str] | None = None,
    designs: Sequence[str] = (),
    effect: str | Sequence[str] | None = None,
    measure: str | Sequence[str] | None = None,
    min_n: int | None = None,
    level: int | None = None,
    clinical: bool = False,
    search: str | None = None,
    retold: bool | None = None,
) -> Filters:
    """Check typed filter values against the vocabularies; raise UnknownValue if one is off.

    `condition`, `effect` and `measure` take one value or several (any of them matches), as
    `designs` does.
    """
    conditions = []
    for typed in _many(condition):
        key, form = resolve_condition(typed)
        conditions.append(form or key)
    if level is not None and not 1 <= level <= MAX_LEVEL:
        raise UnknownValue("level", str(level), [str(n) for n in range(1, MAX_LEVEL + 1)], [])
    return Filters(
        conditions=tuple(dict.fromkeys(conditions)),
        designs=tuple(
            dict.fromkeys(_vocabulary_value("design", d, DESIGNS, DESIGN_ALIASES, NOT_DESIGNS) for d in designs)
        ),
        effects=tuple(dict.fromkeys(_vocabulary_value("effect", e, EFFECTS) for e in _many(effect))),
        measures=tuple(
            dict.fromkeys(_vocabulary_value("measure", m, MEASURES, MEASURE_ALIASES) for m in _many(measure))
        ),
        min_n=min_n,
        level=level,
        clinical=clinical,
        search=search if search else None,
        retold=retold,
    )


def _matches(study: Facts, filters: Filters, published: dict[str, frozenset[str]] | None = None) -> bool:
    forms = published or {}
    if filters.conditions and not any(
        _has_condition(study, wanted, forms.get(wanted, frozenset())) for wanted in filters.conditions
    ):
        return False
    if filters.designs and study.design not in filters.designs:
        return False
    if filters.effects and study.effect not in filters.effects:
        return False
    if filters.measures and not any(measure in filters.measures for measure, _ in study.measured):
        return False
    if filters.min_n is not None and (study.n is None or study.n < filters.min_n):
        return False
    if filters.level is not None:
        level = study.evidence_level
        if level is None or level > filters.level:
            return False
    if filters.clinical and not study.clinical:
        return False
    if filters.retold is not None and study.retold is not filters.retold:
        return False
    if filters.search is not None:
        assert isinstance(study, Study), "a text search reads full records"
        needle = filters.search.casefold()
        haystack = [study.id, study.title, study.population or "", study.outcome, study.notes or ""]
        haystack.extend(source.quote for source in study.sources)
        if not any(needle in text.casefold() for text in haystack):
            return False
    return True


def _has_condition(study: Facts, wanted: str, published: frozenset[str] = frozenset()) -> bool:
    """Whether a study is of this condition key, or of this MS form (named in its population).

    `published` holds the ids of the MS studies whose papers' population names the form
    (see `_published_forms`): a study matches by either layer's population.
    """
    if wanted in MS_FORMS:
        population = (study.population or "").lower()
        named = any(word in population for word in MS_FORMS[wanted]) or study.id in published
        return study.condition == "ms" and named
    return study.condition == wanted


def _published_forms(catalogue: Catalogue, forms: Iterable[str]) -> dict[str, frozenset[str]]:
    """For each MS form, the ids of studies whose papers' population facts (text or excerpt) name it."""
    from .published import readings

    out = {}
    for form in forms:
        words = MS_FORMS[form]
        out[form] = frozenset(
            study
            for study, reading in readings(catalogue).items()
            if any(
                word in f"{said.fact.text} {said.fact.excerpt}".lower()
                for said in reading.all("population")
                for word in words
            )
        )
    return out


def matching(catalogue: Catalogue, filters: Filters = Filters(), sort: str = "level") -> list[Facts]:
    """The entries of the studies that pass the filters, sorted as `select` sorts them.

    Enough to count and chart; reads full records only for a text search.
    """
    if filters == _EVERYTHING:
        return sort_studies(catalogue.index, sort)
    rows = catalogue.studies if filters.search is not None else catalogue.index
    forms = [wanted for wanted in filters.conditions if wanted in MS_FORMS]
    published = _published_forms(catalogue, forms) if forms and catalogue.publications else None
    return sort_studies([row for row in rows if _matches(row, filters, published)], sort)


def select(
    catalogue: Catalogue, filters: Filters = Filters(), sort: str = "level", limit: int | None = None
) -> list[Study]:
    """The studies that pass the filters, sorted (strongest evidence, then largest n, first)."""
    kept = matching(catalogue, filters, sort)
    return catalogue.records(kept[:limit] if limit is not None else kept)


_EVERYTHING = Filters()
#: Design -> its place when sorting by evidence: its level, and after the weakest when it has none.
_RANK = {design: MAX_LEVEL + 1 if level is None else level for design, (level, _) in DESIGNS.items()}
_T = TypeVar("_T", bound=Facts)


def sort_studies(studies: Iterable[_T], by: str = "level") -> list[_T]:
    """Sort by evidence level (then n), n (largest first), year (newest first) or id."""
    rank = _RANK
    if by == "level":
        return sorted(studies, key=lambda s: (rank[s.design], s.n is None, -(s.n or 0), s.id))
    if by == "n":
        return sorted(studies, key=lambda s: (s.n is None, -(s.n or 0), rank[s.design], s.id))
    if by == "year":
        return sorted(studies, key=lambda s: (s.year is None, -(s.year or 0), rank[s.design], s.id))
    if by == "id":
        return sorted(studies, key=lambda s: s.id)
    import difflib

    raise UnknownValue("sort", by, list(SORT_KEYS), difflib.get_close_matches(by, SORT_KEYS, n=1))


def find(catalogue: Catalogue, wanted: str) -> Study:
    """The study with this id, the only one whose id starts with it, or the only one with it as a word.

    "cree" finds ucsf-cree-rct: people name a study by its investigator or place, which
    may be any hyphen-separated word of its id. Raises StudyNotFound.
    """
    key = wanted.strip().lower()
    if not key:
        raise StudyNotFound(wanted, [])
    exact = catalogue.position(key)
    if exact is not None:
        return catalogue.studies[exact]
    by_id = {study.id: position for position, study in enumerate(catalogue.index)}
    starting = [ident for ident in by_id if key and ident.startswith(key)]
    if len(starting) == 1:
        return catalogue.studies[by_id[starting[0]]]
    if len(starting) > 1:
        raise StudyNotFound(wanted, sorted(starting), ambiguous=True)
    words = key.split("-")
    inside = [ident for ident in by_id if _holds_words(ident.split("-"), words)]
    if len(inside) == 1:
        return catalogue.studies[by_id[inside[0]]]
    if len(inside) > 1:
        raise StudyNotFound(wanted, sorted(inside), ambiguous=True)
    import difflib

    close = [ident for ident in by_id if key and key in ident]
    close += difflib.get_close_matches(key, list(by_id), n=3, cutoff=0.5)
    close = close or difflib.get_close_matches(key, list(by_id), n=3, cutoff=0.0)
    raise StudyNotFound(wanted, list(dict.fromkeys(close))[:3])


def _holds_words(parts: list[str], words: list[str]) -> bool:
    """True if `words` stand in `parts` as a run of whole words."""
    return any(parts[i : i + len(words)] == words for i in range(len(parts) - len(words) + 1))


# --- summary -----------------------------------------------------------------


def _tally(sizes: list[int | None]) -> dict[str, int]:
    """{count, participants, n_unknown} of a group, from the n of each study in it."""
    unknown = sizes.count(None)
    return {"count": len(sizes), "participants": sum(filter(None, sizes)), "n_unknown": unknown}


def _merged(tallies: Iterable[dict[str, int]]) -> dict[str, int]:
    """One tally of several groups."""
    out = {"count": 0, "participants": 0, "n_unknown": 0}
    for tally in tallies:
        for key, value in tally.items():
            out[key] += value
    return out


def _median(values: list[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def level_key(level: int | None) -> str:
    """The JSON key of an evidence level: "1".."5", or "none" when the design is unspecified."""
    return "none" if level is None else str(level)


_EFFECT_ORDER = (*EFFECTS, "none")
_LEVEL_ORDER = (*map(str, range(1, MAX_LEVEL + 1)), "none")


def has_effects(study: Facts) -> bool:
    """True when a study's effects may be counted: people, a stated design, not a mention or hypothesis.

    Preclinical work, passing mentions and studies whose design the documents do not
    state are counted as records, never among studies with effects.
    """
    return study.clinical and not study.apart and study.design != "unspecified"


def _spread(values: list[float]) -> dict[str, Any]:
    return {
        "min": min(values) if values else None,
        "median": _median(values),
        "max": max(values) if values else None,
        "count": len(values),
    }


def summarise(studies: Sequence[Facts], people: Mapping[str, int | None] | None = None) -> dict[str, Any]:
    """Counts, participants and effects of a set of studies, grouped every way the reader shows.

    `people` maps a study id to the count of people a view rests on (as published, where a
    page states one); a study not in it is counted as the articles give it (its `n`).

    Passing mentions are not studies: `mentions` counts them, and they are counted
    nowhere else; a hypothesis is a preclinical study with no effect. Every group is
    `{count, participants, n_unknown}`; the groups by design, condition, level and
    measure add the same per effect (for a measure, the effect of each study's finding
    on it), counting only the studies whose effects may be counted (`has_effects`), as
    does `by_effect`. Durations are spread per kind of time, never across kinds; doses
    a day only where a schedule is stated. `ids` keeps the order given: pass
    `matching()`'s (or `select()`'s) answer for strongest evidence first.
    """
    mentions: list[Facts] = []
    kept: list[Facts] = []
    for study in studies:
        (mentions if study.mention else kept).append(study)
    studies = kept
    # One pass sorts each study's n into a cell by design, condition, effect and findings;
    # every group is a sum of such cells' tallies. A study whose effects are not counted
    # has its effect cell left empty (None) and its findings' effects dropped.
    cells: dict[tuple[str, str, str | None, tuple[tuple[str, str], ...]], list[int | None]] = {}
    for study in studies:
        counted = has_effects(study)
        key = (
            study.design,
            study.condition,
            (study.effect or "none") if counted else None,
            study.measured if counted else tuple((m, "") for m, _ in study.measured),
        )
        cell = cells.get(key)
        if cell is None:
            cells[key] = cell = []
        cell.append(people[study.id] if people is not None and study.id in people else study.n)
    durations: dict[str, list[float]] = {}
    for duration in (s.duration for s in studies):
        if duration is not None:
            durations.setdefault(duration.kind, []).append(duration.days)
    doses = [dose for dose in (s.dose for s in studies) if dose is not None]
    per_day = [dose.mg_per_day for dose in doses if dose.mg_per_day is not None]
    per_dose_only = [dose.mg_per_dose for dose in doses if dose.mg_per_day is None and dose.mg_per_dose is not None]

    by_effect: dict[tuple[str, str, str | None], list[dict[str, int]]] = {}
    per_measure: dict[str, list[dict[str, int]]] = {}
    measured: dict[tuple[str, str], list[dict[str, int]]] = {}
    for (design, condition, effect, pairs), sizes in cells.items():
        tally = _tally(sizes)
        by_effect.setdefault((design, condition, effect), []).append(tally)
        found: dict[str, dict[str, None]] = {}
        for measure, finding_effect in pairs:
            found.setdefault(measure, {})[finding_effect] = None
        for measure, finding_effects in found.items():
            per_measure.setdefault(measure, []).append(tally)
            for finding_effect in finding_effects:
                if finding_effect:
                    measured.setdefault((measure, finding_effect), []).append(tally)
    tallies = {cell: _merged(parts) for cell, parts in by_effect.items()}

    def totals(key_of: Callable[[str, str, str | None], Hashable]) -> dict[Any, dict[str, int]]:
        """The tally of each group of cells, by key_of(design, condition, effect)."""
        parts: dict[Hashable, list[dict[str, int]]] = {}
        for cell, tally in tallies.items():
            parts.setdefault(key_of(*cell), []).append(tally)
        return {key: _merged(group) for key, group in parts.items()}

    def grouped(key_of: Callable[[str, str, str | None], str], order: Iterable[str]) -> dict[str, Any]:
        """Groups in `order`, each with its tally per effect (of the studies whose effects count)."""
        whole = totals(key_of)
        split = totals(lambda design, condition, effect: (key_of(design, condition, effect), effect))
        return {
            key: {**whole[key], "effects": {e: split[(key, e)] for e in _EFFECT_ORDER if (key, e) in split}}
            for key in order
            if key in whole
        }

    kinds = totals(lambda design, condition, effect: design in PRECLINICAL_DESIGNS)
    effects = totals(lambda design, condition, effect: effect)
    grid = totals(lambda design, condition, effect: (condition, design))
    by_measure = {}
    for measure in MEASURES:
        if measure in per_measure:
            group: dict[str, Any] = _merged(per_measure[measure])
            group["effects"] = {e: _merged(measured[(measure, e)]) for e in EFFECTS if (measure, e) in measured}
            by_measure[measure] = group
    return {
        **_merged(tallies.values()),
        "clinical": kinds.get(False, _tally([])),
        "preclinical": kinds.get(True, _tally([])),
        "by_effect": {key: effects[key] for key in _EFFECT_ORDER if key in effects},
        "with_effects": _merged(tally for (_, _, effect), tally in tallies.items() if effect is not None),
        "by_design": grouped(lambda design, condition, effect: design, DESIGNS),
        "by_condition": grouped(lambda design, condition, effect: condition, CONDITIONS),
        "by_level": grouped(lambda design, condition, effect: level_key(DESIGNS[design][0]), _LEVEL_ORDER),
        "by_measure": by_measure,
        "evidence_map": {
            condition: {design: grid[(condition, design)] for design in DESIGNS if (condition, design) in grid}
            for condition in CONDITIONS
            if any((condition, design) in grid for design in DESIGNS)
        },
        "duration_days": {kind: _spread(durations[kind]) for kind in DURATION_KINDS if kind in durations},
        "dose_mg": {
            "per_day": {k: v for k, v in _spread(per_day).items() if k != "median"},
            "per_dose_no_schedule": {k: v for k, v in _spread(per_dose_only).items() if k != "median"},
            "count": len(doses),
            "stated": sorted({dose.text for dose in doses}),
        },
        # Their ids are listed once, in the Summary of Findings' `not_rated`.
        "mentions": {"count": len(mentions)},
        "ids": [s.id for s in studies],
    }


# --- safety ----------------------------------------------------------------------


def safety(catalogue: Catalogue, studies: Sequence[Study]) -> dict[str, Any]:
    """What the documents say about harms, for these studies, plus the general cautions.

    Passing mentions are not studies: they are listed under `mentions` and left out
    of every count. (A hypothesis is a study, one with no data and so no harms.) A study
    no article retells has no articles' account to count: it is listed under `not_retold`,
    left out of the articles' counts, and its harms are in `published_harms` only.
    """
    mentions = [s.id for s in sort_studies(studies) if s.mention]
    studies = [s for s in studies if not s.mention]
    not_retold = [s.id for s in sort_studies(studies) if not s.retold]
    told = [s for s in studies if s.retold]
    events: dict[str, dict[str, Any]] = {}
    for study in sort_studies(told):
        for event in study.adverse_events:
            entry = events.setdefault(event.event.casefold(), {"event": event.event, "studies": []})
            entry["studies"].append({"id": study.id, "n": study.n, "share": event.share})
    tolerability = [{"id": s.id, "statement": s.tolerability} for s in sort_studies(told) if s.tolerability]
    silent = [s.id for s in sort_studies(told) if not s.adverse_events and not s.tolerability]
    return {
        "layer": "as the articles report it",
        "count": len(told),
        "reporting_harms": sum(1 for s in told if s.adverse_events),
        "adverse_events": sorted(events.values(), key=lambda e: (-len(e["studies"]), e["event"].casefold())),
        "tolerability": tolerability,
        "no_harms_reported": silent,
        "mentions": mentions,
        "not_retold": not_retold,
        "published_harms": published_harms(catalogue, studies),
        "cautions": [
            {
                "id": c.id,
                "topic": c.topic,
                "text": c.text,
                "sources": [{"seed": s.seed, "quote": s.quote} for s in c.sources],
            }
            for c in catalogue.cautions
        ],
    }


#: The published facts that say something of harms: adverse events and dropouts.
HARM_FACT_FIELDS = ("harms", "dropouts")


def published_harms(catalogue: Catalogue, studies: Sequence[Study]) -> list[dict[str, Any]]:
    """What each study's publication says of harms, as published: verbatim excerpts with their page.

    One entry per study that has a publication, in study order; `facts` is empty when the
    pages seen say nothing of adverse events, dropouts or tolerability. Kept apart from the
    articles' layer (the record's adverse events and tolerability), never merged into it.
    """
    out = []
    for study in sort_studies(studies):
        publications = catalogue.publications_of(study.id)
        if not publications:
            continue
        # One excerpt often backs two facts (adverse events and dropouts): shown once, saying both.
        seen: dict[tuple[str, str], dict[str, Any]] = {}
        for publication in publications:
            for fact in publication.facts_on(*HARM_FACT_FIELDS):
                entry = seen.setdefault(
                    (fact.excerpt, fact.page),
                    {
                        "publication": publication.id,
                        "about": [],
                        "excerpt": fact.excerpt,
                        "page": fact.page,
                        "page_kind": fact.page_kind,
                    },
                )
                if FACT_FIELDS[fact.field] not in entry["about"]:
                    entry["about"].append(FACT_FIELDS[fact.field])
        facts = list(seen.values())
        out.append({"id": study.id, "publications": [p.id for p in publications], "facts": facts})
    return out


# --- documents ---------------------------------------------------------------------


def documents(catalogue: Catalogue) -> list[dict[str, Any]]:
    """Each source document with the studies that cite it."""
    out = []
    seeds = [d.seed for d in catalogue.documents]
    seeds += sorted({s.seed for st in catalogue.studies for s in st.sources} - set(seeds))
    for seed in seeds:
        document = catalogue.document(seed)
        out.append(
            {
                "seed": seed,
                "title": document.title if document else None,
                "publisher": document.publisher if document else None,
                "author": document.author if document else None,
                "date": document.date if document else None,
                "kind": document.kind if document else None,
                "notes": document.notes if document else None,
                "studies": [s.id for s in sort_studies(catalogue.studies) if seed in s.seeds],
            }
        )
    return out


def find_document(catalogue: Catalogue, wanted: str) -> dict[str, Any]:
    """One document's entry by seed name or unique prefix (e.g. "000"). Raises StudyNotFound."""
    import difflib

    entries = documents(catalogue)
    exact = [e for e in entries if e["seed"] == wanted]
    starting = exact or [e for e in entries if e["seed"].startswith(wanted)]
    if len(starting) == 1:
        return starting[0]
    names = [e["seed"] for e in entries]
    if len(starting) > 1:
        raise StudyNotFound(wanted, [e["seed"] for e in starting], ambiguous=True, what="document")
    raise StudyNotFound(wanted, difflib.get_close_matches(wanted, names, n=3, cutoff=0.3) or names, what="document")


def document_text(catalogue: Catalogue, seed: str, folder: str | os.PathLike[str]) -> str:
    """The whole text of one of the catalogue's documents, read from `folder`. Raises CatalogueFileError.

    Only a document the catalogue names is read, and only from `folder` itself, as `ldn verify`
    reads it: a seed name that is a path (or hidden), a link that leads out of the folder, a
    FIFO, a device or a file over MAX_SEED_BYTES is refused, so nothing outside the documents
    is ever shown.
    """
    named = {d.seed for d in catalogue.documents} | {s.seed for st in catalogue.studies for s in st.sources}
    if seed not in named:
        from .errors import typed

        raise CatalogueFileError(f"'{typed(seed)}' is not a document of this catalogue")
    from .files import MAX_SEED_BYTES
    from .paths import escaped, read_inside

    path = escaped(os.path.join(folder, seed))
    try:
        # The same rules as `ldn verify`: a regular file inside the folder, of bounded size.
        data = read_inside(folder, seed, MAX_SEED_BYTES, "source document")
    except FileNotFoundError:
        raise CatalogueFileError(f"{path}: the document is not there (seeds/ beside data/ is read)") from None
    except CatalogueFileError as exc:
        raise CatalogueFileError(f"{path}: {exc}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CatalogueFileError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None


def chosen(catalogue: Catalogue, wanted: Sequence[str]) -> list[Publication]:
    """The publications named by study ids (or unique prefixes) and publication ids, each once; all if none.

    Raises StudyNotFound for a word that names neither, or a study with no publication.
    """
    if not wanted:
        return list(catalogue.publications)
    out: list[Publication] = []
    for word in wanted:
        by_id = [p for p in catalogue.publications if p.id == word]
        if by_id:
            out += by_id
            continue
        try:
            study = find(catalogue, word)
        except StudyNotFound as exc:
            raise StudyNotFound(word, exc.close, exc.ambiguous, what="study or publication") from None
        backing = catalogue.publications_of(study.id)
        if not backing:
            raise StudyNotFound(study.id, [], what="publication catalogued for the study")
        out += backing
    return list(dict.fromkeys(out))
