"""Sobol' indices: an analytic linear model, a linear scenario through the engine, SALib, outputs."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest
from scipy import stats

import fcfinance as fc
from fcfinance.cli import main
from fcfinance.montecarlo.simulate import simulate
from fcfinance.montecarlo.sobol import _net_balance, sobol_first_order, sobol_table
from tests.conftest import ROOT


def test_linear_model_of_independent_inputs_matches_analytic():
    """Y = Σ b_i X_i, independent X_i: S_i = S_Ti = b_i² Var(X_i) / Var(Y); an unused input gets 0."""
    dists = [stats.uniform(0, 1), stats.norm(0, 1), stats.uniform(-1, 2), stats.norm(5, 2)]
    b = np.array([3.0, 1.0, 0.0, 0.5])
    variances = np.array([d.var() for d in dists])
    exact = b**2 * variances / (b**2 * variances).sum()
    table = sobol_table(lambda x: b @ x, dists, ["a", "b", "c", "d"], 2**13, seed=1)
    assert list(table.index) == ["a", "b", "c", "d"]
    assert len(set(np.round(table["first_order"], 6))) == 4  # one index per input, not one repeated
    np.testing.assert_allclose(table["first_order"], exact, atol=0.02)
    np.testing.assert_allclose(table["total_order"], exact, atol=0.02)
    assert abs(table["first_order"].sum() - 1) < 0.03


LINEAR = """\
fcfinance: 1
name: linear Sobol' test
timeline: {start: 2024-01, frequency: year, years: 5, discount_rate: 0.0}
works:
  items:
    - {id: park, cost_yuan: 180000000, start: 2024-01, months: 12}
land:
  parcels:
    - {id: A, area_m2: 10000, far: 2.0, floor_price_yuan_m2: 10000, sale: 2025-06}
    - {id: B, area_m2: 5000, far: 2.0, floor_price_yuan_m2: 10000, sale: 2025-06}
financing: {gap_rate: 0.04}
risks:
  - id: price_a
    dist: {uniform: [0.8, 1.2]}
    scale: [land.parcels.A.floor_price_yuan_m2]
  - id: price_b
    dist: {normal: [1.0, 0.1]}
    scale: [land.parcels.B.floor_price_yuan_m2]
  - id: dud
    dist: {uniform: [0.03, 0.05]}
    set: [financing.gap_rate]
simulation: {paths: 1024, seed: 7, sampling: random}
"""


@pytest.fixture
def linear_scenario(tmp_path):
    path = tmp_path / "linear.yaml"
    path.write_text(LINEAR, encoding="utf-8")
    return fc.load(path)


def test_scenario_indices_match_analytic(linear_scenario):
    """Net balance = 20,000·X_A + 10,000·X_B − 18,000 万元 (checked per path), so the indices are analytic."""
    sim = simulate(linear_scenario, paths=512, sampling="random")
    x = sim.values
    np.testing.assert_allclose(sim.path_metrics["net_balance"], 20000 * x[:, 0] + 10000 * x[:, 1] - 18000,
                               rtol=1e-12, atol=1e-6)
    var = np.array([20000**2 * 0.4**2 / 12, 10000**2 * 0.1**2, 0.0])
    exact = var / var.sum()
    table = sobol_first_order(linear_scenario, 2**12, seed=3)
    np.testing.assert_allclose(table["first_order"], exact, atol=0.02)
    np.testing.assert_allclose(table["total_order"], exact, atol=0.02)


def test_matches_salib_on_a_bundled_scenario():
    """The same indices as SALib's Saltelli sample + Sobol' analysis, within sampling error."""
    pytest.importorskip("SALib")
    from SALib.analyze import sobol as salib_sobol
    from SALib.sample import sobol as salib_sample

    from fcfinance.montecarlo import RiskSampler
    from fcfinance.montecarlo.effects import compile_targets

    scenario = fc.load(ROOT / "scenarios" / "ouhai-lvjiaan.yaml")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # correlations ignored: said, and known here
        ours = sobol_first_order(scenario, 2**11, seed=5)
    ids, targets = compile_targets(scenario)
    sampler = RiskSampler.build([(r.id, r.dist) for r in scenario.model.risks], (), paths=1, seed=5,
                                method="random")
    problem = {"num_vars": len(ids), "names": ids, "bounds": [[0.0, 1.0]] * len(ids)}
    u = salib_sample.sample(problem, 2**11, calc_second_order=False, seed=5)
    u = np.clip(u, 1e-12, 1 - 1e-12)
    x = np.column_stack([d.ppf(u[:, j]) for j, d in enumerate(sampler.distributions)])
    y = _net_balance(scenario, targets, scenario.params(), x)
    theirs = salib_sobol.analyze(problem, y, calc_second_order=False, seed=5)
    np.testing.assert_allclose(ours["first_order"], theirs["S1"], atol=0.04)
    np.testing.assert_allclose(ours["total_order"], theirs["ST"], atol=0.04)
    assert ours["first_order"].idxmax() == ids[int(np.argmax(theirs["S1"]))]


def test_outputs_carry_one_index_per_risk(linear_scenario, capsys):
    """Text, JSON and the result's table show each risk's own index (the bug printed the first risk's for all)."""
    assert main(["simulate", linear_scenario.path, "--paths", "256", "--sobol-indices", "1024", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)["sobol_indices"]
    assert out["price_a"]["first_order"] > 0.8  # exact 0.842
    assert 0.12 < out["price_b"]["first_order"] < 0.2  # exact 0.158
    assert abs(out["dud"]["first_order"]) < 0.01
    assert main(["simulate", linear_scenario.path, "--paths", "256", "--sobol-indices", "1024"]) == 0
    text = capsys.readouterr().out
    rows = {line.split()[0]: line.split()[1:] for line in text.splitlines()[text.splitlines().index(
        "Sobol' indices of net balance (risks treated as independent)") + 3:] if line.strip()}
    assert float(rows["price_a"][0]) == pytest.approx(out["price_a"]["first_order"], abs=6e-4)
    assert float(rows["dud"][0]) == pytest.approx(0, abs=0.01)


def test_workbook_carries_each_risks_index(linear_scenario, tmp_path):
    from openpyxl import load_workbook

    from fcfinance.report.workbook import write_workbook

    sim = simulate(linear_scenario, paths=256, sampling="random")
    sim.sobol_table = sobol_first_order(linear_scenario, 1024, seed=sim.seed)
    path = write_workbook(tmp_path / "w.xlsx", fc.run(linear_scenario), sim, date="2026-12-02")
    rows = list(load_workbook(path)["敏感性"].iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r[1] == "一阶 Sobol' first order")
    got = {r[0]: (r[1], r[2]) for r in rows[start + 1:] if r[0]}
    for risk, row in sim.sobol_table.iterrows():
        assert got[risk] == pytest.approx((row.first_order, row.total_order), rel=1e-12)
    assert got["price_a"][0] > 0.8 and abs(got["dud"][0]) < 0.01
