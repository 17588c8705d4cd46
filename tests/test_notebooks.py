"""The worked notebooks in notebooks/: stored without outputs, using only the public API, and each
running top to bottom in a fresh kernel (nbclient, kernel ``python3`` of this environment).

The Monte Carlo notebooks read their path count from ``FCFINANCE_NOTEBOOK_PATHS``; the tests set it
small so that each notebook runs in seconds.  Anything a notebook writes to stderr that looks like a
warning is re-issued here as a ``NotebookWarning``, so it shows in pytest's warnings summary.  The
run time of each notebook is printed to the terminal even under ``-q``; no test depends on it.
"""

from __future__ import annotations

import re
import time
import warnings

import pytest

from tests.conftest import ROOT

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOKS = ROOT / "notebooks"
PATHS_FOR_TESTS = "2048"
"""Monte Carlo paths per simulation in the notebooks under test (default 20,000)."""

EXPECTED = ["01-快速上手.ipynb", "02-风险模拟.ipynb", "03-方案评审.ipynb", "04-房票政策设计.ipynb",
            "05-平台统筹.ipynb"]
ALL = sorted(NOTEBOOKS.glob("*.ipynb"))


class NotebookWarning(UserWarning):
    """A warning printed by a notebook while it ran."""


def _read(path):
    return nbformat.read(path, as_version=4)


def test_the_worked_notebooks_are_there():
    assert [p.name for p in ALL] == EXPECTED


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_stored_without_outputs(path):
    """Outputs are produced by running, never committed (clear them before committing)."""
    nb = _read(path)
    dirty = [i for i, cell in enumerate(nb.cells) if cell.cell_type == "code"
             and (cell.get("outputs") or cell.get("execution_count") is not None)]
    assert not dirty, f"{path.name}: cells {dirty} have outputs or execution counts; clear them before committing"


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_uses_only_the_public_api(path):
    """Notebooks import ``fcfinance`` and ``fcfinance.report`` only, and read scenarios relative to notebooks/."""
    source = "\n".join(cell.source for cell in _read(path).cells if cell.cell_type == "code")
    imports = set(re.findall(r"^\s*(?:from|import)\s+(fcfinance[\w.]*)", source, flags=re.M))
    assert imports <= {"fcfinance"}, imports
    assert set(re.findall(r"^\s*from fcfinance import (\w+)", source, flags=re.M)) <= {"report"}
    for file in re.findall(r"['\"]([^'\"]+\.yaml)['\"]", source):
        assert file.startswith("../") and (NOTEBOOKS / file).resolve().is_file(), file


def _warnings_printed(nb) -> list[str]:
    found = []
    for i, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr" \
                    and re.search(r"warn", output.get("text", ""), flags=re.I):
                found.append(f"cell {i}: {output['text'].strip()}")
    return found


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_runs_top_to_bottom(path, monkeypatch, capsys):
    """Every cell runs without error in a fresh kernel started in notebooks/ (the kernel inherits the env)."""
    monkeypatch.setenv("FCFINANCE_NOTEBOOK_PATHS", PATHS_FOR_TESTS)
    nb = _read(path)
    client = nbclient.NotebookClient(nb, kernel_name="python3", timeout=600,
                                     resources={"metadata": {"path": str(NOTEBOOKS)}})
    start = time.perf_counter()
    client.execute()  # raises CellExecutionError, naming the cell, on any error
    elapsed = time.perf_counter() - start
    printed = _warnings_printed(nb)
    with capsys.disabled():
        print(f"\n{path.name}: {elapsed:.1f} s at FCFINANCE_NOTEBOOK_PATHS={PATHS_FOR_TESTS}"
              + (f", {len(printed)} warning(s) printed" if printed else ""))
    for text in printed:
        warnings.warn(f"{path.name} {text}", NotebookWarning, stacklevel=1)
