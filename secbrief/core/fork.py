"""Share work between this process and forked copies of it.

A build renders many briefs, each independently of the others. Work is cut
into chunks of keys (brief ids); ``fork_chunks`` runs them in this process
and in up to ``jobs - 1`` helpers forked from it: a helper starts with
everything this process has already loaded (the corpus, the templates,
WeasyPrint), so nothing is pickled on the way in and nothing is imported
twice; only each chunk's results come back. Where the platform has no
fork, or ``jobs`` is 1, the work runs here, chunk after chunk.

How big a chunk is, is the caller's choice, as its cost per key is its
own. PDFs (``fork_map``) go one key at a time: a PDF costs a tenth of a
second or more, the traffic per key nothing next to it. Markdown and HTML
cost a few milliseconds a brief: handed out one brief at a time they were
tried, and the traffic ate the gain (at 500 briefs, about a fifth of the
rendering), so they go in a few contiguous chunks per process
(secbrief.pipeline.textbatch), and only for builds big enough to pay for the fork.

A failure in a helper is not passed on as it was pickled: the chunk is
rendered again here, in order, so the user gets exactly the error (and,
with --debug, the traceback) a single-process build gives.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from secbrief.core.stop_signals import STOP_SIGNALS

T = TypeVar("T")

_work: Callable | None = None  # the function helpers run: inherited through fork, never pickled

# Stopping is the parent's job (secbrief.core.stop_signals and .atomic): it cancels what is left,
# waits for what helpers are rendering, and leaves build/ complete or as it
# was. Helpers get Ctrl-C too (a terminal signals the whole process group),
# and one that raised KeyboardInterrupt would print a traceback: from its
# idle loop, or from a __del__ (WeasyPrint's FontConfiguration has one),
# which cannot raise at all. So helpers ignore the STOP_SIGNALS.


def default_jobs() -> int:
    return os.cpu_count() or 1


def processes(jobs: int | None, most: int) -> int:
    """How many processes (this one included) ``jobs`` means for ``most``
    pieces of work: at least 1, at most ``most``."""
    return max(1, min(jobs or default_jobs(), most))


def tapered(keys: Sequence[str], processes: int, smallest: int = 4, largest: int = 10**9) -> list[list[str]]:
    """``keys`` in contiguous chunks for fork_chunks: big at both ends, small
    where the helpers (from the front) and this process (from the back)
    should meet. Whoever reaches the middle first then waits for at most a
    small chunk or two (a helper may hold one it has not started), and the
    big chunks keep the traffic down. None is bigger than ``largest``: a
    stopped build waits for the chunks helpers are on, and progress moves
    a chunk at a time."""
    meet = len(keys) * (processes - 1) // processes
    sizes = (_shrinking(meet, processes - 1, smallest, largest)
             + _shrinking(len(keys) - meet, 1, smallest, largest)[::-1])
    chunks, start = [], 0
    for size in sizes:
        chunks.append(list(keys[start:start + size]))
        start += size
    return chunks


def _shrinking(total: int, workers: int, smallest: int, largest: int) -> list[int]:
    """Chunk sizes adding up to ``total``, each about half of what is left
    per worker, none under ``smallest`` (but the last) nor over ``largest``."""
    sizes = []
    while total > 0:
        size = min(total, largest, max(smallest, -(-total // (2 * max(1, workers)))))
        sizes.append(size)
        total -= size
    return sizes


def fork_map(work: Callable[[str], T], keys: Iterable[str], jobs: int | None = None) -> dict[str, T]:
    """``work(key)`` for every key, as a dict in the order of ``keys``: one
    key per chunk (see fork_chunks). Results must not depend on which
    process computed them; callers test that."""
    keys = list(keys)
    results = fork_chunks(lambda chunk: [work(chunk[0])], [[key] for key in keys], jobs)
    return {key: result[0] for key, result in zip(keys, results)}


def fork_chunks(work: Callable[[list[str]], list[T]], chunks: Sequence[list[str]], jobs: int | None = None,
                done: Callable[[list[str], list[T]], None] | None = None) -> list[list[T]]:
    """``work(chunk)`` for every chunk, as a list in the order of ``chunks``.

    Helpers take chunks from the front of the list, this process from the
    back, until they meet, so the load evens out whatever each chunk costs.
    ``done(chunk, results)`` is called in this process as each chunk's
    results are in, in whatever order they finish (progress). Results must
    not depend on which process computed them.

    An exception is the one the first failing chunk, in order, raises in
    this process, as if there were no helpers (see the module comment).
    """
    global _work
    chunks = list(chunks)
    helpers = processes(jobs, len(chunks)) - 1
    if helpers >= 1:
        import multiprocessing

        if "fork" not in multiprocessing.get_all_start_methods():
            helpers = 0
    if helpers < 1:
        return [_run_here(work, chunk, done) for chunk in chunks]
    from concurrent.futures import ProcessPoolExecutor

    results: dict[int, list[T]] = {}
    failed: dict[int, BaseException | None] = {}  # chunk -> this process's exception, or None: a helper's
    was_frozen = gc.get_freeze_count() > 0
    _work = work
    # Frozen objects are skipped by the collector, so helpers do not copy
    # every page of the corpus just to scan it. A build froze its corpus
    # already, for the rest of the build: that stays so.
    gc.freeze()
    # Results come back through threads of this process (the pool's), which
    # read each in pieces and need the interpreter lock for every piece.
    # While this process renders, the default switch interval (5 ms) lets
    # them in so rarely that a helper waits, its result half sent, for
    # longer than a chunk takes to render; so they get in sooner.
    switch = sys.getswitchinterval()
    sys.setswitchinterval(min(switch, 0.0002))
    before = set(multiprocessing.active_children())
    try:
        with _pool_bug_kept_quiet(), ProcessPoolExecutor(
                max_workers=helpers, mp_context=multiprocessing.get_context("fork"),
                initializer=_leave_stopping_to_the_parent) as pool:
            futures = {}
            try:
                with _stop_signals_blocked():  # helpers are forked in the first submit()
                    for index, chunk in enumerate(chunks):
                        futures[index] = pool.submit(_run, chunk)
                here = set()

                def collect(index: int) -> bool:
                    """A helper's chunk, once finished: False if it failed."""
                    try:
                        results[index] = futures[index].result()
                    except Exception:
                        failed[index] = None
                        return False
                    if done is not None:
                        done(chunks[index], results[index])
                    return True

                def helpers_ok() -> bool:
                    return all(collect(i) for i, f in futures.items()
                               if i not in here and i not in results and f.done())

                for index in reversed(range(len(chunks))):
                    if not helpers_ok() or not futures[index].cancel():  # fails once a helper has it
                        break
                    here.add(index)
                    try:
                        results[index] = work(chunks[index])
                    except Exception as exc:
                        failed[index] = exc
                        break
                    if done is not None:
                        done(chunks[index], results[index])
                if not failed:
                    for index in range(len(chunks)):
                        if index not in results and not collect(index):
                            break
            except BaseException:
                for future in futures.values():
                    future.cancel()
                raise
            for future in futures.values():  # after a failure: what no one started, no one does
                future.cancel()
    finally:
        _work = None
        sys.setswitchinterval(switch)
        if not was_frozen:
            gc.unfreeze()
        if failed:
            _end_stranded_helpers(before)
    if failed:
        # The chunks up to the first that fails, here, in order.
        for index, chunk in enumerate(chunks):
            if index in results:
                continue
            if failed.get(index) is not None:
                raise failed[index]
            results[index] = _run_here(work, chunk, done)
    return [results[index] for index in range(len(chunks))]


@contextlib.contextmanager
def _pool_bug_kept_quiet():
    """Python before 3.12: when a helper dies (killed for memory, say) after
    this process has cancelled the futures of chunks it took itself, the
    pool's manager thread fails on those cancelled futures
    (InvalidStateError) and Python prints its traceback. Nothing is lost:
    the failed chunks are done again here. Only that error, from that
    thread, is kept from the user."""
    import threading
    from concurrent.futures import InvalidStateError

    previous = threading.excepthook

    def hook(args):
        if not (args.exc_type is InvalidStateError and type(args.thread).__module__ == "concurrent.futures.process"):
            previous(args)

    threading.excepthook = hook
    try:
        yield
    finally:
        threading.excepthook = previous


def _end_stranded_helpers(before: set) -> None:
    """After a failure, helpers the pool's failed manager thread (above) did
    not stop would wait for work forever, and Python waits for them at
    exit: they are stopped here. Their work, if any, is done again here."""
    import multiprocessing

    for process in set(multiprocessing.active_children()) - before:
        process.kill()  # not terminate(): helpers ignore SIGTERM (STOP_SIGNALS)
        process.join(5)


def _run_here(work, chunk, done):
    result = work(chunk)
    if done is not None:
        done(chunk, result)
    return result


def _run(chunk: list[str]):
    return _work(chunk)


@contextlib.contextmanager
def _stop_signals_blocked():
    """Block the stop signals in this thread while it forks, so that a
    helper starts with them blocked: one arriving before the helper ignores
    them waits, and is then dropped, instead of running this process's
    handler in the helper. This process still gets them: the kernel hands
    them to another thread, or to this one once unblocked."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _leave_stopping_to_the_parent() -> None:
    """First thing in every helper (see STOP_SIGNALS)."""
    for number in STOP_SIGNALS:
        signal.signal(number, signal.SIG_IGN)  # also drops one that arrived while blocked
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
