"""`secbrief build`: the files, the PDF's reading order, TLP on every page,
and builds that redo only what changed."""

import subprocess

import pytest

from conftest import DEMO_BRIEF, run, write


def pdftotext(path, first=None, last=None) -> str:
    args = ["pdftotext", "-layout"]
    if first:
        args += ["-f", str(first), "-l", str(last or first)]
    return subprocess.run(args + [str(path), "-"], capture_output=True, text=True, check=True).stdout


def page_count(path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


@pytest.fixture(scope="module")
def built_demo(tmp_path_factory):
    from conftest import REPO, copy_project

    root = copy_project(tmp_path_factory.mktemp("built") / "demo", REPO)
    result = run(root, "build", DEMO_BRIEF)
    assert result.returncode == 0, result.stderr
    return root


def test_three_formats_written(built_demo):
    out = built_demo / "build" / DEMO_BRIEF
    for fmt in ("md", "html", "pdf"):
        assert (out / f"{DEMO_BRIEF}.{fmt}").stat().st_size > 1000
    assert (out / f"{DEMO_BRIEF}.md").read_text().splitlines()[0] == "TLP:CLEAR"


def test_pdf_blocks_in_order(built_demo):
    text = pdftotext(built_demo / "build" / DEMO_BRIEF / f"{DEMO_BRIEF}.pdf")
    flat = " ".join(text.split())
    markers = ["Week of 21 December 2020 | Issue 16", "Team: CENTCOM", "Date:", "Location:",
               "Parties involved:", "The event:", "The implications:",
               "With the anniversary",  # the outlook paragraph opens so in the demo brief
               "[1] The Arab Weekly"]
    positions = [flat.find(m) for m in markers]
    assert -1 not in positions, dict(zip(markers, positions))
    assert positions == sorted(positions)
    assert "Iran-backed militias (Kataib Hezbollah" in flat


def test_numbered_source_notes_follow_first_use(built_demo):
    md = (built_demo / "build" / DEMO_BRIEF / f"{DEMO_BRIEF}.md").read_text()
    body, notes = md.split("## Sources", 1)
    cited = []
    for number in (int(n) for part in __import__("re").findall(r"\[([\d, ]+)\]", body)
                   for n in part.split(",")):
        if number not in cited:
            cited.append(number)
    assert cited == list(range(1, len(cited) + 1))
    assert all(f"[{n}] " in notes for n in cited)


def test_second_build_renders_nothing(mini):
    assert run(mini, "build").returncode == 0
    pdf = mini / "build/test-brief/test-brief.pdf"
    stamp = pdf.stat().st_mtime_ns
    again = run(mini, "build")
    assert again.returncode == 0
    assert again.stdout.strip() == "nothing to do: no input changed since the last build"
    assert pdf.stat().st_mtime_ns == stamp


def test_changed_incident_rebuilds_with_reason(mini):
    assert run(mini, "build", "--format", "md").returncode == 0
    path = mini / "incidents/2020/2020-12-20-embassy-rockets.yaml"
    path.write_text(path.read_text().replace("Test summary", "Changed summary"))
    result = run(mini, "build", "--format", "md")
    assert result.returncode == 0
    assert "built test-brief (md): incident 2020-12-20-embassy-rockets changed" in result.stdout
    assert "Changed summary" in (mini / "build/test-brief/test-brief.md").read_text()


def test_touched_but_unchanged_file_renders_nothing(mini):
    assert run(mini, "build", "--format", "md").returncode == 0
    path = mini / "briefs/test-brief.yaml"
    path.write_text(path.read_text())  # new mtime, same bytes
    result = run(mini, "build", "--format", "md")
    assert result.returncode == 0 and "up to date: 1 brief(s)" in result.stdout
    assert "built" not in result.stdout


def test_force_rebuilds(mini):
    assert run(mini, "build", "--format", "md").returncode == 0
    result = run(mini, "build", "--format", "md", "--force")
    assert "built test-brief (md): forced" in result.stdout


def test_parties_nested_under_umbrella(mini):
    assert run(mini, "build", "--format", "md").returncode == 0
    md = (mini / "build/test-brief/test-brief.md").read_text()
    assert "**Parties involved:** United States; Iran-backed militias (Kataib Hezbollah; Asaib Ahl al-Haq)" in md
