"""The command line: help with examples, usage errors exit 2, no tracebacks."""

import pytest

from conftest import run


@pytest.mark.parametrize("command", ["build", "check", "schema"])
def test_help_has_an_example(mini, command):
    result = run(mini, command, "--help")
    assert result.returncode == 0
    assert "example:" in result.stdout and f"secbrief {command}" in result.stdout


def test_usage_error_exit_2(mini):
    result = run(mini, "build", "--format", "docx")
    assert result.returncode == 2
    assert result.stderr.strip() == "--format: expected a comma-separated list of md, html, pdf, " \
                                    "but received: 'docx'"


def test_unknown_command_exit_2(mini):
    result = run(mini, "frobnicate")
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_unknown_brief_exit_2(mini):
    result = run(mini, "build", "no-such-brief")
    assert result.returncode == 2
    assert "unknown brief 'no-such-brief'; the briefs are: test-brief" in result.stderr
