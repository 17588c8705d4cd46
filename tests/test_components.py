"""Each component of METHOD §1–8 against small cases worked out by hand.

Most cases are tiny scenario files written into ``tmp_path`` and run through
``fcfinance.run`` (file → validation → parameters → lines → metrics), so the
whole chain is exercised; the monthly row functions of :mod:`fcfinance.profile`,
the financing recursion and the IRR are also called directly.  Every expected
value carries a comment deriving it from METHOD's formulas.  Money in the
results is in 万元 (1 万元 = 10,000 元); ``result.monthly()`` and
``result.cashflows`` are signed (outflows negative).
"""

from __future__ import annotations

import json
import math
import textwrap

import numpy as np
import pytest
from scipy.optimize import brentq

import fcfinance as fc
from fcfinance.components.financing import gap_financing, repayment_shares
from fcfinance.irr import NOTES
from fcfinance.irr import irr as batch_irr
from fcfinance.irr import npv as batch_npv
from fcfinance.profile import build, lagged_sum_rows, place_rows, point_rows, window_rows

WAN = 10_000.0


def run_yaml(tmp_path, body: str, name: str = "case.yaml"):
    """Write ``fcfinance: 1`` + a name + ``body`` into tmp_path and run it."""
    path = tmp_path / name
    path.write_text("fcfinance: 1\nname: hand-worked case\n" + textwrap.dedent(body), encoding="utf-8")
    return fc.run(path)


def month_values(result, line: str) -> dict[str, float]:
    """Non-zero monthly amounts of a line, {YYYY-MM: 万元 (signed)}."""
    col = result.monthly()[line]
    return {k: v for k, v in col.items() if v != 0}


def assert_months(result, line: str, expected: dict[str, float], rel: float = 1e-12) -> None:
    got = month_values(result, line)
    assert set(got) == set(expected), (line, got)
    for month, value in expected.items():
        assert got[month] == pytest.approx(value, rel=rel, abs=1e-12), (line, month, got[month])


def scurve(u: float) -> float:
    """F(u) = 3u² − 2u³ (METHOD §1)."""
    u = min(max(u, 0.0), 1.0)
    return 3 * u * u - 2 * u ** 3


# ---------------------------------------------------------------------------
# §1 windows and monthly placement (fcfinance.profile)
# ---------------------------------------------------------------------------

class TestWindowRows:
    def test_even(self):
        # share(j) = F((j+1−S)/D) − F((j−S)/D), F(u) = u: 1/D in each of months S … S+D−1
        table, clipped = window_rows(np.array([2]), np.array([4]), False, 10)
        assert table[0].tolist() == pytest.approx([0, 0, .25, .25, .25, .25, 0, 0, 0, 0], abs=1e-15)
        assert not clipped[0]

    def test_scurve_two_and_four_months(self):
        # D = 2: F(1/2) = 3/4 − 2/8 = 1/2, so 1/2, 1/2.
        # D = 4: F(1/4) = 3/16 − 2/64 = 0.15625, F(1/2) = 0.5, F(3/4) = 27/16 − 54/64 = 0.84375:
        #        shares 0.15625, 0.34375, 0.34375, 0.15625.
        table, clipped = window_rows(np.array([0, 3]), np.array([2, 4]), True, 8)
        assert table[0].tolist() == pytest.approx([.5, .5, 0, 0, 0, 0, 0, 0], abs=1e-15)
        assert table[1].tolist() == pytest.approx([0, 0, 0, .15625, .34375, .34375, .15625, 0], abs=1e-15)
        assert not clipped.any()

    @pytest.mark.parametrize("scurve_profile", [False, True])
    def test_months_zero_puts_all_in_start_month(self, scurve_profile):
        # METHOD §1: months: 0 puts it all in month S, whatever the profile
        table, clipped = window_rows(np.array([3]), np.array([0]), scurve_profile, 6)
        assert table[0].tolist() == [0, 0, 0, 1, 0, 0]
        assert not clipped[0]

    def test_months_zero_in_last_month_is_not_clipped(self):
        table, clipped = window_rows(np.array([5]), np.array([0]), False, 6)
        assert table[0].tolist() == [0, 0, 0, 0, 0, 1]
        assert not clipped[0]

    def test_even_window_clipped_at_horizon_books_rest_in_last_month(self):
        # S = 8, D = 4 on a 10-month grid: months 8, 9 get 1/4 each; months 10, 11 (1/2) fall
        # past the grid and are booked in the last month: month 9 = 1/4 + 1/2 = 3/4.
        table, clipped = window_rows(np.array([8]), np.array([4]), False, 10)
        assert table[0].tolist() == pytest.approx([0] * 8 + [.25, .75], abs=1e-15)
        assert table[0].sum() == pytest.approx(1.0, abs=1e-15)
        assert clipped[0]

    def test_scurve_window_clipped_at_horizon(self):
        # S = 8, D = 4: month 8 gets F(1/4) = 0.15625; month 9 gets everything else, 1 − F(1/4).
        table, clipped = window_rows(np.array([8]), np.array([4]), True, 10)
        assert table[0, 8] == pytest.approx(0.15625, abs=1e-15)
        assert table[0, 9] == pytest.approx(0.84375, abs=1e-15)
        assert clipped[0]

    def test_window_starting_before_month_zero_books_early_part_in_month_zero(self):
        # S = −2, D = 4 even: months −2, −1 (1/2) go to month 0 → 3/4, month 1 → 1/4
        table, clipped = window_rows(np.array([-2]), np.array([4]), False, 6)
        assert table[0].tolist() == pytest.approx([.75, .25, 0, 0, 0, 0], abs=1e-15)
        assert clipped[0]

    def test_rows_are_independent(self):
        # several windows at once, one row each, each summing to 1
        table, clipped = window_rows(np.array([0, 2, 7]), np.array([2, 0, 3]), False, 8)
        assert table[0].tolist() == pytest.approx([.5, .5, 0, 0, 0, 0, 0, 0])
        assert table[1].tolist() == pytest.approx([0, 0, 1, 0, 0, 0, 0, 0])
        assert table[2].tolist() == pytest.approx([0] * 7 + [1])
        assert clipped.tolist() == [False, False, True]


class TestPlacement:
    def test_place_rows_inside(self):
        table, clipped = place_rows(np.array([[1.0, 2.0, 3.0]]), np.array([2]), 6)
        assert table[0].tolist() == [0, 0, 1, 2, 3, 0]
        assert not clipped[0]

    def test_place_rows_clipped_at_end(self):
        # entries land in months 8, 9, 10; month 10 is past a 10-month grid → booked in month 9
        table, clipped = place_rows(np.array([[1.0, 2.0, 3.0]]), np.array([8]), 10)
        assert table[0, 8:].tolist() == [1, 5]
        assert table[0].sum() == 6
        assert clipped[0]

    def test_place_rows_clipped_at_start(self):
        # offset −1: entry 0 lands in month −1 → booked in month 0 with entry 1
        table, clipped = place_rows(np.array([[1.0, 2.0, 3.0]]), np.array([-1]), 5)
        assert table[0].tolist() == [3, 3, 0, 0, 0]
        assert clipped[0]

    def test_zero_amount_outside_is_not_clipped(self):
        table, clipped = place_rows(np.array([[1.0, 0.0]]), np.array([9]), 10)
        assert table[0, 9] == 1
        assert not clipped[0]

    def test_point_rows(self):
        table, clipped = point_rows(np.array([3, 12]), 10)
        assert table[0].tolist() == [0, 0, 0, 1, 0, 0, 0, 0, 0, 0]
        assert table[1].tolist() == [0] * 9 + [1]  # month 12 booked in month 9
        assert clipped.tolist() == [False, True]


class TestLaggedSum:
    def test_single_issue(self):
        # a unit issued in month 0, summed over lags 1 ≤ a < 3: months 1 and 2
        out, clipped = lagged_sum_rows(np.array([[1.0, 0, 0, 0, 0, 0]]), np.array([1]), np.array([3]), 6)
        assert out[0].tolist() == [0, 1, 1, 0, 0, 0]
        assert not clipped[0]

    def test_spread_issue(self):
        # issues 1/2 in months 0 and 1, lags 0 and 1: month 0: 1/2; month 1: 1/2 + 1/2; month 2: 1/2
        out, _ = lagged_sum_rows(np.array([[.5, .5, 0, 0, 0]]), np.array([0]), np.array([2]), 5)
        assert out[0].tolist() == [.5, 1, .5, 0, 0]

    def test_clipped(self):
        # an issue in the last month at lags 0 and 1: lag 1 falls past the grid → last month
        out, clipped = lagged_sum_rows(np.array([[0, 0, 0, 1.0]]), np.array([0]), np.array([2]), 4)
        assert out[0].tolist() == [0, 0, 0, 2]
        assert clipped[0]


def test_build_evaluates_each_distinct_key_once():
    # paths sharing a key share a row: 3 paths, 2 distinct starts → 2 rows
    calls = []

    def rows(s):
        calls.append(s.copy())
        return point_rows(s, 4)

    prof = build(rows, np.array([1, 2, 1]))
    assert prof.table.shape == (2, 4)
    assert len(calls) == 1 and sorted(calls[0].tolist()) == [1, 2]
    assert prof.monthly(3).tolist() == [[0, 1, 0, 0], [0, 0, 1, 0], [0, 1, 0, 0]]


# ---------------------------------------------------------------------------
# §2 acquisition
# ---------------------------------------------------------------------------

ACQUISITION = """\
timeline: {start: 2024-01, years: 3, frequency: month}
site:
  households: 10
  residential_area_m2: 1000
  nonresidential_area_m2: 200
  demolition_area_m2: 1500
acquisition:
  signing: {start: 2024-02, months: 2}
  house_value_yuan_m2: 20000
  nonresidential_value_yuan_m2: 10000
  moving_allowance_yuan_m2: 30
  transition_allowance_yuan_m2_month: 25
  signing_reward_yuan_household: 50000
  demolition_works_yuan_m2: 100
  demolition: {start: 2024-05, months: 2}
relocation:
  shares: {cash: 0.5, in_kind: 0.5}
  cash_bonus_rate: 0.1
  in_kind:
    construction_cost_yuan_m2: 3000
    construction: {start: 2024-04, months: 6}
    handover_lag_months: 2
works: {escalation: 0.5}   # escalates construction only, never acquisition lines
"""
# σ: signing window 2024-02 (j = 1) for 2 months, even → σ(1) = σ(2) = 1/2.
# Handover h = construction.start (j = 3) + 6 + lag 2 = 11 → 2024-12.


class TestAcquisition:
    @pytest.fixture(scope="class")
    @classmethod
    def result(cls, tmp_path_factory):
        return run_yaml(tmp_path_factory.mktemp("acq"), ACQUISITION)

    def test_cash_compensation_with_bonus_and_nonresidential_value(self, result):
        # V = 1000·20000 = 2e7, V_n = 200·10000 = 2e6;
        # c·V·(1+bonus) + V_n = 0.5·2e7·1.1 + 2e6 = 1.3e7 元 = 1300 万元, half per signing month
        assert_months(result, "cash_compensation", {"2024-02": -650.0, "2024-03": -650.0})
        assert result.lines["cash_compensation"] == pytest.approx(-1300.0, rel=1e-12)

    def test_signing_rewards(self, result):
        # H·reward = 10·50000 = 5e5 元 = 50 万元, half per month
        assert_months(result, "signing_rewards", {"2024-02": -25.0, "2024-03": -25.0})

    def test_moving_allowance_includes_move_back_at_handover(self, result):
        # A·rate = 1000·30 = 3e4 元 = 3 万元 over signing, plus i·A·rate = 1.5 万元 at h (2024-12)
        assert_months(result, "moving_allowance", {"2024-02": -1.5, "2024-03": -1.5, "2024-12": -1.5})
        assert result.lines["moving_allowance"] == pytest.approx(-4.5, rel=1e-12)

    def test_transition_allowance_until_handover(self, result):
        # i·A·rate = 0.5·1000·25 = 12500 元/month × Σ_{s≤j} σ(s), for j < h = 11:
        # j = 1: 1/2 → 0.625 万元; j = 2 … 10: 1 → 1.25 万元; j ≥ 11: 0.
        expected = {"2024-02": -0.625}
        expected.update({f"2024-{m:02d}": -1.25 for m in range(3, 12)})
        assert_months(result, "transition_allowance", expected)
        # total 0.625 + 9·1.25 = 11.875 万元
        assert result.lines["transition_allowance"] == pytest.approx(-11.875, rel=1e-12)

    def test_demolition_not_escalated(self, result):
        # demolition_area·rate = 1500·100 = 1.5e5 元 = 15 万元, window 2024-05 (j = 4), 2 months even;
        # acquisition lines are never escalated although works.escalation = 0.5
        assert_months(result, "demolition_works", {"2024-05": -7.5, "2024-06": -7.5})

    def test_no_voucher_lines(self, result):
        for line in ("voucher_redemption", "voucher_expiry", "voucher_return_discount"):
            assert result.lines[line] == 0

    def test_scurve_signing_profile(self, tmp_path):
        # a signing window of 4 months with profile scurve: shares 0.15625, 0.34375, 0.34375, 0.15625
        text = ACQUISITION.replace("signing: {start: 2024-02, months: 2}",
                                   "signing: {start: 2024-02, months: 4, profile: scurve}")
        r = run_yaml(tmp_path, text)
        shares = [.15625, .34375, .34375, .15625]
        assert_months(r, "signing_rewards",
                      {f"2024-{m:02d}": -50.0 * s for m, s in zip(range(2, 6), shares)})

    def test_without_in_kind_no_transition_and_no_move_back(self, tmp_path):
        # all cash: no handover, so no transition allowance and one move only
        text = ACQUISITION.replace("shares: {cash: 0.5, in_kind: 0.5}", "shares: {cash: 1.0}")
        r = run_yaml(tmp_path, text)
        assert r.lines["transition_allowance"] == 0
        assert_months(r, "moving_allowance", {"2024-02": -1.5, "2024-03": -1.5})
        # c·V·(1+bonus) + V_n = 2e7·1.1 + 2e6 = 2.4e7 元
        assert r.lines["cash_compensation"] == pytest.approx(-2400.0, rel=1e-12)

    def test_demolition_without_relocation(self, tmp_path):
        # a site that only demolishes: no households, so no relocation section is required (METHOD §10);
        # demolition_works is still demolition_area·rate (§2): 1000 m² · 100 元/m² = 1e5 元 = 10 万元, window 2024-03 (j = 2), 2 months even
        r = run_yaml(tmp_path, """\
            timeline: {start: 2024-01, years: 2, frequency: month}
            site: {demolition_area_m2: 1000}
            acquisition:
              demolition_works_yuan_m2: 100
              demolition: {start: 2024-03, months: 2}
            """)
        assert_months(r, "demolition_works", {"2024-03": -5.0, "2024-04": -5.0})


# ---------------------------------------------------------------------------
# §3 vouchers
# ---------------------------------------------------------------------------

VOUCHERS = """\
timeline: {start: 2024-01, years: 2, frequency: month}
site: {households: 10, residential_area_m2: 1000}
acquisition:
  signing: {start: 2024-02, months: 3}
  house_value_yuan_m2: 12000
relocation:
  shares: {voucher: 1.0}
  voucher:
    validity_months: 4
    redemption_rate: 0.9
    bonus_tiers:
      - {within_months: 2, rate: 0.10}
      - {within_months: 3, rate: 0.05}
    return:
      share: 0.5
      area_m2_household: 90
      market_price_yuan_m2: 20000
      discount_rate: 0.1
      date: 2024-12
"""
# σ(s) = 1/3 for s = 1, 2, 3 (2024-02 … 2024-04); v·V = 1·1000·12000 = 1.2e7 元; L = 4; ρ = 0.9.
# Each cohort redeems σ·v·V·ρ/L = 1.2e7·0.9/12 = 9e5 元 = 90 万元 per month at ages 0 … 3,
# with bonus 10 % at ages 0, 1 (< 2), 5 % at age 2 (< 3) and 0 at age 3 (past the last tier).


class TestVouchers:
    @pytest.fixture(scope="class")
    @classmethod
    def result(cls, tmp_path_factory):
        return run_yaml(tmp_path_factory.mktemp("vou"), VOUCHERS)

    def test_redemption_month_by_month(self, result):
        # j=1: s1 a0 1.10                         →  99
        # j=2: s1 a1 1.10 + s2 a0 1.10            → 198
        # j=3: s1 a2 1.05 + s2 a1 1.10 + s3 a0 1.10 → 292.5
        # j=4: s1 a3 1.00 + s2 a2 1.05 + s3 a1 1.10 → 283.5
        # j=5: s2 a3 1.00 + s3 a2 1.05            → 184.5
        # j=6: s3 a3 1.00                         →  90      (all × 90 万元)
        assert_months(result, "voucher_redemption", {
            "2024-02": -99.0, "2024-03": -198.0, "2024-04": -292.5,
            "2024-05": -283.5, "2024-06": -184.5, "2024-07": -90.0})

    def test_redemption_total(self, result):
        # v·V·ρ·(1 + mean bonus over L ages) = 1.08e7·(1 + (.1+.1+.05+0)/4) = 1.1475e7 元
        assert result.lines["voucher_redemption"] == pytest.approx(-1147.5, rel=1e-12)

    def test_expiry_in_s_plus_L(self, result):
        # σ(j−L)·v·V·(1−ρ) = 1/3·1.2e7·0.1 = 4e5 元 = 40 万元 in months 5, 6, 7, at face value, no bonus
        assert_months(result, "voucher_expiry", {"2024-06": -40.0, "2024-07": -40.0, "2024-08": -40.0})

    def test_return_discount(self, result):
        # H·v·share·area·price·discount = 10·1·0.5·90·20000·0.1 = 9e5 元 = 90 万元 at return.date
        assert_months(result, "voucher_return_discount", {"2024-12": -90.0})
        # no in-kind households, so the resident discounts are the voucher discount alone
        assert result.metrics["resident_discount_value"] == pytest.approx(90.0, rel=1e-12)

    def test_no_cash_compensation(self, result):
        # c = 0 and no non-residential area
        assert result.lines["cash_compensation"] == 0

    def test_full_redemption_has_no_expiry(self, tmp_path):
        r = run_yaml(tmp_path, VOUCHERS.replace("redemption_rate: 0.9", "redemption_rate: 1.0"))
        assert r.lines["voucher_expiry"] == 0
        # 1.2e7·(1 + 0.0625) = 1.275e7 元
        assert r.lines["voucher_redemption"] == pytest.approx(-1275.0, rel=1e-12)


# ---------------------------------------------------------------------------
# §4 in-kind resettlement
# ---------------------------------------------------------------------------

RESETTLEMENT = """\
timeline: {start: 2024-01, years: 3, frequency: month}
site: {households: 10, residential_area_m2: 1000}
acquisition:
  signing: {start: 2024-01, months: 0}
  house_value_yuan_m2: 20000
relocation:
  shares: {in_kind: 1.0}
  in_kind:
    area_ratio: 1.2
    extra_area_m2_household: 10
    extra_area_price_yuan_m2: 8000
    market_price_yuan_m2: 15000
    construction_cost_yuan_m2: 3000
    construction: {start: 2024-07, months: 2, profile: even}
    handover_lag_months: 3
works: {escalation: 0.21, soft_cost_rate: 0.1, contingency_rate: 0.05}
"""
# A_in = i·A·ratio + i·H·extra = 1000·1.2 + 10·10 = 1300 m²; cost 1300·3000 = 3.9e6 元 = 390 万元.
# Construction j = 6, 7 (even, 195 万元 each) × (1.21)^(j/12): 1.21^(1/2) = 1.1, 1.21^(7/12).
# Handover h = 6 + 2 + 3 = 11 → 2024-12.


class TestResettlement:
    @pytest.fixture(scope="class")
    @classmethod
    def result(cls, tmp_path_factory):
        return run_yaml(tmp_path_factory.mktemp("res"), RESETTLEMENT)

    def test_construction_with_escalation(self, result):
        assert_months(result, "resettlement_construction", {
            "2024-07": -195.0 * 1.1,
            "2024-08": -195.0 * 1.21 ** (7 / 12)})

    def test_resident_purchases_at_handover(self, result):
        # i·H·extra·price = 10·10·8000 = 8e5 元 = 80 万元 at h
        assert_months(result, "resident_purchases", {"2024-12": 80.0})

    def test_implied_discount_is_reported_not_paid(self, result):
        # i·H·extra·(market − price) = 100·(15000 − 8000) = 7e5 元 = 70 万元, no voucher discount
        assert result.metrics["resident_discount_value"] == pytest.approx(70.0, rel=1e-12)
        # and it is no cash flow: outflows are construction + soft + contingency only
        rc = 195.0 * (1.1 + 1.21 ** (7 / 12))
        assert result.metrics["project_outflows"] == pytest.approx(rc * (1 + 0.1) * (1 + 0.05), rel=1e-12)
        assert result.metrics["project_inflows"] == pytest.approx(80.0, rel=1e-12)

    def test_soft_costs_and_contingency_follow_construction(self, result):
        # soft(j) = 0.1·RC(j); contingency(j) = 0.05·(RC(j) + soft(j)) = 0.055·RC(j)
        m = result.monthly()
        np.testing.assert_allclose(m["soft_costs"], 0.1 * m["resettlement_construction"], rtol=1e-12)
        np.testing.assert_allclose(m["contingency"], 0.055 * m["resettlement_construction"], rtol=1e-12)

    def test_area_ratio_default_and_whole_year_escalation(self, tmp_path):
        # area_ratio absent → 1: A_in = 1000 + 100 = 1100 m² → 3.3e6 元; all in j = 12: × 1.21
        text = (RESETTLEMENT.replace("    area_ratio: 1.2\n", "")
                .replace("construction: {start: 2024-07, months: 2, profile: even}",
                         "construction: {start: 2025-01, months: 0}"))
        r = run_yaml(tmp_path, text)
        assert_months(r, "resettlement_construction", {"2025-01": -330.0 * 1.21})
        # h = 12 + 0 + 3 = 15 → 2025-04
        assert_months(r, "resident_purchases", {"2025-04": 80.0})

    def test_construction_default_profile_is_scurve(self, tmp_path):
        # no profile on the construction window → scurve: 0.15625, 0.34375, 0.34375, 0.15625 of 390 万元,
        # months j = 6 … 9 each escalated by 1.21^(j/12)
        text = RESETTLEMENT.replace("construction: {start: 2024-07, months: 2, profile: even}",
                                    "construction: {start: 2024-07, months: 4}")
        r = run_yaml(tmp_path, text)
        shares = [.15625, .34375, .34375, .15625]
        assert_months(r, "resettlement_construction",
                      {f"2024-{7 + n:02d}": -390.0 * s * 1.21 ** ((6 + n) / 12) for n, s in enumerate(shares)})
        # h = 6 + 4 + 3 = 13 → 2025-02
        assert_months(r, "resident_purchases", {"2025-02": 80.0})


# ---------------------------------------------------------------------------
# §5 works, soft costs, contingency
# ---------------------------------------------------------------------------

WORKS = """\
timeline: {start: 2024-01, years: 2, frequency: quarter}
works:
  escalation: 0.21
  soft_cost_rate: 0.1
  contingency_rate: 0.05
  items:
    - {id: a, cost_yuan: 1000000, start: 2024-01, months: 0}
    - {id: b, area_m2: 100, unit_cost_yuan_m2: 2000, start: 2025-01, months: 0, escalation: 0.44}
    - {id: c, cost_yuan: 120000, start: 2024-07, months: 2, profile: even}
    - {id: d, cost_yuan: 400000, start: 2024-01, months: 4}
"""


class TestWorks:
    @pytest.fixture(scope="class")
    @classmethod
    def result(cls, tmp_path_factory):
        return run_yaml(tmp_path_factory.mktemp("works"), WORKS)

    def expected_public_works(self) -> dict[str, float]:
        d = [40.0 * s for s in (.15625, .34375, .34375, .15625)]  # scurve over 4 months, 40 万元
        esc = [1.21 ** (j / 12) for j in range(4)]
        return {
            # a: 100 万元 in j = 0, escalation factor 1; d: 40·0.15625 in j = 0
            "2024-01": -(100.0 + d[0] * esc[0]),
            "2024-02": -d[1] * esc[1],
            "2024-03": -d[2] * esc[2],
            "2024-04": -d[3] * esc[3],
            # c: 12 万元 even over j = 6, 7: 6·1.21^(1/2) = 6.6, 6·1.21^(7/12)
            "2024-07": -6.6,
            "2024-08": -6.0 * 1.21 ** (7 / 12),
            # b: area × unit cost = 100·2000 = 2e5 元 = 20 万元 in j = 12 with its own escalation:
            # 20·1.44 = 28.8 (not 20·1.21 = 24.2 from works.escalation)
            "2025-01": -28.8,
        }

    def test_public_works_month_by_month(self, result):
        assert_months(result, "public_works", self.expected_public_works())

    def test_soft_costs_and_contingency(self, result):
        pw = sum(self.expected_public_works().values())
        assert result.lines["public_works"] == pytest.approx(pw, rel=1e-12)
        # soft = 0.1·(RC + PW) with RC = 0; contingency = 0.05·(PW + soft)
        assert result.lines["soft_costs"] == pytest.approx(0.1 * pw, rel=1e-12)
        assert result.lines["contingency"] == pytest.approx(0.05 * 1.1 * pw, rel=1e-12)
        m = result.monthly()
        np.testing.assert_allclose(m["soft_costs"], 0.1 * m["public_works"], rtol=1e-12)

    def test_quarterly_table_sums_months(self, result):
        # 2024Q1 holds months 0, 1, 2 of the public works
        e = self.expected_public_works()
        q1 = e["2024-01"] + e["2024-02"] + e["2024-03"]
        assert result.cashflows.loc["2024Q1", "public_works"] == pytest.approx(q1, rel=1e-12)
        assert result.cashflows.loc["2025Q1", "public_works"] == pytest.approx(-28.8, rel=1e-12)


# ---------------------------------------------------------------------------
# §6 land premium
# ---------------------------------------------------------------------------

LAND = """\
timeline: {start: 2024-01, years: 3, frequency: quarter}
works:
  items:
    - {id: w1, cost_yuan: 0, start: 2024-01, months: 6}
    - {id: w2, cost_yuan: 0, start: 2024-04, months: 9}
land:
  deduction_rate: 0.2
  return_rate: 0.5
  parcels:
    - id: P1
      area_m2: 1000
      far: 2
      floor_price_yuan_m2: 10000
      sale: 2024-07
      payments: [{after_months: 0, share: 0.4}, {after_months: 3, share: 0.6}]
      uplift: {rate: 0.1, requires: [w1]}
    - id: P2
      area_m2: 1000
      far: 1
      floor_price_yuan_m2: 5000
      sale: 2024-12
      uplift: {rate: 0.2, requires: [w1, w2]}
"""
# w1 completes at 0 + 6 = 6, w2 at 3 + 9 = 12.
# P1: sale j = 6; w1 complete (6 ≤ 6) → uplift earned: 1000·2·10000·1.1 = 2.2e7 元.
# P2: sale j = 11; w2 not complete (12 > 11) → no uplift: 1000·1·5000 = 5e6 元.
# Project receives premium·share·(1 − 0.2)·0.5 = 0.4·premium·share.


class TestLand:
    def test_installments_deduction_and_return(self, tmp_path):
        r = run_yaml(tmp_path, LAND)
        assert_months(r, "land_premium", {
            "2024-07": 2200.0 * 0.4 * 0.4,   # P1, 40 % at sale: 352 万元
            "2024-10": 2200.0 * 0.6 * 0.4,   # P1, 60 % three months later: 528 万元
            "2024-12": 500.0 * 1.0 * 0.4,    # P2, default single payment at sale: 200 万元
        })
        assert r.metrics["land_premium_gross"] == pytest.approx(2700.0, rel=1e-12)
        assert r.lines["land_premium"] == pytest.approx(1080.0, rel=1e-12)

    def test_uplift_earned_when_every_required_work_is_complete(self, tmp_path):
        # P2 sold at j = 12: w2 completes at 12 ≤ 12 → 5e6·1.2 = 6e6 元 at 2025-01
        r = run_yaml(tmp_path, LAND.replace("sale: 2024-12", "sale: 2025-01"))
        assert_months(r, "land_premium", {"2024-07": 352.0, "2024-10": 528.0, "2025-01": 240.0})
        assert r.metrics["land_premium_gross"] == pytest.approx(2800.0, rel=1e-12)

    def test_uplift_lost_one_month_late(self, tmp_path):
        # w1 takes 7 months: complete at 7 > sale 6 → P1 premium 2e7 元 without uplift
        r = run_yaml(tmp_path, LAND.replace("start: 2024-01, months: 6", "start: 2024-01, months: 7"))
        assert r.metrics["land_premium_gross"] == pytest.approx(2000.0 + 500.0, rel=1e-12)

    def test_default_deduction_and_return_rate(self, tmp_path):
        # deduction absent → 0, return_rate absent → 1: the project receives the gross premium
        text = LAND.replace("  deduction_rate: 0.2\n", "").replace("  return_rate: 0.5\n", "")
        r = run_yaml(tmp_path, text)
        assert r.lines["land_premium"] == pytest.approx(2700.0, rel=1e-12)
        assert r.metrics["land_premium_gross"] == pytest.approx(2700.0, rel=1e-12)


# ---------------------------------------------------------------------------
# §7 operations and grants
# ---------------------------------------------------------------------------

OPERATIONS = """\
timeline: {start: 2024-01, years: 4, frequency: month}
operations:
  start: 2024-07
  years: 3
  escalation: 0.1
  revenues:
    - {id: r1, quantity: 100, unit_price_yuan_month: 10, occupancy: 0.5}
    - id: r2
      amount_yuan_year: 12000
      occupancy: {initial: 0.4, stable: 1.0, ramp_years: 1}
    - {id: r3, amount_yuan_year: 2400}
  costs:
    - {id: c1, amount_yuan_year: 2400}
grants:
  - {id: g, amount_yuan: 50000, date: 2024-03}
"""
# O = 6; m = j − 6; step-up 1.1^floor(m/12).
# r1: 100·10·0.5 = 500 元/month; r2: 12000/12 = 1000 元/month × (0.4 + 0.6·min(1, m/12));
# r3: 200 元/month (occupancy default 1); c1: 200 元/month.


class TestOperations:
    @pytest.fixture(scope="class")
    @classmethod
    def result(cls, tmp_path_factory):
        return run_yaml(tmp_path_factory.mktemp("ops"), OPERATIONS)

    @pytest.mark.parametrize("month, revenue_yuan, cost_yuan", [
        ("2024-06", 0.0, 0.0),                       # before O
        ("2024-07", 500 + 400 + 200, 200),           # m = 0: ramp at initial 0.4
        ("2025-01", 500 + 700 + 200, 200),           # m = 6: ramp 0.4 + 0.6·0.5 = 0.7
        ("2025-06", 500 + 950 + 200, 200),           # m = 11: 0.4 + 0.6·11/12 = 0.95
        ("2025-07", 550 + 1100 + 220, 220),          # m = 12: first anniversary, × 1.1, ramp done
        ("2027-06", 605 + 1210 + 242, 242),          # m = 35: × 1.21
        ("2027-07", 0.0, 0.0),                       # m = 36: after the 3 operating years
    ])
    def test_month(self, result, month, revenue_yuan, cost_yuan):
        m = result.monthly()
        assert m.loc[month, "operating_revenue"] * WAN == pytest.approx(revenue_yuan, rel=1e-12, abs=1e-9)
        assert m.loc[month, "operating_costs"] * WAN == pytest.approx(-cost_yuan, rel=1e-12, abs=1e-9)

    def test_totals_and_operating_ratio(self, result):
        # r1: 500·12·(1 + 1.1 + 1.21) = 19860; r3 and c1: 200·12·3.31 = 7944
        # r2: year 1 Σ_{m=0}^{11} 1000·(0.4 + 0.05m) = 8100; year 2 13200; year 3 14520 → 35820
        revenue = 19860 + 35820 + 7944
        assert result.lines["operating_revenue"] * WAN == pytest.approx(revenue, rel=1e-12)
        assert result.lines["operating_costs"] * WAN == pytest.approx(-7944, rel=1e-12)
        assert result.metrics["operating_ratio"] == pytest.approx(revenue / 7944, rel=1e-12)

    def test_grant(self, result):
        assert_months(result, "grants", {"2024-03": 5.0})


# ---------------------------------------------------------------------------
# §7 bonds and gap financing
# ---------------------------------------------------------------------------

BONDS = """\
timeline: {start: 2024-01, years: 6, frequency: year}
financing:
  bonds:
    - {id: B1, amount_yuan: 1000000, issue: 2024-01, coupon_rate: 0.05, term_years: 3}
    - id: B2
      amount_yuan: 1000000
      issue: 2024-07
      coupon_rate: 0.04
      term_years: 4
      amortization: [{year: 2, share: 0.5}, {year: 4, share: 0.5}]
grants:
  - {id: g, amount_yuan: 4540000, date: 2024-02}
operations:
  start: 2024-01
  years: 1
  costs: [{id: c, amount_yuan_year: 120000}]
"""


class TestBonds:
    @pytest.fixture(scope="class")
    @classmethod
    def result(cls, tmp_path_factory):
        return run_yaml(tmp_path_factory.mktemp("bonds"), BONDS)

    def test_proceeds(self, result):
        assert_months(result, "bond_proceeds", {"2024-01": 100.0, "2024-07": 100.0})

    def test_bullet_and_amortizing_interest_on_outstanding_before_repayment(self, result):
        # B1 bullet: 5 % of 100 万元 at each anniversary 2025-01, 2026-01, 2027-01.
        # B2: anniversaries 2025-07 … 2028-07; outstanding before repayment 100, 100, 50, 50 → 4, 4, 2, 2
        assert_months(result, "bond_interest", {
            "2025-01": -5.0, "2026-01": -5.0, "2027-01": -5.0,
            "2025-07": -4.0, "2026-07": -4.0, "2027-07": -2.0, "2028-07": -2.0})

    def test_principal(self, result):
        # B1 all at maturity (n = 3); B2 half at n = 2 and n = 4
        assert_months(result, "bond_principal", {"2027-01": -100.0, "2026-07": -50.0, "2028-07": -50.0})

    def test_coverage_and_financing_cost(self, result):
        # (inflows − operating costs) / (principal + interest) = (454 − 12) / (200 + 27)
        assert result.metrics["bond_coverage"] == pytest.approx(442 / 227, rel=1e-12)
        # bond interest 27, no gap interest (gap_rate absent → 0), no deposit interest
        assert result.metrics["financing_cost"] == pytest.approx(27.0, rel=1e-12)
        # project net 454 − 12 = 442, plus bonds 200 − 27 − 200 → C at the end = 415
        assert result.metrics["ending_balance"] == pytest.approx(415.0, rel=1e-12)

    def test_repayment_shares(self):
        assert repayment_shares(3, "bullet") == [0, 0, 1.0]
        assert repayment_shares(4, [(2, .5), (4, .5)]) == [0, .5, 0, .5]


class TestGapFinancing:
    def test_recursion_direct(self):
        # quarterly: (1 + 0.4641)^(1/4) = 1.1, (1 + 0.21550625)^(1/4) = 1.05
        # path 0: C = −100; −100 − 10 = −110; −110 − 11 + 200 = 79; 79 + 3.95 = 82.95
        # path 1: C = 50; 50 + 2.5 − 100 = −47.5; −47.5 − 4.75 = −52.25; −52.25 − 5.225 = −57.475
        net = np.array([[-100.0, 0.0, 200.0, 0.0], [50.0, -100.0, 0.0, 0.0]])
        balance, interest = gap_financing(net, 0.21550625, 0.4641, 4)
        np.testing.assert_allclose(balance, [[-100, -110, 79, 82.95], [50, -47.5, -52.25, -57.475]],
                                   rtol=1e-12)
        np.testing.assert_allclose(interest, [[0, -10, -11, 3.95], [0, 2.5, -4.75, -5.225]],
                                   rtol=1e-12, atol=1e-12)

    def test_through_a_scenario(self, tmp_path):
        # project net by quarter: −100 (works in 2024-01), 0, +200 (grant in 2024-07), 0
        r = run_yaml(tmp_path, """\
            timeline: {start: 2024-01, years: 1, frequency: quarter, discount_rate: 0.05}
            works:
              items:
                - {id: w, cost_yuan: 1000000, start: 2024-01, months: 0}
            grants:
              - {id: g, amount_yuan: 2000000, date: 2024-07}
            financing: {gap_rate: 0.4641, deposit_rate: 0.21550625}
            """)
        cf = r.cashflows
        np.testing.assert_allclose(cf["project_net"], [-100, 0, 200, 0], rtol=1e-12)
        np.testing.assert_allclose(cf["gap_interest"], [0, -10, -11, 0], rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(cf["deposit_interest"], [0, 0, 0, 3.95], rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(cf["balance_after_financing"], [-100, -110, 79, 82.95], rtol=1e-12)
        m = r.metrics
        assert r.lines["gap_interest"] == pytest.approx(-21.0, rel=1e-12)
        assert r.lines["deposit_interest"] == pytest.approx(3.95, rel=1e-12)
        assert m["ending_balance"] == pytest.approx(82.95, rel=1e-12)
        assert m["financing_cost"] == pytest.approx(21 - 3.95, rel=1e-12)  # no bonds
        # §8 metrics of the same flows
        assert m["net_balance"] == pytest.approx(100.0, rel=1e-12)
        assert m["balance_ratio"] == pytest.approx(2.0, rel=1e-12)
        # npv = −100/1.05^(1/4) + 200/1.05^(3/4)
        assert m["npv"] == pytest.approx(-100 / 1.05 ** .25 + 200 / 1.05 ** .75, rel=1e-12)
        # cumulative −100, −100, 100, 100: peak 100 first reached in period 0; last negative p* = 1
        assert m["peak_funding_need"] == pytest.approx(100.0, rel=1e-12)
        assert m["peak_funding_period"] == "2024-01"
        assert m["payback_years"] == 0.5
        # IRR: −100/(1+r)^(1/4) + 200/(1+r)^(3/4) = 0 → (1+r)^(1/2) = 2 → r = 3
        assert m["irr"] == pytest.approx(3.0, abs=1e-9)
        assert r.irr_note == ""
        assert m["bond_coverage"] is not None and math.isnan(m["bond_coverage"])


# ---------------------------------------------------------------------------
# §8 metrics
# ---------------------------------------------------------------------------

class TestMetrics:
    def test_never_negative_and_zero_denominators(self, tmp_path):
        # a grant alone: no outflows, no operations, no bonds
        r = run_yaml(tmp_path, """\
            timeline: {start: 2024-01, years: 2, frequency: quarter}
            grants: [{id: g, amount_yuan: 10000, date: 2024-05}]
            """)
        m = r.metrics
        assert m["payback_years"] == 0            # cumulative net never negative
        assert m["peak_funding_need"] == 0
        assert m["peak_funding_period"] is None
        assert m["net_balance"] == pytest.approx(1.0)
        for key in ("balance_ratio", "operating_ratio", "bond_coverage", "irr"):
            assert math.isnan(m[key]), key      # zero denominators; no IRR
        assert r.irr_note == NOTES[1]
        out = r.to_dict()
        assert out["metrics"]["balance_ratio"] is None and out["metrics"]["irr"] is None
        assert out["irr_note"] == NOTES[1]
        json.dumps(out, allow_nan=False)        # NaN leaves as null

    def test_magnitudes_are_not_negative_zero(self, tmp_path):
        # §8: money terms are magnitudes; a zero outflow must not print as "-0.0" in the JSON
        r = run_yaml(tmp_path, """\
            timeline: {start: 2024-01, years: 2, frequency: quarter}
            grants: [{id: g, amount_yuan: 10000, date: 2024-05}]
            """)
        text = json.dumps(r.to_dict()["metrics"])
        assert "-0.0" not in text, text

    def test_payback_nan_when_horizon_ends_negative(self, tmp_path):
        # a cost alone: cumulative −50 万元 throughout
        r = run_yaml(tmp_path, """\
            timeline: {start: 2024-01, years: 2, frequency: year}
            works:
              items: [{id: w, cost_yuan: 500000, start: 2024-03, months: 0}]
            """)
        m = r.metrics
        assert math.isnan(m["payback_years"])
        assert m["peak_funding_need"] == pytest.approx(50.0)
        assert m["peak_funding_period"] == "2024-01"   # first month of the year period
        assert m["balance_ratio"] == 0.0              # inflows 0 / outflows 50
        assert math.isnan(m["irr"]) and r.irr_note == NOTES[1]

    def test_peak_period_is_first_period_attaining_the_minimum(self, tmp_path):
        # quarterly cumulative: −10, −30, −30, +10 → minimum first reached in period 1 (2024-04)
        r = run_yaml(tmp_path, """\
            timeline: {start: 2024-01, years: 1, frequency: quarter}
            works:
              items:
                - {id: a, cost_yuan: 100000, start: 2024-01, months: 0}
                - {id: b, cost_yuan: 200000, start: 2024-05, months: 0}
            grants: [{id: g, amount_yuan: 400000, date: 2024-12}]
            """)
        np.testing.assert_allclose(r.cashflows["cumulative_net"], [-10, -30, -30, 10], rtol=1e-12)
        assert r.metrics["peak_funding_need"] == pytest.approx(30.0)
        assert r.metrics["peak_funding_period"] == "2024-04"
        # last period with cumulative < 0 is p* = 2 → (2 + 1)/4
        assert r.metrics["payback_years"] == 0.75

    def test_peak_period_with_start_not_on_calendar_year(self, tmp_path):
        # yearly periods from 2024-02: period 1 holds 2025-02 … 2026-01; the cost in 2025-03 (j = 13)
        # makes period 1 the minimum, labelled by its first month
        r = run_yaml(tmp_path, """\
            timeline: {start: 2024-02, years: 3, frequency: year}
            works:
              items: [{id: w, cost_yuan: 500000, start: 2025-03, months: 0}]
            grants: [{id: g, amount_yuan: 600000, date: 2026-05}]
            """)
        assert list(r.cashflows.index) == ["2024-02", "2025-02", "2026-02"]
        np.testing.assert_allclose(r.cashflows["cumulative_net"], [0, -50, 10], atol=1e-12)
        assert r.metrics["peak_funding_period"] == "2025-02"
        assert r.metrics["payback_years"] == 2.0   # p* = 1 → (1 + 1)/1

    def test_operating_ratio_nan_without_costs(self, tmp_path):
        r = run_yaml(tmp_path, """\
            timeline: {start: 2024-01, years: 2}
            operations:
              start: 2024-01
              years: 1
              revenues: [{id: r, amount_yuan_year: 120000}]
            """)
        assert r.lines["operating_revenue"] == pytest.approx(12.0, rel=1e-12)
        assert math.isnan(r.metrics["operating_ratio"])
        assert math.isnan(r.metrics["balance_ratio"])   # no outflows
        assert math.isnan(r.metrics["bond_coverage"])   # no bonds

    def test_irr_two_roots_is_nan_with_note(self, tmp_path):
        # yearly project net −100, +230, −132: (1+r)² roots of −100x² + 230x − 132 = 0 at x = 1.1, 1.2
        r = run_yaml(tmp_path, """\
            timeline: {start: 2024-01, years: 3, frequency: year}
            works:
              items:
                - {id: a, cost_yuan: 1000000, start: 2024-01, months: 0}
                - {id: b, cost_yuan: 1320000, start: 2026-01, months: 0}
            grants: [{id: g, amount_yuan: 2300000, date: 2025-01}]
            """)
        np.testing.assert_allclose(r.cashflows["project_net"], [-100, 230, -132], rtol=1e-12)
        assert math.isnan(r.metrics["irr"])
        assert r.irr_note == NOTES[2]
        assert r.to_dict()["irr_note"] == NOTES[2]


class TestIrr:
    @pytest.mark.parametrize("flows, k", [
        ([-100.0, 30.0, 40.0, 50.0, 20.0], 1),
        ([-100.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 60.0], 4),
        ([-50.0, -50.0, 20.0, 0.0, 45.0, 45.0, 10.0], 12),
    ])
    def test_matches_brentq_on_the_npv(self, flows, k):
        net = np.array([flows])
        t = (np.arange(len(flows)) + 1.0) / k

        def f(r):
            return float(np.sum(np.array(flows) / (1 + r) ** t))

        expected = brentq(f, -0.99, 10.0, xtol=1e-14)
        rate, code = batch_irr(net, k)
        assert code[0] == 0
        assert rate[0] == pytest.approx(expected, abs=1e-10)
        assert abs(batch_npv(net, rate[0], k)[0]) < 1e-8

    def test_several_sign_changes_but_one_root(self):
        # flows −, +, −, + (three changes, so the grid path is used) with a single root
        flows = [-100.0, 50.0, -10.0, 80.0]
        t = np.arange(1, 5.0)
        grid = np.linspace(-0.98, 9.99, 20000)
        values = np.array([np.sum(np.array(flows) / (1 + r) ** t) for r in grid])
        assert np.count_nonzero(np.diff(np.sign(values))) == 1  # one root in the interval
        expected = brentq(lambda r: float(np.sum(np.array(flows) / (1 + r) ** t)), -0.98, 9.99, xtol=1e-14)
        rate, code = batch_irr(np.array([flows]), 1)
        assert code[0] == 0
        assert rate[0] == pytest.approx(expected, abs=1e-10)

    def test_two_roots(self):
        # −100, +230, −132 (k = 1): NPV zero at 10 % and 20 %
        flows = np.array([[-100.0, 230.0, -132.0]])
        assert batch_npv(flows, 0.1, 1)[0] == pytest.approx(0, abs=1e-9)
        assert batch_npv(flows, 0.2, 1)[0] == pytest.approx(0, abs=1e-9)
        rate, code = batch_irr(flows, 1)
        assert math.isnan(rate[0]) and code[0] == 2

    def test_no_root(self):
        rate, code = batch_irr(np.array([[10.0, 20.0, 5.0], [-1.0, -2.0, 0.0]]), 1)
        assert np.isnan(rate).all() and code.tolist() == [1, 1]

    def test_double_root_does_not_count(self):
        # −1, +2, −1 (k = 1): with x = 1/(1+r), NPV = −x + 2x² − x³ = −x·(1 − x)² ≤ 0,
        # touching 0 at r = 0 (x = 1) without changing sign → a double root, no IRR
        rate, code = batch_irr(np.array([[-1.0, 2.0, -1.0]]), 1)
        assert math.isnan(rate[0]) and code[0] == 1

    def test_batched_paths_are_independent(self):
        flows = np.array([[-100.0, 110.0], [-100.0, 230.0], [-100.0, 230.0]])
        rate, code = batch_irr(flows, 1)
        # −100/(1+r) + 110/(1+r)² = 0 → r = 10 %; second: r = 130 %
        np.testing.assert_allclose(rate, [0.1, 1.3, 1.3], atol=1e-10)
        assert code.tolist() == [0, 0, 0]
