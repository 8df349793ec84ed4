"""``secbrief serve``: bind, render, watch, serve until Ctrl-C.

The port is bound first, so a port in use is said at once (exit 2); then
every served brief is rendered (the one render that may use helper
processes: no thread runs yet), the watchers start, and the server answers
until a stop signal, which ends it cleanly: the event streams are closed,
the watchers stopped, the port released.
"""

from __future__ import annotations

import sys
from pathlib import Path

from secbrief.core import stop_signals
from secbrief.core.diagnostics import UsageError, say
from secbrief.core.project import Project
from secbrief.core.tlp import TLP_LEVELS
from secbrief.render.pdf.variants import DEFAULT_PDF_VARIANT
from secbrief.serve.events import Hub
from secbrief.serve.guard import is_loopback, is_wildcard
from secbrief.serve.pages import DEFAULT_EDITOR_URL, EditorLinks
from secbrief.serve.preview import Preview
from secbrief.serve.server import PreviewServer
from secbrief.serve.watch import Watcher


def brief_ids(project: Project, selection: list[str]) -> list[str]:
    """Brief ids from ids or files named on the command line; a usage error
    names the first that has no file in briefs/."""
    known = sorted(p.stem for p in project.brief_paths())
    ids = [Path(item).stem if item.endswith((".yaml", ".yml")) else item for item in selection]
    unknown = [b for b in ids if b not in known]
    if unknown:
        raise UsageError(f"serve: unknown brief '{unknown[0]}'; the briefs are: {', '.join(known) or 'none'}")
    return list(dict.fromkeys(ids))


def serve(project: Project, selection: list[str] | None = None, host: str = "127.0.0.1", port: int = 8000,
          ceiling: str | None = None, editor_url: str = DEFAULT_EDITOR_URL,
          pdf_variant: str = DEFAULT_PDF_VARIANT, log=say) -> int:
    """Serve until stopped; 0 when stopped by a signal (the way it ends)."""
    if ceiling is not None and ceiling not in TLP_LEVELS:
        raise UsageError(f"--ceiling: expected one of: {', '.join(TLP_LEVELS)}, but received: '{ceiling}'")
    ids = brief_ids(project, selection or [])
    links = EditorLinks(editor_url, project.root)
    hub = Hub()
    server = PreviewServer(host, port, hub, links)
    watcher = None
    try:
        private = is_loopback(server.server_address[0])
        preview = server.preview = Preview(project, ids, ceiling or ("RED" if private else "CLEAR"), private,
                                           pdf_variant, log)
        if not private:
            say(f"warning: serving on {host}, beyond this machine: whoever can reach port {server.port} can read "
                f"what is served; only briefs at or below TLP:{preview.ceiling} are served (--ceiling), and the "
                "pages show how many problems there are, not what they say", file=sys.stderr)
        def refresh(paths=(), jobs=1) -> None:
            update = preview.refresh(paths, jobs)
            hub.publish(update.reload, update.diagnostics)

        refresh(jobs=None)  # no thread runs yet: helpers may be forked for a big project
        _banner(preview, server, host, log)
        watcher = Watcher(project, refresh, log)
        watcher.start()
        try:
            server.serve_forever(poll_interval=0.25)
        except KeyboardInterrupt:
            stop_signals.handled()  # Ctrl-C is how a server ends: exit 0, no "interrupted"
    finally:
        hub.close()
        if watcher is not None:
            watcher.close()
        server.server_close()
    log("secbrief serve: stopped")
    return 0


def _banner(preview: Preview, server: PreviewServer, host: str, log) -> None:
    shown_host = host if not is_wildcard(server.server_address[0]) else "localhost"
    if ":" in shown_host:
        shown_host = f"[{shown_host}]"
    base = f"http://{shown_host}:{server.port}"
    briefs = preview.served()
    lines = [f"serving {base}/ (the archive)"]
    if preview.selection:
        lines += [f"  {base}/{b}/{b}.html" for b in preview.selection if b in briefs]
    else:
        lines.append(f"  {len(briefs)} brief(s), each at {base}/<id>/<id>.html")
    lines.append("watching incidents/, briefs/, templates/ and secbrief.yaml; Ctrl-C stops")
    log(*lines)
