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
    from secbrief import write

    real_mkstemp = write.tempfile.mkstemp

    def mkstemp(*args, **kwargs):
        made = real_mkstemp(*args, **kwargs)
        os.kill(os.getpid(), signal.SIGINT)
        return made

    monkeypatch.setattr(write.tempfile, "mkstemp", mkstemp)
    target = tmp_path / "incidents" / "2023-10-17-example.yaml"
    data = b"id: 2023-10-17-example\n" * 100
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a terminal
    try:
        with pytest.raises(KeyboardInterrupt):
            write.create_new(target, data)
    finally:
        signal.signal(signal.SIGINT, previous)
    assert [p.name for p in target.parent.iterdir() if p.name.endswith(".tmp")] == []
    assert not target.exists() or target.read_bytes() == data


def test_write_all_removes_what_it_staged_when_a_staging_thread_cannot_start(tmp_path, monkeypatch):
    """Out of threads half-way through handing out the files (a process
    limit, little memory): the files already given to a thread were staged
    all the same, and must be removed with the rest."""
    from concurrent.futures import ThreadPoolExecutor

    from secbrief import write

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
        write.write_all(files)
    assert len(submitted) == 3
    assert not out.exists(), sorted(p.name for p in out.iterdir())  # no temp file, so no folder either


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_while_the_program_exits_ends_it_without_a_traceback(mini, signum):
    """Ctrl-C or kill just after the command finished, while the interpreter
    shuts down (its atexit callbacks flush logging and join threads): the
    process ends as any program would, killed by the signal, with no
    "Exception ignored ... Traceback" and the command's output kept."""
    code = ("import atexit, os, sys, time\n"
            "from secbrief.cli import main\n"
            f"atexit.register(lambda: (os.kill(os.getpid(), {int(signum)}), time.sleep(30)))\n"
            "sys.argv = ['secbrief', 'build', '--format', 'md,html']\n"
            "raise SystemExit(main())\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=mini, capture_output=True, text=True,
                            timeout=120, preexec_fn=_as_from_a_terminal)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == -signum, result.stderr
    assert "built test-brief (md, html)" in result.stdout  # printed before the signal: not lost with the process
    assert (mini / "build/test-brief/test-brief.html").is_file()


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_pdf_helper_leaves_stop_signals_to_the_build(signum):
    """Ctrl-C in a terminal signals every process of the group, the forked
    PDF helpers too. A helper does not act on it (it would print a
    traceback, or die under the pool): it finishes its brief, and the build
    process, which got the same signal, decides what to stop."""
    from secbrief.fork import fork_map

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
