"""Counts the hostile and fault suites measure, printed at the end of the
pytest run (see pytest_terminal_summary in conftest.py): the numbers the
closing note of issue 7 reports, each measured on every guarded run."""

from __future__ import annotations

import os
from pathlib import Path

COUNTS = {
    "cases": 0,
    "runs": 0,
    "crashes": 0,
    "tracebacks": 0,
    "input files changed": 0,
    "partial outputs": 0,
    "files read outside the project": 0,
    "bytes read from outside the project": 0,
    "network requests": 0,
}
_CASES: set[str] = set()


def record_case(case_id: str) -> None:
    _CASES.add(case_id)
    COUNTS["cases"] = len(_CASES)


def record_run(guarded, expected_codes=(0, 1, 2)) -> None:
    """One guarded secbrief run: crash, traceback, outside reads, network."""
    COUNTS["runs"] += 1
    output = guarded.stdout + guarded.stderr
    if guarded.returncode not in expected_codes or "internal error" in output:
        COUNTS["crashes"] += 1
    if "Traceback" in output:
        COUNTS["tracebacks"] += 1
    for record in guarded.outside:
        COUNTS["files read outside the project"] += 1
        try:
            COUNTS["bytes read from outside the project"] += os.path.getsize(record["path"])
        except OSError:
            pass
    COUNTS["network requests"] += len(guarded.network)


def record_inputs(before: dict, after: dict) -> None:
    COUNTS["input files changed"] += sum(before.get(k) != after.get(k) for k in before.keys() | after.keys())


def record_partial(paths: list[Path]) -> None:
    COUNTS["partial outputs"] += len(paths)


def export() -> dict:
    """This process's counts, as plain data (a pytest-xdist worker's output)."""
    return {"counts": dict(COUNTS), "cases": sorted(_CASES)}


def merge(exported: dict | None) -> None:
    """Add a worker's counts to this process's (the pytest-xdist controller)."""
    if not exported:
        return
    for name, value in exported["counts"].items():
        if name != "cases":
            COUNTS[name] += value
    _CASES.update(exported["cases"])
    COUNTS["cases"] = len(_CASES)


def summary_lines() -> list[str]:
    if not COUNTS["runs"]:
        return []
    return [f"{name}: {value:,}" for name, value in COUNTS.items()]
