"""The load step: safe YAML, positions, and refusals a user can read."""

from pathlib import Path

from secbrief.core.diagnostics import Report
from secbrief.load.yamlfile import load_file


def load(tmp_path: Path, content: bytes | str):
    path = tmp_path / "x.yaml"
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    report = Report()
    doc = load_file(path, "x.yaml", report)
    return doc, [str(d) for d in report.diagnostics]


def test_positions_of_keys_and_values(tmp_path):
    doc, problems = load(tmp_path, "a: 1\nlist:\n  - {name: x, role: y}\n")
    assert problems == []
    assert doc.where(("list", 0, "role")) == (3, 21)
    assert doc.where(("list", 0, "role"), key=True) == (3, 15)
    assert doc.where(("list", 0, "missing")) == (3, 5)  # nearest enclosing value


def test_duplicate_key_is_an_error_and_keeps_the_first(tmp_path):
    doc, problems = load(tmp_path, "summary: first\ntitle: t\nsummary: second\n")
    assert problems == ["x.yaml:3:1: error: duplicate key 'summary' (first defined at line 1); "
                        "YAML would silently keep only the last one"]
    assert doc.data["summary"] == "first"


def test_unsafe_python_tag_is_refused_not_constructed(tmp_path):
    doc, problems = load(tmp_path, "a: !!python/object/apply:os.system ['echo hacked']\n")
    assert problems == ["x.yaml:1:4: error: YAML tag '!!python/object/apply:os.system' is not allowed "
                        "(only plain data)"]


def test_impossible_date_stays_text_for_the_validator(tmp_path):
    doc, problems = load(tmp_path, "date: 2023-02-30\n")
    assert problems == [] and doc.data == {"date": "2023-02-30"}


def test_alias_bomb_is_stopped(tmp_path):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i-1}"] * 10) + "]")
    doc, problems = load(tmp_path, "\n".join(lines) + "\n")
    assert doc is None
    assert len(problems) == 1 and "alias bomb" in problems[0]


def test_tab_indentation_explained(tmp_path):
    doc, problems = load(tmp_path, "a:\n\tb: 1\n")
    assert doc is None
    assert problems == ["x.yaml:2:1: error: YAML syntax error: tab character; indent YAML with spaces, not tabs"]


def test_byte_order_mark_is_accepted(tmp_path):
    doc, problems = load(tmp_path, b"\xef\xbb\xbftitle: ok\n")
    assert problems == [] and doc.data == {"title": "ok"}


def test_non_utf8_bytes_located(tmp_path):
    doc, problems = load(tmp_path, b"title: ok\nsummary: caf\xe9\n")
    assert doc is None
    assert problems == ["x.yaml:2:13: error: file is not valid UTF-8 (byte 0xe9)"]


def test_oversized_file_refused(tmp_path):
    doc, problems = load(tmp_path, "a: " + "x" * 1_100_000 + "\n")
    assert doc is None and "the limit is 1,000,000" in problems[0]
