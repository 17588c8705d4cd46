"""One number style everywhere (fcfinance.formatting): terminal, notebook HTML, charts, workbook, summary."""

from __future__ import annotations

import math

import pytest

import fcfinance as fc
from fcfinance.cli import main
from fcfinance.formatting import format_value, no_minus_zero, percent, probability, wan
from tests.conftest import REFERENCE

REF_A = REFERENCE / "ref-a.yaml"


@pytest.mark.parametrize("value, text", [
    (-24597.4, "-24,597"), (1234567.0, "1,234,567"), (-0.3, "0"), (-0.0, "0"), (float("nan"), "—"),
    (float("inf"), "—"), (None, "—"),
])
def test_money_in_wan_has_separators_and_no_minus_zero(value, text):
    assert wan(value) == text


def test_percentages_probabilities_and_rates():
    assert format_value(0.97352, "percent") == "97.35%"          # 资金平衡率
    assert format_value(0.052345, "rate") == "5.23%"             # IRR, two decimals
    assert format_value(0.0012, "rate", signed=True) == "+0.12 pp"
    assert format_value(-0.00001, "rate", signed=True) == "0.00 pp"
    assert format_value(-0.004, "万元") == "0.00"
    assert probability(0.0551, 0.0012) == "5.5% ± 0.1%"
    assert probability(0.97352, 0.00041) == "97.35% ± 0.04%"
    assert probability(0.0, 0.0) == "0.0% ± 0.0%"
    assert percent(-0.00001, 1) == "0.0%"
    assert no_minus_zero("-0.00%") == "0.00%" and no_minus_zero("-0.01") == "-0.01"


def test_run_prints_the_balance_ratio_and_irr_as_percentages(capsys):
    run = fc.run(REF_A)
    assert main(["run", str(REF_A)]) == 0
    text = capsys.readouterr().out
    assert format_value(run.metrics["balance_ratio"], "percent") in text
    irr = run.metrics["irr"]
    if not math.isnan(irr):
        assert f"{100 * irr:.2f}%" in text
    html = run._repr_html_()
    assert format_value(run.metrics["balance_ratio"], "percent") in html


def test_simulate_text_and_notebook_show_probabilities_the_same_way(capsys):
    sim = fc.simulate(REF_A, paths=512, seed=3)
    s = sim.summary()
    shown = probability(s["p_balanced"], s["p_balanced_se"])
    assert main(["simulate", str(REF_A), "--paths", "512", "--seed", "3", "--no-progress"]) == 0
    assert shown in capsys.readouterr().out
    estimate, error = shown.split(" ± ")
    html = sim._repr_html_()
    assert estimate in html and f"± {error}" in html
