"""Delivery's security rules, against real servers: the TLP rules per
recipient, the password kept out of every output, TLS never given up, the
server's certificate verified, S/MIME signing and encryption."""

from __future__ import annotations

import email
import email.policy
import re
import ssl
import subprocess

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs7

from certs_support import make_certificate
from delivery_support import built_week, week  # noqa: F401 - fixtures
from delivery_support import ENERGY_BRIEF, FREIGHT_BRIEF, Handler, SmtpServer, accept_login, deliver

PASSWORD = "s3cret-Pa55word"



@pytest.fixture
def servers():
    started = []
    yield started
    for server in started:
        server.stop()


def start(servers, **options) -> SmtpServer:
    server = SmtpServer(Handler(), **options).start()
    servers.append(server)
    return server


def set_field(path, field, value):
    text = path.read_text(encoding="utf-8")
    text, n = re.subn(rf"^{field}: .*$", lambda m: f"{field}: {value}", text, count=1, flags=re.M)
    path.write_text(text if n else text + f"{field}: {value}\n", encoding="utf-8")


def add_recipients(profile, lines: list[str]):
    text = profile.read_text(encoding="utf-8")
    text = text.replace("recipients:\n", "recipients:\n" + "".join(f"  - {line}\n" for line in lines), 1)
    profile.write_text(text, encoding="utf-8")


def test_amber_strict_goes_only_to_the_clients_own_domains_never_by_suffix(week, servers, monkeypatch, capsys):
    add_recipients(week / "briefs/clients/two-rivers-freight.yaml",
                   ["{email: duty@mail.tworivers.example.com, name: Undeclared subdomain}",
                    "{email: spy@eviltworivers.example.com, name: Look-alike domain}",
                    "{email: Chief@TWORIVERS.example.com, name: Upper case}"])
    profile = week / "briefs/clients/two-rivers-freight.yaml"
    set_field(profile, "tlp_ceiling", "AMBER+STRICT")
    set_field(week / "briefs" / f"{FREIGHT_BRIEF}.yaml", "tlp", "AMBER+STRICT")
    server = start(servers)
    assert deliver(week, FREIGHT_BRIEF, env=server.env, monkeypatch=monkeypatch) == 0
    out = capsys.readouterr().out
    assert sorted(rcpt for _, rcpt in server.delivered) == ["Chief@TWORIVERS.example.com",
                                                           "ops.manager@tworivers.example.com",
                                                           "security@tworivers.example.com"]
    assert ("refused: 2023-w42-two-rivers-freight -> spy@eviltworivers.example.com: TLP:AMBER+STRICT stays in "
            "the client's own domains (tworivers.example.com); eviltworivers.example.com is not one of them") in out
    assert "-> duty@mail.tworivers.example.com: TLP:AMBER+STRICT stays" in out


def test_red_goes_only_to_the_addressees_the_brief_names(week, servers, monkeypatch, capsys):
    set_field(week / "briefs/clients/two-rivers-freight.yaml", "tlp_ceiling", "RED")
    brief = week / "briefs" / f"{FREIGHT_BRIEF}.yaml"
    set_field(brief, "tlp", "RED\nrecipients: [ops.manager@tworivers.example.com]")
    server = start(servers)
    assert deliver(week, FREIGHT_BRIEF, env=server.env, monkeypatch=monkeypatch) == 0
    out = capsys.readouterr().out
    assert server.delivered == [(FREIGHT_BRIEF, "ops.manager@tworivers.example.com")]
    assert "security@tworivers.example.com: TLP:RED goes only to the addressees the brief names" in out
    assert server.handler.received[0].message["Subject"].startswith("[TLP:RED] ")


def test_the_password_appears_nowhere(week, servers, monkeypatch, capsys):
    server = start(servers, authenticator=accept_login("desk", PASSWORD), auth_require_tls=False)
    env = {**server.env, "SECBRIEF_SMTP_USER": "desk", "SECBRIEF_SMTP_PASSWORD": PASSWORD}
    assert deliver(week, ENERGY_BRIEF, env=env, monkeypatch=monkeypatch) == 0
    assert len(server.delivered) == 2
    assert deliver(week, ENERGY_BRIEF, "--dry-run", "--resend-changed", env=env, monkeypatch=monkeypatch) == 0
    out = capsys.readouterr()
    files = [p for p in week.rglob("*") if p.is_file() and p.suffix in (".jsonl", ".eml")]
    assert any(p.suffix == ".jsonl" for p in files)
    for text in [out.out, out.err, *(p.read_text(encoding="utf-8", errors="replace") for p in files),
                 *(item.data.decode("utf-8", "replace") for item in server.handler.received)]:
        assert PASSWORD not in text


def test_a_refused_login_is_one_line_without_the_password(week, servers, monkeypatch, capsys):
    server = start(servers, authenticator=accept_login("desk", "another"), auth_require_tls=False)
    env = {**server.env, "SECBRIEF_SMTP_USER": "desk", "SECBRIEF_SMTP_PASSWORD": PASSWORD}
    assert deliver(week, ENERGY_BRIEF, env=env, monkeypatch=monkeypatch) == 1
    out = capsys.readouterr()
    failed = [line for line in out.out.splitlines() if line.startswith("failed: ")]
    assert len(failed) == 2 and all("refused the login of user 'desk': 535" in line for line in failed)
    assert PASSWORD not in out.out + out.err and "Traceback" not in out.err
    assert server.handler.received == []


def test_a_login_in_plain_text_to_another_machine_is_refused_before_connecting(week, monkeypatch, capsys):
    env = {"SECBRIEF_SMTP_HOST": "smtp.example.com", "SECBRIEF_SMTP_TLS": "none", "SECBRIEF_SMTP_USER": "desk",
           "SECBRIEF_SMTP_PASSWORD": PASSWORD, "SECBRIEF_MAIL_FROM": "briefs@desk.example.com"}
    assert deliver(week, ENERGY_BRIEF, env=env, monkeypatch=monkeypatch) == 2
    err = capsys.readouterr().err
    assert "refusing to send a password in plain text to smtp.example.com:25" in err and PASSWORD not in err


def test_starttls_is_never_given_up_for_plain_text(week, servers, monkeypatch, capsys):
    server = start(servers)  # offers no STARTTLS
    env = {**server.env, "SECBRIEF_SMTP_TLS": "starttls"}
    assert deliver(week, ENERGY_BRIEF, env=env, monkeypatch=monkeypatch) == 1
    out = capsys.readouterr().out
    assert "does not offer STARTTLS; refusing to send in plain text" in out
    assert server.handler.received == []


def test_the_servers_certificate_is_verified(week, servers, monkeypatch, capsys, tmp_path):
    key, cert = make_certificate(tmp_path / "tls", "smtp-server", server=True)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    server = start(servers, tls_context=context, require_starttls=True)
    env = {**server.env, "SECBRIEF_SMTP_TLS": "starttls"}
    assert deliver(week, ENERGY_BRIEF, env=env, monkeypatch=monkeypatch) == 1  # self-signed: not trusted
    out = capsys.readouterr().out
    assert "TLS with SMTP server 127.0.0.1" in out and "certificate" in out
    assert server.handler.received == []
    # Trusted (SSL_CERT_FILE names the authority), the same server gets the messages over TLS.
    env["SSL_CERT_FILE"] = str(cert)
    assert deliver(week, ENERGY_BRIEF, env=env, monkeypatch=monkeypatch) == 0
    assert len(server.delivered) == 2


def test_smime_signs_and_encrypts_amber_for_each_recipients_certificate(week, servers, monkeypatch, tmp_path):
    certs = week / "briefs" / "clients" / "certs"
    keys = {}
    for who in ("security", "ops.manager"):
        keys[who], _ = make_certificate(certs, who, email=f"{who}@tworivers.example.com")
    profile = week / "briefs/clients/two-rivers-freight.yaml"
    text = profile.read_text(encoding="utf-8")
    for who in keys:
        text = text.replace(f"{{email: {who}@tworivers.example.com,",
                            f"{{certificate: certs/{who}.pem, email: {who}@tworivers.example.com,")
    profile.write_text(text.replace("  - {email: road-partners", "  - {certificate: certs/security.pem, "
                                    "email: road-partners") + "smime: sign-and-encrypt\n", encoding="utf-8")
    sender_key, sender_cert = make_certificate(tmp_path / "sender", "desk", email="briefs@desk.example.com",
                                               passphrase=b"open sesame")
    server = start(servers)
    env = {**server.env, "SECBRIEF_SMIME_KEY": str(sender_key), "SECBRIEF_SMIME_CERT": str(sender_cert),
           "SECBRIEF_SMIME_PASSPHRASE": "open sesame"}
    assert deliver(week, FREIGHT_BRIEF, env=env, monkeypatch=monkeypatch) == 0
    assert len(server.handler.received) == 2
    for item in server.handler.received:
        message = item.message
        assert message.get_content_type() == "application/pkcs7-mime" and message["Subject"].startswith("[TLP:AMBER]")
        who = item.recipients[0].split("@")[0]
        key = serialization.load_pem_private_key(keys[who].read_bytes(), None)
        cert = x509.load_pem_x509_certificate((certs / f"{who}.pem").read_bytes())
        inner = pkcs7.pkcs7_decrypt_smime(item.data, cert, key, [])
        signed = email.message_from_bytes(inner, policy=email.policy.default)
        assert signed.get_content_type() == "multipart/signed"
        content, signature = signed.get_payload()
        assert signature.get_content_type() in ("application/pkcs7-signature", "application/x-pkcs7-signature")
        kinds = [p.get_content_type() for p in content.walk()]
        assert kinds == ["multipart/mixed", "multipart/alternative", "text/plain", "text/html", "application/pdf"]
        # openssl checks the signature over the exact bytes that were signed.
        (tmp_path / "signed.eml").write_bytes(inner)
        verify = subprocess.run(["openssl", "smime", "-verify", "-in", str(tmp_path / "signed.eml"), "-CAfile",
                                 str(sender_cert), "-purpose", "any", "-out", "/dev/null"],
                                capture_output=True, text=True)
        assert verify.returncode == 0, verify.stderr


def test_smime_demanded_without_a_key_sends_nothing_and_says_what_to_set(week, servers, monkeypatch, capsys):
    profile = week / "briefs/clients/two-rivers-freight.yaml"
    profile.write_text(profile.read_text(encoding="utf-8") + "smime: sign\n", encoding="utf-8")
    server = start(servers)
    assert deliver(week, FREIGHT_BRIEF, env=server.env, monkeypatch=monkeypatch) == 2
    err = capsys.readouterr().err
    assert ("briefs/clients/two-rivers-freight.yaml: error: client 'two-rivers-freight' requires S/MIME (smime: "
            "sign)") in err and "SECBRIEF_SMIME_KEY" in err
    assert server.handler.received == []
