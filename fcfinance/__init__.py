"""fcfinance — funding balance (资金平衡) of Zhejiang Future Community (未来社区) projects.

Notebook use::

    import fcfinance as fc
    scenario = fc.load("scenarios/ouhai-lvjiaan.yaml")
    result = fc.run(scenario)
    result.metrics_table()      # METHOD §8 metrics with Chinese names and units
    result.cashflows            # every line by reporting period, 万元
"""

from ._version import __version__  # noqa: E402,F401
from .errors import ScenarioError  # noqa: E402

_LAZY = {"load": "api", "loads": "scenario", "load_portfolio": "api", "run": "api", "simulate": "api", "diff": "api",
         "bond_table": "stress_cases", "stress": "stress_cases",
         "solve": "solver", "sweep": "sweeps", "compare": "comparison"}


def __getattr__(name: str):
    """The public functions (:mod:`fcfinance.api`, :mod:`fcfinance.stress_cases`, ``solve``,
    ``sweep``, ``compare``), imported on first use, so that ``import fcfinance`` and the command line start fast."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'fcfinance' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(list(globals()) + list(_LAZY))


__all__ = ["__version__", "load", "loads", "load_portfolio", "run", "simulate", "diff", "bond_table", "stress",
           "solve", "sweep", "compare", "ScenarioError"]
