"""Monte Carlo of a platform (METHOD §9, §14), through the same chunk runner as one project.

:class:`PortfolioSpec` has the protocol of :class:`fcfinance.montecarlo.runner.RunSpec`
(``sampler``, ``timeline``, ``run(start, n, cumulative_out)``), so its chunks
run on threads, processes or a Dask cluster with the same code and the same
numbers.  Risk streams: each risk column is keyed by its id — a project's own
risk as ``<project id>.<risk id>`` — and each group of correlated risks is
drawn by its own sampler (:mod:`.sampling`), so under ``random`` and ``lhs``
adding a project leaves every other project's draws unchanged; under
``sobol`` the columns are one low-discrepancy sequence, in column order, and
adding a project changes the draws (see docs/portfolio.md).
"""

from __future__ import annotations

import sys
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ..montecarlo.runner import PATH_METRICS, PathArrays, chunk_jobs, executor_for, path_outputs, run_jobs
from ..montecarlo.simulate import SimulationResult, _progress_bar, one_at_a_time
from .evaluate import PlatformModel, compile_projects, risk_inputs, run_portfolio
from .sampling import GroupedSampler

if TYPE_CHECKING:
    from .load import Portfolio

CHUNK = 2**14
"""Default paths per Monte Carlo chunk for a platform: memory is set by it (a few (paths, periods)
arrays), not by the number of projects, which are evaluated one after another."""


@dataclass(frozen=True)
class PortfolioSpec:
    """Everything needed to evaluate any range of paths of a platform run (picklable).

    Attributes
    ----------
    model : PlatformModel
    sampler : GroupedSampler
    with_irr : bool
    """

    model: PlatformModel
    sampler: GroupedSampler
    with_irr: bool = False

    @property
    def timeline(self):
        """The platform's grid."""
        return self.model.timeline

    def run(self, start: int, n: int, cumulative_out: np.ndarray | None = None) -> dict[str, np.ndarray]:
        """Paths ``[start, start + n)``: platform metrics, risk values, and each project's net balance.

        Returns
        -------
        dict of ndarray
            As :func:`fcfinance.montecarlo.runner.run_chunk`, plus
            ``_project_net`` (n, N): each project's net balance. [万元]
        """
        values = self.sampler.values(start, n)
        got = self.model.paths(values, with_irr=self.with_irr, cumulative_out=cumulative_out)
        out = {key: np.asarray(got["metrics"][key], dtype=float) for key in PATH_METRICS if key in got["metrics"]}
        out["_values"] = values
        if cumulative_out is None:
            out["_cumulative"] = got["walk"].cumulative.T.astype(np.float32, copy=False)
        out["_clipped"] = got["clipped"]
        out["_project_net"] = got["project_net"]
        if got["irr_code"] is not None:
            out["_irr_code"] = got["irr_code"]
        return out


@dataclass
class PortfolioSimulationResult(SimulationResult):
    """A platform's Monte Carlo run: a :class:`~fcfinance.montecarlo.simulate.SimulationResult`
    of the platform (``scenario`` is the portfolio), and each project's net balance per path.

    Attributes
    ----------
    project_ids : list of str
    project_net : ndarray (paths, N)
        Each project's net balance on each path. [万元]
    model : PlatformModel
        The platform, for the one-at-a-time tornado.
    correlations : list
        Every correlation target, projects' own ones prefixed with the project id.
    """

    project_ids: list[str] = field(default_factory=list)
    project_net: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    model: PlatformModel | None = field(default=None, repr=False)
    correlations: list[list[Any]] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        """METHOD §11 simulate keys for the platform, P(balanced) per project and P(every project balanced)."""
        out = super().summary()
        projects = {}
        for j, pid in enumerate(self.project_ids):
            p, se = self.probability(self.project_net[:, j] >= 0)
            projects[pid] = {"p_balanced": p, "p_balanced_se": se}
        out["projects"] = projects
        out["p_all_balanced"], out["p_all_balanced_se"] = self.probability((self.project_net >= 0).all(axis=1))
        return out

    def _one_at_a_time(self) -> dict[str, np.ndarray]:
        if self._tornado is None:
            self._tornado = one_at_a_time(self.scenario, self.sampler, net_balance=self._net_balance)
        return self._tornado

    def _net_balance(self, values: np.ndarray, active: np.ndarray) -> np.ndarray:
        return self.model.paths(values, active)["metrics"]["net_balance"]

    def _achieved_records(self) -> list[dict[str, Any]]:
        achieved = self.rank_correlations()
        index = {r: i for i, r in enumerate(self.risk_ids)}
        return [{"risk_a": a, "risk_b": b, "target": float(rho), "achieved": float(achieved[index[a], index[b]])}
                for a, b, rho in self.correlations]


def dask_executor(scheduler: Any) -> tuple[Executor, Any]:
    """A Dask cluster's executor, and the client to close (None when the caller's own).

    Parameters
    ----------
    scheduler : str or dask.distributed.Client
        ``tcp://HOST:PORT`` of a running scheduler, or a client.  Dask is
        imported only here (``pip install -e ".[dask]"``).
    """
    if not isinstance(scheduler, str):
        return scheduler.get_executor(), None
    try:
        from dask.distributed import Client
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise RuntimeError("--scheduler needs Dask: pip install -e \".[dask]\"") from exc
    client = Client(scheduler)
    return client.get_executor(), client


def simulate_portfolio(portfolio: Portfolio, paths: int | None = None, seed: int | None = None,
                       sampling: str | None = None, *, replicates: int | None = None, irr: bool = False,
                       chunk: int | None = None, workers: int = 1, threads: int | None = None,
                       executor: Executor | None = None, client: Any = None, progress: bool = False,
                       target_se: float | None = None, max_paths: int | None = None,
                       on_stage: Any = None) -> PortfolioSimulationResult:
    """Monte Carlo run of a platform's risks (its own, and its projects' unless excluded).

    Parameters
    ----------
    portfolio : Portfolio
    paths, seed, sampling : optional
        Override the portfolio's ``simulation`` settings.
    replicates, irr, workers, threads, executor, progress
        As :func:`fcfinance.montecarlo.simulate.simulate`; none changes the results.
    chunk : int, optional
        Paths per chunk (default :data:`CHUNK`); does not change the results.
    client : dask.distributed.Client or str, optional
        Run the chunks on a Dask cluster (a client, or a scheduler address
        ``tcp://HOST:PORT``); same numbers as locally.
    target_se, max_paths : None
        Not supported for platforms yet (a clear error).
    on_stage : callable, optional
        Called once at the end with (paths, P(platform balanced), se).

    Returns
    -------
    PortfolioSimulationResult
    """
    if target_se is not None or max_paths is not None:
        raise ValueError("target_se and max_paths are not supported for a platform yet; give the number of paths")
    sim = portfolio.model.simulation
    paths = int(paths if paths is not None else sim.paths)
    seed = int(seed if seed is not None else sim.seed)
    sampling = sampling or sim.sampling
    risks, correlations = risk_inputs(portfolio)
    if not risks:
        raise ValueError(f"{portfolio.path}: the platform has no risks to simulate")
    sampler = GroupedSampler.build(risks, correlations, paths=paths, seed=seed, method=sampling,
                                   replicates=replicates, correlation_repair=sim.correlation_repair)
    ids, projects = compile_projects(portfolio)
    model = PlatformModel(projects, portfolio.params(), portfolio.timeline)
    spec = PortfolioSpec(model, sampler, irr)
    base = run_portfolio(portfolio)
    tl = portfolio.timeline
    sink = PathArrays(sampler.paths, tl.periods)
    own = None
    closing = None
    if client is not None:
        executor, closing = dask_executor(client)
    elif executor is None:
        own = executor_for(workers)
    bar = _progress_bar(sampler.paths, progress and sys.stderr is not None,
                        f"{portfolio.name[:20]} {sampler.paths:,} paths")
    try:
        run_jobs(chunk_jobs(spec, chunk or CHUNK), sink, 0, executor=executor or own, threads=threads,
                 on_done=bar.update if bar is not None else None)
    finally:
        if bar is not None:
            bar.close()
        if own is not None:
            own.shutdown()
        if closing is not None:
            closing.close()
    got = sink.arrays
    notes = list(sampler.notes)
    path_metrics, clipped = path_outputs(got, notes)
    result = PortfolioSimulationResult(
        scenario=portfolio, paths=sampler.paths, seed=seed, sampling=sampling, replicates=sampler.replicates,
        notes=notes, risk_ids=ids, values=got["_values"], path_metrics=path_metrics,
        cumulative=got["_cumulative"], base_cumulative=base.evaluation.cumulative[0],
        period_labels=tl.period_labels(), sampler=sampler, clipped=clipped, base_metrics=base.metrics,
        project_ids=list(portfolio.projects), project_net=got["_project_net"], model=model,
        correlations=correlations)
    if on_stage is not None:
        on_stage(result.paths, *result.p_balanced)
    return result
