"""What a request may ask for, and of whom.

Nothing is served from the file system: the pages live in memory
(secbrief.serve.preview), so no path can reach a project file, a link or
a folder listing. These rules still refuse, before any lookup and whatever
is in memory, what must never be asked for: a path that climbs (``..``,
plain or percent-encoded), an encoded slash or percent sign, a dot-file,
the build's caches, manifests and outbox, and any name outside the shapes a
build gives its files.

The Host header must name the address the server is bound to, or
``localhost``: a web page the analyst visits could otherwise point a name
of its own at 127.0.0.1 (DNS rebinding) and read what is served as its
own origin. Bound to every address (``--host 0.0.0.0``), the server also
answers to this machine's name and to any IP literal: an attacker's page
cannot have an IP literal as its origin's name.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from urllib.parse import unquote

# A segment as a build names things: brief ids, "index.html", "feed.xml".
_SEGMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]*")
# Never served, whatever is asked: what a build keeps beside its outputs
# (its caches and manifest are dot-files, refused as such).
NEVER = ("outbox",)


class Refused(Exception):
    """A request refused by rule: its HTTP status and why (for the body)."""

    def __init__(self, status: int, why: str):
        super().__init__(why)
        self.status = status
        self.why = why


def requested_name(target: str) -> str:
    """The name a request-target asks for: '' for the root, else the
    segments joined by '/' ('<id>/<id>.html'; a trailing slash dropped).
    Raises Refused for anything the rules above refuse."""
    path = target.split("?", 1)[0]
    if not path.startswith("/"):
        raise Refused(400, "the request target must be a path starting with /")
    if "\\" in path or "#" in path:
        raise Refused(400, "no backslash or fragment in a path")
    try:
        name = unquote(path[1:], encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise Refused(400, "the path is not UTF-8") from None
    if "%" in name or any(ch < " " or ch == "\x7f" for ch in name):
        raise Refused(400, "the path is encoded twice or holds a control character")
    parts = name.split("/")
    if len(parts) > 1 and parts[-1] == "":
        parts.pop()  # /<id>/ as /<id>
    if parts == [""]:
        return ""
    for part in parts:
        if part in ("", ".", ".."):
            raise Refused(400, "a path may not climb, stand still or repeat a slash")
        if part.startswith(".") or part.lower() in NEVER or part.lower().endswith("manifest.json"):
            raise Refused(403, "dot-files, caches, manifests and the outbox are never served")
        if not _SEGMENT.fullmatch(part):
            raise Refused(404, "no such page")
    return "/".join(parts)


def is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def is_wildcard(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_unspecified
    except ValueError:
        return False


def _ip(text: str):
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


class HostCheck:
    """Which Host headers a server bound to ``bound`` (an IP address, as the
    socket has it) on ``port`` answers; ``asked`` is the --host given."""

    def __init__(self, bound: str, port: int, asked: str = ""):
        self.port = port
        self.any_ip = is_wildcard(bound)
        self.ips = {_ip(bound)}
        self.names = {"localhost"}
        if asked and _ip(asked) is None:
            self.names.add(asked.lower().rstrip("."))
        if self.any_ip:
            for name in (socket.gethostname(), socket.getfqdn()):
                self.names.add(name.lower().rstrip("."))

    def allows(self, header: str | None) -> bool:
        host, port = split_host(header or "")
        if not host:
            return False
        if (port if port is not None else 80) != self.port:
            return False
        address = _ip(host)
        if address is not None:
            return self.any_ip or address in self.ips
        return host in self.names


def split_host(header: str) -> tuple[str, int | None]:
    """('host', port or None) of a Host header; ('', None) when malformed."""
    header = header.strip().lower()
    match = re.fullmatch(r"\[([0-9a-f:.]+)\](?::(\d{1,5}))?|([a-z0-9.-]+)(?::(\d{1,5}))?", header)
    if not match:
        return "", None
    host = (match.group(1) or match.group(3) or "").rstrip(".")
    port = match.group(2) or match.group(4)
    return host, int(port) if port else None
