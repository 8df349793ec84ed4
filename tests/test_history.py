"""Briefs versioned in git: "What changed" across a series, `secbrief diff`,
`secbrief history`, and the version stamp in every output.

Every repository here is made in tmp_path with `git init`; commit dates are
fixed so stamps can be asserted exactly.
"""

import datetime as dt
import os
import shutil
import subprocess
import sys

import pytest

from conftest import run, write

BRIEF3 = "briefs/weekly-3.yaml"
BRIEF4 = "briefs/weekly-4.yaml"
DATES = ["2024-03-05T10:00:00+00:00", "2024-03-12T09:30:00+00:00", "2024-03-19T08:00:00+00:00"]


def brief(issue: int, attacks: str, talks_confidence: str = "low", extra: str = "") -> str:
    return f"""\
style: security-brief
title: Weekly brief {issue}
issued: {dt.date(2020, 12, 21) + dt.timedelta(weeks=issue - 3)}
tlp: GREEN
series: Test Weekly
issue: {issue}
event: 2020-12-20-embassy-rockets
outlook: The outlook for issue {issue}.
key_judgements:
  - id: attacks-continue
    statement: Militias will keep attacking US facilities [@2020-12-20-embassy-rockets].
    likelihood: {attacks}
    confidence: moderate
    evidence: [2020-12-20-embassy-rockets]
  - id: talks-fail
    statement: Talks between Baghdad and the militias will fail.
    likelihood: unlikely
    confidence: {talks_confidence}
    evidence: [2020-12-20-embassy-rockets]
{extra}"""


def git_env(date_index: int = 0, author: str = "Ann Analyst") -> dict:
    # No GIT_* from outside (a hook would point GIT_DIR elsewhere); fixed names and dates.
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    email = author.split()[0].lower() + "@example.org"
    env.update(GIT_AUTHOR_NAME=author, GIT_AUTHOR_EMAIL=email, GIT_COMMITTER_NAME=author,
               GIT_COMMITTER_EMAIL=email, GIT_AUTHOR_DATE=DATES[date_index],
               GIT_COMMITTER_DATE=DATES[date_index], GIT_CONFIG_NOSYSTEM="1", HOME=os.environ.get("HOME", "/"))
    env.pop("NO_COLOR", None)
    return env


def git(root, *args, date_index: int = 0, author: str = "Ann Analyst") -> str:
    return subprocess.run(["git", *args], cwd=root, env=git_env(date_index, author), check=True,
                          capture_output=True, text=True).stdout.strip()


def commit_all(root, message, date_index=0, author="Ann Analyst"):
    git(root, "add", "-A", date_index=date_index, author=author)
    git(root, "commit", "-q", "-m", message, date_index=date_index, author=author)


def sb(root, *args):
    return run(root, *args, env=git_env())


def short(root, rev="HEAD") -> str:
    return git(root, "rev-parse", rev)[:10]


def pdftotext(path) -> str:
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    return text


def flat(text: str) -> str:
    return " ".join(text.split())


def make_repo(root):
    """Issue 3 and a first draft of issue 4 (a copy), then issue 4 re-graded."""
    (root / "briefs/test-brief.yaml").unlink()
    write(root, BRIEF3, brief(3, "likely"))
    write(root, BRIEF4, brief(4, "likely"))
    write(root, ".gitignore", "build/\n")
    git(root, "init", "-q")
    commit_all(root, "Issue 3, and issue 4 started as a copy", 0, "Ann Analyst")
    write(root, BRIEF4, brief(4, "highly likely"))
    commit_all(root, "Issue 4: attacks now highly likely", 1, "Bob Editor")
    return root


@pytest.fixture
def repo(mini):
    return make_repo(mini)


@pytest.fixture(scope="module")
def built_repo(tmp_path_factory):
    """The repository after one full build (md, html, pdf): shared by the read-only tests."""
    from conftest import FIXTURES, REPO

    root = tmp_path_factory.mktemp("series") / "mini"
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copytree(FIXTURES / "mini", root, dirs_exist_ok=True)
    make_repo(root)
    result = sb(root, "build")
    assert result.returncode == 0, result.stderr
    return root


def out(root, brief_id, fmt):
    path = root / "build" / brief_id / f"{brief_id}.{fmt}"
    return path.read_bytes() if fmt == "pdf" else path.read_text(encoding="utf-8")


# --- Done when: diff, history, and the next issue says what changed -------

RAISED = "raised from likely (55-75%) to highly likely (80-90%)"
RAISED_HTML = RAISED.replace("-", "\u2013")  # ranges take an en dash in the HTML (typography.py)


def test_diff_names_the_regraded_judgement_with_both_terms(repo):
    result = sb(repo, "diff", "weekly-4", "HEAD~1", "HEAD")
    assert result.returncode == 0, result.stderr
    assert f"re-graded  attacks-continue: {RAISED}" in result.stdout
    assert "talks-fail" not in result.stdout  # unchanged judgements are not listed
    assert "\x1b[" not in result.stdout  # not a terminal: no colour


def test_history_shows_both_commits_with_grades(repo):
    result = sb(repo, "history", BRIEF4)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines == [
        f"2024-03-12  {short(repo)}  Bob Editor   attacks-continue: highly likely, moderate; talks-fail: unlikely, low",
        f"2024-03-05  {short(repo, 'HEAD~1')}  Ann Analyst  attacks-continue: likely, moderate; talks-fail: unlikely, low",
    ]


def test_history_of_one_judgement(repo):
    result = sb(repo, "history", "weekly-4", "--judgement", "attacks-continue")
    assert result.stdout.splitlines() == [
        f"2024-03-12  {short(repo)}  Bob Editor   highly likely (80-90%), moderate confidence",
        f"2024-03-05  {short(repo, 'HEAD~1')}  Ann Analyst  likely (55-75%), moderate confidence"]
    wrong = sb(repo, "history", "weekly-4", "--judgement", "attack-continue")
    assert wrong.returncode == 2
    assert wrong.stderr.strip() == ("secbrief history: no key judgement 'attack-continue' in any revision "
                                    "of briefs/weekly-4.yaml (did you mean 'attacks-continue'?)")


def test_next_issue_says_raised_in_markdown_html_and_pdf(built_repo):
    md = out(built_repo, "weekly-4", "md")
    assert "## What changed since Issue 3 (21 December 2020)" in md
    assert f"Militias will keep attacking US facilities. — **{RAISED}**" in md
    assert "No change" not in md and "1 other key judgement unchanged." in md
    html = out(built_repo, "weekly-4", "html")
    assert f'<span class="wc-change">{RAISED_HTML}</span>' in html
    pdf_text = flat(pdftotext(built_repo / "build/weekly-4/weekly-4.pdf"))
    assert "What changed since Issue 3" in pdf_text and RAISED_HTML in pdf_text
    # Issue 3 has no earlier issue: no block at all.
    assert "What changed" not in out(built_repo, "weekly-3", "md")


# --- Done when: provenance ------------------------------------------------

def test_clean_commit_shows_short_hash_everywhere(built_repo):
    stamp = f"Version {short(built_repo)} of 2024-03-12 · secbrief"
    assert stamp in out(built_repo, "weekly-4", "md").splitlines()[-1]
    html = out(built_repo, "weekly-4", "html")
    assert f'<meta name="brief-version" content="{stamp}' in html
    assert f'<footer class="colophon">TLP:GREEN · ' in html and stamp in html.split('class="colophon"')[1]
    assert "draft-banner\"" not in html and "DRAFT:" not in html
    pdf = built_repo / "build/weekly-4/weekly-4.pdf"
    pages = [page for page in pdftotext(pdf).split("\f") if page.strip()]
    # A client's pages carry no commit hash: the stamp is small print on the last page only.
    assert stamp in flat(pages[-1]) and not any(stamp in flat(page) for page in pages[:-1])
    from pypdf import PdfReader

    assert PdfReader(pdf).metadata["/briefversion"].startswith(stamp)
    # Issue 3's content last changed in the first commit: its own version.
    assert f"Version {short(built_repo, 'HEAD~1')} of 2024-03-05" in out(built_repo, "weekly-3", "md")


def test_uncommitted_change_marks_draft_then_commit_clears_it(repo):
    assert sb(repo, "build", "--format", "md,html,pdf").returncode == 0
    path = repo / "incidents/2020/2020-12-20-embassy-rockets.yaml"  # an input, not the brief itself
    path.write_text(path.read_text().replace("Test summary", "Corrected summary"))
    result = sb(repo, "build")
    assert result.returncode == 0, result.stderr
    md = out(repo, "weekly-4", "md")
    draft = f"DRAFT: uncommitted changes on top of {short(repo)} of 2024-03-12"
    assert md.splitlines()[:3] == ["TLP:GREEN", "", f"**{draft}**."]
    assert f'<p class="draft-banner">{draft}</p>' in out(repo, "weekly-4", "html")
    pdf_text = flat(pdftotext(repo / "build/weekly-4/weekly-4.pdf"))
    assert pdf_text.count(draft) >= 2  # the banner and every page's footer
    commit_all(repo, "Correct the incident summary", 2)
    again = sb(repo, "build", "--format", "md,html,pdf")  # no file changed; only HEAD moved
    assert "built weekly-4 (md, html, pdf): provenance changed" in again.stdout
    assert "DRAFT" not in out(repo, "weekly-4", "md")
    assert f"Version {short(repo)} of 2024-03-19" in out(repo, "weekly-4", "md")


def test_repository_without_commits_is_draft(mini):
    git(mini, "init", "-q")
    assert sb(mini, "build", "--format", "md").returncode == 0
    assert "**DRAFT: not yet committed**" in out(mini, "test-brief", "md")
    result = sb(mini, "history", "test-brief")
    assert result.returncode == 2
    assert result.stderr == "secbrief history: nothing is committed in this repository yet\n"


def test_two_builds_of_the_same_commit_are_identical(repo, tmp_path):
    clones = []
    for name in ("one", "two"):
        clone = tmp_path / name
        git(tmp_path, "clone", "-q", str(repo), str(clone))
        assert sb(clone, "build").returncode == 0
        clones.append(clone)
    files = sorted(p.relative_to(clones[0]) for p in (clones[0] / "build").rglob("*.*")
                   if p.suffix in (".md", ".html", ".pdf", ".xml"))
    # Two briefs in three formats, and the archive's index.html and feed.xml.
    assert len(files) == 8
    for relpath in files:
        assert (clones[0] / relpath).read_bytes() == (clones[1] / relpath).read_bytes(), relpath


def test_project_in_a_subfolder_of_the_repository(mini, tmp_path):
    top = tmp_path / "top"
    shutil.move(mini, top / "desk" / "mini")
    project = top / "desk" / "mini"
    write(project, BRIEF3, brief(3, "likely"))
    git(top, "init", "-q")
    commit_all(top, "the desk's briefs", 0)
    assert sb(project, "build", "weekly-3", "--format", "md").returncode == 0
    assert f"Version {short(top)} of 2024-03-05" in out(project, "weekly-3", "md")
    assert "DRAFT" not in out(project, "weekly-3", "md")


# --- Done when: without git ------------------------------------------------

def test_outside_a_repository_build_works_and_diff_explains(mini):
    assert not (mini / ".git").exists()
    result = sb(mini, "build", "--format", "md,html")
    assert result.returncode == 0, result.stderr
    assert out(mini, "test-brief", "md").splitlines()[-1] == "TLP:AMBER · Unversioned · secbrief 0.1.0"
    for command in (["diff", "test-brief"], ["history", "test-brief"]):
        result = sb(mini, *command)
        assert result.returncode == 2
        assert result.stdout == ""
        assert result.stderr == (f"secbrief {command[0]}: cannot read the brief's revisions: "
                                 "not a git repository here\n")


def test_without_git_installed(repo, tmp_path):
    env = git_env()
    env["PATH"] = str(tmp_path / "empty")  # sys.executable is absolute; git is not found
    result = run(repo, "build", "weekly-4", "--format", "md", env=env)
    assert result.returncode == 0, result.stderr
    assert "Unversioned" in out(repo, "weekly-4", "md")
    result = run(repo, "diff", "weekly-4", env=env)
    assert result.returncode == 2
    assert result.stderr == "secbrief diff: cannot read the brief's revisions: git is not installed\n"


def test_shallow_clone_builds_unversioned_and_history_refuses(repo, tmp_path):
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    assert sb(clone, "build", "weekly-4", "--format", "md").returncode == 0
    assert "Unversioned" in out(clone, "weekly-4", "md")
    result = sb(clone, "history", "weekly-4")
    assert result.returncode == 2 and "shallow clone" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    result = sb(clone, "diff", "weekly-4", "HEAD~1")
    assert result.returncode == 2
    assert result.stderr.strip() == ("secbrief diff: unknown revision 'HEAD~1' (this is a shallow clone: "
                                     "`git fetch --unshallow` brings the rest)")


# --- diff details -------------------------------------------------------------

def test_diff_working_tree_evidence_text_and_markdown(repo):
    write(repo, BRIEF4, brief(4, "highly likely", talks_confidence="moderate", extra="""\
  - id: drones-spread
    statement: Drone attacks will spread to Syria.
    likelihood: realistic possibility
    confidence: low
    evidence: [2020-12-20-embassy-rockets]
""").replace("outlook for issue 4", "outlook for the fourth issue")
        .replace("evidence: [2020-12-20-embassy-rockets]\n  - id: talks", "evidence: []\n  - id: talks"))
    result = sb(repo, "diff", "weekly-4")
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert text.splitlines()[0] == f"briefs/weekly-4.yaml: HEAD ({short(repo)}, 2024-03-12) → working tree"
    assert "re-graded  talks-fail: confidence raised from low to moderate" in text
    assert "added      drones-spread: realistic possibility (40-50%), low confidence" in text
    assert "attacks-continue: −2020-12-20-embassy-rockets" in text
    assert "outlook: The outlook for [-issue 4.-] {+the fourth issue.+}" in text
    md = sb(repo, "diff", "weekly-4", "--format", "md").stdout
    assert md.startswith(f"### `briefs/weekly-4.yaml`: HEAD ({short(repo)}, 2024-03-12) → working tree")
    assert "- **Re-graded** `talks-fail`: confidence raised from low to moderate" in md
    assert "- **Added** `drones-spread`: realistic possibility (40-50%), low confidence" in md
    assert "- `attacks-continue`: removed `2020-12-20-embassy-rockets`" in md
    assert "- `outlook`: The outlook for ~~issue 4.~~ **the fourth issue.**" in md


def test_diff_removed_judgement_and_unchanged_brief(repo):
    assert sb(repo, "diff", "weekly-4").stdout.splitlines()[-1] == "no change to the brief"
    text = (repo / BRIEF4).read_text()
    (repo / BRIEF4).write_text(text[:text.index("  - id: talks-fail")])
    result = sb(repo, "diff", "weekly-4")
    assert "removed    talks-fail: was unlikely (25-35%), low confidence" in result.stdout


def test_diff_colour_only_on_a_terminal(repo):
    import pty

    write(repo, BRIEF4, brief(4, "almost certain"))

    def on_tty(extra_env):
        leader, follower = pty.openpty()
        env = {**git_env(), **extra_env}
        proc = subprocess.run([sys.executable, "-m", "secbrief", "diff", "weekly-4"], cwd=repo, env=env,
                              stdout=follower, stderr=subprocess.PIPE, timeout=60)
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        os.close(leader)
        assert proc.returncode == 0, proc.stderr
        return b"".join(chunks).decode()

    assert "\x1b[1m" in on_tty({})
    assert "\x1b[" not in on_tty({"NO_COLOR": "1"})
    assert "\x1b[" not in sb(repo, "diff", "weekly-4").stdout
    assert "\x1b[" in sb(repo, "diff", "weekly-4", "--color", "always").stdout


def test_diff_unknown_brief_and_revision(repo):
    result = sb(repo, "diff", "weekly-44")
    assert result.returncode == 2
    assert result.stderr.strip() == ("secbrief diff: no brief or incident 'weekly-44' in this revision or the working tree "
                                     "(did you mean 'weekly-4'?)")
    result = sb(repo, "diff", "weekly-4", "no-such-rev")
    assert result.returncode == 2 and result.stderr.strip() == "secbrief diff: unknown revision 'no-such-rev'"


# --- supersedes ---------------------------------------------------------------

def test_supersedes_must_name_a_brief(repo):
    write(repo, "briefs/special.yaml", brief(9, "likely").replace("series: Test Weekly\n", "")
          .replace("issue: 9\n", "supersedes: weekly-33\n"))
    result = sb(repo, "check")
    assert result.returncode == 1
    assert result.stdout.strip() == ("briefs/special.yaml:5:13: error: supersedes: unknown brief 'weekly-33' "
                                     "(did you mean 'weekly-3'?)")


def test_supersedes_is_compared_and_is_a_build_input(repo):
    write(repo, "briefs/special.yaml", brief(9, "remote chance").replace("series: Test Weekly\n", "")
          .replace("issue: 9\n", "supersedes: weekly-3\n"))
    assert sb(repo, "build", "special", "--format", "md").returncode == 0
    md = out(repo, "special", "md")
    assert ("## What changed since Weekly brief 3 (21 December 2020)" not in md
            and "## What changed since Issue 3 (21 December 2020)" in md)
    assert "lowered from likely (55-75%) to remote chance (≤5%)" in md
    (repo / BRIEF3).write_text((repo / BRIEF3).read_text().replace("confidence: low", "confidence: high"))
    result = sb(repo, "build", "special", "--format", "md")
    assert "built special (md): previous brief weekly-3 changed" in result.stdout
    assert "confidence lowered from high to low" in out(repo, "special", "md")


# --- previous: which issue "What changed" compares with ------------------------

def test_previous_none_is_a_first_issue_without_what_changed(repo):
    write(repo, BRIEF4, brief(4, "highly likely").replace("issue: 4\n", "issue: 4\nprevious: none\n"))
    assert sb(repo, "check").returncode == 0
    assert sb(repo, "build", "weekly-4", "--format", "md").returncode == 0
    assert "What changed" not in out(repo, "weekly-4", "md")


def test_previous_names_the_issue_to_compare_with(repo):
    write(repo, "briefs/weekly-5.yaml", brief(5, "remote chance").replace("issue: 5\n", "issue: 5\nprevious: weekly-3\n"))
    assert sb(repo, "build", "weekly-5", "--format", "md").returncode == 0
    md = out(repo, "weekly-5", "md")
    assert "## What changed since Issue 3 (21 December 2020)" in md  # not issue 4, the latest
    assert "lowered from likely (55-75%) to remote chance (≤5%)" in md


def test_by_default_the_latest_earlier_issue_by_date(repo):
    """Issue numbers restart (a new year, a new client): an issue 1 of 2021
    follows issue 4 of 2020, not nothing, and never a later issue."""
    write(repo, "briefs/weekly-2021-1.yaml", brief(1, "unlikely").replace("issued: 2020-12-07", "issued: 2021-01-04"))
    assert sb(repo, "build", "weekly-2021-1", "--format", "md").returncode == 0
    md = out(repo, "weekly-2021-1", "md")
    assert "## What changed since Issue 4 (28 December 2020)" in md


def test_an_unknown_previous_is_an_error_with_a_suggestion(repo):
    write(repo, BRIEF4, brief(4, "likely").replace("issue: 4\n", "issue: 4\nprevious: weekly-33\n"))
    result = sb(repo, "check")
    assert result.returncode == 1
    assert result.stdout.strip() == ("briefs/weekly-4.yaml:7:11: error: previous: unknown brief 'weekly-33' "
                                     "(did you mean 'weekly-3'?)")


# --- the comparison itself ----------------------------------------------------

def judgement(likelihood, confidence="moderate", statement="S.", yardstick="phia", ident="j"):
    from secbrief.history.changes import Judgement
    from secbrief.core.yardstick import yardstick_for

    return Judgement(ident, statement, likelihood, confidence, (), yardstick_for(yardstick))


@pytest.mark.parametrize("old, new, kind, text", [
    (judgement("likely"), judgement("highly likely"), "raised", RAISED),
    (judgement("likely"), judgement("unlikely"), "lowered",
     "lowered from likely (55-75%) to unlikely (25-35%)"),
    (judgement("likely"), judgement("probable"), "restated",
     "restated from likely (55-75%) as probable (55-75%)"),
    (judgement("likely", "high"), judgement("likely", "low"), "confidence",
     "confidence lowered from high to low"),
    (judgement("likely"), judgement("likely", statement="T."), "revised", "statement revised"),
    (judgement("likely", yardstick="phia"), judgement("very likely", yardstick="icd203"), "raised",
     "raised from likely (55-75%) to very likely (80-95%)"),
])
def test_compare_one(old, new, kind, text):
    from secbrief.history.changes import compare

    [change] = compare([old], [new]).changes
    assert (change.kind, change.text) == (kind, text)


def test_compare_new_withdrawn_unchanged():
    from secbrief.history.changes import compare

    result = compare([judgement("likely", ident="a"), judgement("likely", ident="b")],
                     [judgement("likely", ident="a"), judgement("unlikely", ident="c")])
    assert [(c.id, c.kind) for c in result.changes] == [("c", "new"), ("b", "withdrawn")]
    assert result.unchanged == ["a"]
