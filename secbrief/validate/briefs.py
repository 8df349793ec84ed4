"""Brief files: each read, validated against its model and registered in
the corpus; then what it names (style, incidents, parties, yardstick terms,
evidence, image, the brief it follows) and its citations, once every file
is loaded. A file that fails its model is still checked for everything its
other fields hold."""

from __future__ import annotations

import difflib
from pathlib import Path

from secbrief.core.diagnostics import Report
from secbrief.core.textgrammar import is_valid_id
from secbrief.core.yardstick import active, others
from secbrief.load.plaintext import check_plain_text
from secbrief.load.yamlfile import Document, load_file
from secbrief.model.documents import Brief, markdown_fields
from secbrief.model.schema_errors import validate_model
from secbrief.validate.coordinates import check_brief_map
from secbrief.validate.corpus import Corpus, Entry, reported_at
from secbrief.validate.references import (check_markdown, did_you_mean_id, mark_broken_sources, odd_letter,
                                          register_source, unknown_incident)


def load_brief(corpus: Corpus, path: Path, report: Report) -> None:
    display = corpus.project.display(path)
    doc = load_file(path, display, report, within=corpus.confinement,
              cache=corpus.parse_cache)
    if doc is None:
        return
    if not is_valid_id(path.stem):
        report.add(display, 1, 1, f"file name '{path.name}' is not a valid id: "
                   "use lowercase letters, digits and hyphens" + odd_letter(path.stem), code="SB201")
        return
    brief = validate_model(Brief, doc, report)
    if brief is None:
        # The rest of its mistakes are found once every file is loaded (its
        # citations may name another brief's sources); the sources it defines
        # count as known, so citing them is not a second error.
        corpus.invalid_docs.append((check_raw_brief, doc, reported_at(report, doc)))
        mark_broken_sources(corpus, doc.data)
        return
    corpus.briefs[path.stem] = Entry(path.stem, brief, doc)
    check_plain_text(doc, report, markdown={loc for loc, _ in markdown_fields(brief)} | {
        ("implications", i) for i, item in enumerate(brief.implications)})
    for index, source in enumerate(brief.sources):
        register_source(corpus, source, doc, ("sources", index), report)


def check_raw_brief(corpus: Corpus, doc: Document, report: Report) -> None:
    """Cross-file checks of a brief whose model did not validate, on each
    field that holds what it should: incident ids, parties and citations."""
    data = doc.data if isinstance(doc.data, dict) else {}

    def strings(value):
        return [(i, v) for i, v in enumerate(value) if isinstance(v, str)] if isinstance(value, list) else []

    refs = [(("event",), data["event"])] if isinstance(data.get("event"), str) else []
    refs += [(("incidents", i), v) for i, v in strings(data.get("incidents"))]
    for i, item in enumerate(data.get("implications") if isinstance(data.get("implications"), list) else []):
        if isinstance(item, dict):
            refs += [(("implications", i, "timeline", j), v) for j, v in strings(item.get("timeline"))]
    for loc, incident_id in refs:
        if incident_id not in corpus.incidents and incident_id not in corpus.broken:
            line, col = doc.where(loc)
            report.add(doc.display, line, col, unknown_incident(corpus, incident_id), code="SB231")
    for i, name in strings(data.get("parties")):
        if corpus.actors.unknown(name):
            line, col = doc.where(("parties", i))
            report.add(doc.display, line, col, corpus.actors.unknown_message(name), code="SB220")
    texts = [((key,), data[key]) for key in ("event_text", "summary", "outlook") if isinstance(data.get(key), str)]
    for key, inner in (("key_judgements", "statement"), ("implications", "text"), ("sections", "body"),
                       ("quotes", "text")):
        for i, item in enumerate(data.get(key) if isinstance(data.get(key), list) else []):
            if isinstance(item, dict) and isinstance(item.get(inner), str):
                texts.append(((key, i, inner), item[inner]))
            elif key == "implications" and isinstance(item, str):  # the short form: a bare string
                texts.append(((key, i), item))
    for loc, text in texts:
        check_markdown(corpus, doc, loc, text, report)


def check_brief_refs(corpus: Corpus, entry: Entry, report: Report, styles: list[str] | None = None) -> None:
    brief, doc = entry.model, entry.doc

    def error(loc, message, code):
        line, col = doc.where(loc)
        report.add(doc.display, line, col, message, code=code)

    styles = corpus.project.styles() if styles is None else styles
    if brief.style not in styles:
        error(("style",), f"style: unknown style '{brief.style}'; expected one of: {', '.join(styles)}",
              "SB230")
    if brief.supersedes is not None and (problem := brief_ref_problem(corpus, entry, "supersedes")):
        error(("supersedes",), problem, "SB237")
    if brief.previous not in (None, "none") and (problem := brief_ref_problem(corpus, entry, "previous")):
        error(("previous",), problem, "SB236")
    def known(incident_id):  # a lookup, not a 10,000-id set built per brief
        return incident_id in corpus.incidents or incident_id in corpus.broken

    if brief.event and not known(brief.event):
        error(("event",), unknown_incident(corpus, brief.event), "SB231")
    for i, incident_id in enumerate(brief.incidents):
        if not known(incident_id):
            error(("incidents", i), unknown_incident(corpus, incident_id), "SB231")
    for i, item in enumerate(brief.implications):
        for j, incident_id in enumerate(item.timeline):
            if not known(incident_id):
                error(("implications", i, "timeline", j), unknown_incident(corpus, incident_id), "SB231")
    for i, name in enumerate(brief.parties):
        if corpus.actors.unknown(name):
            error(("parties", i), corpus.actors.unknown_message(name), "SB220")
    yardstick = active(brief.yardstick, corpus.config.yardstick)
    for i, judgement in enumerate(brief.key_judgements):
        if judgement.likelihood not in yardstick.terms:
            other = next((y for y in others(yardstick) if judgement.likelihood in y.terms), None)
            hint = (f" ('{judgement.likelihood}' is a term of the {other.name} yardstick: to use it, "
                    f"set 'yardstick: {other.key}' in the brief or in secbrief.yaml)") if other else ""
            error(("key_judgements", i, "likelihood"),
                  f"likelihood: '{judgement.likelihood}' is not a term of the {yardstick.name} yardstick; "
                  f"expected one of: {', '.join(yardstick.terms)}{hint}", "SB240")
        for j, ref in enumerate(judgement.evidence):
            if ref not in corpus.incidents and ref not in corpus.sources and ref not in corpus.broken:
                error(("key_judgements", i, "evidence", j),
                      f"evidence '{ref}' is neither an incident nor a source"
                      + did_you_mean_id(corpus, ref, "'{}'"), "SB232")
    if brief.image is not None:
        image_path = (doc.path.parent / brief.image.file)
        if not corpus.project.contains(image_path) or ".." in Path(brief.image.file).parts:
            error(("image", "file"), f"image: '{brief.image.file}' is outside the project", "SB233")
        elif not image_path.is_file():
            error(("image", "file"), f"image: file '{brief.image.file}' not found", "SB234")
        elif image_path.suffix.lower() not in (".png", ".jpg", ".jpeg", ".svg", ".gif", ".webp"):
            error(("image", "file"), "image: expected a .png, .jpg, .svg, .gif or .webp file", "SB235")
    check_brief_map(corpus, entry, report)
    for loc, text in markdown_fields(brief):
        check_markdown(corpus, doc, loc, text, report)


def brief_ref_problem(corpus: Corpus, entry: Entry, field_name: str) -> str | None:
    """`supersedes` and `previous` must name another brief file (valid or
    not: its own errors are reported on it), so "What changed" has something
    to compare."""
    target = getattr(entry.model, field_name)
    if target == entry.id:
        return ("supersedes: a brief cannot supersede itself" if field_name == "supersedes"
                else "previous: a brief cannot be its own previous issue (write 'none' for a first issue)")
    ids = corpus.brief_file_ids()
    if target in ids:
        return None
    close = difflib.get_close_matches(target, [i for i in ids if i != entry.id], n=1, cutoff=0.8)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"{field_name}: unknown brief '{target}'{hint}"
