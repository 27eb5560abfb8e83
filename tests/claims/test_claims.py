"""The article checker's rules, one test each, run on the shipped catalogue's records."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from ldn_evidence import claims
from ldn_evidence.claims import ArticleError, Checker, Context
from ldn_evidence.claims.reading import markdown_text
from ldn_evidence.claims.splitting import _paragraphs, _resplit
from ldn_evidence.loader import load

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker.of(load(ROOT / "data" / "studies.yaml"))


def profile(checker: Checker, ident: str) -> claims.Profile:
    return next(p for p in checker.profiles if p.study.id == ident)


# --- the tables list every rule ---------------------------------------------------------------


def test_the_cue_table_lists_every_cue_rule() -> None:
    defined = {name for name, _ in inspect.getmembers(claims, inspect.isfunction) if name.startswith("cue_")}
    assert {rule.__name__ for _, rule in claims.CUES} == defined


def test_the_check_table_lists_every_check_rule() -> None:
    defined = {name for name, _ in inspect.getmembers(claims, inspect.isfunction) if name.startswith("check_")}
    defined.discard("check_article")
    assert {rule.__name__ for _, rule in claims.CHECKS} == defined


# --- cues: one test each -----------------------------------------------------------------------

CUE_CASES = [
    (claims.cue_investigator, "ucsf-cree-rct", "The trial was led by Bruce Cree.", "Cree"),
    (claims.cue_investigator, "ucsf-cree-rct", "The cree of the river.", None),
    (claims.cue_place, "ucsf-cree-rct", "A UCSF team ran it.", "UCSF"),
    (claims.cue_place, "norway-2017", "A Norwegian registry was used.", "Norwegian"),
    (claims.cue_year, "norway-2017", "It appeared in 2017.", "2017"),
    (claims.cue_year, "norway-2017", "It appeared in 2016.", None),
    (claims.cue_n, "ms-retrospective-215", "Charts of 215 patients were read.", "215 patients"),
    (claims.cue_n, "ms-retrospective-215", "It cost 215 dollars.", None),
    (claims.cue_duration, "ms-17-week-rct", "It was a seventeen-week trial.", "seventeen-week trial"),
    (claims.cue_duration, "ms-17-week-rct", "It was a six-week trial.", None),
    (claims.cue_dose, "milan-ppms-pilot", "They took 5 mg a day.", "5 mg"),
    (claims.cue_dose, "milan-ppms-pilot", "They took 4.5 mg a day.", None),
    (claims.cue_design, "ms-retrospective-215", "A retrospective chart review.", "retrospective"),
    (claims.cue_design, "ms-retrospective-215", "A randomized trial.", None),
    (claims.cue_condition, "crohns-2007", "People with Crohn's disease.", "Crohn's disease"),
    (claims.cue_condition, "crohns-2007", "People with psoriasis.", None),
    (claims.cue_words, "crps-two-cases", "Both needed less ketamine.", "ketamine"),
    (claims.cue_words, "crps-two-cases", "Both felt better.", None),
]


@pytest.mark.parametrize(("rule", "ident", "sentence", "expected"), CUE_CASES)
def test_each_cue(checker: Checker, rule: claims.CueRule, ident: str, sentence: str, expected: str | None) -> None:
    found = rule(profile(checker, ident), claims.Stated.of(sentence))
    assert [cue.text for cue in found][:1] == ([] if expected is None else [expected])
    assert all(cue.weight > 0 for cue in found)


# --- checks: one test each (or a few cases of one) -------------------------------------------

CHECK_CASES = [
    (claims.check_n, "ucsf-cree-rct", "The trial was carried out on 60 patients.", [("n", "agrees")]),
    (claims.check_n, "ucsf-cree-rct", "The trial enrolled 90 patients.", [("n", "differs")]),
    (claims.check_n, "milan-ppms-pilot", "Disability progressed in only one patient out of 40.", [("n", "agrees")]),
    (claims.check_n, "ms-retrospective-215", "60% of 215 subjects reported less weakness.", [("n", "agrees")]),
    (claims.check_duration, "ucsf-cree-rct", "They took it nightly for eight weeks.", [("duration", "agrees")]),
    (claims.check_duration, "ucsf-cree-rct", "It was a twelve-week trial.", [("duration", "differs")]),
    (claims.check_duration, "norway-2017", "It ran for two years.", [("duration", "unchecked")]),
    (claims.check_duration, "crps-two-cases", "Both had CRPS for more than three years.", []),
    (claims.check_dose, "ucsf-cree-rct", "They took 4.5 milligrams nightly.", [("dose", "agrees")]),
    (claims.check_dose, "milan-ppms-pilot", "They took 3 mg a day.", [("dose", "differs")]),
    (claims.check_design, "milan-ppms-pilot", "A randomized trial of LDN.", [("design", "differs")]),
    (claims.check_design, "milan-ppms-pilot", "An open-label pilot.", [("design", "agrees")]),
    (claims.check_design, "fibromyalgia-cytokines", "LDN was given without a placebo.", []),
    (claims.check_design, "ucsf-cree-rct", "A crossover trial.", [("design", "unchecked")]),
    (claims.check_year, "crohns-2007", "It was published in 2007.", [("year", "agrees")]),
    (claims.check_year, "crohns-2007", "It was published in 2009.", [("year", "differs")]),
    (claims.check_year, "norway-2017", "Patients who collected LDN in 2013 were mapped.", []),
    (claims.check_outcome, "ms-retrospective-215", "60% reported less weakness.", [("outcome", "agrees")]),
    (claims.check_outcome, "ms-retrospective-215", "60% reported less fatigue.", [("outcome", "differs")]),
    (claims.check_outcome, "ms-17-week-rct", "There was no difference in quality of life.", [("outcome", "agrees")]),
    (claims.check_outcome, "ms-17-week-rct", "Quality of life improved on LDN.", [("outcome", "differs")]),
    (claims.check_outcome, "ms-retrospective-215", "LDN may reduce fatigue.", []),
    (claims.check_harms, "ms-retrospective-215", "LDN was safe, with no side effects.", [("harms", "differs")]),
    (claims.check_harms, "ms-retrospective-215", "77% of subjects experienced no side effects.", []),
    (claims.check_harms, "milan-ppms-pilot", "LDN was well tolerated.", [("harms", "agrees")]),
    (claims.check_harms, "ms-17-week-rct", "LDN was safe.", [("harms", "unchecked")]),
    (claims.check_harms, "ms-17-week-rct", "Its safety has not been shown.", []),
    (
        claims.check_attribution,
        "ucsf-cree-rct",
        "In a study by Dr. Bruce Cree, mood improved.",
        [("attribution", "agrees")],
    ),
    (
        claims.check_attribution,
        "ucsf-cree-rct",
        "In a study by Dr. Jane Smith, mood improved.",
        [("attribution", "differs")],
    ),
    (
        claims.check_overstatement,
        "milan-ppms-pilot",
        "The pilot proved that LDN works.",
        [("overstatement", "differs")],
    ),
    (claims.check_overstatement, "ms-17-week-rct", "The trial proved LDN helps.", [("overstatement", "differs")]),
    (claims.check_overstatement, "ms-17-week-rct", "It is not a cure.", []),
    (claims.check_overstatement, "ms-17-week-rct", "Is it a miracle cure?", []),
    (
        claims.check_animal_to_human,
        "eae-mice-ogf",
        "LDN restored the factor in patients.",
        [("animal-to-human", "differs")],
    ),
    (claims.check_animal_to_human, "eae-mice-ogf", "LDN restored the factor in the mice.", []),
    (claims.check_advice, "ucsf-cree-rct", "You should start taking LDN tonight.", [("advice", "differs")]),
    (claims.check_advice, "ucsf-cree-rct", "Never start taking any drug without first consulting your doctor.", []),
    (claims.check_curated, "ucsf-cree-rct", "The trial was carried out on 60 patients.", []),
]


@pytest.mark.parametrize(("rule", "ident", "sentence", "expected"), CHECK_CASES)
def test_each_check(
    checker: Checker, rule: claims.CheckRule, ident: str, sentence: str, expected: list[tuple[str, str]]
) -> None:
    """Each check against the articles' layer alone (as if no study had a publication)."""
    study = profile(checker, ident).study
    ctx = Context(sentence, study, checker.catalogue, {})
    found = rule(ctx)
    assert [(check.kind, check.verdict) for check in found] == expected
    for check in found:
        assert check.kind in claims.KINDS and check.verdict in claims.VERDICTS
        if check.verdict != "unchecked" and check.layer == "articles":
            assert check.excerpt is not None and check.source is not None


PUBLISHED_CASES = [
    (claims.check_n, "ucsf-cree-rct", "The trial was carried out on 60 patients.", [("n", "differs")]),
    (claims.check_n, "ucsf-cree-rct", "The trial enrolled 80 patients.", [("n", "agrees")]),
    (claims.check_n, "norway-2017", "A total of 341 patients were studied.", [("n", "agrees")]),
    (claims.check_duration, "ucsf-cree-rct", "It was an eight-week trial.", [("duration", "differs")]),
    (claims.check_duration, "ucsf-cree-rct", "They took it nightly for eight weeks.", [("duration", "agrees")]),
    (claims.check_design, "ucsf-cree-rct", "A crossover trial.", [("design", "agrees")]),
    (claims.check_design, "ucsf-cree-rct", "An open-label trial.", [("design", "differs")]),
    (claims.check_dose, "ms-retrospective-215", "They took 3.5 mg.", [("dose", "agrees")]),
    (claims.check_outcome, "ms-retrospective-215", "60% reported less weakness.", [("outcome", "differs")]),
    (claims.check_outcome, "ms-retrospective-215", "60% reported less fatigue.", [("outcome", "agrees")]),
    (claims.check_harms, "crohns-2007", "It had no particular side effects.", [("harms", "differs")]),
    (claims.check_harms, "milan-ppms-pilot", "LDN was well tolerated.", [("harms", "differs")]),
    # The paper reports ten withdrawals, one for an adverse event: "safe" differs from dropouts.
    (claims.check_harms, "ucsf-cree-rct", "LDN was well tolerated.", [("harms", "differs")]),
    (claims.check_harms, "crohns-smith-2013-paediatric-rct", "LDN was well tolerated.", [("harms", "agrees")]),
    (claims.check_year, "crohns-2007", "It was published in 2007.", [("year", "agrees")]),
    (claims.check_year, "ms-hypothesis-2005", "It was presented as a theory in 2005.", [("year", "differs")]),
    (claims.check_attribution, "milan-ppms-pilot", "A study by Dr. Gianvito Martino.", [("attribution", "differs")]),
    (
        claims.check_overstatement,
        "low-back-pain",
        "It was scientifically shown to help.",
        [("overstatement", "differs")],
    ),
]


@pytest.mark.parametrize(("rule", "ident", "sentence", "expected"), PUBLISHED_CASES)
def test_each_check_against_the_shipped_published_layer(
    checker: Checker, rule: claims.CheckRule, ident: str, sentence: str, expected: list[tuple[str, str]]
) -> None:
    study = profile(checker, ident).study
    found = rule(Context(sentence, study, checker.catalogue, checker.published))
    assert [(check.kind, check.verdict, check.layer) for check in found] == [(*e, "published") for e in expected]
    assert all(check.published and check.source for check in found)


def test_an_overstatement_about_a_condition_names_its_strongest_study(checker: Checker) -> None:
    sentence = "LDN has been scientifically shown to help complex regional pain syndrome."
    found = claims.check_overstatement(Context(sentence, None, checker.catalogue, checker.published))
    assert [(c.kind, c.verdict, c.about) for c in found] == [("overstatement", "differs", "crps")]
    said = found[0].published if found[0].layer == "published" else found[0].catalogue
    assert said is not None and "crps-two-cases" in said and "level 4" in said


def test_an_animal_result_told_of_people_differs_without_a_link(checker: Checker) -> None:
    sentence = "In mice, LDN stopped the disease, so it will work for MS patients too."
    found = claims.check_animal_to_human(Context(sentence, None, checker.catalogue, checker.published))
    assert [(c.kind, c.verdict) for c in found] == [("animal-to-human", "differs")]


def test_a_curated_difference_replaces_the_computed_check_of_its_kind(checker: Checker) -> None:
    study = profile(checker, "ucsf-cree-rct").study
    curated = claims.Curated("n", "x.txt", "carried out on 60 patients", "80 were enrolled", "80 enrolled", "page")
    published = {study.id: claims.Published(curated=(curated,))}
    ctx = Context("The trial was carried out on 60 patients.", study, checker.catalogue, published)
    checks = claims.run_checks(ctx)
    assert [(c.kind, c.verdict, c.layer) for c in checks] == [("n", "differs", "published")]
    assert checks[0].excerpt == "80 enrolled"


def test_published_counts_say_when_an_article_gives_the_completers(checker: Checker) -> None:
    study = profile(checker, "ucsf-cree-rct").study
    enrolled = claims.Fact(80, "80 enrolled", "80 subjects were enrolled", "https://example.org/a")
    completed = claims.Fact(60, "60 completed", "60 subjects completed", "https://example.org/a")
    published = {study.id: claims.Published(counts={"enrolled": enrolled, "completed": completed})}
    ctx = Context("The trial was carried out on 60 patients.", study, checker.catalogue, published)
    (check,) = claims.check_n(ctx)
    assert (check.verdict, check.layer, check.catalogue) == ("differs", "published", "60 people")
    assert check.published is not None and "80 enrolled" in check.published and "completed" in check.published
    ctx = Context("The trial was carried out on 80 patients.", study, checker.catalogue, published)
    assert [(c.verdict, c.published) for c in claims.check_n(ctx)] == [("agrees", "80 enrolled")]


# --- linking ---------------------------------------------------------------------------------


def test_a_sentence_naming_two_studies_equally_is_left_unlinked(checker: Checker) -> None:
    report = checker.check("a.txt", "Trials in AIDS, psoriasis and cancer were favorable.\n")
    assert [c.study for c in report.claims] == [None]


def test_a_sentence_that_goes_on_about_a_study_keeps_its_link(checker: Checker) -> None:
    text = "A study published in 2017 looked at prescription records in Norway. The study was large.\n"
    assert [c.study for c in checker.check("a.txt", text).claims] == ["norway-2017", "norway-2017"]


def test_unrelated_text_links_nothing(checker: Checker) -> None:
    report = checker.check("a.txt", "The weather in San Diego was mild. Tickets cost ten dollars.\n")
    assert report.linked == () and report.unsupported == ()


def test_an_evidence_claim_with_no_study_is_unsupported(checker: Checker) -> None:
    report = checker.check("a.txt", "Studies prove LDN works for everyone.\n")
    assert [c.sentence for c in report.unsupported] == ["Studies prove LDN works for everyone."]


# --- reading an article -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "x.txt: empty: there is no text to check"),
        (b"  \n\t\n", "x.txt: empty: there is no text to check"),
        (b"abc\x00def", "x.txt: a binary file, not text (it holds NUL bytes)"),
        (b"fine\nfine\n\xff\xfe bad", "x.txt:3: not UTF-8 text (byte 0xff)"),
        (b"a" * (claims.MAX_BYTES + 1), "x.txt: 2,000,001 bytes is too large for an article (the limit is 2,000,000)"),
    ],
)
def test_bad_articles_are_refused_with_a_clear_message(data: bytes, message: str) -> None:
    with pytest.raises(ArticleError) as caught:
        claims.decode_article("x.txt", data)
    assert str(caught.value) == message


def test_a_missing_file_and_a_folder_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ArticleError, match="no such file"):
        claims.read_article(str(tmp_path / "nope.txt"))
    with pytest.raises(ArticleError, match="a folder, not an article"):
        claims.read_article(str(tmp_path))


def test_html_is_read_as_its_visible_text_with_its_lines() -> None:
    page = (
        "<!doctype html>\n<html><head><title>T</title><script>var x = 'hidden';</script>\n"
        "<style>p { color: red }</style></head>\n<body>\n<p>First &amp; visible.</p>\n"
        "<div>Second\nline.</div></body></html>\n"
    )
    assert claims.html_text(page) == [(5, "First & visible."), (6, "Second line.")]
    assert [(s.line, s.text) for s in claims.sentences("page.html", page)] == [
        (5, "First & visible."),
        (6, "Second line."),
    ]


def test_markdown_marks_and_hard_wrapped_lines_are_read_as_prose() -> None:
    text = "# A title\n\nA **bold** claim that\nwraps onto [a link](http://x.org). Another one.\n\n- an item\n"
    assert [(s.line, s.text) for s in claims.sentences("a.md", text)] == [
        (1, "A title"),
        (3, "A bold claim that wraps onto a link."),
        (4, "Another one."),
        (6, "an item"),
    ]


def test_pysbd_s_processor_gives_the_sentences_its_segment_gives() -> None:
    for seed in sorted((ROOT / "seeds").glob("*.txt")):
        for paragraph in seed.read_text(encoding="utf-8").split("\n\n"):
            segmenter = claims._segmenter()
            expected = [p.strip() for p in segmenter.segment(paragraph) if p.strip()]
            assert [p.strip() for p in claims._segment(segmenter, paragraph) if p.strip()] == expected


@pytest.mark.parametrize(
    "path",
    [
        *sorted((ROOT / "seeds").glob("*.txt")),
        *(ROOT / "tests" / "articles" / n for n in ("news-piece.txt", "blog-mostly-right.md")),
    ],
    ids=lambda p: p.name,
)
def test_the_sentences_are_those_pysbd_finds_in_each_paragraph(path: Path) -> None:
    """Reading short paragraphs together, and headings without pysbd, changes no sentence."""
    text = path.read_text(encoding="utf-8")
    segmenter = claims._segmenter()
    expected = []
    if path.suffix == ".md":  # Markdown's blocks as it renders them
        blocks = _paragraphs(markdown_text(text))
    else:
        blocks = claims._blocks(list(enumerate(text.split("\n"), start=1)))
    for block in blocks:
        paragraph = " ".join(part for _, part in block)
        # ... then cut where pysbd plainly misses an end ("MS. The", ".) The", "California.3 It").
        expected += [q for p in segmenter.segment(paragraph) if p.strip() for q in _resplit(" ".join(p.split()))]
    assert [s.text for s in claims.sentences(path.name, text)] == expected


def test_sentences_are_cut_where_pysbd_misses_an_end() -> None:
    text = (
        "The pilot enrolled people with primary progressive MS. The Italians reported no problems. "
        "Eighty were randomized (see the paper.) The study ended at Stanford, California.3 It was small."
    )
    assert [s.text for s in claims.sentences("a.txt", text)] == [
        "The pilot enrolled people with primary progressive MS.",
        "The Italians reported no problems.",
        "Eighty were randomized (see the paper.)",
        "The study ended at Stanford, California.3",
        "It was small.",
    ]


def test_a_long_paragraph_is_split_as_pysbd_splits_it_whole() -> None:
    paragraph = " ".join(f"Sentence number {i} ends here, said Dr. Smith of the U.S. team." for i in range(300))
    windowed = [s.text for s in claims.sentences("a.txt", paragraph)]
    whole = [p.strip() for p in claims._segmenter().segment(paragraph) if p.strip()]
    assert windowed == whole
    assert len(windowed) == 300


def fact(value: object, text: str = "as published") -> claims.Fact:
    return claims.Fact(value, text, "an excerpt", "https://example.org/paper")


@pytest.mark.parametrize(
    ("word", "design", "expected"),
    [
        ("open-label", {"blinding": fact("double-blind")}, "differs"),
        ("double-blind", {"blinding": fact("double-blind")}, "agrees"),
        ("placebo-controlled", {"control": fact("placebo")}, "agrees"),
        ("crossover", {"allocation": fact("parallel")}, "differs"),
        ("randomized", {"design": fact("open-label")}, "differs"),
        ("randomized", {"blinding": fact("double-blind")}, None),
    ],
)
def test_the_paper_settles_a_design_word_only_where_it_says_so(
    word: str, design: dict[str, claims.Fact], expected: str | None
) -> None:
    found = claims.published_design(word, claims.Published(design=design))
    assert (found[0] if found else None) == expected


def test_published_harms_outcomes_authors_and_level_are_compared(checker: Checker) -> None:
    milan = profile(checker, "milan-ppms-pilot").study
    paper = claims.Published(
        harms=(fact("serious", "5 dropouts"),),
        outcomes=(fact({"spasticity"}, "spasticity fell"),),
        authors=claims.Fact(["Gironi", "Martino"], "authors", None, "https://example.org/record"),
        design={"design": fact("open-label")},
    )
    published = {milan.id: paper}

    def run(sentence: str) -> list[tuple[str, str, str | None]]:
        ctx = Context(sentence, milan, checker.catalogue, published)
        return [(c.kind, c.verdict, c.layer) for c in claims.run_checks(ctx)]

    assert run("LDN was safe and well tolerated.") == [("harms", "differs", "published")]
    assert run("Spasticity fell.") == [("outcome", "agrees", "published")]
    assert run("Fatigue fell.") == [("outcome", "differs", "published")]
    assert run("Dr. Gianvito Martino led it.") == [("attribution", "differs", "published")]
    assert run("The pilot proved LDN works.") == [("overstatement", "differs", "published")]


@pytest.mark.parametrize(
    ("excerpt", "grade"),
    [
        ("Five dropouts and two major adverse events occurred.", "serious"),
        ("The most common side effect was sleep disturbances, occurring in seven patients.", "common"),
        ("Side effects (including insomnia and vivid dreams) were rare, and described as minor.", "minor"),
        ("LDN was well tolerated and serious adverse events did not occur.", None),
        ("77% did not report any side effects.", None),
    ],
)
def test_harms_in_a_paper_are_graded(excerpt: str, grade: str | None) -> None:
    assert claims.harm_grade(excerpt) == grade


def test_no_side_effects_differs_from_minor_harms_but_safe_does_not(checker: Checker) -> None:
    study = profile(checker, "fibromyalgia-pilot").study
    published = {study.id: claims.Published(harms=(fact("minor", "rare, minor side effects"),))}

    def verdicts(sentence: str) -> list[str]:
        return [c.verdict for c in claims.check_harms(Context(sentence, study, checker.catalogue, published))]

    assert verdicts("It had no side effects.") == ["differs"]
    assert verdicts("It was safe.") == ["agrees"]


def test_facts_that_are_sentences_are_joined_with_a_space(checker: Checker) -> None:
    assert claims.joined(["Five dropouts occurred.", "Five dropped out.", "Five dropouts occurred."]) == (
        "Five dropouts occurred. Five dropped out."
    )
    assert claims.joined(["five dropouts", "two major adverse events"]) == "five dropouts; two major adverse events"
    milan = profile(checker, "milan-ppms-pilot").study
    ctx = Context("LDN is safe and well tolerated.", milan, checker.catalogue, checker.published)
    (check,) = claims.check_harms(ctx)
    assert check.verdict == "differs" and check.published is not None
    assert ".;" not in check.published and "daily living. Five patients dropped out." in check.published


def test_a_year_agrees_only_when_it_is_the_papers_year(checker: Checker) -> None:
    def published(ident: str, sentence: str) -> list[tuple[str, str | None]]:
        ctx = Context(sentence, profile(checker, ident).study, checker.catalogue, checker.published)
        return [(c.verdict, c.published) for c in claims.check_year(ctx)]

    # One year off is another year: the paper (2004) is compared, and the record's 2005 is said beside it.
    assert published("ms-hypothesis-2005", "It was presented as a theory in 2005.") == [
        ("differs", "published in 2004; the record says 2005")
    ]
    assert published("ms-hypothesis-2005", "It was presented as a theory in 2004.") == [("agrees", "published in 2004")]
    assert published("crohns-2007", "It was published in 2007.") == [("agrees", "published in 2007")]
    assert published("crohns-2007", "It was published in 2008.") == [("differs", "published in 2007")]


def test_a_value_that_is_a_second_named_studys_is_checked_against_it(checker: Checker) -> None:
    bested = profile(checker, "fibromyalgia-bested-2023-rct").study
    final = profile(checker, "fibromyalgia-bruun-2024-final-rct").study
    sentence = "A Danish crossover trial published in PAIN Reports in 2023 and the FINAL trial found no pain relief."
    ctx = Context(sentence, final, checker.catalogue, checker.published, (bested,))
    year = claims.check_year(ctx)
    assert [(c.verdict, c.about) for c in year] == [("agrees", "fibromyalgia-bested-2023-rct")]
    design = {c.article: (c.verdict, c.about) for c in claims.check_design(ctx)}
    assert design["crossover"] == ("agrees", "fibromyalgia-bested-2023-rct")
    alone = Context(sentence, final, checker.catalogue, checker.published)
    assert [c.verdict for c in claims.check_year(alone)] == ["differs"]
