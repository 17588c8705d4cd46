"""Compare: several scenario variants side by side (every §8 metric, and the §11 simulate keys).

Each file is run as ``fcfinance run`` does and, with ``paths``, simulated as
``fcfinance simulate`` does (same seed, paths and sampling for every file, so
the variants share their sampled risks wherever they share risks).
Differences are to the first file given.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .names import METRICS
from .result import _plain

SIMULATE_KEYS = ("p_balanced", "p_balanced_se", "p_npv_nonnegative", "p_npv_nonnegative_se",
                 "p_ending_nonnegative", "p_ending_nonnegative_se", "expected_shortfall", "paths")
"""§11 simulate keys shown in the text table (the JSON has every §11 key)."""


@dataclass
class Variant:
    """One file of a comparison: its run, and its simulation summary when asked."""

    file: str
    scenario: Any
    run: Any
    summary: dict[str, Any] | None = None

    @property
    def metrics(self) -> dict[str, Any]:
        """§8 metrics (money in 万元), and the §11 simulate keys when simulated."""
        out = dict(self.run.to_dict()["metrics"])
        if self.summary is not None:
            out.update({k: v for k, v in self.summary.items() if _simulate_key(k)})
        return out


def _simulate_key(key: str) -> bool:
    return key.startswith(("p_", "net_balance_", "npv_", "expected_shortfall")) or key == "paths"


@dataclass
class Comparison:
    """The result of :func:`compare`: variants in the order given."""

    variants: list[Variant]
    paths: int | None = None
    seed: int | None = None
    sampling: str | None = None
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """``{"variants": [{"file", "name", "sha256", "metrics": {…}}, …]}`` in the order given."""
        return {"variants": [{"file": v.file, "name": v.scenario.name, "sha256": v.scenario.sha256,
                              "metrics": {k: _plain(x) for k, x in v.metrics.items()}} for v in self.variants]}

    def table(self) -> pd.DataFrame:
        """Metrics (rows) by variant (columns, the file names), then each variant's difference to the first."""
        rows = [m.key for m in METRICS] + ([k for k in SIMULATE_KEYS] if self.paths is not None else [])
        data = {}
        for i, v in enumerate(self.variants):
            data[f"{i + 1}: {v.file}"] = [_number(v.metrics.get(k)) for k in rows]
        frame = pd.DataFrame(data, index=pd.Index(rows, name="metric"))
        first = frame.columns[0]
        for i, col in enumerate(frame.columns[1:], start=2):
            frame[f"Δ {i} − 1"] = frame[col] - frame[first]
        return frame

    def plot(self, lang: str = "zh", *, date: str | None = None):
        """Net balance of each variant (and P(balanced) when simulated); a matplotlib Figure."""
        from .report.sweep_chart import compare_chart

        return compare_chart(self, lang=lang, date=date)

    def _repr_html_(self) -> str:
        return self.table().to_html(float_format=lambda v: f"{v:,.4f}", na_rep="—")


def _number(value: Any) -> float:
    if value is None or isinstance(value, str):
        return math.nan
    return float(value)


def compare(files: list[Any], paths: int | None = None, seed: int | None = None, sampling: str | None = None,
            threads: int | None = None) -> Comparison:
    """Run (and with ``paths`` simulate) several variants.

    Parameters
    ----------
    files : list of path or Scenario
    paths, seed, sampling : optional
        Simulate every variant with these settings (seed and sampling
        default to each file's ``simulation``).

    Raises
    ------
    ScenarioError
        If any file fails validation (nothing is computed).
    """
    from .montecarlo.simulate import simulate
    from .result import run
    from .scenario import as_scenario as _scenario

    scenarios = [_scenario(f) for f in files]  # every file validated before anything is computed
    variants = []
    for given, s in zip(files, scenarios):
        label = s.path if not isinstance(given, str) else given
        summary = None
        if paths is not None:
            if s.model.risks:
                summary = simulate(s, paths=paths, seed=seed, sampling=sampling, threads=threads).summary()
        variants.append(Variant(str(label), s, run(s), summary))
    notes = [f"{v.file}: no risks, not simulated" for v in variants if paths is not None and v.summary is None]
    return Comparison(variants, paths, seed, sampling, notes)
