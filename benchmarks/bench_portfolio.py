"""Speed and memory of a large platform's Monte Carlo (METHOD §14), against one project in the same run.

Prints figures; asserts nothing.  Run from the repository root::

    python benchmarks/bench_portfolio.py [--projects 200] [--paths 100000] [--chunk 16384]

1. builds a synthetic platform in a temporary folder: ``--projects`` project
   files, each one of the four bundled projects with every date (its
   timeline's start included) moved by 0 … 23 months, written as full
   scenario files; a portfolio file over them with three platform risks on
   every project (``*``: city land market, build cost, works delay) and
   ``include_project_risks: false`` (the projects' own ~8 risks each would
   add ~1,600 risk columns, whose per-path values the result keeps for the
   sensitivity tables: they grow with the projects, see docs/portfolio.md);
2. loads it (validation of every project file) and times that;
3. runs ``fcfinance portfolio FILE --simulate --json`` in a subprocess, and
   reports wall time, paths × projects per second and the child's peak
   memory (``resource.getrusage``, max RSS);
4. the baseline, measured in the same run: one bundled project
   (``ouhai``) alone on the same three risks as a one-project platform,
   same paths, same way; the ratio of the per-(path × project) rates says
   how much the platform's per-project cost departs from one project's;
5. the same platform at a quarter of the projects, to show that peak
   memory does not grow with the project count (the per-path results —
   metrics, fan, each project's net balance — do: paths × projects × 8 B).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import typing
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ["lucheng-jixin.yaml", "ouhai-lvjiaan.yaml", "wenzhou-laojiu-zhenghe.yaml", "wenzhou-xincheng-xinjian.yaml"]
RISKS = """
risks:
  - id: city_land_market
    dist: {triangular: [0.75, 1.0, 1.08]}
    scale: ["*.land.parcels.*.floor_price_yuan_m2"]
  - id: build_cost
    dist: {pert: [0.95, 1.0, 1.15]}
    scale: ["*.works.items.*.cost_yuan", "*.works.items.*.unit_cost_yuan_m2"]
  - id: works_delay
    dist: {discrete: {values: [0, 6, 12], probs: [0.6, 0.3, 0.1]}}
    shift_months: ["*.works.items.*.start"]
"""


def shifted(model, data: dict, months: int) -> dict:
    """A scenario dump with every date field (and the timeline's start) moved by ``months``."""
    from pydantic import BaseModel

    from fcfinance.scenario.fields import _models_in, kind_of
    from fcfinance.timeline import month_index, month_text

    out = dict(data)
    for name, info in type(model).model_fields.items():
        key = info.alias or name
        value = getattr(model, name)
        if key not in out or value is None:
            continue
        if kind_of(info) == "date" or (key == "start" and type(model).__name__ == "Timeline"):
            out[key] = month_text(month_index(value) + months)
        elif _models_in(info.annotation) and isinstance(value, list):
            out[key] = [shifted(m, d, months) if isinstance(m, BaseModel) else d
                        for m, d in zip(value, out[key])]
        elif isinstance(value, BaseModel):
            out[key] = shifted(value, out[key], months)
    return out


def build(folder: Path, n: int) -> Path:
    """``n`` shifted project files and a portfolio file over them; returns the portfolio's path."""
    import fcfinance as fc

    bases = [fc.load(ROOT / "scenarios" / name) for name in BUNDLED]
    lines = ["fcfinance: 1", "portfolio: true", f"name: synthetic platform of {n} projects",
             "timeline: {start: 2021-01, years: 20, frequency: quarter, discount_rate: 0.05}",
             "financing: {gap_rate: 0.045, deposit_rate: 0.01}", "include_project_risks: false", "projects:"]
    for i in range(n):
        base = bases[i % len(bases)]
        data = shifted(base.model, base.model.model_dump(mode="json", by_alias=True), (i // len(bases)) % 24)
        data["risks"], data["correlations"] = [], []
        (folder / f"p{i:03d}.yaml").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        lines.append(f"  - {{id: p{i:03d}, file: p{i:03d}.yaml}}")
    path = folder / f"platform-{n}.yaml"
    path.write_text("\n".join(lines) + "\n" + RISKS, encoding="utf-8")
    return path


def run(path: Path, paths: int, chunk: int, threads: int | None) -> tuple[float, float, dict]:
    """Wall time [s], the child's peak RSS [MB], and the JSON it printed."""
    code = ("import resource, sys, runpy; sys.argv = ['fcfinance'] + sys.argv[1:]\n"
            "try:\n    runpy.run_module('fcfinance.cli', run_name='__main__')\n"
            "finally:\n    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)")
    args = [sys.executable, "-c", code, "portfolio", str(path), "--simulate", "--json", "--no-progress",
            "--paths", str(paths), "--sampling", "random", "--seed", "1", "--chunk", str(chunk)]
    if threads:
        args += ["--threads", str(threads)]
    t0 = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": "0"})
    wall = time.perf_counter() - t0
    if done.returncode:
        raise SystemExit(done.stderr)
    rss_kb = int(done.stderr.strip().splitlines()[-1])
    return wall, rss_kb / 1024, json.loads(done.stdout)


def main(argv: typing.Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--projects", type=int, default=200)
    parser.add_argument("--paths", type=int, default=100_000)
    parser.add_argument("--chunk", type=int, default=2**14)
    parser.add_argument("--threads", type=int, help="threads in the child (default: its own)")
    args = parser.parse_args(argv)
    import fcfinance as fc

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = build(folder, args.projects)
        t0 = time.perf_counter()
        fc.load_portfolio(path)
        print(f"load and validate {args.projects} projects: {time.perf_counter() - t0:.1f} s")
        one = folder / "one.yaml"
        (folder / "one-project.yaml").write_text((folder / "p001.yaml").read_text(encoding="utf-8"), encoding="utf-8")
        one.write_text(path.read_text(encoding="utf-8").split("projects:")[0].replace(
            f"synthetic platform of {args.projects} projects", "one project")
            + "projects:\n  - {id: p001, file: one-project.yaml}\n" + RISKS, encoding="utf-8")
        base_wall, base_rss, _ = run(one, args.paths, args.chunk, args.threads)
        base_rate = args.paths / base_wall
        print(f"baseline, one project ({args.paths:,} paths): {base_wall:.1f} s, "
              f"{base_rate:,.0f} paths x projects / s, peak {base_rss:,.0f} MB")
        for n in (max(args.projects // 4, 1), args.projects):
            part = path if n == args.projects else build(folder, n)
            wall, rss, out = run(part, args.paths, args.chunk, args.threads)
            rate = args.paths * n / wall
            print(f"platform of {n} projects ({out['paths']:,} paths): {wall:.1f} s, "
                  f"{rate:,.0f} paths x projects / s ({rate / base_rate:.2f}x the one-project rate), "
                  f"peak {rss:,.0f} MB; P(platform balanced) = {out['p_balanced']:.4f} "
                  f"± {out['p_balanced_se']:.4f}, P(every project balanced) = {out['p_all_balanced']:.4f}")


if __name__ == "__main__":
    main()
