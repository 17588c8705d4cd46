"""The evaluation kernel: parameters and effect values over paths → per-path results.

Every consumer — the deterministic run, Monte Carlo chunks, the tornado,
Sobol' indices, attribution, stress cases, solves, sweeps and platforms —
evaluates the model through :func:`evaluate`; none rebuilds the pipeline::

    params (Record)  ──apply_effects──▶  params with arrays over P paths
                     ──compute_lines──▶  lines (amount × shape terms)
                     ──project_cash───▶  line totals, net and bond cash by period
                     ──financing_walk─▶  gap/deposit interest, C(p), extremes
                     ──metrics_of─────▶  METHOD §8 per path

The kernel is pure: it reads the frozen parameters, changes nothing and
keeps no state, so any range of paths can be evaluated anywhere (a thread,
a process, a Dask worker) with the same result.  The financing walk is its
own step (:func:`fcfinance.metrics.financing_walk`), taking any net cash:
one project's, or the sum of a platform's projects placed on one grid.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from .effects import Target, apply_effects
from .engine import Flows, compute_lines
from .metrics import Evaluation
from .metrics import evaluate as _evaluate_flows
from .params import Record
from .timeline import Timeline


def apply(params: Record, targets: Sequence[Target] = (), values: np.ndarray | None = None,
          active: np.ndarray | None = None) -> tuple[Record, int]:
    """Parameters with the effect values applied, and the number of paths P.

    Parameters
    ----------
    params : Record
        Base parameters (:meth:`fcfinance.scenario.Scenario.params`).
    targets : sequence of Target
        Compiled effects (:func:`fcfinance.scenario.targets.compile_effects`).
    values : ndarray (P, d), optional
        The value of each effect column on each path (risk draws, decision
        values, stress factors); none: one path, the parameters as they are.
    active : ndarray of bool (P, d), optional
        Where False, that column has no effect on that path.
    """
    if values is None:
        return params, 1
    values = np.asarray(values, dtype=float)
    if values.ndim != 2:
        raise ValueError(f"effect values must be an array (paths, columns), got shape {values.shape}")
    return (apply_effects(params, list(targets), values, active) if targets else params), values.shape[0]


def lines(params: Record, timeline: Timeline, targets: Sequence[Target] = (), values: np.ndarray | None = None,
          active: np.ndarray | None = None, n_paths: int | None = None,
          detail: bool = True) -> tuple[Flows, Record]:
    """Every project and bond line on the grid of ``timeline`` (before the financing walk).

    With ``detail`` False, each parcel's premium is not kept (:attr:`Flows.parcels` empty).

    Returns
    -------
    flows : Flows
    params : Record
        The parameters with the effects applied (for the rates of the walk).
    """
    params, n = apply(params, targets, values, active)
    return compute_lines(params, timeline, n_paths or n, keep_parcels=detail), params


def evaluate(params: Record, timeline: Timeline, targets: Sequence[Target] = (),
             values: np.ndarray | None = None, active: np.ndarray | None = None, *,
             n_paths: int | None = None, with_irr: bool = False, detail: bool = False,
             cumulative_out: np.ndarray | None = None,
             line_factors: Mapping[str, Any] | None = None) -> tuple[Flows, Evaluation]:
    """Evaluate the model on every path at once.

    Parameters
    ----------
    params : Record
        Base parameters (dates as absolute month indices).
    timeline : Timeline
        The grid (the project's own; for a platform, the platform's).
    targets, values, active
        Effects and their values per path, see :func:`apply`.
    n_paths : int, optional
        Paths P when no values are given but the parameters hold arrays.
    with_irr : bool
        Also each path's IRR (a root count per path: costly).
    detail : bool
        Keep every period of C(p) and of each financing line in float64
        (tables of one run); without it only the float32 cumulative net
        cash is kept, for the Monte Carlo fan.
    cumulative_out : ndarray (T, P), optional
        Where to write the cumulative project net cash.
    line_factors : mapping of str to scalar or ndarray (P,), optional
        Multiply finished lines (e.g. every inflow × 0.9 in the ``revenue_-10``
        stress case, METHOD §13); a factor on ``land_premium`` also scales
        the gross premium behind it, as if the floor prices had moved.

    Returns
    -------
    flows : Flows
        The lines (amount × shape terms), for tables and charts.
    evaluation : Evaluation
        Per-path totals, period cash, financing and METHOD §8 metrics.
    """
    flows, params = lines(params, timeline, targets, values, active, n_paths, detail)
    for key, factor in (line_factors or {}).items():
        flows.lines[key] = flows.lines[key].scaled(factor)
        if key == "land_premium":
            flows.land_premium_gross = flows.land_premium_gross * np.asarray(factor, dtype=float)
    return flows, _evaluate_flows(flows, params, with_irr=with_irr, detail=detail,
                                  cumulative_out=cumulative_out)
