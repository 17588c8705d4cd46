"""Cash-flow lines as sums of ``amount × shape`` terms.

A :class:`Line` holds the terms of one line item of METHOD §2–7 as positive
magnitudes [元]; the engine attaches the sign.  Amounts are numbers per path
(scalars or arrays of shape (P,)); shapes are :class:`~fcfinance.profile.Profile`
objects.  Totals, period sums and the full (P, M) monthly array are derived
on demand, so a Monte Carlo run never needs to hold every line month by
month for every path.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .profile import Profile

PATH_ALIGN = 64
"""Paths per BLAS column block: a multiple of every kernel width, so that
each path's result is computed the same way whatever the chunk size."""


@dataclass
class Line:
    """One cash-flow line: ``Σ amount_i × profile_i``.

    Parameters
    ----------
    terms : list of (amount, Profile)
        Amount per path [元] (scalar or ndarray (P,)) and its monthly shape.
    """

    terms: list[tuple[np.ndarray, Profile]] = field(default_factory=list)

    def add(self, amount, profile: Profile) -> Line:
        """Append a term and return self.

        Terms on one profile object (a shared one-month shape,
        :func:`fcfinance.components.shapes.at_month`) stay separate here and
        are summed by :func:`net_by_period` before its matrix product, in the
        order they were added (so that sums are the same to the last bit
        whatever else shares the month).
        """
        self.terms.append((np.asarray(amount, dtype=float), profile))
        return self

    def scaled(self, factor) -> Line:
        """The line with every amount multiplied by ``factor`` (scalar or (P,))."""
        f = np.asarray(factor, dtype=float)
        return Line([(a * f, p) for a, p in self.terms])

    def __add__(self, other: Line) -> Line:
        return Line(self.terms + other.terms)

    def total(self, n_paths: int) -> np.ndarray:
        """Total over the grid for each path, shape (P,). [元]"""
        out = np.zeros(n_paths)
        for amount, profile in self.terms:
            sums = profile.sums()
            if profile.index is None:  # one shape for every path: its sum is a number
                out += amount * sums[0]
            else:
                out += amount * sums[profile.index]
        return out

    def monthly(self, n_paths: int, n_months: int) -> np.ndarray:
        """Month-by-month amounts, shape (P, M). [元]"""
        out = np.zeros((n_paths, n_months))
        for amount, profile in self.terms:
            out += np.reshape(amount, (-1, 1)) * profile.monthly(n_paths)
        return out

    def periods(self, n_paths: int, n_periods: int, months_per_period: int) -> np.ndarray:
        """Amounts by reporting period, shape (P, T). [元]"""
        return net_by_period([(1.0, self)], n_paths, n_periods, months_per_period)

    def clipped_paths(self, n_paths: int) -> np.ndarray:
        """Paths on which some flow of this line was booked at the grid's edge, shape (P,)."""
        out = np.zeros(n_paths, dtype=bool)
        for amount, profile in self.terms:
            out |= profile.clipped_paths(n_paths) & (np.broadcast_to(amount, (n_paths,)) != 0)
        return out


def net_by_period(signed_lines: list[tuple[float, Line]], n_paths: int,
                  n_periods: int, months_per_period: int, scale: float = 1.0) -> np.ndarray:
    """Net cash by reporting period of several signed lines, shape (P, T). [元]

    Terms sharing a profile object are summed first; terms that are the same
    on every path are added once; the rest is one matrix product of the
    amounts, spread over the rows of their shapes (P, K), by the shapes'
    period sums (K, T).  The cost grows with the number of distinct shapes,
    not of lines.

    Parameters
    ----------
    signed_lines : list of (sign, Line)
        +1 for inflows, −1 for outflows.
    scale : float
        Multiplies every amount (1e-4 gives 万元).

    Returns
    -------
    ndarray (P, T)
        A view of a period-major array when amounts differ between paths
        (rows of ``.T`` are contiguous), or a read-only broadcast when no
        amount does.
    """
    grouped: dict[int, tuple[Profile, np.ndarray]] = {}
    for sign, line in signed_lines:
        for amount, profile in line.terms:
            key = id(profile)
            previous = grouped[key][1] if key in grouped else 0.0
            grouped[key] = (profile, previous + (sign * scale) * amount)
    fixed = np.zeros(n_periods)
    columns: list[tuple[np.ndarray, np.ndarray | None, int]] = []
    tables = []
    width = 0
    for profile, amount in grouped.values():
        table = profile.period_table(months_per_period)
        if np.ndim(amount) == 0 and profile.index is None:
            fixed += amount * table[0]
            continue
        columns.append((np.broadcast_to(amount, (n_paths,)), profile.index, width))
        tables.append(table)
        width += table.shape[0]
    if not columns:
        return np.broadcast_to(fixed, (n_paths, n_periods))
    # Built period-major, so that the period-by-period financing recursion
    # reads contiguous rows; returned as a (P, T) view.  The path axis is
    # padded to a multiple of PATH_ALIGN: BLAS computes the last few columns
    # of a product with other kernels, so without padding a path's net cash
    # could differ in the last bit with the chunk it falls in.
    width_paths = -(-n_paths // PATH_ALIGN) * PATH_ALIGN
    design = np.zeros((width, width_paths))
    rows = np.arange(n_paths)
    for amount, index, offset in columns:
        if index is None:
            design[offset, :n_paths] = amount
        else:
            design[offset + index, rows] = amount
    out = (np.vstack(tables).T @ design)[:, :n_paths]
    out += fixed[:, None]
    return out.T
