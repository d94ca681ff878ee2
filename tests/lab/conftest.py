"""Fixtures for the JupyterLab test (see labcheck.py and issue 18).

Fails (never skips) without Chromium or without the `lab` extra.  The reader's
copy is written to a temporary folder, so Run All changes nothing in the repo.
All notebooks are opened and run once, two at a time, and their reports cached.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from labcheck import (
    CHROMIUM_ARGS,
    JUPYTER,
    Lab,
    LabReport,
    find_chromium,
    open_notebook,
    reader_edition,
    run_all,
    screenshot,
    wait_done,
)

SCREENSHOT_OF = "chapters/02_entropy.ipynb"
PARALLEL = 2  # notebooks running at once: one per core


def notebooks(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*.ipynb"))


@pytest.fixture(scope="session")
def reader_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("reader")
    reader_edition.main(out, student=False)
    return out


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "nb_path" in metafunc.fixturenames:
        pages = [reader_edition.ROOT / f"{p.docname}" for p in reader_edition.book_pages()]
        root = reader_edition.ROOT
        metafunc.parametrize("nb_path", [p.relative_to(root).as_posix() + ".ipynb" for p in pages])


@pytest.fixture(scope="session")
def reports(
    reader_copy: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, LabReport]]:
    chromium = find_chromium()
    if chromium is None:
        pytest.fail(
            "no Chromium found: `sudo apt-get install -y chromium` or set CHROMIUM_PATH", False
        )
    if not JUPYTER.exists() or not (JUPYTER.parent / "jupyter-lab").exists():
        pytest.fail("JupyterLab is not installed: run `make env`", False)
    from playwright.sync_api import sync_playwright

    settings = tmp_path_factory.mktemp("lab-settings")
    lab = Lab(reader_copy, settings, settings / "server.log")
    done: dict[str, LabReport] = {}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=chromium, headless=True, args=CHROMIUM_ARGS
            )
            paths = notebooks(reader_copy)
            for i in range(0, len(paths), PARALLEL):
                batch = []
                for path in paths[i : i + PARALLEL]:
                    nb = json.loads((reader_copy / path).read_text(encoding="utf-8"))
                    context, page, rep = open_notebook(browser, lab, path, nb)
                    if path == SCREENSHOT_OF:
                        screenshot(page, "lab-02_entropy.png")
                    if rep.code_cells:
                        run_all(page)
                    batch.append((context, page, rep))
                for context, page, rep in batch:
                    if rep.code_cells:
                        wait_done(page, rep)
                    context.close()
                    done[rep.path] = rep
            browser.close()
        yield done
    finally:
        lab.stop()


@pytest.fixture
def report(nb_path: str, reports: dict[str, LabReport]) -> LabReport:
    assert nb_path in reports, f"{nb_path} is in _toc.yml but not in the reader's copy"
    return reports[nb_path]


def pytest_report_header(config: pytest.Config) -> list[str]:
    return [f"chromium: {find_chromium() or 'NOT FOUND (tests will fail)'}", f"jupyter: {JUPYTER}"]


__all__ = ["Any"]
