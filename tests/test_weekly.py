"""`make weekly` / `secbrief weekly`: one brief per client with exactly the
week's incidents in its scope, the next issue number, never overwriting,
and a rendered brief with the table, timeline, parties and 12-week chart."""

import re
import subprocess

import pytest
import yaml

from conftest import run, snapshot, write
from test_build import pdftotext
from weekly_support import (ENERGY, ENERGY_W42, FREIGHT, FREIGHT_W42, WEEK42, weekly_project, with_make)


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """The demo after `make weekly WEEK=2023-W42`."""
    root = with_make(weekly_project(tmp_path_factory.mktemp("weekly") / "demo"))
    result = subprocess.run(["make", "weekly", f"WEEK={WEEK42}"], cwd=root, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return root, result


def test_make_weekly_creates_one_brief_per_client_with_the_weeks_incidents(made):
    root, result = made
    for client, expected in ((FREIGHT, FREIGHT_W42), (ENERGY, ENERGY_W42)):
        path = root / "briefs" / f"2023-w42-{client}.yaml"
        data = yaml.safe_load(path.read_text())
        assert data["incidents"] == expected
        assert data["client"] == client and data["period"] == WEEK42 and data["style"] == "weekly-brief"
        assert f"created briefs/2023-w42-{client}.yaml" in result.stdout
        assert f"built 2023-w42-{client} (md, html, pdf): new" in result.stdout
    # Different scopes, so different sets: Iraq-wide freight; Kurdistan Region + Syria energy.
    assert set(FREIGHT_W42) != set(ENERGY_W42)


def test_prefilled_fields_come_from_the_client_profile(made):
    root, _ = made
    freight = yaml.safe_load((root / f"briefs/2023-w42-{FREIGHT}.yaml").read_text())
    energy = yaml.safe_load((root / f"briefs/2023-w42-{ENERGY}.yaml").read_text())
    assert freight["series"] == "Two Rivers Weekly Security Brief" and freight["tlp"] == "AMBER"
    assert freight["issue"] == 2          # the demo holds issue 1 (2023-W41) of this series
    assert energy["issue"] == 1 and energy["tlp"] == "GREEN"
    # Judgements and outlook wait for the analyst, as comments: the brief builds as it is.
    text = (root / f"briefs/2023-w42-{FREIGHT}.yaml").read_text()
    assert "# key_judgements:" in text and "# outlook: |" in text
    assert "key_judgements" not in freight


def test_rendered_weekly_brief_has_table_by_country_timeline_parties_and_chart(made):
    root, _ = made
    out = root / "build" / f"2023-w42-{ENERGY}"
    html = (out / f"2023-w42-{ENERGY}.html").read_text()
    assert html.count('<table class="incident-table">') == 2            # Iraq, then Syria
    assert html.index("<h3>Iraq") < html.index("<h3>Syria")
    assert '<ul class="timeline">' in html and "<h2>Parties involved</h2>" in html
    svg = re.search(r'<svg [^>]*class="weekly-chart".*?</svg>', html, re.S).group(0)
    assert "Incidents per week by type, 2023-W31 to 2023-W42" in svg
    assert svg.count(">W") == 12                                          # twelve week labels
    assert "--accent: #A4460E" in html and 'src="data:image/svg+xml;base64,' in html
    md = (out / f"2023-w42-{ENERGY}.md").read_text()
    assert "| 18 October 2023 | Harir Air Base, Iraq (map 1) | Drone attack [1] |" in md  # FDD of 24 October is later than the brief
    assert "| 2023-W42 (this week) | 16 Oct | 2 | 2 |" in md
    text = " ".join(pdftotext(out / f"2023-w42-{ENERGY}.pdf").replace("\u2019", "'").split())  # curly apostrophes
    for marker in ("Prepared for Northern Arc Energy", "This week's incidents", "Al-Tanf garrison, Syria",
                   "Timeline", "Parties involved", "Twelve-week trend", "W31", "W42", "Drone attack"):
        assert marker in text, marker


def test_rerun_reports_what_exists_and_overwrites_nothing(made):
    root, _ = made
    path = root / "briefs" / f"2023-w42-{FREIGHT}.yaml"
    edited = path.read_text().replace("# outlook: |\n#   What to expect next week.",
                                      "outlook: |\n  Expect more of the same.")
    path.write_text(edited)
    before = snapshot(root / "briefs")
    result = run(root, "weekly", WEEK42, "--no-build")
    assert result.returncode == 0, result.stderr
    assert f"exists: briefs/2023-w42-{FREIGHT}.yaml (left as it is)" in result.stdout
    assert f"exists: briefs/2023-w42-{ENERGY}.yaml (left as it is)" in result.stdout
    assert snapshot(root / "briefs") == before


def test_week_with_no_incident_in_scope_still_builds(tmp_path):
    root = weekly_project(tmp_path / "demo")
    result = run(root, "weekly", "2023-W30", "--client", ENERGY, "--no-build")
    assert result.returncode == 0, result.stderr
    data = yaml.safe_load((root / f"briefs/2023-w30-{ENERGY}.yaml").read_text())
    assert data["incidents"] == []
    built = run(root, "build", f"2023-w30-{ENERGY}", "--format", "md")
    assert built.returncode == 0, built.stderr
    md = (root / f"build/2023-w30-{ENERGY}/2023-w30-{ENERGY}.md").read_text()
    assert "No incident in scope was recorded from 24\u201330 July 2023." in md


@pytest.mark.parametrize("week, message", [
    ("2023-42", "week: expected an ISO week such as 2023-W42, but received: '2023-42'"),
    ("2023-W53", "week: 2023-W53 is not an ISO week of 2023 (it has 52 weeks)"),
])
def test_bad_week_is_a_usage_error(mini, week, message):
    result = run(mini, "weekly", week)
    assert result.returncode == 2
    assert result.stderr.strip() == message


def test_make_weekly_without_week_says_how(tmp_path):
    root = with_make(weekly_project(tmp_path / "demo"))
    result = subprocess.run(["make", "weekly"], cwd=root, capture_output=True, text=True)
    assert result.returncode != 0
    assert "usage: make weekly WEEK=2023-W42" in result.stderr


def test_project_without_clients_says_where_they_go(mini):
    result = run(mini, "weekly", WEEK42)
    assert result.returncode == 1
    assert result.stderr.strip() == "briefs/clients/: error: no client profiles; add one per client " \
                                    "(see docs/clients.md)"


def test_invalid_corpus_writes_no_brief(tmp_path):
    root = weekly_project(tmp_path / "demo")
    write(root, "incidents/2023/2023-10-21-bad.yaml", "date: 2023-10-21\ntitle: x\n")
    before = snapshot(root / "briefs")
    result = run(root, "weekly", WEEK42)
    assert result.returncode == 1
    assert "incidents/2023/2023-10-21-bad.yaml" in result.stderr and "nothing was written" in result.stderr
    assert snapshot(root / "briefs") == before


@pytest.mark.parametrize("command", ["weekly", "publish"])
def test_help_has_an_example(mini, command):
    result = run(mini, command, "--help")
    assert result.returncode == 0
    assert "example:" in result.stdout and f"secbrief {command} " in result.stdout


from hypothesis import given, strategies as st  # noqa: E402


@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_prefilled_text_survives_yaml_whatever_it_holds(text):
    """Series and titles come from profiles: quoting must never let one break the file."""
    from secbrief.authoring.weekly import _quoted
    from secbrief.core.diagnostics import yaml_comment

    assert yaml.safe_load(f"series: {_quoted(text)}  # {yaml_comment(text)}\n") == {"series": text}
