"""The verdict names what it is about; risks ranked by |PRCC|; fixed risks left out; IRR percentiles in text."""

from __future__ import annotations

import json

import numpy as np
import pytest

import fcfinance as fc
from fcfinance.cli import main
from fcfinance.formatting import probability
from fcfinance.montecarlo.correlation import partial_correlations
from fcfinance.montecarlo.simulate import simulate
from fcfinance.verdict import headline, verdict_lines
from tests.conftest import ROOT

LUCHENG = ROOT / "scenarios" / "lucheng-jixin.yaml"


@pytest.mark.parametrize("nb, end, zh, en", [
    (100.0, 50.0, "资金平衡", "balanced"),
    (100.0, -24597.09, "期末资金缺口 24,597.09 万元", "gap of 24,597.09 万元"),
    (-10.0, 5.0, "缺口 10.00 万元（融资前）", "short by 10.00 万元 before financing"),
    (-10.0, -20.0, "融资后期末缺口 20.00 万元", "20.00 万元 short after"),
])
def test_headline_follows_both_balances(nb, end, zh, en):
    metrics = {"net_balance": nb, "ending_balance": end, "balance_ratio": 1.0}
    assert zh in headline(metrics, "zh") and en in headline(metrics, "en")
    if end < 0:
        assert "资金平衡：" not in headline(metrics, "zh")


def test_run_of_lucheng_does_not_say_balanced_bare(capsys):
    """lucheng-jixin: balanced before financing, −24,597 万元 after; the run says both."""
    assert main(["run", str(LUCHENG)]) == 0
    text = capsys.readouterr().out
    verdict = text[text.index("结论 verdict"):text.index("主要现金流")]
    assert "融资前" in verdict and "期末资金缺口 24,597.09 万元" in verdict
    assert "-24,597.09" in verdict and "6,833.71" in verdict
    assert "before financing" in verdict and "after bonds and gap interest" in verdict


def test_simulate_verdict_has_p_balanced_with_its_error(capsys):
    assert main(["simulate", str(LUCHENG), "--paths", "1024", "--json"]) == 0
    s = json.loads(capsys.readouterr().out)
    assert main(["simulate", str(LUCHENG), "--paths", "1024"]) == 0
    text = capsys.readouterr().out
    shown = probability(s["p_balanced"], s["p_balanced_se"])  # the one number style: 33.1% ± 0.6%
    assert f"P(balanced) = {shown}" in text
    lines = verdict_lines(fc.run(fc.load(LUCHENG)).metrics, s, "zh")
    assert len(lines) == 4 and f"P(资金平衡) = {shown}" in lines[3]


def test_ranking_by_partial_rank_correlation(ref_a_path):
    """Rows ranked by |PRCC|; a risk that only follows land_market (r2_sale_delay) is not ranked high
    though its plain rank correlation is; contribution to variance is flagged invalid under correlation."""
    sim = simulate(fc.load(ref_a_path), paths=2**13)
    sens = sim.sensitivity()
    partial = sens["partial_rank_correlation"].abs().to_numpy()
    assert np.all(np.diff(partial) <= 0)
    by_share = list(sens.sort_values("contribution_to_variance", ascending=False).index)
    assert by_share.index("r2_sale_delay") < list(sens.index).index("r2_sale_delay")
    d = sim.to_dict()
    assert d["sensitivity_ranking"] == {"ranked_by": "abs_partial_rank_correlation",
                                        "contribution_to_variance_valid": False}
    assert list(d["sensitivity"]) == list(sens.index)


def test_fixed_risk_left_out_of_sensitivity():
    """A fixed risk gets null measures and the others' PRCCs are those computed without it."""
    scenario = fc.load(ROOT / "scenarios" / "ouhai-lvjiaan.yaml").variant(
        {"risks.gap_rate": {"dist": {"fixed": 0.04}}})
    sim = simulate(scenario, paths=2048)
    sens = sim.sensitivity()
    assert sens.index[-1] == "gap_rate" and sens.loc["gap_rate", "contribution_to_variance"] == 0
    assert sens.loc["gap_rate", ["rank_correlation", "partial_rank_correlation"]].isna().all()
    others = sens.drop(index="gap_rate")
    assert others.notna().all().all()
    matrix = sim.rank_correlations()
    j = sim.risk_ids.index("gap_rate")
    keep = [i for i in range(matrix.shape[0]) if i != j]
    expected = partial_correlations(matrix[np.ix_(keep, keep)])
    ids = [r for r in sim.risk_ids if r != "gap_rate"]
    np.testing.assert_allclose(others.loc[ids, "partial_rank_correlation"], expected, rtol=1e-12)
    out = sim.to_dict()["sensitivity"]["gap_rate"]
    assert out["partial_rank_correlation"] is None and out["rank_correlation"] is None


def test_simulate_irr_percentiles_in_text(capsys):
    assert main(["simulate", str(LUCHENG), "--paths", "256", "--irr", "--json"]) == 0
    s = json.loads(capsys.readouterr().out)
    assert main(["simulate", str(LUCHENG), "--paths", "256", "--irr"]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("内部收益率 IRR"))
    for q in (5, 50, 95):
        assert f"{s[f'irr_p{q}']:.2%}" in line


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_summary_md_uses_the_same_verdict(lang):
    from fcfinance.report.pack import summary_markdown
    from fcfinance.report.style import provenance

    scenario = fc.load(LUCHENG)
    run, sim = fc.run(scenario), simulate(scenario, paths=512)
    text = summary_markdown(run, sim, provenance(scenario, date="2026-12-02", simulation=sim), lang, [])
    for line in verdict_lines(run.metrics, sim.summary(), lang):
        assert line in text
    assert "**结论**：资金平衡" not in text and "Verdict:** balanced" not in text
    assert ("偏秩相关" if lang == "zh" else "partial rank correlation") in text
