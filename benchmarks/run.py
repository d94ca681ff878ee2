"""Benchmarks: lossbook's accuracy and speed, import times, and (with --book) the book's build.

    make bench                                  # the fast part, a few minutes
    .venv/bin/python benchmarks/run.py --book   # also build, test and run every chapter
    .venv/bin/python benchmarks/run.py --smoke  # tiny sizes, one run: does the code work?

Prints Markdown tables and writes them to benchmarks/RESULTS.md, which appendix
A4 includes (a --smoke run writes only where --output says).  Results of the
last --book run are kept in benchmarks/book.json, so a plain `make bench`
rewrites the lossbook tables and keeps the book's.
These are measurements, not tests: the exit status is 0 whether or not a goal
is met, and missed goals are marked in the tables.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import platform
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "RESULTS.md"
BOOK_JSON = HERE / "book.json"

SETUP_CELL = """\
import lossbook as lb
import numpy as np

rng = lb.setup(seed=0)

import matplotlib.pyplot as plt
import tensorflow as tf
import torch
from myst_nb import glue

tf.keras.utils.set_random_seed(0)
torch.manual_seed(0)
torch.set_num_threads(1)
"""


def timed_import_code(body: str) -> str:
    """Code for a fresh interpreter that prints how long ``body`` took to run."""
    return f"import time\n_t = time.perf_counter()\n{body}\nprint(time.perf_counter() - _t)\n"


# --- the machine ------------------------------------------------------------------------------


def _git(*args: str) -> str:
    out = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
    return out.stdout.strip()


def machine() -> dict[str, str]:
    cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in cpuinfo.splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown",
    )
    meminfo = Path("/proc/meminfo").read_text(encoding="utf-8", errors="replace")
    mem_kib = int(
        next(line.split()[1] for line in meminfo.splitlines() if line.startswith("MemTotal"))
    )

    def version(dist: str) -> str:
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return "not installed"

    commit = _git("rev-parse", "--short", "HEAD") or "unknown"
    if _git("status", "--porcelain", "--", "lossbook", "benchmarks/*.py"):
        commit += " (with uncommitted changes to lossbook or the benchmarks)"
    return {
        "CPU": cpu,
        "cores": str(os.cpu_count()),
        "memory": f"{mem_kib / 2**20:.0f} GiB",
        "system": f"{platform.system()} {platform.machine()}",
        "Python": platform.python_version(),
        "NumPy": version("numpy"),
        "SciPy": version("scipy"),
        "TensorFlow": f"{version('tensorflow-cpu')} (Keras {version('keras')})",
        "PyTorch": version("torch"),
        "mpmath": version("mpmath"),
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": commit,
    }


# --- Markdown ---------------------------------------------------------------------------------


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def shape_cell(shape: tuple[int, ...]) -> str:
    """(1_000_000, 10) -> "1e6 × 10"; (64, 100, 30) -> "64 × 100 × 30"."""
    return " × ".join(f"{d:.0e}".replace("e+0", "e") if d >= 10_000 else str(d) for d in shape)


def goal_cell(met: bool) -> str:
    return "met" if met else "**missed**"


def seconds_cell(s: float) -> str:
    return f"{s:.2f}" if s < 10 else f"{s:.0f}"


def machine_section(info: dict[str, str]) -> str:
    rows = [[key, value] for key, value in info.items()]
    return "## The machine\n\n" + table(["what", "value"], rows)


def _function_cell(name: str) -> str:
    """`name`, with a keyword argument written after it in plain text, so the table stays narrow."""
    base, _, option = name.partition("(")
    return f"`{base}`" + (f" ({option.rstrip(')')})" if option else "")


def accuracy_section(rows: list[Any], goals: dict[Any, float]) -> str:
    by_function: dict[str, dict[str, Any]] = {}
    for r in rows:
        by_function.setdefault(r.function, {})[r.dtype] = r
    body = []
    for function, by_dtype in by_function.items():
        term_relative = any(r.term_relative for r in by_dtype.values())
        cells = [_function_cell(function) + (" †" if term_relative else "")]
        for dtype in ("float64", "float32"):
            r = by_dtype[dtype]
            flag = "" if r.met else " ✗"
            cells += [f"{r.random.max_err:.1e}", f"{r.adversarial.max_err:.1e}{flag}"]
        cells.append(goal_cell(all(r.met for r in by_dtype.values())))
        body.append(cells)
    goal_text = ", ".join(f"{g:.0e} in {d.__name__}" for d, g in goals.items())
    return "\n\n".join(
        [
            "## Accuracy against mpmath",
            "The largest relative error of each function against mpmath at 50 significant digits,"
            " evaluated at the same (rounded) inputs, so the error is lossbook's alone."
            " Where the exact value is smaller than the smallest normal number of the dtype,"
            " the error is taken relative to that number instead."
            " Random inputs are Dirichlet distributions, N(0, 9) logits and N(0, 1) regression"
            " targets; adversarial ones hold probabilities down to 1e-300 (float64) or the"
            " smallest normal float32, logits up to ±1e4, confident predictions whose loss is"
            " tiny, regression values from 1e-150 to 1e150 (float64), and margins, shortfalls"
            " and distances within a relative 1e-15 (float64) or 1e-6 (float32) of a hinge's"
            " kink."
            " The label_smoothing rows run the same inputs with the target smoothed exactly"
            " in the reference; the expected calibration error is one value per set of rows."
            " † A loss whose terms have both signs can be 0, where no floating-point sum has"
            " a small relative error: its error is relative to the mean size of its terms"
            " (or to the loss, if larger)."
            f" Goals: at most {goal_text}; no NaN or inf where the exact value is finite."
            " A ✗ marks a missed goal; the list at the end says on which input.",
            table(
                [
                    "function",
                    "float64, random",
                    "float64, adversarial",
                    "float32, random",
                    "float32, adversarial",
                    "goal",
                ],
                body,
            ),
        ]
    )


def _ms(seconds: float) -> str:
    if math.isnan(seconds):
        return "–"
    return f"{seconds * 1e3:.1f}" if seconds < 0.01 else f"{seconds * 1e3:.0f}"


def _ratio(r: Any, baseline: str) -> str:
    ratio = r.ratio(baseline)
    if math.isnan(ratio):
        return "–"
    return f"{ratio:.2f}" if ratio >= 0.1 else f"{ratio:.1g}"


def _code(expr: str | None) -> str:
    return "(none)" if expr is None else f"`{expr}`"


def _speed_goal(r: Any) -> str:
    if r.met is None:
        return "no framework has it: reported"
    return f"≤ {r.case.goal:g}×: {goal_cell(r.met)}"


def speed_section(results: list[Any], threads: dict[str, str]) -> str:
    import speed

    times, ratios, compared = [], [], []
    for r in results:
        s, label = r.seconds, [r.case.name, shape_cell(r.shape)]
        times.append(label + [_ms(s[k]) for k in ("lossbook", "tensorflow", "pytorch", "scipy")])
        times[-1].append(f"{s['floor'] * 1e3:.1f}")
        ratios.append(
            label
            + [_ratio(r, k) for k in ("tensorflow", "pytorch", "faster", "scipy")]
            + [f"{r.ratio('floor'):.0f}", _speed_goal(r)]
        )
        c = r.case
        line = (
            f"- {c.name}: lossbook `{c.lossbook}`; TF {_code(c.tensorflow)};"
            f" PyTorch {_code(c.pytorch)}; SciPy {_code(c.scipy)}"
            + (f" ({c.note})." if c.note else ".")
        )
        if line not in compared:
            compared.append(line)
    peers = " and ".join(speed.LABELS[p] for p in speed.PEERS)
    return "\n\n".join(
        [
            "## Speed against TensorFlow, PyTorch and SciPy",
            "Median milliseconds per call over several interleaved runs in one process, on the"
            " same float32 arrays (labels int64); then lossbook's time divided by each."
            f' "Faster" is the quicker of {peers} on that row (where only one has the loss,'
            " that one; where neither has it, there is no goal)."
            " The floor is one `np.add.reduce` pass over each (flattened) input:"
            " the least any loss must do, reading its input once."
            f" Goal: lossbook within {speed.GOAL_EXISTING:g}× of the faster framework's time"
            f" on the rows that stood before PyTorch joined, within {speed.GOAL_NEW:g}× on the"
            " rows added with it (the rest of lossbook's functions).",
            "Threads, as configured in the benchmark's process:\n\n"
            + "\n".join(f"- {what}: {count}" for what, count in threads.items()),
            table(["loss", "shape", "lossbook", "TF", "PyTorch", "SciPy", "floor"], times),
            table(
                [
                    "loss",
                    "shape",
                    "÷ TF",
                    "÷ PyTorch",
                    "÷ faster",
                    "÷ SciPy",
                    "÷ floor",
                    "goal",
                ],
                ratios,
            ),
            "What each row times (each call exactly as written; `F` is"
            " `torch.nn.functional`):\n\n" + "\n".join(compared),
        ]
    )


def gaps_section(results: list[Any]) -> str:
    rows, why = [], []
    for r in results:
        g = r.gap
        rows.append(
            [
                g.name,
                shape_cell(r.shape),
                _ms(r.seconds["readable"]),
                _ms(r.seconds["fast"]),
                f"{r.ratio:.2f}",
                g.lossbook_uses,
            ]
        )
        why.append(f"- {g.name}: readable `{g.readable}`, fast `{g.fast}`. {g.why}")
    return "\n\n".join(
        [
            "## The readable form and the fast form",
            "lossbook's functions read like their formulas. Where a faster form of the same"
            " computation exists, this table times both (median milliseconds, interleaved)"
            " and says which one lossbook uses; the fast forms are in"
            " `benchmarks/fast_forms.py`.",
            table(
                ["computation", "shape", "readable", "fast", "readable ÷ fast", "lossbook uses"],
                rows,
            ),
            "What the gap is, and why:\n\n" + "\n".join(why),
        ]
    )


def imports_section(rows: list[tuple[str, float, float | None]]) -> str:
    body = []
    for what, seconds, goal in rows:
        goal_text = "reported" if goal is None else f"< {goal} s: {goal_cell(seconds < goal)}"
        body.append([what, f"{seconds:.3f}", goal_text])
    return "\n\n".join(
        [
            "## Import times",
            "Median seconds over 5 fresh interpreters (3 for the set-up cell), after one more"
            " to warm the file cache; timed inside the interpreter, so Python's own start-up"
            " is not counted. The goal applies to `import lossbook` in a fresh interpreter,"
            " NumPy's import included.",
            table(["what", "seconds", "goal"], body),
        ]
    )


def book_section(data: dict[str, Any] | None) -> str:
    title = "## The book"
    if data is None:
        return (
            f"{title}\n\nNot measured yet: run `.venv/bin/python benchmarks/run.py --book`"
            " (builds the book, runs every chapter and `make test`; several minutes)."
        )
    from book import BookResults

    results = BookResults.from_json(data["results"])
    rows = []
    for step in results.steps:
        goal = "reported" if step.goal_seconds is None else f"≤ {step.goal_seconds:.0f} s"
        status = goal_cell(step.met) if step.goal_seconds is not None else "ran"
        if step.check:
            goal, status = "must hold", goal_cell(step.met)
        elif step.returncode != 0:
            status = f"**failed** (exit {step.returncode})"
        what = step.what + (f": {step.detail}" if step.detail else "")
        seconds = "–" if step.check else seconds_cell(step.seconds)
        rows.append([what, seconds, goal, status])
    chapters = [
        [name, seconds_cell(s), goal_cell(s <= 20 and name not in results.failed_chapters)]
        for name, s in results.chapters.items()
    ]
    return "\n\n".join(
        [
            title,
            f"Measured on {data['machine']['date']} at commit {data['machine']['commit']},"
            " once each (wall-clock seconds), on the machine above. The fresh clone is a"
            " `git clone` of that commit into a temporary folder, with empty pip, uv and npm"
            " caches, so every package is downloaded. `make test` is timed one step at a"
            " time, in the Makefile's order, from a clean `_build`; its total is their sum."
            " A fresh clone's `make test` runs the clone's set-up and then the same steps,"
            " so its figure is that sum too.",
            table(["what", "seconds", "goal", "result"], rows),
            "Every chapter, run top to bottom in a fresh kernel with"
            " `jupyter nbconvert --execute` (kernel start-up included):",
            table(["notebook", "seconds", "≤ 20 s"], chapters),
        ]
    )


def missed_section(missed: list[str]) -> str:
    if not missed:
        return "## Goals missed\n\nNone."
    return "## Goals missed\n\n" + "\n".join(f"- {m}" for m in missed)


# --- main -------------------------------------------------------------------------------------


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--book", action="store_true", help="also time the book's build and tests")
    parser.add_argument("--repeat", type=int, default=7, help="timed runs per speed measurement")
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="a check that the code runs: 1/100 of the rows, one run each; writes no results"
        " unless --output is given",
    )
    parser.add_argument(
        "--output", type=Path, help="where to write the Markdown (default: RESULTS)"
    )
    args = parser.parse_args(argv)
    if args.smoke and args.book:
        parser.error("--smoke times lossbook only; it cannot be combined with --book")
    output = args.output or (None if args.smoke else RESULTS)
    repeat, shrink, children = (1, 100, 1) if args.smoke else (args.repeat, 1, 5)

    # lossbook from this repository, whether or not it is installed into the venv.
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
    import accuracy
    import speed
    import timing

    info = machine()
    missed: list[str] = []

    print("accuracy against mpmath ...", flush=True)
    acc_rows = accuracy.run(rows=accuracy.ROWS // shrink or 2)
    for r in acc_rows:
        if not r.met:
            worst = max(r.random.max_err, r.adversarial.max_err)
            case = r.adversarial.worst_case if r.adversarial.max_err >= worst else "random"
            missed.append(
                f"accuracy: {_function_cell(r.function)} in {r.dtype}:"
                f" relative error {worst:.1e} on input '{case}'"
            )

    print("import times ...", flush=True)
    lossbook_alone = "import numpy, time\n_t = time.perf_counter()\nimport lossbook\n"
    lossbook_alone += "print(time.perf_counter() - _t)\n"

    def child(code: str, repeat: int = children) -> float:
        return timing.median_child(code, repeat=min(repeat, children), warmup=1)

    imports: list[tuple[str, float, float | None]] = [
        ("`import numpy`", child(timed_import_code("import numpy")), None),
        ("`import lossbook` (NumPy included)", child(timed_import_code("import lossbook")), 0.2),
        ("`import lossbook` after `import numpy`", child(lossbook_alone), None),
        (
            "a chapter's set-up cell (lossbook, NumPy, TensorFlow, PyTorch, Matplotlib, myst_nb)",
            child(timed_import_code(SETUP_CELL), repeat=3),
            None,
        ),
    ]
    if imports[1][1] >= 0.2:
        missed.append(f"import time: `import lossbook` takes {imports[1][1]:.2f} s")

    print("speed against TensorFlow, PyTorch and SciPy ...", flush=True)
    import tensorflow as tf
    import torch

    speed_rows = speed.run(tf, torch, repeat=repeat, shrink=shrink)
    for r in speed_rows:
        if r.met is False:  # None: no framework has the loss
            missed.append(
                f"speed: {r.case.name} on {shape_cell(r.shape)} takes {r.ratio('faster'):.2f}×"
                f" the faster framework's time ({speed.LABELS[r.faster]}); goal ≤ {r.case.goal:g}×"
            )
    threads = speed.threads(tf, torch)
    print("the readable form against the fast form ...", flush=True)
    gap_rows = speed.run_gaps(repeat=repeat, shrink=shrink)

    book_data: dict[str, Any] | None = None
    if args.book:
        import book

        print("the book (several minutes) ...", flush=True)
        log: list[str] = []
        book_data = {"machine": info, "results": book.run(log).to_json()}
        BOOK_JSON.write_text(json.dumps(book_data, indent=1) + "\n", encoding="utf-8")
        for entry in log:
            print(entry, file=sys.stderr)
    elif BOOK_JSON.exists():
        book_data = json.loads(BOOK_JSON.read_text(encoding="utf-8"))
    if book_data is not None:
        from book import BookResults

        for step in BookResults.from_json(book_data["results"]).steps:
            if step.check and not step.met:
                missed.append(f"the book: {step.what} ({step.detail})")
            elif not step.met:
                missed.append(
                    f"the book: {step.what} ({step.seconds:.0f} s, exit {step.returncode})"
                )

    sections = [
        "## How these numbers were made\n\n"
        "`make bench` measures lossbook (every section but the book);"
        " `make bench BENCH_ARGS=--book` also times the book (its own section)."
        " The code is in the repository's `benchmarks/` folder. The machine is shared, so"
        " single timings vary by tens of percent; the ratios, measured in one process with"
        " interleaved runs, are steadier.",
        machine_section(info),
        accuracy_section(acc_rows, accuracy.GOAL),
        speed_section(speed_rows, threads),
        gaps_section(gap_rows),
        imports_section(imports),
        book_section(book_data),
        missed_section(missed),
    ]
    if args.smoke:
        sections.insert(0, "# SMOKE RUN: 1/100 of the sizes, one run each; not results")
    text = "\n\n".join(sections) + "\n"
    print()
    print(text)
    if output is not None:
        output.write_text(text, encoding="utf-8")
        print(f"written to {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
