"""The notebooks' prose names only risks their own scenario has."""

from __future__ import annotations

import json
import re

import pytest

import fcfinance as fc
from tests.conftest import REFERENCE, ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def _known_risk_ids() -> set[str]:
    files = sorted((ROOT / "scenarios").glob("*.yaml")) + [REFERENCE / "ref-a.yaml"]
    return {r.id for path in files for r in fc.load(path).model.risks}


def _risk_ids(path) -> set[str]:
    """A scenario's risk ids; for a portfolio (METHOD §14), its own and its projects'."""
    from fcfinance.portfolio.load import is_portfolio_file

    if not is_portfolio_file(path):
        return {r.id for r in fc.load(path).model.risks}
    platform = fc.load_portfolio(path)
    return {r.id for r in platform.model.risks} | {r.id for s in platform.projects.values() for r in s.model.risks}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_markdown_names_risks_of_the_notebooks_scenario(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    code = "".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    loaded = sorted(set(re.findall(r'"\.\./(scenarios/[^"]+\.yaml)"', code)))  # the scenarios its code reads
    own = {rid for name in loaded for rid in _risk_ids(ROOT / name)}
    text = "".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    named = set(re.findall(r"`([a-z0-9_]+)`", text)) & _known_risk_ids()
    assert named <= own, f"{path.name} names {sorted(named - own)}, not risks of {loaded}"
