"""`ldn claims` on hostile articles: work bounded by a constant times the article's size, measured in steps
(never by a clock), no traceback for any input, nothing hidden from --strict, and the file name escaped.

The constant: a check takes at most `WORK_PER_CHAR × (rules + 8)` steps per character of the article, where
`rules` is what each sentence meets (the patterns of `Stated`, each cue for each catalogued study, each
check): see `ldn_evidence.claims.result.Work` for what a step is.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ldn_evidence.claims import ArticleError, Checker, html_text, sentences
from ldn_evidence.claims.prepass import MAX_DEPTH
from ldn_evidence.claims.result import MAX_SENTENCE, MAX_SENTENCES, MAX_WORDS, WORK_PER_CHAR, work_bound
from ldn_evidence.loader import load

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker.of(load(ROOT / "data" / "studies.yaml"))


def steps_per_char(checker: Checker, name: str, text: str) -> float:
    """The steps a check took for each character, per rule a sentence meets (at most WORK_PER_CHAR)."""
    try:
        report = checker.check(name, text)
    except ArticleError:
        return 0.0
    assert report.work <= work_bound(len(text), checker.rules)
    return report.work / (len(text) + 1) / (checker.rules + 8)


#: The shapes that made the work grow faster than the text: one long crafted "word" with a number that
#: backtracks at its separators, a run of brackets against the Markdown-link pattern, a run of unclosed
#: tags, many negations before an overstatement, a run of one-letter sentences.
SHAPES = {
    "number word": lambda k: "a " + "1," * k + "1 patients",
    "number and dot": lambda k: "1." * k + "5 mg",
    "weeks": lambda k: "9-" * k + "week trial",
    "brackets": lambda k: "[" * k + "](x",
    "link opens": lambda k: "[a](" * k,
    "negations": lambda k: "not " * k + "proved to cure MS",
    "hedges": lambda k: "may " * k + "reduce pain and fatigue",
    "sentences": lambda k: "MS. " * k,
    "long word": lambda k: "x" * (4 * k),
    "long ligatures": lambda k: "\ufdfa " * k,  # NFKC writes each in 18 letters
    "full-width words": lambda k: "ｐｒｏｖｅｎ ｃｕｒｅ " * k,
    "hyphen joints": lambda k: "cu- " * k + "res",  # each joint read in a window, a bounded stretch
    "blank joints": lambda k: "cu\u2800" * k + "res",
    "look-alike words": lambda k: "cuɾes cʊre " * k,
    "style sheet": lambda k: "<style>" + 'p::before{content:"\\201C"} ' * k + "</style><p>LDN cures MS.</p>",
}


@pytest.mark.parametrize("shape", SHAPES, ids=list(SHAPES))
def test_hostile_shapes_stay_within_the_work_bound(checker: Checker, shape: str) -> None:
    for size in (200, 2_000):
        text = SHAPES[shape](size)
        assert steps_per_char(checker, "a.txt", text) <= WORK_PER_CHAR


def test_work_grows_with_the_text_not_faster(checker: Checker) -> None:
    # The same shape at ten times the size takes ten to twenty times the steps (a check reads the sentences
    # around its own, up to AROUND each side), never a hundred (both sizes
    # past MAX_SENTENCE, so that both are read in pieces).
    for shape in ("number word", "negations", "sentences"):
        small = checker.check("a.txt", SHAPES[shape](1_000)).work
        large = checker.check("a.txt", SHAPES[shape](10_000)).work
        assert large <= 20 * small, shape  # quadratic work would be a hundred times


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from(
            ["[", "](", "(", ")", "1,", "1", ".", " ", "-week", "-patient", " not ", "proved", "MS", "mg", "\u00ad",
             "\u200b", "<a ", "<p>", "<svg>", "<head>", "&#99999999999999999999;", "\n\n", "Cree", "2010", "et al.",
             "cu", "- ", "res", "\u2800", "ɾ", "ʊ", "<img alt=", "<style>", "{", "}", "content:", "'\\63'"]
        ),
        max_size=400,
    ),
    st.booleans(),
)  # fmt: skip
def test_any_mix_of_hostile_pieces_is_checked_within_the_bound(checker: Checker, pieces: list[str], html: bool) -> None:
    text = "".join(pieces) + " LDN"
    assert steps_per_char(checker, "a.html" if html else "a.txt", text) <= WORK_PER_CHAR


def test_unclosed_tags_are_read_in_one_pass(checker: Checker) -> None:
    page = "<p>A trial of 60 patients.</p>" + "<div " * 20_000 + "<p>after</p>"
    assert steps_per_char(checker, "a.html", page) <= WORK_PER_CHAR


def test_a_long_sentence_is_read_in_pieces() -> None:
    found = sentences("a.txt", "word " * 3_000)
    assert found and all(len(s.text) <= MAX_SENTENCE for s in found)
    assert sum(len(s.text.split()) for s in found) == 3_000


@pytest.mark.parametrize(
    "text",
    [
        "A trial of 1" + "9" * 5_000 + " patients found LDN safe.",
        "A " + "9" * 400 + "-week trial of 60 patients.",
        "A " + "9" * 30 + "-patient trial ran for " + "9" * 30 + " weeks.",
        "They took " + "9" * 400 + ".5 mg nightly.",
        "<p>&#" + "9" * 5_000 + ";</p><p>a 2010 trial of 60 patients</p>",
        "<p>&#x" + "f" * 5_000 + ";</p><p>a trial</p>",  # a replacement character alone is no word
    ],
    ids=["huge count", "huge weeks", "long compound", "huge dose", "charref digits", "charref hex"],
)
def test_huge_numbers_are_read_without_a_traceback(checker: Checker, text: str) -> None:
    for name in ("a.txt", "a.html"):
        checker.check(name, text)


def test_invisible_characters_inside_a_flagged_word_hide_nothing(checker: Checker) -> None:
    plain = checker.check("a.txt", "LDN has been proven to cure MS.")
    for mark in ("\u00ad", "\u200b", "\u2060", "\ufeff", "\u180e", "\U000e0041"):
        hidden = checker.check("a.txt", f"LDN has been pro{mark}ven to cu{mark}re MS.")
        assert [k.verdict for c in hidden.claims for k in c.checks] == [
            k.verdict for c in plain.claims for k in c.checks
        ], repr(mark)
        assert any(k.verdict == "differs" for c in hidden.claims for k in c.checks)


#: Letters that look like Latin ones: full-width and mathematical forms (folded by NFKC), and Cyrillic and
#: Greek look-alikes (read through Unicode's confusables).
LOOKALIKES = {
    "c": "ｃ𝐜с",
    "u": "ｕ𝐮",
    "r": "ｒ𝐫",
    "e": "ｅ𝐞е",
    "p": "ｐ𝐩рρ",
    "o": "ｏ𝐨оο",
    "v": "ｖ𝐯ν",
    "n": "ｎ𝐧",
    "M": "ＭΜМ",
    "S": "ＳЅ",
}


def verdicts(report: object) -> list[str]:
    return [k.verdict for c in report.claims for k in c.checks]  # type: ignore[attr-defined]


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.integers(min_value=0, max_value=3), min_size=8, max_size=8))
def test_lookalike_letters_inside_a_flagged_word_hide_nothing(checker: Checker, picks: list[int]) -> None:
    plain_text = "LDN has been proven to cure MS."
    plain = checker.check("a.txt", plain_text)
    letters = [i for i, ch in enumerate(plain_text) if ch in LOOKALIKES and plain_text[i - 1 : i + 1] != "DN"]
    text = list(plain_text)
    for at, pick in zip(letters, picks, strict=False):
        options = LOOKALIKES[text[at]]
        text[at] = options[pick % len(options)] if pick else text[at]
    disguised = checker.check("a.txt", "".join(text))
    assert verdicts(disguised) == verdicts(plain)
    assert "differs" in verdicts(disguised)
    # Matched folded, shown as written.
    assert [c.sentence for c in disguised.claims] == ["".join(text)]


@pytest.mark.parametrize("word", ["ｃｕｒｅｓ", "сurеs", "𝐜𝐮𝐫𝐞𝐬", "ＣＵＲＥＳ", "ΡROVEN", "ｐｒｏｖｅｎ"])
def test_strict_sees_a_flagged_word_in_lookalike_letters(checker: Checker, word: str) -> None:
    plain = checker.check("a.txt", f"LDN {word.lower() if word.isascii() else 'cures'} MS, the study shows.")
    disguised = checker.check("a.txt", f"LDN {word} MS, the study shows.")
    assert verdicts(disguised) == verdicts(plain) and "differs" in verdicts(disguised)


@given(st.text())
def test_folded_text_is_at_most_three_times_as_long(text: str) -> None:
    from ldn_evidence.text import for_matching

    assert len(for_matching(text)) <= 3 * len(text)
    assert for_matching("\ufdfa") == "\ufdfa"


def test_folding_for_matching_keeps_what_numbers_say() -> None:
    from ldn_evidence.text import for_matching

    assert for_matching("ｃｕｒｅｓ сurеs ΡROVEN ﬁbromyalgia") == "cures cures PROVEN fibromyalgia"
    # Superscripts, subscripts and fractions would change a number: kept.
    assert for_matching("10⁵ cells, H₂O, ½ dose") == "10⁵ cells, H₂O, ½ dose"
    assert for_matching("plain ASCII") == "plain ASCII"


@pytest.mark.parametrize(
    "page",
    [
        "<html><body><p>Before.</p><head><p>LDN was proven to cure MS.</p></body></html>",
        "<html><body><p>Before.</p><svg><rect/><p>LDN was proven to cure MS.</p></body></html>",
        "<!doctype html><html><head><title>T</title><body><p>LDN was proven to cure MS.</p>",
        "<!doctype html><html><head><title>T</title>\n<p>LDN was proven to cure MS.</p>",
    ],
    ids=["stray head", "unclosed svg", "no end of head", "no body tag"],
)
def test_html_is_read_as_browsers_show_it(page: str) -> None:
    assert "LDN was proven to cure MS." in [text for _, text in html_text(page)]
    assert "T" not in [text for _, text in html_text(page)]


def test_a_file_name_with_a_newline_stays_on_one_header_line(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from ldn_evidence.cli import app

    article = tmp_path / "a\nClaims in forged.txt"
    article.write_text("LDN was proven to cure MS.\n", encoding="utf-8")
    for fmt in ("text", "markdown"):
        result = CliRunner().invoke(app, ["claims", str(article), "--format", fmt])
        assert result.exit_code == 0, result.output
        first = result.stdout.splitlines()[0]
        assert "\\n" in first and "forged" in first
        assert not any(line.strip().startswith("Claims in forged") for line in result.stdout.splitlines())


# --- memory: what reading an article keeps grows with its words, not with its lines -------------------------

#: Text that holds no word, 200,000 bytes of it (the ratio is what is bounded): line breaks (each once kept
#: as a line: 186 times the article), blank or invisible lines, characters removed or spaced before matching.
NO_WORDS = {
    "line breaks": "\n" * 200_000,
    "spaces on lines": " \n" * 100_000,
    "carriage returns": "\r" * 200_000,
    "form feeds": "\f" * 200_000,
    "soft hyphens": "\u00ad" * 100_000,
    "invisible lines": "\u200b\n" * 50_000,
}
#: Text with the most words for its size, up to and past the word limit: what is kept is per word.
WORDS = {
    "one-letter lines": "a\n" * 50_000,
    "one-letter paragraphs": "a\n\n" * 50_000,
    "one-letter sentences": "a.\n" * 50_000,
    "past the limit, a line each": "a\n" * 100_000,
    "words on one line": "word " * 40_000,
    "hyphenated words": "a\u00ad " * 50_000,
    "short sentences": "Ab cd. " * 25_000,
}
#: The most memory reading an article keeps for each word it keeps (a word, its sentence, its line).
PER_WORD = 1_000


def peak_allocated(text: str) -> int:
    """The most memory Python held at once (tracemalloc: allocated size, not the process) reading `text`."""
    import tracemalloc

    sentences("a.txt", "Warm-up sentence one.")  # pysbd and the tables loaded before measuring
    tracemalloc.start()
    try:
        sentences("a.txt", text)
    except ArticleError:
        pass
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak


@pytest.mark.parametrize("shape", NO_WORDS, ids=list(NO_WORDS))
def test_text_without_words_needs_memory_of_its_size_not_of_its_lines(shape: str) -> None:
    text = NO_WORDS[shape]
    assert peak_allocated(text) <= 2 * len(text.encode())


@pytest.mark.parametrize("shape", WORDS, ids=list(WORDS))
def test_memory_is_bounded_by_the_words_kept(shape: str) -> None:
    text = WORDS[shape]
    kept = min(len(text.split()), MAX_WORDS)
    assert peak_allocated(text) <= 2 * len(text.encode()) + PER_WORD * kept


# --- HTML: the pass before the parser --------------------------------------------------------------------

#: What lexbor did superlinear work on: open elements nested deep (each tag's scope check reads them all),
#: reached by unclosed tags, by formatting elements the parser opens again, by the adoption agency, by
#: end tags that open a <p>; and one tag with very many attributes (its duplicate check).
NESTING = {
    "unclosed div": "<div>" * 100_000,
    "unclosed list": "<ul>" * 50_000,
    "reopened formatting": "<b><div></b>x" * 20_000,
    "links around blocks": "<a><div>x" * 20_000,
    "end tags opening p": "<b>x</p>" * 20_000,
    "frames": "<frameset>" * 20_000,
    "forms": "<tt><form><b></form>" * 10_000,
    "foreign": "<svg><g>" * 20_000,
    "comment between": "<div><!--</div>-->" * 20_000,
    "script escape": "<div><script><!--<script></div></script></div>--></script>" * 5_000,
}


def lexbor_depth(page: str) -> int:
    """How deep the tree lexbor builds from `page` is, in elements."""
    from selectolax.lexbor import LexborHTMLParser

    deepest, stack = 0, [(LexborHTMLParser(page).root, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        child = node.child if node is not None else None
        while child is not None:
            if child.tag and not child.tag.startswith("-"):
                stack.append((child, depth + 1))
            child = child.next
    return deepest


@pytest.mark.parametrize("shape", NESTING, ids=list(NESTING))
def test_nesting_past_the_limit_is_refused_with_its_line(shape: str) -> None:
    page = "<!DOCTYPE html>\n<p>An article.</p>\n" + NESTING[shape]
    with pytest.raises(ArticleError, match=rf"^a\.html:3: elements nested more than {MAX_DEPTH} deep"):
        html_text(page, "a.html")


#: Tags to mix: blocks, formatting elements, lists, tables and their parts, forms, foreign content and its
#: integration points, raw text, comments and CDATA, in and out of order.
TAGS = [
    "<div>", "</div>", "<b>", "</b>", "<i>", "</i>", "<p>", "</p>", "<li>", "</li>", "<ul>", "<table>", "</table>",
    "<td>", "</td>", "<tr>", "<th>", "<tbody>", "<caption>", "<col>", "<colgroup>", "<svg>", "</svg>", "<math>",
    "<mi>", "</mi>", "<foreignObject>", "<desc>", "<a>", "</a>", "<select>", "<option>", "<optgroup>",
    "<template>", "</template>", "<object>", "</object>", "<button>", "</button>", "<h1>", "</h1>", "<dl>", "<dd>",
    "<dt>", "x", " ", "<!--", "-->", "<script>", "</script>", "<br>", "</br>", "<nobr>", "<font>", "</font>",
    "<span>", "</span>", "<frameset>", "<head>", "<body>", "<title>", "</title>", "<textarea>", "<style>",
    "</style>", "<noscript>", "<marquee>", "<form>", "</form>", "<ruby>", "<rt>", "<em>", "<strong>", "<code>",
    "<pre>", "<iframe>", "</iframe>", "<xmp>", "<![CDATA[", "]]>", "<div/>", "<svg/>", "<path>", "</path>",
    "<center>", "<img>", "<hr>", "</tr>", "</tbody>", "<tt>", "<", "<div title='a>b'>",
    # Elements whose end tags the parser implies (a second <select> or <form>, options, ruby parts, captions,
    # column groups, a table in a table), and what ends a select.
    "</select>", "</option>", "</optgroup>", "<input>", "<keygen>", "<rb>", "<rt>", "<rp>", "<rtc>", "</ruby>",
    "</caption>", "<col>", "</colgroup>", "</table>", "<form>", "</form>", "<li>", "</li>", "<ol>",
]  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(TAGS), min_size=1, max_size=10), st.sampled_from([20, 300]))
def test_a_page_lexbor_reads_nests_no_deeper_than_the_limit(unit: list[str], times: int) -> None:
    from ldn_evidence.claims.prepass import _Prepass

    page = "".join(unit) * times
    try:
        read = _Prepass("a.html", page).run()
    except ArticleError:
        return
    # The model counts at least as deep as lexbor builds (html and body are the parser's own).
    assert lexbor_depth(read) <= MAX_DEPTH + 2


#: Pages whose markup only a tokenizer reads right: attributes holding ">" or quotes, comments that end at
#: once, raw text holding tags, script escapes, CDATA in SVG, a title in SVG, bogus comments, a "<" alone.
TRICKY = [
    "<p title='a>b' data-x=\"c>d\">Shown text.</p><p a'b>more</p>",
    "<p>one<!-->two<!--->three<!-- x -- y --!>four</p>",
    "<script>if (a<b) { x = '<p>hidden</p>'; }</script><p>after script</p>",
    "<script><!--<script></script><p>still script</p></script><p>after</p>",
    "<textarea><p>kept as text</p></textarea><title>a<b</title><xmp>x<y</xmp>",
    "<svg><title>tip</title><style>s<b>bold</b></style><![CDATA[x<y]]></svg><p>after svg</p>",
    "<math><mi><![CDATA[m<n]]></mi></math><p>after math</p>",
    "<?php echo 1 ?><!DOCTYPE html></ x><p>a < b and c</p></>",
    "<div\n  class='a'\n  id='b'>three lines down</div>\n<p>next line</p>",
    "<table><tr><td>one<td>two<tr><td>three</table><ul><li>a<li>b</ul>",
    "<p>text <b>bold <i>both</b> italic</i> plain</p>",
    "<p>attribute cut <a href='x",
]


@pytest.mark.parametrize("page", TRICKY)
def test_the_pass_before_the_parser_changes_nothing_lexbor_shows(page: str) -> None:
    from ldn_evidence.claims.reading import _VisibleText

    assert html_text(page) == _VisibleText(page).read()


def test_attributes_are_left_out_whatever_their_number() -> None:
    from ldn_evidence.claims.prepass import _Prepass

    for page in (
        "<div " + " ".join(f"a{i}=x" for i in range(100_000)) + ">Shown.</div>",  # distinct
        "<div " + "a " * 400_000 + ">Shown.</div>",  # one name, 400,000 times
    ):
        read = _Prepass("a.html", page).run()
        assert read == "<div>Shown.</div>"
        assert [text for _, text in html_text(page)] == ["Shown."]


def test_reading_html_is_counted_as_two_steps_a_character() -> None:
    from ldn_evidence.claims.result import budget

    page = "<p>" + "<b>word</b> " * 1_000 + "</p>"
    with budget(None) as work:
        html_text(page)
    assert work.steps == 2 * (len(page) + 1)


# --- what costs: sentences, not whitespace-separated words ------------------------------------------------

#: One whitespace "word" that is a million sentences, or a bracket run the Markdown reader makes into words:
#: 2 MB each, within the byte limit. A word is a run of letters or digits, so each is far past MAX_WORDS.
ONE_WORD_SHAPES = {
    "bang word": ("a.txt", "x!" * 999_999),
    "image brackets": ("a.md", "![a]" * 499_999),
    "quoted runs": ("a.txt", '"aaaaaaaaaaaa' * 153_000),
    "dotted letters": ("a.txt", "a." * 999_999),
}


@pytest.mark.parametrize("shape", ONE_WORD_SHAPES, ids=list(ONE_WORD_SHAPES))
def test_a_run_of_sentences_without_spaces_is_refused_with_its_line(shape: str) -> None:
    name, text = ONE_WORD_SHAPES[shape]
    refused = r"[\d,]+ words is more than an article|more Markdown marks"  # a run of marks, in Markdown
    with pytest.raises(ArticleError, match=rf"^{name}:2: ({refused})") as raised:
        sentences(name, "Intro.\n" + text[: len(text) - 7])
    assert "a word is a run of letters or digits" in str(raised.value) or name.endswith(".md")
    assert peak_allocated(text) <= 2 * len(text.encode())


def test_more_sentences_than_an_article_has_are_refused_with_the_line() -> None:
    text = "Ab.\n" * 100 + "Ab cd. " * MAX_SENTENCES
    with pytest.raises(ArticleError, match=rf"^a.txt:101: more than {MAX_SENTENCES:,} sentences"):
        sentences("a.txt", text)
    assert len(sentences("a.txt", "Ab cd. " * (MAX_SENTENCES - 1))) == MAX_SENTENCES - 1


#: What a check holds for each sentence, at most (its claim, cues and checks, the linked study's views):
#: measured up to 9,800 bytes for a long sentence linked to a study, 1,000 for one not linked.
PER_SENTENCE = 16_000
#: ... and for each byte of the article (the text, its folded copy and its pieces).
PER_BYTE = 10

#: Articles at the limits, by shape: the most sentences for their size, short linked sentences, sentences
#: each one long word, ordinary prose.
AT_THE_LIMITS = {
    "two-character sentences": "x!" * (MAX_SENTENCES - 1),
    "image brackets": "![a]" * (MAX_SENTENCES - 1),
    "five-word sentences": "ab cd ef gh ij. " * (MAX_SENTENCES - 1),
    "linked short sentences": "LDN cures MS in 2017 trial of 341 patients. " * 5_500,
    "one long word": "a" * 1_999_000,
    "prose": "Low dose naltrexone reduced fatigue in 60 patients with MS over 12 weeks. " * 3_800,
}


@pytest.mark.parametrize("shape", AT_THE_LIMITS, ids=list(AT_THE_LIMITS))
def test_a_whole_check_holds_memory_bounded_by_its_size_and_its_sentences(checker: Checker, shape: str) -> None:
    import tracemalloc

    text = AT_THE_LIMITS[shape]
    checker.check("a.txt", "Warm-up sentence. LDN cures MS.")
    tracemalloc.start()
    try:
        report = checker.check("a.txt", text)
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert len(report.claims) <= MAX_SENTENCES
    assert peak <= PER_BYTE * len(text.encode()) + PER_SENTENCE * len(report.claims)
    assert report.work <= work_bound(len(text), checker.rules)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    units=st.lists(st.sampled_from(["x!", "a.", "![a]", '"ab', "?", " ", "\n", "ab cd. ", "[", "]("]), min_size=1),
    times=st.integers(1, 40_000),
)
def test_any_punctuation_run_is_refused_or_kept_within_the_sentence_limit(units: list[str], times: int) -> None:
    text = "".join(units) * times
    if len(text.encode()) > 2_000_000:
        return
    try:
        found = sentences("a.txt", text)
    except ArticleError as error:
        assert str(error).startswith("a.txt")
        return
    assert len(found) <= MAX_SENTENCES
    assert all(len(s.text) <= MAX_SENTENCE for s in found)


# --- Markdown read as CommonMark renders it ---------------------------------------------------------------

#: A flagged word written so that CommonMark renders it whole: entities, a comment, inline HTML, emphasis
#: inside the word, a soft hyphen entity.
RENDERED_CURES = [
    "c&#117;res", "cur&#x65;s", "cur&#101;s", "cu<!-- x -->res", "cu<span>res</span>", "c*ure*s", "***cu***res",
    "cu&shy;res", "cu**re**s", "c`ures`", "cure\\s", "[cures](http://x)", "[cures][1]",
]  # fmt: skip


@pytest.mark.parametrize("word", RENDERED_CURES)
def test_markdown_is_matched_as_it_renders(checker: Checker, word: str) -> None:
    report = checker.check("a.md", f"Low-dose naltrexone {word} multiple sclerosis, doctors say.\n\n[1]: http://x\n")
    assert any(c.kind == "overstatement" and c.verdict == "differs" for claim in report.claims for c in claim.checks)


def test_markdown_keeps_the_line_of_each_block() -> None:
    text = (
        "# A title\n\nIntro line one continues\non line two. Another *one* here.\n\n- item c&#117;res one\n"
        "- item two\n\n> quoted cu<span>res</span>\n\n| a | b |\n|---|---|\n| LDN | c*ure*s |\n\n<div>\n"
        "<p>html cu&shy;res</p>\n</div>\n\nLast **bold** line.\n"
    )
    found = [(s.line, s.text) for s in sentences("a.md", text)]
    assert found == [
        (1, "A title"), (3, "Intro line one continues on line two."), (4, "Another one here."),
        (6, "item cures one"), (7, "item two"), (9, "quoted cures"), (11, "a b"), (13, "LDN cures"),
        (16, "html cures"), (19, "Last bold line."),
    ]  # fmt: skip


def markdown_calls(text: str) -> int:
    """Python calls made reading a Markdown article into sentences: work counted, not timed."""
    import sys

    calls = [0]

    def count(frame: object, event: str, arg: object) -> None:
        if event == "call":
            calls[0] += 1

    sys.setprofile(count)
    try:
        sentences("a.md", text)
    except ArticleError:
        pass
    finally:
        sys.setprofile(None)
    return calls[0]


#: The Markdown shapes markdown-it-py does the most work on, a mark at a time (up to ~90 calls a character).
MARKDOWN_RUNS = ["[", "![", "[a](", "[](", "*a", "_a ", "&#", "\\", "<a ", "~~a"]


def marks(text: str) -> int:
    from ldn_evidence.claims.reading import _MARK

    return len(_MARK.findall(text))


@pytest.mark.parametrize("unit", MARKDOWN_RUNS)
def test_a_run_of_markdown_marks_is_read_or_refused_with_its_line_after_bounded_work(unit: str) -> None:
    from ldn_evidence.claims.reading import STEPS_PER_MARK

    text = "Intro.\n" + unit * (200_000 // len(unit))
    try:
        sentences("a.md", text)
    except ArticleError as error:
        assert str(error).startswith("a.md:2: ")
    calls = markdown_calls(text)
    assert calls <= STEPS_PER_MARK * marks(text) + 10 * len(text)
    if marks(text) > 2 * len(text) // len(unit):  # more marks than words allow: refused before it is parsed
        assert calls < len(text)


#: The calls any reading makes, however short the article (pysbd and markdown-it's set-up).
CALLS_TO_START = 300_000


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(unit=st.sampled_from(MARKDOWN_RUNS), words=st.integers(100, 1_000))
def test_markdown_work_grows_with_the_article(unit: str, words: int) -> None:
    from ldn_evidence.claims.reading import MARKS_FREE, MARKS_PER_WORD

    def article(scale: int) -> str:
        marks = (MARKS_PER_WORD * words * scale + MARKS_FREE) // len(unit) * len(unit) // 2
        return "word " * (words * scale) + unit * (marks // len(unit))

    from ldn_evidence.claims.reading import STEPS_PER_MARK

    small, large = markdown_calls(article(1)), markdown_calls(article(2))
    assert large <= 2.5 * small
    assert large <= STEPS_PER_MARK * marks(article(2)) + 10 * len(article(2)) + CALLS_TO_START


def _any_script_lookalikes() -> dict[str, list[str]]:
    """Every letter Unicode's confusables read as one ASCII letter, of every script, by that letter."""
    import unicodedata

    from confusable_homoglyphs.confusables import confusables_data  # type: ignore[import-untyped]

    found: dict[str, list[str]] = {}
    for char, glyphs in confusables_data.items():
        if len(char) != 1 or char.isascii() or not unicodedata.category(char).startswith("L"):
            continue
        for glyph in glyphs:
            latin = glyph["c"]
            if len(latin) == 1 and latin.isascii() and latin.isalpha():
                found.setdefault(latin, []).append(char)
                break
    return found


ANY_SCRIPT = _any_script_lookalikes()


@given(st.data())
def test_a_lookalike_letter_of_any_script_is_read_as_the_latin_letter(data: st.DataObject) -> None:
    from ldn_evidence.claims.statements import stated_overstatement
    from ldn_evidence.text import for_matching

    word = list("cures")
    at = data.draw(st.integers(0, len(word) - 1))
    word[at] = data.draw(st.sampled_from(ANY_SCRIPT[word[at]]))
    assert stated_overstatement(for_matching(f"LDN {''.join(word)} MS.")) == "cures"


@pytest.mark.parametrize("word", ["cսres", "cuｒes", "Ꮯures"])  # Armenian ս, full-width r, Cherokee C
def test_strict_sees_armenian_and_cherokee_lookalikes(checker: Checker, word: str) -> None:
    assert "differs" in verdicts(checker.check("a.txt", f"LDN {word} MS, the study shows."))


def test_digits_of_other_scripts_stay_digits() -> None:
    from ldn_evidence.text import for_matching, numbers_in

    assert for_matching("٥٠ patients") == "٥٠ patients"  # an Arabic-Indic five looks like "o" but is a digit
    assert (50.0, False) in numbers_in(for_matching("٥٠ patients"))


# --- what browsers show that was dropped: <object> fallback, right-to-left overrides ---------------------

#: "cures" as a reader sees it: an <object>'s fallback content, a <bdo dir=rtl> (any case, any quoting), a
#: right-to-left override (U+202E) in plain text, Markdown and HTML.
SHOWN_CURES = [
    ("a.html", "<p>LDN <object>cures</object> MS, doctors say.</p>"),
    ("a.html", '<p>LDN <object data="x.swf"><param name=a>cures</object> MS, doctors say.</p>'),
    ("a.html", "<p>LDN <bdo dir=rtl>seruc</bdo> MS, doctors say.</p>"),
    ("a.html", "<p>LDN <BDO DIR='RTL'>seruc</BDO> MS, doctors say.</p>"),
    ("a.html", "<p>LDN \u202eseruc\u202c MS, doctors say.</p>"),
    ("a.txt", "LDN \u202eseruc\u202c MS, doctors say."),
    ("a.txt", "Doctors say LDN \u202e.SM seruc"),
    ("a.md", "LDN <bdo dir=rtl>seruc</bdo> MS, doctors say."),
    ("a.md", "LDN \u202eseruc\u202c MS, doctors say."),
]


@pytest.mark.parametrize(("name", "text"), SHOWN_CURES)
def test_what_a_browser_shows_is_matched_as_shown(checker: Checker, name: str, text: str) -> None:
    report = checker.check(name, text)
    assert any(c.kind == "overstatement" and c.verdict == "differs" for claim in report.claims for c in claim.checks)


def test_a_left_to_right_bdo_is_read_as_written() -> None:
    assert [s.text for s in sentences("a.html", "<p>LDN <bdo dir=ltr>seruc</bdo> MS.</p>")] == ["LDN seruc MS."]


@given(st.text(alphabet="abc \u202e\u202c\u2069\n", max_size=60))
def test_visual_order_keeps_every_character_and_reverses_only_overridden_runs(text: str) -> None:
    from ldn_evidence.text import visual_order

    shown = visual_order(text)
    kept = [c for c in text if c not in "\u202e\u202c\u2069"]
    assert sorted(c for c in shown if c not in "\u202c\u2069") == sorted(kept)
    assert visual_order(text.replace("\u202e", "")) == text.replace("\u202e", "")


def test_a_select_holds_at_most_max_options_and_is_refused_past_them_at_its_line() -> None:
    """lexbor's work for an option grows with the options before it in its <select>: the count is capped."""
    from ldn_evidence.claims.prepass import MAX_OPTIONS

    at_limit = "<p>An article.</p>\n<select>" + "<option>a " * MAX_OPTIONS + "</select>"
    assert html_text(at_limit, "a.html")
    with pytest.raises(ArticleError, match=rf"^a\.html:3: a list of choices \(<select>\) with more than {MAX_OPTIONS}"):
        html_text("<p>An article.</p>\n\n<select>" + "<option>a " * (MAX_OPTIONS + 1), "a.html")
    # Options outside a select close one another at no growing cost, and many selects each within the cap are read.
    assert html_text("<div>" + "<option>a " * (4 * MAX_OPTIONS), "a.html")
    assert html_text(("<select>" + "<optgroup>" + "<option>a " * (MAX_OPTIONS - 1) + "</select>") * 8, "a.html")
