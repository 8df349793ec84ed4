"""build/index.html links every brief (newest first, with client, style and
TLP); build/feed.xml is a valid Atom feed of the same briefs."""

import re
from html.parser import HTMLParser
from xml.etree import ElementTree as ET

import pytest
import yaml

from conftest import run
from weekly_support import brief_ids, weekly_project

ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = weekly_project(tmp_path_factory.mktemp("archive") / "demo")
    assert run(root, "weekly", "2023-W42", "--no-build").returncode == 0
    result = run(root, "build")
    assert result.returncode == 0, result.stderr
    return root


def issued(root, brief_id):
    return yaml.safe_load((root / "briefs" / f"{brief_id}.yaml").read_text())["issued"]


class Rows(HTMLParser):
    """Each table row of the index: its id, its links, and its text."""

    def __init__(self):
        super().__init__()
        self.rows, self.current = [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tr" and "id" in attrs:
            self.current = {"id": attrs["id"], "links": [], "text": ""}
            self.rows.append(self.current)
        elif tag == "a" and self.current is not None:
            self.current["links"].append(attrs["href"])

    def handle_data(self, data):
        if self.current is not None:
            self.current["text"] += data

    def handle_endtag(self, tag):
        if tag == "tr":
            self.current = None


def test_index_links_every_brief_in_three_formats_newest_first(built):
    parser = Rows()
    parser.feed((built / "build/index.html").read_text())
    ids = brief_ids(built)
    assert sorted(row["id"] for row in parser.rows) == ids
    for row in parser.rows:
        for fmt in ("md", "html", "pdf"):
            href = f"{row['id']}/{row['id']}.{fmt}"
            assert href in row["links"], (row["id"], fmt)
            assert (built / "build" / href).is_file()
    dates = [issued(built, row["id"]) for row in parser.rows]
    assert dates == sorted(dates, reverse=True)
    freight = next(r for r in parser.rows if r["id"] == "2023-w42-two-rivers-freight")
    for shown in ("Two Rivers Freight", "weekly-brief", "TLP:AMBER", "issue 2"):
        assert shown in freight["text"], shown


def test_feed_is_valid_atom_listing_every_brief(built):
    feed = ET.parse(built / "build/feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert len(feed.findall(f"{ATOM}{name}")) == 1, name
    assert RFC3339.match(feed.findtext(f"{ATOM}updated"))
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == len(brief_ids(built))
    ids = [feed.findtext(f"{ATOM}id")]
    for entry in entries:
        for name in ("id", "title", "updated"):
            assert len(entry.findall(f"{ATOM}{name}")) == 1, name
        assert RFC3339.match(entry.findtext(f"{ATOM}updated"))
        assert entry.find(f"{ATOM}author/{ATOM}name").text   # no feed-level author: each entry has one
        ids.append(entry.findtext(f"{ATOM}id"))
        alternates = [(link.get("type"), link.get("hreflang")) for link in entry.findall(f"{ATOM}link")
                      if link.get("rel", "alternate") == "alternate"]
        assert ("text/html", None) in alternates and len(alternates) == len(set(alternates))
        for link in entry.findall(f"{ATOM}link"):
            assert (built / "build" / link.get("href")).is_file()
    assert all(i.startswith("urn:uuid:") for i in ids) and len(set(ids)) == len(ids)
    newest = max(issued(built, b) for b in brief_ids(built))
    assert feed.findtext(f"{ATOM}updated") == f"{newest.isoformat()}T00:00:00Z"


def test_feed_ids_depend_on_brief_ids_only(built, tmp_path):
    other = weekly_project(tmp_path / "elsewhere")
    assert run(other, "build", "--format", "md").returncode == 0
    def entry_ids(root):
        feed = ET.parse(root / "build/feed.xml").getroot()
        return {e.findtext(f"{ATOM}title"): e.findtext(f"{ATOM}id") for e in feed.findall(f"{ATOM}entry")}
    mine, theirs = entry_ids(built), entry_ids(other)
    assert theirs and all(mine[title] == theirs[title] for title in theirs)


def test_deleted_output_brings_the_archive_back(built):
    (built / "build/feed.xml").unlink()
    result = run(built, "build")
    assert result.returncode == 0
    assert "wrote build/feed.xml" in result.stdout and "built" not in result.stdout
