"""Shapes used by several line families: windows, escalation, one-month flows."""

from __future__ import annotations

import functools

import numpy as np

from ..profile import Key, Profile, build, place_rows, point_rows, window_rows


def spread(start: Key, months: Key, profile: str | None, default: str, n_months: int) -> Profile:
    """A window's monthly shares (METHOD §1), ``profile`` defaulting to ``default``.

    Parameters
    ----------
    start : scalar or ndarray (P,)
        First month. [month offset]
    months : scalar or ndarray (P,)
        Duration. [months]
    profile : {'even', 'scurve'} or None
    default : {'even', 'scurve'}
    n_months : int
        Grid length. [months]
    """
    scurve = (profile or default) == "scurve"
    return build(lambda s, d: window_rows(s, d, scurve, n_months), start, months)


def escalated(shape: Profile, rate: Key, origin: int = 0) -> Profile:
    """Shares multiplied by ``(1 + g)^(j/12)``, j counted from the project's timeline start (METHOD §1).

    Parameters
    ----------
    shape : Profile
    rate : scalar or ndarray (P,)
        Annual escalation g. [1/year]
    origin : int
        Grid month of the project's ``timeline.start`` (0 on the project's
        own grid; a platform grid may start earlier). [months]
    """
    def rows(table: np.ndarray, g: np.ndarray) -> np.ndarray:
        j = np.arange(table.shape[1])[None, :] - origin
        return table * (1.0 + g[:, None]) ** (j / 12.0)

    return build(rows, shape, rate)


def at_month(month: Key, n_months: int) -> Profile:
    """Everything in one month (the edge month when outside the grid).

    A month that is the same on every path gives the same :class:`Profile`
    object each time it is asked for, so that lines summed by period add the
    amounts of every flow in that month before multiplying them out (many
    parcels paying in the same months cost one row, not one each).
    """
    if np.size(month) == 1:
        return _point(int(np.asarray(month).reshape(-1)[0]), n_months)
    return build(lambda t: point_rows(t, n_months), month)


@functools.lru_cache(maxsize=1 << 14)
def _point(month: int, n_months: int) -> Profile:
    """The shared one-month profile of :func:`at_month` (profiles are never changed once built)."""
    return build(lambda t: point_rows(t, n_months), month)


def delayed(shape: Profile, lag: Key) -> Profile:
    """A shape moved ``lag`` months later (booked at the edge past the grid)."""
    return build(lambda rows, k: place_rows(rows, k, rows.shape[1]), shape, lag)
