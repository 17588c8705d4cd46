"""Walking the schema: field declarations at a path, and parameters for the engine."""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator
from typing import Any, Union

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from ..timeline import month_index


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """Model classes named by an annotation (through Optional, Union, list)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    origin = typing.get_origin(annotation)
    if origin in (Union, types.UnionType, list, typing.Annotated):
        found: list[type[BaseModel]] = []
        for arg in typing.get_args(annotation):
            found += _models_in(arg)
        return found
    return []


def _field(cls: type[BaseModel], key: str) -> FieldInfo | None:
    for name, info in cls.model_fields.items():
        if name == key or info.alias == key:
            return info
    return None


def keys_of(cls: type[BaseModel]) -> list[str]:
    """The keys a section accepts, as written in files."""
    return [info.alias or name for name, info in cls.model_fields.items()]


def section_at(root: type[BaseModel], loc: list[Any]) -> type[BaseModel] | None:
    """The model class of the mapping at ``loc`` (keys; list indices are skipped)."""
    cls: type[BaseModel] | None = root
    for key in loc:
        if isinstance(key, int) or cls is None:
            continue
        info = _field(cls, key)
        if info is None:
            continue  # a union tag or an unknown key
        models = _models_in(info.annotation)
        cls = models[0] if models else None
    return cls


def field_at(root: type[BaseModel], loc: list[Any]) -> FieldInfo | None:
    """Declaration of the field at ``loc`` (keys and list indices or ids)."""
    cls: type[BaseModel] | None = root
    for key in loc[:-1]:
        if not isinstance(key, str) or cls is None:
            continue
        info = _field(cls, key)
        if info is None:
            # a list item addressed by id: stay on the item's class
            continue
        models = _models_in(info.annotation)
        cls = models[0] if models else None
    return _field(cls, loc[-1]) if cls is not None and loc else None


def kind_of(info: FieldInfo | None) -> str:
    """Effect kind of a field: number, date, months, int, text, …"""
    extra = info.json_schema_extra if info is not None else None
    return extra.get("kind", "number") if isinstance(extra, dict) else "number"


def unit_of(info: FieldInfo | None) -> str | None:
    """Unit of a field, as declared."""
    extra = info.json_schema_extra if info is not None else None
    return extra.get("unit") if isinstance(extra, dict) else None


def field_bounds(info: Any) -> tuple[float, float]:
    """The declared lower and upper bounds of a schema field (±inf where none)."""
    lo, hi = -float("inf"), float("inf")
    for meta in getattr(info, "metadata", ()):
        lo = max(lo, getattr(meta, "ge", None) if getattr(meta, "ge", None) is not None else lo)
        lo = max(lo, getattr(meta, "gt", None) if getattr(meta, "gt", None) is not None else lo)
        hi = min(hi, getattr(meta, "le", None) if getattr(meta, "le", None) is not None else hi)
        hi = min(hi, getattr(meta, "lt", None) if getattr(meta, "lt", None) is not None else hi)
    return lo, hi


def iter_fields(cls: type[BaseModel], prefix: str = "") -> Iterator[tuple[str, FieldInfo, type[BaseModel]]]:
    """Every field of the schema, depth first: (dotted path, declaration, owner class).

    List items appear as ``*`` in the path.
    """
    for name, info in cls.model_fields.items():
        key = info.alias or name
        path = f"{prefix}{key}"
        yield path, info, cls
        models = _models_in(info.annotation)
        origin = typing.get_origin(info.annotation)
        is_list = origin is list or any(
            typing.get_origin(a) is list for a in typing.get_args(info.annotation))
        for sub in models[:1]:
            yield from iter_fields(sub, f"{path}.*." if is_list else f"{path}.")


def to_params(model: BaseModel) -> Any:
    """Plain nested dicts and lists for the engine, dates turned into month offsets.

    Parameters
    ----------
    model : pydantic model
        A validated scenario or section.

    Returns
    -------
    dict
        Keys as written in files; a ``date`` field becomes an absolute
        calendar month index (:func:`fcfinance.timeline.month_index`) [months];
        absent sections are None.
    """
    if isinstance(model, BaseModel):
        out: dict[str, Any] = {}
        for name, info in type(model).model_fields.items():
            value = getattr(model, name)
            if kind_of(info) == "date" and isinstance(value, str):
                out[info.alias or name] = month_index(value)
            else:
                out[info.alias or name] = to_params(value)
        return out
    if isinstance(model, list):
        return [to_params(v) for v in model]
    if isinstance(model, dict):
        return {k: to_params(v) for k, v in model.items()}
    return model
