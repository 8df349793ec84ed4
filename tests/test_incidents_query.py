"""`secbrief incidents`: find incidents by actor, place, country, type and
date, with the briefs that cite each."""

from __future__ import annotations

import csv
import io
import json

import yaml

from conftest import REPO, run

AAH_DECEMBER = ["incidents", "--actor", "Asaib Ahl al-Haq", "--since", "2020-12-01", "--until", "2020-12-31"]


def incident_files(**where) -> set[str]:
    """Demo incidents whose YAML has every key: value given (read here, not by secbrief)."""
    found = set()
    for path in (REPO / "incidents").glob("*/*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if all(data.get(key) == value for key, value in where.items()):
            found.add(path.stem)
    return found


def ids(result) -> list[str]:
    return [row["id"] for row in json.loads(result.stdout)]


def test_the_actor_of_a_month_with_the_briefs_citing_it(demo):
    result = run(demo, *AAH_DECEMBER)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "2020-12-20  2020-12-20-us-embassy-rockets"
    assert "    cited by: 2020-12-21-renewed-targeting-us-interests-iraq" in result.stdout
    assert result.stderr == "1 incident(s)\n"


def test_any_alias_finds_the_same_actor(demo):
    canonical = run(demo, *AAH_DECEMBER, "--format", "json")
    for alias in ("Asa'ib Ahl al-Haq", "AAH", "league of the righteous"):
        aliased = run(demo, "incidents", "--actor", alias, "--since", "2020-12-01", "--until", "2020-12-31",
                      "--format", "json")
        assert aliased.stdout == canonical.stdout, alias


def test_with_affiliates_adds_the_member_groups(demo):
    umbrella = ids(run(demo, "incidents", "--actor", "Iran-backed militias", "--format", "json"))
    everyone = ids(run(demo, "incidents", "--actor", "Iran-backed militias", "--with-affiliates", "--format", "json"))
    assert set(umbrella) < set(everyone)
    assert "2020-12-20-us-embassy-rockets" in set(everyone) - set(umbrella)  # Asaib Ahl al-Haq is a member


def test_type_country_and_dates_filter_together(demo):
    drones = set(ids(run(demo, "incidents", "--type", "drone-attack", "--format", "json")))
    assert drones == incident_files(type="drone-attack")
    syria = ids(run(demo, "incidents", "--type", "drone-attack", "--country", "syria", "--since", "2023-10-20",
                    "--format", "json"))
    assert syria == ["2023-10-23-al-tanf-drones-thwarted"]


def test_cited_by_lists_what_a_brief_cites(demo):
    result = run(demo, "incidents", "--cited-by", "2023-w41-two-rivers-freight", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [row["id"] for row in rows] == ["2023-10-13-tahrir-square-protest"]
    assert rows[0]["cited_by"] == "2023-w41-two-rivers-freight" and rows[0]["country"] == "Iraq"


def test_mistakes_are_one_line_and_exit_2(demo):
    actor = run(demo, "incidents", "--actor", "Kataib Hezbolah")
    assert actor.returncode == 2 and actor.stdout == ""
    assert "unknown actor 'Kataib Hezbolah' (did you mean 'Kataib Hezbollah'?)" in actor.stderr
    brief = run(demo, "incidents", "--cited-by", "no-such-brief")
    assert brief.returncode == 2 and "no brief 'no-such-brief'" in brief.stderr
    kind = run(demo, "incidents", "--type", "drone-atack")
    assert kind.returncode == 2 and "did you mean 'drone-attack'?" in kind.stderr
    for result in (actor, brief, kind):
        assert "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 1
