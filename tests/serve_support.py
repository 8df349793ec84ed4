"""A real `secbrief serve` in a subprocess, on a free port (--port 0: the
kernel picks one, the banner names it), and plain HTTP requests to it."""

from __future__ import annotations

import http.client
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from conftest import REPO, copy_project

K1_INCIDENT = "incidents/2019/2019-12-27-k1-base-rockets.yaml"
K1_TITLE = "Rocket salvo on K1 air base near Kirkuk kills a US contractor"
K1_BRIEF = "2020-12-21-renewed-targeting-us-interests-iraq"  # the one brief that shows it (TLP:CLEAR)
AMBER_BRIEF = "2023-w41-two-rivers-freight"


def demo_copy(dest: Path, built_from: Path | None = None) -> Path:
    """The demo project (with its secbrief.yaml); with build/ from ``built_from``."""
    copy_project(dest, REPO)
    shutil.copy2(REPO / "secbrief.yaml", dest / "secbrief.yaml")
    if built_from is not None:
        shutil.copytree(built_from / "build", dest / "build", symlinks=True)
    return dest


def edit(root: Path, relpath: str, old: str, new: str) -> None:
    """Save a file as an editor would, with ``old`` replaced by ``new`` once."""
    path = root / relpath
    text = path.read_text(encoding="utf-8")
    assert old in text, (relpath, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


class Served:
    """``secbrief serve --port 0 ARGS`` in ``root``; stdout read as it comes."""

    def __init__(self, root: Path, *args: str, wait: bool = True):
        self.root = root
        # SIGINT as a terminal delivers it (a test runner's child may inherit it ignored).
        self.process = subprocess.Popen([sys.executable, "-m", "secbrief", "serve", "--port", "0", *args], cwd=root,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        self.lines: list[str] = []
        self._done = False
        self._seen = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()
        self.base = ""
        if wait:
            banner = self.wait_for(r"^serving (http://\S+)/ ")
            self.base = re.match(r"^serving (http://\S+)/ ", banner).group(1)
            self.port = int(self.base.rsplit(":", 1)[1])
            self.wait_for(r"^watching ")

    def _read(self):
        for line in self.process.stdout:
            with self._seen:
                self.lines.append(line.rstrip("\n"))
                self._seen.notify_all()
        with self._seen:
            self._done = True
            self._seen.notify_all()

    def wait_for(self, pattern: str, timeout: float = 20, after: int = 0) -> str:
        """The first line (from index ``after``) matching ``pattern``."""
        deadline = time.monotonic() + timeout
        with self._seen:
            while True:
                for line in self.lines[after:]:
                    if re.search(pattern, line):
                        return line
                left = deadline - time.monotonic()
                if left <= 0 or self._done:
                    raise AssertionError(f"no line matching {pattern!r} in:\n" + "\n".join(self.lines)
                                         + ("\nstderr: " + self.stderr() if self._done else ""))
                self._seen.wait(min(left, 0.2))

    def stderr(self) -> str:
        return self.process.stderr.read() if self.process.stderr else ""

    def request(self, path: str, method: str = "GET", host: str | None = None, headers: dict | None = None):
        """(status, headers as a dict of lowercase names, body): the path sent as it is, not normalised."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            connection.putheader("Host", host if host is not None else f"127.0.0.1:{self.port}")
            for name, value in (headers or {}).items():
                connection.putheader(name, value)
            connection.endheaders()
            answer = connection.getresponse()
            return answer.status, {k.lower(): v for k, v in answer.getheaders()}, answer.read()
        finally:
            connection.close()

    def stop(self, how=signal.SIGINT, timeout: float = 10) -> tuple[int, str]:
        """Stop it as Ctrl-C does; (exit status, stderr)."""
        if self.process.poll() is None:
            self.process.send_signal(how)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise
        return self.process.returncode, self.stderr()
