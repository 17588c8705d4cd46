"""The public functions used from notebooks and the command line — re-exported, nothing defined here.

Nothing inside the package imports this module: each function lives in the
layer it belongs to (see docs/architecture.md).
"""

from .montecarlo.simulate import simulate
from .portfolio import load_portfolio
from .result import run
from .review import diff
from .scenario import load

__all__ = ["load", "load_portfolio", "run", "simulate", "diff"]
