"""Page furniture: what every page's header and footer tell a client.

A client reading page 3 of a printout must be able to say which brief it is
(its reference: series and issue, or the brief's id), when it was issued,
how it is marked (TLP), who may read it (the distribution) and where the page
falls (page x of y: the layout adds that). The commit and secbrief version
are not for the client: they go into the metadata and a colophon line,
never the footer, except for a DRAFT, which every page must show.
"""

from __future__ import annotations

from dataclasses import dataclass

from secbrief.core.dates import long_date


@dataclass(frozen=True)
class Furniture:
    reference: str      # "Two Rivers Weekly Security Brief · Issue 1", or "Ref. <brief id>"
    issued: str         # "15 October 2023"
    distribution: str   # "Distribution: <the client's>", or the TLP marking's sharing rule
    draft: str          # the DRAFT label when the content is not committed, else ""


def furniture(view, client=None) -> Furniture:
    """The header and footer of ``view`` (a resolve.BriefView); ``client`` is
    its clients.Client, when it names one."""
    brief = view.brief
    if brief.issue:
        reference = f"{brief.series or 'Brief'} · Issue {brief.issue}"
    else:
        # No issue number: the brief's id is the one reference that is unique
        # and stable, the one a client can quote back to the desk.
        reference = " · ".join(filter(None, [brief.series or brief.publisher, f"Ref. {view.id}"]))
    wanted = client.profile.distribution if client is not None else None
    distribution = f"Distribution: {wanted}" if wanted else f"{view.tlp.label}: {view.tlp.sharing}"
    return Furniture(reference, long_date(brief.issued), distribution,
                     view.provenance.label if view.provenance.draft else "")
