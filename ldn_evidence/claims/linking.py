"""Linking: what identifies each study (its profile), each cue a small function, and the link of each sentence."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ldn_evidence.claims.papers import Published
from ldn_evidence.claims.reading import Sentence
from ldn_evidence.claims.result import CONTEXT_WEIGHT, CONTINUE_WORDS, MARGIN, THRESHOLD, Cue, counted
from ldn_evidence.claims.statements import (
    _ANIMAL_RE,
    _ANY_COUNT,
    _DESIGN_RES,
    _HUMAN_RE,
    _YEAR_RE,
    DESIGN_WORDS,
    StatedDuration,
    count_value,
    found_conditions,
    stated_design,
    stated_doses,
    stated_durations,
    stated_n,
    stated_year,
)
from ldn_evidence.model import (
    CONDITIONS,
    PRECLINICAL_DESIGNS,
    Catalogue,
    Study,
)
from ldn_evidence.text import fold

# --- study profiles: what identifies each study ---------------------------------------------

_STOPWORDS = frozenset(
    """about above after again against among because been before being below between both could during each
    every first found further given great having however including into itself later least little might more
    most much other others over people person persons patient patients shall should since some still study
    studies subjects such than that their them then there these they this those through trial trials under
    until upon using very were what when where which while whom whose with within without would years year
    weeks months days researchers research results people reported showed shown treatment therapy taking taken
    dose doses naltrexone multiple sclerosis effect effects disease diseases condition group groups those also
    another while level levels measured significant significantly improved improvement data based compared
    called known whether which their there against during following""".split()  # noqa: SIM905
)
_WORD = re.compile(r"[a-zß-ÿβ][a-zß-ÿβ'-]{4,}")


def _words(text: str) -> set[str]:
    found = set()
    for word in _WORD.findall(fold(text).lower()):
        word = word.strip("'-")
        found.add(word[:-1] if word.endswith("s") and not word.endswith("ss") else word)
    return found - _STOPWORDS


def _study_text(study: Study) -> str:
    parts = [study.title, study.outcome, study.population or "", study.tolerability or "", study.place or ""]
    parts += [f.detail or "" for f in study.findings] + [a.event for a in study.adverse_events]
    parts += [s.quote for s in study.sources]
    return " ".join(parts)


_DEMONYMS = {"norway": "norwegian", "italy": "italian", "sweden": "swedish", "denmark": "danish", "israel": "israeli"}


def _place_phrases(place: str | None) -> list[str]:
    if not place:
        return []
    phrases = [p.strip() for p in re.split(r"[,;]| - ", place) if p.strip()]
    found = [p for p in phrases if len(p) >= 4]
    initials = "".join(w[0] for w in re.findall(r"\b[A-Z][a-z]+", place) if w not in ("Of", "The"))
    if len(initials) >= 3:
        found.append(initials)
    found += [_DEMONYMS[p.lower()] for p in phrases if p.lower() in _DEMONYMS]
    return found


@dataclass(frozen=True)
class Profile:
    """What identifies one study in an article."""

    study: Study
    surnames: tuple[str, ...]
    places: tuple[re.Pattern[str], ...]
    sizes: frozenset[int]
    days: frozenset[float]
    doses: frozenset[float]
    years: frozenset[int]
    """Years a bare mention matches: the record's own, else (a study no article retells) its paper's."""
    dated: frozenset[int]
    """Years a dated mention ("published in 2010", "a 2010 study") matches: the record's and the paper's."""
    designs: frozenset[str]
    words: dict[str, float] = field(default_factory=dict)
    coauthors: tuple[str, ...] = ()
    """The other authors of its publications (a first author is among `surnames`)."""
    journals: tuple[re.Pattern[str], ...] = ()
    """Its publications' journals, abbreviated or written out ("Ann Neurol", "Annals of Neurology")."""
    registries: tuple[str, ...] = ()
    """Trial registry ids its publications print ("NCT00501696", "2005-005679-13")."""
    titles: tuple[frozenset[str], ...] = ()
    """The words of its publications' titles."""
    sites: tuple[re.Pattern[str], ...] = ()
    """Places its paper's pages name (an institution, a city): several studies may share one, so each counts
    less than the place the articles give."""
    acronyms: tuple[str, ...] = ()
    """A trial's name in capitals in its paper's title ("FINAL", "INNOVA")."""
    whole_days: frozenset[float] = frozenset()
    """The length of the whole study (placebo and washout phases too), which only "a 17-week trial" names;
    "for 17 weeks" is time on treatment."""
    siblings: tuple[str, ...] = ()
    """Other studies one of its papers reports (a paper with a patient part and a mouse part)."""
    pilot: bool = False
    """Its record or one of its papers calls it a pilot (in a title)."""


_INITIALS = re.compile(r"^[A-Z]{1,4}$")
#: Words that name no place of their own: a place phrase made only of these is not a cue.
_GENERIC_PLACE = frozenset(
    """University College Medicine Medical Center Centre Hospital Department School Clinic Clinics Health Institute
    Sciences Science State USA US UK The A An One Both Central Run Women Men Its Their In At Of And""".split()  # noqa: SIM905
)
_PLACE_PHRASE = re.compile(r"[A-Z][\w'’-]+(?:\s+(?:of\s+|at\s+)?[A-Z][\w'’-]+)*")
_DEMONYM_OF = {"denmark": "Danish", "norway": "Norwegian", "italy": "Italian", "sweden": "Swedish", "israel": "Israeli"}


def _author_surnames(authors: str | None) -> list[str]:
    """The surnames of a citation's authors ("Cree BAC, Kornyeyeva E" -> Cree, Kornyeyeva), first first."""
    names = []
    for part in re.split(r",|\band\b", authors or ""):
        words = part.split()
        while words and _INITIALS.match(words[-1]):
            words.pop()
        if words and words[0] not in ("colleagues", "others"):
            names.append(" ".join(words))
    return names


def _journal_pattern(journal: str) -> re.Pattern[str] | None:
    """A pattern for a journal as an article writes it: abbreviated ("Ann Neurol") or in full ("Annals of
    Neurology"), each abbreviated word the start of the full one, capitalised as a name is."""
    words = re.findall(r"[A-Za-z]+", journal.split("(")[0])
    if not words or len(journal) > 60 or (journal.startswith(("In:", "The ")) and len(words) > 6):
        return None
    glue = r"(?:\s+(?:of|and|the|&|for))*\s+"
    body = glue.join(f"(?:{re.escape(w[0].upper() + w[1:])}[a-z]*|{re.escape(w.upper())}[A-Z]*)" for w in words)
    return re.compile(rf"\b{body}\b")


def _published_places(texts: list[str]) -> list[str]:
    """Place names in a publication's place facts: runs of capitalised words, not only generic ones, and not a
    lone word that is capitalised only because it starts the sentence."""
    found = []
    for text in texts:
        for match in _PLACE_PHRASE.finditer(text):
            parts = re.split(r"['’]s\b|\s+at\s+", match.group(0))
            for part in parts:
                words = part.split()
                if match.start() == 0 and len(words) == 1 and len(parts) == 1:
                    continue
                while words and (words[0] in ("of", "at") or (words[0] in _GENERIC_PLACE and words[0] != "University")):
                    words.pop(0)
                if not words or all(w in _GENERIC_PLACE or w in ("of", "at") for w in words):
                    continue
                phrase = " ".join(words)
                if len(phrase) >= 4:
                    found.append(phrase)
                    if phrase.lower() in _DEMONYM_OF:
                        found.append(_DEMONYM_OF[phrase.lower()])
    return found


def _profiles(catalogue: Catalogue, published: dict[str, Published]) -> list[Profile]:
    studies = list(catalogue.studies)
    condition_words = _words(" ".join(" ".join((label, *aliases)) for label, aliases in CONDITIONS.values()))
    vocab = {s.id: _words(_study_text(s)) - condition_words for s in studies}
    frequency: dict[str, int] = {}
    for words in vocab.values():
        for word in words:
            frequency[word] = frequency.get(word, 0) + 1
    papers: dict[str, list[Any]] = {}
    for publication in catalogue.publications:
        for ident in publication.study:
            papers.setdefault(ident, []).append(publication)
    profiles = []
    for study in studies:
        paper = published.get(study.id, Published())
        mine = papers.get(study.id, [])
        firsts, others, journals, registries, titles, place_texts, acronyms = [], [], [], [], [], [], []
        for publication in mine:
            names = _author_surnames(publication.authors)
            firsts += names[:1]
            others += names[1:]
            if publication.journal and (pattern := _journal_pattern(publication.journal)):
                journals.append(pattern)
            registries += [r.split()[-1] for r in publication.registry]
            titles.append(frozenset(_words(publication.title)))
            acronyms += [a for a in _ACRONYM.findall(publication.title) if a not in _NOT_ACRONYMS]
            place_texts += [f.text for f in publication.facts if f.field == "place"]
        sizes = {study.n} if study.n is not None and study.n >= 5 else set()
        sizes |= {int(f.value) for f in paper.counts.values() if int(f.value) >= 5}
        days = {study.duration.days} if study.duration else set()
        if paper.treatment_days is not None:
            days.add(paper.treatment_days.value)
        whole = {paper.study_days.value} if paper.study_days is not None else set()
        doses = {amount for _, amount in stated_doses(study.dose.text)} if study.dose else set()
        if paper.dose_mg is not None:
            doses.add(paper.dose_mg.value)
        # A bare year is the record's; for a study no article retells (no record year), its paper's.
        years = {study.year} if study.year else {paper.year.value} if paper.year is not None else set()
        dated = set(years)
        if paper.year is not None:
            dated.add(paper.year.value)
        surnames = {name.split()[-1] for name in study.investigators}
        if paper.authors is not None and paper.authors.value:
            surnames.add(paper.authors.value[0])
        surnames |= set(firsts)
        text = fold(_study_text(study)).lower()
        designs = {w for w, (_, fits, _) in DESIGN_WORDS.items() if study.design in fits or _DESIGN_RES[w].search(text)}
        distinctive = {w: 1.0 / frequency[w] for w in vocab[study.id] if frequency[w] <= 2}
        places = tuple(
            re.compile(rf"\b{re.escape(p)}\b", re.IGNORECASE if not p.isupper() else 0)
            for p in _place_phrases(study.place)
        )
        # Names seen on a paper's pages are matched as names: capitalised, as they were seen.
        sites = tuple(re.compile(rf"\b{re.escape(p)}\b") for p in dict.fromkeys(_published_places(place_texts)))
        profiles.append(
            Profile(
                study,
                tuple(sorted(surnames)),
                places,
                frozenset(sizes),
                frozenset(days),
                frozenset(doses),
                frozenset(years),
                frozenset(dated),
                frozenset(designs),
                distinctive,
                tuple(sorted(set(others) - surnames)),
                tuple(journals),
                tuple(dict.fromkeys(registries)),
                tuple(titles),
                sites,
                tuple(dict.fromkeys(acronyms)),
                frozenset(whole),
                tuple(sorted({i for p in mine for i in p.study} - {study.id})),
                any(_PILOT.search(t) for t in (study.title, *(p.title for p in mine))),
            )
        )
    return profiles


# --- linking: each cue a small function ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class Stated:
    """What one sentence states, read once: the values every study's cues compare with."""

    text: str
    words: frozenset[str]
    counts: tuple[tuple[str, int | None], ...]
    durations: tuple[StatedDuration, ...]
    doses: tuple[tuple[str, float], ...]
    designs: tuple[str, ...]
    conditions: tuple[tuple[str, str], ...]
    years: tuple[str, ...]
    dated: tuple[tuple[str, int], ...]
    pilot: bool = False
    """It calls a study a pilot."""

    @classmethod
    def of(cls, sentence: str) -> Stated:
        """Read a sentence's values."""
        counts = [(m.group(0), count_value(m.group(1) or m.group(2))) for m in _ANY_COUNT.finditer(sentence)]
        counts += [(p, v) for p, v in stated_n(sentence)]
        return cls(
            sentence, frozenset(_words(sentence)), tuple(counts), tuple(stated_durations(sentence)),
            tuple(stated_doses(sentence)), tuple(stated_design(sentence)), tuple(found_conditions(sentence)),
            tuple(_YEAR_RE.findall(sentence)), tuple(stated_year(sentence)), bool(_PILOT.search(sentence)),
        )  # fmt: skip


#: The patterns `Stated.of` reads a sentence with.
STATED_RULES = 13
_PILOT = re.compile(r"\bpilot\b", re.IGNORECASE)

CueRule = Callable[[Profile, Stated], list[Cue]]


def cue_investigator(profile: Profile, stated: Stated) -> list[Cue]:
    """An investigator's surname, capitalised, in the sentence."""
    return [
        Cue("investigator", name, 3.0)
        for name in profile.surnames
        if name in stated.text and re.search(rf"\b{re.escape(name)}\b", stated.text)
    ]


def cue_coauthor(profile: Profile, stated: Stated) -> list[Cue]:
    """Another author of its paper ("Younger and Mackey")."""
    return [
        Cue("investigator", name, 2.0)
        for name in profile.coauthors
        if name in stated.text and re.search(rf"\b{re.escape(name)}\b", stated.text)
    ][:1]


def cue_journal(profile: Profile, stated: Stated) -> list[Cue]:
    """The journal its paper appeared in, abbreviated or in full."""
    found = [m.group(0) for p in profile.journals if (m := p.search(stated.text))]
    return [Cue("journal", found[0], 2.0)] if found else []


def cue_registry(profile: Profile, stated: Stated) -> list[Cue]:
    """A trial registry id its paper prints."""
    return [Cue("registry", r, 5.0) for r in profile.registries if r in stated.text][:1]


_ACRONYM = re.compile(r"\b[A-Z]{4,}\b")
#: Capitals in titles that name no trial.
_NOT_ACRONYMS = frozenset(("LDN", "RCT", "HIV", "AIDS", "CRPS", "ME/CFS", "PPMS", "RRMS", "SPMS", "COVID", "FDA"))
_QUOTED = re.compile(r"[\"“]([^\"“”]{12,300})[\"”]")


def cue_title(profile: Profile, stated: Stated) -> list[Cue]:
    """A title in quotes whose words are, most of them, those of its paper's title."""
    named = [a for a in profile.acronyms if a in stated.text and re.search(rf"\b{a}\b", stated.text)]
    if named:
        return [Cue("title", named[0], 4.0)]
    if not profile.titles:
        return []
    for match in _QUOTED.finditer(stated.text):
        words = _words(match.group(1))
        if len(words) >= 2 and any(len(words & title) >= 0.7 * len(words) for title in profile.titles):
            return [Cue("title", match.group(1)[:60], 5.0)]
    return []


def cue_place(profile: Profile, stated: Stated) -> list[Cue]:
    """The place, its initials (UCSF) or its people (Norwegian); else a place its paper's pages name."""
    found = [m.group(0) for p in profile.places if (m := p.search(stated.text))]
    if found:
        return [Cue("place", found[0], 3.0)]
    seen = [m.group(0) for p in profile.sites if (m := p.search(stated.text))]
    return [Cue("place", seen[0], 1.5)] if seen else []


_CITED_YEAR = re.compile(r"\.?,?\s{1,3}(?:\(\s?)?(19[5-9]\d|20[0-4]\d)\b")


def cue_year(profile: Profile, stated: Stated) -> list[Cue]:
    """The study's year: any mention of the record's, or a dated mention ("published in 2010") of the paper's."""
    if not profile.dated:
        return []
    found = [Cue("year", y, 2.0) for y in stated.years if int(y) in profile.years]
    found += [Cue("year", phrase, 2.0) for phrase, year in stated.dated if year in profile.dated]
    # A citation's year: right after the paper's journal ("Ann Neurol 2010", "Pain Med. 2009").
    for journal in profile.journals if stated.years and not found else ():
        for match in journal.finditer(stated.text):
            cited = _CITED_YEAR.match(stated.text, match.end())
            if cited and int(cited.group(1)) in profile.dated:
                found.append(Cue("year", match.group(0) + cited.group(0), 2.0))
    return found[:1]


def cue_n(profile: Profile, stated: Stated) -> list[Cue]:
    """The number of people."""
    if not profile.sizes:
        return []
    return [Cue("n", phrase, 2.5) for phrase, value in stated.counts if value in profile.sizes][:1]


def cue_duration(profile: Profile, stated: Stated) -> list[Cue]:
    """A length of study or treatment the study has."""
    return [
        Cue("duration", d.phrase, 1.5) for d in stated.durations
        if any(abs(d.days - days) <= 0.05 * days for days in (profile.days | profile.whole_days if d.of_study
                                                               else profile.days))
    ][:1]  # fmt: skip


def cue_dose(profile: Profile, stated: Stated) -> list[Cue]:
    """The dose."""
    return [Cue("dose", phrase, 1.5) for phrase, mg in stated.doses if mg in profile.doses][:1]


def cue_design(profile: Profile, stated: Stated) -> list[Cue]:
    """Design words that fit the study (randomized, open-label, crossover, in mice, ...); "pilot" for a study its
    paper calls one."""
    found = [Cue("design", word, 1.0) for word in stated.designs if word in profile.designs][:2]
    return [*found, Cue("design", "pilot", 1.0)] if stated.pilot and profile.pilot else found


def cue_condition(profile: Profile, stated: Stated) -> list[Cue]:
    """The study's condition (MS counts little: most of the catalogue is MS)."""
    for key, phrase in stated.conditions:
        if key == profile.study.condition:
            return [Cue("condition", phrase, 0.5 if key == "ms" else 2.0)]
    return []


def cue_words(profile: Profile, stated: Stated) -> list[Cue]:
    """Words few other studies use (spasticity, cytokines, ketamine), at most 3 points."""
    shared = stated.words & profile.words.keys()
    if not shared:
        return []
    hits = sorted(shared, key=lambda w: (-profile.words[w], w))
    total, chosen = 0.0, []
    for word in hits:
        if total >= 3.0:
            break
        total += profile.words[word]
        chosen.append(word)
    return [Cue("words", ", ".join(chosen), min(total, 3.0))] if chosen else []


#: The linking cues, each a small function; a link's score is the sum of what they find.
CUES: tuple[tuple[str, CueRule], ...] = (
    ("investigator", cue_investigator),
    ("coauthor", cue_coauthor),
    ("journal", cue_journal),
    ("registry", cue_registry),
    ("title", cue_title),
    ("place", cue_place),
    ("year", cue_year),
    ("n", cue_n),
    ("duration", cue_duration),
    ("dose", cue_dose),
    ("design", cue_design),
    ("condition", cue_condition),
    ("words", cue_words),
)


def own_cues(profile: Profile, stated: Stated) -> list[Cue]:
    """Every cue in the sentence for this study; a word already counted as its place, investigator, journal or
    title ("Stanford") is not counted again as one of its words."""
    found = [cue for _, rule in CUES for cue in rule(profile, stated)]
    named = {w for c in found if c.kind in _NAMED_KINDS for w in _words(c.text)}
    words = next((c for c in found if c.kind == "words"), None)
    if words is None or not named:
        return found
    kept = [w for w in words.text.split(", ") if w not in named]
    weight = min(sum(profile.words[w] for w in kept), 3.0)
    rest = [c for c in found if c is not words]
    return [*rest, Cue("words", ", ".join(kept), weight)] if kept else rest


#: Cues that name a study by what its paper prints: their words are not counted again as its uncommon words.
_NAMED_KINDS = frozenset(("investigator", "place", "journal", "title"))


_ANAPHORA = re.compile(
    r"^(?:(?:the|these|this|that|both|each)\s+(?:same\s+)?(?:study|studies|trial|trials|researchers|investigators|"
    r"authors|investigation|pilot|review|patients?|participants|subjects|results?|medicine|drug|latter|former|"
    r"statistical\s+analysis|analysis|data|findings?|team|women|men|mice)\b"
    r"|(?:it|they|its|their|he|she)\b|(?:afterward|afterwards|thus|then|secondary|in addition)\b)",
    re.IGNORECASE,
)


_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True)
class Candidates:
    """Which studies a sentence's cues can point at, found from what it states without trying every study:
    a study none of whose cues could find anything in the sentence is not tried (the same links, less work)."""

    by_key: dict[tuple[str, object], frozenset[int]]
    """(kind, value) -> the indexes of the profiles a sentence stating it may point at."""
    timed: frozenset[int]
    dosed: frozenset[int]
    journal_keys: tuple[str, ...] = ()

    @classmethod
    def of(cls, profiles: Sequence[Profile]) -> Candidates:
        """Index the profiles by what each cue compares."""
        by_key: dict[tuple[str, object], set[int]] = {}

        def put(kind: str, value: object, index: int) -> None:
            by_key.setdefault((kind, value), set()).add(index)

        for i, p in enumerate(profiles):
            for name in (*p.surnames, *p.coauthors):
                if token := _TOKEN.match(name):
                    put("token", token.group(0), i)
            for registry in p.registries:
                put("token", _TOKEN.findall(registry)[0], i)
            for journal in p.journals:
                if token := re.search(r"[A-Z][a-z]*", journal.pattern):
                    put("journal", token.group(0), i)
            if p.titles:
                put("quoted", True, i)
            for acronym in p.acronyms:
                put("token", acronym, i)
            for place in (*p.places, *p.sites):
                if token := _TOKEN.search(place.pattern.replace("\\b", " ").replace("\\", "")):
                    put("lower", token.group(0).lower(), i)
            for value in (*p.years, *p.dated):
                put("year", value, i)
            for size in p.sizes:
                put("n", size, i)
            for word in p.designs:
                put("design", word, i)
            if p.pilot:
                put("design", "pilot", i)
            put("condition", p.study.condition, i)
            for word in p.words:
                put("word", word, i)
        return cls(
            {k: frozenset(v) for k, v in by_key.items()},
            frozenset(i for i, p in enumerate(profiles) if p.days or p.whole_days),
            frozenset(i for i, p in enumerate(profiles) if p.doses),
            tuple(sorted({str(k[1]) for k in by_key if k[0] == "journal"})),
        )

    def journal_starts(self, tokens: set[str]) -> list[str]:
        """The journal-index keys (a journal's first word, abbreviated) a sentence's capitalised words start with."""
        capitalised = [t for t in tokens if t[:1].isupper()]
        return [start for start in self.journal_keys if any(t.startswith(start) for t in capitalised)]

    def of_sentence(self, stated: Stated) -> list[int]:
        """The indexes of the profiles worth trying on a sentence, in order."""
        keys: list[tuple[str, object]] = []
        tokens = set(_TOKEN.findall(stated.text))
        keys += [("token", t) for t in tokens]
        keys += [("lower", t.lower()) for t in tokens]
        keys += [("year", int(y)) for y in stated.years] + [("year", y) for _, y in stated.dated]
        keys += [("n", v) for _, v in stated.counts]
        keys += [("design", w) for w in stated.designs] + [("condition", k) for k, _ in stated.conditions]
        keys += [("design", "pilot")] if stated.pilot else []
        keys += [("word", w) for w in stated.words]
        keys += [("journal", j) for j in self.journal_starts(tokens)]
        if _QUOTED.search(stated.text):
            keys.append(("quoted", True))
        found: set[int] = set()
        for key in keys:
            found |= self.by_key.get(key, frozenset())
        if stated.durations:
            found |= self.timed
        if stated.doses:
            found |= self.dosed
        return sorted(found)


#: A sentence of at least this many words that points at no other study continues the study of the one
#: before it in its paragraph ("Participants also reported less pain.").
CONTINUE_MIN_WORDS = 4
#: ... unless its own cues give another study this much.
ELSEWHERE = 2.0

#: What a sentence that goes on about a study speaks of: its people, its team, what it found or measured.
_GOES_ON = re.compile(
    r"\b(?:patients?|participants?|subjects?|people|women|men|children|adults|mice|animals|cells|they|their|"
    r"(?:the|that|this)\s+(?:study|trial|team|researchers|investigators|authors|pilot|group|paper|drug)|results?|"
    r"findings?|"
    r"found|showed|reported|responded|response|remission|scores?|percent|placebo|follow-up|dropped|fell|rose|"
    r"improv\w*|declined|no\s+change|did\s+not|didn't|side[\s-]+effects?|adverse|(?:more|less)\s+common|nausea|"
    r"(?:vivid\s+)?dreams|headaches?|insomnia)\b|\d\s*%",
    re.IGNORECASE,
)

Link = tuple[str | None, float, tuple[Cue, ...]]
#: One study spoken of as known ("the paper", "the same trial", "its authors").
_THE_STUDY = re.compile(
    r"\b(?:the|that|this)\s+(?:same\s+)?(?:study|trial|paper|pilot|researchers|authors|investigators)\b", re.I
)
#: A sentence saying that no such study exists ("no comprehensive study has been conducted") retells none.
_NO_STUDY = re.compile(
    r"\b(?:no|never)\s+(?:\w+\s+){0,4}?(?:study|studies|trials?|research)\s+(?:has|have|had)\s+(?:yet\s+)?been\b",
    re.IGNORECASE,
)
#: A second study a sentence speaks of has cues of its own worth this much, that its link does not share, one
#: of them a cue that names a study (its people, place, size, paper) rather than one many studies share.
ALSO_DISTINCT = 2.5
_NAMING = frozenset(("investigator", "place", "registry", "title", "journal", "n"))


def also_linked(
    profiles: Sequence[Profile], found: Sequence[Sentence], links: Sequence[Link], read: Read | None = None
) -> list[tuple[str, ...]]:
    """For each sentence, the other studies its own cues point at by themselves: each reaches the threshold and
    half the score of the link, by cues the link does not share ("The UCSF trial ..., and the Norwegian study
    of 341 people ...")."""
    _, own = read if read is not None else read_cues(profiles, found)
    by_id = {p.study.id: p for p in profiles}
    out: list[tuple[str, ...]] = []
    for index, (ident, _, cues) in enumerate(links):
        if ident is None or any(c.text.startswith("continues") for c in cues):
            out.append(())
            continue
        mine = _eligible(own[index], by_id, found[index].text)
        best = sum(c.weight for c in mine.get(ident, []))
        shared = {c.text for c in mine.get(ident, [])}
        # One place named in full ("the University of Alabama at Birmingham") is one mention, whichever of its
        # words each study's cue found.
        places = [m.group(0) for m in _PLACE_PHRASE.finditer(found[index].text)]
        linked_at = {p for p in places for c in mine.get(ident, []) if c.kind == "place" and c.text in p}
        shared |= {c.text for cues_ in mine.values() for c in cues_ if c.kind == "place" and any(
            c.text in p for p in linked_at)}  # fmt: skip
        others = []
        for other, found_cues in mine.items():
            total = sum(c.weight for c in found_cues)
            # Its own name for it: cues the link does not share ("UCSF" beside "Norwegian ... 341 people").
            theirs = [c for c in found_cues if c.text not in shared]
            distinct = sum(c.weight for c in theirs)
            naming = any(c.kind in _NAMING for c in theirs)
            if other != ident and total >= max(THRESHOLD, best / 2) and distinct >= ALSO_DISTINCT and naming:
                others.append(other)
        out.append(tuple(sorted(others)))
    return out


Read = tuple[list[Stated], list[dict[str, list[Cue]]]]

#: A talk by a person ("Presentation by Jarred Younger, PhD"): the speaker's name is not the name of a study.
_TALK_BY = re.compile(
    r"\b(?i:presentation|talk|lecture|keynote|webinar|session|interview|address|q&a)\s+(?:\w+\s+){0,2}?"
    r"(?i:by|from|with|given\s+by)\s+(?:Dr\.?\s+|Prof(?:essor|\.)?\s+)?[A-Z]"
)


def read_cues(profiles: Sequence[Profile], found: Sequence[Sentence]) -> Read:
    """What each sentence states, and its own cues for each study they point at: read once, for every use."""
    own: list[dict[str, list[Cue]]] = []
    stateds: list[Stated] = []
    candidates = Candidates.of(profiles)
    for sentence in found:
        stated = Stated.of(sentence.text)
        stateds.append(stated)
        tried = candidates.of_sentence(stated)
        counted(len(sentence.text), STATED_RULES + len(tried) * len(CUES))
        talk = _TALK_BY.search(sentence.text) is not None
        own.append(
            {
                profiles[i].study.id: cues
                for i in tried
                if (cues := [c for c in own_cues(profiles[i], stated) if not (talk and c.kind == "investigator")])
            }
        )
    return stateds, own


def _top(cues: dict[str, list[Cue]]) -> set[str]:
    """The studies a sentence's own cues point at most (several on a tie)."""
    scores = {ident: sum(c.weight for c in found) for ident, found in cues.items()}
    best = max(scores.values(), default=0.0)
    return {ident for ident, score in scores.items() if score == best}


#: Designs of studies of animals or cells.
_LAB = PRECLINICAL_DESIGNS - {"hypothesis"}


def _eligible(cues: dict[str, list[Cue]], by_id: dict[str, Profile], text: str) -> dict[str, list[Cue]]:
    """The studies a sentence's own cues may tie it to: a sentence about people that names no animal or cell
    retells no animal or cell study (of a paper with a mouse part and a patient part, the patients')."""
    if _HUMAN_RE.search(text) and not _ANIMAL_RE.search(text):
        return {ident: found for ident, found in cues.items() if by_id[ident].study.design not in _LAB}
    return cues


#: Cues that only say what a study is about (its condition, its design, words it uses), not which one it is.
_TOPIC = frozenset(("condition", "design", "words"))


def _chance(cues: Sequence[Cue]) -> bool:
    """True when a sentence's cues for a study are only its topic and one uncommon word of it ("meeting",
    "updated", "though" beside the condition): that is as often chance as a mention of the study."""
    words = [c for c in cues if c.kind == "words"]
    return all(c.kind in _TOPIC for c in cues) and (not words or "," not in words[0].text)


def link_all(
    profiles: Sequence[Profile], found: Sequence[Sentence], read: Read | None = None
) -> list[tuple[str | None, float, tuple[Cue, ...]]]:
    """Link each sentence to at most one study: its own cues choose (by a margin), half of its neighbours' help."""
    stateds, own = read if read is not None else read_cues(profiles, found)
    by_id = {p.study.id: p for p in profiles}
    links: list[tuple[str | None, float, tuple[Cue, ...]]] = []
    for i, sentence in enumerate(found):
        if _NO_STUDY.search(sentence.text):  # "no such study has been done" speaks of none
            links.append((None, 0.0, ()))
            continue
        scores: dict[str, tuple[float, list[Cue]]] = {}
        # A short fragment (a caption, a byline, a credit) stands on its own cues: its neighbours do not help.
        helped = len(sentence.text.split()) >= CONTINUE_WORDS
        # A neighbour helps only the study it points at most itself: "The story starts at Penn State." before
        # a sentence about the group's first paper is not helped towards their later trial.
        tops = {j: _top(own[j]) for j in (i - 1, i + 1) if 0 <= j < len(found)}
        for ident, cues in own[i].items():
            total = sum(c.weight for c in cues)
            context = []
            for j in (i - 1, i + 1) if helped else ():
                if 0 <= j < len(found) and found[j].paragraph == sentence.paragraph and ident in tops[j]:
                    weight = CONTEXT_WEIGHT * sum(c.weight for c in own[j][ident])
                    context.append(Cue("context", "line " + str(found[j].line), round(weight, 2)))
            scores[ident] = (total + sum(c.weight for c in context), cues + context)
        # The sentence's own cues choose the study; its neighbours only help it reach the threshold, so
        # what stands around a sentence never ties it to another study.
        mine = {ident: sum(c.weight for c in cues) for ident, cues in _eligible(own[i], by_id, sentence.text).items()}
        ranked = sorted(mine, key=lambda ident: (-mine[ident], ident))
        if ranked:
            best = ranked[0]
            score, cues = scores[best]
            runner_up = mine[ranked[1]] if len(ranked) > 1 else 0.0
            if (
                mine[best] >= 1.0
                and score >= THRESHOLD
                and mine[best] - runner_up >= MARGIN
                and not _chance(own[i][best])
            ):
                links.append((best, round(score, 2), tuple(cues)))
                continue
        # A sentence that goes on about the study before it continues that link: one with no cue of its
        # own that refers back ("The study was ..."), or one whose only cues are for that same study.
        previous = links[-1] if links else None
        if (
            previous is not None
            and previous[0] is not None
            and found[i - 1].paragraph != sentence.paragraph
            and all(c.kind == "words" for cues in own[i].values() for c in cues)
            and max(mine.values(), default=0.0) < THRESHOLD
            and _THE_STUDY.search(sentence.text)
            and not _heading(found, i - 1)
        ):
            # A paragraph that opens on "the paper" or "the study", naming none, goes on about the study the
            # paragraph before it ended on ("The press release that came with the paper was careful.").
            cue = Cue("context", "continues line " + str(found[i - 1].line), 0.0)
            links.append((previous[0], round(previous[1] * CONTEXT_WEIGHT, 2), (cue,)))
            continue
        if previous is not None and previous[0] is not None and found[i - 1].paragraph == sentence.paragraph:
            ident = previous[0]
            if not own[i] and _ANAPHORA.match(sentence.text):
                cue = Cue("context", "continues line " + str(found[i - 1].line), 0.0)
                links.append((ident, round(previous[1] * CONTEXT_WEIGHT, 2), (cue,)))
                continue
            if helped and set(own[i]) == {ident} and ident in scores and scores[ident][0] >= 2.0:
                links.append((ident, round(scores[ident][0], 2), tuple(scores[ident][1])))
                continue
            # Another study its own cues point at more than at this one ("fibro" or "placebo" fit every
            # fibromyalgia trial, this one too: they point nowhere else).
            # Words alone are a topic ("vivid dreams", "statistical"), not another study's name.
            named = {k: sum(c.weight for c in own[i][k] if c.kind != "words") for k in mine}
            elsewhere = max((v - named.get(ident, 0.0) for k, v in named.items() if k != ident), default=0.0)
            # "Research in EAE mice ..." after a sentence on cells: a design of its own that does not fit.
            designs = set(stateds[i].designs)
            fits = not designs or bool(designs & by_id[ident].designs)
            # "In the mice, ..." after the patient part of a paper that also studied mice: its mouse part.
            sibling = next((k for k in by_id[ident].siblings if designs & by_id[k].designs), None) if designs else None
            if not fits and sibling is not None:
                ident, fits = sibling, True
            if (
                fits
                and len(sentence.text.split()) >= CONTINUE_MIN_WORDS
                and elsewhere < ELSEWHERE
                and _GOES_ON.search(sentence.text)
            ):
                cue = Cue("context", "continues line " + str(found[i - 1].line), 0.0)
                links.append((ident, round(previous[1] * CONTEXT_WEIGHT, 2), (cue,)))
                continue
        links.append((None, 0.0, ()))
    return links


# --- headings: a heading speaks of the studies of the section beneath it ------------------------

#: A heading that speaks of one study ("The meta-analysis") or of several ("The bigger, newer trials").
_HEADING_NOUN = re.compile(
    r"\b(?:(?P<one>study|trial|pilot|review|meta-analysis|analysis|paper|experiment)"
    r"|(?P<many>studies|trials|pilots|reviews|meta-analyses|analyses|papers|experiments))\b",
    re.IGNORECASE,
)
#: A talk, a session or an interview is not a study, though a study's investigator gives it.
_TALK = re.compile(
    r"\b(?:presentation|presented|talk|lecture|keynote|session|symposium|webinar|interview|podcast|panel)\b", re.I
)
#: A heading is a paragraph of one short sentence with no end mark.
HEADING_WORDS = 12
#: A heading speaking of several studies is tied to those of its section only when there are at most this many.
HEADING_STUDIES = 4


def _heading(found: Sequence[Sentence], i: int) -> bool:
    """True for a heading: a paragraph that is one short sentence with no end mark (not the article's title)."""
    here = found[i]
    alone = (i == 0 or found[i - 1].paragraph != here.paragraph) and (
        i + 1 == len(found) or found[i + 1].paragraph != here.paragraph
    )
    return (
        alone
        and here.paragraph != found[0].paragraph
        and len(here.text.split()) <= HEADING_WORDS
        and not here.text.rstrip().endswith((".", "!", "?", ";", ","))
    )


def headed(
    profiles: Sequence[Profile], found: Sequence[Sentence], links: Sequence[Link], also: Sequence[tuple[str, ...]]
) -> tuple[list[Link], list[tuple[str, ...]]]:
    """Links and second studies with each heading that speaks of a study but names none tied to the studies of
    the section beneath it: "The meta-analysis" to the study its first paragraph retells, "The newer trials"
    to each study its section retells. A heading's design words must fit them; a talk is not a study."""
    by_id = {p.study.id: p for p in profiles}
    links, also = list(links), list(also)
    for i, sentence in enumerate(found):
        noun = _HEADING_NOUN.search(sentence.text)
        if links[i][0] is not None or noun is None or _TALK.search(sentence.text) or not _heading(found, i):
            continue
        end = next((j for j in range(i + 1, len(found)) if _heading(found, j)), len(found))
        section = range(i + 1, end)
        studies: list[str] = []
        if noun.group("one"):
            first = [s for j in section if found[j].paragraph == found[i + 1].paragraph and (s := links[j][0])]
            studies = first[:1]
        else:
            named = [s for j in section for s in (links[j][0], *also[j]) if s is not None]
            studies = list(dict.fromkeys(named))
            if not 2 <= len(studies) <= HEADING_STUDIES:
                continue
        designs = set(stated_design(sentence.text))
        studies = [s for s in studies if not designs or designs <= by_id[s].designs]
        if studies:
            counted(len(sentence.text), end - i)
            cue = Cue("context", f"heads the section from line {found[i + 1].line}", 0.0)
            links[i] = (studies[0], 0.0, (cue,))
            also[i] = tuple(studies[1:])
    return links, also


# --- two studies spoken of together: "one study ..., the other ..." -----------------------------

#: A sentence speaking of two studies at once without naming them.
_TWO = re.compile(
    r"\bone\s+(?:study|trial|of\s+(?:them|the\s+(?:studies|trials)))\b.{0,200}?\bthe\s+other\b"
    r"|\b(?:the|these|those)\s+two\s+(?:[\w-]+\s+){0,2}?(?:studies|trials)\b|\bboth\s+(?:studies|trials)\b"
    r"|^(?:neither|both)\s+(?:of\s+them\s+)?(?:was|were|is|are|had|has|have|found|showed|measured|reported)\b",
    re.IGNORECASE,
)
#: ... ties to the last two studies the article spoke of, within this many paragraphs before it.
TWO_PARAGRAPHS = 3


def paired(
    profiles: Sequence[Profile], found: Sequence[Sentence], links: Sequence[Link], also: Sequence[tuple[str, ...]]
) -> tuple[list[Link], list[tuple[str, ...]]]:
    """Links and second studies with each sentence that speaks of two studies without naming either ("so of
    the two trials, one study showed ..., the other found no effect") tied to the last two studies spoken of
    just before it, when its design words fit both. A sentence that names a study by its own cues is left."""
    by_id = {p.study.id: p for p in profiles}
    links, also = list(links), list(also)
    for i, sentence in enumerate(found):
        ident, _, cues = links[i]
        own = ident is not None and not any(c.text.startswith(("continues", "heads")) for c in cues)
        if own or also[i] or not _TWO.search(sentence.text):
            continue
        counted(len(sentence.text))
        recent: list[str] = []
        for j in range(i - 1, -1, -1):
            if found[j].paragraph < sentence.paragraph - TWO_PARAGRAPHS or len(recent) == 2:
                break
            for study in (links[j][0], *also[j]):
                if study is not None and study not in recent and len(recent) < 2:
                    recent.append(study)
        designs = set(stated_design(sentence.text))
        if len(recent) == 2 and all(designs <= by_id[s].designs for s in recent):
            first = ident if ident in recent else recent[0]
            cue = Cue("context", "two studies: " + " and ".join(recent), 0.0)
            links[i] = (first, links[i][1], (*cues, cue))
            also[i] = tuple(s for s in recent if s != first)
    return links, also
