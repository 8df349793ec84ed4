"""Copyfitting: no PDF ends on a page that is nearly empty.

A brief whose last page holds three lines of source notes (or only the
colophon) looks unfinished to a client, and no stylesheet can prevent it:
where the last break falls depends on the text. So the PDF step lays a
brief out, measures how far down its last page the text goes and, when
that is under a quarter of the page, lays it out again slightly tighter
(the tail then moves up onto the page before) or slightly looser (more of
the text moves onto the last page), keeping the first layout that ends well.
Most briefs are laid out once; the variants change the body text by half a
point at most, so a client's issues still look alike.

Same HTML, same variants, same order: the choice, and so the PDF's bytes,
depend on the brief alone.
"""

from __future__ import annotations

from typing import Callable

MIN_FILL = 0.25  # of the last page's text area

# Tried in order after the page's own layout. User stylesheets lose to the
# page's own CSS, hence !important.
VARIANTS = (
    "body { font-size: 10.5pt !important; line-height: 1.42 !important; }",
    "body { line-height: 1.52 !important; } p { margin-bottom: 0.9em !important; }",
    "body { font-size: 10pt !important; line-height: 1.4 !important; }",
    "body { font-size: 11.5pt !important; line-height: 1.5 !important; }",
)


def last_page_fill(document) -> float:
    """How far down its text area the last page's content reaches, 0 to 1
    (the running header and footer, in the page margins, do not count)."""
    from weasyprint.formatting_structure import boxes

    page = document.pages[-1]._page_box
    top, height = page.content_box_y(), page.height
    bottom = top

    def walk(box):
        nonlocal bottom
        if isinstance(box, boxes.MarginBox):
            return
        if isinstance(box, (boxes.LineBox, boxes.ReplacedBox)):
            bottom = max(bottom, box.position_y + box.margin_height())
            return
        for child in getattr(box, "children", ()):
            walk(child)

    walk(page)
    return max(0.0, min(1.0, (bottom - top) / height)) if height else 1.0


def ends_well(document) -> bool:
    return len(document.pages) == 1 or last_page_fill(document) >= MIN_FILL


def fit(render: Callable[[str | None], object]):
    """``render(extra_css)`` lays the brief out (``None``: as its CSS says).
    Returns the first layout that ends well; when none does, the one with
    fewest pages, then the fullest last page, preferring the earliest."""
    tried = []
    for extra in (None, *VARIANTS):
        document = render(extra)
        if ends_well(document):
            return document
        tried.append(document)
    return min(tried, key=lambda d: (len(d.pages), -last_page_fill(d)))
