"""Chinese names of scenario fields, for labels a panel reads (the diff bridge, the workbook's inputs).

A field path as the scenario files and ``fcfinance diff`` write it —
``land.parcels.R1.floor_price_yuan_m2`` — reads ``R1 楼面地价``: the item's
id, then the field's name.  The names are those of
:mod:`fcfinance.lang.fieldnames` (one table for messages and labels); a field
missing there keeps its key.
"""

from __future__ import annotations

from ..lang.fieldnames import SECTION_ZH, field_zh
from .labels import tr

LISTS = {"parcels", "items", "revenues", "costs", "bonds", "grants", "risks", "bonus_tiers", "payments",
         "amortization", "stress"}
"""Lists whose entries are named by their id (or index) in a path."""

TOP = {"name": "项目名称", "description": "项目说明"}
"""Top-level fields whose name is more specific than the same word deeper down."""


def field_label(path: str, lang: str = "zh") -> str:
    """A field path as a panel reads it.

    Parameters
    ----------
    path : str
        Dotted path, e.g. ``land.parcels.R1.floor_price_yuan_m2``; several joined
        by `` + `` (a step of the bridge) are labelled one by one.
    lang : {'zh', 'en'}
        'en' keeps the last two segments of each path (``R1.floor_price_yuan_m2``).

    Returns
    -------
    str
        ``R1 楼面地价``; ``name`` → ``名称``; an unknown field keeps its key.
    """
    if " + " in path:
        return tr(lang, "、", " + ").join(field_label(p, lang) for p in path.split(" + "))
    parts = [p for p in path.split(".") if p]
    if lang == "en":
        return ".".join(parts[-2:])
    if len(parts) == 1:
        return TOP.get(parts[0]) or field_zh(parts[0]) or parts[0]
    leaf = parts[-1]
    ids = [parts[i + 1] for i in range(len(parts) - 1) if parts[i] in LISTS]
    if leaf.startswith("{") and leaf.endswith("}"):  # several fields changed together: {voucher, in_kind}
        keys = [k.strip() for k in leaf[1:-1].split(",")]
        names = [field_zh(".".join(parts[:-1] + [k])) or k for k in keys]
        return " ".join(ids + ["、".join(n.split(" ")[-1] for n in names)])
    if parts[0] in ("risks", "correlations") and not ids:
        ids = parts[1:2] if len(parts) > 2 else []
    if leaf in ids:  # a whole list entry added or removed: section and id
        return f"{SECTION_ZH.get(parts[0], parts[0])} {leaf}"
    return field_zh(path) or " ".join(ids + [leaf])
