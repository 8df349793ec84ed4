"""`secbrief deliver`: each selected brief to every eligible recipient on
its client's list, one email each, exactly once.

In order, so that nothing goes out while anything is wrong: the project
validates (every `check` error stops the run), the selection is known, the
TLP rules are applied (refusals listed), the environment is read (SMTP,
sender, S/MIME key), the briefs are built; then, under the log's lock,
each message is recorded "sending", sent on the run's one connection, and
recorded "sent" or "failed". A dry run (--dry-run, or no SMTP host set)
writes the exact messages to build/outbox/ and touches neither the log
nor the network.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Mapping

from secbrief.core.atomic import replace_folder
from secbrief.core.diagnostics import Report, UsageError, shown
from secbrief.core.project import Project
from secbrief.deliver import message as mail
from secbrief.deliver import policy, settings, smime
from secbrief.deliver.log import FAILED, SENDING, SENT, DeliveryLog
from secbrief.deliver.smtp import Mailer, SendError
from secbrief.pipeline.build import build
from secbrief.validate.load_corpus import load_corpus

OUTBOX = "outbox"


@dataclass
class Options:
    dry_run: bool = False
    resend_changed: bool = False
    resend_uncertain: bool = False


@dataclass
class Outcome:
    sent: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)     # dry run: .eml files
    skipped: list[str] = field(default_factory=list)
    refused: list[policy.Refusal] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    uncertain: list[str] = field(default_factory=list)
    connections: int = 0

    @property
    def exit_code(self) -> int:
        return 1 if self.failed or self.uncertain else 0


@dataclass
class Outgoing:
    item: policy.Planned
    built: mail.Built
    message_id: str
    decision: object
    data: bytes | None = None
    problem: str | None = None


def deliver(project: Project, selection: list[str], options: Options, environ: Mapping[str, str],
            log: Callable[[str], None] = print) -> Outcome:
    report = Report()
    corpus = load_corpus(project, report)
    report.raise_if_errors()
    brief_ids = policy.select_briefs(corpus, selection)
    planned, refused = policy.plan(corpus, brief_ids)
    smtp = settings.smtp_settings(environ)
    dry_run = options.dry_run or smtp is None
    sender = settings.mail_from(environ, dry_run)
    signer = _signer(corpus, planned, environ)
    build(project, brief_ids, log=log)
    outcome = Outcome(refused=refused)
    for refusal in refused:
        log(str(refusal))
    deliveries = DeliveryLog(project)
    for note in deliveries.notes:
        log(note)
    if dry_run:
        if smtp is None and not options.dry_run:
            log("dry run: SECBRIEF_SMTP_HOST is not set, so nothing is sent")
        _dry_run(project, corpus, planned, deliveries, options, sender, signer, outcome, log)
        return outcome
    with deliveries.lock():
        deliveries = DeliveryLog(project)  # read again under the lock: another run may just have ended
        outgoing = _prepare(project, corpus, planned, deliveries, options, sender, signer, outcome, log)
        with Mailer(smtp) as mailer:
            _send_all(mailer, deliveries, outgoing, sender, outcome, log)
            outcome.connections = mailer.connections
    return outcome


def _signer(corpus, planned, environ) -> smime.Signer | None:
    wanted = [p for p in planned if policy.needs_smime(corpus, p)]
    if not wanted:
        return None
    where = settings.smime_key(environ)
    if where is None:
        first = wanted[0]
        raise UsageError(
            f"{first.client.doc.display}: error: client '{first.client.id}' requires S/MIME "
            f"(smime: {first.client.profile.smime}) for {first.brief_id}, and no key is set: "
            "set SECBRIEF_SMIME_KEY (and SECBRIEF_SMIME_CERT, SECBRIEF_SMIME_PASSPHRASE); nothing was sent")
    return smime.Signer.load(where)


def _prepare(project, corpus, planned, deliveries, options, sender, signer, outcome, log) -> list[Outgoing]:
    """Every message this run sends, composed; what it skips, said."""
    built_cache: dict[str, mail.Built] = {}
    bodies: dict[tuple, bytes] = {}  # the MIME body is the same for each recipient of a brief: made once
    outgoing = []
    for item in planned:
        built = built_cache.get(item.brief_id) or built_cache.setdefault(
            item.brief_id, mail.read_built(project, item.brief_id))
        address = item.recipient.email
        decision = deliveries.decide("email", item.brief_id, address, built.text_sha256,
                                     options.resend_changed, options.resend_uncertain)
        label = f"{item.brief_id} -> {address}"
        if decision.action == "skip":
            text = _skip_text(decision, deliveries)
            (outcome.uncertain if decision.why == "uncertain" else outcome.skipped).append(label)
            log(shown(f"{'uncertain' if decision.why == 'uncertain' else 'skipped'}: {label}: {text}"))
            continue
        msg_id = mail.message_id(built, address, sender)
        out = Outgoing(item, built, msg_id, decision)
        try:
            out.data = _compose(corpus, out, sender, signer, bodies)
        except smime.CertificateError as exc:
            out.problem = f"{item.client.doc.display}: recipient {address}: {exc}"
        outgoing.append(out)
    return outgoing


def _skip_text(decision, deliveries: DeliveryLog) -> str:
    previous = decision.previous or {}
    if decision.why == "delivered":
        return f"already delivered ({previous.get('time', '?')}, {deliveries.display}:{previous.get('_line', '?')})"
    if decision.why == "changed":
        return (f"the brief changed since it was sent ({previous.get('time', '?')}); --resend-changed sends "
                "the revision, marked revised")
    return ("a run stopped while sending it, so it may or may not have arrived; --resend-uncertain sends "
            "it again with the same Message-ID")


def _compose(corpus, out: Outgoing, sender: str, signer, bodies: dict[tuple, bytes]) -> bytes:
    item, built = out.item, out.built
    brief = corpus.briefs[item.brief_id].model
    previous = out.decision.previous if out.decision.why == "revised" else None
    marking = f"TLP:{brief.tlp}"
    letter = mail.Letter(mail.subject_of(brief, marking, previous is not None), marking,
                         previous.get("message_id") if previous else None,
                         previous.get("time", "")[:10] if previous else None)
    head = mail.headers(sender, item.recipient.name, item.recipient.email, letter, out.message_id)
    signed = signer is not None and policy.needs_smime(corpus, item)
    key = (item.brief_id, letter.revised_of is not None, letter.revised_on, signed)
    if key not in bodies:
        body = mail.body_parts(built, letter)
        bodies[key] = signer.sign(smime.entity_bytes(body)) if signed else body.as_bytes()
    entity = bodies[key]
    if not signed:
        return mail.assemble(head, entity)
    if item.client.profile.smime == "sign-and-encrypt":
        certificate = smime.load_certificate(item.client.certificate_path(item.recipient))
        entity = smime.encrypt(entity, certificate)
    return mail.assemble(head, entity)


def _send_all(mailer: Mailer, deliveries: DeliveryLog, outgoing: list[Outgoing], sender: str,
              outcome: Outcome, log) -> None:
    down: str | None = None  # the server could not be reached again: the rest are not tried
    for out in outgoing:
        address = out.item.recipient.email
        label = f"{out.item.brief_id} -> {address}"
        fields = {"channel": "email", "brief": out.item.brief_id, "recipient": address,
                  "text_sha256": out.built.text_sha256, "pdf_sha256": out.built.pdf_sha256,
                  "message_id": out.message_id, "revised": out.decision.why == "revised"}
        problem = out.problem or down
        if problem is None:
            deliveries.record(SENDING, **fields)
            try:
                mailer.send(sender, address, out.data)
            except SendError as exc:
                problem = str(exc)
                if exc.connection_lost and (exc.at_connect or not mailer.reconnect()):
                    down = problem
            else:
                deliveries.record(SENT, **fields)
                outcome.sent.append(label)
                log(shown(f"sent: {label}{' (revised)' if fields['revised'] else ''}"))
                continue
        deliveries.record(FAILED, **fields, error=problem)
        outcome.failed.append(label)
        log(shown(f"failed: {label}: {problem}"))


def _dry_run(project, corpus, planned, deliveries, options, sender, signer, outcome, log) -> None:
    outgoing = _prepare(project, corpus, planned, deliveries, options, sender, signer, outcome, log)
    files: dict[str, bytes] = {}
    for out in outgoing:
        label = f"{out.item.brief_id} -> {out.item.recipient.email}"
        if out.problem:
            outcome.failed.append(label)
            log(shown(f"failed: {label}: {out.problem}"))
            continue
        name = f"{out.item.brief_id}/{out.item.recipient.email.lower()}.eml"
        files[name] = out.data
        outcome.written.append(f"build/{OUTBOX}/{name}")
    replace_folder(project.build_dir / OUTBOX, files)
    for name in outcome.written:
        log(shown(f"wrote {name}"))
