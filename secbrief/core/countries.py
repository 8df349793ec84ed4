"""Countries: which country a name means, and its ISO 3166-1 code.

Every country comes from ISO 3166 (pycountry's copy of the standard): its
short name ("Iran, Islamic Republic of"), its official name and the common
name pycountry gives some ("Iran"). ALIASES adds the few names analysts and
ACLED write that ISO spells otherwise (Turkey for Türkiye, Palestine,
Russia...), and Kosovo, which ISO 3166 has not coded. Names compare as
registry names do (textgrammar.name_key): case, diacritics, apostrophes and
hyphens aside, so "Turkiye" is Türkiye.

A country is shown as the analyst wrote it; this module only says which
country that is: its code for the STIX export, whether it is one at all for
`secbrief check` (SB223), and which names mean one country when a client's
scope, `incidents --country` or `import acled --country` compares them.
"""

from __future__ import annotations

import difflib
import functools

import pycountry

from secbrief.core.textgrammar import name_key

# Names ISO 3166 spells otherwise -> ISO 3166-1 alpha-2. ISO's short,
# official and common names need no entry here.
ALIASES = {
    "Turkey": "TR",                      # ISO: Türkiye
    "Palestine": "PS",                   # ISO: Palestine, State of
    "Palestinian territories": "PS",
    "Occupied Palestinian Territory": "PS",
    "Syria": "SY",                       # ISO: Syrian Arab Republic
    "Iran": "IR",                        # ISO: Iran, Islamic Republic of
    "Russia": "RU",                      # ISO: Russian Federation
    "Kosovo": "XK",                      # not in ISO 3166; XK is the code the EU, the IMF and ACLED use
    "UAE": "AE",
    "UK": "GB",
    "Great Britain": "GB",
    "Britain": "GB",
    "USA": "US",
    "Democratic Republic of Congo": "CD",  # ACLED; ISO: Congo, The Democratic Republic of the
    "Democratic Republic of the Congo": "CD",
    "DR Congo": "CD",
    "Republic of Congo": "CG",           # ACLED; ISO: Congo
    "Ivory Coast": "CI",                 # ISO: Côte d'Ivoire
    "Cape Verde": "CV",                  # ISO: Cabo Verde
    "Czech Republic": "CZ",              # ISO: Czechia
    "Swaziland": "SZ",                   # ISO: Eswatini
    "Macedonia": "MK",                   # ISO: North Macedonia
    "East Timor": "TL",                  # ISO: Timor-Leste
    "Burma": "MM",                       # ISO: Myanmar
    "Vatican": "VA",
    "Vatican City": "VA",                # ACLED; ISO: Holy See (Vatican City State)
    "Brunei": "BN",                      # ISO: Brunei Darussalam
    "Micronesia": "FM",                  # ISO: Micronesia, Federated States of
    "Falkland Islands": "FK",            # ISO: Falkland Islands (Malvinas)
    "British Virgin Islands": "VG",      # ISO: Virgin Islands, British
    "United States Virgin Islands": "VI",
    "Caribbean Netherlands": "BQ",       # ACLED; ISO: Bonaire, Sint Eustatius and Saba
}


@functools.cache
def _names() -> dict[str, tuple[str, str]]:
    """name_key -> (ISO 3166-1 alpha-2, the name as written) for every name
    of every country, and the aliases."""
    names = {}
    for country in pycountry.countries:
        for name in (country.name, getattr(country, "official_name", None), getattr(country, "common_name", None)):
            if name:
                names.setdefault(name_key(name), (country.alpha_2, name))
    for name, code in ALIASES.items():
        names[name_key(name)] = (code, name)
    return names


def code(name: str) -> str | None:
    """The ISO 3166-1 alpha-2 code of the country ``name`` means (XK for
    Kosovo), or None when it is no country's name."""
    found = _names().get(name_key(name))
    return found[0] if found else None


def key(name: str) -> str:
    """How two names of a country compare: 'Turkey' and 'Türkiye' mean one
    country (its code); a name that is no country's compares as any name
    does (name_key, in lowercase, so it never equals a code)."""
    return code(name) or name_key(name)


def suggest(name: str) -> str | None:
    """A country's name for a misspelt one ('Irak': 'Iraq'), or for an ISO
    code written instead of a name ('NO': 'Norway')."""
    text = name.strip()
    if text.isascii() and text.isupper() and len(text) in (2, 3):
        country = pycountry.countries.get(**{"alpha_2" if len(text) == 2 else "alpha_3": text})
        if country is not None:
            return getattr(country, "common_name", None) or country.name
    close = difflib.get_close_matches(name_key(name), list(_names()), n=1, cutoff=0.75)
    return _names()[close[0]][1] if close else None
