"""The data model: what analysts write, as typed pydantic models.

Field docs here feed ``secbrief schema`` and docs/data-model.md. Every model
forbids unknown fields, so a misspelled field name is an error, not lost text.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import (BaseModel, BeforeValidator, ConfigDict, Field, Strict, StringConstraints, field_validator,
                      model_validator)
from pydantic_core import PydanticCustomError

from secbrief.core.dates import WEEK_PATTERN, week_numbers
from secbrief.core.textgrammar import ID_PATTERN
from secbrief.core.tlp import TLP_LEVELS

Slug = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=120)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=500)]
Markdown = Annotated[str, StringConstraints(max_length=50_000)]
Grade = Annotated[str, StringConstraints(pattern=r"^[A-F][1-6]$")]
Url = Annotated[str, StringConstraints(pattern=r"^https?://[^\s]+$", max_length=2000)]
# Counts and coordinates are numbers as written: pydantic's lax mode would
# read `killed: yes` as 1 and `issue: "3"` as 3, hiding a typo.
Count = Annotated[int, Strict()]
Degrees = Annotated[float, Strict()]


def _not_a_number(value):
    # pydantic reads a number as seconds since 1970: `date: 1608422400`
    # would silently become 2020-12-20 and `date: 0` 1970-01-01.
    if isinstance(value, (bool, int, float)):
        raise PydanticCustomError("date_type", "Input should be a valid date")
    return value


Date = Annotated[dt.date, BeforeValidator(_not_a_number)]

INCIDENT_TYPES = (
    "rocket-attack", "missile-attack", "drone-attack", "airstrike", "ied-attack",
    "armed-clash", "attack", "abduction", "violent-demonstration", "protest",
    "strategic-development",
)
CONFIDENCE_LEVELS = ("low", "moderate", "high")  # a key judgement's, from the least to the most
ACTOR_ROLES = ("perpetrator", "suspected", "claimed", "target", "victim", "responder", "other")
ACTOR_KINDS = ("state", "armed-group", "militia", "umbrella", "organisation", "person")
PLACE_KINDS = ("military-base", "airport", "diplomatic", "city", "road", "site", "region")


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False, populate_by_name=True)


class Source(Model):
    """A published source an incident or brief relies on."""

    id: Slug = Field(description="Unique across the project; cite it as [@id].")
    publisher: Text
    title: Text
    date: Date
    url: Url | None = None
    author: Text | None = None
    grade: Grade = Field(description="Admiralty code: reliability A-F, credibility 1-6, e.g. B2.")


class Location(Model):
    place: Text | None = Field(None, description="A name or alias from incidents/places.yaml.")
    site: Text | None = None
    city: Text | None = None
    admin1: Text | None = None
    country: Text | None = None
    lat: Degrees | None = Field(None, ge=-90, le=90)
    lon: Degrees | None = Field(None, ge=-180, le=180)
    precision: Literal["exact", "near", "approximate", "region"] | None = None


class ActorRef(Model):
    name: Text = Field(description="A name or alias from incidents/actors.yaml.")
    role: Literal[ACTOR_ROLES] = "other"  # type: ignore[valid-type]


class Casualties(Model):
    """Counts as reported; leave one out when it is not known (it is not 0)."""

    killed: Count | None = Field(None, ge=0, le=1_000_000)
    injured: Count | None = Field(None, ge=0, le=1_000_000)


class Update(Model):
    """One revision of an incident: when, what changed, and the source that
    reported it. The incident's other fields hold the current figures."""

    date: Date
    change: Annotated[str, StringConstraints(min_length=1, max_length=2000)] = Field(
        description="What changed, in a sentence: 'Killed raised from 1 to 3 as two of the wounded died.'")
    source: Slug = Field(description="The id of the source that reported the change (one of the incident's "
                                     "sources, or any source of the project).")


class Incident(Model):
    """One incident: the facts, with their sources."""

    date: Date
    time: Annotated[str, StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")] | None = None
    title: Text
    type: Literal[INCIDENT_TYPES]  # type: ignore[valid-type]
    location: Location | None = Field(None, description="Where it happened: one place. Give either this or "
                                                        "'locations'.")
    locations: Annotated[list[Location], Field(min_length=1)] | None = Field(
        None, description="Where it happened, when that is several places (e.g. both sides of a border): a list "
                          "of the same shape as 'location'. Give either this or 'location'.")
    actors: list[ActorRef] = []
    casualties: Casualties | None = None
    summary: Markdown
    sources: Annotated[list[Source], Field(min_length=1)]
    tags: list[Slug] = []
    acled_id: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2,4}\d{1,10}$")] | None = None
    updates: list[Update] = Field([], description="The incident's revisions, oldest first: each {date, change, "
                                                  "source}. Briefs say 'revised' with the latest date.")

    @property
    def revised(self) -> dt.date | None:
        """The date of its latest revision (None: never revised)."""
        return max((update.date for update in self.updates), default=None)

    @property
    def all_locations(self) -> list[Location]:
        """``locations``, or ``location`` as a list of one (a file with
        neither, or both, is refused by check: SB271)."""
        if self.locations:
            return list(self.locations)
        return [self.location] if self.location is not None else []

    def sources_published_by(self, day: dt.date) -> list[Source]:
        """The sources a reader could have seen on ``day`` (a brief's issue
        date): what citations list, and what check compares dates with."""
        return [source for source in self.sources if source.date <= day]


# Weekly styles are the template folders named weekly-*: they read the
# incident pool by ISO week (weekly_view) and are held to their week (check).
WEEKLY_STYLE_PREFIX = "weekly"


def is_weekly_style(style: str) -> bool:
    return style.startswith(WEEKLY_STYLE_PREFIX)


class Actor(Model):
    id: Slug
    name: Text
    aliases: list[Text] = []
    kind: Literal[ACTOR_KINDS]  # type: ignore[valid-type]
    affiliation: Slug | None = Field(None, description="Id of the umbrella actor this one is nested under.")
    native_name: Text | None = Field(None, description="The name in its own script, e.g. Arabic.")
    country: Text | None = None


class Place(Model):
    id: Slug
    name: Text
    aliases: list[Text] = []
    kind: Literal[PLACE_KINDS]  # type: ignore[valid-type]
    city: Text | None = None
    admin1: Text | None = None
    country: Text
    lat: Degrees = Field(ge=-90, le=90)
    lon: Degrees = Field(ge=-180, le=180)
    native_name: Text | None = None


class ActorRegistry(Model):
    actors: list[Actor]


class PlaceRegistry(Model):
    places: list[Place]


class KeyJudgement(Model):
    id: Slug = Field(description="Stable across issues, so the next issue can say what changed.")
    statement: Annotated[str, StringConstraints(min_length=1, max_length=2000)]
    likelihood: Text = Field(description="A term of the probability yardstick, e.g. 'highly likely'.")
    confidence: Literal[CONFIDENCE_LEVELS]  # type: ignore[valid-type]
    evidence: list[Slug] = Field([], description="Incident or source ids the judgement rests on.")


class Link(Model):
    title: Text
    url: Url | None = None
    publisher: Text | None = None


class Section(Model):
    heading: Text
    body: Markdown
    read_more: list[Link] = []


class Quote(Model):
    text: Annotated[str, StringConstraints(min_length=1, max_length=3000)]
    speaker: Text
    role: Text | None = None


class Dateline(Model):
    city: Text
    publisher: Text


class Image(Model):
    file: Text = Field(description="Path relative to the brief file, inside the project.")
    caption: Text
    credit: Text
    alt: Text | None = None


class MapSettings(Model):
    """A brief's generated locator map (docs/maps.md); `map: false` turns it off."""

    extent: Annotated[list[Degrees], Field(min_length=4, max_length=4)] | None = Field(
        None, description="The area the map shows: [west, south, east, north] in degrees; "
                          "by default the brief's located incidents, with a margin.")


class Implication(Model):
    text: Markdown
    timeline: list[Slug] = Field([], description="Incident ids listed as a dated timeline under this bullet.")


class Period(Model):
    week: Annotated[str, StringConstraints(pattern=WEEK_PATTERN)] | None = None
    from_: Date | None = Field(None, alias="from")
    to: Date | None = None

    @model_validator(mode="after")
    def _dates(self):
        if self.week:
            year, week = week_numbers(self.week)
            try:
                self.from_ = dt.date.fromisocalendar(year, week, 1)
            except ValueError:
                raise ValueError(f"'{self.week}' is not an ISO week of {year}") from None
            self.to = self.from_ + dt.timedelta(days=6)
        elif not (self.from_ and self.to):
            raise ValueError("a period needs an ISO week like 2020-W52, or both 'from' and 'to'")
        elif self.to < self.from_:
            raise ValueError("the period ends before it starts")
        return self


class Brief(Model):
    """One brief: the analysts' judgements about incidents."""

    style: Slug = Field(description="A folder in templates/, e.g. security-brief.")
    title: Text
    issued: Date
    tlp: Literal[TLP_LEVELS]  # type: ignore[valid-type]
    series: Text | None = None
    issue: Count | None = Field(None, ge=1, le=100_000)
    team: Text | None = None
    publisher: Text | None = None
    issued_to: Text | None = None
    client: Slug | None = None
    recipients: list[Text] = Field([], description="A TLP:RED brief's addressees: email addresses from "
                                                   "its client's distribution list (docs/delivery.md).")
    supersedes: Slug | None = None
    previous: Slug | None = Field(None, description="The earlier issue \"What changed\" compares with (a brief id), "
                                                    "or 'none' for a first issue: no \"What changed\" block.")
    yardstick: Literal["phia", "icd203"] | None = None
    period: Period | None = None
    event: Slug | None = Field(None, description="Id of the incident the brief is about.")
    event_text: Markdown | None = None
    incidents: list[Slug] = []
    parties: list[Text] = []
    kicker: Text | None = None
    standfirst: Annotated[str, StringConstraints(min_length=1, max_length=2000)] | None = None
    dateline: Dateline | None = None
    image: Image | None = None
    map: MapSettings | bool | None = Field(None, description="The generated locator map: false turns it off; "
                                                             "{extent: [W, S, E, N]} sets the area it shows.")
    key_judgements: list[KeyJudgement] = []
    summary: Markdown | None = None
    sections: list[Section] = []
    implications: list[Implication] = []
    outlook: Markdown | None = None
    quotes: list[Quote] = []
    related: list[Link] = []
    tags: list[Slug] = []
    sources: list[Source] = []

    @field_validator("period", mode="before")
    @classmethod
    def _week_string(cls, value):
        return {"week": value} if isinstance(value, str) else value

    @field_validator("implications", mode="before")
    @classmethod
    def _bullet_strings(cls, value):
        if isinstance(value, list):
            return [{"text": item} if isinstance(item, str) else item for item in value]
        return value


def markdown_fields(brief: Brief):
    """(loc, text) for every Markdown field of a brief, in document order."""
    if brief.event_text:
        yield ("event_text",), brief.event_text
    if brief.summary:
        yield ("summary",), brief.summary
    for i, judgement in enumerate(brief.key_judgements):
        yield ("key_judgements", i, "statement"), judgement.statement
    for i, item in enumerate(brief.implications):
        yield ("implications", i, "text"), item.text
    for i, section in enumerate(brief.sections):
        yield ("sections", i, "body"), section.body
    if brief.outlook:
        yield ("outlook",), brief.outlook
    for i, quote in enumerate(brief.quotes):
        yield ("quotes", i, "text"), quote.text
