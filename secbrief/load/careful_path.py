"""The careful path of loading: PyYAML composes a node tree and we build the
data from it, recording the line and column of every key and value, and
refusing duplicate keys, tags other than plain data, merge keys, runaway
alias expansion and deep nesting, each with its own message and position.

Used for files the fast path (secbrief.load.fast_path) leaves to it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from secbrief.load.yaml_parsers import CONSTRUCTOR as _CONSTRUCTOR
from secbrief.load.yaml_parsers import MAX_DEPTH, MAX_NODES, SCALAR_TAGS

if TYPE_CHECKING:
    from secbrief.core.diagnostics import Report
    from secbrief.load.yamlfile import Document, Loc
from secbrief.load.yaml_parsers import TAG as _TAG


class Budget:
    def __init__(self):
        self.nodes = 0
        self.open: set[int] = set()  # ids of the collections being built (alias loops)


def first_too_deep(text: str):
    """The mark of the first collection nested deeper than MAX_DEPTH, or None.

    Checked on the event stream before composing: libyaml's composer
    recurses in C, and a 200 kB file of '[' characters (far below the size
    limit) overflows the C stack and kills the process with a segfault,
    which no Python code can catch. The events come from PyYAML's
    pure-Python parser, never libyaml's: libyaml 0.2.5 and newer stop deep
    nesting themselves with their own message and position, so with them
    secbrief's limit would speak on some PyYAML builds and not on others.
    The pure-Python parser keeps its own stack of states (no recursion) and
    this stops at the first level too deep, so a flood of '[' costs little;
    only files that left the fast path (_plain_data) are scanned here."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_DEPTH + 1:  # the top level is level 0, as in build_data
                    return event.start_mark
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        pass  # a syntax error before any deep nesting: the loader's own parse reports it, in its words
    return None


class Abort(Exception):
    """Stops construction of a document that exceeds a hard limit."""


def _mark(node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def build_data(node, loc, doc, report, budget, depth):
    budget.nodes += 1
    if budget.nodes > MAX_NODES:
        line, col = _mark(node)
        report.add(doc.display, line, col,
                   f"document expands to more than {MAX_NODES:,} values (alias bomb?)", code="SB005")
        raise Abort
    if depth > MAX_DEPTH:
        line, col = _mark(node)
        report.add(doc.display, line, col, f"nesting deeper than {MAX_DEPTH} levels", code="SB010")
        raise Abort
    doc.values.setdefault(loc, _mark(node))
    if isinstance(node, ScalarNode):
        return _scalar(node, loc, doc, report)
    if id(node) in budget.open:  # &a [*a]: an alias inside the value it names
        line, col = _mark(node)
        report.add(doc.display, line, col, "an alias refers to a value that contains it (a loop)",
                   code="SB005")
        raise Abort
    budget.open.add(id(node))
    try:
        return _collection(node, loc, doc, report, budget, depth)
    finally:
        budget.open.discard(id(node))


def _collection(node, loc, doc, report, budget, depth):
    if isinstance(node, SequenceNode):
        if node.tag != _TAG + "seq":
            return _bad_tag(node, doc, report, loc)
        return [build_data(item, loc + (i,), doc, report, budget, depth + 1)
                for i, item in enumerate(node.value)]
    if isinstance(node, MappingNode):
        if node.tag != _TAG + "map":
            return _bad_tag(node, doc, report, loc)
        result: dict = {}
        for key_node, value_node in node.value:
            if key_node.tag == _TAG + "merge":
                line, col = _mark(key_node)
                report.add(doc.display, line, col, "YAML merge keys ('<<') are not supported; "
                           "write the fields out", code="SB008")
                doc.refused.add(loc)  # its fields are missing because of this: one line, not one per field
                continue
            if not isinstance(key_node, ScalarNode):
                line, col = _mark(key_node)
                report.add(doc.display, line, col, "a mapping key must be plain text", code="SB009")
                continue
            key = key_node.value
            if key in result:
                line, col = _mark(key_node)
                first = doc.keys[loc + (key,)]
                report.add(doc.display, line, col,
                           f"duplicate key '{key}' (first defined at line {first[0]}); "
                           "YAML would silently keep only the last one", code="SB007")
                continue
            doc.keys[loc + (key,)] = _mark(key_node)
            result[key] = build_data(value_node, loc + (key,), doc, report, budget, depth + 1)
        return result
    return _bad_tag(node, doc, report, loc)  # pragma: no cover - no other node kinds


def _bad_tag(node, doc, report, loc):
    doc.refused.add(loc)
    line, col = _mark(node)
    tag = node.tag.replace(_TAG, "!!")
    report.add(doc.display, line, col, f"YAML tag '{tag}' is not allowed (only plain data)",
               code="SB006")
    return None


def _scalar(node: ScalarNode, loc: Loc, doc: Document, report: Report):
    tag = node.tag
    if tag not in SCALAR_TAGS:
        return _bad_tag(node, doc, report, loc)
    if tag == _TAG + "str":
        return node.value
    doc.scalars[loc] = node.value
    if tag == _TAG + "timestamp":
        try:
            return _CONSTRUCTOR.construct_yaml_timestamp(node)
        except (ValueError, OverflowError):
            # An impossible date such as 2023-02-30: keep the text so the
            # validator can say what is wrong with it, at this position.
            return node.value
    method = {
        _TAG + "int": _CONSTRUCTOR.construct_yaml_int,
        _TAG + "float": _CONSTRUCTOR.construct_yaml_float,
        _TAG + "bool": _CONSTRUCTOR.construct_yaml_bool,
        _TAG + "null": _CONSTRUCTOR.construct_yaml_null,
    }[tag]
    try:
        return method(node)
    except (ValueError, OverflowError):
        return node.value
