"""Exact percentiles of long rows, faster than a full selection.

``np.percentile`` runs an introselect over every row; for the fan of a
million paths × 64 periods that dominates the summary.  :func:`row_percentiles`
finds the same order statistics with one histogram pass per row and a
selection among the few values in the bins that hold them, then
interpolates linearly between neighbouring order statistics exactly as
``np.percentile``'s default ("linear") method does.  Rows are done side by
side on threads (:mod:`.parallel`).
"""

from __future__ import annotations

import numpy as np

from .parallel import run_each

BINS = 4096


def order_statistics(row: np.ndarray, ks: np.ndarray, bins: int = BINS) -> np.ndarray:
    """The ``k``-th smallest values of ``row`` (0-based) for each k in ``ks``.

    One pass bins the values (a bin index monotone in the value), the counts
    locate the bin of each wanted rank, and a selection among the members of
    those bins alone gives the exact order statistics.

    Parameters
    ----------
    row : ndarray (n,)
        Values, no NaN.
    ks : ndarray of int
        Ranks wanted, 0 ≤ k < n.

    Returns
    -------
    ndarray (len(ks),), float64
    """
    lo, hi = row.min(), row.max()
    out = np.empty(len(ks))
    if lo == hi:
        out[:] = lo
        return out
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        span = hi - lo  # in the row's dtype, as the differences below
        scale = (bins - 1) / float(span)
        finite_in_row_dtype = np.isfinite(row.dtype.type(scale))  # float32 rows: the scale must fit float32 too
    if not (np.isfinite(span) and np.isfinite(scale) and finite_in_row_dtype):  # infinite or subnormal range
        return np.partition(row, ks)[ks].astype(float)
    scaled = row - lo  # rounding is monotone, so the bin index is monotone in the value
    scaled *= scale
    idx = scaled.astype(np.int32)
    np.minimum(idx, bins - 1, out=idx)
    counts = np.bincount(idx, minlength=bins)
    ends = np.cumsum(counts)
    where = np.searchsorted(ends, ks, side="right")  # the bin holding each rank
    wanted = np.zeros(bins, dtype=bool)
    wanted[where] = True
    chosen = np.take(wanted, idx)
    member_bins = idx[chosen]
    members = row[chosen][np.argsort(member_bins, kind="stable")]  # grouped by bin
    kept = np.where(wanted, counts, 0)
    first = np.cumsum(kept) - kept  # where each wanted bin starts in members
    for b in np.unique(where):
        group = members[first[b]:first[b] + counts[b]]
        local = ks[where == b] - (ends[b] - counts[b])
        out[where == b] = np.partition(group, local)[local]
    return out


def row_percentiles(rows, q, threads: int | None = None) -> np.ndarray:
    """Percentiles of each row, as ``np.percentile(rows, q, axis=1)`` (linear method).

    Parameters
    ----------
    rows : ndarray (m, n), or a sequence of m arrays (n,)
        Values, no NaN.
    q : sequence of float
        Percentiles in [0, 100].
    threads : int, optional
        Rows are done on this many threads (default: :func:`.parallel.default_threads`).

    Returns
    -------
    ndarray (len(q), m), float64
        Identical to ``np.percentile`` for float64 rows, including its
        interpolation ``b − (b − a)(1 − t)`` for fractions t ≥ 0.5; float32
        rows are interpolated in float64 (numpy would round to float32).
    """
    n = len(rows[0]) if len(rows) else 0
    pos = np.asarray(q, dtype=float) / 100.0 * (n - 1)
    below = np.floor(pos).astype(np.int64)
    above = np.minimum(below + 1, n - 1)
    frac = pos - below
    ks = np.unique(np.concatenate([below, above]))
    at_below, at_above = np.searchsorted(ks, below), np.searchsorted(ks, above)
    out = np.empty((len(pos), len(rows)))

    def one(i: int) -> None:
        values = order_statistics(rows[i], ks)
        a, b = values[at_below], values[at_above]
        out[:, i] = np.where(frac >= 0.5, b - (b - a) * (1 - frac), a + (b - a) * frac)

    run_each(one, range(len(rows)), threads)
    return out
