"""No input drives the terminal (issue 16, item 3): control characters,
terminal escapes and bidi overrides from an ACLED cell, a YAML value, an
actor's name, a file name or the command line reach standard output and
standard error only escaped (core.diagnostics.shown), in text, JSON and
SARIF alike. Real runs of `python -m secbrief`, as a user would."""

from __future__ import annotations

import ast
import csv
import io
import json
import re

import pytest
import yaml

from conftest import REPO, run
from test_history import commit_all, git, sb
from secbrief import cli
from secbrief.core.diagnostics import Diagnostic, SecbriefError, safe_json, shown

# Each hostile value, and how a user sees it.
VALUES = [
    pytest.param("\x1b", r"\x1b", id="ESC"),
    pytest.param("\x07", r"\x07", id="BEL"),
    pytest.param("\x1b[31m", r"\x1b[31m", id="CSI"),
    pytest.param("\x1b]0;pwned\x07", r"\x1b]0;pwned\x07", id="OSC"),
    pytest.param("\u202e", r"\u202e", id="RLO"),
]
# What must never be printed raw (written out here, not taken from the code
# under test): C0 but the line feed, DEL, C1, bidi controls, line separators.
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")
ACLED_HEADER = ["event_id_cnty", "event_date", "event_type", "sub_event_type", "actor1", "actor2", "country",
                "location", "notes", "source", "fatalities"]
INCIDENT = REPO / "tests" / "fixtures" / "mini" / "incidents" / "2020" / "2020-12-20-embassy-rockets.yaml"


def by_hand(text: str) -> str:
    """``text`` as a user sees it, escaped here for the characters VALUES use."""
    return text.replace("\x1b", r"\x1b").replace("\x07", r"\x07").replace("\u202e", r"\u202e")


def assert_safe(result, code: int) -> None:
    assert not RAW.search(result.stdout), result.stdout
    assert not RAW.search(result.stderr), result.stderr
    assert result.returncode == code, result.stdout + result.stderr


def quoted(text: str) -> str:
    """A YAML double-quoted scalar (a JSON string is one) holding ``text``."""
    return json.dumps(text)


# --- (a) an ACLED cell, and the CSV's file name ---------------------------------

def acled_csv(value: str) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([
        ACLED_HEADER,
        ["IRQ1", "2020-12-20", "Riots", "Mob violence", f"Gang{value} One", "", "Iraq", "Baghdad",
         f"Notes {value} here.", "Wire", "0"],
        ["IRQ2", f"2020{value}-12-21", "Protests", "Peaceful protest", "Protesters (Iraq)", "", "Iraq", "Baghdad",
         "Calm.", "", ""],
    ])
    return out.getvalue()


@pytest.mark.parametrize("value, escaped", VALUES)
def test_an_acled_cell_and_file_name_are_shown_escaped(mini, value, escaped):
    name = f"events{value}.csv"
    (mini / name).write_text(acled_csv(value), encoding="utf-8")
    result = run(mini, "import", "acled", name, "--dry-run")
    assert_safe(result, 1)  # the malformed date: a content error
    assert result.stderr.splitlines() == [
        f"events{escaped}.csv:3: error: event_date '2020{escaped}-12-21' is not a date: "
        "write 2023-10-20 or 20 October 2023"]
    # ACLED separates actors with ';' (as the OSC sequence holds one): each is
    # listed, and its suggested registry entry, pasted as it is shown, names
    # the actor as the CSV does.
    actors = [actor.strip() for actor in f"Gang{value} One".split(";")]
    assert f"# Left out of actors (not in incidents/actors.yaml): {by_hand(actors[0])}" in result.stdout
    for actor in actors:
        assert f"  # {by_hand(actor)}: in IRQ1" in result.stdout
    entries = yaml.safe_load(result.stdout[result.stdout.index("  # ", result.stdout.index("Add the spelling")):])
    assert sorted(e["name"] for e in entries) == sorted(actors)

    written = run(mini, "import", "acled", name)
    assert_safe(written, 1)
    path = next((mini / "incidents" / "2020").glob("2020-12-20-baghdad-*.yaml"))
    text = path.read_text(encoding="utf-8")
    assert not RAW.search(text), text  # nothing raw in the file either
    data = yaml.safe_load(text)
    assert data["summary"].startswith(f"Notes {value} here.")


# --- (b) a YAML value, (c) an unknown actor's name, (d) a file name ----------------

def hostile_project(root, value: str) -> None:
    """The mini project with the value in a valid incident's title, an
    unknown place and actor of another incident, and a third one's file name."""
    text = INCIDENT.read_text(encoding="utf-8")
    folder = root / "incidents" / "2020"
    (folder / INCIDENT.name).write_text(
        text.replace("title: Rockets fired at the US Embassy", f"title: {quoted(f'Rockets{value} fired')}"),
        encoding="utf-8")
    (folder / "2020-12-19-bad-values.yaml").write_text(
        text.replace("date: 2020-12-20", "date: 2020-12-19")
            .replace("place: US Embassy Baghdad", f"place: {quoted(f'Bag{value}hdad')}")
            .replace("{name: US, role: target}", f"{{name: {quoted(f'Evil{value}Actor')}, role: target}}"),
        encoding="utf-8")
    (folder / f"2020-12-18-file{value}name.yaml").write_text(
        text.replace("date: 2020-12-20", "date: 2020-12-18"), encoding="utf-8")


def expected_problems(escaped: str) -> list[tuple[str, str]]:
    """(path, part of the message) of each diagnostic the values cause."""
    return [("incidents/2020/2020-12-19-bad-values.yaml", f"unknown place 'Bag{escaped}hdad'"),
            ("incidents/2020/2020-12-19-bad-values.yaml", f"unknown actor 'Evil{escaped}Actor'"),
            (f"incidents/2020/2020-12-18-file{escaped}name.yaml",
             f"file name '2020-12-18-file{escaped}name.yaml' is not a valid id")]


@pytest.mark.parametrize("value, escaped", VALUES)
def test_check_shows_values_and_file_names_escaped_in_text_json_and_sarif(mini, value, escaped):
    hostile_project(mini, value)
    text = run(mini, "check")
    assert_safe(text, 1)
    for path, message in expected_problems(escaped):
        assert any(line.startswith(f"{path}:") and message in line for line in text.stdout.splitlines()), \
            (path, message, text.stdout)

    as_json = run(mini, "check", "--format", "json")
    assert_safe(as_json, 1)
    found = [(d["path"], d["message"]) for d in json.loads(as_json.stdout)["diagnostics"]]
    for path, message in expected_problems(escaped):
        assert any(p == path and message in m for p, m in found), (path, message, found)

    sarif = run(mini, "check", "--format", "sarif")
    assert_safe(sarif, 1)
    found = [(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], r["message"]["text"])
             for r in json.loads(sarif.stdout)["runs"][0]["results"]]
    for path, message in expected_problems(escaped):
        assert any(p == path and message in m for p, m in found), (path, message, found)


@pytest.mark.parametrize("value, escaped", VALUES)
def test_build_and_incidents_show_values_escaped(mini, value, escaped):
    hostile_project(mini, value)
    build = run(mini, "build", "--format", "md")
    assert_safe(build, 1)
    assert f"unknown actor 'Evil{escaped}Actor'" in build.stderr

    listed = run(mini, "incidents")
    assert_safe(listed, 0)
    assert f"    Rockets{escaped} fired (rocket-attack; US Embassy Baghdad, Iraq)" in listed.stdout.splitlines()
    as_csv = run(mini, "incidents", "--format", "csv")
    assert_safe(as_csv, 0)
    assert f"Rockets{escaped} fired" in as_csv.stdout
    # JSON keeps the data exact: its own escapes, which a parser reads back.
    as_json = run(mini, "incidents", "--format", "json")
    assert_safe(as_json, 0)
    assert f"Rockets{value} fired" in [row["title"] for row in json.loads(as_json.stdout)]


@pytest.mark.parametrize("value, escaped", VALUES)
def test_values_from_the_command_line_are_shown_escaped(mini, value, escaped):
    result = run(mini, "build", "--format", "md", f"no-such{value}brief")
    assert_safe(result, 2)
    assert result.stderr == f"unknown brief 'no-such{escaped}brief'; the briefs are: test-brief\n"


@pytest.mark.parametrize("args", [
    ["export", "stix", "x{v}"], ["new", "incident", "x{v}"], ["incidents", "--actor", "x{v}"],
    ["check", "x{v}.yaml"], ["publish", "out", "--ceiling", "x{v}"], ["no-such-command{v}"],
    ["serve", "x{v}", "--port", "0"], ["serve", "--port", "0", "--editor-url", "x{v}"],
])
def test_every_command_shows_its_arguments_escaped(mini, args):
    value = "\x1b]0;pwned\x07\x1b[31m\u202e"
    result = run(mini, *[a.replace("{v}", value) for a in args])
    assert_safe(result, 2)
    assert r"\x1b]0;pwned\x07\x1b[31m\u202e".casefold() in result.stderr.casefold()


# --- analyst text across revisions: `secbrief diff` and `secbrief history` ------

def test_diff_and_history_show_analyst_text_escaped_and_keep_their_colours(mini):
    value, escaped = "\x1b]0;pwned\x07\x1b[31m\u202e", r"\x1b]0;pwned\x07\x1b[31m\u202e"
    git(mini, "init", "-q")
    commit_all(mini, "first")
    brief = mini / "briefs" / "test-brief.yaml"
    brief.write_text(brief.read_text(encoding="utf-8").replace(
        "outlook: The outlook paragraph.", f"outlook: {quoted(f'The {value} outlook.')}\n"
        "key_judgements:\n  - id: attacks-continue\n    statement: Attacks will go on.\n"
        f"    likelihood: {quoted(f'likely{value}')}\n    confidence: moderate\n"
        "    evidence: [2020-12-20-embassy-rockets]\n"), encoding="utf-8")
    commit_all(mini, "second", date_index=1)

    plain = sb(mini, "diff", "test-brief", "HEAD~1", "HEAD")
    assert_safe(plain, 0)
    assert f"  outlook: The [-outlook paragraph.-] {{+{escaped} outlook.+}}" in plain.stdout
    markdown = sb(mini, "diff", "test-brief", "HEAD~1", "HEAD", "--format", "md")
    assert_safe(markdown, 0)
    coloured = sb(mini, "diff", "test-brief", "HEAD~1", "HEAD", "--color", "always")
    ours = re.compile("\x1b\\[(?:31|32|1|2|0)m")  # diffreport's own colour codes
    assert ours.search(coloured.stdout)
    assert not RAW.search(ours.sub("", coloured.stdout)), coloured.stdout
    assert escaped in coloured.stdout

    history = sb(mini, "history", "test-brief")
    assert_safe(history, 0)
    assert f"attacks-continue: likely{escaped}, moderate" in history.stdout


# --- the escaping itself, and the one path --------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("plain, é, كتائب حزب الله, \u200b", "plain, é, كتائب حزب الله, \u200b"),
    ("tab\tand\nline\r", r"tab\tand\nline\r"),
    ("\x00\x1f\x7f\x85\x9b", r"\x00\x1f\x7f\x85\x9b"),
    ("\u061c\u200e\u200f\u202a\u202e\u2066\u2069\u2028\u2029", r"\u061c\u200e\u200f\u202a\u202e\u2066\u2069\u2028\u2029"),
    ("\udcff", r"\udcff"),  # an undecodable byte of a file name: cannot be printed raw at all
    (r"already \x1b", r"already \x1b"),  # shown twice is shown once
])
def test_shown(text, expected):
    assert shown(text) == expected
    assert shown(shown(text)) == expected


def test_safe_json_keeps_the_data():
    data = {"title": "a\x1b[31m\u202e\x85\u2028b", "name": "كتائب"}
    text = safe_json(json.dumps(data, ensure_ascii=False))
    assert not RAW.search(text) and "كتائب" in text
    assert json.loads(text) == data


def test_a_diagnostic_without_line_or_column_leaves_them_out():
    assert str(Diagnostic("a.csv", 23, 0, "bad \x1b")) == r"a.csv:23: error: bad \x1b"
    assert str(SecbriefError.at("out/\u202e", "cannot write")) == r"out/\u202e: error: cannot write"
    assert str(SecbriefError.at("a.yaml", "no", 1, 1)) == "a.yaml:1:1: error: no"


def test_the_internal_error_line_is_shown_escaped(mini, monkeypatch, capsys):
    def broken(args):
        raise KeyError("\x1b]0;pwned\x07")

    monkeypatch.setattr("secbrief.commands.check.run", broken)
    assert cli.main(["-C", str(mini), "check"]) == 3
    err = capsys.readouterr().err
    assert not RAW.search(err) and r"KeyError: '\x1b]0;pwned\x07'" in err


def test_every_line_printed_goes_through_say():
    """print() is called only by core.diagnostics.say; standard output is
    written directly only by the commands whose text is escaped where it is
    made (diagnostic_formats, diffreport, incidents_query, safe_json)."""
    direct = {"secbrief/commands/check.py", "secbrief/commands/diff.py", "secbrief/commands/incidents.py",
              "secbrief/commands/export_stix.py"}
    prints, writes = [], []
    for path in sorted((REPO / "secbrief").rglob("*.py")):
        name = path.relative_to(REPO).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            if isinstance(node.func, ast.Name) and node.func.id == "print":
                prints.append(name)
            elif ast.unparse(node.func) in ("sys.stdout.write", "sys.stderr.write"):
                writes.append(name)
    assert prints == ["secbrief/core/diagnostics.py"]
    assert set(writes) <= direct, writes
