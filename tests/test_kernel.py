"""The evaluation kernel: same numbers before and after the refactor, on any executor, in any chunking."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

import fcfinance as fc
from fcfinance import kernel
from fcfinance.cli import main
from fcfinance.montecarlo.runner import ChunkJob, RunSpec, chunk_jobs, run_chunk
from fcfinance.params import Record, replace_at
from fcfinance.scenario.targets import compile_targets
from fcfinance.timeline import Timeline
from tests.conftest import REFERENCE

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "tests" / "reference" / "baseline"
SIMULATE_KEYS = ("p_balanced", "p_npv_nonnegative", "p_ending_nonnegative", "expected_shortfall", "paths")


def cli_json(capsys, *args: str) -> dict:
    assert main(list(args)) == 0
    return json.loads(capsys.readouterr().out)


def same_numbers(stored: dict, now: dict, keys) -> None:
    for key in keys:
        assert now[key] == stored[key], key  # bit for bit: JSON keeps every digit of a float


@pytest.mark.parametrize("name", sorted(p.stem.removeprefix("run-") for p in BASELINE.glob("run-*.json")))
def test_run_json_is_unchanged_since_before_the_kernel(capsys, name):
    """Every metric and line total of every bundled scenario equals the copy stored before the change."""
    stored = json.loads((BASELINE / f"run-{name}.json").read_text(encoding="utf-8"))
    now = cli_json(capsys, "run", str(ROOT / "scenarios" / f"{name}.yaml"), "--json")
    same_numbers(stored["metrics"], now["metrics"], stored["metrics"])
    same_numbers(stored["lines"], now["lines"], stored["lines"])


def simulate_keys(stored: dict) -> list[str]:
    """The METHOD §11 figures, percentiles and the fan (not the sensitivity tables, whose ranking may grow)."""
    return [k for k in stored if k in SIMULATE_KEYS or k.endswith(("_se", "_mean", "_sd"))
            or k.rpartition("_")[2] in {f"p{q}" for q in (5, 10, 25, 50, 75, 90, 95)}]


@pytest.mark.parametrize("name", sorted(p.stem.removeprefix("sim-") for p in BASELINE.glob("sim-*.json")))
def test_seeded_simulation_is_unchanged_since_before_the_kernel(capsys, name):
    stored = json.loads((BASELINE / f"sim-{name}.json").read_text(encoding="utf-8"))
    now = cli_json(capsys, "simulate", str(ROOT / "scenarios" / f"{name}.yaml"), "--json", "--paths", "2000",
                   "--seed", "5")
    same_numbers(stored, now, simulate_keys(stored))
    assert now["fan_cumulative_net"] == stored["fan_cumulative_net"]


@pytest.mark.parametrize("method", ["sobol", "lhs", "random"])
def test_seeded_reference_simulation_is_unchanged_since_before_the_kernel(capsys, method):
    stored = json.loads((BASELINE / f"ref-a-sim-{method}.json").read_text(encoding="utf-8"))
    now = cli_json(capsys, "simulate", str(REFERENCE / "ref-a.yaml"), "--json", "--paths", "3000", "--seed", "11",
                   "--sampling", method)
    same_numbers(stored, now, simulate_keys(stored))
    assert now["fan_cumulative_net"] == stored["fan_cumulative_net"]


@pytest.fixture(scope="module")
def ref_a():
    return fc.load(REFERENCE / "ref-a.yaml")


def test_a_user_supplied_executor_gives_identical_numbers(ref_a):
    local = fc.simulate(ref_a, paths=4096, seed=3, sampling="random", chunk=1000, threads=1)
    with ThreadPoolExecutor(3) as pool:
        remote = fc.simulate(ref_a, paths=4096, seed=3, sampling="random", chunk=700, executor=pool)
    for key, values in local.path_metrics.items():
        np.testing.assert_array_equal(values, remote.path_metrics[key], err_msg=key)
    np.testing.assert_array_equal(local.cumulative, remote.cumulative)
    np.testing.assert_array_equal(local.values, remote.values)
    assert local.summary() == remote.summary()


def test_chunk_jobs_are_picklable_data(ref_a):
    import pickle

    _, targets = compile_targets(ref_a)
    sim = fc.simulate(ref_a, paths=256, seed=1, sampling="lhs", threads=1)
    spec = RunSpec(ref_a.params(), ref_a.timeline, tuple(targets), sim.sampler)
    jobs = chunk_jobs(spec, 100)
    assert [(j.start, j.n) for j in jobs] == [(0, 100), (100, 100), (200, 56)]
    job = pickle.loads(pickle.dumps(jobs[1]))
    assert isinstance(job, ChunkJob)
    part = run_chunk(job)
    np.testing.assert_array_equal(part["net_balance"], sim.path_metrics["net_balance"][100:200])


def test_target_se_adds_paths_to_those_it_has(ref_a):
    """Each stage keeps the paths already run: its first paths equal a plain run of the first stage's size."""
    stages = []
    grown = fc.simulate(ref_a, paths=1024, seed=9, sampling="lhs", replicates=4, target_se=1e-9, max_paths=4096,
                        threads=1, on_stage=lambda n, p, se: stages.append(n))
    assert stages == [1024, 2048, 4096]
    assert grown.paths == 4096 and grown.replicates == 16
    first = fc.simulate(ref_a, paths=1024, seed=9, sampling="lhs", replicates=4, threads=1)
    np.testing.assert_array_equal(grown.path_metrics["net_balance"][:1024], first.path_metrics["net_balance"])
    assert any("not reached" in note for note in grown.notes)


def test_the_financing_walk_takes_any_net_cash(ref_a):
    """Two halves of a project's cash walked together equal the project walked alone."""
    from fcfinance.metrics import financing_walk, metrics_of, project_cash

    params, tl = ref_a.params(), ref_a.timeline
    flows, whole = kernel.evaluate(params, tl, n_paths=1, detail=True)
    cash = project_cash(flows)
    half = project_cash(flows)
    half.totals = {k: v / 2 for k, v in half.totals.items()}
    half.net, half.bonds = half.net / 2, half.bonds / 2
    half.land_premium_gross, half.implied_discount = half.land_premium_gross / 2, half.implied_discount / 2
    summed = half + half
    walk = financing_walk(summed.net, summed.bonds, params["financing"], tl.per_year)
    metrics, _, _ = metrics_of(summed, walk, params["timeline"]["discount_rate"], tl.per_year, with_irr=False)
    for key in ("net_balance", "ending_balance", "peak_funding_need", "npv"):
        assert metrics[key][0] == pytest.approx(whole.metrics[key][0], rel=1e-12), key
    assert np.allclose(cash.net, summed.net, rtol=1e-12)


def test_a_project_on_a_wider_grid_gives_the_same_lines(ref_a):
    """Dates are absolute months: on a grid starting two years earlier the lines move, the totals do not."""
    tl = ref_a.timeline
    wider = Timeline(f"{int(tl.start[:4]) - 2}{tl.start[4:]}", tl.years + 4, tl.frequency)
    own_flows, own = kernel.evaluate(ref_a.params(), tl, n_paths=1, detail=True)
    wide_flows, wide = kernel.evaluate(ref_a.params(), wider, n_paths=1, detail=True)
    for key, total in own.totals.items():
        if key in ("gap_interest", "deposit_interest"):  # the walk runs on other periods
            continue
        assert wide.totals[key][0] == pytest.approx(total[0], rel=1e-12, abs=1e-9), key
    own_months = own_flows.lines["public_works"].monthly(1, tl.months)[0]
    wide_months = wide_flows.lines["public_works"].monthly(1, wider.months)[0]
    np.testing.assert_allclose(wide_months[24:24 + tl.months], own_months, rtol=1e-13)  # escalation from own start


def test_parameters_are_frozen(ref_a):
    params = ref_a.params()
    assert params is ref_a.params()  # made once
    with pytest.raises(TypeError):
        params["site"]["households"] = 1  # type: ignore[index]
    changed = replace_at(params, ("site", "households"), 1)
    assert changed["site"]["households"] == 1 and params["site"]["households"] != 1
    assert changed["land"] is params["land"]  # untouched branches are shared
    assert isinstance(changed, Record)
