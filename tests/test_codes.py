"""Diagnostic codes: one per kind of problem, every one emitted somewhere,
and every one documented in docs/diagnostics.md with a real example."""

import re

from conftest import REPO
from secbrief.core.codes import CODES
from test_lint_cases import CASES, read_case

DOCS = (REPO / "docs" / "diagnostics.md").read_text(encoding="utf-8")
SOURCE = {p.relative_to(REPO).as_posix(): p.read_text(encoding="utf-8") for p in (REPO / "secbrief").rglob("*.py")
          if p.name != "codes.py"}


def doc_sections() -> dict[str, str]:
    parts = re.split(r"^#### (SB\d{3})\n", DOCS, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2]))


def test_codes_are_well_formed_and_unique():
    assert all(re.fullmatch(r"SB\d{3}", code) for code in CODES)
    names = [c.name for c in CODES.values()]
    assert len(names) == len(set(names))
    assert all(c.severity in ("error", "warning", "note") and c.summary for c in CODES.values())


def test_every_code_in_the_source_is_registered_and_every_registered_code_is_used():
    used = {code for text in SOURCE.values() for code in re.findall(r'"(SB\d{3})"', text)}
    used.discard("SB000")  # the dataclass default, never passed
    assert used == set(CODES)


def test_every_code_is_documented_in_order():
    assert list(doc_sections()) == list(CODES)


def test_each_doc_entry_has_severity_and_an_example_of_that_severity():
    for code, section in doc_sections().items():
        severity = CODES[code].severity
        assert section.split("\n\n")[0].endswith(f"** · {severity}"), code
        example = re.search(r"```\n(.+?)\n```", section, flags=re.DOTALL)
        assert example, f"{code}: no example"
        assert re.match(rf"^\S+:\d+:\d+: {severity}: ", example.group(1)), code


def test_doc_examples_are_real_output():
    # Where a lint case produces the code, the documented message is that
    # case's message, word for word.
    expected: dict[str, set[str]] = {}
    for case in CASES:
        _, exp = read_case(case)
        if exp:
            expected.setdefault(exp[0], set()).add(f"{exp[1]}: {exp[4]}")
    for code, section in doc_sections().items():
        if code not in expected:
            continue
        example = re.search(r"```\n(.+?)\n```", section, flags=re.DOTALL).group(1)
        assert example.split(": ", 1)[1] in expected[code], code
