"""Platform portfolios (平台统筹, METHOD §14): many projects, one grid, one financing walk.

:func:`load_portfolio` reads and validates a portfolio file and its projects
(:mod:`.load`, :mod:`.schema`); ``fc.run(portfolio)`` and
``fc.simulate(portfolio)`` dispatch to :mod:`.evaluate` and :mod:`.simulate`
(risk draws by correlated group: :mod:`.sampling`); ``fcfinance portfolio``
is :mod:`.cli`, and ``fcfinance report`` on a portfolio :mod:`.report`.
See docs/portfolio.md.
"""

from .load import Portfolio, load_portfolio

__all__ = ["Portfolio", "load_portfolio"]
