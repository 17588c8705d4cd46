"""The platform on the evaluation kernel: pooled lines, one financing walk, cross-subsidy (METHOD §14).

Each project's lines are placed on the portfolio's grid by the kernel
(:func:`fcfinance.kernel.lines`: its dates are absolute calendar months;
escalation still counts from the project's own start).  The platform's lines
are their sum plus the platform's own bonds; the §7 walk runs once on the
platform net, with the portfolio's rates and reporting periods, and §8 is
computed on the pooled cash with the portfolio's discount rate.

Two ways to the same numbers:

* the base case (:func:`run_portfolio`) merges the projects' lines into one
  :class:`~fcfinance.engine.Flows`, so that every table of a run
  (:class:`~fcfinance.result.RunResult`) works for the platform;
* Monte Carlo (:func:`platform_paths`) evaluates the projects one after
  another and adds their :class:`~fcfinance.metrics.ProjectCash` (line totals
  and period cash, a few (P, T) arrays), so a chunk's memory does not grow
  with the number of projects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ..effects import Target, apply_effects
from ..engine import Flows
from ..kernel import lines
from ..lines import Line
from ..metrics import ProjectCash, financing_walk, metrics_of, project_cash
from ..metrics import evaluate as evaluate_flows
from ..names import LINES, PROJECT_LINES
from ..params import Record
from ..result import RunResult, _plain, run
from ..scenario.targets import EFFECT_LISTS, compile_effects
from ..timeline import Timeline
from .schema import risk_ids, split_target

if TYPE_CHECKING:
    import pandas as pd

    from .load import Portfolio


@dataclass(frozen=True)
class ProjectModel:
    """One project as the platform evaluates it (picklable data).

    Attributes
    ----------
    id : str
    params : Record
        The project's frozen parameters (absolute calendar months).
    own : tuple of Target
        Its own risks' effects (columns of the platform's risk values), applied first.
    platform : tuple of Target
        The platform risks' effects on it, applied after ``own``.
    """

    id: str
    params: Record
    own: tuple[Target, ...] = ()
    platform: tuple[Target, ...] = ()


def compile_projects(portfolio: Portfolio) -> tuple[list[str], tuple[ProjectModel, ...]]:
    """Risk columns and each project's compiled effects.

    Returns
    -------
    ids : list of str
        Column order of the risk values: each project's own risks as
        ``<project id>.<risk id>`` (in project order, unless
        ``include_project_risks: false``), then the platform's risks.
    projects : tuple of ProjectModel
    """
    model = portfolio.model
    ids = risk_ids(model, portfolio.projects)
    column = {rid: j for j, rid in enumerate(ids)}
    out = []
    for pid, scenario in portfolio.projects.items():
        params = scenario.params()
        own = [(effect, pattern, column[f"{pid}.{risk.id}"]) for risk in scenario.model.risks
               for effect in EFFECT_LISTS for pattern in getattr(risk, effect)] \
            if model.include_project_risks else []
        mine = []
        for risk in model.risks:
            for effect in EFFECT_LISTS:
                for target in getattr(risk, effect):
                    head, rest = split_target(target)
                    if head in ("*", pid):  # a * pattern keeps only the projects that have the path
                        mine.append((effect, rest, column[risk.id]))
        out.append(ProjectModel(pid, params, tuple(compile_effects(params, own)),
                                tuple(compile_effects(params, mine))))
    return ids, tuple(out)


def risk_inputs(portfolio: Portfolio) -> tuple[list[tuple[str, Any]], list[list[Any]]]:
    """(id, distribution) of every risk column, and every correlation (projects' own ones prefixed)."""
    model = portfolio.model
    risks: list[tuple[str, Any]] = []
    correlations: list[list[Any]] = []
    if model.include_project_risks:
        for pid, s in portfolio.projects.items():
            risks += [(f"{pid}.{r.id}", r.dist) for r in s.model.risks]
            correlations += [[f"{pid}.{a}", f"{pid}.{b}", rho] for a, b, rho in s.model.correlations]
    risks += [(r.id, r.dist) for r in model.risks]
    correlations += [list(c) for c in model.correlations]
    return risks, correlations


def _project_flows(project: ProjectModel, grid: Timeline, values: np.ndarray | None = None,
                   active: np.ndarray | None = None, n_paths: int = 1) -> Flows:
    """A project's lines on the platform's grid, its own risks applied first, then the platform's.

    The one place where the platform evaluates a project's model.
    """
    params = project.params
    if values is not None and project.own:
        params = apply_effects(params, list(project.own), values, active)
    flows, _ = lines(params, grid, project.platform if values is not None else (), values, active, n_paths)
    return flows


def net_balance(cash: ProjectCash) -> np.ndarray:
    """Project inflows − outflows per path (METHOD §8 ``net_balance``, as :func:`metrics_of` sums it). [万元]"""
    inflows = sum(cash.totals[s.key] for s in PROJECT_LINES if s.sign > 0)
    outflows = 0.0 - sum(cash.totals[s.key] for s in PROJECT_LINES if s.sign < 0)
    return inflows - outflows


def cross_subsidy(cumulative: np.ndarray) -> np.ndarray:
    """Funding that surplus projects lend to gap projects, per period (METHOD §14). [万元]

    Parameters
    ----------
    cumulative : ndarray (..., N, T)
        Cumulative project net cash C_i(p) of each of N projects on the
        platform's periods. [万元]

    Returns
    -------
    ndarray (..., T)
        X(p) = Σ_i max(0, −C_i(p)) − max(0, −Σ_i C_i(p)), ≥ 0.
    """
    gaps = np.maximum(0.0, -cumulative).sum(axis=-2)
    return np.maximum(gaps - np.maximum(0.0, -cumulative.sum(axis=-2)), 0.0)


@dataclass(frozen=True)
class PlatformModel:
    """Everything needed to evaluate the platform on any paths (picklable data).

    Attributes
    ----------
    projects : tuple of ProjectModel
    platform : Record
        The platform's own parameters (timeline, platform bonds, gap and deposit rates).
    timeline : Timeline
        The platform's grid.
    """

    projects: tuple[ProjectModel, ...]
    platform: Record
    timeline: Timeline

    @classmethod
    def of(cls, portfolio: Portfolio) -> PlatformModel:
        return cls(compile_projects(portfolio)[1], portfolio.params(), portfolio.timeline)

    def paths(self, values: np.ndarray | None, active: np.ndarray | None = None, n_paths: int = 1, *,
              with_irr: bool = False, detail: bool = False,
              cumulative_out: np.ndarray | None = None) -> dict[str, Any]:
        """The platform on every path: projects one after another, cash summed, one walk.

        Parameters
        ----------
        values : ndarray (P, d) or None
            Risk values per path (columns as :func:`compile_projects`); None: the base case.
        active : ndarray of bool (P, d), optional
            Where False, that column has no effect on that path.
        n_paths : int
            Paths when ``values`` is None.
        with_irr, detail, cumulative_out
            As :func:`fcfinance.kernel.evaluate`.

        Returns
        -------
        dict
            ``metrics`` (METHOD §8 per path, 万元), ``totals`` (signed line
            totals), ``irr_code``, ``walk`` (the financing walk), ``clipped``
            (P,), ``project_net`` (P, N) each project's net balance and, with
            ``detail``, ``project_cumulative`` (P, N, T). [万元]
        """
        n = values.shape[0] if values is not None else n_paths
        grid = self.timeline
        bonds, _ = lines(self.platform, grid, n_paths=n)
        cash = project_cash(bonds)
        nets = np.empty((n, len(self.projects)))
        cumulative = np.empty((n, len(self.projects), grid.periods)) if detail else None
        for j, project in enumerate(self.projects):
            own = project_cash(_project_flows(project, grid, values, active, n))
            nets[:, j] = net_balance(own)
            if cumulative is not None:
                cumulative[:, j] = np.cumsum(own.net, axis=1)
            cash = cash + own
        walk = financing_walk(cash.net, cash.bonds, self.platform.get("financing"), grid.per_year, detail,
                              cumulative_out)
        discount = self.platform["timeline"].get("discount_rate", 0.0)
        metrics, totals, code = metrics_of(cash, walk, discount, grid.per_year, with_irr)
        return {"metrics": metrics, "totals": totals, "irr_code": code, "walk": walk, "clipped": cash.clipped,
                "project_net": nets, "project_cumulative": cumulative}


def platform_flows(portfolio: Portfolio, model: PlatformModel) -> tuple[Flows, dict[str, Flows]]:
    """The base case's lines: the platform's (every project's plus platform bonds, merged) and each project's.

    Returns
    -------
    platform : Flows
        One path on the platform's grid; each line holds every project's terms.
    projects : dict of Flows
        Each project's lines on the platform's grid.
    """
    grid = model.timeline
    projects = {p.id: _project_flows(p, grid) for p in model.projects}
    bonds, _ = lines(model.platform, grid, n_paths=1)
    merged = {spec.key: Line() for spec in LINES}
    gross = np.zeros(1)
    implied = np.zeros(1)
    for flows in [*projects.values(), bonds]:
        for key, line in flows.lines.items():
            merged[key] = merged[key] + line
        gross = gross + flows.land_premium_gross
        implied = implied + flows.implied_discount
    return Flows(merged, gross, implied, 1, grid), projects


@dataclass
class PortfolioRunResult(RunResult):
    """The platform's base case: a :class:`~fcfinance.result.RunResult` of the pooled lines, and more.

    ``scenario`` is the :class:`~fcfinance.portfolio.load.Portfolio`; the
    inherited tables (``metrics``, ``cashflows``, ``by_year()`` …) are the
    platform's.

    Attributes
    ----------
    projects : dict of RunResult
        Each project's standalone run (its own timeline, rates and walk).
    project_cumulative : ndarray (N, T)
        Each project's cumulative project net cash on the platform's periods. [万元]
    project_net_balance : ndarray (N,)
        Each project's net balance. [万元]
    cross_subsidy : ndarray (T,)
        X(p) of METHOD §14 per platform period. [万元]
    """

    projects: dict[str, RunResult] = field(default_factory=dict)
    project_cumulative: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    project_net_balance: np.ndarray = field(default_factory=lambda: np.zeros(0))
    cross_subsidy: np.ndarray = field(default_factory=lambda: np.zeros(0))

    @property
    def peak_cross_subsidy(self) -> tuple[float, str | None]:
        """max_p X(p) [万元] and the ``YYYY-MM`` of the first period attaining it (None when 0)."""
        x = self.cross_subsidy
        peak = float(x.max()) if x.size else 0.0
        if peak <= 0:
            return 0.0, None
        tl = self.scenario.timeline
        return peak, tl.month_label(tl.period_start_month(int(np.argmax(x))))

    @property
    def shares(self) -> dict[str, float]:
        """Each project's share of the platform's net balance, net_i / Σ_j |net_j| (NaN when all are 0)."""
        nets = self.project_net_balance
        total = float(np.abs(nets).sum())
        return {pid: (float(v) / total if total > 0 else float("nan")) for pid, v in zip(self.projects, nets)}

    def projects_table(self) -> pd.DataFrame:
        """Per project: net balance, share, balance ratio, peak funding need and its period (standalone). [万元]"""
        import pandas as pd

        shares = self.shares
        rows = {pid: {"name": r.scenario.name, "net_balance": r.metrics["net_balance"], "share": shares[pid],
                      "balance_ratio": r.metrics["balance_ratio"],
                      "peak_funding_need": r.metrics["peak_funding_need"],
                      "peak_funding_period": r.metrics["peak_funding_period"],
                      "ending_balance": r.metrics["ending_balance"]}
                for pid, r in self.projects.items()}
        return pd.DataFrame.from_dict(rows, orient="index").rename_axis("project")

    def contributions(self) -> pd.DataFrame:
        """Each project's project net cash by platform period (columns: projects), and X(p). [万元]"""
        import pandas as pd

        net = np.diff(self.project_cumulative, axis=1, prepend=0.0)
        frame = pd.DataFrame(net.T, index=pd.Index(self.scenario.timeline.period_labels(), name="period"),
                             columns=list(self.projects))
        frame["cross_subsidy"] = self.cross_subsidy
        return frame

    def to_dict(self) -> dict[str, Any]:
        """METHOD §11 for the platform, each project's metrics and share, and the peak cross-subsidy."""
        out = super().to_dict()
        shares = self.shares
        out["projects"] = {pid: {"metrics": {k: _plain(v) for k, v in r.metrics.items()},
                                 "name": r.scenario.name, "file": r.scenario.path,
                                 "net_balance": _plain(float(nb)), "share": _plain(shares[pid])}
                           for (pid, r), nb in zip(self.projects.items(), self.project_net_balance)}
        peak, period = self.peak_cross_subsidy
        out["peak_cross_subsidy"] = peak
        out["peak_cross_subsidy_period"] = period
        out["cross_subsidy"] = dict(zip(self.scenario.timeline.period_labels(), map(float, self.cross_subsidy)))
        return out


def run_portfolio(portfolio: Portfolio) -> PortfolioRunResult:
    """The platform's base case (risks ignored).

    Returns
    -------
    PortfolioRunResult
        The platform's metrics and tables, each project's standalone run,
        each project's share and the cross-subsidy.
    """
    model = PlatformModel.of(portfolio)
    merged, projects = platform_flows(portfolio, model)
    evaluation = evaluate_flows(merged, model.platform, with_irr=True, detail=True)
    grid = model.timeline
    cumulative = np.array([np.cumsum(project_cash(f).net[0]) for f in projects.values()]).reshape(
        len(projects), grid.periods)
    nets = np.array([net_balance(project_cash(f))[0] for f in projects.values()])
    standalone = {pid: run(s) for pid, s in portfolio.projects.items()}
    return PortfolioRunResult(portfolio, merged, evaluation, standalone, cumulative, nets,
                              cross_subsidy(cumulative))
