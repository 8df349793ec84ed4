"""The house style a client reads in every brief: typographic punctuation,
one date format, citation marks on the word in ascending order, source
titles as links, and only sources published by the issue date."""

from __future__ import annotations

import re

import pytest

from conftest import REPO
from outputcheck import visible_text
from secbrief.render.typography import smarten_html

BRIEFS = sorted(p.stem for p in (REPO / "briefs").glob("*.yaml"))
MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
LONG_DATE = re.compile(rf"\b\d{{1,2}} {MONTH} \d{{4}}\b")
US_DATE = re.compile(rf"\b{MONTH} \d{{1,2}}, \d{{4}}\b")


def built(root, brief: str, fmt: str) -> str:
    return (root / "build" / brief / f"{brief}.{fmt}").read_text(encoding="utf-8")


@pytest.mark.parametrize("brief", BRIEFS)
def test_one_date_format_per_brief(demo_build, brief):
    for fmt in ("html", "md"):
        text = visible_text(built(demo_build, brief, fmt)) if fmt == "html" else built(demo_build, brief, fmt)
        long, us = LONG_DATE.findall(text), US_DATE.findall(text)
        assert long or us, f"{brief}.{fmt} prints no date"
        assert not (long and us), f"{brief}.{fmt} mixes {long[:2]} with {us[:2]}"


@pytest.mark.parametrize("brief", BRIEFS)
def test_typographic_punctuation_in_html(demo_build, brief):
    text = visible_text(built(demo_build, brief, "html"))
    assert '"' not in text and "'" not in text, re.findall(r".{20}['\"].{20}", text)[:3]
    assert not re.search(r"(?<![\w-])\d{1,3}-\d{1,3}(?![\w-])", text), "a number range with a hyphen"


@pytest.mark.parametrize("brief", BRIEFS)
def test_citation_marks_sit_on_the_word_in_ascending_order(demo_build, brief):
    html = built(demo_build, brief, "html")
    assert not re.search(r'\s<sup class="cite">', html)
    for mark in re.findall(r'<sup class="cite">(.*?)</sup>', html):
        numbers = [int(n) for n in re.findall(r"#note-(\d+)", mark)]
        assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers), mark


@pytest.mark.parametrize("brief", BRIEFS)
def test_source_titles_are_the_links(demo_build, brief):
    """On screen a note's title is its link, never the bare address; the
    print stylesheet prints the address after it, for paper."""
    html = built(demo_build, brief, "html")
    notes = re.findall(r'<p class="note" id="note-\d+">(.*?)</p>', html)
    assert notes
    for note in notes:
        for href, text in re.findall(r'<a class="source-link" href="([^"]+)">([^<]+)</a>', note):
            assert not text.startswith("http"), note
        url = re.search(r'<span class="note-url">([^<]+)</span>', note)
        assert url is None or url.group(1) in note.split('class="note-url"')[0], note  # the link's own address
    assert ".source-notes .note-url { display: none; }" in html and "  .source-notes .note-url { display: inline; }" in html


def test_weekly_brief_lists_only_sources_published_by_its_issue_date(demo_build):
    """The Tahrir Square incident is also reported by Dragonfly on 25
    October; the week-41 brief, issued on 15 October, cites the desk's
    field note of 13 October only."""
    html = built(demo_build, "2023-w41-two-rivers-freight", "html")
    notes = " ".join(re.findall(r'<p class="note" id="note-\d+">(.*?)</p>', html))
    assert "Baghdad field note" in notes and "13 October 2023" in notes
    assert "Dragonfly" not in notes and "25 October 2023" not in notes
    later = built(demo_build, "2023-10-25-iran-backed-attacks-to-increase", "html")
    assert "Dragonfly" in later  # issued on the 25th: the same incident's later source is there


def test_flash_brief_names_outside_experts_as_such(demo_build):
    html = built(demo_build, "2023-10-24-militias-continue-attacks", "html")
    assert "<h2>Outside Expert Views</h2>" in html and "Expert Analysis" not in html
    quotes = re.findall(r'<figure class="quote">(.*?)</figure>', html, re.S)
    assert len(quotes) == 3
    for quote in quotes:
        assert 'class="cite"' in quote and "FDD" in quote, quote


@pytest.mark.parametrize("before, after", [
    ('<p>Baghdad&#39;s &#34;streets&#34;</p>', "<p>Baghdad\u2019s \u201cstreets\u201d</p>"),
    ("<p>9-15 October, 55-75%</p>", "<p>9\u201315 October, 55\u201375%</p>"),
    ("<p>on 2023-10-25, an F-16, COVID-19</p>", "<p>on 2023-10-25, an F-16, COVID-19</p>"),
    ("<p>calm - for now...</p>", "<p>calm \u2013 for now\u2026</p>"),
    ('<p title="it&#39;s">x</p><code>a"b</code><style>a{content:"x"}</style>',
     '<p title="it&#39;s">x</p><code>a"b</code><style>a{content:"x"}</style>'),
    ('<p>streets <sup class="cite">[1]</sup></p>', '<p>streets<sup class="cite">[1]</sup></p>'),
    ('<p>"a <em>quoted</em> phrase"</p>', "<p>\u201ca <em>quoted</em> phrase\u201d</p>"),
])
def test_typography_rules(before, after):
    assert smarten_html(before) == after
