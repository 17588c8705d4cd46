"""Effects on engine parameters: risks, decisions and stress cases (METHOD §9, §13, §15).

A value acts on target fields: ``scale`` multiplies numbers, ``set``
replaces them, ``shift_months`` adds whole months (rounded half away from
zero) to dates and durations.  Several effects on one target combine as set,
then scale (multiplied), then shift (added).  :func:`apply_effects` returns
the parameter tree with arrays over paths at the targets; everything that
derives from a target (a work's completion and so the uplifts that require
it, the handover and so the allowances and purchases) follows in the engine.
Targets are resolved against the schema by
:func:`fcfinance.scenario.targets.compile_effects`; this module knows only
parameters and arrays.

Conventions where METHOD is silent (documented in docs/method-notes.md):

* a number that leaves its declared range (a share above 1, a negative price)
  is clipped to that range; a shifted duration is clipped at 0 months;
* setting or scaling one relocation share rescales the other shares in
  proportion so that they still sum to 1 (the changed share clipped to
  [0, 1]); shares targeted by several risks are handled in risk order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .params import Record, get_at, replace_at

SHARES = ("relocation", "shares")


@dataclass
class Target:
    """One concrete field acted on by effects.

    Attributes
    ----------
    loc : tuple
        Keys and list indices from the root of the parameters.
    kind : str
        'number', 'date' or 'months'.
    bounds : (float, float)
        Declared range of the field.
    sets, scales, shifts : list of int
        Columns (of the values array) of each effect.
    """

    loc: tuple[Any, ...]
    kind: str
    bounds: tuple[float, float]
    sets: list[int] = field(default_factory=list)
    scales: list[int] = field(default_factory=list)
    shifts: list[int] = field(default_factory=list)

    @property
    def is_share(self) -> bool:
        return tuple(self.loc[:2]) == SHARES


def _round_half_away(x: np.ndarray) -> np.ndarray:
    return np.sign(x) * np.floor(np.abs(x) + 0.5)


def apply_effects(base: Record, targets: list[Target], values: np.ndarray,
                  active: np.ndarray | None = None) -> Record:
    """Parameters with every target replaced by its value on each path.

    Parameters
    ----------
    base : Record
        Parameters (:meth:`fcfinance.scenario.Scenario.params`, or already
        changed ones: a start value may itself be an array over the paths);
        not modified.
    targets : list of Target
    values : ndarray (P, d)
        Each column's value on each path.
    active : ndarray of bool (P, d), optional
        Where False, that column has no effect on that path (used by the
        one-at-a-time tornado).

    Returns
    -------
    Record
        A new tree with arrays of shape (P,) at the targets; untouched
        branches are shared with ``base``.
    """
    params = base
    n = values.shape[0]
    on = None if active is None else active

    def effect(t: Target, start: Any) -> np.ndarray:
        x = np.broadcast_to(np.asarray(start, dtype=float), (n,)).copy()
        for col in t.sets:
            x = values[:, col].copy() if on is None else np.where(on[:, col], values[:, col], x)
        for col in t.scales:
            x = x * values[:, col] if on is None else np.where(on[:, col], x * values[:, col], x)
        for col in t.shifts:
            step = _round_half_away(values[:, col])
            x = x + step if on is None else np.where(on[:, col], x + step, x)
        return x

    shares = []
    for t in targets:
        if t.is_share:
            shares.append(t)
            continue
        x = effect(t, get_at(base, t.loc))
        if t.kind == "number":
            x = np.clip(x, *t.bounds)
        elif t.kind == "months":
            x = np.maximum(x, 0.0).astype(np.int64)
        else:
            x = x.astype(np.int64)
        params = replace_at(params, t.loc, x)
    if shares:
        current = {m: np.broadcast_to(np.asarray(v, dtype=float), (n,)).copy()
                   for m, v in get_at(base, SHARES).items()}
        for t in shares:
            mode = t.loc[2]
            new = np.clip(effect(t, get_at(base, t.loc)), 0.0, 1.0)
            rest = 1.0 - current[mode]
            factor = np.where(rest > 0, (1.0 - new) / np.where(rest > 0, rest, 1.0), 0.0)
            for other in current:
                if other != mode:
                    current[other] = current[other] * factor
            current[mode] = new
        params = replace_at(params, SHARES, Record(current))
    return params
