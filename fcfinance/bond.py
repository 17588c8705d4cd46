"""The special-bond self-balance table (专项债项目收益与融资自求平衡表, METHOD §13).

:func:`self_balance` turns the monthly lines of a run — one path or many —
into the table by calendar year over the bond life: revenue, operating costs,
net revenue, principal, interest, debt service, coverage, construction-period
interest paid from the proceeds and the cumulative reserve, then the life's
coverage, the first shortfall year and the verdict.  Nothing is re-derived:
every figure is a sum of the engine's lines over the months of a year.
:class:`BondTable` is one path of it, as a table and as JSON.

Conventions where METHOD is silent are in docs/method-notes.md ("Special-bond
self-balance").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from .engine import Flows
from .errors import Problem, ScenarioError
from .names import WAN
from .result import _plain
from .timeline import parse_month

if TYPE_CHECKING:
    import pandas as pd

    from .scenario import Scenario

REVENUE_LINES = ("land_premium", "resident_purchases", "operating_revenue")
"""Lines that make up R_Y (grants join them with ``include_grants``)."""

COLUMNS: list[tuple[str, str, str]] = [
    ("revenue", "项目收入", "Revenue"),
    ("operating_costs", "运营成本", "Operating costs"),
    ("net_revenue", "可用于还本付息的项目收益", "Net revenue for debt service"),
    ("principal", "还本", "Principal"),
    ("interest", "付息", "Interest"),
    ("debt_service", "本息合计", "Debt service"),
    ("coverage", "当年覆盖倍数", "Coverage (year)"),
    ("capitalised", "建设期利息资本化", "Construction interest from proceeds"),
    ("reserve", "累计结余", "Cumulative reserve"),
]
"""The table's columns: JSON key, Chinese and English headings (money in 万元 but coverage)."""

JSON_KEYS = ["revenue", "operating_costs", "net_revenue", "principal", "interest", "debt_service",
             "capitalised", "coverage", "reserve"]
"""Order of a year's keys in ``fcfinance bond --json``."""


@dataclass(frozen=True)
class CoverageSettings:
    """``financing.coverage`` of a scenario (METHOD §13).

    Attributes
    ----------
    threshold : float
        Life coverage required. [ratio]
    include_grants : bool
    capitalise_construction_interest : bool
    """

    threshold: float = 1.2
    include_grants: bool = False
    capitalise_construction_interest: bool = True

    @classmethod
    def of(cls, params: dict[str, Any]) -> CoverageSettings:
        """The settings in scenario parameters (defaults without ``financing``)."""
        cov = (params.get("financing") or {}).get("coverage") or {}
        return cls(**{k: cov[k] for k in ("threshold", "include_grants", "capitalise_construction_interest")
                      if k in cov})


@dataclass
class SelfBalance:
    """The self-balance table of every path, on the calendar years of the horizon.

    Money in 万元, magnitudes (outflows positive, as in a bond document's
    table); 0 outside each path's bond life.

    Attributes
    ----------
    years : ndarray of int (Y,)
        Calendar years touched by the horizon.
    in_life : ndarray of bool (P, Y)
        Years of each path's bond life.
    columns : dict of ndarray (P, Y)
        ``revenue`` … ``reserve`` as in :data:`COLUMNS`; ``coverage`` is NaN
        where the year has no debt service or lies outside the life.
    coverage_life : ndarray (P,)
        Σ net revenue / Σ debt service over the life (NaN when no debt service). [ratio]
    first_shortfall : ndarray of int (P,)
        First calendar year with a negative reserve, −1 when none.
    passes : ndarray of bool (P,)
    threshold : float
    """

    years: np.ndarray
    in_life: np.ndarray
    columns: dict[str, np.ndarray]
    coverage_life: np.ndarray
    first_shortfall: np.ndarray
    passes: np.ndarray
    threshold: float


def year_matrix(start: str, n_months: int) -> tuple[np.ndarray, np.ndarray]:
    """Calendar years of a grid and the month→year indicator.

    Parameters
    ----------
    start : str
        Month 0, ``YYYY-MM``.
    n_months : int
        Grid length. [months]

    Returns
    -------
    years : ndarray of int (Y,)
    indicator : ndarray (M, Y)
        1 where month j falls in year index y.
    """
    y0, m0 = parse_month(start)
    index = (m0 - 1 + np.arange(n_months)) // 12
    years = y0 + np.arange(index[-1] + 1)
    return years, (index[:, None] == np.arange(years.size)[None, :]).astype(float)


def bond_life(params: dict[str, Any], start: str, n_years: int, n_paths: int) -> tuple[np.ndarray, np.ndarray]:
    """First and last year index of the bond life of each path (METHOD §13).

    From the year of the earliest issue to the year of the latest maturity
    (issue + 12·term_years months); a maturity that a stress case pushed past
    the horizon counts in the horizon's last year, where its flows are booked.

    Returns
    -------
    first, last : ndarray of int (P,)
        Indices into the horizon's calendar years.
    """
    y0, _ = parse_month(start)
    bonds = params["financing"]["bonds"]

    def year_index(month) -> np.ndarray:  # months are absolute indices (fcfinance.timeline.month_index)
        return np.clip(np.broadcast_to(np.asarray(month), (n_paths,)) // 12 - y0, 0, n_years - 1)

    first = np.min([year_index(b["issue"]) for b in bonds], axis=0)
    last = np.max([year_index(np.add(b["issue"], 12 * np.asarray(b["term_years"]))) for b in bonds], axis=0)
    return first.astype(int), last.astype(int)


def has_bonds(params: dict[str, Any]) -> bool:
    """Whether the scenario parameters declare any special bond."""
    return bool((params.get("financing") or {}).get("bonds"))


def require_bonds(scenario: Scenario) -> None:
    """Raise the error of METHOD §13 for a scenario without bonds.

    Raises
    ------
    ScenarioError
        Naming the file and ``financing.bonds``.
    """
    if not scenario.model.financing or not scenario.model.financing.bonds:
        raise ScenarioError([Problem(scenario.path, None, "financing.bonds",
                                     "the scenario has no special bonds (专项债), so it has no "
                                     "self-balance table; add financing.bonds to test one")],
                            scenario.path)


def self_balance(flows: Flows, params: dict[str, Any], settings: CoverageSettings | None = None) -> SelfBalance:
    """The self-balance table of every path (METHOD §13).

    Parameters
    ----------
    flows : Flows
        Lines of a run (:func:`fcfinance.engine.compute_lines`), any number of paths.
    params : dict
        The parameters of that run (bond dates and terms may be arrays over paths).
    settings : CoverageSettings, optional
        Default: ``financing.coverage`` of ``params``.

    Returns
    -------
    SelfBalance
    """
    settings = settings or CoverageSettings.of(params)
    tl, n = flows.timeline, flows.n_paths
    years, indicator = year_matrix(tl.start, tl.months)
    first, last = bond_life(params, tl.start, years.size, n)
    y = np.arange(years.size)[None, :]
    in_life = (y >= first[:, None]) & (y <= last[:, None])

    def yearly(keys) -> np.ndarray:
        total = sum(flows.lines[k].monthly(n, tl.months) for k in keys)
        return np.where(in_life, (total @ indicator) / WAN, 0.0)

    revenue = yearly(REVENUE_LINES + (("grants",) if settings.include_grants else ()))
    costs = yearly(["operating_costs"])
    principal = yearly(["bond_principal"])
    interest = yearly(["bond_interest"])
    net = revenue - costs
    debt = principal + interest
    earning = in_life & (revenue > 0)
    # first year with revenue; without any, every year of the life is before it
    first_revenue = np.where(earning.any(axis=1), np.argmax(earning, axis=1), years.size)
    capitalised = np.where(y < first_revenue[:, None], interest, 0.0) if \
        settings.capitalise_construction_interest else np.zeros_like(interest)
    reserve = np.where(in_life, np.cumsum(net - (debt - capitalised), axis=1), 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        coverage = np.where(in_life & (debt != 0), net / np.where(debt != 0, debt, 1.0), np.nan)
        total_debt = debt.sum(axis=1)
        coverage_life = np.where(total_debt != 0, net.sum(axis=1) / np.where(total_debt != 0, total_debt, 1.0),
                                 np.nan)
    short = in_life & (reserve < 0)
    first_shortfall = np.where(short.any(axis=1), years[np.argmax(short, axis=1)], -1)
    passes = (coverage_life >= settings.threshold) & (first_shortfall < 0)
    columns = {"revenue": revenue, "operating_costs": costs, "net_revenue": net, "principal": principal,
               "interest": interest, "debt_service": debt, "coverage": coverage,
               "capitalised": capitalised, "reserve": reserve}
    return SelfBalance(years, in_life, columns, coverage_life, first_shortfall, passes, settings.threshold)


def verdict(coverage_life: float, threshold: float, first_shortfall_year: int | None, lang: str) -> str:
    """The plain verdict on one case, in Chinese (``zh``) or English (``en``)."""
    cov = "—" if coverage_life is None or np.isnan(coverage_life) else f"{coverage_life:.2f}"
    meets = cov != "—" and coverage_life >= threshold
    if lang == "zh":
        parts = [f"存续期本息覆盖倍数 {cov}，{'达到' if meets else '低于'}要求的 {threshold:g} 倍"]
        parts.append("各年累计结余均不为负" if first_shortfall_year is None
                     else f"{first_shortfall_year} 年起累计结余为负（资金缺口）")
        ok = meets and first_shortfall_year is None
        return "；".join(parts) + ("。项目收益与融资能够自求平衡。" if ok else "。项目收益与融资不能自求平衡。")
    parts = [f"life coverage {cov} {'meets' if meets else 'is below'} the required {threshold:g}"]
    parts.append("the reserve never turns negative" if first_shortfall_year is None
                 else f"the reserve turns negative in {first_shortfall_year}")
    ok = meets and first_shortfall_year is None
    return "; ".join(parts) + (". The project's revenue balances its bond financing." if ok
                               else ". The project's revenue does not balance its bond financing.")


@dataclass
class BondTable:
    """The self-balance table of one run, as the bond documents show it.

    Attributes
    ----------
    scenario : Scenario
    years : list of int
        Calendar years of the bond life.
    rows : dict of ndarray (len(years),)
        Each column of :data:`COLUMNS`. [万元; coverage a ratio, NaN when undefined]
    coverage_life : float
    threshold : float
    first_shortfall_year : int or None
    passes : bool
    stress : list of dict
        ``id``, ``name``, ``coverage_life``, ``first_shortfall_year``, ``passes`` per
        stress case (empty unless computed with them).
    """

    scenario: Scenario
    years: list[int]
    rows: dict[str, np.ndarray]
    coverage_life: float
    threshold: float
    first_shortfall_year: int | None
    passes: bool
    stress: list[dict[str, Any]]

    @classmethod
    def from_paths(cls, scenario: Scenario, balance: SelfBalance, path: int = 0,
                   stress: list[dict[str, Any]] | None = None) -> BondTable:
        """One path of a :class:`SelfBalance` (path 0: the base case)."""
        life = balance.in_life[path]
        rows = {key: balance.columns[key][path][life] for key, _, _ in COLUMNS}
        short = int(balance.first_shortfall[path])
        return cls(scenario, [int(y) for y in balance.years[life]], rows, float(balance.coverage_life[path]),
                   balance.threshold, None if short < 0 else short, bool(balance.passes[path]), stress or [])

    def verdict(self, lang: str = "zh") -> str:
        """The plain verdict (结论) in Chinese or English."""
        return verdict(self.coverage_life, self.threshold, self.first_shortfall_year, lang)

    def frame(self, lang: str | None = None) -> pd.DataFrame:
        """The table by calendar year (index ``year``), money in 万元.

        Parameters
        ----------
        lang : {'zh', 'en'}, optional
            Column headings in that language (default: the JSON keys).
        """
        import pandas as pd

        names = {key: (key if lang is None else zh if lang == "zh" else en) for key, zh, en in COLUMNS}
        data = {names[key]: self.rows[key] for key, _, _ in COLUMNS}
        return pd.DataFrame(data, index=pd.Index(self.years, name="year"))

    def to_dict(self) -> dict[str, Any]:
        """The JSON of ``fcfinance bond --json``: money in 万元, null where undefined."""
        years = [{"year": year, **{key: _plain(self.rows[key][i]) for key in JSON_KEYS}}
                 for i, year in enumerate(self.years)]
        return {"years": years, "coverage_life": _plain(self.coverage_life), "threshold": self.threshold,
                "first_shortfall_year": self.first_shortfall_year, "passes": self.passes,
                "stress": [dict(case) for case in self.stress]}
