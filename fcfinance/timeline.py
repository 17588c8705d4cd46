"""The monthly grid and its reporting periods (METHOD §1).

Every flow lives on a monthly grid, month ``j = 0 … 12·years − 1``, month 0
being ``timeline.start``.  Reporting periods aggregate whole months:
``k`` = 12 (month), 4 (quarter) or 1 (year) periods per year, period ``p``
holding months ``p·12/k … (p+1)·12/k − 1``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

PERIODS_PER_YEAR = {"month": 12, "quarter": 4, "year": 1}

_MONTH_RE = re.compile(r"^([0-9]{4})-([0-9]{2})$")  # ASCII digits only: not ２０２４-０３


def parse_month(text: str) -> tuple[int, int]:
    """Split a ``YYYY-MM`` string into (year, month).

    Raises
    ------
    ValueError
        If ``text`` is not a month written ``YYYY-MM`` with ``MM`` in 01…12.
    """
    m = _MONTH_RE.match(text) if isinstance(text, str) else None
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ValueError(f"expected a month written YYYY-MM (e.g. 2024-03), got {text!r}")
    return int(m.group(1)), int(m.group(2))


def month_index(text: str) -> int:
    """Absolute calendar month index of ``YYYY-MM``: ``12·year + month − 1``. [months]

    Engine parameters carry dates as such indices, so that projects on
    different calendars share one grid.
    """
    y, m = parse_month(text)
    return 12 * y + m - 1


def month_text(index: int) -> str:
    """``YYYY-MM`` of an absolute calendar month index (inverse of :func:`month_index`)."""
    index = int(index)
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


@dataclass(frozen=True)
class Timeline:
    """Monthly grid and reporting periods of one scenario.

    Parameters
    ----------
    start : str
        First month, ``YYYY-MM``.
    years : int
        Horizon length. [years]
    frequency : {'month', 'quarter', 'year'}
        Reporting period.
    """

    start: str
    years: int
    frequency: str = "year"

    @property
    def months(self) -> int:
        """Number of months on the grid, ``12·years``. [months]"""
        return 12 * self.years

    @property
    def per_year(self) -> int:
        """Reporting periods per year ``k``."""
        return PERIODS_PER_YEAR[self.frequency]

    @property
    def months_per_period(self) -> int:
        """Months in one reporting period, ``12/k``. [months]"""
        return 12 // self.per_year

    @property
    def periods(self) -> int:
        """Number of reporting periods ``years·k``."""
        return self.years * self.per_year

    @property
    def origin(self) -> int:
        """Absolute calendar month index of month 0 (:func:`month_index` of ``start``). [months]"""
        return month_index(self.start)

    def offset(self, month: str) -> int:
        """Month offset of a ``YYYY-MM`` date from ``start`` (may be outside the grid). [months]"""
        y0, m0 = parse_month(self.start)
        y, m = parse_month(month)
        return (y - y0) * 12 + (m - m0)

    def month_label(self, j: int) -> str:
        """``YYYY-MM`` of month offset ``j``."""
        y0, m0 = parse_month(self.start)
        total = y0 * 12 + (m0 - 1) + int(j)
        return f"{total // 12:04d}-{total % 12 + 1:02d}"

    def last_month_label(self) -> str:
        """``YYYY-MM`` of the last month on the grid."""
        return self.month_label(self.months - 1)

    def period_start_month(self, p: int) -> int:
        """Month offset of the first month of period ``p``. [months]"""
        return int(p) * self.months_per_period

    def period_labels(self) -> list[str]:
        """Labels of the reporting periods.

        ``2022`` (year), ``2022Q1`` (quarter) or ``2022-01`` (month) when the
        start is aligned to the calendar year or quarter; otherwise the
        ``YYYY-MM`` of each period's first month.
        """
        _, m0 = parse_month(self.start)
        labels = []
        for p in range(self.periods):
            first = self.month_label(self.period_start_month(p))
            if self.frequency == "year" and m0 == 1:
                labels.append(first[:4])
            elif self.frequency == "quarter" and (m0 - 1) % 3 == 0:
                y, m = parse_month(first)
                labels.append(f"{y}Q{(m - 1) // 3 + 1}")
            else:
                labels.append(first)
        return labels

    def to_periods(self, monthly: np.ndarray) -> np.ndarray:
        """Sum a ``(..., months)`` array into ``(..., periods)``.

        Parameters
        ----------
        monthly : ndarray, shape (..., 12·years)
            Monthly amounts. [元]

        Returns
        -------
        ndarray, shape (..., years·k)
            Period sums. [元]
        """
        shape = monthly.shape[:-1] + (self.periods, self.months_per_period)
        return monthly.reshape(shape).sum(axis=-1)
