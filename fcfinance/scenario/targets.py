"""Risk target paths (METHOD §9): dotted from the root, list items by ``id``, ``*`` for every item."""

from __future__ import annotations

from typing import Any


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
            if node is not None and not isinstance(node, (dict, list)):
                found.append(loc)
            return
        head, rest = segments[0], segments[1:]
        if isinstance(node, dict):
            if head in node and node[head] is not None:
                walk(node[head], rest, loc + [head])
        elif isinstance(node, list):
            for i, item in enumerate(node):
                if head == "*" or (isinstance(item, dict) and item.get("id") == head):
                    walk(item, rest, loc + [i])

    walk(params, pattern.split("."), [])
    return found


def get(params: Any, loc: list[Any]) -> Any:
    """The value at a concrete location."""
    node = params
    for key in loc:
        node = node[key]
    return node


def put(params: Any, loc: list[Any], value: Any) -> None:
    """Replace the value at a concrete location (in place)."""
    node = params
    for key in loc[:-1]:
        node = node[key]
    node[loc[-1]] = value
