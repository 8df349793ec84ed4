"""A brief or an incident across git revisions: `secbrief diff` (either)
and `secbrief history` (a brief's judgements).

Each version of the brief is read from git (`git cat-file --batch`) or the
working tree and parsed with secbrief's own safe loader, leniently: an old
revision need not validate against today's schema to be compared.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from secbrief.core.diagnostics import ProblemsFound, Report, UsageError
from secbrief.core.textgrammar import ID_PATTERN
from secbrief.history import changes
from secbrief.history import gitinfo
from secbrief.history.gitinfo import Commit, GitFailed, GitUnavailable, Repo
from secbrief.load.yamlfile import load_bytes
from secbrief.model.config import load_config

# Fields compared as evidence (lists of ids), not as text.
EVIDENCE_FIELDS = ("incidents", "sources")
# Judgement fields the judgement comparison covers; the text diff skips them.
GRADE_FIELDS = ("id", "likelihood", "confidence", "evidence")


@dataclass
class Version:
    label: str  # how the user sees it: "HEAD (4f3cda179d, 2026-11-21)" or "working tree"
    data: Any  # the parsed YAML, or None when the file does not exist there
    project_yardstick: str | None = None  # from secbrief.yaml, for the labels

    @property
    def judgements(self) -> list[changes.Judgement]:
        return changes.from_data(self.data, self.project_yardstick)


@dataclass
class TextChange:
    field: str  # "outlook", "key_judgements[kj-attacks].statement", ...
    old: str | None  # None: the field is new
    new: str | None  # None: the field was removed


@dataclass
class EvidenceChange:
    owner: str  # a judgement id, or "incidents" / "sources" of the brief
    added: list[str]
    removed: list[str]


@dataclass
class BriefDiff:
    path: str
    old: Version
    new: Version
    judgements: changes.Comparison
    evidence: list[EvidenceChange] = field(default_factory=list)
    text: list[TextChange] = field(default_factory=list)
    kind: str = "brief"  # or "incident": an incident file compares the same way (no judgements)

    @property
    def empty(self) -> bool:
        return not (self.judgements.changes or self.evidence or self.text)


# --- finding the brief and the repository --------------------------------

def brief_path(project, brief: str, command: str) -> str:
    """briefs/<id>.yaml from an id or a path, as build accepts them."""
    stem = Path(brief).stem if brief.endswith((".yaml", ".yml")) else brief
    if not re.fullmatch(ID_PATTERN, stem):  # also keeps newlines out of `git cat-file --batch`
        raise UsageError(f"secbrief {command}: '{brief}' is not a brief id or a briefs/<id>.yaml file")
    return project.display(project.briefs_dir / f"{stem}.yaml")


def document_path(project, ref: str, command: str) -> tuple[str, str]:
    """(path, "brief" or "incident") from an id or a file path. An id is
    looked up among the briefs and the incidents of the working tree; an id
    that is both is a usage error naming both files. A path says by its
    folder which it is."""
    stem = Path(ref).stem if ref.endswith((".yaml", ".yml")) else ref
    if not re.fullmatch(ID_PATTERN, stem):  # also keeps newlines out of `git cat-file --batch`
        raise UsageError(f"secbrief {command}: '{ref}' is not a brief or incident id, or the file of one")
    brief = project.display(project.briefs_dir / f"{stem}.yaml")
    found = sorted(project.incidents_dir.glob(f"*/{stem}.yaml"))
    incident = project.display(found[0] if found else project.incidents_dir / stem[:4] / f"{stem}.yaml")
    if stem != ref:  # a file
        return (incident, "incident") if "incidents" in Path(ref).parts else (brief, "brief")
    if found and (project.root / brief).is_file():
        raise UsageError(f"secbrief {command}: '{stem}' is both a brief ({brief}) and an incident ({incident}); "
                         "give the path of the one to compare")
    return (incident, "incident") if found else (brief, "brief")


def _open_repo(project, command: str, need_full_history: bool = False) -> Repo:
    """The repository, or a one-line UsageError (exit 2) saying why not."""
    try:
        repo = gitinfo.open_repo(project.root)
    except GitUnavailable as exc:
        raise UsageError(f"secbrief {command}: cannot read the brief's revisions: {exc}"
                         f"{' here' if 'repository' in str(exc) else ''}") from None
    if need_full_history and repo.shallow:
        raise UsageError(f"secbrief {command}: this is a shallow clone, so its history is cut off; "
                         "run `git fetch --unshallow` first")
    if repo.head is None:
        raise UsageError(f"secbrief {command}: nothing is committed in this repository yet")
    return repo


def _parse(raw: bytes | None, path: str, where: str) -> Any:
    if raw is None:
        return None
    report = Report()
    doc = load_bytes(raw, Path(path), f"{path} ({where})", report)
    if doc is None or report.errors:
        raise ProblemsFound(report.diagnostics)
    return doc.data


def _unknown_brief(project, path: str, command: str, what: str = "brief") -> UsageError:
    import difflib

    ids = [p.stem for p in project.brief_paths()]
    if what != "brief":  # diff: the id named neither (or a file of) a brief nor an incident
        ids += [p.stem for p in project.incident_paths()]
    close = difflib.get_close_matches(Path(path).stem, ids, n=1, cutoff=0.6)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return UsageError(f"secbrief {command}: no {what} '{Path(path).stem}' in this revision or the working "
                      f"tree{hint}")


# --- diff -----------------------------------------------------------------

def _project_yardstick(project) -> str | None:
    """The yardstick secbrief.yaml chooses (labels only; a broken config is
    reported by `secbrief check`, not here)."""

    return load_config(project, Report()).yardstick


def diff(project, brief: str, rev_a: str | None = None, rev_b: str | None = None) -> BriefDiff:
    """The brief or incident at rev_a (default HEAD) against rev_b (default
    the working tree)."""
    repo = _open_repo(project, "diff")
    path, kind = document_path(project, brief, "diff")
    revisions = [rev_a or "HEAD", rev_b]
    commits: list[Commit | None] = []
    for rev in revisions:
        try:
            commits.append(gitinfo.commit_at(repo, rev) if rev is not None else None)
        except GitFailed as exc:
            raise UsageError(f"secbrief diff: {exc}") from None
    blobs = gitinfo.read_blobs(repo, [(c.hash, path) for c in commits if c is not None])
    yardstick = _project_yardstick(project)
    versions = []
    for rev, commit in zip(revisions, commits):
        if commit is None:
            file = project.root / path
            versions.append(Version("working tree", _parse(file.read_bytes() if file.is_file() else None,
                                                           path, "working tree"), yardstick))
        else:
            label = f"{rev} ({commit.short}, {commit.date})"
            versions.append(Version(label, _parse(blobs.pop(0), path, rev), yardstick))
    old, new = versions
    if old.data is None and new.data is None:
        named = brief.endswith((".yaml", ".yml"))
        raise _unknown_brief(project, path, "diff", kind if named else "brief or incident")
    return compare_versions(path, old, new, kind)


def compare_versions(path: str, old: Version, new: Version, kind: str = "brief") -> BriefDiff:
    result = BriefDiff(path, old, new, changes.compare(old.judgements, new.judgements), kind=kind)
    for change in result.judgements.changes:
        if change.evidence_added or change.evidence_removed:
            result.evidence.append(EvidenceChange(change.id, change.evidence_added, change.evidence_removed))
    for name in EVIDENCE_FIELDS:
        before, after = _ids(old.data, name), _ids(new.data, name)
        added = [i for i in after if i not in before]
        removed = [i for i in before if i not in after]
        if added or removed:
            result.evidence.append(EvidenceChange(name, added, removed))
    before, after = text_fields(old.data), text_fields(new.data)
    for key in list(after) + [k for k in before if k not in after]:
        if before.get(key) != after.get(key):
            result.text.append(TextChange(key, before.get(key), after.get(key)))
    return result


def _ids(data: Any, name: str) -> list[str]:
    items = data.get(name) if isinstance(data, dict) else None
    found = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict):
            item = item.get("id")
        if item is not None:
            found.append(str(item))
    return found


def text_fields(data: Any) -> dict[str, str]:
    """Every scalar of a brief as text, by a readable path: list items with an
    id are keyed by it ("key_judgements[kj-attacks].statement"), so a moved
    item is not a changed one. Grades and evidence are compared elsewhere."""
    found: dict[str, str] = {}

    def walk(value, key: str, in_judgement: bool):
        if isinstance(value, dict):
            for name, item in value.items():
                if in_judgement and name in GRADE_FIELDS:
                    continue
                walk(item, f"{key}.{name}" if key else str(name), in_judgement)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                ident = item.get("id") if isinstance(item, dict) else None
                walk(item, f"{key}[{ident if isinstance(ident, str) else index + 1}]",
                     in_judgement or key == "key_judgements")
        elif value is not None:
            found[key] = value if isinstance(value, str) else str(value)

    if isinstance(data, dict):
        walk({k: v for k, v in data.items() if k not in EVIDENCE_FIELDS}, "", False)
    return found


# --- history --------------------------------------------------------------

@dataclass
class HistoryLine:
    commit: Commit
    judgements: list[changes.Judgement] | None  # None: the file could not be read at that commit


def history(project, brief: str, judgement: str | None = None) -> list[HistoryLine]:
    """One line per commit that changed the brief file, newest first."""
    repo = _open_repo(project, "history", need_full_history=True)
    path = brief_path(project, brief, "history")
    commits = gitinfo.file_history(repo, path)
    if not commits:
        if (project.root / path).is_file():
            raise UsageError(f"secbrief history: {path} has no commits yet")
        raise _unknown_brief(project, path, "history")
    blobs = gitinfo.read_blobs(repo, [(c.hash, c.path) for c in commits])
    lines = []
    yardstick = _project_yardstick(project)
    for commit, raw in zip(commits, blobs):
        try:
            data = _parse(raw, commit.path, commit.short)
            lines.append(HistoryLine(commit, changes.from_data(data, yardstick) if data is not None else []))
        except ProblemsFound:
            lines.append(HistoryLine(commit, None))
    if judgement is not None:
        seen = {j.id for line in lines for j in line.judgements or []}
        if judgement not in seen:
            import difflib

            close = difflib.get_close_matches(judgement, sorted(seen), n=1, cutoff=0.6)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise UsageError(f"secbrief history: no key judgement '{judgement}' in any revision of {path}{hint}")
    return lines


def history_lines(lines: list[HistoryLine], judgement: str | None = None) -> list[str]:
    """One line of text per commit. Authors, ids and grades come from git
    and YAML: the caller prints each line through core.diagnostics.say."""
    width = max(len(line.commit.author) for line in lines)
    out = []
    for line in lines:
        head = f"{line.commit.date}  {line.commit.short}  {line.commit.author:<{width}}  "
        if line.judgements is None:
            grades = "(the file could not be read at this commit)"
        elif judgement is not None:
            match = next((j for j in line.judgements if j.id == judgement), None)
            grades = match.grade if match else "(not in this revision)"
        else:
            grades = "; ".join(f"{j.id}: {j.likelihood}, {j.confidence}" for j in line.judgements) \
                or "(no key judgements)"
        out.append(head + grades)
    return out
