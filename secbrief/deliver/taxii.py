"""`secbrief deliver --taxii`: each brief's STIX 2.1 bundle to the TAXII
2.1 collections declared in secbrief.yaml, exactly once.

A destination (`taxii:` in secbrief.yaml) has a collection URL, a TLP
ceiling, optionally the clients whose briefs it takes, and the names of
the environment variables holding its credentials. A brief above the
ceiling is refused, as for email. The POST is recorded in the delivery
log like an email ("sending", then "sent" or "failed"); a brief whose text
has not changed is never posted twice (servers such as medallion refuse
objects they already hold: "once" is the log's doing, not the server's).
The bundles are made by the command (secbrief.interop.stix) and handed in.
"""

from __future__ import annotations

import base64
import hashlib
import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Callable, Mapping
from urllib.parse import urlsplit

from secbrief.core.diagnostics import UsageError, shown
from secbrief.core.tlp import tlp
from secbrief.deliver.log import FAILED, SENDING, SENT, DeliveryLog
from secbrief.deliver.settings import Secret, is_local_host

MEDIA_TYPE = "application/taxii+json;version=2.1"
TIMEOUT = 60


@dataclass(frozen=True)
class Bundle:
    """One brief's STIX bundle as the command made it."""

    brief_id: str
    client: str | None
    tlp: str
    text: str  # the bundle's JSON

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


@dataclass
class TaxiiOutcome:
    sent: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    uncertain: list[str] = field(default_factory=list)
    posts: int = 0

    @property
    def exit_code(self) -> int:
        return 1 if self.failed or self.uncertain else 0


def credentials(destination, environ: Mapping[str, str]) -> tuple[str, Secret] | None:
    """(user, password) from the variables the destination names; a
    UsageError when a named variable is empty or the URL would carry them
    in plain text to another machine."""
    if not destination.username_env and not destination.password_env:
        return None
    names = [n for n in (destination.username_env, destination.password_env) if n]
    missing = [n for n in names if not environ.get(n)]
    if missing or len(names) < 2:
        raise UsageError(f"secbrief.yaml: taxii destination '{destination.name}': set both username_env and "
                         f"password_env, and both variables ({', '.join(missing or names)} is not set)")
    url = urlsplit(destination.collection)
    if url.scheme != "https" and not is_local_host(url.hostname or ""):
        raise UsageError(f"secbrief.yaml: taxii destination '{destination.name}': refusing to send credentials "
                         "over http:// to another machine; use https://")
    return environ[destination.username_env], Secret(environ[destination.password_env])


def push(destinations, bundles: list[Bundle], deliveries: DeliveryLog, environ: Mapping[str, str],
         resend_changed: bool, resend_uncertain: bool, log: Callable[[str], None] = print) -> TaxiiOutcome:
    outcome = TaxiiOutcome()
    logins = {d.name: credentials(d, environ) for d in destinations}  # every problem before any POST
    for destination in destinations:
        for bundle in bundles:
            label = f"{bundle.brief_id} -> taxii:{destination.name}"
            if destination.clients and bundle.client not in destination.clients:
                continue
            if tlp(bundle.tlp).exceeds(destination.tlp_ceiling):
                outcome.refused.append(label)
                log(f"refused: {label}: TLP:{bundle.tlp} is above this collection's ceiling "
                    f"TLP:{destination.tlp_ceiling}")
                continue
            decision = deliveries.decide("taxii", bundle.brief_id, destination.name, bundle.sha256,
                                         resend_changed, resend_uncertain)
            if decision.action == "skip":
                (outcome.uncertain if decision.why == "uncertain" else outcome.skipped).append(label)
                log(f"{'uncertain' if decision.why == 'uncertain' else 'skipped'}: {label}: {decision.why}"
                    + ("; --resend-changed pushes the new bundle" if decision.why == "changed" else "")
                    + ("; --resend-uncertain pushes it again" if decision.why == "uncertain" else ""))
                continue
            fields = {"channel": "taxii", "brief": bundle.brief_id, "recipient": destination.name,
                      "text_sha256": bundle.sha256, "message_id": json.loads(bundle.text)["id"],
                      "collection": destination.collection}
            deliveries.record(SENDING, **fields)
            try:
                status = post(destination.collection, bundle.text, logins[destination.name])
                outcome.posts += 1
            except TaxiiError as exc:
                deliveries.record(FAILED, **fields, error=str(exc))
                outcome.failed.append(label)
                log(shown(f"failed: {label}: {exc}"))
                continue
            counts = {k: status.get(k) for k in ("status", "success_count", "failure_count")}
            deliveries.record(SENT, **fields, server=counts)
            outcome.sent.append(label)
            held = status.get("failure_count") or 0
            log(shown(f"sent: {label}: {status.get('success_count', '?')} object(s) added"
                          + (f", {held} not added (the collection holds them already, or refused them)"
                             if held else "")))
    return outcome


class TaxiiError(Exception):
    pass


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an error: following it would carry the credentials
    (and the bundle) to an address secbrief.yaml does not name."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def post(collection: str, bundle_text: str, login: tuple[str, Secret] | None) -> dict:
    """POST the bundle's objects (a TAXII 2.1 envelope) to the collection;
    the server's status resource."""
    envelope = {"objects": json.loads(bundle_text)["objects"]}
    request = urllib.request.Request(collection + "objects/", data=json.dumps(envelope).encode("utf-8"),
                                     method="POST",
                                     headers={"Accept": MEDIA_TYPE, "Content-Type": MEDIA_TYPE})
    if login is not None:
        token = base64.b64encode(f"{login[0]}:{login[1].value}".encode()).decode("ascii")
        request.add_header("Authorization", f"Basic {token}")
    where = shown(collection)
    try:
        with _OPENER.open(request, timeout=TIMEOUT) as response:
            body = response.read()
    except urllib.error.HTTPError as exc:
        raise TaxiiError(f"{where} answered {exc.code} {shown(exc.reason or '')}") from None
    except urllib.error.URLError as exc:
        raise TaxiiError(f"cannot reach {where}: {shown(str(exc.reason))}") from None
    except OSError as exc:
        raise TaxiiError(f"cannot reach {where}: {shown(exc.strerror or str(exc))}") from None
    try:
        status = json.loads(body)
        if not isinstance(status, dict):
            raise ValueError
    except ValueError:
        raise TaxiiError(f"{where} answered with something that is not a TAXII status resource") from None
    if status.get("status") not in ("complete", "pending"):
        raise TaxiiError(f"{where}: status {shown(str(status.get('status')))}")
    return status
