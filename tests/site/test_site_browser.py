"""`ldn site` in a real browser: Debian's headless Chromium, driven by Selenium through chromium-driver.

Every page of the shipped catalogue's site is opened at a phone's size (390 x 844) and a
desktop's (1280 x 800), served over HTTP from a local server as a static host would:
no console error, no failed request, no request to any other place, nothing scrolls
sideways, every internal link resolves, and axe-core (from its npm package, injected)
finds no serious or critical violation. The tests skip, saying why, only where no browser
is installed; with CI=true they fail instead (`.ci/run` installs what they need).
Set LDN_SITE_SHOTS to a folder to keep screenshots of the pages in SHOT_PAGES.
"""

from __future__ import annotations

import base64
import functools
import http.server
import os
import shutil
import threading
import urllib.request
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urlsplit

import pytest
from typer.testing import CliRunner

from ldn_evidence.cli import app

from conftest import ROOT
from site_helpers import hostile_catalogue, read_page

CHROMIUM = os.environ.get("LDN_CHROMIUM", "/usr/bin/chromium")
DRIVER = os.environ.get("LDN_CHROMEDRIVER", "/usr/bin/chromedriver")
AXE = Path(os.environ.get("LDN_AXE", ROOT / ".cache" / "npm" / "node_modules" / "axe-core" / "axe.min.js"))
WIDTHS = {"phone": (390, 844), "desktop": (1280, 800)}
#: axe-core impacts that fail a page.
FAILING_IMPACTS = ("serious", "critical")


def missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[test]')"
    for path, package in ((CHROMIUM, "chromium"), (DRIVER, "chromium-driver")):
        if not (os.path.isfile(path) and os.access(path, os.X_OK)):
            return f"{path} is missing: install Debian's {package} (apt-get install chromium chromium-driver)"
    if not AXE.is_file():
        return f"{AXE} is missing: npm install --prefix .cache/npm axe-core"
    return None


def _skip_or_fail() -> None:
    reason = missing()
    if reason is None:
        return
    message = f"BROWSER TESTS NOT RUN: {reason}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message + " (CI=true: the browser tests must run in CI)")
    warnings.warn(message, stacklevel=2)
    pytest.skip(message)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    """One headless Chromium for the module, logging the console."""
    _skip_or_fail()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--hide-scrollbars",
                     "--no-first-run", "--disable-extensions", "--disable-background-networking"):  # fmt: skip
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    browser = webdriver.Chrome(service=Service(DRIVER), options=options)
    browser.set_page_load_timeout(60)
    browser.set_script_timeout(120)
    try:
        yield browser
    finally:
        browser.quit()


def _serve(folder: Path) -> tuple[str, Callable[[], None]]:
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def stop() -> None:
        server.shutdown()
        server.server_close()

    return f"http://127.0.0.1:{server.server_address[1]}/", stop


def _build(out: Path, *args: str) -> Path:
    result = CliRunner().invoke(app, ["--no-cache", *args, "site", str(out)])
    assert result.exit_code == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """The shipped catalogue's site, and the address it is served at."""
    _skip_or_fail()
    folder = _build(tmp_path_factory.mktemp("browser") / "out")
    base, stop = _serve(folder)
    yield folder, base
    stop()


def _size(browser: Any, width: int, height: int, media: str = "") -> None:
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
    )
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": media})


_AXE_RUN = """
const done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ['violations']}).then(
  r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                     nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))),
  e => done([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}]));
"""


def _audit_page(browser: Any, url: str, axe: str) -> dict[str, Any]:
    browser.get_log("browser")  # drop what an earlier page left
    browser.get(url)
    found: dict[str, Any] = {}
    found["console"] = [e["message"] for e in browser.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
    found["resources"] = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => [e.name, e.responseStatus || 0])"
    )
    found["widths"] = browser.execute_script(
        "return [document.documentElement.scrollWidth, document.documentElement.clientWidth, window.innerWidth]"
    )
    found["links"] = browser.execute_script("return Array.from(document.querySelectorAll('a[href]'), a => a.href)")
    browser.execute_script(axe)
    found["axe"] = browser.execute_async_script(_AXE_RUN)
    found["console"] += [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    return found


@pytest.fixture(scope="module")
def audit(driver: Any, site: tuple[Path, str]) -> dict[str, dict[str, dict[str, Any]]]:
    """Every page at each width: what the browser saw."""
    folder, base = site
    axe = AXE.read_text(encoding="utf-8")
    pages = sorted(str(p.relative_to(folder)) for p in folder.rglob("*.html"))
    results: dict[str, dict[str, dict[str, Any]]] = {}
    for name, (width, height) in WIDTHS.items():
        _size(driver, width, height)
        results[name] = {page: _audit_page(driver, base + page, axe) for page in pages}
    shots = os.environ.get("LDN_SITE_SHOTS")
    if shots:
        _screenshots(driver, base, Path(shots))
    return results


#: The pages kept as screenshots: home, a retold study, a study no article retells, the search, an article.
SHOT_PAGES = (
    "index.html",
    "studies/ucsf-cree-rct.html",
    "studies/crohns-smith-2011-rct.html",
    "search.html",
    "articles/001-cfcaaea8c494e144.html",
)


def _screenshots(browser: Any, base: str, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, (width, height) in WIDTHS.items():
        _size(browser, width, height)
        for page in SHOT_PAGES:
            browser.get(base + page)
            tall = min(browser.execute_script("return document.documentElement.scrollHeight"), 4 * height)
            shot = browser.execute_cdp_cmd(
                "Page.captureScreenshot",
                {"format": "png", "captureBeyondViewport": True,
                 "clip": {"x": 0, "y": 0, "width": width, "height": tall, "scale": 1}},
            )  # fmt: skip
            stem = page.replace("/", "-").removesuffix(".html")
            (folder / f"{name}-{stem}.png").write_bytes(base64.b64decode(shot["data"]))


def test_every_page_is_audited(audit: dict[str, dict[str, dict[str, Any]]], site: tuple[Path, str]) -> None:
    folder, _ = site
    pages = len(list(folder.rglob("*.html")))
    assert pages > 30
    assert {name: len(found) for name, found in audit.items()} == dict.fromkeys(WIDTHS, pages)


@pytest.mark.parametrize("width", list(WIDTHS))
def test_no_page_logs_a_console_error(audit: dict[str, dict[str, dict[str, Any]]], width: str) -> None:
    assert {page: found["console"] for page, found in audit[width].items() if found["console"]} == {}


@pytest.mark.parametrize("width", list(WIDTHS))
def test_no_request_fails_or_leaves_the_site(
    audit: dict[str, dict[str, dict[str, Any]]], site: tuple[Path, str], width: str
) -> None:
    _, base = site
    bad = {
        page: [(name, status) for name, status in found["resources"] if not name.startswith(base) or status >= 400]
        for page, found in audit[width].items()
    }
    assert {page: items for page, items in bad.items() if items} == {}
    assert all(found["resources"] for found in audit[width].values())  # the stylesheet, at least, was fetched


@pytest.mark.parametrize("width", list(WIDTHS))
def test_nothing_scrolls_sideways(audit: dict[str, dict[str, dict[str, Any]]], width: str) -> None:
    expected = WIDTHS[width][0]
    wide = {page: found["widths"] for page, found in audit[width].items() if found["widths"][0] > found["widths"][1]}
    assert wide == {}
    assert all(found["widths"][2] == expected for found in audit[width].values())


@pytest.mark.parametrize("width", list(WIDTHS))
def test_axe_finds_no_serious_or_critical_violation(audit: dict[str, dict[str, dict[str, Any]]], width: str) -> None:
    failing = {
        page: [v for v in found["axe"] if v["impact"] in FAILING_IMPACTS] for page, found in audit[width].items()
    }
    assert {page: items for page, items in failing.items() if items} == {}


def test_nothing_scrolls_sideways_at_320_or_1440(driver: Any, site: tuple[Path, str]) -> None:
    folder, base = site
    pages = sorted(str(p.relative_to(folder)) for p in folder.rglob("*.html"))
    wide = []
    try:
        for width in (320, 1440):
            _size(driver, width, 800)
            for page in pages:
                driver.get(base + page)
                sizes = driver.execute_script(
                    "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
                )
                if sizes[0] > sizes[1]:
                    wide.append((width, page, sizes))
    finally:
        _size(driver, *WIDTHS["desktop"])
    assert wide == []


def test_axe_is_awake_and_finds_a_planted_violation(driver: Any, site: tuple[Path, str]) -> None:
    _, base = site
    _size(driver, *WIDTHS["desktop"])
    driver.get(base + "index.html")
    driver.execute_script(
        "document.querySelector('main').appendChild(document.createElement('img')).src = 'favicon.svg'"
    )
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    found = driver.execute_async_script(_AXE_RUN)
    assert any(v["id"] == "image-alt" and v["impact"] in FAILING_IMPACTS for v in found)


def test_every_internal_link_resolves_in_the_browser(
    audit: dict[str, dict[str, dict[str, Any]]], site: tuple[Path, str]
) -> None:
    _, base = site
    targets = {link for found in audit["desktop"].values() for link in found["links"] if link.startswith(base)}
    assert len(targets) > 50
    bodies: dict[str, Any] = {}
    broken = []
    for target in sorted(targets):
        address, fragment = urldefrag(target)
        if address not in bodies:
            try:
                with urllib.request.urlopen(address, timeout=10) as response:  # our own local server
                    bodies[address] = response.read().decode("utf-8", "replace")
            except OSError as exc:
                bodies[address] = None
                broken.append(f"{target}: {exc}")
        body = bodies[address]
        if body is not None and fragment and urlsplit(address).path.endswith(".html"):
            page = read_page_text(body)
            if fragment not in page:
                broken.append(f"{target}: no element with that id")
    assert broken == []


def read_page_text(html: str) -> set[str]:
    """The element ids of a page's HTML."""
    from site_helpers import Page

    page = Page()
    page.feed(html)
    return page.ids


def test_the_site_works_opened_from_disk(driver: Any, site: tuple[Path, str]) -> None:
    folder, _ = site
    _size(driver, *WIDTHS["phone"])
    driver.get_log("browser")
    driver.get((folder / "index.html").as_uri())
    assert [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"] == []
    # The stylesheet applied: the header has its colour, not the browser's default.
    colour = driver.execute_script("return getComputedStyle(document.querySelector('header.top')).backgroundColor")
    assert colour not in ("rgba(0, 0, 0, 0)", "transparent")


def test_the_filter_hides_rows_and_reading_needs_no_script(driver: Any, site: tuple[Path, str]) -> None:
    folder, base = site
    from selenium.webdriver.common.by import By

    html = (folder / "studies.html").read_text(encoding="utf-8")
    rows = html.count("<tr>") - 1
    _size(driver, *WIDTHS["desktop"])
    driver.get(base + "studies.html")
    box = driver.find_element(By.CSS_SELECTOR, "input[data-filter]")
    assert box.is_displayed()
    box.send_keys("fibromyalgia")
    shown = driver.execute_script(
        "return Array.from(document.querySelectorAll('#studies-table tbody tr'))"
        ".filter(r => !r.hidden).map(r => r.textContent)"
    )
    assert 0 < len(shown) < rows and all("fibromyalgia" in text.lower() for text in shown)
    assert "hidden><label>Filter" in html  # without the script the box stays hidden and every row shows


def test_the_print_stylesheet_drops_the_navigation(driver: Any, site: tuple[Path, str]) -> None:
    _, base = site
    _size(driver, *WIDTHS["desktop"], media="print")
    try:
        driver.get(base + "studies/ucsf-cree-rct.html")
        shown = driver.execute_script("return getComputedStyle(document.querySelector('header.top')).display")
        assert shown == "none"
    finally:
        _size(driver, *WIDTHS["desktop"])


def test_the_margin_notes_sit_beside_the_text_on_a_desktop_and_below_it_on_a_phone(
    driver: Any, site: tuple[Path, str]
) -> None:
    _, base = site
    where = """const p = document.querySelector('.para .margin').parentElement;
               const t = p.querySelector('.text').getBoundingClientRect(), m = p.querySelector('.margin').getBoundingClientRect();
               return [t.left, t.right, t.top, t.bottom, m.left, m.top];"""  # noqa: E501
    _size(driver, *WIDTHS["desktop"])
    driver.get(base + "articles/001-cfcaaea8c494e144.html")
    _, text_right, text_top, _, margin_left, margin_top = driver.execute_script(where)
    assert margin_left >= text_right and abs(margin_top - text_top) < 40
    _size(driver, *WIDTHS["phone"])
    driver.get(base + "articles/001-cfcaaea8c494e144.html")
    text_left, _, _, text_bottom, margin_left, margin_top = driver.execute_script(where)
    assert margin_top >= text_bottom and abs(margin_left - text_left) < 2


FOREST = [
    {"condition": "fibromyalgia", "measure": "pain", "ratio": False, "rows": [
        {"label": "MD", "point": -0.9, "low": -1.6, "high": -0.2, "null": 0.0, "study": "fibromyalgia-pilot",
         "publication": "p", "size": "MD -0.9 (95% CI -1.6 to -0.2)", "scale": "0-10 pain", "timepoint": "12 weeks",
         "excerpt": "An excerpt <b>with markup</b>.", "page": "https://example.org/a"},
        {"label": "MD", "point": 0.1, "low": -0.5, "high": 0.7, "null": 0.0, "study": "fibromyalgia-cytokines",
         "publication": "q", "size": "MD 0.1 (95% CI -0.5 to 0.7)", "scale": None, "timepoint": None,
         "excerpt": "Another.", "page": "javascript:alert(1)"},
    ]},
]  # fmt: skip


def test_a_search_flow_and_forest_plots_pass_the_same_checks(
    driver: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ldn_evidence.site import data

    monkeypatch.setattr(data, "forest_rows", lambda records: FOREST)
    folder = _build(tmp_path / "out")
    base, stop = _serve(folder)
    axe = AXE.read_text(encoding="utf-8")
    try:
        for width in WIDTHS.values():
            _size(driver, *width)
            for page in ("search.html", "effects.html", "index.html"):
                found = _audit_page(driver, base + page, axe)
                assert found["console"] == [], page
                assert found["widths"][0] <= found["widths"][1], page
                assert [v for v in found["axe"] if v["impact"] in FAILING_IMPACTS] == [], page
        driver.get(base + "search.html")
        assert driver.execute_script("return document.querySelectorAll('svg.flow-wide rect.box').length") == 4
        driver.get(base + "effects.html")
        assert driver.execute_script("return document.querySelectorAll('svg.forest rect.point').length") == 2
        assert "<b>with markup</b>" in driver.execute_script("return document.body.innerText")
    finally:
        stop()


def test_hostile_catalogue_text_runs_nothing_in_the_browser(
    driver: Any, write_catalogue: Callable[[str], Path], tmp_path: Path
) -> None:
    path = write_catalogue(hostile_catalogue())
    folder = _build(tmp_path / "out", "--data", str(path))
    base, stop = _serve(folder)
    try:
        for width in WIDTHS.values():
            _size(driver, *width)
            for page in sorted(str(p.relative_to(folder)) for p in folder.rglob("*.html")):
                driver.get_log("browser")
                driver.get(base + page)
                assert driver.execute_script("return window.__pwned === undefined"), page
                assert driver.execute_script("return document.querySelectorAll('img').length") == 0, page
                hrefs = driver.execute_script("return Array.from(document.links, a => a.protocol)")
                assert set(hrefs) <= {"http:", "https:"}, page
                assert [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"] == [], page
        driver.get(base + "studies/evil.html")
        title = driver.title
        assert title.startswith("</title><script>window.__pwned = 1</script>") and "\\u202eevil\\u202c" in title
        text = driver.execute_script("return document.body.innerText")
        assert "\u202e" not in text and "javascript:window.__pwned = 3" in text
        wide = driver.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert wide <= 0
        assert read_page(folder / "studies" / "evil.html").csp is not None
    finally:
        stop()
        shutil.rmtree(folder, ignore_errors=True)
