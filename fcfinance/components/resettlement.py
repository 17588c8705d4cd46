"""In-kind resettlement (实物安置, METHOD §4)."""

from __future__ import annotations

import numpy as np

from ..lines import Line
from ..profile import Key, Profile
from .shapes import at_month, escalated


def resettlement_area_m2(*, in_kind_share: Key, residential_area_m2: Key, area_ratio: Key,
                         households: Key, extra_area_m2_household: Key) -> np.ndarray:
    """Area built ``A_in = i·A·area_ratio + i·H·extra_area``. [m²]"""
    return in_kind_share * (np.multiply(residential_area_m2, area_ratio)
                            + np.multiply(households, extra_area_m2_household))


def handover_month(*, start: Key, months: Key, handover_lag_months: Key) -> np.ndarray:
    """``h = construction.start + construction.months + handover_lag_months``. [month offset]"""
    return np.add(np.add(start, months), handover_lag_months)


def resettlement_lines(*, construction: Profile, area_built_m2: Key, construction_cost_yuan_m2: Key,
                       escalation: Key, handover: Key, extra_area_sold_m2: Key,
                       extra_area_price_yuan_m2: Key, n_months: int, origin: int = 0) -> dict[str, Line]:
    """Resettlement housing construction and residents' purchases of extra area.

    Parameters
    ----------
    construction : Profile
        Construction window shares.
    area_built_m2 : A_in [m²]
    construction_cost_yuan_m2 : [元/m²]
    escalation : works escalation g [1/year]
    handover : h [month offset]
    extra_area_sold_m2 : i·H·extra_area [m²]
    extra_area_price_yuan_m2 : resident price [元/m²]
    origin : grid month of the project's timeline start (escalation counts from it) [months]

    Returns
    -------
    dict of Line
        resettlement_construction (outflow), resident_purchases (inflow); magnitudes [元].
    """
    return {
        "resettlement_construction": Line().add(np.multiply(area_built_m2, construction_cost_yuan_m2),
                                                escalated(construction, escalation, origin)),
        "resident_purchases": Line().add(np.multiply(extra_area_sold_m2, extra_area_price_yuan_m2),
                                         at_month(handover, n_months)),
    }
