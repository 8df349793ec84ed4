"""`secbrief serve` over plain HTTP (http.client, the path sent as written):
what it serves, what it refuses, its event stream, its diagnostics, PDFs
on demand, the TLP ceiling beyond loopback, and how it starts and stops.
Real servers in subprocesses, on ports the kernel picks, in temporary
copies of the demo project. The browser side is tests/test_serve_browser.py."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time

import pytest

from conftest import REPO, run, snapshot
from secbrief.serve.watch import SETTLE_S
from secbrief.serve.guard import HostCheck, Refused, requested_name, split_host
from serve_support import AMBER_BRIEF, K1_BRIEF, K1_INCIDENT, K1_TITLE, Served, demo_copy, edit

PAGE = f"/{K1_BRIEF}/{K1_BRIEF}.html"
SCRIPT_LINE = re.compile(rb'<script src="/_serve/live\.js" data-page="[^"]*" data-version="[^"]*"'
                         rb'(?: data-pdf="[^"]*")? defer></script>\n')
EVENT_LINE = re.compile(r"^(retry: \d+|event: (reload|diagnostics)|data: (reload|diagnostics)|: keep-alive|)$")


@pytest.fixture(scope="module")
def served(demo_build, tmp_path_factory):
    """One server for the tests that only read: a built demo copy, with
    secrets beside the outputs and links leading out of the project."""
    root = demo_copy(tmp_path_factory.mktemp("serve") / "demo", demo_build)
    (root / "build" / "outbox").mkdir()
    (root / "build" / "outbox" / "x.eml").write_text("To: client@example.com\n")
    (root / ".git").mkdir()
    (root / ".git" / "config").write_text("[core]\n")
    (root / "build" / "leak").symlink_to("/etc")
    (root / "leak").symlink_to("/etc")
    (root / "build" / K1_BRIEF / "passwd.html").symlink_to("/etc/passwd")
    server = Served(root)
    yield server
    server.stop()


# --- what is served -------------------------------------------------------------

def test_a_page_is_the_built_html_with_one_script_line(served, demo_build):
    status, headers, body = served.request(PAGE)
    assert status == 200 and headers["content-type"] == "text/html; charset=utf-8"
    built = (demo_build / "build" / K1_BRIEF / f"{K1_BRIEF}.html").read_bytes()
    assert len(SCRIPT_LINE.findall(body)) == 1
    # The markings and everything else exactly as built; injected at serve time only.
    assert SCRIPT_LINE.sub(b"", body) == built
    assert b"TLP:CLEAR" in body
    assert (demo_build / "build" / K1_BRIEF / f"{K1_BRIEF}.html").read_bytes() == built


def test_the_archive_markdown_and_feed(served, demo_build):
    for path in ("/", "/index.html"):
        status, headers, body = served.request(path)
        assert status == 200
        assert SCRIPT_LINE.sub(b"", body) == (demo_build / "build" / "index.html").read_bytes()
    status, headers, body = served.request(f"/{K1_BRIEF}/{K1_BRIEF}.md")
    assert status == 200 and headers["content-type"] == "text/plain; charset=utf-8"
    assert body == (demo_build / "build" / K1_BRIEF / f"{K1_BRIEF}.md").read_bytes()
    status, headers, body = served.request("/feed.xml")
    assert status == 200 and body.startswith(b"<?xml") and K1_BRIEF.encode() in body


def test_a_clean_url_redirects_to_the_brief(served):
    for path in (f"/{K1_BRIEF}", f"/{K1_BRIEF}/"):
        status, headers, body = served.request(path)
        assert status == 302 and headers["location"] == PAGE


def test_every_answer_forbids_caching_framing_and_other_origins(served):
    for path in ("/", PAGE, "/_serve/live.js", "/_serve/diagnostics.json", "/nope", "/../x"):
        status, headers, _ = served.request(path, headers={"Origin": "https://evil.example"})
        assert headers["cache-control"] == "no-store"
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["cross-origin-resource-policy"] == "same-origin"
        assert not [name for name in headers if name.startswith("access-control-")], (path, headers)
    policy = served.request(PAGE)[1]["content-security-policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy


# --- what is refused ------------------------------------------------------------

@pytest.mark.parametrize("path", [
    "/../secbrief.yaml", "/%2e%2e%2fsecbrief.yaml", "/%2e%2e/secbrief.yaml", "/..%2fsecbrief.yaml",
    "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd", "/%252e%252e%252fsecbrief.yaml", "/..\\secbrief.yaml",
    f"/{K1_BRIEF}/../../secbrief.yaml", "//etc/passwd", "/%00", "/x/%c0%ae%c0%ae/secbrief.yaml",
])
def test_traversal_plain_or_encoded_is_refused(served, path):
    status, _, body = served.request(path)
    assert 400 <= status < 500
    assert b"yardstick" not in body and b"root:" not in body


@pytest.mark.parametrize("path", ["/.secbrief-manifest.json", "/.cache/yaml", "/.cache/", "/.git/config",
                                  "/outbox/x.eml", "/outbox/", "/.env"])
def test_dot_files_caches_manifests_and_the_outbox_are_never_served(served, path):
    status, _, body = served.request(path)
    assert 400 <= status < 500
    assert b"client@example.com" not in body and b"[core]" not in body


@pytest.mark.parametrize("path", ["/leak/passwd", "/leak/", f"/{K1_BRIEF}/passwd.html"])
def test_a_symlink_out_of_the_served_folder_is_refused(served, path):
    assert (served.root / "build" / "leak").is_symlink()
    status, _, body = served.request(path)
    assert 400 <= status < 500 and b"root:" not in body


@pytest.mark.parametrize("path", ["/secbrief.yaml", f"/briefs/{K1_BRIEF}.yaml", f"/{K1_INCIDENT}",
                                  "/incidents/actors.yaml", "/templates/_shared/base.html.j2"])
def test_source_files_are_never_served(served, path):
    status, _, _ = served.request(path)
    assert status == 404


@pytest.mark.parametrize("path", ["/incidents/", "/briefs", "/templates/", "/build/", f"/{K1_BRIEF}/x/"])
def test_no_directory_is_listed(served, path):
    status, _, body = served.request(path)
    assert status in (302, 404) and b"Directory listing" not in body and b"<li>" not in body


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "127.0.0.1.evil.example:{port}",
                                  "127.0.0.1:1", "localhost:1", "", "[::1]:{port}", "10.0.0.1:{port}"])
def test_a_foreign_host_header_is_refused(served, host):
    status, _, body = served.request(PAGE, host=host.format(port=served.port))
    assert status == 403 and b"TLP" not in body


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "LOCALHOST:{port}"])
def test_the_bound_address_and_localhost_are_answered(served, host):
    assert served.request(PAGE, host=host.format(port=served.port))[0] == 200


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND"])
def test_only_get_and_head(served, method):
    status, headers, _ = served.request(PAGE, method=method)
    assert status == 405 and headers["allow"] == "GET, HEAD"


def test_head_sends_headers_only(served):
    status, headers, body = served.request(PAGE, method="HEAD")
    assert status == 200 and body == b"" and int(headers["content-length"]) > 1000


def test_it_listens_on_loopback_by_default(served):
    """The kernel's own table: the listening socket is bound to 127.0.0.1."""
    listening = set()
    for line in open("/proc/net/tcp").read().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        if state == "0A":  # LISTEN
            address, port = local.split(":")
            listening.add((socket.inet_ntoa(bytes.fromhex(address)[::-1]), int(port, 16)))
    assert ("127.0.0.1", served.port) in listening
    assert ("0.0.0.0", served.port) not in listening
    assert served.base == f"http://127.0.0.1:{served.port}"


# --- the guard's rules, one by one ------------------------------------------------

def test_requested_names():
    assert requested_name("/") == "" and requested_name("/?x=1") == ""
    assert requested_name(f"/{K1_BRIEF}/") == K1_BRIEF
    assert requested_name("/a/b.html") == "a/b.html"
    assert requested_name("/a%2Db.html") == "a-b.html"
    for target, status in [("/../x", 400), ("/%2e%2e%2fx", 400), ("/a//b", 400), ("/a/./b", 400),
                           ("/%252e", 400), ("/%ff", 400), ("x", 400), ("/.x", 403), ("/outbox/a", 403),
                           ("/a/build-manifest.json", 403), ("/a b", 404), ("/é", 404), ("/_serve/x", 404)]:
        with pytest.raises(Refused) as refused:
            requested_name(target)
        assert refused.value.status == status, target


def test_host_rules():
    loop = HostCheck("127.0.0.1", 8000)
    assert loop.allows("127.0.0.1:8000") and loop.allows("localhost:8000") and loop.allows("localhost.:8000")
    assert not loop.allows("127.0.0.2:8000") and not loop.allows("example.com:8000") and not loop.allows(None)
    assert not loop.allows("127.0.0.1") and HostCheck("127.0.0.1", 80).allows("127.0.0.1")
    wild = HostCheck("0.0.0.0", 8000)
    assert wild.allows("192.168.1.20:8000") and wild.allows("[fe80::1]:8000") and wild.allows(f"{socket.gethostname()}:8000")
    assert not wild.allows("attacker.example:8000")
    assert split_host("[::1]:8000") == ("::1", 8000) and split_host("bad host") == ("", None)


# --- the event stream, diagnostics, once per change -------------------------------

def read_events(server: Served, page: str, version: str, want: str, seconds: float = 15) -> list[str]:
    """The lines of an event stream until an event named ``want``."""
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=seconds)
    connection.request("GET", f"/_serve/events?page={page}&version={version}")
    answer = connection.getresponse()
    assert answer.status == 200 and answer.getheader("content-type").startswith("text/event-stream")
    lines = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        line = answer.fp.readline().decode()
        lines.append(line.rstrip("\n"))
        if line.strip() == f"event: {want}":
            lines.append(answer.fp.readline().decode().rstrip("\n"))
            break
    connection.close()
    return lines


def page_version(server: Served, path: str = PAGE) -> str:
    body = server.request(path)[2]
    return re.search(rb'data-version="([^"]+)"', body).group(1).decode()


@pytest.fixture
def live(demo_build, tmp_path):
    server = Served(demo_copy(tmp_path / "demo", demo_build))
    # Past the one refresh that catches up with what changed while the
    # watchers started (secbrief.serve.watch.SETTLE_S): every refresh from now
    # on is a change's, and says "changed: ...".
    time.sleep(SETTLE_S + 0.3)
    yield server
    server.stop()


def test_a_change_rerenders_only_the_briefs_it_affects_and_the_stream_says_only_reload(live):
    version = page_version(live)
    opened = len(live.lines)
    import threading

    got = {}
    reader = threading.Thread(target=lambda: got.update(lines=read_events(live, K1_BRIEF, version, "reload")))
    reader.start()
    time.sleep(0.5)
    edit(live.root, K1_INCIDENT, K1_TITLE, "Rocket salvo on K1 air base, retitled")
    reader.join(20)
    lines = got["lines"]
    assert "event: reload" in lines
    assert all(EVENT_LINE.match(line) for line in lines), lines  # event names only: no file content
    assert live.wait_for(r"^rendered ", after=opened).startswith(f"rendered {K1_BRIEF} in ")  # and no other
    assert b"Rocket salvo on K1 air base, retitled" in live.request(PAGE)[2]
    assert page_version(live) != version
    # the archive shows no incident title: its page did not change
    assert live.request("/")[0] == 200


def test_a_page_opened_before_a_change_hears_of_it(live):
    old = page_version(live)
    edit(live.root, K1_INCIDENT, K1_TITLE, "Retitled before the stream opened")
    live.wait_for(r"^rendered ")
    assert "event: reload" in read_events(live, K1_BRIEF, old, "reload")


HOSTILE = "Evil\x1b]0;pwned\x07 \u202egroup"


def test_diagnostics_are_json_with_every_value_shown_escaped_and_said_once_per_change(live):
    opened = len(live.lines)
    edit(live.root, K1_INCIDENT, "date: 2019-12-27", "date: 2019-12-32")
    edit(live.root, f"briefs/{K1_BRIEF}.yaml", "tlp: CLEAR", f"tlp: CLEAR\nparties: [{json.dumps(HOSTILE)}]")
    live.wait_for(r"error\(s\): the pages keep the last good render", after=opened)
    time.sleep(1)  # any second burst of the same saves
    status, headers, body = live.request("/_serve/diagnostics.json")
    assert status == 200 and headers["content-type"] == "application/json"
    assert not re.search(rb"[\x00-\x1f\x7f]", body) and "\u202e".encode() not in body
    data = json.loads(body)
    assert data["errors"] >= 2 and data["rendered"] is True
    places = [d["place"] for d in data["diagnostics"]]
    assert f"{K1_INCIDENT}:1:7" in places
    hostile = next(d for d in data["diagnostics"] if "Evil" in d["message"])
    assert r"Evil\x1b]0;pwned\x07 \u202egroup" in hostile["message"]
    assert hostile["href"] == (live.root / "briefs" / f"{K1_BRIEF}.yaml").as_uri()
    # Several requests for the list (open pages) and the terminal still said each problem once per change.
    for _ in range(3):
        live.request("/_serve/diagnostics.json")
    said = [line for line in live.lines[opened:] if line.startswith(f"{K1_INCIDENT}:1:7: error:")]
    changes = [line for line in live.lines[opened:] if line.startswith("changed: ")]
    assert len(said) == len(changes) >= 1
    assert not any(re.search("[\x00-\x09\x0b-\x1f\x7f\u202e]", line) for line in live.lines)
    # The last good render is still served.
    assert K1_TITLE.encode() in live.request(PAGE)[2]


def test_a_template_error_reaches_the_list_with_its_place(live):
    opened = len(live.lines)
    edit(live.root, "templates/security-brief/brief.html.j2", "{% block content %}", "{% block content %}{{ b.nope }}")
    line = live.wait_for(r"templates/security-brief/brief\.html\.j2:\d+:1: error:", after=opened)
    assert "has no field 'nope'" in line
    data = json.loads(live.request("/_serve/diagnostics.json")[2])
    assert data["diagnostics"][0]["place"].startswith("templates/security-brief/brief.html.j2:")


def test_the_editor_url_names_file_line_and_column(demo_build, tmp_path):
    server = Served(demo_copy(tmp_path / "demo", demo_build), "--editor-url", "vscode://file/{path}:{line}:{col}")
    try:
        edit(server.root, K1_INCIDENT, "date: 2019-12-27", "date: 2019-12-32")
        server.wait_for(r"error\(s\)")
        [found] = json.loads(server.request("/_serve/diagnostics.json")[2])["diagnostics"]
        assert found["href"] == f"vscode://file/{server.root / K1_INCIDENT}:1:7"
    finally:
        server.stop()


def test_pdf_on_demand_cached_until_an_input_changes(live):
    path = f"/{K1_BRIEF}/{K1_BRIEF}.pdf"
    status, headers, body = live.request(path)
    assert status == 200 and headers["content-type"] == "application/pdf" and body.startswith(b"%PDF-")
    assert live.request(path)[2] == body
    assert len([line for line in live.lines if line.startswith(f"rendered {K1_BRIEF}.pdf")]) == 1
    edit(live.root, K1_INCIDENT, K1_TITLE, "Retitled for the PDF")
    live.wait_for(f"^rendered {K1_BRIEF} in")
    assert live.request(path)[2] != body
    assert len([line for line in live.lines if line.startswith(f"rendered {K1_BRIEF}.pdf")]) == 2


def built(root) -> dict[str, bytes]:
    """build/ but its caches (shared by every command, written atomically)."""
    return {name: data for name, data in snapshot(root).items() if name.startswith("build/")}


def test_serving_leaves_build_as_it_was(live):
    before = built(live.root)
    assert len(before) > 18
    edit(live.root, K1_INCIDENT, K1_TITLE, "Retitled, build untouched")
    live.wait_for(f"^rendered {K1_BRIEF} in")
    live.request(PAGE)
    live.request(f"/{K1_BRIEF}/{K1_BRIEF}.md")
    assert built(live.root) == before


# --- beyond loopback: the ceiling ---------------------------------------------------

def test_beyond_loopback_only_briefs_at_or_below_the_ceiling(demo_build, tmp_path):
    server = Served(demo_copy(tmp_path / "demo", demo_build), "--host", "0.0.0.0")
    try:
        assert server.request(PAGE)[0] == 200
        assert server.request(f"/{AMBER_BRIEF}/{AMBER_BRIEF}.html")[0] == 404
        assert server.request(f"/{AMBER_BRIEF}/{AMBER_BRIEF}.md")[0] == 404
        assert server.request(f"/{AMBER_BRIEF}/{AMBER_BRIEF}.pdf")[0] == 404
        index = server.request("/")[2]
        assert K1_BRIEF.encode() in index and AMBER_BRIEF.encode() not in index and b"TLP:GREEN" not in index
        assert AMBER_BRIEF.encode() not in server.request("/feed.xml")[2]
        assert any(line.startswith("not served, above TLP:CLEAR: ") and AMBER_BRIEF in line for line in server.lines)
        # Any IP literal is answered (no rebinding through one); a name that is not this machine's is not.
        assert server.request(PAGE, host=f"127.0.0.1:{server.port}")[0] == 200
        assert server.request(PAGE, host=f"evil.example:{server.port}")[0] == 403
        # The problems are counted, not quoted, for whoever is on the network.
        edit(server.root, K1_INCIDENT, "date: 2019-12-27", "date: 2019-12-32")
        server.wait_for(r"error\(s\)")
        data = json.loads(server.request("/_serve/diagnostics.json")[2])
        assert data["errors"] == 1 and data["diagnostics"] == []
        code, stderr = server.stop()
        assert code == 0
        assert "warning: serving on 0.0.0.0, beyond this machine" in stderr and "TLP:CLEAR" in stderr
    finally:
        if server.process.poll() is None:
            server.stop()


def test_beyond_loopback_a_higher_ceiling_is_honoured(demo_build, tmp_path):
    server = Served(demo_copy(tmp_path / "demo", demo_build), "--host", "0.0.0.0", "--ceiling", "green")
    try:
        assert server.request("/2023-10-25-iran-backed-attacks-to-increase/2023-10-25-iran-backed-attacks-to-increase.html")[0] == 200
        assert server.request(f"/{AMBER_BRIEF}/{AMBER_BRIEF}.html")[0] == 404
    finally:
        server.stop()


# --- starting and stopping -------------------------------------------------------------

def test_a_port_in_use_exits_2_with_one_line(demo):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run(demo, "serve", "--port", str(port))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"serve: port {port} on 127.0.0.1 is in use; choose another with --port"]


def test_an_unknown_brief_exits_2_with_one_line(demo):
    result = run(demo, "serve", "no-such-brief", "--port", "0")
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("serve: unknown brief 'no-such-brief'; the briefs are: ")


@pytest.mark.parametrize("url", ["javascript:alert(1)//{path}", "https://example.com/", "{path}"])
def test_an_editor_url_that_opens_no_editor_exits_2(demo, url):
    result = run(demo, "serve", "--port", "0", "--editor-url", url)
    assert result.returncode == 2 and result.stderr.startswith("--editor-url: ")


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_stops_it_cleanly(demo, how):
    server = Served(demo)
    import threading

    threading.Thread(target=lambda: read_events(server, K1_BRIEF, "x", "never", seconds=20), daemon=True).start()
    time.sleep(0.5)
    started = time.monotonic()
    code, stderr = server.stop(how)
    assert code == 0 and stderr == ""
    assert time.monotonic() - started < 5
    assert server.lines[-1] == "secbrief serve: stopped"


def test_a_project_with_errors_from_the_start_serves_a_placeholder_then_the_brief(demo):
    edit(demo, K1_INCIDENT, "date: 2019-12-27", "date: 2019-12-32")
    server = Served(demo)
    try:
        status, _, body = server.request(PAGE)
        assert status == 200 and b"Not rendered yet" in body and SCRIPT_LINE.search(body)
        assert server.request(f"/{K1_BRIEF}/{K1_BRIEF}.md")[0] == 404
        edit(demo, K1_INCIDENT, "date: 2019-12-32", "date: 2019-12-27")
        server.wait_for(r"^rendered 6 briefs in ")
        assert K1_TITLE.encode() in server.request(PAGE)[2]
    finally:
        server.stop()


def test_help_explains_it():
    result = subprocess.run([sys.executable, "-m", "secbrief", "serve", "--help"], capture_output=True, text=True,
                            cwd=REPO, env={**os.environ, "COLUMNS": "100"})
    assert result.returncode == 0
    for words in ("live preview", "--editor-url", "--ceiling", "--host", "example:", "docs/preview.md"):
        assert words in result.stdout
