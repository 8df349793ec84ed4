"""Filled fields a brief's style does not show: a note from ``secbrief check``.

Each style prints only some of a brief's fields (docs/data-model.md,
section 8). A kicker written into a security brief is in no output, and the
analyst who wrote it should hear so once, as a note (SB238), not find out
from the reader. Which fields a style shows is declared beside its
templates, in ``templates/<style>/style.yaml``:

    shows: [series, issue, team, period, event, ...]

(tests/test_style_fields.py renders every style with every field filled and
holds each list to what the templates print). A style without the file is
not checked; a file that is not such a list is an error (SB239).
"""

from __future__ import annotations

import difflib

from secbrief.core.diagnostics import NOTE, Report
from secbrief.load.yamlfile import load_file
from secbrief.validate.corpus import Corpus

DECLARATION = "style.yaml"

# The brief fields a style prints or leaves out, as style.yaml lists them.
# The others are not listed: title, issued and tlp every style prints; the
# publisher and tags go into every PDF's metadata; client, recipients,
# supersedes, previous and yardstick steer branding, delivery, "What
# changed" and the likelihood scale; a brief's own sources print as notes
# wherever they are cited (SB254 says when one is not).
SHOWABLE_FIELDS = (
    "series", "issue", "team", "issued_to", "period", "event", "event_text", "incidents", "parties",
    "kicker", "standfirst", "dateline", "image", "key_judgements", "summary", "sections", "implications",
    "outlook", "quotes", "related",
)
# Listed, but never noted: they tie the brief to its incidents whatever its
# style shows (the STIX and MISP exports, `secbrief incidents --cited-by`).
LINK_FIELDS = ("event", "incidents")


def note_unshown_fields(corpus: Corpus, report: Report) -> None:
    """SB238 once per filled field a valid brief's style does not show."""
    shows: dict[str, frozenset[str] | None] = {}
    for entry in corpus.brief_entries():
        style = entry.model.style
        if style not in shows:
            shows[style] = style_shows(corpus, style, report)
        if shows[style] is None:
            continue
        for name in SHOWABLE_FIELDS:
            value = getattr(entry.model, name)
            if value in (None, "", []) or name in shows[style] or name in LINK_FIELDS:
                continue
            line, col = entry.doc.where((name,), key=True)
            report.add(entry.doc.display, line, col,
                       f"{name}: the {style} style does not show this field, so no output has it; move it to a "
                       "field the style shows (docs/data-model.md, section 8), or remove it",
                       severity=NOTE, code="SB238")


def style_shows(corpus: Corpus, style: str, report: Report) -> frozenset[str] | None:
    """The fields ``templates/<style>/style.yaml`` declares the style
    shows; None when the style has no such file, or it is not valid."""
    path = corpus.project.templates_dir / style / DECLARATION
    if not path.is_file():
        return None
    doc = load_file(path, corpus.project.display(path), report, within=corpus.confinement)
    if doc is None:
        return None
    data = doc.data
    if not isinstance(data, dict) or set(data) != {"shows"} or not isinstance(data["shows"], list):
        line, col = doc.where(())
        report.add(doc.display, line, col, "expected one field, 'shows', with a list of the brief fields "
                   "this style shows, e.g. shows: [summary, sections]", code="SB239")
        return None
    valid = True
    for index, name in enumerate(data["shows"]):
        if name not in SHOWABLE_FIELDS:
            close = difflib.get_close_matches(str(name), SHOWABLE_FIELDS, n=1, cutoff=0.6)
            hint = f" (did you mean '{close[0]}'?)" if close else f"; expected one of: {', '.join(SHOWABLE_FIELDS)}"
            line, col = doc.where(("shows", index))
            report.add(doc.display, line, col, f"shows: '{name}' is not a brief field this list holds{hint}",
                       code="SB239")
            valid = False
    return frozenset(data["shows"]) if valid else None
