"""The hearing pack: charts with Chinese labels, an Excel workbook, a one-page summary.

Notebook use::

    import fcfinance as fc
    from fcfinance import report

    scenario = fc.load("scenarios/ouhai-lvjiaan.yaml")
    fig = report.funding_balance(fc.run(scenario))          # 资金平衡图, a matplotlib Figure
    fig.savefig("资金平衡图.png", dpi=300)
    report.net_balance_distribution(fc.simulate(scenario, paths=10_000, seed=1), lang="en")
    report.write_report(scenario, "pack/", paths=10_000, seed=1)   # what ``fcfinance report`` does

The names below are loaded on first use: the first chart, workbook or pack
imports matplotlib, picks a CJK font (:mod:`fcfinance.report.fonts`) and
registers it with matplotlib's font manager, so that ``fcfinance`` commands
that draw nothing do not pay for it.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "funding_balance": "charts", "sources_and_uses": "charts", "cumulative_fan": "charts",
    "net_balance_distribution": "charts", "risk_ranking": "charts", "land_premium": "charts",
    "relocation_costs": "charts", "CHARTS": "charts",
    "write_workbook": "workbook", "write_report": "pack", "write_summary": "pack",
    "setup_fonts": "fonts", "save_figure": "style", "house_style": "style",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'fcfinance.report' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
