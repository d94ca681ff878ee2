"""What readers and maintainers wait for: building the book, checking it, running a chapter.

Each step runs once (a build or a full test run takes too long to repeat), in
this order: `make book` from a clean site (only _build/html and _build/.doctrees
are removed; the MathJax copy in _build/.assets stays), `make book` again with
nothing changed, `make nbval`, every chapter run top to bottom with nbconvert,
and a full `make test`.  Make is told not to reinstall the venv
(`-o .venv/.installed`): the goals are about a set-up machine.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from timing import ROOT, run_timed

MAKE = ["make", "--no-print-directory", "-o", ".venv/.installed"]
JUPYTER = str(ROOT / ".venv" / "bin" / "jupyter")


@dataclass
class Step:
    what: str
    goal_seconds: float | None  # None: reported only
    seconds: float
    returncode: int
    detail: str = ""

    @property
    def met(self) -> bool:
        ok = self.returncode == 0
        return ok and (self.goal_seconds is None or self.seconds <= self.goal_seconds)


@dataclass
class BookResults:
    steps: list[Step] = field(default_factory=list)
    chapters: dict[str, float] = field(default_factory=dict)  # notebook -> seconds
    failed_chapters: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> BookResults:
        steps = [Step(**s) for s in data["steps"]]
        return cls(steps, data["chapters"], data["failed_chapters"])


def _step(what: str, goal: float | None, cmd: list[str], log: list[str]) -> Step:
    print(f"  {what} ...", flush=True)
    seconds, code, tail = run_timed(cmd)
    if code != 0:
        log.append(f"{what} failed (exit {code}):\n{tail}")
    print(f"  {what}: {seconds:.1f} s (exit {code})", flush=True)
    return Step(what, goal, seconds, code)


def time_chapter(notebook: Path, out_dir: Path) -> tuple[float, int, str]:
    """Run one notebook top to bottom in a fresh kernel; the result goes to out_dir."""
    return run_timed(
        [
            JUPYTER,
            "nbconvert",
            "--to",
            "notebook",
            "--execute",
            "--ExecutePreprocessor.timeout=600",
            "--output-dir",
            str(out_dir),
            str(notebook.relative_to(ROOT)),
        ]
    )


def chapters() -> list[Path]:
    return sorted((ROOT / "chapters").glob("*.ipynb"))


def run(log: list[str], notebooks: list[Path] | None = None) -> BookResults:
    results = BookResults()
    for stale in ("_build/html", "_build/.doctrees"):
        shutil.rmtree(ROOT / stale, ignore_errors=True)
    results.steps.append(_step("`make book` from a clean site", 60, [*MAKE, "book"], log))
    results.steps.append(_step("`make book` again, nothing changed", 10, [*MAKE, "book"], log))
    results.steps.append(_step("`make nbval` (every notebook)", None, [*MAKE, "nbval"], log))

    with tempfile.TemporaryDirectory(prefix="lossbook-bench-") as tmp:
        for nb in notebooks if notebooks is not None else chapters():
            seconds, code, tail = time_chapter(nb, Path(tmp))
            print(f"  {nb.name}: {seconds:.1f} s (exit {code})", flush=True)
            results.chapters[nb.name] = seconds
            if code != 0:
                results.failed_chapters.append(nb.name)
                log.append(f"{nb.name} failed (exit {code}):\n{tail}")
    if results.chapters:
        name, seconds = max(results.chapters.items(), key=lambda kv: kv[1])
        code = 1 if results.failed_chapters else 0
        results.steps.append(Step("the slowest chapter, top to bottom", 20, seconds, code, name))

    results.steps.append(_step("`make test` (after set-up)", 300, [*MAKE, "test"], log))
    return results
