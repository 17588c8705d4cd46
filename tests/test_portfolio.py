"""Platform portfolios (METHOD §14): pooled lines, one financing walk, cross-subsidy, platform risks."""

from __future__ import annotations

import json
import textwrap

import numpy as np
import pytest

import fcfinance as fc
from fcfinance.cli import main
from fcfinance.errors import ScenarioError
from fcfinance.montecarlo.simulate import SimulationResult
from fcfinance.portfolio.evaluate import PortfolioRunResult, cross_subsidy
from fcfinance.result import RunResult
from tests.conftest import REFERENCE, ROOT

WAN = 1e4


def write(folder, name, text):
    path = folder / name
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def project(folder, name, *, start, years, works_wan, works_month, land_wan, sale, risks=""):
    """A small project: one works item paid in one month, one parcel of 100 m² sold in one month (money in 万元)."""
    body = textwrap.dedent(f"""
        fcfinance: 1
        name: {name}
        timeline: {{start: {start}, years: {years}, frequency: year}}
        works:
          items:
            - {{id: w, cost_yuan: {works_wan * WAN}, start: {works_month}, months: 0, profile: even}}
        land:
          parcels:
            - {{id: P, area_m2: 100, far: 1, floor_price_yuan_m2: {land_wan * WAN / 100}, sale: {sale}}}
        """)
    return write(folder, name, body + textwrap.dedent(risks))


def platform(folder, projects, *, start="2024-01", years=4, body="", name="platform.yaml"):
    listed = "\n".join(f"  - {{id: {pid}, file: {file}}}" for pid, file in projects)
    return write(folder, name, f"fcfinance: 1\nportfolio: true\nname: test platform\n"
                               f"timeline: {{start: {start}, years: {years}, frequency: year}}\n"
                               f"projects:\n{listed}\n" + textwrap.dedent(body))


@pytest.fixture
def two(tmp_path):
    """A: −100 in 2024-01, +300 in 2025-06. B (from 2025-01): −250 in 2025-01, +100 in 2027-03."""
    project(tmp_path, "a.yaml", start="2024-01", years=3, works_wan=100, works_month="2024-01",
            land_wan=300, sale="2025-06")
    project(tmp_path, "b.yaml", start="2025-01", years=3, works_wan=250, works_month="2025-01",
            land_wan=100, sale="2027-03")
    return platform(tmp_path, [("a", "a.yaml"), ("b", "b.yaml")],
                    body="financing: {gap_rate: 0.1, deposit_rate: 0.0}\n")


def test_two_projects_worked_by_hand(two):
    result = fc.run(fc.load_portfolio(two))
    assert isinstance(result, RunResult) and isinstance(result, PortfolioRunResult)
    m = result.metrics
    # platform net by year: −100, +50, 0, +100; cumulative −100, −50, −50, +50
    assert m["project_inflows"] == pytest.approx(400)
    assert m["project_outflows"] == pytest.approx(350)
    assert m["net_balance"] == pytest.approx(50)
    assert m["peak_funding_need"] == pytest.approx(100)
    assert m["peak_funding_period"] == "2024-01"
    assert m["payback_years"] == pytest.approx(3.0)
    # one walk at 10 %: C = −100, −100−10+50 = −60, −60−6 = −66, −66−6.6+100 = 27.4
    assert m["ending_balance"] == pytest.approx(27.4)
    assert result.lines["gap_interest"] == pytest.approx(-22.6)
    assert m["financing_cost"] == pytest.approx(22.6)
    assert result.cashflows["balance_after_financing"].tolist() == pytest.approx([-100, -60, -66, 27.4])
    # C_A = −100, 200, 200, 200; C_B = 0, −250, −250, −150 → X = 0, 200, 200, 150
    assert result.cross_subsidy.tolist() == pytest.approx([0, 200, 200, 150])
    assert result.peak_cross_subsidy == (pytest.approx(200), "2025-01")
    assert result.shares == {"a": pytest.approx(200 / 350), "b": pytest.approx(-150 / 350)}
    # each project standalone on its own timeline, beside the platform
    assert result.projects["b"].metrics["net_balance"] == pytest.approx(-150)
    assert result.projects["b"].metrics["peak_funding_period"] == "2025-01"
    out = result.to_dict()
    assert out["peak_cross_subsidy"] == pytest.approx(200) and out["peak_cross_subsidy_period"] == "2025-01"
    assert out["projects"]["a"]["metrics"]["net_balance"] == pytest.approx(200)


def test_json_on_the_command_line(two, capsys):
    assert main(["portfolio", str(two), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) >= {"metrics", "lines", "projects", "peak_cross_subsidy", "peak_cross_subsidy_period"}
    assert out["metrics"]["net_balance"] == pytest.approx(50)
    assert out["lines"]["land_premium"] == pytest.approx(400)
    assert out["projects"]["b"]["metrics"]["net_balance"] == pytest.approx(-150)
    assert main(["portfolio", str(two)]) == 0
    assert "内部调剂资金峰值" in capsys.readouterr().out


def test_platform_of_one_project_is_that_project(tmp_path):
    """ref-a alone, with its own rates: the platform's lines, walk and metrics are ref-a's."""
    ref = fc.load(REFERENCE / "ref-a.yaml")
    t, f = ref.model.timeline, ref.model.financing
    (tmp_path / "ref-a.yaml").write_text((REFERENCE / "ref-a.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    path = platform(tmp_path, [("ref", "ref-a.yaml")], start=t.start, years=t.years,
                    body=f"financing: {{gap_rate: {f.gap_rate}, deposit_rate: {f.deposit_rate}}}\n")
    text = path.read_text(encoding="utf-8").replace(
        "frequency: year", f"frequency: {t.frequency}, discount_rate: {t.discount_rate}")
    path.write_text(text, encoding="utf-8")
    result = fc.run(fc.load_portfolio(path))
    alone = fc.run(ref)
    for key, value in alone.metrics.items():
        if isinstance(value, str) or value is None:
            assert result.metrics[key] == value, key
        else:
            assert result.metrics[key] == pytest.approx(value, rel=1e-12, nan_ok=True), key
    for key, value in alone.lines.items():
        assert result.lines[key] == pytest.approx(value, rel=1e-12, abs=1e-9), key
    assert result.cross_subsidy.max() == 0
    np.testing.assert_allclose(result.cashflows.values, alone.cashflows.values, rtol=1e-12, atol=1e-9)


def test_monte_carlo_path_of_a_one_project_platform_is_the_projects(tmp_path):
    """The platform's Monte Carlo evaluation (projects' cash summed, one walk) on a project's own risk
    values gives that project's per-path metrics, and its one-path base case gives the pooled-lines run."""
    from fcfinance.portfolio.evaluate import PlatformModel

    ref = fc.load(REFERENCE / "ref-a.yaml")
    t, f = ref.model.timeline, ref.model.financing
    (tmp_path / "ref-a.yaml").write_text((REFERENCE / "ref-a.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    path = platform(tmp_path, [("ref", "ref-a.yaml")], start=t.start, years=t.years,
                    body=f"financing: {{gap_rate: {f.gap_rate}, deposit_rate: {f.deposit_rate}}}\n")
    path.write_text(path.read_text(encoding="utf-8").replace(
        "frequency: year", f"frequency: {t.frequency}, discount_rate: {t.discount_rate}"), encoding="utf-8")
    portfolio = fc.load_portfolio(path)
    model = PlatformModel.of(portfolio)
    alone = fc.simulate(ref, paths=256, seed=2, sampling="random")
    got = model.paths(alone.values, with_irr=False)["metrics"]
    for key, values in alone.path_metrics.items():
        np.testing.assert_allclose(got[key], values, rtol=1e-12, atol=1e-9, err_msg=key)
    base = model.paths(None)["metrics"]
    pooled = fc.run(portfolio).evaluation.metrics
    for key in ("net_balance", "npv", "peak_funding_need", "ending_balance", "financing_cost", "payback_years"):
        np.testing.assert_allclose(base[key], pooled[key], rtol=1e-12, err_msg=key)


def test_projects_on_different_calendars(tmp_path):
    """Each project's lines land on their calendar months; escalation counts from the project's own start."""
    project(tmp_path, "a.yaml", start="2024-07", years=3, works_wan=100, works_month="2025-07",
            land_wan=300, sale="2026-01")
    text = (tmp_path / "a.yaml").read_text(encoding="utf-8").replace("works:\n", "works:\n  escalation: 0.05\n")
    (tmp_path / "a.yaml").write_text(text, encoding="utf-8")
    project(tmp_path, "b.yaml", start="2026-01", years=2, works_wan=40, works_month="2026-03",
            land_wan=10, sale="2027-11")
    path = platform(tmp_path, [("a", "a.yaml"), ("b", "b.yaml")], start="2024-01", years=4)
    result = fc.run(fc.load_portfolio(path))
    monthly = result.monthly()
    # a's works, escalated one year from a's own start (2024-07), in 2025-07
    assert monthly.loc["2025-07", "public_works"] == pytest.approx(-100 * 1.05)
    assert monthly.loc["2026-03", "public_works"] == pytest.approx(-40)
    assert monthly.loc["2026-01", "land_premium"] == pytest.approx(300)
    assert monthly.loc["2027-11", "land_premium"] == pytest.approx(10)
    assert monthly["public_works"].abs().gt(0).sum() == 2
    assert result.metrics["net_balance"] == pytest.approx(300 - 105 + 10 - 40)
    assert result.metrics["net_balance"] == pytest.approx(
        sum(r.metrics["net_balance"] for r in result.projects.values()))


def test_no_cross_subsidy_when_every_project_is_always_in_surplus(tmp_path):
    project(tmp_path, "a.yaml", start="2024-01", years=3, works_wan=100, works_month="2025-01",
            land_wan=300, sale="2024-03")
    project(tmp_path, "b.yaml", start="2025-01", years=3, works_wan=50, works_month="2026-06",
            land_wan=80, sale="2025-01")
    result = fc.run(fc.load_portfolio(platform(tmp_path, [("a", "a.yaml"), ("b", "b.yaml")])))
    assert (result.project_cumulative >= 0).all()
    assert result.cross_subsidy.tolist() == [0.0] * 4
    assert result.peak_cross_subsidy == (0.0, None)


def test_cross_subsidy_is_nonnegative_and_zero_for_one_project():
    rng = np.random.default_rng(1)
    c = rng.normal(size=(50, 5, 12)).cumsum(axis=-1)
    x = cross_subsidy(c)
    assert x.shape == (50, 12) and (x >= 0).all()
    assert (cross_subsidy(c[:, :1]) == 0).all()


LAND = """
risks:
  - id: city_land
    dist: {uniform: [0.5, 1.5]}
    scale: ["*.land.parcels.*.floor_price_yuan_m2"]
"""


@pytest.mark.parametrize("sampling", ["lhs", "random"])
def test_shared_land_risk_gives_p_balanced_exactly(two, sampling):
    """Net balance = 400·x − 350 with x ~ U(0.5, 1.5) on both projects' land: P(≥ 0) = (1.5 − 0.875)/1 = 0.625."""
    path = two.parent / "land.yaml"
    path.write_text(two.read_text(encoding="utf-8") + LAND, encoding="utf-8")
    portfolio = fc.load_portfolio(path)
    result = fc.simulate(portfolio, paths=8192, seed=7, sampling=sampling, replicates=2)
    assert isinstance(result, SimulationResult)
    x = result.values[:, 0]
    np.testing.assert_allclose(result.path_metrics["net_balance"], 400 * x - 350, rtol=1e-12, atol=1e-9)
    p, se = result.p_balanced
    if sampling == "lhs":  # one point per stratum in each block: within a stratum's width of the truth
        assert abs(p - 0.625) <= 2 / 4096
    else:
        assert abs(p - 0.625) <= 4 * se
    s = result.summary()
    # a: 300·x − 100 ≥ 0 ⇔ x ≥ 1/3 (always); b: 100·x − 250 (never)
    assert s["projects"]["a"]["p_balanced"] == 1.0 and s["projects"]["b"]["p_balanced"] == 0.0
    assert s["p_all_balanced"] == 0.0
    tornado = result.tornado()
    assert tornado.loc["city_land", "net_balance_at_p10"] == pytest.approx(400 * 0.6 - 350)


def test_adding_a_project_leaves_other_draws_unchanged(two):
    own = """
        risks:
          - id: cost
            dist: {uniform: [0.9, 1.2]}
            scale: [works.items.*.cost_yuan]
          - id: price
            dist: {triangular: [0.8, 1.0, 1.1]}
            scale: [land.parcels.*.floor_price_yuan_m2]
        correlations:
          - [cost, price, 0.5]
        """
    folder = two.parent
    project(folder, "a.yaml", start="2024-01", years=3, works_wan=100, works_month="2024-01",
            land_wan=300, sale="2025-06", risks=own)
    project(folder, "c.yaml", start="2024-01", years=2, works_wan=10, works_month="2024-01",
            land_wan=20, sale="2025-01", risks=own)
    small = platform(folder, [("a", "a.yaml"), ("b", "b.yaml")], body=LAND, name="small.yaml")
    large = platform(folder, [("c", "c.yaml"), ("a", "a.yaml"), ("b", "b.yaml")], body=LAND, name="large.yaml")
    for sampling in ("random", "lhs"):
        r1 = fc.simulate(fc.load_portfolio(small), paths=3000, seed=11, sampling=sampling, replicates=2)
        r2 = fc.simulate(fc.load_portfolio(large), paths=3000, seed=11, sampling=sampling, replicates=2)
        assert r1.risk_ids == ["a.cost", "a.price", "city_land"]
        assert r2.risk_ids == ["c.cost", "c.price", "a.cost", "a.price", "city_land"]
        # each project's correlated pair is drawn by its own sampler: c's pair does not reorder a's
        np.testing.assert_array_equal(r1.values, r2.values[:, 2:])
        np.testing.assert_array_equal(r1.project_net, r2.project_net[:, 1:])
        assert r2.achieved_correlations()["achieved"].tolist() == pytest.approx([0.5, 0.5], abs=0.05)


def test_project_risks_apply_before_platform_risks(two):
    """A project risk sets the floor price, the platform's scales it: set first, then scale."""
    folder = two.parent
    project(folder, "a.yaml", start="2024-01", years=3, works_wan=100, works_month="2024-01", land_wan=300,
            sale="2025-06", risks="risks:\n  - {id: price, dist: {fixed: 40000}, "
                                  "set: [land.parcels.P.floor_price_yuan_m2]}")
    path = platform(folder, [("a", "a.yaml"), ("b", "b.yaml")],
                    body="risks:\n  - {id: half, dist: {fixed: 0.5}, scale: [a.land.parcels.P.floor_price_yuan_m2]}\n",
                    name="order.yaml")
    result = fc.simulate(fc.load_portfolio(path), paths=4, seed=0, sampling="random")
    assert result.project_net[:, 0] == pytest.approx([400 * 0.5 - 100] * 4)  # set to 400 万, then × 0.5


def test_same_numbers_on_threads_and_processes(two):
    from concurrent.futures import ProcessPoolExecutor

    path = two.parent / "land.yaml"
    path.write_text(two.read_text(encoding="utf-8") + LAND, encoding="utf-8")
    portfolio = fc.load_portfolio(path)
    one = fc.simulate(portfolio, paths=3000, seed=5, sampling="sobol", chunk=700)
    with ProcessPoolExecutor(2) as pool:
        other = fc.simulate(portfolio, paths=3000, seed=5, sampling="sobol", chunk=1024, executor=pool)
    assert json.dumps(one.summary()) == json.dumps(other.summary())
    np.testing.assert_array_equal(one.cumulative, other.cumulative)


@pytest.mark.dask
def test_same_numbers_on_a_dask_cluster(two):
    distributed = pytest.importorskip("dask.distributed")
    path = two.parent / "land.yaml"
    path.write_text(two.read_text(encoding="utf-8") + LAND, encoding="utf-8")
    portfolio = fc.load_portfolio(path)
    local = portfolio.simulate(paths=2000, seed=3, sampling="lhs", chunk=512)
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        remote = portfolio.simulate(paths=2000, seed=3, sampling="lhs", chunk=512, client=client)
    assert json.dumps(local.summary()) == json.dumps(remote.summary())
    np.testing.assert_array_equal(local.project_net, remote.project_net)


def test_bundled_platform_runs_and_its_projects_add_up():
    result = fc.run(fc.load_portfolio(ROOT / "scenarios" / "platforms" / "wenzhou-platform.yaml"))
    total = sum(r.metrics["net_balance"] for r in result.projects.values())
    assert result.metrics["net_balance"] == pytest.approx(total, rel=1e-12)
    assert result.metrics["land_premium_gross"] == pytest.approx(
        sum(r.metrics["land_premium_gross"] for r in result.projects.values()), rel=1e-12)


# -- bad input ---------------------------------------------------------------------------------------


def problems(path):
    with pytest.raises(ScenarioError) as err:
        fc.load_portfolio(path)
    return err.value.problems


def test_project_file_that_fails_reports_its_own_file_and_line(two):
    bad = two.parent / "b.yaml"
    bad.write_text(bad.read_text(encoding="utf-8").replace("far: 1,", "far: -1,"), encoding="utf-8")
    assert "far: -1," in bad.read_text(encoding="utf-8")
    found = problems(two)
    assert any(p.file.endswith("platform.yaml") and p.path == "projects.b.file" for p in found)
    own = [p for p in found if p.file.endswith("b.yaml")]
    assert own and own[0].line == 9 and own[0].path == "land.parcels.P.far"


def test_missing_project_file(two):
    two.write_text(two.read_text(encoding="utf-8").replace("b.yaml", "nowhere.yaml"), encoding="utf-8")
    (p,) = problems(two)
    assert p.path == "projects.b.file" and p.line == 7 and "not found" in p.message


def test_project_file_outside_the_project_folder(two):
    """As extends: a portfolio reads only YAML files under the project folder (here the portfolio's own)."""
    outside = two.parent.parent / "outside.yaml"
    outside.write_text((two.parent / "b.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    text = two.read_text(encoding="utf-8")
    two.write_text(text.replace("b.yaml", "../outside.yaml"), encoding="utf-8")
    (p,) = problems(two)
    assert p.path == "projects.b.file" and p.line == 7 and "lies outside the project folder" in p.message
    two.write_text(text.replace("b.yaml", "b.txt"), encoding="utf-8")
    (p,) = problems(two)
    assert "is not a YAML file" in p.message


def test_duplicate_project_id(two):
    two.write_text(two.read_text(encoding="utf-8").replace("{id: b,", "{id: a,"), encoding="utf-8")
    (p,) = problems(two)
    assert p.line == 7 and "duplicate project id 'a'" in p.message


def test_project_month_outside_the_portfolio_timeline(two):
    two.write_text(two.read_text(encoding="utf-8").replace("years: 4", "years: 3"), encoding="utf-8")
    (p,) = problems(two)
    assert p.line == 7 and "'b'" in p.message and "first month outside: 2027-01" in p.message
    two.write_text(two.read_text(encoding="utf-8").replace("start: 2024-01, years: 3", "start: 2024-02, years: 4"),
                   encoding="utf-8")
    (p,) = problems(two)
    assert "'a'" in p.message and "first month outside: 2024-01" in p.message


@pytest.mark.parametrize("body, line, expected", [
    ("colour: red\n", 8, "unknown key 'colour'"),
    ("risks:\n  - {id: x, dist: {uniform: [1, 2]}, scale: [c.land.parcels.*.area_m2]}\n", 9, "names no project 'c'"),
    ("risks:\n  - {id: x, dist: {uniform: [1, 2]}, scale: [a.operations.years]}\n", 9, "matches nothing"),
    ("risks:\n  - {id: x, dist: {uniform: [1, 2]}, scale: [floor_price]}\n", 9, "is not <project id>.<path>"),
    ("risks:\n  - {id: x, dist: {uniform: [1, 2]}, shift_months: ['*.land.parcels.*.far']}\n", 9,
     "acts on date or months"),
    ("risks:\n  - {id: x.y, dist: {uniform: [1, 2]}, scale: ['*.land.parcels.*.far']}\n", 9, "may not contain '.'"),
    ("risks:\n  - {id: x, dist: {uniform: [2, 1]}, scale: ['*.land.parcels.*.far']}\n", 9, "uniform"),
    ("risks:\n  - {id: x, dist: {uniform: [1, 2]}, scale: ['*.land.parcels.*.far']}\ncorrelations:\n  - [x, a.y, 0.5]\n",
     11, "unknown risk id 'a.y'"),
    ("financing:\n  bonds:\n    - {id: B, amount_yuan: 1, issue: 2026-01, term_years: 5}\n", 10, "matures in 2031-01"),
])
def test_bad_portfolio_fields(two, body, line, expected):
    two.write_text(two.read_text(encoding="utf-8").replace("financing: {gap_rate: 0.1, deposit_rate: 0.0}\n", "")
                   + body, encoding="utf-8")
    found = problems(two)
    assert any(expected in p.message and (p.line == line or p.line is None) for p in found), found
    assert all(p.file.endswith("platform.yaml") for p in found)


def test_not_a_portfolio_and_exit_status(two, capsys):
    two.write_text(two.read_text(encoding="utf-8").replace("portfolio: true", "portfolio: false"), encoding="utf-8")
    (p,) = problems(two)
    assert p.path == "portfolio" and p.line == 2
    assert main(["portfolio", str(two)]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "platform.yaml:2" in captured.err


def test_a_portfolio_file_is_not_a_scenario(two, capsys):
    assert main(["run", str(two)]) == 2
    assert "platform.yaml:2: portfolio: this is a portfolio file; use fcfinance portfolio FILE" \
        in capsys.readouterr().err


def test_report_of_a_platform(two, tmp_path, monkeypatch):
    """``fcfinance report`` on a portfolio: the platform's charts, the Monte Carlo charts, a sheet per project."""
    import pandas as pd

    from fcfinance.portfolio import report

    write = report.write_portfolio_report
    monkeypatch.setattr(report, "write_portfolio_report",  # PNG only, to keep the test quick
                        lambda *a, **k: write(*a, **k, formats=("png",)))
    path = two.parent / "land.yaml"
    path.write_text(two.read_text(encoding="utf-8") + LAND, encoding="utf-8")
    out = tmp_path / "pack"
    assert main(["report", str(path), "--out", str(out), "--paths", "256", "--no-progress"]) == 0  # zh by default
    names = {p.name for p in out.iterdir()}
    assert {"p1-platform-balance.png", "p2-cross-subsidy.png", "p3-project-contributions.png",
            "04-net-balance-distribution.png", "workbook.xlsx"} <= names
    assert not any(n.startswith(".") for n in names)  # no temporary file left
    sheets = pd.read_excel(out / "workbook.xlsx", sheet_name=None, index_col=0)
    assert {"指标", "平台现金流", "各项目", "内部调剂", "模拟", "项目 a", "项目 b"} <= set(sheets)
    assert sheets["内部调剂"]["cross_subsidy"].max() == pytest.approx(200)
    assert sheets["指标"].loc["资金结余（负为资金缺口）"].tolist() == pytest.approx([50, 200, -150])


@pytest.mark.parametrize("method", ["random", "lhs", "sobol"])
def test_grouped_sampler_is_one_sampler_when_there_is_one_group(method):
    from fcfinance.montecarlo import RiskSampler
    from fcfinance.portfolio.sampling import GroupedSampler, correlated_groups

    risks = [("a", {"uniform": [0, 1]}), ("b", {"normal": [1, 0.1]}), ("c", {"triangular": [0, 1, 2]}),
             ("d", {"pert": [0, 1, 3]})]
    pairs = [["a", "c", 0.6], ["c", "d", -0.3]]
    assert correlated_groups([r for r, _ in risks], pairs) == [[0, 2, 3], [1]]
    one = RiskSampler.build(risks, pairs, paths=5000, seed=4, method=method, replicates=2)
    grouped = GroupedSampler.build(risks, pairs, paths=5000, seed=4, method=method, replicates=2)
    assert grouped.paths == one.paths and grouped.notes == one.notes
    np.testing.assert_array_equal(grouped.values(), one.values())
    np.testing.assert_array_equal(grouped.values(1000, 777), one.values(1000, 777))


def test_validate_and_warnings_of_a_platform(two, capsys):
    """``validate`` takes portfolio files; each project's plausibility warnings show at its own file and line,
    and ``--strict`` makes them errors (the test projects' 100 m² parcels are implausibly small)."""
    assert main(["validate", str(two)]) == 0
    assert "platform.yaml: ok (test platform" in capsys.readouterr().out
    assert main(["portfolio", str(two), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {(w["file"].rsplit("/", 1)[-1], w["line"]) for w in out["warnings"]} == {("a.yaml", 9), ("b.yaml", 9)}
    assert main(["portfolio", str(two), "--strict"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "a.yaml:9: land.parcels.P.area_m2" in captured.err
    two.write_text(two.read_text(encoding="utf-8").replace("b.yaml", "nowhere.yaml"), encoding="utf-8")
    assert main(["validate", str(two)]) == 2
