"""Platforms: `secbrief deliver --taxii` against a real TAXII 2.1 server
(OASIS medallion, memory backend, started here on localhost), once; and
`secbrief export misp` loaded by PyMISP with every incident in it."""

from __future__ import annotations

import base64
import json
import logging
import re
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from pymisp import MISPEvent

from delivery_support import built_week, week  # noqa: F401 - fixtures
from delivery_support import ENERGY_BRIEF, FREIGHT_BRIEF, free_port, log_records
from secbrief.cli import main
from weekly_support import WEEK42

COLLECTION = "365fed99-08fa-fdcd-a1b3-fb247eb41d01"
MEDIA = "application/taxii+json;version=2.1"
USER, PASSWORD = "desk", "taxii-Pa55word"



class Medallion:
    def __init__(self, folder):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        data = {"/discovery": {"title": "secbrief test", "default": f"{self.base}/api1/",
                               "api_roots": [f"{self.base}/api1/"]},
                "api1": {"information": {"title": "test root", "versions": [MEDIA], "max_content_length": 10_000_000},
                         "status": [],
                         "collections": [{"id": COLLECTION, "title": "partners", "can_read": True, "can_write": True,
                                          "media_types": ["application/stix+json;version=2.1"], "objects": [],
                                          "manifest": []}]}}
        (folder / "data.json").write_text(json.dumps(data), encoding="utf-8")
        config = {"backend": {"module": "medallion.backends.memory_backend", "module_class": "MemoryBackend",
                              "filename": str(folder / "data.json")},
                  "users": {USER: PASSWORD}, "taxii": {"max_page_size": 100}}
        (folder / "config.json").write_text(json.dumps(config), encoding="utf-8")
        self.log = folder / "medallion.log"
        self.process = subprocess.Popen([sys.executable, "-m", "medallion.scripts.run", "--host", "127.0.0.1",
                                         "--port", str(self.port), str(folder / "config.json")],
                                        stdout=subprocess.DEVNULL, stderr=self.log.open("wb"))
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                assert self.process.poll() is None, self.log.read_text()
                time.sleep(0.1)
        raise AssertionError("medallion did not start")

    @property
    def collection_url(self) -> str:
        return f"{self.base}/api1/collections/{COLLECTION}/"

    def posts(self) -> int:
        return sum("POST /api1/collections/" in line for line in self.log.read_text().splitlines())

    def objects(self) -> list[dict]:
        request = urllib.request.Request(self.collection_url + "objects/", headers={
            "Accept": MEDIA, "Authorization": "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read()).get("objects", [])

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture
def medallion(tmp_path):
    server = Medallion(tmp_path)
    yield server
    server.stop()


def declare(root, server, ceiling="AMBER"):
    config = root / "secbrief.yaml"
    config.write_text((config.read_text(encoding="utf-8") if config.exists() else "") + f"""
taxii:
  - name: partners
    collection: {server.collection_url}
    tlp_ceiling: {ceiling}
    username_env: PARTNERS_TAXII_USER
    password_env: PARTNERS_TAXII_PASSWORD
""", encoding="utf-8")


def test_each_brief_lands_in_the_collection_once(week, medallion, monkeypatch, capsys):
    declare(week, medallion)
    monkeypatch.setenv("PARTNERS_TAXII_USER", USER)
    monkeypatch.setenv("PARTNERS_TAXII_PASSWORD", PASSWORD)
    assert main(["-C", str(week), "deliver", "--taxii", WEEK42]) == 0
    out = capsys.readouterr()
    assert medallion.posts() == 2
    held = {o["id"] for o in medallion.objects()}
    for brief in (FREIGHT_BRIEF, ENERGY_BRIEF):
        bundle = json.loads(subprocess.run([sys.executable, "-m", "secbrief", "export", "stix", brief], cwd=week,
                                           capture_output=True, text=True, check=True).stdout)
        report = next(o["id"] for o in bundle["objects"] if o["type"] == "report")
        assert report in held
        assert {o["id"] for o in bundle["objects"]} <= held
    assert [r["result"] for r in log_records(week)] == ["sending", "sent"] * 2
    assert PASSWORD not in out.out + out.err + (week / "deliveries" / "log.jsonl").read_text()

    # Once: the log knows, so the second run makes no POST at all.
    assert main(["-C", str(week), "deliver", "--taxii", WEEK42]) == 0
    assert medallion.posts() == 2
    assert capsys.readouterr().out.count("skipped: ") == 2


def test_a_brief_above_the_collections_ceiling_is_refused(week, medallion, monkeypatch, capsys):
    declare(week, medallion, ceiling="GREEN")
    monkeypatch.setenv("PARTNERS_TAXII_USER", USER)
    monkeypatch.setenv("PARTNERS_TAXII_PASSWORD", PASSWORD)
    assert main(["-C", str(week), "deliver", "--taxii", WEEK42]) == 0
    out = capsys.readouterr().out
    assert (f"refused: {FREIGHT_BRIEF} -> taxii:partners: TLP:AMBER is above this collection's ceiling "
            "TLP:GREEN") in out
    assert medallion.posts() == 1


def test_wrong_credentials_are_one_line_and_a_rerun_pushes_what_is_missing(week, medallion, monkeypatch, capsys):
    declare(week, medallion)
    monkeypatch.setenv("PARTNERS_TAXII_USER", USER)
    monkeypatch.setenv("PARTNERS_TAXII_PASSWORD", "wrong")
    assert main(["-C", str(week), "deliver", "--taxii", WEEK42]) == 1
    out = capsys.readouterr()
    assert out.out.count("answered 401") == 2 and "Traceback" not in out.err
    monkeypatch.setenv("PARTNERS_TAXII_PASSWORD", PASSWORD)
    assert main(["-C", str(week), "deliver", "--taxii", WEEK42]) == 0
    assert len(medallion.objects()) > 0


def test_missing_credentials_are_a_usage_error(week, medallion, monkeypatch, capsys):
    declare(week, medallion)
    monkeypatch.delenv("PARTNERS_TAXII_USER", raising=False)
    monkeypatch.delenv("PARTNERS_TAXII_PASSWORD", raising=False)
    assert main(["-C", str(week), "deliver", "--taxii", WEEK42]) == 2
    assert "PARTNERS_TAXII_USER" in capsys.readouterr().err
    assert medallion.posts() == 0


MISP_BRIEFS = ["2023-10-25-iran-backed-attacks-to-increase", FREIGHT_BRIEF]


@pytest.mark.parametrize("brief", MISP_BRIEFS)
def test_every_incident_reaches_the_misp_event(week, brief, tmp_path, caplog):
    out = tmp_path / "event.json"
    assert main(["-C", str(week), "export", "misp", brief, "-o", str(out)]) == 0
    event = MISPEvent()
    with caplog.at_level(logging.WARNING, logger="pymisp"):
        event.load(out.read_text(encoding="utf-8"))
    # PyMISP checks each object against its misp-objects template; a relation the
    # template lacks is dropped by a MISP instance, so none may be reported.
    assert not [r.getMessage() for r in caplog.records if r.name.startswith("pymisp")]
    bundle = json.loads(subprocess.run([sys.executable, "-m", "secbrief", "export", "stix", brief], cwd=week,
                                       capture_output=True, text=True, check=True).stdout)
    stix_incidents = {o["name"]: o for o in bundle["objects"] if o["type"] == "incident"}
    incidents = [o for o in event.objects if o.name == "incident"]
    assert stix_incidents and len(incidents) == len(stix_incidents)
    report = next(o for o in bundle["objects"] if o["type"] == "report")
    marking = {"CLEAR": "tlp:clear", "GREEN": "tlp:green", "AMBER": "tlp:amber"}
    tlp = [t.name for t in event.tags]
    assert len(tlp) == 1 and tlp[0] in marking.values()
    assert str(event.distribution) == ("1" if tlp[0] == "tlp:green" else "0")
    objects = {o.uuid: o for o in event.objects}
    attributes = {a.uuid: a for a in event.attributes}
    assert len({(a.type, a.value) for a in event.attributes}) == len(event.attributes)  # MISP refuses repeats
    for obj in incidents:
        values = {a.object_relation: a.value for a in obj.attributes}
        name = values["name"]
        assert name in stix_incidents and obj.first_seen
        assert values["incident_type"] in stix_incidents[name]["labels"]
        linked = {}
        for ref in obj.references:
            target = objects.get(ref.referenced_uuid) or attributes[ref.referenced_uuid]
            linked.setdefault(ref.relationship_type, []).append(target)
        place = {a.object_relation: a.value for a in linked["located-at"][0].attributes}
        assert place["text"] and place["country"] and "latitude" in place and "longitude" in place
        actors = [t for rel, targets in linked.items() for t in targets if getattr(t, "type", "") == "threat-actor"]
        assert actors and all(a.category == "Attribution" for a in actors)
        assert linked.get("derived-from")
        has_figures = "Casualties:" in stix_incidents[name]["description"]
        assert ("casualties" in linked) == has_figures
        if has_figures:
            note = {a.object_relation: a.value for a in linked["casualties"][0].attributes}["text"]
            assert re.search(r"\d+ (killed|injured)", note)
    assert report["name"] in event.info
    if event.event_reports:
        assert "Key judgements" in event.event_reports[0].name
