"""The answer keys of tests/articles/real/: well formed, tied to their articles, and covering every failure kind.

Each `NAME.key.yaml` says, for the sentences of one article that speak of a catalogued
study, which studies they speak of and what an honest checker must say of them. These
tests hold the keys themselves to account (they do not run the checker): a key's sentence
must be found once in its article, its studies must exist, its checks and verdicts must be
the checker's, and between them the keys must cover every kind of failure listed in the
README. A key that drifts from its article fails here, not silently in a score.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from ldn_evidence.claims import KINDS
from ldn_evidence.loader import load

ROOT = Path(__file__).resolve().parent.parent.parent
REAL = ROOT / "tests" / "articles" / "real"
KEYS = sorted(REAL.glob("*.key.yaml"))

#: The failure kinds the set must cover, one name for each kind of failure seen on real articles.
FAILURE_KINDS = (
    "compound-number", "author-et-al", "author-year-citation", "journal", "title-quoted", "registry-id",
    "institution-place", "investigator-talk", "model-named", "paragraph-continuation", "paraphrased-finding",
    "reversed-direction", "safe-dropouts-next", "safe-unlinked", "wrong-year", "dose-unpublished", "split-ms",
    "split-paren", "split-footnote", "two-studies", "advice", "overstatement", "animal-to-human", "wider-evidence",
    "heading-names-study", "outcome-size",
)  # fmt: skip
#: A check that finds a problem with no value to compare says "flagged"; the others compare values.
FLAG_ONLY = {"overstatement", "advice", "animal-to-human"}
VERDICTS = {"agrees", "differs", "unchecked", "flagged"}


def fold(text: str) -> str:
    """Whitespace folded, as a sentence splitter would hand a sentence on."""
    return re.sub(r"\s+", " ", text)


def read_key(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path.name}: not a mapping"
    return data


@pytest.fixture(scope="module")
def known_ids() -> set[str]:
    """The catalogue's study ids, retold or not."""
    return {study.id for study in load(ROOT / "data" / "studies.yaml").studies}


def test_there_are_at_least_eight_keyed_articles_in_three_formats() -> None:
    articles = [REAL / read_key(k)["article"] for k in KEYS]
    assert len(articles) >= 8
    assert {a.suffix for a in articles} >= {".txt", ".md", ".html"}
    assert all(a.exists() for a in articles)


@pytest.mark.parametrize("key", KEYS, ids=lambda p: p.name)
def test_each_key_sentence_is_found_once_in_its_article(key: Path) -> None:
    data = read_key(key)
    assert key.name == data["article"].rsplit(".", 1)[0] + ".key.yaml"
    text = fold((REAL / data["article"]).read_text(encoding="utf-8"))
    for entry in data["sentences"]:
        assert text.count(fold(entry["text"])) == 1, f"{key.name}: {entry['text']!r}"


@pytest.mark.parametrize("key", KEYS, ids=lambda p: p.name)
def test_each_key_names_known_studies_checks_and_verdicts(key: Path, known_ids: set[str]) -> None:
    data = read_key(key)
    assert set(data["kinds"]) <= set(FAILURE_KINDS), f"{key.name}: unknown kinds"
    for entry in data["sentences"]:
        where = f"{key.name}: {entry['text'][:50]!r}"
        assert set(entry) == {"text", "studies", "flags"}, where
        assert set(entry["studies"]) <= known_ids, f"{where}: unknown study {set(entry['studies']) - known_ids}"
        for flag in entry["flags"]:
            assert flag["check"] in KINDS and flag["verdict"] in VERDICTS, where
            assert (flag["verdict"] == "flagged") == (flag["check"] in FLAG_ONLY), where
            if flag["verdict"] in ("differs", "unchecked"):
                assert flag.get("why"), f"{where}: a {flag['verdict']} flag says why"


def test_the_keys_cover_every_failure_kind() -> None:
    covered = {kind for key in KEYS for kind in read_key(key)["kinds"]}
    assert set(FAILURE_KINDS) - covered == set()


def test_the_keys_hold_reversed_directions_and_flags_of_every_kind() -> None:
    flags = [f for key in KEYS for entry in read_key(key)["sentences"] for f in entry["flags"]]
    seen = {(f["check"], f["verdict"]) for f in flags}
    assert {("outcome", "differs"), ("harms", "differs"), ("year", "differs"), ("dose", "unchecked")} <= seen
    assert {(check, "flagged") for check in FLAG_ONLY} <= seen


def test_the_readme_lists_every_keyed_article_and_kind() -> None:
    readme = (REAL / "README.md").read_text(encoding="utf-8")
    for key in KEYS:
        assert read_key(key)["article"] in readme
    for kind in FAILURE_KINDS:
        assert f"`{kind}`" in readme
