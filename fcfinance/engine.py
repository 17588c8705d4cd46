"""The orchestrator: scenario parameters → every cash-flow line (METHOD §1–7).

:func:`compute_lines` reads the parameters once, calls one component per
line family, and returns the lines as ``amount × shape`` terms.  Any number
or month offset in the parameters may be an array over paths (shape (P,));
the deterministic run is the one-path case.  Nothing here loops over paths.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .components.acquisition import acquisition_lines, compensation_bases, demolition_line
from .components.financing import bond_lines
from .components.land import ParcelInputs, ParcelPremium, land_lines, parcel_premium
from .components.operations import operations_lines
from .components.resettlement import handover_month, resettlement_area_m2, resettlement_lines
from .components.shapes import at_month, spread
from .components.vouchers import voucher_lines
from .components.works import soft_and_contingency, works_line
from .lines import Line
from .names import LINES
from .params import Record
from .timeline import Timeline, month_index


@dataclass
class Flows:
    """Every line of one run, and the amounts that are not cash flows.

    Attributes
    ----------
    lines : dict of Line
        Keyed as METHOD §11, magnitudes [元] (sign in :data:`fcfinance.names.LINES`);
        ``gap_interest`` and ``deposit_interest`` are computed by :mod:`fcfinance.metrics`.
    land_premium_gross : ndarray (P,)
        Gross premium before deductions. [元]
    implied_discount : ndarray (P,)
        Extra-area discount to in-kind households (not a cash flow). [元]
    n_paths : int
    timeline : Timeline
    notes : list of str
    detail : dict
        Amounts behind the lines that are not lines themselves, for tables and
        charts (scalars or arrays (P,)): ``households_cash``,
        ``households_voucher``, ``households_in_kind`` (share·H) [households];
        ``house_value`` V, ``nonresidential_value`` V_n (part of
        cash_compensation), ``moving_per_move`` (one move of every household)
        and ``voucher_face_value`` v·V [元].  Empty without acquisition.
    parcels : dict of ParcelPremium
        Each land parcel's base premium, uplift earned and installments, by id. [元]
    """

    lines: dict[str, Line]
    land_premium_gross: np.ndarray
    implied_discount: np.ndarray
    n_paths: int
    timeline: Timeline
    notes: list[str] = field(default_factory=list)
    detail: dict[str, Any] = field(default_factory=dict)
    parcels: dict[str, ParcelPremium] = field(default_factory=dict)


def _given(value: Any) -> Any:
    """The value, or 0 where an optional input is absent (its line is then 0)."""
    return 0.0 if value is None else value


def _paths(params: Any) -> int:
    """Largest array size among the parameters (1 when all are scalars)."""
    if isinstance(params, Mapping):
        return max([_paths(v) for v in params.values()] + [1])
    if isinstance(params, (list, tuple)):
        return max([_paths(v) for v in params] + [1])
    if isinstance(params, np.ndarray):
        return max(params.size, 1)
    return 1


def _relocation(params: Record, M: int, t0: int, origin: int) -> tuple[dict[str, Line], Any, dict[str, Any]]:
    """Compensation, vouchers and in-kind resettlement of the households acquired (METHOD §2–4).

    Parameters
    ----------
    params : Record
    M : int
        Months on the grid.
    t0 : int
        Absolute month index of grid month 0. [months]
    origin : int
        Grid month of the project's timeline start. [months]

    Returns
    -------
    lines : dict of Line
    implied_discount : scalar or ndarray (P,)
        Extra-area discount to in-kind households (not a cash flow). [元]
    detail : dict
        See :attr:`Flows.detail`.
    """
    site, acq, rel = params["site"], params["acquisition"], params["relocation"]
    H, A, A_n = site["households"], site["residential_area_m2"], site["nonresidential_area_m2"]
    shares = rel["shares"]
    c, v, i = shares["cash"], shares["voucher"], shares["in_kind"]
    bases = compensation_bases(
        residential_area_m2=A, nonresidential_area_m2=A_n,
        house_value_yuan_m2=_given(acq["house_value_yuan_m2"]),
        nonresidential_value_yuan_m2=_given(acq["nonresidential_value_yuan_m2"]),
        moving_allowance_yuan_m2=acq["moving_allowance_yuan_m2"])
    detail: dict[str, Any] = dict(bases, households_cash=np.multiply(c, H),
                                  households_voucher=np.multiply(v, H), households_in_kind=np.multiply(i, H))
    sig = acq["signing"]
    signing = spread(np.subtract(sig["start"], t0), sig["months"], sig["profile"], "even", M)
    lines: dict[str, Line] = {}
    handover = None
    implied_discount: Any = 0.0
    ik = rel.get("in_kind")
    if ik is not None and ik["construction"] is not None:  # a zero share may come without a window
        w = ik["construction"]
        handover = handover_month(start=np.subtract(w["start"], t0), months=w["months"],
                                  handover_lag_months=ik["handover_lag_months"])
        built = resettlement_area_m2(in_kind_share=i, residential_area_m2=A, area_ratio=ik["area_ratio"],
                                     households=H, extra_area_m2_household=ik["extra_area_m2_household"])
        detail["resettlement_area_m2"] = built  # floor area of the resettlement housing (report: its land)
        extra_sold = np.multiply(i, np.multiply(H, ik["extra_area_m2_household"]))
        price = _given(ik["extra_area_price_yuan_m2"])
        implied_discount = extra_sold * np.subtract(_given(ik["market_price_yuan_m2"]), price)
        lines.update(resettlement_lines(
            construction=spread(np.subtract(w["start"], t0), w["months"], w["profile"], "scurve", M),
            area_built_m2=built, construction_cost_yuan_m2=_given(ik["construction_cost_yuan_m2"]),
            escalation=(params.get("works") or {}).get("escalation", 0.0), handover=handover,
            extra_area_sold_m2=extra_sold, extra_area_price_yuan_m2=price, n_months=M, origin=origin))
    lines.update(acquisition_lines(
        signing=signing, households=H, house_value_yuan=bases["house_value"],
        nonresidential_value_yuan=bases["nonresidential_value"], moving_yuan=bases["moving_per_move"],
        signing_reward_yuan_household=acq["signing_reward_yuan_household"],
        transition_yuan_month=np.multiply(A, acq["transition_allowance_yuan_m2_month"]),
        cash_share=c, cash_bonus_rate=rel["cash_bonus_rate"], in_kind_share=i, handover=handover,
        n_months=M))
    vo = rel.get("voucher")
    if vo is not None:
        back = vo.get("return")
        face = np.multiply(v, bases["house_value"])
        detail["voucher_face_value"] = face
        discount = (np.multiply(np.multiply(H, v), back["share"]) * np.multiply(
            back["area_m2_household"], back["market_price_yuan_m2"]) * back["discount_rate"]
            if back else 0.0)
        lines.update(voucher_lines(
            signing=signing, face_value_yuan=face, redemption_rate=vo["redemption_rate"],
            validity_months=vo["validity_months"],
            tiers=[(t["within_months"], t["rate"]) for t in vo["bonus_tiers"]],
            return_discount_yuan=discount, return_month=np.subtract(back["date"], t0) if back else None,
            n_months=M))
    return lines, implied_discount, detail


def compute_lines(params: Record, timeline: Timeline, n_paths: int | None = None,
                  keep_parcels: bool = True) -> Flows:
    """Compute every project and bond line, on the grid of ``timeline``.

    Parameters
    ----------
    params : Record
        Scenario parameters from :meth:`fcfinance.scenario.Scenario.params`
        (dates as absolute month indices), numbers and months possibly
        replaced by arrays over paths.
    timeline : Timeline
        The grid the lines are placed on: the project's own, or a platform's
        that contains it (escalation still counts from the project's
        ``timeline.start``).
    n_paths : int, optional
        Number of paths P (default: the largest array in ``params``).
    keep_parcels : bool
        Keep each parcel's premium in :attr:`Flows.parcels` (tables and
        charts); Monte Carlo chunks leave it out, so that a project with many
        parcels holds no per-parcel arrays once their installments are booked.

    Returns
    -------
    Flows
        Lines on ``timeline``'s months; months in :attr:`Flows.parcels` and
        :attr:`Flows.detail` are offsets on that grid.
    """
    n = n_paths or _paths(params)
    M = timeline.months
    t0 = timeline.origin
    origin = month_index(params["timeline"]["start"]) - t0
    lines: dict[str, Line] = {spec.key: Line() for spec in LINES}
    zero = np.zeros(())

    site, acq = params.get("site"), params.get("acquisition")
    construction = Line()
    implied_discount = zero
    detail: dict[str, Any] = {}
    if site and acq:
        demo = acq.get("demolition")
        if demo is not None:
            lines["demolition_works"] = demolition_line(
                spread(np.subtract(demo["start"], t0), demo["months"], demo["profile"], "even", M),
                site["demolition_area_m2"], _given(acq["demolition_works_yuan_m2"]))
        if acq["signing"] is not None and params.get("relocation"):
            got, implied_discount, detail = _relocation(params, M, t0, origin)
            lines.update(got)
            construction = lines["resettlement_construction"]

    works = params.get("works")
    completion: dict[str, Any] = {}
    if works:
        items = []
        for item in works["items"]:
            cost = (item["cost_yuan"] if item["cost_yuan"] is not None
                    else np.multiply(item["area_m2"], item["unit_cost_yuan_m2"]))
            rate = item["escalation"] if item["escalation"] is not None else works["escalation"]
            start = np.subtract(item["start"], t0)
            items.append((cost, spread(start, item["months"], item["profile"], "scurve", M), rate))
            completion[item["id"]] = np.add(start, item["months"])
        lines["public_works"] = works_line(items, origin)
        lines.update(soft_and_contingency(construction, lines["public_works"],
                                          works["soft_cost_rate"], works["contingency_rate"]))

    gross = zero
    parcel_detail: dict[str, ParcelPremium] = {}
    land = params.get("land")
    if land:
        parcels = (ParcelInputs(
            area_m2=p["area_m2"], far=p["far"], floor_price_yuan_m2=p["floor_price_yuan_m2"],
            sale=np.subtract(p["sale"], t0),
            payments=[(pay["after_months"], pay["share"]) for pay in p["payments"]],
            uplift_rate=p["uplift"]["rate"] if p["uplift"] else 0.0,
            uplift_completions=[completion[w] for w in p["uplift"]["requires"]] if p["uplift"] else ())
            for p in land["parcels"])
        def premiums():  # one parcel at a time: a large project keeps no per-parcel arrays unless asked
            for p, inputs in zip(land["parcels"], parcels):
                premium = parcel_premium(inputs)
                if keep_parcels:
                    parcel_detail[p["id"]] = premium
                yield premium

        got, gross = land_lines(premiums(), land["deduction_rate"], land["return_rate"], M)
        lines.update(got)

    ops = params.get("operations")
    if ops:
        revenues = []
        for r in ops["revenues"]:
            monthly = (np.asarray(r["amount_yuan_year"]) / 12.0 if r["amount_yuan_year"] is not None
                       else np.multiply(r["quantity"], r["unit_price_yuan_month"]))
            occ = r["occupancy"]
            if isinstance(occ, Mapping):
                occ = (occ["initial"], occ["stable"], occ["ramp_years"])
            revenues.append((monthly, occ))
        lines.update(operations_lines(start=np.subtract(ops["start"], t0), years=ops["years"],
                                      escalation=ops["escalation"],
                                      revenues=revenues, costs=[c["amount_yuan_year"] for c in ops["costs"]],
                                      n_months=M))

    for g in params.get("grants") or []:
        lines["grants"].add(g["amount_yuan"], at_month(np.subtract(g["date"], t0), M))

    fin = params.get("financing")
    if fin:
        lines.update(bond_lines([{**b, "issue": np.subtract(b["issue"], t0),
                                  "amortization": b["amortization"] if b["amortization"] == "bullet"
                                  else [(s["year"], s["share"]) for s in b["amortization"]]}
                                 for b in fin["bonds"]], M))

    return Flows(lines, np.broadcast_to(np.asarray(gross, dtype=float), (n,)),
                 np.broadcast_to(np.asarray(implied_discount, dtype=float), (n,)), n, timeline,
                 detail=detail, parcels=parcel_detail)
