"""Internal rate of return with METHOD §8's uniqueness rule, batched over paths.

The IRR is the annual rate r solving ``Σ_p net(p)/(1+r)^((p+1)/k) = 0``, reported
when exactly one root lies in (−0.99, 10).  Roots are counted as sign changes
of the NPV on a grid of step 0.001 in annual rate (a root of even
multiplicity makes no sign change and does not count), then the single
root is bracketed and refined by bisection to 1e-13, for every path at once.

A cheap sufficient test spares most paths the grid: when the period flows
change sign exactly once, Descartes' rule of signs gives exactly one root
in r > −1, so only the NPV at the two ends of the interval is needed.
"""

from __future__ import annotations

import numpy as np

LOW, HIGH, STEP = -0.99, 10.0, 0.001
GRID = LOW + STEP * np.arange(int(round((HIGH - LOW) / STEP)) + 1)

NOTES = {
    0: "",
    1: "no IRR: the NPV does not change sign for rates in (−0.99, 10)",
    2: "no unique IRR: the NPV changes sign more than once for rates in (−0.99, 10)",
}


def _discount(rates: np.ndarray, n_periods: int, per_year: int) -> np.ndarray:
    """Discount factors (len(rates), T): ``(1+r)^(−(p+1)/k)``."""
    t = (np.arange(n_periods) + 1.0) / per_year
    return (1.0 + rates[:, None]) ** (-t[None, :])


def npv(net: np.ndarray, rate, per_year: int) -> np.ndarray:
    """Net present value of period flows.

    Parameters
    ----------
    net : ndarray (P, T)
        Net flow per period. [any money unit]
    rate : scalar or ndarray (P,)
        Annual discount rate. [1/year]
    per_year : int
        Periods per year k.

    Returns
    -------
    ndarray (P,)
    """
    t = (np.arange(net.shape[1]) + 1.0) / per_year
    r = np.asarray(rate, dtype=float)
    if r.size == 1:  # one rate for all paths: a matrix-vector product
        return net @ (1.0 + r.reshape(())) ** (-t)
    return (net * (1.0 + r.reshape(-1, 1)) ** (-t[None, :])).sum(axis=1)


def _sign_changes(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sign changes along axis 1, zeros ignored.

    Returns
    -------
    count : ndarray (P,)
        Number of changes.
    last : ndarray (P,)
        Index j of the last change (between the last nonzero value at or
        before j and the value at j + 1); −1 when none.
    nonzero_at : ndarray (P, N)
        Index of the last nonzero value at or before each position.
    """
    s = np.sign(values)
    # carry the last nonzero sign forward so zeros do not count as changes
    idx = np.where(s != 0, np.arange(s.shape[1])[None, :], 0)
    np.maximum.accumulate(idx, axis=1, out=idx)
    filled = np.take_along_axis(s, idx, axis=1)
    change = (filled[:, 1:] * filled[:, :-1]) < 0
    count = change.sum(axis=1)
    last = np.where(count > 0, change.shape[1] - 1 - np.argmax(change[:, ::-1], axis=1), -1)
    return count, last, idx


def irr(net: np.ndarray, per_year: int, chunk: int = 2048) -> tuple[np.ndarray, np.ndarray]:
    """IRR of every path, NaN where there is no unique root in (−0.99, 10).

    Parameters
    ----------
    net : ndarray (P, T)
        Project net flow per period.
    per_year : int
        Periods per year k.
    chunk : int
        Paths per grid evaluation (memory: chunk × 10,991 floats).

    Returns
    -------
    rate : ndarray (P,)
        Annual IRR. [1/year]
    code : ndarray of int (P,)
        0 unique root, 1 no root, 2 several roots (see :data:`NOTES`).
    """
    net = np.atleast_2d(np.asarray(net, dtype=float))
    n_paths, n_periods = net.shape
    lo = np.full(n_paths, np.nan)
    hi = np.full(n_paths, np.nan)
    code = np.zeros(n_paths, dtype=np.int8)

    ends = net @ _discount(np.array([LOW, HIGH]), n_periods, per_year).T
    flow_changes = _sign_changes(net)[0]
    simple = flow_changes <= 1
    one = simple & (ends[:, 0] * ends[:, 1] < 0)
    lo[one], hi[one] = LOW, HIGH
    code[simple & ~one] = 1

    rest = np.flatnonzero(~simple)
    if rest.size:
        factors = _discount(GRID, n_periods, per_year).T  # (T, G)
        for start in range(0, rest.size, chunk):
            rows = rest[start:start + chunk]
            values = net[rows] @ factors
            count, last, nonzero_at = _sign_changes(values)
            code[rows[count == 0]] = 1
            code[rows[count > 1]] = 2
            single = count == 1
            k = last[single]
            lo[rows[single]] = GRID[nonzero_at[single, k]]
            hi[rows[single]] = GRID[k + 1]
    found = code == 0
    rate = np.full(n_paths, np.nan)
    if found.any():
        rate[found] = _bisect(net[found], lo[found], hi[found], per_year)
    return rate, code


def _bisect(net: np.ndarray, lo: np.ndarray, hi: np.ndarray, per_year: int) -> np.ndarray:
    """Refine bracketed roots of the NPV, every path at once, to 1e-13 in rate."""
    f_lo = npv(net, lo, per_year)
    for _ in range(100):
        mid = 0.5 * (lo + hi)
        f_mid = npv(net, mid, per_year)
        left = np.sign(f_mid) == np.sign(f_lo)
        lo = np.where(left, mid, lo)
        f_lo = np.where(left, f_mid, f_lo)
        hi = np.where(left, hi, mid)
        if np.all(hi - lo < 1e-13):
            break
    return 0.5 * (lo + hi)
