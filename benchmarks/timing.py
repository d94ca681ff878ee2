"""Timing helpers: medians of time.perf_counter() over several runs."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

# What every child process gets: quiet TensorFlow, and lossbook importable from
# the repository even where it is not installed into the venv.
CHILD_ENV = {
    **os.environ,
    "TF_CPP_MIN_LOG_LEVEL": "3",
    "TF_ENABLE_ONEDNN_OPTS": "0",
    "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
}


def median_times(
    funcs: dict[str, Callable[[], Any]], repeat: int = 7, warmup: int = 1
) -> dict[str, float]:
    """Median seconds per call of each function.

    The functions are run interleaved (a, b, c, a, b, c, ...), so a slow spell
    of a shared machine hits all of them alike and their ratios stay fair.
    """
    times: dict[str, list[float]] = {name: [] for name in funcs}
    for i in range(warmup + repeat):
        for name, f in funcs.items():
            start = time.perf_counter()
            f()
            elapsed = time.perf_counter() - start
            if i >= warmup:
                times[name].append(elapsed)
    return {name: statistics.median(ts) for name, ts in times.items()}


def run_timed(
    cmd: Sequence[str], cwd: Path = ROOT, env: dict[str, str] | None = None
) -> tuple[float, int, str]:
    """Wall time, exit code and the last lines of output of one command."""
    start = time.perf_counter()
    proc = subprocess.run(
        cmd, cwd=cwd, env=env or CHILD_ENV, capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - start
    tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-15:])
    return elapsed, proc.returncode, tail


def python_child(code: str) -> float:
    """Run ``code`` in a fresh interpreter; it must print one float (seconds)."""
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=CHILD_ENV,
        capture_output=True,
        text=True,
        check=True,
    )
    return float(out.stdout.strip().splitlines()[-1])


def median_child(code: str, repeat: int = 5, warmup: int = 1) -> float:
    """Median over ``repeat`` fresh interpreters (after ``warmup`` to fill the file cache)."""
    times = [python_child(code) for _ in range(warmup + repeat)]
    return statistics.median(times[warmup:])
