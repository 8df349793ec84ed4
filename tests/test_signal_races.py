"""Signals and failures injected at the exact moments where they used to
leak something (no sleeping, no luck): a temporary file, a traceback, an
interrupt taken by the wrong process. What tests/test_faults.py promises must
hold there too: no traceback, no temporary file left, every file whole or
absent, one process deciding to stop."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from guard import _as_from_a_terminal


def test_create_new_interrupted_as_its_temporary_file_appears(tmp_path, monkeypatch):
    """`secbrief new`, `weekly` and `import acled` write analysts' files with
    create_new: Ctrl-C the moment its temporary file exists must not leave
    that file beside the analyst's YAML."""
    from secbrief.core import atomic

    real_mkstemp = atomic.tempfile.mkstemp

    def mkstemp(*args, **kwargs):
        made = real_mkstemp(*args, **kwargs)
        os.kill(os.getpid(), signal.SIGINT)
        return made

    monkeypatch.setattr(atomic.tempfile, "mkstemp", mkstemp)
    target = tmp_path / "incidents" / "2023-10-17-example.yaml"
    data = b"id: 2023-10-17-example\n" * 100
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a terminal
    try:
        with pytest.raises(KeyboardInterrupt):
            atomic.create_new(target, data)
    finally:
        signal.signal(signal.SIGINT, previous)
    assert [p.name for p in target.parent.iterdir() if p.name.endswith(".tmp")] == []
    assert not target.exists() or target.read_bytes() == data


def test_write_all_removes_what_it_staged_when_a_staging_thread_cannot_start(tmp_path, monkeypatch):
    """Out of threads half-way through handing out the files (a process
    limit, little memory): the files already given to a thread were staged
    all the same, and must be removed with the rest."""
    from concurrent.futures import ThreadPoolExecutor

    from secbrief.core import atomic

    real_submit = ThreadPoolExecutor.submit
    submitted = []

    def submit(self, fn, *args, **kwargs):
        submitted.append(fn)
        if len(submitted) == 3:
            raise RuntimeError("can't start new thread")
        return real_submit(self, fn, *args, **kwargs)

    monkeypatch.setattr(ThreadPoolExecutor, "submit", submit)
    out = tmp_path / "build"
    files = {out / f"{name}.txt": name.encode() * 1000 for name in ("a", "b", "c", "d")}
    with pytest.raises(RuntimeError):
        atomic.write_all(files)
    assert len(submitted) == 3
    assert not out.exists(), sorted(p.name for p in out.iterdir())  # no temp file, so no folder either


# Run as the program would be (main() with sys.argv), in the mini project,
# after PATCH has replaced a piece of secbrief (monkeypatch cannot reach a
# subprocess). A library or a destructor there receives the signal.
PROGRAM = """
import os, signal, sys, time
from secbrief.render import renderer
from secbrief.validate import load_corpus as validation
from secbrief.cli import main
SIGNUM = {signum}
{patch}
sys.argv = ["secbrief", "build", "--format", "md,html"]
raise SystemExit(main())
"""

# What pydantic-core does with a KeyboardInterrupt raised in a callback while
# it builds a model's validator (at import, so while a build starts): it
# raises its own SchemaError, whose text names the interrupt.
CAUGHT_BY_A_LIBRARY = """
def load_corpus(*args, **kwargs):
    try:
        os.kill(os.getpid(), SIGNUM)
        time.sleep(30)
    except KeyboardInterrupt as exc:
        raise RuntimeError(f"Error building validator: {type(exc).__name__}") from None
validation.load_corpus = load_corpus
"""

# WeasyPrint's FontConfiguration has a __del__; Python cannot raise from one.
SWALLOWED_BY_A_DESTRUCTOR = """
class Dropped:
    def __del__(self):
        os.kill(os.getpid(), SIGNUM)
        sum(range(100))
real_html_text = renderer.Renderer.html_text
def html_text(self, view):
    Dropped()
    return real_html_text(self, view)
renderer.Renderer.html_text = html_text
"""


def run_program(root, signum, patch):
    return subprocess.run([sys.executable, "-c", PROGRAM.format(signum=int(signum), patch=patch)], cwd=root,
                          capture_output=True, text=True, timeout=120, preexec_fn=_as_from_a_terminal)


def interrupted_line(signum):
    return [f"secbrief: interrupted by {signal.Signals(signum).name}: no partial output was left"]


# The signal lands while the interpreter shuts down, after main() returned:
# in an atexit callback, as in logging's or concurrent.futures' own.
AT_EXIT = """
import atexit
atexit.register(lambda: (os.kill(os.getpid(), SIGNUM), time.sleep(30)))
"""


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_while_the_program_exits_ends_it_without_a_traceback(mini, signum):
    """Ctrl-C or kill just after the command finished: the process ends as
    any program would, killed by the signal, with no "Exception ignored ...
    Traceback", and what the command printed is kept."""
    result = run_program(mini, signum, AT_EXIT)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == -signum, result.stderr
    assert "built test-brief (md, html)" in result.stdout
    assert (mini / "build/test-brief/test-brief.html").is_file()


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_an_interrupt_a_library_turns_into_its_own_error_is_still_an_interrupt(mini, signum):
    """Not "internal error ... KeyboardInterrupt" (exit 3), which a Ctrl-C
    while the models were being built gave, 1 run in 60 under load."""
    result = run_program(mini, signum, CAUGHT_BY_A_LIBRARY)
    assert result.stderr.splitlines() == interrupted_line(signum), result.stderr
    assert result.returncode == 128 + signum
    assert not (mini / "build" / "test-brief").exists()


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_an_interrupt_a_destructor_swallows_is_still_reported(mini, signum):
    """Python prints an exception raised in a __del__ ("Exception ignored
    in ...", a traceback) and carries on: the build then finishes, whole,
    and the user still hears that it was interrupted, in one line."""
    result = run_program(mini, signum, SWALLOWED_BY_A_DESTRUCTOR)
    assert result.stderr.splitlines() == interrupted_line(signum), result.stderr
    assert result.returncode == 128 + signum
    assert sorted(p.name for p in (mini / "build" / "test-brief").iterdir()) == ["test-brief.html", "test-brief.map.svg",
                                                                                    "test-brief.md"]


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_pdf_helper_leaves_stop_signals_to_the_build(signum):
    """Ctrl-C in a terminal signals every process of the group, the forked
    PDF helpers too. A helper does not act on it (it would print a
    traceback, or die under the pool): it finishes its brief, and the build
    process, which got the same signal, decides what to stop."""
    from secbrief.core.fork import fork_map

    parent = os.getpid()

    def work(key):
        if os.getpid() != parent:  # only in a helper: the build process would stop, as it should
            os.kill(os.getpid(), signum)
        return key, os.getpid()

    keys = [f"brief-{n}" for n in range(6)]
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a terminal
    try:
        done = fork_map(work, keys, jobs=2)
    except KeyboardInterrupt:  # (let through, it would end the test session)
        pytest.fail("a helper's KeyboardInterrupt reached the build process")
    finally:
        signal.signal(signal.SIGINT, previous)
    assert [done[key][0] for key in keys] == keys
    assert any(pid != parent for _, pid in done.values())  # a helper did get the signal
