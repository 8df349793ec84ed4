"""S/MIME for TLP:AMBER-and-above emails, with the cryptography library:
signed with the sender's key (paths and passphrase from the environment,
secbrief.deliver.settings), and encrypted to the recipient's certificate
(beside the profile) when the profile says sign-and-encrypt.

A key that cannot be used is a UsageError (exit 2) before anything is
sent; a recipient's certificate that cannot be used refuses that message.
"""

from __future__ import annotations

import datetime as dt
from email import policy
from email.message import EmailMessage
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs7

from secbrief.core.diagnostics import UsageError, shown
from secbrief.deliver.settings import SmimeKey


class CertificateError(Exception):
    """A recipient's certificate cannot be used; the message says why."""


class Signer:
    def __init__(self, key, certificate):
        self.key = key
        self.certificate = certificate

    @classmethod
    def load(cls, where: SmimeKey) -> "Signer":
        key_bytes = _read(where.key_path, "SECBRIEF_SMIME_KEY")
        try:
            key = serialization.load_pem_private_key(
                key_bytes, password=where.passphrase.value.encode() if where.passphrase else None)
        except TypeError:
            raise UsageError(f"SECBRIEF_SMIME_KEY: {shown(str(where.key_path))} is encrypted; set its "
                             "passphrase in SECBRIEF_SMIME_PASSPHRASE") from None
        except ValueError:
            raise UsageError(f"SECBRIEF_SMIME_KEY: {shown(str(where.key_path))} holds no PEM private key "
                             "this passphrase opens") from None
        cert_bytes = _read(where.cert_path, "SECBRIEF_SMIME_CERT")
        try:
            certificate = x509.load_pem_x509_certificate(cert_bytes)
        except ValueError:
            raise UsageError(f"SECBRIEF_SMIME_CERT: {shown(str(where.cert_path))} holds no PEM "
                             "certificate") from None
        if certificate.public_key().public_numbers() != key.public_key().public_numbers():
            raise UsageError("SECBRIEF_SMIME_CERT: the certificate is not the one of SECBRIEF_SMIME_KEY's key")
        return cls(key, certificate)

    def sign(self, entity: bytes) -> bytes:
        """entity (a MIME part, CRLF) -> multipart/signed, detached signature."""
        return (pkcs7.PKCS7SignatureBuilder().set_data(entity)
                .add_signer(self.certificate, self.key, hashes.SHA256())
                .sign(serialization.Encoding.SMIME, [pkcs7.PKCS7Options.DetachedSignature]))


def _read(path: Path, variable: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UsageError(f"{variable}: cannot read {shown(str(path))}: {exc.strerror or exc}") from None


def load_certificate(path: Path) -> x509.Certificate:
    try:
        certificate = x509.load_pem_x509_certificate(path.read_bytes())
    except OSError as exc:
        raise CertificateError(f"cannot read the certificate: {exc.strerror or exc}") from None
    except ValueError:
        raise CertificateError("the certificate is not a readable PEM certificate") from None
    now = dt.datetime.now(dt.timezone.utc)
    if not certificate.not_valid_before_utc <= now <= certificate.not_valid_after_utc:
        raise CertificateError(f"the certificate is valid only from {certificate.not_valid_before_utc:%Y-%m-%d} "
                               f"to {certificate.not_valid_after_utc:%Y-%m-%d}")
    return certificate


def encrypt(entity: bytes, certificate: x509.Certificate) -> bytes:
    """entity -> application/pkcs7-mime (enveloped-data), AES-256 as cryptography chooses."""
    return (pkcs7.PKCS7EnvelopeBuilder().set_data(entity).add_recipient(certificate)
            .encrypt(serialization.Encoding.SMIME, []))


def entity_bytes(body: EmailMessage) -> bytes:
    """A MIME body as the bytes S/MIME signs: its Content-* headers and
    content, CRLF, without the MIME-Version the outer message carries."""
    del body["MIME-Version"]
    return body.as_bytes(policy=policy.SMTP)
