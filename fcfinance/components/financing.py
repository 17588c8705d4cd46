"""Special bonds (专项债) and gap financing (METHOD §7)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..lines import Line
from ..profile import Key
from .shapes import at_month


def repayment_shares(term_years: int, amortization) -> list[float]:
    """Share of principal repaid at anniversaries 1 … term (bullet: all at maturity)."""
    shares = [0.0] * term_years
    if amortization == "bullet":
        shares[-1] = 1.0
    else:
        for year, share in amortization:
            shares[year - 1] += share
    return shares


def bond_lines(bonds: Sequence[dict], n_months: int) -> dict[str, Line]:
    """Proceeds at issue; interest on outstanding principal and repayments at anniversaries.

    Parameters
    ----------
    bonds : sequence of dict
        ``amount_yuan`` [元], ``issue`` [month offset], ``coupon_rate`` [1/year],
        ``term_years`` [years], ``amortization`` ('bullet' or list of (year, share)).

    Returns
    -------
    dict of Line
        bond_proceeds (inflow), bond_interest, bond_principal (outflows); magnitudes [元].
    """
    out = {"bond_proceeds": Line(), "bond_interest": Line(), "bond_principal": Line()}
    for b in bonds:
        amount = np.asarray(b["amount_yuan"], dtype=float)
        out["bond_proceeds"].add(amount, at_month(b["issue"], n_months))
        outstanding = 1.0
        for n, share in enumerate(repayment_shares(b["term_years"], b["amortization"]), start=1):
            when = at_month(np.add(b["issue"], 12 * n), n_months)
            out["bond_interest"].add(amount * outstanding * np.asarray(b["coupon_rate"]), when)
            if share:
                out["bond_principal"].add(amount * share, when)
            outstanding -= share
    return out


@dataclass
class PeriodWalk:
    """What one pass over the reporting periods finds, for every path.

    Attributes
    ----------
    ending : ndarray (P,)
        C at the last period, after bonds and gap/deposit interest.
    gap_total, deposit_total : ndarray (P,)
        Sums of the negative (gap) and positive (deposit) interests, signed.
    low : ndarray (P,)
        Minimum over periods of the cumulative project net cash.
    low_period : ndarray of int (P,)
        First period attaining ``low``.
    last_negative : ndarray of int (P,)
        Last period whose cumulative project net cash is below 0 (−1: none).
    final : ndarray (P,)
        Cumulative project net cash at the last period.
    cumulative, balance, interest : ndarray (T, P) or None
        Kept when asked: cumulative project net cash, C(p), signed interest.
    """

    ending: np.ndarray
    gap_total: np.ndarray
    deposit_total: np.ndarray
    low: np.ndarray
    low_period: np.ndarray
    last_negative: np.ndarray
    final: np.ndarray
    cumulative: np.ndarray | None = None
    balance: np.ndarray | None = None
    interest: np.ndarray | None = None


def walk_periods(net_t: np.ndarray, bonds_t: np.ndarray, deposit_rate: Key, gap_rate: Key,
                 per_year: int, keep: bool = False, cumulative_dtype=None,
                 cumulative_out: np.ndarray | None = None) -> PeriodWalk:
    """Gap financing (METHOD §7) and the running extremes of cumulative net cash, in one pass.

    ``C(−1) = 0``; ``interest(p) = C(p−1)·((1+deposit)^(1/k) − 1)`` if ``C(p−1) ≥ 0``,
    else ``C(p−1)·((1+gap)^(1/k) − 1)``; ``C(p) = C(p−1) + interest(p) + net_fin(p)``,
    ``net_fin`` = project net + bond flows.  Each period is one step over
    every path at once.

    Parameters
    ----------
    net_t : ndarray (T, P)
        Project net cash per period, period-major. [any money unit]
    bonds_t : ndarray (T, P) or (T, 1)
        Signed bond flows per period.
    deposit_rate, gap_rate : scalar or ndarray (P,)
        Annual rates. [1/year]
    per_year : int
        Periods per year k.
    keep : bool
        Keep C(p) and the interest of every period (tables of one run).
    cumulative_dtype : dtype, optional
        Keep the cumulative project net cash of every period in this dtype
        (float32 for the Monte Carlo fan).
    cumulative_out : ndarray (T, P), optional
        Array to keep it in instead (any float dtype; overrides ``cumulative_dtype``).
    """
    up = (1.0 + np.asarray(deposit_rate, dtype=float)) ** (1.0 / per_year) - 1.0
    down = (1.0 + np.asarray(gap_rate, dtype=float)) ** (1.0 / per_year) - 1.0
    n_periods, n_paths = net_t.shape
    earns = np.any(up != 0)
    c = np.zeros(n_paths)
    cum = np.zeros(n_paths)
    gap_total = np.zeros(n_paths)
    deposit_total = np.zeros(n_paths)
    low = np.full(n_paths, np.inf)
    # periods as int32, updated by arithmetic on masks: a masked copy
    # (np.copyto(..., where=)) costs about 20× an add on unpredictable masks
    low_period = np.zeros(n_paths, dtype=np.int32)
    after_negative = np.zeros(n_paths, dtype=np.int32)  # last period with cum < 0, plus 1 (0: none)
    mask = np.empty(n_paths, dtype=bool)
    step = np.empty(n_paths, dtype=np.int32)
    neg = np.empty(n_paths)
    pos = np.empty(n_paths)
    bonds_t = np.asarray(bonds_t)
    same_bonds = bonds_t[:, 0] if bonds_t.shape[1] == 1 or bonds_t.strides[1] == 0 else None
    store = cumulative_dtype or (float if keep else None)
    cumulative = cumulative_out
    if cumulative is None and store is not None:
        cumulative = np.empty((n_periods, n_paths), dtype=store)
    balance = np.empty((n_periods, n_paths)) if keep else None
    interest = np.empty((n_periods, n_paths)) if keep else None
    for p in range(n_periods):
        np.minimum(c, 0.0, out=neg)
        neg *= down
        gap_total += neg
        c += neg
        if earns:
            np.maximum(c - neg, 0.0, out=pos)  # C(p−1) when it was ≥ 0
            pos *= up
            deposit_total += pos
            c += pos
        if keep:
            interest[p] = neg + pos if earns else neg
        c += net_t[p]
        if same_bonds is None:
            c += bonds_t[p]
        elif same_bonds[p] != 0.0:  # the same bond flow on every path: a number, when there is one
            c += same_bonds[p]
        cum += net_t[p]
        np.less(cum, low, out=mask)  # a new low: low_period += mask·(p − low_period)
        np.subtract(p, low_period, out=step)
        step *= mask
        low_period += step
        np.minimum(low, cum, out=low)
        np.less(cum, 0.0, out=mask)  # periods only grow: after_negative = max(., mask·(p + 1))
        np.multiply(mask, p + 1, out=step)
        np.maximum(after_negative, step, out=after_negative)
        if cumulative is not None:
            cumulative[p] = cum
        if keep:
            balance[p] = c
    return PeriodWalk(c, gap_total, deposit_total, low, low_period.astype(np.intp), after_negative - np.intp(1), cum,
                      cumulative, balance, interest)


def gap_financing(net_fin: np.ndarray, deposit_rate: Key, gap_rate: Key,
                  per_year: int) -> tuple[np.ndarray, np.ndarray]:
    """Cumulative cash after financing and the interest on it (see :func:`walk_periods`).

    Parameters
    ----------
    net_fin : ndarray (P, T)
        Project net plus bond flows per period. [元]
    deposit_rate, gap_rate : [1/year]
    per_year : k, periods per year

    Returns
    -------
    balance : ndarray (P, T)
        C(p). [元]
    interest : ndarray (P, T)
        Signed interest (deposit positive, gap negative). [元]
    """
    flows = np.ascontiguousarray(np.asarray(net_fin, dtype=float).T)
    walk = walk_periods(flows, np.zeros((flows.shape[0], 1)), deposit_rate, gap_rate, per_year, keep=True)
    return walk.balance.T, walk.interest.T
