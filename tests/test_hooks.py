"""The pre-commit hooks: `make hooks` installs a plain git hook that stops a
commit carrying a broken file; .pre-commit-hooks.yaml runs the same check."""

import os
import re
import shutil
import subprocess
import sys

import yaml

from conftest import REPO, write


def git(root, *args, env):
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, env=env, timeout=120)


def test_make_hooks_installs_a_hook_that_blocks_a_broken_commit(mini, tmp_path):
    env = {**os.environ, "HOME": str(tmp_path), "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_AUTHOR_NAME": "a", "GIT_AUTHOR_EMAIL": "a@example.org",
           "GIT_COMMITTER_NAME": "a", "GIT_COMMITTER_EMAIL": "a@example.org",
           "SECBRIEF": f"{sys.executable} -m secbrief"}
    shutil.copy(REPO / "Makefile", mini / "Makefile")
    shutil.copytree(REPO / ".ci", mini / ".ci")
    assert git(mini, "init", "-q", env=env).returncode == 0
    installed = subprocess.run(["make", "hooks"], cwd=mini, capture_output=True, text=True, env=env)
    assert installed.returncode == 0, installed.stderr
    assert os.access(mini / ".git/hooks/pre-commit", os.X_OK)
    git(mini, "add", "-A", env=env)
    first = git(mini, "commit", "-qm", "mini", env=env)
    assert first.returncode == 0, first.stdout + first.stderr

    write(mini, "incidents/2020/2020-12-22-broken.yaml", "date: 2020-12-22\ntpye: rocket-attack\n")
    git(mini, "add", "-A", env=env)
    blocked = git(mini, "commit", "-qm", "broken", env=env)
    assert blocked.returncode != 0
    assert ("incidents/2020/2020-12-22-broken.yaml:2:1: error: unknown field 'tpye' "
            "(did you mean 'type'?)") in blocked.stdout + blocked.stderr

    (mini / "incidents/2020/2020-12-22-broken.yaml").unlink()
    write(mini, "briefs/notes.yaml", "style: security-brief\ntitle: Notes\nissued: 2020-12-21\ntlp: CLEAR\n")
    git(mini, "add", "-A", env=env)
    fixed = git(mini, "commit", "-qm", "notes", env=env)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr

    again = subprocess.run(["make", "hooks"], cwd=mini, capture_output=True, text=True, env=env)
    assert again.returncode == 0  # installing twice is harmless
    (mini / ".git/hooks/pre-commit").write_text("#!/bin/sh\necho mine\n")
    refused = subprocess.run(["make", "hooks"], cwd=mini, capture_output=True, text=True, env=env)
    assert refused.returncode != 0 and "is not secbrief's" in refused.stderr
    assert (mini / ".git/hooks/pre-commit").read_text() == "#!/bin/sh\necho mine\n"


def test_pre_commit_framework_hook():
    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "secbrief-check" and hook["entry"] == "secbrief check"
    assert hook["language"] == "python" and hook["pass_filenames"] is True
    files = re.compile(hook["files"])
    wanted = [str(p.relative_to(REPO)) for p in [*REPO.glob("incidents/**/*.yaml"),
                                                 *REPO.glob("briefs/*.yaml"), REPO / "secbrief.yaml"]]
    assert all(files.search(path) for path in wanted)
    assert not any(files.search(path) for path in [".pre-commit-hooks.yaml", "templates/x/brief.html.j2",
                                                    "docs/schema/brief.schema.json", "pyproject.toml"])
