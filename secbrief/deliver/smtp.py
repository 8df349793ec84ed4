"""One SMTP connection per run, opened at the first message and reused.

TLS as SECBRIEF_SMTP_TLS says: starttls (the default; a server that does
not offer it is refused, never a fallback to plain text), tls (implicit,
port 465) or none. Certificates are verified against the system's
authorities. Every failure is a SendError with one line of text: the
server's own words escaped, the password never in it (smtplib's errors
carry only the server's replies).
"""

from __future__ import annotations

import smtplib
import socket
import ssl

from secbrief.core.diagnostics import shown
from secbrief.deliver.settings import SmtpSettings

TIMEOUT = 30


class SendError(Exception):
    """A message was not accepted; str() is one line. ``connection_lost``:
    the next message needs a new connection."""

    def __init__(self, text: str, connection_lost: bool = False):
        super().__init__(text)
        self.connection_lost = connection_lost
        self.at_connect = False  # the run's connection could not be made at all


class Mailer:
    def __init__(self, settings: SmtpSettings):
        self.settings = settings
        self.smtp: smtplib.SMTP | None = None
        self.connections = 0

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (smtplib.SMTPException, OSError):
                self.smtp.close()
            self.smtp = None

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        context = ssl.create_default_context()  # verifies the certificate and the host name
        try:
            if s.tls == "tls":
                smtp = smtplib.SMTP_SSL(s.host, s.port, timeout=TIMEOUT, context=context)
            else:
                smtp = smtplib.SMTP(s.host, s.port, timeout=TIMEOUT)
            try:
                smtp.ehlo()
                if s.tls == "starttls":
                    if not smtp.has_extn("starttls"):
                        raise SendError(f"SMTP server {s.shown} does not offer STARTTLS; refusing to send in "
                                        "plain text (SECBRIEF_SMTP_TLS)", connection_lost=True)
                    smtp.starttls(context=context)
                    smtp.ehlo()
                if s.user:
                    _login(smtp, s)
            except BaseException:
                smtp.close()
                raise
        except SendError:
            raise
        except smtplib.SMTPAuthenticationError as exc:
            raise SendError(f"SMTP server {s.shown} refused the login of user "
                            f"'{shown(s.user or '')}': {_reply(exc)}", connection_lost=True) from None
        except ssl.SSLError as exc:
            raise SendError(f"TLS with SMTP server {s.shown} failed: "
                            f"{shown(getattr(exc, 'verify_message', None) or exc.reason or str(exc))}",
                            connection_lost=True) from None
        except (OSError, smtplib.SMTPException) as exc:
            raise SendError(f"cannot reach SMTP server {s.shown}: {_why(exc)}", connection_lost=True) from None
        self.connections += 1
        return smtp

    def send(self, sender: str, recipient: str, message: bytes) -> str:
        """Send to exactly one envelope recipient; the server's reply, or SendError."""
        if self.smtp is None:
            try:
                self.smtp = self._connect()
            except SendError as exc:
                exc.at_connect = True
                raise
        try:
            refused = self.smtp.sendmail(sender, [recipient], message)
        except smtplib.SMTPRecipientsRefused as exc:
            code, reply = next(iter(exc.recipients.values()))
            raise SendError(f"the server refused the recipient: {code} {_text(reply)}") from None
        except smtplib.SMTPSenderRefused as exc:
            raise SendError(f"the server refused the sender {shown(sender)}: {exc.smtp_code} "
                            f"{_text(exc.smtp_error)}") from None
        except smtplib.SMTPDataError as exc:
            lost = exc.smtp_code == 421
            if lost:
                self._drop()
            raise SendError(f"the server refused the message: {exc.smtp_code} {_text(exc.smtp_error)}",
                            connection_lost=lost) from None
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            self._drop()
            raise SendError(f"the connection to {self.settings.shown} was lost: {_why(exc)}",
                            connection_lost=True) from None
        except smtplib.SMTPException as exc:
            raise SendError(f"SMTP error: {_why(exc)}") from None
        if refused:
            raise SendError(f"the server refused the recipient: {refused}")
        return "accepted"

    def reconnect(self) -> bool:
        """After a lost connection: can the server be reached again? One
        try; when it fails, the rest of the run fails at once instead of
        waiting on each message."""
        self._drop()
        try:
            self.smtp = self._connect()
            return True
        except SendError:
            return False

    def _drop(self) -> None:
        if self.smtp is not None:
            self.smtp.close()
            self.smtp = None


def _login(smtp: smtplib.SMTP, s: SmtpSettings) -> None:
    """One AUTH attempt, PLAIN or else LOGIN (smtplib's login() would try
    each mechanism in turn, and a wrong password would count several
    times against the account)."""
    offered = smtp.esmtp_features.get("auth", "").upper().split()
    mechanism = next((m for m in ("PLAIN", "LOGIN") if m in offered), None)
    if mechanism is None:
        raise SendError(f"SMTP server {s.shown} offers no PLAIN or LOGIN authentication "
                        f"(it offers: {shown(' '.join(offered)) or 'none'})", connection_lost=True)
    smtp.user, smtp.password = s.user, s.password.value
    try:
        smtp.auth(mechanism, getattr(smtp, f"auth_{mechanism.lower()}"))
    finally:
        smtp.password = None


def _text(reply) -> str:
    if isinstance(reply, bytes):
        reply = reply.decode("utf-8", "replace")
    return shown(" ".join(str(reply).split()))


def _reply(exc: smtplib.SMTPResponseException) -> str:
    return f"{exc.smtp_code} {_text(exc.smtp_error)}"


def _why(exc: BaseException) -> str:
    if isinstance(exc, socket.timeout):
        return f"no answer within {TIMEOUT} s"
    if isinstance(exc, smtplib.SMTPResponseException):
        return _reply(exc)
    if isinstance(exc, OSError) and exc.strerror:
        return shown(exc.strerror)
    return shown(str(exc) or type(exc).__name__)
