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
    """Write every file, each one atomically, the outputs of a whole build at once.

    Every temporary file is written first, then all are flushed to disk
    together (the file system commits them in a few journal writes instead
    of one per file: 1,000 files one by one take seconds), then each is
    renamed over its target. Interrupted before the renames, nothing changed.
    """
    staged: list[tuple[str, Path]] = []
    renamed = 0
    try:
        for path, data in files.items():
            staged.append((_stage(path, data), path))
        if staged:
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(max_workers=min(16, len(staged))) as pool:
                for (tmp, path), error in zip(staged, pool.map(_flush, [tmp for tmp, _ in staged])):
                    if error is not None:
                        raise OutputError(f"{path}: error: cannot write output: {error}")
        for tmp, path in staged:
            try:
                os.replace(tmp, path)
            except OSError as exc:
                raise OutputError(f"{path}: error: cannot write output: {exc.strerror}") from None
            renamed += 1
    finally:
        for tmp, _ in staged[renamed:]:  # whatever was not renamed into place
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _stage(path: Path, data: bytes) -> str:
    """``data`` in a temporary file beside ``path`` (not yet flushed): its name."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(f"{path}: error: cannot write output: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise OutputError(f"{path}: error: cannot write output: {exc.strerror}") from None
        raise
    return tmp


def _flush(tmp: str) -> str | None:
    """fsync one staged file; the error text instead of raising (runs in a thread)."""
    try:
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        return exc.strerror
    return None
