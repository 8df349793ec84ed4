"""Which briefs a run takes, and who may receive each: the TLP rules,
applied per recipient before anything is sent.

- nothing above a recipient's ceiling (their `tlp`, default the client's);
- TLP:RED only to addressees the brief names in its own `recipients`;
- TLP:AMBER+STRICT only to addresses in the client's own `domains`
  (exactly; a subdomain only when it is listed itself).

A refusal is not a failure: it is listed with its reason, and the run
goes on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from secbrief.core.addresses import domain_of, in_domains
from secbrief.core.dates import iso_week, parse_week, week_bounds
from secbrief.core.diagnostics import UsageError, shown
from secbrief.core.tlp import TLP_LEVELS, tlp
from secbrief.model.clients import Client, Recipient
from secbrief.validate.corpus import Corpus

WEEK_RE = re.compile(r"^\d{4}-[Ww]\d{1,2}$")


@dataclass(frozen=True)
class Planned:
    brief_id: str
    client: Client
    recipient: Recipient


@dataclass(frozen=True)
class Refusal:
    brief_id: str
    address: str
    reason: str

    def __str__(self) -> str:
        return shown(f"refused: {self.brief_id} -> {self.address}: {self.reason}")


def select_briefs(corpus: Corpus, selection: list[str]) -> list[str]:
    """Brief ids, in order, from brief ids or files and ISO weeks. A week
    takes the briefs of that week that name a client; a brief named by id
    must name one (a brief with no client is never emailed)."""
    if not selection:
        raise UsageError("deliver: name the briefs or the week to deliver, e.g. secbrief deliver 2023-W42")
    chosen: list[str] = []
    for item in selection:
        if WEEK_RE.match(item):
            week, _monday, _sunday = parse_week(item.upper())
            found = sorted(brief_id for brief_id, entry in corpus.briefs.items()
                           if entry.model.client and iso_week(week_bounds(entry.model)[0]) == week)
            if not found:
                raise UsageError(f"deliver: no brief of {week} names a client; write the week's briefs first "
                                 f"(secbrief weekly {week})")
            chosen += found
            continue
        brief_id = Path(item).stem if item.endswith((".yaml", ".yml")) else item
        if brief_id not in corpus.briefs:
            raise UsageError(f"deliver: unknown brief '{shown(brief_id)}'; the briefs are: "
                             f"{', '.join(sorted(corpus.briefs))}")
        if not corpus.briefs[brief_id].model.client:
            raise UsageError(f"deliver: brief '{brief_id}' names no client, so it has no recipients; "
                             "a brief is emailed only to its client's distribution list")
        chosen.append(brief_id)
    return list(dict.fromkeys(chosen))


def refusal_reason(corpus: Corpus, brief_id: str, client: Client, recipient: Recipient) -> str | None:
    """Why this recipient may not receive this brief, or None."""
    brief = corpus.briefs[brief_id].model
    level = brief.tlp
    ceiling = client.recipient_ceiling(recipient)
    if tlp(level).exceeds(ceiling):
        return f"TLP:{level} is above this recipient's ceiling TLP:{ceiling}"
    if level == "RED" and recipient.email.lower() not in {a.lower() for a in brief.recipients}:
        return "TLP:RED goes only to the addressees the brief names in its recipients"
    if level == "AMBER+STRICT" and not in_domains(recipient.email, client.profile.domains):
        own = ", ".join(client.profile.domains) or "none declared"
        return (f"TLP:AMBER+STRICT stays in the client's own domains ({own}); "
                f"{domain_of(recipient.email)} is not one of them")
    return None


def plan(corpus: Corpus, brief_ids: list[str]) -> tuple[list[Planned], list[Refusal]]:
    planned, refused = [], []
    for brief_id in brief_ids:
        client = corpus.clients[corpus.briefs[brief_id].model.client]
        if not client.profile.recipients:
            refused.append(Refusal(brief_id, "(nobody)", f"client '{client.id}' has no recipients "
                                   f"({client.doc.display})"))
        for recipient in client.profile.recipients:
            reason = refusal_reason(corpus, brief_id, client, recipient)
            if reason:
                refused.append(Refusal(brief_id, recipient.email, reason))
            else:
                planned.append(Planned(brief_id, client, recipient))
    return planned, refused


def needs_smime(corpus: Corpus, item: Planned) -> bool:
    """S/MIME applies to TLP:AMBER and above, when the client's profile asks."""
    level = corpus.briefs[item.brief_id].model.tlp
    return item.client.profile.smime != "off" and TLP_LEVELS.index(level) >= TLP_LEVELS.index("AMBER")
