"""Scenario (i) of bench/run.py: `secbrief serve` on the demo, as an
analyst uses it.

- start: from launching `secbrief serve` on a built project to the archive
  page answered (its banner printed, then GET / returning 200); against
  `secbrief check` of the same project in a fresh interpreter (loading and
  validating it: the floor of any command that reads it).
- change: from an incident file written to the open brief's page loaded
  again in headless Chromium (the page's "load" event, its new title
  checked); against `secbrief build --format md,html` after the same kind
  of change (what "save, make, reload by hand" costs before the reload).

    python bench/serve.py [--rounds N]   # this scenario alone, on the repository's demo
"""

from __future__ import annotations

import http.client
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

PY = sys.executable
REPO = Path(__file__).resolve().parents[1]
INCIDENT = "incidents/2019/2019-12-27-k1-base-rockets.yaml"  # shown by one brief only
TITLE = "Rocket salvo on K1 air base near Kirkuk kills a US contractor"
BRIEF = "2020-12-21-renewed-targeting-us-interests-iraq"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def prepare(demo: Path, dest: Path) -> Path:
    """A copy of ``demo`` (incidents, briefs, templates), built."""
    for part in ("incidents", "briefs", "templates"):
        shutil.copytree(demo / part, dest / part)
    subprocess.run([PY, "-m", "secbrief", "build", "--format", "md,html"], cwd=dest, check=True, capture_output=True)
    return dest


def _get(port: int, path: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        return connection.getresponse().status
    finally:
        connection.close()


def start(root: Path) -> tuple[subprocess.Popen, int, float]:
    """(process, port, seconds from launch to the archive answered)."""
    started = time.perf_counter()
    process = subprocess.Popen([PY, "-m", "secbrief", "serve", "--port", "0"], cwd=root, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
    for line in process.stdout:
        match = re.match(r"serving http://127\.0\.0\.1:(\d+)/", line)
        if match:
            port = int(match.group(1))
            break
    else:
        raise RuntimeError("secbrief serve printed no address")
    assert _get(port, "/") == 200
    seconds = time.perf_counter() - started
    for line in process.stdout:  # the watchers are up once it says so
        if line.startswith("watching "):
            break
    return process, port, seconds


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(timeout=10)


def measure(root: Path, rounds: int) -> dict:
    from playwright.sync_api import sync_playwright

    starts, checks, changes, builds = [], [], [], []
    for _ in range(rounds):
        process, port, seconds = start(root)
        starts.append(seconds)
        stop(process)
        began = time.perf_counter()
        subprocess.run([PY, "-m", "secbrief", "check"], cwd=root, check=True, capture_output=True)
        checks.append(time.perf_counter() - began)

    incident = root / INCIDENT
    original = incident.read_text(encoding="utf-8")
    process, port, _ = start(root)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 844})
            page.goto(f"http://127.0.0.1:{port}/{BRIEF}/{BRIEF}.html")
            page.locator("#secbrief-serve .sbs-state").filter(has_text="live").wait_for(timeout=10_000)
            time.sleep(0.5)  # past the watchers' start
            for n in range(rounds + 2):
                title = f"K1 rocket salvo, edit {n}"
                with page.expect_event("load", timeout=10_000):
                    began = time.perf_counter()
                    incident.write_text(original.replace(TITLE, title), encoding="utf-8")
                changes.append(time.perf_counter() - began)
                assert title in page.inner_text("main")
                page.locator("#secbrief-serve .sbs-state").filter(has_text="live").wait_for(timeout=10_000)
                time.sleep(0.3)
            browser.close()
    finally:
        stop(process)
    for n in range(rounds):
        incident.write_text(original.replace(TITLE, f"K1 rocket salvo, build {n}"), encoding="utf-8")
        began = time.perf_counter()
        subprocess.run([PY, "-m", "secbrief", "build", "--format", "md,html"], cwd=root, check=True,
                       capture_output=True)
        builds.append(time.perf_counter() - began)
    incident.write_text(original, encoding="utf-8")
    return {"start": min(starts), "check": min(checks), "change": sorted(changes)[len(changes) // 2],
            "change_worst": max(changes), "build": min(builds)}


if __name__ == "__main__":
    import argparse
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        result = measure(prepare(REPO, Path(tmp) / "serve"), args.rounds)
    print(f"secbrief serve: started in {result['start']:.2f} s (secbrief check: {result['check']:.2f} s; "
          f"target under 2 s); a saved incident in the open page in {result['change'] * 1000:.0f} ms "
          f"(median; worst {result['change_worst'] * 1000:.0f} ms; target under 1 s); secbrief build "
          f"--format md,html after the same change: {result['build']:.2f} s")
