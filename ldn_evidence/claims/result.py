"""What a check of an article finds: the constants, the error, and the result's records (Cue, Check, Claim, Report)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from ldn_evidence.errors import CatalogueError

#: A linked sentence's own cues must score at least this much.
THRESHOLD = 3.0
#: ... and beat the next study by at least this much.
MARGIN = 1.0
#: A neighbour's cues for the same study count this much.
CONTEXT_WEIGHT = 0.5
#: A sentence shorter than this many words is helped by no neighbour: captions and bylines stand alone.
CONTINUE_WORDS = 6
#: Articles larger than this are refused: a press article is a few pages (a saved page holds markup too).
MAX_BYTES = 2_000_000
#: ... and so are those whose (visible) text has more words (runs of letters or digits) than this.
MAX_WORDS = 50_000
#: ... or more sentences than this: each sentence is a claim in the report, so sentences are what a check costs
#: (a long article has a few thousand; 50,000 words in sentences of five words would be 10,000).
MAX_SENTENCES = 10_000

#: A sentence longer than this many characters is read in pieces no longer than this (at a space where
#: there is one): every pattern then reads a bounded piece, once per rule.
MAX_SENTENCE = 1_000
#: The work budget: a check of an article takes at most WORK_PER_CHAR steps per rule per character (see
#: `Work`), and at most `work_bound(size, rules)` steps in all.
WORK_PER_CHAR = 4

VERDICTS = ("agrees", "differs", "unchecked")
KINDS = (
    "n", "duration", "design", "dose", "population", "outcome", "size", "harms", "attribution", "year",
    "overstatement", "animal-to-human", "advice",
)  # fmt: skip
NOT_ADVICE = "This checks an article against the catalogue; it is not medical advice."


class ArticleError(CatalogueError):
    """An article that cannot be read as text (missing, binary, empty, too large)."""


# --- the work budget ---------------------------------------------------------------------


@dataclass(slots=True)
class Work:
    """The work done checking one article, in steps: each character handed to a reader or matcher counts one
    step for each rule that reads it (two for reading HTML: the pass before the parser and lexbor, and one more for
    a style sheet's; one for the splitter, for removing invisible characters and for folding look-alike letters;
    each flag pattern for the window read around a split or disguised word (`flagged`); each pattern of `Stated`;
    each cue for each study; each check). Every piece handed on is at most MAX_SENTENCE characters (the
    splitter's at most its window), every pattern is free of nested quantifiers over separators, and a page
    lexbor reads nests at most MAX_DEPTH (prepass.py) elements deep, so a step is bounded work: steps are a
    measure of time that needs no clock."""

    steps: int = 0
    limit: int | None = None

    def add(self, chars: int, rules: int = 1) -> None:
        """Count `chars` characters (and one step for the call itself) read by `rules` rules."""
        self.steps += (chars + 1) * rules
        if self.limit is not None and self.steps > self.limit:
            raise ArticleError(f"the article takes more work than its budget ({self.limit:,} steps)")


def work_bound(size: int, rules: int) -> int:
    """The most steps an article of `size` characters may take, when each sentence meets `rules` rules."""
    return WORK_PER_CHAR * (rules + 8) * (size + 1)


_WORK: ContextVar[Work | None] = ContextVar("claims_work", default=None)


def counted(chars: int, rules: int = 1) -> None:
    """Count work against the check in progress (nothing when none is)."""
    work = _WORK.get()
    if work is not None:
        work.add(chars, rules)


@contextmanager
def budget(limit: int | None) -> Iterator[Work]:
    """Count the work of one article's check, and stop it with ArticleError past `limit` steps."""
    work = Work(limit=limit)
    token = _WORK.set(work)
    try:
        yield work
    finally:
        _WORK.reset(token)


# --- the result ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Cue:
    """One thing in a sentence that points at a study."""

    kind: str
    """investigator, place, year, n, duration, dose, design, condition, words or context."""
    text: str
    """What matched, as the sentence has it."""
    weight: float
    """What it adds to the link's score."""


@dataclass(frozen=True, slots=True)
class Check:
    """One stated value compared with what is known."""

    kind: str
    """A key of KINDS."""
    verdict: str
    """agrees, differs or unchecked."""
    article: str
    """What the article says, in its words."""
    catalogue: str | None = None
    """What the catalogue's record says (as the articles report it), if it says anything."""
    published: str | None = None
    """What the paper says (as published), if the published layer verifies it."""
    excerpt: str | None = None
    """The verbatim quote or excerpt behind the comparison."""
    source: str | None = None
    """Where the excerpt stands: a seed file name or the page it was read on."""
    about: str | None = None
    """The study id or condition key checked, when it is not the linked study."""
    layer: str | None = None
    """Which layer the verdict compared with: published or articles; None when neither applies."""


@dataclass(frozen=True, slots=True)
class Claim:
    """One sentence of the article, its study (if any) and its checks."""

    sentence: str
    """The sentence as the article has it (whitespace folded)."""
    line: int
    """1-based line of the article where it starts."""
    study: str | None = None
    """The id of the study it retells, or None."""
    score: float = 0.0
    """The link's score (own cues plus context); 0 when not linked."""
    cues: tuple[Cue, ...] = ()
    """The cues that made the link."""
    checks: tuple[Check, ...] = ()
    """What it states, checked."""
    evidence_claim: bool = False
    """True when it claims evidence ("research has shown", "studies prove")."""
    also: tuple[str, ...] = ()
    """Other studies the sentence speaks of as clearly as of `study` ("one trial ..., the other ..."); its
    checks are those of `study`."""


@dataclass(frozen=True, slots=True)
class Report:
    """An article checked, sentence by sentence."""

    name: str
    """The article's file name, or "-" for standard input."""
    claims: tuple[Claim, ...]
    """Every sentence, in order."""
    work: int = 0
    """The steps the check took (see `Work`)."""

    @property
    def unsupported(self) -> tuple[Claim, ...]:
        """Sentences that claim evidence but are tied to no study."""
        return tuple(c for c in self.claims if c.evidence_claim and c.study is None and not c.checks)

    @property
    def linked(self) -> tuple[Claim, ...]:
        """The sentences tied to a study."""
        return tuple(c for c in self.claims if c.study is not None)
