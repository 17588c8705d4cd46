"""Speed of ``solve`` and ``sweep`` against the runs they replace (METHOD §15).

Prints figures; asserts nothing.  Run from the repository root::

    python benchmarks/bench_decisions.py [--scenario ../shared/reference/ref-a.yaml] [--paths 131072]

In one run, each as the median of ``--repeat`` timings in this process (the
scenario loaded once, as a notebook would):

1. the baseline: one ``fc.run`` of the scenario;
2. a 100 × 100 deterministic sweep over two decisions (every floor price ×
   0.8 … 1.2, every works item's cost × 0.8 … 1.2), as a ratio to one run
   (goal: at most 20);
3. a deterministic break-even (``net_balance=0`` varying every floor price),
   as a ratio to one run (goal: at most 10);
4. the baseline of the Monte Carlo figure: one ``fc.simulate`` at ``--paths``;
5. a ``p_balanced=0.8`` solve at the same paths (same seed and sampling), as
   a ratio to that simulate (goal: at most 3).

The machines this is run on are virtual and shared: wall times vary by
±15 % from run to run, hence the repeats and the median.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import fcfinance as fc

ROOT = Path(__file__).resolve().parents[1]
PRICES = "land.parcels.*.floor_price_yuan_m2"


def timed(fn, repeat: int) -> tuple[float, object]:
    """Median wall time of ``repeat`` calls [s], and the last result."""
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default=str(ROOT.parent / "shared" / "reference" / "ref-a.yaml"))
    parser.add_argument("--paths", type=int, default=131_072)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    scenario = fc.load(args.scenario)
    fc.run(scenario)  # imports and caches warm

    run_s, _ = timed(lambda: fc.run(scenario), args.repeat * 4)
    print(f"{scenario.name} ({args.scenario})")
    print(f"one fc.run: {run_s * 1e3:,.1f} ms (baseline)")

    sweep_s, sw = timed(lambda: fc.sweep(scenario, x=f"{PRICES}=0.8:1.2:100", y="works.items.*.cost_yuan=0.8:1.2:100",
                                         metric="net_balance").sweep, args.repeat)
    print(f"100 × 100 deterministic sweep ({sw.values.size:,} cells, {sw.engine_calls} engine call): "
          f"{sweep_s * 1e3:,.1f} ms = {sweep_s / run_s:.1f} × one run (goal ≤ 20)")

    solve_s, r = timed(lambda: fc.solve(scenario, vary=PRICES, target="net_balance=0"), args.repeat)
    print(f"deterministic break-even (x = {r.value:.10f}, {r.evaluations} decision values in {r.engine_calls} "
          f"engine calls): {solve_s * 1e3:,.1f} ms = {solve_s / run_s:.1f} × one run (goal ≤ 10)")

    mc_repeat = max(args.repeat // 2, 1)
    sim_s, sim = timed(lambda: fc.simulate(scenario, paths=args.paths), mc_repeat)
    print(f"one fc.simulate at {sim.paths:,} paths ({sim.sampling}): {sim_s:,.2f} s (baseline)")
    mc_s, r = timed(lambda: fc.solve(scenario, vary=PRICES, target="p_balanced=0.8", paths=args.paths), mc_repeat)
    print(f"p_balanced=0.8 solve at {r.paths:,} paths (x = {r.value:.7f}, P = {r.achieved:.5f} ± {r.se:.5f}, "
          f"{r.evaluations} decision values on the sample in {r.engine_calls} engine passes): {mc_s:,.2f} s "
          f"= {mc_s / sim_s:.2f} × one simulate (goal ≤ 3)")


if __name__ == "__main__":
    main()
