"""Monthly shapes shared by paths.

A cash-flow line is a sum of terms ``amount × shape``: the amount is a number
per path [元] and the shape says how it falls on the monthly grid (a signing
window, an installment month, an escalated construction S-curve, …).  Most
shapes are the same on every path; those that move under Monte Carlo (a
shifted start, a delayed sale) take only a few distinct values.  A
:class:`Profile` therefore stores the distinct shapes once, as rows of a
table, and an index from each path to its row.  The deterministic run is the
one-path case of the same objects.

Shapes are built by :func:`build`, which finds the distinct combinations of
its inputs across paths and evaluates a row function once per combination;
the row functions here (:func:`window_rows`, :func:`place_rows`, …) operate
on whole tables, never on single paths.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

Key = float | int | np.ndarray


class Profile:
    """Distinct monthly shapes and the path → shape index.

    Parameters
    ----------
    table : ndarray, shape (U, M)
        Distinct monthly shapes (shares or amounts per unit). [1/month]
    index : ndarray of int, shape (P,), or None
        Row of ``table`` used by each path; None when one row serves all paths.
    clipped : ndarray of bool, shape (U,), optional
        Rows in which a flow fell outside the grid and was booked at its edge.
    """

    __slots__ = ("table", "index", "clipped", "_cache")

    def __init__(self, table: np.ndarray, index: np.ndarray | None = None,
                 clipped: np.ndarray | None = None):
        self.table = np.asarray(table, dtype=float)
        self.index = index
        self.clipped = (np.zeros(self.table.shape[0], dtype=bool)
                        if clipped is None else np.asarray(clipped, dtype=bool))
        self._cache: dict[object, np.ndarray] = {}  # derived tables; the table is never changed

    @property
    def months(self) -> int:
        """Length of the monthly grid. [months]"""
        return self.table.shape[1]

    def rows(self, n_paths: int) -> np.ndarray:
        """Row index of every path, shape (n_paths,)."""
        if self.index is None:
            return np.zeros(n_paths, dtype=np.intp)
        return self.index

    def monthly(self, n_paths: int) -> np.ndarray:
        """The shape of every path, shape (n_paths, M)."""
        if self.index is None:
            return np.broadcast_to(self.table[0], (n_paths, self.months))
        return self.table[self.index]

    def sums(self) -> np.ndarray:
        """Sum of each row over the grid, shape (U,) (cached)."""
        got = self._cache.get("sums")
        if got is None:
            got = self._cache["sums"] = self.table.sum(axis=1)
        return got

    def period_table(self, months_per_period: int) -> np.ndarray:
        """Rows summed into reporting periods, shape (U, T) (cached)."""
        got = self._cache.get(months_per_period)
        if got is None:
            u, m = self.table.shape
            got = self.table.reshape(u, m // months_per_period, months_per_period).sum(axis=2)
            self._cache[months_per_period] = got
        return got

    def clipped_paths(self, n_paths: int) -> np.ndarray:
        """Whether each path had a flow booked at the grid's edge, shape (n_paths,)."""
        return self.clipped[self.rows(n_paths)]


Part = Profile | Key


def build(row_fn: Callable[..., object], *parts: Part) -> Profile:
    """Build a profile from per-path inputs, evaluating ``row_fn`` once per distinct combination.

    Parameters
    ----------
    row_fn : callable
        Called with one argument per part: for a :class:`Profile`, its rows
        (ndarray (U, M)); for a key, its distinct values (ndarray (U,)).
        Returns the table (U, M), or a tuple (table, clipped (U,)).
    *parts : Profile or scalar or ndarray (P,)
        Inputs that determine the shape: other profiles and timing keys
        (months, rates) that may differ between paths.

    Returns
    -------
    Profile
        Clipped where ``row_fn`` says so or where an input profile was.
    """
    varying = [p.index if isinstance(p, Profile) else np.asarray(p)
               for p in parts]
    varying_sizes = [v.size for v in varying if v is not None and np.ndim(v) > 0]
    if not varying_sizes or all(s == 1 for s in varying_sizes):
        args = [p.table[:1] if isinstance(p, Profile) else np.asarray(p, dtype=float).reshape(1)
                for p in parts]
        inherited = [p.clipped[:1] for p in parts if isinstance(p, Profile)]
        return _finish(row_fn(*args), None, inherited)
    n = max(varying_sizes)
    # group paths on the inputs that differ between paths; constant inputs join as they are
    columns = []
    for p, v in zip(parts, varying):
        if v is not None and np.size(v) > 1:
            columns.append(v if isinstance(p, Profile) else np.broadcast_to(np.asarray(v).reshape(-1), (n,)))
    inverse, representative = group_paths(columns)
    u = representative.size
    args = []
    inherited = []
    for p, v in zip(parts, varying):
        varies = v is not None and np.size(v) > 1
        if isinstance(p, Profile):
            rows = np.asarray(v)[representative] if varies else np.zeros(u, dtype=np.intp)
            args.append(p.table[rows])
            inherited.append(p.clipped[rows])
        elif varies:
            args.append(np.broadcast_to(np.asarray(v, dtype=float).reshape(-1), (n,))[representative])
        else:
            args.append(np.full(u, float(np.asarray(v).reshape(-1)[0])))
    return _finish(row_fn(*args), inverse, inherited)


def _codes(values: np.ndarray) -> tuple[np.ndarray, int]:
    """Integer codes in 0 … levels−1 that are equal exactly where the values are."""
    values = np.asarray(values)
    if values.dtype.kind in "iu" or np.array_equal(values, np.round(values)):
        lo, hi = values.min(), values.max()
        if hi - lo < 4 * values.size + 1024:
            return (values - lo).astype(np.intp), int(hi - lo) + 1
    _, inverse = np.unique(values, return_inverse=True)
    return inverse.reshape(-1).astype(np.intp), int(inverse.max()) + 1


def group_paths(columns: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Group paths that agree on every column.

    Parameters
    ----------
    columns : sequence of ndarray (P,)
        Keys per path (integers such as row indices or months, or floats).

    Returns
    -------
    inverse : ndarray of int (P,)
        Group of each path, 0 … U−1.
    representative : ndarray of int (U,)
        One path of each group.
    """
    code, levels = _codes(columns[0])
    for column in columns[1:]:
        c, k = _codes(column)
        if levels * k > 2**62 // max(k, 1):
            code, levels = _codes(code * 1.0)  # recompact before the product overflows
        code, levels = code * k + c, levels * k
    n = code.size
    if levels <= 8 * n + 4096:
        present = np.zeros(levels, dtype=bool)
        present[code] = True
        dense = np.cumsum(present) - 1
        inverse = dense[code]
    else:
        _, inverse = np.unique(code, return_inverse=True)
        inverse = inverse.reshape(-1)
    representative = np.empty(int(inverse.max()) + 1, dtype=np.intp)
    representative[inverse] = np.arange(n)
    return inverse.astype(np.intp), representative


def _finish(out, index, inherited) -> Profile:
    table, clipped = out if isinstance(out, tuple) else (out, None)
    table = np.asarray(table, dtype=float)
    flags = np.zeros(table.shape[0], dtype=bool) if clipped is None else np.asarray(clipped, bool)
    for c in inherited:
        flags = flags | c
    return Profile(table, index, flags)


# --- row functions: (U,) keys -> (U, M) tables ---------------------------------

def window_rows(start: np.ndarray, months: np.ndarray, scurve: bool, n_months: int):
    """Shares of a window in each month (METHOD §1).

    The share in month j is ``F((j+1−S)/D) − F((j−S)/D)`` with ``u`` clipped to
    [0, 1], ``F(u) = u`` (even) or ``3u² − 2u³`` (S-curve); ``D = 0`` puts it
    all in month S.  Shares falling before month 0 or after the last month
    are booked in the first or last month.

    Parameters
    ----------
    start : ndarray (U,)
        First month S. [month offset]
    months : ndarray (U,)
        Duration D. [months]
    scurve : bool
        S-curve instead of even spreading.
    n_months : int
        Grid length M. [months]

    Returns
    -------
    table : ndarray (U, M)
        Shares, each row summing to 1.
    clipped : ndarray (U,)
        Rows with a share outside the grid.
    """
    s = np.asarray(start, dtype=float)[:, None]
    d = np.asarray(months, dtype=float)[:, None]
    j = np.arange(n_months + 1, dtype=float)[None, :]
    u = np.clip((j - s) / np.where(d > 0, d, 1.0), 0.0, 1.0)
    if scurve:
        u = u * u * (3.0 - 2.0 * u)
    cum = np.where(d > 0, u, (j > s).astype(float))
    cum[:, 0] = 0.0
    cum[:, -1] = 1.0
    s1, d1 = s[:, 0], d[:, 0]
    clipped = (s1 < 0) | (s1 + np.maximum(d1, 1.0) > n_months)
    return np.diff(cum, axis=1), clipped


def place_rows(rows: np.ndarray, offset: np.ndarray, n_months: int):
    """Move each row by ``offset`` months on a grid of ``n_months``.

    Entry ``m`` of a row lands in month ``offset + m``; what falls before
    month 0 or after the last month is booked there.

    Parameters
    ----------
    rows : ndarray (U, R)
        Amounts by relative month. [any unit]
    offset : ndarray (U,)
        Month of relative month 0. [month offset]
    n_months : int
        Grid length M. [months]

    Returns
    -------
    table : ndarray (U, M)
    clipped : ndarray (U,)
        Rows with a nonzero amount moved to the edge.
    """
    rows = np.asarray(rows, dtype=float)
    u, r = rows.shape
    off = np.asarray(offset).astype(np.int64).reshape(-1)
    off = np.broadcast_to(off, (u,))
    target = off[:, None] + np.arange(r)[None, :]
    outside = ((target < 0) | (target >= n_months)) & (rows != 0)
    target = np.clip(target, 0, n_months - 1)
    flat = (np.arange(u)[:, None] * n_months + target).ravel()
    table = np.bincount(flat, weights=rows.ravel(), minlength=u * n_months).reshape(u, n_months)
    return table, outside.any(axis=1)


def point_rows(month: np.ndarray, n_months: int):
    """All of an amount in one month (booked at the edge when outside the grid).

    Parameters
    ----------
    month : ndarray (U,)
        Month of the flow. [month offset]
    n_months : int
        Grid length M. [months]
    """
    month = np.asarray(month).reshape(-1)
    return place_rows(np.ones((month.size, 1)), month, n_months)


def lagged_sum_rows(rows: np.ndarray, lo: np.ndarray, hi: np.ndarray, n_months: int):
    """Sum of a row delayed by every lag ``lo ≤ a < hi`` months.

    Used for voucher redemptions: a voucher issued in month s is redeemed at
    ages ``a`` in a tier's range.

    Parameters
    ----------
    rows : ndarray (U, M)
        Monthly shares. [1/month]
    lo, hi : ndarray (U,)
        Lag bounds. [months]
    """
    rows = np.asarray(rows, dtype=float)
    lo = np.broadcast_to(np.asarray(lo, dtype=float).reshape(-1), (rows.shape[0],))
    hi = np.broadcast_to(np.asarray(hi, dtype=float).reshape(-1), (rows.shape[0],))
    out = np.zeros_like(rows)
    clipped = np.zeros(rows.shape[0], dtype=bool)
    top = int(hi.max()) if hi.size else 0
    for lag in range(max(int(lo.min()), 0) if lo.size else 0, top):
        use = ((lo <= lag) & (lag < hi)).astype(float)[:, None]
        moved, c = place_rows(rows * use, np.full(rows.shape[0], lag), n_months)
        out += moved
        clipped |= c
    return out, clipped


def window(start: Key, months: Key, scurve: bool, n_months: int) -> Profile:
    """Profile of a window starting at ``start`` lasting ``months`` (see :func:`window_rows`)."""
    return build(lambda s, d: window_rows(s, d, scurve, n_months), start, months)


def point(month: Key, n_months: int) -> Profile:
    """Profile of a single-month flow at ``month`` (see :func:`point_rows`)."""
    return build(lambda t: point_rows(t, n_months), month)

