"""Probabilities estimated by a Monte Carlo run, and an honest statement when none or all paths hit.

A probability estimated as 0 (no path hit) has a standard error of 0 by the
usual formula, which would claim certainty.  Instead the run reports a
one-sided 95% bound: with ``n`` independent paths and no hit, the exact
(Clopper–Pearson) upper bound is ``1 − 0.05^(1/n)`` ≈ ``3/n`` (the rule of
three); with every path a hit, the lower bound is ``0.05^(1/n)``.

``lhs`` and ``sobol`` paths are not independent, and no exact zero-count
bound is known for them; the run reports the random-sampling bound with an
effective number of paths, as an approximation.  Latin hypercube sampling
with ``n`` points is never worse, in variance, than random sampling with
``n − 1`` (Owen 1997, any square-integrable function, indicators included),
so under ``lhs`` the bound uses ``n − 1`` paths.  Scrambled Sobol' points
are each uniformly distributed, but the general variance guarantee for
scrambled nets carries a dimension-dependent constant; under ``sobol`` the
bound uses ``n`` paths as for random sampling (docs/montecarlo.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..formatting import percent, probability

LEVEL = 0.95
"""Confidence of the one-sided bound reported when no path (or every path) hits."""


def effective_paths(paths: int, method: str) -> int:
    """Independent paths the bound at 0 or 1 is computed with (see the module text)."""
    return max(int(paths) - 1, 1) if method == "lhs" else max(int(paths), 1)


def edge_bound(paths: int, method: str, level: float = LEVEL) -> float:
    """One-sided ``level`` upper bound of a probability when no path of ``paths`` hit.

    Returns
    -------
    float
        ``1 − (1 − level)^(1/n)`` with ``n`` = :func:`effective_paths`, about ``3/n`` at 95%. [-]
    """
    n = effective_paths(paths, method)
    return float(1.0 - (1.0 - level) ** (1.0 / n))


def probability_keys(key: str, p: float, se: float, paths: int, method: str) -> dict[str, float]:
    """The JSON keys of one probability: ``key``, ``key_se`` and, at 0 or 1, the one-sided bound.

    At 0: ``key_upper95`` (the probability is below it with 95% confidence);
    at 1: ``key_lower95``.  The standard error stays (it is 0 there) so the
    keys are the same for every run.
    """
    out = {key: float(p), f"{key}_se": float(se)}
    if p <= 0.0:
        out[f"{key}_upper95"] = edge_bound(paths, method)
    elif p >= 1.0:
        out[f"{key}_lower95"] = 1.0 - edge_bound(paths, method)
    return out


def _percent(x: float) -> str:
    return percent(x, 2)


def format_probability(summary: Mapping[str, Any], key: str, lang: str = "en", *, short: bool = False) -> str:
    """``p ± se`` as percentages, or at 0 or 1 the estimate with its one-sided 95% bound.

    Parameters
    ----------
    summary : mapping
        :meth:`SimulationResult.summary` (or its JSON).
    key : str
        e.g. ``"p_balanced"``.
    lang : {'zh', 'en'}
    short : bool
        Fewer words, for chart titles: ``0.00% (95% upper bound 0.07%)``.
    """
    p, se = summary[key], summary[f"{key}_se"]
    if short and (f"{key}_upper95" in summary or f"{key}_lower95" in summary):
        upper = f"{key}_upper95" in summary
        bound = _percent(summary[f"{key}_upper95" if upper else f"{key}_lower95"])
        side = ("上限", "upper bound") if upper else ("下限", "lower bound")
        return (f"{_percent(p)}（95% {side[0]} {bound}）" if lang == "zh"
                else f"{_percent(p)} (95% {side[1]} {bound})")
    if f"{key}_upper95" in summary:
        bound = _percent(summary[f"{key}_upper95"])
        return (f"{_percent(p)}（无一路径出现；95% 单侧上限 < {bound}）" if lang == "zh"
                else f"{_percent(p)} (no path; one-sided 95% upper bound {bound})")
    if f"{key}_lower95" in summary:
        bound = _percent(summary[f"{key}_lower95"])
        return (f"{_percent(p)}（所有路径均出现；95% 单侧下限 > {bound}）" if lang == "zh"
                else f"{_percent(p)} (every path; one-sided 95% lower bound {bound})")
    return probability(p, se)
