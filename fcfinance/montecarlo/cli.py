"""``fcfinance simulate``: the Monte Carlo run from the command line."""

from __future__ import annotations

import argparse
import sys

from ..cliopts import add_strict_option, checked_warnings
from ..formatting import percent, probability, wan
from ..names import METRIC_BY_KEY
from ..options import integer, positive_number
from ..result import json_text
from ..textable import render
from ..verdict import verdict_lines
from .chunks import CHUNK
from .probability import format_probability


def _money(x: float) -> str:
    return wan(x)


def summary_text(result, summary: dict) -> str:
    """The readable summary printed by ``fcfinance simulate``."""
    s = result.scenario
    out = [f"{s.name} — 蒙特卡洛模拟 Monte Carlo",
           f"{s.path} · sha256 {s.sha256[:12]} · fcfinance {summary['fcfinance_version']} · "
           f"{summary['paths']:,} paths · {summary['sampling']} · seed {summary['seed']}"
           + (f" · {summary['replicates']} replicates" if summary["sampling"] != "random" else ""),
           "",
           f"资金平衡概率 P(balanced) = P(net balance ≥ 0) = {format_probability(summary, 'p_balanced')} "
           "(± one standard error)",
           f"净现值非负概率 P(NPV ≥ 0) = {format_probability(summary, 'p_npv_nonnegative')}",
           f"期末余额非负概率 P(ending balance ≥ 0) = {format_probability(summary, 'p_ending_nonnegative')}",
           f"预期缺口 expected shortfall E[−net balance | net balance < 0] = "
           f"{_money(summary['expected_shortfall'])} 万元",
           "",
           "结论 verdict:"]
    if result.base_metrics:
        out += [f"  {line}" for lang in ("zh", "en") for line in verdict_lines(result.base_metrics, summary, lang)]
    out.append("")
    rows = []
    for key in ("net_balance", "npv", "peak_funding_need", "ending_balance"):
        spec = METRIC_BY_KEY[key]
        rows.append([f"{spec.zh} {spec.en}", _money(result.base_metrics.get(key)),
                     _money(summary[f"{key}_mean"])]
                    + [_money(summary[f"{key}_p{q}"]) for q in (5, 10, 50, 90, 95)])
    out.append(render(["万元", "base", "mean", "P5", "P10", "P50", "P90", "P95"], rows))
    if "irr_defined_share" in summary:  # --irr
        qs = (5, 10, 50, 90, 95)
        spec = METRIC_BY_KEY["irr"]

        def pct(x: float | None) -> str:
            return "—" if x is None or x != x else f"{x:.2%}"

        out += ["", render(["", "base"] + [f"P{q}" for q in qs] + ["defined"],
                           [[f"{spec.zh} {spec.en}", pct(result.base_metrics.get("irr"))]
                            + [pct(summary[f"irr_p{q}"]) for q in qs]
                            + [f"{summary['irr_defined_share']:.1%} of paths"]])]
    sens = result.sensitivity()
    tornado = result.tornado()
    valid = result.contribution_is_valid
    rows = []
    for risk, row in sens.iterrows():
        t = tornado.loc[risk]
        rho, share, partial = row["rank_correlation"], row["contribution_to_variance"], row["partial_rank_correlation"]
        rows.append([risk, "—" if partial != partial else f"{partial:+.3f}", "—" if rho != rho else f"{rho:+.3f}"]
                    + ([("—" if share != share else percent(share, 1))] if valid else [])
                    + [_money(t["net_balance_at_p10"]), _money(t["net_balance_at_p90"]), _money(t["swing"])])
    out += ["", "风险因素排序 risks ranked by |partial rank correlation| with net balance "
                "(partial: rank correlation with the other risks held fixed, valid when risks are correlated; "
                "tornado: one-at-a-time, each risk at P10/P90, others at base)",
            render(["risk", "partial", "rank corr"] + (["contrib."] if valid else [])
                   + ["NB @P10", "NB @P90", "swing"], rows)]
    if not valid:
        out.append("  (contribution to variance not shown: it holds only for independent risks, and this "
                   "scenario correlates some; it stays in --json)")
    if result.scenario.model.correlations:
        ac = result.achieved_correlations()
        out += ["", "相关性 rank correlations (Spearman, mid-ranks)",
                render(["risk a", "risk b", "target", "achieved"],
                       [[r.risk_a, r.risk_b, f"{r.target:+.3f}", f"{r.achieved:+.3f}"] for r in ac.itertuples()])]
    if result.sobol_table is not None:
        out += ["", "Sobol' indices of net balance (risks treated as independent)",
                render(["risk", "first order", "total"],
                       [[k, f"{r.first_order:.3f}", f"{r.total_order:.3f}"]
                        for k, r in result.sobol_table.iterrows()])]
    if summary["notes"]:
        out += ["", "注 notes:"] + [f"  - {n}" for n in summary["notes"]]
    return "\n".join(out)


def cmd_simulate(args: argparse.Namespace) -> int:
    from ..scenario import load
    from .simulate import default_workers, simulate
    from .sobol import sobol_first_order

    scenario = load(args.file)
    warnings = checked_warnings(scenario, args, show=not args.json)
    progress = args.progress if args.progress is not None else sys.stderr.isatty()

    def stage(paths: int, p: float, se: float) -> None:
        if args.target_se is not None and progress:
            print(f"  {paths:,} paths: P(balanced) = {probability(p, se)}", file=sys.stderr)

    result = simulate(scenario, paths=args.paths, seed=args.seed, sampling=args.sampling,
                      replicates=args.replicates, irr=args.irr, chunk=args.chunk,
                      workers=args.workers or default_workers(), threads=args.threads,
                      target_se=args.target_se,
                      max_paths=args.max_paths, progress=progress, on_stage=stage)
    if args.sobol_indices:
        result.sobol_table = sobol_first_order(scenario, args.sobol_indices, result.seed)
    summary = result.to_dict()
    if args.irr:
        irr = result.path_metrics["irr"]
        finite = irr[~(irr != irr)]
        summary["irr_defined_share"] = float(finite.size / irr.size)
        for q in (5, 10, 50, 90, 95):
            summary[f"irr_p{q}"] = float(__import__("numpy").percentile(finite, q)) if finite.size else None
    summary["warnings"] = warnings
    if args.json:
        print(json_text(summary))
    else:
        print(summary_text(result, summary))
    return 0


def add_sampling_options(p: argparse.ArgumentParser) -> None:
    """``--paths``, ``--seed``, ``--sampling``, ``--workers``, ``--threads``: shared by ``simulate`` and ``report``."""
    p.add_argument("--paths", type=integer(1), help="Monte Carlo paths (default: the file's simulation.paths)")
    p.add_argument("--seed", type=integer(0), help="seed (default: the file's simulation.seed)")
    p.add_argument("--sampling", choices=["random", "lhs", "sobol"], help="sampling method (default: the file's)")
    p.add_argument("--workers", type=integer(0), default=1, help="worker processes (0: one per core); "
                                                          "results do not depend on it")
    p.add_argument("--threads", type=integer(1), help="threads evaluating chunks in this process (default: one "
                                               "per core, at most 4); results do not depend on it")


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``simulate`` to the command line."""
    p = sub.add_parser("simulate", help="Monte Carlo: P(balanced), percentiles, risks ranked")
    p.add_argument("file", help="scenario YAML file")
    add_sampling_options(p)
    p.add_argument("--replicates", type=integer(2), help="independent randomisations for standard errors "
                                                 "(default 16 for lhs/sobol)")
    p.add_argument("--target-se", type=positive_number(), help="double the paths until the standard error of "
                                                   "P(balanced) is at most this")
    p.add_argument("--max-paths", type=integer(1), help="upper bound on paths for --target-se (default: none)")
    p.add_argument("--chunk", type=integer(1), default=CHUNK, help="paths per engine call (memory); "
                                                           "results do not depend on it")
    p.add_argument("--irr", action="store_true", help="also compute each path's IRR (slower)")
    p.add_argument("--sobol-indices", type=integer(0), metavar="N", default=0,
                   help="also estimate first-order Sobol' indices with base sample N")
    p.add_argument("--progress", dest="progress", action="store_true", default=None,
                   help="show a progress bar (default: when stderr is a terminal)")
    p.add_argument("--no-progress", dest="progress", action="store_false")
    p.add_argument("--json", action="store_true", help="print the JSON of METHOD §11")
    add_strict_option(p)
    p.set_defaults(func=cmd_simulate)
