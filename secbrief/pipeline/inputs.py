"""What each brief's outputs depend on, by name and hash: its own file,
the incidents, actors, places and sources it shows, its style's templates,
its image, the brief it is compared with, secbrief itself. A build redoes a
brief exactly when one of these changed, and says which."""

from __future__ import annotations

from secbrief import __version__
from secbrief.core import fingerprint, textgrammar
from secbrief.history import provenance
from secbrief.history.changes import previous_entry
from secbrief.model.documents import markdown_fields
from secbrief.resolve.assemble import brief_view
from secbrief.resolve.locator import shows_map
from secbrief.resolve.weekly_view import weekly_inputs
from secbrief.render.maps import BOUNDARIES
from secbrief.validate.corpus import umbrella_chain

GENERATOR = f"secbrief {__version__}"


def stamped_inputs(corpus, brief_ids, formats) -> tuple[dict[str, dict[str, str]], dict]:
    """(brief id -> its inputs, brief id -> its version stamp) for ``brief_ids``.
    The stamp is an input too ("provenance"): a new commit or a dirty tree
    re-renders. What a build and ``secbrief serve`` compare to find the
    stale briefs."""
    package = fingerprint.package_hash()
    hashes: dict[tuple, str] = {}  # templates, actors, places: the same for every brief that uses them
    all_inputs = {brief_id: brief_inputs(corpus, brief_id, package, formats, hashes) for brief_id in brief_ids}
    stamps = provenance.stamps(corpus.project, {brief_id: provenance.content_paths(corpus, brief_id, inputs)
                                                for brief_id, inputs in all_inputs.items()})
    for brief_id, inputs in all_inputs.items():
        inputs["provenance"] = stamps[brief_id].text
    return all_inputs, stamps


def view_maker(corpus, stamps):
    """brief id -> its view model, stamped as ``stamped_inputs`` found it."""
    return lambda brief_id: brief_view(corpus, brief_id, generator=GENERATOR, provenance=stamps[brief_id])


def brief_inputs(corpus, brief_id: str, package: str, formats,
                 hashes: dict[tuple, str] | None = None) -> dict[str, str]:
    """Hash of every input one brief's outputs depend on, by name.
    ``hashes`` keeps, across the briefs of a build, the hashes of what many
    share: each style's templates, each actor, place and source."""
    entry = corpus.briefs[brief_id]
    brief = entry.model
    project = corpus.project
    hashes = {} if hashes is None else hashes

    def model_hash(kind: str, model) -> str:
        key = (kind, model.id)
        if key not in hashes:
            hashes[key] = fingerprint.sha(model.model_dump_json().encode())
        return hashes[key]
    # Files are known by the hash of the bytes that were loaded (doc.digest),
    # not read again.
    inputs = {"brief": entry.doc.digest.hex(), "secbrief": package,
              "formats": ",".join(formats)}
    used = set(brief.incidents)
    if brief.event:
        used.add(brief.event)
    for item in brief.implications:
        used.update(item.timeline)
    for judgement in brief.key_judgements:
        used.update(e for e in judgement.evidence if e in corpus.incidents)
    cited_sources = set()
    for _, text in markdown_fields(brief):
        for ref, _ in textgrammar.citation_ids(text):
            (used if ref in corpus.incidents else cited_sources).add(ref)
    for incident_id in sorted(used):
        inputs[f"incident {incident_id}"] = corpus.incidents[incident_id].doc.digest.hex()
    actors = {a.id: a for a in (corpus.actors.lookup(name) for name in brief.parties)}
    located = False
    for incident_id in used:
        incident = corpus.incidents[incident_id].model
        actors.update((a.id, a) for a in (corpus.actors.lookup(ref.name) for ref in incident.actors))
        for location in incident.all_locations:
            located = located or location.lat is not None
            if location.place:
                place = corpus.places.lookup(location.place)
                inputs[f"place {place.id}"] = model_hash("place", place)  # its coordinates place the marker
                located = True
    if located and shows_map(brief):  # the boundary data the brief's map is drawn on
        if ("map data",) not in hashes:
            hashes[("map data",)] = fingerprint.file_hash(BOUNDARIES)
        inputs["map data"] = hashes[("map data",)]
    for actor in list(actors.values()):
        actors.update((a.id, a) for a in umbrella_chain(corpus, actor))
    for source_id in sorted(cited_sources):
        # A source defined in an incident file: that file's text is the note.
        inputs[f"source {source_id}"] = model_hash("source", corpus.sources[source_id])
    for actor in sorted(actors.values(), key=lambda a: a.id):
        inputs[f"actor {actor.id}"] = model_hash("actor", actor)
    if ("templates", brief.style) not in hashes:
        style_dirs = [project.templates_dir / brief.style, project.templates_dir / "_shared"]
        hashes[("templates", brief.style)] = fingerprint.tree_hash(
            [p for d in style_dirs if d.is_dir() for p in d.rglob("*") if p.is_file()])
    inputs["templates"] = hashes[("templates", brief.style)]
    if not brief.yardstick:  # the project's yardstick labels this brief's judgements
        inputs["yardstick"] = corpus.config.yardstick
    if brief.image:
        inputs["image"] = fingerprint.file_hash(entry.doc.path.parent / brief.image.file)

    previous = previous_entry(corpus, brief_id)  # its judgements feed the "What changed" block
    if previous is not None:
        inputs[f"previous brief {previous.id}"] = previous.doc.digest.hex()
    inputs.update(weekly_inputs(corpus, brief_id))  # client profile; weekly styles' chart
    return inputs
