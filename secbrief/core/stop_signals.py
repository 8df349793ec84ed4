"""Stop signals: SIGINT, SIGTERM and SIGHUP, all handled as Ctrl-C.

A command that is stopped unwinds as for Ctrl-C: files being written are
removed (secbrief.core.atomic holds the signals while it renames), forked
helpers ignore them and are ended by their parent (secbrief.core.fork), and
nothing partial stays. The CLI installs the handlers (install) and, once its
command is done, lets a late signal end the process as it ends any program.
"""

from __future__ import annotations

import contextlib
import signal
import sys
import threading

from secbrief.core.diagnostics import say

# The signals that stop secbrief, as this platform has them.
STOP_SIGNALS = frozenset(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


class Interrupted(KeyboardInterrupt):
    """SIGINT, SIGTERM or SIGHUP, all handled as Ctrl-C: the build
    unwinds, secbrief.core.atomic removes its temporary files, nothing partial stays."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


# The stop signals received during this run of main(). The exception alone
# can be lost: pydantic-core, building the models' validators at import,
# catches a KeyboardInterrupt raised in its callbacks and raises SchemaError
# instead (seen as an "internal error", exit 3), and a __del__ cannot raise
# at all (Python prints the interrupt with a traceback and carries on).
received: list[int] = []


def _interrupt(signum, frame):
    received.append(signum)
    raise Interrupted(signum)


def install() -> None:
    """Every stop signal raises Interrupted (in the main thread)."""
    for number in STOP_SIGNALS - {signal.SIGINT}:
        signal.signal(number, _interrupt)
    # SIGINT too, when it has Python's own handler (not when inherited as
    # ignored): the same KeyboardInterrupt, but remembered.
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, _interrupt)


def remember_swallowed_interrupts(previous):
    """An unraisable-exception hook: an interrupt raised in a __del__ is
    already in received, and main() reports it; no traceback for it."""
    def hook(unraisable):
        if not (isinstance(unraisable.exc_value, KeyboardInterrupt) and received):
            previous(unraisable)
    return hook


def handled() -> None:
    """The command ends on a stop signal by design, and has cleaned up
    (``secbrief serve`` runs until Ctrl-C): main() returns the command's
    exit code instead of reporting an interruption."""
    del received[:]


def report_interrupted(signum: int) -> int:
    """Say which signal stopped the command; the exit code for it."""
    say(f"secbrief: interrupted by {signal.Signals(signum).name}: no partial output was left", file=sys.stderr)
    return 128 + signum


def end_the_process_from_now_on() -> None:
    """The command is done: its outputs are complete, or untouched. A stop
    signal from now on, while the interpreter shuts down (atexit callbacks
    join threads, flush logs), ends the process as it ends any program,
    instead of raising KeyboardInterrupt there, which Python reports with
    a traceback. Only when main() is the program (argv None): a caller in
    the same process keeps its handlers. Ignored signals stay ignored."""
    for number in STOP_SIGNALS:
        if signal.getsignal(number) not in (signal.SIG_IGN, None):
            signal.signal(number, signal.SIG_DFL)
    for stream in (sys.stdout, sys.stderr):  # what was printed survives a signal that now kills
        try:
            stream.flush()
        except (OSError, ValueError):
            pass  # a closed pipe: the interpreter reports it at exit, as before


@contextlib.contextmanager
def held():
    """Hold the stop signals for a moment that must not be cut (files
    written and renamed; C extensions imported, which print an exception
    raised inside them instead of passing it on), then deliver the first
    one to the handler the program had (Interrupted, see above).

    Done with Python-level handlers, not a signal mask: a mask is per
    thread, and a signal sent to the process may land on any thread (Pango
    and GLib start some); Python runs every handler in the main thread."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set handlers; a worker writes unprotected
        return
    pending: list[int] = []
    previous = {number: signal.signal(number, lambda signum, frame: pending.append(signum))
                for number in STOP_SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        if pending:
            signal.raise_signal(pending[0])
