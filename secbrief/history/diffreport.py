"""`secbrief diff` as words: for a terminal (colour only when asked or on a
terminal) or as Markdown for a pull-request comment.

Everything shown comes from YAML, git or the command line: each value goes
through core.diagnostics.shown before our own colour codes are added, so
only ours reach the terminal."""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass

from secbrief.core.diagnostics import shown
from secbrief.history.revisions import BriefDiff

CONTEXT = 6  # unchanged words kept around each change in long text

RED, GREEN, BOLD, DIM, RESET = "\x1b[31m", "\x1b[32m", "\x1b[1m", "\x1b[2m", "\x1b[0m"
_MD_SPECIAL = re.compile(r"([\\`*_~\[\]<>#|])")


def use_colour(choice: str, stream) -> bool:
    """--color auto: only on a terminal, and never when NO_COLOR is set (no-color.org)."""
    if choice == "always":
        return True
    if choice == "never":
        return False
    return stream.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


# --- word diff ------------------------------------------------------------

@dataclass
class Piece:
    kind: str  # equal, delete, insert, gap (elided unchanged words)
    words: list[str]


def word_diff(old: str, new: str, context: int = CONTEXT) -> list[Piece]:
    """Word-level difference; long unchanged runs are cut to ``context`` words each side."""
    a, b = old.split(), new.split()
    pieces: list[Piece] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            pieces.append(Piece("equal", a[i1:i2]))
        if tag in ("delete", "replace"):
            pieces.append(Piece("delete", a[i1:i2]))
        if tag in ("insert", "replace"):
            pieces.append(Piece("insert", b[j1:j2]))
    trimmed = []
    for index, piece in enumerate(pieces):
        if piece.kind != "equal" or len(piece.words) <= 2 * context:
            trimmed.append(piece)
            continue
        first, last = index == 0, index == len(pieces) - 1
        head = [] if first else piece.words[:context]
        tail = [] if last else piece.words[-context:]
        trimmed += [Piece("equal", head), Piece("gap", []), Piece("equal", tail)]
    return [p for p in trimmed if p.words or p.kind == "gap"]


def _words_text(pieces: list[Piece], colour: bool) -> str:
    out = []
    for piece in pieces:
        words = shown(" ".join(piece.words))
        if piece.kind == "gap":
            out.append("…")
        elif piece.kind == "equal":
            out.append(words)
        elif colour:
            out.append(f"{RED if piece.kind == 'delete' else GREEN}{words}{RESET}")
        else:  # git's --word-diff=plain markers
            out.append(f"[-{words}-]" if piece.kind == "delete" else f"{{+{words}+}}")
    return " ".join(out)


def _words_md(pieces: list[Piece]) -> str:
    out = []
    for piece in pieces:
        words = md_escape(" ".join(piece.words))
        out.append({"gap": "…", "equal": words, "delete": f"~~{words}~~", "insert": f"**{words}**"}[piece.kind])
    return " ".join(out)


def md_escape(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", _flat(text))


def _flat(text: str) -> str:
    """A whole value on one line, words as the word diff shows them."""
    return shown(" ".join(text.split()))


# --- the report -----------------------------------------------------------

def _judgement_rows(diff: BriefDiff) -> list[tuple[str, str, str]]:
    """(what, judgement id, detail) for added, removed and re-graded judgements."""
    rows = []
    for change in diff.judgements.changes:
        if change.kind == "new":
            rows.append(("added", change.id, change.new.grade))
        elif change.kind == "withdrawn":
            rows.append(("removed", change.id, f"was {change.old.grade}"))
        elif change.regraded:
            grading = [p for p in change.phrases if p != "statement revised"]
            rows.append(("re-graded", change.id, "; ".join(grading)))
    return rows


def _evidence_parts(change) -> list[tuple[str, str]]:
    return [("+", i) for i in change.added] + [("−", i) for i in change.removed]


def as_text(diff: BriefDiff, colour: bool = False) -> str:
    def paint(code: str, text: str) -> str:
        return f"{code}{text}{RESET}" if colour else text

    old_label, new_label = shown(diff.old.label), shown(diff.new.label)
    lines = [paint(BOLD, f"{shown(diff.path)}: {old_label} → {new_label}")]
    if diff.old.data is None:
        lines.append(f"  (the {diff.kind} does not exist in {old_label})")
    if diff.new.data is None:
        lines.append(f"  (the {diff.kind} does not exist in {new_label})")
    if diff.empty:
        lines.append(f"no change to the {diff.kind}")
        return "\n".join(lines) + "\n"
    rows = _judgement_rows(diff)
    if rows:
        lines += ["", paint(BOLD, "Key judgements")]
        for what, ident, detail in rows:
            code = {"added": GREEN, "removed": RED}.get(what, "")
            lines.append(f"  {paint(code, f'{what:<10}') if code else f'{what:<10}'} {shown(ident)}: {shown(detail)}")
    if diff.evidence:
        lines += ["", paint(BOLD, "Evidence")]
        for change in diff.evidence:
            parts = [paint(GREEN if sign == "+" else RED, f"{sign}{shown(ident)}")
                     for sign, ident in _evidence_parts(change)]
            lines.append(f"  {shown(change.owner)}: {'  '.join(parts)}")
    if diff.text:
        lines += ["", paint(BOLD, "Text")]
        for change in diff.text:
            if change.old is None:
                body = paint(GREEN, f"(added) {_flat(change.new)}") if colour else f"{{+{_flat(change.new)}+}}"
            elif change.new is None:
                body = paint(RED, f"(removed) {_flat(change.old)}") if colour else f"[-{_flat(change.old)}-]"
            else:
                body = _words_text(word_diff(change.old, change.new), colour)
            lines.append(f"  {paint(DIM, shown(change.field) + ':')} {body}")
    return "\n".join(lines) + "\n"


def as_markdown(diff: BriefDiff) -> str:
    lines = [f"### `{shown(diff.path)}`: {md_escape(diff.old.label)} → {md_escape(diff.new.label)}", ""]
    for version in (diff.old, diff.new):
        if version.data is None:
            lines += [f"The {diff.kind} does not exist in {md_escape(version.label)}.", ""]
    if diff.empty:
        return "\n".join(lines + [f"No change to the {diff.kind}.", ""])
    rows = _judgement_rows(diff)
    if rows:
        lines += ["#### Key judgements", ""]
        lines += [f"- **{what.capitalize()}** `{shown(ident)}`: {md_escape(detail)}" for what, ident, detail in rows]
        lines.append("")
    if diff.evidence:
        lines += ["#### Evidence", ""]
        for change in diff.evidence:
            parts = []
            if change.added:
                parts.append("added " + ", ".join(f"`{shown(i)}`" for i in change.added))
            if change.removed:
                parts.append("removed " + ", ".join(f"`{shown(i)}`" for i in change.removed))
            lines.append(f"- `{shown(change.owner)}`: {'; '.join(parts)}")
        lines.append("")
    if diff.text:
        lines += ["#### Text", ""]
        for change in diff.text:
            if change.old is None:
                body = f"added: **{md_escape(change.new)}**"
            elif change.new is None:
                body = f"removed: ~~{md_escape(change.old)}~~"
            else:
                body = _words_md(word_diff(change.old, change.new))
            lines.append(f"- `{shown(change.field)}`: {' '.join(body.split())}")
        lines.append("")
    return "\n".join(lines)
