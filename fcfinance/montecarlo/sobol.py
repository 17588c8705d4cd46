"""Sobol' variance-based sensitivity indices of net balance (``simulate --sobol-indices N``).

:func:`sobol_table` estimates, for any model of independent inputs, each
input's first-order index ``S_i = Var(E[Y | X_i]) / Var(Y)`` and total index
``S_Ti = E[Var(Y | X_~i)] / Var(Y)`` with :func:`scipy.stats.sobol_indices`
(Saltelli 2010 for the first order, Jansen for the total; cost ``n·(d + 2)``
evaluations).  :func:`sobol_first_order` applies it to a scenario's risks,
with net balance as the output.

The indices are defined for independent inputs only: a scenario's
correlations are ignored for them, and a warning says so.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from ..kernel import evaluate
from ..scenario import Scenario
from ..scenario.targets import compile_targets
from .sampler import RiskSampler

if TYPE_CHECKING:
    import pandas as pd


def sobol_table(func: Callable[[np.ndarray], np.ndarray], distributions: Sequence[Any],
                ids: Sequence[str], n: int, seed: int) -> pd.DataFrame:
    """First-order and total Sobol' indices of a scalar model of independent inputs.

    Parameters
    ----------
    func : callable
        ``func(x)`` with ``x`` of shape (d, m), one column per evaluation,
        returns the output, shape (m,).
    distributions : sequence
        One frozen distribution per input (with ``ppf``), in ``ids`` order.
    ids : sequence of str
        Input names (the table's index).
    n : int
        Base sample size, rounded up to a power of two.
    seed : int

    Returns
    -------
    DataFrame
        Index ``ids``; columns ``first_order`` and ``total_order``, one value
        per input. [-]
    """
    import pandas as pd
    from scipy.stats import sobol_indices

    d = len(ids)
    n = 1 << max(int(n) - 1, 1).bit_length()
    result = sobol_indices(func=lambda x: np.asarray(func(x), dtype=float).reshape(1, -1), n=n,
                           dists=list(distributions), rng=np.random.default_rng(seed))
    # scipy returns shape (s, d) for s outputs, squeezed to (d,) for one output: take the one
    # output's row whatever the version does, and check there is one index per input
    first = np.asarray(result.first_order, dtype=float).reshape(-1, d)[0]
    total = np.asarray(result.total_order, dtype=float).reshape(-1, d)[0]
    return pd.DataFrame({"first_order": first, "total_order": total}, index=pd.Index(list(ids), name="risk"))


def _net_balance(scenario: Scenario, targets: list, base: Any, values: np.ndarray) -> np.ndarray:
    """Net balance of the scenario with the risks at ``values`` (paths, risks), one engine call. [万元]

    The one place where this module evaluates the model.
    """
    _, ev = evaluate(base, scenario.timeline, targets, np.ascontiguousarray(values))
    return np.asarray(ev.metrics["net_balance"], dtype=float)


def sobol_first_order(scenario: Scenario, paths: int = 2**12, seed: int = 0) -> pd.DataFrame:
    """First-order and total Sobol' indices of net balance for each risk of a scenario.

    The risks are treated as independent: with correlated risks the indices
    describe the uncorrelated model, and a warning says so.

    Parameters
    ----------
    paths : int
        Base sample size ``n`` (rounded up to a power of two); the cost is
        ``n·(d + 2)`` paths.
    seed : int

    Returns
    -------
    DataFrame
        One row per risk (scenario order): ``first_order``, ``total_order``. [-]
    """
    ids, targets = compile_targets(scenario)
    sampler = RiskSampler.build([(r.id, r.dist) for r in scenario.model.risks], (),
                                paths=1, seed=seed, method="random")
    if scenario.model.correlations:
        warnings.warn("Sobol' indices assume independent risks; this scenario's correlations are "
                      "ignored for them", UserWarning, stacklevel=2)
    base = scenario.params()
    return sobol_table(lambda x: _net_balance(scenario, targets, base, x.T), sampler.distributions,
                       ids, paths, seed)
