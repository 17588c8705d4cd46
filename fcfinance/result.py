"""The result of a deterministic run: tables, metrics, JSON and a notebook display."""

from __future__ import annotations

import html
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ._version import __version__
from .engine import Flows
from .formatting import display_unit, format_value
from .irr import NOTES as IRR_NOTES
from .kernel import evaluate
from .metrics import Evaluation
from .names import LINES, METRIC_BY_KEY, METRICS, WAN
from .scenario import Scenario, as_scenario
from .timeline import Timeline

if TYPE_CHECKING:
    import pandas as pd

SUBTOTALS = {
    "project_net": ("项目净现金流", "Project net cash flow"),
    "cumulative_net": ("累计净现金流", "Cumulative net cash flow"),
    "balance_after_financing": ("融资后累计资金余额", "Cumulative balance after financing"),
}


def _plain(value: Any) -> Any:
    """A JSON-ready number: NaN and ±inf → None (JSON has neither), numpy scalars → Python."""
    if isinstance(value, (np.floating, float)):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, (np.integer,)):
        return int(value)
    return value


def metrics_at(evaluation: Evaluation, timeline: Timeline, path: int = 0) -> dict[str, Any]:
    """Every metric of METHOD §8 on one path of an evaluation.

    Money in 万元, NaN where undefined, ``peak_funding_period`` as ``YYYY-MM``
    (None without a funding need); ``irr`` only if it was computed.
    """
    out: dict[str, Any] = {}
    for spec in METRICS:
        if spec.key not in evaluation.metrics:
            continue
        value = evaluation.metrics[spec.key][path]
        if spec.key == "peak_funding_period":
            out[spec.key] = None if value < 0 else timeline.month_label(timeline.period_start_month(int(value)))
        else:
            out[spec.key] = float(value)
    return out


def json_text(data: Any) -> str:
    """``data`` as indented JSON, every non-finite number (NaN, ±inf) as null: never ``NaN`` or
    ``Infinity``, which are not JSON."""
    def clean(x: Any) -> Any:
        if isinstance(x, dict):
            return {k: clean(v) for k, v in x.items()}
        if isinstance(x, (list, tuple)):
            return [clean(v) for v in x]
        return _plain(x)

    return json.dumps(clean(data), ensure_ascii=False, indent=1, allow_nan=False)


@dataclass
class RunResult:
    """Everything a deterministic run computed.

    Attributes
    ----------
    scenario : Scenario
    flows : Flows
        The lines as ``amount × shape`` terms (one path).
    evaluation : Evaluation
        Totals, period arrays and metrics (one path).
    """

    scenario: Scenario
    flows: Flows
    evaluation: Evaluation

    # -- metrics ----------------------------------------------------------------
    @property
    def metrics(self) -> dict[str, Any]:
        """Every metric of METHOD §8 (money in 万元; NaN where undefined)."""
        return metrics_at(self.evaluation, self.scenario.timeline)

    @property
    def irr_note(self) -> str:
        """Why the IRR is NaN (empty when it is defined)."""
        code = self.evaluation.irr_code
        return "" if code is None else IRR_NOTES[int(code[0])]

    def metrics_table(self, lang: str = "zh") -> pd.DataFrame:
        """Metrics with their names and units.

        Parameters
        ----------
        lang : {'zh', 'en'}
            Language of the ``name`` column.
        """
        import pandas as pd

        rows = []
        for key, value in self.metrics.items():
            spec = METRIC_BY_KEY[key]
            rows.append({"key": key, "name": spec.zh if lang == "zh" else spec.en,
                         "value": value, "unit": spec.unit})
        return pd.DataFrame(rows).set_index("key")

    # -- cash-flow tables -------------------------------------------------------
    @property
    def lines(self) -> dict[str, float]:
        """Signed total of every line over the horizon. [万元]"""
        return {key: float(v[0]) for key, v in self.evaluation.totals.items()}

    @property
    def cashflows(self) -> pd.DataFrame:
        """Every line by reporting period, signed, in 万元.

        Index: period labels (``2022Q1``, ``2022-01`` or ``2022`` when the start is
        aligned to the calendar, else each period's first month). Columns: the
        line keys of METHOD §11, then ``project_net``, ``cumulative_net`` and
        ``balance_after_financing``.  :meth:`labelled` gives Chinese names.
        """
        import pandas as pd

        tl = self.scenario.timeline
        ev = self.evaluation
        data: dict[str, np.ndarray] = {}
        for spec in LINES:
            if spec.key in ev.financing:
                data[spec.key] = ev.financing[spec.key][0]
            else:
                data[spec.key] = spec.sign * self.flows.lines[spec.key].periods(
                    1, tl.periods, tl.months_per_period)[0] / WAN
        data["project_net"] = ev.net[0]
        data["cumulative_net"] = ev.cumulative[0]
        data["balance_after_financing"] = ev.balance[0]
        frame = pd.DataFrame(data, index=pd.Index(tl.period_labels(), name="period"))
        return frame

    def monthly(self) -> pd.DataFrame:
        """Project and bond lines month by month, signed, in 万元 (index ``YYYY-MM``)."""
        import pandas as pd

        tl = self.scenario.timeline
        data = {spec.key: spec.sign * self.flows.lines[spec.key].monthly(1, tl.months)[0] / WAN
                for spec in LINES if spec.key not in ("gap_interest", "deposit_interest")}
        index = pd.Index([tl.month_label(j) for j in range(tl.months)], name="month")
        return pd.DataFrame(data, index=index)

    def by_year(self) -> pd.DataFrame:
        """Lines by calendar year, signed, in 万元 (:meth:`yearly` as a table, index ``year``)."""
        import pandas as pd

        years, columns = self.yearly()
        return pd.DataFrame(columns, index=pd.Index(years, name="year"))

    def yearly(self) -> tuple[list[str], dict[str, np.ndarray]]:
        """Lines by calendar year, signed, in 万元, without pandas (the command line's summary).

        Project and bond lines are summed from months; gap and deposit
        interest, which live on reporting periods, are counted in the year of
        each period's first month.

        Returns
        -------
        years : list of str
            ``YYYY``, in order.
        columns : dict of ndarray
            Every line of METHOD §11, then ``project_net`` and ``cumulative_net``. [万元]
        """
        tl = self.scenario.timeline
        month_year = np.array([int(tl.month_label(j)[:4]) for j in range(tl.months)])
        years = np.unique(month_year)
        of_month = np.searchsorted(years, month_year)
        of_period = np.searchsorted(years, month_year[[tl.period_start_month(p) for p in range(tl.periods)]])
        columns: dict[str, np.ndarray] = {}
        for spec in LINES:
            if spec.key in ("gap_interest", "deposit_interest"):
                columns[spec.key] = np.bincount(of_period, weights=self.evaluation.financing[spec.key][0],
                                                minlength=years.size)
            else:
                monthly = spec.sign * self.flows.lines[spec.key].monthly(1, tl.months)[0] / WAN
                columns[spec.key] = np.bincount(of_month, weights=monthly, minlength=years.size)
        columns["project_net"] = sum(columns[s.key] for s in LINES if s.group != "financing")
        columns["cumulative_net"] = np.cumsum(columns["project_net"])
        return [str(y) for y in years], columns

    @staticmethod
    def labelled(frame: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
        """A copy of a line table with Chinese (or English) column names."""
        names = {s.key: (s.zh if lang == "zh" else s.en) for s in LINES}
        names.update({k: (zh if lang == "zh" else en) for k, (zh, en) in SUBTOTALS.items()})
        return frame.rename(columns=names)

    # -- exports ----------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The JSON object of METHOD §11, with provenance keys."""
        return {
            "scenario": self.scenario.name,
            "file": self.scenario.path,
            "scenario_sha256": self.scenario.sha256,
            "fcfinance_version": __version__,
            "units": "万元 except ratios, rates and years",
            "metrics": {k: _plain(v) for k, v in self.metrics.items()},
            "irr_note": self.irr_note,
            "lines": {k: _plain(v) for k, v in self.lines.items()},
            "paths_clipped_at_horizon": bool(self.evaluation.clipped[0]),
        }

    def _repr_html_(self) -> str:
        metrics = self.metrics_table("zh")
        rows = "".join(
            f"<tr><td>{html.escape(r.name)}</td><td style='text-align:right'>{format_value(r.value, r.unit)}</td>"
            f"<td>{display_unit(r.unit)}</td></tr>" for r in metrics.itertuples())
        years = self.labelled(self.by_year())
        years = years.loc[:, (years != 0).any(axis=0)]
        table = years.T.to_html(float_format=lambda x: f"{x:,.0f}", border=0)
        return (f"<div><h4>{html.escape(self.scenario.name)}</h4>"
                f"<p style='font-size:80%'>{html.escape(self.scenario.path)} · sha256 "
                f"{self.scenario.sha256[:12]} · fcfinance {__version__} · 单位：万元</p>"
                f"<table><tr><th>指标</th><th>数值</th><th>单位</th></tr>{rows}</table>"
                f"<details><summary>分年度现金流（万元）</summary>{table}</details></div>")



def run(scenario: Scenario | str | Path) -> RunResult:
    """The deterministic run (base case; ``risks`` are ignored): the kernel on one path.

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
    if getattr(scenario, "is_portfolio", False):  # a platform of projects: fcfinance.portfolio.evaluate
        return scenario.run()
    scenario = as_scenario(scenario)
    flows, evaluation = evaluate(scenario.params(), scenario.timeline, n_paths=1, with_irr=True, detail=True)
    return RunResult(scenario, flows, evaluation)
