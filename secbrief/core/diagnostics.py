"""Diagnostics and the one exception family the CLI catches.

Every problem a user can cause becomes a Diagnostic, printed as
``path:line:col: severity: message`` so editors and CI can jump to it.
"""

from __future__ import annotations

import re
from collections import namedtuple

# No dataclasses in the modules a no-op build imports (this one, project,
# build, gitinfo): importing dataclasses imports inspect, 12-15 ms of a
# no-op build that must stay within three Python start-ups.

_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")

ERROR = "error"
WARNING = "warning"


class Diagnostic(namedtuple("Diagnostic", "path line col message severity code",
                            defaults=(ERROR, "SB000"))):
    """One problem at a place: immutable, ordered by path, line, column,
    message, severity, code (as sorted() shows them)."""

    __slots__ = ()

    def __str__(self) -> str:
        line = f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message}"
        # Messages quote what was written; a control or bidi character from a
        # hostile file must not move the cursor, retitle the terminal or
        # reorder the line: show it escaped, as \x1b or \u202e.
        return printable(line)


def printable(text: str) -> str:
    """``text`` with every control, terminal-escape and bidi character shown
    escaped (\\x1b, \\u202e): for any value from input or from a server that
    goes to the terminal."""
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


class SecbriefError(Exception):
    """Base of every error a user can cause. The CLI prints it and exits."""

    exit_code = 1


class UsageError(SecbriefError):
    """Wrong command-line usage: exit 2 (the README lists the exit codes)."""

    exit_code = 2


class ProblemsFound(SecbriefError):
    """Input did not validate; carries every diagnostic found."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = sorted(diagnostics)
        super().__init__(f"{len(self.diagnostics)} problem(s) found")


class Report:
    """Collects diagnostics across files so one run reports all of them."""

    def __init__(self, diagnostics: list[Diagnostic] | None = None):
        self.diagnostics: list[Diagnostic] = [] if diagnostics is None else diagnostics

    def __repr__(self) -> str:
        return f"Report(diagnostics={self.diagnostics!r})"

    def add(self, path, line, col, message, severity=ERROR, code="SB000") -> None:
        self.diagnostics.append(Diagnostic(str(path), line, col, message, severity, code))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == WARNING]

    def raise_if_errors(self) -> None:
        if self.errors:
            raise ProblemsFound(self.diagnostics)
