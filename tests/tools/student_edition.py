"""Write the student edition's sources: the book with every exercise solution removed.

Usage: python tests/tools/student_edition.py OUT_DIR

sphinx-exercise's `hide_solutions` drops a `{solution-start}` directive but
not the code cells that follow it, so the gated solutions (markdown cell
`{solution-start}`, code cells, markdown cell `{solution-end}`) would still
show their code. This script copies the book's sources to OUT_DIR and deletes
each gated solution, cells and all, from every notebook; it also sets
`hide_solutions` so that any ungated `{solution}` directive goes too.
`make book-student` then builds OUT_DIR.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [
    "intro.md",
    "_toc.yml",
    "references.bib",
    "_static",
    "_ext",
    "chapters",
    "benchmarks/RESULTS.md",
]


def cell_text(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def strip_solutions(nb: dict) -> int:
    """Remove every gated solution from a notebook in place; return how many."""
    kept, inside, removed = [], False, 0
    for cell in nb["cells"]:
        text = cell_text(cell) if cell["cell_type"] == "markdown" else ""
        if "{solution-start}" in text:
            if inside:
                raise ValueError("nested {solution-start}")
            inside, removed = True, removed + 1
        if not inside:
            kept.append(cell)
        if "{solution-end}" in text:
            if not inside:
                raise ValueError("{solution-end} without {solution-start}")
            inside = False
    if inside:
        raise ValueError("{solution-start} without {solution-end}")
    nb["cells"] = kept
    return removed


def main(out: Path) -> None:
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for name in SOURCES:
        src, dst = ROOT / name, out / name
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dst, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        elif src.exists():
            shutil.copy2(src, dst)
    total = 0
    for path in sorted((out / "chapters").glob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        try:
            total += strip_solutions(nb)
        except ValueError as exc:
            raise SystemExit(f"{path.relative_to(out)}: {exc}") from exc
        path.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    config["title"] = f"{config['title']} (student edition)"
    sphinx_config = config.setdefault("sphinx", {}).setdefault("config", {})
    sphinx_config["hide_solutions"] = True
    # The MathJax files stay where `make book` unpacked them.
    sphinx_config["html_extra_path"] = [str(ROOT / p) for p in sphinx_config["html_extra_path"]]
    (out / "_config.yml").write_text(
        yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    print(f"student edition sources in {out}: {total} solutions removed")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    main(Path(sys.argv[1]))
