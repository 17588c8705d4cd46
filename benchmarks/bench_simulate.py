"""Speed and memory of ``fcfinance simulate`` at a million paths, against a plain numpy pass.

Prints figures; asserts nothing.  Run from the repository root::

    python benchmarks/bench_simulate.py [--paths 1000000] [--scenario ../shared/reference/ref-a.yaml]

1. end to end: ``fcfinance simulate FILE --paths N --json`` in a subprocess (all
   risks, correlations, the file's sampling; every metric, the fan and the
   rank sensitivity and tornado, as the command computes by default):
   seconds, paths per second, peak memory (max RSS of the child);
2. the same with ``--irr``: the extra cost of per-path IRRs;
3. a breakdown by stage, in this process, over the same paths: sampling
   (uniforms and Iman–Conover), inverse transforms, engine (effects and
   lines), metrics;
4. the baseline measured in the same run: ``rng.random((100_000, 64))``,
   cumsum along axis 1, min along axis 1, ten times; every time is also
   given as a ratio to it.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def baseline_seconds(repeats: int = 3) -> float:
    """Best of ``repeats`` timings of the reference numpy pass."""
    rng = np.random.default_rng(0)
    best = np.inf
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(10):
            a = rng.random((100_000, 64))
            c = np.cumsum(a, axis=1)
            c.min(axis=1)
        best = min(best, time.perf_counter() - t0)
    return best


def end_to_end(scenario: str, paths: int, extra: list[str]) -> tuple[float, float, dict]:
    """Wall time [s], peak RSS of the child [MB], and the JSON printed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "fcfinance.cli", "simulate", scenario, "--paths", str(paths),
                          "--json", "--no-progress", *extra], capture_output=True, text=True, check=True)
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before) / 1024.0, json.loads(out.stdout)


def stages(scenario_path: str, paths: int) -> dict[str, float]:
    """Seconds spent in each stage over ``paths`` paths, chunk by chunk as simulate does."""
    import fcfinance as fc
    from fcfinance.engine import compute_lines
    from fcfinance.metrics import evaluate
    from fcfinance.montecarlo import RiskSampler
    from fcfinance.montecarlo.effects import apply_effects, compile_targets
    from fcfinance.montecarlo.simulate import CHUNK

    scenario = fc.load(scenario_path)
    sim = scenario.model.simulation
    sampler = RiskSampler.build([(r.id, r.dist) for r in scenario.model.risks],
                                [list(c) for c in scenario.model.correlations],
                                paths=paths, seed=sim.seed, method=sim.sampling,
                                correlation_repair=sim.correlation_repair)
    _, targets = compile_targets(scenario)
    base = scenario.params()
    times = dict.fromkeys(["sampling", "inverse transforms", "engine", "metrics"], 0.0)
    for start in range(0, sampler.paths, CHUNK):
        n = min(CHUNK, sampler.paths - start)
        t0 = time.perf_counter()
        u = sampler.uniforms(start, n)
        t1 = time.perf_counter()
        values = np.empty_like(u)
        for j, dist in enumerate(sampler.distributions):
            values[:, j] = dist.ppf(u[:, j])
        t2 = time.perf_counter()
        params = apply_effects(base, targets, values)
        flows = compute_lines(params, scenario.timeline, n)
        t3 = time.perf_counter()
        evaluate(flows, params, with_irr=False, detail=False)
        t4 = time.perf_counter()
        for key, dt in zip(times, (t1 - t0, t2 - t1, t3 - t2, t4 - t3)):
            times[key] += dt
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paths", type=int, default=1_000_000)
    parser.add_argument("--scenario", default=str(ROOT.parent / "shared" / "reference" / "ref-a.yaml"))
    parser.add_argument("--skip-irr", action="store_true")
    args = parser.parse_args()

    base = baseline_seconds()
    print(f"baseline numpy pass (random 100,000×64, cumsum, min; ×10): {base:.3f} s")

    seconds, peak, out = end_to_end(args.scenario, args.paths, [])
    print(f"simulate --paths {args.paths:,} --json: {out['paths']:,} paths run, {seconds:.2f} s, "
          f"{out['paths'] / seconds:,.0f} paths/s, peak memory {peak:,.0f} MB, "
          f"{seconds / base:.1f}× baseline  (P(balanced) = {out['p_balanced']:.4f} ± {out['p_balanced_se']:.4f})")
    if not args.skip_irr:
        s_irr, peak_irr, _ = end_to_end(args.scenario, args.paths, ["--irr"])
        print(f"with --irr: {s_irr:.2f} s, peak {peak_irr:,.0f} MB; the IRR adds {s_irr - seconds:.2f} s "
              f"({(s_irr - seconds) / base:.1f}× baseline)")
    parts = stages(args.scenario, args.paths)
    total = sum(parts.values())
    print("stages (in process, same paths):")
    for key, dt in parts.items():
        print(f"  {key:<20} {dt:7.2f} s  {dt / total:6.1%}  {dt / base:5.1f}× baseline")
    print(f"  {'sum':<20} {total:7.2f} s                {total / base:5.1f}× baseline")


if __name__ == "__main__":
    main()
