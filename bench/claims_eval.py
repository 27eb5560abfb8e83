"""Score `ldn claims` against the hand-made answer keys of tests/articles/real/.

For each article, every sentence the checker found is matched with the key's sentences
(one holds the other, after folding whitespace). Links are scored as (sentence, study)
pairs: a study the checker ties to a sentence the key gives no study is a wrong link, a
keyed study the checker does not tie is a missed one. Flags are scored on the checks a
key lists: a problem is `differs` for a check that compares values and `flagged` for one
that has none (overstatement, advice, animal-to-human), which the checker reports as
`differs`. A check the key does not list is not scored. Also counted: `agrees` given
where the key says an outcome differs (a reversed direction told as agreement).

    python bench/claims_eval.py [--misses]
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "tests" / "articles" / "real"
PROBLEMS = ("differs", "flagged")


def fold(text: str) -> str:
    """Whitespace folded, as the keys are matched."""
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class Score:
    """Counts for one article, or for all of them."""

    links_right: int = 0
    links_found: int = 0
    links_keyed: int = 0
    flags_right: int = 0
    flags_found: int = 0
    flags_keyed: int = 0
    reversed_agrees: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name in ("links_right", "links_found", "links_keyed", "flags_right", "flags_found", "flags_keyed"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.reversed_agrees += other.reversed_agrees
        self.misses += other.misses

    @staticmethod
    def ratio(right: int, total: int) -> float:
        return right / total if total else 1.0

    @property
    def figures(self) -> dict[str, float]:
        return {
            "link_precision": self.ratio(self.links_right, self.links_found),
            "link_recall": self.ratio(self.links_right, self.links_keyed),
            "flag_precision": self.ratio(self.flags_right, self.flags_found),
            "flag_recall": self.ratio(self.flags_right, self.flags_keyed),
        }


def read_key(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def studies_of(claim: Any) -> set[str]:
    """Every study a claim is tied to."""
    found = set(getattr(claim, "also", ()) or ())
    if claim.study:
        found.add(claim.study)
    return found


def score_article(checker: Any, key_path: Path) -> Score:
    """The scores of one keyed article."""
    key = read_key(key_path)
    article = REAL / key["article"]
    report = checker.check(article.name, article.read_text(encoding="utf-8"))
    name = key["article"]
    score = Score()
    entries = [(fold(e["text"]), e) for e in key["sentences"]]
    matched: dict[int, list[Any]] = {i: [] for i in range(len(entries))}
    for claim in report.claims:
        sentence = fold(claim.sentence)
        hits = [
            i for i, (text, _) in enumerate(entries) if text in sentence or (len(sentence) > 20 and sentence in text)
        ]
        for i in hits:
            matched[i].append(claim)
        if not hits:  # a sentence the key gives no study: every link on it is wrong
            for study in sorted(studies_of(claim)):
                score.links_found += 1
                score.misses.append(f"{name}: wrong link {study}: {sentence[:90]!r}")
    for i, (text, entry) in enumerate(entries):
        found: set[str] = set()
        for claim in matched[i]:
            found |= studies_of(claim)
        keyed = set(entry["studies"])
        score.links_keyed += len(keyed)
        score.links_found += len(found)
        score.links_right += len(found & keyed)
        for study in sorted(keyed - found):
            score.misses.append(f"{name}: missed link {study}: {text[:90]!r}")
        for study in sorted(found - keyed):
            score.misses.append(f"{name}: wrong link {study}: {text[:90]!r}")
        verdicts: dict[str, set[str]] = {}
        for claim in matched[i]:
            for check in claim.checks:
                verdicts.setdefault(check.kind, set()).add(check.verdict)
        for flag in entry["flags"]:
            kind, want = flag["check"], flag["verdict"]
            got = verdicts.get(kind, set())
            problem_found = "differs" in got
            if want in PROBLEMS:
                score.flags_keyed += 1
                score.flags_right += problem_found
                if not problem_found:
                    score.misses.append(f"{name}: missed flag {kind} ({sorted(got) or 'no check'}): {text[:70]!r}")
            if problem_found:
                score.flags_found += 1
                if want not in PROBLEMS:
                    score.misses.append(f"{name}: wrong flag {kind} (key: {want}): {text[:70]!r}")
            if kind == "outcome" and want == "differs" and "agrees" in got:
                score.reversed_agrees += 1
                score.misses.append(f"{name}: agrees on a reversed outcome: {text[:70]!r}")
    return score


def evaluate(checker: Any | None = None) -> tuple[dict[str, Score], Score]:
    """Per-article scores and their total."""
    if checker is None:
        from ldn_evidence.claims import Checker
        from ldn_evidence.loader import load

        checker = Checker.of(load(ROOT / "data" / "studies.yaml"))
    per = {
        path.name.removesuffix(".key.yaml"): score_article(checker, path) for path in sorted(REAL.glob("*.key.yaml"))
    }
    total = Score()
    for score in per.values():
        total.add(score)
    return per, total


def table(per: dict[str, Score], total: Score) -> str:
    """The figures, one article a row, then the whole set."""
    lines = [f"{'article':32} {'link P':>7} {'link R':>7} {'flag P':>7} {'flag R':>7}  reversed-agrees"]
    for name, score in [*per.items(), ("ALL", total)]:
        f = score.figures
        lines.append(
            f"{name:32} {f['link_precision']:7.2f} {f['link_recall']:7.2f} {f['flag_precision']:7.2f} "
            f"{f['flag_recall']:7.2f}  {score.reversed_agrees}"
        )
    t = total
    lines.append(
        f"links {t.links_right}/{t.links_found} found right, {t.links_right}/{t.links_keyed} keyed found; "
        f"flags {t.flags_right}/{t.flags_found} found right, {t.flags_right}/{t.flags_keyed} keyed found"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list every missed or wrong link and flag")
    args = parser.parse_args(argv)
    per, total = evaluate()
    print(table(per, total))
    if args.misses:
        print()
        print("\n".join(total.misses))
    return 0


if __name__ == "__main__":
    sys.exit(main())
