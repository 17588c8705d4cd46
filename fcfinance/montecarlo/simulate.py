"""Monte Carlo runs of a scenario (METHOD §9, §11).

:func:`simulate` draws the risks of a scenario with a :class:`RiskSampler`,
turns each chunk of paths into engine parameters (:mod:`.effects`), runs the
same engine as the base case on the whole chunk at once, and keeps each
path's metrics and cumulative net cash.  Chunks are fixed ranges of path
numbers, so results do not depend on the chunk size or the number of worker
processes.  With ``target_se`` the run doubles its paths until the standard
error of P(balanced) is below the target (or ``max_paths`` is reached).
"""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import Problem, ScenarioError
from ..kernel import evaluate
from ..result import _plain, run
from ..scenario import Scenario, as_scenario
from ..scenario.targets import compile_targets
from . import budget
from .chunks import CHUNK, PROBE_PATHS
from .correlation import achieved_rank_correlation, partial_correlations
from .probability import probability_keys
from .quantiles import row_percentiles
from .runner import (  # PATH_METRICS re-exported: its home was here
    PATH_METRICS,  # noqa: F401
    PathArrays,
    RunSpec,
    chunk_jobs,
    chunk_within_budget,
    executor_for,
    measured_chunk,
    path_outputs,
    run_jobs,
)
from .sampler import RiskSampler
from .sobol import sobol_first_order  # noqa: F401  (re-exported: its home was here)

if TYPE_CHECKING:
    import pandas as pd

PERCENTILES = (5, 10, 25, 50, 75, 90, 95)
"""Percentiles reported for every metric and for the fan of cumulative net cash."""

RANK_PATHS = 2**17
"""Paths used for rank correlations (sensitivity, achieved correlations), evenly spaced."""



def rank_sample(paths: int) -> slice | np.ndarray:
    """Rows used for rank correlations: all paths up to RANK_PATHS, else RANK_PATHS evenly spaced."""
    if paths <= RANK_PATHS:
        return slice(None)
    return np.linspace(0, paths - 1, RANK_PATHS).round().astype(np.intp)


def _progress_bar(total: int, enabled: bool, label: str):
    if not enabled:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, unit="path", unit_scale=True, desc=label, file=sys.stderr, leave=False)


@dataclass
class SimulationResult:
    """A Monte Carlo run.

    Attributes
    ----------
    scenario : Scenario
    paths : int
        Paths run (after rounding for ``sobol``).
    seed : int
    sampling : str
    replicates : int
        Independent randomisations behind the standard errors (lhs, sobol).
    notes : list of str
        Path rounding, correlation repair, stopping rule, clipped flows.
    risk_ids : list of str
    values : ndarray (paths, risks)
        Each risk's value on each path.
    path_metrics : dict of ndarray (paths,)
        Every METHOD §8 metric per path (money in 万元; peak period as index;
        ``irr_code`` with ``irr``); :attr:`per_path` is the same as a DataFrame.
    cumulative : ndarray (periods, paths), float32
        Cumulative project net cash per period, period-major. [万元]
    base_cumulative : ndarray (periods,)
        The base case's cumulative net cash. [万元]
    period_labels : list of str
    sampler : RiskSampler
    clipped : ndarray of bool (paths,)
        Paths with a flow pushed past the horizon.
    """

    scenario: Scenario
    paths: int
    seed: int
    sampling: str
    replicates: int
    notes: list[str]
    risk_ids: list[str]
    values: np.ndarray
    path_metrics: dict[str, np.ndarray]
    cumulative: np.ndarray
    base_cumulative: np.ndarray
    period_labels: list[str]
    sampler: RiskSampler
    clipped: np.ndarray
    base_metrics: dict[str, Any] = field(default_factory=dict)
    sobol_table: pd.DataFrame | None = None
    _rank_matrix: np.ndarray | None = field(default=None, repr=False)
    _per_path: pd.DataFrame | None = field(default=None, repr=False)
    _fan: np.ndarray | None = field(default=None, repr=False)
    _tornado: dict[str, np.ndarray] | None = field(default=None, repr=False)

    @property
    def per_path(self) -> pd.DataFrame:
        """Every METHOD §8 metric per path, one column each (built on first use)."""
        import pandas as pd

        if self._per_path is None:
            self._per_path = pd.DataFrame(self.path_metrics)
        return self._per_path

    # -- probabilities and their errors ---------------------------------------
    def probability(self, indicator: np.ndarray) -> tuple[float, float]:
        """Estimate and standard error of P(indicator) for this run's sampling."""
        indicator = np.asarray(indicator, dtype=float)
        return float(indicator.mean()), float(self.sampler.standard_error(indicator))

    @property
    def p_balanced(self) -> tuple[float, float]:
        """P(net_balance ≥ 0) and its standard error."""
        return self.probability(self.path_metrics["net_balance"] >= 0)

    def summary(self) -> dict[str, Any]:
        """The JSON object of METHOD §11 for ``simulate``, with provenance keys."""
        from .._version import __version__

        m = self.path_metrics
        nb = m["net_balance"]
        out: dict[str, Any] = {
            "scenario": self.scenario.name,
            "file": self.scenario.path,
            "scenario_sha256": self.scenario.sha256,
            "fcfinance_version": __version__,
            "paths": int(self.paths),
            "seed": int(self.seed),
            "sampling": self.sampling,
            "replicates": int(self.replicates),
        }
        for key, indicator in (("p_balanced", nb >= 0),
                               ("p_npv_nonnegative", m["npv"] >= 0),
                               ("p_ending_nonnegative", m["ending_balance"] >= 0)):
            p, se = self.probability(indicator)
            out.update(probability_keys(key, p, se, self.paths, self.sampling))  # at 0 or 1: a 95% bound
        short = nb < 0
        out["expected_shortfall"] = float(-nb[short].mean()) if short.any() else 0.0
        keys = ("net_balance", "npv", "peak_funding_need", "ending_balance")
        quantiles = row_percentiles([m[key] for key in keys], PERCENTILES)
        for key, column_q in zip(keys, quantiles.T):
            column = m[key]
            out[f"{key}_mean"] = float(column.mean())
            out[f"{key}_sd"] = float(column.std(ddof=1)) if column.size > 1 else 0.0
            for q, v in zip(PERCENTILES, column_q):
                out[f"{key}_p{q}"] = float(v)
        out["paths_clipped_share"] = float(self.clipped.mean())
        out["notes"] = list(self.notes)
        return out

    def to_dict(self) -> dict[str, Any]:
        """:meth:`summary` plus the fan, the sensitivity tables and the achieved correlations."""
        out = self.summary()
        rho, share, partial, order = self._sensitivity()
        tornado = self._one_at_a_time()
        out["sensitivity"] = {
            self.risk_ids[j]: {"rank_correlation": _plain(rho[j]),
                               "contribution_to_variance": _plain(share[j]),
                               "partial_rank_correlation": _plain(partial[j]),
                               "tornado_one_at_a_time": {k: float(tornado[k][j]) for k in TORNADO_COLUMNS}}
            for j in order}
        out["sensitivity_ranking"] = {"ranked_by": "abs_partial_rank_correlation",  # valid under correlation
                                      "contribution_to_variance_valid": self.contribution_is_valid}
        out["correlations"] = self._achieved_records()
        fan = self._fan_values()
        out["fan_cumulative_net"] = {"periods": list(self.period_labels),
                                     **{f"P{q}": row.tolist() for q, row in zip(PERCENTILES, fan)},
                                     "base": np.asarray(self.base_cumulative, dtype=float).tolist()}
        if self.sobol_table is not None:
            out["sobol_indices"] = {k: {"first_order": float(r.first_order), "total_order": float(r.total_order)}
                                    for k, r in self.sobol_table.iterrows()}
        return out

    # -- tables ---------------------------------------------------------------
    def percentiles(self) -> pd.DataFrame:
        """Mean, sd and percentiles of every metric (rows) — NaN paths left out."""
        import pandas as pd

        rows = {}
        for key, column in self.path_metrics.items():
            column = np.asarray(column, dtype=float)
            finite = column[np.isfinite(column)]
            if key == "peak_funding_period" or finite.size == 0:
                continue
            row = {"mean": finite.mean(), "sd": finite.std(ddof=1) if finite.size > 1 else 0.0}
            row.update({f"P{q}": v for q, v in zip(PERCENTILES, np.percentile(finite, PERCENTILES))})
            row["defined_share"] = finite.size / column.size
            rows[key] = row
        return pd.DataFrame.from_dict(rows, orient="index")

    def fan(self) -> pd.DataFrame:
        """Percentiles of cumulative net cash by period (columns P5 … P95, base). [万元]"""
        import pandas as pd

        frame = pd.DataFrame(self._fan_values().T, index=pd.Index(self.period_labels, name="period"),
                             columns=[f"P{p}" for p in PERCENTILES])
        frame["base"] = self.base_cumulative
        return frame

    def _fan_values(self) -> np.ndarray:
        """Percentiles (rows, :data:`PERCENTILES`) of cumulative net cash by period (columns), once. [万元]"""
        if self._fan is None:
            self._fan = row_percentiles(self.cumulative, PERCENTILES)
        return self._fan

    def rank_correlations(self) -> np.ndarray:
        """Spearman matrix (mid-ranks) of the risk values and net balance, last row/column net balance.

        Computed once per result, on at most :data:`RANK_PATHS` paths spread
        evenly over the run (every path below that): ranking is the costly
        part, and 131,072 paths pin a rank correlation to about ±0.003.
        """
        if self._rank_matrix is None:
            rows = rank_sample(self.paths)
            nb = self.path_metrics["net_balance"][rows]
            with warnings.catch_warnings():  # fewer than 3 paths: undefined, NaN
                warnings.simplefilter("ignore", RuntimeWarning)
                self._rank_matrix = achieved_rank_correlation(np.column_stack([self.values[rows], nb]))
        return self._rank_matrix

    def sensitivity(self) -> pd.DataFrame:
        """Rank correlation of net balance with each risk, contribution to variance, partial rank correlation.

        Rows are ranked by the absolute partial rank correlation (PRCC), the
        measure that stays valid when risks are correlated (docs/montecarlo.md):
        it holds the other risks fixed, so a risk that matters only through its
        correlation with another gets about 0.  The contribution to variance is
        the squared rank correlation normalised to sum to 1 over the risks — a
        screening measure, exact only for a monotone additive model of
        independent risks; with correlated risks they share credit, and the
        outputs say so (:attr:`contribution_is_valid`).  A risk with one value
        (``fixed``) is left out of every measure: NaN correlations, no share.
        """
        import pandas as pd

        rho, share, partial, order = self._sensitivity()
        frame = pd.DataFrame({"rank_correlation": rho, "contribution_to_variance": share,
                              "partial_rank_correlation": partial},
                             index=pd.Index(self.risk_ids, name="risk"))
        return frame.iloc[order]

    @property
    def contribution_is_valid(self) -> bool:
        """Whether the contribution to variance may be read as one: only when no risks are correlated."""
        return not self.scenario.model.correlations

    def _sensitivity(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Rank correlations, contributions and partial rank correlations in ``risk_ids`` order,
        and the order by absolute partial rank correlation (then absolute rank correlation;
        constant risks last)."""
        matrix = self.rank_correlations()
        constant = np.isnan(np.diag(matrix)[:-1])  # a fixed risk: no ranks, left out
        rho = np.where(constant, np.nan, np.nan_to_num(matrix[-1, :-1]))
        squares = np.where(constant, 0.0, rho) ** 2
        share = squares / squares.sum() if squares.sum() > 0 else np.zeros_like(squares)  # a constant risk: 0
        partial = partial_correlations(matrix)
        key_partial = np.where(np.isnan(partial), -1.0, np.abs(partial))
        key_rho = np.where(constant, -1.0, np.abs(rho))
        return rho, share, partial, np.lexsort((key_rho, key_partial))[::-1]

    def achieved_correlations(self) -> pd.DataFrame:
        """Spearman targets beside the rank correlations achieved (mid-ranks)."""
        import pandas as pd

        return pd.DataFrame(self._achieved_records(), columns=["risk_a", "risk_b", "target", "achieved"])

    def _achieved_records(self) -> list[dict[str, Any]]:
        achieved = self.rank_correlations()
        index = {r: i for i, r in enumerate(self.risk_ids)}
        return [{"risk_a": a, "risk_b": b, "target": float(rho), "achieved": float(achieved[index[a], index[b]])}
                for a, b, rho in self.scenario.model.correlations]

    def tornado(self) -> pd.DataFrame:
        """One-at-a-time swings of net balance: each risk at its P10 and P90, the others at base.

        Per risk (index), sorted by swing: the values at P10 and P90, net
        balance at each, and the swing. [万元]
        """
        import pandas as pd

        t = self._one_at_a_time()
        frame = pd.DataFrame({key: t[key] for key in TORNADO_COLUMNS},
                             index=pd.Index(self.risk_ids, name="risk"))
        return frame.iloc[np.argsort(-t["swing"], kind="stable")]

    def _one_at_a_time(self) -> dict[str, np.ndarray]:
        if self._tornado is None:
            self._tornado = one_at_a_time(self.scenario, self.sampler)
        return self._tornado

    def _repr_html_(self) -> str:
        """Notebook display: probabilities with standard errors, then percentiles with Chinese names and units."""
        import html

        from ..names import METRIC_BY_KEY

        s = self.summary()
        from ..formatting import display_unit, error_decimals, format_value, percent, wan

        def number(value: float, unit: str) -> str:  # the one number style (fcfinance.formatting)
            return wan(value) if unit == "万元" else format_value(float(value), unit)

        cell = "<td style='text-align:right'>{}</td>"
        probs = ""
        for key, label in (("p_balanced", "P(资金平衡) = P(资金结余 ≥ 0)"),
                           ("p_npv_nonnegative", "P(净现值 ≥ 0)"),
                           ("p_ending_nonnegative", "P(期末资金余额 ≥ 0)")):
            estimate, se = s[key], s[key + "_se"]
            d = error_decimals(se)
            error = (f"95% 单侧上限 {percent(s[key + '_upper95'], 2)}" if key + "_upper95" in s else
                     f"95% 单侧下限 {percent(s[key + '_lower95'], 2)}" if key + "_lower95" in s else
                     f"± {percent(se, d)}")
            probs += f"<tr><td>{label}</td>{cell.format(percent(estimate, d))}{cell.format(error)}</tr>"
        shortfall = wan(s["expected_shortfall"])
        probs += f"<tr><td>预期缺口 E[−资金结余 | 资金结余 &lt; 0]（万元）</td>{cell.format(shortfall)}<td></td></tr>"
        table = self.percentiles()
        columns = ["mean", "sd"] + [f"P{q}" for q in PERCENTILES]
        header = "".join(f"<th>{'均值' if c == 'mean' else '标准差' if c == 'sd' else c}</th>" for c in columns)
        rows = []
        for key, row in table.iterrows():
            spec = METRIC_BY_KEY.get(key)
            if spec is None:
                continue
            unit = display_unit(spec.unit)
            values = "".join(cell.format(number(float(row[c]), spec.unit)) for c in columns)
            defined = "" if row["defined_share"] >= 1 else f"（{row['defined_share']:.0%} 路径有定义）"
            rows.append(f"<tr><td>{html.escape(spec.zh)}{defined}</td><td>{unit}</td>{values}</tr>")
        notes = "".join(f"<li>{html.escape(n)}</li>" for n in self.notes)
        return (f"<div><h4>{html.escape(self.scenario.name)} — 风险模拟 (Monte Carlo)</h4>"
                f"<p style='font-size:80%'>{html.escape(self.scenario.path)} · sha256 "
                f"{self.scenario.sha256[:12]} · {self.paths:,} 条路径 · {html.escape(self.sampling)} · "
                f"seed {self.seed}</p>"
                f"<table><tr><th>概率</th><th>估计</th><th>标准误 (SE)</th></tr>{probs}</table>"
                f"<p>指标分布（P5 … P95 为分位数；金额单位 万元）</p>"
                f"<table><tr><th>指标</th><th>单位</th>{header}</tr>{''.join(rows)}</table>"
                + (f"<details><summary>说明 (notes)</summary><ul>{notes}</ul></details>" if notes else "")
                + "</div>")


TORNADO_COLUMNS = ("value_p10", "value_p90", "net_balance_at_p10", "net_balance_at_p90", "swing")
"""Columns of the one-at-a-time table (:meth:`SimulationResult.tornado`)."""


def one_at_a_time(scenario: Scenario, sampler: RiskSampler,
                  net_balance: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None) -> dict[str, np.ndarray]:
    """Net balance with each risk at its P10 and at its P90, every other risk at base.

    Labelled one-at-a-time: it ignores correlations and interactions.  All
    2·d cases run as one engine call of 2·d paths.  ``net_balance(values,
    active)``, if given, evaluates them instead of the scenario (a platform's
    risks, :mod:`fcfinance.portfolio`).

    Returns
    -------
    dict of ndarray (risks,)
        :data:`TORNADO_COLUMNS`, in the scenario's risk order: the values at
        P10 and P90 (in the risk's unit), net balance at each and the swing. [万元]
    """
    d = len(sampler.risk_ids)
    values = np.zeros((2 * d, d))
    active = np.zeros((2 * d, d), dtype=bool)
    lows = np.array([dist.ppf(np.array([0.10]))[0] for dist in sampler.distributions])
    highs = np.array([dist.ppf(np.array([0.90]))[0] for dist in sampler.distributions])
    for j in range(d):
        values[2 * j, j], values[2 * j + 1, j] = lows[j], highs[j]
        active[2 * j, j] = active[2 * j + 1, j] = True
    if net_balance is None:
        _, ev = evaluate(scenario.params(), scenario.timeline, compile_targets(scenario)[1], values, active)
        nb = ev.metrics["net_balance"]
    else:
        nb = net_balance(values, active)
    return {"value_p10": lows, "value_p90": highs, "net_balance_at_p10": nb[0::2],
            "net_balance_at_p90": nb[1::2], "swing": np.abs(nb[1::2] - nb[0::2])}


def simulate(scenario: Scenario | str | Path, paths: int | None = None, seed: int | None = None,
             sampling: str | None = None, *, replicates: int | None = None, irr: bool = False,
             chunk: int = CHUNK, workers: int = 1, threads: int | None = None, executor: Executor | None = None,
             target_se: float | None = None, max_paths: int | None = None, progress: bool = False,
             on_stage: Callable[[int, float, float], None] | None = None) -> SimulationResult:
    """Monte Carlo run of a scenario's risks.

    Parameters
    ----------
    scenario : Scenario or path
        A loaded scenario or a file to load.
    paths, seed, sampling : optional
        Override the file's ``simulation`` settings.
    replicates : int, optional
        Independent randomisations for standard errors (default 16 under
        lhs and sobol, 1 under random).
    irr : bool
        Also compute every path's IRR (costly).
    chunk : int
        Largest number of paths per engine call: the first 1,024 paths are run
        alone to measure the memory a path takes, and chunks then hold as
        many paths as :data:`.runner.CHUNK_MEMORY` allows, up to ``chunk``;
        does not change the results.
    workers : int
        Worker processes (when no ``executor`` is given); does not change the results.
    threads : int, optional
        Threads evaluating chunks side by side in this process (default:
        :func:`.parallel.default_threads`, one per core up to 4; ignored with
        ``workers`` > 1 or an ``executor``); does not change the results.
    executor : concurrent.futures.Executor, optional
        Runs the chunks (:func:`.runner.run_chunk` on picklable jobs): a
        process pool, a Dask ``Client.get_executor()``, any other; does not
        change the results.
    target_se : float, optional
        Add paths until the standard error of P(balanced) is at most this
        (starting from ``paths``), or ``max_paths`` is reached.  Each stage
        doubles the number of replicates of the first stage's size, so the
        paths already run are kept and only the new ones are evaluated.
    max_paths : int, optional
        Cap for ``target_se`` (none unless given).
    progress : bool
        Show a progress bar (terminal or Jupyter).
    on_stage : callable, optional
        Called after each stage with (paths, p_balanced, se).

    Returns
    -------
    SimulationResult
    """
    if getattr(scenario, "is_portfolio", False):  # a platform of projects: fcfinance.portfolio.simulate
        return scenario.simulate(paths=paths, seed=seed, sampling=sampling, replicates=replicates, irr=irr,
                                 chunk=chunk, workers=workers, threads=threads, executor=executor,
                                 target_se=target_se, max_paths=max_paths, progress=progress, on_stage=on_stage)
    scenario = as_scenario(scenario)
    sim = scenario.model.simulation
    paths = int(paths if paths is not None else sim.paths)
    seed = int(seed if seed is not None else sim.seed)
    sampling = sampling or sim.sampling
    if not scenario.model.risks:
        raise _no_risks(scenario)
    ids, targets = compile_targets(scenario)
    base = run(scenario)
    risks = [(r.id, r.dist) for r in scenario.model.risks]
    correlations = [list(c) for c in scenario.model.correlations]

    def sampler_for(paths: int, replicates: int | None) -> RiskSampler:
        return RiskSampler.build(risks, correlations, paths=paths, seed=seed, method=sampling,
                                 replicates=replicates, correlation_repair=sim.correlation_repair)

    budget.check_paths(scenario, paths, irr)  # refuse before allocating (see budget.py)
    sampler = sampler_for(paths, replicates)
    per = sampler.paths_per_replicate
    tl = scenario.timeline
    notes: list[str] = []
    got: dict[str, np.ndarray] = {}
    done = 0
    size: int | None = None
    own = executor_for(workers) if executor is None else None
    try:
        while True:
            spec = RunSpec(scenario.params(), tl, tuple(targets), sampler, irr)
            sink = PathArrays(sampler.paths - done, tl.periods)
            bar = _progress_bar(sampler.paths - done, progress,
                                f"{scenario.name[:20]} {sampler.paths:,} paths")
            try:
                start = done
                if size is None:  # the first chunk alone measures the memory a path takes
                    first = chunk_jobs(spec, min(chunk, PROBE_PATHS))[0]
                    part, bytes_per_path = measured_chunk(first)
                    start += sink.store(0, part)
                    if bar is not None:
                        bar.update(first.n)
                    size = chunk_within_budget(bytes_per_path, chunk)
                run_jobs(chunk_jobs(spec, size, start), sink, done, executor=executor or own, threads=threads,
                         on_done=bar.update if bar is not None else None)
            finally:
                if bar is not None:
                    bar.close()
            got = _joined(got, sink.arrays)
            done = sampler.paths
            indicator = got["net_balance"] >= 0
            p, se = float(indicator.mean()), float(sampler.standard_error(indicator.astype(float)))
            if on_stage is not None:
                on_stage(sampler.paths, p, se)
            if target_se is None or se <= target_se:
                if target_se is not None:
                    notes.append(f"stopped at {sampler.paths:,} paths: standard error of P(balanced) "
                                 f"{se:.5f} ≤ target {target_se}")
                break
            more = 2 * sampler.replicates
            if max_paths is not None:
                more = min(more, max_paths // per)
            if more <= sampler.replicates:
                notes.append(f"target standard error {target_se} not reached: {se:.5f} at the maximum "
                             f"of {sampler.paths:,} paths")
                break
            if (stop := budget.doubling_stop(scenario, more * per, irr, target_se, se)) is not None:
                notes.append(stop)
                break
            sampler = sampler_for(more * per, more)
    finally:
        if own is not None:
            own.shutdown()
    notes = list(sampler.notes) + notes
    path_metrics, clipped = path_outputs(got, notes)
    return SimulationResult(
        scenario=scenario, paths=sampler.paths, seed=seed, sampling=sampling,
        replicates=sampler.replicates, notes=notes, risk_ids=ids, values=got["_values"],
        path_metrics=path_metrics, cumulative=got["_cumulative"], base_cumulative=base.evaluation.cumulative[0],
        period_labels=tl.period_labels(), sampler=sampler, clipped=clipped, base_metrics=base.metrics)


def _joined(before: dict[str, np.ndarray], new: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Per-path arrays of the paths run so far followed by a new stage's (``_cumulative``: along paths)."""
    if not before:
        return new
    out = {}
    for key, value in new.items():
        if key == "_cumulative":
            out[key] = np.concatenate([before[key], value], axis=1)
        else:
            order = "F" if value.ndim > 1 and value.flags.f_contiguous else "C"
            out[key] = np.asarray(np.concatenate([before[key], value]), order=order)
    return out


def _no_risks(scenario: Scenario) -> ScenarioError:
    """A scenario without risks has nothing to simulate: say so (docs/safety.md), rather than
    return paths that all equal the base case."""
    return ScenarioError([Problem(scenario.path, None, "risks", "the scenario has no risks, so there is nothing "
                                  "to simulate; add a risks section (docs/montecarlo.md), or use `fcfinance run` "
                                  "for the base case")], scenario.path)


def default_workers() -> int:
    """Worker processes used by ``--workers 0``: the machine's cores."""
    return max(os.cpu_count() or 1, 1)

