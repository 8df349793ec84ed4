"""Seeded synthetic corpora for the benchmarks.

``generate(root, incidents=N, briefs=M)`` writes a secbrief project in the
shape analysts keep one: registries of actors and places, N incident files
spread over countries and years, and M briefs of every style found in
``templates/``, each citing incidents and sources. The same seed always
writes the same bytes, so two runs measure the same work.

Briefs are made from a small recipe per style (which fields that style's
demo brief fills). A style this file has no recipe for is skipped and named
in ``Corpus.skipped_styles``, so a new style never breaks the benchmark.

Weekly briefs need clients: when the ``weekly-brief`` style is there, the
corpus gets the client profiles of ``CLIENTS`` (with small SVG logos) whose
scopes together cover every synthetic country, and each weekly brief is one
client's brief for one ISO week, as ``secbrief weekly`` would start it: the
week's incidents in that client's scope, the client's series, issues
numbered 1, 2, ... per client in week order (so each issue has a previous
one to say "What changed" against), and a TLP marking within its ceiling.
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
# Each country's bounding box (Natural Earth, as `secbrief check` knows it):
# coordinates are drawn inside the country they name, so the corpus passes
# the coordinate checks (SB281/SB282) and its maps show where it says.
BOUNDS = json.loads((REPO / "secbrief" / "validate" / "country_bounds.json").read_text(encoding="utf-8"))["bounds"]


def lat_lon(rng, country: str) -> tuple[str, str]:
    """Two draws, as before the bounds were used: the rest of the seeded corpus is unchanged."""
    west, south, east, north = BOUNDS[country]
    return f"{rng.uniform(south, north):.2f}", f"{rng.uniform(west, east):.2f}"


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
STYLE_RECIPES = ("security-brief", "assessment", "flash-brief", "analysis", "news-report", "weekly-brief")
WEEKLY_STYLE = "weekly-brief"  # made by _Writer.weekly_brief: it needs clients and a plan of weeks
ATTACKS = tuple(t for t in INCIDENT_TYPES if t not in ("protest", "violent-demonstration"))
# Client profiles (docs/clients.md): id, name, display name, accent, scope,
# TLP ceiling and the marking their weekly briefs get. Together the scopes
# cover every country of COUNTRIES; they overlap (Iraq, Kuwait) and use
# every kind of narrowing (types, tags), as real clients' do.
CLIENTS = (
    {"id": "tigris-haulage", "name": "Tigris Haulage & Storage Co", "display": "Tigris Haulage",
     "accent": "#0B6E4F", "countries": ["Iraq"], "types": [], "tags": [],
     "ceiling": "AMBER", "tlp": "AMBER"},
    {"id": "levant-grid-power", "name": "Levant Grid Power plc", "display": "Levant Grid",
     "accent": "#A4460E", "countries": ["Syria", "Lebanon", "Jordan", "Israel"], "types": list(ATTACKS),
     "tags": [], "ceiling": "GREEN", "tlp": "GREEN"},
    {"id": "gulf-coast-shipping", "name": "Gulf Coast Shipping Lines LLC", "display": "Gulf Coast Shipping",
     "accent": "#1F4E9A", "countries": ["Saudi Arabia", "Yemen", "Oman", "United Arab Emirates", "Bahrain",
                                        "Kuwait"], "types": [], "tags": [], "ceiling": "AMBER", "tlp": "GREEN"},
    {"id": "north-gulf-underwriters", "name": "North Gulf Underwriters Ltd", "display": "North Gulf Underwriters",
     "accent": "#6B2E83", "countries": ["Iran", "Iraq", "Kuwait"], "types": [], "tags": ["gulf", "iraq"],
     "ceiling": "CLEAR", "tlp": "CLEAR"},
)
LOGO_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 150 40" width="150" height="40">\n'
            '  <title>{display}</title>\n'
            '  <rect x="0" y="0" width="40" height="40" rx="8" fill="{accent}"/>\n'
            '  <text x="20" y="26" text-anchor="middle" font-family="Noto Sans, DejaVu Sans, sans-serif" '
            'font-size="15" font-weight="700" fill="#ffffff">{initials}</text>\n'
            '  <text x="48" y="18" font-family="Noto Sans, DejaVu Sans, sans-serif" font-size="11" '
            'font-weight="700" fill="{accent}">{first}</text>\n'
            '  <text x="48" y="33" font-family="Noto Sans, DejaVu Sans, sans-serif" font-size="10" '
            'fill="#3c4a44">{rest}</text>\n'
            '</svg>\n')
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
    clients: list[str] = field(default_factory=list)


class _Writer:
    def __init__(self, root: Path, seed: int):
        self.root = root
        self.rng = random.Random(seed)
        self.actors: list[dict] = []
        self.places: list[dict] = []
        self.incidents: list[dict] = []  # id, date, sources, country, type, tags
        self.taken: set[str] = set()
        self.weekly_plan: dict[int, dict] = {}  # brief index -> client, week, issue

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
                              *(f"    {key}: {value}" for key, value in zip(("lat", "lon"), lat_lon(self.rng, country)))]
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
            country = place["country"]
            lines += ["location:", f"  place: {q(rng.choice([place['name'], place['name'].lower()]))}",
                      f"  precision: {rng.choice(('exact', 'near', 'approximate'))}"]
        else:
            country = rng.choice(list(COUNTRIES))
            lines += ["location:", f"  city: {q(rng.choice(COUNTRIES[country]))}", f"  country: {q(country)}",
                      *(f"  {key}: {value}" for key, value in zip(("lat", "lon"), lat_lon(rng, country)))]
        lines.append("actors:")
        for actor in rng.sample(self.actors, rng.randint(1, 3)):
            name = rng.choice([actor["name"], *actor.get("aliases", [])])
            lines.append(f"  - {{name: {q(name)}, role: {rng.choice(ROLES)}}}")
        if rng.random() < 0.7:
            lines.append(f"casualties: {{killed: {rng.randint(0, 9)}, injured: {rng.randint(0, 30)}}}")
        summary = self.paragraph(sources[:2]) + "\n\n" + self.paragraph(sources[1:])
        lines.append("summary: " + self.block(summary, 2))
        lines.append("sources:")
        for number, source in enumerate(sources):
            # The first report is of the day: a brief issued after the incident
            # always has one source it could have read (check's SB257).
            published = day + dt.timedelta(days=rng.randint(0, 5) if number else 0)
            lines += [f"  - id: {source}", f"    publisher: {q(self.name(1) + ' News')}",
                      f"    title: {q(self.sentence()[:-1][:100])}", f"    date: {published.isoformat()}",
                      f"    url: https://news.example/{index}/{source}", f"    grade: {rng.choice('ABC')}{rng.randint(1, 3)}"]
        tags = [slug(kind), rng.choice(('iraq', 'syria', 'yemen', 'gulf', 'levant'))]
        lines.append(f"tags: [{', '.join(tags)}]")
        write(self.root / f"incidents/{day.year}/{incident_id}.yaml", "\n".join(lines) + "\n")
        self.incidents.append({"id": incident_id, "date": day, "sources": sources, "country": country,
                               "type": kind, "tags": tags})

    # --- briefs --------------------------------------------------------
    def brief(self, index: int, style: str) -> str:
        if style == WEEKLY_STYLE:
            return self.weekly_brief(index, style)
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
        return self.finish_brief(brief_id, lines, style, own_source, issued, index)

    def judgements(self, ids: list[str], count=3) -> list[str]:
        lines = ["key_judgements:"]
        for k in range(count):
            lines += [f"  - id: judgement-{k}", f"    statement: {q(self.sentence())}",
                      f"    likelihood: {self.rng.choice(LIKELIHOOD)}",
                      f"    confidence: {self.rng.choice(('low', 'moderate', 'high'))}",
                      f"    evidence: [{', '.join(self.rng.sample(ids, 2))}]"]
        return lines

    # --- clients and weekly briefs -------------------------------------
    def clients(self) -> list[str]:
        """One profile per entry of CLIENTS, each with its logo."""
        for client in CLIENTS:
            scope = [f"  countries: [{', '.join(q(c) for c in client['countries'])}]"]
            if client["types"]:
                scope.append(f"  types: [{', '.join(client['types'])}]")
            if client["tags"]:
                scope.append(f"  tags: [{', '.join(client['tags'])}]")
            lines = [f"# Synthetic client profile (bench/corpus.py). Fields: docs/clients.md.",
                     f"name: {q(client['name'])}", "scope:", *scope,
                     f"series: {q(series_of(client))}", f"style: {WEEKLY_STYLE}",
                     "publisher: Synthetic Risk Desk", f"tlp_ceiling: {client['ceiling']}",
                     f"tlp: {client['tlp']}", "branding:", f"  display_name: {q(client['display'])}",
                     f"  logo: logos/{client['id']}.svg", f"  accent: \"{client['accent']}\""]
            write(self.root / f"briefs/clients/{client['id']}.yaml", "\n".join(lines) + "\n")
            first, _, rest = client["display"].upper().partition(" ")
            initials = "".join(word[0] for word in client["display"].split())[:2]
            write(self.root / f"briefs/clients/logos/{client['id']}.svg",
                  LOGO_SVG.format(display=client["display"], accent=client["accent"], initials=initials,
                                  first=first, rest=rest))
        return [client["id"] for client in CLIENTS]

    def plan_weekly(self, indices: list[int]) -> None:
        """Give each weekly brief (by index) a client, in turn, and an ISO
        week of its own for that client, preferring weeks with incidents
        in the client's scope; then number each client's issues in week
        order, as a series grows week after week."""
        weeks_by_client: dict[str, list] = {c["id"]: [] for c in CLIENTS}
        slots = []
        for ordinal, index in enumerate(indices):
            slots.append((index, CLIENTS[ordinal % len(CLIENTS)]))
        for client in CLIENTS:
            wanted = sum(1 for _, c in slots if c is client)
            if not wanted:
                continue
            busy = sorted({iso_week(i["date"]) for i in self.incidents if in_scope(client, i)})
            chosen = self.rng.sample(busy, min(wanted, len(busy)))
            quiet = (w for w in all_weeks(self.incidents) if w not in chosen)
            chosen += [next(quiet) for _ in range(wanted - len(chosen))]  # a quiet week: no incident in scope
            weeks_by_client[client["id"]] = chosen
        taken = {c["id"]: iter(weeks_by_client[c["id"]]) for c in CLIENTS}
        for index, client in slots:
            self.weekly_plan[index] = {"client": client, "week": next(taken[client["id"]])}
        for client in CLIENTS:
            mine = sorted((p["week"], i) for i, p in self.weekly_plan.items() if p["client"] is client)
            for issue, (_, index) in enumerate(mine, start=1):
                self.weekly_plan[index]["issue"] = issue

    def weekly_brief(self, index: int, style: str) -> str:
        """One client's brief for one week (docs/weekly.md), as ``secbrief
        weekly`` starts it and an analyst completes it."""
        rng, plan = self.rng, self.weekly_plan[index]
        client, (year, week) = plan["client"], plan["week"]
        monday = dt.date.fromisocalendar(year, week, 1)
        sunday = monday + dt.timedelta(days=6)
        ids = [i["id"] for i in sorted(self.incidents, key=lambda i: (i["date"], i["id"]))
               if monday <= i["date"] <= sunday and in_scope(client, i)]
        brief_id = f"{year}-w{week:02d}-{client['id']}"
        own_source = f"brief-src-{index}"
        refs = ids + [own_source]
        allowed = TLPS[:TLPS.index(client["ceiling"]) + 1]
        lines = [f"# Synthetic weekly brief (bench/corpus.py) for {client['display']}, {year}-W{week:02d}.",
                 f"style: {style}", f"client: {client['id']}", f"series: {q(series_of(client))}",
                 "publisher: Synthetic Risk Desk", f"issue: {plan['issue']}",
                 f"title: {q(f'Week {week}: ' + words(self.sentence()[:-1], 80))}",
                 f"issued: {(sunday + dt.timedelta(days=rng.randint(0, 2))).isoformat()}",
                 f"period: {year}-W{week:02d}", f"tlp: {rng.choice(allowed)}"]
        lines += ["incidents:", *(f"  - {i}" for i in ids)] if ids else ["incidents: []"]
        lines.append("summary: " + self.block(self.paragraph([own_source, *ids[:2]]), 2))
        lines.append("key_judgements:")
        for k in range(3):  # the same ids every week, so each issue says what changed
            # High confidence only on two or more references: one source alone draws a warning.
            lines += [f"  - id: judgement-{k}", f"    statement: {q(self.sentence())}",
                      f"    likelihood: {rng.choice(LIKELIHOOD)}",
                      f"    confidence: {rng.choice(('low', 'moderate', 'high') if ids else ('low', 'moderate'))}",
                      f"    evidence: [{', '.join(rng.sample(refs, min(2, len(refs))))}]"]
        lines.append("outlook: " + self.block(self.paragraph(ids[-1:]), 2))
        return self.finish_brief(brief_id, lines, style, own_source, sunday, index)

    def finish_brief(self, brief_id: str, lines: list[str], style: str, own_source: str,
                     dated: dt.date, index: int) -> str:
        """Every brief's tags and its own source, then the file."""
        lines += [f"tags: [{style}, synthetic]", "sources:",
                  f"  - id: {own_source}", "    publisher: Synthetic Wire",
                  f"    title: {q(self.sentence()[:-1][:100])}", f"    date: {dated.isoformat()}",
                  f"    url: https://wire.example/{index}", "    grade: B2"]
        write(self.root / f"briefs/{brief_id}.yaml", "\n".join(lines) + "\n")
        return brief_id

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


def words(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters at a word boundary."""
    return text if len(text) <= limit else text[:limit + 1].rsplit(" ", 1)[0]


def series_of(client: dict) -> str:
    return f"{client['display']} Weekly"


def in_scope(client: dict, incident: dict) -> bool:
    """secbrief.validate.clients.in_scope for the profiles above (exact names)."""
    return (incident["country"] in client["countries"]
            and (not client["types"] or incident["type"] in client["types"])
            and (not client["tags"] or bool(set(client["tags"]) & set(incident["tags"]))))


def iso_week(day: dt.date) -> tuple[int, int]:
    year, week, _ = day.isocalendar()
    return year, week


def all_weeks(incidents: list[dict]):
    """Every ISO week from the first incident's on, in order (weeks for a
    client with too few incidents in scope)."""
    day = min((i["date"] for i in incidents), default=dt.date(2014, 1, 1))
    day -= dt.timedelta(days=day.weekday())
    while True:
        yield iso_week(day)
        day += dt.timedelta(days=7)


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
    corpus.styles = [s for s in found if s in STYLE_RECIPES]
    corpus.skipped_styles = [s for s in found if s not in STYLE_RECIPES]
    (root / "briefs").mkdir(exist_ok=True)
    if briefs and corpus.styles:
        write(root / "briefs/images/bench.svg", IMAGE_SVG)
        if WEEKLY_STYLE in corpus.styles:
            corpus.clients = writer.clients()
            writer.plan_weekly([i for i in range(briefs)
                                if corpus.styles[i % len(corpus.styles)] == WEEKLY_STYLE])
        for index in range(briefs):
            corpus.brief_ids.append(writer.brief(index, corpus.styles[index % len(corpus.styles)]))
    return corpus


if __name__ == "__main__":  # python bench/corpus.py DIR N M: write a corpus to look at
    import sys

    out = generate(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 0)
    print(f"{len(out.incident_ids)} incidents, {len(out.brief_ids)} briefs ({', '.join(out.styles)})"
          + (f", {len(out.clients)} client profiles" if out.clients else "")
          + (f"; no recipe for: {', '.join(out.skipped_styles)}" if out.skipped_styles else ""))
