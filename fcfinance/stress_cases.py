"""Stress cases (压力测试, METHOD §13): the whole model rerun under standard and own shocks.

The standard cases are ``revenue_-10`` (every inflow line × 0.9, on the
finished lines), ``opex_+10`` (operating costs × 1.1), ``land_delay_12``
(every parcel's sale + 12 months) and ``combined`` (all three); a scenario
adds its own under ``stress:``.  Parameter shocks go through the Monte Carlo
effect machinery (:mod:`fcfinance.montecarlo.effects`), so a stress effect
means exactly what a risk effect with that draw means; every case, the base
case first, is one path of a single engine call.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from . import kernel
from .bond import BondTable, CoverageSettings, SelfBalance, has_bonds, require_bonds, self_balance
from .engine import Flows
from .metrics import Evaluation
from .names import METRICS, PROJECT_LINES
from .result import _plain, metrics_at
from .scenario.targets import compile_targets

if TYPE_CHECKING:
    import pandas as pd

    from .scenario import Scenario

REVENUE_FACTOR = 0.9
OPEX_FACTOR = 1.1
LAND_DELAY_MONTHS = 12
OPEX_TARGET = "operations.costs.*.amount_yuan_year"
SALE_TARGET = "land.parcels.*.sale"
INFLOW_LINES = tuple(s.key for s in PROJECT_LINES if s.sign > 0)
"""Inflow lines of METHOD §8 (grants included), scaled by ``revenue_-10``."""


@dataclass
class Effect:
    """One column of the effect matrix: one effect of one case on one target pattern.

    Shaped like a risk (``id``, target lists) for
    :func:`~fcfinance.scenario.targets.compile_targets`.
    """

    id: str
    value: float
    set: list[str] = field(default_factory=list)
    scale: list[str] = field(default_factory=list)
    shift_months: list[str] = field(default_factory=list)


@dataclass
class Case:
    """A stress case.

    Attributes
    ----------
    id : str
    name_zh, name_en : str
    effects : list of Effect
        Parameter effects (METHOD §9 targets).
    inflow_factor : float
        Multiplies every finished inflow line.
    """

    id: str
    name_zh: str
    name_en: str
    effects: list[Effect] = field(default_factory=list)
    inflow_factor: float = 1.0

    def name(self, lang: str | None = None) -> str:
        """The case's name: Chinese, English, or both (default)."""
        if lang == "zh":
            return self.name_zh
        if lang == "en":
            return self.name_en
        return self.name_zh if self.name_zh == self.name_en else f"{self.name_zh} {self.name_en}"


def standard_cases() -> list[Case]:
    """The base case and the four standard stress cases of METHOD §13."""
    opex = Effect("opex_+10", OPEX_FACTOR, scale=[OPEX_TARGET])
    delay = Effect("land_delay_12", LAND_DELAY_MONTHS, shift_months=[SALE_TARGET])
    return [
        Case("base", "基准情形", "Base case"),
        Case("revenue_-10", "收入下降10%", "Revenue −10%", inflow_factor=REVENUE_FACTOR),
        Case("opex_+10", "运营成本上升10%", "Operating costs +10%", [opex]),
        Case("land_delay_12", "土地出让推迟12个月", "Land sales 12 months late", [delay]),
        Case("combined", "组合压力", "Combined", [opex, delay], inflow_factor=REVENUE_FACTOR),
    ]


def cases_of(scenario: Scenario) -> list[Case]:
    """The base case, the standard cases, then the scenario's own ``stress`` cases."""
    cases = standard_cases()
    for own in scenario.model.stress:
        effects = [Effect(f"{own.id}:{kind}:{path}", float(value), **{kind: [path]})
                   for kind in ("set", "scale", "shift_months")
                   for path, value in getattr(own, kind).items()]
        name = own.name or own.id
        cases.append(Case(own.id, name, name, effects))
    return cases


def _evaluate(scenario: Scenario, cases: list[Case]) -> tuple[dict[str, Any], Flows, Evaluation]:
    """Run the model once, one path per case.

    The single place where stress cases meet the engine: parameter effects
    (:func:`fcfinance.kernel.evaluate`, each case's
    effects active on its own path), the lines, the inflow factor on the
    finished lines, then the metrics.

    Returns
    -------
    params : dict
        The parameters with arrays over paths at every target.
    flows : Flows
        Lines of every path (inflows already scaled).
    evaluation : Evaluation
    """
    columns = [(p, effect) for p, case in enumerate(cases) for effect in case.effects]
    unique: dict[str, Effect] = {}
    for _, effect in columns:
        unique.setdefault(effect.id, effect)
    effects = list(unique.values())
    col = {effect.id: k for k, effect in enumerate(effects)}
    n = len(cases)
    values = np.broadcast_to(np.array([e.value for e in effects], dtype=float), (n, len(effects)))
    active = np.zeros((n, len(effects)), dtype=bool)
    for p, effect in columns:
        active[p, col[effect.id]] = True
    _, targets = compile_targets(scenario, effects)
    factor = np.array([case.inflow_factor for case in cases])
    params, _ = kernel.apply(scenario.params(), targets, np.ascontiguousarray(values), active)
    flows, evaluation = kernel.evaluate(params, scenario.timeline, n_paths=n, with_irr=True, detail=True,
                                        line_factors={key: factor for key in INFLOW_LINES})
    return params, flows, evaluation


@dataclass
class StressResult:
    """Every case's §8 metrics and, with bonds, its self-balance test.

    Attributes
    ----------
    scenario : Scenario
    cases : list of Case
        The base case first.
    metrics : list of dict
        Each case's METHOD §8 metrics (money in 万元).
    clipped : list of bool
        Whether a case pushed a flow past the horizon (booked in the last month).
    balance : SelfBalance or None
        The self-balance table of every case (None without bonds).
    """

    scenario: Scenario
    cases: list[Case]
    metrics: list[dict[str, Any]]
    clipped: list[bool]
    balance: SelfBalance | None

    def bond_table(self) -> BondTable:
        """The base case's self-balance table, with every case's test in ``stress``.

        Raises
        ------
        ScenarioError
            If the scenario has no bonds.
        """
        require_bonds(self.scenario)
        b = self.balance
        stress = [{"id": case.id, "name": case.name(), "coverage_life": _plain(b.coverage_life[p]),
                   "first_shortfall_year": None if b.first_shortfall[p] < 0 else int(b.first_shortfall[p]),
                   "passes": bool(b.passes[p])}
                  for p, case in enumerate(self.cases) if p > 0]
        return BondTable.from_paths(self.scenario, b, 0, stress)

    def to_dict(self) -> dict[str, Any]:
        """The JSON of ``fcfinance stress --json``: ``{"cases": [{id, name, metrics}]}``."""
        return {"cases": [{"id": case.id, "name": case.name(),
                           "metrics": {k: _plain(v) for k, v in m.items()}}
                          for case, m in zip(self.cases, self.metrics)]}

    def frame(self, lang: str | None = None) -> pd.DataFrame:
        """One row per metric, one column per case (base first); money in 万元.

        Parameters
        ----------
        lang : {'zh', 'en'}, optional
            Metric and case names in that language (default: keys and ids).
        """
        import pandas as pd

        keys = [spec for spec in METRICS if spec.key in self.metrics[0]]
        index = [s.key if lang is None else s.zh if lang == "zh" else s.en for s in keys]
        data = {(case.id if lang is None else case.name(lang)): [m[s.key] for s in keys]
                for case, m in zip(self.cases, self.metrics)}
        return pd.DataFrame(data, index=pd.Index(index, name="metric"))


def run_stress(scenario: Scenario, threshold: float | None = None) -> StressResult:
    """Evaluate the base case and every stress case (METHOD §13).

    Parameters
    ----------
    scenario : Scenario
    threshold : float, optional
        Life coverage required, instead of ``financing.coverage.threshold``. [ratio]

    Returns
    -------
    StressResult
    """
    cases = cases_of(scenario)
    params, flows, ev = _evaluate(scenario, cases)
    tl = scenario.timeline
    metrics = [metrics_at(ev, tl, p) for p in range(len(cases))]
    settings = CoverageSettings.of(params)
    if threshold is not None:
        settings = replace(settings, threshold=float(threshold))
    balance = self_balance(flows, params, settings) if has_bonds(params) else None
    return StressResult(scenario, cases, metrics, [bool(c) for c in ev.clipped], balance)


def _scenario(scenario: Scenario | str | Path) -> Scenario:
    from .scenario import Scenario, load

    return scenario if isinstance(scenario, Scenario) else load(scenario)


def bond_table(scenario: Scenario | str | Path, lang: str | None = None,
               threshold: float | None = None) -> pd.DataFrame:
    """The special-bond self-balance table by calendar year (METHOD §13), for notebooks.

    Parameters
    ----------
    scenario : Scenario or path
    lang : {'zh', 'en'}, optional
        Column headings in that language (default: the JSON keys).
    threshold : float, optional
        Life coverage required, instead of ``financing.coverage.threshold``. [ratio]

    Returns
    -------
    pandas.DataFrame
        One row per year of the bond life, money in 万元.  ``.attrs`` holds
        ``coverage_life``, ``threshold``, ``first_shortfall_year``, ``passes``,
        ``verdict_zh``, ``verdict_en`` and ``stress`` (each case's test).

    Raises
    ------
    ScenarioError
        If the scenario has no bonds.
    """
    scenario = _scenario(scenario)
    require_bonds(scenario)
    table = run_stress(scenario, threshold).bond_table()
    frame = table.frame(lang)
    frame.attrs.update({k: v for k, v in table.to_dict().items() if k != "years"},
                       verdict_zh=table.verdict("zh"), verdict_en=table.verdict("en"))
    return frame


def stress(scenario: Scenario | str | Path, lang: str | None = None) -> pd.DataFrame:
    """Every METHOD §8 metric under each stress case beside the base case, for notebooks.

    Parameters
    ----------
    scenario : Scenario or path
    lang : {'zh', 'en'}, optional
        Metric and case names in that language (default: keys and ids).

    Returns
    -------
    pandas.DataFrame
        One row per metric, one column per case, the base case first; money in 万元.
    """
    return run_stress(_scenario(scenario)).frame(lang)
