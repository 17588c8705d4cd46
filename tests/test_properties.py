"""Properties that hold for every scenario, checked with hypothesis on variants of ref-a.

(a) the lines of each reporting period add up to the period's project net, and the
    cumulative and after-financing balances are running sums (METHOD §7, §8);
(b) an N-path run whose parameters differ by path equals N one-path runs (the
    vectorised engine used by Monte Carlo computes the deterministic formulas);
(c) raising a land floor price never lowers the net balance, the NPV or the
    ending balance;
(d) ``extends`` (METHOD §10): a file that only extends another gives identical
    results, and a variant merges key by key and list item by id.
"""

from __future__ import annotations

import copy
import math
import shutil
from collections.abc import Mapping

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fcfinance as fc
from fcfinance.engine import compute_lines
from fcfinance.metrics import evaluate
from fcfinance.names import LINES, METRIC_BY_KEY, PROJECT_LINES
from tests.conftest import REFERENCE

REF = REFERENCE / "ref-a.yaml"
REF_TEXT = REF.read_text(encoding="utf-8")
SCENARIO = fc.load(REF)
TL = SCENARIO.timeline
O = TL.origin  # parameters carry dates as absolute month indices: month offset j is O + j


def thaw(tree):
    """The frozen parameter tree as plain dicts and lists, to edit in place."""
    if isinstance(tree, Mapping):
        return {k: thaw(v) for k, v in tree.items()}
    if isinstance(tree, tuple):
        return [thaw(v) for v in tree]
    return tree


BASE = thaw(SCENARIO.params())

FEW = settings(max_examples=30, deadline=None, derandomize=True, database=None,
               suppress_health_check=[HealthCheck.too_slow])


def edit(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


# ---------------------------------------------------------------------------
# (a) lines add up to the period net
# ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("props")


@FEW
@given(frequency=st.sampled_from(["month", "quarter", "year"]),
       price=st.floats(5000, 30000),
       school_shift=st.integers(-12, 24),
       gap_rate=st.floats(0, 0.2),
       deposit_rate=st.floats(0, 0.1),
       voucher=st.floats(0.0, 0.8))
def test_lines_sum_to_period_net(workdir, frequency, price, school_shift, gap_rate, deposit_rate, voucher):
    text = edit(REF_TEXT, "frequency: quarter", f"frequency: {frequency}")
    text = edit(text, "floor_price_yuan_m2: 14500", f"floor_price_yuan_m2: {price:.15f}")
    school_start = TL.month_label(12 + school_shift)
    text = edit(text, "      cost_yuan: 210000000\n      start: 2023-01",
                f"      cost_yuan: 210000000\n      start: {school_start}")
    text = edit(text, "gap_rate: 0.045", f"gap_rate: {gap_rate:.15f}")
    text = edit(text, "deposit_rate: 0.0", f"deposit_rate: {deposit_rate:.15f}")
    in_kind = round(0.8 - voucher, 12)
    text = edit(text, "{cash: 0.20, voucher: 0.45, in_kind: 0.35}",
                f"{{cash: 0.2, voucher: {voucher:.15f}, in_kind: {in_kind:.15f}}}")
    path = workdir / "a.yaml"
    path.write_text(text, encoding="utf-8")
    result = fc.run(path)
    cf = result.cashflows
    k = {"month": 12, "quarter": 4, "year": 1}[frequency]
    assert len(cf) == 16 * k
    project = [s.key for s in PROJECT_LINES]
    financing = [s.key for s in LINES if s.group == "financing"]
    scale = max(1.0, float(cf[project].abs().to_numpy().max()))
    # project lines of each period sum to project_net; cumulative_net is its running sum
    np.testing.assert_allclose(cf[project].sum(axis=1), cf["project_net"], rtol=0, atol=1e-9 * scale)
    np.testing.assert_allclose(cf["cumulative_net"], np.cumsum(cf["project_net"]), rtol=0, atol=1e-9 * scale)
    # C(p) = C(p−1) + interest(p) + project net(p) + bond flows(p)
    np.testing.assert_allclose(cf["balance_after_financing"],
                               np.cumsum(cf["project_net"] + cf[financing].sum(axis=1)),
                               rtol=0, atol=1e-9 * scale)
    # period tables are sums of the months; line totals are sums of the periods
    monthly = result.monthly()
    per_period = monthly.groupby(np.arange(len(monthly)) // (12 // k)).sum()
    np.testing.assert_allclose(per_period.to_numpy(), cf[list(monthly.columns)].to_numpy(),
                               rtol=0, atol=1e-9 * scale)
    for key, total in result.lines.items():
        assert total == pytest.approx(cf[key].sum(), rel=1e-9, abs=1e-9 * scale), key
    m = result.metrics
    assert m["net_balance"] == pytest.approx(cf["project_net"].sum(), rel=1e-9, abs=1e-9 * scale)
    assert m["ending_balance"] == pytest.approx(cf["balance_after_financing"].iloc[-1], rel=1e-12)
    assert m["peak_funding_need"] == pytest.approx(max(0.0, -cf["cumulative_net"].min()), rel=1e-12)
    # signs: inflow lines never negative, outflow lines never positive
    for spec in PROJECT_LINES:
        assert (spec.sign * cf[spec.key] >= -1e-12).all(), spec.key


# ---------------------------------------------------------------------------
# (b) N paths at once equal N one-path runs
# ---------------------------------------------------------------------------

def take(params, i: int):
    """Element i of every per-path array in the parameters (scalars unchanged)."""
    if isinstance(params, dict):
        return {k: take(v, i) for k, v in params.items()}
    if isinstance(params, list):
        return [take(v, i) for v in params]
    if isinstance(params, np.ndarray):
        return params[i].item()
    return params


def find(items: list, item_id: str) -> dict:
    return next(x for x in items if x["id"] == item_id)


@st.composite
def multipath_params(draw):
    n = draw(st.integers(2, 5))

    def floats(lo, hi):
        return np.array(draw(st.lists(st.floats(lo, hi), min_size=n, max_size=n)))

    def ints(lo, hi):
        return np.array(draw(st.lists(st.integers(lo, hi), min_size=n, max_size=n)), dtype=np.int64)

    p = copy.deepcopy(BASE)
    for parcel in p["land"]["parcels"]:
        parcel["floor_price_yuan_m2"] = parcel["floor_price_yuan_m2"] * floats(0.7, 1.3)
    # R2's uplift needs school (12 + 24 = 36) and health (15 + 18 = 33) complete by its sale (41):
    # shifts of −9 … +9 months make it flip on some paths; R2's sale moves too
    items = p["works"]["items"]
    find(items, "school")["start"] = O + 12 + ints(-9, 9)
    find(items, "health")["start"] = O + 15 + ints(-9, 9)
    find(items, "infrastructure")["start"] = O + 9 + ints(-3, 6)
    find(p["land"]["parcels"], "R2")["sale"] = O + 41 + ints(-6, 6)
    # shares: cash fixed at 0.2, voucher + in_kind = 0.8
    voucher = floats(0.0, 0.8)
    p["relocation"]["shares"]["voucher"] = voucher
    p["relocation"]["shares"]["in_kind"] = 0.8 - voucher
    p["relocation"]["voucher"]["redemption_rate"] = floats(0.7, 1.0)
    p["relocation"]["voucher"]["validity_months"] = ints(12, 24)
    p["relocation"]["in_kind"]["construction"]["start"] = O + 12 + ints(-6, 12)
    p["acquisition"]["signing"]["start"] = O + 3 + ints(0, 6)
    revenues = p["operations"]["revenues"]
    find(revenues, "commercial_rent")["unit_price_yuan_month"] = floats(30, 80)
    find(revenues, "commercial_rent")["occupancy"]["stable"] = floats(0.7, 1.0)
    find(revenues, "parking")["occupancy"] = floats(0.3, 1.0)
    find(revenues, "services")["amount_yuan_year"] = floats(1e6, 6e6)
    p["operations"]["start"] = O + 42 + ints(-6, 24)
    p["financing"]["gap_rate"] = floats(0.0, 0.08)
    p["timeline"]["discount_rate"] = floats(0.0, 0.1)
    return n, p


def assert_same(a, b, what: str, money_scale: float | None = None) -> None:
    """allclose at rtol 1e-12, NaN equal to NaN.

    Money [万元] is also allowed an absolute 1e-12 of the project's size: a balance that
    crosses zero is a difference of large sums, and the N-path engine adds the same terms
    in another order (a matrix product) than the one-path run.
    """
    atol = 1e-12 * money_scale if money_scale is not None else 1e-12
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    np.testing.assert_allclose(a, b, rtol=1e-12, atol=atol, equal_nan=True, err_msg=what)


@settings(max_examples=40, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(multipath_params())
def test_n_paths_equal_n_single_runs(case):
    n, params = case
    flows = compute_lines(params, TL, n)
    many = evaluate(flows, params)
    assert many.net.shape == (n, TL.periods)
    for i in range(n):
        single_params = take(params, i)
        one = evaluate(compute_lines(single_params, TL, 1), single_params)
        size = max(abs(float(v[0])) for v in one.totals.values())  # largest line total, 万元
        for key, values in many.metrics.items():  # irr included
            money = size if METRIC_BY_KEY[key].unit == "万元" else None
            assert_same(values[i], one.metrics[key][0], f"path {i}: {key}", money)
        for key, values in many.totals.items():
            assert_same(values[i], one.totals[key][0], f"path {i}: line {key}", size)
        assert_same(many.net[i], one.net[0], f"path {i}: net by period", size)
        assert_same(many.balance[i], one.balance[0], f"path {i}: balance by period", size)
        assert many.irr_code[i] == one.irr_code[0]
        assert bool(many.clipped[i]) == bool(one.clipped[0])


def test_multipath_flips_uplift_between_paths():
    """A 2-path run where only R2's uplift differs: the gross premium differs by exactly the uplift."""
    p = copy.deepcopy(BASE)
    find(p["works"]["items"], "school")["start"] = O + np.array([12, 18])  # complete 36 ≤ 41, 42 > 41
    flows = compute_lines(p, TL, 2)
    ev = evaluate(flows, p, with_irr=False)
    r2 = 36000 * 2.4 * 14200 * 0.08 / 1e4  # area·far·price·uplift rate, 万元
    assert ev.metrics["land_premium_gross"][0] - ev.metrics["land_premium_gross"][1] == pytest.approx(r2, rel=1e-9)
    assert ev.metrics["land_premium_gross"][0] == pytest.approx(317843.04, rel=1e-12)  # ref-a's value


# ---------------------------------------------------------------------------
# (c) a higher floor price never lowers the balance
# ---------------------------------------------------------------------------

@FEW
@given(parcel=st.integers(0, 2), raise_by=st.floats(0.0, 20000.0),
       school_shift=st.integers(-9, 9), gap_rate=st.floats(0.0, 0.1), deposit_rate=st.floats(0.0, 0.1))
def test_raising_floor_price_never_lowers_balance(parcel, raise_by, school_shift, gap_rate, deposit_rate):
    base = copy.deepcopy(BASE)
    find(base["works"]["items"], "school")["start"] = O + 12 + school_shift
    base["financing"]["gap_rate"] = gap_rate
    base["financing"]["deposit_rate"] = deposit_rate
    higher = copy.deepcopy(base)
    higher["land"]["parcels"][parcel]["floor_price_yuan_m2"] += raise_by
    lo = evaluate(compute_lines(base, TL, 1), base, with_irr=False)
    hi = evaluate(compute_lines(higher, TL, 1), higher, with_irr=False)
    for key in ("net_balance", "npv", "ending_balance", "land_premium_gross", "project_inflows"):
        assert hi.metrics[key][0] >= lo.metrics[key][0] - 1e-9 * abs(lo.metrics[key][0]), key
    assert hi.metrics["peak_funding_need"][0] <= lo.metrics["peak_funding_need"][0] * (1 + 1e-12)
    # and by exactly the extra premium returned: area·far·Δprice·(1 + uplift if earned)·(1 − 0.18)·1.0,
    # the uplift earned when every required work is complete (start + months ≤ sale)
    pr = base["land"]["parcels"][parcel]
    items = base["works"]["items"]
    earned = pr["uplift"] is not None and all(
        find(items, w)["start"] + find(items, w)["months"] <= pr["sale"] for w in pr["uplift"]["requires"])
    gross_gain = pr["area_m2"] * pr["far"] * raise_by * (1 + (pr["uplift"]["rate"] if earned else 0)) / 1e4
    assert hi.metrics["land_premium_gross"][0] - lo.metrics["land_premium_gross"][0] == pytest.approx(
        gross_gain, rel=1e-6, abs=1e-6)
    assert hi.metrics["net_balance"][0] - lo.metrics["net_balance"][0] == pytest.approx(
        gross_gain * 0.82, rel=1e-6, abs=1e-6)


# ---------------------------------------------------------------------------
# (d) extends
# ---------------------------------------------------------------------------

@pytest.fixture
def ref_dir(tmp_path, monkeypatch):
    shutil.copy(REF, tmp_path / "ref-a.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def results_of(path) -> dict:
    out = fc.run(path).to_dict()
    return {k: out[k] for k in ("metrics", "lines", "irr_note", "scenario_sha256", "scenario")}


def test_extends_unchanged_file_gives_identical_results(ref_dir):
    (ref_dir / "same.yaml").write_text("extends: ref-a.yaml\n", encoding="utf-8")
    base, same = results_of("ref-a.yaml"), results_of("same.yaml")
    assert same == base  # exact: metrics, lines, irr note, scenario hash, name
    assert fc.load("same.yaml").files == ["ref-a.yaml", "same.yaml"]


def test_extends_chain_of_two_variants(ref_dir):
    (ref_dir / "v1.yaml").write_text("extends: ref-a.yaml\n", encoding="utf-8")
    (ref_dir / "v2.yaml").write_text("extends: v1.yaml\n", encoding="utf-8")
    assert results_of("v2.yaml") == results_of("ref-a.yaml")
    assert fc.load("v2.yaml").files == ["ref-a.yaml", "v1.yaml", "v2.yaml"]


def equivalent(ref_dir, variant: str, full_text: str) -> None:
    """The variant (extending ref-a) loads to the same scenario as the full file written out."""
    (ref_dir / "variant.yaml").write_text(variant, encoding="utf-8")
    (ref_dir / "full.yaml").write_text(full_text, encoding="utf-8")
    v, f = fc.load("variant.yaml"), fc.load("full.yaml")
    assert v.canonical_json() == f.canonical_json()
    assert v.sha256 == f.sha256 != SCENARIO.sha256
    assert results_of(v) == results_of(f)


def test_extends_overrides_item_by_id_and_appends_new(ref_dir):
    variant = """\
extends: ref-a.yaml
works:
  items:
    - id: digital
      cost_yuan: 35000000
    - id: park
      name: 口袋公园
      cost_yuan: 12000000
      start: 2024-01
      months: 6
"""
    full = edit(REF_TEXT, "      cost_yuan: 25000000", "      cost_yuan: 35000000")
    full = edit(full, "      profile: even\n\nland:",
                "      profile: even\n    - id: park\n      name: 口袋公园\n      cost_yuan: 12000000\n"
                "      start: 2024-01\n      months: 6\n\nland:")
    equivalent(ref_dir, variant, full)
    items = fc.load("variant.yaml").model.works.items
    assert [x.id for x in items] == ["school", "health", "neighbourhood", "infrastructure", "digital", "park"]
    digital = items[4]
    # the overridden item keeps every field the variant does not mention
    assert (digital.cost_yuan, digital.start, digital.months, digital.profile) == (35e6, "2024-07", 12, "even")
    assert digital.name == "智慧服务平台（治理场景）"
    # public works grow by the extra 10 million (plus escalation), nothing else in the acquisition moves
    base, var = fc.run("ref-a.yaml"), fc.run("variant.yaml")
    assert var.lines["public_works"] < base.lines["public_works"] - 1000 - 1200
    assert var.lines["cash_compensation"] == base.lines["cash_compensation"]


def test_extends_merges_mappings_key_by_key(ref_dir):
    variant = "extends: ref-a.yaml\nrelocation:\n  voucher:\n    redemption_rate: 0.8\n"
    full = edit(REF_TEXT, "redemption_rate: 0.92", "redemption_rate: 0.8")
    equivalent(ref_dir, variant, full)


def test_extends_replaces_lists_without_ids(ref_dir):
    variant = ("extends: ref-a.yaml\nrelocation:\n  voucher:\n    bonus_tiers:\n"
               "      - {within_months: 18, rate: 0.05}\n")
    full = edit(REF_TEXT, "      - {within_months: 6, rate: 0.15}\n      - {within_months: 12, rate: 0.10}\n", "")
    equivalent(ref_dir, variant, full)
    assert len(fc.load("variant.yaml").model.relocation.voucher.bonus_tiers) == 1


def test_extends_replaces_a_distribution_whole(ref_dir):
    # docs/method-notes.md: a distribution is one value, replaced rather than merged key by key
    variant = "extends: ref-a.yaml\nrisks:\n  - id: land_market\n    dist: {uniform: [0.8, 1.1]}\n"
    full = edit(REF_TEXT, "dist: {triangular: [0.75, 1.0, 1.08]}", "dist: {uniform: [0.8, 1.1]}")
    equivalent(ref_dir, variant, full)
    assert fc.load("variant.yaml").model.risks[0].dist == {"uniform": [0.8, 1.1]}


def test_extends_variant_changes_name_only(ref_dir):
    (ref_dir / "renamed.yaml").write_text("extends: ref-a.yaml\nname: 复核方案\n", encoding="utf-8")
    base, renamed = results_of("ref-a.yaml"), results_of("renamed.yaml")
    assert renamed["metrics"] == base["metrics"] and renamed["lines"] == base["lines"]
    assert renamed["scenario"] == "复核方案"
    assert not math.isnan(renamed["metrics"]["irr"])

