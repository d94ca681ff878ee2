"""Helpers for the JupyterLab test (used by conftest.py and test_lab.py).

The reader's copy (tests/tools/reader_edition.py) is written to a temporary
folder and served by a JupyterLab started on 127.0.0.1 with a token, from the
pinned `lab` extra (jupyterlab-myst renders the Markdown).  Each notebook is
opened in headless Chromium in JupyterLab's single-document view, its rendered
Markdown is read, then Run All executes it in a fresh kernel.  Two notebooks
run at a time, in two pages of one browser.  Everything a test checks goes
into a ``LabReport``.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "site"))
sys.path.insert(0, str(REPO / "tests" / "tools"))

import reader_edition  # noqa: E402
from sitecheck import CHROMIUM_ARGS, SCREENSHOT_DIR, find_chromium  # noqa: E402

JUPYTER = Path(sys.executable).parent / "jupyter"
TOKEN = "lossbook-lab-test"
RUN_TIMEOUT_S = 180
# Settings for the test's JupyterLab: every cell rendered (no windowing, so the
# test sees the whole notebook), no news or update checks (they would leave the machine).
SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}

# What must never show in a rendered Markdown cell.
RAW_MYST = [
    (re.compile(r"\{[a-z][a-z:\-]*\}`"), "a MyST role"),
    (re.compile(r"^:::", re.M), "a ::: fence"),
    (re.compile(r"^```", re.M), "a ``` fence"),
    (re.compile(r"^\([\w\-]+\)=\s*$", re.M), "a (label)= line"),
    (re.compile(r"\{glue"), "a glue role"),
]
GLUE_ROLE = re.compile(r"\{glue:text\}`([^`]*)`")


@dataclass
class LabReport:
    path: str
    markdown: list[str] = field(default_factory=list)
    glue_keys: list[str] = field(default_factory=list)  # the role bodies in the source
    code_cells: int = 0
    executed: list[str] = field(default_factory=list)  # input prompts after Run All
    bad_outputs: list[str] = field(default_factory=list)  # stderr and error outputs
    off_site: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    myst_errors: list[str] = field(default_factory=list)
    timed_out: bool = False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Lab:
    """A JupyterLab server on 127.0.0.1, started in its own process group, stopped by its PID."""

    def __init__(self, root: Path, settings_dir: Path, log: Path) -> None:
        for name, value in SETTINGS.items():
            path = settings_dir / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(value), encoding="utf-8")
        self.port = free_port()
        env = dict(
            os.environ,
            JUPYTERLAB_SETTINGS_DIR=str(settings_dir),
            JUPYTER_CONFIG_DIR=str(settings_dir / "config"),
            TF_CPP_MIN_LOG_LEVEL="3",
            TF_ENABLE_ONEDNN_OPTS="0",
        )
        args = [str(JUPYTER), "lab", "--no-browser", f"--port={self.port}", "--ip=127.0.0.1"]
        args += [f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={root}"]
        if os.geteuid() == 0:
            args.append("--allow-root")
        self.log = log
        self.proc = subprocess.Popen(
            args, stdout=log.open("w"), stderr=subprocess.STDOUT, env=env, start_new_session=True
        )
        self.base = f"http://127.0.0.1:{self.port}"
        self._wait_ready()

    def _wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"JupyterLab exited: see {self.log}")
            try:
                with urllib.request.urlopen(f"{self.base}/api/status?token={TOKEN}", timeout=2):
                    return
            except OSError:
                time.sleep(0.5)
        raise RuntimeError(f"JupyterLab did not answer in {timeout:.0f} s: see {self.log}")

    def url(self, path: str) -> str:
        return f"{self.base}/doc/tree/{path}?token={TOKEN}"

    def stop(self) -> None:
        """Stop the server and its kernels: SIGTERM to the process group, SIGKILL if it lingers."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def open_notebook(browser: Any, lab: Lab, path: str, nb: dict) -> tuple[Any, Any, LabReport]:
    """Open one notebook and read its rendered Markdown; return (context, page, report)."""
    rep = LabReport(path)
    rep.code_cells = sum(
        1 for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()
    )
    for c in nb["cells"]:
        if c["cell_type"] == "markdown":
            rep.glue_keys += GLUE_ROLE.findall("".join(c["source"]))
    context = browser.new_context(viewport={"width": 1280, "height": 1800})
    page = context.new_page()
    host = f"127.0.0.1:{lab.port}"

    def on_request(request: Any) -> None:
        if not request.url.startswith(("data:", "blob:")) and host not in request.url:
            rep.off_site.append(request.url)

    page.on("request", on_request)
    page.route(
        re.compile(r"^(?!https?://127\.0\.0\.1:" + str(lab.port) + r"|data:|blob:)"),
        lambda route: route.abort(),
    )
    page.on("console", lambda m: m.type == "error" and rep.console_errors.append(m.text))
    page.on("pageerror", lambda e: rep.console_errors.append(f"page error: {e}"))
    page.goto(lab.url(path))
    n_markdown = sum(1 for c in nb["cells"] if c["cell_type"] == "markdown")
    page.wait_for_function(
        "n => document.querySelectorAll('.jp-MarkdownCell.jp-mod-rendered').length >= n",
        arg=n_markdown,
        timeout=60_000,
    )
    page.wait_for_timeout(1500)  # jupyterlab-myst typesets math after the first render
    rep.markdown = page.eval_on_selector_all(".jp-MarkdownCell.jp-mod-rendered", TEXT_JS)
    rep.myst_errors = page.eval_on_selector_all(
        ".jp-MarkdownCell [class*='error'], .jp-MarkdownCell [class*='warning']",
        "els => els.map(e => e.className + ': ' + e.innerText.slice(0, 200))",
    )
    return context, page, rep


# A rendered cell's visible text with each typeset formula replaced by [math]: the
# accessible text of a formula would otherwise look like "(r)=" or "```".
TEXT_JS = """els => els.map(e => {
  const c = e.cloneNode(true);
  c.querySelectorAll('.katex, mjx-container, math').forEach(m => m.replaceWith('[math]'));
  c.style.cssText = 'position:absolute; left:-10000px; width:1000px';
  document.body.appendChild(c);
  const text = c.innerText;
  c.remove();
  return text;
})"""


def run_all(page: Any) -> None:
    """Run > Run All Cells, from JupyterLab's menu bar, as a reader does it."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile("^Run$")).click(timeout=10_000)
    page.locator(".lm-Menu-itemLabel", has_text=re.compile("^Run All Cells$")).click(timeout=10_000)


DONE_JS = """n => {
  const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]
    .map(e => e.innerText.trim());
  const errors = document.querySelectorAll(
    '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]').length;
  return errors > 0 || prompts.filter(p => /^\\[\\d+\\]:$/.test(p)).length >= n;
}"""


def wait_done(page: Any, rep: LabReport) -> None:
    try:
        page.wait_for_function(DONE_JS, arg=rep.code_cells, timeout=RUN_TIMEOUT_S * 1000)
        page.wait_for_timeout(500)
    except Exception:  # playwright's TimeoutError: reported, not raised
        rep.timed_out = True
    rep.executed = page.eval_on_selector_all(
        ".jp-CodeCell .jp-InputPrompt", "els => els.map(e => e.innerText.trim())"
    )
    rep.bad_outputs = page.eval_on_selector_all(
        '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]',
        "els => els.map(e => e.innerText.slice(0, 500))",
    )


def screenshot(page: Any, name: str) -> Path:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / name
    page.evaluate("document.querySelector('.jp-WindowedPanel-outer')?.scrollTo(0, 0)")
    page.screenshot(path=str(path))
    return path


__all__ = ["CHROMIUM_ARGS", "RAW_MYST", "Lab", "LabReport", "find_chromium", "reader_edition"]
