"""Fixtures for the browser test of the built website (see sitecheck.py).

If no Chromium is found the tests FAIL with a message saying how to install it;
with no built site they fail too.  They never skip.  Every page is loaded once
and its ``PageReport`` is cached, so the per-page tests only inspect reports.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from typing import Any

import pytest
from sitecheck import (
    CHROMIUM_ARGS,
    NO_CHROMIUM,
    NO_CHROMIUM_SHORT,
    NO_SITE,
    PAGES,
    SITE_DIR,
    PageReport,
    QuietHandler,
    Site,
    find_chromium,
    load_pages,
)

PARALLEL_PAGES = 6  # pages loading at once in the one browser


def pytest_report_header(config: pytest.Config) -> list[str]:
    chromium = find_chromium()
    return [
        f"lossbook site: {SITE_DIR} ({len(PAGES)} pages)",
        f"chromium: {chromium or 'NOT FOUND (tests will fail)'}",
    ]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "page_path" in metafunc.fixturenames:
        # With no built site, parametrize with a placeholder that fails loudly
        # (an empty parametrization would be reported as a skip).
        metafunc.parametrize("page_path", PAGES or ["<no built site>"])


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if find_chromium() is None:
        terminalreporter.write(NO_CHROMIUM, red=True, bold=True)
    if not PAGES:
        terminalreporter.write(NO_SITE.format(site=SITE_DIR), red=True, bold=True)


@pytest.fixture(scope="session")
def site() -> Iterator[Site]:
    if not PAGES:
        pytest.fail(f"no built site at {SITE_DIR}: run `make book` (see the banner below)", False)
    handler = functools.partial(QuietHandler, directory=str(SITE_DIR))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Site(SITE_DIR, f"http://127.0.0.1:{port}/", f"127.0.0.1:{port}")
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    chromium = find_chromium()
    if chromium is None:
        pytest.fail(NO_CHROMIUM_SHORT, pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def page_reports(browser: Any, site: Site) -> dict[str, PageReport]:
    """Cache: each page is loaded once and shared by all the per-page tests."""
    return {}


@pytest.fixture
def report(
    page_path: str, browser: Any, site: Site, page_reports: dict[str, PageReport]
) -> PageReport:
    if page_path not in page_reports:
        # Load this page and the next few not yet loaded, in parallel in one browser.
        todo = [p for p in PAGES[PAGES.index(page_path) :] if p not in page_reports]
        page_reports.update(load_pages(browser, site, todo[:PARALLEL_PAGES]))
    return page_reports[page_path]
