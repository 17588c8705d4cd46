"""Monte Carlo sampling of risks (METHOD.md section 9).

Modules
-------
:mod:`~fcfinance.montecarlo.distributions`
    Risk distributions: parsing, validation, fast inverse CDFs.
:mod:`~fcfinance.montecarlo.sampling`
    Uniforms under ``random``, ``lhs`` and ``sobol``, chunk-invariant;
    path rounding; standard errors.
:mod:`~fcfinance.montecarlo.correlation`
    Spearman targets: validation, positive definiteness and repair,
    calibration to discrete marginals, Iman–Conover on fixed blocks.

:class:`RiskSampler` strings them together: risk values for any range of
paths of a run, the same whatever the chunking::

    sampler = RiskSampler.build(
        {"land_market": {"triangular": [0.75, 1.0, 1.08]},
         "rent": {"normal": [1.0, 0.1]}},
        correlations=[["land_market", "rent", 0.6]],
        paths=100_000, seed=20211102, method="sobol",
    )
    sampler.paths, sampler.notes      # 131072, ('sobol: 100000 paths rounded up ...',)
    values = sampler.values(0, 4096)  # (4096, 2) risk values of paths 0..4095
"""

from __future__ import annotations

import importlib
from typing import Any

_HOME = {
    "BLOCK_SIZE": "sampling",
    "DEFAULT_REPLICATES": "sampling",
    "DISTRIBUTION_NAMES": "distributions",
    "METHODS": "sampling",
    "U_MAX": "distributions",
    "U_MIN": "distributions",
    "BetaPpfTable": "distributions",
    "CorrelationModel": "correlation",
    "Distribution": "distributions",
    "RiskSampler": "sampler",
    "achieved_rank_correlation": "correlation",
    "beta_ppf_table": "distributions",
    "binomial_standard_error": "sampling",
    "block_edges": "sampling",
    "build_target_matrix": "correlation",
    "check_positive_definite": "correlation",
    "correlate": "correlation",
    "correlation_model": "correlation",
    "nearest_correlation": "correlation",
    "normal_to_rank_correlation": "correlation",
    "parse_distribution": "distributions",
    "rank_correlation_range": "correlation",
    "rank_to_normal_correlation": "correlation",
    "replicate_standard_error": "sampling",
    "round_paths": "sampling",
    "sample_uniforms": "sampling",
    "standard_error": "sampling",
}
"""Where each public name lives; imported on first use, so that importing a submodule
(``fcfinance.montecarlo.probability``, say) does not load scipy."""

__all__ = list(_HOME)


def __getattr__(name: str) -> Any:
    if name in _HOME:
        return getattr(importlib.import_module(f".{_HOME[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(list(globals()) + list(_HOME))
