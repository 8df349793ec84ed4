"""``secbrief new``: a commented skeleton for a new incident or brief.

The skeleton goes where ``check`` and ``build`` look for it, under the id
the project expects (``incidents/2023/2023-10-17-ain-al-asad-drones.yaml``).
Required fields are present but empty, so ``secbrief check`` names each one
until the analyst fills it in; optional fields are empty lists or commented
examples, so they never stand in the way. An existing file is never touched.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from secbrief.core.atomic import OutputError, create_new
from secbrief.core.diagnostics import SecbriefError, UsageError
from secbrief.core.project import Project
from secbrief.core.textgrammar import is_valid_id
from secbrief.core.tlp import TLP_LEVELS

_DATED_ID = re.compile(r"^(\d{4}-\d{2}-\d{2})-")


class AlreadyExists(SecbriefError):
    """The target file exists: exit 1, nothing written."""


@dataclass
class Created:
    path: Path
    display: str


def _option_day(text: str | None) -> dt.date:
    """--date as given (YYYY-MM-DD), or today."""
    if text is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--date: expected a date as YYYY-MM-DD, but received: '{text}'") from None


def item_id(slug: str, date_text: str | None) -> tuple[str, dt.date]:
    """The file id for ``slug``: '<date>-<slug>', unless the slug already
    starts with a date (then that date is the item's date)."""
    if not is_valid_id(slug):
        raise UsageError(f"'{slug}' is not a valid name: use lowercase letters, digits and single hyphens, "
                         "e.g. ain-al-asad-drones")
    dated = _DATED_ID.match(slug)
    if dated:
        day = _option_day(dated.group(1))
        if date_text is not None and _option_day(date_text) != day:
            raise UsageError(f"--date {date_text} disagrees with the date that starts '{slug}'")
        return slug, day
    day = _option_day(date_text)
    return f"{day.isoformat()}-{slug}", day


def new_incident(project: Project, slug: str, date_text: str | None = None) -> Created:
    incident_id, day = item_id(slug, date_text)
    path = project.incidents_dir / str(day.year) / f"{incident_id}.yaml"
    return _create(project, path, INCIDENT.format(id=incident_id, date=day.isoformat(), year=day.year,
                                                  display=project.display(path)))


def new_brief(project: Project, style: str, slug: str, date_text: str | None = None) -> Created:
    styles = project.styles()
    if style not in styles:
        raise UsageError(f"--style: unknown style '{style}'; expected one of: {', '.join(styles)}")
    brief_id, day = item_id(slug, date_text)
    path = project.briefs_dir / f"{brief_id}.yaml"
    fields = STYLE_FIELDS.get(style, ALL_FIELDS)
    body = "".join(FIELDS[name] for name in fields)
    text = BRIEF_HEAD.format(style=style, date=day.isoformat(), display=project.display(path),
                             tlp=" | ".join(TLP_LEVELS)) + body
    return _create(project, path, text)


def _create(project: Project, path: Path, text: str) -> Created:
    display = project.display(path)
    try:
        # Whole or not at all, and never over a file, even one that appeared a moment ago.
        create_new(path, text.encode("utf-8"), project.root)
    except FileExistsError:
        raise AlreadyExists.at(display, f"{display} already exists; nothing was written "
                               "(edit it, or choose another name)", 1, 1) from None
    except OutputError as exc:
        raise SecbriefError.at(display, f"cannot create the file: {exc}", 1, 1) from None
    return Created(path, display)


# --- the skeletons ---------------------------------------------------------
# Comments say what each field holds; docs/data-model.md has the full rules.

INCIDENT = """\
# A new incident: {id}
# Fill in every field marked REQUIRED, then run:
#   secbrief check {display}
# Every field is described in docs/data-model.md, section 2. Write in your own words.

date: {date}                # REQUIRED. The file name starts with this date; change both together.
# time: "21:00"                # local time, in quotes
title:                          # REQUIRED. One line, e.g. Two drones target Ain al-Asad Air Base
type:                           # REQUIRED. One of: rocket-attack, missile-attack, drone-attack, airstrike,
                                #   ied-attack, armed-clash, attack, abduction, violent-demonstration,
                                #   protest, strategic-development
location:                       # REQUIRED: a place from incidents/places.yaml, or at least a country
  place:                        #   e.g. Ain al-Asad Air Base (fills in city, country, coordinates)
  # site: Hangar inside the airport complex
  # city: Baghdad
  # country: Iraq
  # precision: exact            # exact | near | approximate | region
# locations:                   # instead of location, for an incident in several places (a border):
#   - {{site: Tower 22, country: Jordan}}
#   - {{place: Al-Tanf Garrison}}

actors: []                      # names or aliases from incidents/actors.yaml, e.g.
  # - {{name: Kataib Hezbollah, role: suspected}}   # perpetrator | suspected | claimed | target | victim | responder | other
# casualties: {{killed: 0, injured: 0}}  # only counts a source supports; leave out a count not reported

summary:                        # REQUIRED. What happened, citing sources as [@source-id], e.g.
                                #   summary: |
                                #     Two one-way attack drones ... [@reuters-2023-10-17].

sources:                        # REQUIRED: at least one
  - id:                         # REQUIRED. Unique, lowercase with hyphens, e.g. reuters-2023-10-17
    publisher:                  # REQUIRED. e.g. Reuters
    title:                      # REQUIRED. The article's title, as published
    date:                       # REQUIRED. YYYY-MM-DD
    url:                        # https://...
    # author: Jane Arraf
    grade:                      # REQUIRED. Admiralty code: reliability A-F, credibility 1-6, e.g. B2

tags: []                        # e.g. [iraq, drones]
# acled_id: IRQ12345
# updates:                      # revisions, oldest first, once the figures change:
#   - {{date: 2023-10-19, change: Injured raised from 2 to 4., source: reuters-2023-10-19}}
"""

BRIEF_HEAD = """\
# A new brief in the {style} style.
# Fill in every field marked REQUIRED, then run:
#   secbrief check {display}
#   secbrief build {display}
# docs/data-model.md, sections 6 and 8, describes each field and what this
# style prints. Write in your own words; cite with [@source-id] or [@incident-id].

style: {style}
title:                          # REQUIRED. The headline
issued: {date}                # REQUIRED. The day it goes out
tlp:                            # REQUIRED. {tlp}
publisher:                      # e.g. Meridian Risk Desk (PDF author, page footer)
tags: []                        # topic ids, e.g. [iraq, drones]
"""

FIELDS = {
    "series": """
series:                         # e.g. Security Brief
issue:                          # the issue number, e.g. 16
team:                           # the desk that wrote it, e.g. CENTCOM
""",
    "period": """
period:                         # the time it covers: an ISO week, 2020-W52, or {from: 2023-10-17, to: 2023-10-25}
""",
    "event": """
event:                          # the incident id the brief is about: gives Date, Location and Parties
parties: []                     # actors to list first in "Parties involved", e.g. [United States, Iraq]
# event_text: |                 # replaces the event incident's summary under "The event:"
""",
    "issued_to": """
issued_to:                      # e.g. clients of the Meridian Risk Desk
""",
    "kicker": """
kicker: Analysis                # the label above the headline
""",
    "standfirst": """
standfirst:                     # the one- or two-sentence lead under the headline
""",
    "dateline": """
# dateline: {city: WASHINGTON DC, publisher: Meridian Risk Desk}
""",
    "incidents": """
incidents: []                   # ids of the incidents the brief covers
""",
    "key_judgements": """
key_judgements: []              # each judgement, e.g.
  # - id: tempo-rises           # stable from issue to issue
  #   statement: Attacks on US forces will become more frequent over the next four weeks.
  #   likelihood: highly likely # remote chance ... almost certain (the PHIA yardstick)
  #   confidence: moderate      # low | moderate | high
  #   evidence: [2023-10-17-ain-al-asad-drones]
""",
    "summary": """
summary:                        # the opening text, e.g.
                                #   summary: |
                                #     Iran-aligned groups ... [@source-id].
""",
    "sections": """
sections: []                    # headed sections, e.g.
  # - heading: Recent developments
  #   body: |
  #     ...
  #   read_more: [{title: "Earlier story", url: "https://..."}]
""",
    "implications": """
implications: []                # bullets; a bullet may carry a timeline of incident ids, e.g.
  # - The attack shows ... [@source-id].
  # - text: The escalation ran as follows
  #   timeline: [2019-12-27-k1-base-rockets, 2019-12-31-us-embassy-stormed]
""",
    "outlook": """
outlook:                        # the closing paragraph
""",
    "quotes": """
quotes: []                      # expert comment, in our words, e.g.
  # - text: Argues that ...
  #   speaker: Mark Dubowitz
  #   role: FDD CEO
""",
    "related": """
related: []                     # links to related briefs, e.g.
  # - {title: Iran-Backed Militias Attack U.S. Forces in Iraq, publisher: FDD Flash Brief, url: "https://..."}
""",
    "image": """
# image:                        # a picture next to this file, with caption and credit
#   file: images/map.svg
#   caption: ...
#   credit: Meridian Risk Desk
""",
    "sources": """
sources: []                     # sources the brief cites that belong to no incident
""",
}

# The fields each style prints (docs/data-model.md, section 8), in its order.
STYLE_FIELDS = {
    "security-brief": ["series", "period", "event", "implications", "outlook", "key_judgements", "incidents", "sources"],
    "assessment": ["issued_to", "period", "key_judgements", "summary", "sections", "image", "incidents", "sources"],
    "flash-brief": ["incidents", "summary", "quotes", "sections", "related", "sources"],
    "analysis": ["kicker", "standfirst", "summary", "sections", "incidents", "sources"],
    "news-report": ["standfirst", "image", "dateline", "summary", "sections", "quotes", "incidents", "sources"],
}
ALL_FIELDS = list(FIELDS)
