"""A YAML syntax error reads the same, at the same place, whichever parser
PyYAML was built with: libyaml (C) or its pure-Python parser."""

from __future__ import annotations

import pytest
import yaml

from secbrief.load.yaml_messages import syntax_error

BROKEN = {
    "unclosed flow sequence": ("a: [1, 2\nb: 3\n", "2:2: YAML syntax error: did not find expected ',' or ']'"),
    "unclosed flow mapping": ("a: {x: 1\nb: 3\n", "2:2: YAML syntax error: did not find expected ',' or '}'"),
    "flow mapping missing a comma": ("casualties: {killed: 3 injured: 2}\n",
                                     "1:24: YAML syntax error: did not find expected ',' or '}': a comma is "
                                     "missing before 'injured'"),
    "flow mapping missing a comma at a line end": ("c: {killed: 3\n   injured: 2}\n",
                                                   "2:4: YAML syntax error: did not find expected ',' or '}': a "
                                                   "comma is missing before 'injured'"),
    "mapping value in a scalar": ("a: b: c\n", "1:5: YAML syntax error: mapping values are not allowed in this "
                                                "context; check this line's indentation, or quote a value that "
                                                "contains ': '"),
    "key indented too little": ("a:\n  b: 1\n c: 2\n", "3:2: YAML syntax error: did not find expected key"),
    "tab": ("a:\n\tb: 1\n", "2:1: YAML syntax error: tab character; indent YAML with spaces, not tabs"),
    "list after a mapping": ("a: 1\n- b\n", "2:1: YAML syntax error: did not find expected key"),
    "mapping after a list": ("- a\nb: 1\n", "2:1: YAML syntax error: did not find expected '-' indicator"),
    "undefined alias": ("a: *x\n", "1:4: YAML syntax error: found undefined alias"),
    "empty anchor": ("a: &\n", "1:5: YAML syntax error: did not find expected alphabetic or numeric character"),
    "unclosed verbatim tag": ("a: !<x\n", "1:7: YAML syntax error: did not find the expected '>'"),
    "block entry in a flow": ("a: [\n- b]\n", "2:1: YAML syntax error: did not find expected node content"),
    "reserved indicator": ("a: @x\n", "1:4: YAML syntax error: found character that cannot start any token"),
    "stray closing bracket": ("a: ]\n", "1:4: YAML syntax error: did not find expected node content"),
    "bad block scalar header": ("a: |x\n  b\n", "1:5: YAML syntax error: did not find expected comment or line break"),
    "unknown escape": ('a: "\\q"\n', "1:5: YAML syntax error: found unknown escape character"),
    "flow mapping closed by ]": ("a: {b: 1]\n", "1:9: YAML syntax error: did not find expected ',' or '}'"),
    "second document": ("a: 1\n---\nb: 2\n", "2:1: YAML syntax error: expected a single document in the "
                                             "stream, but found another document"),
    "control character": ("a: \x07b\n", "1:4: YAML syntax error: character U+0007 is not allowed in YAML"),
}

PARSERS = {"libyaml": getattr(yaml, "CSafeLoader", None), "pure-python": yaml.SafeLoader}


@pytest.mark.parametrize("parser", PARSERS)
@pytest.mark.parametrize("name", BROKEN)
def test_syntax_error_in_secbriefs_words(parser, name):
    loader = PARSERS[parser]
    assert loader is not None, "PyYAML here was built without libyaml; the lock's wheels include it"
    text, expected = BROKEN[name]
    with pytest.raises(yaml.YAMLError) as raised:
        yaml.compose(text, Loader=loader)
    line, col, message = syntax_error(raised.value, text)
    assert f"{line}:{col}: {message}" == expected
