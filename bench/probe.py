"""Run inside a fresh interpreter by bench/run.py: does one thing to a
project and prints what it cost as JSON (seconds, peak memory).

    python bench/probe.py load ROOT          load and validate everything
    python bench/probe.py build ROOT ARGS..  `secbrief build ARGS` in this process
    python bench/probe.py overhead ROOT N    secbrief's build vs WeasyPrint alone, N rounds
    python bench/probe.py tags ROOT N        tagged PDF/UA-1 and PDF/A-3b vs untagged PDFs, N rounds
    python bench/probe.py maps ROOT N        each brief's HTML with its map drawn vs without a map, N rounds
"""

from __future__ import annotations

import contextlib
import io
import json
import resource
import sys
import time
from pathlib import Path


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def children_cpu() -> float:
    """CPU time of the helpers a load forked (parsing ahead), once reaped:
    work done on another core is still work."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def load(root: str) -> dict:
    from secbrief.core.diagnostics import Report
    from secbrief.core.project import Project
    from secbrief.validate.load_corpus import load_corpus

    start, cpu = time.perf_counter(), time.process_time() + children_cpu()
    report = Report()
    corpus = load_corpus(Project.at(root), report)
    seconds, cpu = time.perf_counter() - start, time.process_time() + children_cpu() - cpu
    assert not report.errors, report.errors[:3]
    return {"seconds": seconds, "cpu": cpu, "peak_mb": peak_mb(), "incidents": len(corpus.incidents),
            "briefs": len(corpus.briefs)}


def build(root: str, *args: str) -> dict:
    from secbrief.cli import main

    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        code = main(["-C", root, "build", *args])
    return {"seconds": time.perf_counter() - start, "peak_mb": peak_mb(), "exit": code}


def overhead(root: str, rounds: str) -> dict:
    """The same briefs, in this one process, after WeasyPrint is imported
    and warm: secbrief's whole build (-j 1) against WeasyPrint rendering
    the final HTML files and nothing else. Best of N rounds each.

    WeasyPrint alone gets the one trick secbrief uses on it, a font
    configuration shared by all documents, so the difference is secbrief's
    own work (load, validate, Markdown, HTML, writing files), not a saving
    that would hide it. It also makes the same tagged PDF/UA-1 secbrief
    makes: what tagging costs is scenario (g), not secbrief's overhead."""
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    from secbrief.render.pdf.variants import DEFAULT_PDF_VARIANT
    from secbrief.pipeline.build import build as secbrief_build
    from secbrief.core.project import Project

    project = Project.at(root)
    htmls = sorted(project.build_dir.glob("*/*.html"))
    assert htmls, "run a build first: overhead compares against its HTML"
    texts = [p.read_text(encoding="utf-8") for p in htmls]

    fonts = FontConfiguration()

    def weasyprint_only():
        for text in texts:
            weasyprint.HTML(string=text, base_url=str(project.root) + "/").write_pdf(
                font_config=fonts, pdf_variant=DEFAULT_PDF_VARIANT, pdf_tags=True)

    def secbrief_whole():
        secbrief_build(project, force=True, jobs=1, log=lambda _: None)

    weasyprint_only()  # warm both: fonts found, caches filled
    secbrief_whole()
    best_wp = best_sb = float("inf")
    for _ in range(int(rounds)):
        start = time.perf_counter()
        weasyprint_only()
        best_wp = min(best_wp, time.perf_counter() - start)
        start = time.perf_counter()
        secbrief_whole()
        best_sb = min(best_sb, time.perf_counter() - start)
    return {"weasyprint": best_wp, "secbrief": best_sb, "briefs": len(texts)}


def tags(root: str, rounds: str) -> dict:
    """What tagging costs: secbrief's PDF renderer on the final HTML files
    of a build, in this one process, making tagged PDF/UA-1 (the default),
    tagged PDF/A-3b, and untagged PDFs that declare no standard (what
    secbrief made before). Each renderer warm first (fonts found, caches
    filled). Then, round after round, each brief by the three renderers in
    turn (each round starting with the next one), so a busy moment of the
    machine falls on all three alike; each brief's best of N rounds, added
    up over the briefs, in CPU time (judged: all of it is this process's
    work) and wall time."""
    import gc

    from secbrief.render.pdf.typeset import PdfRenderer
    from secbrief.core.project import Project

    project = Project.at(root)
    htmls = sorted(project.build_dir.glob("*/*.html"))
    assert htmls, "run a build first: tags renders its HTML"
    texts = [(p.stem, p.read_text(encoding="utf-8")) for p in htmls]
    renderers = {"untagged": PdfRenderer(project.root, None), "pdf/ua-1": PdfRenderer(project.root, "pdf/ua-1"),
                 "pdf/a-3b": PdfRenderer(project.root, "pdf/a-3b")}
    for renderer in renderers.values():
        for brief_id, text in texts:
            renderer.render(text, brief_id)
    names = list(renderers)
    cpu = {(name, brief_id): float("inf") for name in names for brief_id, _ in texts}
    wall = dict(cpu)
    for turn in range(int(rounds)):
        for brief_id, text in texts:
            for name in names[turn % 3:] + names[:turn % 3]:
                gc.collect()
                start, spent = time.perf_counter(), time.process_time()
                renderers[name].render(text, brief_id)
                spent, elapsed = time.process_time() - spent, time.perf_counter() - start
                key = (name, brief_id)
                cpu[key], wall[key] = min(cpu[key], spent), min(wall[key], elapsed)
    return {"cpu": {name: sum(cpu[name, b] for b, _ in texts) for name in names},
            "wall": {name: sum(wall[name, b] for b, _ in texts) for name in names}, "briefs": len(texts)}


def maps(root: str, rounds: str) -> dict:
    """(k) what a brief's generated map costs: resolving and rendering the
    HTML of every brief that has a map, with the map drawn afresh (nothing
    cached), against the same briefs rendered without it, in this process.
    Also the one-off import of shapely, pyproj and numpy (a fresh process)."""
    start = time.perf_counter()
    from secbrief.render.maps import draw
    imported = time.perf_counter() - start
    from secbrief.core.diagnostics import Report
    from secbrief.core.project import Project
    from secbrief.render.renderer import Renderer
    from secbrief.resolve.assemble import brief_view
    from secbrief.validate.load_corpus import load_corpus

    project = Project.at(root)
    corpus = load_corpus(project, Report())
    renderer = Renderer(project.templates_dir)
    ids = [b for b in sorted(corpus.briefs) if brief_view(corpus, b, "bench").map is not None]

    def render(with_map: bool) -> float:
        draw.drawing.cache_clear()
        start = time.perf_counter()
        for brief_id in ids:
            view = brief_view(corpus, brief_id, "bench")
            if not with_map:
                view.map = None
            renderer.html_text(view)
        return time.perf_counter() - start

    render(True), render(False)  # warm: templates compiled, the boundary data read
    best_with = min(render(True) for _ in range(int(rounds)))
    best_without = min(render(False) for _ in range(int(rounds)))
    return {"with": best_with, "without": best_without, "briefs": len(ids), "import": imported}


if __name__ == "__main__":
    command, *rest = sys.argv[1:]
    print(json.dumps({"load": load, "build": build, "overhead": overhead, "tags": tags, "maps": maps}[command](*rest)))
