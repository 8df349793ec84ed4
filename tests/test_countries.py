"""Countries come from ISO 3166 (pycountry) with a small table of the names
analysts and ACLED write that ISO spells otherwise (secbrief.core.countries);
a name that is no country's is a warning (SB223), shown as written."""

import json
import re

import pycountry
import pytest

from secbrief.cli import main
from secbrief.core import countries
from secbrief.interop.stix_vocab import country_code

# The countries the desk wrote about before pycountry, with the codes the
# STIX export gave them: still the same codes.
DESK = {
    "Bahrain": "BH", "Egypt": "EG", "Iran": "IR", "Iraq": "IQ", "Israel": "IL", "Jordan": "JO",
    "Kuwait": "KW", "Lebanon": "LB", "Oman": "OM", "Palestinian territories": "PS", "Palestine": "PS",
    "Qatar": "QA", "Saudi Arabia": "SA", "Syria": "SY", "Turkey": "TR", "Türkiye": "TR",
    "United Arab Emirates": "AE", "United Kingdom": "GB", "United States": "US", "Yemen": "YE",
}


@pytest.mark.parametrize("name,code", sorted(DESK.items()))
def test_the_desks_countries_keep_their_codes(name, code):
    assert countries.code(name) == code
    assert country_code(name) == code
    assert country_code(f" {name.upper()} ") == code


def test_every_iso_country_is_known_by_each_of_its_names():
    for country in pycountry.countries:
        for name in (country.name, getattr(country, "official_name", None), getattr(country, "common_name", None)):
            if name:
                assert countries.code(name) == country.alpha_2, name


def test_aliases_name_real_codes_and_only_names_iso_spells_otherwise():
    for name, code in countries.ALIASES.items():
        assert code == "XK" or pycountry.countries.get(alpha_2=code) is not None, name
    # Kosovo has no ISO 3166 code; XK is the one in use.
    assert countries.code("Kosovo") == "XK" and pycountry.countries.get(alpha_2="XK") is None


@pytest.mark.parametrize("name,code", [
    ("turkiye", "TR"), ("Russia", "RU"), ("Democratic Republic of Congo", "CD"), ("Cote d'Ivoire", "CI"),
    ("Côte d’Ivoire", "CI"), ("Iran, Islamic Republic of", "IR"), ("Syrian Arab Republic", "SY"),
    ("State of Palestine", None), ("Atlantis", None), ("NO", None), ("", None),
])
def test_names_compare_as_registry_names_do(name, code):
    assert countries.code(name) == code


def test_a_name_that_is_no_country_passes_through_the_stix_export_as_written():
    assert country_code("Kurdistan Region") == "Kurdistan Region"


@pytest.mark.parametrize("name,hint", [("Irak", "Iraq"), ("Syra", "Syria"), ("NO", "Norway"), ("IRQ", "Iraq"),
                                       ("Atlantis", None)])
def test_suggestions(name, hint):
    assert countries.suggest(name) == hint


def check(mini, capsys) -> list[tuple]:
    exit_code = main(["-C", str(mini), "check", "--format", "json"])
    found = json.loads(capsys.readouterr().out)["diagnostics"]
    return exit_code, [(d["code"], d["severity"], d["line"], d["column"], d["message"]) for d in found]


def set_country(mini, value: str) -> None:
    path = next((mini / "incidents").rglob("2020-12-20-embassy-rockets.yaml"))
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^  country: .*$", f"  country: {value}", text), encoding="utf-8")


@pytest.mark.parametrize("value", ["Iraq", "iraq", "Republic of Iraq", "'Türkiye'", "Turkey", "Kosovo"])
def test_known_countries_are_not_reported(mini, capsys, value):
    set_country(mini, value)
    assert check(mini, capsys) == (0, [])


def test_an_unknown_country_is_a_warning_with_a_hint(mini, capsys):
    set_country(mini, '"NO"')
    assert check(mini, capsys) == (0, [("SB223", "warning", 9, 12,
                                        "country: unknown country 'NO' (did you mean 'Norway'?)")])
    set_country(mini, "Atlantis")
    assert check(mini, capsys) == (0, [("SB223", "warning", 9, 12, "country: unknown country 'Atlantis': "
                                                                    "write its English name, as ISO 3166 has it")])


def test_an_unknown_country_is_reported_in_a_file_that_fails_its_model(mini, capsys):
    set_country(mini, "Irak")
    path = next((mini / "incidents").rglob("2020-12-20-embassy-rockets.yaml"))
    path.write_text(path.read_text(encoding="utf-8").replace("type: rocket-attack", "type: rocket"),
                    encoding="utf-8")
    exit_code, found = check(mini, capsys)
    assert exit_code == 1
    assert ("SB223", "warning", 9, 12, "country: unknown country 'Irak' (did you mean 'Iraq'?)") in found


# One country, two names: a client's scope, `incidents --country` and
# `import acled --country` take either for the other.

def test_a_scope_names_a_country_by_any_of_its_names():
    from types import SimpleNamespace

    from secbrief.model.clients import Scope
    from secbrief.validate.clients import in_scope

    from secbrief.model.documents import Location

    def incident(country):
        where = Location(country=country)
        return SimpleNamespace(location=where, locations=None, all_locations=[where], type="protest", tags=[])

    assert in_scope(None, Scope(countries=["Turkey"]), incident("Türkiye"))
    assert not in_scope(None, Scope(countries=["Syria"]), incident("Türkiye"))
    # no country's name: compared as a name
    assert in_scope(None, Scope(countries=["Kurdistan Region"]), incident("kurdistan region"))


def test_incidents_country_finds_a_country_by_another_of_its_names(mini, capsys):
    set_country(mini, "Türkiye")
    assert main(["-C", str(mini), "incidents", "--country", "Turkey", "--format", "json"]) == 0
    assert [row["country"] for row in json.loads(capsys.readouterr().out)] == ["Türkiye"]
    assert main(["-C", str(mini), "incidents", "--country", "Syria", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_acled_country_filter_takes_any_name_of_the_country():
    import datetime as dt

    from secbrief.interop.acled.importer import Filters

    day = dt.date(2023, 10, 20)
    assert Filters(countries=["Turkey"]).keep("Türkiye", day)
    assert Filters(countries=["palestinian territories"]).keep("Palestine", day)
    assert not Filters(countries=["Syria"]).keep("Iraq", day)
