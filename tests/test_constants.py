"""One definition of each constant: the TLP levels, the ISO-week and id
patterns, month names, stop signals, confidence levels and country codes
are written once, in the module that owns them, and imported everywhere
else (docs/architecture.md, "Where a change goes")."""

import re

import pytest

from conftest import REPO

SOURCE = {p.relative_to(REPO).as_posix(): p.read_text(encoding="utf-8") for p in (REPO / "secbrief").rglob("*.py")}

# (what, a pattern that finds a written-out copy, the one module allowed to
# hold it, or None: written out nowhere)
HOMES = [
    # core.tlp.TLP_LEVELS is tuple(LEVELS): the levels are never listed out.
    ("TLP levels", r'"CLEAR",\s*"GREEN"', None),
    ("ISO-week pattern", r"\\d\{4\}-W", "secbrief/core/dates.py"),
    ("id pattern", r"\[a-z0-9\]\+\(\?:-\[a-z0-9\]\+\)\*", "secbrief/core/textgrammar.py"),
    ("month names", r'"January",\s*"February"', "secbrief/core/dates.py"),
    ("stop signals", r'"SIGINT",\s*"SIGTERM"', "secbrief/core/stop_signals.py"),
    ("confidence levels", r'"low",\s*"moderate",\s*"high"', "secbrief/model/documents.py"),
    ("country codes", r'"(?:iraq|Iraq)":\s*"IQ"', None),
    ("name comparison", r"def name_key\b", "secbrief/core/textgrammar.py"),
    ("YAML comment text", r"def \w*comment\w*\(text", "secbrief/core/diagnostics.py"),
]


@pytest.mark.parametrize("what,pattern,home", HOMES, ids=[h[0] for h in HOMES])
def test_each_constant_is_written_once(what, pattern, home):
    found = sorted(path for path, text in SOURCE.items() if re.search(pattern, text))
    assert found == ([home] if home else []), what
    if home:
        assert len(re.findall(pattern, SOURCE[home])) == 1, what
