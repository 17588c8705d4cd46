"""Operating revenues and costs, grants (METHOD §7)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..lines import Line
from ..profile import Key, Profile, build, place_rows


def operating_shape(start: Key, years: int, escalation: Key, n_months: int,
                    ramp_years: Key | None = None) -> Profile:
    """Monthly shape over the operating window, stepped up on each anniversary.

    Month ``j = O + m`` (m = 0 … 12·years − 1) carries ``(1 + g_o)^floor(m/12)``,
    times ``min(1, m/(12·ramp_years))`` when ``ramp_years`` is given.

    Parameters
    ----------
    start : O [month offset]; years : operating years [years]
    escalation : g_o [1/year]; ramp_years : [years] or None
    """
    m = np.arange(12 * years, dtype=float)[None, :]

    def rows(o, g, ry=None):
        shape = (1.0 + g[:, None]) ** np.floor(m / 12.0)
        if ry is not None:
            shape = shape * np.minimum(1.0, m / (12.0 * ry[:, None]))
        return place_rows(shape, o, n_months)

    if ramp_years is None:
        return build(rows, start, escalation)
    return build(rows, start, escalation, ramp_years)


def operations_lines(*, start: Key, years: int, escalation: Key,
                     revenues: Sequence[tuple[Key, object]], costs: Sequence[Key],
                     n_months: int) -> dict[str, Line]:
    """Operating revenue and cost lines.

    Parameters
    ----------
    revenues : sequence of (monthly amount [元/month], occupancy)
        Occupancy is a share (scalar or (P,)) or a tuple (initial, stable, ramp_years).
    costs : sequence of annual amounts [元/year]
    """
    flat = operating_shape(start, years, escalation, n_months)
    revenue = Line()
    for monthly, occupancy in revenues:
        if isinstance(occupancy, tuple):
            initial, stable, ramp_years = occupancy
            ramp = operating_shape(start, years, escalation, n_months, ramp_years)
            revenue.add(np.multiply(monthly, initial), flat)
            revenue.add(np.multiply(monthly, np.subtract(stable, initial)), ramp)
        else:
            revenue.add(np.multiply(monthly, occupancy), flat)
    cost = Line()
    for annual in costs:
        cost.add(np.asarray(annual) / 12.0, flat)
    return {"operating_revenue": revenue, "operating_costs": cost}
