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


# --- the index (build/.cache/incidents) ------------------------------------

import pickle  # noqa: E402

import pytest  # noqa: E402

from secbrief.authoring.incidents_index import load_index  # noqa: E402
from secbrief.authoring.incidents_query import Query, find  # noqa: E402
from secbrief.core.diagnostics import Report  # noqa: E402
from secbrief.core.project import Project  # noqa: E402
from secbrief.load import parsecache  # noqa: E402
from secbrief.validate.load_corpus import load_corpus  # noqa: E402

QUERIES = [Query(), Query(actor="AAH"), Query(actor="Iran-backed militias", with_affiliates=True),
           Query(country="Syria"), Query(type="drone-attack", since=__import__("datetime").date(2023, 10, 20)),
           Query(place="Ain al-Asad Air Base"), Query(cited_by="2023-w41-two-rivers-freight")]


def test_the_index_finds_what_a_full_load_finds(demo):
    corpus = load_corpus(Project.at(demo), Report())
    index = load_index(Project.at(demo))
    assert index.read == len(list((demo / "incidents").glob("*/*.yaml"))) + len(list((demo / "briefs").glob("*.yaml")))
    for query in QUERIES:
        assert find(index, query) == find(corpus, query), query
    assert (demo / "build/.cache/incidents").is_file()


@pytest.fixture
def trusted_now(monkeypatch):
    """Files written by the test are trusted at once (no racily-clean wait)."""
    monkeypatch.setattr(parsecache, "RACY_NS", 0)


def test_only_changed_files_are_read_again(demo, trusted_now):
    project = Project.at(demo)
    load_index(project)
    assert load_index(project).read == 0
    path = demo / "incidents/2020/2020-12-20-us-embassy-rockets.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "title: ", "title: Revised: ", 1).replace("Revised: ", "Revised ", 1), encoding="utf-8")
    index = load_index(project)
    assert index.read == 1
    row = next(r for r in index.rows if r.id == "2020-12-20-us-embassy-rockets")
    assert row.title.startswith("Revised ")
    path.unlink()
    assert "2020-12-20-us-embassy-rockets" not in {r.id for r in load_index(project).rows}


def test_a_file_with_errors_is_counted_not_listed(demo, trusted_now):
    path = demo / "incidents/2020/2020-12-20-us-embassy-rockets.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("type: rocket-attack", "type: rockets"),
                    encoding="utf-8")
    result = run(demo, *AAH_DECEMBER)
    assert result.returncode == 0 and result.stdout == ""
    assert result.stderr == "0 incident(s); 1 file(s) with errors are not read (secbrief check names their problems)\n"


def test_a_damaged_or_foreign_index_is_ignored(demo):
    cache = demo / "build/.cache/incidents"
    expected = run(demo, *AAH_DECEMBER).stdout
    for junk in (b"not a pickle", pickle.dumps({"identity": "another version", "files": {}}),
                 b"cos\nsystem\n(S'echo owned'\ntR."):  # a pickle that would call os.system
        cache.write_bytes(junk)
        result = run(demo, *AAH_DECEMBER)
        assert result.returncode == 0 and result.stdout == expected and "owned" not in result.stdout
