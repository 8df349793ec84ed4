"""The actor and place registries: every entry, name and alias registered
once, names in one script, and actors' affiliations that lead to a known
actor without going round in a circle."""

from __future__ import annotations

from secbrief.core import lookalike
from secbrief.core.diagnostics import Report
from secbrief.load.plaintext import check_plain_text
from secbrief.load.yamlfile import load_file
from secbrief.model.documents import ActorRegistry, PlaceRegistry
from secbrief.model.schema_errors import validate_model
from secbrief.validate.coordinates import check_places
from secbrief.validate.corpus import Corpus


def load_registries(corpus: Corpus, report: Report) -> None:
    actors_path, places_path = corpus.project.registry_paths()
    for path, model, registry, key in ((actors_path, ActorRegistry, corpus.actors, "actors"),
                                       (places_path, PlaceRegistry, corpus.places, "places")):
        if not path.exists():
            continue
        doc = load_file(path, corpus.project.display(path), report, within=corpus.confinement,
              cache=corpus.parse_cache)
        if doc is None:
            registry.broken = True
            continue
        corpus.registry_docs.append(doc)
        parsed = validate_model(model, doc, report)
        if parsed is None:
            registry.broken = True
            continue
        check_plain_text(doc, report, markdown=set())
        for index, entry in enumerate(getattr(parsed, key)):
            if entry.id in registry.by_id:
                line, col = doc.where((key, index, "id"))
                report.add(doc.display, line, col, f"duplicate {registry.kind} id '{entry.id}'", code="SB210")
                continue
            registry.by_id[entry.id] = entry
            for alias_index, name in enumerate([entry.name, *entry.aliases]):
                loc = (key, index, "name") if alias_index == 0 else (key, index, "aliases", alias_index - 1)
                odd = lookalike.mixed_letter(name)
                if odd:
                    line, col = doc.where(loc)
                    report.add(doc.display, line, col,
                               f"'{name}' mixes Latin letters with a look-alike: {lookalike.describe_letter(odd)}; "
                               "type the name in one script", code="SB214")
                    continue
                other = registry.add_name(name, entry)
                if other is not None:
                    line, col = doc.where(loc)
                    report.add(doc.display, line, col,
                               f"'{name}' already names {registry.kind} '{other.id}'; "
                               "a spelling can point at one entry only", code="SB211")
        if key == "places":
            check_places(doc, parsed.places, report)  # swapped or misplaced coordinates
    check_affiliations(corpus, report)


def check_affiliations(corpus: Corpus, report: Report) -> None:
    doc = next((d for d in corpus.registry_docs if d.path.name == "actors.yaml"), None)
    if doc is None:
        return
    cycles: set[frozenset] = set()  # each cycle reported once, at its first member
    # Where each registered actor is in the file (the first of duplicates
    # is the one registered), found once: not a search per actor.
    entries = doc.data.get("actors") if isinstance(doc.data, dict) else None
    index_of: dict = {}
    for index, raw in enumerate(entries if isinstance(entries, list) else []):
        if isinstance(raw, dict) and isinstance(raw.get("id"), str):
            index_of.setdefault(raw["id"], index)
    for actor in corpus.actors.by_id.values():
        if actor.affiliation is None:
            continue
        loc = ("actors", index_of.get(actor.id, 0), "affiliation")
        if actor.affiliation not in corpus.actors.by_id:
            report.add(doc.display, *doc.where(loc),
                       f"affiliation '{actor.affiliation}' is not an actor id", code="SB212")
            continue
        # Follow the chain: a cycle would make "Parties involved" nest forever.
        # Each cycle is reported once, at its first actor in the file; an
        # actor whose chain merely leads into a cycle is not a second mistake.
        seen, current = [actor.id], actor
        while current.affiliation and current.affiliation in corpus.actors.by_id:
            if current.affiliation in seen:
                members = frozenset(seen[seen.index(current.affiliation):])
                # Only an actor in the loop reports it (one leading into it
                # is not a second mistake), and each loop once: at its first
                # member in the file.
                if current.affiliation == actor.id and members not in cycles:
                    cycles.add(members)
                    chain = " -> ".join(seen + [current.affiliation])
                    report.add(doc.display, *doc.where(loc), f"affiliation cycle: {chain}", code="SB213")
                break
            seen.append(current.affiliation)
            current = corpus.actors.by_id[current.affiliation]
