"""Write an incident as YAML an analyst can read and edit, safely.

Values come from outside (an ACLED export), so the text is produced by
PyYAML's SafeDumper, never by string formatting: a quote, a colon, a '#' or
a leading '[' in a name cannot change the structure. The result is parsed
back and compared before anyone writes it.

No character core.diagnostics.shown escapes is written raw, in a value or
a comment: the text is safe to print (--dry-run shows it) and to open.
"""

from __future__ import annotations

import yaml

from secbrief.core.diagnostics import shown, yaml_comment

_STR = "tag:yaml.org,2002:str"


class _Escaping(yaml.SafeDumper):
    """SafeDumper that double-quotes a string holding a control or bidi
    character: the one style that can write it as an escape (\\e, \\u202e)."""


class _Dumper(_Escaping):
    """With block style, lists indented under their key as in the demo
    corpus, and long or multi-line text as a readable block scalar."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)

    def ignore_aliases(self, data):
        # Never '&id001'/'*id001': the data model forbids anchors, and a
        # shared date object would otherwise become one.
        return True


def _needs_escapes(value: str) -> bool:
    one_line = value.replace("\n", " ")
    return shown(one_line) != one_line


def _escaping_str(dumper: yaml.SafeDumper, value: str):
    if _needs_escapes(value):
        return dumper.represent_scalar(_STR, value, style='"')
    return dumper.represent_str(value)


def _str(dumper: yaml.SafeDumper, value: str):
    if not _needs_escapes(value):
        if "\n" in value:
            return dumper.represent_scalar(_STR, value, style="|")
        if len(value) > 70 and value == value.strip() and "  " not in value:
            # Folded: wraps at the dumper width, reads back as the same one line.
            return dumper.represent_scalar(_STR, value, style=">")
    return _escaping_str(dumper, value)


def _list(dumper: yaml.SafeDumper, value: list):
    # Short lists of words (tags) read best on one line, as in the corpus.
    short = all(isinstance(v, str) and len(v) < 40 for v in value) and sum(map(len, value)) < 60
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=short)


_Escaping.add_representer(str, _escaping_str)
_Dumper.add_representer(str, _str)
_Dumper.add_representer(list, _list)


def escaped(body: str) -> str:
    """YAML text from the dumpers here with the characters PyYAML leaves raw
    in a double-quoted scalar (bidi controls) written as escapes: every such
    character is in one (_needs_escapes), where \\u202e means the same."""
    return "\n".join(shown(line) for line in body.split("\n"))


def dump_entries(entries: list, **options) -> str:
    """Registry entries for an analyst to paste, as yaml.safe_dump writes
    them, with nothing unsafe raw."""
    return escaped(yaml.dump(entries, Dumper=_Escaping, allow_unicode=True, **options))


def dump_incident(data: dict, comments: list[str]) -> str:
    body = escaped(yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                             default_flow_style=False, width=78))
    if yaml.safe_load(body) != data:  # the dumper's promise, checked
        raise ValueError("its text does not survive YAML unchanged; the row was not imported")
    header = "".join(f"# {yaml_comment(line)}\n" for line in comments)
    return header + body
