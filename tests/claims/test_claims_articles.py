"""`ldn claims` on real articles: the four seeds, measured, and our own articles against expected results.

For the seeds, the catalogue's own quotes say which sentence retells which study: a
sentence inside a record's quote from that seed (or holding the whole quote) retells
that record's study. A few sentences go on about a study without being quoted; they
are listed in `UNQUOTED`, each with its reason. Precision and recall per seed are
printed (run with -s to see them) and held to a floor.

For the articles in tests/articles/, each `NAME.expected` holds what the checker found,
one line per linked or checked sentence; a change in linking or checking shows as a
diff. `python tests/claims/test_claims_articles.py` rewrites them from real runs, to be read
before they are committed.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from ldn_evidence.claims import Checker, Report
from ldn_evidence.loader import load
from ldn_evidence.model import Study
from ldn_evidence.text import fold

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
ARTICLES = ROOT / "tests" / "articles"

#: Sentences (the start of each) that retell a study though no record quotes them.
UNQUOTED: dict[tuple[str, str], str] = {
    # The Norwegian study: seed 000 tells its method over a long paragraph; the record quotes part of it.
    ("000", "The Norwegian medical system is governmental"): "norway-2017",
    ("000", "Afterward, the researchers examined which"): "norway-2017",
    ("000", "They wanted to establish whether"): "norway-2017",
    ("000", "Thus, for these patients, the treatment with LDN"): "norway-2017",
    ("000", "The study’s authors recommended more research"): "norway-2017",
}

#: The least precision and study recall each seed must keep (what the checker reaches today, rounded down).
FLOORS = {"000": (1.0, 1.0), "001": (1.0, 1.0), "002": (1.0, 1.0), "003": (1.0, 1.0)}


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker.of(load(ROOT / "data" / "studies.yaml"))


def is_mention(study: Study) -> bool:
    """A passing mention, as the catalogue marks it (EVIDENCE.md: no design, size or finding of its own)."""
    return study.mention


def truth(checker: Checker, seed: str, sentence: str) -> set[str]:
    """The studies a seed's sentence retells, by the catalogue's quotes (and UNQUOTED)."""
    folded = fold(sentence).lower()
    found = set()
    for study in checker.catalogue.studies:
        for source in study.sources:
            quote = fold(source.quote).lower()
            if source.seed == seed and ((len(folded.split()) >= 4 and folded in quote) or quote in folded):
                found.add(study.id)
    for (prefix, start), ident in UNQUOTED.items():
        if seed.startswith(prefix) and sentence.startswith(start):
            found.add(ident)
    return found


@pytest.mark.parametrize("seed", sorted(p.name for p in SEEDS.glob("*.txt")))
def test_each_seed_links_its_studies_and_nothing_else(checker: Checker, seed: str) -> None:
    report = checker.check(seed, (SEEDS / seed).read_text(encoding="utf-8"))
    right = wrong = told = found = 0
    missed: list[str] = []
    for claim in report.claims:
        expected = truth(checker, seed, claim.sentence)
        if claim.study is not None:
            if claim.study in expected:
                right += 1
            else:
                wrong += 1
                missed.append(f"line {claim.line}: linked to {claim.study}, retells {expected or 'no study'}")
        if expected:
            told += 1
            found += claim.study in expected
    retold = {s.id for s in checker.catalogue.studies if seed in s.seeds}
    studies = {s for s in retold if not is_mention(checker.catalogue.studies[_index(checker, s)])}
    linked = {c.study for c in report.claims if c.study is not None}
    precision = right / (right + wrong) if right + wrong else 1.0
    recall = len(studies & linked) / len(studies) if studies else 1.0
    mentions = retold - studies
    print(
        f"\n{seed}: precision {precision:.2f} ({right} of {right + wrong} links right); "
        f"study recall {recall:.2f} ({len(studies & linked)} of {len(studies)} studies); "
        f"sentence recall {found / told if told else 1.0:.2f} ({found} of {told}); "
        f"passing mentions linked {len(mentions & linked)} of {len(mentions)}"
    )
    least_precision, least_recall = FLOORS[seed[:3]]
    assert precision >= least_precision, missed
    assert recall >= least_recall, sorted(studies - linked)


def _index(checker: Checker, ident: str) -> int:
    return next(i for i, s in enumerate(checker.catalogue.studies) if s.id == ident)


def flagged(report: Report, study: str, kind: str) -> list[str]:
    """What the article says in each differing check of this kind on sentences linked to (or about) the study."""
    return [
        check.article
        for claim in report.claims
        for check in claim.checks
        if check.kind == kind and check.verdict == "differs" and study in (claim.study, check.about)
    ]


def test_seed_002_flags_scientifically_shown_for_crps_and_back_pain(checker: Checker) -> None:
    seed = "002_f58aebbaaa9d82c8.txt"
    report = checker.check(seed, (SEEDS / seed).read_text(encoding="utf-8"))
    assert flagged(report, "crps", "overstatement") == ["scientifically shown"]
    assert "scientifically shown" in flagged(report, "low-back-pain", "overstatement") + flagged(
        report, "chronic-low-back-pain", "overstatement"
    )


def seed_report(checker: Checker, prefix: str) -> Report:
    (seed,) = SEEDS.glob(f"{prefix}_*.txt")
    return checker.check(seed.name, seed.read_text(encoding="utf-8"))


def test_seed_003_flags_the_ucsf_trials_60_patients_and_eight_weeks_and_the_chart_reviews_weakness(
    checker: Checker,
) -> None:
    report = seed_report(checker, "003")
    assert any("60 patients" in said for said in flagged(report, "ucsf-cree-rct", "n"))
    assert any("eight-week" in said for said in flagged(report, "ucsf-cree-rct", "duration"))
    assert any("less weakness" in said for said in flagged(report, "ms-retrospective-215", "outcome"))


def test_seed_000_flags_the_crohns_studys_no_particular_side_effects(checker: Checker) -> None:
    report = seed_report(checker, "000")
    assert any("no particular side effects" in said for said in flagged(report, "crohns-2007", "harms"))


def test_every_discrepancy_the_catalogue_holds_for_a_seed_is_flagged(checker: Checker) -> None:
    """Each discrepancy is flagged on every sentence that holds its article quote (naming its study when the
    sentence is tied to another or to none)."""
    from ldn_evidence.discrepancies import of_study

    for seed in sorted(SEEDS.glob("*.txt")):
        report = checker.check(seed.name, seed.read_text(encoding="utf-8"))
        for study in checker.catalogue.studies:
            for found in of_study(checker.catalogue, study):
                if found.seed != seed.name:
                    continue
                holding = [c for c in report.claims if fold(found.article_says) in fold(c.sentence)]
                for claim in holding:
                    kinds = {(k.kind, k.verdict, k.about or claim.study) for k in claim.checks}
                    assert (found.kind, "differs", study.id) in kinds, (seed.name, claim.line, found.kind)


# --- our own articles -----------------------------------------------------------------------------


def expected_lines(report: Report) -> list[str]:
    """Each linked or checked sentence (line and study), its checks one a line; then the unsupported claims."""
    lines = []
    for claim in report.claims:
        if claim.study is None and not claim.checks:
            continue
        lines.append(f"line {claim.line}: {claim.study or 'no study'}")
        for c in claim.checks:
            about = f" [{c.about}]" if c.about else ""
            lines.append(f"  {c.kind}{about} {c.verdict} ({c.layer or 'no layer'}): {c.article}")
    lines += [f"unsupported, line {c.line}: {c.sentence}" for c in report.unsupported]
    return lines


def articles() -> list[Path]:
    return sorted(p for p in ARTICLES.iterdir() if p.is_file() and p.suffix != ".expected")


@pytest.mark.parametrize("article", articles(), ids=lambda p: p.name)
def test_own_articles_give_the_expected_results(checker: Checker, article: Path) -> None:
    report = checker.check(article.name, article.read_text(encoding="utf-8"))
    expected = (ARTICLES / (article.name + ".expected")).read_text(encoding="utf-8").splitlines()
    assert expected_lines(report) == [line for line in expected if not line.startswith("#")]


def update() -> None:
    """Rewrite every .expected file from a real run."""
    checker = Checker.of(load(ROOT / "data" / "studies.yaml"))
    for article in articles():
        report = checker.check(article.name, article.read_text(encoding="utf-8"))
        head = f"# {article.name}: each linked or checked sentence and its checks, then the unsupported claims"
        text = "\n".join([head, *expected_lines(report)]) + "\n"
        (ARTICLES / (article.name + ".expected")).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    update()
