"""Golden files: the rendered Markdown and HTML of the mini brief.

When a template changes on purpose, run `make golden` and review the diff
of tests/golden/ in the commit: that diff is what readers will see change.
"""

import os
from pathlib import Path

import pytest

from conftest import run

GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_mini_brief_matches_golden(mini, fmt):
    result = run(mini, "build", "--format", "md,html")
    assert result.returncode == 0, result.stderr
    produced = (mini / "build/test-brief" / f"test-brief.{fmt}").read_text(encoding="utf-8")
    golden = GOLDEN / f"mini-test-brief.{fmt}"
    if os.environ.get("SECBRIEF_UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(produced, encoding="utf-8")
    assert golden.exists(), "no golden file yet: run `make golden` and review it"
    assert produced == golden.read_text(encoding="utf-8"), \
        f"{fmt} output changed: if intended, run `make golden` and review the diff"
