"""Speed and memory of ``fcfinance simulate`` at a million paths, against a plain numpy pass.

Prints figures; asserts nothing.  Run from the repository root::

    python benchmarks/bench_simulate.py [--paths 1000000] [--scenario ../shared/reference/ref-a.yaml]

1. end to end: ``fcfinance simulate FILE --paths N --json`` in a subprocess (all
   risks, correlations, the file's sampling; every metric, the fan and the
   rank sensitivity and tornado, as the command computes by default, chunks
   on one thread per core), ``--repeat`` times: each time, the median,
   paths per second and peak memory (max RSS of the child);
2. the same on one thread (``--threads 1``), to show what the threads add;
3. the same with ``--irr``: the extra cost of per-path IRRs;
4. a breakdown by stage, in this process on one thread, over the same
   paths: sampling (uniforms and Iman–Conover), inverse transforms, engine
   (effects and lines), metrics, and the summary (percentiles, fan, rank
   sensitivity, tornado);
5. cost that grows with the work: ref-a and ref-a with 300 more parcels
   (varied sale months, payment plans and uplift rules; and 800 identical
   ones) at 65,536 paths, end to end, with their time ratio and peak memory
   (goal: 300 parcels within 1 GB and at most 2.5× ref-a's time);
6. the baseline measured in the same run: ``rng.random((100_000, 64))``,
   cumsum along axis 1, min along axis 1, ten times (best of three); every
   time is also given as a ratio to it.

The machines this is run on are virtual: wall times of the same command
vary by ±15 % from run to run, hence the repeats and the median.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
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
    code = ("import resource, sys, runpy; sys.argv = ['fcfinance'] + sys.argv[1:]\n"
            "try:\n    runpy.run_module('fcfinance.cli', run_name='__main__')\n"
            "finally:\n    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)")
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code, "simulate", scenario, "--paths", str(paths),
                          "--json", "--no-progress", *extra], capture_output=True, text=True, check=True)
    seconds = time.perf_counter() - t0
    peak_kb = int(out.stderr.strip().splitlines()[-1])
    return seconds, peak_kb / 1024.0, json.loads(out.stdout)


def repeated(scenario: str, paths: int, extra: list[str], repeat: int) -> tuple[list[float], float, dict]:
    """Wall times of ``repeat`` runs [s], the largest peak RSS [MB], and the last JSON."""
    times, peak, out = [], 0.0, {}
    for _ in range(repeat):
        seconds, mb, out = end_to_end(scenario, paths, extra)
        times.append(seconds)
        peak = max(peak, mb)
    return times, peak, out


def stages(scenario_path: str, paths: int) -> dict[str, float]:
    """Seconds spent in each stage over ``paths`` paths on one thread, chunk by chunk as simulate does."""
    os.environ["FCFINANCE_THREADS"] = "1"
    import fcfinance as fc
    from fcfinance.engine import compute_lines
    from fcfinance.metrics import evaluate
    from fcfinance.montecarlo import RiskSampler
    from fcfinance.montecarlo.effects import apply_effects, compile_targets
    from fcfinance.montecarlo.simulate import CHUNK, PATH_METRICS, SimulationResult

    scenario = fc.load(scenario_path)
    sim = scenario.model.simulation
    sampler = RiskSampler.build([(r.id, r.dist) for r in scenario.model.risks],
                                [list(c) for c in scenario.model.correlations],
                                paths=paths, seed=sim.seed, method=sim.sampling,
                                correlation_repair=sim.correlation_repair)
    ids, targets = compile_targets(scenario)
    base = scenario.params()
    times = dict.fromkeys(["sampling", "inverse transforms", "engine", "metrics", "summary"], 0.0)
    total = sampler.paths
    cumulative = np.empty((scenario.timeline.periods, total), dtype=np.float32)
    values = np.empty((total, len(ids)), order="F")
    metrics = {key: np.empty(total) for key in PATH_METRICS if key != "irr"}
    clipped = np.empty(total, dtype=bool)
    for start in range(0, total, CHUNK):
        n = min(CHUNK, total - start)
        t0 = time.perf_counter()
        u = sampler.uniforms(start, n)
        t1 = time.perf_counter()
        for j, dist in enumerate(sampler.distributions):
            values[start:start + n, j] = dist.ppf(u[:, j])
        t2 = time.perf_counter()
        params = apply_effects(base, targets, values[start:start + n])
        flows = compute_lines(params, scenario.timeline, n)
        t3 = time.perf_counter()
        ev = evaluate(flows, params, with_irr=False, detail=False, cumulative_out=cumulative[:, start:start + n])
        for key in metrics:
            metrics[key][start:start + n] = ev.metrics[key]
        clipped[start:start + n] = ev.clipped
        t4 = time.perf_counter()
        for key, dt in zip(times, (t1 - t0, t2 - t1, t3 - t2, t4 - t3)):
            times[key] += dt
    t0 = time.perf_counter()
    base_run = fc.run(scenario)
    result = SimulationResult(
        scenario=scenario, paths=total, seed=sim.seed, sampling=sim.sampling, replicates=sampler.replicates,
        notes=list(sampler.notes), risk_ids=ids, values=values, path_metrics=metrics, cumulative=cumulative,
        base_cumulative=base_run.evaluation.cumulative[0], period_labels=scenario.timeline.period_labels(),
        sampler=sampler, clipped=clipped, base_metrics=base_run.metrics)
    result.to_dict()
    times["summary"] = time.perf_counter() - t0
    del os.environ["FCFINANCE_THREADS"]
    return times


def scaling(scenario: str, repeat: int, base: float, paths: int = 65_536) -> None:
    """Time and peak memory of ref-a against ref-a with many more parcels, at the same paths."""
    import tempfile

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from scaling import many_parcels

    with tempfile.TemporaryDirectory() as folder:
        cases = [("ref-a", scenario),
                 ("ref-a + 300 varied parcels", str(many_parcels(300, Path(folder)))),
                 ("ref-a + 800 identical parcels", str(many_parcels(800, Path(folder), varied=False)))]
        print(f"cost that grows with the work ({paths:,} paths, end to end, median of {repeat}):")
        first = None
        for label, path in cases:
            times, peak, _ = repeated(path, paths, [], repeat)
            median = statistics.median(times)
            first = first or median
            print(f"  {label:<32} {median:6.2f} s  {median / first:4.2f}× ref-a  peak {peak:,.0f} MB  "
                  f"({median / base:.1f}× baseline)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paths", type=int, default=1_000_000)
    parser.add_argument("--scenario", default=str(ROOT.parent / "shared" / "reference" / "ref-a.yaml"))
    parser.add_argument("--repeat", type=int, default=3, help="end-to-end runs (median reported)")
    parser.add_argument("--skip-irr", action="store_true")
    parser.add_argument("--scaling-only", action="store_true", help="only the many-parcel comparison")
    args = parser.parse_args()

    base = baseline_seconds()
    print(f"baseline numpy pass (random 100,000×64, cumsum, min; ×10): {base:.3f} s")

    def line(label: str, times: list[float], peak: float, out: dict) -> float:
        median = statistics.median(times)
        runs = ", ".join(f"{t:.2f}" for t in times)
        print(f"{label}: {out['paths']:,} paths run; {runs} s; median {median:.2f} s, "
              f"{out['paths'] / median:,.0f} paths/s, peak memory {peak:,.0f} MB, {median / base:.1f}× baseline")
        return median

    scaling(args.scenario, args.repeat, base)
    if args.scaling_only:
        return
    times, peak, out = repeated(args.scenario, args.paths, [], args.repeat)
    median = line(f"simulate --paths {args.paths:,} --json", times, peak, out)
    print(f"  P(balanced) = {out['p_balanced']:.4f} ± {out['p_balanced_se']:.4f}")
    times1, peak1, out1 = repeated(args.scenario, args.paths, ["--threads", "1"], args.repeat)
    line("the same on one thread (--threads 1)", times1, peak1, out1)
    if not args.skip_irr:
        s_irr, peak_irr, _ = end_to_end(args.scenario, args.paths, ["--irr"])
        print(f"with --irr: {s_irr:.2f} s, peak {peak_irr:,.0f} MB; the IRR adds about {s_irr - median:.2f} s "
              f"({(s_irr - median) / base:.1f}× baseline)")
    parts = stages(args.scenario, args.paths)
    total = sum(parts.values())
    print("stages (in process, one thread, same paths):")
    for key, dt in parts.items():
        print(f"  {key:<20} {dt:7.2f} s  {dt / total:6.1%}  {dt / base:5.1f}× baseline")
    print(f"  {'sum':<20} {total:7.2f} s                {total / base:5.1f}× baseline")


if __name__ == "__main__":
    main()
