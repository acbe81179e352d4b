"""The package has no import cycles, function-level imports included.

Every ``import`` and ``from ... import`` in ``hlsp/`` is read with ``ast``
(wherever it stands: module level, inside functions or methods); those under
``if TYPE_CHECKING:`` are left out, since they never run.  ``from hlsp import x``
counts as an import of the module ``hlsp.x`` when there is one, else of the
package ``hlsp`` (its ``__init__``).  A cycle -- module A imports B, which
(directly or through others) imports A -- means neither can be read, tested
or replaced on its own, and that the order of imports decides what works.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "hlsp"


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
# compiled modules (hlsp/_speedups.c): leaves, they import nothing of hlsp
EXTENSIONS = {_module_name(p) for p in PACKAGE.rglob("*.c")}


def _type_checking_lines(tree: ast.AST) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def _resolve(name: str) -> str | None:
    """The hlsp module ``name`` stands for (a module, else its closest package)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def imports_of(module: str) -> set[str]:
    path = MODULES[module]
    tree = ast.parse(path.read_text(), str(path))
    skip = _type_checking_lines(tree)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in skip:
            continue
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            targets = []
            for a in node.names:
                full = f"{base}.{a.name}"
                if full in EXTENSIONS:
                    continue
                targets.append(full if full in MODULES else base)
        else:
            continue
        for t in targets:
            if t == "hlsp" or t.startswith("hlsp."):
                resolved = _resolve(t)
                if resolved and resolved != module:
                    found.add(resolved)
    return found


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_no_import_cycles():
    graph = {m: imports_of(m) for m in MODULES}
    assert find_cycles(graph) == []


def test_the_checker_sees_a_cycle():
    """The checker itself: a function-level import back is a cycle, a TYPE_CHECKING one is not."""
    assert find_cycles({"a": {"b"}, "b": {"a"}}) == [["a", "b"]]
    assert find_cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []
    assert "hlsp.pipeline" in imports_of("hlsp.engine")
    assert "hlsp.engine" not in imports_of("hlsp.collection_facts")
    assert "hlsp.fits.read" not in imports_of("hlsp.fits.tables")
    assert "hlsp.judge" not in imports_of("hlsp.rules._base")  # only under TYPE_CHECKING there
    assert "hlsp" in imports_of("hlsp.cli")  # from hlsp import __version__: the package itself


# ------------------------------------------------------------------ start-up imports
# `hlsp validate FILE` is run once per file by pre-commit hooks and scripts, and
# workers are forked after its imports: what it imports is paid on every run.
# These modules cost ~25 ms together and the validation of a plain file needs none
# of them (dataclasses imports inspect, which imports ast, dis and tokenize).
# pathlib imports urllib.parse and ipaddress; gzip is for compressed files; shutil
# (bz2, lzma) is what argparse imports to measure the terminal (hlsp.cli does it).
NOT_AT_START_UP = {
    "typing",
    "calendar",
    "datetime",
    "shutil",
    "dataclasses",
    "inspect",
    "ast",
    "dis",
    "tokenize",
    "decimal",
    "fractions",
    "pathlib",
    "urllib.parse",
    "gzip",
}

_RUN = """
import json, sys
baseline = set(sys.modules)
PRELUDE
from hlsp.cli import main
code = main(["validate", "--no-cache", sys.argv[1]])
with open(sys.argv[2], "w") as fh:
    json.dump([code, sorted(set(sys.modules) - baseline)], fh)
"""


def _validate_imports(path: Path, tmp_path: Path, prelude: str = "") -> tuple[int, set[str]]:
    """Exit status and the modules a fresh ``hlsp validate --no-cache path`` imports.

    Run with ``-S`` (no site: the editable install's import hook imports pathlib and
    urllib; an installed wheel has none) and the test's own ``sys.path``."""
    import json
    import os
    import subprocess
    import sys

    out = tmp_path / "imported.json"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p), "HLSP_CACHE_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-S", "-c", _RUN.replace("PRELUDE", prelude), str(path), str(out)],
        env=env,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.returncode == 0 and out.is_file(), done.stderr
    code, imported = json.loads(out.read_text())
    return code, set(imported)


def _hst_like_image(folder: Path) -> Path:
    """A small image as HST products come: BUNIT 'ELECTRONS/S' (not a FITS unit), archive keywords missing."""
    import struct

    from fitsgen import hdu_bytes, primary_cards

    path = folder / "hlsp_startup_hst_acs_ngc1234_f606w_v1_img.fits"
    cards = primary_cards(-32, [4, 4], [("BUNIT", "ELECTRONS/S"), ("TELESCOP", "HST"), ("EXPTIME", 300.0)])
    path.write_bytes(hdu_bytes(cards, struct.pack(">16f", *range(16))))
    return path


def test_validate_of_one_file_imports_no_start_up_weight(tmp_path):
    example = ROOT / "contributions" / "example"
    files = [
        example / "hlsp_example_hst_acs_ngc1234_f606w_v1_img.fits",  # a valid image
        example / "hlsp_example_hst_acs_ngc1234_f606w_v1_cat.fits",  # a table (rows checked)
        _hst_like_image(tmp_path),  # unit and keyword findings, with their hints
    ]
    for path in files:
        for run in ("cold", "warm"):  # (the first run also writes the parsed copies of validators/)
            code, imported = _validate_imports(path, tmp_path)
            assert "hlsp.rules.kw011_units" in imported and "hlsp.fits.read" in imported  # it did validate
            assert code == (1 if path.parent == tmp_path else 0)
            # A run that parses validators/ (no parsed copy yet) imports yaml, which imports
            # datetime; one that writes the copies does it through tempfile, which imports shutil.
            absent = NOT_AT_START_UP - ({"datetime"} if "yaml" in imported else set())
            absent -= {"shutil"} if "hlsp.atomic" in imported else set()
            assert imported & absent == set(), f"{path.name} ({run}): {sorted(imported & absent)}"


def test_the_start_up_check_sees_an_import(tmp_path):
    """The check itself: a module the run imports is reported, with what it imports."""
    image = ROOT / "contributions" / "example" / "hlsp_example_hst_acs_ngc1234_f606w_v1_img.fits"
    _, imported = _validate_imports(image, tmp_path, prelude="import fractions")
    assert {"fractions", "decimal"} <= imported
