"""``secbrief weekly 2023-W42``: one brief per client for an ISO week.

For each client profile, writes ``briefs/<week>-<client>.yaml`` (e.g.
``briefs/2023-w42-two-rivers-freight.yaml``) prefilled with the week, the
client, its series and style, the next issue number of that series, its
TLP marking and the week's incidents in its scope; the judgements and the
outlook are left as YAML comments for analysts to fill in, so the brief
builds as it is. An existing file is never overwritten. Then it builds the
week's briefs from the corpus it loaded, with the new briefs added to it:
the project is read and validated once.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from secbrief.core.atomic import create_new
from secbrief.core.dates import parse_week
from secbrief.core.diagnostics import Report, SecbriefError, UsageError, say, yaml_comment
from secbrief.core.project import Project
from secbrief.validate.clients import incidents_in_scope
from secbrief.pipeline.build import build
from secbrief.resolve.weekly_view import range_text
from secbrief.validate.load_corpus import add_briefs, load_corpus



@dataclass
class WeeklyResult:
    created: list[str] = field(default_factory=list)   # brief ids
    existing: list[str] = field(default_factory=list)


def brief_id(week: str, client_id: str) -> str:
    return f"{week.lower()}-{client_id}"


def next_issue(corpus, client) -> int:
    """One more than the highest issue of this client's series so far."""
    issues = [entry.model.issue for entry in corpus.briefs.values()
              if entry.model.client == client.id and entry.model.series == client.profile.series
              and entry.model.issue is not None]
    return max(issues, default=0) + 1


def weekly(project: Project, week_text: str, clients: list[str] | None = None, build_after: bool = True,
           force: bool = False, log: Callable[[str], None] = say,
           pdf_variant: str | None = None) -> WeeklyResult:
    """``pdf_variant``: as for build (None: build's default)."""

    week, monday, sunday = parse_week(week_text)
    report = Report()
    corpus = load_corpus(project, report)
    report.log_warnings_then_raise(log)
    if not corpus.clients:
        raise SecbriefError.at(f"{project.display(project.briefs_dir)}/clients/", "no client profiles; "
                               "add one per client (see docs/clients.md)")
    unknown = [c for c in clients or [] if c not in corpus.clients]
    if unknown:
        raise UsageError(f"unknown client '{unknown[0]}'; the clients are: {', '.join(sorted(corpus.clients))}")

    result = WeeklyResult()
    for client_id in clients or sorted(corpus.clients):
        client = corpus.clients[client_id]
        target = project.briefs_dir / f"{brief_id(week, client_id)}.yaml"
        if target.exists():
            result.existing.append(target.stem)
            log(f"exists: {project.display(target)} (left as it is)")
            continue
        ids = incidents_in_scope(corpus, client.profile.scope, monday, sunday)
        issue = next_issue(corpus, client)
        _create(target, brief_yaml(corpus, client, week, monday, sunday, ids, issue))
        result.created.append(target.stem)
        log(f"created {project.display(target)}: {client.profile.branding.display_name}, "
            f"issue {issue}, {len(ids)} incident(s) in scope")
    if build_after:
        # The new briefs join the corpus loaded above, checked as a load
        # checks them, and the build renders from it: no second load.
        added = Report()
        add_briefs(corpus, [project.briefs_dir / f"{b}.yaml" for b in result.created], added)
        added.log_warnings_then_raise(log)
        variant = {"pdf_variant": pdf_variant} if pdf_variant else {}
        build(project, result.created + result.existing, force=force, log=log, corpus=corpus, **variant)
    return result


def brief_yaml(corpus, client, week: str, monday: dt.date, sunday: dt.date, ids: list[str],
               issue: int) -> str:
    """The new brief's text: valid YAML that builds as it is, with the parts
    analysts write left as comments."""
    profile = client.profile
    span = range_text(monday, sunday)
    lines = [
        f"# {yaml_comment(profile.branding.display_name)}: weekly brief for {week} ({span}).",
        f"# Made by `secbrief weekly {week}`, which never overwrites it. Check the",
        "# incidents, write the summary, judgements and outlook (uncomment them),",
        "# then run `make`. Fields: docs/weekly.md.",
        f"style: {profile.style}",
        f"client: {client.id}",
        f"series: {_quoted(profile.series)}",
        *([f"publisher: {_quoted(profile.publisher)}"] if profile.publisher else []),
        f"issue: {issue}",
        f"title: {_quoted(f'Week {monday.isocalendar()[1]}: {span}')}",
        f"issued: {sunday.isoformat()}  # the day it goes out: change it when you send it",
        f"period: {week}",
        f"tlp: {profile.weekly_tlp}",
        "",
        f"# The incidents of {span} in {yaml_comment(profile.branding.display_name)}'s scope",
        "# (briefs/clients/" + client.id + ".yaml), oldest first. Remove one that does",
        "# not belong; add others by id.",
    ]
    if ids:
        lines.append("incidents:")
        lines += [f"  - {i}  # {yaml_comment(corpus.incidents[i].model.title)}" for i in ids]
    else:
        lines.append("incidents: []  # none recorded in scope this week")
    first = ids[0] if ids else "incident-id"
    lines += [
        "",
        "# summary: |",
        "#   Two or three sentences: what happened this week and what it means",
        "#   for the client, citing incidents or sources as [@id].",
        "",
        "# key_judgements:",
        "#   - id: short-stable-id        # keep it from week to week",
        "#     statement: >-",
        "#       One plain assertion about what will happen.",
        "#     likelihood: likely         # remote chance ... almost certain",
        "#     confidence: moderate       # low | moderate | high",
        f"#     evidence: [{first}]",
        "",
        "# outlook: |",
        "#   What to expect next week.",
        "",
    ]
    return "\n".join(lines)


# Characters JSON leaves as they are but YAML refuses or reads as line breaks.
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufffe\uffff]")


def _quoted(text: str) -> str:
    """A JSON string is a YAML double-quoted scalar, safe whatever the text
    holds, once the few characters YAML treats differently are escaped."""
    quoted = json.dumps(text, ensure_ascii=False)
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


def _create(target: Path, text: str) -> None:
    """Write a new brief file whole, and never over an existing one."""
    try:
        create_new(target, text.encode("utf-8"))
    except FileExistsError:
        raise SecbriefError.at(target, "appeared while writing; left as it is") from None
