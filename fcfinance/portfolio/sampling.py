"""Risk values for a platform: one sampler per group of correlated risks (METHOD §14 streams).

Under ``random`` and ``lhs`` each risk's uniforms come from its own stream,
keyed by its id (for a project's risk, ``<project id>.<risk id>``), but the
Iman–Conover reordering that imposes rank correlations works on every
correlated column of a sampler at once: a project added with correlated risks
of its own would reorder another project's correlated columns.  So the
platform draws each connected group of correlated risks with its own
:class:`~fcfinance.montecarlo.RiskSampler`, and the uncorrelated risks with
one more; adding a project then changes no other project's draws unless a
correlation ties them together.  For a single group this gives exactly what
one sampler over all the risks gives.

Under ``sobol`` the columns are one low-discrepancy sequence (splitting it
would make the groups' sequences identical), so one sampler draws them all
and adding a project changes the draws.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..montecarlo.sampler import RiskSampler


def correlated_groups(ids: Sequence[str], correlations: Sequence[Sequence[Any]]) -> list[list[int]]:
    """Columns in groups: each connected set of risks tied by a non-zero correlation, then the rest.

    Returns
    -------
    list of list of int
        Column indices, each group in column order, groups ordered by their
        first column; the uncorrelated columns last (possibly empty).
    """
    parent = list(range(len(ids)))
    index = {r: i for i, r in enumerate(ids)}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    tied = set()
    for a, b, rho in correlations:
        if float(rho) != 0.0:
            i, j = index[a], index[b]
            parent[root(i)] = root(j)
            tied.update((i, j))
    groups: dict[int, list[int]] = {}
    for i in range(len(ids)):
        if i in tied:
            groups.setdefault(root(i), []).append(i)
    return list(groups.values()) + [[i for i in range(len(ids)) if i not in tied]]


@dataclass(frozen=True, eq=False)
class GroupedSampler:
    """Risk values of a platform run from several samplers, columns in the platform's order.

    Has the attributes and methods of :class:`~fcfinance.montecarlo.RiskSampler`
    that a run uses (``paths``, ``values``, ``standard_error``, …); picklable.
    """

    risk_ids: tuple[str, ...]
    distributions: tuple[Any, ...]
    parts: tuple[RiskSampler, ...]
    columns: tuple[tuple[int, ...], ...]

    @classmethod
    def build(cls, risks: Sequence[tuple[str, Any]], correlations: Sequence[Sequence[Any]], *, paths: int,
              seed: int, method: str, replicates: int | None = None,
              correlation_repair: bool = False) -> GroupedSampler:
        """As :meth:`RiskSampler.build`, one sampler per correlated group (``random``, ``lhs``)."""
        ids = [r for r, _ in risks]
        groups = [list(range(len(ids)))] if method == "sobol" else \
            [g for g in correlated_groups(ids, correlations) if g]
        parts = []
        for group in groups:
            members = {ids[i] for i in group}
            pairs = [c for c in correlations if c[0] in members and c[1] in members]
            parts.append(RiskSampler.build([risks[i] for i in group], pairs, paths=paths, seed=seed,
                                           method=method, replicates=replicates,
                                           correlation_repair=correlation_repair))
        dists = tuple(d for part in parts for d in part.distributions)
        order = [i for g in groups for i in g]
        by_column = dict(zip(order, dists))
        return cls(tuple(ids), tuple(by_column[i] for i in range(len(ids))), tuple(parts),
                   tuple(tuple(g) for g in groups))

    @property
    def _first(self) -> RiskSampler:
        return self.parts[0]

    @property
    def method(self) -> str:
        return self._first.method

    @property
    def seed(self) -> int:
        return self._first.seed

    @property
    def paths(self) -> int:
        """Paths run (the same rounding for every group)."""
        return self._first.paths

    @property
    def replicates(self) -> int:
        return self._first.replicates

    @property
    def paths_per_replicate(self) -> int:
        return self._first.paths_per_replicate

    @property
    def notes(self) -> tuple[str, ...]:
        """Path rounding and correlation repairs, each once."""
        return tuple(dict.fromkeys(n for part in self.parts for n in part.notes))

    def values(self, start: int = 0, n: int | None = None) -> np.ndarray:
        """Risk values of paths ``[start, start + n)``, shape (n, d), column-major."""
        n = self.paths - start if n is None else n
        out = np.empty((n, len(self.risk_ids)), order="F")
        for part, group in zip(self.parts, self.columns):
            out[:, list(group)] = part.values(start, n)
        return out

    def standard_error(self, values: Any) -> Any:
        """Standard error of the mean of per-path results (as :meth:`RiskSampler.standard_error`)."""
        return self._first.standard_error(values)
