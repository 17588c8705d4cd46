"""``fcfinance diff`` and ``fcfinance fmt``: reviewing a variant from the command line."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ..cliopts import message_lang
from ..errors import ScenarioError, UsageError
from ..formatting import display_unit, format_value, wan
from ..names import METRICS
from ..result import json_text
from ..textable import render
from .diff import Diff

WIDTH = 48
"""Characters of a changed section or item shown in the text output (the JSON has all)."""
NOTES = 3
"""Notes shown per attribution step in the text output (the JSON has all)."""


def show(value: Any, width: int = WIDTH) -> str:
    """An input value for the text output: numbers with thousands separators, absent as ``—``."""
    if value is None:
        return "—"
    if isinstance(value, bool) or isinstance(value, str):
        return str(value)
    if isinstance(value, (int, float)):
        return f"{value:,.10g}"
    text = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    return text if len(text) <= width else text[:width - 1] + "…"


def diff_text(d: Diff) -> str:
    """The readable report printed by ``fcfinance diff``."""
    sa, sb = d.a.scenario, d.b.scenario
    from .._version import __version__

    out = [f"A  {sa.path} · sha256 {sa.sha256[:12]} · {sa.name}",
           f"B  {sb.path} · sha256 {sb.sha256[:12]} · {sb.name}",
           f"fcfinance {__version__}", ""]
    if d.empty:
        out.append("没有变更 no input changed: A and B have the same inputs (item order aside)")
    else:
        rows = [[c.path, show(c.old), show(c.new), c.unit or ("(" + c.kind + ")" if c.item else "")]
                for c in d.change_list]
        out += [f"变更的输入 changed inputs ({len(rows)}; A → B, in the order they appear in B)",
                render(["字段 path", "A", "B", "单位 unit"], rows, [False, False, False, False])]
    rows = []
    for spec in METRICS:
        row = d.metrics.loc[spec.key]
        rows.append([f"{spec.zh} {spec.en}", format_value(row["a"], spec.unit), format_value(row["b"], spec.unit),
                     format_value(row["delta"], spec.unit, signed=True), display_unit(spec.unit)])
    out += ["", "指标 metrics", render(["指标 metric", "A", "B", "差额 B − A", "单位 unit"], rows,
                                       [False, True, True, True, False])]
    if d.contributions:
        rows = [[str(i), c.step.label, wan(c.net_balance_delta, 2, signed=True), wan(c.npv_delta, 2, signed=True)]
                for i, c in enumerate(d.contributions, start=1)]
        total_nb = sum(c.net_balance_delta for c in d.contributions)
        total_npv = sum(c.npv_delta for c in d.contributions)
        rows.append(["", "合计 total", wan(total_nb, 2, signed=True), wan(total_npv, 2, signed=True)])
        out += ["", "归因 attribution of the change, 万元 (changes applied from A towards B one step at a "
                    "time, in the order they appear in B)",
                render(["步骤 step", "变更 change", "资金结余 Δ net balance", "净现值 Δ NPV"], rows,
                       [True, False, True, True])]
        notes = []
        for i, c in enumerate(d.contributions, start=1):
            notes += [f"  step {i}: {n}" for n in c.step.notes[:NOTES]]
            if len(c.step.notes) > NOTES:
                notes.append(f"  step {i}: … {len(c.step.notes) - NOTES} more (see --json)")
        if notes:
            out += ["", "注 changes applied together:"] + notes
    return "\n".join(out)


def cmd_diff(args: argparse.Namespace) -> int:
    from .diff import diff

    d = diff(args.a, args.b)
    if args.bridge:
        from .bridge import save_bridge

        save_bridge(d, args.bridge, lang=getattr(args, "lang", None) or "zh")
    if args.json:
        print(json_text(d.to_dict()))
    else:
        print(diff_text(d))
        if args.bridge:
            print(f"\nbridge: {args.bridge}")
    return 0


def cmd_fmt(args: argparse.Namespace) -> int:
    from .fmt import FormatError, format_file

    status, changed, same = 0, 0, 0
    for path in args.files:
        try:
            result = format_file(path, write=not args.check)
        except ScenarioError as exc:
            print(exc.render(message_lang(args)), file=sys.stderr)
            status = 2
            continue
        except UsageError as exc:
            print(str(exc), file=sys.stderr)
            status = 2
            continue
        except (FormatError, OSError) as exc:
            print(exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc), file=sys.stderr)
            status = max(status, 1)
            continue
        if result.changed:
            changed += 1
            print(f"would reformat {path}" if args.check else f"reformatted {path}")
        else:
            same += 1
    verb = "would be reformatted" if args.check else "reformatted"
    print(f"{changed} file{'s' if changed != 1 else ''} {verb}, {same} unchanged", file=sys.stderr)
    if args.check and changed:
        status = max(status, 1)
    return status


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``diff`` and ``fmt`` to the ``fcfinance`` command line."""
    p = sub.add_parser("diff", help="compare two scenarios: changed inputs, metrics, attribution of the change")
    p.add_argument("a", help="base scenario YAML file (A)")
    p.add_argument("b", help="variant scenario YAML file (B)")
    p.add_argument("--json", action="store_true", help="print changes, metrics and attribution as JSON")
    p.add_argument("--bridge", metavar="PNG", help="draw the attribution as a waterfall from A's net balance to B's")
    p.add_argument("--lang", choices=["zh", "en"], default="zh",
                   help="language of the bridge's labels (default zh: fields by their Chinese names)")
    p.set_defaults(func=cmd_diff)

    p = sub.add_parser("fmt", help="rewrite scenario files in the canonical layout (comments kept)")
    p.add_argument("files", nargs="+", help="scenario YAML files")
    p.add_argument("--check", action="store_true",
                   help="write nothing; exit 1 listing the files that would change")
    p.set_defaults(func=cmd_fmt)
