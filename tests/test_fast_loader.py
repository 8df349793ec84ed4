"""The loader's fast path (events straight to data, positions found on
demand) must give exactly what the careful path gives, and leave every
unusual file to the careful path so its diagnostics stay the same."""

import datetime as dt

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from secbrief.load import careful_path, fast_path, yaml_parsers, yamlfile
from secbrief.core.diagnostics import Report


def careful(text: str):
    """Data, positions and diagnostics from the careful (reference) path."""
    doc = yamlfile.Document(filename="x.yaml", display="x.yaml")
    doc.text = text
    doc._positions = ({}, {}, {})
    report = Report()
    node = yaml.compose(text, Loader=yaml_parsers.Loader)
    data = careful_path.build_data(node, (), doc, report, careful_path.Budget(), 0) if node is not None else None
    return data, doc.values, doc.keys, [str(d) for d in report.diagnostics]


TRICKY_SCALARS = ["yes", "No", "on", "OFF", "y", "n", "~", "null", "", "0", "012", "0x1F", "0b101",
                  "1_000", "1:30", "190:20:30", "-7", "+3", ".5", "-.inf", ".NaN", "1e3", "6.8523015e+5",
                  "2020-12-20", "2023-02-30", "2020-1-5", "2001-12-14t21:59:43.10-05:00",
                  "2001-12-14 21:59:43.10 -5", "true", "False", "=", "12:00", "33.30", "0.", "-0",
                  "Kata'ib Hezbollah", "a: b", "#not a comment", "- dash", "[@src-1]", "ايران"]


@pytest.mark.parametrize("value", TRICKY_SCALARS)
def test_tricky_plain_scalars_match_the_careful_path(value):
    for text in (f"key: {value}\n", f"- {value}\n", f"key: [{value}]\n", f"key: '{value}'\n"):
        try:
            expected = careful(text)
        except yaml.YAMLError:
            continue  # not YAML at all: nothing to compare
        if expected[3]:  # the careful path reports a problem: the fast path must step aside
            with pytest.raises(fast_path.NotPlain):
                fast_path.plain_data(text)
            continue
        assert fast_path.plain_data(text) == expected[0], text


scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**12, 10**12),
    st.floats(allow_nan=False), st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1)),
    st.text(max_size=30), st.sampled_from(TRICKY_SCALARS))
keys = st.one_of(st.text(min_size=1, max_size=12), st.sampled_from(["id", "date", "yes", "1", "null"]))
documents = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)), max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(data=documents, flow=st.sampled_from([None, True, False]), width=st.sampled_from([20, 80]))
def test_fast_path_equals_careful_path(data, flow, width):
    text = yaml.safe_dump(data, default_flow_style=flow, width=width, allow_unicode=True)
    expected, values, keys_, problems = careful(text)
    assert not problems
    fast = fast_path.plain_data(text)
    assert fast == expected and type(fast) is type(expected)


def test_positions_found_on_demand_match_the_careful_path(tmp_path):
    text = ("date: 2020-12-20\ntitle: Rockets\nactors:\n  - {name: US, role: target}\n"
            "summary: |\n  Two lines\n  of text [@src]\nsources:\n  - id: src\n    grade: B2\n")
    path = tmp_path / "x.yaml"
    path.write_text(text)
    doc = yamlfile.load_file(path, "x.yaml", Report())
    assert doc._positions is None  # nothing asked for a position yet: none worked out
    _, values, keys_, _ = careful(text)
    assert doc.values == values and doc.keys == keys_
    assert doc.where(("sources", 0, "grade")) == (10, 12)


@pytest.mark.parametrize("text", [
    "a: 1\na: 2\n",                      # duplicate key
    "a: &x [1]\nb: *x\n",                # anchor and alias
    "a: !!python/name:os.system x\n",    # a tag
    "<<: {a: 1}\n",                      # merge key
    "? [a, b]\n: 1\n",                   # a list as a key
    "a: 1\n---\nb: 2\n",                 # two documents
    "a: [1, 2\n",                        # syntax error
    "a: =\n",                            # the 'value' tag
])
def test_unusual_files_go_to_the_careful_path(tmp_path, text):
    with pytest.raises(fast_path.NotPlain):
        fast_path.plain_data(text)


def test_deep_nesting_goes_to_the_careful_path():
    text = "a: " + "[" * (yaml_parsers.MAX_DEPTH + 2) + "]" * (yaml_parsers.MAX_DEPTH + 2) + "\n"
    with pytest.raises(fast_path.NotPlain):
        fast_path.plain_data(text)


def test_libyaml_parser_is_used():
    """PyYAML's wheels ship libyaml; without it every load is several times slower."""
    assert yaml.__with_libyaml__
    assert yaml_parsers.EventParser.__module__ == "yaml._yaml" and yaml_parsers.Loader is yaml.CSafeLoader
