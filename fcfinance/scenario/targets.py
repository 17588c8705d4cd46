"""Risk target paths (METHOD §9): dotted from the root, list items by ``id``, ``*`` for every item."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..effects import Target
from ..params import get_at
from .fields import field_at, field_bounds, kind_of
from .schema import ScenarioSchema


def resolve(params: Any, pattern: str) -> list[list[Any]]:
    """Concrete locations matched by a target pattern.

    Parameters
    ----------
    params : dict
        Scenario parameters (absent optional fields are None).
    pattern : str
        e.g. ``land.parcels.*.floor_price_yuan_m2`` or ``land.parcels.R2.sale``.

    Returns
    -------
    list of list
        Each location as keys and list indices from the root; empty when the
        pattern matches nothing (a ``*`` keeps only the items that have the
        rest of the path).
    """
    found: list[list[Any]] = []

    def walk(node: Any, segments: list[str], loc: list[Any]) -> None:
        if not segments:
            if node is not None and not isinstance(node, (Mapping, list, tuple)):
                found.append(loc)
            return
        head, rest = segments[0], segments[1:]
        if isinstance(node, Mapping):
            if head in node and node[head] is not None:
                walk(node[head], rest, loc + [head])
        elif isinstance(node, (list, tuple)):
            for i, item in enumerate(node):
                if head == "*" or (isinstance(item, Mapping) and item.get("id") == head):
                    walk(item, rest, loc + [i])

    walk(params, pattern.split("."), [])
    return found


get = get_at
"""The value at a concrete location (:func:`fcfinance.params.get_at`)."""


def put(params: Any, loc: list[Any], value: Any) -> None:
    """Replace the value at a concrete location (in place)."""
    node = params
    for key in loc[:-1]:
        node = node[key]
    node[loc[-1]] = value


EFFECT_LISTS = {"set": "sets", "scale": "scales", "shift_months": "shifts"}
"""Effect kinds of a risk (as written in files) and the :class:`~fcfinance.effects.Target` list each fills."""


def compile_effects(params: Any, effects: list[tuple[str, str, int]]) -> list[Target]:
    """Resolve effects to concrete fields of the parameters.

    Parameters
    ----------
    params : Record
        Engine parameters (:meth:`fcfinance.scenario.Scenario.params`).
    effects : list of (effect, pattern, column)
        ``effect`` one of ``set``, ``scale``, ``shift_months``; ``pattern`` a
        target path (METHOD §9); ``column`` the column of the values array
        that drives it.

    Returns
    -------
    list of Target
        In order of first appearance.
    """
    by_loc: dict[tuple, Target] = {}
    for effect, pattern, col in effects:
        for loc in resolve(params, pattern):
            key = tuple(loc)
            if key not in by_loc:
                info = field_at(ScenarioSchema, loc)
                by_loc[key] = Target(tuple(loc), kind_of(info), field_bounds(info))
            getattr(by_loc[key], EFFECT_LISTS[effect]).append(col)
    return list(by_loc.values())


def compile_targets(scenario, risks: list[Any] | None = None) -> tuple[list[str], list[Target]]:
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
    risks = scenario.model.risks if risks is None else risks
    effects = [(effect, pattern, col) for col, risk in enumerate(risks)
               for effect in EFFECT_LISTS for pattern in getattr(risk, effect)]
    return [r.id for r in risks], compile_effects(scenario.params(), effects)
