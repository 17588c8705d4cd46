"""Internal rate of return with METHOD §8's uniqueness rule, batched over paths.

The IRR is the annual rate r solving ``Σ_p net(p)/(1+r)^((p+1)/k) = 0``, reported
when exactly one root lies in (−0.99, 10).  Roots are counted as sign changes
of the NPV on a grid of step 0.001 in annual rate (a root of even
multiplicity makes no sign change and does not count), then the single
root is bracketed and refined by bisection to 1e-13, for every path at once.

Cheap sufficient tests spare most paths the grid.  Write the NPV as a
polynomial in ``x = (1+r)^(−1/k)``, coefficients the period flows.  Roots
with r > 0 are roots with x in (0, 1); their number is at most the number
of sign changes of the cumulative flows (Norstrøm's criterion, a case of
Pratt's bound); roots with −1 < r < 0 (x > 1) are bounded likewise by the
cumulative flows summed from the last period back.  Descartes' rule bounds
all roots with r > −1 by the sign changes of the flows themselves.  When
either bound is at most 1, the path has at most one root, and the NPV at
the two ends of (−0.99, 10) tells whether it lies inside.
"""

from __future__ import annotations

import numpy as np

LOW, HIGH, STEP = -0.99, 10.0, 0.001
GRID = LOW + STEP * np.arange(int(round((HIGH - LOW) / STEP)) + 1)
COARSE = np.append(GRID[::100], HIGH)  # step 0.1, to narrow the bracket of a root known to be unique

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
    factors = (1.0 + r.reshape(-1, 1)) ** (-t[None, :])  # (1, T) or (P, T)
    # summed period by period, not by BLAS: each path's NPV is then the same
    # bits whatever the number of paths beside it
    out = np.zeros(net.shape[0])
    for p in range(net.shape[1]):
        out += net[:, p] * factors[:, p]
    return out


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
    negative = values < 0
    if np.all(values != 0):  # the usual case: no zeros to skip
        change = negative[:, 1:] != negative[:, :-1]
        idx = np.broadcast_to(np.arange(values.shape[1]), values.shape)
    else:
        s = np.sign(values)
        # carry the last nonzero sign forward so zeros do not count as changes
        idx = np.where(s != 0, np.arange(s.shape[1])[None, :], 0)
        np.maximum.accumulate(idx, axis=1, out=idx)
        filled = np.take_along_axis(s, idx, axis=1)
        change = (filled[:, 1:] * filled[:, :-1]) < 0
    count = change.sum(axis=1)
    last = np.where(count > 0, change.shape[1] - 1 - np.argmax(change[:, ::-1], axis=1), -1)
    return count, last, idx


def root_bound(net: np.ndarray) -> np.ndarray:
    """Upper bound on the number of IRRs in r > −1 of each path (see the module notes).

    Parameters
    ----------
    net : ndarray (P, T)
        Period flows.

    Returns
    -------
    ndarray of int (P,)
        min(Descartes' count, Norstrøm's count for r > 0 + the mirrored count for r < 0),
        plus one where the flows sum to exactly 0 (a root at r = 0 that neither side counts).
    """
    descartes = _sign_changes(net)[0]
    forward = np.cumsum(net, axis=1)
    backward = np.cumsum(net[:, ::-1], axis=1)
    pratt = _sign_changes(forward)[0] + _sign_changes(backward)[0] + (forward[:, -1] == 0)
    return np.minimum(descartes, pratt)


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
    simple = root_bound(net) <= 1
    one = simple & (ends[:, 0] * ends[:, 1] < 0)
    code[simple & ~one] = 1
    if one.any():
        # at most one root, and it is inside: narrow its bracket on a coarse grid
        rows = np.flatnonzero(one)
        values = net[rows] @ _discount(COARSE, n_periods, per_year).T
        _, last, nonzero_at = _sign_changes(values)
        lo[rows] = COARSE[nonzero_at[np.arange(rows.size), last]]
        hi[rows] = COARSE[last + 1]

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


def _polynomial(net_t: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``f(x) = Σ_p net(p)·x^(p+1)`` and ``f'(x)`` by Horner's rule, every path at once.

    Parameters
    ----------
    net_t : ndarray (T, P)
        Period flows, period-major.
    x : ndarray (P,)
        ``(1 + r)^(−1/k)``.
    """
    f = np.zeros_like(x)
    df = np.zeros_like(x)
    for row in net_t[::-1]:
        df = df * x + f
        f = f * x + row
    # multiply by x once more: f(x) = x·g(x), f' = g + x·g'
    return f * x, f + df * x


def _bisect(net: np.ndarray, lo: np.ndarray, hi: np.ndarray, per_year: int) -> np.ndarray:
    """Refine bracketed roots of the NPV for every path at once.

    Works on ``x = (1+r)^(−1/k)``, where the NPV is a polynomial: Newton steps
    kept inside the bracket, bisection where a step would leave it, until
    the step is below the resolution of a double (1e-13 or better in r).
    """
    net_t = np.ascontiguousarray(net.T)
    xa = (1.0 + hi) ** (-1.0 / per_year)  # small x ↔ high rate
    xb = (1.0 + lo) ** (-1.0 / per_year)
    fa = _polynomial(net_t, xa)[0]
    x = 0.5 * (xa + xb)
    active = np.ones(x.shape, dtype=bool)
    for _ in range(200):
        f, df = _polynomial(net_t, x)
        keep_a = np.sign(f) == np.sign(fa)
        xa = np.where(keep_a, x, xa)
        fa = np.where(keep_a, f, fa)
        xb = np.where(keep_a, xb, x)
        with np.errstate(divide="ignore", invalid="ignore"):
            newton = x - f / df
        inside = np.isfinite(newton) & (newton >= xa) & (newton <= xb)
        converged = (f == 0) | (inside & (np.abs(newton - x) <= 1e-15 * np.abs(x)))
        step = np.where(inside, newton, 0.5 * (xa + xb))
        x = np.where(active, step, x)
        active &= ~converged & (xb - xa > 4e-16 * np.abs(x))
        if not active.any():
            break
    return x ** (-per_year) - 1.0
