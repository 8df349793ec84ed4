"""The version stamp every output carries: which commit of the brief it shows.

A brief's version is the newest commit that touched the brief file or any
file its *content* comes from: the incidents it uses, the actor and place
registries, its image, and the brief its "What changed" block compares with.
Templates and secbrief itself are not part of it (they change how a brief
looks, not what it says); the stamp names the secbrief version separately.

The stamp reads from git only, never the clock, so the same commit always
gives the same stamp and the same bytes. All briefs of a build share one
batch of git calls: `rev-parse`, `status` and `log` over every path at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from secbrief import __version__
from secbrief.history import gitinfo
from secbrief.history.changes import previous_entry
from secbrief.history.gitinfo import Commit, GitFailed, GitUnavailable

COMMITTED, DRAFT, UNVERSIONED = "committed", "draft", "unversioned"


@dataclass(frozen=True)
class Provenance:
    state: str
    commit: Commit | None = None
    why: str = ""  # for unversioned: git's reason, shown by `secbrief diff`/`history`, not in outputs

    @property
    def draft(self) -> bool:
        return self.state == DRAFT

    @property
    def version(self) -> str:
        """Short hash and commit date, or "" when there is no commit."""
        return f"{self.commit.short} of {self.commit.date}" if self.commit else ""

    @property
    def label(self) -> str:
        if self.state == COMMITTED:
            return f"Version {self.version}"
        if self.state == DRAFT:
            if self.commit is None:
                return "DRAFT: not yet committed"
            return f"DRAFT: uncommitted changes on top of {self.version}"
        return "Unversioned"

    @property
    def secbrief(self) -> str:
        return f"secbrief {__version__}"

    @property
    def text(self) -> str:
        """The whole stamp, one line: what footers show."""
        return f"{self.label} · {self.secbrief}"


def unversioned(why: str = "") -> Provenance:
    return Provenance(UNVERSIONED, why=why)


def content_paths(corpus, brief_id: str, inputs: dict[str, str]) -> list[str]:
    """Project-relative files a brief's content comes from, read off its
    build inputs (secbrief.pipeline.inputs names each "incident <id>", ...)."""
    project = corpus.project
    entry = corpus.briefs[brief_id]
    files = [entry.doc.path]
    files += [corpus.incidents[key.split(" ", 1)[1]].doc.path for key in inputs if key.startswith("incident ")]
    if any(key.startswith(("actor ", "place ")) for key in inputs):
        files += [path for path in project.registry_paths() if path.is_file()]
    if entry.model.image:
        files.append(entry.doc.path.parent / entry.model.image.file)
    previous = previous_entry(corpus, brief_id)
    if previous is not None:
        files.append(previous.doc.path)
    return list(dict.fromkeys(project.display(path) for path in files))


def stamps(project, paths_by_brief: dict[str, list[str]]) -> dict[str, Provenance]:
    """One Provenance per brief, from three git calls for all of them."""
    try:
        repo = gitinfo.open_repo(project.root)
        if repo.shallow:
            # The newest commit we can see may not be the last to touch a
            # file: its history is cut off. Better no version than a wrong one.
            raise GitUnavailable("shallow clone (history cut off)")
        every = sorted({path for paths in paths_by_brief.values() for path in paths})
        dirty = gitinfo.dirty_paths(repo, every)
        last = gitinfo.last_commits(repo, every)
    except (GitUnavailable, GitFailed) as exc:
        return {brief_id: unversioned(str(exc)) for brief_id in paths_by_brief}
    result = {}
    for brief_id, paths in paths_by_brief.items():
        committed = [last[path] for path in paths if path in last]
        newest = min(committed, key=lambda pair: pair[0])[1] if committed else None
        # A path git has no commit for is untracked (or ignored): not reproducible from a commit.
        if any(path in dirty or path not in last for path in paths):
            result[brief_id] = Provenance(DRAFT, newest)
        else:
            result[brief_id] = Provenance(COMMITTED, newest)
    return result
