"""Progress while a build renders many files.

On a terminal (stderr is a tty) one line redraws itself: a bar, the count
and the file being rendered; it is erased when the build is done, so the
terminal keeps only the "built ..." lines. Elsewhere (CI logs, pipes) plain
lines instead, since carriage returns make logs unreadable: the first file,
each tenth of the way, and the last, so 1,000 files make a dozen lines.
Builds of a few files show nothing extra: they finish before a bar helps.
"""

from __future__ import annotations

import sys
from typing import TextIO

THRESHOLD = 4   # files; at or below it, stay quiet
BAR_WIDTH = 24


class Progress:
    def __init__(self, total: int, stream: TextIO | None = None, threshold: int = THRESHOLD):
        self.total = total
        self.done = 0
        self.stream = stream if stream is not None else sys.stderr
        self.active = total > threshold
        isatty = getattr(self.stream, "isatty", None)
        self.live = self.active and bool(isatty and isatty())
        self._width = 0

    def advance(self, what: str) -> None:
        """Call once a file is rendered."""
        self.done += 1
        if not self.active:
            return
        if self.live:
            filled = BAR_WIDTH * self.done // self.total
            line = (f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {self.done}/{self.total} "
                    f"rendered {what}")[:120]
            self.stream.write("\r" + line.ljust(self._width))
            self._width = len(line)
        elif self.done in (1, self.total) or self.done * 10 // self.total > (self.done - 1) * 10 // self.total:
            self.stream.write(f"rendered {self.done}/{self.total}: {what}\n")
        self.stream.flush()

    def close(self) -> None:
        if self.live and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
            self._width = 0

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
