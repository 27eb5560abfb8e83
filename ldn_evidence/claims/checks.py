"""The claim checks, each a small function listed in `CHECKS`, run on each linked sentence."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

from ldn_evidence.claims.linking import _study_text, _words
from ldn_evidence.claims.papers import COUNT_ORDER, Fact, Published
from ldn_evidence.claims.result import Check
from ldn_evidence.claims.splitting import _segmenter, _split
from ldn_evidence.claims.statements import (
    _ANIMAL_RE,
    _ANIMALS,
    _BENEFIT_TO,
    _DESIGN_RES,
    _HUMAN_RE,
    _NAMED,
    DESIGN_WORDS,
    MEASURE_WORDS,
    SIZE_WINDOW,
    StatedDuration,
    StatedSize,
    found_conditions,
    size_values,
    stated_advice,
    stated_design,
    stated_doses,
    stated_durations,
    stated_harms,
    stated_n,
    stated_outcomes,
    stated_overstatement,
    stated_sizes,
    stated_year,
)
from ldn_evidence.model import (
    DESIGNS,
    MS_FORMS,
    PRECLINICAL_DESIGNS,
    Catalogue,
    Study,
)
from ldn_evidence.text import fold

# --- checks: each a small function ----------------------------------------------------------


@dataclass(frozen=True)
class Context:
    """What a check reads: the sentence, its study (if linked), the catalogue and the published layer."""

    sentence: str
    study: Study | None
    catalogue: Catalogue
    published: dict[str, Published]
    others: tuple[Study, ...] = ()
    """Other studies the sentence speaks of (`Claim.also`): a finding it states may be theirs."""
    paragraph: str = ""
    """The sentence's whole paragraph: what the article says around it (the dropouts in the next sentence)."""

    @property
    def paper(self) -> Published:
        """The linked study's published facts (empty when none)."""
        return self.published.get(self.study.id, Published()) if self.study else Published()

    def quote(self, study: Study | None = None, hint: str | None = None) -> tuple[str | None, str | None]:
        """(quote, seed) backing the record: the shortest of its quotes that holds `hint`, else its first."""
        target = study or self.study
        if target is None or not target.sources:
            return None, None
        holding = [s for s in target.sources if hint and hint.lower() in fold(s.quote).lower()]
        chosen = min(holding, key=lambda s: len(s.quote)) if holding else target.sources[0]
        return _narrowed(chosen.quote, hint), chosen.seed


CheckRule = Callable[[Context], list[Check]]

#: A quote longer than this is narrowed to its sentence that holds what a check compared.
LONG_QUOTE = 240


#: The sentences of each long quote, split once per run.
_QUOTE_SENTENCES: dict[str, list[str]] = {}


def _narrowed(quote: str, hint: str | None) -> str:
    """The sentence of a long quote that holds `hint` (still verbatim), else the whole quote."""
    if hint is None or len(quote) <= LONG_QUOTE:
        return quote
    if quote not in _QUOTE_SENTENCES:
        _QUOTE_SENTENCES[quote] = [p for _, p in _split(_segmenter(), quote) if p]
    holding = [p for p in _QUOTE_SENTENCES[quote] if hint.lower() in fold(p).lower() and p in quote]
    return holding[0] if holding else quote


#: design key -> a word its quotes use for it, to pick the sentence that says how a study was done.
DESIGN_HINTS = {
    "rct": "randomized", "controlled-trial": "placebo", "open-label": "open-label", "retrospective": "retrospective",
    "case-series": "cases", "case-report": "case report", "animal": "mice", "in-vitro": "in vitro",
    "before-after": "before", "hypothesis": "theory",
}  # fmt: skip


def _articles(
    ctx: Context, kind: str, verdict: str, article: str, catalogue: str | None, study: Study | None = None,
    hint: str | None = None,
) -> Check:  # fmt: skip
    quote, seed = ctx.quote(study, hint)
    return Check(
        kind,
        verdict,
        article,
        catalogue,
        None,
        quote,
        seed,
        study.id if study and study is not ctx.study else None,
        "articles",
    )


def _published(
    kind: str, verdict: str, article: str, catalogue: str | None, fact: Fact, about: str | None = None
) -> Check:
    return Check(kind, verdict, article, catalogue, fact.text, fact.excerpt, fact.source, about, "published")


def headline_kind(counts: dict[str, Fact]) -> str:
    """Which count stands for a study's size: the first of COUNT_ORDER the paper gives."""
    return next(kind for kind in COUNT_ORDER if kind in counts)


def _for_others(ctx: Context, rule: CheckRule, checks: list[Check]) -> list[Check]:
    """Checks that did not agree, tried again on the other studies the sentence names ("one study, of 31 women,
    ...; the other, of 99 women, ..."): a value that agrees with one of them is theirs, and says so."""
    out = []
    for check in checks:
        if check.verdict != "agrees":
            for other in ctx.others:
                theirs = [
                    c for c in rule(replace(ctx, study=other, others=()))
                    if c.kind == check.kind and c.article == check.article and c.verdict == "agrees"
                ]  # fmt: skip
                if theirs:
                    check = replace(theirs[0], about=other.id)
                    break
        out.append(check)
    return out


def check_n(ctx: Context) -> list[Check]:
    """The number of people: against the paper's counts (saying which count a number is), else the record's n."""
    if ctx.study is None:
        return []
    checks = []
    record = f"{ctx.study.n} people" if ctx.study.n is not None else None
    counts = ctx.paper.counts
    for phrase, value in stated_n(ctx.sentence):
        if counts:
            headline = next(counts[kind] for kind in COUNT_ORDER if kind in counts)
            same = [kind for kind in COUNT_ORDER if kind in counts and counts[kind].value == value]
            if same and (same[0] in ("enrolled", "randomized") or "enrolled" not in counts):
                # The people enrolled, or those randomized (who took the treatments): the trial's size.
                fact = counts[same[0]]
                if same[0] != headline_kind(counts):
                    fact = replace(fact, text=f"{value} is the number {same[0]}; {headline.text}")
                checks.append(_published("n", "agrees", phrase, record, fact))
            elif same:
                said = f"{headline.text}; {value} is the number {same[0]}"
                fact = Fact(headline.value, said, counts[same[0]].excerpt, counts[same[0]].source)
                checks.append(_published("n", "differs", phrase, record, fact))
            else:
                checks.append(_published("n", "differs", phrase, record, headline))
        elif ctx.study.n is not None:
            verdict = "agrees" if value == ctx.study.n else "differs"
            checks.append(_articles(ctx, "n", verdict, phrase, record, hint=str(ctx.study.n)))
        else:
            checks.append(_articles(ctx, "n", "unchecked", phrase, None))
    return _for_others(ctx, check_n, checks) if ctx.others else checks


def check_duration(ctx: Context) -> list[Check]:
    """A length of study or treatment: against the paper's study length and treatment period, else the record's."""
    if ctx.study is None:
        return []
    checks = []
    record = ctx.study.duration.text if ctx.study.duration else None
    paper = ctx.paper
    for stated in stated_durations(ctx.sentence):

        def close(days: float, stated: StatedDuration = stated) -> bool:
            return abs(stated.days - days) <= 0.05 * days

        # "An eight-week trial" is the study's length, "for eight weeks" the time on LDN; where the paper
        # gives only one of the two, that one is compared.
        order = (
            (paper.study_days, paper.treatment_days) if stated.of_study else (paper.treatment_days, paper.study_days)
        )
        fact = next((f for f in order if f is not None), None)
        if fact is not None:
            verdict = "agrees" if close(fact.value) else "differs"
            checks.append(_published("duration", verdict, stated.phrase, record, fact))
        elif ctx.study.duration is not None:
            agrees = close(ctx.study.duration.days) or any(
                close(d.days) for s in ctx.study.sources for d in stated_durations(s.quote)
            )
            verdict = "agrees" if agrees else "differs"
            checks.append(_articles(ctx, "duration", verdict, stated.phrase, record, hint=stated.phrase))
        else:
            checks.append(_articles(ctx, "duration", "unchecked", stated.phrase, None))
    return _for_others(ctx, check_duration, checks) if ctx.others else checks


def check_dose(ctx: Context) -> list[Check]:
    """A dose in mg: against the paper's, else the record's."""
    if ctx.study is None:
        return []
    checks = []
    record = ctx.study.dose.text if ctx.study.dose else None
    for phrase, mg in stated_doses(ctx.sentence):
        if ctx.paper.dose_mg is not None:
            verdict = "agrees" if mg == ctx.paper.dose_mg.value else "differs"
            checks.append(_published("dose", verdict, phrase, record, ctx.paper.dose_mg))
        elif ctx.study.dose is not None:
            amounts = {a for _, a in stated_doses(ctx.study.dose.text)}
            verdict = "agrees" if mg in amounts else "differs"
            checks.append(_articles(ctx, "dose", verdict, phrase, record, hint=f"{mg:g}"))
        else:
            checks.append(_articles(ctx, "dose", "unchecked", phrase, None))
    return _for_others(ctx, check_dose, checks) if ctx.others else checks


def check_design(ctx: Context) -> list[Check]:
    """Design words (randomized, placebo, crossover, open-label, blinding, case report): against the
    paper's, else the record's design."""
    if ctx.study is None:
        return []
    checks = []
    design = ctx.study.design
    record = f"{design} ({DESIGNS[design][1]})"
    text = fold(_study_text(ctx.study) + " " + (ctx.study.notes or "")).lower()
    for word in stated_design(ctx.sentence):
        if word in ("in mice", "in cells"):
            continue  # the animal-to-human check reads these
        _, fits, contradicts = DESIGN_WORDS[word]
        published = published_design(word, ctx.paper)
        if published is not None:
            verdict, fact = published
            checks.append(_published("design", verdict, word, record, fact))
        elif design in fits or (_DESIGN_RES[word].search(text) and design not in contradicts):
            checks.append(_articles(ctx, "design", "agrees", word, record, hint=word.split("-")[0]))
        elif design in contradicts:
            checks.append(_articles(ctx, "design", "differs", word, record, hint=word.split("-")[0]))
        else:
            checks.append(_articles(ctx, "design", "unchecked", word, record))
    return _for_others(ctx, check_design, checks) if ctx.others else checks


#: design word -> (the published fact that settles it, the values that agree, the values that differ).
PUBLISHED_DESIGN: dict[str, tuple[str, frozenset[str], frozenset[str]]] = {
    "placebo-controlled": ("control", frozenset({"placebo"}), frozenset({"none"})),
    "open-label": ("blinding", frozenset({"open-label"}), frozenset({"single-blind", "double-blind"})),
    "double-blind": ("blinding", frozenset({"double-blind"}), frozenset({"open-label", "single-blind"})),
    "single-blind": ("blinding", frozenset({"single-blind"}), frozenset({"open-label", "double-blind"})),
    "crossover": ("allocation", frozenset({"crossover"}), frozenset({"parallel", "single-group"})),
}


def published_design(word: str, paper: Published) -> tuple[str, Fact] | None:
    """(verdict, fact) for a design word where the paper settles it; None where it does not say."""
    if word in PUBLISHED_DESIGN:
        name, agree, differ = PUBLISHED_DESIGN[word]
        fact = paper.design.get(name)
        if fact is not None and (str(fact.value) in agree or str(fact.value) in differ):
            return ("agrees" if str(fact.value) in agree else "differs"), fact
    fact = paper.design.get("design")
    if fact is not None and word in DESIGN_WORDS:
        _, fits, contradicts = DESIGN_WORDS[word]
        if str(fact.value) in fits | contradicts:
            return ("agrees" if str(fact.value) in fits else "differs"), fact
    return None


def check_year(ctx: Context) -> list[Check]:
    """The year a study was published: against its papers' years, else the record's. A year agrees only when it is
    one of them: a year off by one is another year (and may be another study's), never "within a year"."""
    if ctx.study is None:
        return []
    checks = []
    ident = ctx.study.id
    record = str(ctx.study.year) if ctx.study.year else None
    years = sorted({p.year for p in ctx.catalogue.publications if ident in p.study and p.year is not None})
    for phrase, year in stated_year(ctx.sentence):
        if ctx.paper.year is not None:
            paper = ctx.paper.year
            if year in years and year != paper.value:
                paper = Fact(year, f"published in {year} (a later paper of it; the first, {paper.value})", None,
                             paper.source)  # fmt: skip
            elif year not in years:
                said = " and ".join(str(y) for y in years)
                paper = Fact(paper.value, f"published in {said}" + (f"; the record says {record}" if record and
                             int(record) not in years else ""), None, paper.source)  # fmt: skip
            checks.append(_published("year", "agrees" if year in years else "differs", phrase, record, paper))
        elif ctx.study.year is not None:
            checks.append(_articles(ctx, "year", "agrees" if year == ctx.study.year else "differs", phrase, record))
        else:
            checks.append(_articles(ctx, "year", "unchecked", phrase, None))
    return _for_others(ctx, check_year, checks) if ctx.others else checks


def check_outcome(ctx: Context) -> list[Check]:
    """A measure said to have changed: is it one the paper (else the record) reports?"""
    if ctx.study is None or not ctx.study.clinical:
        return []
    checks = []
    found = {f.measure: f for f in ctx.study.findings}
    record = ", ".join(dict.fromkeys(f.measure for f in ctx.study.findings)) or None
    for measure, phrase, changed in stated_outcomes(ctx.sentence):
        if ctx.paper.directions:
            check = _outcome_direction(ctx, measure, phrase, changed, record)
            if check.verdict != "agrees":  # "one study showed less pain; the other found no effect"
                for other in ctx.others:
                    theirs = replace(ctx, study=other, others=())
                    if theirs.paper.directions:
                        their_check = _outcome_direction(theirs, measure, phrase, changed, record)
                        if their_check.verdict == "agrees":
                            check = replace(their_check, about=other.id)
                            break
            checks.append(check)
            if check.verdict == "agrees":
                sized = replace(ctx, study=next((s for s in ctx.others if s.id == check.about), ctx.study))
                checks += _outcome_size(sized, measure, phrase, record)
        elif ctx.paper.measures:
            naming = [f for f in ctx.paper.outcomes if measure in f.value]
            verdict = "agrees" if naming else "differs"
            fact = naming[0] if naming else _closest(ctx.sentence, ctx.paper.outcomes)
            checks.append(_published("outcome", verdict, phrase, record, fact))
        elif measure in found:
            effects = {f.effect for f in ctx.study.findings if f.measure == measure}
            agrees = bool(effects - {"no-effect"}) if changed else "no-effect" in effects
            verdict = "agrees" if agrees else "differs"
            checks.append(_articles(ctx, "outcome", verdict, phrase, record, hint=MEASURE_WORDS[measure].split("|")[0]))
        elif ctx.study.findings:
            checks.append(_articles(ctx, "outcome", "differs", phrase, record, hint=phrase.split()[-1]))
        else:
            checks.append(_articles(ctx, "outcome", "unchecked", phrase, None))
    return checks


#: What the article says a measure did, against what the paper found: the directions that agree.
_AGREEING = {True: {"benefit"}, False: {"no-effect"}}
_OPPOSED = {True: {"no-effect", "harm", "mixed"}, False: {"benefit", "harm"}}


def _outcome_direction(ctx: Context, measure: str, phrase: str, changed: bool, record: str | None) -> Check:
    """A measure said to have improved (or not to have changed), against which way the paper found it went:
    `agrees` only when the directions agree, `differs` with the paper's finding beside the article's words,
    `unchecked` when the paper states no direction for that measure."""
    said = "improved" if changed else "did not change"
    found = ctx.paper.directions.get(measure, ())
    if not found:
        if ctx.paper.measures and measure not in ctx.paper.measures:
            fact = _closest(ctx.sentence, ctx.paper.outcomes)
            return _published("outcome", "differs", f"{phrase} ({said})", record, replace(
                fact, text=f"the paper reports no finding on {measure}; it reports: {fact.text}"))  # fmt: skip
        why = f"the catalogue holds no direction the paper found for {measure}"
        return Check("outcome", "unchecked", f"{phrase} ({said})", why, layer="published")
    agreeing = [f for f in found if f.value in _AGREEING[changed]]
    opposed = [f for f in found if f.value in _OPPOSED[changed]]
    if agreeing and not opposed:
        return _published("outcome", "agrees", f"{phrase} ({said})", record, agreeing[0])
    if opposed and not agreeing:
        return _published("outcome", "differs", f"{phrase} ({said})", record, opposed[0])
    # The paper found it both ways (one scale better, another not): the sentence's own words choose the fact.
    chosen = _closest(ctx.sentence, [*agreeing, *opposed] or list(found))
    verdict = "agrees" if chosen in agreeing else "differs" if chosen in opposed else "unchecked"
    if verdict == "unchecked":
        return Check("outcome", "unchecked", f"{phrase} ({said})", f"the paper's finding is {chosen.value}",
                     layer="published")  # fmt: skip
    return _published("outcome", verdict, f"{phrase} ({said})", record, chosen)


def _size_agrees(stated: StatedSize, values: Sequence[float]) -> bool:
    """A stated size against the paper's numbers: "more than 30%" is met by any above it, "about 15%" by one
    within a tenth of it, a plain figure by one it rounds from."""
    if stated.bound == "at least":
        return any(v > stated.value for v in values)
    if stated.bound == "about":
        return any(abs(v - stated.value) <= 0.1 * stated.value + 1e-9 for v in values)
    # A plain figure is the paper's rounded as the article writes it ("3 points" for 3.3, "29%" for 28.8), or
    # within a twentieth of it ("30%" for 28.8).
    digits = re.search(r"\d+(?:\.(\d+))?", stated.phrase)
    places = len(digits.group(1) or "") if digits else 0
    return any(round(v, places) == stated.value or abs(v - stated.value) <= 0.05 * stated.value + 1e-9 for v in values)


def _outcome_size(ctx: Context, measure: str, phrase: str, record: str | None) -> list[Check]:
    """The `size` check: the size the sentence gives for a change in a measure ("pain fell by 15%", "rose 3.3
    points"), against the size the paper found for it, in the same unit: `agrees` when one of the paper's figures
    matches, `differs` with the paper's size beside it, `unchecked` where the catalogue holds no size in that unit."""
    at = ctx.sentence.find(phrase)
    window = ctx.sentence[max(at, 0) : max(at, 0) + len(phrase) + SIZE_WINDOW]
    checks = []
    for stated in stated_sizes(window):
        said = f"{phrase}: {stated.phrase}"
        facts = [
            f for f in ctx.paper.sizes.get(measure, ())
            if ("point" in str(f.value).lower()) == (stated.unit == "points")
            and (stated.unit == "points" or re.search(r"%|percent", str(f.value), re.I))
        ]  # fmt: skip
        if not facts:
            why = f"the catalogue holds no size in {stated.unit} the paper found for {measure}"
            checks.append(Check("size", "unchecked", said, why, layer="published"))
            continue
        matching = [f for f in facts if _size_agrees(stated, size_values(str(f.value)))]
        fact = matching[0] if matching else facts[0]
        checks.append(_published("size", "agrees" if matching else "differs", said, record, fact))
    return checks


def _closest(sentence: str, facts: Sequence[Fact]) -> Fact:
    """The fact whose words the sentence shares most (the first on a tie)."""
    words = _words(sentence)
    return max(facts, key=lambda f: len(words & _words(f.text + " " + (f.excerpt or ""))))


def joined(texts: Iterable[str]) -> str:
    """Facts in one line, each once: a sentence is followed by a space, a phrase by "; "."""
    out = ""
    for text in dict.fromkeys(texts):
        out += ("" if not out else " " if out.rstrip().endswith((".", "!", "?")) else "; ") + text
    return out


#: Harms told in the sentences around a claim: dropouts, withdrawals, adverse events, side effects.
_TOLD_HARM = re.compile(
    r"\bdrop(?:ped)?\s+out\b|\bdropouts?\b|\bwithdr\w*|\bdid not complete\b|\badverse (?:events?|effects?)\b"
    r"|\bside[\s-]+effects?\b",
    re.I,
)
#: Harms the neighbouring sentences deny rather than tell ("no dropouts").
_NEGATED_HARM = re.compile(r"\bno (?:\w+ )?(?:dropouts?|withdrawals?|side effects?|adverse events?)\b", re.I)


def check_harms(ctx: Context) -> list[Check]:
    """'Safe', 'no side effects': differs where the paper (else the record) reports harms, dropouts or side effects."""
    phrase = stated_harms(ctx.sentence)
    if ctx.study is None or phrase is None:
        return []
    events = ", ".join(f"{a.event} ({a.share})" if a.share else a.event for a in ctx.study.adverse_events)
    record = events or ctx.study.tolerability
    # "No side effects" differs from any harm the paper reports; "safe" from dropouts, serious or common harms.
    absent = not re.search(r"safe|tolerated|harmless", phrase, re.IGNORECASE)
    against = [h for h in ctx.paper.harms if absent or h.value in ("serious", "common")]
    around = ctx.paragraph.replace(ctx.sentence, " ")
    told = _TOLD_HARM.search(around)
    if against and told is not None and not _NEGATED_HARM.search(around):
        # The article gives the harms beside its claim ("Even so, five people dropped out"): nothing left out.
        text = joined(h.text for h in against)
        fact = Fact(None, text, against[0].excerpt, against[0].source)
        return [
            _published("harms", "agrees", f"{phrase} (beside it, the article tells of {told.group(0)})", record, fact)
        ]
    if against:
        text = joined(h.text for h in against)
        return [_published("harms", "differs", phrase, record, Fact(None, text, against[0].excerpt, against[0].source))]
    if ctx.paper.harms or ctx.paper.tolerated:
        return [_published("harms", "agrees", phrase, record, (*ctx.paper.tolerated, *ctx.paper.harms)[0])]
    if ctx.study.adverse_events:
        return [_articles(ctx, "harms", "differs", phrase, record, hint=ctx.study.adverse_events[0].event)]
    if ctx.study.tolerability:
        return [_articles(ctx, "harms", "agrees", phrase, record, hint=ctx.study.tolerability)]
    return [_articles(ctx, "harms", "unchecked", phrase, None)]


_FORM_RES = {
    form: re.compile(r"\b(?:" + "|".join(re.escape(w).replace("\\ ", r"[\s-]+") for w in words) + r")\b", re.I)
    for form, words in MS_FORMS.items()
}


def check_population(ctx: Context) -> list[Check]:
    """A form of MS the sentence names (PPMS, RRMS, SPMS): among those the record's population names?"""
    if ctx.study is None or ctx.study.condition != "ms":
        return []
    population = ctx.study.population or ""
    named = {form for form, pattern in _FORM_RES.items() if pattern.search(population)}
    checks = []
    for form, pattern in _FORM_RES.items():
        match = pattern.search(ctx.sentence)
        if match is None:
            continue
        verdict = "agrees" if form in named else "differs" if named else "unchecked"
        checks.append(_articles(ctx, "population", verdict, match.group(0), ctx.study.population, hint=match.group(0)))
    return checks


def check_attribution(ctx: Context) -> list[Check]:
    """A named investigator: among the paper's authors (first or not), else among the record's investigators."""
    if ctx.study is None:
        return []
    names = _NAMED.findall(ctx.sentence)
    checks = []
    for name in names:
        if ctx.paper.authors is not None and ctx.paper.authors.value:
            authors = list(ctx.paper.authors.value)
            verdict = "agrees" if authors[0] == name else "differs"
            if name in authors and authors[0] != name:
                said = f"{name} is author {authors.index(name) + 1} of {len(authors)}; the first is {authors[0]}"
            elif name not in authors:
                said = f"{name} is not among the authors ({', '.join(authors)})"
            else:
                said = f"{name} is the first author"
            fact = Fact(authors, said, ctx.paper.authors.excerpt, ctx.paper.authors.source)
            checks.append(_published("attribution", verdict, name, ", ".join(ctx.study.investigators) or None, fact))
        elif ctx.study.investigators:
            known = any(i.split()[-1] == name for i in ctx.study.investigators)
            checks.append(
                _articles(
                    ctx, "attribution", "agrees" if known else "differs", name, ", ".join(ctx.study.investigators)
                )
            )
    return checks


def _strongest(studies: Iterable[Study], published: dict[str, Published]) -> tuple[int | None, Study | None, str]:
    """The strongest evidence level among studies of people, the study that has it, and the layer it comes from."""
    best: tuple[int | None, Study | None, str] = (None, None, "articles")
    for study in studies:
        paper = published.get(study.id)
        level, layer = (paper.level[0], "published") if paper and paper.level else (study.evidence_level, "articles")
        if level is not None and (best[0] is None or level < best[0]):
            best = (level, study, layer)
    return best


def check_overstatement(ctx: Context) -> list[Check]:
    """'Proved', 'scientifically shown', 'cure', 'works' differs when said of evidence at level 4 or 5, of a study
    that found no clear benefit, or of a condition whose strongest study finding a benefit is at level 4 or 5."""
    word = stated_overstatement(ctx.sentence)
    if word is None:
        return []
    subjects: list[tuple[str | None, list[Study]]] = []
    if ctx.study is not None:
        subjects.append((None, [ctx.study]))
    for key, _ in found_conditions(ctx.sentence):
        if ctx.study is None or key != ctx.study.condition:
            studies = [s for s in ctx.catalogue.studies if s.condition == key and s.clinical]
            if studies:
                subjects.append((key, studies))
    checks = []
    for condition, studies in subjects:
        benefit = studies if condition is None else [s for s in studies if s.effect == "benefit"]
        level, study, layer = _strongest(benefit, ctx.published)
        if study is None:
            said = (
                "no study of it in the catalogue found a clear benefit"
                if not benefit
                else "the records do not say how the research was done (design unspecified)"
            )
            verdict = "differs" if not benefit else "unchecked"
            checks.append(Check("overstatement", verdict, word, said, about=condition, layer="articles"))
            continue
        assert level is not None
        lead = "the study" if condition is None else "the strongest study that found a benefit"
        design = study.design
        if layer == "published":
            settled = ctx.published[study.id].level
            design = str(settled[1].value) if settled else design
        said = f"{lead}: {study.id}, {DESIGNS[design][1]} (level {level}), effect {study.effect or 'none'}"
        verdict = "differs" if level >= 4 or study.effect != "benefit" else "agrees"
        if condition is None and verdict == "agrees" and _is_pilot(ctx.catalogue, study):
            # A pilot tests whether a trial can be done: what it found is a lead, not a settled result.
            said += "; its own paper calls it a pilot"
            verdict = "differs"
        if layer == "published":
            found = ctx.published[study.id].level
            assert found is not None
            record = f"{study.id}: {DESIGNS[study.design][1]} ({study.design})"
            fact = replace(found[1], text=f"{said}. {found[1].text}")
            checks.append(_published("overstatement", verdict, word, record, fact, condition))
        else:
            quote, seed = ctx.quote(study, DESIGN_HINTS.get(study.design))
            checks.append(Check("overstatement", verdict, word, said, None, quote, seed, condition, "articles"))
    return checks


def _is_pilot(catalogue: Catalogue, study: Study) -> bool:
    """True when the study's record or one of its papers calls it a pilot (in its title)."""
    titles = [study.title, *(p.title for p in catalogue.publications if study.id in p.study)]
    return any(re.search(r"\bpilot\b", title, re.IGNORECASE) for title in titles)


#: Words that carry a result over to people ("the same protection can be expected in people").
_TRANSFER = re.compile(
    r"\b(?:can|could|will|should|would|may)\s+(?:also\s+)?(?:be\s+)?(?:expected|seen|work|help|halt|protect|benefit|"
    r"treat|cure)\w*|\bthe same\b|\bexpect\w*|\bin (?:our|your) patients\b",
    re.I,
)


def check_animal_to_human(ctx: Context) -> list[Check]:
    """A result from animals or cells stated as holding for people differs."""
    preclinical = ctx.study is not None and ctx.study.design in PRECLINICAL_DESIGNS - {"hypothesis"}
    animal = _ANIMAL_RE.search(ctx.sentence)
    human = _HUMAN_RE.search(ctx.sentence)
    if ctx.study is not None and preclinical:
        record = f"{ctx.study.design}: {ctx.study.population or DESIGNS[ctx.study.design][1]}"
        if human and not animal:
            return [_articles(ctx, "animal-to-human", "differs", human.group(0), record)]
        if human and animal and _TRANSFER.search(ctx.sentence):
            return [_articles(ctx, "animal-to-human", "differs", f"{animal.group(0)} … {human.group(0)}", record)]
        benefit = _BENEFIT_TO.search(ctx.sentence)
        if benefit:
            return [_articles(ctx, "animal-to-human", "differs", benefit.group(0), record)]
        return []
    if (
        animal
        and human
        and _ANIMALS.search(ctx.sentence)
        and (
            re.search(
                r"\b(?:will|can|could)\s+(?:help|treat|cure|benefit|work)\b|\bworks?\s+(?:in|for)\b", ctx.sentence, re.I
            )
            or _TRANSFER.search(ctx.sentence)
        )
    ):
        return [
            Check(
                "animal-to-human",
                "differs",
                f"{animal.group(0)} … {human.group(0)}",
                "a result in animals is not a result in people",
                layer=None,
            )
        ]
    return []


def check_advice(ctx: Context) -> list[Check]:
    """The article tells the reader to take or change a treatment."""
    words = stated_advice(ctx.sentence)
    if words is None:
        return []
    return [Check("advice", "differs", words, "the catalogue reports what studies found and advises no treatment")]


@functools.cache
def _folded(text: str) -> str:
    return fold(text)


def check_curated(ctx: Context) -> list[Check]:
    """Discrepancies the catalogue holds whose article quote the sentence holds: the linked study's, and any
    other study's (named in `about`), since the catalogue itself ties that text to that study."""
    folded = fold(ctx.sentence)
    mine = ctx.study.id if ctx.study is not None else None
    return [
        Check(c.kind, "differs", c.article_says, None, c.published_says, c.excerpt, c.source,
              None if ident == mine else ident, "published")
        for ident, paper in ctx.published.items() for c in paper.curated if _folded(c.article_says) in folded
    ]  # fmt: skip


#: The claim checks, each a small function; a sentence's checks are these applied in turn.
CHECKS: tuple[tuple[str, CheckRule], ...] = (
    ("n", check_n),
    ("duration", check_duration),
    ("dose", check_dose),
    ("design", check_design),
    ("year", check_year),
    ("outcome", check_outcome),
    ("harms", check_harms),
    ("population", check_population),
    ("attribution", check_attribution),
    ("overstatement", check_overstatement),
    ("animal-to-human", check_animal_to_human),
    ("advice", check_advice),
    ("curated", check_curated),
)


def run_checks(ctx: Context) -> tuple[Check, ...]:
    """Every check on one sentence; a difference the catalogue holds replaces the computed check of its kind,
    keeping that check's words for what the article and the record say."""
    computed: list[Check] = []
    curated: list[Check] = []
    for name, rule in CHECKS:
        (curated if name == "curated" else computed).extend(rule(ctx))
    out = []
    for check in computed:
        held = next((c for c in curated if c.kind == check.kind and c.about == check.about), None)
        if held is None:
            out.append(check)
        elif held in curated:
            out.append(replace(held, article=check.article, catalogue=check.catalogue))
            curated.remove(held)
    return tuple(out + curated)
