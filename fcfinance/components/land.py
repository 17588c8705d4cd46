"""Land premium (土地出让金, METHOD §6)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from ..lines import Line
from ..profile import Key
from .shapes import at_month


@dataclass
class ParcelInputs:
    """One parcel's inputs (scalars or arrays over paths).

    Attributes
    ----------
    area_m2 : land area [m²]; far : floor area ratio; floor_price_yuan_m2 : [元/m² floor]
    sale : month of sale [month offset]
    payments : list of (after_months [months], share)
    uplift_rate : [share]; uplift_completions : completion months of the required works [month offset]
    """

    area_m2: Key
    far: Key
    floor_price_yuan_m2: Key
    sale: Key
    payments: Sequence[tuple[Key, Key]]
    uplift_rate: Key = 0.0
    uplift_completions: Sequence[Key] = ()


@dataclass
class ParcelPremium:
    """One parcel's premium before deductions, and when it is paid (METHOD §6).

    Every amount is a scalar or an array over paths (P,).

    Attributes
    ----------
    base_yuan : ``area·far·floor_price``, the premium without uplift. [元]
    gross_yuan : ``base·(1 + uplift.rate·earned)``, the premium the buyer pays. [元]
    uplift_yuan : ``gross − base``, the uplift that completed facilities earned (配套先行). [元]
    uplift_offered_yuan : ``base·uplift.rate``, the uplift on offer, earned or not (0 without
        an uplift rule). [元]
    uplift_rate : the parcel's uplift rate, earned or not. [share]
    earned : bool, every required work complete by the sale month.
    sale : month of sale. [month offset]
    completions : completion months of the required works. [month offset]
    installments : list of (month [month offset], gross amount [元])
        ``premium·share`` in month ``sale + after_months``, before deductions.
    """

    base_yuan: np.ndarray
    gross_yuan: np.ndarray
    uplift_yuan: np.ndarray
    uplift_offered_yuan: np.ndarray
    uplift_rate: Key
    earned: np.ndarray
    sale: Key
    completions: Sequence[Key]
    installments: list[tuple[Key, np.ndarray]]


def parcel_premium(p: ParcelInputs) -> ParcelPremium:
    """Base premium, uplift earned and installments of one parcel (METHOD §6).

    The uplift is earned when every required work is complete by the sale
    month (start + months ≤ sale).  :func:`land_lines` books these
    installments, and the engine keeps them for charts and tables, so both use the same numbers.
    """
    base = np.asarray(np.multiply(np.multiply(p.area_m2, p.far), p.floor_price_yuan_m2), dtype=float)
    earned = np.zeros_like(np.asarray(p.sale, dtype=float), dtype=bool)
    gross = base
    offered = np.zeros_like(base)
    if len(p.uplift_completions):
        offered = base * np.asarray(p.uplift_rate)
        earned = ~earned
        for done in p.uplift_completions:
            earned = earned & (np.asarray(done) <= np.asarray(p.sale))
        gross = base * (1.0 + np.asarray(p.uplift_rate) * earned)
    installments = [(np.add(p.sale, after), gross * np.asarray(share)) for after, share in p.payments]
    return ParcelPremium(base_yuan=base, gross_yuan=gross, uplift_yuan=gross - base,
                         uplift_offered_yuan=offered,
                         uplift_rate=p.uplift_rate, earned=earned, sale=p.sale,
                         completions=list(p.uplift_completions), installments=installments)


def land_lines(premiums: Iterable[ParcelPremium], deduction_rate: Key, return_rate: Key,
               n_months: int) -> tuple[dict[str, Line], np.ndarray]:
    """Installments returned to the project, and the gross premium.

    Parameters
    ----------
    premiums : iterable of ParcelPremium
        Each parcel's premium and installments, from :func:`parcel_premium`.
    deduction_rate, return_rate : [share]
    n_months : grid length [months]

    Returns
    -------
    lines : dict of Line
        land_premium: each installment ``premium·share·(1 − deduction)·return`` in month
        sale + after_months [元].
    gross : ndarray
        Total gross premium before deductions [元].
    """
    net_factor = (1.0 - np.asarray(deduction_rate)) * np.asarray(return_rate)
    line = Line()
    gross_total = np.zeros(())
    for premium in premiums:
        gross_total = gross_total + premium.gross_yuan
        for month, amount in premium.installments:
            line.add(amount * net_factor, at_month(month, n_months))
    return {"land_premium": line}, gross_total
