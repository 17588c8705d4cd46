"""Checks across fields that the per-field schema cannot express (METHOD §1–10).

Each check returns :class:`~fcfinance.errors.Problem` objects.  A problem about
one value is reported at the file and line where that value was written
(possibly a base file reached through ``extends``); a problem involving
several fields names the file being loaded and every field involved.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..errors import Problem
from ..timeline import Timeline
from .schema import ScenarioSchema, Window
from .source import SourceDict, locate

TOL = 1e-9


class Checker:
    """Collects problems about one loaded document."""

    def __init__(self, doc: SourceDict, file: str, model: ScenarioSchema):
        self.doc = doc
        self.file = file
        self.model = model
        self.tl = Timeline(model.timeline.start, model.timeline.years, model.timeline.frequency)
        self.problems: list[Problem] = []

    # -- reporting ------------------------------------------------------------
    def one(self, loc: list[Any], message: str, missing: bool = False) -> None:
        """A problem with one field, reported where it was written."""
        file, line, path = locate(self.doc, loc, missing=missing)
        self.problems.append(Problem(file, line, path, message))

    def ref(self, loc: list[Any]) -> str:
        """``path = value (file:line)`` for naming a field in a cross-field message."""
        file, line, path = locate(self.doc, loc)
        node: Any = self.doc
        for key in loc:
            try:
                node = node[key]
            except (KeyError, IndexError, TypeError):
                node = None
                break
        value = "" if isinstance(node, (dict, list)) or node is None else f" = {node!r}"
        return f"{path}{value} ({file}:{line})" if line else f"{path}{value} ({file})"

    def across(self, locs: list[list[Any]], message: str) -> None:
        """A problem involving several fields: the loaded file, and each field."""
        path = locate(self.doc, locs[0])[2] if locs else ""
        involved = "; ".join(self.ref(loc) for loc in locs)
        self.problems.append(Problem(self.file, None, path, f"{message} [fields: {involved}]"))

    # -- helpers --------------------------------------------------------------
    def month(self, text: str) -> int:
        return self.tl.offset(text)

    @property
    def last(self) -> int:
        return self.tl.months - 1

    def horizon_text(self) -> str:
        return f"{self.tl.start} … {self.tl.last_month_label()}"

    def date_inside(self, loc: list[Any], text: str) -> None:
        m = self.month(text)
        if not 0 <= m <= self.last:
            self.one(loc, f"{text} is outside the timeline; expected a month in {self.horizon_text()}")

    def window_inside(self, loc: list[Any], w: Window) -> None:
        self.date_inside(loc + ["start"], w.start)
        s = self.month(w.start)
        end = s + max(w.months, 1) - 1
        if 0 <= s <= self.last < end:
            self.across([loc + ["start"], loc + ["months"]],
                        f"window ends in {self.tl.month_label(end)}, after the timeline's last month "
                        f"{self.tl.last_month_label()}")

    def unique_ids(self, loc: list[Any], items: list[Any]) -> set[str]:
        seen: set[str] = set()
        for i, item in enumerate(items):
            if item.id in seen:
                self.one(loc + [i, "id"], f"duplicate id {item.id!r}; ids must be unique in {loc[-1]}")
            seen.add(item.id)
        return seen


def check_acquisition(c: Checker) -> None:
    """Sections required by the site, shares, and windows (METHOD §2–4, §10)."""
    m = c.model
    site, acq, rel = m.site, m.acquisition, m.relocation
    if site is None:
        for key, sect in (("acquisition", acq), ("relocation", rel)):
            if sect is not None:
                c.one([key], f"{key} needs a site section (households and areas acquired); "
                             "remove it for a project without acquisition")
        return
    acquires = site.households > 0 or site.residential_area_m2 > 0 or site.nonresidential_area_m2 > 0
    if (acquires or site.demolition_area_m2 > 0) and acq is None:
        c.one(["acquisition"], "missing: the site acquires households or areas, so an acquisition "
                               "section is needed", missing=True)
        return
    if acq is None:
        return
    if acquires and acq.signing is None:
        c.one(["acquisition", "signing"], "missing: a signing window {start, months} is needed", missing=True)
    if site.residential_area_m2 > 0 and acq.house_value_yuan_m2 is None:
        c.one(["acquisition", "house_value_yuan_m2"],
              "missing: residential area is acquired, so a house value per m² is needed", missing=True)
    if site.nonresidential_area_m2 > 0 and acq.nonresidential_value_yuan_m2 is None:
        c.one(["acquisition", "nonresidential_value_yuan_m2"],
              "missing: non-residential area is acquired, so a value per m² is needed", missing=True)
    if site.demolition_area_m2 > 0:
        if acq.demolition_works_yuan_m2 is None:
            c.one(["acquisition", "demolition_works_yuan_m2"],
                  "missing: a demolition area is given, so a demolition cost per m² is needed", missing=True)
        if acq.demolition is None:
            c.one(["acquisition", "demolition"],
                  "missing: a demolition area is given, so a demolition window is needed", missing=True)
    if acq.signing is not None:
        c.window_inside(["acquisition", "signing"], acq.signing)
    if acq.demolition is not None:
        c.window_inside(["acquisition", "demolition"], acq.demolition)
    if acquires and rel is None:
        c.one(["relocation"], "missing: households are acquired, so relocation shares are needed", missing=True)


def risk_targeted_shares(model: ScenarioSchema) -> set[str]:
    """Relocation shares that some risk or stress case sets or scales."""
    found = set()
    targets = [t for risk in model.risks for t in risk.scale + risk.set]
    targets += [t for case in model.stress for t in list(case.scale) + list(case.set)]
    for target in targets:
        for mode in ("cash", "voucher", "in_kind"):
            if target == f"relocation.shares.{mode}":
                found.add(mode)
    return found


def check_relocation(c: Checker) -> None:
    """Shares sum to 1; each mode in use has its section and inputs (METHOD §2–4)."""
    m = c.model
    rel = m.relocation
    if rel is None or m.acquisition is None or m.site is None:
        return
    sh = rel.shares
    total = sh.cash + sh.voucher + sh.in_kind
    if abs(total - 1.0) > TOL:
        c.across([["relocation", "shares", k] for k in ("cash", "voucher", "in_kind")],
                 f"relocation shares sum to {total:g}; expected cash + voucher + in_kind = 1 (±1e-9)")
    targeted = risk_targeted_shares(m)
    site, acq = m.site, m.acquisition
    signing = acq.signing
    if sh.voucher > 0 or "voucher" in targeted:
        if rel.voucher is None:
            c.one(["relocation", "voucher"], "missing: the voucher share is (or may become) above 0, "
                                             "so a voucher section is needed", missing=True)
        else:
            v = rel.voucher
            prev = 0
            for i, tier in enumerate(v.bonus_tiers):
                if tier.within_months <= prev:
                    c.one(["relocation", "voucher", "bonus_tiers", i, "within_months"],
                          f"{tier.within_months} does not follow {prev}; tiers must be strictly "
                          "increasing in within_months")
                prev = tier.within_months
            if signing is not None:
                s_last = c.month(signing.start) + max(signing.months, 1) - 1
                # redemptions run to s + L − 1, expiries (when ρ < 1) fall in s + L
                last = s_last + v.validity_months - (1 if v.redemption_rate >= 1 else 0)
                if 0 <= c.month(signing.start) <= c.last < last:
                    c.across([["relocation", "voucher", "validity_months"], ["acquisition", "signing", "start"],
                              ["acquisition", "signing", "months"]],
                             f"vouchers are redeemed or expire until {c.tl.month_label(last)}, after the "
                             f"timeline's last month {c.tl.last_month_label()}")
            if v.return_ is not None:
                c.date_inside(["relocation", "voucher", "return", "date"], v.return_.date)
    if sh.in_kind > 0 or "in_kind" in targeted:
        if rel.in_kind is None:
            c.one(["relocation", "in_kind"], "missing: the in-kind share is (or may become) above 0, "
                                             "so an in_kind section is needed", missing=True)
            return
        ik = rel.in_kind
        area = ik.area_ratio * site.residential_area_m2 + ik.extra_area_m2_household * site.households
        if area > 0 and ik.construction_cost_yuan_m2 is None:
            c.one(["relocation", "in_kind", "construction_cost_yuan_m2"],
                  "missing: resettlement housing is built, so a construction cost per m² is needed",
                  missing=True)
        if ik.extra_area_m2_household > 0:
            for key in ("extra_area_price_yuan_m2", "market_price_yuan_m2"):
                if getattr(ik, key) is None:
                    c.one(["relocation", "in_kind", key],
                          "missing: extra area is sold to residents, so this price is needed", missing=True)
        if ik.construction is None:
            c.one(["relocation", "in_kind", "construction"],
                  "missing: a construction window {start, months} is needed", missing=True)
        else:
            c.window_inside(["relocation", "in_kind", "construction"], ik.construction)
            h = c.month(ik.construction.start) + ik.construction.months + ik.handover_lag_months
            if 0 <= c.month(ik.construction.start) <= c.last < h:
                c.across([["relocation", "in_kind", "construction", "start"],
                          ["relocation", "in_kind", "construction", "months"],
                          ["relocation", "in_kind", "handover_lag_months"]],
                         f"handover falls in {c.tl.month_label(h)}, after the timeline's last month "
                         f"{c.tl.last_month_label()}")


def check_works_and_land(c: Checker) -> None:
    """Works windows, unique ids, land installments and uplift references (METHOD §5–6)."""
    m = c.model
    work_ids: set[str] = set()
    if m.works is not None:
        work_ids = c.unique_ids(["works", "items"], m.works.items)
        for i, item in enumerate(m.works.items):
            c.window_inside(["works", "items", i], item)  # an item is a window with more fields
    if m.land is None:
        return
    c.unique_ids(["land", "parcels"], m.land.parcels)
    for i, parcel in enumerate(m.land.parcels):
        loc = ["land", "parcels", i]
        c.date_inside(loc + ["sale"], parcel.sale)
        total = sum(p.share for p in parcel.payments)
        if abs(total - 1.0) > TOL:
            c.across([loc + ["payments", k, "share"] for k in range(len(parcel.payments))],
                     f"installment shares sum to {total:g}; expected 1 (±1e-9)")
        sale = c.month(parcel.sale)
        for k, pay in enumerate(parcel.payments):
            if 0 <= sale <= c.last < sale + pay.after_months:
                c.across([loc + ["sale"], loc + ["payments", k, "after_months"]],
                         f"installment falls in {c.tl.month_label(sale + pay.after_months)}, after the "
                         f"timeline's last month {c.tl.last_month_label()}")
        if parcel.uplift is not None:
            for k, req in enumerate(parcel.uplift.requires):
                if req not in work_ids:
                    known = ", ".join(sorted(work_ids)) or "none"
                    c.one(loc + ["uplift", "requires", k],
                          f"unknown works item {req!r}; expected one of the works item ids ({known})")


def check_operations_grants_financing(c: Checker) -> None:
    """Operating window, grants, bond schedules (METHOD §7)."""
    m = c.model
    ops = m.operations
    if ops is not None:
        c.date_inside(["operations", "start"], ops.start)
        o = c.month(ops.start)
        end = o + 12 * ops.years - 1
        if 0 <= o <= c.last < end:
            c.across([["operations", "start"], ["operations", "years"]],
                     f"the operating period ends in {c.tl.month_label(end)}, after the timeline's last "
                     f"month {c.tl.last_month_label()}")
        c.unique_ids(["operations", "revenues"], ops.revenues)
        c.unique_ids(["operations", "costs"], ops.costs)
    c.unique_ids(["grants"], m.grants)
    for i, grant in enumerate(m.grants):
        c.date_inside(["grants", i, "date"], grant.date)
    if m.financing is None:
        return
    c.unique_ids(["financing", "bonds"], m.financing.bonds)
    for i, bond in enumerate(m.financing.bonds):
        loc = ["financing", "bonds", i]
        c.date_inside(loc + ["issue"], bond.issue)
        maturity = c.month(bond.issue) + 12 * bond.term_years
        if 0 <= c.month(bond.issue) <= c.last < maturity:
            c.across([loc + ["issue"], loc + ["term_years"]],
                     f"the bond matures in {c.tl.month_label(maturity)}, after the timeline's last month "
                     f"{c.tl.last_month_label()}")
        if isinstance(bond.amortization, list):
            total = sum(s.share for s in bond.amortization)
            if abs(total - 1.0) > TOL:
                c.across([loc + ["amortization", k, "share"] for k in range(len(bond.amortization))],
                         f"amortization shares sum to {total:g}; expected 1 (±1e-9)")
            years = set()
            for k, step in enumerate(bond.amortization):
                if step.year > bond.term_years:
                    c.one(loc + ["amortization", k, "year"],
                          f"year {step.year} is after the term of {bond.term_years} years; "
                          f"expected 1 … {bond.term_years}")
                if step.year in years:
                    c.one(loc + ["amortization", k, "year"], f"year {step.year} is listed twice")
                years.add(step.year)


CHECKS: list[Callable[[Checker], None]] = [
    check_acquisition,
    check_relocation,
    check_works_and_land,
    check_operations_grants_financing,
]


def check_all(model: ScenarioSchema, doc: SourceDict, file: str) -> list[Problem]:
    """Run every cross-field check of the base case.

    Parameters
    ----------
    model : ScenarioSchema
        The document, valid field by field.
    doc : SourceDict
        The merged document, for file and line of each value.
    file : str
        The file being loaded.
    """
    c = Checker(doc, file, model)
    for check in CHECKS:
        check(c)
    return c.problems


EFFECT_KINDS = {"scale": ("number",), "set": ("number",), "shift_months": ("date", "months")}

MAX_SCALE = 1000.0
"""Largest factor (in absolute value) a ``scale`` risk may draw."""


def _draw_range(dist: Any) -> tuple[float, float]:
    """The values a risk can draw in practice: its support where that is bounded, else its quantiles at
    2⁻⁵³ and 1 − 2⁻⁵³, the extreme uniforms sampling uses (inf if they overflow).

    A bounded support needs no quantile (a beta's would build its quantile table, and load
    scipy.stats, just to validate a file).
    """
    import math

    import numpy as np

    lo, hi = dist.support
    if math.isfinite(lo) and math.isfinite(hi):
        return float(lo), float(hi)
    with np.errstate(all="ignore"):
        lo, hi = (float(x) for x in np.asarray(dist.ppf(np.array([2.0**-53, 1 - 2.0**-53]))).ravel())
    return lo, hi


def draws_within(c: Checker, i: int, risk: Any, dist: Any, params: dict) -> None:
    """A risk's draws are finite and within what its effects allow.

    ``shift_months`` draws within ± the months bound of the schema, ``scale``
    factors within ±:data:`MAX_SCALE`, ``set`` values within each target
    field's declared bounds; so that no path computes with an overflowing
    number.
    """
    import math

    from .fields import field_at, field_bounds
    from .schema import UPPER_BOUNDS, ScenarioSchema
    from .targets import resolve

    lo, hi = _draw_range(dist)
    where = ["risks", i, "dist"]
    if not (math.isfinite(lo) and math.isfinite(hi)):
        c.one(where, f"draws reach {lo:g} … {hi:g}; expected finite values")
        return
    months = UPPER_BOUNDS["months"]
    if risk.shift_months and max(abs(lo), abs(hi)) > months:
        c.one(where, f"draws reach {lo:g} … {hi:g} months; shift_months moves dates by at most ±{months} months")
    if risk.scale and max(abs(lo), abs(hi)) > MAX_SCALE:
        c.one(where, f"draws reach {lo:g} … {hi:g}; a scale factor must stay within ±{MAX_SCALE:g}")
    for target in risk.set:
        for loc in resolve(params, target):
            try:
                flo, fhi = field_bounds(field_at(ScenarioSchema, loc))
            except Exception:  # noqa: BLE001  (a target of the wrong kind is reported by check_risks)
                continue
            if lo < flo or hi > fhi:
                c.one(where, f"draws reach {lo:g} … {hi:g}, outside the bounds [{flo:g}, {fhi:g}] of "
                             f"{target!r} that set replaces")
                return


def check_target(c: Checker, params: dict[str, Any], loc: list[Any], effect: str, target: str) -> None:
    """An effect's target path matches some field of a kind the effect can act on (METHOD §9).

    Parameters
    ----------
    params : dict
        The scenario's parameters (:func:`~fcfinance.scenario.fields.to_params`).
    loc : list
        Where the target is written, for the problem's file and line.
    effect : {'scale', 'set', 'shift_months'}
    target : str
        The dotted path, list items by id or ``*``.
    """
    from .fields import field_at, kind_of
    from .targets import resolve

    kinds = EFFECT_KINDS[effect]
    locs = resolve(params, target)
    if not locs:
        c.one(loc, f"target {target!r} matches nothing; expected a dotted path from the root "
                   "to a field present in this scenario (list items by id, or *)")
        return
    for found in locs:
        kind = kind_of(field_at(ScenarioSchema, found))
        if kind not in kinds:
            c.one(loc, f"{effect} cannot act on {target!r}, a field of kind {kind}; "
                       f"{effect} acts on {' or '.join(kinds)} fields")
            return


def check_risks(c: Checker) -> None:
    """Distributions, effect targets and kinds, correlations (METHOD §9)."""
    from ..montecarlo.correlation import correlation_model
    from ..montecarlo.distributions import parse_distribution
    from .fields import to_params
    from .targets import resolve

    m = c.model
    params = to_params(m)
    ids = c.unique_ids(["risks"], m.risks)
    for i, risk in enumerate(m.risks):
        try:
            dist = parse_distribution(risk.dist)
        except ValueError as exc:
            c.one(["risks", i, "dist"], str(exc))
            dist = None
        if dist is not None:
            draws_within(c, i, risk, dist, params)
        targeted: dict[tuple, str] = {}  # field → target naming it, in this risk
        for effect in EFFECT_KINDS:
            for k, target in enumerate(getattr(risk, effect)):
                locs = resolve(params, target)
                twice = next((targeted[tuple(loc)] for loc in locs if tuple(loc) in targeted), None)
                if twice is not None:
                    same = "listed twice" if twice == target else f"also reached by {twice!r}"
                    c.one(["risks", i, effect, k],
                          f"target {target!r} is {same} in this risk; a risk acts once on each field")
                    continue
                targeted.update({tuple(loc): target for loc in locs})
                check_target(c, params, ["risks", i, effect, k], effect, target)
    set_by: dict[tuple, int] = {}
    for i, risk in enumerate(m.risks):
        for k, target in enumerate(risk.set):
            for loc in resolve(params, target):
                if tuple(loc) in set_by:
                    c.one(["risks", i, "set", k],
                          f"{target!r} is already set by risk {m.risks[set_by[tuple(loc)]].id!r}; "
                          "a field can be set by one risk only")
                set_by[tuple(loc)] = i
        for target in risk.scale + risk.set:
            mode = target.rsplit(".", 1)[-1]
            if m.relocation is not None and target == f"relocation.shares.{mode}" \
                    and getattr(m.relocation.shares, mode, 0.0) >= 1.0:
                c.one(["relocation", "shares", mode],
                      f"risk {risk.id!r} changes the {mode} share, whose base value is 1: the other "
                      "shares are 0, so there is nothing to rescale; give them base values above 0")
    pairs = []
    for i, row in enumerate(m.correlations):
        if len(row) != 3 or not all(isinstance(x, str) for x in row[:2]) \
                or isinstance(row[2], str):
            c.one(["correlations", i], f"expected [id_a, id_b, rho], got {row!r}")
            continue
        for k in (0, 1):
            if row[k] not in ids:
                c.one(["correlations", i], f"unknown risk id {row[k]!r}; expected one of: {', '.join(sorted(ids))}")
        pairs.append((row[0], row[1], float(row[2])))
    if c.problems or not pairs:
        return
    try:  # validates the pairs, positive definiteness and reachability for these marginals
        correlation_model([r.id for r in m.risks], [r.dist for r in m.risks], pairs,
                          repair=m.simulation.correlation_repair)
    except ValueError as exc:
        c.across([["correlations", i] for i in range(len(m.correlations))], str(exc))


CHECKS.append(check_risks)


STANDARD_STRESS_IDS = ("base", "revenue_-10", "opex_+10", "land_delay_12", "combined")
"""Case ids that fcfinance defines itself (METHOD §13); a scenario's own cases take other ids."""


def check_stress(c: Checker) -> None:
    """The scenario's own stress cases: ids, and effect targets as risk targets (METHOD §13)."""
    from .fields import to_params

    m = c.model
    if not m.stress:
        return
    params = to_params(m)
    c.unique_ids(["stress"], m.stress)
    for i, case in enumerate(m.stress):
        if case.id in STANDARD_STRESS_IDS:
            c.one(["stress", i, "id"], f"id {case.id!r} is a standard case's; expected an id other than "
                                       f"{', '.join(STANDARD_STRESS_IDS)}")
        for effect in EFFECT_KINDS:
            for target in getattr(case, effect):
                check_target(c, params, ["stress", i, effect, target], effect, target)
        for target in list(case.scale) + list(case.set):
            mode = target.rsplit(".", 1)[-1]
            if m.relocation is not None and target == f"relocation.shares.{mode}" \
                    and getattr(m.relocation.shares, mode, 0.0) >= 1.0:
                c.one(["stress", i, "scale" if target in case.scale else "set", target],
                      f"stress case {case.id!r} changes the {mode} share, whose base value is 1: the other "
                      "shares are 0, so there is nothing to rescale; give them base values above 0")


CHECKS.append(check_stress)
