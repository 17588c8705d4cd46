"""Risk effects on scenario parameters (METHOD §9) — kept for existing imports.

The effect machinery is :mod:`fcfinance.effects` (pure, on parameters) and
:func:`fcfinance.scenario.targets.compile_targets` (targets resolved against
the schema); risks, decisions and stress cases all use those.
"""

from ..effects import SHARES, Target, apply_effects
from ..scenario.targets import compile_targets

__all__ = ["SHARES", "Target", "apply_effects", "compile_targets"]
