"""The house rules of docs/architecture.md, checked on the code itself: the
layers (import-linter's contracts in pyproject.toml), no import cycle, no
import hidden in a function without a reason, modules a reader can hold in
their head, and one module that writes files."""

import ast
import subprocess
import sys
from pathlib import Path

import grimp

from conftest import REPO

PACKAGE = REPO / "secbrief"
SOURCES = sorted(PACKAGE.rglob("*.py"))
MAX_LINES = 400
# The one module that opens files for writing (atomically); everything
# else writes through it.
WRITER = PACKAGE / "core" / "atomic.py"


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_the_layer_contracts_hold():
    """lint-imports reads the contracts from pyproject.toml: the layers, and
    WeasyPrint, Jinja/Markdown and YAML each confined to their layer."""
    result = subprocess.run([str(Path(sys.executable).parent / "lint-imports"), "--no-cache"], cwd=REPO,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    kept = [line for line in result.stdout.splitlines() if line.endswith(" KEPT") or " KEPT (" in line]
    assert len(kept) >= 4, result.stdout


def test_no_import_cycle():
    graph = grimp.build_graph("secbrief", exclude_type_checking_imports=True)
    cycles = []
    for module in sorted(graph.modules):
        for imported in graph.find_modules_directly_imported_by(module):
            # A chain back from what it imports to the module itself closes a loop.
            chain = graph.find_shortest_chain(importer=imported, imported=module)
            if chain:
                cycles.append(" -> ".join((module, *chain)))
    assert cycles == []


def internal_imports_in_functions(path: Path):
    """(line, text, reason given?) for each import of secbrief inside a function."""
    lines = path.read_text(encoding="utf-8").splitlines()
    for node in ast.walk(ast.parse("\n".join(lines))):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for inner in ast.walk(node):
                if isinstance(inner, ast.ImportFrom) and (inner.module or "").startswith("secbrief"):
                    above = inner.lineno - 2
                    while lines[above].strip().startswith(("from ", "import ")):  # a run of imports
                        above -= 1
                    yield inner.lineno, lines[inner.lineno - 1].strip(), lines[above].strip().startswith("#")


def test_imports_inside_functions_are_only_the_commented_deferrals():
    """An import hides in a function only to keep a heavy module off a fast
    path (the no-op build), with a comment above it saying so."""
    found = [(path.relative_to(REPO).as_posix(), line, text, reasoned)
             for path in SOURCES for line, text, reasoned in internal_imports_in_functions(path)]
    assert [f for f in found if not f[3]] == []
    # secbrief/serve/preview.py: WeasyPrint only when a PDF is asked for (serve starts without it).
    # secbrief/render/renderer.py: shapely and pyproj only when a brief has a map to draw.
    assert {f[0] for f in found} <= {"secbrief/cli.py", "secbrief/pipeline/build.py", "secbrief/pipeline/rebuild.py",
                                     "secbrief/serve/preview.py", "secbrief/render/renderer.py"}, found


def test_no_module_is_longer_than_a_reader_can_hold():
    long = {path.relative_to(REPO).as_posix(): n for path in SOURCES
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def test_the_top_of_the_package_holds_only_its_face_and_the_cli():
    assert sorted(p.name for p in PACKAGE.glob("*.py")) == ["__init__.py", "__main__.py", "cli.py"]
    for folder in (p for p in PACKAGE.rglob("*") if p.is_dir() and p.name != "__pycache__"):
        init = folder / "__init__.py"
        assert init.is_file(), folder
        assert ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))), f"{init}: say what it owns"


def writes_files(tree: ast.AST) -> list[int]:
    """Lines that open a file for writing: open()/Path.open() with a mode
    holding w, a, x or +, Path.write_text/write_bytes, os.open with write
    flags, shutil copies and tempfile's named files."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if name in ("write_text", "write_bytes", "copyfile", "copy2", "copytree", "mkstemp",
                    "NamedTemporaryFile"):
            found.append(node.lineno)
        elif name == "open":
            modes = list(node.args[:2]) + [k.value for k in node.keywords if k.arg in ("mode", "flags")]
            text = " ".join(ast.unparse(m) for m in modes)
            if any(flag in text for flag in ("O_WRONLY", "O_RDWR", "O_CREAT")) or any(
                    isinstance(m, ast.Constant) and isinstance(m.value, str) and set(m.value) & set("wax+")
                    for m in modes):
                found.append(node.lineno)
    return found


def test_only_the_atomic_writer_opens_files_for_writing():
    """Every file secbrief writes (build/, its caches, new YAML files, schema
    and STIX exports, published copies) goes through secbrief.core.atomic,
    so none is ever left half-written."""
    writers = {path.relative_to(REPO).as_posix(): lines for path in SOURCES
               if path != WRITER and (lines := writes_files(ast.parse(path.read_text(encoding="utf-8"))))}
    assert writers == {}
    assert writes_files(ast.parse(WRITER.read_text(encoding="utf-8")))  # the check sees real writes


def test_the_write_check_sees_every_way_of_writing():
    samples = ['open(p, "w")', 'open(p, mode="ab")', 'p.open("x")', 'Path(p).write_text("a")',
               'os.open(p, os.O_WRONLY | os.O_CREAT)', 'shutil.copyfile(a, b)', 'tempfile.mkstemp()']
    for sample in samples:
        assert writes_files(ast.parse(sample)), sample
    assert not writes_files(ast.parse('open(p, "rb"); p.read_text(); os.open(p, os.O_RDONLY)'))
