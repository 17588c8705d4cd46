"""Sweep: a metric over a grid of one or two decisions — the Excel 模拟运算表 (METHOD §15).

Deterministic metrics: every cell of the grid is one path of a single
engine call.  Monte Carlo measures (probabilities, percentiles): the risks
are sampled once and every cell is evaluated on the same sample (common
random numbers), one engine pass over the sample per cell.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .decisions import Decision, Measure, _evaluate, decision_targets, parse_decision, parse_measure, validate_decisions
from .errors import Problem, ScenarioError
from .scenario import Scenario

MAX_CELLS = 1_000_000
"""Largest grid a sweep accepts (cells)."""


@dataclass
class Axis:
    """One decision of a sweep and its values (multiplier, the field's unit, or months)."""

    decision: Decision
    values: np.ndarray

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.decision.path, "values": [float(v) for v in self.values]}


@dataclass
class Sweep:
    """The result of :func:`sweep`.

    Attributes
    ----------
    scenario : Scenario
    measure : Measure
    x, y : Axis (y None for a one-way table)
    values : ndarray (ny, nx) or (nx,)
        The metric (or its estimate) in each cell; ``values[i, j]`` at y[i], x[j] (money in 万元).
    se : ndarray or None
        Standard error of each cell (Monte Carlo).
    paths, seed, sampling : Monte Carlo settings or None
    engine_calls : int
    """

    scenario: Scenario
    measure: Measure
    x: Axis
    y: Axis | None
    values: np.ndarray
    se: np.ndarray | None = None
    paths: int | None = None
    seed: int | None = None
    sampling: str | None = None
    engine_calls: int = 0
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """``{"x": {"path", "values"}, "y": {...} or null, "metric", "values"}`` (money in 万元; NaN as null)."""
        def plain(v: float) -> float | None:
            return float(v) if math.isfinite(v) else None

        values = ([[plain(v) for v in row] for row in self.values] if self.y is not None
                  else [plain(v) for v in self.values])
        return {"x": self.x.to_dict(), "y": None if self.y is None else self.y.to_dict(),
                "metric": self.measure.text, "values": values}

    def table(self) -> SweepTable:
        """The grid as a pandas table: rows y (or the metric for a one-way sweep), columns x."""
        xs = pd.Index(self.x.values, name=self.x.decision.path)
        if self.y is None:
            frame = SweepTable(self.values[:, None], index=xs, columns=[self.measure.text])
        else:
            frame = SweepTable(self.values, index=pd.Index(self.y.values, name=self.y.decision.path), columns=xs)
        object.__setattr__(frame, "_sweep", self)
        return frame

    def plot(self, lang: str = "zh", *, date: str | None = None):
        """The line chart (one-way) or heatmap with the balance contour (two-way); a matplotlib Figure."""
        from .report.sweep_chart import sweep_chart

        return sweep_chart(self, lang=lang, date=date)


class SweepTable(pd.DataFrame):
    """A sweep's table (a pandas DataFrame: rows y, columns x) whose :meth:`plot` draws the
    house-style chart.

    Derived tables (slices, arithmetic, ``.style``) are plain DataFrames; the
    :class:`Sweep` behind the table (axes, standard errors, settings) is
    ``table.sweep``.
    """

    _metadata = ["_sweep"]

    @property
    def _constructor(self):
        return pd.DataFrame

    @property
    def sweep(self) -> Sweep:
        """The :class:`Sweep` this table shows."""
        return self._sweep

    def to_dict(self, *args: Any, **kwargs: Any) -> dict[str, Any]:  # type: ignore[override]
        """Without arguments the sweep's JSON (:meth:`Sweep.to_dict`); with arguments, pandas' ``to_dict``."""
        if args or kwargs:
            return pd.DataFrame(self).to_dict(*args, **kwargs)
        return self.sweep.to_dict()

    def plot(self, lang: str = "zh", *, date: str | None = None):  # type: ignore[override]
        """Line chart (one-way) or heatmap with the contour where the project balances; a Figure."""
        return self.sweep.plot(lang=lang, date=date)


def parse_axis(text: str) -> tuple[str, float, float, int]:
    """``PATH=LO:HI:N`` as (path, lo, hi, n).

    Raises
    ------
    ScenarioError
    """
    path, sep, spec = str(text).rpartition("=")
    parts = spec.split(":")
    try:
        if not sep or len(parts) != 3:
            raise ValueError
        lo, hi, n = float(parts[0]), float(parts[1]), int(parts[2])
    except ValueError:
        raise ScenarioError([Problem("command line", None, "--x/--y", f"{text!r}: expected PATH=LO:HI:N, e.g. "
                                     "land.parcels.*.floor_price_yuan_m2=0.8:1.2:9")]) from None
    return path, lo, hi, n


def _values(decision: Decision, lo: float, hi: float, n: int) -> np.ndarray:
    if not (math.isfinite(lo) and math.isfinite(hi)) or n < 2 or not lo < hi:
        raise ScenarioError([Problem("command line", None, decision.path, f"expected LO < HI and N ≥ 2; got "
                                     f"{lo:g}:{hi:g}:{n}")])
    values = np.linspace(lo, hi, n)
    if decision.mode == "shift":
        whole = np.sign(values) * np.floor(np.abs(values) + 0.5)
        if np.unique(whole).size != n:
            raise ScenarioError([Problem("command line", None, decision.path, f"--by shift takes whole months: "
                                         f"{lo:g}:{hi:g}:{n} does not give {n} distinct months")])
        values = whole + 0.0
    return values


def sweep(scenario: Scenario | str, x: str | tuple[str, float, float, int], metric: str,
          y: str | tuple[str, float, float, int] | None = None, by: str = "scale", by_y: str | None = None,
          paths: int | None = None, seed: int | None = None, sampling: str | None = None,
          threads: int | None = None) -> SweepTable:
    """A metric over a grid of one or two decisions, as a pandas table (the Excel 模拟运算表).

    Parameters as :func:`compute_sweep`.

    Returns
    -------
    SweepTable
        Rows y (a one-way table: the metric as its one column), columns x;
        ``.plot()`` draws the chart, ``.to_dict()`` gives the JSON and
        ``.sweep`` the :class:`Sweep` (axes, standard errors, settings).
    """
    return compute_sweep(scenario, x, metric, y=y, by=by, by_y=by_y, paths=paths, seed=seed, sampling=sampling,
                         threads=threads).table()


def compute_sweep(scenario: Scenario | str, x: str | tuple[str, float, float, int], metric: str,
                  y: str | tuple[str, float, float, int] | None = None, by: str = "scale", by_y: str | None = None,
                  paths: int | None = None, seed: int | None = None, sampling: str | None = None,
                  threads: int | None = None) -> Sweep:
    """A metric over a grid of one or two decisions.

    Parameters
    ----------
    scenario : Scenario or path
    x, y : str or (path, lo, hi, n)
        ``PATH=LO:HI:N`` (``y`` optional): N evenly spaced decision values.
    metric : str
        A §8 metric (deterministic), ``p_balanced`` etc., or ``METRIC:pNN`` (Monte Carlo).
    by : {'scale', 'set', 'shift'}
        The mode of the x decision (and of y unless ``by_y``).
    paths, seed, sampling : optional
        Monte Carlo settings (default: the file's ``simulation``).

    Returns
    -------
    Sweep
        ``.values`` (and ``.se`` under Monte Carlo); ``.table()`` is the
        pandas table whose ``.plot()`` draws the chart; ``.to_dict()`` the JSON.

    Raises
    ------
    ScenarioError
        A bad axis or metric; a grid corner that makes the scenario invalid.
    """
    from .scenario import as_scenario as _scenario

    scenario = _scenario(scenario)
    measure = parse_measure(metric)
    if not measure.monte_carlo and (paths is not None or sampling is not None):
        raise ScenarioError([Problem("command line", None, "--paths", f"{measure.text} is a deterministic "
                                     "metric; --paths, --seed and --sampling apply to probabilities and "
                                     "percentiles")])
    axes = []
    for spec, mode in ((x, by), (y, by_y or by)):
        if spec is None:
            continue
        path, lo, hi, n = parse_axis(spec) if isinstance(spec, str) else spec
        decision = parse_decision(scenario, path, mode)
        axes.append(Axis(decision, _values(decision, float(lo), float(hi), int(n))))
    decisions = [a.decision for a in axes]
    cells = int(np.prod([a.values.size for a in axes]))
    if cells > MAX_CELLS:
        raise ScenarioError([Problem("command line", None, "--x/--y", f"{cells:,} cells; at most {MAX_CELLS:,}")])
    corners = np.array(np.meshgrid(*[[a.values[0], a.values[-1]] for a in axes])).reshape(len(axes), -1).T
    for corner in corners:
        validate_decisions(scenario, decisions, list(corner))
    # meshgrid(x, y) is (ny, nx): cells y-major, then x; columns x, y
    grid = np.array(np.meshgrid(*[a.values for a in axes])).reshape(len(axes), -1).T
    targets = decision_targets(scenario.params(), decisions)
    base = scenario.params()
    tl = scenario.timeline
    shape = (axes[1].values.size, axes[0].values.size) if len(axes) == 2 else (axes[0].values.size,)
    with_irr = measure.metric == "irr"
    if not measure.monte_carlo:
        from .montecarlo.chunks import CHUNK

        out = np.empty(cells)
        calls = 0
        for start in range(0, cells, CHUNK):
            part = slice(start, min(start + CHUNK, cells))
            out[part] = _evaluate(base, tl, targets, grid[part], with_irr=with_irr)[measure.metric]
            calls += 1
        return Sweep(scenario, measure, axes[0], axes[1] if len(axes) == 2 else None, out.reshape(shape),
                     engine_calls=calls)
    from .solver import _Problem, _standard_error

    problem = _Problem(scenario, decisions[0], measure, paths=paths, seed=seed, sampling=sampling, threads=threads)
    problem.targets = targets
    from .montecarlo.chunks import CHUNK

    n = problem.sampler.paths
    estimates, errors = np.empty(cells), np.empty(cells)
    per_call = max(CHUNK // n, 1)  # cells evaluated together: several small samples fill one engine call
    for start in range(0, cells, per_call):
        group = grid[start:start + per_call]
        rows = np.tile(np.arange(n), len(group))
        per_path = problem.on_paths(np.repeat(group, n, axis=0), rows).reshape(len(group), n)
        for i, values in enumerate(per_path, start=start):
            estimates[i] = measure.estimate(values)
            errors[i] = _standard_error(problem, values)
    return Sweep(scenario, measure, axes[0], axes[1] if len(axes) == 2 else None, estimates.reshape(shape),
                 errors.reshape(shape), paths=problem.sampler.paths, seed=problem.seed, sampling=problem.sampling,
                 engine_calls=problem.calls, notes=list(problem.sampler.notes))
