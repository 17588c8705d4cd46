"""``fcfinance portfolio``: a platform's base case, or its Monte Carlo run (METHOD §14)."""

from __future__ import annotations

import argparse
import json
import sys

from ..formatting import display_unit, format_value, percent, wan
from ..names import METRICS
from ..textable import render


def base_text(result) -> str:
    """The readable summary of a platform's base case: platform metrics beside each project's."""
    p = result.scenario
    ids = list(result.projects)
    out = [f"{p.name} — 平台统筹 platform of {len(ids)} projects",
           f"{p.path} · sha256 {p.sha256[:12]} · {p.timeline.start} … {p.timeline.last_month_label()}", ""]
    rows = []
    for spec in METRICS:
        cells = [format_value(result.metrics[spec.key], spec.unit)]
        cells += [format_value(result.projects[i].metrics[spec.key], spec.unit) for i in ids]
        rows.append([f"{spec.zh} {spec.en}", *cells, display_unit(spec.unit)])
    out.append("指标 metrics: the platform (pooled lines, one financing walk) and each project standalone")
    out.append(render(["指标 metric", "平台 platform", *ids, "单位 unit"], rows,
                      [False] + [True] * (len(ids) + 1) + [False]))
    shares = result.shares
    out += ["", "各项目贡献 each project's net balance and share of the platform's (net_i / Σ|net_j|)",
            render(["project", "资金结余 net balance 万元", "share"],
                   [[i, wan(nb), percent(shares[i], 1, signed=True)] for i, nb in zip(ids, result.project_net_balance)],
                   [False, True, True])]
    peak, period = result.peak_cross_subsidy
    need = result.metrics["peak_funding_need"]
    out += ["", f"内部调剂资金峰值 peak cross-subsidy: {wan(peak)} 万元" + (f" ({period})" if period else ""),
            f"平台资金峰值 platform peak funding need: {wan(need)} 万元"
            + (f" ({result.metrics['peak_funding_period']})" if result.metrics["peak_funding_period"] else "")]
    return "\n".join(out)


def simulate_text(result, summary: dict) -> str:
    """The readable summary of a platform's Monte Carlo run: the platform's, then per project."""
    from ..montecarlo.cli import summary_text

    rows = [[pid, f"{v['p_balanced']:.4f}", f"± {v['p_balanced_se']:.4f}"]
            for pid, v in summary["projects"].items()]
    rows.append(["every project 全部平衡", f"{summary['p_all_balanced']:.4f}", f"± {summary['p_all_balanced_se']:.4f}"])
    return "\n".join([summary_text(result, summary), "",
                      "各项目资金平衡概率 P(each project balanced), on the same paths",
                      render(["project", "P(balanced)", "SE"], rows, [False, True, True])])


def cmd_portfolio(args: argparse.Namespace) -> int:
    from ..cliopts import checked_warnings
    from .load import load_portfolio

    portfolio = load_portfolio(args.file)
    warnings = checked_warnings(portfolio, args, show=not args.json)
    if not args.simulate:
        result = portfolio.run()
        out = result.to_dict()
        if warnings:
            out["warnings"] = warnings
        print(json.dumps(out, ensure_ascii=False, indent=1) if args.json else base_text(result))
        return 0
    from ..montecarlo.simulate import default_workers

    progress = args.progress if args.progress is not None else sys.stderr.isatty()
    try:
        result = portfolio.simulate(paths=args.paths, seed=args.seed, sampling=args.sampling,
                                    replicates=args.replicates, chunk=args.chunk,
                                    workers=args.workers or default_workers(), threads=args.threads,
                                    client=args.scheduler, progress=progress)
    except OSError as exc:  # the scheduler cannot be reached (distributed raises OSError on a timeout)
        if args.scheduler is None:
            raise
        print(f"cannot reach the Dask scheduler at {args.scheduler}: {exc}", file=sys.stderr)
        return 1
    summary = result.to_dict()
    if warnings:
        summary["warnings"] = warnings
    print(json.dumps(summary, ensure_ascii=False, indent=1) if args.json else simulate_text(result, summary))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``portfolio`` to the command line."""
    from ..cliopts import add_strict_option
    from ..montecarlo.cli import add_sampling_options
    p = sub.add_parser("portfolio", help="a platform of projects (平台统筹): pooled lines, one financing walk, "
                                         "cross-subsidy; --simulate for Monte Carlo")
    p.add_argument("file", help="portfolio YAML file (portfolio: true)")
    p.add_argument("--json", action="store_true", help="print JSON (METHOD §11 keys, plus projects)")
    p.add_argument("--simulate", action="store_true", help="Monte Carlo of the whole platform")
    add_sampling_options(p)
    p.add_argument("--replicates", type=int, help="independent randomisations for standard errors "
                                                 "(default 16 for lhs/sobol)")
    p.add_argument("--chunk", type=int, help="paths per chunk (memory; default 16,384); results do not depend on it")
    p.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                   help="run the chunks on this Dask scheduler (pip install -e \".[dask]\"); same numbers")
    p.add_argument("--progress", dest="progress", action="store_true", default=None,
                   help="show a progress bar (default: when stderr is a terminal)")
    p.add_argument("--no-progress", dest="progress", action="store_false")
    add_strict_option(p)
    p.set_defaults(func=cmd_portfolio)
