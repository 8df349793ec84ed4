"""`secbrief import acled`: what an analyst sees when importing ACLED data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from conftest import REPO, copy_project, run, snapshot, write
from secbrief.interop.acled.taxonomy import incident_type
from secbrief.model.documents import Actor

SAMPLE = Path(__file__).resolve().parent / "data" / "acled_sample.csv"
MALFORMED = ("acled_sample.csv:23: error: event_date '31/10/2023' is not a date: "
             "write 2023-10-20 or 20 October 2023")


def rendering_demo(tmp_path: Path) -> Path:
    """The demo corpus without the briefs whose style is not on this branch
    (they would make `secbrief check` fail for reasons unrelated to ACLED)."""
    root = copy_project(tmp_path / "demo", REPO)
    styles = {p.name for p in (root / "templates").iterdir() if p.is_dir()}
    for brief in (root / "briefs").glob("*.yaml"):
        style = yaml.safe_load(brief.read_text(encoding="utf-8"))["style"]
        if style not in styles:
            brief.unlink()
    return root


@pytest.fixture
def project(tmp_path) -> Path:
    root = rendering_demo(tmp_path)
    shutil.copy(SAMPLE, root / "acled_sample.csv")
    assert run(root, "check").returncode == 0
    return root


def imported(root: Path) -> dict[str, dict]:
    """acled_id -> incident data, for every incident that has one."""
    found = {}
    for path in (root / "incidents").rglob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and data.get("acled_id"):
            found[data["acled_id"]] = data
    return found


def test_sample_imports_into_incidents_that_pass_check(project):
    result = run(project, "import", "acled", "acled_sample.csv")
    assert result.returncode == 1, "a malformed row makes the exit status 1"
    assert result.stderr.strip() == MALFORMED
    assert "22 written, 0 already imported, 1 malformed row(s) skipped" in result.stdout
    incidents = imported(project)
    assert len(incidents) == 22 and "IRQ30122" not in incidents
    check = run(project, "check")
    assert check.returncode == 0, check.stdout + check.stderr


def test_both_date_formats_and_mapped_fields(project):
    run(project, "import", "acled", "acled_sample.csv")
    incidents = imported(project)
    written_long = incidents["IRQ30102"]  # "17 October 2023" in the CSV
    assert str(written_long["date"]) == "2023-10-17"
    assert str(incidents["IRQ30103"]["date"]) == "2023-10-18"
    assert written_long["type"] == "drone-attack"
    assert written_long["location"] == {"place": "Ain al-Asad Air Base", "admin1": "Anbar", "country": "Iraq",
                                        "lat": 33.7856, "lon": 42.4412, "precision": "exact"}
    assert written_long["casualties"] == {"killed": 0}
    # The state's forces resolve to the state; the militia is the suspected initiator.
    assert written_long["actors"] == [{"name": "Islamic Resistance in Iraq", "role": "suspected"},
                                      {"name": "United States", "role": "target"}]
    assert [(s["publisher"], s["grade"]) for s in written_long["sources"]] == [
        ("ACLED", "B3"), ("Shafaq News", "C3"), ("Rudaw", "C3")]
    assert written_long["summary"].startswith("On 17 October 2023, two drones")
    assert written_long["summary"].endswith("[@acled-irq30102; @shafaq-news-irq30102; @rudaw-irq30102]")
    assert incidents["SYR30118"]["type"] == "airstrike"  # Air/drone strike by state forces
    assert incidents["IRQ30107"]["location"]["precision"] == "near"  # geo_precision 2
    assert incidents["IRQ30115"]["location"]["precision"] == "approximate"  # geo_precision 3


def test_actor_spelled_as_an_alias_is_written_with_its_registry_name(project):
    run(project, "import", "acled", "acled_sample.csv")
    incidents = imported(project)
    # "Islamic Resistance of Iraq" and "Kata'ib Hizbollah" in the CSV.
    assert {"name": "Islamic Resistance in Iraq", "role": "other"} in incidents["SYR30112"]["actors"]
    assert incidents["IRQ30115"]["actors"] == [{"name": "Kataib Hezbollah", "role": "other"}]


def test_unknown_actors_are_listed_with_a_registry_entry(project):
    result = run(project, "import", "acled", "acled_sample.csv")
    out = result.stdout
    block = out[out.index("  # Civilians (Iraq)"):]
    entries = yaml.safe_load(block)
    assert [e["name"] for e in entries] == ["Civilians (Iraq)", "Unidentified Armed Group (Iraq)"]
    for entry in entries:
        Actor.model_validate(entry)  # pasteable as is
    assert "# Unidentified Armed Group (Iraq): in IRQ30104, IRQ30106, IRQ30107, IRQ30116" in out
    path = next((project / "incidents" / "2023").glob("2023-10-19-ain-al-asad-air-base-rocket-attack*.yaml"))
    assert ("# Left out of actors (not in incidents/actors.yaml): Unidentified Armed Group (Iraq) (actor1)."
            in path.read_text(encoding="utf-8"))


def test_second_import_writes_nothing_and_says_so(project):
    run(project, "import", "acled", "acled_sample.csv")
    before = snapshot(project)
    again = run(project, "import", "acled", "acled_sample.csv")
    assert snapshot(project) == before
    assert "nothing to write: 22 already imported, 1 malformed row(s) skipped" in again.stdout
    assert "skipped IRQ30102: already imported as incidents/2023/" in again.stdout
    assert again.returncode == 1 and again.stderr.strip() == MALFORMED


def test_dry_run_writes_nothing_and_shows_the_files(project):
    before = snapshot(project)
    result = run(project, "import", "acled", "acled_sample.csv", "--dry-run")
    assert snapshot(project) == before
    assert "would write incidents/2023/2023-10-17-ain-al-asad-air-base-drone-attack.yaml (IRQ30102)" \
        in result.stdout
    assert "    acled_id: IRQ30102" in result.stdout
    assert "dry run, nothing written: 22 to write" in result.stdout


def test_an_event_already_in_the_corpus_is_not_imported_again(project):
    existing = project / "incidents" / "2023" / "2023-10-22-ain-al-asad-rockets.yaml"
    existing.write_text(existing.read_text(encoding="utf-8") + "acled_id: IRQ30111\n", encoding="utf-8")
    result = run(project, "import", "acled", "acled_sample.csv")
    assert ("skipped IRQ30111: already imported as incidents/2023/2023-10-22-ain-al-asad-rockets.yaml"
            in result.stdout)
    assert "21 written, 1 already imported" in result.stdout


def test_existing_files_are_never_overwritten(project):
    taken = project / "incidents" / "2023" / "2023-10-17-ain-al-asad-air-base-drone-attack.yaml"
    shutil.copy(project / "incidents" / "2023" / "2023-10-17-ain-al-asad-drones.yaml", taken)
    original = taken.read_bytes()
    result = run(project, "import", "acled", "acled_sample.csv")
    assert taken.read_bytes() == original
    assert "wrote incidents/2023/2023-10-17-ain-al-asad-air-base-drone-attack-2.yaml (IRQ30102)" in result.stdout
    assert run(project, "check").returncode == 0


def test_filters_by_country_and_dates(project):
    result = run(project, "import", "acled", "acled_sample.csv",
                 "--country", "syria", "--from", "2023-10-20", "--to", "27 October 2023")
    assert sorted(imported(project)) == ["SYR30110", "SYR30112", "SYR30118"]
    assert "3 written, 0 already imported, 19 outside --country/--from/--to, 1 malformed" in result.stdout


@pytest.mark.parametrize("args, message", [
    (["--from", "31/10/2023"], "'31/10/2023' is not a date"),
    (["--to", "30 February 2023"], "'30 February 2023' is not a real date"),
])
def test_bad_date_option_is_a_usage_error(project, args, message):
    result = run(project, "import", "acled", "acled_sample.csv", *args)
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr


def test_missing_file_is_a_usage_error(project):
    result = run(project, "import", "acled", "nope.csv")
    assert result.returncode == 2 and result.stderr.strip() == "nope.csv: no such file"


def test_a_file_without_acled_columns_imports_nothing(project):
    write(project, "other.csv", "id,date\n1,2023-10-20\n")
    before = snapshot(project)
    result = run(project, "import", "acled", "other.csv")
    assert result.returncode == 1 and snapshot(project) == before
    assert result.stderr.strip() == ("other.csv:1: error: missing ACLED column(s): event_id_cnty, event_date, "
                                     "event_type, sub_event_type, actor1, country, notes")


def test_hostile_text_stays_text(mini):
    """Quotes, colons, '#', a fake citation and a line break in ACLED's fields
    cannot change the YAML's structure or break `secbrief check`."""
    write(mini, "evil.csv", '''
        event_id_cnty,event_date,event_type,sub_event_type,actor1,actor2,country,location,notes,source,fatalities
        IRQ1,2020-12-20,Riots,Mob violence,"Gang: ""X"" # y",US,Iraq,"Baghdad: ""Zone"" #1","Line one: [@evil] and [x](javascript:alert(1))
        summary: injected
        # not a comment",'Quoted' Press; [Wire],2
        IRQ2,2020-12-21,Protests,Peaceful protest,Protesters (Iraq),,Iraq,Baghdad,"Calm, all day.",,
        ''')
    result = run(mini, "import", "acled", "evil.csv")
    assert result.returncode == 0, result.stderr
    check = run(mini, "check")
    assert check.returncode == 0, check.stdout
    path = next((mini / "incidents" / "2020").glob("2020-12-20-baghdad-zone-1-*.yaml"))
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["location"]["city"] == 'Baghdad: "Zone" #1'
    assert data["summary"].startswith("Line one: (@evil) and (x)(javascript:alert(1))\nsummary: injected\n")
    assert [s["publisher"] for s in data["sources"]] == ["ACLED", "'Quoted' Press", "[Wire]"]
    assert set(data) == {"date", "title", "type", "location", "actors", "casualties", "summary", "sources",
                         "tags", "acled_id"}
    assert "# Left out of actors (not in incidents/actors.yaml): Gang: \"X\" # y (actor1)." in \
        path.read_text(encoding="utf-8")


@pytest.mark.parametrize("event, sub, inter1, notes, expected", [
    ("Explosions/Remote violence", "Air/drone strike", "Political militia", "", "drone-attack"),
    ("Explosions/Remote violence", "Air/drone strike", "1", "", "airstrike"),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack", "", "Katyusha rockets", "rocket-attack"),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack", "", "ballistic missiles", "missile-attack"),
    ("Strategic developments", "Disrupted weapons use", "", "a drone was shot down", "drone-attack"),
    ("Strategic developments", "Disrupted weapons use", "", "weapons cache seized", "strategic-development"),
    ("violence against civilians", "abduction/forced disappearance", "", "", "abduction"),
])
def test_type_mapping(event, sub, inter1, notes, expected):
    from secbrief.interop.acled.taxonomy import category

    assert incident_type(event, sub, category(inter1), notes) == expected


def test_unknown_event_type_is_a_malformed_row(mini):
    write(mini, "odd.csv", '''
        event_id_cnty,event_date,event_type,sub_event_type,actor1,country,notes
        IRQ1,2020-12-20,Battles,Dance-off,US,Iraq,Something happened.
        IRQ2,2020-12-20,Battles,Armed clash,US,Iraq,Something else happened.
        ''')
    result = run(mini, "import", "acled", "odd.csv")
    assert result.returncode == 1
    assert result.stderr.strip() == ("odd.csv:2: error: unknown sub_event_type 'Dance-off' for 'Battles'; "
                                     "expected one of: Armed clash, Government regains territory, "
                                     "Non-state actor overtakes territory")
    assert "1 written" in result.stdout


def test_help_has_an_example(mini):
    result = run(mini, "import", "acled", "--help")
    assert result.returncode == 0
    assert "example:" in result.stdout and "secbrief import acled" in result.stdout
    assert "--dry-run" in result.stdout and "exit status" in result.stdout


def test_an_incident_in_several_places_is_read_like_any_other(project):
    """An incident with `locations:` in the corpus: the import still passes its
    check first, recognises the incident's ACLED id, and what it writes
    (one `location:` per event) checks beside it."""
    existing = project / "incidents" / "2023" / "2023-10-22-ain-al-asad-rockets.yaml"
    text = existing.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert "location" in data
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("location:"))
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].startswith(" "))
    lines[start:end] = ["locations:", "  - {place: Ain al-Asad Air Base}", "  - {city: Hit, country: Iraq}"]
    existing.write_text("\n".join(lines) + "\nacled_id: IRQ30111\n", encoding="utf-8")
    assert run(project, "check").returncode == 0
    result = run(project, "import", "acled", "acled_sample.csv")
    assert "21 written, 1 already imported" in result.stdout
    assert all("location" in d and "locations" not in d for i, d in imported(project).items() if i != "IRQ30111")
    check = run(project, "check")
    assert check.returncode == 0, check.stdout + check.stderr
