"""The Markdown brief reads well as plain text and in a Git forge: every demo
brief passes markdownlint (with the two rules tests/validators/.markdownlint-cli2.jsonc
turns off, and says why), prose is one line a paragraph, links are never
bare URLs, and there is no caption of an image the file does not have."""

from __future__ import annotations

import re
import subprocess

import pytest
import yaml

from conftest import REPO, run, write
from secbrief.render.markup import MarkdownRenderer
from test_html import DEMO_BRIEFS, output

MARKDOWNLINT = REPO / "tests/validators/node_modules/.bin/markdownlint-cli2"
CONFIG = REPO / "tests/validators/.markdownlint-cli2.jsonc"


def to_markdown(text: str) -> str:
    numbers: dict[str, int] = {}
    return MarkdownRenderer().to_markdown(
        text, lambda ids: [numbers.setdefault(i, len(numbers) + 1) for i in ids])


def test_every_demo_brief_passes_markdownlint(demo_build):
    files = [f"build/{b}/{b}.md" for b in DEMO_BRIEFS]
    result = subprocess.run([str(MARKDOWNLINT), "--config", str(CONFIG), *files], cwd=demo_build,
                            capture_output=True, text=True, timeout=120)
    findings = [line for line in (result.stdout + result.stderr).splitlines() if " MD0" in line]
    assert result.returncode == 0 and findings == [], "\n".join(findings) or result.stderr
    assert f"Linting: {len(files)} file(s)" in result.stdout + result.stderr


def test_a_draft_passes_markdownlint_too(mini):
    subprocess.run(["git", "init", "-q"], cwd=mini, check=True)  # nothing committed: a draft
    assert run(mini, "build", "--format", "md").returncode == 0
    md = mini / "build/test-brief/test-brief.md"
    assert "**DRAFT: not yet committed**" in md.read_text(encoding="utf-8")
    result = subprocess.run([str(MARKDOWNLINT), "--config", str(CONFIG), str(md)], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_markdownlint_would_catch_a_bare_url(tmp_path):
    """The lint test above can fail: the same settings flag what the brief
    used to print, a hard-wrapped paragraph aside (MD013 is off on purpose)."""
    bad = tmp_path / "bad.md"
    bad.write_text("TLP:CLEAR\n\n# Title\n\n[1] Wire, Title, June 4, 2021 https://example.org/a\n")
    result = subprocess.run([str(MARKDOWNLINT), "--config", str(CONFIG), str(bad)], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 1 and "MD034/no-bare-urls" in result.stdout + result.stderr


@pytest.mark.parametrize("brief", DEMO_BRIEFS)
def test_every_analyst_paragraph_is_one_line(demo_build, brief):
    md = output(demo_build, brief, "md")
    data = yaml.safe_load((demo_build / "briefs" / f"{brief}.yaml").read_text(encoding="utf-8"))
    texts = [data.get(k) for k in ("summary", "outlook")] + [s["body"] for s in data.get("sections", [])]
    paragraphs = [p for t in texts if t for p in t.strip().split("\n\n")]
    assert paragraphs or brief.startswith("2020-12-21")  # the security brief has its outlook only
    for paragraph in paragraphs:
        words = re.sub(r"\s*\[@[^\]]*\]", "", paragraph).split()
        first, last = " ".join(words[:4]), " ".join(words[-3:])
        line = next((l for l in md.splitlines() if first in l), None)
        assert line is not None, first
        assert last in re.sub(r"\s*\[[\d, ]+\]", "", line), (first, last)


def test_hard_wrapped_prose_joins_but_structure_stays():
    text = ("A paragraph written\nover three\nlines [@a].\n\n"
            "- a list item\n  that wraps\n- another\n\n"
            "> a quote\n> that wraps\n\n"
            "A hard break  \nstays.\n\n"
            "```\ncode\nstays\n```\n\n"
            "| a | b |\n| --- | --- |\n| 1 | 2 |")
    assert to_markdown(text).split("\n") == [
        "A paragraph written over three lines [1].", "",
        "- a list item that wraps", "- another", "",
        "> a quote that wraps", "",
        "A hard break  ", "stays.", "",
        "```", "code", "stays", "```", "",
        "| a | b |", "| --- | --- |", "| 1 | 2 |"]


def test_text_after_a_code_block_never_joins_it():
    assert to_markdown("```\ncode\n```\nText after\nwraps\n\n    indented code\n    stays") == \
        "```\ncode\n```\nText after wraps\n\n    indented code\n    stays"


def test_a_wrapped_year_is_no_list_item():
    assert to_markdown("Attacks rose through\n2023. Then they fell.\n\n1. one\n2. two\n   wraps") == \
        "Attacks rose through 2023. Then they fell.\n\n1. one\n2. two wraps"


def test_bare_urls_become_autolinks_and_links_stay():
    md = to_markdown("See https://example.org/a, [the report](https://example.org/b) "
                     "and <https://example.org/c>; `https://example.org/d` is code.")
    assert md == ("See <https://example.org/a>, [the report](https://example.org/b) "
                  "and <https://example.org/c>; `https://example.org/d` is code.")
    # A raw HTML tag is still shown as text, never interpreted.
    assert to_markdown("<img src=x onerror=alert(1)> <https://example.org/>") == \
        "&lt;img src=x onerror=alert(1)> <https://example.org/>"


def test_source_notes_link_their_title(demo_build):
    md = output(demo_build, "2021-06-05-militia-drones-more-sophisticated", "md")
    assert ('[2] Shafaq News, "[Kurdistan’s Ministry of Interior: Erbil Airport was attacked with a drone]'
            '(https://www.shafaq.com/en/Kurdistan/Kurdistan-s-Ministry-of-Interior-Erbil-Airport-was-attacked-'
            'with-a-drone)", 14 April 2021.') in md
    # A source without a URL: its title in quotes, no link; the publisher after it when an author leads.
    assert '[1] Eric Schmitt and Jane Arraf, "Iran’s Proxies in Iraq' in md
    assert '", The New York Times, 4 June 2021.' in md


@pytest.mark.parametrize("brief", ["2021-06-05-militia-drones-more-sophisticated"])  # the demo's one image now
def test_no_caption_without_its_image(demo_build, brief):
    caption = yaml.safe_load((demo_build / "briefs" / f"{brief}.yaml").read_text(encoding="utf-8"))["image"]["caption"]
    assert caption[:40] in output(demo_build, brief, "html")  # the HTML has the figure...
    assert caption[:40] not in output(demo_build, brief, "md")  # ...the Markdown, no image, no caption


def test_link_text_and_target_cannot_break_the_link(mini):
    write(mini, "briefs/test-brief.yaml", """\
        style: flash-brief
        title: Test brief
        issued: 2020-12-21
        tlp: CLEAR
        summary: Text.
        related:
          - title: "A [bracketed] title"
            url: "https://example.org/a_(b)"
        """)
    assert run(mini, "build", "--format", "md").returncode == 0
    md = (mini / "build/test-brief/test-brief.md").read_text(encoding="utf-8")
    assert r"- [A \[bracketed\] title](https://example.org/a_\(b\))" in md


def test_link_check_reads_reference_definitions_as_python_markdown_does():
    """`check` refuses a javascript: reference link with the pattern Markdown
    itself uses to find definitions; a Markdown upgrade that changes that
    pattern would let such a link through unchecked, so it fails here first."""
    from markdown.blockprocessors import ReferenceProcessor

    from secbrief.core.textgrammar import REFERENCE_RE, unsafe_targets

    assert (REFERENCE_RE.pattern, REFERENCE_RE.flags) == (ReferenceProcessor.RE.pattern, ReferenceProcessor.RE.flags)
    text = "See [the report][r].\n\n[r]: javascript:alert(1)"
    assert [(kind, target) for kind, target, _ in unsafe_targets(text)] == [("link", "javascript:alert(1)")]
