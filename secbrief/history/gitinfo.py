"""Every git call secbrief makes, in one place.

git runs as a subprocess with an explicit argument list (never a shell), in
the project folder, with the user's own configuration neutralised where it
would change the output we parse (colours, quoted paths, signatures).
Paths in and out are project-relative POSIX strings ("briefs/x.yaml"), even
when the project is a subfolder of the repository.

When git cannot answer (not installed, not a repository, a shallow clone
whose history is cut), ``GitUnavailable`` says why in one line.
"""

from __future__ import annotations

import os
import subprocess
from collections import namedtuple
from pathlib import Path

SHORT = 10  # fixed length: git's automatic abbreviation grows with the repo, a stamp must not
_GLOBAL = ("-c", "core.quotePath=false", "-c", "color.ui=never", "-c", "log.showSignature=false",
           "--literal-pathspecs")
_HEADER = "\x01"  # marks a commit header in `git log -z` output; never starts a file name we use


class GitUnavailable(Exception):
    """git cannot answer here; str() is a one-line reason."""


class GitFailed(Exception):
    """A git command failed; str() is git's first line of complaint."""


class Commit(namedtuple("Commit", "hash date author path", defaults=("", ""))):
    """hash; date: committer date, YYYY-MM-DD in the committer's time zone
    (no wall clock involved); author; path: the file's project-relative
    path at this commit (history follows renames). Named tuples here, not
    dataclasses: a no-op build imports this module (see secbrief.core.diagnostics)."""

    __slots__ = ()

    @property
    def short(self) -> str:
        return self.hash[:SHORT]


class Repo(namedtuple("Repo", "root prefix shallow head")):
    """root: the project folder, where git runs; prefix: the project folder
    relative to the repository's top, "" or "sub/dir/"; shallow; head:
    None in a repository without commits."""

    __slots__ = ()

    def repo_path(self, path: str) -> str:
        return self.prefix + path

    def project_path(self, repo_path: str) -> str | None:
        return repo_path[len(self.prefix):] if repo_path.startswith(self.prefix) else None


def _env() -> dict[str, str]:
    env = dict(os.environ)
    # English messages (we show git's reasons), no prompts, and no index
    # refresh written behind the user's back by a read-only `git status`.
    env.update(LC_ALL="C", GIT_TERMINAL_PROMPT="0", GIT_OPTIONAL_LOCKS="0")
    return env


def run(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(["git", *_GLOBAL, *args], cwd=root, input=stdin, capture_output=True,
                              env=_env(), timeout=120)
    except FileNotFoundError:
        raise GitUnavailable("git is not installed") from None
    except subprocess.TimeoutExpired:
        raise GitFailed(f"git {args[0]} took longer than 120 s") from None
    if done.returncode != 0:
        raise GitFailed(_first_line(done.stderr) or f"git {args[0]} exited with {done.returncode}")
    return done.stdout


def _first_line(stderr: bytes) -> str:
    for line in stderr.decode("utf-8", "replace").splitlines():
        line = line.strip()
        if line:
            return line.removeprefix("fatal: ").removeprefix("error: ")
    return ""


def open_repo(root: Path) -> Repo:
    """The repository the project lives in, or GitUnavailable with the reason."""
    try:
        lines = run(root, "rev-parse", "--show-prefix", "--is-shallow-repository", "--verify",
                    "HEAD^{commit}").decode().split("\n")
        head = lines[2].strip()
    except GitFailed as exc:
        if "not a git repository" in str(exc):
            raise GitUnavailable("not a git repository") from None
        try:  # a repository without commits has no HEAD yet
            lines = run(root, "rev-parse", "--show-prefix", "--is-shallow-repository").decode().split("\n")
        except GitFailed as again:
            raise GitUnavailable(str(again)) from None
        head = None
    return Repo(root=root, prefix=lines[0].strip(), shallow=lines[1].strip() == "true", head=head or None)


def head_state(root: Path) -> str:
    """A cheap token that changes with every commit (for the no-op check).
    One git call; never fails."""
    try:
        return run(root, "rev-parse", "--verify", "--quiet", "HEAD").decode().strip()
    except (GitUnavailable, GitFailed) as exc:
        return f"no-head: {exc}"


def dirty_paths(repo: Repo, paths: list[str]) -> set[str]:
    """Which of ``paths`` differ from HEAD: modified, staged, new or deleted."""
    if not paths:
        return set()
    out = run(repo.root, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--", *paths)
    dirty: set[str] = set()
    tokens = out.decode("utf-8", "replace").split("\0")
    index = 0
    while index < len(tokens):
        token = tokens[index]
        index += 1
        if len(token) < 4:
            continue
        status, path = token[:2], token[3:]
        if status[0] in "RC":  # a rename or copy: the next token is the old name
            old = repo.project_path(tokens[index]) if index < len(tokens) else None
            if old:
                dirty.add(old)
            index += 1
        project_path = repo.project_path(path)
        if project_path is not None:
            dirty.add(project_path)
    return dirty


def last_commits(repo: Repo, paths: list[str]) -> dict[str, tuple[int, Commit]]:
    """The newest commit that changed each path, with its place in the log
    (0 = newest), from one `git log` over all of them."""
    if not paths or repo.head is None:
        return {}
    out = run(repo.root, "log", "-z", "--no-renames", "--name-only", "--no-show-signature",
              f"--format={_HEADER}%H%x09%cI%x09%an", "HEAD", "--", *paths)
    found: dict[str, tuple[int, Commit]] = {}
    for age, (commit, files) in enumerate(_parse_log(out)):
        for repo_path in files:
            path = repo.project_path(repo_path)
            if path is not None and path not in found:
                found[path] = (age, commit)
        if len(found) == len(paths):
            break
    return found


def file_history(repo: Repo, path: str) -> list[Commit]:
    """Every commit that changed one file, newest first, following renames."""
    if repo.head is None:
        return []
    out = run(repo.root, "log", "-z", "--follow", "--name-only", "--no-show-signature",
              f"--format={_HEADER}%H%x09%cI%x09%an", "HEAD", "--", path)
    history = []
    for commit, files in _parse_log(out):
        at = repo.project_path(files[-1]) if files else path
        history.append(Commit(commit.hash, commit.date, commit.author, at or path))
    return history


def _parse_log(out: bytes):
    """(Commit, [repo paths]) from `git log -z --name-only --format=<_HEADER>...`."""
    commit, files = None, []
    for token in out.decode("utf-8", "replace").split("\0"):
        token = token.lstrip("\n")
        if token.startswith(_HEADER):
            if commit is not None:
                yield commit, files
            sha, date, author = (token[1:].split("\t") + ["", ""])[:3]
            commit, files = Commit(sha, date[:10], author), []
        elif token and commit is not None:
            files.append(token)
    if commit is not None:
        yield commit, files


def commit_at(repo: Repo, rev: str) -> Commit:
    """A revision the user typed, as a commit; GitFailed says why it is not one."""
    if rev.startswith("-"):
        raise GitFailed(f"'{rev}' is not a revision")
    try:
        out = run(repo.root, "log", "-1", "--no-show-signature", "--format=%H%x09%cI%x09%an",
                  f"{rev}^{{commit}}", "--").decode()
    except GitFailed:
        hint = " (this is a shallow clone: `git fetch --unshallow` brings the rest)" if repo.shallow else ""
        raise GitFailed(f"unknown revision '{rev}'{hint}") from None
    sha, date, author = (out.strip().split("\t") + ["", ""])[:3]
    return Commit(sha, date[:10], author)


def read_blobs(repo: Repo, wanted: list[tuple[str, str]]) -> list[bytes | None]:
    """The bytes of (revision, project path) pairs from one `git cat-file
    --batch`; None where the file does not exist at that revision."""
    if not wanted:
        return []
    request = "".join(f"{rev}:{repo.repo_path(path)}\n" for rev, path in wanted).encode()
    out = run(repo.root, "cat-file", "--batch", stdin=request)
    blobs: list[bytes | None] = []
    position = 0
    for _ in wanted:
        end = out.index(b"\n", position)
        header = out[position:end].split(b" ")
        position = end + 1
        if len(header) == 3 and header[1] == b"blob":
            size = int(header[2])
            blobs.append(out[position:position + size])
            position += size + 1  # the content is followed by a newline
        else:  # "<name> missing", or not a blob (a folder)
            if len(header) == 3:
                position += int(header[2]) + 1
            blobs.append(None)
    return blobs
