"""What a delivery run takes from the environment, never from YAML: the
SMTP server and its credentials, the sender, the S/MIME key.

Every problem is a UsageError (exit 2), one line, before anything is sent.
A password is held in a Secret, whose repr and str hide it, so no log,
message or traceback can show it.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from secbrief.core.addresses import address_problem
from secbrief.core.diagnostics import UsageError, shown

TLS_MODES = ("starttls", "tls", "none")
DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}
DRY_RUN_SENDER = "secbrief@localhost"


class Secret:
    """A password: usable as .value, shown nowhere."""

    __slots__ = ("value",)

    def __init__(self, value: str):
        self.value = value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    tls: str
    user: str | None = None
    password: Secret | None = field(default=None, repr=False)

    @property
    def loopback(self) -> bool:
        return is_local_host(self.host)

    @property
    def shown(self) -> str:
        return f"{shown(self.host)}:{self.port}"


@dataclass(frozen=True)
class SmimeKey:
    """Where the sender's S/MIME key and certificate are (paths), and its passphrase."""

    key_path: Path
    cert_path: Path
    passphrase: Secret | None = field(default=None, repr=False)


def is_local_host(host: str) -> bool:
    """A host name or address of this machine (localhost, 127.0.0.1, [::1]):
    an SMTP login without TLS, and TAXII over http://, go to it only."""
    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def smtp_settings(environ: Mapping[str, str]) -> SmtpSettings | None:
    """The SMTP server from SECBRIEF_SMTP_*; None when no host is set (the
    run is then a dry run)."""
    host = environ.get("SECBRIEF_SMTP_HOST", "").strip()
    if not host:
        return None
    tls = environ.get("SECBRIEF_SMTP_TLS", "starttls").strip().lower() or "starttls"
    if tls not in TLS_MODES:
        raise UsageError(f"SECBRIEF_SMTP_TLS: expected one of {', '.join(TLS_MODES)}, but received: "
                         f"'{shown(tls)}'")
    port_text = environ.get("SECBRIEF_SMTP_PORT", "").strip()
    if port_text and not (port_text.isdigit() and 0 < int(port_text) < 65536):
        raise UsageError(f"SECBRIEF_SMTP_PORT: expected a port number from 1 to 65535, but received: "
                         f"'{shown(port_text)}'")
    port = int(port_text) if port_text else DEFAULT_PORTS[tls]
    user = environ.get("SECBRIEF_SMTP_USER") or None
    password = environ.get("SECBRIEF_SMTP_PASSWORD") or None
    if bool(user) != bool(password):
        raise UsageError("SECBRIEF_SMTP_USER and SECBRIEF_SMTP_PASSWORD: set both (to log in) or neither")
    settings = SmtpSettings(host, port, tls, user, Secret(password) if password else None)
    if user and tls == "none" and not settings.loopback:
        raise UsageError(f"SECBRIEF_SMTP_TLS=none: refusing to send a password in plain text to "
                         f"{settings.shown}; use starttls or tls (a login without TLS is allowed only to "
                         "this machine)")
    return settings


def mail_from(environ: Mapping[str, str], dry_run: bool) -> str:
    sender = environ.get("SECBRIEF_MAIL_FROM", "").strip()
    if not sender:
        if dry_run:
            return DRY_RUN_SENDER
        raise UsageError("SECBRIEF_MAIL_FROM: set the sender's address, e.g. briefs@desk.example.com")
    problem = address_problem(sender)
    if problem:
        raise UsageError(f"SECBRIEF_MAIL_FROM: '{shown(sender)}' is not an email address: {problem}")
    return sender


def smime_key(environ: Mapping[str, str]) -> SmimeKey | None:
    """The sender's S/MIME key: SECBRIEF_SMIME_KEY (a PEM private key),
    SECBRIEF_SMIME_CERT (its certificate, PEM; default: the key file, when
    it holds both) and SECBRIEF_SMIME_PASSPHRASE (when the key is encrypted)."""
    key = environ.get("SECBRIEF_SMIME_KEY", "").strip()
    if not key:
        return None
    cert = environ.get("SECBRIEF_SMIME_CERT", "").strip() or key
    passphrase = environ.get("SECBRIEF_SMIME_PASSPHRASE") or None
    return SmimeKey(Path(key), Path(cert), Secret(passphrase) if passphrase else None)
