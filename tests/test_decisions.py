"""solve, sweep and compare (METHOD §15): against brentq on fc.run, against separate runs and simulations
of the same variants, a Monte Carlo case whose answer is known exactly, variant files, and bad input."""

from __future__ import annotations

import json
import math
import os
import re

import numpy as np
import pytest
from scipy.optimize import brentq

import fcfinance as fc
from fcfinance.cli import main
from fcfinance.solver import NoCrossing
from tests.conftest import REFERENCE


@pytest.fixture(autouse=True)
def _extends_reaches_the_project(monkeypatch):
    """These tests write variants in a temporary folder that extend the bundled files: let
    ``extends`` reach both (the reach itself is tested in test_hostile.py)."""
    monkeypatch.setenv("FCFINANCE_ROOT", "/")

REF = REFERENCE / "ref-a.yaml"
PRICES = "land.parcels.*.floor_price_yuan_m2"
LO_U, HI_U = 0.7, 1.3
"""The one risk of the linear case: floor prices × U, U uniform on [LO_U, HI_U]."""


@pytest.fixture(scope="module")
def ref_a():
    return fc.load(REF)


def _with_risks(tmp_path, risks: str, name: str) -> str:
    """ref-a.yaml with its risks and correlations replaced by ``risks`` (YAML text), written beside tmp_path."""
    text = REF.read_text(encoding="utf-8")
    start, stop = text.index("\nrisks:"), text.index("\nsimulation:")
    path = tmp_path / name
    path.write_text(text[:start] + "\n" + risks + text[stop:], encoding="utf-8")
    return str(path)


@pytest.fixture(scope="module")
def linear(tmp_path_factory):
    """A scenario whose net balance is linear in its one risk (floor prices × U, U uniform)."""
    risks = (f"risks:\n  - id: land_market\n    dist: {{uniform: [{LO_U}, {HI_U}]}}\n"
             f"    scale: [{PRICES}]\n")
    return fc.load(_with_risks(tmp_path_factory.mktemp("linear"), risks, "linear.yaml"))


def _prices(scenario, x):
    return scenario.variant({f"land.parcels.{p.id}.floor_price_yuan_m2": p.floor_price_yuan_m2 * x
                             for p in scenario.model.land.parcels})


# -- deterministic -------------------------------------------------------------------------------


def test_break_even_matches_brentq_on_runs(ref_a):
    got = fc.solve(ref_a, vary=PRICES, target="net_balance=0")
    root = brentq(lambda x: fc.run(_prices(ref_a, x)).metrics["net_balance"], 0.5, 2.0, xtol=1e-14, rtol=1e-15)
    assert got.value == pytest.approx(root, rel=1e-9, abs=0)
    assert got.interval is None and got.se is None
    assert abs(got.achieved) < 1e-3  # 万元: 10 元 on a 30 亿元 project
    assert fc.run(got.solved).metrics["net_balance"] == pytest.approx(got.achieved, abs=1e-9)


def test_set_a_target_value_other_than_zero_matches_brentq(ref_a):
    got = fc.solve(ref_a, vary="land.parcels.R1.floor_price_yuan_m2", by="set", range=(5000, 30000),
                   target="npv=-20000")
    root = brentq(lambda x: fc.run(ref_a.variant({"land.parcels.R1.floor_price_yuan_m2": x})).metrics["npv"] + 20000,
                  5000, 30000, xtol=1e-12, rtol=1e-15)
    assert got.value == pytest.approx(root, rel=1e-9, abs=0)
    assert got.to_dict()["achieved"] == pytest.approx(-20000, abs=1e-3)


def test_shift_finds_the_first_whole_month_where_the_target_is_met(ref_a):
    got = fc.solve(ref_a, vary="land.parcels.R2.sale", by="shift", range=(-10, 30), target="npv=-25000")
    npv = {m: fc.run(ref_a.variant({"land.parcels.R2.sale": ref_a.timeline.month_label(
        ref_a.timeline.offset(next(p.sale for p in ref_a.model.land.parcels if p.id == "R2")) + m)})).metrics["npv"]
        for m in (int(got.value), int(got.value) + 1)}
    assert got.value == int(got.value)
    assert npv[int(got.value)] >= -25000 > npv[int(got.value) + 1]  # scanned from the late end, where it is not met


def test_json_shape(ref_a, capsys):
    assert main(["solve", str(REF), "--vary", PRICES, "--target", "net_balance=0", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert list(out) == ["value", "metric", "target", "achieved", "evaluations", "interval"]
    assert out["metric"] == "net_balance" and out["target"] == 0 and out["interval"] is None
    assert out["evaluations"] > 2


# -- Monte Carlo: a case known exactly -------------------------------------------------------------


def test_p_balanced_solve_is_the_exact_step_of_the_sample(linear):
    """Net balance = A + B·x·U: P(balanced at x) = P(U ≥ c/x), c the deterministic break-even multiplier,
    so P = 0.8 at x = c / (HI_U − 0.8·(HI_U − LO_U))."""
    c = fc.solve(linear, vary=PRICES, target="net_balance=0").value
    exact = c / (HI_U - 0.8 * (HI_U - LO_U))
    paths, seed = 20_000, 7
    got = fc.solve(linear, vary=PRICES, target="p_balanced=0.8", paths=paths, seed=seed, sampling="random")
    assert got.achieved >= 0.8
    assert got.interval[0] <= got.value <= got.interval[1]
    # within sampling error of the exact answer: P at the found x is 0.8 ± 3 SE
    p_true = (HI_U - c / got.value) / (HI_U - LO_U)
    assert abs(p_true - 0.8) < 3 * got.se, (got.value, exact, p_true, got.se)
    assert got.interval[0] <= exact <= got.interval[1] or abs(p_true - 0.8) < 2 * got.se
    # exact for the sample: simulate (same paths, seed, sampling) meets it at x and not just below
    at = fc.simulate(_prices(linear, got.value), paths=paths, seed=seed, sampling="random")
    below = fc.simulate(_prices(linear, got.value * (1 - 1e-6)), paths=paths, seed=seed, sampling="random")
    assert at.p_balanced[0] == got.achieved and at.p_balanced[1] == pytest.approx(got.se)
    assert below.p_balanced[0] < 0.8
    assert got.evaluations == 3  # both ends and the check at the answer: every path on its line


def test_percentile_solve_matches_simulate(linear):
    paths, seed = 4096, 3
    got = fc.solve(linear, vary=PRICES, target="net_balance:p10=0", paths=paths, seed=seed, sampling="lhs")
    sim = fc.simulate(_prices(linear, got.value), paths=paths, seed=seed, sampling="lhs").summary()
    assert sim["net_balance_p10"] == pytest.approx(got.achieved, abs=1e-6)
    assert abs(got.achieved) < 1e-2 * abs(fc.run(linear).metrics["project_inflows"]) * 1e-4 + 1.0
    assert got.interval[0] < got.value < got.interval[1] and got.se > 0


def test_nonlinear_paths_are_evaluated_not_extrapolated(ref_a):
    """Ending balance (after gap interest) is not linear in the prices: the answer must still be the sample's."""
    paths = 512
    got = fc.solve(ref_a, vary=PRICES, target="p_ending_nonnegative=0.5", paths=paths, seed=1, sampling="random")
    at = fc.simulate(_prices(ref_a, got.value), paths=paths, seed=1, sampling="random").summary()
    below = fc.simulate(_prices(ref_a, got.value * (1 - 1e-6)), paths=paths, seed=1, sampling="random").summary()
    assert at["p_ending_nonnegative"] == got.achieved >= 0.5 > below["p_ending_nonnegative"]
    assert any("not linear" in n for n in got.notes)


# -- sweep ------------------------------------------------------------------------------------------


def test_deterministic_sweep_cells_equal_separate_runs(ref_a):
    table = fc.sweep(ref_a, x=f"{PRICES}=0.9:1.1:3", y="relocation.voucher.bonus_tiers.*.rate=0:2:2",
                     metric="ending_balance")
    d = table.to_dict()
    assert d["metric"] == "ending_balance" and d["y"]["path"] == "relocation.voucher.bonus_tiers.*.rate"
    tiers = ref_a.model.relocation.voucher.bonus_tiers
    for i, y in enumerate(d["y"]["values"]):
        for j, x in enumerate(d["x"]["values"]):
            v = _prices(ref_a, x).variant({"relocation.voucher.bonus_tiers": [
                {"within_months": t.within_months, "rate": t.rate * y} for t in tiers]})
            assert d["values"][i][j] == pytest.approx(fc.run(v).metrics["ending_balance"], rel=1e-12, abs=1e-9)
    assert table.shape == (2, 3) and table.iloc[1, 2] == d["values"][1][2]
    assert list(table.columns) == d["x"]["values"] and list(table.index) == d["y"]["values"]
    assert type(table * 2) is type(table.iloc[:1]) is __import__("pandas").DataFrame


def test_monte_carlo_sweep_cells_equal_separate_simulations(linear):
    sw = fc.sweep(linear, x=f"{PRICES}=1.0:1.3:3", metric="p_balanced", paths=1024, seed=5).sweep
    d = sw.to_dict()
    assert d["y"] is None and len(d["values"]) == 3 and not isinstance(d["values"][0], list)
    for x, p, se in zip(d["x"]["values"], d["values"], sw.se):
        got = fc.simulate(_prices(linear, x), paths=1024, seed=5).p_balanced
        assert (p, se) == pytest.approx(got, rel=1e-12)


def test_sweep_shift_is_in_whole_months(ref_a):
    table = fc.sweep(ref_a, x="land.parcels.R2.sale=0:12:5", by="shift", metric="npv")
    assert table.sweep.x.values.tolist() == [0, 3, 6, 9, 12] == list(table.index)


def test_sweep_outputs(ref_a, tmp_path, capsys):
    chart, book = tmp_path / "sweep.png", tmp_path / "sweep.xlsx"
    assert main(["sweep", str(REF), "--x", f"{PRICES}=0.9:1.1:3", "--y", "works.items.*.cost_yuan=0.9:1.1:2",
                 "--metric", "net_balance", "--json", "--chart", str(chart), "--xlsx", str(book)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert list(out) == ["x", "y", "metric", "values"] and len(out["values"]) == 2 and len(out["values"][0]) == 3
    assert chart.stat().st_size > 10_000
    from openpyxl import load_workbook

    ws = load_workbook(book).worksheets[0]
    assert ws.cell(6, 2).value == pytest.approx(out["values"][0][0])
    assert "sha256" in ws.cell(2, 1).value
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sweep.png", "sweep.xlsx"]  # no temp files left


def test_sweep_chart_has_contour_and_provenance(ref_a):
    fig = fc.sweep(ref_a, x=f"{PRICES}=0.8:1.2:5", y="works.items.*.cost_yuan=0.8:1.2:3", metric="net_balance").plot()
    texts = [t.get_text() for t in fig.texts]
    assert any("sha256" in t for t in texts) and any("模拟运算" in t for t in texts)
    assert fig.axes[0].collections  # heatmap and the contour of net balance 0


# -- write and diff -------------------------------------------------------------------------------


def test_write_then_diff_shows_exactly_the_change(tmp_path, capsys):
    base = tmp_path / "ref-a.yaml"
    base.write_bytes(REF.read_bytes())
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "solved.yaml"
    assert main(["solve", str(base), "--vary", "land.parcels.R1.floor_price_yuan_m2", "--by", "set",
                 "--range", "5000:30000", "--target", "net_balance=0", "--write", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "extends: ../ref-a.yaml" in text and text.startswith("# Solved by fcfinance")
    d = fc.diff(base, out)
    assert [c.path for c in d.change_list] == ["land.parcels.R1.floor_price_yuan_m2"]
    assert abs(fc.run(out).metrics["net_balance"]) < 1e-3
    capsys.readouterr()
    assert main(["diff", str(base), str(out)]) == 0
    assert "changed inputs (1;" in capsys.readouterr().out
    assert sorted(p.name for p in out.parent.iterdir()) == ["solved.yaml"]


def test_write_replaces_a_symlink_not_its_target(tmp_path):
    base = tmp_path / "ref-a.yaml"
    base.write_bytes(REF.read_bytes())
    kept = tmp_path / "kept.yaml"
    kept.write_text("keep me\n", encoding="utf-8")
    link = tmp_path / "link.yaml"
    os.symlink(kept, link)
    assert main(["solve", str(base), "--vary", PRICES, "--target", "net_balance=0", "--write", str(link)]) == 0
    assert kept.read_text(encoding="utf-8") == "keep me\n" and not link.is_symlink()


def test_bonus_tiers_without_ids_are_written_as_the_whole_list(tmp_path):
    base = tmp_path / "ref-a.yaml"
    base.write_bytes(REF.read_bytes())
    out = tmp_path / "b.yaml"
    assert main(["solve", str(base), "--vary", "relocation.voucher.bonus_tiers.*.rate", "--range", "0:3",
                 "--target", "net_balance=-5000", "--write", str(out)]) == 0
    assert [c.path for c in fc.diff(base, out).change_list] == ["relocation.voucher.bonus_tiers"]
    assert fc.run(out).metrics["net_balance"] == pytest.approx(-5000, abs=1e-3)


# -- compare ----------------------------------------------------------------------------------------


def test_compare_json(tmp_path, capsys):
    other = tmp_path / "other.yaml"
    other.write_text(f"extends: {REF}\nland:\n  parcels:\n    - {{id: R1, floor_price_yuan_m2: 13000}}\n",
                     encoding="utf-8")
    chart = tmp_path / "c.png"
    assert main(["compare", str(REF), str(other), "--paths", "256", "--json", "--chart", str(chart)]) == 0
    out = json.loads(capsys.readouterr().out)
    files = [v["file"] for v in out["variants"]]
    assert files == [str(REF), str(other)]
    a, b = (v["metrics"] for v in out["variants"])
    assert a["net_balance"] == pytest.approx(fc.run(REF).to_dict()["metrics"]["net_balance"])
    assert b["p_balanced"] == pytest.approx(fc.simulate(other, paths=256).summary()["p_balanced"])
    assert {"p_balanced_se", "net_balance_p10", "npv_p95", "paths"} <= set(b)
    assert chart.stat().st_size > 10_000
    c = fc.compare([REF, other])
    assert c.table().loc["net_balance", "Δ 2 − 1"] == pytest.approx(b["net_balance"] - a["net_balance"])


# -- bad input ----------------------------------------------------------------------------------------

BAD = {
    "unknown path": (["--vary", "land.parcels.R9.sale", "--by", "shift", "--range", "0:5", "--target", "npv=0"],
                     ["land.parcels.R9.sale", "matches no field"]),
    "scale a date": (["--vary", "land.parcels.R2.sale", "--target", "npv=0"], ["is a date", "shift"]),
    "shift a number": (["--vary", PRICES, "--by", "shift", "--range", "0:5", "--target", "npv=0"],
                       ["is a number"]),
    "unknown metric": (["--vary", PRICES, "--target", "profit=0"], ["unknown metric 'profit'"]),
    "no value": (["--vary", PRICES, "--target", "net_balance"], ["expected METRIC=VALUE"]),
    "bad value": (["--vary", PRICES, "--target", "net_balance=lots"], ["'lots' is not a number"]),
    "bad percentile": (["--vary", PRICES, "--target", "net_balance:p100=0"], ["0 < NN < 100"]),
    "probability above 1": (["--vary", PRICES, "--target", "p_balanced=1.2"], ["lies in [0, 1]"]),
    "bad range": (["--vary", PRICES, "--range", "2:1", "--target", "net_balance=0"], ["LO < HI"]),
    "malformed range": (["--vary", PRICES, "--range", "1-2", "--target", "net_balance=0"], ["expected LO:HI"]),
    "set without range": (["--vary", PRICES, "--by", "set", "--target", "net_balance=0"], ["needs a search range"]),
    "paths for a deterministic metric": (["--vary", PRICES, "--target", "net_balance=0", "--paths", "64"],
                                         ["deterministic metric"]),
    "share above 1": (["--vary", "relocation.shares.voucher", "--by", "set", "--range", "0:1.5",
                       "--target", "net_balance=0"], ["relocation.shares.voucher", "got 1.5", "x = 1.5"]),
    "sale past the horizon": (["--vary", "land.parcels.R2.sale", "--by", "shift", "--range", "0:200",
                               "--target", "net_balance=0"], ["land.parcels.R2.sale", "outside the timeline",
                                                              "x = 200"]),
    "negative price": (["--vary", PRICES, "--by", "set", "--range=-100:20000", "--target", "net_balance=0"],
                       ["floor_price_yuan_m2", "x = -100"]),
    "no crossing": (["--vary", PRICES, "--target", "net_balance=1e9"],
                    ["no crossing", "net_balance is", "at x = 0.5 and", "at x = 2"]),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_solve_input_exits_2_with_a_clear_message(case, tmp_path, capsys):
    args, expected = BAD[case]
    out = tmp_path / "never.yaml"
    assert main(["solve", str(REF), *args, "--write", str(out)]) == 2
    err = capsys.readouterr().err
    for piece in expected:
        assert piece in err, (piece, err)
    assert "Traceback" not in err and not out.exists()


def test_no_crossing_gives_the_metric_at_both_ends(ref_a):
    with pytest.raises(NoCrossing) as info:
        fc.solve(ref_a, vary=PRICES, target="net_balance=1e9")
    assert info.value.at_lo == pytest.approx(fc.run(_prices(ref_a, 0.5)).metrics["net_balance"], rel=1e-12)
    assert info.value.at_hi == pytest.approx(fc.run(_prices(ref_a, 2.0)).metrics["net_balance"], rel=1e-12)
    assert f"{info.value.at_lo:,.6g} at x = 0.5" in str(info.value)


def test_monte_carlo_no_crossing_gives_both_estimates(linear):
    with pytest.raises(NoCrossing) as info:
        fc.solve(linear, vary=PRICES, target="p_balanced=0.8", range=(0.5, 0.6), paths=256)
    assert info.value.at_lo == 0 and info.value.at_hi == 0
    assert re.search(r"p_balanced is 0 at x = 0.5 and 0 at x = 0.6", str(info.value))


def test_monte_carlo_target_needs_risks(tmp_path):
    bare = fc.load(_with_risks(tmp_path, "", "bare.yaml"))
    with pytest.raises(fc.ScenarioError, match="no risks"):
        fc.solve(bare, vary=PRICES, target="p_balanced=0.5")


@pytest.mark.parametrize("args, piece", [
    (["--x", f"{PRICES}=1:2"], "PATH=LO:HI:N"),
    (["--x", f"{PRICES}=1:2:1"], "N ≥ 2"),
    (["--x", "land.parcels.R2.sale=0:1:5", "--by", "shift"], "whole months"),
    (["--x", f"{PRICES}=1:2:3", "--y", "relocation.shares.voucher=0.5:3:3"], "voucher at x = 3"),
])
def test_bad_sweep_input_exits_2(args, piece, capsys):
    assert main(["sweep", str(REF), *args, "--metric", "net_balance"]) == 2
    assert piece in capsys.readouterr().err


@pytest.mark.parametrize("command", [
    ["solve", str(REF), "--vary", PRICES, "--target", "net_balance=0", "--write"],
    ["sweep", str(REF), "--x", f"{PRICES}=1:2:3", "--metric", "net_balance", "--chart"],
    ["compare", str(REF), "--chart"],
])
def test_output_in_a_missing_folder_exits_2_before_computing(command, tmp_path, capsys):
    assert main([*command, str(tmp_path / "missing" / "out.file")]) == 2
    captured = capsys.readouterr()
    assert "does not exist" in captured.err and captured.out == ""


def test_compare_with_a_bad_file_exits_2(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text(f"extends: {REF}\nland:\n  parcels:\n    - {{id: R1, floor_price_yuan_m2: -5}}\n", encoding="utf-8")
    assert main(["compare", str(REF), str(bad)]) == 2
    assert "floor_price_yuan_m2" in capsys.readouterr().err


def test_results_do_not_depend_on_threads(linear):
    a = fc.solve(linear, vary=PRICES, target="p_balanced=0.5", paths=4096, threads=1)
    b = fc.solve(linear, vary=PRICES, target="p_balanced=0.5", paths=4096, threads=2)
    assert (a.value, a.achieved, a.interval) == (b.value, b.achieved, b.interval)
    assert math.isfinite(a.se) and np.isfinite(a.value)
