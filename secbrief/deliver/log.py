"""The delivery log: what went where, kept in the project so it can be
committed (``deliveries/log.jsonl``; it holds recipients' addresses).

Append-only, one JSON object per line: channel (email or taxii), brief,
recipient, text_sha256 (the brief's text), pdf_sha256, message_id, time,
result: "sending" before a message goes out, then "sent" or "failed".
A line left "sending" by a run that died is *uncertain*: the message may
or may not have arrived. A record cut short by a crash mid-write is skipped
with a note; any other unreadable line stops the run, since the log is
what stops a second sending. ``deliveries/.lock`` keeps two runs apart.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from secbrief.core.atomic import append_record, exclusive_lock
from secbrief.core.diagnostics import UsageError
from secbrief.core.project import Project

LOG_DIR = "deliveries"
LOG_FILE = "log.jsonl"
LOCK_FILE = ".lock"
SENDING, SENT, FAILED = "sending", "sent", "failed"


@dataclass
class History:
    """Every record of one (channel, brief, recipient), oldest first."""

    records: list[dict] = field(default_factory=list)

    @property
    def last(self) -> dict | None:
        return self.records[-1] if self.records else None

    def sent(self) -> list[dict]:
        return [r for r in self.records if r.get("result") == SENT]


@dataclass
class Decision:
    """What a run does with one message: send (new, retry, revised,
    resent after an uncertain end) or skip (delivered, changed, uncertain)."""

    action: str            # "send" or "skip"
    why: str               # new, retry, revised, uncertain, delivered, changed
    previous: dict | None = None  # the last "sent" record, for a revision


class DeliveryLog:
    def __init__(self, project: Project):
        self.project = project
        self.path = project.root / LOG_DIR / LOG_FILE
        self.histories: dict[tuple[str, str, str], History] = {}
        self.notes: list[str] = []
        self._read()

    @property
    def display(self) -> str:
        return self.project.display(self.path)

    def lock(self):
        return exclusive_lock(self.path.parent / LOCK_FILE, "another secbrief deliver")

    def _read(self) -> None:
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return
        except OSError as exc:
            raise UsageError(f"{self.display}: error: cannot read the delivery log: {exc.strerror}") from None
        lines = data.split(b"\n")
        for number, raw in enumerate(lines, start=1):
            if not raw.strip():
                continue
            try:
                record = json.loads(raw)
                if not isinstance(record, dict):
                    raise ValueError
                key = (record["channel"], record["brief"], str(record["recipient"]).lower())
            except (ValueError, KeyError, TypeError):
                if raw.lstrip().startswith(b"{") and not _parses(raw):
                    # A record cut short by a crash while it was written
                    # (the next run starts a new line after it). Skipping it
                    # is safe: "sending" is written before a message goes out.
                    self.notes.append(f"{self.display}:{number}:1: warning: an incomplete record (a run "
                                      "stopped while writing it); skipped")
                    continue
                raise UsageError(f"{self.display}:{number}:1: error: not a delivery record; the log must be "
                                 "whole to know what was already sent (restore it from git)") from None
            record["_line"] = number
            self.histories.setdefault(key, History()).records.append(record)

    def history(self, channel: str, brief_id: str, recipient: str) -> History:
        return self.histories.get((channel, brief_id, recipient.lower()), History())

    def decide(self, channel: str, brief_id: str, recipient: str, text_sha256: str,
               resend_changed: bool, resend_uncertain: bool) -> Decision:
        history = self.history(channel, brief_id, recipient)
        last, sent = history.last, history.sent()
        previous = sent[-1] if sent else None
        if any(r.get("text_sha256") == text_sha256 for r in sent):
            return Decision("skip", "delivered", previous)
        if last is not None and last.get("result") == SENDING:
            return Decision("send" if resend_uncertain else "skip", "uncertain", previous)
        if previous is None:
            return Decision("send", "retry" if last else "new")
        if last.get("result") == FAILED and last.get("text_sha256") == text_sha256:
            return Decision("send", "revised", previous)  # a revision that failed: sent again
        return Decision("send" if resend_changed else "skip", "revised" if resend_changed else "changed",
                        previous)

    def record(self, result: str, **fields) -> dict:
        record = {"time": now(), "result": result, **fields}
        append_record(self.path, (json.dumps(record, ensure_ascii=False, sort_keys=False) + "\n").encode())
        key = (record["channel"], record["brief"], str(record["recipient"]).lower())
        self.histories.setdefault(key, History()).records.append(record)
        return record


def _parses(raw: bytes) -> bool:
    try:
        json.loads(raw)
        return True
    except ValueError:
        return False


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
