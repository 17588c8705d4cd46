"""Every changed input between two resolved scenarios, list items by ``id``.

Both sides are compared as validated models with defaults filled in (the
data behind :attr:`fcfinance.scenario.Scenario.sha256`), so a value written
out that equals its default is no change, and two files with the same hash
have no changes.  Paths use the dotted syntax of risk targets
(``land.parcels.R2.floor_price_yuan_m2``).  Lists whose items carry ``id``
are matched by ``id``: an item only on one side is one change (added or
removed), and reordering is no change.  Other lists (bonus tiers,
installments, ``requires``) and distributions are single values.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..scenario import Scenario, ScenarioSchema
from ..scenario.fields import field_at, kind_of, unit_of


@dataclass(frozen=True)
class Change:
    """One changed input.

    Attributes
    ----------
    path : str
        Dotted path from the document root, list items by ``id``.
    loc : tuple of str
        The same path as keys and item ids.
    old, new : Any
        The value in A and in B, in the units of the file (元, m², shares, …);
        None where absent (an item or section added or removed, an optional field unset).
    unit : str or None
        Unit declared in the schema (None for sections, items and text).
    item : bool
        True when the change adds or removes a whole list item.
    """

    path: str
    loc: tuple[str, ...]
    old: Any
    new: Any
    unit: str | None
    item: bool = False

    @property
    def kind(self) -> str:
        """``added``, ``removed`` or ``changed``."""
        return "added" if self.old is None else "removed" if self.new is None else "changed"

    def to_dict(self) -> dict[str, Any]:
        """JSON form: path, old, new, unit, kind."""
        return {"path": self.path, "old": self.old, "new": self.new, "unit": self.unit, "kind": self.kind}


def data_of(scenario: Scenario) -> dict[str, Any]:
    """The resolved scenario as plain data, defaults filled, keys as written in files."""
    return scenario.model.model_dump(mode="json", by_alias=True)


def find_changes(a: Scenario, b: Scenario) -> list[Change]:
    """Every input that differs from ``a`` to ``b``, in the order it appears in ``b``.

    The order is that of ``b``'s resolved document (its files as written,
    base first, through ``extends``).  What only ``a`` writes (a section or
    item removed, a field that ``b`` leaves at its default) follows what
    precedes it in ``a``; fields neither side writes come last.

    Parameters
    ----------
    a, b : Scenario
        The two sides, ``extends`` resolved.

    Returns
    -------
    list of Change
        Empty when ``a`` and ``b`` have the same inputs (up to item order).
    """
    out: list[Change] = []
    _walk(data_of(a), data_of(b), (a.document, b.document), (), (), out)
    return out


def in_order(first: list[Any], second: list[Any], rest: list[Any]) -> list[Any]:
    """``first``, with each element only in ``second`` placed after its predecessor there, then ``rest``."""
    order = list(first)
    for i, key in enumerate(second):
        if key not in order:
            order.insert(order.index(second[i - 1]) + 1 if i and second[i - 1] in order else 0, key)
    return order + [k for k in rest if k not in order]


def _is_id_list(old: Any, new: Any) -> bool:
    if not (isinstance(old, list) and isinstance(new, list)) or not (old or new):
        return False
    return all(isinstance(x, dict) and "id" in x for x in old + new)


def _keys(written: Any) -> list[Any]:
    """Keys of a written mapping, or item ids of a written list, in file order."""
    if isinstance(written, dict):
        return list(written)
    if isinstance(written, list):
        return [x.get("id") for x in written if isinstance(x, dict)]
    return []


def _sub(written: Any, key: Any) -> Any:
    if isinstance(written, dict):
        return written.get(key)
    if isinstance(written, list):
        return next((x for x in written if isinstance(x, dict) and x.get("id") == key), None)
    return None


def _walk(old: Any, new: Any, written: tuple[Any, Any], loc: tuple[str, ...], schema_loc: tuple[Any, ...],
          out: list[Change]) -> None:
    """Append the changes below ``loc``.

    ``written`` holds the documents of A and B at ``loc`` as written (for the
    order); ``schema_loc`` is ``loc`` with item ids replaced by 0, for the schema.
    """
    if old == new and type(old) is type(new):
        return
    info = field_at(ScenarioSchema, list(schema_loc)) if schema_loc else None
    if isinstance(old, dict) and isinstance(new, dict) and kind_of(info) != "dist":
        for key in in_order(_keys(written[1]), _keys(written[0]), list(new) + list(old)):
            _walk(old.get(key), new.get(key), (_sub(written[0], key), _sub(written[1], key)),
                  loc + (key,), schema_loc + (key,), out)
        return
    if _is_id_list(old, new):
        before = {item["id"]: item for item in old}
        after = {item["id"]: item for item in new}
        for item_id in in_order(_keys(written[1]), _keys(written[0]), list(after) + list(before)):
            item_loc = loc + (str(item_id),)
            if item_id in before and item_id in after:
                _walk(before[item_id], after[item_id], (_sub(written[0], item_id), _sub(written[1], item_id)),
                      item_loc, schema_loc + (0,), out)
            elif item_id in after or item_id in before:
                out.append(Change(_dotted(item_loc), item_loc, before.get(item_id), after.get(item_id), None,
                                  item=True))
        return
    unit = None if isinstance(old, dict) or isinstance(new, dict) else unit_of(info)
    out.append(Change(_dotted(loc), loc, old, new, unit))


def _dotted(loc: tuple[str, ...]) -> str:
    return ".".join(loc)


def apply(data: dict[str, Any], change: Change) -> None:
    """Apply one change to plain scenario data (as from :func:`data_of`), in place.

    An added item is appended to its list, a removed one deleted; any other
    change replaces the value at its path.
    """
    *parents, last = change.loc
    node: Any = data
    for key in parents:
        node = _index_item(node, key) if isinstance(node, list) else node[key]
    value = copy.deepcopy(change.new)
    if isinstance(node, list):
        where = [i for i, item in enumerate(node) if str(item.get("id")) == last]
        if value is None:
            del node[where[0]]
        elif where:
            node[where[0]] = value
        else:
            node.append(value)
    else:
        node[last] = value


def _index_item(items: list[Any], item_id: str) -> Any:
    for item in items:
        if isinstance(item, dict) and str(item.get("id")) == item_id:
            return item
    raise KeyError(item_id)


def strings_in(value: Any, key: str) -> Iterator[tuple[str, str]]:
    """Every string inside ``value`` with the mapping key it is found under.

    Used to find references to item ids (``requires``, risk targets, correlations).
    """
    if isinstance(value, str):
        yield key, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from strings_in(v, str(k))
    elif isinstance(value, list):
        for v in value:
            yield from strings_in(v, key)
