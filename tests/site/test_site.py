"""`ldn site`: the pages it writes, read as files (the browser tests are in test_site_browser.py)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import bibtexparser
import pytest
import rispy
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ldn_evidence.cli import app
from ldn_evidence.site import data, pictures
from ldn_evidence.site.build import CSP, file_name, link
from ldn_evidence.text import visible

from conftest import MINIMAL, SEEDS, SHIPPED, catalogue_text, study_yaml
from site_helpers import HOSTILE, SCRIPT_ADDRESS, broken_links, hostile_catalogue, read_page

ARTICLE = (
    "A new article.\n\nIn a randomized trial at the University of California, San Francisco, Dr. Bruce Cree gave "
    "4.5 mg of LDN to 60 patients with MS for eight weeks, and their quality of life improved.\n"
)


def _json(*args: str) -> object:
    result = CliRunner().invoke(app, ["--no-cache", *args])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site of the shipped catalogue, with one further article."""
    root = tmp_path_factory.mktemp("site")
    article = root / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    result = CliRunner().invoke(app, ["--no-cache", "site", str(root / "out"), "--article", str(article)])
    assert result.exit_code == 0, result.stderr
    assert "wrote" in result.stderr and "not medical advice" in result.stderr
    return root / "out"


def test_every_page_of_the_shipped_catalogue_is_written(shipped: Path) -> None:
    studies = _json("list", "--format", "json")
    documents = _json("sources", "--format", "json")
    assert isinstance(studies, list) and isinstance(documents, list)
    for study in studies:
        assert (shipped / "studies" / f"{study['id']}.html").is_file(), study["id"]
    assert len(list((shipped / "articles").glob("*.html"))) == len(documents) + 1
    for name in ("index", "findings", "studies", "articles", "discrepancies", "safety", "search", "map", "effects"):
        assert (shipped / f"{name}.html").is_file(), name
    pages = list(shipped.rglob("*.html"))
    assert len(pages) == 9 + len(studies) + len(documents) + 1


def test_every_internal_link_resolves(shipped: Path) -> None:
    assert broken_links(shipped) == []


def test_every_page_carries_the_policy_and_asks_no_other_host(shipped: Path) -> None:
    for path in shipped.rglob("*.html"):
        page = read_page(path)
        assert page.csp == CSP, path
        assert page.title.strip(), path
        for resource in page.resources:
            assert not re.match(r"^[a-z][a-z0-9+.-]*:|^//", resource, re.I), (path, resource)
        for href in page.links:
            scheme = href.split(":", 1)[0].lower() if re.match(r"^[a-z][a-z0-9+.-]*:", href, re.I) else ""
            assert scheme in ("", "http", "https"), (path, href)
        assert page.scripts in ([], ["filter.js"], ["../filter.js"]), path
    css = (shipped / "site.css").read_text(encoding="utf-8")
    assert "@media print" in css and "url(" not in css and "@import" not in css


def test_the_home_page_says_the_question_advice_and_each_outcome(shipped: Path) -> None:
    summary = _json("summary", "--format", "json")
    assert isinstance(summary, dict)
    home = (shipped / "index.html").read_text(encoding="utf-8")
    text = " ".join(read_page(shipped / "index.html").text)
    assert "not medical advice" in text and "What is the evidence for low-dose naltrexone" in text
    for outcome in summary["outcomes"]:
        row = f'id="{outcome["condition"]}-{outcome["measure"]}"'
        assert row in home
        assert f"findings.html#{outcome['condition']}-{outcome['measure']}" in home
        marks = data.CERTAINTY_MARKS[("very low", "low", "moderate", "high").index(outcome["certainty"])]
        assert marks in home
        for ident in outcome["studies"]:
            assert f'href="studies/{ident}.html"' in home


def test_a_study_page_shows_both_layers_each_difference_and_its_citations(shipped: Path) -> None:
    record = _json("show", "ucsf-cree-rct", "--format", "json")
    assert isinstance(record, dict)
    page = (shipped / "studies" / "ucsf-cree-rct.html").read_text(encoding="utf-8")
    text = " ".join(" ".join(read_page(shipped / "studies" / "ucsf-cree-rct.html").text).split())
    assert "As the articles report it" in text and "As published" in text
    for source in record["sources"]:
        assert " ".join(source["quote"].split()) in text
    for fact in record["publications"][0]["facts"]:
        assert " ".join(fact["excerpt"].split()) in text
    for found in record["discrepancies"]:
        assert " ".join(found["explanation"].split()) in text
    assert text.count("≠ differs from the paper") >= 1
    for item in record["publications"][0]["links"]:
        assert f'href="{item["url"]}"' in page
    ris = rispy.loads((shipped / "cite" / "cree-2010.ris").read_text(encoding="utf-8"))
    assert [r["id"] for r in ris] == ["cree-2010"]
    bib = bibtexparser.parse_string((shipped / "cite" / "cree-2010.bib").read_text(encoding="utf-8"))
    assert [e.key for e in bib.entries] == ["cree-2010"] and bib.failed_blocks == []
    assert 'href="../cite/cree-2010.ris" download' in page


def test_an_article_page_marks_each_linked_sentence_and_notes_its_checks(shipped: Path) -> None:
    report = _json("claims", str(SEEDS / "001_cfcaaea8c494e144.txt"), "--format", "json")
    assert isinstance(report, dict)
    page = (shipped / "articles" / "001-cfcaaea8c494e144.html").read_text(encoding="utf-8")
    marked = [c for c in report["claims"] if c["study"] or c["checks"]]
    assert marked and len(re.findall(r'<mark class="claim[^"]*" id="s[0-9]+">', page)) == len(marked)
    assert page.count('<aside class="note"') == len(marked)
    differs = sum(1 for c in report["claims"] for k in c["checks"] if k["verdict"] == "differs")
    assert page.count('<div class="check v-differs">') == differs
    for claim in marked:
        if claim["study"]:
            assert f'href="../studies/{claim["study"]}.html"' in page
    # A sentence tied to no study can still overstate (a cure claimed of the condition): noted, linking nowhere.
    assert 'href="../studies/None.html"' not in page


def test_a_further_article_gets_a_checked_page(shipped: Path) -> None:
    (page,) = (shipped / "articles").glob("checked-*.html")
    html = page.read_text(encoding="utf-8")
    assert '<mark class="claim' in html and 'href="../studies/ucsf-cree-rct.html"' in html
    assert "checked-article.html" in (shipped / "articles.html").read_text(encoding="utf-8")


def test_the_search_page_says_when_the_catalogue_has_no_search_section(shipped: Path) -> None:
    text = " ".join(read_page(shipped / "search.html").text)
    raw = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    if "search" in raw:
        assert "Records screened" in text
    else:
        assert "search section is empty" in text


def test_a_non_empty_folder_is_refused_without_force(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(app, ["--no-cache", "site", str(out)])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and "not empty" in result.stderr and "--force" in result.stderr
    assert "Traceback" not in result.stderr and isinstance(result.exception, SystemExit)
    assert (out / "keep.txt").read_text(encoding="utf-8") == "mine"
    result = runner.invoke(app, ["--no-cache", "site", str(out), "--force"])
    assert result.exit_code == 0, result.stderr
    assert not (out / "keep.txt").exists() and (out / "index.html").is_file()


def test_a_file_in_the_way_is_refused(tmp_path: Path) -> None:
    (tmp_path / "out").write_text("x", encoding="utf-8")
    result = CliRunner().invoke(app, ["--no-cache", "site", str(tmp_path / "out"), "--force"])
    assert result.exit_code == 1 and "is not a folder" in result.stderr


def test_an_unreadable_article_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["--no-cache", "site", str(tmp_path / "out"), "--article", str(tmp_path / "no")])
    assert result.exit_code == 1 and result.stderr.startswith("Error: ")
    assert not (tmp_path / "out").exists()


def test_an_invalid_catalogue_is_a_clear_error(write_catalogue: Callable[[str], Path], tmp_path: Path) -> None:
    path = write_catalogue("studies: 3\n")
    result = CliRunner().invoke(app, ["--no-cache", "--data", str(path), "site", str(tmp_path / "out")])
    assert result.exit_code == 1 and "Error:" in result.stderr and "Traceback" not in result.stderr


def test_another_catalogue_makes_its_own_site(write_catalogue: Callable[[str], Path], tmp_path: Path) -> None:
    path = write_catalogue(MINIMAL)
    result = CliRunner().invoke(app, ["--no-cache", "site", str(tmp_path / "out"), "--data", str(path)])
    assert result.exit_code == 0, result.stderr
    out = tmp_path / "out"
    assert (out / "studies" / "good-study.html").is_file() and (out / "articles" / "a.html").is_file()
    assert broken_links(out) == []
    assert "no publications" in (out / "discrepancies.html").read_text(encoding="utf-8")


NO_DOCUMENTS = """\
studies:
  - id: bare
    title: A record with nothing but what it must have
    condition: fibromyalgia
    design: unspecified
    outcome: Not said.
    effect: unclear
    sources:
      - seed: a.txt
        quote: "A mouse study"
"""


@pytest.mark.parametrize(
    "text",
    [
        MINIMAL,
        NO_DOCUMENTS,
        catalogue_text(study_yaml("mouse", design="animal", effect="benefit"), study_yaml("told", n=None)),
        catalogue_text(study_yaml("x", design="unspecified", title="Trials (mentioned in passing)")),
    ],
    ids=["minimal", "no-documents", "animal-and-no-n", "unspecified"],
)
def test_any_valid_catalogue_makes_a_whole_site(
    write_catalogue: Callable[[str], Path], tmp_path: Path, text: str
) -> None:
    path = write_catalogue(text)
    assert CliRunner().invoke(app, ["--no-cache", "--data", str(path), "validate"]).exit_code == 0
    result = CliRunner().invoke(app, ["--no-cache", "--data", str(path), "site", str(tmp_path / "out")])
    assert result.exit_code == 0, result.stderr
    out = tmp_path / "out"
    ids = {
        line.split("\t")[0] for line in CliRunner().invoke(app, ["--data", str(path), "list"]).stdout.splitlines()[1:]
    }
    assert {p.stem for p in (out / "studies").glob("*.html")} == ids
    assert broken_links(out) == []
    for page in out.rglob("*.html"):
        assert read_page(page).csp == CSP


def test_hostile_catalogue_text_is_shown_literally(write_catalogue: Callable[[str], Path], tmp_path: Path) -> None:
    path = write_catalogue(hostile_catalogue())
    result = CliRunner().invoke(app, ["--no-cache", "--data", str(path), "site", str(tmp_path / "out")])
    assert result.exit_code == 0, result.stderr
    out = tmp_path / "out"
    for page_path in out.rglob("*.html"):
        html = page_path.read_text(encoding="utf-8")
        page = read_page(page_path)
        assert "<script>window" not in html and "<img" not in html, page_path
        assert "\u202e" not in html and "\u202c" not in html, page_path
        assert page.scripts in ([], ["filter.js"], ["../filter.js"]), page_path
        assert not any(h.lower().startswith("javascript:") for h in page.links), page_path
    study = " ".join(read_page(out / "studies" / "evil.html").text)
    shown = HOSTILE.replace("\u202e", "\\u202e").replace("\u202c", "\\u202c")
    assert shown in read_page(out / "studies" / "evil.html").title
    assert study.count(shown) >= 5  # title, population, notes, the fact's text and excerpt, the difference
    assert SCRIPT_ADDRESS in study  # shown as text, never as a link
    assert 'href="https://example.org/evil"' in (out / "studies" / "evil.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("address", "clickable"),
    [
        ("https://example.org/a?b=c#d", True),
        ("http://example.org", True),
        ("javascript:alert(1)", False),
        ("JAVASCRIPT:alert(1)", False),
        (" https://example.org", False),
        ("https://exa mple.org", False),
        ("data:text/html,hi", False),
        ("//example.org", False),
        ("https://", False),
        ("ftp://example.org", False),
        ("public GitHub file: somewhere", False),
        ("https://example.org/\u202e", False),
    ],
)
def test_only_http_and_https_addresses_become_links(address: str, clickable: bool) -> None:
    assert (link(address) == address) is clickable


def test_file_names_are_plain_and_unique() -> None:
    taken: set[str] = set()
    names = [file_name(key, taken) for key in ("a", "A", "../x", "", "ünï", "a")]
    assert names == ["a", "a-2", "x", "page", "n", "a-3"]


def test_every_interval_of_a_size_is_read() -> None:
    size = "–1.3 points (95 percent CI, –1.7 to –0.8) with LDN; –0.9 (95 percent CI, –1.4 to –0.5) with placebo"
    assert [(i["point"], i["low"], i["high"]) for i in data.intervals(size)] == [(-1.3, -1.7, -0.8), (-0.9, -1.4, -0.5)]


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        ("RR 1.23 (95% CI 0.9 to 1.6)", ("RR", 1.23, 0.9, 1.6, 1.0)),
        # A name other than a known size's is not taken for one.
        ("mean difference -2.1 (95% CI -3.5 to -0.7)", ("", -2.1, -3.5, -0.7, 0.0)),
        # As the shipped catalogue's pages state them.
        ("MD: –0.86, 95% confidence interval [CI]: –1.20, –0.51, P < 0.001", ("MD", -0.86, -1.2, -0.51, 0.0)),
        ("RR: 1.99, 95% CI [1.07, 3.70], P = 0.03", ("RR", 1.99, 1.07, 3.7, 1.0)),
        ("2.0 kPa; 95% confidence interval (CI) 0.4–3.7 kPa", ("", 2.0, 0.4, 3.7, 0.0)),
        ("-0·34 (-0·95 to 0·27; p=0·27)", None),
        ("1.02 (95% CI: −1.35, −0.69; I2 = 52%)", None),
        ("ED50 3.88 mg (95% CI, 3.39-4.35)", None),
        ("OR 0.8, 95% CI 0.5–1.2", ("OR", 0.8, 0.5, 1.2, 1.0)),
        ("6 points on the Mental Health Inventory (P<.01)", None),
        ("RR 2.0 (95% CI 0.9 to 1.6)", None),
    ],
)
def test_an_interval_is_read_only_where_the_size_states_one(size: str, expected: tuple[object, ...] | None) -> None:
    found = data.interval(size)
    if expected is None:
        assert found is None
    else:
        assert found is not None
        assert (found["label"], found["point"], found["low"], found["high"], found["null"]) == expected


def test_a_forest_plot_places_each_estimate_between_its_limits() -> None:
    rows = [{"study": "a", "point": 1.2, "low": 0.9, "high": 1.6, "null": 1.0},
            {"study": "b", "point": 0.7, "low": 0.5, "high": 0.95, "null": 1.0}]  # fmt: skip
    plot = pictures.forest(rows)
    for shape in plot["rows"]:
        assert shape["x1"] < shape["x"] < shape["x2"]
    assert plot["rows"][1]["x2"] < plot["null_x"] < plot["rows"][0]["x"]
    assert any(t["label"] == "1" for t in plot["ticks"])


def test_ratios_are_drawn_on_a_log_scale_and_labels_keep_clear_of_the_plot() -> None:
    rows = [{"study": "a-long-study-identifier-of-a-review", "point": 2.0, "low": 1.5, "high": 3.0, "null": 1.0},
            {"study": "b", "point": 0.5, "low": 0.25, "high": 0.9, "null": 1.0}]  # fmt: skip
    plot = pictures.forest(rows)
    assert plot["log"]
    double, half = (shape["x"] for shape in plot["rows"])
    assert abs((double - plot["null_x"]) - (plot["null_x"] - half)) < 0.2  # 2 and 1/2 lie as far from 1
    assert plot["left"] >= pictures.LABEL_CHAR * len(rows[0]["study"])
    assert all(shape["x1"] >= plot["left"] for shape in plot["rows"])
    differences = pictures.forest([{"study": "c", "point": -1.0, "low": -2.0, "high": 0.5, "null": 0.0}])
    assert not differences["log"]


def test_a_forest_plot_is_drawn_for_a_published_size_with_an_interval() -> None:
    record = {"id": "s", "condition": "ms", "publications": [{"id": "p", "facts": [
        {"field": "outcome", "measure": "fatigue", "size": "MD -1.5 (95% CI -2.0 to -1.0)", "excerpt": "x",
         "page": "https://example.org"},
        {"field": "outcome", "measure": "pain", "size": "p = 0.04", "excerpt": "y", "page": "https://example.org"},
    ]}]}  # fmt: skip
    (outcome,) = data.forest_rows([record])
    assert (outcome["condition"], outcome["measure"]) == ("ms", "fatigue")
    assert outcome["rows"][0]["point"] == -1.5 and outcome["rows"][0]["null"] == 0.0


def test_the_evidence_map_sizes_circles_by_people() -> None:
    cells = {"ms": {"rct": {"count": 2, "participants": 400}, "animal": {"count": 1, "participants": 0}},
             "crps": {"case-report": {"count": 1, "participants": 1}}}  # fmt: skip
    grid = pictures.evidence_map(cells, ["ms", "crps", "cfs"], ["rct", "case-report", "animal", "cohort"])
    assert [r["key"] for r in grid["rows"]] == ["ms", "crps"]
    assert [c["key"] for c in grid["columns"]] == ["rct", "case-report", "animal"]
    radius = {(c["condition"], c["design"]): c["r"] for c in grid["circles"]}
    assert radius[("ms", "rct")] == pictures.MAX_RADIUS
    assert radius[("ms", "animal")] == pictures.MIN_RADIUS <= radius[("crps", "case-report")] < pictures.MAX_RADIUS


def _wider_site(tmp_path: Path, text: str | None = None) -> tuple[Path, dict[str, Any]]:
    """The site of the wider test catalogue (a retold study, three the search found, a search), and its data."""
    from test_wider import WIDER, write_wider

    from ldn_evidence.loader import load

    path = write_wider(tmp_path, text or WIDER)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["--no-cache", "--data", str(path), "site", str(out)])
    assert result.exit_code == 0, result.stderr
    return out, data.gather(load(path), tmp_path / "seeds")


def test_the_search_flow_is_the_librarys_flow_with_its_lists(tmp_path: Path) -> None:
    _, site = _wider_site(tmp_path)
    flow = site["search"]
    assert flow["present"] and flow["searched"] == "2026-12"
    assert (flow["screened"], flow["relevant"], flow["excluded_count"], flow["included"]) == (13, 3, 3, 3)
    assert flow["excluded_by_reason"] == [("case-report", 2), ("narrative-review", 1)]
    assert flow["included_by_design"] == [("systematic-review", 1), ("rct", 2)]
    assert (flow["retold"], flow["trials"], flow["no_results_long_after_end"]) == (1, 1, ["ibd-registered"])
    assert [q["screened"] for q in flow["queries"]] == [8, 5] and len(flow["excluded"]) == 3
    json.dumps(flow)  # plain data
    assert data.search_flow(SimpleNamespace(search=None)) == {"present": False}  # type: ignore[arg-type]


def test_the_search_page_draws_the_flow(tmp_path: Path) -> None:
    out, _ = _wider_site(tmp_path)
    html = (out / "search.html").read_text(encoding="utf-8")
    assert "<svg" in html and "Records screened: 13" in html and "case report: 2" in html
    assert "Studies included from the search: 3" in html and "and 1 studies the articles retell" in html
    assert 'href="https://example.org/case"' in html
    page = read_page(out / "search.html")
    assert "studies/ibd-registered.html" in page.links  # named as a trial with no results long after its end


def test_a_study_no_article_retells_has_its_papers_facts_and_registry_record(tmp_path: Path) -> None:
    out, site = _wider_site(tmp_path)
    trial = " ".join(read_page(out / "studies" / "ibd-registered.html").text)
    assert "not retold by any article" in trial
    assert "Recruitment Status: Completed" in trial  # every fact with its excerpt
    assert "Its registry record" in trial and "completed" in trial and "no results long after its end" in trial
    fibro = read_page(out / "studies" / "fibro-rct.html")
    text = " ".join(fibro.text)
    assert "not retold by any article" in text and "As the articles report it" in text
    assert "99 women were randomly assigned to LDN or placebo." in text
    assert "https://example.org/rct-abstract" in fibro.links
    retold = " ".join(read_page(out / "studies" / "retold-trial.html").text)
    assert "not retold by any article" not in retold
    records = {s["id"]: s for s in site["studies"]}
    assert records["ibd-registered"]["registration"]["status"] == "completed"
    assert records["retold-trial"]["registration"] is None


def test_home_says_what_the_evidence_rests_on(tmp_path: Path) -> None:
    out, site = _wider_site(tmp_path)
    home = " ".join(re.sub(r"<[^>]+>", "", (out / "index.html").read_text(encoding="utf-8")).split())
    body = site["body"]
    assert (body["studies"], body["retold"], body["found_by_search"]) == (4, 1, 3)
    assert "4 studies: 1 retold by the articles, 3 found by the search of 2026-12" in home
    assert "A documented search of 2026-12: 13 records screened in 2 searches, 3 excluded" in home


def test_the_effect_sizes_and_the_map_are_the_papers(tmp_path: Path) -> None:
    out, site = _wider_site(tmp_path)
    drawn = {(o["condition"], o["measure"]): [(r["study"], r["point"]) for r in o["rows"]] for o in site["forest"]}
    assert tuple(sorted(p for rows in drawn.values() for _, p in rows)) == (-0.86, 0.2)
    effects = (out / "effects.html").read_text(encoding="utf-8")
    assert effects.count('class="point"') == 2
    # People as the papers count them: the randomized 99 of the trial; the registry's plan is no count.
    cells = site["evidence_map"]
    assert cells["fibromyalgia"]["rct"] == {"count": 1, "participants": 99, "n_unknown": 0}
    assert cells["ibd"]["rct"] == {"count": 1, "participants": 0, "n_unknown": 1}
    assert "99" in " ".join(read_page(out / "map.html").text)


ATTACKS = st.sampled_from([
    "<script>alert(1)</script>", "</title>", "<!--", "-->", "<![CDATA[", "]]>", '"', "'", "&amp;", "&lt;", "<",
    ">", "javascript:alert(1)", "\u202e", "\u2066", "\u200b", "\x1b[31m", "\r", "{{ 7 * 7 }}", "{% raw %}", "</a>",
    "<svg onload=alert(1)>", "\u2028",
])  # fmt: skip
TEXT = (
    st.lists(st.one_of(ATTACKS, st.text(max_size=4)), min_size=1, max_size=4)
    .map("".join)
    .filter(lambda s: s.strip() != "" and "\x00" not in s)
)


class _Tags(HTMLParser):
    """The start tags of a page with their attribute names: its structure, whatever its text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, tuple[str, ...]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, tuple(sorted(name for name, _ in attrs))))


def _structure(path: Path) -> list[tuple[str, tuple[str, ...]]]:
    parser = _Tags()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.tags


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(TEXT)
def test_no_catalogue_text_changes_a_page_s_structure(
    write_catalogue: Callable[[str], Path], tmp_path: Path, text: str
) -> None:
    runner = CliRunner()
    pages = {}
    for name, value in (("plain", "Plain words"), ("hostile", text)):
        path = write_catalogue(catalogue_text(study_yaml("evil", title=value, notes=value, population=value)))
        result = runner.invoke(app, ["--no-cache", "--data", str(path), "site", str(tmp_path / name), "--force"])
        assume(result.exit_code == 0)  # the loader refuses some text (a title that is only invisible characters)
        pages[name] = tmp_path / name / "studies" / "evil.html"
    assert _structure(pages["hostile"]) == _structure(pages["plain"])
    stored = json.loads(runner.invoke(app, ["--no-cache", "--data", str(path), "show", "evil", "-f", "json"]).stdout)
    page = read_page(pages["hostile"])
    assert visible(stored["title"]) in page.title
    assert visible(stored["notes"]) in "".join(page.text)


def test_the_browser_tests_fail_under_ci_and_skip_loudly_elsewhere(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import test_site_browser as browser

    monkeypatch.setattr(browser, "CHROMIUM", str(tmp_path / "no-chromium"))
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=r"BROWSER TESTS NOT RUN: .*no-chromium is missing"):
        browser._skip_or_fail()
    monkeypatch.delenv("CI")
    with pytest.warns(UserWarning, match="BROWSER TESTS NOT RUN"), pytest.raises(pytest.skip.Exception):
        browser._skip_or_fail()


@pytest.mark.parametrize("name", ["exaggerated.html", "news-piece.txt", "blog-mostly-right.md"])
def test_an_article_keeps_its_sentences_in_order_in_its_paragraphs(name: str) -> None:
    from ldn_evidence.cache import load_cached

    article = Path(__file__).parent.parent / "articles" / name
    report = data.article_report(load_cached(None, use_cache=False), name, article.read_text(encoding="utf-8"))
    flat = [claim for paragraph in report["paragraphs"] for claim in paragraph]
    assert flat == report["claims"]  # every sentence once, in order
    assert 1 < len(report["paragraphs"]) < len(report["claims"]) or name.endswith(".html")
    assert all(len({c["line"] for c in p}) == 1 for p in report["paragraphs"]) or not name.endswith(".html")
    numbers = [c["number"] for c in flat if c["number"]]
    assert numbers == list(range(1, len(numbers) + 1))
