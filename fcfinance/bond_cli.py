"""``fcfinance bond`` and ``fcfinance stress``: the self-balance table and the stress cases (METHOD §13)."""

from __future__ import annotations

import argparse

from ._version import __version__
from .bond import COLUMNS, BondTable, require_bonds
from .formatting import format_value
from .names import METRICS
from .result import json_text
from .stress_cases import StressResult, run_stress
from .textable import render


def _cell(key: str, value: float) -> str:
    return format_value(float(value), "ratio" if key == "coverage" else "万元")


def _head(result_scenario, title: str) -> list[str]:
    s = result_scenario
    return [f"{s.name} — {title}", f"{s.path} · sha256 {s.sha256[:12]} · fcfinance {__version__}", ""]


def bond_text(table: BondTable) -> str:
    """The readable table, life coverage, verdict and stress cases printed by ``fcfinance bond``."""
    out = _head(table.scenario, "专项债项目收益与融资自求平衡表 special-bond self-balance")
    header = ["年度 year"] + [f"{zh}" for _, zh, _ in COLUMNS]
    rows = [[str(year)] + [_cell(key, table.rows[key][i]) for key, _, _ in COLUMNS]
            for i, year in enumerate(table.years)]
    total = ["合计 total"] + [("" if key in ("coverage", "reserve") else _cell(key, table.rows[key].sum()))
                            for key, _, _ in COLUMNS]
    out += ["单位：万元（覆盖倍数除外） money in 万元 except coverage; "
            + " · ".join(f"{zh} = {en}" for _, zh, en in COLUMNS), render(header, rows + [total]), ""]
    short = table.first_shortfall_year
    out += [f"存续期本息覆盖倍数 life coverage: {format_value(table.coverage_life, 'ratio')} "
            f"(要求 threshold ≥ {table.threshold:g})",
            f"首个资金缺口年度 first shortfall year: {short if short is not None else '无 none'}",
            f"结论：{table.verdict('zh')}", f"Verdict: {table.verdict('en')}", ""]
    rows = [[case["id"], case["name"], format_value(case["coverage_life"], "ratio"),
             str(case["first_shortfall_year"] or "—"), "通过 pass" if case["passes"] else "不通过 fail"]
            for case in table.stress]
    out += ["压力测试 stress cases",
            render(["id", "情形 case", "覆盖倍数 coverage", "缺口年度 shortfall", "结果 result"], rows,
                   [False, False, True, True, False])]
    return "\n".join(out)


def stress_text(result: StressResult) -> str:
    """Every §8 metric under each case, base first, printed by ``fcfinance stress``."""
    out = _head(result.scenario, "压力测试 stress cases")
    header = ["指标 metric"] + [case.id for case in result.cases]
    rows = []
    for spec in METRICS:
        if spec.key not in result.metrics[0]:
            continue
        rows.append([f"{spec.zh} {spec.en}"] + [format_value(m[spec.key], spec.unit) for m in result.metrics])
    out += ["  ".join(f"{case.id} = {case.name()}" for case in result.cases),
            "单位：万元（比率、年限除外） money in 万元 except ratios, rates and years",
            render(header, rows)]
    pushed = [case.id for case, c in zip(result.cases, result.clipped) if c]
    if pushed:
        out += ["", "flows pushed past the horizon were booked in its last month in: " + ", ".join(pushed)]
    return "\n".join(out)


def cmd_bond(args: argparse.Namespace) -> int:
    from .scenario import load

    scenario = load(args.file)
    require_bonds(scenario)
    table = run_stress(scenario, args.threshold).bond_table()
    if args.json:
        print(json_text(table.to_dict()))
    else:
        print(bond_text(table))
    return 0


def cmd_stress(args: argparse.Namespace) -> int:
    from .scenario import load

    result = run_stress(load(args.file))
    if args.json:
        print(json_text(result.to_dict()))
    else:
        print(stress_text(result))
    return 0


def _positive(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"expected a coverage ratio above 0, got {text}")
    return value


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``bond`` and ``stress`` to the ``fcfinance`` command line."""
    p = sub.add_parser("bond", help="special-bond self-balance table and stress cases (METHOD §13)")
    p.add_argument("file", help="scenario YAML file (with financing.bonds)")
    p.add_argument("--json", action="store_true", help="print the table, verdict and stress cases as JSON")
    p.add_argument("--threshold", type=_positive, default=None,
                   help="life coverage required (default: financing.coverage.threshold, else 1.2)")
    p.set_defaults(func=cmd_bond)

    p = sub.add_parser("stress", help="every metric under each stress case beside the base case (METHOD §13)")
    p.add_argument("file", help="scenario YAML file")
    p.add_argument("--json", action="store_true", help='print {"cases": [{id, name, metrics}]}')
    p.set_defaults(func=cmd_stress)
