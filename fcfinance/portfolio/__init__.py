"""Platform portfolios (平台统筹, METHOD §14): many projects, one grid, one financing walk.

:func:`load_portfolio` reads and validates a portfolio file and its projects;
``fc.run(portfolio)`` and ``fc.simulate(portfolio)`` dispatch to
:mod:`.evaluate` and :mod:`.simulate`.  See docs/portfolio.md.
"""

from .load import Portfolio, load_portfolio

__all__ = ["Portfolio", "load_portfolio"]
