"""Check the student edition: every exercise is there, no solution is.

Usage: python tests/tools/check_student.py STUDENT_HTML_DIR [FULL_HTML_DIR]

Counts sphinx-exercise's exercise and solution admonitions in every chapter
page. The student edition must have exercises and no solutions at all; if the
full edition's HTML is given too, it must have the same exercises, each with
its solution.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

EXERCISE = re.compile(r'class="[^"]*\bexercise\b[^"]*\badmonition\b')
SOLUTION = re.compile(r'class="[^"]*\bsolution\b[^"]*\badmonition\b')


def count(html_dir: Path) -> dict[str, tuple[int, int]]:
    pages = sorted((html_dir / "chapters").glob("*.html"))
    if not pages:
        raise SystemExit(f"check_student: no chapter pages under {html_dir}")
    counts = {}
    for page in pages:
        text = page.read_text(encoding="utf-8")
        counts[page.name] = (len(EXERCISE.findall(text)), len(SOLUTION.findall(text)))
    return counts


def main(student: Path, full: Path | None) -> int:
    problems = []
    student_counts = count(student)
    exercises = sum(e for e, _ in student_counts.values())
    if exercises == 0:
        problems.append("the student edition has no exercises")
    for page, (_, s) in student_counts.items():
        if s:
            problems.append(f"{page}: {s} solutions in the student edition")
    if full is not None:
        for page, (e, s) in count(full).items():
            if (e, 0) != student_counts.get(page, (e, 0)):
                problems.append(f"{page}: exercises differ between the editions")
            if s != e:
                problems.append(f"{page}: {e} exercises but {s} solutions in the full edition")
    for msg in problems:
        print(msg)
    print(f"check_student: {exercises} exercises, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        raise SystemExit(__doc__)
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2]) if len(sys.argv) == 3 else None))
