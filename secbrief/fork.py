"""Share work between this process and forked copies of it.

A build's most expensive step, rendering PDFs, is independent per brief.
``fork_map`` runs such work in this process and in up to ``jobs - 1``
helpers forked from it: a helper starts with everything this process has
already loaded (WeasyPrint above all), so nothing is pickled on the way in
and nothing is imported twice; only each result comes back. Where the
platform has no fork, the work runs here, one key after another.

(Markdown and HTML were tried this way too: at 500 briefs the copy-on-write
and result traffic cost about a fifth of the rendering, so on a busy
machine it was slower and on an idle one it saved under a second of ten.)
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")

_work: Callable | None = None  # the function helpers run: inherited through fork, never pickled

# Stopping is the parent's job (cli.py, write.py): it cancels what is left,
# waits for what helpers are rendering, and leaves build/ complete or as it
# was. Helpers get Ctrl-C too (a terminal signals the whole process group),
# and one that raised KeyboardInterrupt would print a traceback: from its
# idle loop, or from a __del__ (WeasyPrint's FontConfiguration has one),
# which cannot raise at all. So helpers ignore these signals.
_STOP_SIGNALS = {getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)}


def default_jobs() -> int:
    return os.cpu_count() or 1


def fork_map(work: Callable[[str], T], keys: Iterable[str], jobs: int | None = None) -> dict[str, T]:
    """``work(key)`` for every key, as a dict in the order of ``keys``.

    Helpers take keys from the front of the list, this process from the
    back, until they meet, so the load evens out whatever each key costs.
    Results must not depend on which process computed them; callers test
    that.
    """
    global _work
    import multiprocessing

    keys = list(keys)
    helpers = min(max(1, jobs or default_jobs()), len(keys)) - 1
    if helpers < 1 or "fork" not in multiprocessing.get_all_start_methods():
        return {key: work(key) for key in keys}
    from concurrent.futures import ProcessPoolExecutor

    results: dict[str, T] = {}
    _work = work
    # Frozen objects are skipped by the collector, so helpers do not copy
    # every page of the corpus just to scan it.
    gc.freeze()
    try:
        with ProcessPoolExecutor(max_workers=helpers, mp_context=multiprocessing.get_context("fork"),
                                 initializer=_leave_stopping_to_the_parent) as pool:
            futures = {}
            try:
                with _stop_signals_blocked():  # helpers are forked in the first submit()
                    for key in keys:
                        futures[key] = pool.submit(_run, key)
                for key in reversed(keys):
                    if futures[key].cancel():  # fails once a helper has the key
                        results[key] = work(key)
                for key in keys:
                    if key not in results:
                        results[key] = futures[key].result()
            except BaseException:
                for future in futures.values():
                    future.cancel()
                raise
    finally:
        _work = None
        gc.unfreeze()
    return {key: results[key] for key in keys}


def _run(key: str):
    return _work(key)


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
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _leave_stopping_to_the_parent() -> None:
    """First thing in every helper (see _STOP_SIGNALS)."""
    for number in _STOP_SIGNALS:
        signal.signal(number, signal.SIG_IGN)  # also drops one that arrived while blocked
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
