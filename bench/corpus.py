"""Seeded synthetic corpora for the benchmarks.

``generate(root, incidents=N, briefs=M)`` writes a secbrief project in the
shape analysts keep one: registries of actors and places, N incident files
spread over countries and years, and M briefs of every style found in
``templates/``, each citing incidents and sources. The same seed always
writes the same bytes, so two runs measure the same work.

Briefs are made from a small recipe per style (which fields that style's
demo brief fills). A style this file has no recipe for is skipped and named
in ``Corpus.skipped_styles``, so a new style never breaks the benchmark.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

COUNTRIES = {
    "Iraq": ["Baghdad", "Erbil", "Basra", "Kirkuk", "Mosul", "Najaf", "Ramadi"],
    "Syria": ["Damascus", "Aleppo", "Deir ez-Zor", "Homs", "Hasakah", "Raqqa"],
    "Lebanon": ["Beirut", "Tyre", "Sidon", "Baalbek", "Tripoli"],
    "Yemen": ["Sanaa", "Aden", "Marib", "Hodeidah", "Taiz"],
    "Jordan": ["Amman", "Zarqa", "Aqaba", "Irbid"],
    "Israel": ["Haifa", "Eilat", "Tel Aviv", "Ashkelon"],
    "Iran": ["Tehran", "Ahvaz", "Isfahan", "Tabriz"],
    "Saudi Arabia": ["Riyadh", "Jeddah", "Abqaiq", "Jizan"],
    "Bahrain": ["Manama", "Muharraq"],
    "Kuwait": ["Kuwait City", "Jahra"],
    "United Arab Emirates": ["Abu Dhabi", "Dubai"],
    "Oman": ["Muscat", "Duqm"],
}
PLACE_KINDS = ("military-base", "airport", "diplomatic", "road", "site")
INCIDENT_TYPES = ("rocket-attack", "missile-attack", "drone-attack", "airstrike", "ied-attack",
                  "armed-clash", "attack", "abduction", "violent-demonstration", "protest")
ROLES = ("perpetrator", "suspected", "claimed", "target", "victim", "responder")
LIKELIHOOD = ("remote chance", "highly unlikely", "unlikely", "realistic possibility", "likely",
              "highly likely", "almost certain")
TLPS = ("CLEAR", "GREEN", "AMBER")
SYLLABLES = ("ka", "ta", "ib", "hiz", "bul", "lah", "as", "aib", "ahl", "haq", "nu", "ja", "ba",
             "ra", "sar", "qa", "dim", "mu", "ham", "zain", "far", "rid", "sal", "wan")
WORDS = ("militia", "convoy", "base", "drone", "rocket", "forces", "government", "officials",
         "reported", "attack", "security", "province", "claimed", "launched", "targeted", "near",
         "airport", "embassy", "local", "sources", "said", "during", "night", "morning", "several",
         "damage", "injured", "killed", "group", "statement", "spokesman", "coalition", "road",
         "checkpoint", "patrol", "tension", "escalation", "response", "warning", "retaliation",
         "supply", "route", "village", "district", "capital", "border", "crossing", "facility")
STYLE_RECIPES = ("security-brief", "assessment", "flash-brief", "analysis", "news-report")
IMAGE_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="400" height="120" viewBox="0 0 400 120">'
             '<rect width="400" height="120" fill="#eef"/><path d="M10 100 L120 40 L220 70 L390 20" '
             'stroke="#a00" stroke-width="3" fill="none"/></svg>\n')


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


@dataclass
class Corpus:
    root: Path
    incident_ids: list[str] = field(default_factory=list)
    brief_ids: list[str] = field(default_factory=list)
    styles: list[str] = field(default_factory=list)
    skipped_styles: list[str] = field(default_factory=list)


class _Writer:
    def __init__(self, root: Path, seed: int):
        self.root = root
        self.rng = random.Random(seed)
        self.actors: list[dict] = []
        self.places: list[dict] = []
        self.incidents: list[dict] = []  # id, date, sources
        self.taken: set[str] = set()

    # --- text ----------------------------------------------------------
    def name(self, parts=2) -> str:
        return " ".join("".join(self.rng.choice(SYLLABLES) for _ in range(self.rng.randint(2, 3))).title()
                        for _ in range(parts))

    def unique_name(self, suffix: str) -> str:
        """A registry name no other actor has (a clash would be an error)."""
        while True:
            name = f"{self.name()} {suffix}"
            if name not in self.taken:
                self.taken.add(name)
                return name

    def sentence(self, cite: list[str] | None = None) -> str:
        words = self.rng.choices(WORDS, k=self.rng.randint(9, 18))
        text = " ".join(words).capitalize()
        if cite:
            text += " [" + "; ".join(f"@{c}" for c in cite) + "]"
        return text + "."

    def paragraph(self, cites: list[str], sentences=(3, 5)) -> str:
        count = self.rng.randint(*sentences)
        out = []
        for i in range(count):
            out.append(self.sentence(cites[i:i + 1] if i < len(cites) else None))
        return " ".join(out)

    def block(self, text: str, indent: int) -> str:
        """A literal block scalar, wrapped at about 72 columns."""
        pad = " " * indent
        lines, line = [], ""
        for paragraph in text.split("\n\n"):
            for word in paragraph.split():
                if len(line) + len(word) > 72:
                    lines.append(line)
                    line = ""
                line = f"{line} {word}" if line else word
            lines.append(line)
            lines.append("")
            line = ""
        return "|\n" + "\n".join(pad + l if l else "" for l in lines[:-1])

    # --- registries ----------------------------------------------------
    def registries(self) -> None:
        lines = ["# Synthetic actor registry (bench/corpus.py).", "actors:"]
        states = ["United States", "Russia", "Turkey", "United Kingdom", "France", *COUNTRIES]
        for state in states:
            actor = {"id": slug(state), "name": state, "kind": "state"}
            self.actors.append(actor)
            lines += [f"  - id: {actor['id']}", f"    name: {q(state)}",
                      f"    aliases: [{q(state + ' government')}, {q(state + 'i forces')}]",
                      "    kind: state", f"    country: {q(state)}"]
        umbrellas = []
        for index in range(12):
            name = self.unique_name("Front")
            actor = {"id": f"umbrella-{index}-{slug(name)}", "name": name, "kind": "umbrella"}
            umbrellas.append(actor)
            self.actors.append(actor)
            lines += [f"  - id: {actor['id']}", f"    name: {q(name)}",
                      f"    aliases: [{q(f'{name.upper()} {index}')}, {q('The ' + name)}]",
                      "    kind: umbrella", "    native_name: \"جبهة\""]
        for index in range(140):
            name = self.unique_name(self.rng.choice(("Brigades", "Movement", "Battalion", "Guard")))
            actor = {"id": f"group-{index}-{slug(name)}", "name": name, "kind": "militia"}
            self.actors.append(actor)
            aliases = [f"{name.replace(' ', '-')} {index}", f"{name} Group {index}",
                       f"{''.join(w[0] for w in name.split())}{index}"]
            lines += [f"  - id: {actor['id']}", f"    name: {q(name)}",
                      f"    aliases: [{', '.join(q(a) for a in aliases)}]",
                      f"    kind: {self.rng.choice(('militia', 'armed-group'))}"]
            if self.rng.random() < 0.6:
                lines.append(f"    affiliation: {self.rng.choice(umbrellas)['id']}")
            actor["aliases"] = aliases
            lines.append(f"    country: {q(self.rng.choice(list(COUNTRIES)))}")
        write(self.root / "incidents/actors.yaml", "\n".join(lines) + "\n")

        lines = ["# Synthetic place registry (bench/corpus.py).", "places:"]
        for country, cities in COUNTRIES.items():
            for city in cities:
                for kind in self.rng.sample(PLACE_KINDS, 3):
                    name = f"{city} {kind.replace('-', ' ').title()} {len(self.places)}"
                    place = {"id": slug(name), "name": name, "country": country, "city": city}
                    self.places.append(place)
                    lines += [f"  - id: {place['id']}", f"    name: {q(name)}",
                              f"    aliases: [{q(name.lower())}, {q(name.replace(' ', '-'))}]",
                              f"    kind: {kind}", f"    city: {q(city)}", f"    country: {q(country)}",
                              f"    lat: {self.rng.uniform(12, 40):.2f}", f"    lon: {self.rng.uniform(34, 60):.2f}"]
        write(self.root / "incidents/places.yaml", "\n".join(lines) + "\n")

    # --- incidents -----------------------------------------------------
    def incident(self, index: int, years: tuple[int, int]) -> None:
        rng = self.rng
        day = dt.date(rng.randint(*years), 1, 1) + dt.timedelta(days=rng.randint(0, 364))
        kind = rng.choice(INCIDENT_TYPES)
        incident_id = f"{day.isoformat()}-{kind}-{index}"
        sources = [f"src-{index}-{k}" for k in range(rng.randint(1, 3))]
        lines = [f"date: {day.isoformat()}"]
        if rng.random() < 0.5:
            lines.append(f"time: \"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}\"")
        lines += [f"title: {q(self.sentence()[:-1][:90])}", f"type: {kind}"]
        if rng.random() < 0.6:
            place = rng.choice(self.places)
            lines += ["location:", f"  place: {q(rng.choice([place['name'], place['name'].lower()]))}",
                      f"  precision: {rng.choice(('exact', 'near', 'approximate'))}"]
        else:
            country = rng.choice(list(COUNTRIES))
            lines += ["location:", f"  city: {q(rng.choice(COUNTRIES[country]))}", f"  country: {q(country)}",
                      f"  lat: {rng.uniform(12, 40):.2f}", f"  lon: {rng.uniform(34, 60):.2f}"]
        lines.append("actors:")
        for actor in rng.sample(self.actors, rng.randint(1, 3)):
            name = rng.choice([actor["name"], *actor.get("aliases", [])])
            lines.append(f"  - {{name: {q(name)}, role: {rng.choice(ROLES)}}}")
        if rng.random() < 0.7:
            lines.append(f"casualties: {{killed: {rng.randint(0, 9)}, injured: {rng.randint(0, 30)}}}")
        summary = self.paragraph(sources[:2]) + "\n\n" + self.paragraph(sources[1:])
        lines.append("summary: " + self.block(summary, 2))
        lines.append("sources:")
        for source in sources:
            published = day + dt.timedelta(days=rng.randint(0, 5))
            lines += [f"  - id: {source}", f"    publisher: {q(self.name(1) + ' News')}",
                      f"    title: {q(self.sentence()[:-1][:100])}", f"    date: {published.isoformat()}",
                      f"    url: https://news.example/{index}/{source}", f"    grade: {rng.choice('ABC')}{rng.randint(1, 3)}"]
        lines.append(f"tags: [{slug(kind)}, {rng.choice(('iraq', 'syria', 'yemen', 'gulf', 'levant'))}]")
        write(self.root / f"incidents/{day.year}/{incident_id}.yaml", "\n".join(lines) + "\n")
        self.incidents.append({"id": incident_id, "date": day, "sources": sources})

    # --- briefs --------------------------------------------------------
    def brief(self, index: int, style: str) -> str:
        rng = self.rng
        cited = sorted(rng.sample(self.incidents, min(len(self.incidents), rng.randint(4, 8))),
                       key=lambda i: i["date"])
        event = cited[-1]
        issued = event["date"] + dt.timedelta(days=rng.randint(1, 6))
        brief_id = f"{issued.isoformat()}-{style}-{index}"
        own_source = f"brief-src-{index}"
        ids = [c["id"] for c in cited]
        lines = [f"style: {style}", "publisher: Synthetic Risk Desk",
                 f"title: {q(self.sentence()[:-1][:100])}", f"issued: {issued.isoformat()}",
                 f"tlp: {rng.choice(TLPS)}"]
        recipe = RECIPES[style]
        lines += recipe(self, ids, event, issued, own_source)
        lines += [f"tags: [{style}, synthetic]", "sources:",
                  f"  - id: {own_source}", "    publisher: Synthetic Wire",
                  f"    title: {q(self.sentence()[:-1][:100])}", f"    date: {issued.isoformat()}",
                  f"    url: https://wire.example/{index}", "    grade: B2"]
        write(self.root / f"briefs/{brief_id}.yaml", "\n".join(lines) + "\n")
        return brief_id

    def judgements(self, ids: list[str], count=3) -> list[str]:
        lines = ["key_judgements:"]
        for k in range(count):
            lines += [f"  - id: judgement-{k}", f"    statement: {q(self.sentence())}",
                      f"    likelihood: {self.rng.choice(LIKELIHOOD)}",
                      f"    confidence: {self.rng.choice(('low', 'moderate', 'high'))}",
                      f"    evidence: [{', '.join(self.rng.sample(ids, 2))}]"]
        return lines

    def sections(self, ids: list[str], count: int, read_more=False) -> list[str]:
        lines = ["sections:"]
        for k in range(count):
            body = self.paragraph(self.rng.sample(ids, 2)) + "\n\n" + self.paragraph([])
            lines += [f"  - heading: {q(self.sentence()[:-1][:60])}", "    body: " + self.block(body, 6)]
            if read_more:
                lines += ["    read_more:", f"      - title: {q(self.sentence()[:-1][:60])}",
                          f"        url: https://more.example/{k}"]
        return lines

    def quotes(self, count: int) -> list[str]:
        lines = ["quotes:"]
        for _ in range(count):
            lines += [f"  - text: {q(self.sentence())}", f"    speaker: {q(self.name())}",
                      "    role: Analyst"]
        return lines


def _security_brief(w: _Writer, ids, event, issued, own_source):
    parties = [a["name"] for a in w.rng.sample(w.actors, 3)]
    week = issued.isocalendar()
    return [
        "series: Security Brief", f"issue: {w.rng.randint(1, 400)}", "team: CENTCOM",
        f"period: {week.year}-W{week.week:02d}", f"event: {event['id']}",
        f"parties: [{', '.join(q(p) for p in parties)}]",
        *w.judgements(ids),
        "implications:",
        "  - " + w.block(w.paragraph([own_source, ids[0]]), 4),
        "  - text: " + w.block(w.paragraph([]), 6), f"    timeline: [{', '.join(ids[:3])}]",
        "  - " + w.block(w.paragraph([ids[1]]), 4),
        "outlook: " + w.block(w.paragraph([ids[-1]]), 2),
    ]


def _assessment(w: _Writer, ids, event, issued, own_source):
    return [
        "issued_to: clients of the Synthetic Risk Desk",
        f"period: {{from: {(issued - dt.timedelta(days=8)).isoformat()}, to: {issued.isoformat()}}}",
        f"incidents: [{', '.join(ids)}]", *w.judgements(ids, 4),
        "summary: " + w.block(w.paragraph([own_source, ids[0]]), 2),
        *w.sections(ids, 3),
        "image:", "  file: images/bench.svg", "  caption: Synthetic chart of the incidents",
        "  credit: Synthetic Risk Desk",
    ]


def _flash_brief(w: _Writer, ids, event, issued, own_source):
    return [
        f"event: {event['id']}", f"incidents: [{', '.join(ids)}]",
        "summary: " + w.block(w.paragraph([own_source, ids[0]]) + "\n\n" + w.paragraph([ids[1]]), 2),
        *w.quotes(2), *w.sections(ids, 2),
        "related:", f"  - title: {q(w.sentence()[:-1][:60])}", "    url: https://related.example/1",
        "    publisher: Synthetic Flash Brief",
    ]


def _analysis(w: _Writer, ids, event, issued, own_source):
    return [
        "kicker: Analysis", f"standfirst: {q(w.sentence())}", f"incidents: [{', '.join(ids)}]",
        "summary: " + w.block(w.paragraph([own_source, ids[0]]), 2), *w.sections(ids, 3),
    ]


def _news_report(w: _Writer, ids, event, issued, own_source):
    return [
        f"standfirst: {q(w.sentence())}", "dateline: {city: BAGHDAD, publisher: Synthetic Risk Desk}",
        f"incidents: [{', '.join(ids)}]",
        "image:", "  file: images/bench.svg", "  caption: Synthetic chart of the incidents",
        "  credit: Synthetic Risk Desk", "  alt: A line chart",
        "summary: " + w.block(w.paragraph([own_source, ids[0]]), 2),
        *w.sections(ids, 3, read_more=True), *w.quotes(1),
    ]


RECIPES = {"security-brief": _security_brief, "assessment": _assessment, "flash-brief": _flash_brief,
           "analysis": _analysis, "news-report": _news_report}


def slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def styles_in(templates: Path) -> list[str]:
    return sorted(p.name for p in templates.iterdir() if p.is_dir() and not p.name.startswith(("_", ".")))


def generate(root: Path, incidents: int, briefs: int = 0, seed: int = 8,
             years: tuple[int, int] = (2014, 2024), templates: Path = REPO / "templates") -> Corpus:
    """Write a synthetic project under ``root`` (templates copied from the repo)."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(templates, root / "templates", dirs_exist_ok=True)
    writer = _Writer(root, seed)
    writer.registries()
    for index in range(incidents):
        writer.incident(index, years)
    corpus = Corpus(root, incident_ids=[i["id"] for i in writer.incidents])
    found = styles_in(root / "templates")
    corpus.styles = [s for s in found if s in RECIPES]
    corpus.skipped_styles = [s for s in found if s not in RECIPES]
    (root / "briefs").mkdir(exist_ok=True)
    if briefs and corpus.styles:
        write(root / "briefs/images/bench.svg", IMAGE_SVG)
        for index in range(briefs):
            corpus.brief_ids.append(writer.brief(index, corpus.styles[index % len(corpus.styles)]))
    return corpus


if __name__ == "__main__":  # python bench/corpus.py DIR N M: write a corpus to look at
    import sys

    out = generate(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 0)
    print(f"{len(out.incident_ids)} incidents, {len(out.brief_ids)} briefs ({', '.join(out.styles)})"
          + (f"; no recipe for: {', '.join(out.skipped_styles)}" if out.skipped_styles else ""))
