"""Finding quotes in documents under one budget: each document's quotes found once, an index of its words past
INDEX_AFTER scans, and the closest passage to a quote that is not there."""

from __future__ import annotations

import re
from collections.abc import Callable

#: How much of a failed quote the closest-passage search looks for, in characters.
PASSAGE_WINDOW = 200
#: Closest passages are searched for this many failed quotes; the rest are only listed.
MAX_PASSAGES = 200
#: The characters of documents the closest-passage searches of one run may scan in all (each
#: substring test counts its document's length); past it, the closest passage is left out.
#: Substring tests run at about 2,000 MB a second (0.5 ms a MB, measured on ASCII and non-ASCII text
#: alike), so the searches of a run take at most about half a second.
PASSAGE_BUDGET = 1_000_000_000


def clip(text: str, width: int = 160) -> str:
    """`text` cut to `width` characters, "..." marking the cut."""
    return text if len(text) <= width else text[: width - 3] + "..."


class Budget:
    """What is left of PASSAGE_BUDGET and of MAX_PASSAGES for one run's closest-passage searches.

    Quotes, excerpts and discrepancies' article quotes all draw on the same one, so a
    catalogue's failures, however many and against however large files, cost one run
    at most PASSAGE_BUDGET characters scanned and MAX_PASSAGES searches.
    """

    def __init__(self, characters: int | None = None, searches: int | None = None) -> None:
        self.left = PASSAGE_BUDGET if characters is None else characters
        self.searches = MAX_PASSAGES if searches is None else searches
        #: Characters read or compared outside the scans `left` counts: indexing documents, quotes' words, the
        #: comparisons at a word's places (bounded by the files read, not by a budget; kept for the tests).
        self.work = 0
        #: The finders of one publication's pages (by their paragraphs), emptied for each publication.
        self.pages: dict[tuple[str, ...], Finder] = {}
        #: (seed, folded quote) -> whether the quote stands in the seed (None: not checked), for the run's quotes.
        self.held: dict[tuple[str, str], bool | None] = {}

    def passage(self, quote: str, document: str | Callable[[], str]) -> tuple[str | None, str]:
        """The closest passage (or None) and how to say it: 'closest passage: "..."', or why it was not searched.

        `document` may be a function that makes it, called only when there is a search left to make.
        """
        if self.searches <= 0:
            return None, f"closest passage not searched (only for the first {MAX_PASSAGES} failed quotes)"
        self.searches -= 1
        if callable(document):
            if self.left <= 0:
                return None, "closest passage not searched (the time set aside for searching is spent)"
            document = document()
            self.left -= len(document)  # making it costs as much as one scan
        found = closest_passage(quote, document, self)
        if found is None:
            return None, "closest passage not searched (the time set aside for searching is spent)"
        return found, f'closest passage: "{clip(found)}"'


def closest_passage(quote: str, document: str, budget: Budget | None = None) -> str | None:
    """The stretch of the (folded) document most like the (folded) quote.

    The longest piece of the quote's first PASSAGE_WINDOW characters that starts
    at a word and stands in the document, found by substring search (a binary
    search on its length from each word), then widened to the quote's length.
    The work is bounded by the window, whatever the sizes of quote and document, and
    by `budget`: each substring test spends the document's length, and once it is
    spent the search gives up and returns None.
    """
    window = quote[:PASSAGE_WINDOW]
    best_at, best_in_quote, best_length = 0, 0, 0
    starts = [0] + [m.end() for m in re.finditer(r"\s+", window)]
    for start in starts:
        low, high = 0, len(window) - start
        if high <= best_length:
            continue
        while low < high:  # the longest window[start:start + n] found in the document
            if budget is not None:
                if budget.left < len(document):
                    return None
                budget.left -= len(document)
            middle = (low + high + 1) // 2
            if window[start : start + middle] in document:
                low = middle
            else:
                high = middle - 1
        if low > best_length:
            best_at, best_in_quote, best_length = document.find(window[start : start + low]), start, low
    begin = max(0, best_at - best_in_quote)
    return document[begin : begin + len(quote)]


#: A document is indexed by its words (one pass over it) once it has been scanned this many times in a run: the
#: index costs about as much as 550 scans by `str.find` (0.21 s against 0.4 ms a scan for 3.8 MB), and after it
#: each quote is looked for at the places of its rarest word. So a document costs at most this many scans, one
#: index and a bounded comparison a quote, however often it is quoted.
INDEX_AFTER = 256
#: The most places of a quote's rarest word that are compared with the quote; past them (a quote made only of
#: words the document repeats everywhere) the quote is looked for by a scan of the document, drawing on the budget.
MAX_PLACES = 64
_INDEX_WORD = re.compile(r"\w+")


class Finder:
    """Whether folded quotes stand in one folded document, at a cost that stops growing with the document.

    `holds(quote)` is `quote in document`. The first INDEX_AFTER quotes are looked for by a scan of the
    document; then it is indexed by its words, once, and a quote is compared only at the places of its rarest
    whole word (a word with a non-word character on both sides inside the quote, so that the document's word
    at that place is the same whole word): at most MAX_PLACES comparisons of the quote's length, or none at
    all when one of its words is not in the document. A quote with no such word, or whose rarest word stands
    at more than MAX_PLACES places, is still looked for by a scan. Every scan draws on `budget.left` (the
    run's one budget, shared with the closest-passage searches); when it is spent, `holds` returns None (not
    checked). The index and the comparisons are counted in `budget.work`.
    """

    def __init__(self, document: str, budget: Budget) -> None:
        self.document = document
        self.budget = budget
        self.scans = 0
        self.places: dict[str, list[int]] | None = None

    def _index(self) -> dict[str, list[int]]:
        places: dict[str, list[int]] = {}
        for word in _INDEX_WORD.finditer(self.document):
            places.setdefault(word.group(), []).append(word.start())
        self.budget.work += len(self.document)
        return places

    def holds(self, quote: str) -> bool | None:
        """True if `quote` stands in the document, False if not, None if the budget was spent before it could say."""
        budget = self.budget
        if self.places is None and self.scans >= INDEX_AFTER:
            self.places = self._index()
        if self.places is not None:
            budget.work += len(quote)  # reading the quote's words
            rarest: list[int] | None = None
            offset = 0
            for word in _INDEX_WORD.finditer(quote):
                if word.start() == 0 or word.end() == len(quote):
                    continue  # cut by the quote's ends: the document's word there may be longer
                found = self.places.get(word.group())
                if found is None:
                    return False  # a whole word of the quote that the document never holds
                if rarest is None or len(found) < len(rarest):
                    rarest, offset = found, word.start()
            if rarest is not None and len(rarest) <= MAX_PLACES:
                for place in rarest:
                    budget.work += len(quote)
                    if place >= offset and self.document.startswith(quote, place - offset):
                        return True
                return False
        if budget.left < len(self.document):
            return None
        self.scans += 1
        at = self.document.find(quote)
        budget.left -= len(self.document) if at < 0 else at + len(quote)
        return at >= 0
