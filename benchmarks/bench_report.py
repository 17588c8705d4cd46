"""Speed of ``fcfinance report`` against one ``fcfinance simulate`` of the same paths.

Prints figures; asserts nothing.  Run from the repository root::

    python benchmarks/bench_report.py [--paths 20000] [--scenario ../shared/reference/ref-a.yaml] [--repeat 3]

Each repeat runs, in subprocesses and interleaved (so that a change of load on
the machine hits both alike):

1. ``fcfinance simulate FILE --paths N --no-progress`` (the text summary);
2. ``fcfinance report FILE --paths N --out TMP --no-progress`` (seven charts in
   PNG, SVG and PDF, the workbook and the summary).

It prints every wall time, the medians and the ratio report / simulate of the
medians, and the ratio of each repeat.  The goal (issue 14) is a ratio of at
most 4.  Both commands start Python and import fcfinance, which is part of
what an analyst waits for.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def wall(args: list[str]) -> float:
    """Seconds of ``fcfinance ARGS`` in a fresh interpreter."""
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "fcfinance.cli", *args], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paths", type=int, default=20_000)
    parser.add_argument("--scenario", default=str(ROOT.parent / "shared" / "reference" / "ref-a.yaml"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--lang", default="zh", choices=["zh", "en"])
    args = parser.parse_args()
    common = [args.scenario, "--paths", str(args.paths), "--no-progress"]
    sims, reports = [], []
    with tempfile.TemporaryDirectory() as tmp:
        wall(["simulate", *common])  # warm the file cache and matplotlib's font cache
        for i in range(args.repeat):
            sims.append(wall(["simulate", *common]))
            reports.append(wall(["report", *common, "--lang", args.lang, "--out", str(Path(tmp) / f"pack{i}")]))
            print(f"run {i + 1}: simulate {sims[-1]:.2f} s · report {reports[-1]:.2f} s · "
                  f"ratio {reports[-1] / sims[-1]:.2f}", flush=True)
    s, r = statistics.median(sims), statistics.median(reports)
    print(f"\n{args.scenario}, {args.paths:,} paths, {args.repeat} runs")
    print(f"fcfinance simulate  median {s:.2f} s  (min {min(sims):.2f}, max {max(sims):.2f})")
    print(f"fcfinance report    median {r:.2f} s  (min {min(reports):.2f}, max {max(reports):.2f})")
    print(f"ratio report / simulate (medians): {r / s:.2f}  (goal ≤ 4)")


if __name__ == "__main__":
    main()
