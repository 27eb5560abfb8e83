"""The whole article checked (`check_article`), and the report as data, counts and Markdown."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from ldn_evidence.claims.checks import CHECKS, Context, run_checks
from ldn_evidence.claims.flagged import as_read
from ldn_evidence.claims.linking import (
    CUES,
    STATED_RULES,
    Profile,
    _profiles,
    also_linked,
    headed,
    link_all,
    paired,
    read_cues,
)
from ldn_evidence.claims.papers import Published, published_layer
from ldn_evidence.claims.result import VERDICTS, Claim, Report, budget, counted, work_bound
from ldn_evidence.claims.splitting import sentences
from ldn_evidence.claims.statements import claims_evidence
from ldn_evidence.model import (
    Catalogue,
)
from ldn_evidence.text import for_matching

#: A check reads this many sentences either side of its own, in its paragraph (a harms claim, the dropouts).
AROUND = 2

# --- the whole article -------------------------------------------------------------------------


@dataclass(frozen=True)
class Checker:
    """A catalogue prepared for checking articles: its profiles and published layer, made once."""

    catalogue: Catalogue
    published: dict[str, Published]
    profiles: list[Profile]

    @classmethod
    def of(cls, catalogue: Catalogue) -> Checker:
        """Prepare a catalogue (a cached one reads every study's text now)."""
        published = published_layer(catalogue)
        return cls(catalogue, published, _profiles(catalogue, published))

    @property
    def rules(self) -> int:
        """The rules each sentence meets: the patterns it is read with, each cue for each study, each check."""
        curated = sum(len(p.curated) for p in self.published.values())
        return STATED_RULES + len(self.profiles) * len(CUES) + len(CHECKS) + curated

    def check(self, name: str, text: str) -> Report:
        """Check one article's text, within its work budget (`work_bound`)."""
        with budget(work_bound(len(text), self.rules)) as work:
            report = self._check(name, text)
        return replace(report, work=work.steps)

    def _check(self, name: str, text: str) -> Report:
        shown = sentences(name, text)
        # Matched as folded text (full-width letters, any script's look-alikes read as Latin letters: see
        # `for_matching`), and each claim shown as the article wrote it.
        found = [replace(s, text=as_read(for_matching(s.text))) for s in shown]
        counted(len(text))
        by_id = {p.study.id: p.study for p in self.profiles}
        claims = []
        curated = sum(len(p.curated) for p in self.published.values())
        read = read_cues(self.profiles, found)
        links = link_all(self.profiles, found, read)
        links, seconds = headed(self.profiles, found, links, also_linked(self.profiles, found, links, read))
        links, seconds = paired(self.profiles, found, links, seconds)
        for index, (sentence, as_written, (ident, score, cues), also) in enumerate(
            zip(found, shown, links, seconds, strict=True)
        ):
            study = by_id.get(ident) if ident else None
            others = tuple(by_id[i] for i in also if i in by_id)
            around = " ".join(
                s.text for s in found[max(0, index - AROUND) : index + AROUND + 1] if s.paragraph == sentence.paragraph
            )
            ctx = Context(sentence.text, study, self.catalogue, self.published, others, around)
            counted(len(sentence.text) + len(around), len(CHECKS) + curated)
            claims.append(
                Claim(
                    as_written.text,
                    sentence.line,
                    ident,
                    score,
                    cues,
                    run_checks(ctx),
                    claims_evidence(sentence.text),
                    also,
                )
            )
        return Report(name, tuple(claims))


def check_article(catalogue: Catalogue, name: str, text: str) -> Report:
    """Check an article's text against a catalogue: every sentence, its study, its checks."""
    return Checker.of(catalogue).check(name, text)


def shown_name(name: str) -> str:
    """An article's file name as a report's header shows it: on one line, with no character a terminal acts on
    or hides (a newline is shown as \\n, so a name cannot add a line to the report)."""
    from ldn_evidence.text import visible

    return visible(name.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t"))


# --- as data ---------------------------------------------------------------------------------


def report_record(report: Report) -> dict[str, Any]:
    """The JSON contract: `claims` (every sentence with its study, score, cues and checks) and `unsupported`."""
    return {
        "article": report.name,
        "compared_with": "the published layer where a value is verified there, else the articles' layer",
        "claims": [
            {
                "sentence": c.sentence,
                "line": c.line,
                "study": c.study,
                "also": list(c.also),
                "score": c.score,
                "cues": [{"kind": q.kind, "text": q.text, "weight": q.weight} for q in c.cues],
                "checks": [
                    {
                        "kind": k.kind,
                        "verdict": k.verdict,
                        "article": k.article,
                        "catalogue": k.catalogue,
                        "published": k.published,
                        "excerpt": k.excerpt,
                        "source": k.source,
                        "about": k.about,
                        "layer": k.layer,
                    }
                    for k in c.checks
                ],
            }
            for c in report.claims
        ],
        "unsupported": [c.sentence for c in report.unsupported],
    }


def tally(report: Report) -> dict[str, int]:
    """Counts for a one-line summary: sentences, linked, checks by verdict, unsupported claims."""
    counts = {"sentences": len(report.claims), "linked": len(report.linked), "unsupported": len(report.unsupported)}
    for verdict in VERDICTS:
        counts[verdict] = sum(1 for c in report.claims for k in c.checks if k.verdict == verdict)
    return counts


def count_line(report: Report) -> str:
    """One line of counts: sentences, links, checks by verdict, unsupported claims."""
    counts = tally(report)

    def many(count: int, one: str, more: str) -> str:
        return f"{count} {one if count == 1 else more}"

    return (
        f"{many(counts['sentences'], 'sentence', 'sentences')}, {counts['linked']} linked to a study. Checks: "
        f"{many(counts['differs'], 'differs', 'differ')}, {many(counts['agrees'], 'agrees', 'agree')}, "
        f"{counts['unchecked']} unchecked. {many(counts['unsupported'], 'unsupported claim', 'unsupported claims')}."
    )


def report_markdown(report: Report) -> str:
    """The report as Markdown: the linked and checked sentences in order, then the unsupported claims."""

    from ldn_evidence.text import markdown_text

    def cell(text: str | None) -> str:
        # The article's words and the catalogue's are shown literally: never as HTML, links or emphasis.
        return "" if text is None else markdown_text(" ".join(text.split()))

    lines = [
        f"# Claims in {cell(shown_name(report.name))}",
        "",
        count_line(report),
        "Each check compares with the published layer where a value is verified there, else with the articles' layer.",
        "",
    ]
    for claim in report.claims:
        if claim.study is None and not claim.checks:
            continue
        study = f"`{claim.study}` (score {claim.score:g})" if claim.study else "no study"
        lines += [f"## Line {claim.line}: {study}", "", f"> {cell(claim.sentence)}", ""]
        if claim.cues:
            lines += ["Cues: " + ", ".join(f"{q.kind} {cell(q.text)}" for q in claim.cues), ""]
        if claim.checks:
            lines += ["| kind | verdict | article | catalogue | published | excerpt |", "|---|---|---|---|---|---|"]
            for k in claim.checks:
                excerpt = f"“{cell(k.excerpt)}” ({cell(k.source)})" if k.excerpt else ""
                about = f" ({cell(k.about)})" if k.about else ""
                lines.append(
                    f"| {k.kind}{about} | {k.verdict} | {cell(k.article)} | {cell(k.catalogue)} | {cell(k.published)} "
                    f"| {excerpt} |"
                )
            lines.append("")
    if report.unsupported:
        lines += ["## Claims with no study behind them", ""]
        lines += [f"- line {c.line}: {cell(c.sentence)}" for c in report.unsupported]
        lines.append("")
    return "\n".join(lines)
