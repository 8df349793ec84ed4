"""What a file refers to, checked against the corpus: actor names,
citations and the links and limits of analyst Markdown, incident ids, and
sources defined in more than one file. Shared by the incident and brief
checks; each names the file and line of the reference."""

from __future__ import annotations

import difflib

from secbrief.core import lookalike, textgrammar
from secbrief.core.diagnostics import Report
from secbrief.load.yamlfile import Document
from secbrief.model.documents import Source
from secbrief.validate.corpus import Corpus


def mark_broken_sources(corpus: Corpus, data) -> None:
    """The source ids a file with errors defines, as far as they can be read."""
    sources = data.get("sources") if isinstance(data, dict) else None
    for source in sources if isinstance(sources, list) else []:
        if isinstance(source, dict) and isinstance(source.get("id"), str):
            corpus.broken.add(source["id"])


def odd_letter(text: str) -> str:
    odd = lookalike.non_ascii_letter(text)
    return f" ({lookalike.describe_letter(odd)})" if odd else ""


def register_source(corpus: Corpus, source: Source, doc: Document, loc: tuple, report: Report) -> None:
    existing = corpus.sources.get(source.id)
    if existing is None:
        corpus.sources[source.id] = source
        corpus.source_docs[source.id] = (doc, loc)
    elif existing != source:
        other_doc, other_loc = corpus.source_docs[source.id]
        line, col = doc.where(loc + ("id",))
        differ = [name for name in Source.model_fields if getattr(existing, name) != getattr(source, name)]
        report.add(doc.display, line, col,
                   f"source '{source.id}' is defined differently in {other_doc.display}:"
                   f"{other_doc.where(other_loc)[0]} (differs in: {', '.join(differ)}); "
                   "give it another id or make both the same", code="SB205")


def check_actor_names(corpus: Corpus, doc: Document, report: Report) -> None:
    """Unknown actor names, read from the raw data (works on invalid files too)."""
    actors = doc.data.get("actors") if isinstance(doc.data, dict) else None
    for index, ref in enumerate(actors if isinstance(actors, list) else []):
        name = ref.get("name") if isinstance(ref, dict) else None
        if isinstance(name, str) and name and corpus.actors.unknown(name):
            line, col = doc.where(("actors", index, "name"))
            report.add(doc.display, line, col, corpus.actors.unknown_message(name), code="SB220")


def did_you_mean_id(corpus: Corpus, cited_id: str, form: str = "[@{}]") -> str:
    """' (did you mean [@x]?)' for the closest source or incident id, or ''
    (``form``: how the id is written where it was expected). Only reached
    for an unknown id, so scanning every id costs nothing in a clean corpus."""
    close = difflib.get_close_matches(cited_id, [*corpus.sources, *corpus.incidents], n=1, cutoff=0.8)
    return f" (did you mean {form.format(close[0])}?)" if close else ""


def unknown_incident(corpus: Corpus, incident_id: str) -> str:
    close = difflib.get_close_matches(incident_id, list(corpus.incidents), n=1, cutoff=0.8)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"unknown incident '{incident_id}'{hint}"


def check_markdown(corpus: Corpus, doc: Document, loc: tuple, text: str, report: Report) -> None:
    # Counting '[' is cheap; leaving the citations out of the count is not.
    brackets = textgrammar.link_brackets(text) if text.count("[") > textgrammar.MAX_LINK_BRACKETS else 0
    if brackets > textgrammar.MAX_LINK_BRACKETS:
        # Checked first: the scans below, and Markdown itself, slow to minutes.
        line, col = doc.where(loc)
        report.add(doc.display, line, col,
                   f"{loc[-1]}: {brackets:,} '[' characters outside citations; the most secbrief renders "
                   f"in one text is {textgrammar.MAX_LINK_BRACKETS:,} (Markdown slows to a crawl on more)",
                   code="SB255")
        return
    levels, offset = textgrammar.nesting_depth(text, at_least=textgrammar.MAX_NESTING + 1)
    if levels > textgrammar.MAX_NESTING:
        line, col = doc.locate(loc, text, offset)
        report.add(doc.display, line, col, f"{loc[-1]}: lists or quotes nested {levels:,} levels deep on one line; "
                   f"the most secbrief renders is {textgrammar.MAX_NESTING}", code="SB256")
        return
    cited, malformed = textgrammar.cited_and_malformed(text)
    for cited_id, offset in cited:
        if cited_id not in corpus.sources and cited_id not in corpus.incidents and cited_id not in corpus.broken:
            line, col = doc.locate(loc, text, offset)
            report.add(doc.display, line, col,
                       f"citation [@{cited_id}] names no source or incident{did_you_mean_id(corpus, cited_id)}",
                       code="SB250")
    for raw, offset in malformed:
        line, col = doc.locate(loc, text, offset)
        report.add(doc.display, line, col,
                   f"malformed citation {raw}: write [@id] with a source or incident id", code="SB251")
    for kind, target, offset in textgrammar.unsafe_targets(text):
        line, col = doc.locate(loc, text, offset)
        report.add(doc.display, line, col, textgrammar.unsafe_message(kind, target),
                   code="SB253" if kind == "image" else "SB252")
