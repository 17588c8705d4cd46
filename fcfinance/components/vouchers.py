"""Housing vouchers (房票, METHOD §3)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..lines import Line
from ..profile import Key, Profile, build, lagged_sum_rows
from .shapes import at_month, delayed


def voucher_lines(*, signing: Profile, face_value_yuan: Key, redemption_rate: Key,
                  validity_months: Key, tiers: Sequence[tuple[int, Key]],
                  return_discount_yuan: Key, return_month: Key | None,
                  n_months: int) -> dict[str, Line]:
    """Redemptions with age-tiered bonus, expiries settled in cash, buy-back discount.

    Vouchers issued in month s (share σ(s) of the face value ``v·V``) are
    redeemed, share ρ, evenly over months s … s+L−1 with the bonus of the
    tier with the smallest ``within_months`` above the age; the rest is
    settled at face value in month s+L.

    Parameters
    ----------
    signing : Profile
        Signing shares σ.
    face_value_yuan : v·V, total face value issued. [元]
    redemption_rate : ρ [share]
    validity_months : L [months]
    tiers : sequence of (within_months, rate)
        Strictly increasing ``within_months`` [months]; ``rate`` [share of face value].
    return_discount_yuan : discount paid to buy-back households. [元]
    return_month : month the discount is paid, or None. [month offset]

    Returns
    -------
    dict of Line
        voucher_redemption, voucher_expiry, voucher_return_discount (magnitudes, 元).
    """
    L = np.asarray(validity_months, dtype=float)
    per_month = np.asarray(face_value_yuan) * np.asarray(redemption_rate) / L

    def ages(lo: float, hi_key: Key) -> Profile:
        return build(lambda rows, hi, l: lagged_sum_rows(rows, np.full(rows.shape[0], lo),
                                                         np.minimum(hi, l), n_months),
                     signing, hi_key, validity_months)

    redemption = Line().add(per_month, ages(0.0, validity_months))
    lo = 0.0
    for within, rate in tiers:
        redemption.add(per_month * np.asarray(rate), ages(lo, within))
        lo = float(within)
    expiry = Line().add(np.asarray(face_value_yuan) * (1.0 - np.asarray(redemption_rate)),
                        delayed(signing, validity_months))
    discount = Line()
    if return_month is not None:
        discount.add(return_discount_yuan, at_month(return_month, n_months))
    return {"voucher_redemption": redemption, "voucher_expiry": expiry,
            "voucher_return_discount": discount}
