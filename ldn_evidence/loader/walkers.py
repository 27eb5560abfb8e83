"""The loader's walkers: one per record of the catalogue, and the checks across records.

A walker per record (study, document, caution, publication, fact, discrepancy, search), each
record's fields as `rules` declares them, built on the checks of single fields in `checker`.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import re
from collections.abc import Callable
from typing import Any

from ldn_evidence.errors import Problem
from ldn_evidence.model import (
    CAUTION_TOPICS,
    COMPARISONS,
    CONDITIONS,
    COUNT_FIELDS,
    DATE_FIELDS,
    DESIGNS,
    DISCREPANCY_KINDS,
    DOCUMENT_KINDS,
    DURATION_KINDS,
    EFFECTS,
    EXCLUSION_REASONS,
    FACT_FIELDS,
    MEASURES,
    PAGE_KINDS,
    PEOPLE_FIELDS,
    RESULT_FIELDS,
    TIME_FIELDS,
    TRIAL_FIELDS,
    AdverseEvent,
    Catalogue,
    Caution,
    Discrepancy,
    Document,
    Dose,
    Duration,
    Excluded,
    Finding,
    Publication,
    PublishedFact,
    Search,
    SearchQuery,
    Study,
    first_publications,
)
from ldn_evidence.rules import (
    EMPTY_LAYER,
    FACT_VOCABULARIES,
    FIRST_YEAR,
    MAX_N,
    SECTIONS,
    SLUG,
    articles_layer,
    names,
    required,
)
from ldn_evidence.yamltree import Map, Seq

from .checker import ADDRESS_ONLY, Fields, _empty, _Invalid, date_problem, did_you_mean, stated_date_problem

#: Fact fields whose value, if given, comes from a vocabulary.
_VALUE_VOCABULARIES = FACT_VOCABULARIES
#: Fact fields whose value is a whole number other than a count of the study's people.
_NUMBER_FIELDS = (PEOPLE_FIELDS - COUNT_FIELDS) | TRIAL_FIELDS | {"year"}
#: Fact fields that say nothing without their key.
_NEEDS_VALUE = frozenset({"status", "results"})
#: The keys that say what an outcome, pooled result or harm measured and found.
_RESULT_KEYS = ("measure", "direction", "size", "scale", "timepoint", "comparison", "primary", "event")

# Every record's fields and the required ones, as `rules` declares them.
_STUDY_FIELDS, _STUDY_REQUIRED = names("study"), required("study")
_DOCUMENT_FIELDS, _DOCUMENT_REQUIRED = names("document"), required("document")
_CAUTION_FIELDS, _CAUTION_REQUIRED = names("caution"), required("caution")
_PUBLICATION_FIELDS, _PUBLICATION_REQUIRED = names("publication"), required("publication")
_FACT_FIELDS, _FACT_REQUIRED = names("fact"), required("fact")
_DISCREPANCY_FIELDS, _DISCREPANCY_REQUIRED = names("discrepancy"), required("discrepancy")
_SECTIONS = tuple(SECTIONS)
#: Fields of a study's articles' layer, empty in a study no article retells.
_ARTICLES_LAYER = articles_layer()


class Abandon(Exception):
    """Raised by `Checker.take` at the first problem: the file is then read again and checked whole."""


class Checker(Fields):
    """Walks the tree, converting what is right and recording what is wrong."""

    def __init__(self, path: str, problems: list[Problem]) -> None:
        super().__init__(path, problems)
        self.read_documents: list[Document] | None = None
        """The documents section's records, once read."""
        self.taken: dict[str, list[Any]] = {}
        """The records of each section built as the file was read (`take`), in file order."""
        self._taken_lines: dict[str, dict[str, int]] = {}
        self._kept: set[str] = set()

    def take(self, top: Map, section: str, item: Any, line: int) -> bool:
        """Check and build one record of `section` as soon as the parser has read it (`yamltree.Take`), so that
        its part of the tree can go; False to leave it in the tree, for `catalogue` to walk.

        Only for a file with no problem: the first one raises `Abandon`, and the caller then reads the file
        again and checks it whole, so that every problem is found and reported as ever. A section is taken only
        when the documents section came before it (records check the seeds they cite against it), each record
        as `records` would build it, in file order.
        """
        if self.problems:
            raise Abandon
        build = {"studies": self.study, "cautions": self.caution, "publications": self.publication}.get(section)
        if build is None or section in self._kept:
            return False
        out = self.taken.get(section)
        if out is None:
            if "documents" not in top:
                self._kept.add(section)
                return False
            self.documents(top)
            out = self.taken[section] = []
            self._taken_lines[section] = {}
        if type(item) is not Map:
            raise Abandon
        record = build(item, line)
        self.record = None
        seen = self._taken_lines[section]
        if self.problems or record is None or record.id in seen:
            raise Abandon
        seen[record.id] = record.line
        out.append(record)
        return True

    # -- records ---------------------------------------------------------------

    def catalogue(self, tree: Any) -> Catalogue | None:
        if tree is None:
            if not self.problems:
                self.problem(1, None, "the file holds no catalogue; it needs a 'studies' list")
            return None
        top = self.mapping(tree, getattr(tree, "line", 1), "the top level")
        if top is None:
            return None
        for key in top:
            if key not in _SECTIONS:
                guess = did_you_mean(key, _SECTIONS)
                hint = (
                    f"; did you mean '{guess}'?"
                    if guess
                    else "; the top level holds documents, cautions, studies and publications"
                )
                self.problem(top.lines[key], key, f"unknown section{hint}")
        documents = self.documents(top)
        if "studies" not in top:
            self.problem(top.line, "studies", "missing; the catalogue needs a 'studies' list")
        studies = self.records(top, "studies", self.study)
        cautions = self.records(top, "cautions", self.caution)
        publications = self.records(top, "publications", self.publication)
        self.backed_studies(publications, {study.id for study in studies})
        self.wider(studies, publications)
        search = self.search(top["search"], top.lines["search"]) if "search" in top else None
        if self.problems:
            return None
        return Catalogue(
            self.path,
            attach(studies, publications),
            tuple(documents),
            tuple(cautions),
            publications=tuple(publications),
            search=search,
        )

    def documents(self, top: Map) -> list[Document]:
        """The documents section's records (read once), and the seeds that records may cite (`seeds`)."""
        if self.read_documents is not None:
            return self.read_documents
        documents: list[Document] = []
        if "documents" in top:
            docs = self.sequence(top["documents"], top.lines["documents"], "documents")
            for item, line in zip(docs or (), docs.lines if docs else (), strict=True):
                document = self.document(item, line)
                if document is not None:
                    documents.append(document)
            self.seeds = {doc.seed for doc in documents} | self.listed if docs else None
            first: dict[str, int] = {}
            for document in documents:
                if document.seed in first:
                    self.problems.append(
                        Problem(
                            self.path,
                            document.line,
                            f"document listed twice (first on line {first[document.seed]}); list each seed once",
                            record=document.seed,
                            field="seed",
                        )
                    )
                first.setdefault(document.seed, document.line)
        self.read_documents = documents
        return documents

    def records(self, top: Map, section: str, build: Callable[[Any, int], Any]) -> list[Any]:
        taken = self.taken.get(section)
        if taken is not None:  # built as the file was read (`take`)
            return taken
        out = []
        first_line: dict[str, int] = {}
        for item, line in self.items(top.get(section), top.lines.get(section, top.line), section):
            record = build(item, line)
            self.record = None
            if record is None:
                continue
            if record.id in first_line:
                self.problems.append(
                    Problem(
                        self.path,
                        record.line,
                        f"id used twice (first on line {first_line[record.id]})",
                        record=record.id,
                        field="id",
                    )
                )
                continue
            first_line[record.id] = record.line
            out.append(record)
        return out

    def identifier(self, entry: Map) -> str | None:
        raw = entry.get("id")
        line = entry.lines.get("id", entry.line)
        ident = self.text(raw, line, "id", required="id" in entry)
        if ident is None:
            return None
        if not SLUG.fullmatch(ident):
            self.problem(
                line,
                "id",
                f"'{ident}' is not a slug: use lower-case letters, digits and single hyphens, e.g. 'norway-2017'",
            )
            return None
        self.record = ident
        return ident

    def study(self, item: Any, line: int) -> Study | None:
        entry = self.mapping(item, line, "a study")
        if entry is None:
            return None
        before = len(self.problems)
        ident = self.identifier(entry)
        at = entry.lines.get
        get = entry.get

        def ln(key: str) -> int:
            return at(key, entry.line)

        # `sources: []` is a study no article retells: it rests on its publication alone
        # (checked once every publication is read), and its articles' layer stays empty.
        raw_sources = get("sources")
        retold = not (isinstance(raw_sources, Seq) and not raw_sources)
        self.fields(entry, _STUDY_FIELDS, _STUDY_REQUIRED if retold else required("study", retold=False))
        if not retold:
            for key in _ARTICLES_LAYER:
                value = get(key)
                if key in entry and not _empty(value):
                    self.problem(ln(key), key, EMPTY_LAYER)
            if ident is not None:
                self.unretold[ident] = (ln("sources"), ln("design"))

        this_year = datetime.date.today().year
        duration_kind = self.vocabulary(
            get("duration_kind"), ln("duration_kind"), "duration_kind", DURATION_KINDS, required=False
        )
        if duration_kind is not None and get("duration") is None:
            self.problem(ln("duration_kind"), "duration_kind", "is set but there is no duration")
        design = self.vocabulary(get("design"), ln("design"), "design", DESIGNS, "design" in entry)
        effect_raw = get("effect")
        effect = None
        if effect_raw is not None:
            effect = self.vocabulary(effect_raw, ln("effect"), "effect", EFFECTS)
        if design == "hypothesis" and effect is not None:
            self.problem(ln("effect"), "effect", "a hypothesis has no data: its effect must be null")
        elif retold and design not in (None, "hypothesis") and effect_raw is None and "effect" in entry:
            self.problem(ln("effect"), "effect", "is null; only a hypothesis has no effect")
        findings = []
        for finding, finding_line in self.mappings(get("findings"), ln("findings"), "findings", "a finding"):
            self.fields(finding, ("measure", "effect", "detail"), ("measure", "effect"))
            measure = self.vocabulary(
                finding.get("measure"),
                finding.lines.get("measure", finding_line),
                "findings.measure",
                MEASURES,
                "measure" in finding,
            )
            f_effect = self.vocabulary(
                finding.get("effect"),
                finding.lines.get("effect", finding_line),
                "findings.effect",
                EFFECTS,
                "effect" in finding,
            )
            detail = self.text(finding.get("detail"), finding.lines.get("detail", finding_line), "findings.detail")
            if measure and f_effect:
                findings.append(Finding(measure, f_effect, detail))
        events = []
        adverse = get("adverse_events")
        for event, event_line in self.mappings(adverse, ln("adverse_events"), "adverse_events", "an adverse event"):
            self.fields(event, ("event", "share"), ("event",))
            name = self.text(
                event.get("event"),
                event.lines.get("event", event_line),
                "adverse_events.event",
                "event" in event,
            )
            share = self.text(event.get("share"), event.lines.get("share", event_line), "adverse_events.share")
            if name:
                events.append(AdverseEvent(name, share))
        study = Study(
            id=ident or "",
            title=self.text(get("title"), ln("title"), "title", "title" in entry) or "",
            condition=self.vocabulary(get("condition"), ln("condition"), "condition", CONDITIONS, "condition" in entry)
            or "",
            design=design or "unspecified",
            outcome=self.text(get("outcome"), ln("outcome"), "outcome", retold and "outcome" in entry) or "",
            effect=effect,
            sources=self.sources(entry) if "sources" in entry and retold else (),
            year=self.whole_number(get("year"), ln("year"), "year", FIRST_YEAR, this_year),
            place=self.text(get("place"), ln("place"), "place"),
            investigators=self.text_list(entry, "investigators"),
            population=self.text(get("population"), ln("population"), "population"),
            n=self.whole_number(get("n"), ln("n"), "n", 1, MAX_N),
            duration=self.parsed(
                get("duration"), ln("duration"), "duration", functools.partial(Duration.parse, kind=duration_kind)
            ),
            dose=self.parsed(get("dose"), ln("dose"), "dose", Dose.parse),
            findings=tuple(findings),
            adverse_events=tuple(events),
            tolerability=self.text(get("tolerability"), ln("tolerability"), "tolerability"),
            notes=self.text(get("notes"), ln("notes"), "notes"),
            line=entry.line,
            mention=self.flag(get("mention"), ln("mention"), "mention"),
            includes=self.slugs(entry, "includes"),
        )
        if ident is not None and "includes" in entry:
            self.include_lines[ident] = ln("includes")
        if study.includes and design not in (None, "systematic-review"):
            self.problem(ln("includes"), "includes", "only a systematic review includes other studies")
        if ident is not None and ident in study.includes:
            self.problem(ln("includes"), "includes", "a review cannot include itself")
        if len(self.problems) > before or not ident:
            return None if ident is None else _Invalid(ident, entry.line)  # type: ignore[return-value]
        return study

    def document(self, item: Any, line: int) -> Document | None:
        entry = self.mapping(item, line, "a document", "documents")
        if entry is None:
            return None
        before = len(self.problems)
        self.fields(entry, _DOCUMENT_FIELDS, _DOCUMENT_REQUIRED)
        get, at = entry.get, entry.lines.get
        seed = self.text(get("seed"), at("seed", line), "seed", "seed" in entry)
        if seed:
            self.listed.add(seed)
        self.record = seed
        date = self.text(get("date"), at("date", line), "date")
        if date is not None:
            wrong = date_problem(date)
            if wrong:
                self.problem(at("date", line), "date", wrong)
                date = None
        document = Document(
            seed=seed or "",
            kind=self.vocabulary(get("kind"), at("kind", line), "kind", DOCUMENT_KINDS, "kind" in entry) or "",
            sources=self.sources(entry) if "sources" in entry else (),
            title=self.text(get("title"), at("title", line), "title"),
            publisher=self.text(get("publisher"), at("publisher", line), "publisher"),
            author=self.text(get("author"), at("author", line), "author"),
            date=date,
            line=entry.line,
            notes=self.text(get("notes"), at("notes", line), "notes"),
        )
        self.record = None
        return document if len(self.problems) == before else None

    def caution(self, item: Any, line: int) -> Caution | None:
        entry = self.mapping(item, line, "a caution", "cautions")
        if entry is None:
            return None
        before = len(self.problems)
        ident = self.identifier(entry)
        self.fields(entry, _CAUTION_FIELDS, _CAUTION_REQUIRED)
        get, at = entry.get, entry.lines.get
        caution = Caution(
            id=ident or "",
            topic=self.vocabulary(get("topic"), at("topic", line), "topic", CAUTION_TOPICS, "topic" in entry) or "",
            text=self.text(get("text"), at("text", line), "text", "text" in entry) or "",
            sources=self.sources(entry) if "sources" in entry else (),
            line=entry.line,
        )
        if len(self.problems) > before or not ident:
            return None if ident is None else _Invalid(ident, entry.line)  # type: ignore[return-value]
        return caution

    # -- the published layer -------------------------------------------------------

    def publication(self, item: Any, line: int) -> Publication | None:
        entry = self.mapping(item, line, "a publication", "publications")
        if entry is None:
            return None
        before = len(self.problems)
        ident = self.identifier(entry)
        self.fields(entry, _PUBLICATION_FIELDS, _PUBLICATION_REQUIRED)
        get = entry.get

        def ln(key: str) -> int:
            return entry.lines.get(key, entry.line)

        studies = self.study_ids(get("study"), ln("study"))
        self.named.update(studies)
        identifiers = {name: self.identifier_value(get(name), ln(name), name) for name in ("pmid", "pmcid", "doi")}
        registry = []
        for value, value_line in self.items(get("registry"), ln("registry"), "registry"):
            checked = self.identifier_value(value, value_line, "registry")
            if checked is not None:
                registry.append(checked)
        facts = [
            self.fact(fact, fact_line)
            for fact, fact_line in self.mappings(get("facts"), ln("facts"), "facts", "a fact")
        ]
        discrepancies = [
            self.curated(found, found_line, ident or "", studies)
            for found, found_line in self.mappings(
                get("discrepancies"), ln("discrepancies"), "discrepancies", "a discrepancy"
            )
        ]
        publication = Publication(
            id=ident or "",
            study=studies,
            title=self.cited(get("title"), ln("title"), "title", "title" in entry) or "",
            year=self.whole_number(get("year"), ln("year"), "year", FIRST_YEAR, datetime.date.today().year),
            authors=self.author_list(get("authors"), ln("authors")),
            journal=self.cited(get("journal"), ln("journal"), "journal"),
            volume_pages=self.cited(get("volume_pages"), ln("volume_pages"), "volume_pages"),
            pmid=identifiers["pmid"],
            pmcid=identifiers["pmcid"],
            doi=identifiers["doi"],
            registry=tuple(registry),
            verified_on=self.addresses(entry, "verified_on"),
            not_seen=self.text_list(entry, "not_seen"),
            unverified=self.unverified(entry, {identifiers[k] for k in identifiers} | set(registry)),
            notes=self.text(get("notes"), ln("notes"), "notes"),
            facts=tuple(fact for fact in facts if fact is not None),
            discrepancies=tuple(found for found in discrepancies if found is not None),
            line=entry.line,
        )
        if len(self.problems) > before or not ident:
            return None if ident is None else _Invalid(ident, entry.line)  # type: ignore[return-value]
        return publication

    def study_ids(self, value: Any, line: int) -> tuple[str, ...]:
        """A publication's `study`: one study id, or a list of them."""
        if value is None:
            return ()
        items = [(value, line)] if isinstance(value, str) else list(self.items(value, line, "study"))
        out = []
        for item, item_line in items:
            ident = self.text(item, item_line, "study", required=True)
            if ident is not None:
                out.append(ident)
        if not out and isinstance(value, list):
            self.problem(line, "study", "is empty; name the study (or studies) the publication backs")
        return tuple(out)

    def fact(self, entry: Map, line: int) -> PublishedFact | None:
        before = len(self.problems)
        self.fields(entry, _FACT_FIELDS, _FACT_REQUIRED)
        get, at = entry.get, entry.lines.get
        name = self.vocabulary(get("field"), at("field", line), "facts.field", FACT_FIELDS, "field" in entry)
        value = self.fact_value(name, get("value"), at("value", line), "value" in entry)
        fact = PublishedFact(
            field=name or "",
            text=self.text(get("text"), at("text", line), "facts.text", "text" in entry) or "",
            excerpt=self.text(get("excerpt"), at("excerpt", line), "facts.excerpt", "excerpt" in entry) or "",
            page=self.address(get("page"), at("page", line), "facts.page", "page" in entry) or "",
            page_kind=self.vocabulary(
                get("page_kind"), at("page_kind", line), "facts.page_kind", PAGE_KINDS, "page_kind" in entry
            )
            or "",
            value=value,
            line=line,
            **self.result_keys(entry, line, name),
            arms=self.arms(entry, line, name, value),
        )
        return fact if len(self.problems) == before else None

    def arms(self, entry: Map, line: int, name: str | None, value: Any) -> tuple[int, ...]:
        """A count printed only arm by arm: each arm's whole number, on a count of people with no `value`."""
        if "arms" not in entry:
            return ()
        at = entry.lines.get("arms", line)
        if name is not None and (name not in COUNT_FIELDS or name == "dropouts"):
            only = "only a count of people (enrolled, randomized, completed, analysed) has `arms`"
            self.problem(at, "facts.arms", only)
            return ()
        if value is not None:
            self.problem(at, "facts.arms", "a count with arms has no `value`: the page prints no total")
            return ()
        numbers = [self.whole_number(item, item_line, "facts.arms", 0, 100_000_000)
                   for item, item_line in self.items(entry.get("arms"), at, "facts.arms")]  # fmt: skip
        if len(numbers) < 2:
            self.problem(at, "facts.arms", "lists the number of each arm: at least two")
            return ()
        return tuple(n for n in numbers if n is not None) if None not in numbers else ()

    def result_keys(self, entry: Map, line: int, name: str | None) -> dict[str, Any]:
        """What an outcome, pooled result or harm measured and found: only on those facts, each key checked."""
        get, at = entry.get, entry.lines.get
        keys = [key for key in _RESULT_KEYS if key in entry]
        if name is not None and name not in RESULT_FIELDS:
            for key in keys:
                self.problem(
                    at(key, line), f"facts.{key}", f"only an outcome, pooled-result or harms fact carries `{key}`"
                )
            return {}
        if "event" in entry and name not in (None, "harms"):
            self.problem(at("event", line), "facts.event", "only a harms fact names an `event`")
        out: dict[str, Any] = {}
        for key, vocabulary in (("measure", MEASURES), ("direction", EFFECTS), ("comparison", COMPARISONS)):
            if get(key) is not None:
                out[key] = self.vocabulary(get(key), at(key, line), f"facts.{key}", vocabulary)
        for key in ("size", "scale", "timepoint", "event"):
            if get(key) is not None:
                out[key] = self.text(get(key), at(key, line), f"facts.{key}", required=True)
        if "primary" in entry:
            out["primary"] = self.flag(get("primary"), at("primary", line), "facts.primary")
        return out

    def unverified(self, entry: Map, identifiers: set[str | None]) -> tuple[str, ...]:
        """What was seen only where it cannot be relied on; an identifier seen in an address only is never linked."""
        out = []
        field = "unverified"
        for item, line in self.items(entry.get(field), entry.lines.get(field, entry.line), field):
            text = self.text(item, line, field, required=True)
            if text is None:
                continue
            linked = sorted(i for i in identifiers if i and re.search(rf"(?<![\w.]){re.escape(i)}(?![\w])", text))
            lower = text.lower()
            if linked:
                self.problem(
                    line, field,
                    f"names {linked[0]}, which the publication also gives as its own identifier: "
                    "an identifier seen only in an address is listed here and never linked",
                )  # fmt: skip
            elif re.search(r"\b(?:address|url)\b", lower) and ADDRESS_ONLY not in lower:
                self.problem(
                    line, field, f"an identifier seen only inside a page's address is said as '{ADDRESS_ONLY}'"
                )
            else:
                out.append(text)
        return tuple(out)

    def fact_value(self, name: str | None, value: Any, line: int, given: bool) -> int | str | None:
        """A fact's structured value, checked for its field: a count, a length, a dose or a vocabulary key."""
        if name is None:
            return None
        where = "facts.value"
        # A count, date or length a page states only in words that hold no single number of its kind
        # ("20 and 20 started") is a fact with its text and excerpt and no `value`: never compared.
        if value is None and (
            name in COUNT_FIELDS or name in _NUMBER_FIELDS or name in DATE_FIELDS or name in TIME_FIELDS
        ):
            return None
        if name in COUNT_FIELDS:
            # A withdrawn trial enrolled no one: 0 people enrolled is a fact a registry states.
            low = 0 if name in ("dropouts", "enrolled") else 1
            return self.whole_number(value, line, where, low, 100_000_000)
        if name in _NUMBER_FIELDS:
            if name == "year":
                return self.whole_number(value, line, "year", FIRST_YEAR, datetime.date.today().year)
            return self.whole_number(value, line, where, 1, MAX_N)
        if name in DATE_FIELDS:
            date = self.text(value, line, where)
            wrong = None if date is None else stated_date_problem(date)
            if wrong:
                self.problem(line, where, wrong)
                return None
            return date
        if name in _NEEDS_VALUE and value is None:
            self.problem(line, where, f"a fact about the {FACT_FIELDS[name]} needs its key as `value`")
            return None
        if name in TIME_FIELDS:
            parsed = self.parsed(value, line, "duration", Duration.parse)
            return parsed.text if parsed is not None else None
        if name == "dose":
            parsed = self.parsed(value, line, "dose", Dose.parse)
            return parsed.text if parsed is not None else None
        if name in _VALUE_VOCABULARIES:
            if value is None:
                return None
            return self.vocabulary(value, line, where, _VALUE_VOCABULARIES[name])
        if value is not None:
            self.problem(line, where, f"a fact about {FACT_FIELDS[name]} has no structured value; say it in `text`")
        return None

    def curated(self, entry: Map, line: int, publication: str, studies: tuple[str, ...]) -> Discrepancy | None:
        before = len(self.problems)
        self.fields(entry, _DISCREPANCY_FIELDS, _DISCREPANCY_REQUIRED)
        get, at = entry.get, entry.lines.get
        study = self.text(get("study"), at("study", line), "discrepancies.study")
        if study is None and len(studies) > 1:
            self.problem(line, "discrepancies.study", "missing; the publication backs several studies, so name one")
        elif study is not None and studies and study not in studies:
            self.problem(
                at("study", line), "discrepancies.study", f"'{study}' is not one of the studies the publication backs"
            )
        seed = self.text(get("seed"), at("seed", line), "discrepancies.seed", "seed" in entry)
        if seed is not None and self.seeds is not None and seed not in self.seeds:
            guess = did_you_mean(seed, self.seeds)
            hint = f"; did you mean '{guess}'?" if guess else ""
            self.problem(at("seed", line), "discrepancies.seed", f"'{seed}' is not a listed document{hint}")

        def text(key: str) -> str:
            return self.text(get(key), at(key, line), f"discrepancies.{key}", key in entry) or ""

        found = Discrepancy(
            kind=self.vocabulary(
                get("kind"), at("kind", line), "discrepancies.kind", DISCREPANCY_KINDS, "kind" in entry
            )
            or "",
            seed=seed or "",
            article_says=text("article_says"),
            published_says=text("published_says"),
            page=text("page"),
            page_kind=self.vocabulary(
                get("page_kind"), at("page_kind", line), "discrepancies.page_kind", PAGE_KINDS, "page_kind" in entry
            )
            or "",
            explanation=text("explanation"),
            study=study if study is not None else (studies[0] if len(studies) == 1 else None),
            publication=publication,
            line=line,
        )
        return found if len(self.problems) == before else None

    def wider(self, studies: list[Study], publications: list[Publication]) -> None:
        """A study no article retells rests on a publication whose `design` fact it follows; a review's
        `includes` name catalogued studies."""
        known = {study.id for study in studies}
        papers: dict[str, list[Publication]] = {}
        for publication in publications:
            if isinstance(publication, Publication):
                for ident in publication.study:
                    papers.setdefault(ident, []).append(publication)
        for study in studies:
            if not isinstance(study, Study):
                continue
            for ident in study.includes:
                if ident not in known:
                    guess = did_you_mean(ident, known)
                    hint = f"; did you mean '{guess}'?" if guess else ""
                    self.problems.append(
                        Problem(self.path, self.include_lines.get(study.id, study.line),
                                f"no study '{ident}' in the catalogue{hint}", record=study.id, field="includes")
                    )  # fmt: skip
        first_of: dict[str, Study] = {}  # the first record of each id, found in one pass
        for record in studies:
            if isinstance(record, Study):
                first_of.setdefault(record.id, record)
        for ident, (sources_line, design_line) in self.unretold.items():
            if ident not in self.named:
                self.problems.append(
                    Problem(self.path, sources_line,
                            "is empty; every record needs at least one source quote, or a publication that names it",
                            record=ident, field="sources")
                )  # fmt: skip
                continue
            found = first_of.get(ident)
            if found is None or ident not in papers:
                continue  # its record or its publication has problems of its own
            stated = {f.value for p in papers[ident] for f in p.facts if f.field == "design" and f.value is not None}
            ids = ", ".join(p.id for p in papers[ident])
            if not stated:
                message = (
                    f"a study no article retells takes its design from its publication: give {ids} a `design` fact "
                    f"with the value '{found.design}'"
                )
            elif found.design not in stated:
                message = (
                    f"'{found.design}' is not the design its publication states "
                    f"({', '.join(sorted(map(str, stated)))}); a study no article retells takes its design from it"
                )
            else:
                continue
            self.problems.append(Problem(self.path, design_line, message, record=ident, field="design"))

    def search(self, value: Any, line: int) -> Search | None:
        """The `search:` section: when and where, each query, each record left out and why."""
        entry = self.mapping(value, line, "the search", "search")
        if entry is None:
            return None
        before = len(self.problems)
        self.record = "search"
        self.fields(entry, names("search"), required("search"))
        get, at = entry.get, entry.lines.get
        searched = self.text(get("searched"), at("searched", line), "searched", "searched" in entry)
        if searched is not None:
            wrong = date_problem(searched)
            if wrong:
                self.problem(at("searched", line), "searched", wrong)
        queries = []
        for item, item_line in self.mappings(get("queries"), at("queries", line), "queries", "a query"):
            self.fields(item, names("query"), required("query"))
            queries.append(
                SearchQuery(
                    query=self.text(item.get("query"), item.lines.get("query", item_line), "queries.query", True) or "",
                    group=self.text(item.get("group"), item.lines.get("group", item_line), "queries.group"),
                    corpus=self.text(item.get("corpus"), item.lines.get("corpus", item_line), "queries.corpus"),
                    screened=self.whole_number(
                        item.get("screened"), item.lines.get("screened", item_line), "queries.screened", 0, MAX_N
                    )
                    or 0,
                    included=self.whole_number(
                        item.get("included"), item.lines.get("included", item_line), "queries.included", 0, MAX_N
                    )
                    or 0,
                    line=item_line,
                )
            )
        excluded = []
        for item, item_line in self.mappings(get("excluded"), at("excluded", line), "excluded", "an excluded record"):
            self.fields(item, names("excluded"), required("excluded"))
            at_item = item.lines.get
            excluded.append(
                Excluded(
                    title=self.text(item.get("title"), at_item("title", item_line), "excluded.title", True) or "",
                    reason=self.vocabulary(
                        item.get("reason"), at_item("reason", item_line), "excluded.reason", EXCLUSION_REASONS,
                        "reason" in item,
                    )
                    or "",
                    page=self.address(item.get("page"), at_item("page", item_line), "excluded.page"),
                    note=self.text(item.get("note"), at_item("note", item_line), "excluded.note"),
                    line=item_line,
                )
            )  # fmt: skip
        self.record = None
        if len(self.problems) > before:
            return None
        return Search(
            searched=searched or "",
            scope=self.text(get("scope"), at("scope", line), "scope", True) or "",
            where=self.text_list(entry, "where"),
            queries=tuple(queries),
            excluded=tuple(excluded),
            line=entry.line,
        )

    def backed_studies(self, publications: list[Publication], known: set[str]) -> None:
        """Every study a publication names must be in the catalogue."""
        for publication in publications:
            if not isinstance(publication, Publication):
                continue  # a publication with problems of its own (already reported)
            for ident in publication.study:
                if ident not in known:
                    guess = did_you_mean(ident, known)
                    hint = f"; did you mean '{guess}'?" if guess else ""
                    self.problems.append(
                        Problem(self.path, publication.line, f"no study '{ident}' in the catalogue{hint}",
                                record=publication.id, field="study")
                    )  # fmt: skip


def attach(studies: list[Study], publications: list[Publication]) -> tuple[Study, ...]:
    """The studies, each with its publication (see `model.first_publications`) as `publication`."""
    first = first_publications(publications)
    if not first:
        return tuple(studies)
    return tuple([dataclasses.replace(s, publication=first[s.id]) if s.id in first else s for s in studies])
