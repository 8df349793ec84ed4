"""`secbrief new`: skeletons at the right path that `check` accepts once the
required fields are filled in, and never an overwritten file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import REPO, run, snapshot

STYLES = sorted(p.name for p in (REPO / "templates").iterdir() if p.is_dir() and not p.name.startswith("_"))


def fill(path: Path, values: list[tuple[str, str]]) -> None:
    """Do what an analyst does: put a value after each empty `key:` line,
    in file order (each key is looked for after the previous one), keeping
    the comments."""
    text = path.read_text(encoding="utf-8")
    position = 0
    for key, value in values:
        pattern = re.compile(rf"^(\s*(?:- )?){re.escape(key)}:[ \t]*(?=#|$)", re.M)
        match = pattern.search(text, position)
        assert match, f"no empty '{key}:' in the skeleton after offset {position}"
        replacement = f"{match.group(1)}{key}: {value} "
        text = text[:match.start()] + replacement + text[match.end():]
        position = match.start() + len(replacement)
    path.write_text(text, encoding="utf-8")


def test_new_incident_is_written_where_check_finds_it(mini):
    result = run(mini, "new", "incident", "--date", "2020-12-23", "convoy-bomb")
    assert result.returncode == 0, result.stderr
    path = mini / "incidents/2020/2020-12-23-convoy-bomb.yaml"
    assert result.stdout.strip() == ("created incidents/2020/2020-12-23-convoy-bomb.yaml: fill in the fields "
                                     "marked REQUIRED, then run: secbrief check "
                                     "incidents/2020/2020-12-23-convoy-bomb.yaml")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# A new incident: 2020-12-23-convoy-bomb\n")
    assert "date: 2020-12-23" in text

    display = "incidents/2020/2020-12-23-convoy-bomb.yaml"
    unfilled = run(mini, "check", str(path))
    assert unfilled.returncode == 1
    for field in ("title", "type", "summary", "publisher", "grade"):
        assert f"error: {field}: " in unfilled.stdout and "but it is empty" in unfilled.stdout
    # An empty skeleton field is said to be empty (SB105), not to want quotes.
    assert f"{display}:8:7: error: title: expected text, but it is empty\n" in unfilled.stdout
    assert "put it in quotes" not in unfilled.stdout

    fill(path, [("title", "Roadside bomb hits a logistics convoy"), ("type", "ied-attack"),
                ("place", "US Embassy Baghdad"), ("summary", "A roadside bomb hit a convoy [@wire-2020-12-24]."),
                ("id", "wire-2020-12-24"), ("publisher", "Test Wire"), ("title", "Convoy hit near Baghdad"),
                ("date", "2020-12-24"), ("grade", "B2")])
    filled = run(mini, "check")
    assert filled.returncode == 0, filled.stdout + filled.stderr
    assert "ok: no errors" in filled.stderr


@pytest.mark.parametrize("style", STYLES)
def test_new_brief_passes_check_once_title_and_tlp_are_filled(mini, style):
    result = run(mini, "new", "brief", "--style", style, "--date", "2020-12-28", "weekly")
    assert result.returncode == 0, result.stderr
    path = mini / "briefs/2020-12-28-weekly.yaml"
    text = path.read_text(encoding="utf-8")
    assert f"style: {style}\n" in text and "issued: 2020-12-28" in text
    assert run(mini, "check", str(path)).returncode == 1  # title and tlp are still empty

    fill(path, [("title", "A new brief"), ("tlp", "AMBER")])
    filled = run(mini, "check")
    assert filled.returncode == 0, filled.stdout + filled.stderr
    built = run(mini, "build", "2020-12-28-weekly", "--format", "md")
    assert built.returncode == 0, built.stderr
    assert (mini / "build/2020-12-28-weekly/2020-12-28-weekly.md").read_text().startswith("TLP:AMBER\n")


def test_a_name_that_starts_with_a_date_keeps_it(mini):
    result = run(mini, "new", "incident", "2021-02-15-erbil-airport-rockets")
    assert result.returncode == 0, result.stderr
    assert (mini / "incidents/2021/2021-02-15-erbil-airport-rockets.yaml").is_file()


@pytest.mark.parametrize("args", [
    ("new", "incident", "--date", "2020-12-23", "convoy-bomb"),
    ("new", "brief", "--style", "flash-brief", "--date", "2020-12-23", "convoy-bomb"),
])
def test_never_overwrites(mini, args):
    assert run(mini, *args).returncode == 0
    path = next(p for p in mini.rglob("2020-12-23-convoy-bomb.yaml"))
    path.write_text(path.read_text() + "# my notes\n")
    before = snapshot(mini)
    again = run(mini, *args)
    assert again.returncode == 1
    shown = path.relative_to(mini)
    assert again.stderr.strip() == (f"{shown}:1:1: error: {shown} already exists; nothing was written "
                                    "(edit it, or choose another name)")
    assert snapshot(mini) == before


@pytest.mark.parametrize("args, message", [
    (("new", "brief", "--style", "memo", "x"), "--style: unknown style 'memo'; expected one of: "),
    (("new", "incident", "Convoy_Bomb"), "'Convoy_Bomb' is not a valid name"),
    (("new", "incident", "--date", "2020-02-30", "x"), "--date: expected a date as YYYY-MM-DD, but received: "
                                                        "'2020-02-30'"),
    (("new", "incident", "--date", "2020-01-02", "2020-01-01-x"), "--date 2020-01-02 disagrees with the date"),
    (("new", "brief", "x"), "the following arguments are required: --style"),
    (("new",), "the following arguments are required: KIND"),
])
def test_usage_errors_exit_2_and_write_nothing(mini, args, message):
    before = snapshot(mini)
    result = run(mini, *args)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert snapshot(mini) == before


@pytest.mark.parametrize("args", [("new",), ("new", "incident"), ("new", "brief")])
def test_help_has_an_example(mini, args):
    result = run(mini, *args, "--help")
    assert result.returncode == 0
    assert "example:" in result.stdout and "secbrief new " in result.stdout
