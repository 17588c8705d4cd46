"""Every template and project file loads, runs and simulates; the four types differ in substance."""

from __future__ import annotations

import math

import pytest

import fcfinance as fc
from fcfinance.scenario.source import read_yaml
from tests.conftest import ROOT

FILES = sorted(p.relative_to(ROOT).as_posix() for folder in ("models", "scenarios")
               for p in (ROOT / folder).glob("*.yaml"))


@pytest.mark.parametrize("name", FILES)
def test_runs_and_simulates(name):
    scenario = fc.load(ROOT / name)
    result = fc.run(scenario)
    m = result.metrics
    assert math.isfinite(m["net_balance"]) and m["project_outflows"] > 0
    assert abs(sum(result.lines[k] for k in result.lines
                   if not k.startswith(("bond_", "gap_", "deposit_"))) - m["net_balance"]) < 1e-6
    sim = fc.simulate(scenario, paths=512, sampling="random", seed=1)
    assert 0.0 <= sim.summary()["p_balanced"] <= 1.0


def test_projects_extend_templates_and_the_variant_extends_a_project():
    bases = {n: read_yaml(ROOT / n).get("extends") for n in FILES if n.startswith("scenarios/")}
    assert all(bases.values()), bases
    projects = [n for n, b in bases.items() if b.startswith("../models/")]
    variants = [n for n, b in bases.items() if not b.startswith("../models/")]
    assert len(projects) >= 3 and variants
    for name in variants:
        assert f"scenarios/{bases[name]}" in projects, name


def test_types_differ_in_substance():
    """整合提升 acquires and relocates nobody; 拆除重建 carries full acquisition and relocation."""
    zhenghe = fc.load(ROOT / "models/zhenghe-tisheng.yaml").model
    assert zhenghe.site is None and zhenghe.acquisition is None and zhenghe.relocation is None
    chaichu = fc.load(ROOT / "models/chaichu-chongjian.yaml").model
    shares = chaichu.relocation.shares
    assert shares.cash > 0 and shares.voucher > 0 and shares.in_kind > 0
    xinjian = fc.load(ROOT / "models/guihua-xinjian.yaml").model
    assert xinjian.acquisition is None and xinjian.land.parcels
