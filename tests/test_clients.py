"""Client profiles: validated with positions like every other file, and a
brief's `client` must name one whose TLP ceiling the brief respects."""

import pytest

from conftest import run, write

PROFILE = """\
name: Acme Freight LLC
scope:
  countries: [Iraq]
series: Acme Weekly
tlp_ceiling: AMBER
branding:
  display_name: Acme
  logo: logos/acme.svg
  accent: "#112233"
"""
LOGO = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>\n'


@pytest.fixture
def with_client(mini):
    write(mini, "briefs/clients/acme.yaml", PROFILE)
    write(mini, "briefs/clients/logos/acme.svg", LOGO)
    return mini


def check(root):
    result = run(root, "check")
    return result.returncode, [line for line in result.stdout.splitlines() if line]


def test_valid_profile_checks_clean(with_client):
    assert check(with_client) == (0, [])


def test_clients_folder_is_not_read_as_briefs(with_client):
    result = run(with_client, "build", "--format", "md")
    assert result.returncode == 0, result.stderr
    assert not (with_client / "build" / "acme").exists()


@pytest.mark.parametrize("old, new, expected", [
    ("accent: \"#112233\"", "accent: blue",
     "briefs/clients/acme.yaml:9:11: error: accent: expected a colour as #RRGGBB in quotes, e.g. \"#0B3D63\", "
     "but received: 'blue'"),
    ("countries: [Iraq]", "countries: [Iraq]\n  types: [drone-strike]",
     "briefs/clients/acme.yaml:4:11: error: types: expected one of: 'rocket-attack', 'missile-attack', "
     "'drone-attack', 'airstrike', 'ied-attack', 'armed-clash', 'attack', 'abduction', "
     "'violent-demonstration', 'protest', 'strategic-development', but received: 'drone-strike'"),
    ("tlp_ceiling: AMBER", "tlp_ceiling: GREEN\ntlp: RED",
     "briefs/clients/acme.yaml:6:6: error: tlp: TLP:RED is above this client's ceiling TLP:GREEN"),
    ("logo: logos/acme.svg", "logo: logos/missing.svg",
     "briefs/clients/acme.yaml:8:9: error: logo: file 'logos/missing.svg' not found (paths are relative "
     "to briefs/clients/)"),
    ("logo: logos/acme.svg", "logo: ../../../../etc/passwd",
     "briefs/clients/acme.yaml:8:9: error: logo: '../../../../etc/passwd' is outside the project"),
    ("series: Acme Weekly", "series: Acme Weekly\nstyle: weekly-breif",
     "briefs/clients/acme.yaml:5:8: error: style: unknown style 'weekly-breif'; expected one of: "),
    ("  countries: [Iraq]", "  countrys: [Iraq]",
     "briefs/clients/acme.yaml:3:3: error: unknown field 'countrys' (did you mean 'countries'?)"),
])
def test_profile_errors_have_positions(with_client, old, new, expected):
    path = with_client / "briefs/clients/acme.yaml"
    path.write_text(path.read_text().replace(old, new))
    code, lines = check(with_client)
    assert code == 1
    assert any(line.startswith(expected) for line in lines), lines


def test_scope_needs_an_area(with_client):
    path = with_client / "briefs/clients/acme.yaml"
    path.write_text(path.read_text().replace("  countries: [Iraq]", "  tags: [iraq]"))
    code, lines = check(with_client)
    assert code == 1
    assert lines == ["briefs/clients/acme.yaml:3:3: error: scope: a scope needs at least one country or region"]


def test_misspelt_region_is_a_warning_with_a_suggestion(with_client):
    places = with_client / "incidents/places.yaml"
    places.write_text(places.read_text().replace("    city: Baghdad\n", "    city: Baghdad\n    admin1: Baghdad\n"))
    path = with_client / "briefs/clients/acme.yaml"
    path.write_text(path.read_text().replace("countries: [Iraq]", "countries: [Iraq]\n  regions: [Bagdad, Duhok]"))
    code, lines = check(with_client)
    assert code == 0
    # 'Duhok' is a real governorate no incident has reached yet: no warning for it.
    assert lines == ["briefs/clients/acme.yaml:4:13: warning: regions: no incident or place names 'Bagdad' "
                     "(did you mean 'Baghdad'?)"]


def test_brief_names_an_unknown_client(with_client):
    brief = with_client / "briefs/test-brief.yaml"
    brief.write_text(brief.read_text() + "client: acne\n")
    code, lines = check(with_client)
    assert code == 1
    assert lines == [f"briefs/test-brief.yaml:{len(brief.read_text().splitlines())}:9: error: unknown client "
                     "'acne' (did you mean 'acme'?); a client is a profile in briefs/clients/<id>.yaml"]


def test_brief_above_its_clients_ceiling(with_client):
    path = with_client / "briefs/clients/acme.yaml"
    path.write_text(path.read_text().replace("tlp_ceiling: AMBER", "tlp_ceiling: GREEN"))
    brief = with_client / "briefs/test-brief.yaml"
    brief.write_text(brief.read_text() + "client: acme\n")   # the mini brief is TLP:AMBER
    code, lines = check(with_client)
    assert code == 1
    assert lines == ["briefs/test-brief.yaml:4:6: error: tlp: TLP:AMBER is above the ceiling TLP:GREEN of "
                     "client 'acme' (briefs/clients/acme.yaml)"]


def test_invalid_client_file_name(with_client):
    write(with_client, "briefs/clients/Acme_Two.yaml", PROFILE)
    code, lines = check(with_client)
    assert code == 1
    assert lines[0].startswith("briefs/clients/Acme_Two.yaml:1:1: error: file name 'Acme_Two.yaml' is not a "
                               "valid client id")
