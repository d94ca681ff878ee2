"""What readers and maintainers wait for: set-up, building the book, its tests, a chapter.

Each step runs once (a build or a test run takes too long to repeat), in this order:

1. A fresh clone of the repository (its last commit), in a temporary folder, with
   empty pip, uv and npm caches, so that every package is downloaded as on a new
   machine.  In it: `make book-env` (the site's set-up), `make book` (MathJax and
   both editions), `make book` again with nothing changed, a look into its
   `.venv` for TensorFlow and PyTorch, and `make env` (the rest of the set-up
   that `make test` does).  The clone is deleted afterwards.
2. In this checkout, set up: every step of `make test`, read from the Makefile's
   `test:` line, run one after the other and timed one by one, from a clean
   `_build` (MathJax kept).  `make test` is their sum.
3. Every chapter run top to bottom in a fresh kernel with nbconvert.

A fresh clone's `make test` is reported as the clone's two set-up steps plus the
steps of `make test`: it runs exactly those, and the sum spares a second run.
Make is told not to reinstall this checkout's venv (`-o .venv/.installed`).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from timing import CHILD_ENV, ROOT, run_timed

MAKE = ["make", "--no-print-directory"]
JUPYTER = str(ROOT / ".venv" / "bin" / "jupyter")
GOALS = {"fresh book": 45.0, "rebuild": 3.0, "test": 300.0, "fresh test": 600.0, "chapter": 20.0}


@dataclass
class Step:
    what: str
    goal_seconds: float | None  # None: reported only
    seconds: float
    returncode: int
    detail: str = ""
    check: bool = False  # a yes/no check, not a time

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


def _step(
    what: str,
    goal: float | None,
    cmd: list[str],
    log: list[str],
    cwd: Path = ROOT,
    env: dict[str, str] | None = None,
) -> Step:
    print(f"  {what} ...", flush=True)
    seconds, code, tail = run_timed(cmd, cwd=cwd, env=env)
    if code != 0:
        log.append(f"{what} failed (exit {code}):\n{tail}")
    print(f"  {what}: {seconds:.1f} s (exit {code})", flush=True)
    return Step(what, goal, seconds, code)


def test_steps(makefile: Path = ROOT / "Makefile") -> list[str]:
    """The prerequisites of `make test`, in order, without the set-up (`env`)."""
    match = re.search(r"^test:(.*)$", makefile.read_text(encoding="utf-8"), re.M)
    if match is None:
        raise SystemExit(f"{makefile}: no `test:` rule")
    return [s for s in match.group(1).split() if s != "env"]


def _size_mb(folder: Path) -> int:
    out = subprocess.run(["du", "-sm", str(folder)], capture_output=True, text=True, check=True)
    return int(out.stdout.split()[0])


def fresh_clone(log: list[str]) -> tuple[list[Step], float]:
    """Steps in a fresh clone with cold caches; also the seconds of its whole set-up."""
    steps: list[Step] = []
    with tempfile.TemporaryDirectory(prefix="lossbook-clone-") as tmp:
        clone = Path(tmp) / "lossbook"
        subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
        caches = {
            "PIP_CACHE_DIR": "pip",
            "UV_CACHE_DIR": "uv",
            "npm_config_cache": "npm",
            "TMPDIR": "tmp",  # jieba keeps its dictionary cache there
        }
        env = {k: v for k, v in CHILD_ENV.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
        for var, name in caches.items():
            (Path(tmp) / name).mkdir()
            env[var] = str(Path(tmp) / name)

        def make(what: str, goal: float | None, target: str) -> Step:
            step = _step(what, goal, [*MAKE, target], log, cwd=clone, env=env)
            steps.append(step)
            return step

        setup = make("fresh clone: `make book-env` (the site's set-up)", None, "book-env")
        setup.detail = f".venv {_size_mb(clone / '.venv')} MB"
        build = make("fresh clone: then `make book` (MathJax, both editions)", None, "book")
        total = setup.seconds + build.seconds
        steps.append(
            Step(
                "fresh clone `make book`, set-up included (the two above)",
                GOALS["fresh book"],
                total,
                setup.returncode or build.returncode,
            )
        )
        make("fresh clone: `make book` again, nothing changed", GOALS["rebuild"], "book")
        frameworks = [
            name
            for name in ("tensorflow", "torch")
            if list((clone / ".venv").glob(f"lib/python*/site-packages/{name}"))
        ]
        steps.append(
            Step(
                "fresh clone `make book` installs neither TensorFlow nor PyTorch",
                None,
                0.0,
                1 if frameworks else 0,
                "found: " + ", ".join(frameworks) if frameworks else "neither installed",
                check=True,
            )
        )
        rest = make("fresh clone: `make env` (the rest of `make test`'s set-up)", None, "env")
        rest.detail = f".venv {_size_mb(clone / '.venv')} MB"
    return steps, setup.seconds + rest.seconds


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
    clone_steps, clone_setup = fresh_clone(log)
    results.steps += clone_steps

    for stale in ("html", "en", "zh_CN", "pdf", "student", "student_src", ".doctrees"):
        shutil.rmtree(ROOT / "_build" / stale, ignore_errors=True)
    total, failed = 0.0, 0
    for target in test_steps():
        step = _step(f"`make {target}`", None, [*MAKE, "-o", ".venv/.installed", target], log)
        results.steps.append(step)
        total += step.seconds
        if step.returncode != 0:
            failed = step.returncode
            break
    results.steps.append(
        Step("`make test` after set-up (the sum of the steps above)", GOALS["test"], total, failed)
    )
    results.steps.append(
        Step(
            "fresh clone `make test`, set-up included (the clone's two set-up steps"
            " plus the steps of `make test`)",
            GOALS["fresh test"],
            clone_setup + total,
            failed,
        )
    )

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
        results.steps.append(
            Step("the slowest chapter, top to bottom", GOALS["chapter"], seconds, code, name)
        )
    return results
