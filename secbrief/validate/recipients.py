"""Distribution lists: the recipients of a client profile and of a
TLP:RED brief, checked before anything is sent (docs/delivery.md).

In a profile: every address is a plain address (SB266), listed once
(SB267), with a ceiling no higher than the client's (SB265), and its S/MIME
certificate, when it has one or the profile requires one, readable (SB268);
every domain is a domain (SB266). In a brief: its `recipients` are
addresses on its client's list (SB269), each once (SB267).
"""

from __future__ import annotations

import base64
import binascii
import re
from pathlib import Path

from secbrief.core.addresses import address_problem, domain_problem
from secbrief.core.diagnostics import Report
from secbrief.core.tlp import tlp
from secbrief.model.clients import Client

PEM_CERTIFICATE = re.compile(rb"-----BEGIN CERTIFICATE-----\s+([A-Za-z0-9+/=\s]+?)-----END CERTIFICATE-----")


def check_profile_recipients(project, client: Client, report: Report) -> None:
    doc, profile = client.doc, client.profile

    def add(loc, message, code):
        line, col = doc.where(loc)
        report.add(doc.display, line, col, message, code=code)

    for index, domain in enumerate(profile.domains):
        problem = domain_problem(domain)
        if problem:
            add(("domains", index), f"domains: '{domain}' is not a mail domain: {problem}", "SB266")
    seen: dict[str, int] = {}
    for index, recipient in enumerate(profile.recipients):
        loc = ("recipients", index)
        problem = address_problem(recipient.email)
        if problem:
            add(loc + ("email",), f"email: '{recipient.email}' is not an email address: {problem}", "SB266")
        key = recipient.email.lower()
        if key in seen:
            add(loc + ("email",), f"email: '{recipient.email}' is already on this list "
                f"(recipients[{seen[key]}], line {doc.where(('recipients', seen[key], 'email'))[0]})", "SB267")
        seen.setdefault(key, index)
        if recipient.tlp and tlp(recipient.tlp).exceeds(profile.tlp_ceiling):
            add(loc + ("tlp",), f"tlp: TLP:{recipient.tlp} is above this client's ceiling "
                f"TLP:{profile.tlp_ceiling}", "SB265")
        path = client.certificate_path(recipient)
        if path is not None:
            problem = certificate_problem(project, path, recipient.certificate)
            if problem:
                add(loc + ("certificate",), f"certificate: {problem}", "SB268")
        elif profile.smime == "sign-and-encrypt":
            add(loc, f"recipients: '{recipient.email}' has no certificate, and this client's emails are "
                "encrypted (smime: sign-and-encrypt); add `certificate: certs/<file>.pem`", "SB268")


def certificate_problem(project, path: Path, written: str) -> str | None:
    """Why the certificate file cannot serve, or None. Read, not parsed
    with a cryptography library (that happens when a message is encrypted):
    a PEM certificate block whose body is base64 of a DER SEQUENCE."""
    if not project.contains(path) or ".." in Path(written).parts:
        return f"'{written}' is outside the project"
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return f"file '{written}' not found (paths are relative to the profile's folder)"
    except OSError as exc:
        return f"cannot read '{written}': {exc.strerror or exc}"
    match = PEM_CERTIFICATE.search(data)
    if not match:
        return f"'{written}' holds no PEM certificate (-----BEGIN CERTIFICATE-----)"
    try:
        der = base64.b64decode(b"".join(match.group(1).split()), validate=True)
    except (binascii.Error, ValueError):
        der = b""
    if not der.startswith(b"\x30"):
        return f"'{written}': the certificate block is not valid base64 DER"
    return None


def check_brief_recipients(corpus, entry, report: Report) -> None:
    """A brief's own `recipients` (its TLP:RED addressees) must be on its
    client's list, each once."""
    brief, doc = entry.model, entry.doc
    if not brief.recipients:
        return
    client = corpus.clients.get(brief.client) if brief.client else None
    listed = {r.email.lower() for r in client.profile.recipients} if client else set()
    seen: set[str] = set()
    for index, address in enumerate(brief.recipients):
        line, col = doc.where(("recipients", index))
        if address.lower() in seen:
            report.add(doc.display, line, col, f"recipients: '{address}' is listed twice", code="SB267")
        seen.add(address.lower())
        if client is None:
            if brief.client is None:
                report.add(doc.display, line, col, "recipients: this brief names no client; its addressees "
                           "must come from a client's distribution list (add `client:`)", code="SB269")
            continue  # an unknown client is SB264
        if address.lower() not in listed:
            report.add(doc.display, line, col, f"recipients: '{address}' is not on the distribution list "
                       f"of client '{client.id}' ({client.doc.display})", code="SB269")
