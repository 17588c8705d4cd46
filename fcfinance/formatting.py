"""How numbers are shown in tables and summaries (one rule for every command)."""

from __future__ import annotations

import math
from typing import Any


def format_value(value: Any, unit: str, signed: bool = False) -> str:
    """A metric value for display.

    Parameters
    ----------
    value : float, str or None
        NaN and None show as "—"; strings (a period label) as they are.
    unit : str
        '万元' (thousands separators, 2 decimals), 'rate' (percent, or
        percentage points when ``signed``), 'ratio' (4 decimals), else 2 decimals.
    signed : bool
        Show the sign, for differences.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, str):
        return value
    sign = "+" if signed else ""
    if unit == "万元":
        return f"{value:{sign},.2f}"
    if unit == "rate":
        return f"{value * 100:+.4f} pp" if signed else f"{value:.4%}"
    if unit == "ratio":
        return f"{value:{sign}.4f}"
    return f"{value:{sign}.2f}"
