"""Special bonds (专项债) and gap financing (METHOD §7)."""

from __future__ import annotations

from typing import Sequence

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


def gap_financing(net_fin: np.ndarray, deposit_rate: Key, gap_rate: Key,
                  per_year: int) -> tuple[np.ndarray, np.ndarray]:
    """Cumulative cash after financing, with interest on it, period by period.

    ``C(−1) = 0``; ``interest(p) = C(p−1)·((1+deposit)^(1/k) − 1)`` if ``C(p−1) ≥ 0``,
    else ``C(p−1)·((1+gap)^(1/k) − 1)``; ``C(p) = C(p−1) + interest(p) + net_fin(p)``.

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
    up = (1.0 + np.asarray(deposit_rate, dtype=float)) ** (1.0 / per_year) - 1.0
    down = (1.0 + np.asarray(gap_rate, dtype=float)) ** (1.0 / per_year) - 1.0
    n_paths, n_periods = net_fin.shape
    flows = np.ascontiguousarray(net_fin.T)  # one contiguous row per period
    balance = np.empty_like(flows)
    interest = np.empty_like(flows)
    c = np.zeros(n_paths)
    for p in range(n_periods):
        np.multiply(c, np.where(c >= 0, up, down), out=interest[p])
        c += interest[p]
        c += flows[p]
        balance[p] = c
    return balance.T, interest.T
