"""Check that every committed notebook is executed and clean.

Usage: python tests/tools/check_notebooks.py [FOLDER_OR_NOTEBOOK ...]

A notebook passes when
- it is valid JSON with a kernelspec;
- its non-empty code cells were executed top to bottom in one fresh kernel
  (execution counts 1, 2, ..., n);
- no output is an error or a stderr stream;
- no output shows machine-specific text: file paths, memory addresses,
  kernel temp names or Keras per-step timings;
- no cell carries execution timestamps in its metadata (they change on every
  run and make diffs noisy; `make execute` does not record them).

nbval checks that the stored outputs are still right; this script checks that
they are there and clean. Exits 1 and lists every problem otherwise.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

MACHINE_TEXT = re.compile(
    r"(/root/|/home/\w+|/tmp/|/work/|site-packages|ipykernel_\d+|0x[0-9a-f]{6,}|\d+ms/step|\d+s/step)"
)


def output_text(output: dict) -> str:
    text = "".join(output.get("text", ""))
    for mime, value in output.get("data", {}).items():
        if mime.startswith("text/") or "papermill" in mime:
            text += "".join(value) if isinstance(value, list) else str(value)
    return text


def check(path: Path) -> list[str]:
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        return [f"{path}: not a readable notebook ({exc})"]
    problems = []
    if "kernelspec" not in nb.get("metadata", {}):
        problems.append(f"{path}: no kernelspec in the notebook metadata")
    counts = []
    for i, cell in enumerate(nb.get("cells", [])):
        if cell.get("cell_type") != "code" or not "".join(cell.get("source", "")).strip():
            continue
        counts.append(cell.get("execution_count"))
        if "execution" in cell.get("metadata", {}):
            problems.append(f"{path} cell {i}: execution timestamps in the cell metadata")
        for out in cell.get("outputs", []):
            kind = out.get("output_type")
            if kind == "error":
                problems.append(f"{path} cell {i}: an error is stored as output")
            if kind == "stream" and out.get("name") == "stderr":
                problems.append(f"{path} cell {i}: stderr in the stored output")
            found = MACHINE_TEXT.search(output_text(out))
            if found:
                problems.append(f"{path} cell {i}: machine-specific text {found.group(0)!r}")
    if not counts:
        problems.append(f"{path}: no code cells")
    elif counts != list(range(1, len(counts) + 1)):
        problems.append(
            f"{path}: not executed top to bottom in a fresh kernel "
            f"(execution counts {counts[:10]}{'...' if len(counts) > 10 else ''})"
        )
    return problems


def main(args: list[str]) -> int:
    paths: list[Path] = []
    for arg in args or ["chapters"]:
        p = Path(arg)
        paths.extend(sorted(p.rglob("*.ipynb")) if p.is_dir() else [p])
    paths = [p for p in paths if ".ipynb_checkpoints" not in p.parts]
    if not paths:
        print("check_notebooks: no notebooks found", file=sys.stderr)
        return 1
    problems = [msg for p in paths for msg in check(p)]
    for msg in problems:
        print(msg)
    print(f"check_notebooks: {len(paths)} notebooks, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
