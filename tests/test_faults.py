"""Faults: a build interrupted by SIGINT or SIGTERM at many points, an
output folder that cannot be written or fills up, and two builds of one
tree at once. Whatever happens, every file in build/ is complete (identical
to what an undisturbed build writes) or absent, no temporary file is left,
the manifest lists only complete files, and the user gets one line.

Interruption points are reached deterministically: tests/guard_site numbers
the build's observable steps (reads, imports, writes, renames) and sends the
signal to the process at a chosen step. A few runs also send the signal from
outside at random moments, as a user's Ctrl-C would arrive.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

import hostile_stats
from conftest import FIXTURES, REPO
from guard import Guarded, read_log, run_guarded, start

BRIEF = "test-brief"
MANIFEST = ".secbrief-manifest.json"


def fresh(root: Path) -> Path:
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copytree(FIXTURES / "mini", root, dirs_exist_ok=True)
    return root


ARCHIVE_FILES = {"index.html", "feed.xml"}


def outputs(root: Path) -> dict[str, bytes]:
    build = root / "build"
    if not build.exists():
        return {}
    # Not build/.cache/ (compiled templates, parsed YAML) nor the archive pages (index.html,
    # feed.xml), written after the briefs' outputs and checked elsewhere.
    return {name: p.read_bytes() for p in sorted(build.rglob("*"))
            if p.is_file() and not (name := p.relative_to(build).as_posix()).startswith(".cache/")
            and name not in ARCHIVE_FILES}


def inputs(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.relative_to(root).as_posix().startswith("build/")}


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """What an undisturbed build writes (outputs are reproducible), and the
    numbered steps of that build."""
    base = tmp_path_factory.mktemp("reference")
    root = fresh(base / "project")
    traced = run_guarded(root, "build", log=base / "guard.log", trace=True)
    assert traced.returncode == 0, traced.stderr
    files = {name: data for name, data in outputs(root).items() if not name.endswith(MANIFEST)}
    # The map beside the Markdown (docs/maps.md) is one more output, staged and renamed like the others.
    assert sorted(files) == [f"{BRIEF}/{BRIEF}.{fmt}" for fmt in ("html", "map.svg", "md", "pdf")]
    # Every output's temporary file is a step, though threads stage them:
    # the fault specs below count on the same numbering in every run.
    staged = sorted(step.rsplit(".", 2)[0] for step in traced.steps
                    if step.startswith((f"write build/{BRIEF}/", f"write build/.{MANIFEST}")))
    assert staged == ["write build/..secbrief-manifest.json"] + [
        f"write build/{BRIEF}/.{BRIEF}.{fmt}" for fmt in ("html", "map.svg", "md", "pdf")], traced.steps
    return {"files": files, "steps": traced.steps}


def step_of(steps: list[str], prefix: str, occurrence: int = 1) -> int:
    """1-based number of the n-th step starting with ``prefix``."""
    found = [n for n, step in enumerate(steps, 1) if step.startswith(prefix)]
    assert len(found) >= occurrence, (prefix, steps)
    return found[occurrence - 1]


def assert_complete_or_absent(root: Path, reference_files: dict[str, bytes], other: dict[str, bytes] = None):
    """Every file in build/ is one an undisturbed build writes (of this
    version, or of ``other``, the previous one), no temp file, and the
    manifest lists only files that are there and complete."""
    found = outputs(root)
    leftovers = [name for name in found if name.endswith(".tmp")]
    hostile_stats.record_partial([root / "build" / name for name in leftovers])
    assert leftovers == []
    partial = [name for name, data in found.items() if not name.endswith(MANIFEST)
               and data != reference_files.get(name) and (other is None or data != other.get(name))]
    hostile_stats.record_partial([root / "build" / name for name in partial])
    assert partial == [], "incomplete or foreign output"
    if MANIFEST in found:
        manifest = json.loads(found[MANIFEST])
        for brief, record in manifest["briefs"].items():
            for fmt in record["formats"]:
                assert f"{brief}/{brief}.{fmt}" in found, "the manifest lists a missing file"
    versions = {name: ("new" if data == reference_files.get(name) else "old")
                for name, data in found.items() if not name.endswith(MANIFEST)}
    assert len(set(versions.values())) <= 1, f"outputs from two builds mixed: {versions}"


def interrupt_points(steps: list[str]) -> dict[str, str]:
    """Named points of a build, and a spread of others: name -> fault spec step."""
    points = {
        "while loading inputs": str(step_of(steps, "read briefs/")),
        "after loading, before rendering": str(step_of(steps, "read templates/")),
        "mid-render (Markdown and HTML)": str(step_of(steps, "import nh3")),
        "mid-render (importing WeasyPrint)": str(step_of(steps, "import weasyprint")),
        # WeasyPrint imports these lazily, as it lays out and as it writes the PDF.
        "mid-render (PDF layout)": str(step_of(steps, "import weasyprint.document")),
        "mid-render (writing the PDF)": str(step_of(steps, "import weasyprint.pdf")),
        # The brief's outputs, not build/.cache/ (parsed YAML and compiled
        # templates, written while loading and rendering, long before
        # them). The guard
        # sees a rename just before it happens: the signal for "between
        # renames" comes as the second one starts.
        "mid-write (first temp file)": str(step_of(steps, f"write build/{BRIEF}/")),
        "mid-write (between renames)": str(step_of(steps, f"os.rename build/{BRIEF}/", 2)),
        "mid-write (before the manifest lands)": str(step_of(steps, f"os.rename build/.{MANIFEST}")),
    }
    # From the command's own start: before main() runs (Python importing the
    # CLI), no program can handle a signal yet, and Python's own handler
    # applies. main() imports the command it runs first thing, and with it
    # the pipeline.
    start = step_of(steps, "import secbrief.pipeline")
    for n in range(start, len(steps), max(1, (len(steps) - start) // 6)):
        points.setdefault(f"step {n}", str(n))
    return points


def _points():
    # Parametrized at collection time from a fixed list of names; the steps
    # themselves come from the traced reference build.
    return ["while loading inputs", "after loading, before rendering", "mid-render (Markdown and HTML)",
            "mid-render (importing WeasyPrint)", "mid-render (PDF layout)", "mid-render (writing the PDF)",
            "mid-write (first temp file)",
            "mid-write (between renames)", "mid-write (before the manifest lands)"]


def interrupted_build(root: Path, log: Path, fault: str, signum: int):
    result = run_guarded(root, "build", log=log, fault=fault)
    hostile_stats.record_run(result, expected_codes=(128 + signum,))
    return result


def assert_one_line_exit(result, signum: int) -> None:
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    assert result.returncode == 128 + signum, output
    name = signal.Signals(signum).name
    assert result.stderr.splitlines() == [f"secbrief: interrupted by {name}: no partial output was left"], output


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
@pytest.mark.parametrize("point", _points())
def test_interrupted_build_leaves_nothing_partial(tmp_path, reference, point, signum):
    root = fresh(tmp_path / "project")
    before = inputs(root)
    fault = f"{signal.Signals(signum).name}@{interrupt_points(reference['steps'])[point]}"
    result = interrupted_build(root, tmp_path / "guard.log", fault, signum)
    assert_one_line_exit(result, signum)
    assert_complete_or_absent(root, reference["files"])
    assert inputs(root) == before
    if signum == signal.SIGTERM:  # (once per point is enough, and builds are slow)
        # The next build is not fooled: it finishes the job, completely.
        again = run_guarded(root, "build", log=tmp_path / "guard.log")
        hostile_stats.record_run(again)
        assert again.returncode == 0, again.stderr
        assert {k: v for k, v in outputs(root).items() if not k.endswith(MANIFEST)} == reference["files"]


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_interrupts_at_a_spread_of_steps(tmp_path, reference, signum):
    """Points spread over the whole build, not only the named ones."""
    points = interrupt_points(reference["steps"])
    spread = [spec for name, spec in points.items() if name.startswith("step ")]
    # SIGINT takes the odd ones, SIGTERM the even ones: every point, half the time.
    for spec in spread[signum == signal.SIGTERM::2]:
        root = fresh(tmp_path / f"project-{spec}")
        result = interrupted_build(root, tmp_path / "guard.log", f"{signal.Signals(signum).name}@{spec}", signum)
        assert_one_line_exit(result, signum)
        assert_complete_or_absent(root, reference["files"])


def revise(root: Path) -> None:
    brief = root / "briefs" / f"{BRIEF}.yaml"
    brief.write_text(brief.read_text().replace("title: Test brief", "title: Test brief, revised"))


@pytest.fixture(scope="module")
def rebuild(tmp_path_factory, reference):
    """A built project whose brief was then edited, the outputs the edit
    should give, and the numbered steps of that rebuild."""
    base = tmp_path_factory.mktemp("rebuild")
    root = fresh(base / "project")
    assert run_guarded(root, "build", log=base / "guard.log").returncode == 0
    revise(root)
    traced_root = base / "traced"
    shutil.copytree(root, traced_root)
    traced = run_guarded(traced_root, "build", log=base / "trace.log", trace=True)
    assert traced.returncode == 0, traced.stderr
    new = {k: v for k, v in outputs(traced_root).items() if not k.endswith(MANIFEST)}
    return {"root": root, "new": new, "steps": traced.steps}


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
@pytest.mark.parametrize("rename", [1, 3], ids=["after-first-rename", "after-third-rename"])
def test_interrupted_rebuild_keeps_old_or_new_never_a_mix(tmp_path, reference, rebuild, rename, signum):
    """An edit, then a rebuild interrupted while renaming its outputs into
    place: they are all of the old build or all of the new one."""
    root = tmp_path / "project"
    shutil.copytree(rebuild["root"], root)
    # The guard sees each rename just before it happens: the signal comes as
    # the rename after the ``rename``-th starts (the fourth is the manifest's).
    step = [n for n, s in enumerate(rebuild["steps"], 1)
            if s.startswith("os.rename build/") and not s.startswith("os.rename build/.cache/")][rename]
    result = interrupted_build(root, tmp_path / "guard.log", f"{signal.Signals(signum).name}@{step}", signum)
    assert_one_line_exit(result, signum)
    assert_complete_or_absent(root, rebuild["new"], other=reference["files"])
    if signum == signal.SIGTERM and rename == 1:
        again = run_guarded(root, "build", log=tmp_path / "guard.log")
        assert again.returncode == 0, again.stderr
        assert {k: v for k, v in outputs(root).items() if not k.endswith(MANIFEST)} == rebuild["new"]


def test_signals_from_outside_at_random_moments(tmp_path, reference):
    """Ctrl-C and kill as a user sends them: from another process, at any time."""
    rng = random.Random(7)
    for attempt in range(4):
        root = fresh(tmp_path / f"project-{attempt}")
        signum = (signal.SIGINT, signal.SIGTERM)[attempt % 2]
        log = tmp_path / f"guard-{attempt}.log"
        process = start(root, "build", log=log, trace=True)
        # Once the build has begun (its first read of build/): before that,
        # Python itself is starting, and a signal is the interpreter's to handle.
        deadline = time.monotonic() + 60
        while "build/.secbrief-manifest.json" not in (log.read_text() if log.exists() else ""):
            assert time.monotonic() < deadline and process.poll() is None
            time.sleep(0.01)
        time.sleep(rng.uniform(0.0, 2.0))
        process.send_signal(signum)
        stdout, stderr = process.communicate(timeout=120)
        # 0: done before the signal; 128+n: stopped, nothing partial left; -n: the
        # signal came after the outputs were complete, and ended the process as it
        # ends any program (core.stop_signals.end_the_process_from_now_on).
        assert_guard_clean(log, stdout, stderr, process.returncode, expected=(0, 128 + signum, -signum))
        if process.returncode != 0:  # the build may have finished before the signal
            assert process.returncode in (128 + signum, -signum), stderr
            if process.returncode == 128 + signum:
                assert len(stderr.splitlines()) == 1, stderr
        assert_complete_or_absent(root, reference["files"])


def assert_guard_clean(log: Path, stdout: str, stderr: str, returncode: int, expected=(0,)) -> None:
    """For runs started with guard.start: count them, and no traceback,
    outside read or network request."""
    result = Guarded(subprocess.CompletedProcess([], returncode, stdout, stderr), read_log(log))
    hostile_stats.record_run(result, expected_codes=expected)
    assert "Traceback" not in stdout + stderr
    assert returncode in expected and "internal error" not in stdout + stderr, (returncode, stdout, stderr)
    assert result.outside == [] and result.network == []


# --- output folder faults ------------------------------------------------------------------

def failed_build(root: Path, log: Path, fault: str | None = None):
    result = run_guarded(root, "build", log=log, fault=fault)
    hostile_stats.record_run(result)
    assert "Traceback" not in result.stdout + result.stderr
    assert result.returncode in (0, 1, 2) and "internal error" not in result.stdout + result.stderr, result
    assert result.returncode == 1, result.stdout + result.stderr
    assert len(result.stderr.splitlines()) == 1, result.stderr
    return result.stderr.strip()


def test_build_folder_is_a_file(tmp_path):
    root = fresh(tmp_path / "project")
    (root / "build").write_text("not a folder\n")
    line = failed_build(root, tmp_path / "guard.log")
    assert line == "build: error: cannot write output: 'build' exists and is not a folder"
    assert (root / "build").read_text() == "not a folder\n"


def test_brief_folder_is_a_file(tmp_path):
    root = fresh(tmp_path / "project")
    (root / "build").mkdir()
    (root / "build" / BRIEF).write_text("not a folder\n")
    line = failed_build(root, tmp_path / "guard.log")
    assert line == f"build/{BRIEF}: error: cannot write output: 'build/{BRIEF}' exists and is not a folder"
    assert sorted(outputs(root)) == [BRIEF]


@pytest.mark.parametrize("fault,reason", [
    ("EACCES@build/", "Permission denied; the output folder must be writable"),
    ("ENOSPC@build/", "No space left on device; free some space and build again"),
], ids=["permission-denied", "disk-full-half-way"])
def test_output_folder_refuses_writes(tmp_path, reference, rebuild, fault, reason):
    """Permission denied, or a disk that fills up half-way through a file,
    simulated by the guard (tests run as root, whom chmod does not stop):
    one line, the half-written temp file removed, earlier outputs untouched."""
    root = tmp_path / "project"
    shutil.copytree(rebuild["root"], root)  # built, then edited: the build must write
    before = outputs(root)
    line = failed_build(root, tmp_path / "guard.log", fault=fault)
    assert line == f"build/{BRIEF}/{BRIEF}.md: error: cannot write output: {reason}"
    assert outputs(root) == before
    assert_complete_or_absent(root, reference["files"])


def test_unwritable_output_folder_for_real(tmp_path):
    """The same with a real read-only folder: a read-only mount as root,
    chmod otherwise."""
    root = fresh(tmp_path / "project")
    build = root / "build"
    build.mkdir()
    mounted = False
    if os.geteuid() == 0:
        mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(build)],
                                 capture_output=True).returncode == 0
        if not mounted:
            pytest.skip("running as root without permission to mount: chmod would not stop root")
    else:
        build.chmod(0o555)
    try:
        line = failed_build(root, tmp_path / "guard.log")
        assert line.startswith(f"build/{BRIEF}: error: cannot write output: ")
        assert line.endswith("; the output folder must be writable")
        assert outputs(root) == {}
    finally:
        if mounted:
            subprocess.run(["umount", str(build)], check=True)
        else:
            build.chmod(0o755)


def test_disk_full_for_real(tmp_path):
    """A real 16 kB file system for build/: the PDF does not fit."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tiny tmpfs needs root")
    root = fresh(tmp_path / "project")
    build = root / "build"
    build.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", str(build)],
                      capture_output=True).returncode != 0:
        pytest.skip("no permission to mount")
    try:
        line = failed_build(root, tmp_path / "guard.log")
        assert line.startswith(f"build/{BRIEF}/{BRIEF}.")
        assert line.endswith("cannot write output: No space left on device; free some space and build again")
        assert outputs(root) == {}  # neither the files that fitted nor a temp file
        assert [p.name for p in build.iterdir()] in ([], [".cache"])  # not even the brief's folder (build/.cache is no output)
    finally:
        subprocess.run(["umount", str(build)], check=True)


# --- two builds at once ----------------------------------------------------------------------

@pytest.mark.parametrize("force", [False, True], ids=["fresh", "forced-over-existing"])
def test_two_builds_at_once(tmp_path, reference, force):
    root = fresh(tmp_path / "project")
    if force:
        assert run_guarded(root, "build", log=tmp_path / "first.log").returncode == 0
    args = ("build", "--force") if force else ("build",)
    for attempt in range(2):
        logs = [tmp_path / f"guard-{attempt}-{i}.log" for i in range(2)]
        processes = [start(root, *args, log=log) for log in logs]
        for log, process in zip(logs, processes):
            stdout, stderr = process.communicate(timeout=300)
            assert process.returncode == 0, stderr
            assert_guard_clean(log, stdout, stderr, process.returncode)
        assert_complete_or_absent(root, reference["files"])
        assert {k: v for k, v in outputs(root).items() if not k.endswith(MANIFEST)} == reference["files"]
        manifest = json.loads((root / "build" / MANIFEST).read_text())
        assert set(manifest["briefs"]) == {BRIEF}
    # The manifest both wrote is one a later build can trust.
    again = run_guarded(root, "build", log=tmp_path / "again.log")
    assert again.returncode == 0 and "nothing to do" in again.stdout


def test_write_all_holds_a_signal_that_lands_on_another_thread(tmp_path, monkeypatch):
    """A signal sent to the process may be taken by any thread (GLib starts
    some); the files still all land before the interrupt is raised."""
    import threading

    from secbrief.core import atomic

    real_replace = os.replace
    renamed = []
    go, sent = threading.Event(), threading.Event()

    def send():  # a thread that exists before the write starts, as GLib's do
        go.wait()
        os.kill(os.getpid(), signal.SIGINT)
        sent.set()

    sender = threading.Thread(target=send, daemon=True)
    sender.start()

    def replace(source, target):
        if not renamed:  # between the first and the second rename
            go.set()
            sent.wait(5)
            time.sleep(0.05)  # give the main thread many chances to run a handler
        real_replace(source, target)
        renamed.append(target)

    monkeypatch.setattr(atomic.os, "replace", replace)
    files = {tmp_path / "out" / f"{name}.txt": name.encode() * 1000 for name in ("a", "b", "c")}
    # Ctrl-C as in a terminal (a test run in the background inherits it ignored).
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(KeyboardInterrupt):
            atomic.write_all(files)
    finally:
        signal.signal(signal.SIGINT, previous)
    assert len(renamed) == 3
    assert {path: path.read_bytes() for path in files} == files
    assert [p.name for p in (tmp_path / "out").iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_that_lands_where_python_drops_exceptions_still_stops_the_command(mini, monkeypatch, capsys,
                                                                                  signum):
    """A stop signal whose handler runs inside a weakref callback (importlib
    uses them for its module locks; seen once in the random-moment test)
    raises where Python can only print "Exception ignored" and go on. The
    command must still end as interrupted, without a traceback."""
    import weakref

    from secbrief import cli
    from secbrief.commands import check

    def check_hit_by_a_signal(args):
        class Thing:
            pass

        thing = Thing()
        ref = weakref.ref(thing, lambda _: signal.raise_signal(signum))  # noqa: F841 - kept alive on purpose
        del thing  # the callback runs now, and the handler inside it
        return 0

    previous = {n: signal.getsignal(n) for n in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)}
    signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a terminal
    monkeypatch.setattr(check, "run", check_hit_by_a_signal)
    try:
        code = cli.main(["-C", str(mini), "check"])
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    err = capsys.readouterr().err
    assert code == 128 + signum
    assert f"interrupted by {signal.Signals(signum).name}" in err
    assert "Traceback" not in err and "Exception ignored" not in err
