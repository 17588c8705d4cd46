"""``fcfinance solve``, ``fcfinance sweep`` and ``fcfinance compare`` (METHOD §15)."""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

from .errors import Problem, ScenarioError
from .formatting import format_value
from .names import METRICS
from .result import json_text
from .textable import render


def _range(text: str | None) -> tuple[float, float] | None:
    if text is None:
        return None
    parts = text.split(":")
    try:
        if len(parts) != 2:
            raise ValueError
        return float(parts[0]), float(parts[1])
    except ValueError:
        raise ScenarioError([Problem("command line", None, "--range", f"{text!r}: expected LO:HI, e.g. 0.5:2")]) \
            from None


def _check_outputs(*options: tuple[str, str | None]) -> None:
    """Output files must be writable where asked, checked before anything is computed."""
    problems = []
    for option, path in options:
        if path is None:
            continue
        target = Path(path)
        if target.is_dir():
            problems.append(Problem("command line", None, option, f"{path} is a folder; expected a file name"))
        elif not (target.parent if str(target.parent) else Path(".")).is_dir():
            problems.append(Problem("command line", None, option, f"the folder of {path} does not exist"))
    if problems:
        raise ScenarioError(problems)


def _print_json(data: dict) -> None:
    print(json_text(data))


def _tell(args: argparse.Namespace, text: str) -> None:
    """A side note: on stderr when stdout carries JSON."""
    print(text, file=sys.stderr if args.json else sys.stdout)


def cmd_solve(args: argparse.Namespace) -> int:
    from .decisions import decided_changes, variant_text, write_atomic
    from .scenario import load
    from .scenario import load as load_text
    from .solver import solve

    _check_outputs(("--write", args.write))
    scenario = load(args.file)
    result = solve(scenario, vary=args.vary, target=args.target, by=args.by, range=_range(args.range),
                   paths=args.paths, seed=args.seed, sampling=args.sampling, threads=args.threads)
    text = None
    if args.write:
        out = Path(args.write)
        changes = decided_changes(scenario, [result.decision], [result.value])
        text = variant_text(scenario, changes, out, result.how())
        load_text(out, text=text)  # the variant must load before it is written
    if args.json:
        _print_json(result.to_dict())
    else:
        print(result.text())
    if text is not None:
        write_atomic(args.write, text)
        _tell(args, f"variant written: {args.write} (extends {args.file}; `fcfinance diff {args.file} "
                    f"{args.write}` shows the change)")
    return 0


def _cell(value: float, measure) -> str:
    if not math.isfinite(value):
        return "—"
    if measure.kind == "probability":
        return f"{value:.4f}"
    return format_value(value, measure.unit)


def sweep_text(sw) -> str:
    """The table printed by ``fcfinance sweep`` (rows y, columns x)."""
    m = sw.measure
    out = [sw.scenario.name, f"{sw.scenario.path} · sha256 {sw.scenario.sha256[:12]}", ""]
    unit = " (万元)" if m.unit == "万元" else ""
    head = f"模拟运算 sweep: {m.text}{unit}; x = {sw.x.decision.path} (--by {sw.x.decision.mode})"
    if sw.y is not None:
        head += f"; y = {sw.y.decision.path} (--by {sw.y.decision.mode})"
    out.append(head)
    if sw.paths is not None:
        out.append(f"Monte Carlo: {sw.paths:,} paths, seed {sw.seed}, {sw.sampling}; the same sampled risks in "
                   "every cell (common random numbers)")
    if sw.y is None:
        rows = [[f"{x:g}", _cell(v, m)] + ([f"{s:.4g}"] if sw.se is not None else [])
                for x, v, s in zip(sw.x.values, sw.values, sw.se if sw.se is not None else sw.values)]
        header = ["x", m.text] + (["SE"] if sw.se is not None else [])
        out.append(render(header, rows, [True] * len(header)))
    else:
        header = ["y \\ x"] + [f"{x:g}" for x in sw.x.values]
        rows = [[f"{y:g}"] + [_cell(v, m) for v in row] for y, row in zip(sw.y.values, sw.values)]
        out.append(render(header, rows, [True] * len(header)))
    out.append(f"{sw.values.size:,} cells in {sw.engine_calls} engine calls")
    out += [f"note: {n}" for n in sw.notes]
    return "\n".join(out)


def write_sweep_workbook(sw, path: str | Path, lang: str = "zh", date: str | None = None) -> Path:
    """The sweep as an Excel table (rows y, columns x), with title and provenance rows; written atomically."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from .decisions import atomic_target
    from .report.labels import tr
    from .report.style import provenance, provenance_text

    prov = provenance(sw.scenario, date=date, simulation=sw if sw.paths is not None else None)
    wb = Workbook()
    sheets = [(tr(lang, "模拟运算", "sweep"), sw.values)]
    if sw.se is not None:
        sheets.append((tr(lang, "标准误", "standard_error"), sw.se))
    for i, (name, values) in enumerate(sheets):
        ws = wb.active if i == 0 else wb.create_sheet()
        ws.title = name
        ws.append([f"{sw.measure.label(lang)} — {sw.scenario.name}"])
        ws["A1"].font = Font(bold=True, size=13)
        ws.append([provenance_text(prov, lang)])
        ws.append([tr(lang, "横轴 x", "x") + f": {sw.x.decision.label(lang)}"]
                  + ([tr(lang, "纵轴 y", "y") + f": {sw.y.decision.label(lang)}"] if sw.y is not None else []))
        ws.append([])
        if sw.y is None:
            ws.append([sw.x.decision.path, sw.measure.text + (" (万元)" if sw.measure.unit == "万元" else "")])
            for x, v in zip(sw.x.values, values):
                ws.append([float(x), float(v) if math.isfinite(v) else None])
        else:
            ws.append([f"{sw.y.decision.path} \\ {sw.x.decision.path}"] + [float(x) for x in sw.x.values])
            for y, row in zip(sw.y.values, values):
                ws.append([float(y)] + [float(v) if math.isfinite(v) else None for v in row])
        for cell in ws[5]:
            cell.font = Font(bold=True)
    with atomic_target(path) as tmp:
        wb.save(tmp)
    return Path(path)


def _save_chart(fig, path: str, title: str) -> None:
    from .decisions import atomic_target
    from .report.style import save_figure

    with atomic_target(path) as tmp:
        save_figure(fig, tmp, title)


def cmd_sweep(args: argparse.Namespace) -> int:
    from .report.labels import check_lang
    from .scenario import load
    from .sweeps import compute_sweep

    check_lang(args.lang)
    _check_outputs(("--chart", args.chart), ("--xlsx", args.xlsx))
    scenario = load(args.file)
    sw = compute_sweep(scenario, x=args.x, y=args.y, metric=args.metric, by=args.by, by_y=args.by_y, paths=args.paths,
               seed=args.seed, sampling=args.sampling, threads=args.threads)
    if args.json:
        _print_json(sw.to_dict())
    else:
        print(sweep_text(sw))
    if args.chart:
        _save_chart(sw.plot(lang=args.lang), args.chart, f"sweep {sw.measure.text}")
        _tell(args, f"chart: {args.chart}")
    if args.xlsx:
        write_sweep_workbook(sw, args.xlsx, lang=args.lang)
        _tell(args, f"workbook: {args.xlsx}")
    return 0


def compare_text(c) -> str:
    """The side-by-side table printed by ``fcfinance compare``."""
    from .comparison import SIMULATE_KEYS

    vs = c.variants
    out = [f"方案比较 compare: {len(vs)} variants (differences to 1)"]
    out += [f"  {i + 1}. {v.file} · {v.scenario.name} · sha256 {v.scenario.sha256[:12]}" for i, v in enumerate(vs)]
    header = ["指标 metric"] + [str(i + 1) for i in range(len(vs))] + [f"{i + 1} − 1" for i in range(1, len(vs))]
    rows = []
    specs = [(m.key, f"{m.zh} {m.key}", m.unit) for m in METRICS]
    if c.paths is not None:
        specs += [(k, k, "probability" if k.startswith("p_") else "count" if k == "paths" else "万元")
                  for k in SIMULATE_KEYS]
    for key, name, unit in specs:
        values = [v.metrics.get(key) for v in vs]

        def show(x, signed=False, unit=unit):
            if unit == "probability":
                return "—" if x is None else f"{x:{'+' if signed else ''}.4f}"
            if unit == "count":
                return "—" if x is None else f"{x:,.0f}"
            return format_value(x, unit, signed=signed)
        diffs = []
        for x in values[1:]:
            ok = isinstance(x, (int, float)) and isinstance(values[0], (int, float))
            diffs.append(show(x - values[0], True) if ok and unit != "month" else "")
        rows.append([name] + [show(x) for x in values] + diffs)
    out.append(render(header, rows, [False] + [True] * (len(header) - 1)))
    out += [f"note: {n}" for n in c.notes]
    return "\n".join(out)


def cmd_compare(args: argparse.Namespace) -> int:
    from .comparison import compare
    from .report.labels import check_lang

    check_lang(args.lang)
    _check_outputs(("--chart", args.chart))
    c = compare(args.files, paths=args.paths, seed=args.seed, sampling=args.sampling, threads=args.threads)
    if args.json:
        _print_json(c.to_dict())
    else:
        print(compare_text(c))
    if args.chart:
        _save_chart(c.plot(lang=args.lang), args.chart, "compare")
        _tell(args, f"chart: {args.chart}")
    return 0


def _mc_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--paths", type=int, help="Monte Carlo paths for probability and percentile targets "
                                             "(default: the file's simulation.paths)")
    p.add_argument("--seed", type=int, help="seed (default: the file's simulation.seed)")
    p.add_argument("--sampling", choices=["random", "lhs", "sobol"], help="sampling method (default: the file's)")
    p.add_argument("--threads", type=int, help="threads for chunks of paths; results do not depend on it")


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``solve``, ``sweep`` and ``compare`` to the ``fcfinance`` command line."""
    p = sub.add_parser("solve", help="反算: the decision value at which a metric meets a target (METHOD §15)")
    p.add_argument("file", help="scenario YAML file")
    p.add_argument("--vary", required=True, metavar="PATH",
                   help="a scenario path as a risk target, e.g. land.parcels.*.floor_price_yuan_m2")
    p.add_argument("--by", choices=["scale", "set", "shift"], default="scale",
                   help="scale: × x (default); set: = x; shift: + x whole months")
    p.add_argument("--target", required=True, metavar="METRIC=VALUE",
                   help="a §8 metric (money in 万元), p_balanced / p_npv_nonnegative / p_ending_nonnegative, "
                        "or METRIC:pNN, e.g. net_balance=0, p_balanced=0.8, net_balance:p10=0")
    p.add_argument("--range", metavar="LO:HI", help="search range of x (default 0.5:2 for scale; required "
                                                     "for set and shift)")
    _mc_options(p)
    p.add_argument("--json", action="store_true",
                   help='print {"value", "metric", "target", "achieved", "evaluations", "interval"}')
    p.add_argument("--write", metavar="OUT.yaml", help="write a review variant (extends FILE, only the "
                                                       "changed fields)")
    p.set_defaults(func=cmd_solve)

    p = sub.add_parser("sweep", help="模拟运算表: a metric over a grid of one or two decisions (METHOD §15)")
    p.add_argument("file", help="scenario YAML file")
    p.add_argument("--x", required=True, metavar="PATH=LO:HI:N", help="first decision and its N values")
    p.add_argument("--y", metavar="PATH=LO:HI:N", help="second decision (two-way table)")
    p.add_argument("--by", choices=["scale", "set", "shift"], default="scale", help="mode of the decisions")
    p.add_argument("--by-y", choices=["scale", "set", "shift"], help="mode of the y decision (default: --by)")
    p.add_argument("--metric", required=True, help="a §8 metric, p_balanced etc., or METRIC:pNN")
    _mc_options(p)
    p.add_argument("--json", action="store_true", help='print {"x", "y", "metric", "values"}')
    p.add_argument("--chart", metavar="OUT.png", help="line chart or heatmap with the balance contour")
    p.add_argument("--xlsx", metavar="OUT.xlsx", help="the table as an Excel workbook")
    p.add_argument("--lang", choices=["zh", "en"], default="zh", help="language of the chart and workbook")
    p.set_defaults(func=cmd_sweep)

    p = sub.add_parser("compare", help="several variants side by side: every metric, differences to the first")
    p.add_argument("files", nargs="+", help="scenario YAML files (the first is the reference)")
    _mc_options(p)
    p.add_argument("--json", action="store_true", help='print {"variants": [{"file", "name", "sha256", "metrics"}]}')
    p.add_argument("--chart", metavar="OUT.png", help="net balance (and P(balanced)) of each variant")
    p.add_argument("--lang", choices=["zh", "en"], default="zh", help="language of the chart")
    p.set_defaults(func=cmd_compare)
