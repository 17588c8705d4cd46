"""Solve: the decision value at which a metric meets a target (METHOD §15).

Deterministic targets (a §8 metric): a grid of decision values is one engine
call (one path per value); the first grid interval where the metric reaches
the value, scanning from the end where it is not met, is refined by secant
steps each checked by a small grid in the same call, until the bracket is
1e-9 relative in x (whole months for ``shift``: every month of the range is
evaluated).

Monte Carlo targets (a probability or a percentile) use common random
numbers: the risks are sampled once and every decision value is evaluated on
the same sample, so the estimate is a step function of x (a probability) or
a piecewise-continuous one (a percentile).  The whole sample is evaluated at
both ends of the range; each path's metric is then taken as the straight
line between its two ends, which makes the estimate at any x a numpy
reduction with no engine call; the answer found on those lines is checked by
evaluating every path there, and paths whose metric is not on its line are
from then on evaluated by the engine at every x examined (so the answer stays
exact for the sample whatever the shape).  See ``docs/decisions.md``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .decisions import (
    Decision,
    Measure,
    _evaluate,
    decision_targets,
    parse_decision,
    parse_target,
    validate_decisions,
)
from .errors import Problem, ScenarioError
from .scenario import Scenario

GRID = 65
"""Decision values of the first scan of the range (deterministic targets; Monte Carlo on the paths' lines)."""

SUBDIVIDE = 17
"""Points per refinement step inside a bracket."""

FEW_POINTS = 3
"""Points per scan or step (a bisection) when each point costs an engine pass over many paths."""

OFF_ROWS_PER_CALL = 2**16
"""Above this many path rows per point set, the Monte Carlo search examines :data:`FEW_POINTS` at a time."""

DETERMINISTIC_RTOL = 1e-9
MONTE_CARLO_RTOL = 1e-6
LINEAR_RTOL = 1e-8
"""A path's metric is on its line when within this share of its magnitude (plus 1e-9 万元)."""

MAX_SHIFT_MONTHS = 2400
"""Largest number of whole months a ``shift`` search may cover."""


class NoCrossing(ScenarioError):
    """The metric does not meet the target anywhere in the range; gives the metric at both ends."""

    def __init__(self, file: str, path: str, measure: Measure, value: float, lo: float, hi: float,
                 at_lo: float, at_hi: float):
        self.at_lo, self.at_hi = at_lo, at_hi
        msg = (f"no crossing of {measure.text} = {value:g} for x in [{lo:g}, {hi:g}]: "
               f"{measure.text} is {at_lo:,.6g} at x = {lo:g} and {at_hi:,.6g} at x = {hi:g}")
        super().__init__([Problem(file, None, path, msg)], file)


@dataclass
class SolveResult:
    """The answer of :func:`solve`.

    Attributes
    ----------
    value : float
        The decision value x (multiplier for scale, the field's unit for set, months for shift).
    measure : Measure
    target : float
        The value to meet (money in 万元).
    achieved : float
        The metric (or its estimate) at ``value`` (money in 万元).
    evaluations : int
        Decision values at which the engine evaluated the model.
    engine_calls : int
    decision : Decision
    scenario : Scenario
    lo, hi : float
        The search range.
    se : float or None
        Standard error of the estimate at ``value`` (Monte Carlo).
    interval : (float, float) or None
        The x range over which the target lies within ±2 standard errors of the estimate (Monte Carlo).
    paths, seed, sampling : Monte Carlo settings, or None
    notes : list of str
    solved : Scenario
        The scenario with the decision applied at ``value``, validated.
    """

    value: float
    measure: Measure
    target: float
    achieved: float
    evaluations: int
    engine_calls: int
    decision: Decision
    scenario: Scenario
    lo: float
    hi: float
    se: float | None = None
    interval: tuple[float, float] | None = None
    paths: int | None = None
    seed: int | None = None
    sampling: str | None = None
    notes: list[str] = field(default_factory=list)
    solved: Scenario | None = field(default=None, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """``{"value", "metric", "target", "achieved", "evaluations", "interval"}`` (money in 万元)."""
        value = int(self.value) if self.decision.mode == "shift" else float(self.value)
        return {"value": value, "metric": self.measure.text, "target": float(self.target),
                "achieved": _plain(self.achieved), "evaluations": int(self.evaluations),
                "interval": None if self.interval is None else [float(self.interval[0]), float(self.interval[1])]}

    def how(self) -> str:
        """One paragraph saying how the value was found (for the variant file's comment)."""
        from ._version import __version__

        text = (f"Solved by fcfinance {__version__} solve: --vary {self.decision.path} --by {self.decision.mode} "
                f"--target {self.measure.text}={self.target:g} --range={self.lo:g}:{self.hi:g}\n"
                f"x = {self.value:.12g} {self.decision.value_unit}; {self.measure.text} there = "
                f"{self.achieved:.10g}")
        if self.paths is not None:
            text += (f" ± {self.se:.4g} (standard error)\n{self.paths:,} paths, seed {self.seed}, {self.sampling}; "
                     f"target within ±2 SE for x in [{self.interval[0]:.8g}, {self.interval[1]:.8g}]")
        return text + f"\nfrom {self.scenario.path} (sha256 {self.scenario.sha256[:12]})"

    def text(self) -> str:
        """The readable answer printed by ``fcfinance solve``."""
        d, unit = self.decision, self.decision.value_unit
        head = {"scale": f"x = {self.value:.10g} {unit} (every {d.path} × x)",
                "set": f"x = {self.value:,.10g} {unit} ({d.path} = x)",
                "shift": f"x = {self.value:+.0f} months ({d.path} + x)"}[d.mode]
        out = [f"{self.scenario.name}", f"{self.scenario.path} · sha256 {self.scenario.sha256[:12]}", "",
               f"反算 solve: {self.measure.text} = {self.target:g}", f"  {head}",
               f"  {self.measure.text} at x: {self.achieved:,.10g}" + _unit(self.measure)]
        if self.se is not None:
            out.append(f"  standard error: {self.se:.6g}; target within ±2 SE for x in "
                       f"[{self.interval[0]:.10g}, {self.interval[1]:.10g}]")
            out.append(f"  Monte Carlo: {self.paths:,} paths, seed {self.seed}, {self.sampling}, common random "
                       "numbers for every x")
        out.append(f"  evaluations: {self.evaluations:,} decision values in {self.engine_calls} engine calls")
        out += [f"  note: {n}" for n in self.notes]
        return "\n".join(out)

    def __repr__(self) -> str:
        extra = f" ± {self.se:.4g} (SE), ±2 SE for x in {self.interval}" if self.se is not None else ""
        return (f"SolveResult({self.decision.path} --by {self.decision.mode}: x = {self.value:.10g}; "
                f"{self.measure.text} = {self.achieved:.10g}{extra}; target {self.target:g})")

    def _repr_html_(self) -> str:
        import html

        return "<pre>" + html.escape(self.text()) + "</pre>"


def _unit(measure: Measure) -> str:
    unit = measure.unit
    return " 万元" if unit == "万元" else ""


def _plain(x: float) -> float | None:
    return None if x is None or not math.isfinite(x) else float(x)


# -- the model at decision values ---------------------------------------------------


class _Problem:
    """One scenario and decision; counts what is evaluated (every call goes through ``_evaluate``)."""

    def __init__(self, scenario: Scenario, decision: Decision, measure: Measure, *, paths: int | None = None,
                 seed: int | None = None, sampling: str | None = None, threads: int | None = None):
        self.scenario, self.decision, self.measure = scenario, decision, measure
        self.base = scenario.params()
        self.timeline = scenario.timeline
        self.targets = decision_targets(self.base, [decision])
        self.with_irr = measure.metric == "irr"
        self.evaluations = 0
        self.calls = 0
        self.threads = threads
        self.sampler = None
        self.risk_targets = None
        self.risk_values = None
        if measure.monte_carlo:
            self._sample(paths, seed, sampling)

    def _sample(self, paths: int | None, seed: int | None, sampling: str | None) -> None:
        from .montecarlo.sampler import RiskSampler
        from .scenario.targets import compile_targets

        s = self.scenario
        if not s.model.risks:
            raise ScenarioError([Problem(s.path, None, "risks", f"{self.measure.text} is a Monte Carlo target, "
                                         "but the scenario has no risks")], s.path)
        sim = s.model.simulation
        self.seed = int(seed if seed is not None else sim.seed)
        self.sampling = sampling or sim.sampling
        try:
            self.sampler = RiskSampler.build([(r.id, r.dist) for r in s.model.risks],
                                             [list(c) for c in s.model.correlations],
                                             paths=int(paths if paths is not None else sim.paths), seed=self.seed,
                                             method=self.sampling, correlation_repair=sim.correlation_repair)
        except ValueError as exc:
            raise ScenarioError([Problem(s.path, None, "simulation", str(exc))], s.path) from None
        _, self.risk_targets = compile_targets(s)
        self.risk_values = self.sampler.values()

    def deterministic(self, xs: np.ndarray) -> np.ndarray:
        """The metric at each decision value (one engine call, one path per value)."""
        xs = np.asarray(xs, dtype=float)
        self.evaluations += xs.size
        self.calls += 1
        return _evaluate(self.base, self.timeline, self.targets, xs[:, None], with_irr=self.with_irr)[
            self.measure.metric].copy()

    def on_paths(self, x: np.ndarray | float, rows: np.ndarray | None = None) -> np.ndarray:
        """The metric on sampled paths ``rows`` (default all): row i at decision value ``x[i]`` (or ``x``
        for every row); ``x`` of shape (rows, k) for k decisions."""
        from .montecarlo.chunks import CHUNK
        from .montecarlo.parallel import run_each

        rows = np.arange(self.sampler.paths) if rows is None else np.asarray(rows)
        x = np.asarray(x, dtype=float)
        if x.ndim < 2:  # one decision: a value, or one per row
            x = np.broadcast_to(x, rows.shape)[:, None]
        out = np.empty(rows.size)
        key = self.measure.metric

        def chunk(start: int) -> None:
            part = slice(start, min(start + CHUNK, rows.size))
            got = _evaluate(self.base, self.timeline, self.targets, x[part], self.risk_targets,
                            self.risk_values[rows[part]], with_irr=self.with_irr)
            out[part] = got[key]

        run_each(chunk, range(0, rows.size, CHUNK), self.threads)
        self.calls += 1
        return out


# -- brackets --------------------------------------------------------------------------


def _tolerance(a: float, b: float, rtol: float, span: float) -> float:
    return rtol * max(abs(a), abs(b), 1e-6 * span)


def _first_met(xs: np.ndarray, met: np.ndarray) -> int | None:
    hits = np.flatnonzero(met)
    return int(hits[0]) if hits.size else None


def _refine(fn: Callable[[np.ndarray], np.ndarray], is_met: Callable[[np.ndarray], np.ndarray],
            a: float, b: float, fa: float, fb: float, rtol: float, span: float,
            secant: bool, points: int = SUBDIVIDE) -> tuple[float, float, float, float]:
    """Shrink [a (not met), b (met)] until it is ``rtol`` relative in x; returns (a, b, f(a), f(b)).

    Each step evaluates ``points`` − 2 evenly spaced interior points (3: a
    bisection) and, with ``secant``, the secant root ± a quarter of the
    tolerance (a linear function is then bracketed in one step), all in one
    call of ``fn``.
    """
    while abs(b - a) > _tolerance(a, b, rtol, span):
        tol = _tolerance(a, b, rtol, span)
        pts = list(np.linspace(a, b, points)[1:-1])
        if secant and np.isfinite(fa) and np.isfinite(fb) and fb != fa:
            s = a - fa * (b - a) / (fb - fa)
            pts += [s - 0.25 * tol, s + 0.25 * tol]
        lo_, hi_ = min(a, b), max(a, b)
        pts = np.array(sorted({p for p in pts if lo_ < p < hi_}, reverse=bool(b < a)))
        if pts.size == 0:
            break
        fp = fn(pts)
        seq_x = np.concatenate([[a], pts, [b]])
        seq_f = np.concatenate([[fa], fp, [fb]])
        k = _first_met(seq_x, is_met(seq_f))
        k = len(seq_x) - 1 if k is None or k == 0 else k
        a, b, fa, fb = seq_x[k - 1], seq_x[k], seq_f[k - 1], seq_f[k]
    return a, b, fa, fb


def _scan(grid: np.ndarray, f: np.ndarray, is_met: Callable[[np.ndarray], np.ndarray], error: Callable[[], None]
          ) -> tuple[np.ndarray, np.ndarray, int]:
    """Order the grid from the end where the target is not met; index of the first met value."""
    met = is_met(f)
    if met[0] and met[-1]:
        error()
    if met[0]:
        grid, f, met = grid[::-1], f[::-1], met[::-1]
    k = _first_met(grid, met)
    if k is None:
        error()
    return grid, f, k


# -- solve -----------------------------------------------------------------------------


def solve(scenario: Scenario | str, vary: str, target: str, by: str = "scale",
          range: tuple[float, float] | None = None, paths: int | None = None, seed: int | None = None,
          sampling: str | None = None, threads: int | None = None) -> SolveResult:
    """The decision value at which a metric meets a target (METHOD §15).

    Parameters
    ----------
    scenario : Scenario or path
    vary : str
        A §9 target path, e.g. ``land.parcels.*.floor_price_yuan_m2``.
    target : str
        ``METRIC=VALUE``: a §8 metric (deterministic; money in 万元), or
        ``p_balanced``, ``p_npv_nonnegative``, ``p_ending_nonnegative``, or a
        percentile ``METRIC:pNN`` (Monte Carlo).
    by : {'scale', 'set', 'shift'}
    range : (lo, hi), optional
        The search range of x; default (0.5, 2) for scale, required for set
        and shift [multiplier, the field's unit, or months].
    paths, seed, sampling : optional
        Monte Carlo settings (default: the file's ``simulation``).
    threads : int, optional
        Threads for chunks of paths; does not change the results.

    Returns
    -------
    SolveResult

    Raises
    ------
    ScenarioError
        Bad decision, target or range; a decision value that makes the
        scenario invalid (naming the value and the field); no crossing in
        the range (:class:`NoCrossing`, with the metric at both ends).
    """
    from .scenario import as_scenario as _scenario

    scenario = _scenario(scenario)
    decision = parse_decision(scenario, vary, by)
    measure, value = parse_target(target)
    lo, hi = _range(decision, range)
    if not measure.monte_carlo and (paths is not None or sampling is not None):
        raise ScenarioError([Problem("command line", None, "--paths", f"{measure.text} is a deterministic "
                                     "metric; --paths, --seed and --sampling apply to probabilities and "
                                     "percentiles")])
    for x in (lo, hi):
        validate_decisions(scenario, [decision], [x])
    problem = _Problem(scenario, decision, measure, paths=paths, seed=seed, sampling=sampling, threads=threads)
    if measure.monte_carlo:
        result = _solve_monte_carlo(problem, value, lo, hi)
    else:
        result = _solve_deterministic(problem, value, lo, hi)
    result.solved = validate_decisions(scenario, [decision], [result.value])
    return result


def _range(decision: Decision, given: tuple[float, float] | None) -> tuple[float, float]:
    if given is None:
        if decision.mode != "scale":
            raise ScenarioError([Problem("command line", None, "--range", f"--by {decision.mode} needs a search "
                                         "range LO:HI (the default 0.5:2 is for scale)")])
        given = (0.5, 2.0)
    lo, hi = (float(v) for v in given)
    if not (math.isfinite(lo) and math.isfinite(hi)) or not lo < hi:
        raise ScenarioError([Problem("command line", None, "--range", f"expected LO < HI, finite; got {lo:g}:{hi:g}")])
    if decision.mode == "shift":
        lo, hi = math.ceil(lo), math.floor(hi)
        if not lo < hi:
            raise ScenarioError([Problem("command line", None, "--range", "--by shift needs at least two whole "
                                         f"months in the range; got {given[0]:g}:{given[1]:g}")])
        if hi - lo > MAX_SHIFT_MONTHS:
            raise ScenarioError([Problem("command line", None, "--range", f"--by shift searches at most "
                                         f"{MAX_SHIFT_MONTHS} months; got {lo}:{hi}")])
    return lo, hi


def _solve_deterministic(p: _Problem, value: float, lo: float, hi: float) -> SolveResult:
    shift = p.decision.mode == "shift"
    grid = np.arange(lo, hi + 1, dtype=float) if shift else np.linspace(lo, hi, GRID)
    f = p.deterministic(grid) - value

    def is_met(v: np.ndarray) -> np.ndarray:
        return np.nan_to_num(np.asarray(v, dtype=float), nan=-np.inf) >= 0

    def error() -> None:
        raise NoCrossing(p.scenario.path, p.decision.path, p.measure, value, lo, hi, f[0] + value, f[-1] + value)

    ordered, fo, k = _scan(grid, f, is_met, error)
    a, b, fa, fb = ordered[k - 1], ordered[k], fo[k - 1], fo[k]
    if not shift:
        a, b, fa, fb = _refine(lambda xs: p.deterministic(xs) - value, is_met, a, b, fa, fb,
                               DETERMINISTIC_RTOL, hi - lo, secant=True)
    notes: list[str] = []
    return SolveResult(value=float(b), measure=p.measure, target=value, achieved=float(fb + value),
                       evaluations=p.evaluations, engine_calls=p.calls, decision=p.decision,
                       scenario=p.scenario, lo=lo, hi=hi, notes=notes)


class _Lines:
    """Each path's metric as a line between its values at the range's ends; paths off their
    line (``off``) are evaluated by the engine wherever the estimate is needed."""

    def __init__(self, p: _Problem, lo: float, hi: float, at_lo: np.ndarray, at_hi: np.ndarray):
        self.p, self.lo, self.hi = p, lo, hi
        self.at_lo = at_lo
        self.slope = (at_hi - at_lo) / (hi - lo)
        self.off = np.zeros(at_lo.size, dtype=bool)

    def grid(self, points: int) -> int:
        """Points to examine per scan or step: ``points`` while the estimate is a numpy reduction (or the
        paths off their lines are few), else :data:`FEW_POINTS` — each point then costs an engine pass
        over those paths."""
        return points if int(self.off.sum()) * points <= OFF_ROWS_PER_CALL else FEW_POINTS

    def estimate(self, xs: np.ndarray) -> np.ndarray:
        """The estimate at each x: lines for the paths on them, the engine for the others (one call)."""
        xs = np.asarray(xs, dtype=float)
        rows = np.flatnonzero(self.off)
        got = None
        if rows.size:
            got = self.p.on_paths(np.repeat(xs, rows.size), np.tile(rows, xs.size)).reshape(xs.size, rows.size)
            self.p.evaluations += xs.size
        out = np.empty(xs.size)
        for i, x in enumerate(xs):
            row = self.at_lo + self.slope * (x - self.lo)
            if got is not None:
                row[rows] = got[i]
            out[i] = self.p.measure.estimate(row)
        return out

    def first_crossing(self, value: float, upward: bool) -> float | None:
        """A probability with every path on its line: the exact x at which the share of paths with
        a non-negative metric first reaches ``value``, scanning up from ``lo`` (or down from ``hi``).

        Path i's line crosses 0 at c_i; it counts for x ≥ c_i if rising, x ≤ c_i if falling. The
        share only rises (scanning up) at the c_i of rising lines, so the answer is one of them:
        each is checked with a sorted search, no grid. None when paths are off their lines or no
        c_i in the range reaches ``value``.
        """
        if self.off.any():
            return None
        s, m0, n = self.slope, self.at_lo, self.slope.size
        with np.errstate(divide="ignore", invalid="ignore"):
            c = self.lo - m0 / s
        steady = int(np.sum((s == 0) & (m0 >= 0)))
        rising, falling = np.sort(c[s > 0]), np.sort(c[s < 0])
        cands = rising if upward else falling
        cands = cands[(cands >= self.lo) & (cands <= self.hi)]
        if cands.size == 0:
            return None
        count = (steady + np.searchsorted(rising, cands, side="right")
                 + (falling.size - np.searchsorted(falling, cands, side="left")))
        met = np.flatnonzero(count / n >= value)
        if met.size == 0:
            return None
        return float(cands[met[0]] if upward else cands[met[-1]])

    def check(self, x: float, actual: np.ndarray) -> int:
        """Mark the paths whose actual metric at x is off their line; how many were newly marked."""
        line = self.at_lo + self.slope * (x - self.lo)
        scale = np.maximum.reduce([np.abs(self.at_lo), np.abs(line), np.abs(actual)])
        off = ~(np.abs(actual - line) <= LINEAR_RTOL * scale + 1e-9)
        off |= ~np.isfinite(actual)
        if self.p.measure.kind == "probability":  # the indicator itself must agree
            off |= (actual >= 0) != (line >= 0)
        new = int((off & ~self.off).sum())
        self.off |= off
        return new


def _solve_monte_carlo(p: _Problem, value: float, lo: float, hi: float) -> SolveResult:
    measure = p.measure
    at_lo, at_hi = p.on_paths(lo), p.on_paths(hi)
    p.evaluations += 2
    e_lo, e_hi = measure.estimate(at_lo), measure.estimate(at_hi)

    def is_met(v: np.ndarray) -> np.ndarray:
        return np.nan_to_num(np.asarray(v, dtype=float), nan=-np.inf) >= value

    def error() -> None:
        raise NoCrossing(p.scenario.path, p.decision.path, measure, value, lo, hi, e_lo, e_hi)

    if is_met(np.array([e_lo]))[0] == is_met(np.array([e_hi]))[0]:
        error()
    if p.decision.mode == "shift":
        return _solve_monte_carlo_shift(p, value, lo, hi, at_lo, at_hi, is_met)
    lines = _Lines(p, lo, hi, at_lo, at_hi)
    notes: list[str] = []
    upward = not is_met(np.array([e_lo]))[0]
    for _ in range(4):
        crossing = lines.first_crossing(value, upward) if measure.kind == "probability" else None
        if crossing is not None:  # just past the step, on the side where it is met
            b = crossing + (1 if upward else -1) * 0.25 * _tolerance(crossing, crossing, MONTE_CARLO_RTOL, hi - lo)
        else:
            grid = np.linspace(lo, hi, lines.grid(GRID))
            f = lines.estimate(grid)
            f[0], f[-1] = e_lo, e_hi
            ordered, fo, k = _scan(grid, f, is_met, error)
            _, b, _, _ = _refine(lines.estimate, is_met, ordered[k - 1], ordered[k], fo[k - 1], fo[k],
                                 MONTE_CARLO_RTOL, hi - lo, secant=False, points=lines.grid(SUBDIVIDE))
        actual = p.on_paths(b)
        p.evaluations += 1
        if lines.check(b, actual) == 0 and is_met(np.array([measure.estimate(actual)]))[0]:
            break
    else:
        notes.append("paths off their straight line were found in four rounds; the answer is exact for the "
                     "paths evaluated and the lines of the others")
    off = int(lines.off.sum())
    if off:
        notes.append(f"{off:,} of {lines.off.size:,} paths are not linear in x and were evaluated at every x "
                     "examined")
    achieved = measure.estimate(actual)
    se = _standard_error(p, actual)
    interval = _interval(lines, value, achieved, se, b, lo, hi)
    return SolveResult(value=float(b), measure=measure, target=value, achieved=achieved,
                       evaluations=p.evaluations, engine_calls=p.calls, decision=p.decision, scenario=p.scenario,
                       lo=lo, hi=hi, se=se, interval=interval, paths=p.sampler.paths, seed=p.seed,
                       sampling=p.sampling, notes=list(p.sampler.notes) + notes)


def _solve_monte_carlo_shift(p: _Problem, value: float, lo: float, hi: float, at_lo: np.ndarray,
                             at_hi: np.ndarray, is_met: Callable) -> SolveResult:
    """Whole months: the whole sample at each month from the unmet end until met."""
    measure = p.measure
    months = np.arange(lo, hi + 1, dtype=float)
    known = {lo: at_lo, hi: at_hi}
    if is_met(np.array([measure.estimate(at_lo)]))[0]:
        months = months[::-1]

    def at(x: float) -> np.ndarray:
        if x not in known:
            known[x] = p.on_paths(x)
            p.evaluations += 1
        return known[x]

    answer = next(x for x in months if is_met(np.array([measure.estimate(at(x))]))[0])
    actual = at(answer)
    achieved = measure.estimate(actual)
    se = _standard_error(p, actual)
    inside = [answer]
    for step in (-1.0, 1.0):
        x = answer + step
        while lo <= x <= hi and abs(measure.estimate(at(x)) - value) <= 2 * se:
            inside.append(x)
            x += step
    if abs(achieved - value) > 2 * se:
        inside = [answer]
    return SolveResult(value=float(answer), measure=measure, target=value, achieved=achieved,
                       evaluations=p.evaluations, engine_calls=p.calls, decision=p.decision, scenario=p.scenario,
                       lo=lo, hi=hi, se=se, interval=(min(inside), max(inside)), paths=p.sampler.paths,
                       seed=p.seed, sampling=p.sampling, notes=list(p.sampler.notes))


def _standard_error(p: _Problem, actual: np.ndarray) -> float:
    """Standard error of the estimate at the answer.

    A probability: as ``simulate`` reports it (binomial under random, from
    the independent randomisations under lhs and sobol).  A percentile: the
    spread of the percentile across the randomisations under lhs and sobol;
    under random, from the order statistics (a quarter of the distance
    between the values of rank n·q ± 2·√(n·q·(1−q))).
    """
    measure, sampler = p.measure, p.sampler
    if measure.kind == "probability":
        return float(sampler.standard_error((actual >= 0).astype(float)))
    q = measure.q / 100.0
    if sampler.replicates > 1:
        per = actual.reshape(sampler.replicates, -1)
        values = np.percentile(per, measure.q, axis=1)
        return float(values.std(ddof=1) / math.sqrt(sampler.replicates))
    n = actual.size
    half = 2.0 * math.sqrt(n * q * (1 - q))
    ordered = np.sort(actual)
    low = ordered[max(int(math.floor(n * q - half)), 0)]
    high = ordered[min(int(math.ceil(n * q + half)), n - 1)]
    return float((high - low) / 4.0)


def _interval(lines: _Lines, value: float, achieved: float, se: float, x: float, lo: float, hi: float
              ) -> tuple[float, float]:
    """The x range around the answer over which |estimate − value| ≤ 2·se (each end to 1e-6 relative)."""
    def inside(v: np.ndarray) -> np.ndarray:
        return np.abs(np.asarray(v) - value) <= 2 * se

    if not inside(np.array([achieved]))[0]:
        return (x, x)
    ends = []
    for end in (lo, hi):
        grid = np.linspace(x, end, lines.grid(GRID))[1:]
        f = lines.estimate(grid)
        out = np.flatnonzero(~inside(f))
        if out.size == 0:
            ends.append(end)
            continue
        k = int(out[0])
        a, fa = (grid[k - 1], f[k - 1]) if k else (x, achieved)
        a, _, _, _ = _refine(lines.estimate, lambda v: ~inside(v), a, grid[k], fa, f[k], MONTE_CARLO_RTOL,
                             hi - lo, secant=False, points=lines.grid(SUBDIVIDE))
        ends.append(a)
    return (min(ends), max(ends))
