"""What a sentence states: sizes, lengths, doses, years, designs, outcomes, harms, advice, conditions."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ldn_evidence.model import (
    CONDITIONS,
    NUMBER_WORDS,
    number_value,
)

# --- what a sentence states -----------------------------------------------------------------

_NUMBER = r"((?<![\d,.])\d[\d,]*(?:\.\d+)?|" + "|".join(
    sorted((w for w in NUMBER_WORDS if len(w) > 2), key=len, reverse=True)
)
_NUMBER += r"|seventeen|sixty|eighty|forty|thirty|fifty|ninety|hundred)"
_EXTRA_NUMBERS = {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "eighty": 80, "ninety": 90, "hundred": 100}
_PEOPLE = r"(?:patients|people|persons|subjects|participants|women|men|individuals|adults|volunteers|sufferers)"
#: A count written as a compound: "a 96-patient trial", "a 14-child pilot", "an eighty-person study".
_PERSON = r"(?:patient|person|people|woman|women|man|men|child|children|participant|subject|adult|volunteer)"
_SIZE_BEFORE = (
    r"(?:included|including|includes|enrolled|enrolling|enrolls|comprised|comprising|involving|involved|with|on|"
    r"assessed|recruited|studied|of|among|followed|treated|to|in\s+a\s+group\s+of)"
)
_N_RE = re.compile(
    rf"\b{_SIZE_BEFORE}\s+(?:a\s+total\s+of\s+|only\s+|just\s+)?{_NUMBER}\s+(?:[a-z-]+\s+)?{_PEOPLE}\b"
    rf"|\b{_NUMBER}\s+(?:[a-z-]+\s+)?{_PEOPLE}\s+(?:were|was)\s+(?:enrolled|included|randomi[sz]ed|studied|recruited)"
    rf"|(?<![.\d])\b{_NUMBER}\s+(?:[a-z-]+\s+)?{_PEOPLE}(?:\s+with\s+[\w'’-]+(?:\s+[\w'’-]+)?)?\s+"
    r"(?:took|received|were\s+given|were\s+treated|participated|took\s+part|completed)\b"
    rf"|\bout\s+of\s+{_NUMBER}\b"
    rf"|\b{_NUMBER}-{_PERSON}\b",
    re.IGNORECASE,
)
_ANY_COUNT = re.compile(rf"\b{_NUMBER}\s+(?:[a-z-]+\s+)?{_PEOPLE}\b|\b{_NUMBER}-{_PERSON}\b", re.IGNORECASE)
_DURATION_RE = re.compile(
    rf"\b(?P<num>{_NUMBER[1:-1]}|a\s+couple\s+of)[\s-]+(?P<unit>day|week|month|year)s?(?P<long>[\s-]+long)?"
    r"(?:\s+(?P<what>trial|study|investigation|pilot|period|course|treatment))?",
    re.IGNORECASE,
)
_DURATION_LEAD = re.compile(
    r"(?:\bfor|\bover|\bperiod\s+of|\blasted|\bran)\s+(?:about\s+|a\s+median\s+period\s+of\s+)?$", re.I
)
_DOSE_RE = re.compile(r"\b(\d+(?:\.\d+)?)\s*(?:mg|milligrams?)\b", re.IGNORECASE)
_YEAR_RE = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
_PUBLISHED_YEAR = re.compile(
    r"\b(?:published|presented|reported|appeared|proposed|conducted|carried\s+out)\b[^.;]{0,80}?\b(?:in\s+)?(19[5-9]\d|20[0-4]\d)\b"
    r"|\b(?:a|the|one|this)\s+(19[5-9]\d|20[0-4]\d)\s+(?:study|trial|paper|report)",
    re.IGNORECASE,
)
_DAYS = {"day": 1.0, "week": 7.0, "month": 30.44, "year": 365.25}


#: Small patterns the checks share, compiled once.
_THAN = re.compile(r"than\s+$")
_WITHOUT = re.compile(r"\b(?:without|no|not|nor)\b(?:\s+\w+){0,4}\s*$", re.I)
_NOT_A_HARMS_CLAIM = re.compile(r"\bsafety and efficacy\b|\bsafely\b", re.I)
_NEVER = re.compile(r"\s*(?:never|don't|do not)\b", re.I)
#: A named investigator ("Dr. Bruce Cree", "Professor O'Brien"); a possessive ("Dr Cree's trial") is the name.
_NAMED = re.compile(r"\b(?:Dr\.?|Professor|Prof\.)\s+(?:[A-Z][a-z]+\s+)?([A-Z](?:[a-zA-Z-]|'(?!s\b))+)")
_BENEFIT_TO = re.compile(r"\bbenefit\w*\b[^.]{0,40}\b(?:autoimmune|ms|multiple sclerosis)\b", re.I)
_ANIMALS = re.compile(r"\b(?:mice|mouse|rats?|animals?|EAE|experimental autoimmune encephalomyelitis)\b", re.I)


#: The largest count (of people, weeks, days) a sentence is read as stating; a larger number states none.
_MAX_COUNT = 10**9
_MAX_DIGITS = 13


def count_value(token: str) -> int | None:
    """A count in digits or words ("ten", "1,744") as an int; None if it is not one."""
    word = token.lower().replace(",", "")
    if word in _EXTRA_NUMBERS:
        return _EXTRA_NUMBERS[word]
    if word.startswith("a couple"):
        return 2
    if len(word) > _MAX_DIGITS:  # no count of people is written with more digits than this
        return None
    try:
        value = number_value(word)
    except (ValueError, OverflowError):
        return None
    if not math.isfinite(value) or value > _MAX_COUNT:
        return None
    return int(value) if value == int(value) else None


def stated_n(sentence: str) -> list[tuple[str, int]]:
    """(phrase, number) for each study size the sentence states ("60 patients", "out of 40")."""
    found = []
    for match in _N_RE.finditer(sentence):
        token = next(g for g in match.groups() if g)
        value = count_value(token)
        if value is not None and sentence[match.end() : match.end() + 1] != "%":
            found.append((match.group(0).strip(), value))
    return found


@dataclass(frozen=True, slots=True)
class StatedDuration:
    """A length of time a sentence states, and whether it is the study's length or the time on treatment."""

    phrase: str
    days: float
    of_study: bool
    """True for "an eight-week trial"; False for "for eight weeks"."""


def _numbered(
    pattern: re.Pattern[str], text: str, read: Callable[[str], float | None]
) -> Iterator[tuple[re.Match[str], float]]:
    """Each match of `pattern` (a number in its group `num`) in `text`, with that number as `read` reads it;
    a match whose number does not read as one is passed over."""
    for match in pattern.finditer(text):
        value = read(match.group("num"))
        if value is not None:
            yield match, value


def stated_durations(sentence: str) -> list[StatedDuration]:
    """Lengths of a study or of treatment the sentence states; ages, disease durations and 'ago' are left out."""
    found = []
    for match, value in _numbered(_DURATION_RE, sentence, count_value):
        after = sentence[match.end() : match.end() + 6].lower()
        before = sentence[max(0, match.start() - 30) : match.start()]
        if after.startswith((" ago", " old")) or _THAN.search(before):
            continue
        of_study = bool(match.group("what") and match.group("what").lower() not in ("period", "course", "treatment"))
        of_study = of_study or (bool(match.group("long")) and not _DURATION_LEAD.search(before))
        if not (of_study or _DURATION_LEAD.search(before) or match.group("what")):
            continue
        days = round(value * _DAYS[match.group("unit").lower()], 2)
        found.append(StatedDuration(match.group(0).strip(), days, of_study))
    return found


def stated_doses(sentence: str) -> list[tuple[str, float]]:
    """(phrase, milligrams) for each dose the sentence states."""
    return [(m.group(0), float(m.group(1))) for m in _DOSE_RE.finditer(sentence)]


def stated_year(sentence: str) -> list[tuple[str, int]]:
    """(phrase, year) where the sentence dates a study ("published in 2007", "a 2017 study")."""
    found = []
    for match in _PUBLISHED_YEAR.finditer(sentence):
        year = match.group(1) or match.group(2)
        found.append((match.group(0), int(year)))
    return found


#: design word (a regex) -> the design keys it fits, and those it contradicts.
DESIGN_WORDS: dict[str, tuple[str, frozenset[str], frozenset[str]]] = {
    "randomized": (
        r"\brandomi[sz]ed\b",
        frozenset({"rct", "systematic-review"}),
        frozenset(
            {
                "open-label",
                "before-after",
                "retrospective",
                "case-series",
                "case-report",
                "controlled-trial",
                "cohort",
                "animal",
                "in-vitro",
                "hypothesis",
            }
        ),
    ),
    "placebo-controlled": (
        r"\bplacebo\b",
        frozenset({"rct", "controlled-trial"}),
        frozenset({"open-label", "retrospective", "case-series", "case-report", "cohort", "hypothesis"}),
    ),
    "open-label": (r"\bopen[- ]label(?:ed)?\b", frozenset({"open-label"}), frozenset({"rct", "controlled-trial"})),
    "retrospective": (
        r"\bretrospective\b|\bchart review\b",
        frozenset({"retrospective"}),
        frozenset({"rct", "controlled-trial", "open-label"}),
    ),
    "case report": (
        r"\bcase (?:report|study)\b|\bsingle case\b",
        frozenset({"case-report", "case-series"}),
        frozenset({"rct", "controlled-trial", "cohort", "open-label", "retrospective", "before-after"}),
    ),
    "crossover": (r"\bcross-?over\b", frozenset(), frozenset({"open-label", "retrospective", "case-report"})),
    "double-blind": (
        r"\bdouble[- ](?:blind|masked)\b",
        frozenset(),
        frozenset({"open-label", "retrospective", "case-report", "case-series", "before-after"}),
    ),
    "single-blind": (r"\bsingle[- ](?:blind|masked)\b", frozenset(), frozenset({"open-label"})),
    "in mice": (
        r"\bmice\b|\bmouse\b|\brats?\b|\banimals?\b|\bEAE\b|\bexperimental autoimmune encephalomyelitis\b",
        frozenset({"animal"}),
        frozenset(),
    ),
    "in cells": (r"\bin vitro\b|\bcell cultures?\b", frozenset({"in-vitro"}), frozenset()),
}
_DESIGN_RES = {word: re.compile(pattern, re.IGNORECASE) for word, (pattern, _, _) in DESIGN_WORDS.items()}


def stated_design(sentence: str) -> list[str]:
    """The design words (keys of DESIGN_WORDS) the sentence uses, unless negated ("without a placebo")."""
    found = []
    for word, pattern in _DESIGN_RES.items():
        match = pattern.search(sentence)
        if match and not _WITHOUT.search(_before(sentence, match.start())):
            found.append(word)
    return found


#: measure key -> words that name it in an article.
MEASURE_WORDS: dict[str, str] = {
    "weakness": r"weakness",
    "fatigue": r"fatigue|tiredness",
    "pain": r"pain",
    "spasticity": r"spasticity",
    "quality-of-life": r"quality[- ]of[- ]life",
    "mental-health": r"mental health",
    "cognition": r"cogniti\w*",
    "inflammation": r"inflammat\w*|cytokines?",
    "disability": r"disability",
    "medication-use": r"(?:use|need) (?:of|for) (?:other )?(?:ms )?(?:medicines|medications|drugs)|medication use",
}
_CHANGE = (
    r"(?:less|reduc\w*|decreas\w*|improv\w*|better|relie\w*|fell|dropped|lower(?:ed)?|went\s+down|diminish\w*"
    r"|increas\w*|rose|more)"
)
_MEASURE_RES = {
    key: re.compile(
        rf"\b{_CHANGE}\b(?:\s+\w+){{0,2}}?\s+(?:{words})\b|\b(?:{words})\b(?:\s+\w+){{0,2}}?\s+{_CHANGE}\b", re.I
    )
    for key, words in MEASURE_WORDS.items()
}
_NO_CHANGE = (
    r"(?:no\s+(?:change|difference|improvement|effect|significant\s+\w+)"
    r"|did\s+not\s+(?:\w+\s+)?(?:change|improve|differ))"
)
_STEADY_RES = {
    key: re.compile(
        rf"\b{_NO_CHANGE}\b(?:\s+\w+){{0,3}}?\s+(?:{words})\b|\b(?:{words})\b(?:\s+\w+){{0,4}}?\s+{_NO_CHANGE}\b"
        rf"|\b(?:{words})\b(?:\s+\w+){{0,2}}?\s+(?:was|were)\s+unchanged\b",
        re.I,
    )
    for key, words in MEASURE_WORDS.items()
}


#: How much of what comes before a word is read for a negation or a hedge ("not", "may"): a few words, so a
#: sentence with many such words is still read in one pass.
_LOOK_BACK = 80


def _before(sentence: str, at: int) -> str:
    """The few words before position `at`."""
    return sentence[max(0, at - _LOOK_BACK) : at]


_HEDGED = re.compile(r"\b(?:may|might|could|can)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)


#: Words after a change that say LDN made no difference of its own.
_NO_DIFFERENCE = re.compile(
    r"\bin both (?:groups|arms)\b|\bmore (?:on|with) placebo\b|\bas (?:much|well) (?:on|with) placebo\b"
    r"|\bas much (?:on|with) (?:LDN|naltrexone|the drug) as\b|\bthe same (?:amount )?(?:on|with|as)\b",
    re.I,
)


def stated_outcomes(sentence: str) -> list[tuple[str, str, bool]]:
    """(measure key, phrase, changed) for each measure the sentence says changed (True) or did not (False)."""
    found = []
    for key in MEASURE_WORDS:
        for pattern, changed in ((_STEADY_RES[key], False), (_MEASURE_RES[key], True)):
            for match in pattern.finditer(sentence):
                # "no clinically relevant pain relief", "fell in both groups, a little more on placebo": no change
                # of LDN's own.
                said = changed and not (
                    _NEGATED.search(_before(sentence, match.start()))
                    or _NO_DIFFERENCE.search(sentence, match.end(), match.end() + _LOOK_BACK)
                )
                found.append((key, match.group(0), said))
    # One statement a measure and direction: the first phrase that says it. A hedge ("may reduce pain")
    # states no finding.
    seen: set[tuple[str, bool]] = set()
    kept = []
    for key, phrase, changed in found:
        if _HEDGED.search(_before(sentence, sentence.find(phrase))):
            continue
        if (key, changed) not in seen:
            seen.add((key, changed))
            kept.append((key, phrase, changed))
    return kept


_HARMS_RE = re.compile(
    r"\bno (?:particular |serious |major |significant )?(?:side[- ]effects|adverse (?:events|effects))\b"
    r"|\bwithout (?:any )?side[- ]effects\b|\bfree of side[- ]effects\b|\bwell[- ]tolerated\b|\bsafe\b|\bharmless\b",
    re.IGNORECASE,
)
_NEGATED_RE = re.compile(
    r"(?:\b(?:not|no|none|never|nor|yet to|whether|if)\b|\bcannot\b|n't\b)(?:\s+\w+){0,3}\s*$", re.IGNORECASE
)
#: Words that look like a negation and affirm what follows: "there is no doubt LDN cures MS", "not only does it
#: cure MS". They are removed before a negation is looked for.
_AFFIRMING = re.compile(
    r"\b(?:no|little|without(?: a)?|beyond(?: any| a)?) (?:doubt|question|secret|wonder|surprise|denying)\b"
    r"|\bnot only\b|\bnot surprisingly\b|\bundeniabl[ey]\b|\bnever (?:been )?(?:clearer|more certain)\b"
    r"|\b(?:can|could)(?:not|n't) be (?:denied|doubted)\b|\bthere(?:'s| is) no denying\b"
    # A negated verb of doubting, forgetting or denying asserts what follows it: "never forget that LDN cures MS",
    # "don't doubt it", "no one can deny that". The negation is of that verb, not of the claim's own.
    r"|\b(?:not|never|no one|nobody|none|(?:do|does|did|can|could|should|would|will|wo|ca)(?:n't| not)|cannot)"
    r"(?: \w+){0,2}? (?:forget|forgets|forgot|forgetting|doubt|doubts|doubted|doubting|deny|denies|denied|denying"
    r"|dispute|disputes|disputed|question|questions|questioned|overlook|overlooks|ignore|ignores|underestimate"
    r"|underestimates|be fooled|kid yourself)\b",
    re.IGNORECASE,
)
#: Where a clause ends: a negation before it governs another clause ("It won't hurt; LDN cures MS").
_CLAUSE_END = re.compile(r".*(?:[;:()\u2013\u2014]|\s-\s|\bbut\b)", re.IGNORECASE | re.DOTALL)
#: ... and a comma, for a verb ("It won't hurt, LDN cures MS"), once a short aside between commas is passed
#: over ("It is not, as some claim, a cure"). Not for a measure or a harm, which come in lists ("no change in
#: fatigue, pain or sleep").
_CLAUSE_COMMA = re.compile(r".*,\s", re.DOTALL)
_ASIDE = re.compile(r",[^,;:]{1,40},")


class _Negation:
    """A negation that governs the word at a position: a negator ("not", "no", "never", "n't", "cannot",
    "whether") at most three words before it, in its own clause, and not part of words that affirm ("no doubt",
    "not only"). A regular-expression-like `search(before)` so that each caller reads the words before a match;
    `verb` cuts the clause at a comma too."""

    def __init__(self, verb: bool) -> None:
        self.verb = verb

    def search(self, before: str) -> bool:
        cut = _CLAUSE_END.match(before)
        clause = before[cut.end() :] if cut else before
        if self.verb:
            clause = _ASIDE.sub(" ", clause)
            comma = _CLAUSE_COMMA.match(clause)
            clause = clause[comma.end() :] if comma else clause
        return bool(_NEGATED_RE.search(_AFFIRMING.sub(" ", clause)))


_NEGATED = _Negation(verb=False)
#: For a verb or a verdict ("cures", "proved", "start taking"): a negation in its own clause.
_NEGATED_VERB = _Negation(verb=True)
_SHARE = re.compile(r"\d+(?:\.\d+)?\s?%|\b(?:percent|most|many|majority|half|some)\b", re.IGNORECASE)


def stated_harms(sentence: str) -> str | None:
    """The phrase calling a treatment safe or free of side effects, or None (shares such as '77% had none' are not)."""
    match = _HARMS_RE.search(sentence)
    if not match or _NEGATED.search(_before(sentence, match.start())) or _SHARE.search(sentence[: match.start()]):
        return None
    if _NOT_A_HARMS_CLAIM.search(sentence):
        return None
    return match.group(0)


#: The words presenting evidence as settled, each in every form it takes ("prove", "proves", "proved", "proven",
#: "proving"). The verbs of curing a chronic disease are the same overstatement whichever verb is used ("heals
#: MS", "reverses MS", "eradicates MS", "beats MS", "stops MS in its tracks"); those with everyday meanings
#: ("heal", "reverse", "beat") count only with a disease or condition as their object, and not of animals.
OVERSTATEMENT_FORMS: dict[str, tuple[str, ...]] = {
    "prove": ("prove", "proves", "proved", "proven", "proving", "proof"),
    "cure": ("cure", "cures", "cured", "curing", "curative"),
    "work": ("works", "worked"),  # "work" and "working" are nouns too often ("their work", "working memory")
    "miracle": ("miracle", "miracles", "miraculous", "miraculously"),
    "establish": ("established", "establishes"),  # "establish" asks ("to establish whether ...")
    "halt": ("halt", "halts", "halted", "halting"),
    "eradicate": ("eradicate", "eradicates", "eradicated", "eradicating"),
    "confirm": ("confirmed",),  # "confirm" and "confirms" are how papers report their own findings
}
#: Verbs that overstate when their object is a disease: (forms, what may stand between verb and disease).
CURE_VERBS: dict[str, tuple[str, ...]] = {
    "heal": ("heal", "heals", "healed", "healing"),
    "reverse": ("reverse", "reverses", "reversed", "reversing"),
    "beat": ("beat", "beats", "beaten", "beating"),
    "stop": ("stop", "stops", "stopped", "stopping"),
    "switch off": ("switch off", "switches off", "switched off", "switching off"),
}
_CONDITION_OBJECT = (
    r"(?:(?:the|your|their|his|her|my|our|a)\s+)?(?:(?:progressive|chronic|autoimmune|relapsing)\s+)?"
    r"(?:(?:the\s+)?(?:disease\s+)?progression|ms|multiple sclerosis|disease|illness|condition|fibromyalgia|"
    r"crohn'?s|cancer|autoimmunity)\b"
)


def _forms(table: dict[str, tuple[str, ...]]) -> str:
    words = sorted((form for forms in table.values() for form in forms), key=len, reverse=True)
    return "|".join(re.escape(form).replace("\\ ", r"\s+") for form in words)


_OVERSTATEMENT_RE = re.compile(
    rf"\b(?:{_forms(OVERSTATEMENT_FORMS)}|scientifically (?:shown|proven)|clinically proven|first-line|exactly how|"
    r"(?:was|were|been) shown to (?:stop|halt|prevent|reverse|cure)|"
    rf"(?P<verb>(?:{_forms(CURE_VERBS)})\s+{_CONDITION_OBJECT}|"
    rf"(?:{_forms(CURE_VERBS)})\s+(?:\S+\s+){{1,3}}?in\s+its\s+tracks))\b",
    re.IGNORECASE,
)


def stated_overstatement(sentence: str) -> str | None:
    """The word presenting evidence as settled ("proved", "scientifically shown", "cure"), unless negated or asked."""
    if asked(sentence):
        return None
    for match in _OVERSTATEMENT_RE.finditer(sentence):
        before = _before(sentence, match.start())
        if match.group(0).lower() == "prove" and _TO_PROVE.search(before):
            continue  # "may prove useful", "a trial to prove whether": turning out, or an aim, not a proof
        if match.group("verb") and _ANIMALS.search(sentence):
            continue  # "in mice, LDN reversed the disease" may be what the mice showed: `animal-to-human` reads it
        if not _NEGATED_VERB.search(before):
            return match.group(0)
    return None


_TO_PROVE = re.compile(r"\b(?:may|might|could|can|will|would|should|must|to)\s+$", re.IGNORECASE)


_EVIDENCE_RE = re.compile(
    r"\b(?:research|studies|study|science|scientists|trials|evidence|data)\b(?:\s+\w+){0,3}?\s+"
    r"(?:has|have|had)?\s*(?:shown|show|shows|proven|prove|proves|proved|demonstrated|demonstrate|suggests|supports|"
    r"indicates|confirms|found)\b|\bscientifically (?:shown|proven)\b|\bclinically proven\b"
    r"|\b(?:has|have) been (?:scientifically |clinically )?(?:shown|proven|demonstrated)\b",
    re.IGNORECASE,
)


def claims_evidence(sentence: str) -> bool:
    """True when the sentence claims evidence: 'research has shown', 'studies prove', 'science supports'."""
    return bool(_EVIDENCE_RE.search(sentence)) and not asked(sentence)


#: A question tag after a statement: "LDN cures MS, isn't that amazing?", "..., right?" asks nothing of the claim.
_TAG = re.compile(
    r"[,\u2013\u2014-]\s*(?:(?:is|are|was|were|do|does|did|has|have|had|can|could|will|would|should|wo|ca)n't\b|"
    r"(?:right|eh|huh|yes|no|true|see|who knew|how (?:amazing|great|cool|about that))\b)[^,;:?]*\?+\s*$",
    re.IGNORECASE,
)
#: A sentence that is itself a question starts with an auxiliary or a question word.
_QUESTION_START = re.compile(
    r"^\W*(?:is|are|was|were|do|does|did|has|have|had|can|could|will|would|should|may|might|what|why|how|who|"
    r"which|when|where)\b",
    re.IGNORECASE,
)


#: A question that asks nothing of what follows its "that": "Who would have guessed that LDN cures MS?", "Did you
#: know that ...?", "Isn't it amazing that ...?" state the clause they carry.
_RHETORICAL = re.compile(
    r"^\W*(?:who (?:would|could|might|will)(?: ever)?(?: have)? (?:guessed|guess|thought|think|known|imagined|imagine"
    r"|believed|believe|predicted|expected|dreamed|dreamt)|who knew|did you know|do you know|"
    r"(?:isn't|is it not|wasn't|was it not) it (?:amazing|incredible|remarkable|great|wonderful|fantastic|striking)"
    r"|how (?:amazing|incredible|wonderful|great) is it)\b(?:\s+\w+){0,2}?\s+that\b",
    re.IGNORECASE,
)


def asked(sentence: str) -> bool:
    """True when the sentence asks rather than states: it ends with "?", unless the question is only a tag after a
    statement ("LDN cures MS, isn't that amazing?") or a rhetorical frame around what it states ("Who would have
    guessed that LDN cures MS?")."""
    text = sentence.rstrip()
    if not text.endswith("?"):
        return False
    if _RHETORICAL.match(text):
        return False
    return not (_TAG.search(text) and not _QUESTION_START.match(text))


_ADVICE_RE = re.compile(
    r"(?:^|[.;:!,]\s+|\byou\s+(?:should|must|need to|ought to|can)\s+|"
    r"\bwe\s+recommend\s+(?:that\s+you\s+)?)"
    r"(?:(?:start|begin|try|take|stop|quit|switch\s+(?:to|from)|replace|increase|double|ask\s+(?:your|a)\s+(?:doctor|"
    r"physician|neurologist)\s+(?:for|to\s+prescribe))\b[^.]{0,60}?\b(?:ldn|naltrexone|it|your|medication|medicine|drug|"
    r"dose|treatment|therapy|dmts?|injections?)\b"
    r"|(?:ask|call|try|find|order\s+from)\s+(?:a|your)\s+(?:local\s+)?compounding\s+pharmac(?:y|ist)\b)",
    re.IGNORECASE,
)
_CAUTION_RE = re.compile(r"\b(?:without\s+(?:first\s+)?(?:consulting|talking|asking)|never|consult|talk to)\b", re.I)


def stated_advice(sentence: str) -> str | None:
    """The words that tell the reader to take or change a treatment, or None (consulting a doctor is not advice)."""
    match = _ADVICE_RE.search(sentence)
    if not match or _CAUTION_RE.search(match.group(0)) or _NEGATED_VERB.search(_before(sentence, match.start())):
        return None
    if _NEVER.match(sentence):
        return None
    return match.group(0).strip(" .;:,")


_HUMAN_RE = re.compile(r"\b(?:patients|people|humans|men|women|sufferers|you|adults|children|ms patients)\b", re.I)
_ANIMAL_RE = re.compile(
    r"\b(?:mice|mouse|rats?|animals?|in vitro|cells?|cell cultures?|lab(?:oratory)?|dish(?:es)?|EAE|"
    r"experimental autoimmune encephalomyelitis)\b",
    re.I,
)


def found_conditions(sentence: str) -> list[tuple[str, str]]:
    """(condition key, phrase) for each condition the sentence names."""
    found = []
    for key, pattern in _CONDITION_RES.items():
        if match := pattern.search(sentence):
            found.append((key, match.group(0)))
    return found


def _condition_pattern(key: str) -> re.Pattern[str]:
    label, aliases = CONDITIONS[key]
    words = {label.lower(), *aliases, key}
    words |= _EXTRA_CONDITION_WORDS.get(key, set())
    words.discard("ms")
    body = "|".join(
        re.escape(w).replace("\\ ", r"[\s-]+").replace("'", "['’]?") for w in sorted(words, key=len, reverse=True)
    )
    if key == "ms":
        return re.compile(rf"\b(?:{body})\b|\bMS\b|\b(?:RR|PP|SP)MS\b")
    return re.compile(rf"\b(?:{body})\b", re.IGNORECASE)


_EXTRA_CONDITION_WORDS: dict[str, set[str]] = {
    "crohns": {"chron's", "chrons"},
    "fibromyalgia": {"fibro"},
    "crps": {"crps"},
    "chronic-low-back-pain": {"lower back pain", "back pain"},
    "cfs": {"me/cfs", "cfs"},
    "ibs": {"ibs"},
}
_CONDITION_RES = {key: _condition_pattern(key) for key in CONDITIONS}


# --- the size of a change -------------------------------------------------------------------------

_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_UNITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
#: A number in words from twenty-one to ninety-nine ("eighty-nine percent").
_COMPOUND = rf"(?:{'|'.join(_TENS)})[\s-](?:{'|'.join(_UNITS)})"


def _number(token: str) -> float | None:
    """A number in digits or words ("3.3", "fifteen", "eighty-nine"), or None."""
    word = token.lower().replace("·", ".")
    if word[:1].isdigit():
        try:
            return float(word.replace(",", ""))
        except ValueError:
            return None
    tens, _, unit = re.sub(r"\s+", "-", word).partition("-")
    if tens in _TENS and unit in _UNITS:
        return float(_TENS[tens] + _UNITS[unit])
    value = count_value(word)
    return float(value) if value is not None else None


#: A size an article gives for a change: "by 15%", "by more than 30%", "3.3 points", "thirty-two percent".
_SIZE_RE = re.compile(
    rf"(?P<bound>\b(?:more\s+than|over|at\s+least|above|nearly|almost|about|around|roughly|some)\s+)?"
    rf"\b(?P<num>{_COMPOUND}|{_NUMBER})(?:\s?(?P<percent>%|percent\b|per\s+cent\b)|\s+(?P<points>points?)\b)",
    re.IGNORECASE,
)
#: How far after a measure's words its size is looked for.
SIZE_WINDOW = 80


@dataclass(frozen=True, slots=True)
class StatedSize:
    """A size of change a sentence gives: its words, value, unit (% or points) and how it is bounded."""

    phrase: str
    value: float
    unit: str
    bound: str
    """"at least" (more than, over), "about" (about, nearly), or "" (the value as it stands)."""


def stated_sizes(text: str) -> list[StatedSize]:
    """The sizes of change a piece of a sentence gives (shares and points; not counts of people)."""
    found = []
    for match, number in _numbered(_SIZE_RE, text, _number):
        word = (match.group("bound") or "").strip().lower()
        bound = "at least" if word in ("more than", "over", "at least", "above") else "about" if word else ""
        found.append(StatedSize(match.group(0).strip(), number, "%" if match.group("percent") else "points", bound))
    return found


#: What in a paper's size is not a size of change: P values, confidence levels, heterogeneity.
_NOT_A_SIZE = re.compile(
    r"\bp\s*[=<>≤]\s*[\d.·]+|\b95\s*(?:%|percent)\s*(?:CI|confidence)|\bI\s?2\s*=\s*[\d.·]+\s*%|\beffect size\b"
    r"|\bd\s*=\s*[\d.·]+|Cohen's d\s*[\d.·]+",
    re.IGNORECASE,
)
_PAPER_NUMBER = re.compile(rf"\d+(?:[.·]\d+)?|\b(?:{_COMPOUND}|{_NUMBER[1:-1].split('|', 1)[1]})\b", re.I)


def size_values(size: str) -> list[float]:
    """The numbers of a paper's size for a finding ("28.8% reduction versus 18.0%" -> 28.8, 18.0), unsigned,
    leaving out P values, confidence levels and heterogeneity."""
    text = _NOT_A_SIZE.sub(" ", size)
    values = []
    for match in _PAPER_NUMBER.finditer(text):
        if (number := _number(match.group(0))) is not None:
            values.append(number)
    return values
