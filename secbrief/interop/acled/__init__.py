"""``secbrief import acled``: incidents from an ACLED export (CSV).

One incident file per event, in the data model of docs/data-model.md:
the type mapped from ACLED's taxonomy (taxonomy), actors through the
registry's aliases, the location with its coordinates and precision, the
fatalities, ACLED's notes as the summary, ACLED and the publishers it names
as sources, and ``acled_id`` so that the same event is never imported twice.

Every row is read and checked before anything is written. A malformed row
is reported as ``FILE.csv:LINE: error: ...`` and skipped; the others still
import. Existing files are never overwritten.

Modules, in the order an import runs: rows (the CSV, row by row), events
(a row as an incident), incident_yaml (the incident as a file), importer
(the command: plan everything, then write the new files).
"""
