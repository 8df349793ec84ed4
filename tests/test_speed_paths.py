"""What makes builds fast, as behaviour a user can rely on (never a time):
parallel PDFs give the same bytes, cheap paths stay free of heavy imports,
refused fetches are still reported from worker processes, and outputs are
written all or nothing."""

import json
import shutil
import subprocess
import sys

import pytest

from conftest import run, write


def with_second_brief(root):
    """The mini project with two briefs, so PDFs can go to two processes."""
    text = (root / "briefs/test-brief.yaml").read_text()
    write(root, "briefs/test-brief-two.yaml", text.replace("title: Test brief", "title: Second brief")
          .replace("The outlook paragraph.", "Another outlook, longer. " * 40))
    return root


def pdfs(root):
    return {p.name: p.read_bytes() for p in sorted((root / "build").glob("*/*.pdf"))}


def test_parallel_pdfs_are_byte_identical_to_serial(mini, tmp_path):
    with_second_brief(mini)
    other = tmp_path / "other"
    shutil.copytree(mini, other)
    one = run(mini, "build", "-j", "1")
    two = run(other, "build", "-j", "2")
    assert one.returncode == 0 and two.returncode == 0, one.stderr + two.stderr
    assert len(pdfs(mini)) == 2
    assert pdfs(mini) == pdfs(other)


def imported_after(root, *args):
    """Modules present after `secbrief ARGS` in a fresh interpreter."""
    code = ("import json, sys, contextlib, io\n"
            "from secbrief.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            f"    code = main({list(args)!r})\n"
            "print(json.dumps([code, sorted(sys.modules)]))\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    code, modules = json.loads(out.stdout.strip().splitlines()[-1])
    assert code == 0, out.stderr
    return set(modules)


def test_markdown_and_html_build_never_imports_weasyprint(mini):
    modules = imported_after(mini, "build", "--format", "md,html")
    assert (mini / "build/test-brief/test-brief.html").is_file()
    assert "weasyprint" not in modules


def test_nothing_to_do_imports_no_parser_model_or_template_library(mini):
    assert run(mini, "build", "--format", "md,html").returncode == 0
    modules = imported_after(mini, "build", "--format", "md,html")
    # inspect: dataclasses import it, 12-15 ms of a 70 ms no-op build
    heavy = {"yaml", "pydantic", "jinja2", "markdown", "nh3", "weasyprint", "typing", "dataclasses", "inspect",
             "shapely", "pyproj", "numpy"}  # the maps: drawn only when a brief is rendered
    assert not heavy & modules, heavy & modules


def test_refused_fetches_come_back_from_worker_processes(tmp_path):
    from secbrief.render.pdf.typeset import render_pdfs

    root = tmp_path / "project"
    root.mkdir()
    htmls = {f"brief-{n}": f'<html><body><p>{n}</p><img src="http://169.254.169.254/{n}.png">'
                          f'<img src="file:///etc/hostname"></body></html>' for n in range(3)}
    batch = render_pdfs(root, htmls, jobs=2)
    assert list(batch.pdfs) == list(htmls)  # every brief, in the caller's order
    assert all(pdf.startswith(b"%PDF") for pdf in batch.pdfs.values())
    for n in range(3):
        assert batch.refused[f"brief-{n}"] == [f"http://169.254.169.254/{n}.png", "file:///etc/hostname"]


def test_jobs_must_be_a_positive_number(mini):
    result = run(mini, "build", "-j", "0")
    assert result.returncode == 2
    assert "-j/--jobs: expected a whole number of at least 1, but received: '0'" in result.stderr


def test_outputs_are_written_all_or_nothing(tmp_path):
    from secbrief.core.atomic import OutputError, write_all

    (tmp_path / "blocker").write_text("a file where a folder should be")
    good, bad = tmp_path / "out/good.txt", tmp_path / "blocker/bad.txt"
    with pytest.raises(OutputError, match="blocker: error: cannot write output: .*blocker' exists and is not a folder"):
        write_all({good: b"good", bad: b"bad"})
    assert not good.exists()
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == ["blocker"]  # no temporary file left
    write_all({good: b"good", tmp_path / "out/more.txt": b"more"})
    assert good.read_bytes() == b"good" and sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "good.txt", "more.txt"]


def test_bad_affiliation_is_located_even_after_a_duplicate_id(mini):
    path = mini / "incidents/actors.yaml"
    text = path.read_text()
    text = text.replace("  - id: iran-backed-militias\n",
                        "  - id: united-states\n    name: Duplicate\n    kind: state\n"
                        "  - id: iran-backed-militias\n", 1)
    text = text.replace("    affiliation: iran-backed-militias\n    native_name",
                        "    affiliation: no-such-umbrella\n    native_name", 1)
    path.write_text(text)
    lines = run(mini, "check").stdout.splitlines()
    where = next(n for n, line in enumerate(text.splitlines(), 1) if "no-such-umbrella" in line)
    assert f"incidents/actors.yaml:{where}:18: error: affiliation 'no-such-umbrella' is not an actor id" in lines
