"""The built website, checked in headless Chromium (see conftest.py and issue 4).

Run with `make site-test` (builds the book first), or against another build:
    LOSSBOOK_SITE_DIR=/path/to/_build/html .venv/bin/pytest tests/site -p no:cacheprovider

Every page of the book must be self-contained: MathJax typesets every formula
from the site's own copy, every image loads, no request leaves 127.0.0.1, the
console stays clean and every internal link resolves.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from functools import cache
from html.parser import HTMLParser
from typing import Any
from urllib.parse import unquote, urldefrag, urlsplit

import pytest
import yaml
from sitecheck import (
    NO_CHROMIUM,
    PAGES,
    REPO,
    SCREENSHOT_DIR,
    PageReport,
    Site,
    find_chromium,
    load_page,
)

ENTROPY_PAGE = "en/chapters/02_entropy.html"
ZH = "zh_CN"

# TeX that MathJax should have replaced; searched in the page text outside code.
RAW_TEX = [
    re.compile(r"\$\$"),
    re.compile(r"\\\("),
    re.compile(r"\\\["),
    re.compile(r"\\begin\{"),
    # inline $...$ left raw, e.g. "$H(p)$" or "$\log$" (but not "$5 or $10")
    re.compile(r"(?<![\w$])\$[A-Za-z\\{][^$\n]{0,80}\$(?![\w$])"),
    # an opening $ whose math Markdown broke apart (say, a line starting with "+ " became
    # a list item), so no closing $ follows: "$D_{", "$\log", "$x^{"
    re.compile(r"(?<![\w$])\$[A-Za-z]*[\\_^{]"),
    # TeX commands in the visible text
    re.compile(
        r"\\(?:frac|sum|prod|mathrm|mathbb|mathcal|log|ln|cdot|left|right|sqrt|partial)(?![A-Za-z])"
    ),
]


def _fmt(items: list[Any], limit: int = 15) -> str:
    lines = [f"  - {item}" for item in items[:limit]]
    if len(items) > limit:
        lines.append(f"  ... and {len(items) - limit} more")
    return "\n".join(lines)


# ---------------------------------------------------------------- setup


def test_chromium_is_installed() -> None:
    """Fails (never skips) without a browser, saying how to install one."""
    if find_chromium() is None:
        pytest.fail(NO_CHROMIUM, pytrace=False)


# ---------------------------------------------------------------- per page


def test_math_is_typeset(report: PageReport) -> None:
    math = report.math
    if math["math_elements"]:
        assert report.mathjax_error is None, (
            f"{report.path}: {math['math_elements']} formulas but {report.mathjax_error}"
        )
        assert str(report.mathjax_version).startswith("3."), report.mathjax_version
        assert math["mjx_containers"] > 0, f"{report.path}: MathJax typeset nothing"
    assert not math["untypeset"], (
        f"{report.path}: {len(math['untypeset'])} math elements not typeset by MathJax:\n"
        + _fmt(math["untypeset"])
    )
    assert not math["merrors"], f"{report.path}: MathJax TeX errors:\n" + _fmt(math["merrors"])
    raw = []
    for pattern in RAW_TEX:
        for m in pattern.finditer(math["text"]):
            start = max(m.start() - 30, 0)
            raw.append(repr(math["text"][start : m.end() + 30]))
    assert not raw, f"{report.path}: raw TeX left in the page text (outside code):\n" + _fmt(raw)


# The benchmarks appendix includes benchmarks/RESULTS.md, which `make bench`
# writes in English; the catalogs keep its messages in English on purpose.
ENGLISH_BY_DESIGN = {"zh_CN/chapters/a4_benchmarks.html"}


def test_chinese_pages_are_in_chinese(report: PageReport) -> None:
    """Every paragraph of a Chinese page holds Chinese (a catalog that failed to apply does not)."""
    if not report.path.startswith("zh_CN/") or report.path in ENGLISH_BY_DESIGN:
        return
    assert not report.english_blocks, (
        f"{report.path}: {len(report.english_blocks)} blocks of prose with no Chinese:\n"
        + _fmt(report.english_blocks)
    )


def test_images_load(report: PageReport) -> None:
    broken = [img["src"] for img in report.images if not img["naturalWidth"]]
    assert not broken, f"{report.path}: images that did not load (naturalWidth 0):\n" + _fmt(broken)


def test_no_request_leaves_the_site(report: PageReport) -> None:
    assert not report.external_requests, (
        f"{report.path}: requests to hosts other than 127.0.0.1 (blocked by the test):\n"
        + _fmt(sorted(set(report.external_requests)))
    )
    assert not report.failed_requests, f"{report.path}: failed local requests:\n" + _fmt(
        report.failed_requests
    )


def test_no_console_errors(report: PageReport) -> None:
    errors = report.console_errors + [f"uncaught: {e}" for e in report.page_errors]
    assert not errors, f"{report.path}: console errors:\n" + _fmt(errors)


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" or (tag == "a" and name == "name"):
                if value:
                    self.ids.add(value)


@cache
def _fetch(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:
            return resp.status, resp.read(), resp.headers.get_content_type()
    except urllib.error.HTTPError as exc:
        return exc.code, b"", ""


@cache
def _anchors(url: str) -> frozenset[str]:
    parser = _Anchors()
    parser.feed(_fetch(url)[1].decode("utf-8", errors="replace"))
    return frozenset(parser.ids)


def test_internal_links_resolve(report: PageReport, site: Site) -> None:
    broken = []
    for href in sorted(set(report.links)):
        if not site.is_local(href) or urlsplit(href).scheme not in ("http", "https"):
            continue
        target, fragment = urldefrag(href)
        fragment = unquote(fragment)  # a browser decodes %E7%AC%A6 to the id it names
        status, _body, ctype = _fetch(target)
        if status != 200:
            broken.append(f"{href} -> HTTP {status}")
        elif fragment and ctype == "text/html" and fragment not in _anchors(target):
            broken.append(f"{href} -> no id {fragment!r} on the target page")
    assert not broken, f"{report.path}: internal links that do not resolve:\n" + _fmt(broken)


def test_download_button_gives_the_notebook(report: PageReport, site: Site) -> None:
    edition, _, page = report.path.partition("/")
    source = site.root / edition / "_sources" / (page.removesuffix(".html") + ".ipynb")
    if not source.is_file():
        return  # a Markdown page: its download button offers the .md source
    assert report.download_links, f"{report.path}: no .ipynb download link"
    for href in report.download_links:
        status, body, _ = _fetch(href)
        assert status == 200, f"{report.path}: download link {href} -> HTTP {status}"
        notebook = json.loads(body)
        assert notebook.get("cells"), f"{href} is not a notebook"


# ---------------------------------------------------------------- whole site


def _config() -> dict[str, Any]:
    with open(REPO / "_config.yml", encoding="utf-8") as fh:
        return dict(yaml.safe_load(fh))


def test_root_index_redirects_to_a_page(browser: Any, site: Site) -> None:
    context = browser.new_context()
    try:
        context.route(
            "**/*", lambda r: r.continue_() if site.is_local(r.request.url) else r.abort()
        )
        page = context.new_page()
        page.goto(site.url("index.html"))
        page.wait_for_url(lambda url: not url.endswith("/index.html"), timeout=10_000)
        page.wait_for_load_state("load")
        target = page.url.removeprefix(site.base_url)
        assert target in PAGES, f"index.html leads to {target!r}, not a page of the book"
        assert page.locator("main").count() == 1
    finally:
        context.close()


def _edition() -> dict[str, Any]:
    with open(REPO / "locale" / ZH / "edition.yml", encoding="utf-8") as fh:
        return dict(yaml.safe_load(fh))


@pytest.mark.parametrize("edition", ["en", ZH])
def test_site_metadata(browser: Any, site: Site, edition: str) -> None:
    cfg = _config()
    context, page, rep = load_page(browser, site, f"{edition}/intro.html")
    try:
        title = cfg["title"] if edition == "en" else _edition()["title"]
        assert title in page.title(), page.title()
        footer = page.locator("footer.bd-footer-content").inner_text()
        assert cfg["author"] in footer, f"author missing from the footer: {footer!r}"
        assert re.fullmatch(r"(\d{4}[-–])?20\d\d", str(cfg["copyright"])), cfg["copyright"]
        assert f"Copyright {cfg['copyright']}" in footer, f"copyright missing: {footer!r}"
        icons = page.eval_on_selector_all("link[rel~='icon']", "els => els.map(e => e.href)")
        assert icons, "no favicon <link rel=icon>"
        for href in icons:
            status, body, _ = _fetch(href)
            assert status == 200, f"favicon {href} -> HTTP {status}"
            assert body.startswith(b"\x89PNG"), f"favicon {href} is not a PNG"
        # Launch/live-code buttons need the network: they are off.
        launch = page.locator(".dropdown-launch-buttons, .thebe-launch-button, a[href*='binder']")
        assert launch.count() == 0, "a launch button (Binder/Colab/Thebe) is on the page"
    finally:
        context.close()


@pytest.mark.parametrize("edition, word", [("en", "entropy"), (ZH, "交叉熵"), (ZH, "损失")])
def test_search_works_over_http(browser: Any, site: Site, edition: str, word: str) -> None:
    """The English search, and the Chinese one (segmented with jieba when the site is built)."""
    context, page, rep = load_page(browser, site, f"{edition}/search.html?q={word}")
    try:
        results = page.locator("#search-results ul.search li")
        results.first.wait_for(timeout=15_000)
        assert results.count() > 0, f"search for {word!r} in {edition} found nothing"
        first = results.first.locator("a").first.get_attribute("href")
        assert first and ".html" in first, first
        assert not rep.external_requests, _fmt(rep.external_requests)
        assert not rep.console_errors + rep.page_errors
    finally:
        context.close()


@pytest.mark.parametrize("start, other", [("en", ZH), (ZH, "en")])
def test_switcher_lands_on_the_same_page(browser: Any, site: Site, start: str, other: str) -> None:
    """The language switcher (pydata's version switcher) opens the same chapter."""
    context, page, rep = load_page(browser, site, f"{start}/chapters/02_entropy.html")
    try:
        page.locator(".version-switcher__button").first.click()
        entries = page.locator(f".version-switcher__menu a[data-version='{other}']")
        if not entries.count():
            entries = page.locator(".version-switcher__menu a").filter(
                has_text="English" if other == "en" else _edition()["switcher_name"]
            )
        entries.first.click()
        page.wait_for_url(f"**/{other}/chapters/02_entropy.html", timeout=10_000)
        assert page.locator("main").count() == 1
        assert not rep.console_errors + rep.page_errors, rep.console_errors + rep.page_errors
    finally:
        context.close()


def _entropy_page(site: Site) -> str:
    if not (site.root / ENTROPY_PAGE).is_file():
        pytest.fail(f"{ENTROPY_PAGE} is not in the build at {site.root}", pytrace=False)
    return ENTROPY_PAGE


def test_screenshot_of_the_entropy_chapter(browser: Any, site: Site) -> None:
    """Saves _build/screenshots/02_entropy.png for a person to look at."""
    context, page, rep = load_page(browser, site, _entropy_page(site))
    try:
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        out = SCREENSHOT_DIR / "02_entropy.png"
        page.screenshot(path=str(out), full_page=True)
        assert out.stat().st_size > 10_000
        assert rep.math["mjx_containers"] > 0, "the entropy chapter shows no typeset formula"
        assert any(img["naturalWidth"] for img in rep.images), "the entropy chapter has no plot"
    finally:
        context.close()


def test_figures_readable_in_dark_mode(browser: Any, site: Site) -> None:
    """In dark mode, plots (drawn on white) keep a light backing; saves a dark screenshot."""
    context, page, rep = load_page(browser, site, _entropy_page(site), color_scheme="dark")
    try:
        assert page.evaluate("document.documentElement.dataset.theme") == "dark"
        backgrounds = page.eval_on_selector_all(
            ".cell_output img, figure img",
            "els => els.map(e => [e.src, getComputedStyle(e).backgroundColor])",
        )
        assert backgrounds, "no figure on the entropy page"
        dark = [src for src, bg in backgrounds if bg != "rgb(255, 255, 255)"]
        assert not dark, "figures without a light backing in dark mode:\n" + _fmt(dark)
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT_DIR / "02_entropy-dark.png"), full_page=True)
    finally:
        context.close()
