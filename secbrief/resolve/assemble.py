"""Resolve step: assemble the view model of one brief, the only thing its
templates read. Joins the brief to its incidents, parties, judgements on
the project's yardstick, citations, image, what changed since the previous
issue, its version stamp, the weekly part for weekly styles, the locator
map, and the page furniture. Templates never open files or look anything up."""

from __future__ import annotations

from secbrief.core.tlp import tlp
from secbrief.core.yardstick import active
from secbrief.history.changes import what_changed
from secbrief.history.provenance import Provenance, unversioned
from secbrief.model.documents import Brief
from secbrief.resolve.furniture import furniture
from secbrief.resolve.locator import locator_map
from secbrief.resolve.views import BriefView, Citations, embed_image, incident_view, parties
from secbrief.resolve.weekly_view import client_of, weekly_view
from secbrief.validate.corpus import Corpus


def brief_view(corpus: Corpus, brief_id: str, generator: str,
               provenance: Provenance | None = None) -> BriefView:
    entry = corpus.briefs[brief_id]
    brief: Brief = entry.model
    event = incident_view(corpus, brief.event) if brief.event else None
    listed = [i for i in brief.incidents if i != brief.event]
    incidents = sorted((incident_view(corpus, i) for i in listed), key=lambda v: (v.date, v.id))
    names = list(brief.parties)
    if event is not None:
        names += [ref.name for ref in event.model.actors]
    timelines = {
        index: sorted((incident_view(corpus, i) for i in item.timeline), key=lambda v: (v.date, v.id))
        for index, item in enumerate(brief.implications) if item.timeline}
    yardstick = active(brief.yardstick, corpus.config.yardstick)
    judgements = [{"id": j.id, "statement": j.statement, "likelihood": j.likelihood,
                   "likelihood_label": yardstick.label(j.likelihood), "confidence": j.confidence,
                   "evidence": j.evidence}
                  for j in brief.key_judgements]
    view = BriefView(
        id=brief_id, brief=brief, tlp=tlp(brief.tlp), event=event, incidents=incidents,
        parties=parties(corpus, names), timelines=timelines, judgements=judgements,
        image=embed_image(corpus, entry), citations=Citations(corpus, brief.issued), generator=generator,
        changes=what_changed(corpus, brief_id), provenance=provenance or unversioned())
    view.weekly = weekly_view(corpus, view)
    view.map = locator_map(view)  # after the weekly part: a weekly brief maps the week's incidents
    view.furniture = furniture(view, client_of(corpus, brief))
    return view
