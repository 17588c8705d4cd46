"""The ``fcfinance`` command line.

Exit status: 0 on success, 2 when a scenario fails validation or an option or
output cannot be honoured (the problems on stderr, nothing computed or
written; see docs/safety.md), 1 on any other error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from ._version import __version__
from .cliopts import add_lang_option, add_strict_option, checked_warnings, message_lang
from .errors import ScenarioError, UsageError
from .formatting import display_unit, format_value, wan
from .names import METRICS
from .result import RunResult, json_text
from .scenario.source import use_root
from .textable import render
from .verdict import verdict_lines

# groups of lines shown in the yearly summary: (label, line keys)
SUMMARY_GROUPS = [
    ("收入合计 inflows", ["land_premium", "resident_purchases", "operating_revenue", "grants"]),
    ("征收补偿 acquisition", ["cash_compensation", "signing_rewards", "moving_allowance",
                           "transition_allowance", "demolition_works"]),
    ("房票 vouchers", ["voucher_redemption", "voucher_expiry", "voucher_return_discount"]),
    ("安置房 resettlement", ["resettlement_construction"]),
    ("配套工程 works", ["public_works", "soft_costs", "contingency"]),
    ("运营成本 operating", ["operating_costs"]),
    ("融资 financing", ["bond_proceeds", "bond_interest", "bond_principal", "gap_interest",
                      "deposit_interest"]),
]


def summary_text(result: RunResult) -> str:
    """The readable summary printed by ``fcfinance run``."""
    s = result.scenario
    out = [s.name, f"{s.path} · sha256 {s.sha256[:12]} · fcfinance {__version__}", ""]
    rows = []
    for spec in METRICS:
        value = result.metrics[spec.key]
        rows.append([f"{spec.zh} {spec.en}", format_value(value, spec.unit), display_unit(spec.unit)])
    out.append(render(["指标 metric", "数值 value", "单位 unit"], rows, [False, True, False]))
    if result.irr_note:
        out.append(f"内部收益率 IRR: {result.irr_note}")
    out += ["", "结论 verdict:"] + [f"  {line}" for line in verdict_lines(result.metrics, lang="zh")]
    out += [f"  {line}" for line in verdict_lines(result.metrics, lang="en")]
    years, columns = result.yearly()  # numpy only: `run` does not load pandas
    header = ["年度 year"] + [g for g, _ in SUMMARY_GROUPS] + ["净现金流 net", "累计 cumulative"]
    table = []
    for i, year in enumerate(years):
        cells = [year] + [wan(sum(columns[k][i] for k in keys)) for _, keys in SUMMARY_GROUPS]
        cells += [wan(columns["project_net"][i]), wan(columns["cumulative_net"][i])]
        table.append(cells)
    out += ["", "主要现金流（分年度，万元；流入为正、流出为负）main lines by calendar year, 万元",
            render(header, table)]
    return "\n".join(out)


def cmd_run(args: argparse.Namespace) -> int:
    from .result import run
    from .scenario import load

    scenario = load(args.file)
    warnings = checked_warnings(scenario, args, show=not args.json)
    result = run(scenario)
    if args.json:
        print(json_text({**result.to_dict(), "warnings": warnings}))
    else:
        print(summary_text(result))
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from .portfolio.load import is_portfolio_file, load_portfolio
    from .scenario import load

    failed = 0
    for path in args.files:
        try:
            scenario = load_portfolio(path) if is_portfolio_file(path) else load(path)
            warnings = checked_warnings(scenario, args)
        except ScenarioError as exc:
            print(exc.render(message_lang(args)), file=sys.stderr)
            failed += 1
        else:
            print(f"{path}: ok ({scenario.name}; sha256 {scenario.sha256[:12]})"
                  + (f"; {len(warnings)} warning{'s' if len(warnings) != 1 else ''}" if warnings else ""))
    return 2 if failed else 0


def cmd_schema(args: argparse.Namespace) -> int:
    from .scenario.reference import format_reference

    print(format_reference(), end="")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fcfinance",
        description="Funding balance (资金平衡) of Future Community (未来社区) projects.")
    parser.add_argument("--version", action="version", version=f"fcfinance {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("run", help="the base case: metrics and lines (METHOD §8, §11)")
    p.add_argument("file", help="scenario YAML file")
    p.add_argument("--json", action="store_true", help="print the JSON of METHOD §11")
    add_strict_option(p)
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("validate", help="check scenario files without computing")
    p.add_argument("files", nargs="+", help="scenario YAML files")
    add_strict_option(p)
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("schema", help="print the scenario format reference (Markdown)")
    p.set_defaults(func=cmd_schema)

    for register in _extra_commands():
        register(sub)
    root_help = ("folder that `extends` may reach (default: the nearest folder above the scenario holding "
                 ".git, models/ or scenarios/; or $FCFINANCE_ROOT)")
    parser.add_argument("--root", metavar="DIR", help=root_help)
    for command in sub.choices.values():  # every command, wherever registered
        add_lang_option(command)
        command.add_argument("--root", metavar="DIR", default=argparse.SUPPRESS, help=root_help)
    return parser


def _extra_commands() -> list[Callable[[argparse._SubParsersAction], None]]:
    """Registration functions of the subcommands that live beside their domain code."""
    from .bond_cli import register as bond
    from .decisions_cli import register as decisions
    from .montecarlo.cli import register as simulate
    from .portfolio.cli import register as portfolio
    from .report.cli import register as report
    from .review.cli import register as review

    return [simulate, review, report, bond, decisions, portfolio]


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``fcfinance`` command."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        with use_root(args.root):
            return args.func(args)
    except ScenarioError as exc:
        print(exc.render(message_lang(args)), file=sys.stderr)
        return 2
    except UsageError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into head and the like
        sys.stderr.close()
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
