"""Platform portfolios (平台统筹, METHOD §14): many projects, one grid, one financing walk.

:func:`load_portfolio` reads and validates a portfolio file and its projects;
``fc.run(portfolio)`` and ``fc.simulate(portfolio)`` dispatch to
:mod:`.evaluate` and :mod:`.simulate`.  See docs/portfolio.md.
"""

from .load import Portfolio, load_portfolio

CHUNK = 2**14
"""Default paths per Monte Carlo chunk for a platform: memory is set by it (a few (paths, periods)
arrays), not by the number of projects, which are evaluated one after another."""

__all__ = ["CHUNK", "Portfolio", "load_portfolio"]
