"""Probabilities at 0 or 1: a one-sided 95% bound (rule of three) instead of a standard error of 0."""

from __future__ import annotations

import json

import numpy as np
import pytest

import fcfinance as fc
from fcfinance.cli import main
from fcfinance.montecarlo.probability import edge_bound, format_probability, probability_keys
from fcfinance.montecarlo.simulate import simulate
from tests.conftest import ROOT

OUHAI = ROOT / "scenarios" / "ouhai-lvjiaan-voucher-bonus.yaml"


@pytest.mark.parametrize("n", [10, 300, 4096, 10**6])
def test_bound_is_exact_binomial_and_about_three_over_n(n):
    """No hit in n independent paths has probability exactly 5% when p is the bound; ≈ 3/n (rule of three)."""
    b = edge_bound(n, "random")
    assert (1 - b) ** n == pytest.approx(0.05, rel=1e-9)
    if n >= 300:
        assert b == pytest.approx(3 / n, rel=0.01)
    assert edge_bound(n, "lhs") == pytest.approx(edge_bound(n - 1, "random"))  # Owen: n/(n−1) × random
    assert edge_bound(n, "sobol") == b


def test_bound_covers_by_simulation():
    """Random runs of a true p just above the bound rarely (≤ 5%) show zero hits."""
    rng = np.random.default_rng(0)
    n = 500
    p = edge_bound(n, "random") * 1.001
    zero = (rng.random((20000, n)) < p).sum(axis=1) == 0
    assert zero.mean() < 0.055


def test_keys_only_at_the_edges():
    assert set(probability_keys("p", 0.3, 0.01, 100, "random")) == {"p", "p_se"}
    assert probability_keys("p", 0.0, 0.0, 100, "random")["p_upper95"] == edge_bound(100, "random")
    assert probability_keys("p", 1.0, 0.0, 100, "sobol")["p_lower95"] == 1 - edge_bound(100, "sobol")
    assert format_probability({"p": 0.3214, "p_se": 0.0041}, "p") == "32.1% ± 0.4%"  # decimals from the error
    text = format_probability(probability_keys("p", 0.0, 0.0, 4096, "random"), "p")
    assert "upper bound 0.07%" in text and "±" not in text


@pytest.mark.parametrize("sampling", ["random", "lhs", "sobol"])
def test_a_zero_probability_reports_its_bound(sampling):
    """The voucher-bonus variant never ends with a nonnegative balance: the summary gives the bound, not 0 ± 0."""
    sim = simulate(fc.load(OUHAI), paths=1024, sampling=sampling)
    s = sim.summary()
    assert s["p_ending_nonnegative"] == 0 and s["p_ending_nonnegative_se"] == 0
    assert s["p_ending_nonnegative_upper95"] == pytest.approx(edge_bound(sim.paths, sampling))
    assert "95% 单侧上限" in sim._repr_html_()


def test_text_and_json_show_the_bound(capsys):
    assert main(["simulate", str(OUHAI), "--paths", "1000", "--sampling", "random", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["p_ending_nonnegative_upper95"] == pytest.approx(1 - 0.05 ** (1 / 1000))
    assert main(["simulate", str(OUHAI), "--paths", "1000", "--sampling", "random"]) == 0
    text = capsys.readouterr().out
    line = next(x for x in text.splitlines() if "P(ending balance ≥ 0)" in x)
    assert "one-sided 95% upper bound 0.30%" in line and "± 0.00%" not in line


def test_short_form_for_chart_titles():
    s = probability_keys("p", 0.0, 0.0, 4096, "random")
    assert format_probability(s, "p", "en", short=True) == "0.00% (95% upper bound 0.07%)"
    assert format_probability(s, "p", "zh", short=True) == "0.00%（95% 上限 0.07%）"
    s = probability_keys("p", 1.0, 0.0, 4096, "random")
    assert format_probability(s, "p", "en", short=True) == "100.00% (95% lower bound 99.93%)"


def test_chart_titles_show_the_bound():
    """A scenario that never balances: charts 03 and 04 say so with the bound, not 0 ± 0."""
    from fcfinance.report import cumulative_fan, net_balance_distribution

    scenario = fc.load(OUHAI).variant({"risks.land_market": {"dist": {"uniform": [0.3, 0.4]}}})
    sim = simulate(scenario, paths=256, sampling="random")
    assert sim.summary()["p_balanced"] == 0
    for chart in (cumulative_fan, net_balance_distribution):
        fig = chart(sim, "en")
        texts = [t.get_text() for t in fig.texts] + [t.get_text() for ax in fig.axes for t in ax.texts]
        assert any("P(balanced) = 0.00% (95% upper bound 1.16%)" in t for t in texts), chart.__name__
