"""The fast path of loading: a clean document's data built straight from
the C parser's events, with no node tree and no positions (they are found
again on demand, secbrief.load.yamlfile.Document.where).

Anything unusual (a tag, an anchor, a duplicate key, deep nesting, a syntax
error) is left to the careful path, which says exactly what is wrong and
where; for a clean document both give the same data.
"""

from __future__ import annotations

import datetime as _dt

import yaml
from yaml.events import (AliasEvent, DocumentStartEvent, MappingEndEvent, MappingStartEvent,
                         ScalarEvent, SequenceEndEvent, SequenceStartEvent)
from yaml.nodes import ScalarNode

from secbrief.load.yaml_parsers import CONSTRUCTOR as _CONSTRUCTOR
from secbrief.load.yaml_parsers import MAX_DEPTH, MAX_NODES
from secbrief.load.yaml_parsers import TAG as _TAG
from secbrief.load.yaml_parsers import EventParser as _EventParser
from secbrief.load.yaml_parsers import Loader as _Loader


class NotPlain(Exception):
    """The fast path met something it leaves to the careful path."""


_PLAIN_FIRST = frozenset(k for k in _Loader.yaml_implicit_resolvers if k)


_RESOLVER = _Loader("")  # only its resolve() is used, for plain scalars that may not be text


_CONSTRUCT = {
    _TAG + "int": _CONSTRUCTOR.construct_yaml_int,
    _TAG + "float": _CONSTRUCTOR.construct_yaml_float,
    _TAG + "bool": _CONSTRUCTOR.construct_yaml_bool,
    _TAG + "null": _CONSTRUCTOR.construct_yaml_null,
    _TAG + "timestamp": _CONSTRUCTOR.construct_yaml_timestamp,
}


_NO_KEY = object()


_DATE_TAG, _INT_TAG = _TAG + "timestamp", _TAG + "int"


_STR = _TAG + "str"


_RESOLVED: dict[str, str] = {}  # short plain scalar -> its tag ("2020-12-20" recurs in many files)


def _plain_tag(value: str) -> str:
    tag = _RESOLVED.get(value)
    if tag is None:
        tag = _RESOLVER.resolve(ScalarNode, value, (True, False))
        if len(value) <= 40 and len(_RESOLVED) < 100_000:
            _RESOLVED[value] = tag
    return tag


def _plain_value(tag: str, value: str):
    """A plain scalar that is not text, as PyYAML's SafeConstructor builds it
    (the common forms of dates and numbers are built directly: same result)."""
    try:
        if tag == _DATE_TAG and len(value) == 10:  # 2020-12-20; 2023-02-30 raises
            return _dt.date.fromisoformat(value)
        if tag == _INT_TAG and value.isdigit() and (value[0] != "0" or value == "0"):
            return int(value)  # not 012 (octal in YAML 1.1), 1_000, 0x1f or 1:30
        construct = _CONSTRUCT.get(tag)
        if construct is None:
            raise NotPlain
        return construct(ScalarNode(tag, value))
    except (ValueError, OverflowError):
        return value  # an impossible date stays text, for the validator to explain


def plain_data(text: str):
    """The data of a clean document, built straight from the C parser's
    events: no node tree, no positions (they are found again on demand).

    Gives up (``NotPlain``) on anything that is not plain data or that the
    careful path reports: a tag, an anchor or alias, a merge key, a
    duplicate or non-text key, a second document, deep nesting, too many
    values, a syntax error. For a clean document both paths give the same
    data; the careful path is the reference (see tests/test_fast_loader.py).
    This loop runs once per event of every file, so it is written for speed.
    """
    parser = _EventParser(text)
    get_event = parser.get_event
    stack: list[tuple] = []  # the enclosing (container, key, is_map) of each open collection
    container = None  # the innermost open mapping or list
    key = _NO_KEY  # in a mapping: the key waiting for its value
    is_map = False
    root = None
    documents = nodes = 0
    try:
        while True:
            event = get_event()
            kind = event.__class__
            if kind is ScalarEvent:
                if event.anchor is not None or event.tag is not None:
                    raise NotPlain
                value = event.value
                if is_map and key is _NO_KEY:  # a key: kept as written, as the careful path does
                    if value in container or (value == "<<" and event.implicit[0]):  # a merge key
                        raise NotPlain
                    key = value
                    continue
                if event.implicit[0] and (not value or value[0] in _PLAIN_FIRST):
                    tag = _plain_tag(value)
                    if tag != _STR:
                        value = _plain_value(tag, value)
                nodes += 1
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                if (event.anchor is not None or not event.implicit or len(stack) >= MAX_DEPTH
                        or (is_map and key is _NO_KEY)):  # the last: a collection as a key
                    raise NotPlain
                stack.append((container, key, is_map))
                is_map = kind is MappingStartEvent
                container = {} if is_map else []
                key = _NO_KEY
                nodes += 1
                continue
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                value = container
                container, key, is_map = stack.pop()
            elif event is None:
                return root
            elif kind is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise NotPlain
                continue
            elif kind is AliasEvent:
                raise NotPlain
            else:  # stream start and end, document end
                continue
            if nodes > MAX_NODES:
                raise NotPlain
            if container is None:
                root = value
            elif is_map:
                container[key] = value
                key = _NO_KEY
            else:
                container.append(value)
    except yaml.YAMLError:
        raise NotPlain from None
    finally:
        parser.dispose()
