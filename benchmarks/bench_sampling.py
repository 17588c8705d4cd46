"""Benchmark of Monte Carlo sampling (fcfinance.montecarlo).

Prints, all measured in the same run:

* a baseline numpy pass: ten times ``rng.random((100_000, 64))``, cumsum
  along axis 1, min along axis 1 (the yardstick of the performance goal:
  the whole Monte Carlo of 1e6 paths within about 10x this pass, sampling a
  small fraction of it);
* sampling 1,000,000 paths of ref-a's seven risks (sobol, rounded up to
  2**20) including Iman–Conover correlation and inverse transforms, split
  into its stages, and the same for lhs and random, with ratios to the
  baseline;
* ``scipy.stats.beta.ppf`` against the tabulated beta quantile at 1e6
  draws, with the ratio.

Run: ``python benchmarks/bench_sampling.py [--repeat N]`` (best of N, default 3).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from scipy import stats

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import fcfinance as fc
from fcfinance.montecarlo import (
    RiskSampler,
    beta_ppf_table,
    correlate,
    parse_distribution,
    sample_uniforms,
)
from fcfinance.montecarlo.distributions import U_MAX, U_MIN

# ref-a's risks and correlations, read from the reference file
REF_A = fc.load(Path(__file__).resolve().parents[1] / "tests" / "reference" / "ref-a.yaml").model
REF_A_RISKS = {r.id: r.dist for r in REF_A.risks}
REF_A_CORRELATIONS = [list(c) for c in REF_A.correlations]
SEED = 20211102


def best_time(func: Callable[[], Any], repeat: int) -> float:
    """Smallest wall time of ``repeat`` calls. [s]"""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        func()
        times.append(time.perf_counter() - t0)
    return min(times)


def baseline_pass() -> None:
    rng = np.random.default_rng(0)
    for _ in range(10):
        a = rng.random((100_000, 64))
        c = np.cumsum(a, axis=1)
        c.min(axis=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--paths", type=int, default=1_000_000)
    args = parser.parse_args()
    repeat, paths = args.repeat, args.paths

    baseline = best_time(baseline_pass, repeat)
    print(
        f"baseline numpy pass (10 x random((100000, 64)), cumsum, min): {baseline:.3f} s"
    )
    print()

    print(
        f"sampling {paths:,} paths x {len(REF_A_RISKS)} risks (ref-a), incl. correlation and ppf"
    )
    for method in ("sobol", "lhs", "random"):
        bench_method(method, paths, baseline, repeat)
    print()

    rng = np.random.default_rng(1)
    u = np.clip(rng.random(1_000_000), U_MIN, U_MAX)
    print("beta quantile at 1,000,000 draws: scipy.stats.beta.ppf vs tabulated")
    bench_beta(
        "build_cost pert [0.95, 1.0, 1.20]", {"pert": [0.95, 1.0, 1.20]}, u, repeat
    )
    bench_beta(
        "redemption beta [18, 2, 0.80, 1.0]", {"beta": [18, 2, 0.80, 1.0]}, u, repeat
    )


def bench_method(method: str, paths: int, baseline: float, repeat: int) -> None:
    """Time ref-a's risks under one method, in total and by stage."""
    sampler = RiskSampler.build(
        REF_A_RISKS,
        REF_A_CORRELATIONS,
        paths=paths,
        seed=SEED,
        method=method,
        replicates=1,
    )
    sampler.values(0, 1)  # build the beta tables once (cached per shape)
    total = best_time(sampler.values, repeat)
    ids, per = sampler.risk_ids, sampler.paths_per_replicate
    model = sampler.correlation
    if model is None:
        raise RuntimeError("ref-a has correlations")
    u = sample_uniforms(ids, per, method, SEED, 0, 0, per)
    t_uniform = best_time(
        lambda: sample_uniforms(ids, per, method, SEED, 0, 0, per), repeat
    )
    t_corr = best_time(lambda: correlate(u, model, method, SEED, 0, 0, per), repeat)
    uc = correlate(u, model, method, SEED, 0, 0, per)

    def transforms() -> None:
        for j, dist in enumerate(sampler.distributions):
            dist.ppf(uc[:, j])

    t_ppf = best_time(transforms, repeat)
    print(
        f"  {method:6s} {sampler.paths:>9,} paths: total {total:.3f} s "
        f"= {total / baseline:.2f} x baseline "
        f"(uniforms {t_uniform:.3f} s, Iman-Conover {t_corr:.3f} s, ppf {t_ppf:.3f} s)"
    )


def bench_beta(label: str, spec: dict, u: np.ndarray, repeat: int) -> None:
    """Time scipy.stats.beta.ppf against the tabulated quantile at ``u``."""
    dist = parse_distribution(spec)
    a, b, lo, hi = dist.beta_shape  # type: ignore[misc]
    beta_ppf_table.cache_clear()
    t0 = time.perf_counter()
    table = beta_ppf_table(a, b)
    t_build = time.perf_counter() - t0
    t_scipy = best_time(lambda: stats.beta.ppf(u, a, b, loc=lo, scale=hi - lo), repeat)
    t_table = best_time(lambda: dist.ppf(u), repeat)
    error = np.max(np.abs(dist.ppf(u) - stats.beta.ppf(u, a, b, loc=lo, scale=hi - lo)))
    print(
        f"  {label}: scipy {t_scipy:.3f} s, table {t_table:.4f} s, "
        f"ratio {t_scipy / t_table:.0f}x; table build {t_build * 1000:.0f} ms "
        f"({table.intervals} intervals), max |error| {error / (hi - lo):.1e} of (hi - lo)"
    )


if __name__ == "__main__":
    main()
