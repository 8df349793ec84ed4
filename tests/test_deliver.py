"""`secbrief deliver` against a real SMTP server on localhost (aiosmtpd):
what arrives, to whom, once; what is refused and why; a server that stops
half-way and a rerun that sends only what is missing; the dry run."""

from __future__ import annotations

import re

import pytest

from delivery_support import built_week, week  # noqa: F401 - fixtures
from delivery_support import (ELIGIBLE, ENERGY_BRIEF, FREIGHT_BRIEF, REFUSED, Handler, SmtpServer, deliver,
                              log_records)
from weekly_support import WEEK42

UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f]")



@pytest.fixture
def smtp():
    servers = []

    def start(**options):
        handler = Handler(**{k: options.pop(k) for k in ("refuse", "stop_after") if k in options})
        server = SmtpServer(handler, **options).start()
        servers.append(server)
        return server
    yield start
    for server in servers:
        server.stop()


def test_demo_week_reaches_each_eligible_recipient_once_with_html_text_and_pdf(week, smtp, monkeypatch, capsys):
    server = smtp()
    assert deliver(week, WEEK42, env=server.env, monkeypatch=monkeypatch) == 0
    out = capsys.readouterr()
    assert set(server.delivered) == ELIGIBLE and len(server.delivered) == len(ELIGIBLE)
    for item in server.handler.received:
        message = item.message
        assert item.recipients == [message["To"].addresses[0].addr_spec]  # one envelope recipient, the To:
        assert message["Cc"] is None and message["Bcc"] is None
        assert item.sender == "briefs@desk.example.com"
        brief = message.get_payload()[-1].get_filename()[:-4]
        marking = "TLP:AMBER" if brief == FREIGHT_BRIEF else "TLP:GREEN"
        assert message["Subject"].startswith(f"[{marking}] ")
        kinds = [part.get_content_type() for part in message.walk()]
        assert kinds == ["multipart/mixed", "multipart/alternative", "text/plain", "text/html", "application/pdf"]
        assert message.get_body(("plain",)).get_content().startswith(marking)
        html = message.get_body(("html",)).get_content()
        assert marking in html[:html.index("</p>", html.index("<body"))]  # the marking leads the body
        assert "style=" in html  # the CSS inlined
        attachment = next(message.iter_attachments())
        assert attachment.get_filename() == f"{brief}.pdf"
        assert attachment.get_content() == (week / "build" / brief / f"{brief}.pdf").read_bytes()
    assert len({item.session for item in server.handler.received}) == 1  # one SMTP connection for the run
    for brief, address in REFUSED:
        assert re.search(rf"refused: {brief} -> {re.escape(address)}: TLP:\S+ is above this recipient's ceiling",
                         out.out)
    records = log_records(week)
    assert [r["result"] for r in records] == ["sending", "sent"] * len(ELIGIBLE)
    assert {(r["brief"], r["recipient"]) for r in records} == ELIGIBLE
    assert all(r["message_id"] and len(r["pdf_sha256"]) == 64 and len(r["text_sha256"]) == 64 for r in records)

    # A second run delivers nothing and says so.
    assert deliver(week, WEEK42, env=server.env, monkeypatch=monkeypatch) == 0
    out = capsys.readouterr()
    assert len(server.handler.received) == len(ELIGIBLE)
    assert out.out.count("already delivered") == len(ELIGIBLE)
    assert len(log_records(week)) == 2 * len(ELIGIBLE)


def test_a_server_stopped_half_way_fails_the_rest_and_a_rerun_sends_only_what_is_missing(
        week, smtp, monkeypatch, capsys):
    first = smtp(stop_after=1)
    assert deliver(week, WEEK42, env=first.env, monkeypatch=monkeypatch) == 1
    out = capsys.readouterr()
    assert "Traceback" not in out.err + out.out
    assert len(first.delivered) == 1
    failed = [line for line in out.out.splitlines() if line.startswith("failed: ")]
    assert len(failed) == len(ELIGIBLE) - 1
    assert "421" in failed[0], failed
    # the rest: refused the same way while the server shuts down, or not reachable once it is down
    assert all("421" in line or "cannot reach SMTP server 127.0.0.1" in line for line in failed[1:]), failed
    results = [r["result"] for r in log_records(week)]
    assert results.count("sent") == 1 and results.count("failed") == len(ELIGIBLE) - 1

    second = smtp()
    assert deliver(week, WEEK42, env=second.env, monkeypatch=monkeypatch) == 0
    assert len(second.delivered) == len(ELIGIBLE) - 1
    both = first.delivered + second.delivered
    assert sorted(both) == sorted(ELIGIBLE)  # every one once, none twice


def test_a_refused_recipient_is_one_line_and_the_others_are_sent(week, smtp, monkeypatch, capsys):
    server = smtp(refuse={"ops.manager@tworivers.example.com"})
    assert deliver(week, WEEK42, env=server.env, monkeypatch=monkeypatch) == 1
    out = capsys.readouterr().out
    assert set(server.delivered) == ELIGIBLE - {(FREIGHT_BRIEF, "ops.manager@tworivers.example.com")}
    assert (f"failed: {FREIGHT_BRIEF} -> ops.manager@tworivers.example.com: the server refused the recipient: "
            "550 5.1.1 mailbox unavailable") in out.splitlines()
    server.handler.refuse.clear()
    assert deliver(week, WEEK42, env=server.env, monkeypatch=monkeypatch) == 0
    assert sorted(server.delivered) == sorted(ELIGIBLE)


def test_dry_run_writes_the_same_messages_as_eml_and_sends_nothing(week, smtp, monkeypatch, capsys):
    assert deliver(week, WEEK42, monkeypatch=monkeypatch) == 0  # no SMTP host: a dry run
    out = capsys.readouterr()
    assert "SECBRIEF_SMTP_HOST is not set" in out.out
    assert not (week / "deliveries").exists()
    files = sorted((week / "build" / "outbox").rglob("*.eml"))
    assert {(p.parent.name, p.stem) for p in files} == ELIGIBLE
    server = smtp()
    assert deliver(week, WEEK42, "--dry-run", env=server.env, monkeypatch=monkeypatch) == 0
    assert server.handler.received == [] and not (week / "deliveries").exists()
    assert deliver(week, WEEK42, env=server.env, monkeypatch=monkeypatch) == 0
    sent = {(r.message.get_payload()[-1].get_filename()[:-4], r.recipients[0]): r.message for r in
            server.handler.received}
    import email
    import email.policy
    for path in files:
        written = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        twin = sent[(path.parent.name, path.stem)]
        for header in ("To", "Subject", "Message-ID"):
            assert written[header] == twin[header]
        assert [p.get_content_type() for p in written.walk()] == [p.get_content_type() for p in twin.walk()]
        assert next(written.iter_attachments()).get_content() == next(twin.iter_attachments()).get_content()


def test_a_changed_brief_is_sent_again_only_with_resend_changed_and_says_revised(week, smtp, monkeypatch,
                                                                                   capsys):
    server = smtp()
    assert deliver(week, ENERGY_BRIEF, env=server.env, monkeypatch=monkeypatch) == 0
    first_ids = {r.message["To"].addresses[0].addr_spec: r.message["Message-ID"] for r in server.handler.received}
    path = week / "briefs" / f"{ENERGY_BRIEF}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("tlp: GREEN", "tlp: GREEN\nsummary: |\n  "
                                                             "A quiet week in the Kurdistan Region.\n"),
                    encoding="utf-8")
    capsys.readouterr()
    assert deliver(week, ENERGY_BRIEF, env=server.env, monkeypatch=monkeypatch) == 0
    out = capsys.readouterr().out
    assert len(server.handler.received) == 2 and out.count("--resend-changed") == 2
    assert deliver(week, ENERGY_BRIEF, "--resend-changed", env=server.env, monkeypatch=monkeypatch) == 0
    revised = server.handler.received[2:]
    assert len(revised) == 2
    for item in revised:
        message = item.message
        assert message["Subject"].startswith("[TLP:GREEN] Revised: ")
        assert message["In-Reply-To"] == first_ids[item.recipients[0]]
        assert message["Message-ID"] != first_ids[item.recipients[0]]
        assert "REVISED" in message.get_body(("plain",)).get_content()
        assert "A quiet week" in message.get_body(("plain",)).get_content()
    assert deliver(week, ENERGY_BRIEF, env=server.env, monkeypatch=monkeypatch) == 0
    assert len(server.handler.received) == 4


def test_a_message_left_sending_is_uncertain_and_resent_only_on_request_with_its_message_id(
        week, smtp, monkeypatch, capsys):
    server = smtp()
    assert deliver(week, ENERGY_BRIEF, env=server.env, monkeypatch=monkeypatch) == 0
    log = week / "deliveries" / "log.jsonl"
    lines = log.read_text(encoding="utf-8").splitlines(keepends=True)
    log.write_text("".join(lines[:-1]), encoding="utf-8")  # as if the run died after "sending"
    uncertain_id = log_records(week)[-1]["message_id"]
    capsys.readouterr()
    assert deliver(week, ENERGY_BRIEF, env=server.env, monkeypatch=monkeypatch) == 1
    out = capsys.readouterr().out
    assert len(server.handler.received) == 2 and "uncertain: " in out and "--resend-uncertain" in out
    assert deliver(week, ENERGY_BRIEF, "--resend-uncertain", env=server.env, monkeypatch=monkeypatch) == 0
    assert len(server.handler.received) == 3
    assert server.handler.received[-1].message["Message-ID"] == uncertain_id


def test_a_torn_last_line_is_tolerated_and_the_next_record_starts_a_line(week, smtp, monkeypatch, capsys):
    server = smtp()
    log = week / "deliveries" / "log.jsonl"
    log.parent.mkdir()
    log.write_text('{"channel": "email", "brief": "x", "recip', encoding="utf-8")
    assert deliver(week, ENERGY_BRIEF, env=server.env, monkeypatch=monkeypatch) == 0
    assert "deliveries/log.jsonl:1:1: warning: an incomplete record" in capsys.readouterr().out
    lines = log.read_text(encoding="utf-8").splitlines()
    assert lines[0].endswith('"recip') and len(lines) == 5
    assert deliver(week, ENERGY_BRIEF, env=server.env, monkeypatch=monkeypatch) == 0
    assert len(server.handler.received) == 2


def test_a_damaged_log_line_stops_the_run_before_anything_is_sent(week, smtp, monkeypatch, capsys):
    server = smtp()
    log = week / "deliveries" / "log.jsonl"
    log.parent.mkdir()
    log.write_text("not json\n{}\n", encoding="utf-8")
    assert deliver(week, ENERGY_BRIEF, env=server.env, monkeypatch=monkeypatch) == 2
    assert "deliveries/log.jsonl:1:1: error: not a delivery record" in capsys.readouterr().err
    assert server.handler.received == []


def test_a_second_run_at_the_same_time_is_refused(week, smtp, monkeypatch, capsys):
    from secbrief.core.atomic import exclusive_lock

    server = smtp()
    with exclusive_lock(week / "deliveries" / ".lock", "a test"):
        assert deliver(week, ENERGY_BRIEF, env=server.env, monkeypatch=monkeypatch) == 2
    assert "another secbrief deliver is already running" in capsys.readouterr().err
    assert server.handler.received == []


def test_crlf_in_a_title_adds_no_header_and_reaches_the_terminal_escaped(week, smtp, monkeypatch, capsys):
    path = week / "briefs" / f"{ENERGY_BRIEF}.yaml"
    title = 'title: "Quiet week\\r\\nBcc: spy@evil.example.net\\x1b[2J"'
    text = re.sub(r'^title: .*$', lambda m: title, path.read_text(encoding="utf-8"), count=1, flags=re.M)
    path.write_text(text, encoding="utf-8")
    server = smtp()
    code = deliver(week, ENERGY_BRIEF, env=server.env, monkeypatch=monkeypatch)
    out = capsys.readouterr()
    assert not UNPRINTABLE.search(out.out + out.err)
    assert code == 0, out.err
    for item in server.handler.received:
        message = item.message
        assert message["Bcc"] is None and len(item.recipients) == 1
        assert "spy@evil.example.net" not in item.recipients
        assert "\n" not in message["Subject"] and "Bcc: spy" in message["Subject"]
        assert not [k for k in message.keys() if k.lower() == "bcc"]


def test_a_brief_without_client_is_never_sent(week, smtp, monkeypatch, capsys):
    server = smtp()
    assert deliver(week, "2023-10-25-iran-backed-attacks-to-increase", env=server.env,
                   monkeypatch=monkeypatch) == 2
    assert "names no client" in capsys.readouterr().err
    assert server.handler.received == []


def test_check_errors_stop_the_run_before_anything_is_sent(week, smtp, monkeypatch, capsys):
    profile = week / "briefs" / "clients" / "northern-arc-energy.yaml"
    profile.write_text(profile.read_text(encoding="utf-8").replace("gov-relations@northernarc.example.com",
                                                                   "gov-relations at northernarc"), encoding="utf-8")
    server = smtp()
    assert deliver(week, WEEK42, env=server.env, monkeypatch=monkeypatch) == 1
    err = capsys.readouterr().err
    assert re.search(r"briefs/clients/northern-arc-energy.yaml:\d+:\d+: error: email: 'gov-relations at "
                     r"northernarc' is not an email address", err)
    assert server.handler.received == []


def test_make_deliver_is_a_dry_run_without_smtp_settings_and_publish_leaves_the_outbox_out(week, tmp_path):
    import os
    import subprocess

    from weekly_support import with_make

    with_make(week)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SECBRIEF_")}
    done = subprocess.run(["make", "deliver", f"WEEK={WEEK42}"], cwd=week, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert "dry run: 4 message(s) written to build/outbox/" in done.stderr
    assert len(list((week / "build" / "outbox").rglob("*.eml"))) == 4
    usage = subprocess.run(["make", "deliver"], cwd=week, env=env, capture_output=True, text=True, timeout=60)
    assert usage.returncode == 2 and "usage: make deliver WEEK=2023-W42" in usage.stderr
    dest = tmp_path / "site"
    published = subprocess.run(["make", "publish", f"DEST={dest}", "CEILING=AMBER",
                                f"BRIEFS={FREIGHT_BRIEF} {ENERGY_BRIEF}"], cwd=week, env=env, capture_output=True,
                               text=True, timeout=300)
    assert published.returncode == 0, published.stderr
    names = [p.relative_to(dest).as_posix() for p in dest.rglob("*")]
    assert names and not [n for n in names if "outbox" in n or n.endswith(".eml")]


def test_the_email_html_reads_on_a_phone_with_or_without_its_style_block(week, monkeypatch, tmp_path):
    """390 px wide, as the phone checks of tests/test_browser.py: no sideways
    scroll with the @media rules the email keeps; and where a mail client
    drops <style>, no column squeezed to a letter's width."""
    import email
    import email.policy

    from playwright.sync_api import sync_playwright

    assert deliver(week, FREIGHT_BRIEF, "--dry-run", monkeypatch=monkeypatch) == 0
    eml = week / "build" / "outbox" / FREIGHT_BRIEF / "security@tworivers.example.com.eml"
    html = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default).get_body(("html",)).get_content()
    with_style, without = tmp_path / "with.html", tmp_path / "without.html"
    with_style.write_text(html, encoding="utf-8")
    without.write_text(re.sub(r"<style>.*?</style>", "", html, flags=re.S), encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(with_style.as_uri())
        viewport, scroll = page.evaluate("[document.documentElement.clientWidth, document.documentElement.scrollWidth]")
        assert scroll <= viewport
        page.goto(without.as_uri())
        narrowest = page.evaluate("Math.min(...[...document.querySelectorAll('td')].map(c => c.clientWidth))")
        assert narrowest >= 40
        browser.close()
