"""Acquisition and compensation (征收补偿, METHOD §2)."""

from __future__ import annotations

import numpy as np

from ..lines import Line
from ..profile import Key, Profile, build
from .shapes import at_month


def until_handover_rows(signing: np.ndarray, handover: np.ndarray, n_months: int):
    """Cumulative signed share ``Σ_{s≤j} σ(s)`` in each month ``j < h`` (METHOD §2).

    Months from the end of the grid up to a handover pushed past it are
    booked in the last month.

    Parameters
    ----------
    signing : ndarray (U, M)
        Signing shares σ.
    handover : ndarray (U,)
        Handover month h. [month offset]
    """
    h = np.asarray(handover, dtype=float)
    cum = np.cumsum(signing, axis=1)
    j = np.arange(n_months)[None, :]
    rows = np.where(j < h[:, None], cum, 0.0)
    beyond = np.maximum(h - n_months, 0.0)
    rows[:, -1] += beyond * cum[:, -1]
    return rows, beyond > 0


def acquisition_lines(*, signing: Profile, households: Key, residential_area_m2: Key,
                      nonresidential_area_m2: Key, house_value_yuan_m2: Key,
                      nonresidential_value_yuan_m2: Key, moving_allowance_yuan_m2: Key,
                      signing_reward_yuan_household: Key, transition_allowance_yuan_m2_month: Key,
                      cash_share: Key, cash_bonus_rate: Key, in_kind_share: Key,
                      handover: Key | None, demolition: Profile | None, demolition_area_m2: Key,
                      demolition_works_yuan_m2: Key, n_months: int) -> dict[str, Line]:
    """Compensation, rewards, allowances and demolition works.

    Parameters
    ----------
    signing : Profile
        Signing window shares σ(j).
    households : H [households]; residential_area_m2 : A [m²];
    nonresidential_area_m2 : A_n [m²]
    house_value_yuan_m2, nonresidential_value_yuan_m2 : [元/m²]
    moving_allowance_yuan_m2 : [元/m²]; signing_reward_yuan_household : [元/household]
    transition_allowance_yuan_m2_month : [元/m²/month]
    cash_share, in_kind_share : c, i [share]; cash_bonus_rate : [share]
    handover : h [month offset], or None without in-kind resettlement
    demolition : Profile or None
        Demolition window shares.
    demolition_area_m2 : [m²]; demolition_works_yuan_m2 : [元/m²]

    Returns
    -------
    dict of Line
        cash_compensation, signing_rewards, moving_allowance,
        transition_allowance, demolition_works (magnitudes, 元).
    """
    house_value = np.multiply(residential_area_m2, house_value_yuan_m2)
    nonres_value = np.multiply(nonresidential_area_m2, nonresidential_value_yuan_m2)
    cash = cash_share * house_value * (1.0 + np.asarray(cash_bonus_rate)) + nonres_value
    moving = np.multiply(residential_area_m2, moving_allowance_yuan_m2)
    lines = {
        "cash_compensation": Line().add(cash, signing),
        "signing_rewards": Line().add(np.multiply(households, signing_reward_yuan_household), signing),
        "moving_allowance": Line().add(moving, signing),
        "transition_allowance": Line(),
        "demolition_works": Line(),
    }
    if handover is not None:
        lines["moving_allowance"].add(in_kind_share * moving, at_month(handover, n_months))
        stay = build(lambda rows, h: until_handover_rows(rows, h, n_months), signing, handover)
        lines["transition_allowance"].add(
            in_kind_share * np.multiply(residential_area_m2, transition_allowance_yuan_m2_month), stay)
    if demolition is not None:
        lines["demolition_works"].add(np.multiply(demolition_area_m2, demolition_works_yuan_m2), demolition)
    return lines
