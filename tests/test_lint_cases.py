"""A corpus of flawed files, one flaw each: every file gets exactly its
expected diagnostic (code, severity, line, column, message) and nothing else.

Each file in tests/lint_cases/ starts with a header:

    # case: what is wrong, in words
    # path: where it goes in the project (it replaces a file already there)
    # expect: SB301 error 14:25 the message, exactly   (or: nothing)

It is dropped into a copy of the small valid `mini` project and checked with
`secbrief check --format json`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from secbrief.cli import main
from secbrief.core.codes import CODES

CASES_DIR = Path(__file__).resolve().parent / "lint_cases"
CASES = sorted(CASES_DIR.glob("*.yaml"))
EXPECT_RE = re.compile(r"^(SB\d{3}) (error|warning|note) (\d+):(\d+) (.+)$")
# Problems a small file in the repository cannot produce on every machine:
# an unreadable file (tests run as root), a file over 1 MB, a symbolic link
# out of the project (tests/hostile covers it); one that needs two files of
# its own, two incidents of one ACLED event (tests/test_integrity.py); and one
# that `secbrief check` never reports: publish's TLP ceiling (tests/test_publish.py).
NOT_AS_A_CASE = {"SB001", "SB002", "SB011", "SB241", "SB270"}


def read_case(path: Path) -> tuple[str, tuple | None]:
    header = {}
    # The not-UTF-8 case has a bad byte after its (ASCII) header.
    for line in path.read_bytes().decode("utf-8", errors="replace").splitlines():
        if not line.startswith("# "):
            break
        key, _, value = line[2:].partition(": ")
        header[key] = value
    if header["expect"] == "nothing":
        return header["path"], None
    match = EXPECT_RE.match(header["expect"])
    assert match, f"{path.name}: bad expect line {header['expect']!r}"
    code, severity, line, col, message = match.groups()
    return header["path"], (code, severity, int(line), int(col), message)


def run_case(root: Path, case: Path, capsys) -> tuple[int, list[tuple]]:
    relpath, _ = read_case(case)
    target = root / relpath
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(case.read_bytes())
    exit_code = main(["-C", str(root), "check", "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    return exit_code, [(d["path"], d["code"], d["severity"], d["line"], d["column"], d["message"])
                       for d in data["diagnostics"]]


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_case_gets_exactly_its_diagnostic(mini, case, capsys):
    relpath, expected = read_case(case)
    exit_code, got = run_case(mini, case, capsys)
    if expected is None:
        assert got == [] and exit_code == 0
        return
    assert got == [(relpath, *expected)]
    assert exit_code == (1 if expected[1] == "error" else 0)


def test_cases_cover_every_code():
    covered = {expected[0] for _, expected in map(read_case, CASES) if expected}
    assert len(covered) >= 15
    assert set(CODES) - covered == NOT_AS_A_CASE


def test_case_severity_is_the_documented_one():
    for case in CASES:
        _, expected = read_case(case)
        if expected:
            assert expected[1] == CODES[expected[0]].severity, case.name
