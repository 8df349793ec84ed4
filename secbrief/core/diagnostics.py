"""Diagnostics, the one exception family the CLI catches, and the one way
text from input reaches a user.

Every problem a user can cause becomes a Diagnostic, printed as
``path:line:col: severity: message`` so editors and CI can jump to it.
Every message, path and value a user sees goes through ``shown``, so no
input can drive the terminal (docs/diagnostics.md, "How input is shown").
"""

from __future__ import annotations

import re
from collections import namedtuple

# No dataclasses in the modules a no-op build imports (this one, project,
# build, gitinfo): importing dataclasses imports inspect, 12-15 ms of a
# no-op build that must stay within three Python start-ups.

# Characters that must not reach a terminal as they are: C0 controls (tab
# and line feed too: a value must not start a line of its own), DEL and C1
# controls (they move the cursor, retitle the window, inject keystrokes),
# the bidi marks, embeddings, overrides and isolates (they reorder what is
# shown), line and paragraph separators, and lone surrogates (undecodable
# bytes of a file name, which cannot be printed at all). JSON escapes C0
# itself; the rest it leaves raw.
_RAW_IN_JSON = "\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff"
_UNSAFE = re.compile(f"[\x00-\x1f{_RAW_IN_JSON}]")
_UNSAFE_IN_JSON = re.compile(f"[{_RAW_IN_JSON}]")
_NONCHARACTERS = re.compile("[\ufffe\uffff]")

ERROR = "error"
WARNING = "warning"
# Below a warning: something an analyst may want to know (a filled field the
# brief's style does not show), never a fault; `secbrief check` alone reports
# notes, and --strict leaves them notes.
NOTE = "note"


def shown(text: object) -> str:
    """``text`` as a user may see it: each unsafe character written as a
    Python string literal writes it (\\x1b, \\t, \\u202e), the rest as it is."""
    text = str(text)
    if not _UNSAFE.search(text):
        return text
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def say(*lines: object, file=None) -> None:
    """Print ``lines`` for a user, one a line, each through ``shown``."""
    for line in lines:
        print(shown(line), file=file)


def safe_json(text: str) -> str:
    """JSON text (json.dumps(..., ensure_ascii=False)) with the unsafe
    characters JSON leaves raw written as \\u escapes: the same data when
    parsed, and nothing that drives a terminal when printed."""
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def yaml_comment(text: str) -> str:
    """``text`` for a YAML comment in a file secbrief writes for an analyst
    (secbrief weekly, secbrief import acled): one line, runs of white space
    as one space, each character ``shown`` escapes as its escape, and the
    two noncharacters YAML refuses in a file (U+FFFE, U+FFFF) as \\u
    escapes. Outside text cannot end the comment and start YAML."""
    return _NONCHARACTERS.sub(lambda m: f"\\u{ord(m.group()):04x}", shown(" ".join(text.split())))


class Diagnostic(namedtuple("Diagnostic", "path line col message severity code",
                            defaults=(ERROR, "SB000"))):
    """One problem at a place: immutable, ordered by path, line, column,
    message, severity, code (as sorted() shows them). Line and column count
    from 1; 0 means not known (a CSV row has a line, a whole file neither),
    and ``str()`` leaves it out: ``file.csv:23: error: ...``."""

    __slots__ = ()

    def __str__(self) -> str:
        where = f"{self.path}"
        if self.line:
            where += f":{self.line}" + (f":{self.col}" if self.col else "")
        return shown(f"{where}: {self.severity}: {self.message}")


class SecbriefError(Exception):
    """Base of every error a user can cause. The CLI prints it and exits.
    Its message often quotes input (an id, a file name), so ``str()`` gives
    it through ``shown``."""

    exit_code = 1
    # The Diagnostic an error made by ``at`` was worded from: its place, for
    # a caller that shows it as more than a line (secbrief serve's overlay).
    diagnostic: Diagnostic | None = None

    @classmethod
    def at(cls, path, message: str, line: int = 0, col: int = 0) -> "SecbriefError":
        """An error about one file or folder, worded as a Diagnostic is:
        ``path: error: message`` (with line and column when known)."""
        diagnostic = Diagnostic(str(path), line, col, message)
        error = cls(str(diagnostic))
        error.diagnostic = diagnostic
        return error

    def __str__(self) -> str:
        return shown(super().__str__())


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

    @property
    def notes(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == NOTE]

    def raise_if_errors(self) -> None:
        if self.errors:
            raise ProblemsFound(self.diagnostics)

    def log_warnings_then_raise(self, log) -> None:
        """For a command that goes on when there is no error: each warning
        through ``log`` (e.g. print), then every problem raised if any is
        an error."""
        for warning in self.warnings:
            log(str(warning))
        self.raise_if_errors()
