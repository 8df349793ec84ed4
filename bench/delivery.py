"""Scenario (h) of bench/run.py: `secbrief deliver` of 100 messages to a
real SMTP server on localhost (aiosmtpd, in this process), against the
floor of the same transport: the same 100 messages (the .eml files of a dry
run) sent by plain smtplib over one connection, in a fresh interpreter too.

    python bench/delivery.py [--rounds N]   # this scenario alone, on the repository's demo

The demo's 2023-W42 briefs are written (`secbrief weekly`) and each of the
two demo clients gets 50 recipients, so one run sends 2 x 50 = 100 emails.
"""

from __future__ import annotations

import re
import shutil
import smtplib
import socket
import subprocess
import sys
import time
from pathlib import Path

PY = sys.executable
PER_CLIENT = 50
WEEK = "2023-W42"
FLOOR = """
import smtplib, sys, pathlib
port, folder = int(sys.argv[1]), pathlib.Path(sys.argv[2])
with smtplib.SMTP("127.0.0.1", port) as smtp:
    for eml in sorted(folder.rglob("*.eml")):
        smtp.sendmail("briefs@desk.example.com", [eml.stem], eml.read_bytes())
"""


class Counter:
    def __init__(self):
        self.messages = 0
        self.sessions: set[int] = set()

    async def handle_DATA(self, server, session, envelope):
        self.messages += 1
        self.sessions.add(id(session))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(demo: Path, dest: Path) -> Path:
    """A copy of the demo with the week written and built, 50 recipients per client."""
    for part in ("incidents", "briefs", "templates", "secbrief.yaml"):
        if (demo / part).is_dir():
            shutil.copytree(demo / part, dest / part)
        elif (demo / part).is_file():
            shutil.copy2(demo / part, dest / part)
    subprocess.run([PY, "-m", "secbrief", "weekly", WEEK], cwd=dest, check=True, capture_output=True)
    for profile in (dest / "briefs" / "clients").glob("*.yaml"):
        text = profile.read_text(encoding="utf-8")
        domain = re.search(r"^domains: \[([^\]]+)\]", text, re.M).group(1)
        people = "".join(f"  - {{email: reader{n:03d}@{domain}, name: Reader {n}}}\n" for n in range(PER_CLIENT))
        text = re.sub(r"^recipients:\n(  - .*\n)+", lambda m: "recipients:\n" + people, text, flags=re.M)
        profile.write_text(text, encoding="utf-8")
    subprocess.run([PY, "-m", "secbrief", "deliver", WEEK, "--dry-run"], cwd=dest, check=True, capture_output=True)
    return dest


def measure(root: Path, rounds: int) -> dict:
    from aiosmtpd.controller import Controller

    counter = Counter()
    port = free_port()
    controller = Controller(counter, hostname="127.0.0.1", port=port)
    controller.start()
    env = {"PATH": "/usr/bin:/bin", "SECBRIEF_SMTP_HOST": "127.0.0.1", "SECBRIEF_SMTP_PORT": str(port),
           "SECBRIEF_SMTP_TLS": "none", "SECBRIEF_MAIL_FROM": "briefs@desk.example.com"}
    outbox = root / "build" / "outbox"
    try:
        ours, floor, sessions = [], [], []
        for _ in range(rounds):
            shutil.rmtree(root / "deliveries", ignore_errors=True)
            before, counter.sessions = counter.messages, set()
            start = time.perf_counter()
            subprocess.run([PY, "-m", "secbrief", "deliver", WEEK], cwd=root, env=env, check=True,
                           capture_output=True)
            ours.append(time.perf_counter() - start)
            assert counter.messages - before == 2 * PER_CLIENT, counter.messages - before
            sessions.append(len(counter.sessions))
            start = time.perf_counter()
            subprocess.run([PY, "-c", FLOOR, str(port), str(outbox)], check=True)
            floor.append(time.perf_counter() - start)
    finally:
        controller.stop()
    return {"seconds": min(ours), "floor": min(floor), "messages": 2 * PER_CLIENT, "connections": max(sessions)}


if __name__ == "__main__":
    import argparse
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        result = measure(prepare(Path(__file__).resolve().parents[1], Path(tmp) / "delivery"), args.rounds)
    print(f"secbrief deliver: {result['messages']} emails in {result['seconds']:.2f} s over "
          f"{result['connections']} connection(s); smtplib alone, same messages: {result['floor']:.2f} s; "
          f"ratio {result['seconds'] / result['floor']:.1f} x (target: at most 4 x, 1 connection)")
