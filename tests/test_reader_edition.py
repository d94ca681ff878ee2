"""The reader's and student's copies for JupyterLab (tests/tools/reader_edition.py).

The browser test (tests/lab) checks what JupyterLab shows; these tests check the
copies themselves, fast: every role the site resolves is written out, each glued
number is the one the site shows, and the student's copy has every exercise and
no solution.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "tools"))

import reader_edition as re_ed  # noqa: E402

ROLE = re.compile(r"\{([a-z:\-]+)\}`")


def markdown(path: Path) -> list[str]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]


@pytest.fixture(scope="module")
def copies(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    reader, student = tmp_path_factory.mktemp("reader"), tmp_path_factory.mktemp("student")
    re_ed.main(reader, student=False)
    re_ed.main(student, student=True)
    return reader, student


def test_every_page_of_the_toc_is_a_notebook(copies: tuple[Path, Path]) -> None:
    reader, _ = copies
    for page in re_ed.book_pages():
        assert (reader / page.out_name).exists(), page.out_name
    assert (reader / "README.md").exists()


def test_only_roles_jupyterlab_resolves_are_left(copies: tuple[Path, Path]) -> None:
    reader, _ = copies
    left = {
        (path.name, role)
        for path in reader.rglob("*.ipynb")
        for text in markdown(path)
        for role in ROLE.findall(text)
        if role != "eq"  # jupyterlab-myst numbers and links a notebook's own equations
    }
    assert not left, sorted(left)


def test_glued_numbers_are_the_sites() -> None:
    # The entropy chapter's soft label: 1.35678 bits, glued as h_bits and shown as :.4f.
    page = re_ed.load_page("chapters/02_entropy", "2")
    book = re_ed.Book([page, re_ed.load_page("chapters/a3_glossary", None)])
    shown = book.glue(page, "h_bits:.4f")
    assert shown == f"{float(page.glue['h_bits']):.4f}"
    assert shown == "1.3568"


def test_a_reader_edit_is_never_overwritten(tmp_path: Path) -> None:
    re_ed.main(tmp_path, student=False)
    nb = tmp_path / "chapters" / "01_mse.ipynb"
    nb.write_text(nb.read_text(encoding="utf-8") + " ", encoding="utf-8")
    edited = nb.read_text(encoding="utf-8")
    re_ed.main(tmp_path, student=False)
    assert nb.read_text(encoding="utf-8") == edited


def test_student_copy_has_every_exercise_and_no_solution(copies: tuple[Path, Path]) -> None:
    reader, student = copies
    for path in sorted(reader.rglob("*.ipynb")):
        rel = path.relative_to(reader)
        ex = sum(t.count("{exercise}") for t in markdown(path))
        assert sum(t.count("{exercise}") for t in markdown(student / rel)) == ex, rel
        assert not any("{solution-start}" in t for t in markdown(student / rel)), rel
