"""Real peers for the delivery tests: an SMTP server (aiosmtpd) on
localhost that records what arrives, the demo week written and built, and
the command run as a user runs it (in this process, with its own
environment)."""

from __future__ import annotations

import email
import email.policy
import json
import shutil
import socket
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from secbrief.cli import main
from weekly_support import WEEK42, weekly_project

FREIGHT_BRIEF, ENERGY_BRIEF = "2023-w42-two-rivers-freight", "2023-w42-northern-arc-energy"
# The demo profiles' recipients who may receive the demo week (the others are refused by TLP).
ELIGIBLE = {(FREIGHT_BRIEF, "security@tworivers.example.com"), (FREIGHT_BRIEF, "ops.manager@tworivers.example.com"),
            (ENERGY_BRIEF, "security@northernarc.example.com"),
            (ENERGY_BRIEF, "gov-relations@northernarc.example.com")}
REFUSED = {(FREIGHT_BRIEF, "road-partners@example.org"), (ENERGY_BRIEF, "newsletter@example.org")}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Received:
    sender: str
    recipients: list[str]
    data: bytes
    session: int

    @property
    def message(self):
        return email.message_from_bytes(self.data, policy=email.policy.default)


@dataclass
class Handler:
    """Records every message; refuses the addresses in ``refuse`` at RCPT;
    after ``stop_after`` messages answers 421 and shuts the server down."""

    refuse: set[str] = field(default_factory=set)
    stop_after: int | None = None
    received: list[Received] = field(default_factory=list)
    server: "SmtpServer | None" = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.stop_after is not None and len(self.received) >= self.stop_after:
            threading.Thread(target=self.server.stop).start()
            return "421 4.3.2 shutting down"
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content,
                                      id(session)))
        return "250 OK queued"


class SmtpServer:
    def __init__(self, handler: Handler, **smtp_options):
        self.handler = handler
        handler.server = self
        self.port = free_port()
        self.controller = Controller(handler, hostname="127.0.0.1", port=self.port, **smtp_options)
        self.running = False

    def start(self) -> "SmtpServer":
        self.controller.start()
        self.running = True
        return self

    def stop(self) -> None:
        if self.running:
            self.running = False
            self.controller.stop()

    @property
    def env(self) -> dict[str, str]:
        return {"SECBRIEF_SMTP_HOST": "127.0.0.1", "SECBRIEF_SMTP_PORT": str(self.port), "SECBRIEF_SMTP_TLS": "none",
                "SECBRIEF_MAIL_FROM": "briefs@desk.example.com"}

    @property
    def delivered(self) -> list[tuple[str, str]]:
        out = []
        for item in self.handler.received:
            brief = item.message.get_payload()[-1].get_filename()[:-4] if item.message.is_multipart() else None
            out += [(brief, rcpt) for rcpt in item.recipients]
        return out


def accept_login(user: str, password: str):
    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = auth_data.login.decode() == user and auth_data.password.decode() == password
        return AuthResult(success=ok, handled=False)  # not handled: aiosmtpd answers 535 itself
    return authenticator


def made_week(dest: Path) -> Path:
    """The demo corpus with the 2023-W42 briefs written and built."""
    root = weekly_project(dest)
    assert main(["-C", str(root), "weekly", WEEK42]) == 0
    return root


def copy_built(source: Path, dest: Path) -> Path:
    shutil.copytree(source, dest, symlinks=True)
    return dest


def deliver(root: Path, *args: str, env: dict[str, str] | None = None, monkeypatch=None) -> int:
    for name in ("SECBRIEF_SMTP_HOST", "SECBRIEF_SMTP_PORT", "SECBRIEF_SMTP_TLS", "SECBRIEF_SMTP_USER",
                 "SECBRIEF_SMTP_PASSWORD", "SECBRIEF_MAIL_FROM", "SECBRIEF_SMIME_KEY", "SECBRIEF_SMIME_CERT",
                 "SECBRIEF_SMIME_PASSPHRASE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in (env or {}).items():
        monkeypatch.setenv(name, value)
    return main(["-C", str(root), "deliver", *args])


def log_records(root: Path) -> list[dict]:
    path = root / "deliveries" / "log.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


# Fixtures of the delivery tests: the demo week built once per module, and
# a fresh copy of it per test.
@pytest.fixture(scope="module")
def built_week(tmp_path_factory):
    return made_week(tmp_path_factory.mktemp("week") / "demo")


@pytest.fixture
def week(built_week, tmp_path):
    return copy_built(built_week, tmp_path / "demo")
