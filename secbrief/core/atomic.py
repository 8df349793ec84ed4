"""Atomic writes: every file secbrief writes goes through here (build/,
its caches, new incident and brief files, exports); tests/test_architecture.py
keeps any other module from opening a file for writing.

Each file is written in full to a temporary name in its own folder, flushed
and synced; only when every file of the build is written are they renamed
over their targets (a rename within one folder is atomic). Readers see the
old file or the new one, never half of one, and a build that fails or is
interrupted while writing leaves no temporary file behind.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shutil
import tempfile
from pathlib import Path

from secbrief.core.diagnostics import SecbriefError
from secbrief.core import stop_signals


class OutputError(SecbriefError):
    pass


def atomic_write(path: Path, data: bytes, root: Path | None = None) -> None:
    write_all({path: data}, root)


def write_cache_entry(path: Path, data: bytes) -> None:
    """A cache file (compiled templates): staged beside it and renamed, so no
    reader sees half of one, but without holding stop signals. A cache entry
    lost to Ctrl-C costs only a recompile, and a build rendering in forked
    helpers must answer Ctrl-C at once. Raises OSError."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def create_new(path: Path, data: bytes, root: Path | None = None) -> None:
    """Write a file that must not exist yet (an analyst's input file), whole
    or not at all: staged beside it, then hard-linked to its name. link()
    fails with FileExistsError if the name exists, even if it appeared a
    moment ago, so nothing is ever overwritten; callers word that error.

    Stop signals are held meanwhile, as in write_all: Ctrl-C between
    mkstemp() and the cleanup would leave the temporary file beside the
    analyst's files."""
    with stop_signals.held():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = _stage(path, data, root)
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise
        except OSError as exc:
            raise _output_error(path, exc, root) from None
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def write_all(files: dict[Path, bytes], root: Path | None = None) -> None:
    """Write every file, all or nothing as far as the system allows: stage
    each one beside its target, then rename them all, in order (so a
    manifest listed last lands last). Paths in messages are shown relative
    to ``root``."""
    staged: list[tuple[str, Path]] = []
    created: list[Path] = []
    with stop_signals.held():
        try:
            for path in files:
                created += _make_folder(path.parent, root)
            _stage_all(list(files.items()), root, staged)
            for tmp, path in staged:
                _replace(tmp, path, root)
        except BaseException:
            for tmp, _ in staged:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
            for folder in reversed(created):  # only folders this build made, and only if empty
                with contextlib.suppress(OSError):
                    folder.rmdir()
            raise


def _make_folder(folder: Path, root: Path | None) -> list[Path]:
    """Create ``folder`` and its missing parents; return those created."""
    missing = []
    current = folder
    while not current.is_dir():
        if current.exists() or current.is_symlink():
            raise OutputError.at(_shown(current, root), "cannot write output: "
                                 f"'{_shown(current, root)}' exists and is not a folder")
        missing.append(current)
        current = current.parent
    created = []
    for path in reversed(missing):
        try:
            path.mkdir()
            created.append(path)
        except FileExistsError:  # made meanwhile by a build running at the same time
            pass
        except OSError as exc:
            raise _output_error(path, exc, root) from None
    return created


def _stage(path: Path, data: bytes, root: Path | None) -> str:
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise _output_error(path, exc, root) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise _output_error(path, exc, root) from None
        raise
    return tmp


def _stage_all(items: list[tuple[Path, bytes]], root: Path | None, staged: list[tuple[str, Path]]) -> None:
    """Stage every file in a pool of threads (the system calls wait on the
    disk, not on Python, and the file system commits many flushes together:
    1,000 files one after the other take seconds). Each staged temporary is
    appended to ``staged`` as soon as it exists, so the caller removes all of
    them if any fails or the build is interrupted."""
    if len(items) <= 1:
        for path, data in items:
            staged.append((_stage(path, data, root), path))
        return
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=min(16, len(items))) as pool:
        futures = []
        failure: BaseException | None = None
        try:
            for path, data in items:
                futures.append((pool.submit(_stage, path, data, root), path))
        except BaseException as exc:  # no thread for the next file: those submitted still stage theirs
            failure = exc
        for future, path in futures:
            try:
                staged.append((future.result(), path))
            except BaseException as exc:  # keep collecting: every staged file must be known
                failure = failure or exc
        if failure is not None:
            raise failure


def _replace(tmp: str, path: Path, root: Path | None) -> None:
    try:
        os.replace(tmp, path)
    except OSError as exc:
        raise _output_error(path, exc, root) from None


def _output_error(path: Path, exc: OSError, root: Path | None) -> OutputError:
    reason = exc.strerror or str(exc)
    if exc.errno == errno.ENOSPC:
        reason += "; free some space and build again"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        reason += "; the output folder must be writable"
    return OutputError.at(_shown(path, root), f"cannot write output: {reason}")


def _shown(path: Path, root: Path | None) -> str:
    if root is not None:
        with contextlib.suppress(ValueError):
            return path.relative_to(root).as_posix()
    return str(path)


def replace_folder(dest: Path, files: dict[str, bytes]) -> None:
    """Make ``dest`` a folder holding exactly ``files`` (relative path ->
    bytes), readable by everyone: staged in a temporary folder beside it,
    then renamed into place. On any failure the stage is removed and
    ``dest`` is as it was."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{dest.name}.publish-", dir=dest.parent))
    try:
        for name, data in files.items():
            target = stage / name
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "xb") as out:
                out.write(data)
        for path in [stage, *stage.rglob("*")]:
            os.chmod(path, 0o755 if path.is_dir() else 0o644)
        _swap_into_place(stage, dest)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise


def _swap_into_place(stage: Path, dest: Path) -> None:
    """Rename the staged folder to DEST. An existing DEST is moved aside first
    and put back if the rename fails, so DEST is always whole: old or new."""
    if not dest.exists():
        os.rename(stage, dest)
        return
    aside = Path(tempfile.mkdtemp(prefix=f".{dest.name}.old-", dir=dest.parent))
    os.rmdir(aside)
    os.rename(dest, aside)
    try:
        os.rename(stage, dest)
    except BaseException:
        os.rename(aside, dest)
        raise
    shutil.rmtree(aside, ignore_errors=True)


def append_record(path: Path, line: bytes) -> None:
    """Append one record (a line of an append-only log, e.g. the delivery
    log) and sync it before returning, so what the caller does next happens
    after the record is on disk. One write() on a file opened O_APPEND: a
    crash leaves at worst a torn last line, which the reader skips; a torn
    line is first ended, so the new record stands on a line of its own."""
    assert line.endswith(b"\n") and b"\n" not in line[:-1], "one record, one line"
    with stop_signals.held():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
        except OSError as exc:
            raise _output_error(path, exc, None) from None
        try:
            size = os.fstat(fd).st_size
            if size and os.pread(fd, 1, size - 1) != b"\n":
                line = b"\n" + line
            os.write(fd, line)
            os.fsync(fd)
        except OSError as exc:
            raise _output_error(path, exc, None) from None
        finally:
            os.close(fd)


class LockBusy(SecbriefError):
    exit_code = 2


@contextlib.contextmanager
def exclusive_lock(path: Path, what: str):
    """Hold an exclusive lock on ``path`` (created if missing) for the block;
    LockBusy at once if another process holds it. The lock is the kernel's
    (flock): it ends with the process, so a crashed run leaves none behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise _output_error(path, exc, None) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise LockBusy(f"{path.name}: error: {what} is already running (it holds {path}); "
                           "wait for it to finish") from None
        yield
    finally:
        os.close(fd)
