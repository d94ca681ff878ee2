"""The book read in JupyterLab: every page renders without raw MyST, runs clean, stays local.

Run with `make lab-test` (part of `make test`).  See labcheck.py.
"""

from __future__ import annotations

from labcheck import RAW_MYST, LabReport


def test_markdown_shows_no_raw_myst(report: LabReport) -> None:
    found = [
        f"cell {i}: {what}: {m.group(0)!r} in {text[max(0, m.start() - 60) : m.end() + 60]!r}"
        for i, text in enumerate(report.markdown)
        for pattern, what in RAW_MYST
        for m in [pattern.search(text)]
        if m
    ]
    assert report.markdown, f"{report.path}: no rendered Markdown cell found"
    assert not found, f"{report.path}: raw MyST in the rendered Markdown:\n" + "\n".join(found)


def test_numbers_not_glue_keys(report: LabReport) -> None:
    text = "\n".join(report.markdown)
    keys = [body for body in report.glue_keys if body in text or body.split(":")[0] in text]
    assert not keys, f"{report.path}: glue keys shown instead of numbers: {keys[:10]}"


def test_renderer_reports_no_myst_errors(report: LabReport) -> None:
    assert not report.myst_errors, f"{report.path}: {report.myst_errors[:5]}"


def test_run_all_executes_every_cell(report: LabReport) -> None:
    assert not report.timed_out, f"{report.path}: Run All did not finish; prompts {report.executed}"
    expected = [f"[{n}]:" for n in range(1, report.code_cells + 1)]
    ran = [p for p in report.executed if p != "[ ]:"]
    assert ran == expected, f"{report.path}: prompts after Run All {report.executed}"


def test_no_error_or_stderr_output(report: LabReport) -> None:
    assert not report.bad_outputs, f"{report.path}: stderr or error outputs: {report.bad_outputs}"


def test_no_request_leaves_the_machine(report: LabReport) -> None:
    assert not report.off_site, f"{report.path}: requests off the machine: {report.off_site[:10]}"


def test_console_is_clean(report: LabReport) -> None:
    assert not report.console_errors, f"{report.path}: console errors: {report.console_errors[:5]}"
