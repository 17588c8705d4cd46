"""Start-up cost of the command line, as ratios to ``python -c "import pandas"`` measured in the same run.

Goals (issue: an instant command line): ``fcfinance run ref-a`` and
``fcfinance validate ref-a`` at most 2× the wall time of importing pandas;
``import fcfinance`` at most 1.5×.  Each command runs ``--repeat`` times
(default 7) after one warm-up; the median wall time is reported.

Usage::

    python benchmarks/bench_cli.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REF = ROOT.parent / "shared" / "reference" / "ref-a.yaml"
if not REF.exists():
    REF = ROOT / "tests" / "reference" / "ref-a.yaml"

CASES = [
    ("python -c 'import pandas' (baseline)", [sys.executable, "-c", "import pandas"]),
    ("python -c 'import fcfinance'", [sys.executable, "-c", "import fcfinance"]),
    ("fcfinance run ref-a", [sys.executable, "-m", "fcfinance.cli", "run", str(REF)]),
    ("fcfinance run ref-a --json", [sys.executable, "-m", "fcfinance.cli", "run", str(REF), "--json"]),
    ("fcfinance validate ref-a", [sys.executable, "-m", "fcfinance.cli", "validate", str(REF)]),
]
GOALS = {"python -c 'import fcfinance'": 1.5, "fcfinance run ref-a": 2.0, "fcfinance validate ref-a": 2.0}


def wall(cmd: list[str], repeat: int) -> float:
    subprocess.run(cmd, check=True, capture_output=True)  # warm-up (disk cache, .pyc)
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    results = {label: wall(cmd, args.repeat) for label, cmd in CASES}
    base = results[CASES[0][0]]
    print(f"{'command':<40} {'median wall':>12} {'× import pandas':>16} {'goal':>6}")
    for label, seconds in results.items():
        goal = f"≤ {GOALS[label]:.1f}×" if label in GOALS else ""
        print(f"{label:<40} {seconds:>10.3f} s {seconds / base:>15.2f}× {goal:>6}")


if __name__ == "__main__":
    main()
