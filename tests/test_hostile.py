"""The hostile input suite: every file in tests/hostile/cases, as listed in
tests/hostile/cases.yaml, put into a fresh copy of the mini project and run
through `secbrief check` and `secbrief build` as a user would, under the
guard of tests/guard.py.

For every case: the expected single error line and exit code (or a clean,
safe build), no traceback, no input file changed, nothing partial or left
behind in build/, no byte read outside the project, no network request.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import hostile_stats
from conftest import REPO
from guard import run_guarded
from outputcheck import html_problems, markdown_problems, pdf_problems, pdf_text, style_text, visible_text
from reading import TYPOGRAPHY

HOSTILE = Path(__file__).resolve().parent / "hostile"
CASES = yaml.safe_load((HOSTILE / "cases.yaml").read_text(encoding="utf-8"))
BRIEF = "test-brief"
REPEAT_RE = re.compile(rb"\{\{REPEAT:(.+?):(\d+)\}\}")


def real_styles() -> list[str]:
    return sorted(p.name for p in (REPO / "templates").iterdir() if p.is_dir() and not p.name.startswith(("_", ".")))


def prepare(root: Path, case: dict) -> list[tuple[str, str | None]]:
    """Put the case's files (and links) into the project; return the briefs
    to look at as (id, style). With `styles: all` the brief is copied once
    per style, so one build renders it with every style."""
    shutil.copytree(HOSTILE / "styles" / "everything", root / "templates" / "everything")
    for source, dest in (case.get("put") or {}).items():
        data = REPEAT_RE.sub(lambda m: m.group(1) * int(m.group(2)), (HOSTILE / source).read_bytes())
        target = root / dest
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    for dest, points_to in (case.get("link") or {}).items():
        (root / dest).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(points_to, root / dest)
    if case.get("styles") != "all":
        return [(BRIEF, None)]
    brief = root / "briefs" / f"{BRIEF}.yaml"
    text = brief.read_text(encoding="utf-8")
    brief.unlink()
    briefs = []
    for style in real_styles() + ["everything"]:
        copy = f"{BRIEF}-{style}"
        (root / "briefs" / f"{copy}.yaml").write_text(re.sub(r"(?m)^style: .*$", f"style: {style}", text),
                                                      encoding="utf-8")
        briefs.append((copy, style))
    return briefs


def inputs(root: Path) -> dict[str, bytes | str]:
    """Every input file's bytes (a link: where it points, never followed)."""
    found = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if relative == "build" or relative.startswith("build/"):
            continue
        if path.is_symlink():
            found[relative] = "-> " + os.readlink(path)
        elif path.is_file():
            found[relative] = path.read_bytes()
    return found


def leftovers(root: Path) -> list[Path]:
    """Temporary files anywhere in build/ (a half-finished write)."""
    build = root / "build"
    return [p for p in build.rglob("*") if p.name.endswith(".tmp")] if build.exists() else []


def diagnostics(text: str) -> list[str]:
    return [line for line in text.splitlines() if re.match(r"^\S.*?:\d+:\d+: (error|warning): ", line)]


def guarded(root: Path, log: Path, *args: str):
    result = run_guarded(root, *args, log=log)
    hostile_stats.record_run(result)
    return result


def assert_contained(result, command: str) -> None:
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    assert "internal error" not in output, output
    assert result.outside == [], f"{command} read outside the project: {result.outside}"
    assert result.network == [], f"{command} used the network: {result.network}"


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_hostile_case(mini, tmp_path, case):
    hostile_stats.record_case(case["id"])
    briefs = prepare(mini, case)
    before = inputs(mini)
    log = tmp_path / "guard.log"
    try:
        if "error" in case:
            expect_error(mini, log, case)
        else:
            expect_safe_build(mini, log, case, briefs)
    finally:
        after = inputs(mini)
        hostile_stats.record_inputs(before, after)
        hostile_stats.record_partial(leftovers(mini))
    assert after == before, "an input file changed"
    assert leftovers(mini) == []


def expect_error(root: Path, log: Path, case: dict) -> None:
    expected = case["error"]
    exit_code = case.get("exit", 1)
    if case.get("stage") != "build":  # template problems only show when rendering
        check = guarded(root, log, "check")
        assert_contained(check, "check")
        assert diagnostics(check.stdout) == [expected], check.stdout + check.stderr
        assert check.returncode == exit_code
    build = guarded(root, log, "build")
    assert_contained(build, "build")
    assert diagnostics(build.stderr) == [expected], build.stdout + build.stderr
    assert build.returncode == exit_code
    # Nothing for a failed build: not an output, not a folder, not a temp file
    # (only build/.cache, compiled templates and parsed YAML, which is no output).
    cache = root / "build" / ".cache"
    left = sorted(path for path in (root / "build").rglob("*") if path != cache and cache not in path.parents) \
        if (root / "build").exists() else []
    hostile_stats.record_partial([path for path in left if path.is_file()])
    assert left == [], [str(path) for path in left]


YAML_ERROR_CASES = [case for case in CASES if case["id"].startswith("yaml-") and "error" in case]


def test_without_libyaml_means_pure_python(tmp_path):
    """The switch below really takes libyaml away (else the next test proves nothing)."""
    from guard import guarded_env
    probe = "import yaml; print(yaml.__with_libyaml__, hasattr(yaml, 'CSafeLoader'))"
    env = guarded_env(tmp_path, tmp_path / "log", without_libyaml=True)
    env.pop("SECBRIEF_GUARD_LOG")
    result = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, cwd=tmp_path)
    assert result.stdout.split() == ["False", "False"], result.stdout + result.stderr


@pytest.mark.parametrize("case", YAML_ERROR_CASES, ids=[case["id"] for case in YAML_ERROR_CASES])
def test_hostile_yaml_case_without_libyaml(mini, tmp_path, case):
    """The same message at the same line:column on PyYAML's pure-Python
    parser as on libyaml: secbrief's own limits speak first on either."""
    hostile_stats.record_case(case["id"] + "/pure-python")
    prepare(mini, case)
    before = inputs(mini)
    check = run_guarded(mini, "check", log=tmp_path / "guard.log", without_libyaml=True)
    hostile_stats.record_run(check)
    assert_contained(check, "check")
    assert diagnostics(check.stdout) == [case["error"]], check.stdout + check.stderr
    assert check.returncode == case.get("exit", 1)
    assert inputs(mini) == before


def expect_safe_build(root: Path, log: Path, case: dict, briefs: list[tuple[str, str | None]]) -> None:
    check = guarded(root, log, "check")
    assert_contained(check, "check")
    assert check.returncode == 0, check.stdout + check.stderr
    build = guarded(root, log, "build")
    assert_contained(build, "build")
    assert build.returncode == 0, build.stdout + build.stderr
    for expected in case.get("warnings", []):
        assert any(expected in line for line in build.stdout.splitlines()), build.stdout
    for brief, style in briefs:
        out = root / "build" / brief
        html = (out / f"{brief}.html").read_text(encoding="utf-8")
        markdown = (out / f"{brief}.md").read_text(encoding="utf-8")
        pdf = (out / f"{brief}.pdf").read_bytes()
        assert html.rstrip().endswith("</html>") and pdf.rstrip().endswith(b"%%EOF")
        assert pdf_problems(pdf) == [], style
        if not case.get("template_markup"):  # a template's own <link>s are its author's choice
            assert html_problems(html) == [], style
            assert markdown_problems(markdown) == [], style  # Markdown viewers render inline HTML
        if style in (None, "everything"):
            # Shown as text, with the house typography (curly quotes): the same characters to a reader.
            text = visible_text(html).translate(TYPOGRAPHY)
            for shown in case.get("must_show", []):
                assert shown in text, f"{shown!r} is not shown as text"
        # Analyst text may appear in the style sheet only inside a quoted CSS
        # string whose quotes, backslashes and '<' are escaped (the running
        # header and footer for browsers' print, see css_string): inert there.
        css = re.sub(r'"(?:[^"\\\n<]|\\[0-9a-fA-F]{1,6} ?|\\[^0-9a-fA-F\n])*"', '""', style_text(html))
        assert "M-" not in css and "alert(" not in css, "analyst text reached the style sheet"
        everything = html + markdown + pdf_text(pdf)
        for forbidden in case.get("never_in_output", []) + ["root:x:0:0"]:
            assert forbidden not in everything
            assert forbidden.encode() not in pdf


def test_cases_cover_the_issue_list():
    """At least 40 cases, and each kind the issue names is present."""
    assert len(CASES) >= 40
    ids = " ".join(case["id"] for case in CASES)
    for kind in ("yaml-unclosed", "tab", "byte-order-mark", "latin1", "duplicate-key", "alias-bomb",
                 "python-object", "oversize", "deep", "type-", "date-future", "date-before", "slashes", "dotdot",
                 "cyrillic", "inject-", "javascript", "data-uri", "image-markdown-etc-passwd", "dotdot",
                 "metadata-address", "attachment", "template-undefined", "registry-cycle", "ref-missing-incident",
                 "ref-missing-source", "css"):
        assert kind in ids, kind
    for case in CASES:
        for source in (case.get("put") or {}):
            assert (HOSTILE / source).is_file(), source


def test_guard_sees_outside_reads_and_network(tmp_path):
    """The guard is not blind: a read of /etc/passwd and a connection
    attempt made from a guarded process are both logged."""
    import subprocess
    import sys

    from guard import guarded_env, read_log

    log = tmp_path / "guard.log"
    project = tmp_path / "project"
    project.mkdir()
    code = ("import socket\nopen('/etc/passwd', 'rb').read(1)\ns = socket.socket()\ns.settimeout(0.2)\n"
            "try:\n    s.connect(('127.0.0.1', 9))\nexcept OSError:\n    pass\n")
    subprocess.run([sys.executable, "-c", code], cwd=project, env=guarded_env(project, log), check=True)
    records = read_log(log)
    assert {"kind": "outside", "path": "/etc/passwd", "write": False} in records
    assert any(r["kind"] == "network" and r["event"] == "socket.connect" for r in records)


# What a build's own process may open at the system-call level, where the
# audit hook cannot see: shared libraries, fontconfig and fonts, locale and
# time-zone data, the OpenSSL config hashlib loads, and what CPython reads
# about its cgroup. Nothing an input can name.
SYSCALL_ALLOWED = (
    "/lib/", "/lib64/", "/usr/lib/", "/usr/lib64/", "/usr/share/", "/usr/local/share/fonts", "/etc/fonts/",
    "/var/cache/fontconfig/", str(Path.home() / ".cache" / "fontconfig"), "/etc/ld.so.cache", "/etc/localtime",
    "/etc/mime.types", "/proc/self/", "/proc/filesystems", "/sys/fs/cgroup/", "/dev/null", "/dev/urandom",
    "/sys/devices/system/cpu/",  # how many CPUs: the number of PDF worker processes
)
STRACE_LINE = re.compile(r'^(\d+) +(?:<\.\.\. )?(\w+)(?:\(| resumed>)(.*?)\)? += (-?\d+)')
OPEN_LINE = re.compile(r'^(\d+) +open(?:at)?\((?:AT_FDCWD, )?"([^"]*)", ([A-Z_|]+)')


def syscall_findings(trace: str, root: Path) -> list[str]:
    """Opens and connects of the secbrief process itself (not of the
    ldconfig and gcc that ctypes.util.find_library runs) outside the
    project and the allow-list."""
    spawned = set()  # processes (not threads) started by the build, and theirs
    for line in trace.splitlines():
        match = STRACE_LINE.match(line)
        if match and match.group(2) in ("vfork", "fork", "clone", "clone3") and "CLONE_THREAD" not in line:
            spawned.add(match.group(4))
    # Folders the build made itself (WeasyPrint's temporary font folder):
    # what is in them, it put there.
    made = tuple(m.group(1) + "/" for m in re.finditer(r'(?m)^\d+ +mkdir(?:at)?\((?:AT_FDCWD, )?"([^"]+)".*= 0$', trace))
    allowed = (sys.prefix, sys.base_prefix, str(REPO / "secbrief")) + made
    findings = []
    for line in trace.splitlines():
        if line.split(maxsplit=1)[0] in spawned:
            continue
        if " connect(" in line or line.split(maxsplit=1)[-1].startswith("connect("):
            findings.append(line)
        match = OPEN_LINE.match(line)
        if not match or line.rstrip().split("= ")[-1].startswith("-1"):
            continue  # not an open, or one that failed: nothing was read
        path, flags = match.group(2), match.group(3)
        path = os.path.normpath(path if path.startswith("/") else os.path.join(root, path))
        if "O_CREAT" in flags and "O_EXCL" in flags:
            continue  # a new file of ctypes' library lookup: nothing to read
        if path + "/" in made or path == str(root) or path.startswith((str(root) + "/",) + allowed + SYSCALL_ALLOWED):
            continue
        if os.path.isdir(path):
            continue  # listing a folder (fontconfig) reads no file
        findings.append(line)
    return findings


def test_no_outside_read_at_the_system_call_level(mini, tmp_path):
    """The guard sees Python's opens; strace sees the C libraries' too. A
    build fed hostile text and a template asking for /etc/passwd, /etc/shadow
    and the metadata address opens none of them, nor any connection."""
    import subprocess

    if not shutil.which("strace"):
        pytest.skip("strace is not installed")
    case = {"put": {"cases/raw-html-fetches-as-text.yaml": "briefs/test-brief.yaml",
                    "cases/template-css-fetches.css": "templates/security-brief/brief.css",
                    "cases/template-fetching-html.html.j2": "templates/security-brief/brief.html.j2"}}
    prepare(mini, case)
    log = tmp_path / "strace.log"
    result = subprocess.run(["strace", "-f", "-qq", "-o", str(log), "-e",
                             "trace=open,openat,connect,mkdir,mkdirat,vfork,fork,clone,clone3",
                             sys.executable, "-m", "secbrief", "build"], cwd=mini, capture_output=True, text=True)
    if result.returncode != 0 and "ptrace" in result.stderr:
        pytest.skip("ptrace is not permitted here")
    assert result.returncode == 0, result.stderr
    assert syscall_findings(log.read_text(), mini.resolve()) == []
