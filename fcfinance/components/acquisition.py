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


def compensation_bases(*, residential_area_m2: Key, nonresidential_area_m2: Key,
                       house_value_yuan_m2: Key, nonresidential_value_yuan_m2: Key,
                       moving_allowance_yuan_m2: Key) -> dict[str, np.ndarray]:
    """The amounts that compensation lines are built from (METHOD §2).

    Returns
    -------
    dict
        ``house_value`` V = A·house_value, every home acquired [元];
        ``nonresidential_value`` V_n = A_n·nonresidential_value, paid in cash
        whatever the relocation mode [元]; ``moving_per_move`` A·moving_allowance,
        one move of every household [元].
    """
    return {
        "house_value": np.multiply(residential_area_m2, house_value_yuan_m2),
        "nonresidential_value": np.multiply(nonresidential_area_m2, nonresidential_value_yuan_m2),
        "moving_per_move": np.multiply(residential_area_m2, moving_allowance_yuan_m2),
    }


def acquisition_lines(*, signing: Profile, households: Key, house_value_yuan: Key,
                      nonresidential_value_yuan: Key, moving_yuan: Key,
                      signing_reward_yuan_household: Key, transition_yuan_month: Key,
                      cash_share: Key, cash_bonus_rate: Key, in_kind_share: Key,
                      handover: Key | None, n_months: int) -> dict[str, Line]:
    """Compensation, rewards and allowances of the households acquired.

    Parameters
    ----------
    signing : Profile
        Signing window shares σ(j).
    households : H [households]
    house_value_yuan : V = A·house_value [元]; nonresidential_value_yuan : V_n [元]
    moving_yuan : A·moving_allowance, one move of every household [元]
    signing_reward_yuan_household : [元/household]
    transition_yuan_month : A·transition allowance [元/month]
    cash_share, in_kind_share : c, i [share]; cash_bonus_rate : [share]
    handover : h [month offset], or None without in-kind resettlement

    Returns
    -------
    dict of Line
        cash_compensation ``σ(j)·(c·V·(1+bonus) + V_n)``, signing_rewards ``σ(j)·H·reward``,
        moving_allowance ``σ(j)·A·rate`` plus ``i·A·rate`` at h, transition_allowance
        ``i·A·rate·Σ_{s≤j}σ(s)`` for j < h (magnitudes, 元).
    """
    cash = cash_share * np.asarray(house_value_yuan) * (1.0 + np.asarray(cash_bonus_rate)) \
        + nonresidential_value_yuan
    lines = {
        "cash_compensation": Line().add(cash, signing),
        "signing_rewards": Line().add(np.multiply(households, signing_reward_yuan_household), signing),
        "moving_allowance": Line().add(moving_yuan, signing),
        "transition_allowance": Line(),
    }
    if handover is not None:
        lines["moving_allowance"].add(in_kind_share * np.asarray(moving_yuan), at_month(handover, n_months))
        stay = build(lambda rows, h: until_handover_rows(rows, h, n_months), signing, handover)
        lines["transition_allowance"].add(in_kind_share * np.asarray(transition_yuan_month), stay)
    return lines


def demolition_line(demolition: Profile, demolition_area_m2: Key, demolition_works_yuan_m2: Key) -> Line:
    """Demolition works: window share · demolition area · rate (METHOD §2). [元]

    Parameters
    ----------
    demolition : Profile
        Demolition window shares.
    demolition_area_m2 : [m²]; demolition_works_yuan_m2 : [元/m²]
    """
    return Line().add(np.multiply(demolition_area_m2, demolition_works_yuan_m2), demolition)
