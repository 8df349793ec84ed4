"""ACLED's event taxonomy in secbrief's terms: incident types, actor roles,
location precision and suggested registry kinds.

The tables here are the ones docs/acled.md prints; change both together.
"""

from __future__ import annotations

import re

# (event_type, sub_event_type) -> secbrief incident type. Keys are compared
# after `_key` (case and spacing do not matter). A value of None means "decide
# from the actor and the notes" (see incident_type).
SUB_EVENT_TYPES: dict[str, dict[str, str | None]] = {
    "Battles": {
        "Armed clash": "armed-clash",
        "Government regains territory": "armed-clash",
        "Non-state actor overtakes territory": "armed-clash",
    },
    "Explosions/Remote violence": {
        "Air/drone strike": None,            # airstrike (state forces) or drone-attack (anyone else)
        "Shelling/artillery/missile attack": None,  # missile-attack or rocket-attack, from the notes
        "Remote explosive/landmine/IED": "ied-attack",
        "Suicide bomb": "ied-attack",
        "Grenade": "attack",
        "Chemical weapon": "attack",
    },
    "Violence against civilians": {
        "Attack": "attack",
        "Abduction/forced disappearance": "abduction",
        "Sexual violence": "attack",
    },
    "Protests": {
        "Peaceful protest": "protest",
        "Protest with intervention": "protest",
        "Excessive force against protesters": "protest",
    },
    "Riots": {
        "Violent demonstration": "violent-demonstration",
        "Mob violence": "violent-demonstration",
    },
    "Strategic developments": {
        "Agreement": "strategic-development",
        "Arrests": "strategic-development",
        "Change to group/activity": "strategic-development",
        "Disrupted weapons use": None,       # the weapon that was stopped, from the notes
        "Headquarters or base established": "strategic-development",
        "Looting/property destruction": "attack",
        "Non-violent transfer of territory": "strategic-development",
        "Other": "strategic-development",
    },
}

# ACLED's actor categories (inter1/inter2): the old numeric codes and the
# words of current exports. "state" decides airstrike vs drone-attack.
INTER_CODES = {
    "1": "state forces", "2": "rebel group", "3": "political militia", "4": "identity militia",
    "5": "rioters", "6": "protesters", "7": "civilians", "8": "external/other forces",
}
STATE_CATEGORIES = {"state forces", "external/other forces"}
# Suggested `kind` for an actor missing from the registry.
KIND_BY_CATEGORY = {
    "state forces": "state", "rebel group": "armed-group", "political militia": "militia",
    "identity militia": "militia", "rioters": "organisation", "protesters": "organisation",
    "civilians": "organisation", "external/other forces": "organisation",
}

GEO_PRECISION = {"1": "exact", "2": "near", "3": "approximate"}

_VIOLENT = {"battles", "explosions/remote violence", "violence against civilians"}


def _key(text: str) -> str:
    return " ".join(text.replace(" / ", "/").split()).casefold()


_TABLE = {(_key(event), _key(sub)): (event, sub, kind)
          for event, subs in SUB_EVENT_TYPES.items() for sub, kind in subs.items()}
_EVENTS = {_key(event): event for event in SUB_EVENT_TYPES}


class UnknownType(ValueError):
    """The row's event_type/sub_event_type is not in ACLED's taxonomy."""


def canonical(event_type: str, sub_event_type: str) -> tuple[str, str]:
    """ACLED's own spelling of a known pair; UnknownType otherwise."""
    event = _EVENTS.get(_key(event_type))
    if event is None:
        raise UnknownType(f"unknown ACLED event_type '{event_type}'; expected one of: "
                          f"{', '.join(SUB_EVENT_TYPES)}")
    found = _TABLE.get((_key(event_type), _key(sub_event_type)))
    if found is None:
        raise UnknownType(f"unknown sub_event_type '{sub_event_type}' for '{event}'; expected one of: "
                          f"{', '.join(SUB_EVENT_TYPES[event])}")
    return found[0], found[1]


def category(inter: str) -> str:
    """'1' or 'State forces' -> 'state forces'; '' when not given."""
    text = _key(inter)
    return INTER_CODES.get(text, text)


_MISSILE = re.compile(r"\b(ballistic|cruise missile)", re.IGNORECASE)
_WEAPONS = (("drone-attack", re.compile(r"\b(drones?|uavs?)\b", re.IGNORECASE)),
            ("missile-attack", _MISSILE),
            ("rocket-attack", re.compile(r"\b(rockets?|mortars?|katyushas?)\b", re.IGNORECASE)),
            ("ied-attack", re.compile(r"\b(ieds?|roadside bombs?|explosive devices?)\b", re.IGNORECASE)))


def incident_type(event_type: str, sub_event_type: str, actor1_category: str, notes: str) -> str:
    """The secbrief type for a known ACLED pair (see SUB_EVENT_TYPES)."""
    event, sub = canonical(event_type, sub_event_type)
    mapped = SUB_EVENT_TYPES[event][sub]
    if mapped is not None:
        return mapped
    if sub == "Air/drone strike":
        return "airstrike" if actor1_category in STATE_CATEGORIES else "drone-attack"
    if sub == "Shelling/artillery/missile attack":
        return "missile-attack" if _MISSILE.search(notes) else "rocket-attack"
    # Disrupted weapons use: an attack that was stopped is still that attack.
    for kind, pattern in _WEAPONS:
        if pattern.search(notes):
            return kind
    return "strategic-development"


def roles(event_type: str, sub_event_type: str, civilian_targeting: str) -> tuple[str, str]:
    """(role of actor1 and assoc_actor_1, role of actor2 and assoc_actor_2).

    ACLED names who its sources say acted; that is not yet established, so
    the initiator of a violent event is 'suspected' until an analyst says
    more. The other side is the target, or the victim when ACLED marks the
    event as civilian targeting."""
    event, _sub = canonical(event_type, sub_event_type)
    if _key(event) not in _VIOLENT or _key(event) == "battles":
        return "other", "other"
    victim = "civilian" in civilian_targeting.casefold() or _key(event) == "violence against civilians"
    return "suspected", "victim" if victim else "target"
