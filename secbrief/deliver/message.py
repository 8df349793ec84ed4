"""One email: a brief for one recipient.

multipart/mixed of (multipart/alternative: the Markdown as text/plain, the
built HTML with its CSS inlined as text/html) and the PDF attached as
``<brief-id>.pdf``; S/MIME-signed and encrypted when the profile asks
(secbrief.deliver.smime). The marking leads the subject and the body.

Headers are made with the email package's SMTP policy from values with
every line break and control character turned into a space, so a CR/LF in
a title or a name cannot add a header. The Message-ID is stable: a digest
of the brief's text and the recipient, so a message sent twice (after a
crash, with --resend-uncertain) is recognisably the same message.
"""

from __future__ import annotations

import functools
import hashlib
import html as html_escape
import re
import unicodedata
from dataclasses import dataclass
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate

import css_inline

from secbrief.core.addresses import domain_of
from secbrief.core.project import Project
from secbrief.pipeline.outputs import output_path

# Mail clients drop <style>: the rules go into style="" attributes. @media
# rules (the phone layout) stay in a <style> for the clients that keep it;
# CSS variables are resolved, as few mail clients know var().
# A fixed table layout (the PDF's columns) squeezes a column to a letter's
# width on a phone whose mail client dropped the @media rules: in email,
# columns size to their content. Where the @media rules stay, the cells'
# inlined widths must yield to the phone layout (an inline style beats a
# stylesheet rule unless the rule is !important).
EMAIL_CSS = ("body table { table-layout: auto !important; }\n"
             "@media (max-width: 480px) { body td, body th { width: auto !important; } }")
_INLINER = css_inline.CSSInliner(keep_at_rules=True, resolve_css_variables=True,
                                 load_remote_stylesheets=False, extra_css=EMAIL_CSS)
_BODY_OPEN = re.compile(r"<body\b[^>]*>", re.IGNORECASE)


@dataclass(frozen=True)
class Built:
    """A brief's built outputs, and the fingerprints the delivery log keeps."""

    brief_id: str
    markdown: str
    html: str
    pdf: bytes

    @property
    def text_sha256(self) -> str:
        """Of the text a reader reads: the Markdown without its provenance
        lines (commit, DRAFT), so a new commit or a new layout is not a
        change, and a changed sentence is."""
        return hashlib.sha256(text_without_provenance(self.markdown).encode("utf-8")).hexdigest()

    @property
    def pdf_sha256(self) -> str:
        return hashlib.sha256(self.pdf).hexdigest()


def text_without_provenance(markdown: str) -> str:
    lines = markdown.rstrip("\n").split("\n")
    if lines and " · " in lines[-1] and lines[-1].startswith("TLP:"):
        lines.pop()  # "TLP:AMBER · Version abc123, ... · secbrief 0.1.0"
    return "\n".join(line for line in lines if not re.fullmatch(r"\*\*DRAFT[^*]*\*\*\.", line)) + "\n"


def read_built(project: Project, brief_id: str) -> Built:
    return Built(brief_id, output_path(project, brief_id, "md").read_text(encoding="utf-8"),
                 output_path(project, brief_id, "html").read_text(encoding="utf-8"),
                 output_path(project, brief_id, "pdf").read_bytes())


def one_line(text: str) -> str:
    """A value fit for a header: line breaks, tabs and other control or
    format characters become single spaces."""
    cleaned = "".join(" " if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c for c in text)
    return " ".join(cleaned.split())


def message_id(built: Built, address: str, sender: str) -> str:
    digest = hashlib.sha256(f"{built.brief_id}\n{built.text_sha256}\n{address.lower()}".encode()).hexdigest()
    return f"<{digest[:40]}.{built.brief_id}@{domain_of(sender)}>"


@dataclass(frozen=True)
class Letter:
    """What the email says, besides the brief itself."""

    subject: str
    marking: str          # TLP:AMBER
    revised_of: str | None = None   # Message-ID of the version it replaces
    revised_on: str | None = None   # when that one was sent (ISO date)


def subject_of(brief, marking: str, revised: bool) -> str:
    heading = f"{brief.series}: {brief.title}" if brief.series else brief.title
    return one_line(f"[{marking}] {'Revised: ' if revised else ''}{heading}")


def body_parts(built: Built, letter: Letter) -> EmailMessage:
    """The MIME body (no address headers): text, HTML, PDF."""
    notice = (f"REVISED: this version replaces the one sent on {letter.revised_on}."
              if letter.revised_of else "")
    text = built.markdown if not notice else f"{letter.marking}\n\n{notice}\n\n{built.markdown}"
    body = EmailMessage(policy=policy.SMTP)
    body.set_content(text, subtype="plain", charset="utf-8")
    body.add_alternative(email_html(built.html, letter.marking, notice), subtype="html", charset="utf-8")
    body.add_attachment(built.pdf, maintype="application", subtype="pdf", filename=f"{built.brief_id}.pdf")
    return body


@functools.lru_cache(maxsize=8)  # one brief, many recipients: inlined once
def email_html(page: str, marking: str, notice: str) -> str:
    """The built page with its CSS inlined, and the marking (and, for a
    revision, the notice) as the first line of the body."""
    inlined = _INLINER.inline(page)
    lead = (f'<p style="margin:0 0 8px;font:bold 14px sans-serif;color:#ffffff;background:#000000;'
            f'padding:4px 8px">{html_escape.escape(marking)}'
            + (f" · {html_escape.escape(notice)}" if notice else "") + "</p>")
    match = _BODY_OPEN.search(inlined)
    return inlined[:match.end()] + lead + inlined[match.end():] if match else lead + inlined


def headers(sender: str, name: str, address: str, letter: Letter, msg_id: str) -> EmailMessage:
    head = EmailMessage(policy=policy.SMTP)
    head["From"] = sender
    local, domain = address.rsplit("@", 1)
    head["To"] = Address(display_name=one_line(name), username=local, domain=domain)
    head["Subject"] = letter.subject
    head["Date"] = formatdate(localtime=False, usegmt=True)
    head["Message-ID"] = msg_id
    if letter.revised_of:
        head["In-Reply-To"] = letter.revised_of
        head["References"] = letter.revised_of
    return head


def assemble(head: EmailMessage, entity: bytes) -> bytes:
    """Headers prepended to a MIME entity, which stays byte for byte (a
    signed one must): the entity brings its own MIME-Version and
    Content-Type. CRLF line ends throughout."""
    entity = entity.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    return head.as_bytes(policy=policy.SMTP).rstrip(b"\r\n") + b"\r\n" + entity
