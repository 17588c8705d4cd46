"""Tables behind the charts, read from the engine's results (no line is computed again).

Every amount here is an engine number — a line total of
:attr:`RunResult.lines`, a metric, or an amount the engine keeps in
:attr:`Flows.detail` and :attr:`Flows.parcels` — converted to 万元 and, for
relocation, divided by a number of households.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..names import WAN
from ..result import RunResult, run
from .labels import INFLOW_CATEGORIES, OUTFLOW_CATEGORIES, tr


def base_result(result: Any) -> RunResult:
    """The deterministic run behind a result: itself, or the base case of a simulation."""
    if isinstance(result, RunResult):
        return result
    scenario = getattr(result, "scenario", None)
    if scenario is None or not hasattr(result, "per_path"):
        raise TypeError(f"expected a RunResult or a SimulationResult, got {type(result).__name__}")
    return run(scenario)


def require_simulation(result: Any) -> Any:
    """``result`` if it is a Monte Carlo result.

    Raises
    ------
    TypeError
        For a deterministic run (it has one path and no risks drawn).
    """
    if not hasattr(result, "per_path"):
        raise TypeError("this chart needs a Monte Carlo result: "
                        "fcfinance.montecarlo.simulate.simulate(scenario, paths=..., seed=...)")
    return result


def sensitivity(sim: Any) -> pd.DataFrame:
    """:meth:`SimulationResult.sensitivity`, or — with fewer than 3 paths, where rank
    correlations are undefined — the risks with NaN correlations and zero shares."""
    if sim.paths >= 3:
        return sim.sensitivity()
    return pd.DataFrame({"rank_correlation": np.nan, "contribution_to_variance": 0.0,
                         "partial_rank_correlation": np.nan},
                        index=pd.Index(list(sim.risk_ids), name="risk"))


def _one(value: Any) -> float:
    """The one-path value of a scalar or an array over paths."""
    return float(np.ravel(np.asarray(value, dtype=float))[0])


def category_totals(frame: pd.DataFrame) -> pd.DataFrame:
    """Line table (columns = line keys, signed 万元) summed into the chart categories.

    Returns
    -------
    DataFrame
        Same index; one column per inflow line and per outflow group (signed 万元).
    """
    out = {}
    for cat in INFLOW_CATEGORIES + OUTFLOW_CATEGORIES:
        out[cat.key] = frame[list(cat.lines)].sum(axis=1)
    return pd.DataFrame(out, index=frame.index)


def parcel_table(result: RunResult, lang: str = "zh") -> pd.DataFrame:
    """Each land parcel's premium (METHOD §6), from :attr:`Flows.parcels`.

    Returns
    -------
    DataFrame indexed by parcel id
        ``use``, ``name``, ``sale`` (YYYY-MM), ``base`` [万元], ``uplift_rate`` [share],
        ``uplift_earned`` [万元], ``uplift_forgone`` [万元] (the uplift the
        rule offered but the works were not complete in time), ``gross``
        [万元], ``earned`` (bool), ``requires`` (list of (work id, label,
        completion YYYY-MM)), ``installments`` (list of (YYYY-MM, gross 万元)).
    """
    model = result.scenario.model
    tl = result.scenario.timeline
    if model.land is None:
        return pd.DataFrame(columns=["use", "name", "sale", "base", "uplift_rate", "uplift_earned", "uplift_forgone",
                                     "gross", "earned", "requires", "installments"])
    works = {w.id: w for w in (model.works.items if model.works else [])}
    rows = {}
    for parcel in model.land.parcels:
        got = result.flows.parcels[parcel.id]
        base, uplift = _one(got.base_yuan) / WAN, _one(got.uplift_yuan) / WAN
        earned = bool(np.ravel(got.earned)[0])
        rate = _one(got.uplift_rate)
        requires = []
        for wid, done in zip(parcel.uplift.requires if parcel.uplift else [], got.completions):
            name = works[wid].name if works[wid].name else wid
            label = tr(lang, name.split("（")[0], wid)
            requires.append((wid, label, tl.month_label(int(_one(done)))))
        rows[parcel.id] = {
            "use": parcel.use or "",
            "name": parcel.name or "",
            "sale": tl.month_label(int(_one(got.sale))),
            "base": base,
            "uplift_rate": rate,
            "uplift_earned": uplift,
            "uplift_forgone": 0.0 if earned else _one(got.uplift_offered_yuan) / WAN,
            "gross": _one(got.gross_yuan) / WAN,
            "earned": earned,
            "requires": requires,
            "installments": [(tl.month_label(int(_one(m))), _one(a) / WAN) for m, a in got.installments],
        }
    return pd.DataFrame.from_dict(rows, orient="index")


RELOCATION_PARTS: tuple[tuple[str, str, str], ...] = (
    ("house_value", "房屋价值补偿（房票面值）", "House value (voucher face value)"),
    ("bonus", "货币补偿奖励／房票奖励", "Cash bonus / voucher bonus"),
    ("return_discount", "房票回迁优惠", "Voucher buy-back discount"),
    ("construction", "安置房建设费", "Resettlement construction"),
    ("transition", "临时安置费", "Transition allowance"),
    ("moving", "搬迁费", "Moving allowance"),
    ("signing_reward", "签约奖励", "Signing reward"),
    ("purchases", "居民增购房款（抵减）", "Resident purchases (offset)"),
)
"""Parts of the cost per household, in drawing order (key, zh, en)."""

LAND_PART = ("land", "安置房用地（按本项目楼面地价，出让金机会成本）",
             "Land for resettlement housing (at the project's floor price, premium forgone)")
"""The land the in-kind resettlement housing uses, valued as the premium it would fetch (not a cash flow)."""


def project_floor_price(model: Any) -> float | None:
    """The project's own floor price [元/m² floor]: the residential parcels' base floor prices
    weighted by their floor area (every parcel's when none is residential); None without land sales.

    A parcel counts as residential when its ``use`` says so (``residential``, 住宅, …).
    """
    parcels = list(model.land.parcels) if model.land is not None else []
    homes = [p for p in parcels if p.use and ("resid" in p.use.lower() or "住" in p.use)]
    chosen = homes or parcels
    floor = sum(p.area_m2 * p.far for p in chosen)
    if floor <= 0:
        return None
    return sum(p.area_m2 * p.far * p.floor_price_yuan_m2 for p in chosen) / floor


def relocation_table(result: RunResult) -> pd.DataFrame:
    """Cost per household of each relocation mode, from the run's lines [万元/household].

    Each line total is divided by the households of the mode it serves
    (share × H, from :attr:`Flows.detail`):

    * cash: cash_compensation less the non-residential compensation, split
      into the house value V/H and the cash bonus;
    * voucher: voucher_redemption + voucher_expiry, split into the face
      value V/H and the bonus (redemption bonus net of expiries settled at
      face value); voucher_return_discount;
    * in kind: resettlement_construction (escalated, extra area included),
      transition_allowance, the move back (moving allowance beyond the first
      move), and resident_purchases as a negative part;
    * every mode: the signing reward and the first move, averaged over all
      households.

    Returns
    -------
    DataFrame
        Index ``cash``, ``voucher``, ``in_kind`` (modes with households);
        columns: ``households`` [households], the parts of
        :data:`RELOCATION_PARTS` (signed: purchases negative), ``net`` (sum of
        the parts), ``extra_area_discount`` (not a cash flow), ``land`` (in kind:
        the resettlement housing's floor area × :func:`project_floor_price`,
        the premium forgone by building it on the project's land; not a cash
        flow, 0 without land sales) and ``net_with_land`` [万元/household].
    """
    detail = result.flows.detail
    columns = ["households"] + [k for k, _, _ in RELOCATION_PARTS] + ["net", "extra_area_discount", "land",
                                                                       "net_with_land"]
    if not detail or "households_cash" not in detail:
        return pd.DataFrame(columns=columns)
    lines = {k: abs(v) for k, v in result.lines.items()}
    n = {m: _one(detail[f"households_{m}"]) for m in ("cash", "voucher", "in_kind")}
    households = sum(n.values())
    if households <= 0:
        return pd.DataFrame(columns=columns)
    value = _one(detail["house_value"]) / WAN / households
    first_move = _one(detail["moving_per_move"]) / WAN / households
    reward = lines["signing_rewards"] / households
    rows: dict[str, dict[str, float]] = {}
    if n["cash"] > 0:
        paid = (lines["cash_compensation"] - _one(detail["nonresidential_value"]) / WAN) / n["cash"]
        rows["cash"] = {"house_value": value, "bonus": paid - value}
    if n["voucher"] > 0:
        paid = (lines["voucher_redemption"] + lines["voucher_expiry"]) / n["voucher"]
        rows["voucher"] = {"house_value": value, "bonus": paid - value,
                           "return_discount": lines["voucher_return_discount"] / n["voucher"]}
    if n["in_kind"] > 0:
        back = (lines["moving_allowance"] - _one(detail["moving_per_move"]) / WAN) / n["in_kind"]
        rows["in_kind"] = {"construction": lines["resettlement_construction"] / n["in_kind"],
                           "transition": lines["transition_allowance"] / n["in_kind"],
                           "moving": back,
                           "purchases": -lines["resident_purchases"] / n["in_kind"],
                           "extra_area_discount": _one(result.flows.implied_discount) / WAN / n["in_kind"]}
        price = project_floor_price(result.scenario.model)
        if price is not None and "resettlement_area_m2" in detail:
            rows["in_kind"]["land"] = _one(detail["resettlement_area_m2"]) * price / WAN / n["in_kind"]
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame = frame.reindex(columns=columns).fillna(0.0)
    frame["households"] = [n[m] for m in frame.index]
    frame["moving"] += first_move
    frame["signing_reward"] = reward
    frame["net"] = frame[[k for k, _, _ in RELOCATION_PARTS]].sum(axis=1)
    frame["net_with_land"] = frame["net"] + frame["land"]
    return frame
