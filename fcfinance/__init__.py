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

_API = ("load", "run", "simulate", "diff")


def __getattr__(name: str):
    """``load``, ``run``, ``simulate``, ``diff`` from :mod:`fcfinance.api`, imported on first use
    (so that ``import fcfinance`` and the command line start fast)."""
    if name in _API:
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'fcfinance' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(list(globals()) + list(_API))

__all__ = ["__version__", "load", "run", "simulate", "diff", "ScenarioError"]
