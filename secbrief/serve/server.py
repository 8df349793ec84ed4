"""The preview's HTTP server: the standard library's ThreadingHTTPServer,
one thread a request, answering GET and HEAD only.

URLs: ``/`` (or ``/index.html``) is the archive; a brief is at its build
path, ``/<id>/<id>.html`` (``.md``, and ``.pdf`` rendered on demand), and
``/<id>`` redirects there; ``/feed.xml`` is the feed. ``/_serve/`` holds
the page's script and stylesheet, its event stream and the diagnostics.
Everything else is refused by secbrief.serve.guard or not found.

Every answer forbids caching (a brief marked AMBER stays off the disk
cache), sniffing, framing and reading from another origin (no CORS header
is ever sent; Cross-Origin-Resource-Policy: same-origin); HTML pages get
a Content-Security-Policy that allows the built pages' own inline styles
and data: images, and scripts only from this server.
"""

from __future__ import annotations

import errno
import socket
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

from secbrief.core.diagnostics import UsageError, shown
from secbrief.serve import client, pages
from secbrief.serve.events import CLOSED, Hub
from secbrief.serve.guard import HostCheck, Refused, requested_name
from secbrief.serve.preview import ARCHIVE, HTML, Preview

KEEP_ALIVE = 15.0  # seconds between comments on an idle event stream: a closed page is noticed
COMMON_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
PAGE_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
               "font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; "
               "frame-ancestors 'none'")
STATIC = {pages.SCRIPT_PATH: (client.LIVE_JS.encode(), "text/javascript; charset=utf-8"),
          pages.STYLE_PATH: (client.LIVE_CSS.encode(), "text/css; charset=utf-8")}


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True  # an open event stream does not hold the process when it stops

    preview: Preview  # set once bound: what it serves depends on the address it got

    def __init__(self, host: str, port: int, hub: Hub, links: pages.EditorLinks):
        self.hub, self.links = hub, links
        try:
            self.address_family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
            super().__init__((host, port), Handler)
        except socket.gaierror:
            raise UsageError(f"serve: --host '{host}' is no address of this machine") from None
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise UsageError(f"serve: port {port} on {host} is in use; choose another with --port") from None
            raise UsageError(f"serve: cannot listen on {host} port {port}: {exc.strerror or exc}") from None
        self.hosts = HostCheck(self.server_address[0], self.server_address[1], host)

    @property
    def port(self) -> int:
        return self.server_address[1]

    def handle_error(self, request, client_address):
        error = sys.exc_info()[1]
        if not isinstance(error, OSError):  # a browser that closed its connection mid-answer: nothing to say
            self.preview.log(f"secbrief serve: internal error: {type(error).__name__}: {error} (please report it)")


class Handler(BaseHTTPRequestHandler):
    server: PreviewServer

    def version_string(self) -> str:
        return "secbrief-serve"  # not Python's version: nothing for a scanner to match

    def do_GET(self):
        self._answer()

    def do_HEAD(self):
        self._answer()

    @property
    def with_body(self) -> bool:
        return self.command != "HEAD"

    def __getattr__(self, name: str):
        # Any other method (POST, PUT, OPTIONS, made-up ones): 405, not http.server's 501.
        if name.startswith("do_"):
            return self._not_allowed
        raise AttributeError(name)

    def _not_allowed(self):
        self._send(405, b"405 method not allowed: only GET and HEAD\n", "text/plain; charset=utf-8",
                   {"Allow": "GET, HEAD"})

    def log_message(self, format, *args):
        pass  # the terminal is for the analyst's changes and problems, not for every request

    def _answer(self) -> None:
        try:
            self._route()
        except OSError:
            raise  # the connection: handle_error stays quiet
        except Exception as exc:  # noqa: BLE001  (a bug of ours, or WeasyPrint's: say it, answer 500)
            self.server.preview.log(f"secbrief serve: internal error answering {self.path!r}: "
                                    f"{type(exc).__name__}: {exc} (please report it)")
            self._refuse(500, "internal error: see the terminal where secbrief serve runs")

    def _route(self) -> None:
        if not self.server.hosts.allows(self.headers.get("Host")):
            return self._refuse(403, "this server answers only to its own address (DNS rebinding)")
        path, _, query = self.path.partition("?")
        if path in STATIC:
            body, kind = STATIC[path]
            return self._send(200, body, kind)
        if path == pages.DIAGNOSTICS_PATH:
            preview = self.server.preview
            body = pages.diagnostics_json(preview.diagnostics, self.server.links, preview.rendered, preview.private)
            return self._send(200, body, "application/json")
        if path == pages.EVENTS_PATH:
            return self._events(parse_qs(query))
        try:
            name = requested_name(self.path)
        except Refused as exc:
            return self._refuse(exc.status, exc.why)
        self._file(name)

    def _file(self, name: str) -> None:
        preview = self.server.preview
        if name in ("", "index.html"):
            page = preview.page("index.html")
            if page is None and preview.private:
                return self._send(200, pages.placeholder(ARCHIVE, preview.version(ARCHIVE)), HTML,
                                  {"Content-Security-Policy": PAGE_POLICY})
        else:
            page = preview.page(name)
        if page is not None:
            body, extra = page.body, {}
            if page.key is not None:
                pdf = None if page.key == ARCHIVE else f"/{page.key}/{page.key}.pdf"
                body = pages.inject(body, page.key, preview.version(page.key), pdf)
                extra["Content-Security-Policy"] = PAGE_POLICY
            return self._send(200, body, page.type, extra)
        brief_id, _, rest = name.partition("/")
        if rest == f"{brief_id}.pdf":
            data = preview.pdf(brief_id)
            if data is not None:
                return self._send(200, data, "application/pdf", {"Content-Disposition": f'inline; filename="{rest}"'})
        if name == "favicon.ico":  # asked for by every browser: no icon, and no error in the page's console
            return self._send(204, b"", "image/x-icon")
        if not rest and preview.page(f"{brief_id}/{brief_id}.html") is not None:
            return self._send(302, b"", "text/plain; charset=utf-8", {"Location": f"/{brief_id}/{brief_id}.html"})
        if rest == f"{brief_id}.html" and preview.waiting(brief_id):
            return self._send(200, pages.placeholder(brief_id, preview.version(brief_id)),
                              HTML, {"Content-Security-Policy": PAGE_POLICY})
        self._refuse(404, "no such page")

    def _events(self, query: dict) -> None:
        key = query.get("page", [""])[0][:200]
        version = query.get("version", [""])[0][:100]
        self._headers(200, "text/event-stream; charset=utf-8", None, {})
        if not self.with_body:
            return
        hub = self.server.hub
        subscriber = hub.subscribe(key)
        try:
            self.wfile.write(b"retry: 1000\n\n")
            if self.server.preview.version(key) != version:
                subscriber.push("reload")  # changed between the page's render and this stream
            while True:
                event = subscriber.next(KEEP_ALIVE)
                if event is CLOSED:
                    break
                self.wfile.write(b": keep-alive\n\n" if event is None else f"event: {event}\ndata: {event}\n\n".encode())
        except OSError:
            pass  # the page went away
        finally:
            hub.unsubscribe(subscriber)
            self.close_connection = True

    def _refuse(self, status: int, why: str) -> None:
        self._send(status, f"{status} {shown(why)}\n".encode(), "text/plain; charset=utf-8")

    def _send(self, status: int, body: bytes, kind: str, extra: dict | None = None) -> None:
        self._headers(status, kind, len(body), extra or {})
        if self.with_body:
            try:
                self.wfile.write(body)
            except OSError:
                pass

    def _headers(self, status: int, kind: str, length: int | None, extra: dict) -> None:
        self.send_response(status)
        for name, value in {**COMMON_HEADERS, "Content-Type": kind, **extra}.items():
            self.send_header(name, value)
        if length is not None:
            self.send_header("Content-Length", str(length))
        self.end_headers()
