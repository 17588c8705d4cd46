"""Metrics of METHOD §8, per path, from the lines of a run.

:func:`evaluate` turns :class:`~fcfinance.engine.Flows` into signed line
totals, project net cash per reporting period, the financing recursion and
every metric, all as arrays over paths.  Money leaves this module in 万元.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .components.financing import PeriodWalk, walk_periods
from .engine import Flows
from .irr import irr as batch_irr
from .irr import npv
from .lines import net_by_period
from .names import LINE_BY_KEY, LINES, PROJECT_LINES, WAN


@dataclass
class Evaluation:
    """Per-path results of a run.

    Attributes
    ----------
    totals : dict of ndarray (P,)
        Signed total of every line of METHOD §11 over the horizon. [万元]
    net : ndarray (P, T)
        Project net cash per reporting period (no bonds, no interest). [万元]
    cumulative : ndarray (P, T)
        Cumulative project net cash (float32 without ``detail``). [万元]
    balance : ndarray (P, T) or None
        Cumulative cash after bonds and gap/deposit interest, C(p) (with ``detail``). [万元]
    financing : dict of ndarray (P, T)
        Signed gap and deposit interest per period, and with ``detail`` each
        bond line. [万元]
    metrics : dict of ndarray (P,)
        Every metric of METHOD §8 (money in 万元; ``peak_funding_period`` as a
        period index, −1 when there is no funding need; ``irr`` only when asked).
    irr_code : ndarray (P,) or None
        0 unique IRR, 1 none, 2 several (see :data:`fcfinance.irr.NOTES`).
    clipped : ndarray of bool (P,)
        Paths on which a flow was pushed past the horizon and booked in the last month.
    """

    totals: dict[str, np.ndarray]
    net: np.ndarray
    cumulative: np.ndarray
    balance: np.ndarray
    financing: dict[str, np.ndarray]
    metrics: dict[str, np.ndarray]
    irr_code: np.ndarray | None
    clipped: np.ndarray


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """num/den, NaN where den is 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den != 0, num / np.where(den != 0, den, 1.0), np.nan)


@dataclass
class ProjectCash:
    """A run's project and bond cash, before the financing walk.

    Everything here adds across projects placed on one grid (a platform:
    :meth:`__add__`), so that the walk can run once on the sum.

    Attributes
    ----------
    totals : dict of ndarray (P,)
        Signed total of every line of METHOD §11 but gap and deposit interest. [万元]
    net : ndarray (P, T)
        Project net cash per reporting period (no bonds, no interest). [万元]
    bonds : ndarray (P, T)
        Signed bond flows per period (proceeds, interest, principal). [万元]
    land_premium_gross : ndarray (P,)
        Gross premium before deductions. [万元]
    implied_discount : ndarray (P,)
        Extra-area discount to in-kind households (not a cash flow). [万元]
    clipped : ndarray of bool (P,)
        Paths on which a flow was pushed past the horizon and booked in the last month.
    """

    totals: dict[str, np.ndarray]
    net: np.ndarray
    bonds: np.ndarray
    land_premium_gross: np.ndarray
    implied_discount: np.ndarray
    clipped: np.ndarray

    def __add__(self, other: ProjectCash) -> ProjectCash:
        return ProjectCash({k: self.totals[k] + other.totals[k] for k in self.totals},
                           self.net + other.net, self.bonds + other.bonds,
                           self.land_premium_gross + other.land_premium_gross,
                           self.implied_discount + other.implied_discount, self.clipped | other.clipped)


BOND_KEYS = ("bond_proceeds", "bond_interest", "bond_principal")


def project_cash(flows: Flows) -> ProjectCash:
    """Signed line totals, project net cash and bond flows by reporting period (万元).

    Parameters
    ----------
    flows : Flows
        Output of :func:`fcfinance.engine.compute_lines`.
    """
    tl, n = flows.timeline, flows.n_paths
    T, mpp = tl.periods, tl.months_per_period
    lines = flows.lines
    # "+ 0.0" turns the −0.0 of a signed empty line into 0.0
    totals = {spec.key: spec.sign * lines[spec.key].total(n) / WAN + 0.0
              for spec in LINES if spec.key in lines}
    net = net_by_period([(spec.sign, lines[spec.key]) for spec in PROJECT_LINES], n, T, mpp, 1 / WAN)
    bonds = net_by_period([(LINE_BY_KEY[key].sign, lines[key]) for key in BOND_KEYS], n, T, mpp, 1 / WAN)
    clipped = np.zeros(n, dtype=bool)
    for line in lines.values():
        if any(profile.clipped.any() for _, profile in line.terms):
            clipped |= line.clipped_paths(n)
    return ProjectCash(totals, net, bonds, flows.land_premium_gross / WAN, flows.implied_discount / WAN, clipped)


def financing_walk(net: np.ndarray, bonds: np.ndarray, financing: Any, per_year: int, detail: bool = True,
                   cumulative_out: np.ndarray | None = None) -> PeriodWalk:
    """The gap-financing walk (METHOD §7) on any project net cash: one project's or a platform's sum.

    Parameters
    ----------
    net, bonds : ndarray (P, T)
        Project net cash and signed bond flows per period. [万元]
    financing : mapping or None
        ``deposit_rate`` and ``gap_rate`` [1/year] (absent: 0).
    per_year : int
        Reporting periods per year k.
    detail : bool
        Keep C(p) and the interest of every period, and the cumulative net
        cash in float64; otherwise only the cumulative, in float32.
    cumulative_out : ndarray (T, P), optional
        Where to write the cumulative project net cash.
    """
    fin = financing or {}
    return walk_periods(np.ascontiguousarray(net.T), bonds.T, fin.get("deposit_rate", 0.0),
                        fin.get("gap_rate", 0.0), per_year, keep=detail,
                        cumulative_dtype=None if detail else np.float32, cumulative_out=cumulative_out)


def metrics_of(cash: ProjectCash, walk: PeriodWalk, discount_rate: Any, per_year: int,
               with_irr: bool = True) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], np.ndarray | None]:
    """Every metric of METHOD §8 from the cash and its financing walk.

    Returns
    -------
    metrics : dict of ndarray (P,)
        Money in 万元; ``peak_funding_period`` as a period index (−1: no need).
    totals : dict of ndarray (P,)
        ``cash.totals`` with gap and deposit interest added. [万元]
    irr_code : ndarray (P,) or None
    """
    k = per_year
    totals = dict(cash.totals)
    totals["gap_interest"] = walk.gap_total + 0.0
    totals["deposit_interest"] = walk.deposit_total + 0.0
    inflows = sum(totals[s.key] for s in PROJECT_LINES if s.sign > 0)
    outflows = 0.0 - sum(totals[s.key] for s in PROJECT_LINES if s.sign < 0)
    need = np.maximum(0.0, -walk.low) + 0.0
    payback = np.where(walk.last_negative < 0, 0.0, (walk.last_negative + 1.0) / k)
    payback = np.where(walk.final < 0, np.nan, payback)
    bond_debt = -(totals["bond_principal"] + totals["bond_interest"])
    metrics = {
        "project_inflows": inflows,
        "project_outflows": outflows,
        "net_balance": inflows - outflows,
        "balance_ratio": _ratio(inflows, outflows),
        "npv": npv(cash.net, discount_rate, k),
        "peak_funding_need": need,
        "peak_funding_period": np.where(need > 0, walk.low_period, -1),
        "payback_years": payback,
        "bond_coverage": _ratio(inflows + totals["operating_costs"], bond_debt),
        "ending_balance": walk.ending,
        "financing_cost": 0.0 - (totals["bond_interest"] + totals["gap_interest"]) - totals["deposit_interest"],
        "operating_ratio": _ratio(totals["operating_revenue"], -totals["operating_costs"]),
        "resident_discount_value": -totals["voucher_return_discount"] + cash.implied_discount,
        "land_premium_gross": cash.land_premium_gross,
    }
    code = None
    if with_irr:
        metrics["irr"], code = batch_irr(cash.net, k)
    return metrics, totals, code


def evaluate(flows: Flows, params: Any, with_irr: bool = True,
             detail: bool = True, cumulative_out: np.ndarray | None = None) -> Evaluation:
    """Line totals, period nets, financing and every metric, for every path.

    :func:`project_cash`, then :func:`financing_walk`, then :func:`metrics_of`.

    Parameters
    ----------
    flows : Flows
        Output of :func:`fcfinance.engine.compute_lines`.
    params : mapping
        The same parameters (for the discount, deposit and gap rates).
    with_irr : bool
        Compute the IRR (costly: a root count per path).
    detail : bool
        Keep every period of every financing line and of C(p) in float64
        (tables of one run); Monte Carlo keeps only the cumulative project
        net cash, in float32, for the fan.
    cumulative_out : ndarray (T, P), optional
        Where to write the cumulative project net cash (period-major, e.g. a
        float32 slice of a Monte Carlo run's array); ``cumulative`` is then
        its (P, T) view.
    """
    tl, n = flows.timeline, flows.n_paths
    T, mpp, k = tl.periods, tl.months_per_period, tl.per_year
    cash = project_cash(flows)
    walk = financing_walk(cash.net, cash.bonds, params.get("financing"), k, detail, cumulative_out)
    discount = (params.get("timeline") or {}).get("discount_rate", 0.0)
    metrics, totals, code = metrics_of(cash, walk, discount, k, with_irr)
    financing: dict[str, np.ndarray] = {}
    if detail:
        financing["gap_interest"] = np.minimum(walk.interest, 0.0).T
        financing["deposit_interest"] = np.maximum(walk.interest, 0.0).T
        for key in BOND_KEYS:
            financing[key] = LINE_BY_KEY[key].sign * flows.lines[key].periods(n, T, mpp) / WAN
    balance = walk.balance.T if walk.balance is not None else None
    return Evaluation(totals, cash.net, walk.cumulative.T, balance, financing, metrics, code, cash.clipped)
