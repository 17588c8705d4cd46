"""The special-bond self-balance table and its verdict (METHOD §13), worked by hand.

The scenario below is small enough to work every figure of the table out on
paper.  Money in 万元 (1 万元 = 10,000 元).

Two bonds:

* B1: 10,000 万元 issued 2024-07, coupon 4 %, 3 years, bullet.  Anniversaries
  2025-07, 2026-07, 2027-07: interest 10,000 × 4 % = 400 each; principal
  10,000 in 2027-07.
* B2: 5,000 万元 issued 2025-01, coupon 3 %, 4 years, half repaid at the 2nd
  and half at the 4th anniversary.  2026-01: interest 5,000 × 3 % = 150;
  2027-01: interest 150 (outstanding still 5,000 before that repayment),
  principal 2,500; 2028-01: interest 2,500 × 3 % = 75; 2029-01: interest 75,
  principal 2,500.

Bond life: 2024 (earliest issue) … 2029 (latest maturity, B2 in 2029-01).

Revenue: operations from 2026-01, 1,200 万元/year of rent (100 a month), 240
万元/year of costs; one parcel sold 2027-03: 10,000 m² × FAR 2 × 5,000 元/m²
= 10,000 万元 gross, 20 % withheld and half of the rest returned: 4,000 万元.
A grant of 500 万元 in 2025-06 does not count (include_grants: false).

| year | R | O | N | P | I | D | K | B |
|---|---|---|---|---|---|---|---|---|
| 2024 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| 2025 | 0 | 0 | 0 | 0 | 400 | 400 | 400 (before the first revenue year 2026) | 0 − (400 − 400) = 0 |
| 2026 | 1,200 | 240 | 960 | 0 | 400 + 150 = 550 | 550 | 0 | 960 − 550 = 410 |
| 2027 | 1,200 + 4,000 | 240 | 4,960 | 10,000 + 2,500 | 400 + 150 | 13,050 | 0 | 410 + 4,960 − 13,050 = −7,680 |
| 2028 | 1,200 | 240 | 960 | 0 | 75 | 75 | 0 | −7,680 + 960 − 75 = −6,795 |
| 2029 | 1,200 | 240 | 960 | 2,500 | 75 | 2,575 | 0 | −6,795 + 960 − 2,575 = −8,410 |

Σ N = 960 + 4,960 + 960 + 960 = 7,840; Σ D = 400 + 550 + 13,050 + 75 + 2,575
= 16,650; life coverage 7,840 / 16,650; first shortfall 2027.
"""

from __future__ import annotations

import json
import math

import pytest

import fcfinance as fc
from fcfinance.cli import main

TWO_BONDS = """\
fcfinance: 1
name: two bonds
timeline: {start: 2024-01, years: 12}
land:
  deduction_rate: 0.2
  return_rate: 0.5
  parcels:
    - {id: R1, area_m2: 10000, far: 2, floor_price_yuan_m2: 5000, sale: 2027-03}
operations:
  start: 2026-01
  years: 10
  revenues:
    - {id: rent, amount_yuan_year: 12000000}
  costs:
    - {id: upkeep, amount_yuan_year: 2400000}
grants:
  - {id: G1, amount_yuan: 5000000, date: 2025-06}
financing:
  bonds:
    - {id: B1, amount_yuan: 100000000, issue: 2024-07, coupon_rate: 0.04, term_years: 3}
    - id: B2
      amount_yuan: 50000000
      issue: 2025-01
      coupon_rate: 0.03
      term_years: 4
      amortization: [{year: 2, share: 0.5}, {year: 4, share: 0.5}]
"""

REL = 1e-9  # every figure is a sum of a few exact products: only rounding separates them


@pytest.fixture
def two_bonds(tmp_path):
    path = tmp_path / "two-bonds.yaml"
    path.write_text(TWO_BONDS, encoding="utf-8")
    return fc.load(path)


def test_hand_worked_table(two_bonds):
    table = fc.bond_table(two_bonds)
    expected = {  # year: (R, O, N, P, I, D, K, B, coverage), from the table in the module docstring
        2024: (0, 0, 0, 0, 0, 0, 0, 0, None),
        2025: (0, 0, 0, 0, 400, 400, 400, 0, 0.0),
        2026: (1200, 240, 960, 0, 550, 550, 0, 410, 960 / 550),
        2027: (5200, 240, 4960, 12500, 550, 13050, 0, -7680, 4960 / 13050),
        2028: (1200, 240, 960, 0, 75, 75, 0, -6795, 960 / 75),
        2029: (1200, 240, 960, 2500, 75, 2575, 0, -8410, 960 / 2575),
    }
    assert list(table.index) == list(expected)
    keys = ["revenue", "operating_costs", "net_revenue", "principal", "interest", "debt_service",
            "capitalised", "reserve"]
    for year, row in expected.items():
        for key, value in zip(keys, row[:8]):
            assert table.loc[year, key] == pytest.approx(value, rel=REL, abs=1e-9), (year, key)
        if row[8] is None:
            assert math.isnan(table.loc[year, "coverage"])
        else:
            assert table.loc[year, "coverage"] == pytest.approx(row[8], rel=REL)
    assert table.attrs["coverage_life"] == pytest.approx(7840 / 16650, rel=REL)
    assert table.attrs["first_shortfall_year"] == 2027
    assert table.attrs["passes"] is False
    assert table.attrs["threshold"] == 1.2


def test_grants_included_end_capitalisation(two_bonds):
    # with the grant, 2025 has revenue 500: no year before it, so its 400 of interest draws on the reserve
    table = fc.bond_table(two_bonds.variant({"financing.coverage.include_grants": True}))
    assert table.loc[2025, "revenue"] == pytest.approx(500, rel=REL)
    assert table.loc[2025, "capitalised"] == 0
    assert table.loc[2025, "reserve"] == pytest.approx(100, rel=REL)  # 500 − 400
    assert table.attrs["coverage_life"] == pytest.approx((7840 + 500) / 16650, rel=REL)


def test_interest_not_capitalised_is_a_shortfall(two_bonds):
    table = fc.bond_table(two_bonds.variant({"financing.coverage.capitalise_construction_interest": False}))
    assert (table["capitalised"] == 0).all()
    assert table.loc[2025, "reserve"] == pytest.approx(-400, rel=REL)
    assert table.attrs["first_shortfall_year"] == 2025


def test_no_revenue_in_the_life_capitalises_every_interest(two_bonds):
    # no inflow at all: every year is "before the first year with revenue"
    quiet = two_bonds.variant({"operations.revenues.rent.amount_yuan_year": 0.0,
                               "land.parcels.R1.floor_price_yuan_m2": 0.0})
    table = fc.bond_table(quiet)
    assert (table["capitalised"] == table["interest"]).all()
    assert table.loc[2027, "reserve"] == pytest.approx(-240 - 240 - 12500, rel=REL)


def test_verdict_passes(two_bonds):
    # 25,000 元/m² floor: 10,000 m² × 2 × 25,000 = 50,000 万元 gross → × 0.8 × 0.5 = 20,000 returned,
    # sold 2026-03, before the repayments.  2026: N = 960 + 20,000, B = 20,960 − 550 = 20,410;
    # 2027: 20,410 + 960 − 13,050 = 8,320; 2028: 8,320 + 960 − 75 = 9,205; 2029: 9,205 + 960 − 2,575 = 7,590.
    # Σ N = 960·4 + 20,000 = 23,840; coverage 23,840 / 16,650 = 1.4318
    rich = two_bonds.variant({"land.parcels.R1.floor_price_yuan_m2": 25000.0, "land.parcels.R1.sale": "2026-03"})
    table = fc.bond_table(rich)
    assert table.loc[2029, "reserve"] == pytest.approx(7590, rel=REL)
    assert table.attrs["coverage_life"] == pytest.approx(23840 / 16650, rel=REL)
    assert table.attrs["first_shortfall_year"] is None
    assert table.attrs["passes"] is True
    assert "能够自求平衡" in table.attrs["verdict_zh"]
    assert "balances" in table.attrs["verdict_en"]


def test_verdict_fails_on_coverage_alone(two_bonds):
    # 20,000 元/m² → 40,000 万元 gross → 16,000 returned in 2026-03.  B: 2026 16,960 − 550 = 16,410;
    # 2027 16,410 + 960 − 13,050 = 4,320; 2028 5,205; 2029 3,590 — never negative;
    # Σ N = 3,840 + 16,000 = 19,840; coverage 19,840 / 16,650 = 1.1916 < 1.2
    table = fc.bond_table(two_bonds.variant({"land.parcels.R1.floor_price_yuan_m2": 20000.0,
                                             "land.parcels.R1.sale": "2026-03"}))
    assert table.attrs["coverage_life"] == pytest.approx(19840 / 16650, rel=REL)
    assert table.attrs["first_shortfall_year"] is None
    assert table.attrs["passes"] is False
    assert "低于" in table.attrs["verdict_zh"]
    # the same case against a 1.1 threshold (the command line's --threshold) passes
    assert table.loc[2029, "reserve"] == pytest.approx(3590, rel=REL)
    assert fc.bond_table(two_bonds.variant({"land.parcels.R1.floor_price_yuan_m2": 20000.0,
                                            "land.parcels.R1.sale": "2026-03"}), threshold=1.1).attrs["passes"]


def test_verdict_fails_on_shortfall_year_alone(two_bonds):
    # 25,000 元/m² → 20,000 returned, but only in 2029-03, after the 2027 repayments:
    # B: 2026 410, 2027 410 + 960 − 13,050 = −11,680 → shortfall 2027;
    # Σ N = 23,840, coverage 1.4318 ≥ 1.2
    table = fc.bond_table(two_bonds.variant({"land.parcels.R1.floor_price_yuan_m2": 25000.0,
                                             "land.parcels.R1.sale": "2029-03"}))
    assert table.attrs["coverage_life"] == pytest.approx(23840 / 16650, rel=REL)
    assert table.loc[2027, "reserve"] == pytest.approx(-11680, rel=REL)
    assert table.attrs["first_shortfall_year"] == 2027
    assert table.attrs["passes"] is False
    assert "2027" in table.attrs["verdict_zh"] and "2027" in table.attrs["verdict_en"]


def test_bond_json_keys(two_bonds, capsys):
    assert main(["bond", two_bonds.path, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert list(data) == ["years", "coverage_life", "threshold", "first_shortfall_year", "passes", "stress"]
    assert list(data["years"][0]) == ["year", "revenue", "operating_costs", "net_revenue", "principal",
                                      "interest", "debt_service", "capitalised", "coverage", "reserve"]
    assert data["years"][0]["coverage"] is None  # 2024: no debt service
    assert data["first_shortfall_year"] == 2027
    assert [c["id"] for c in data["stress"]] == ["revenue_-10", "opex_+10", "land_delay_12", "combined"]
    assert set(data["stress"][0]) == {"id", "name", "coverage_life", "first_shortfall_year", "passes"}


def test_bond_threshold_option(two_bonds, capsys):
    assert main(["bond", two_bonds.path, "--json", "--threshold", "0.4"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["threshold"] == 0.4
    assert data["passes"] is False  # coverage 0.47 ≥ 0.4, but the 2027 shortfall remains


def test_bond_text_has_table_and_verdict(two_bonds, capsys):
    assert main(["bond", two_bonds.path]) == 0
    out = capsys.readouterr().out
    for text in ("累计结余", "建设期利息资本化", "-7,680.00", "2027", "结论", "Verdict", "land_delay_12"):
        assert text in out


def test_no_bonds_is_a_clear_error(tmp_path, capsys):
    path = tmp_path / "no-bonds.yaml"
    path.write_text(TWO_BONDS.split("financing:")[0], encoding="utf-8")
    assert main(["bond", str(path)]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and "financing.bonds" in err and "no special bonds" in err
    with pytest.raises(fc.ScenarioError, match="no special bonds"):
        fc.bond_table(path)
    # the stress cases still run without bonds
    assert main(["stress", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["cases"][0]["id"] == "base"
    assert data["cases"][0]["metrics"]["bond_coverage"] is None
