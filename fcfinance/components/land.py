"""Land premium (土地出让金, METHOD §6)."""

from __future__ import annotations

from collections.abc import Sequence
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


def gross_premium(p: ParcelInputs) -> np.ndarray:
    """Premium ``area·far·floor_price·(1 + uplift)``, the uplift earned when every required
    work is complete by the sale month (start + months ≤ sale). [元]"""
    base = np.multiply(np.multiply(p.area_m2, p.far), p.floor_price_yuan_m2)
    if not len(p.uplift_completions):
        return np.asarray(base, dtype=float)
    earned = np.ones_like(np.asarray(p.sale, dtype=float), dtype=bool)
    for done in p.uplift_completions:
        earned = earned & (np.asarray(done) <= np.asarray(p.sale))
    return base * (1.0 + np.asarray(p.uplift_rate) * earned)


def land_lines(parcels: Sequence[ParcelInputs], deduction_rate: Key, return_rate: Key,
               n_months: int) -> tuple[dict[str, Line], np.ndarray]:
    """Installments returned to the project, and the gross premium.

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
    for p in parcels:
        gross = gross_premium(p)
        gross_total = gross_total + gross
        for after, share in p.payments:
            line.add(gross * np.asarray(share) * net_factor, at_month(np.add(p.sale, after), n_months))
    return {"land_premium": line}, gross_total
