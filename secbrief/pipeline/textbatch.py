"""Markdown and HTML of many briefs at once, across processes.

Resolving a brief and rendering its Markdown and HTML costs a few
milliseconds (Python-Markdown most of it); at 500 briefs that is seconds,
worth sharing between the cores. The stale briefs are cut into a few
contiguous chunks (secbrief.core.fork.fork_chunks, fork.tapered): a forked helper
resolves and renders a whole chunk with the renderer it inherited and sends
back only the texts. The texts do not depend on which process rendered
them, nor on ``jobs``.

A small build (an editor's weekly few briefs) stays in this process: forking
a process that holds a loaded corpus, and warming its copy-on-write pages,
costs more than rendering a handful of briefs.
"""

from __future__ import annotations

from collections.abc import Callable

from secbrief.core import fork
from secbrief.render.renderer import map_file, warm_maps

# Fewer stale briefs than this render here, without helpers: forking a
# process that holds 10,000 incidents, its copied pages and its exit cost
# 50-80 ms, as much as 15-20 briefs; measured on 2 cores, helpers start to
# pay at about 40 (bench/README.md, "Speed in everyday use").
FORK_FROM = 40
# At most this many briefs to a chunk (about a fifth of a second): a
# stopped build waits no longer for its helpers, and progress moves.
CHUNK_MOST = 32


def render_texts(corpus, renderer, brief_ids: list[str], make_view: Callable, want_md: bool,
                 jobs: int | None = None,
                 done: Callable[[str, str | None, str], None] | None = None
                 ) -> dict[str, tuple[str | None, str, str | None]]:
    """brief id -> (Markdown or None unless ``want_md``, HTML, the map's SVG
    file or None when the brief has no map), in the order
    of ``brief_ids``. ``make_view(brief_id)`` resolves a brief;
    ``done(brief_id, md, html)`` is called in this process for each brief
    as its texts come in (progress)."""
    def render(chunk: list[str]) -> list[tuple[str | None, str, str | None]]:
        texts = []
        for brief_id in chunk:
            view = make_view(brief_id)
            texts.append((renderer.markdown_text(view) if want_md else None, renderer.html_text(view),
                          map_file(view)))
        return texts

    def arrived(chunk, texts) -> None:
        if done is not None:
            for brief_id, (md, html, _) in zip(chunk, texts):
                done(brief_id, md, html)

    count = fork.processes(jobs, len(brief_ids)) if len(brief_ids) >= FORK_FROM else 1
    if count > 1:
        _warm(renderer, corpus, brief_ids)
    chunks = fork.tapered(brief_ids, count, largest=CHUNK_MOST) if count > 1 else [[b] for b in brief_ids]
    results = fork.fork_chunks(render, chunks, count, arrived)
    return {brief_id: texts for chunk, chunk_texts in zip(chunks, results)
            for brief_id, texts in zip(chunk, chunk_texts)}


def _warm(renderer, corpus, brief_ids: list[str]) -> None:
    """Load (compile, on a first build) the templates of the briefs' styles
    and the shared ones they extend and import, and read the stylesheets,
    here and once, before the fork, rather than in every process. A broken
    template is left for the render itself to report, in its words and in
    order."""
    styles = sorted({corpus.briefs[b].model.style for b in brief_ids})
    envs = {".md.j2": renderer.md_env, ".html.j2": renderer.html_env}
    root = renderer.templates_dir
    for folder in ["_shared", *styles]:
        for path in sorted((root / folder).glob("*.j2")):
            env = next((env for suffix, env in envs.items() if path.name.endswith(suffix)), None)
            try:
                if env is not None:
                    env.get_template(f"{folder}/{path.name}")
            except Exception:  # noqa: BLE001  (reported by the render, in order)
                pass
    for style in styles:
        try:
            renderer.stylesheet(style)
        except OSError:
            pass
    warm_maps()  # shapely and pyproj once, here, not in every helper
