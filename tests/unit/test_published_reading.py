"""The published layer is read in one place: the old readings and `published.readings` agree.

Before `published` there were three readings of what the papers say, each with its own
rule for which publication speaks: `publications.published_values` (one publication at a
time, for the discrepancy rules and `list --n published`), `claims.published_of` (the
study's publications in file order, the first to state a fact gives it) and
`grading.published_enrolment` / `published_conduct` (the same, but only publications
backing one study). The old functions are kept below verbatim as references.

Where they differed. With the wider evidence the catalogue holds studies with several
publications, and the old readings parted on them. The Mali HIV trials: one registry
record (nct01174914) backs both the randomized trial and the cohort study, and a secondary
page of it counts "171 participants in all" across three groups; each study also has a
paper of its own. The old claims reading took the study's first publication in file order,
so it gave the cohort 171 enrolled, where its own abstract says 55 were followed, and gave
the trial 171 where its own paper states no count at all; `list` took the first publication
that names the study (the shared registry record) and, within one publication, the last count
of a kind (57 on a secondary page over the abstract's 55).

Which rule is right (EVIDENCE.md): a count of people belongs to the study the page counts, so
a publication about the study alone speaks before one shared with other studies, and a paper's
own page before a registry record or a secondary page; the count a view rests on is analysed
where stated, else randomized, else enrolled. `published.Reading.counts`, `Reading.people`,
`headline_count` and the loader's `attach` now follow it, and the tests below check that every
reader agrees with the reading, and that where the old readings gave something else it was
one of the cases this rule settles.
"""

from __future__ import annotations

from typing import Any

from ldn_evidence import claims, grading
from ldn_evidence.loader import load
from ldn_evidence.model import COUNT_FIELDS, TIME_FIELDS, Catalogue, Duration
from ldn_evidence.published import (
    HEADLINE_COUNTS,
    PEOPLE_ORDER,
    Reading,
    headline_count,
    page_rank,
    published_values,
    readings,
)

from conftest import SHIPPED

CATALOGUE = load(SHIPPED)


# --- the old readings, as they were -------------------------------------------------------------


def old_enrolment(catalogue: Catalogue) -> dict[str, int]:
    enrolled: dict[str, int] = {}
    for publication in catalogue.publications:
        if len(publication.study) != 1:
            continue
        number = next((f.value for f in publication.facts_on("enrolled") if isinstance(f.value, int)), None)
        if number is not None:
            enrolled.setdefault(publication.study[0], number)
    return enrolled


def old_conduct(catalogue: Catalogue) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for publication in catalogue.publications:
        if len(publication.study) != 1:
            continue
        values = found.setdefault(publication.study[0], {})
        for fact in publication.facts:
            if fact.value is None:
                continue
            if fact.field == "blinding" or (fact.field == "design" and fact.value == "open-label"):
                values.setdefault("blinding", str(fact.value))
            elif (fact.field == "design" and fact.value == "rct") or fact.field == "randomized":
                values.setdefault("randomized", True)
            if fact.field in ("enrolled", "completed", "dropouts") and isinstance(fact.value, int):
                values.setdefault(fact.field, fact.value)
    return {study: values for study, values in found.items() if values}


def old_claims_facts(catalogue: Catalogue, study: str) -> dict[str, Any]:
    """What the old `claims.published_of` took from each fact: first count, time and design field, every dose."""
    counts: dict[str, Any] = {}
    design: dict[str, Any] = {}
    times: dict[str, Any] = {}
    doses: list[Any] = []
    for publication in catalogue.publications_of(study):
        for fact in publication.facts:
            value = fact.value
            if fact.field in claims.COUNT_ORDER and isinstance(value, int):
                counts.setdefault(fact.field, (value, fact.excerpt, fact.page))
            elif fact.field in TIME_FIELDS and value is not None:
                times.setdefault(TIME_FIELDS[fact.field], (Duration.parse(str(value)).days, fact.excerpt, fact.page))
            elif fact.field in ("design", "blinding", "allocation", "control") and value is not None:
                design.setdefault(fact.field, (str(value), fact.excerpt, fact.page))
            elif fact.field == "dose" and value is not None:
                doses.append((str(value), fact.excerpt, fact.page))
    return {"counts": counts, "times": times, "design": design, "doses": doses}


def _settled_by_the_rule(reading: Reading, old: Any, new: Any) -> bool:
    """True when the old count was heard from a shared record the study does not need, or a worse page."""
    if old is None:
        return False
    said = next(s for s in reading.facts if (s.value, s.fact.excerpt, s.fact.page) == old)
    own = any(s.alone for s in reading.facts)
    if own and not said.alone:
        return True
    return new is not None and page_rank(said.fact.page_kind) > min(
        page_rank(s.fact.page_kind) for s in reading.facts if (s.value, s.fact.excerpt, s.fact.page) == new
    )


# --- agreement ------------------------------------------------------------------------------------


def test_every_study_with_a_paper_has_one_reading() -> None:
    backed = {ident for p in CATALOGUE.publications for ident in p.study}
    assert set(readings(CATALOGUE)) == backed
    assert readings(CATALOGUE) is readings(CATALOGUE)  # computed once per catalogue


def test_grading_reads_as_the_old_enrolment_and_conduct() -> None:
    assert grading.published_enrolment(CATALOGUE) == old_enrolment(CATALOGUE)
    new = {
        study: {k: v for k, v in c._asdict().items() if v is not None}
        for study, c in grading.published_conduct(CATALOGUE).items()
    }
    old = old_conduct(CATALOGUE)
    # A count a page prints arm by arm is now the sum of its arms (test_published_arms); the old reading
    # heard only stated totals, so those counts are left out of the comparison.
    summed = {
        (study, kind)
        for study, reading in readings(CATALOGUE).items()
        for kind, said in reading.counts(alone=True).items()
        if said.fact.arms and kind in ("enrolled", "completed", "dropouts")
    }
    assert summed  # the shipped catalogue has such counts: the exception is not empty
    new = {study: {k: v for k, v in values.items() if (study, k) not in summed} for study, values in new.items()}
    assert new == old
    assert old  # the shipped catalogue does state conduct: the comparison is not of two empty tables


def test_claims_reads_as_the_old_published_of() -> None:
    layer = claims.published_layer(CATALOGUE)
    assert layer
    for study, published in layer.items():
        old = old_claims_facts(CATALOGUE, study)
        new_counts = {k: (f.value, f.excerpt, f.source) for k, f in published.counts.items()}
        reading = readings(CATALOGUE)[study]
        for kind in set(new_counts) | set(old["counts"]):
            if new_counts.get(kind) == old["counts"].get(kind):
                continue
            if old["counts"].get(kind) is None and any(
                s.fact.arms and s.fact.excerpt == new_counts[kind][1] for s in reading.all(kind)
            ):
                continue  # a count printed arm by arm, now their sum (test_published_arms); the old heard none
            # Where they differ, the old count came from a record shared with other studies while the
            # study has a paper of its own, or from a worse page than the one the rule now hears.
            settled = _settled_by_the_rule(reading, old["counts"].get(kind), new_counts.get(kind))
            assert settled, (study, kind, old["counts"].get(kind), new_counts.get(kind))
        times = {k: (f.value, f.excerpt, f.source) for k, f in
                 (("treatment", published.treatment_days), ("whole-study", published.study_days)) if f}  # fmt: skip
        assert times == old["times"]
        assert {k: (f.value, f.excerpt, f.source) for k, f in published.design.items()} == old["design"]
        if published.dose_mg is not None:
            assert (published.dose_mg.text, published.dose_mg.excerpt, published.dose_mg.source) in old["doses"]


def test_one_publication_read_alone_gives_its_own_values() -> None:
    """The discrepancy rules compare each paper on its own: the reading holds exactly that paper's facts."""
    for reading in readings(CATALOGUE).values():
        for publication in reading.publications:
            own = Reading(
                reading.study, (publication,), tuple(s for s in reading.facts if s.publication is publication)
            )
            values = published_values(publication)
            stated: dict[str, list[int]] = {}
            for count in values.counts:
                stated.setdefault(count.kind, []).append(count.number)
            first = {kind: said for kind, said in own.counts().items() if kind != "dropouts"}
            assert set(stated) == set(first) <= COUNT_FIELDS
            for kind, said in first.items():
                # The paper's own page speaks first: no fact of this kind on a better page comes later.
                better = [f for f in publication.facts_on(kind) if isinstance(f.value, int)
                          and page_rank(f.page_kind) < page_rank(said.fact.page_kind)]  # fmt: skip
                assert said.value in stated[kind] and not better


def test_a_study_with_a_paper_of_its_own_is_not_counted_by_a_shared_record() -> None:
    """The Mali trials share a registry record counting 171 in three groups: each is counted by its own paper."""
    shared = [p for p in CATALOGUE.publications if len(p.study) > 1 and p.facts_on("enrolled")]
    assert shared  # the shipped catalogue has such a record: the rule is exercised
    for publication in shared:
        for study in publication.study:
            reading = readings(CATALOGUE)[study]
            if any(said.alone for said in reading.facts):
                assert all(said.publication is not publication for said in reading.counts().values())
    people = readings(CATALOGUE)["hiv-aids-traore-2011-open-label"].people()
    assert people is not None and (people.field, people.value, people.fact.page_kind) == ("enrolled", 55, "abstract")


def test_the_people_count_is_analysed_else_randomized_else_enrolled() -> None:
    for reading in readings(CATALOGUE).values():
        counts = reading.counts()
        people = reading.people()
        kinds = [kind for kind in PEOPLE_ORDER if kind in counts]
        assert (people.field if people else None) == (kinds[0] if kinds else None)


def test_the_headline_count_of_list_and_show_is_the_readings() -> None:
    """`list --n published` reads the study's first paper; on the shipped catalogue that is the reading's count."""
    checked = 0
    for study in CATALOGUE.studies:
        reading = readings(CATALOGUE).get(study.id)
        counts = reading.counts() if reading else {}
        from_reading = next((counts[k].value for k in HEADLINE_COUNTS if k in counts), None)
        count = headline_count(study.publication) if study.publication is not None else None
        assert (count.number if count else None) == from_reading
        checked += count is not None
    assert checked >= 5


def test_grading_and_claims_hear_the_same_enrolment() -> None:
    """The readers share the reading: a study's enrolment seen by grading and by claims is the same fact."""
    enrolled = grading.published_enrolment(CATALOGUE)
    assert enrolled
    layer = claims.published_layer(CATALOGUE)
    for study, number in enrolled.items():
        assert layer[study].counts["enrolled"].value == number
