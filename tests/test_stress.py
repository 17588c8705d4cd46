"""Stress cases (METHOD §13): each against a run of the scenario changed by hand in the same way.

A stress case is one path of one engine call, its parameters changed by the
Monte Carlo effect machinery (and, for revenue, its finished inflow lines
scaled).  Changing the file by hand the same way and running it must give
the same §8 metrics and the same self-balance test, to rounding.
"""

from __future__ import annotations

import json
import math

import pytest

import fcfinance as fc
from fcfinance.cli import main
from fcfinance.stress_cases import run_stress
from tests.conftest import ROOT
from tests.test_bond import TWO_BONDS

REL = 1e-9


@pytest.fixture
def two_bonds(tmp_path):
    path = tmp_path / "two-bonds.yaml"
    path.write_text(TWO_BONDS, encoding="utf-8")
    return fc.load(path)


def assert_same(result, p, variant):
    """Case p of a stress run equals the deterministic run of the variant, metrics and bond test."""
    by_hand = fc.run(variant).metrics
    for key, value in by_hand.items():
        got = result.metrics[p][key]
        if isinstance(value, str) or value is None:
            assert got == value, key
        elif math.isnan(value):
            assert math.isnan(got), key
        else:
            assert got == pytest.approx(value, rel=REL, abs=1e-7), key
    if result.balance is not None:
        hand = fc.bond_table(variant)
        b = result.balance
        assert b.coverage_life[p] == pytest.approx(hand.attrs["coverage_life"], rel=REL)
        short = int(b.first_shortfall[p])
        assert (None if short < 0 else short) == hand.attrs["first_shortfall_year"]
        assert bool(b.passes[p]) == hand.attrs["passes"]
        life = b.in_life[p]
        assert list(b.years[life]) == list(hand.index)
        for key in ("net_revenue", "debt_service", "capitalised", "reserve"):
            assert b.columns[key][p][life] == pytest.approx(hand[key].to_numpy(), rel=REL, abs=1e-7), key


def revenue_by_hand(scenario, factor=0.9):
    """Every input behind an inflow line × factor: floor prices, rents, grants."""
    return {"land.parcels.R1.floor_price_yuan_m2": 5000.0 * factor,
            "operations.revenues.rent.amount_yuan_year": 12_000_000.0 * factor,
            "grants.G1.amount_yuan": 5_000_000.0 * factor}


OPEX = {"operations.costs.upkeep.amount_yuan_year": 2_400_000.0 * 1.1}
DELAY = {"land.parcels.R1.sale": "2028-03"}


def case_index(result, case_id):
    return [c.id for c in result.cases].index(case_id)


def test_base_case_is_the_deterministic_run(two_bonds):
    result = run_stress(two_bonds)
    assert result.cases[0].id == "base"
    assert_same(result, 0, two_bonds)


@pytest.mark.parametrize("case_id, changes", [
    ("revenue_-10", revenue_by_hand(None)),
    ("opex_+10", OPEX),
    ("land_delay_12", DELAY),
    ("combined", {**revenue_by_hand(None), **OPEX, **DELAY}),
])
def test_standard_case_equals_the_scenario_changed_by_hand(two_bonds, case_id, changes):
    result = run_stress(two_bonds)
    assert_same(result, case_index(result, case_id), two_bonds.variant(changes))


def test_land_delay_moves_uplift_eligibility(two_bonds):
    # the park completes 2027-09; the parcel sold 2027-03 misses the uplift, sold 12 months later earns it
    park = two_bonds.variant({"works.items": [{"id": "park", "cost_yuan": 1e7, "start": "2026-09", "months": 12}],
                              "land.parcels.R1.uplift": {"rate": 0.2, "requires": ["park"]}})
    result = run_stress(park)
    p = case_index(result, "land_delay_12")
    assert result.metrics[p]["land_premium_gross"] == pytest.approx(1.2 * result.metrics[0]["land_premium_gross"],
                                                                     rel=REL)
    assert_same(result, p, park.variant(DELAY))


def test_land_delay_past_the_horizon_is_booked_in_the_last_month(two_bonds):
    # a sale 2035-06 moved 12 months lands past the 2035-12 horizon: booked in 2035-12, as a sale there
    late = two_bonds.variant({"land.parcels.R1.sale": "2035-06"})
    result = run_stress(late)
    p = case_index(result, "land_delay_12")
    assert result.clipped[p] and not result.clipped[0]
    assert_same(result, p, late.variant({"land.parcels.R1.sale": "2035-12"}))


def test_own_stress_case_equals_the_change_by_hand(tmp_path):
    text = TWO_BONDS + """\
stress:
  - id: slump
    name: 地价下跌20%且运营推迟半年
    scale: {land.parcels.*.floor_price_yuan_m2: 0.8}
    set: {operations.costs.upkeep.amount_yuan_year: 3000000}
    shift_months: {operations.start: 6}
"""
    path = tmp_path / "own.yaml"
    path.write_text(text, encoding="utf-8")
    scenario = fc.load(path)
    result = run_stress(scenario)
    p = case_index(result, "slump")
    assert result.cases[p].name() == "地价下跌20%且运营推迟半年"
    by_hand = scenario.variant({"land.parcels.R1.floor_price_yuan_m2": 4000.0,
                                "operations.costs.upkeep.amount_yuan_year": 3_000_000.0,
                                "operations.start": "2026-07", "operations.years": 9})
    # operations.years is shortened by hand only so that the by-hand file stays inside its horizon;
    # the stress case books the months past it in the last month instead
    assert result.metrics[p]["project_inflows"] != pytest.approx(result.metrics[0]["project_inflows"])
    hand = fc.bond_table(by_hand)
    assert result.balance.coverage_life[p] == pytest.approx(hand.attrs["coverage_life"], rel=REL)
    assert int(result.balance.first_shortfall[p]) == hand.attrs["first_shortfall_year"]


def test_stress_json_and_table(two_bonds, capsys):
    assert main(["stress", two_bonds.path, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [c["id"] for c in data["cases"]] == ["base", "revenue_-10", "opex_+10", "land_delay_12", "combined"]
    base, revenue = data["cases"][0]["metrics"], data["cases"][1]["metrics"]
    assert revenue["project_inflows"] == pytest.approx(0.9 * base["project_inflows"], rel=REL)
    assert main(["stress", two_bonds.path]) == 0
    out = capsys.readouterr().out
    assert "资金结余" in out and "land_delay_12" in out
    frame = fc.stress(two_bonds)
    assert list(frame.columns) == ["base", "revenue_-10", "opex_+10", "land_delay_12", "combined"]
    assert frame.loc["net_balance", "base"] == pytest.approx(fc.run(two_bonds).metrics["net_balance"], rel=REL)


BAD_PATH = """\
stress:
  - id: wrong
    scale:
      land.parcels.R9.floor_price_yuan_m2: 0.8
"""


def test_bad_stress_path_names_file_and_line(tmp_path, capsys):
    path = tmp_path / "bad.yaml"
    path.write_text(TWO_BONDS + BAD_PATH, encoding="utf-8")
    line = TWO_BONDS.count("\n") + 4
    with pytest.raises(fc.ScenarioError) as err:
        fc.load(path)
    assert f"{path}:{line}:" in str(err.value)
    assert "land.parcels.R9.floor_price_yuan_m2" in str(err.value) and "matches nothing" in str(err.value)
    assert main(["stress", str(path)]) == 2
    assert f"{path}:{line}:" in capsys.readouterr().err


@pytest.mark.parametrize("stress, message", [
    ("  - id: w\n    shift_months: {land.parcels.R1.floor_price_yuan_m2: 3}\n", "shift_months cannot act on"),
    ("  - id: w\n    scale: {land.parcels.R1.sale: 2}\n", "scale cannot act on"),
    ("  - id: combined\n    scale: {land.parcels.R1.far: 0.9}\n", "standard case"),
    ("  - id: w\n    name: nothing\n", "at least one effect"),
])
def test_bad_stress_cases(tmp_path, stress, message):
    path = tmp_path / "bad.yaml"
    path.write_text(TWO_BONDS + "stress:\n" + stress, encoding="utf-8")
    with pytest.raises(fc.ScenarioError, match=message):
        fc.load(path)


def test_own_case_on_a_relocation_share_rescales_the_others_as_a_risk_does():
    scenario = fc.load(ROOT / "scenarios" / "ouhai-lvjiaan.yaml")
    shares = scenario.model.relocation.shares
    stressed = scenario.variant({"stress": [{"id": "cashy", "set": {"relocation.shares.cash": 0.5}}]})
    result = run_stress(stressed)
    factor = (1 - 0.5) / (1 - shares.cash)  # METHOD §9: the other shares keep their proportions
    by_hand = scenario.variant({"relocation.shares": {"cash": 0.5, "voucher": shares.voucher * factor,
                                                      "in_kind": shares.in_kind * factor}})
    assert_same(result, case_index(result, "cashy"), by_hand)
