"""Risk effects on scenario parameters (METHOD §9).

A risk's draw acts on target fields: ``scale`` multiplies numbers, ``set``
replaces them, ``shift_months`` adds whole months (rounded half away from
zero) to dates and durations.  Several effects on one target combine as set,
then scale (multiplied), then shift (added).  The result is the parameter
dict of the engine with arrays over paths at the targets; everything that
derives from a target (a work's completion and so the uplifts that require
it, the handover and so the allowances and purchases) follows in the engine.

Conventions where METHOD is silent (documented in docs/method-notes.md):

* a number that leaves its declared range (a share above 1, a negative price)
  is clipped to that range; a shifted duration is clipped at 0 months;
* setting or scaling one relocation share rescales the other shares in
  proportion so that they still sum to 1 (the changed share clipped to
  [0, 1]); shares targeted by several risks are handled in risk order.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..scenario import Scenario, ScenarioSchema
from ..scenario.fields import field_at, kind_of
from ..scenario.targets import get, put, resolve

SHARES = ("relocation", "shares")


def _bounds(info) -> tuple[float, float]:
    lo, hi = -np.inf, np.inf
    for meta in getattr(info, "metadata", []):
        if getattr(meta, "ge", None) is not None:
            lo = meta.ge
        if getattr(meta, "gt", None) is not None:
            lo = meta.gt
        if getattr(meta, "le", None) is not None:
            hi = meta.le
    return lo, hi


@dataclass
class Target:
    """One concrete field acted on by risks.

    Attributes
    ----------
    loc : list
        Keys and list indices from the root of the parameters.
    kind : str
        'number', 'date' or 'months'.
    bounds : (float, float)
        Declared range of the field.
    sets, scales, shifts : list of int
        Columns (risk indices) of each effect.
    """

    loc: list[Any]
    kind: str
    bounds: tuple[float, float]
    sets: list[int] = field(default_factory=list)
    scales: list[int] = field(default_factory=list)
    shifts: list[int] = field(default_factory=list)

    @property
    def is_share(self) -> bool:
        return tuple(self.loc[:2]) == SHARES


def compile_targets(scenario: Scenario, risks: list[Any] | None = None) -> tuple[list[str], list[Target]]:
    """Resolve every risk's effects to concrete fields.

    Parameters
    ----------
    scenario : Scenario
    risks : list, optional
        Objects with ``id`` and target lists ``set``, ``scale``, ``shift_months``
        (default: the scenario's risks; stress cases pass their own effects).

    Returns
    -------
    risk_ids : list of str
        Column order of the risk values.
    targets : list of Target
        In order of first appearance.
    """
    params = scenario.params()
    risks = scenario.model.risks if risks is None else risks
    ids = [r.id for r in risks]
    by_loc: dict[tuple, Target] = {}
    for col, risk in enumerate(risks):
        for effect in ("set", "scale", "shift_months"):
            for pattern in getattr(risk, effect):
                for loc in resolve(params, pattern):
                    key = tuple(loc)
                    if key not in by_loc:
                        info = field_at(ScenarioSchema, loc)
                        by_loc[key] = Target(loc, kind_of(info), _bounds(info))
                    t = by_loc[key]
                    {"set": t.sets, "scale": t.scales, "shift_months": t.shifts}[effect].append(col)
    return ids, list(by_loc.values())


def _round_half_away(x: np.ndarray) -> np.ndarray:
    return np.sign(x) * np.floor(np.abs(x) + 0.5)


def apply_effects(base: dict[str, Any], targets: list[Target], values: np.ndarray,
                  active: np.ndarray | None = None) -> dict[str, Any]:
    """Parameters with every target replaced by its value on each path.

    Parameters
    ----------
    base : dict
        Base-case parameters (:meth:`Scenario.params`); not modified.
    targets : list of Target
    values : ndarray (P, d)
        Each risk's value on each path.
    active : ndarray of bool (P, d), optional
        Where False, that risk has no effect on that path (used by the
        one-at-a-time tornado).

    Returns
    -------
    dict
        A copy of ``base`` with arrays of shape (P,) at the targets.
    """
    params = copy.deepcopy(base)
    n = values.shape[0]
    on = np.ones(values.shape, dtype=bool) if active is None else active

    def effect(t: Target, start: np.ndarray) -> np.ndarray:
        x = np.broadcast_to(np.asarray(start, dtype=float), (n,)).copy()
        for col in t.sets:
            x = np.where(on[:, col], values[:, col], x)
        for col in t.scales:
            x = np.where(on[:, col], x * values[:, col], x)
        for col in t.shifts:
            x = np.where(on[:, col], x + _round_half_away(values[:, col]), x)
        return x

    shares = []
    for t in targets:
        if t.is_share:
            shares.append(t)
            continue
        x = effect(t, get(base, t.loc))
        if t.kind == "number":
            x = np.clip(x, *t.bounds)
        elif t.kind == "months":
            x = np.maximum(x, 0.0).astype(np.int64)
        else:
            x = x.astype(np.int64)
        put(params, t.loc, x)
    if shares:
        current = {m: np.broadcast_to(np.asarray(v, dtype=float), (n,)).copy()
                   for m, v in get(base, list(SHARES)).items()}
        for t in shares:
            mode = t.loc[2]
            new = np.clip(effect(t, get(base, t.loc)), 0.0, 1.0)
            rest = 1.0 - current[mode]
            factor = np.where(rest > 0, (1.0 - new) / np.where(rest > 0, rest, 1.0), 0.0)
            for other in current:
                if other != mode:
                    current[other] = current[other] * factor
            current[mode] = new
        put(params, list(SHARES), current)
    return params
