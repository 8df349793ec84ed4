"""Run secbrief as a user would, under the test-only guard of
tests/guard_site/sitecustomize.py, and read what the guard saw.

The allow-list: files a build may open outside its project because they are
the program and its environment, never anything an input can name.

- the Python installation and the virtualenv (standard library,
  site-packages: Jinja2, WeasyPrint's own stylesheets, Pyphen's dictionaries)
- secbrief's own package folder (an editable install lives in the repo) and
  this guard
- fonts and their configuration: /usr/share/fonts, /usr/local/share/fonts,
  /usr/share/fontconfig, /etc/fonts and the fontconfig caches (read by C
  code today, which an audit hook does not see; listed for WeasyPrint
  versions that read them from Python)
- /etc/mime.types (the mimetypes module, when the brief's image is embedded)
- /dev/null (ctypes.util.find_library runs ldconfig and gcc to locate Pango;
  its scratch files are new O_EXCL files in the temp folder: nothing to read)

Everything else outside the project is a finding: a path in a YAML file, a
Markdown image, a CSS url() or a symlink must never get a byte read. Shared
libraries and what C code opens are checked at the system-call level by
test_no_outside_read_at_the_system_call_level (strace).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
GUARD_SITE = TESTS / "guard_site"

ALLOWED = [
    sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix,
    str(REPO / "secbrief"), str(GUARD_SITE),
    "/usr/share/fonts", "/usr/local/share/fonts", "/usr/share/fontconfig", "/etc/fonts", "/var/cache/fontconfig",
    str(Path.home() / ".cache" / "fontconfig"),
    "/etc/mime.types", "/dev/null",
]


def guarded_env(root: Path, log: Path, trace: bool = False, fault: str | None = None,
                without_libyaml: bool = False) -> dict:
    env = dict(os.environ)
    env.pop("SECBRIEF_GUARD_NO_LIBYAML", None)
    if without_libyaml:  # PyYAML as built without libyaml: its pure-Python parser and loader
        env["SECBRIEF_GUARD_NO_LIBYAML"] = "1"
    env["PYTHONPATH"] = os.pathsep.join([str(GUARD_SITE)] + [p for p in [env.get("PYTHONPATH")] if p])
    env["SECBRIEF_GUARD_LOG"] = str(log)
    env["SECBRIEF_GUARD_ROOT"] = str(root)
    env["SECBRIEF_GUARD_ALLOW"] = os.pathsep.join(ALLOWED)
    env["SECBRIEF_GUARD_TRACE"] = "1" if trace else "0"
    env.pop("SECBRIEF_FAULT", None)
    if fault:
        env["SECBRIEF_FAULT"] = fault
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


class Guarded:
    """One guarded run: the finished process and the guard's records."""

    def __init__(self, process: subprocess.CompletedProcess, records: list[dict]):
        self.process = process
        self.records = records
        self.returncode = process.returncode
        self.stdout = process.stdout
        self.stderr = process.stderr

    @property
    def outside(self) -> list[dict]:
        return [r for r in self.records if r["kind"] == "outside"]

    @property
    def network(self) -> list[dict]:
        return [r for r in self.records if r["kind"] == "network"]

    @property
    def steps(self) -> list[str]:
        return [r["step"] for r in self.records if r["kind"] == "step"]


def _as_from_a_terminal() -> None:
    """In the child, before exec: signals as an interactive shell leaves
    them. A test run in the background (`make test &`, nohup, CI runners)
    inherits an ignored SIGINT, which Python then keeps ignoring."""
    for name in ("SIGINT", "SIGTERM", "SIGHUP"):
        signal.signal(getattr(signal, name), signal.SIG_DFL)


def start(root: Path, *args: str, log: Path, trace: bool = False, fault: str | None = None) -> subprocess.Popen:
    """Start a guarded secbrief without waiting (for signals from outside)."""
    return subprocess.Popen([sys.executable, "-m", "secbrief", *args], cwd=root, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=guarded_env(root, log, trace, fault),
                            preexec_fn=_as_from_a_terminal)


def run_guarded(root: Path, *args: str, log: Path, trace: bool = False, fault: str | None = None,
                without_libyaml: bool = False) -> Guarded:
    """Run secbrief in ``root`` under the guard; the log lives outside the project."""
    log.unlink(missing_ok=True)
    process = subprocess.run([sys.executable, "-m", "secbrief", *args], cwd=root, capture_output=True, text=True,
                             env=guarded_env(root, log, trace, fault, without_libyaml), timeout=300,
                             preexec_fn=_as_from_a_terminal)
    return Guarded(process, read_log(log))


def read_log(log: Path) -> list[dict]:
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line.strip()]
