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
    """Write every file; each one atomically."""
    for path, data in files.items():
        atomic_write(path, data)
