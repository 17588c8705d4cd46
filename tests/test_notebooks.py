"""The worked notebooks: stored without outputs, and each runs top to bottom in a fresh kernel.

The Monte Carlo notebooks read their path count from FCFINANCE_NOTEBOOK_PATHS; the
test sets a small one so that each notebook runs in well under three minutes on a
2-core machine.  Warnings printed by a notebook are shown in the test output
(``-rA`` or a failure), never filtered.
"""

from __future__ import annotations

import os
import time

import pytest

from tests.conftest import ROOT

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOKS = ROOT / "notebooks"
FILES = sorted(NOTEBOOKS.glob("*.ipynb"))
TEST_PATHS = "2048"


def test_there_are_four_worked_notebooks():
    assert len(FILES) >= 4, [f.name for f in FILES]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_stored_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.get("outputs"), f"{path.name}: committed outputs; clear them before commit"
            assert cell.get("execution_count") is None, f"{path.name}: execution counts committed"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_runs_top_to_bottom(path, monkeypatch, capsys):
    monkeypatch.setenv("FCFINANCE_NOTEBOOK_PATHS", TEST_PATHS)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(nb, kernel_name="python3", timeout=600,
                                     resources={"metadata": {"path": str(NOTEBOOKS)}})
    started = time.perf_counter()
    client.execute()  # raises CellExecutionError, with the cell and traceback, on any error
    seconds = time.perf_counter() - started
    warnings = [out.get("text", "") for cell in nb.cells if cell.cell_type == "code"
                for out in cell.get("outputs", []) if out.get("name") == "stderr"]
    with capsys.disabled():
        print(f"\n{path.name}: {seconds:.1f} s at {TEST_PATHS} paths"
              + (f"; stderr:\n{''.join(warnings)}" if warnings else ""))
    assert os.environ["FCFINANCE_NOTEBOOK_PATHS"] == TEST_PATHS
