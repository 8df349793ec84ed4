"""Write an incident as YAML an analyst can read and edit, safely.

Values come from outside (an ACLED export), so the text is produced by
PyYAML's SafeDumper, never by string formatting: a quote, a colon, a '#' or
a leading '[' in a name cannot change the structure. The result is parsed
back and compared before anyone writes it.
"""

from __future__ import annotations

import re

import yaml

_COMMENT_UNSAFE = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\x85]")


class _Dumper(yaml.SafeDumper):
    """SafeDumper with block style, lists indented under their key as in the
    demo corpus, and long or multi-line text as a readable block scalar."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)

    def ignore_aliases(self, data):
        # Never '&id001'/'*id001': the data model forbids anchors, and a
        # shared date object would otherwise become one.
        return True


def _str(dumper: yaml.SafeDumper, value: str):
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    if len(value) > 70 and value == value.strip() and "  " not in value:
        # Folded: wraps at the dumper width, reads back as the same one line.
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=">")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


def _list(dumper: yaml.SafeDumper, value: list):
    # Short lists of words (tags) read best on one line, as in the corpus.
    short = all(isinstance(v, str) and len(v) < 40 for v in value) and sum(map(len, value)) < 60
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=short)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(list, _list)


def comment_line(text: str) -> str:
    """One '# ...' line; control characters and line breaks become spaces,
    so outside text cannot end the comment and start YAML."""
    return "# " + _COMMENT_UNSAFE.sub(" ", text).rstrip()


def dump_incident(data: dict, comments: list[str]) -> str:
    body = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                     default_flow_style=False, width=78)
    if yaml.safe_load(body) != data:  # the dumper's promise, checked
        raise ValueError("its text does not survive YAML unchanged; the row was not imported")
    header = "".join(comment_line(line) + "\n" for line in comments)
    return header + body
