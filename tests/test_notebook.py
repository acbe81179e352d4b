"""The notebooks in docs/notebooks/ run, top to bottom, in a real Jupyter kernel.

nbclient drives an ipykernel over the ``ipc`` transport (Unix sockets in the
test's own folder: no TCP).  The notebooks are stored without outputs; a
test checks that they stay so.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import need_system

try:
    import ipykernel  # noqa: F401
    import nbclient  # noqa: F401
    import nbformat
except ImportError as exc:  # skips in a bare install, fails under CI=true (where `make test` installs them)
    nbformat = None
    MISSING = f"the test extra is not installed ({exc.name}): pip install -e '.[test]'"
else:
    MISSING = None


@pytest.fixture(autouse=True)
def _notebook_tools():
    if MISSING:
        need_system(MISSING)


ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "docs" / "notebooks").glob("*.ipynb"))
EXAMPLE_NB = ROOT / "docs" / "notebooks" / "validate-example.ipynb"


def test_there_is_a_notebook():
    assert EXAMPLE_NB in NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_are_stored_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source[:80]
        assert not cell.metadata.get("execution"), cell.source[:80]
    assert "widgets" not in nb.metadata


def _run(path: Path, tmp_path: Path, monkeypatch) -> "nbformat.NotebookNode":
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    monkeypatch.setenv("TMPDIR", str(tmp_path))
    nb = nbformat.read(path, as_version=4)
    # The ipc sockets: an absolute path, since the kernel runs in the notebook's folder (and short:
    # a Unix socket path has at most 107 bytes).
    sockets = tmp_path / "k"
    assert len(str(sockets)) < 90
    km = KernelManager(kernel_name="python3", transport="ipc", ip=str(sockets))
    client = NotebookClient(nb, km=km, timeout=300, resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    return nb


def _outputs(cell) -> tuple[str, str, str]:
    """(text/plain + stream stdout, text/html, stderr) of a code cell."""
    plain, markup, err = [], [], []
    for out in cell.outputs:
        if out.output_type == "stream":
            (err if out.name == "stderr" else plain).append(out.text)
        elif out.output_type in ("execute_result", "display_data"):
            plain.append(out.data.get("text/plain", ""))
            markup.append(out.data.get("text/html", ""))
        elif out.output_type == "error":
            pytest.fail(f"{out.ename}: {out.evalue}")
    return "".join(plain), "".join(markup), "".join(err)


def test_example_notebook_runs_and_shows_what_it_says(tmp_path, monkeypatch):
    nb = _run(EXAMPLE_NB, tmp_path, monkeypatch)
    code = [c for c in nb.cells if c.cell_type == "code"]
    by_source = {c.source.splitlines()[0]: _outputs(c) for c in code if c.source}

    first = by_source["report = validate(work, progress=True)"]
    assert "PASS" in first[1] and "9 files checked, 0 errors" in first[1]
    assert first[0] == "<Report PASS: 9 files, 0 errors, 0 warnings, 0 infos>"
    assert re.search(r"hlsp validate: 9 files", first[2]) and "IProgress" not in first[2]

    broken_plain, broken_html, _ = by_source["from astropy.io import fits"]
    assert broken_plain.startswith("<Report FAIL: 9 files, ") and "FAIL" in broken_html
    assert "KW014" in broken_html and "CO006" in broken_html and "<table>" in broken_html

    table_plain, table_html, _ = by_source["table = report.to_table()"]
    assert table_plain.startswith("<Table length=2>")
    assert "KW014" in table_html and "HLSPVER" in table_html and "CO006" in table_html
    grouped, _, _ = by_source["df = report.to_pandas()"]
    assert re.search(r"error\s+CO006\s+1\n\s*KW014\s+1", grouped), grouped
    text, _, _ = by_source['# The report as `hlsp validate` prints it (also "markdown", "json", "github", "junit")']
    assert "fix:" in text and "files checked" in text

    fixed, _, _ = by_source["from hlsp.contribution import load_contribution"]
    assert "-HLSPVER = 'v7" in fixed and "+HLSPVER = 'v1" in fixed
    assert "manifest entries updated: ['hlsp_example_hst_acs_ngc1234_f606w_v1_img.fits']" in fixed

    final_plain, final_html, _ = by_source["report = validate(work)"]
    assert final_plain == "<Report PASS: 9 files, 0 errors, 0 warnings, 0 infos>" and "PASS" in final_html

    # reprs are stable: no memory addresses anywhere in the outputs
    everything = "".join("".join(_outputs(c)) for c in code)
    assert not re.search(r" at 0x[0-9a-f]+", everything)
