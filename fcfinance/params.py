"""Engine parameters: one frozen tree per scenario, shared by every run of it.

:meth:`fcfinance.scenario.Scenario.params` turns the validated scenario into
a tree of :class:`Record` mappings (sections and list items, keys as written
in files) and tuples (lists), with every date as an absolute calendar month
index (:func:`fcfinance.timeline.month_index`), so that the lines of
projects on different calendars fall on one grid.  The tree is never
changed: risk effects, decisions and stress cases make a new tree with
:func:`replace_at`, which copies only the mappings and tuples on the way to
the changed leaf and shares everything else.  Any number or month in the
tree may be an array over paths, shape (P,).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any


class Record(Mapping):
    """An immutable mapping: one section or list item of the parameters.

    Reads like the dict it was made from (``r["key"]``, ``r.get("key")``);
    it cannot be changed in place, and it pickles (for worker processes).
    """

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Any] = ()):
        object.__setattr__(self, "_data", dict(data))

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("engine parameters are frozen: use fcfinance.params.replace_at")

    def __reduce__(self):
        return (Record, (self._data,))

    def __repr__(self) -> str:
        return f"Record({self._data!r})"

    def replace(self, **changes: Any) -> Record:
        """A copy with some keys given new values."""
        return Record({**self._data, **changes})


def freeze(value: Any) -> Any:
    """A nested structure of dicts and lists as :class:`Record` and tuples."""
    if isinstance(value, Mapping):
        return Record({k: freeze(v) for k, v in value.items()})
    if isinstance(value, (list, tuple)):
        return tuple(freeze(v) for v in value)
    return value


def get_at(tree: Any, loc: list[Any] | tuple[Any, ...]) -> Any:
    """The value at a concrete location (keys and list indices from the root)."""
    node = tree
    for key in loc:
        node = node[key]
    return node


def replace_at(tree: Any, loc: list[Any] | tuple[Any, ...], value: Any) -> Any:
    """A new tree with the value at ``loc`` replaced; the rest is shared, not copied.

    Parameters
    ----------
    tree : Record or tuple
    loc : sequence
        Keys (for records) and indices (for tuples) from the root; empty
        replaces the whole tree.
    value : any
        The new leaf (a scalar or an array over paths, or a subtree).
    """
    if not loc:
        return value
    head, rest = loc[0], loc[1:]
    if isinstance(tree, tuple):
        items = list(tree)
        items[head] = replace_at(tree[head], rest, value)
        return tuple(items)
    if isinstance(tree, Record):
        return tree.replace(**{head: replace_at(tree[head], rest, value)})
    raise TypeError(f"cannot replace inside a {type(tree).__name__} at {head!r}")
