"""fcfinance — funding balance (资金平衡) of Zhejiang Future Community (未来社区) projects.

Notebook use::

    import fcfinance as fc
    scenario = fc.load("scenarios/ouhai-lvjiaan.yaml")
    result = fc.run(scenario)
    result.metrics_table()      # METHOD §8 metrics with Chinese names and units
    result.cashflows            # every line by reporting period, 万元
"""

from ._version import __version__  # noqa: E402,F401
from .api import diff, load, load_portfolio, run, simulate  # noqa: E402
from .errors import ScenarioError  # noqa: E402

__all__ = ["__version__", "load", "load_portfolio", "run", "simulate", "diff", "ScenarioError"]
