"""Every diagnostic code secbrief emits: one code per kind of problem.

Codes are stable: a code, once released, keeps its meaning, so CI filters,
editor settings and code-scanning dashboards can rely on it. A new kind of
problem gets a new code; a retired one is never reused. docs/diagnostics.md
explains each code with an example, and a test keeps the two in step.

Ranges: SB0xx reading a file, SB1xx a field's shape (the schema), SB2xx
references between files, SB3xx analytic standards of key judgements.
"""

from __future__ import annotations

from dataclasses import dataclass

from secbrief.core.diagnostics import ERROR, NOTE, WARNING


@dataclass(frozen=True)
class Code:
    code: str
    name: str        # CamelCase, as SARIF rule names are written
    severity: str    # the severity secbrief reports it with (before --strict)
    summary: str     # one line: what is wrong


def _codes(*rows: tuple[str, str, str, str]) -> dict[str, Code]:
    return {row[0]: Code(*row) for row in rows}


CODES: dict[str, Code] = _codes(
    # --- SB0xx: reading the file ------------------------------------------
    ("SB001", "UnreadableFile", ERROR, "The file cannot be read."),
    ("SB002", "FileTooLarge", ERROR, "The file is larger than the 1 MB limit."),
    ("SB003", "NotUtf8", ERROR, "The file is not valid UTF-8."),
    ("SB004", "YamlSyntax", ERROR, "The file is not valid YAML."),
    ("SB005", "TooManyValues", ERROR, "The document expands to more values than allowed (alias bomb)."),
    ("SB006", "YamlTagRefused", ERROR, "A YAML tag such as !!python/object is used; only plain data is read."),
    ("SB007", "DuplicateKey", ERROR, "A key appears twice in one mapping."),
    ("SB008", "MergeKey", ERROR, "A YAML merge key ('<<') is used."),
    ("SB009", "ComplexKey", ERROR, "A mapping key is a list or a mapping instead of plain text."),
    ("SB010", "NestingTooDeep", ERROR, "Values are nested deeper than allowed."),
    ("SB011", "LinkOutsideProject", ERROR, "A file is a symbolic link to a place outside the project."),
    # --- SB1xx: the shape of each field (the schema) ------------------------
    ("SB100", "UnknownField", ERROR, "A field the file type does not have (often a misspelling)."),
    ("SB101", "MissingField", ERROR, "A required field is missing."),
    ("SB102", "NotAllowedValue", ERROR, "A value is not one of the allowed terms."),
    ("SB103", "InvalidDate", ERROR, "A date is not a real calendar day written YYYY-MM-DD."),
    ("SB104", "WrongFormat", ERROR, "A value does not have the expected format (id, grade, URL, time...)."),
    ("SB105", "EmptyText", ERROR, "A text field is empty."),
    ("SB106", "TextTooLong", ERROR, "A text field is longer than allowed."),
    ("SB107", "TooFewItems", ERROR, "A list has fewer items than required."),
    ("SB108", "WrongType", ERROR, "A value has the wrong type (text, number, list, mapping...)."),
    ("SB109", "OutOfRange", ERROR, "A number is outside its allowed range."),
    ("SB110", "InvalidValue", ERROR, "A value breaks a rule of its field (e.g. a period that ends before it starts)."),
    # --- SB2xx: files, ids and references between files ---------------------
    ("SB201", "InvalidFileName", ERROR, "A file name is not a valid id."),
    ("SB202", "DateOutOfRange", ERROR, "An incident's date is in the future or implausibly old."),
    ("SB203", "FileNameDate", ERROR, "An incident's file name does not start with its date."),
    ("SB204", "DuplicateIncidentId", ERROR, "Two incident files have the same id."),
    ("SB205", "SourceConflict", ERROR, "One source id is defined with different fields in two places."),
    ("SB206", "PossibleDuplicateIncident", WARNING, "Two incidents share date, place and type."),
    ("SB210", "DuplicateRegistryId", ERROR, "Two registry entries have the same id."),
    ("SB211", "AmbiguousSpelling", ERROR, "One name or alias points at two registry entries."),
    ("SB212", "UnknownAffiliation", ERROR, "An actor's affiliation is not an actor id."),
    ("SB213", "AffiliationCycle", ERROR, "Actors' affiliations form a cycle."),
    ("SB214", "MixedScriptName", ERROR, "A registry name mixes Latin letters with look-alikes from another script."),
    ("SB220", "UnknownActor", ERROR, "An actor name is not in the actor registry."),
    ("SB221", "UnknownPlace", ERROR, "A place name is not in the place registry."),
    ("SB222", "NoCountry", ERROR, "An incident's location has neither a country nor a registry place."),
    ("SB223", "UnknownCountry", WARNING, "An incident's country is no country's name in ISO 3166 (or a known alias)."),
    ("SB230", "UnknownStyle", ERROR, "A brief names a style that has no folder in templates/."),
    ("SB231", "UnknownIncident", ERROR, "A brief names an incident id that does not exist."),
    ("SB232", "UnknownEvidence", ERROR, "Key-judgement evidence names neither an incident nor a source."),
    ("SB233", "ImageOutsideProject", ERROR, "A brief's image path leaves the project."),
    ("SB234", "ImageNotFound", ERROR, "A brief's image file does not exist."),
    ("SB235", "ImageType", ERROR, "A brief's image is not a PNG, JPEG, SVG, GIF or WebP file."),
    ("SB236", "UnknownPreviousBrief", ERROR, "A brief's previous names no brief file."),
    ("SB237", "UnknownSupersededBrief", ERROR, "A brief's supersedes names no brief file."),
    ("SB238", "FieldNotShownByStyle", NOTE, "A brief fills a field that its style does not show."),
    ("SB239", "InvalidStyleFields", ERROR,
     "A style's style.yaml does not list the brief fields the style shows as it should."),
    ("SB240", "UnknownLikelihood", ERROR, "A likelihood is not a term of the active probability yardstick."),
    ("SB241", "SameEventDiffers", WARNING,
     "Two incident files record the same ACLED event, with different dates or casualty figures."),
    ("SB242", "IncidentLaterThanBrief", WARNING, "A brief names an incident dated after its own issued date."),
    ("SB250", "UnknownCitation", ERROR, "A citation [@id] names no source or incident."),
    ("SB251", "MalformedCitation", ERROR, "Something that looks like a citation is not one."),
    ("SB252", "UnsafeLink", ERROR, "A link in Markdown is not http(s) or mailto."),
    ("SB253", "ImageInMarkdown", ERROR, "An image is embedded in Markdown text."),
    ("SB254", "UnusedSource", WARNING, "A source listed in a brief is never cited in it."),
    ("SB255", "TooManyBrackets", ERROR, "A Markdown text has more '[' characters than secbrief renders."),
    ("SB256", "TextNestingTooDeep", ERROR, "Lists or quotes in a Markdown text are nested deeper than secbrief renders."),
    ("SB257", "SourceLaterThanBrief", WARNING, "A brief cites a source dated after its own issued date."),
    ("SB258", "IncidentOutsideWeek", WARNING, "A weekly brief lists an incident from outside its week."),
    ("SB261", "UnknownClientStyle", ERROR, "A client profile names a style that has no folder in templates/."),
    ("SB262", "ClientLogoUnusable", ERROR,
     "A client's logo is outside the project, missing, or not an SVG, PNG or JPEG file."),
    ("SB263", "UnknownScopeName", WARNING,
     "A country, region or tag in a client's scope matches nothing, but is close to one that does."),
    ("SB264", "UnknownClient", ERROR, "A brief names a client that has no profile."),
    ("SB265", "AboveClientTlpCeiling", ERROR,
     "A TLP marking is above its client's ceiling (the profile's own tlp, or a brief for the client)."),
    ("SB266", "InvalidAddress", ERROR,
     "A recipient's email address, or a mail domain of a client, is not one."),
    ("SB267", "DuplicateRecipient", ERROR, "A recipient is listed twice, in a profile or in a brief's recipients."),
    ("SB268", "CertificateUnusable", ERROR,
     "A recipient's S/MIME certificate cannot be read, or the profile requires encryption and it has none."),
    ("SB269", "UnknownBriefRecipient", ERROR,
     "A brief's recipients names an address that is not on its client's distribution list."),
    ("SB270", "AbovePublishCeiling", ERROR,
     "secbrief publish refuses a brief whose TLP is above the destination's ceiling."),
    ("SB271", "LocationChoice", ERROR,
     "An incident has neither 'location' nor 'locations', or both."),
    ("SB272", "UpdateBeforeIncident", ERROR, "An incident's update is dated before the incident."),
    ("SB273", "UpdateInFuture", ERROR, "An incident's update is dated in the future."),
    ("SB274", "UnknownUpdateSource", ERROR, "An incident's update names a source id that does not exist."),
    ("SB275", "UpdatesOutOfOrder", WARNING, "An incident's updates are not listed oldest first."),
    ("SB280", "CoordinateOutOfRange", ERROR, "A latitude is beyond -90 to 90, or a longitude beyond -180 to 180."),
    ("SB281", "CoordinatesSwapped", ERROR,
     "Coordinates lie outside the country named, and swapped would lie inside it."),
    ("SB282", "CoordinatesOutsideCountry", WARNING, "Coordinates lie outside the country named."),
    ("SB283", "EmptyMapExtent", ERROR, "A brief's map extent is empty: west is not less than east, or south than north."),
    ("SB284", "MapExtentOffGlobe", ERROR, "A brief's map extent has a longitude or latitude beyond the globe."),
    ("SB285", "MapExtentLeavesOutIncidents", WARNING,
     "A brief's map extent leaves out some of its located incidents."),
    # --- SB3xx: analytic standards of key judgements ------------------------
    ("SB301", "EstimativeContradiction", ERROR,
     "A key judgement's wording contradicts its declared likelihood."),
    ("SB302", "OtherYardstickTerm", WARNING,
     "A key judgement uses a term of the other probability yardstick."),
    ("SB303", "UnscaledHedge", WARNING,
     "A key judgement hedges with could, may, might, possibly or perhaps."),
    ("SB304", "ConfidenceWithLikelihood", WARNING,
     "A sentence states a confidence level together with a likelihood."),
    ("SB310", "NoEvidence", ERROR, "A key judgement names no incident or source."),
    ("SB311", "HighConfidenceSingleSource", WARNING,
     "A high-confidence key judgement rests on a single source."),
    ("SB312", "HighConfidenceWeakSources", WARNING,
     "A high-confidence key judgement rests only on sources graded E/F or 5/6."),
)


def describe(code: str) -> Code:
    return CODES[code]
