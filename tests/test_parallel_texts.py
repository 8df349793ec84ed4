"""Markdown and HTML rendered across processes (-j): the same bytes, the
same errors and the same progress as in one process; helpers only when a
build has enough briefs to pay for them."""

import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from conftest import REPO, copy_project, run
from secbrief.core import fork
from secbrief.pipeline import textbatch


def texts(root):
    build = root / "build"
    return {p.relative_to(build).as_posix(): p.read_bytes() for p in sorted(build.glob("*/*.*"))
            if p.suffix in (".md", ".html")}


def many_briefs(root):
    """The demo with each brief copied, enough for helpers to be used."""
    originals = sorted((root / "briefs").glob("*.yaml"))
    for path in originals:
        for n in range(-(-textbatch.FORK_FROM // len(originals))):
            shutil.copy(path, path.with_name(f"{path.stem}-copy-{n}.yaml"))
    count = len(list((root / "briefs").glob("*.yaml")))
    assert count >= textbatch.FORK_FROM
    return root


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    return many_briefs(copy_project(tmp_path_factory.mktemp("many") / "demo", REPO))


def copy_of(root, dest):
    shutil.copytree(root, dest, ignore=shutil.ignore_patterns("build"))
    return dest


@pytest.fixture
def renderers_record_their_pid(monkeypatch, tmp_path):
    """Every process that renders a brief's HTML writes its pid to a file
    (helpers are forks of this process: they inherit the patch)."""
    from secbrief.render.renderer import Renderer

    log = tmp_path / "pids"
    html_text = Renderer.html_text

    def recording(self, view):
        with open(log, "a") as out:
            out.write(f"{os.getpid()}\n")
        return html_text(self, view)

    monkeypatch.setattr(Renderer, "html_text", recording)
    return lambda: log.read_text().split() if log.exists() else []


def build_here(root, jobs, selection=None):
    from secbrief.pipeline.build import build
    from secbrief.core.project import Project

    return build(Project.at(root), selection, formats=("md", "html"), force=True, log=lambda line: None,
                 jobs=jobs)


def test_demo_texts_are_the_same_whatever_jobs(demo, tmp_path):
    other = copy_of(demo, tmp_path / "other")
    one = run(demo, "build", "--format", "md,html", "-j", "1")
    two = run(other, "build", "--format", "md,html", "-j", "2")
    assert one.returncode == 0 and two.returncode == 0, one.stderr + two.stderr
    assert len(texts(demo)) == 2 * len(list((demo / "briefs").glob("*.yaml")))
    assert texts(demo) == texts(other)
    assert one.stdout == two.stdout


def test_many_briefs_are_the_same_whatever_jobs_and_helpers_do_render(many, tmp_path,
                                                                     renderers_record_their_pid):
    serial = copy_of(many, tmp_path / "serial")
    parallel = copy_of(many, tmp_path / "parallel")
    one = run(serial, "build", "--format", "md,html", "-j", "1")
    assert one.returncode == 0, one.stderr
    build_here(parallel, jobs=2)
    pids = renderers_record_their_pid()
    assert len(pids) == len(list((many / "briefs").glob("*.yaml")))  # each brief rendered once
    assert str(os.getpid()) in pids  # this process rendered its share
    assert set(pids) - {str(os.getpid())}, "no helper rendered a brief"
    assert texts(serial) == texts(parallel)
    assert len(texts(serial)) == 2 * len(pids)


def test_progress_counts_every_file_when_helpers_render(many, tmp_path):
    root = copy_of(many, tmp_path / "project")
    result = run(root, "build", "--format", "md,html", "-j", "2")
    assert result.returncode == 0, result.stderr
    total = 2 * len(list((root / "briefs").glob("*.yaml")))
    lines = [line for line in result.stderr.splitlines() if line.startswith("rendered ")]
    assert lines[0].startswith(f"rendered 1/{total}: ")
    assert lines[-1].startswith(f"rendered {total}/{total}: ")
    counts = [int(line.split()[1].split("/")[0]) for line in lines]
    assert counts == sorted(counts)


@pytest.mark.parametrize("jobs", [1, 2])
def test_few_briefs_or_one_job_render_in_this_process(many, tmp_path, renderers_record_their_pid, jobs):
    root = copy_of(many, tmp_path / "project")
    few = sorted(p.stem for p in (root / "briefs").glob("*.yaml"))[:textbatch.FORK_FROM - 1]
    build_here(root, jobs=jobs, selection=few if jobs == 2 else None)
    assert set(renderers_record_their_pid()) == {str(os.getpid())}


def broken_for(root, brief_ids):
    """A template that fails, for the given briefs only."""
    path = root / "templates/_shared/base.html.j2"
    ids = ", ".join(repr(b) for b in brief_ids)
    path.write_text(f"{{% if b.id in [{ids}] %}}{{{{ 1 // 0 }}}}{{% endif %}}" + path.read_text())


def test_a_template_error_in_a_helper_reads_as_in_one_process(many, tmp_path):
    ids = sorted(p.stem for p in (many / "briefs").glob("*.yaml"))
    # The first brief is a helper's (they start at the front), the last this process's: either
    # way, the error named is the first brief's, as in one process.
    results = {}
    for jobs in ("1", "2"):
        root = copy_of(many, tmp_path / f"j{jobs}")
        broken_for(root, [ids[0], ids[-1]])
        results[jobs] = run(root, "build", "--format", "md,html", "-j", jobs)
        assert not (root / "build" / ids[1]).exists()
    one, two = results["1"], results["2"]
    assert one.returncode == 1, one.stderr
    assert f"error: ZeroDivisionError: integer division or modulo by zero (while rendering brief '{ids[0]}')" \
        in one.stderr
    assert (two.returncode, two.stdout, two.stderr) == (one.returncode, one.stdout, one.stderr)


def fails_in(index):
    def work(chunk):
        time.sleep(0.02)  # pacing, so that the helper gets the front chunks
        if chunk == [f"key-{index}"]:
            raise ValueError(f"chunk {index} failed in process {os.getpid()}")
        return [(key, os.getpid()) for key in chunk]
    return work


def test_a_helper_failure_is_raised_again_here_in_order():
    chunks = [[f"key-{n}"] for n in range(8)]
    # key-0 is a helper's: the exception comes from this process, as without helpers.
    with pytest.raises(ValueError, match=f"^chunk 0 failed in process {os.getpid()}$"):
        fork.fork_chunks(fails_in(0), chunks, jobs=2)


def test_chunks_come_back_in_order_and_each_is_reported_once():
    chunks = fork.tapered([f"key-{n}" for n in range(40)], 2)
    arrived = []
    def work(chunk):
        time.sleep(0.02)  # pacing, so that the helper gets the front chunks
        return [(key, os.getpid()) for key in chunk]

    results = fork.fork_chunks(work, chunks, jobs=2,
                               done=lambda chunk, result: arrived.append(chunk))
    assert [key for result in results for key, _ in result] == [f"key-{n}" for n in range(40)]
    assert sorted(arrived) == sorted(chunks)
    pids = {pid for result in results for _, pid in result}
    assert os.getpid() in pids and len(pids) == 2


def test_tapered_chunks_keep_every_key_in_order():
    for count, processes in [(500, 2), (24, 2), (500, 4), (7, 3), (1, 2)]:
        keys = [f"key-{n}" for n in range(count)]
        chunks = fork.tapered(keys, processes, largest=32)
        assert [key for chunk in chunks for key in chunk] == keys
        assert all(chunks) and max(map(len, chunks)) <= 32


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_stop_signal_while_helpers_render_texts(many, tmp_path, signum):
    """Ctrl-C in a terminal signals the whole process group, helpers too:
    the build stops with its one line, and leaves no output, no helper."""
    root = copy_of(many, tmp_path / "project")
    # As from a terminal: SIGINT at its default, whatever the test runner's
    # worker inherited (an ignored SIGINT stays ignored across exec).
    process = subprocess.Popen([sys.executable, "-m", "secbrief", "build", "--format", "md,html", "-j", "2"],
                               cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    first = process.stderr.readline()  # the first chunk is in: helpers are at work
    assert first.startswith("rendered 1/"), first
    try:
        os.killpg(process.pid, signum)
    except ProcessLookupError:  # (not seen: the rest of the build takes a good half second)
        pytest.skip("the build finished before the signal was sent")
    rest = process.stderr.read()
    process.wait(timeout=60)
    assert process.returncode == 128 + signum, first + rest
    assert rest.splitlines()[-1] == \
        f"secbrief: interrupted by {signal.Signals(signum).name}: no partial output was left"
    assert "Traceback" not in rest
    assert texts(root) == {} or len(texts(root)) == 2 * len(list((root / "briefs").glob("*.yaml")))
    assert [p for p in (root / "build").rglob("*.tmp")] == []


def test_helpers_are_gone_when_this_process_is_interrupted():
    import multiprocessing

    parent = os.getpid()

    def work(chunk):
        time.sleep(0.02)
        if os.getpid() == parent:
            os.kill(parent, signal.SIGINT)
        return chunk

    previous = signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a terminal
    try:
        with pytest.raises(KeyboardInterrupt):
            fork.fork_chunks(work, [[f"key-{n}"] for n in range(8)], jobs=2)
    finally:
        signal.signal(signal.SIGINT, previous)
    assert multiprocessing.active_children() == []


@pytest.mark.parametrize("jobs", [2, 4])
def test_a_helper_killed_mid_work_costs_only_its_chunks(tmp_path, jobs):
    """A helper that dies (the kernel's out-of-memory killer, a crash in a C
    library) leaves no traceback, no helper behind and no hang at exit: its
    chunks are done again in this process. Python 3.11's pool would print an
    InvalidStateError from its manager thread and strand the other helpers."""
    script = tmp_path / "die.py"
    script.write_text(
        "import os, sys, time\n"
        f"sys.path.insert(0, {str(REPO)!r})\n"
        "from secbrief.core import fork\n"
        "parent = os.getpid()\n"
        "def work(chunk):\n"
        "    if os.getpid() != parent and chunk[0] == 'c1':\n"
        "        os._exit(9)\n"
        "    time.sleep(0.05)  # this process takes (cancels) chunks before the helper dies\n"
        "    return [key.upper() for key in chunk]\n"
        f"print(fork.fork_chunks(work, [[f'c{{n}}'] for n in range(12)], jobs={jobs}))\n")
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert result.stdout == str([[f"C{n}"] for n in range(12)]) + "\n"
    assert result.stderr == ""
