"""How numbers are shown — one rule for every command, notebook table, chart, workbook and summary.

* money in 万元 with thousands separators (``-24,597``; 2 decimals in tables);
* 资金平衡率 (unit ``percent``) as a percentage with two decimals (``97.35%``);
* rates such as the IRR (unit ``rate``) as a percentage with two decimals
  (``5.23%``; differences in percentage points, ``+0.12 pp``);
* probabilities as percentages with their standard error, to the error's
  first significant digit (``5.5% ± 0.1%``, ``97.35% ± 0.04%``);
* never ``-0``: a value that rounds to zero is written without a sign;
* NaN and None as ``—``.
"""

from __future__ import annotations

import math
from typing import Any

DASH = "—"


def _missing(value: Any) -> bool:
    """None, NaN or ±inf (shown as "—")."""
    if value is None or isinstance(value, str):
        return value is None
    try:
        return not math.isfinite(float(value))
    except (TypeError, ValueError):
        return False


def no_minus_zero(text: str) -> str:
    """``-0``, ``-0.00``, ``-0.0%`` written without the sign (a value that rounds to zero)."""
    if text.startswith("-") and not any(ch in "123456789" for ch in text):
        return text[1:]
    if text.startswith("+") and not any(ch in "123456789" for ch in text):
        return text[1:]
    return text


def wan(value: Any, decimals: int = 0, signed: bool = False) -> str:
    """An amount in 万元 with thousands separators (``-24,597``)."""
    if _missing(value):
        return DASH
    sign = "+" if signed else ""
    return no_minus_zero(f"{float(value):{sign},.{decimals}f}")


def percent(value: Any, decimals: int = 2, signed: bool = False) -> str:
    """A share or rate as a percentage (``0.97352`` → ``97.35%``)."""
    if _missing(value):
        return DASH
    sign = "+" if signed else ""
    return no_minus_zero(f"{100.0 * float(value):{sign}.{decimals}f}%")


def error_decimals(se: Any, most: int = 4) -> int:
    """Decimals of a percentage that show a standard error to its first significant digit (at least 1)."""
    if _missing(se) or se <= 0 or not math.isfinite(se):
        return 1
    return int(min(most, max(1, -math.floor(math.log10(100.0 * float(se)) + 1e-12))))


def probability(p: Any, se: Any = None) -> str:
    """A probability as a percentage, with ``± standard error`` when given, both to the error's
    first significant digit: ``probability(0.0551, 0.0012)`` → ``5.5% ± 0.1%``."""
    if _missing(p):
        return DASH
    if se is None:
        return percent(p, 1)
    d = error_decimals(se)
    return f"{percent(p, d)} ± {percent(se, d)}"


def format_value(value: Any, unit: str, signed: bool = False) -> str:
    """A metric value for display.

    Parameters
    ----------
    value : float, str or None
        NaN and None show as "—"; strings (a period label) as they are.
    unit : str
        '万元' (thousands separators, 2 decimals), 'percent' (a share, percent
        with 2 decimals), 'rate' (percent with 2 decimals; percentage points
        when ``signed``), 'ratio' (4 decimals), else 2 decimals.
    signed : bool
        Show the sign, for differences.
    """
    if _missing(value):
        return DASH
    if isinstance(value, str):
        return value
    sign = "+" if signed else ""
    if unit == "万元":
        return wan(value, 2, signed)
    if unit in ("rate", "percent"):
        return no_minus_zero(f"{100.0 * value:+.2f} pp") if signed else percent(value, 2)
    if unit == "ratio":
        return no_minus_zero(f"{value:{sign}.4f}")
    return no_minus_zero(f"{value:{sign},.2f}")


DISPLAY_UNITS = {"万元": ("万元", "万元"), "ratio": ("", ""), "percent": ("", ""), "rate": ("", ""),
                 "month": ("", ""), "years": ("年", "years")}
"""What a unit column shows for each metric unit (zh, en); percentages carry their % sign."""


def display_unit(unit: str, lang: str = "zh") -> str:
    """The unit column beside a value of :func:`format_value`."""
    zh, en = DISPLAY_UNITS.get(unit, (unit, unit))
    return zh if lang == "zh" else en
