"""The public functions used from notebooks and the command line."""

from __future__ import annotations

from pathlib import Path

from .engine import compute_lines
from .metrics import evaluate
from .result import RunResult
from .review import diff  # noqa: F401  (public API)
from .scenario import Scenario
from .scenario import load as _load


def load(path: str | Path) -> Scenario:
    """Read, merge (``extends``) and validate a scenario file.

    Raises
    ------
    fcfinance.ScenarioError
        Naming file, line, field and what was expected, for every problem.
    """
    return _load(path)


def _scenario(scenario: Scenario | str | Path) -> Scenario:
    return scenario if isinstance(scenario, Scenario) else load(scenario)


def run(scenario: Scenario | str | Path) -> RunResult:
    """The deterministic run (base case; ``risks`` are ignored).

    Parameters
    ----------
    scenario : Scenario or path
        A loaded scenario or a file to load.

    Returns
    -------
    RunResult
        Lines by period (``.cashflows``), metrics (``.metrics``, ``.metrics_table()``),
        JSON (``.to_dict()``).
    """
    scenario = _scenario(scenario)
    params = scenario.params()
    flows = compute_lines(params, scenario.timeline, 1)
    return RunResult(scenario, flows, evaluate(flows, params))


def simulate(scenario: Scenario | str | Path, paths: int | None = None, seed: int | None = None,
             sampling: str | None = None, **options):
    """Monte Carlo run of the scenario's risks (METHOD §9).

    Parameters
    ----------
    scenario : Scenario or path
    paths, seed, sampling : optional
        Override the file's ``simulation`` settings.
    **options
        ``replicates``, ``irr``, ``chunk``, ``workers``, ``threads``, ``target_se``,
        ``max_paths``, ``progress`` (see :func:`fcfinance.montecarlo.simulate.simulate`).

    Returns
    -------
    SimulationResult
    """
    from .montecarlo.simulate import simulate as _simulate

    return _simulate(_scenario(scenario), paths, seed, sampling, **options)
