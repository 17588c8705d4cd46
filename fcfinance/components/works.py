"""Public works, soft costs and contingency (METHOD §5)."""

from __future__ import annotations

from collections.abc import Sequence

from ..lines import Line
from ..profile import Key, Profile
from .shapes import escalated


def works_line(items: Sequence[tuple[Key, Profile, Key]], origin: int = 0) -> Line:
    """Public works: each item's cost spread by its window and escalated.

    Parameters
    ----------
    items : sequence of (cost_yuan, window shares, escalation)
        Cost [元], window Profile, annual escalation [1/year].
    origin : int
        Grid month of the project's timeline start (escalation counts from it). [months]
    """
    line = Line()
    for cost, shape, rate in items:
        line.add(cost, escalated(shape, rate, origin))
    return line


def soft_and_contingency(construction: Line, public_works: Line, soft_cost_rate: Key,
                         contingency_rate: Key) -> dict[str, Line]:
    """``soft = rate·(construction + works)``; ``contingency = rate·(construction + works + soft)``.

    Parameters
    ----------
    construction, public_works : Line
        Resettlement construction and public works [元].
    soft_cost_rate, contingency_rate : [share]
    """
    base = construction + public_works
    soft = base.scaled(soft_cost_rate)
    return {"soft_costs": soft, "contingency": (base + soft).scaled(contingency_rate)}
