"""Helpers for the browser test of the built website (used by conftest.py and test_site.py).

The built site (default ``_build/html``, or ``$LOSSBOOK_SITE_DIR``) is served by
``http.server`` on 127.0.0.1 and opened in headless Chromium, driven by
playwright's sync API with ``executable_path`` (Debian's ``chromium`` package;
``playwright install`` is not needed).  ``load_page`` opens one page
(``load_pages`` several at once, in parallel), blocks and records every request
that would leave 127.0.0.1, waits for MathJax and collects what the tests check
into a ``PageReport``.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[2]


SITE_DIR = Path(os.environ.get("LOSSBOOK_SITE_DIR", REPO / "_build" / "html")).resolve()


SCREENSHOT_DIR = Path(
    os.environ.get("LOSSBOOK_SCREENSHOT_DIR", REPO / "_build" / "screenshots")
).resolve()


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


NO_CHROMIUM = """
==========================================================================
 NO CHROMIUM FOUND: the browser test of the website cannot run.

 Install Debian's Chromium (this is what CI does):

     sudo apt-get update && sudo apt-get install -y chromium

 or point CHROMIUM_PATH at a Chromium/Chrome binary:

     CHROMIUM_PATH=/path/to/chromium make site-test

 Looked for: $CHROMIUM_PATH if set, else /usr/bin/chromium, `chromium`
 and `chromium-browser` on PATH.  This is a failure, not a skip.
==========================================================================
"""


NO_CHROMIUM_SHORT = (
    "no Chromium found: `sudo apt-get install -y chromium` or set CHROMIUM_PATH"
    " (see the banner at the end of the output)"
)

NO_SITE = """
==========================================================================
 NO BUILT SITE at {site}
 Build it first (`make book`), or set LOSSBOOK_SITE_DIR to a built
 _build/html directory.
==========================================================================
"""


# The editions, side by side under the site root (tests/tools/i18n.py assemble).
EDITIONS = ("en", "zh_CN")

# Directories of the built site that hold assets, not pages.
NON_PAGE_DIRS = {"_static", "_sources", "_images", "mathjax", "_downloads"}


def find_chromium() -> str | None:
    """$CHROMIUM_PATH if set (and then only it), else Debian's chromium."""
    explicit = os.environ.get("CHROMIUM_PATH")
    candidates = (
        [explicit]
        if explicit
        else ["/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")]
    )
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def is_redirect_stub(path: Path) -> bool:
    """Sphinx's root index.html is only a <meta http-equiv="Refresh"> to the root page."""
    head = path.read_text(encoding="utf-8", errors="replace")[:2000].lower()
    return 'http-equiv="refresh"' in head and "<body" not in head


def discover_pages() -> list[str]:
    """Every HTML page of both editions, relative to the site root ("en/intro.html")."""
    pages = []
    for edition in EDITIONS:
        root = SITE_DIR / edition
        if not (root / "index.html").is_file():
            continue
        for path in sorted(root.rglob("*.html")):
            rel = path.relative_to(root)
            if rel.parts[0] in NON_PAGE_DIRS or is_redirect_stub(path):
                continue
            pages.append(f"{edition}/{rel.as_posix()}")
    return pages


PAGES = discover_pages()


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass
class Site:
    root: Path
    base_url: str  # "http://127.0.0.1:PORT/"
    host: str  # "127.0.0.1:PORT"

    def url(self, rel: str) -> str:
        return self.base_url + rel

    def is_local(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about"):
            return True
        return parts.scheme in ("http", "https") and parts.netloc == self.host


@dataclass(repr=False)
class PageReport:
    path: str
    external_requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    mathjax_version: str | None = None
    mathjax_error: str | None = None
    math: dict[str, Any] = field(default_factory=dict)
    images: list[dict[str, Any]] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    download_links: list[str] = field(default_factory=list)
    english_blocks: list[str] = field(default_factory=list)  # prose with no CJK character

    def __repr__(self) -> str:  # keeps pytest's assertion messages short
        return f"PageReport({self.path!r})"


# Collected in the browser after MathJax has finished.
_COLLECT_JS = r"""
() => {
  const mathEls = Array.from(document.querySelectorAll('.math'));
  const untypeset = mathEls
    .filter(el => !el.querySelector('mjx-container'))
    .map(el => el.textContent.trim().slice(0, 80));
  // Text outside code: code cells may legitimately contain "$" or "\(".
  const clone = document.body.cloneNode(true);
  clone.querySelectorAll('pre, code, script, style, textarea, mjx-container, .highlight')
       .forEach(el => el.remove());
  const text = clone.textContent;
  return {
    math_elements: mathEls.length,
    mjx_containers: document.querySelectorAll('mjx-container').length,
    merrors: Array.from(document.querySelectorAll('mjx-merror'))
      .map(el => el.getAttribute('data-mjx-error') || el.textContent.slice(0, 80)),
    untypeset: untypeset,
    text: text,
    images: Array.from(document.images).map(img => ({
      src: img.currentSrc || img.src,
      complete: img.complete,
      naturalWidth: img.naturalWidth,
    })),
    links: Array.from(document.querySelectorAll('a[href]')).map(a => a.href),
    downloads: Array.from(document.querySelectorAll('a[href$=".ipynb"]')).map(a => a.href),
    english_blocks: englishBlocks(),
  };

  // Blocks of the article's prose (a paragraph, list item, table cell, ...) written
  // in Latin letters only: on a Chinese page, an untranslated paragraph.  Code,
  // outputs, formulas and the bibliography are not prose.
  function englishBlocks() {
    const article = document.querySelector('article') || document.body;
    const skip = 'pre, code, script, style, mjx-container, .math, .cell_output, '
      + '.bibliography, .citation, .headerlink, .sig';
    const blocks = new Map();
    const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || parent.closest(skip)) continue;
      const block = parent.closest('p, li, td, th, dt, dd, h1, h2, h3, h4, caption, figcaption');
      if (block) blocks.set(block, (blocks.get(block) || '') + node.textContent);
    }
    const found = [];
    for (const text of blocks.values()) {
      const latin = (text.match(/[A-Za-z]/g) || []).length;
      if (latin >= 30 && !/[\u3400-\u9fff]/.test(text)) found.push(text.trim().slice(0, 100));
    }
    return found;
  }
}
"""


def load_page(
    browser: Any, site: Site, path: str, **context_args: Any
) -> tuple[Any, Any, PageReport]:
    """Open ``path`` in a fresh context; block and record every non-local request.

    Returns (context, page, report); the caller closes the context.
    """
    context, page, report = start_page(browser, site, path, **context_args)
    finish_page(page, report)
    return context, page, report


def load_pages(browser: Any, site: Site, paths: list[str]) -> dict[str, PageReport]:
    """Load several pages at once in one browser: all start, then each is finished.

    Chromium loads and typesets them in parallel while the script waits on one.
    """
    started = [start_page(browser, site, path) for path in paths]
    reports = {}
    for context, page, report in started:
        finish_page(page, report)
        context.close()
        reports[report.path] = report
    return reports


def start_page(
    browser: Any, site: Site, path: str, **context_args: Any
) -> tuple[Any, Any, PageReport]:
    """A fresh context with the request and console recorders, navigating to ``path``."""
    report = PageReport(path)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, **context_args)

    def route(route: Any) -> None:
        if site.is_local(route.request.url):
            route.continue_()
        else:
            route.abort()  # so an offline CDN cannot hang the test

    context.route("**/*", route)
    page = context.new_page()
    page.set_default_timeout(20_000)

    def on_request(req: Any) -> None:
        if not site.is_local(req.url):
            report.external_requests.append(req.url)

    def on_request_failed(req: Any) -> None:
        if site.is_local(req.url):  # external ones are aborted on purpose
            report.failed_requests.append(f"{req.url} ({req.failure})")

    def on_response(resp: Any) -> None:
        if resp.status >= 400:
            report.failed_requests.append(f"{resp.url} (HTTP {resp.status})")

    def on_console(msg: Any) -> None:
        if msg.type == "error":
            report.console_errors.append(f"{msg.text} @ {msg.location.get('url', '')}")

    page.on("request", on_request)
    page.on("requestfailed", on_request_failed)
    page.on("response", on_response)
    page.on("console", on_console)
    page.on("pageerror", lambda exc: report.page_errors.append(str(exc)))

    page.goto(site.url(path), wait_until="commit")
    return context, page, report


def finish_page(page: Any, report: PageReport) -> None:
    """Wait for the page, MathJax and the images, then collect what the tests check."""
    page.wait_for_load_state("load")
    # Sphinx adds MathJax (with `defer`) only to pages with math; where it is
    # there, wait for its first typeset.
    mathjax_script = page.evaluate(
        "() => document.querySelector('script[src*=\"mathjax\" i]') !== null"
    )
    if mathjax_script:
        # Poll rather than wait blindly: if the MathJax request was blocked or
        # failed, say so at once instead of timing out.
        deadline = time.monotonic() + 15
        while not page.evaluate(
            "() => !!(window.MathJax && MathJax.startup && MathJax.startup.promise)"
        ):
            blocked = [
                u
                for u in report.external_requests + report.failed_requests
                if "mathjax" in u.lower()
            ]
            if blocked or time.monotonic() > deadline:
                report.mathjax_error = "MathJax did not load" + (
                    f" (request blocked or failed: {blocked[0]})" if blocked else " in 15 s"
                )
                break
            page.wait_for_timeout(100)
        else:
            report.mathjax_version = page.evaluate(
                "async () => { await MathJax.startup.promise; return MathJax.version; }"
            )
    else:
        report.mathjax_error = "no MathJax <script> on the page"
    # Load lazy images too, then wait until every image has settled.
    page.evaluate("() => document.querySelectorAll('img').forEach(i => { i.loading = 'eager'; })")
    try:
        page.wait_for_function(
            "() => Array.from(document.images).every(i => i.complete)", timeout=10_000
        )
    except Exception:  # the image test reports which ones
        pass
    page.wait_for_load_state("networkidle")
    data = page.evaluate(_COLLECT_JS)
    report.math = {k: data[k] for k in ("math_elements", "mjx_containers", "merrors", "untypeset")}
    report.math["text"] = data["text"]
    report.images = data["images"]
    report.links = data["links"]
    report.download_links = data["downloads"]
    report.english_blocks = data["english_blocks"]
