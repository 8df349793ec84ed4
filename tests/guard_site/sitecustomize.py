"""Test-only guard for secbrief runs: never part of the package.

Python imports ``sitecustomize`` at start-up from the first folder on
sys.path that has one; tests/guard.py puts this folder first on PYTHONPATH
for the command it runs. With SECBRIEF_GUARD_LOG unset it does nothing.

It installs an audit hook (PEP 578), which sees every file open and every
network call made from Python code, including WeasyPrint's URL fetches,
and appends one JSON line per finding to $SECBRIEF_GUARD_LOG:

  {"kind": "outside", "path": ..., "write": bool}  a file opened outside the
        project ($SECBRIEF_GUARD_ROOT) and outside the allow-list
        ($SECBRIEF_GUARD_ALLOW, os.pathsep-separated prefixes; see guard.py)
  {"kind": "network", "event": ..., "args": ...}   any socket connect,
        name lookup or URL request
  {"kind": "step", "n": ..., "step": ...}          (SECBRIEF_GUARD_TRACE=1)
        the build's observable steps, numbered: opens and renames inside the
        project, imports of the pipeline's libraries, WeasyPrint's own files

PyYAML without libyaml, for the hostile suite's second parser:

  SECBRIEF_GUARD_NO_LIBYAML=1   importing yaml._yaml (libyaml's bindings)
                                fails, as on a PyYAML built without it, so
                                secbrief runs on the pure-Python parser

Fault injection, for the interruption and full-disk tests:

  SECBRIEF_FAULT=SIGINT@12      send SIGINT to this process at step 12
  SECBRIEF_FAULT=EACCES@build/  opening for writing, or making a folder,
                                under build/ fails with "Permission denied"
  SECBRIEF_FAULT=ENOSPC@build/  writing a file under build/ stops half-way
                                with "No space left on device"
"""

import errno
import json
import os
import signal
import sys
import threading

_LOG = os.environ.get("SECBRIEF_GUARD_LOG")

if os.environ.get("SECBRIEF_GUARD_NO_LIBYAML") == "1":
    sys.modules["yaml._yaml"] = None  # "import yaml._yaml" now raises ImportError


def _install():
    root = os.path.realpath(os.environ["SECBRIEF_GUARD_ROOT"]) + os.sep
    allowed = tuple(os.path.realpath(p) for p in os.environ.get("SECBRIEF_GUARD_ALLOW", "").split(os.pathsep) if p)
    allowed_dirs = tuple(p + os.sep for p in allowed)
    trace = os.environ.get("SECBRIEF_GUARD_TRACE") == "1"
    fault = os.environ.get("SECBRIEF_FAULT", "")
    libraries = ("secbrief", "weasyprint", "markdown", "jinja2", "nh3", "pydyf", "tinycss2", "tinyhtml5")
    # The build stages its outputs in a pool of threads (secbrief.core.atomic), so
    # the guard's state is kept per thread: "busy" stops the hook from seeing
    # its own events, not another thread's, and a full disk fails the write
    # of the file the same thread opened. Steps are numbered under a lock, and
    # logged in the order of their numbers: every event counts, in every run.
    state = {"steps": 0}
    local = threading.local()
    lock = threading.RLock()
    log = open(_LOG, "a", buffering=1, encoding="utf-8")  # opened before the hook: not logged

    def new_lock_in_child():  # a fork copies the lock as it is: held, maybe, by a thread the child lacks
        nonlocal lock
        lock = threading.RLock()

    os.register_at_fork(after_in_child=new_lock_in_child)

    signal_name, _, at = fault.partition("@")
    fault_signal = getattr(signal, signal_name, None) if signal_name.startswith("SIG") else None
    fault_step = at
    fault_errno = getattr(errno, signal_name, None) if signal_name.startswith("E") else None

    def write(record):
        with lock:
            log.write(json.dumps(record) + "\n")

    def inside(path):
        return (path + os.sep).startswith(root) or path.startswith(root)

    def step(description):
        with lock:
            state["steps"] += 1
            number = state["steps"]
            if trace:
                write({"kind": "step", "n": number, "step": description})
        if fault_signal is not None and str(number) == fault_step:
            os.kill(os.getpid(), fault_signal)

    def opened(path, mode, flags):
        if isinstance(path, int):
            return
        path = os.path.abspath(os.fsdecode(path))
        if path.startswith(allowed_dirs) and not path.startswith(root):
            # The interpreter's own files, most opens: no costly realpath. WeasyPrint's
            # stylesheets are read when it lays out the PDF: a step for fault tests.
            if "/weasyprint/" in path and not path.endswith((".py", ".pyc")):
                step(f"read {os.path.basename(path)}")
            return
        real = os.path.realpath(path)
        writing = ("w" in (mode or "") or "a" in (mode or "") or "x" in (mode or "") or "+" in (mode or "")
                   or bool(flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT)))
        if inside(real):
            relative = real[len(root):]
            if fault_errno is not None and writing and relative.startswith(at):
                if fault_errno == errno.ENOSPC:
                    local.full_disk = True  # this thread's next os.fdopen writes half, then fails
                else:
                    raise OSError(fault_errno, os.strerror(fault_errno), path)
            step(f"{'write' if writing else 'read'} {relative}")
            return
        if any(real == p or real.startswith(p + os.sep) for p in allowed):
            return
        # A brand-new file (O_EXCL) has no bytes to read: ctypes.util.find_library,
        # run when WeasyPrint loads Pango, makes scratch files in the temp
        # folder (NamedTemporaryFile reports opening the folder itself).
        if (flags & os.O_CREAT and flags & os.O_EXCL) or os.path.isdir(real):
            return
        write({"kind": "outside", "path": real, "write": writing})

    watched = {"open", "socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr",
               "socket.sendto", "socket.sendmsg", "urllib.Request", "http.client.connect", "os.rename", "os.replace",
               "os.mkdir", "os.remove", "os.rmdir", "import"}

    def hook(event, args):
        if event not in watched or getattr(local, "busy", False):  # the hook sees every event: stay cheap
            return
        local.busy = True
        try:
            if event == "open":
                opened(args[0], args[1], args[2] or 0)
            elif event == "urllib.Request" and str(args[0]).lower().startswith(("data:", "file:")):
                pass  # WeasyPrint decodes data: URIs with urllib; file: reads show up as "open"
            elif event.startswith(("socket.", "urllib.", "http.")):
                write({"kind": "network", "event": event, "args": repr(args)[:200]})
            elif event in ("os.rename", "os.replace", "os.mkdir", "os.remove", "os.rmdir"):
                path = os.path.realpath(os.fsdecode(args[0]))
                if inside(path):
                    relative = path[len(root):]
                    if event == "os.mkdir" and fault_errno == errno.EACCES and relative.startswith(at):
                        raise OSError(fault_errno, os.strerror(fault_errno), args[0])
                    step(f"{event} {relative}")
            elif event == "import" and args[0].split(".")[0] in libraries:
                step(f"import {args[0]}")
        finally:
            local.busy = False

    if fault_errno == errno.ENOSPC:
        real_fdopen = os.fdopen

        class HalfWritten:
            """A file on a disk that fills up half-way through the write."""

            def __init__(self, handle):
                self._handle = handle

            def write(self, data):
                self._handle.write(data[: len(data) // 2])
                self._handle.flush()
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self._handle.close()

            def __getattr__(self, name):
                return getattr(self._handle, name)

        def fdopen(fd, *args, **kwargs):
            handle = real_fdopen(fd, *args, **kwargs)
            if getattr(local, "full_disk", False):
                local.full_disk = False
                return HalfWritten(handle)
            return handle

        os.fdopen = fdopen

    sys.addaudithook(hook)


if _LOG:
    _install()
