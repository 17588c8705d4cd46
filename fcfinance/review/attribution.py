"""Attribution of the change in net balance and NPV to each changed input.

Starting from A, the steps of :func:`fcfinance.review.steps.plan_steps` are
applied one at a time in the order they appear in B; after each, the
intermediate scenario is validated and run, and the step is credited with
the change in net balance and NPV since the previous one.  The last step
ends at B itself, so the contributions add up to B − A.  A step that fails
validation alone is merged with the change that makes it valid — a later
change at a field the first problem names, else the next one — and the
merge is noted.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any

from ..errors import ScenarioError
from ..result import run
from ..scenario import Scenario, validate_document
from ..scenario.source import from_data
from .changes import Change, apply, data_of
from .steps import Step, plan_steps

KEYS = ("net_balance", "npv")
"""Metrics attributed. [万元]"""


@dataclass
class Contribution:
    """What one step did.

    Attributes
    ----------
    step : Step
    net_balance_delta, npv_delta : float
        Change caused by the step. [万元]
    net_balance, npv : float
        Level after the step. [万元]
    """

    step: Step
    net_balance_delta: float
    npv_delta: float
    net_balance: float
    npv: float

    def to_dict(self) -> dict[str, Any]:
        """JSON form: change (label), paths, deltas, levels after the step, notes."""
        return {"change": self.step.label, "paths": self.step.paths,
                "net_balance_delta": self.net_balance_delta, "npv_delta": self.npv_delta,
                "net_balance": self.net_balance, "npv": self.npv, "notes": self.step.notes}


def attribute(a: Scenario, b: Scenario, changes: list[Change],
              a_metrics: dict[str, Any], b_metrics: dict[str, Any]) -> list[Contribution]:
    """Credit each step from A towards B with its change in net balance and NPV.

    Parameters
    ----------
    a, b : Scenario
    changes : list of Change
        From :func:`fcfinance.review.changes.find_changes`, in B's order.
    a_metrics, b_metrics : dict
        Metrics of the runs of ``a`` and ``b`` (money in 万元).

    Returns
    -------
    list of Contribution
        One per step; the deltas sum to ``b_metrics[k] − a_metrics[k]`` up to
        floating-point rounding (the last step ends at B's own run).
    """
    pending = plan_steps(changes)
    data = data_of(a)
    level = {k: float(a_metrics[k]) for k in KEYS}
    out: list[Contribution] = []
    while pending:
        step = pending.pop(0)
        trial = _applied(data, step)
        if pending:
            name = f"{a.path} → {b.path}, step {len(out) + 1}"
            try:
                metrics = _run(trial, name)
            except ScenarioError as exc:
                partner = pending.pop(_partner(data, step, exc, pending, name))
                first = exc.problems[0]
                note = f"applied together with {partner.label}: without it, {first.path}: {first.message}"
                pending.insert(0, step.merged(partner, note))
                continue
        else:
            metrics = b_metrics
        now = {k: float(metrics[k]) for k in KEYS}
        out.append(Contribution(step, now["net_balance"] - level["net_balance"], now["npv"] - level["npv"],
                                now["net_balance"], now["npv"]))
        level, data = now, trial
    return out


def _applied(data: dict[str, Any], *steps: Step) -> dict[str, Any]:
    """A copy of ``data`` with the changes of ``steps`` applied."""
    trial = copy.deepcopy(data)
    for step in steps:
        for change in step.changes:
            apply(trial, change)
    return trial


def _validate(data: dict[str, Any], name: str) -> Scenario:
    doc = from_data(data, name)
    return Scenario(name, [name], validate_document(doc, name), doc)


def _run(data: dict[str, Any], name: str) -> dict[str, Any]:
    """Validate and run an intermediate scenario; its metrics (万元)."""
    return run(_validate(data, name)).metrics


def _partner(data: dict[str, Any], step: Step, exc: ScenarioError, pending: list[Step], name: str) -> int:
    """Index of the pending step that ``step`` is merged with after failing validation with ``exc``.

    The first pending step that changes a field a problem names; else the
    first whose merge validates; else the first whose merge has fewer
    problems; else the next one.
    """
    named = [re.sub(r"\[\d+\]", "", p.path) for p in exc.problems if p.path]
    for k, other in enumerate(pending):
        if any(_overlap(c.path, p) for c in other.changes for p in named):
            return k
    fewer = None
    for k, other in enumerate(pending):
        try:
            _validate(_applied(data, step, other), name)
        except ScenarioError as again:
            if fewer is None and len(again.problems) < len(exc.problems):
                fewer = k
        else:
            return k
    return fewer if fewer is not None else 0


def _overlap(a: str, b: str) -> bool:
    """One path is the other or lies below it."""
    return a == b or a.startswith(b + ".") or b.startswith(a + ".")
