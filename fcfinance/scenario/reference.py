"""The scenario format reference, generated from the schema (docs/scenario-format.md)."""

from __future__ import annotations

from pydantic_core import PydanticUndefined

from .fields import iter_fields, kind_of, unit_of
from .schema import ScenarioSchema

HEADER = """# Scenario format reference (fcfinance: 1)

Generated from `fcfinance/scenario/schema.py` by `fcfinance schema > docs/scenario-format.md`;
a test fails when this page and the schema disagree.  Money in yuan (元), areas in m²,
dates `YYYY-MM`.  `*` stands for every item of a list (items are merged by `id`
under `extends`).  *Effects* says what a Monte Carlo risk may do to the field:
`scale`/`set` act on numbers, `shift_months` on dates and durations.  *Range*: every
number must be finite and within it (upper bounds by unit where the field has none of
its own: `UPPER_BOUNDS` in the schema; see docs/safety.md).

| field | unit | default | range | effects | meaning |
|---|---|---|---|---|---|
"""

EFFECTS = {"number": "scale, set", "date": "shift_months", "months": "shift_months"}


def _default(info) -> str:
    if info.is_required():
        return "required"
    if info.default_factory is not None:
        value = info.default_factory()
    else:
        value = info.default
    if value is PydanticUndefined:
        return "required"
    if value is None:
        return "—"
    if isinstance(value, list):
        return "[]" if not value else "see meaning"
    if hasattr(value, "model_dump"):
        return "see section"
    return f"`{value}`"


def _range(info) -> str:
    from .fields import field_bounds

    lo, hi = field_bounds(info)
    if lo == -float("inf") and hi == float("inf"):
        return ""
    return f"{'−∞' if lo == -float('inf') else f'{lo:g}'} … {'∞' if hi == float('inf') else f'{hi:g}'}"


def format_reference() -> str:
    """Markdown table of every field of the scenario schema."""
    rows = []
    for path, info, _owner in iter_fields(ScenarioSchema):
        kind = kind_of(info)
        effects = EFFECTS.get(kind, "")
        if kind in ("section", "list") and info.annotation is not None:
            effects = ""
        unit = unit_of(info) or ""
        desc = (info.description or "").replace("|", "\\|")
        rows.append(f"| `{path}` | {unit} | {_default(info)} | {_range(info)} | {effects} | {desc} |")
    return HEADER + "\n".join(rows) + "\n"
