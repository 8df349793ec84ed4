"""Write step: the only code that touches build/.

Each file is written to a temporary name in the same folder, flushed, then
renamed over the target: readers see the old file or the new one, never half
of one, even if the build is killed mid-write.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from secbrief.errors import SecbriefError


class OutputError(SecbriefError):
    pass


def atomic_write(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(f"{path}: error: cannot write output: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException as exc:  # includes KeyboardInterrupt: never leave the temp file
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise OutputError(f"{path}: error: cannot write output: {exc.strerror}") from None
        raise


def write_all(files: dict[Path, bytes]) -> None:
    """Write every file, each one atomically: the outputs of a whole build.

    Each file goes to a temporary name and is flushed to disk in a pool of
    threads (the system calls wait on the disk, not on Python, and the file
    system commits many flushes together: 1,000 files one after the other
    take seconds); only when all are on disk is each renamed over its
    target. A failure or an interrupt before the renames changes nothing.
    """
    from concurrent.futures import ThreadPoolExecutor

    items = list(files.items())
    futures: list = []
    renamed = 0
    try:
        with ThreadPoolExecutor(max_workers=max(1, min(16, len(items)))) as pool:
            for path, data in items:
                futures.append(pool.submit(_stage, path, data))
        for future in futures:
            if future.exception() is not None:
                raise future.exception()
        for (path, _), future in zip(items, futures):
            try:
                os.replace(future.result(), path)
            except OSError as exc:
                raise OutputError(f"{path}: error: cannot write output: {exc.strerror}") from None
            renamed += 1
    finally:
        for future in futures[renamed:]:  # whatever was staged but not renamed into place
            if future.done() and not future.cancelled() and future.exception() is None:
                try:
                    os.unlink(future.result())
                except OSError:
                    pass


def _stage(path: Path, data: bytes) -> str:
    """``data`` on disk in a temporary file beside ``path``: its name."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(f"{path}: error: cannot write output: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fchmod(handle.fileno(), 0o644)
            os.fsync(handle.fileno())
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise OutputError(f"{path}: error: cannot write output: {exc.strerror}") from None
        raise
    return tmp
