"""build/feed.xml is valid Atom (RFC 4287), checked offline against the RFC's
own RELAX NG schema (tests/validators/atom.rng); with secbrief.yaml's
site_url every link and id is absolute, as feed readers need; and each
entry's summary is the brief's bottom line in prose."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from lxml import etree

from conftest import DEMO_BRIEF, REPO, run, write
from weekly_support import WEEK42, brief_ids, weekly_project

ATOM = "{http://www.w3.org/2005/Atom}"
SITE = "https://briefs.example.org/"
SCHEMA = etree.RelaxNG(etree.parse(str(REPO / "tests/validators/atom.rng")))


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The demo with its secbrief.yaml (site_url), and the 2023-W42 skeletons
    `secbrief weekly` writes: briefs with neither summary nor judgement."""
    root = weekly_project(tmp_path_factory.mktemp("feed") / "demo")
    shutil.copy2(REPO / "secbrief.yaml", root / "secbrief.yaml")
    assert run(root, "weekly", WEEK42, "--no-build").returncode == 0
    result = run(root, "build")
    assert result.returncode == 0, result.stderr
    return root


def valid_atom(path: Path) -> etree._ElementTree:
    feed = etree.parse(str(path))
    assert SCHEMA.validate(feed), SCHEMA.error_log
    # The RFC's Schematron rules, which RELAX NG cannot say: an entry needs an
    # author when the feed has none, and an alternate link when it has no content.
    root = feed.getroot()
    for entry in root.iter(f"{ATOM}entry"):
        assert root.find(f"{ATOM}author") is not None or entry.find(f"{ATOM}author") is not None
        assert entry.find(f"{ATOM}content") is not None or any(
            link.get("rel", "alternate") == "alternate" for link in entry.iter(f"{ATOM}link"))
    return feed


def summaries(feed) -> list[tuple[str, str]]:
    """(title, summary) of each entry (two clients' skeletons share a title)."""
    return [(e.findtext(f"{ATOM}title"), e.findtext(f"{ATOM}summary")) for e in feed.iter(f"{ATOM}entry")]


def test_feed_is_valid_atom(site):
    feed = valid_atom(site / "build/feed.xml")
    assert len(list(feed.iter(f"{ATOM}entry"))) == len(brief_ids(site))


def test_the_schema_refuses_what_rfc_4287_refuses(site, tmp_path):
    """The schema check above can fail: an entry without an id, or with a
    date that is not an RFC 3339 date-time, is refused."""
    good = (site / "build/feed.xml").read_text(encoding="utf-8")
    for broken in (good.replace("<id>urn:uuid:", "<ID>urn:uuid:", 2).replace("</id>", "</ID>", 2),
                   good.replace("<updated>2023-10-15T00:00:00Z", "<updated>15 October 2023", 1),
                   good.replace("<summary>", "<summary type=\"markdown\">", 1)):
        assert broken != good
        assert not SCHEMA.validate(etree.fromstring(broken.encode()))


def test_every_link_and_id_is_absolute_and_resolves(site):
    feed = valid_atom(site / "build/feed.xml").getroot()
    links = list(feed.iter(f"{ATOM}link"))
    ids = [i.text for i in feed.iter(f"{ATOM}id")]
    assert all(urlsplit(i).scheme == "urn" and i.startswith("urn:uuid:") for i in ids)
    assert len(set(ids)) == len(ids)
    for link in links:
        href = link.get("href")
        assert href.startswith(SITE), href
        assert (site / "build" / href[len(SITE):]).is_file(), href
    self_links = [link.get("href") for link in links if link.get("rel") == "self"]
    assert self_links == [SITE + "feed.xml"]
    assert feed.find(f"{ATOM}link[@rel='alternate']").get("href") == SITE + "index.html"


def test_the_index_keeps_relative_links(site):
    index = (site / "build/index.html").read_text(encoding="utf-8")
    assert "briefs.example.org" not in index
    assert f'href="{DEMO_BRIEF}/{DEMO_BRIEF}.html"' in index


def test_summaries_are_the_bottom_line_in_prose(site):
    entries = summaries(etree.parse(str(site / "build/feed.xml")))
    found = dict(entries)
    # A summary: its first paragraph, the citation gone, one line.
    assert found["Week 41: Gaza war anger reaches Baghdad's streets"] == (
        "On Friday 13 October a large crowd filled Tahrir Square in central Baghdad to protest against "
        "Israel's campaign in Gaza. The gathering was peaceful, but it shows how quickly the war is stirring "
        "public anger in Iraq, anger that Iran-aligned armed groups have used before to justify attacks on "
        "sites used by US forces.")
    # No summary: the first key judgement, with likelihood and confidence as the brief prints them.
    assert found["US targets in Iraq come under renewed attack"] == (
        "Iran-aligned militias will keep up rocket and roadside-bomb attacks on US facilities and supply "
        "convoys in Iraq through the first anniversary of Qassem Soleimani's death on 3 January 2021. "
        "(highly likely (80-90%); moderate confidence)")
    # `secbrief weekly` skeletons: neither.
    drafts = [title for title, text in entries if text == "Draft: no judgements yet"]
    assert len(drafts) == 2 and all(title.startswith("Week 42") for title in drafts), drafts
    for _, text in entries:
        assert "[@" not in text and "<" not in text and "*" not in text and "\n" not in text
        assert "TLP:" not in text  # prose, not "(analysis, TLP:CLEAR)"


def test_summary_drops_markdown_and_keeps_raw_html_as_text(mini):
    write(mini, "briefs/test-brief.yaml", """\
        style: flash-brief
        title: Test brief
        issued: 2020-12-21
        tlp: CLEAR
        summary: |
          Rockets hit **the embassy** [@2020-12-20-embassy-rockets], see
          [the report](https://example.org/r) & <b>more</b>.

          A second paragraph.
        """)
    assert run(mini, "build", "--format", "md").returncode == 0
    found = dict(summaries(valid_atom(mini / "build/feed.xml")))
    assert found["Test brief"] == "Rockets hit the embassy, see the report & <b>more</b>."


def test_without_site_url_links_stay_relative_and_there_is_no_self_link(mini):
    assert run(mini, "build", "--format", "md").returncode == 0
    feed = valid_atom(mini / "build/feed.xml").getroot()
    hrefs = [link.get("href") for link in feed.iter(f"{ATOM}link")]
    assert hrefs == ["index.html", "test-brief/test-brief.md"]
    assert all((mini / "build" / href).is_file() for href in hrefs)


@pytest.mark.parametrize("value, why", [
    ("https://briefs.example.org", "an address ending in '/'"),
    ("briefs.example.org/", "an absolute http:// or https:// address"),
    ("ftp://briefs.example.org/", "an absolute http:// or https:// address"),
    ("https://briefs.example.org/?page=1/", "an address without spaces, query (?) or fragment (#)"),
])
def test_site_url_must_be_an_absolute_folder_address(mini, value, why):
    write(mini, "secbrief.yaml", f"yardstick: phia\nsite_url: {value}\n")
    result = run(mini, "check")
    assert result.returncode == 1
    assert f"secbrief.yaml:2:11: error: site_url: expected {why}" in result.stdout, result.stdout
    assert "Traceback" not in result.stderr


def test_publish_writes_a_feed_with_absolute_links(site, tmp_path):
    dest = tmp_path / "www"
    result = run(site, "publish", str(dest), DEMO_BRIEF)
    assert result.returncode == 0, result.stderr
    feed = valid_atom(dest / "feed.xml").getroot()
    hrefs = [link.get("href") for link in feed.iter(f"{ATOM}link")]
    assert SITE + "feed.xml" in hrefs and all(h.startswith(SITE) for h in hrefs)
    assert all((dest / h[len(SITE):]).is_file() for h in hrefs)
    assert len(feed.findall(f"{ATOM}entry")) == 1
