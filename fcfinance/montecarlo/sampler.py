"""The risk sampler of a Monte Carlo run: risk values for any range of paths, the same whatever the chunking."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .correlation import CorrelationModel, correlate, correlation_model
from .distributions import Distribution, parse_distribution
from .sampling import (
    DEFAULT_REPLICATES,
    block_edges,
    blocks_covering,
    round_paths,
    sample_uniforms,
    standard_error,
)

__all__ = ["RiskSampler"]


@dataclass(frozen=True, eq=False)
class RiskSampler:
    """Risk values for the paths of one Monte Carlo run.

    The run has :attr:`paths` paths (after :func:`round_paths`), numbered
    globally ``0 .. paths - 1``: path ``p`` belongs to replicate
    ``p // paths_per_replicate``. :meth:`values` and :meth:`uniforms` return
    the same rows for a path whatever range it is requested in.

    Attributes
    ----------
    risk_ids : tuple of str
        Column order of every array returned.
    distributions : tuple of Distribution
    method : {'random', 'lhs', 'sobol'}
    seed : int
    paths : int
        Paths run (>= paths requested).
    replicates : int
        Independent randomisations (for standard errors under lhs/sobol).
    correlation : CorrelationModel or None
        None when no risk is correlated with another.
    notes : tuple of str
        Path rounding and correlation repairs, to report.
    """

    risk_ids: tuple[str, ...]
    distributions: tuple[Distribution, ...]
    method: str
    seed: int
    paths: int
    replicates: int
    correlation: CorrelationModel | None
    notes: tuple[str, ...] = ()

    @classmethod
    def build(
        cls,
        risks: Mapping[str, Any] | Sequence[tuple[str, Any]],
        correlations: Sequence[Sequence[Any]] = (),
        *,
        paths: int,
        seed: int,
        method: str = "sobol",
        replicates: int | None = None,
        correlation_repair: bool = False,
    ) -> RiskSampler:
        """Validate and calibrate a run.

        Parameters
        ----------
        risks : mapping or sequence of (id, distribution)
            Risk id to distribution (a :class:`Distribution` or its mapping).
        correlations : sequence of [id_a, id_b, rho]
            Spearman rank-correlation targets.
        paths : int
            Paths requested.
        seed : int
            Run seed, >= 0.
        method : {'random', 'lhs', 'sobol'}
        replicates : int, optional
            Default :data:`DEFAULT_REPLICATES` of the method.
        correlation_repair : bool
            Use the nearest valid matrix for targets that are not positive
            definite, instead of raising.

        Returns
        -------
        RiskSampler

        Raises
        ------
        ValueError
            Any invalid distribution, correlation or sampling setting.
        """
        items = list(risks.items()) if isinstance(risks, Mapping) else list(risks)
        ids = tuple(str(r) for r, _ in items)
        dists = tuple(parse_distribution(d) for _, d in items)
        if replicates is None:
            replicates = DEFAULT_REPLICATES.get(method, 1)
        n_run, note = round_paths(paths, method, replicates)
        model = correlation_model(ids, dists, correlations, repair=correlation_repair)
        notes = ((note,) if note else ()) + model.notes
        return cls(
            ids,
            dists,
            method,
            seed,
            n_run,
            replicates,
            model if model.columns else None,
            notes,
        )

    @property
    def paths_per_replicate(self) -> int:
        """Paths in each replicate."""
        return self.paths // self.replicates

    def _range(self, start: int, n: int | None) -> tuple[int, int]:
        stop = self.paths if n is None else start + n
        if not 0 <= start <= stop <= self.paths:
            raise ValueError(
                f"paths [{start}, {stop}) are outside the run's [0, {self.paths})"
            )
        return start, stop

    def replicate_of(self, start: int = 0, n: int | None = None) -> np.ndarray:
        """Replicate index of each path in ``[start, start + n)``."""
        start, stop = self._range(start, n)
        return np.arange(start, stop) // self.paths_per_replicate

    def uniforms(self, start: int = 0, n: int | None = None) -> np.ndarray:
        """Correlated uniforms of paths ``[start, start + n)`` (default: to the end).

        Returns
        -------
        ndarray, shape (n, d)
            Column-major, in ``[U_MIN, U_MAX]``. [-]
        """
        start, stop = self._range(start, n)
        per = self.paths_per_replicate
        out = np.empty((stop - start, len(self.risk_ids)), order="F")
        position = start
        while position < stop:
            replicate, local = divmod(position, per)
            local_stop = min(per, local + stop - position)
            lo, hi = local, local_stop
            if self.correlation is not None:  # whole blocks, then slice
                edges = block_edges(per, self.method)
                first, last = blocks_covering(local, local_stop, edges)
                lo, hi = int(edges[first]), int(edges[last])
            block = sample_uniforms(
                self.risk_ids, hi - lo, self.method, self.seed, replicate, lo, per
            )
            if self.correlation is not None:
                block = correlate(
                    block, self.correlation, self.method, self.seed, replicate, lo, per
                )
            out[position - start : position - start + local_stop - local] = block[
                local - lo : local_stop - lo
            ]
            position += local_stop - local
        return out

    def values(self, start: int = 0, n: int | None = None) -> np.ndarray:
        """Risk values of paths ``[start, start + n)`` (default: to the end).

        Returns
        -------
        ndarray, shape (n, d)
            Column ``j`` in the unit of risk ``risk_ids[j]`` (a multiplier,
            months, or the unit of the field it sets); column-major.
        """
        u = self.uniforms(start, n)
        out = np.empty_like(u, order="F")
        for j, dist in enumerate(self.distributions):
            out[:, j] = dist.ppf(u[:, j])
        return out

    def standard_error(self, values: Any) -> Any:
        """Standard error of the mean of per-path results of the whole run.

        Parameters
        ----------
        values : array_like, shape (paths, ...)
            One result per path, in path order (a boolean indicator for a
            probability).

        Returns
        -------
        float or ndarray
            See :func:`fcfinance.montecarlo.sampling.standard_error`.
        """
        return standard_error(values, self.method, self.replicates)
