"""PyYAML's syntax errors in secbrief's words.

PyYAML has two parsers that say the same thing differently: libyaml's (C)
writes "did not find expected ',' or ']'" where the pure-Python one writes
"expected ',' or ']', but got ':'". Which one a user gets depends on how
their PyYAML was built, and libyaml's wording changes between releases. The
message a user reads, and the tests, must not: every known wording of
either parser is translated here into one sentence, at one position.
"""

from __future__ import annotations

import re

import yaml

# (pattern on the parser's problem, the context it must come with or None,
# secbrief's words). libyaml's words are the model, so that messages read as
# they did before the pure-Python parser was considered.
_PROBLEMS: list[tuple[re.Pattern, str | None, str]] = [
    (re.compile(r"(?:did not find )?expected (',' or '[\]}]')(?:, but got .*)?$"), None, r"did not find expected \1"),
    (re.compile(r"mapping (values|keys) are not allowed (?:here|in this context)$"), None,
     r"mapping \1 are not allowed in this context"),
    (re.compile(r"expected <block end>, but found .*$"), "while parsing a block mapping", "did not find expected key"),
    (re.compile(r"expected <block end>, but found .*$"), "while parsing a block collection",
     "did not find expected '-' indicator"),
    (re.compile(r"found character .*that cannot start any token$"), None, "found character that cannot start any token"),
    (re.compile(r"found undefined alias\b.*$"), None, "found undefined alias"),
    (re.compile(r"(?:did not find )?expected alphabetic or numeric character(?:, but found .*)?$"), None,
     "did not find expected alphabetic or numeric character"),
    (re.compile(r"(?:did not find the )?expected '>'(?:, but found .*)?$"), None, "did not find the expected '>'"),
    (re.compile(r"(?:did not find )?expected (?:the )?node content(?:, but found .*)?$"), None,
     "did not find expected node content"),
    (re.compile(r"(?:did not find )?expected '?<document start>'?(?:, but found .*)?$"), None,
     "did not find expected <document start>"),
    (re.compile(r"expected chomping or indentation indicators, but found .*$"), None,
     "did not find expected comment or line break"),
    (re.compile(r"found unknown escape character\b.*$"), None, "found unknown escape character"),
]

TAB_HINT = "tab character; indent YAML with spaces, not tabs"


def syntax_error(exc: yaml.YAMLError, text: str) -> tuple[int, int, str]:
    """Line, column (1-based) and secbrief's message for a YAML error."""
    if isinstance(exc, yaml.reader.ReaderError):  # a character YAML does not allow, e.g. a control character
        before = text[:exc.position]
        line, col = before.count("\n") + 1, exc.position - (before.rfind("\n") + 1) + 1
        return line, col, f"YAML syntax error: character U+{exc.character:04X} is not allowed in YAML"
    if not isinstance(exc, yaml.MarkedYAMLError):
        return 1, 1, f"YAML error: {exc}"
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = exc.problem or exc.context or "invalid YAML"
    for pattern, context, words in _PROBLEMS:
        if (context is None or exc.context == context) and pattern.match(problem):
            if words == "found unknown escape character" and col > 1 and _char_at(text, line - 1, col - 2) == "\\":
                col -= 1  # the pure-Python parser points after the backslash, libyaml at it
            problem = pattern.sub(words, problem)
            break
    if exc.context and problem.startswith("but "):  # "but found another document": say what was expected
        problem = f"{exc.context}, {problem}"
    if problem == "did not find expected ',' or '}'" and mark and (missing := _missing_comma(text, mark)):
        line, col, key = missing
        problem += f": a comma is missing before '{key}'"
    if problem.startswith("mapping values are not allowed"):
        problem += "; check this line's indentation, or quote a value that contains ': '"
    if mark and _char_at(text, mark.line, mark.column) == "\t":
        problem = TAB_HINT
    return line, col, f"YAML syntax error: {problem}"


def _missing_comma(text: str, mark) -> tuple[int, int, str] | None:
    """Where a comma was left out of a flow mapping, ``{killed: 3 injured: 2}``:
    the value before ran on into the next key, and the parser stops at that
    key's ':'. The line, column (1-based) and text of that key, or None."""
    lines = text.split("\n")
    if _char_at(text, mark.line, mark.column) != ":" or "}" not in lines[mark.line][mark.column:]:
        return None  # not a key's ':', or no '}' after it (then the mapping was never closed)
    before = "\n".join(lines[:mark.line] + [lines[mark.line][:mark.column]])
    entry = before[max(before.rfind("{"), before.rfind(",")) + 1:]
    # The entry holds "key: value key": a finished pair, then the next key.
    match = re.search(r":\s+\S.*?\s(\S+)\s*$", entry, flags=re.DOTALL)
    if not match or any(c in match.group(1) for c in "\"'[]{}:"):
        return None
    start = len(before) - len(entry) + match.start(1)
    line = before.count("\n", 0, start)
    return line + 1, start - (before.rfind("\n", 0, start) + 1) + 1, match.group(1)


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n")
    if 0 <= line < len(lines) and 0 <= column < len(lines[line]):
        return lines[line][column]
    return ""
