"""``fc.diff(a, b)``: changed inputs, metrics of both sides, attribution of the change."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._version import __version__
from ..names import METRICS
from ..result import RunResult, _plain, run
from ..scenario import Scenario
from .attribution import Contribution, attribute
from .changes import Change, find_changes

if TYPE_CHECKING:
    import pandas as pd


class Diff:
    """Two scenarios compared: what changed, what it did, and which change did what.

    Attributes
    ----------
    a, b : RunResult
        The base case of each side (``.scenario`` carries file and sha256).
    change_list : list of Change
        Every changed input, in the order it appears in B.
    contributions : list of Contribution
        One per step from A to B.
    """

    def __init__(self, a: RunResult, b: RunResult, change_list: list[Change],
                 contributions: list[Contribution]):
        self.a = a
        self.b = b
        self.change_list = change_list
        self.contributions = contributions

    @property
    def changes(self) -> pd.DataFrame:
        """Every changed input: ``path``, ``kind`` (added, removed, changed), ``old``, ``new``, ``unit``.

        Values are in the units of the scenario files (元, m², shares, months, ``YYYY-MM``).
        """
        import pandas as pd

        rows = [c.to_dict() for c in self.change_list]
        return pd.DataFrame(rows, columns=["path", "kind", "old", "new", "unit"])

    @property
    def metrics(self) -> pd.DataFrame:
        """Every metric of METHOD §8 for A and B, and B − A (index: key; money in 万元).

        ``delta`` is NaN for ``peak_funding_period`` (a month) and where either side is NaN.
        """
        import pandas as pd

        rows = []
        for spec in METRICS:
            va, vb = self.a.metrics[spec.key], self.b.metrics[spec.key]
            rows.append({"key": spec.key, "name": spec.zh, "unit": spec.unit, "a": va, "b": vb,
                         "delta": _delta(va, vb)})
        return pd.DataFrame(rows).set_index("key")

    @property
    def attribution(self) -> pd.DataFrame:
        """One row per step: ``change``, ``net_balance_delta``, ``npv_delta`` (万元), the
        levels after the step, and ``notes`` (why changes were applied together).

        The deltas add up to the ``delta`` of :attr:`metrics` for ``net_balance`` and ``npv``.
        """
        import pandas as pd

        rows = [c.to_dict() for c in self.contributions]
        cols = ["change", "paths", "net_balance_delta", "npv_delta", "net_balance", "npv", "notes"]
        frame = pd.DataFrame(rows, columns=cols)
        frame.index = pd.RangeIndex(1, len(frame) + 1, name="step")
        return frame

    @property
    def empty(self) -> bool:
        """No input changed (item order aside)."""
        return not self.change_list

    def to_dict(self) -> dict[str, Any]:
        """The JSON of ``fcfinance diff --json``, with the provenance of both sides."""
        return {
            "a": _side(self.a),
            "b": _side(self.b),
            "fcfinance_version": __version__,
            "units": "metrics and attribution in 万元 except ratios, rates and years; "
                     "changed inputs in the units of the scenario files",
            "changes": [c.to_dict() for c in self.change_list],
            "metrics": {spec.key: {"a": _plain(self.a.metrics[spec.key]), "b": _plain(self.b.metrics[spec.key]),
                                   "delta": _plain(_delta(self.a.metrics[spec.key], self.b.metrics[spec.key]))}
                        for spec in METRICS},
            "attribution": [c.to_dict() for c in self.contributions],
        }

    def bridge(self, lang: str = "zh", *, date: str | None = None) -> Any:
        """The waterfall from A's net balance to B's, one bar per step (万元), in the hearing-pack style.

        Parameters
        ----------
        lang : {'zh', 'en'}
            Language of titles and axis labels.
        date : str, optional
            ``YYYY-MM-DD`` in the footer (default: today).

        Returns
        -------
        matplotlib.figure.Figure
            Its footer names both files with their scenario sha256 and the fcfinance version.
        """
        from .bridge import bridge_figure

        return bridge_figure(self, lang, date=date)

    def _repr_html_(self) -> str:
        head = (f"<p>A: {self.a.scenario.path} (sha256 {self.a.scenario.sha256[:12]}) → "
                f"B: {self.b.scenario.path} (sha256 {self.b.scenario.sha256[:12]}) · fcfinance {__version__}</p>")
        return (head + "<h4>变更的输入 changed inputs</h4>" + self.changes.to_html(index=False)
                + "<h4>指标 metrics</h4>" + self.metrics.to_html()
                + "<h4>归因 attribution（万元）</h4>"
                + self.attribution.drop(columns=["paths"]).to_html())


def _delta(a: Any, b: Any) -> float:
    """b − a for numbers; NaN for months and undefined values."""
    if isinstance(a, str) or isinstance(b, str) or a is None or b is None:
        return math.nan
    return float(b) - float(a)


def _side(result: RunResult) -> dict[str, Any]:
    s = result.scenario
    return {"file": s.path, "files": s.files, "name": s.name, "scenario_sha256": s.sha256}


def diff(a: Scenario | str | Path, b: Scenario | str | Path) -> Diff:
    """Compare two scenarios after resolving ``extends`` on both sides.

    Parameters
    ----------
    a, b : Scenario or path
        The base and the variant.

    Returns
    -------
    Diff
        ``.changes``, ``.metrics``, ``.attribution`` (pandas tables), ``.to_dict()``
        (the JSON of ``fcfinance diff --json``) and ``.bridge()`` (a waterfall figure).

    Raises
    ------
    fcfinance.ScenarioError
        If either file fails validation.
    """

    ra, rb = run(a), run(b)
    changes = find_changes(ra.scenario, rb.scenario)
    contributions = attribute(ra.scenario, rb.scenario, changes, ra.metrics, rb.metrics)
    return Diff(ra, rb, changes, contributions)

