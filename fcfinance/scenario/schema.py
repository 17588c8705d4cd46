"""The scenario file format, declared once (METHOD §10).

Every field carries its type, unit, default and meaning here; validation,
error messages, risk-target kinds and the format reference in the docs are
all derived from these declarations.  Field ``kind`` says what a Monte Carlo
effect may do to it: ``number`` (scale, set), ``date`` and ``months`` (shift_months),
anything else none.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from ..timeline import parse_month


def _month(value: Any) -> str:
    if isinstance(value, (datetime.date, datetime.datetime)):  # YAML reads 2024-03-01 as a date
        raise ValueError(f"expected a month written YYYY-MM (e.g. 2024-03), got {value.isoformat()} "
                         "(a full date)")
    if not isinstance(value, str):
        raise ValueError(f"expected a month written YYYY-MM (e.g. 2024-03), got {value!r}")
    parse_month(value)
    return value


def _version(value: Any) -> Any:
    if isinstance(value, bool):  # True == 1 in Python: do not let `fcfinance: true` pass as version 1
        raise ValueError(f"expected the format version 1, got {value!r}")
    return value


UPPER_BOUNDS = {
    "元": 1e12, "元/year": 1e11, "元/household": 1e8, "元/m²": 1e6, "元/m² floor": 1e6,
    "元/m²/month": 1e4, "元/unit/month": 1e7, "m²": 1e8, "m² or units": 1e8, "m²/household": 1e4,
    "households": 1e6, "share": 1.0, "share of face value": 1.0, "m² per m²": 10.0,
    "m² floor per m² land": 20.0, "months": 1200, "years": 100, "1/year": 1.0, "paths": 10**9,
}
"""Upper bound of every number field without its own, by unit: far above any real project
(a 万亿元 budget, 100 years, 100% a year), low enough that no sum or product overflows."""


def F(default: Any = ..., *, unit: str | None = None, kind: str = "number",
      desc: str = "", bounded: bool = True, **constraints: Any) -> Any:
    """Declare a field with its unit, effect kind and description.

    A number without an upper bound of its own gets that of its unit
    (:data:`UPPER_BOUNDS`) unless ``bounded`` is False (a union checked by
    its own validator); every number must be finite.
    """
    numeric = kind in ("number", "int", "months")
    if bounded and numeric and unit in UPPER_BOUNDS and not {"le", "lt"} & constraints.keys():
        constraints["le"] = UPPER_BOUNDS[unit]
    return Field(default, description=desc,
                 json_schema_extra={"unit": unit, "kind": kind}, **constraints)


Month = Annotated[str, BeforeValidator(_month)]


def _one_of(item: BaseModel, single: str, pair: tuple[str, str]) -> None:
    """An amount given one way: ``single``, or both fields of ``pair`` (and not both ways).

    Raises
    ------
    ValueError
        Naming both accepted forms.
    """
    has_single = getattr(item, single) is not None
    given = [getattr(item, key) is not None for key in pair]
    if has_single == any(given) or (any(given) and not all(given)):
        raise ValueError(f"give either {single}, or both {pair[0]} and {pair[1]}")


SMALLEST = 1e-100
"""Smallest magnitude of a number other than 0: far below any figure anyone means, far enough
above the smallest float that no ratio of inputs overflows (a bond of 1e-300 元 made bond
coverage infinite)."""


def _not_vanishing(value: Any) -> Any:
    if isinstance(value, float) and value != 0 and abs(value) < SMALLEST:
        raise ValueError(f"{value!r} is too small to be meant; expected 0 or a number of magnitude at "
                         f"least {SMALLEST:g}")
    return value


class Model(BaseModel):
    """Base of every section: unknown keys and loose types are errors; numbers are finite, bounded
    and either 0 or of magnitude at least :data:`SMALLEST`."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=False, allow_inf_nan=False)

    @field_validator("*", mode="after")
    @classmethod
    def _numbers_not_vanishing(cls, value: Any) -> Any:
        return _not_vanishing(value)


class Window(Model):
    """A period over which an amount is spread (METHOD §1)."""

    start: Month = F(kind="date", desc="first month of the window")
    months: int = F(unit="months", kind="months", ge=0,
                    desc="duration; 0 puts everything in the start month")
    profile: Literal["even", "scurve"] | None = F(
        None, kind="text",
        desc="spreading: even, or scurve (3u²−2u³); default even for signing and "
             "demolition, scurve for construction and works")


class Timeline(Model):
    """Horizon, reporting periods and discounting."""

    start: Month = F(kind="text", desc="month 0 of the grid; every date is counted from it")
    frequency: Literal["month", "quarter", "year"] = F(
        "year", kind="text", desc="reporting period of tables and of gap financing")
    years: int = F(unit="years", kind="int", ge=1, le=100, desc="length of the horizon")
    discount_rate: float = F(0.0, unit="1/year", ge=-0.99, desc="annual rate for NPV")


class Site(Model):
    """What is acquired (征收范围)."""

    households: float = F(0.0, unit="households", ge=0, desc="households acquired (H)")
    residential_area_m2: float = F(0.0, unit="m²", ge=0,
                                   desc="legal floor area of the homes acquired (A)")
    nonresidential_area_m2: float = F(0.0, unit="m²", ge=0,
                                      desc="shops and workshops acquired (A_n)")
    demolition_area_m2: float = F(0.0, unit="m²", ge=0, desc="gross area demolished")


class Acquisition(Model):
    """Compensation and demolition (征收补偿, METHOD §2)."""

    signing: Window | None = F(None, kind="section",
                                  desc="signing window σ (default profile even)")
    house_value_yuan_m2: float | None = F(None, unit="元/m²", ge=0,
                                             desc="被征收房屋价值补偿 per m² of residential area")
    nonresidential_value_yuan_m2: float | None = F(None, unit="元/m²", ge=0,
                                                      desc="compensation per m² of non-residential area")
    moving_allowance_yuan_m2: float = F(0.0, unit="元/m²", ge=0, desc="搬迁费, per move")
    transition_allowance_yuan_m2_month: float = F(0.0, unit="元/m²/month", ge=0,
                                                  desc="临时安置费, in-kind households until handover")
    signing_reward_yuan_household: float = F(0.0, unit="元/household", ge=0, desc="签约奖励")
    demolition_works_yuan_m2: float | None = F(None, unit="元/m²", ge=0,
                                                  desc="拆除工程 per m² demolished")
    demolition: Window | None = F(None, kind="section",
                                     desc="demolition works window (default profile even)")


class Shares(Model):
    """Relocation shares, summing to 1."""

    cash: float = F(0.0, unit="share", ge=0, le=1, desc="cash compensation (货币补偿)")
    voucher: float = F(0.0, unit="share", ge=0, le=1, desc="housing vouchers (房票)")
    in_kind: float = F(0.0, unit="share", ge=0, le=1, desc="in-kind resettlement (实物安置)")


class BonusTier(Model):
    """Voucher bonus for redemptions at ages below ``within_months``."""

    within_months: int = F(unit="months", kind="int", ge=1, desc="upper bound of the tier's ages")
    rate: float = F(unit="share of face value", ge=0, desc="bonus on face value")


class VoucherReturn(Model):
    """Voucher households buying back into the community (房票回迁)."""

    share: float = F(0.0, unit="share", ge=0, le=1, desc="share of voucher households buying back")
    area_m2_household: float = F(0.0, unit="m²/household", ge=0, desc="area bought per household")
    market_price_yuan_m2: float = F(0.0, unit="元/m²", ge=0, desc="market price of that area")
    discount_rate: float = F(0.0, unit="share", ge=0, le=1, desc="discount paid by the platform")
    date: Month = F(kind="date", desc="month the discount is paid")


class Voucher(Model):
    """Housing vouchers (房票, METHOD §3)."""

    validity_months: int = F(unit="months", kind="int", ge=1, desc="validity L")
    redemption_rate: float = F(0.0, unit="share", ge=0, le=1, desc="share ρ redeemed before expiry")
    bonus_tiers: list[BonusTier] = F([], kind="list",
                                     desc="bonus by age, strictly increasing within_months")
    return_: VoucherReturn | None = Field(None, alias="return",
                                             json_schema_extra={"unit": None, "kind": "section"},
                                             description="discounted buy-back")

    model_config = ConfigDict(extra="forbid", strict=True, populate_by_name=True, allow_inf_nan=False)


class InKind(Model):
    """In-kind resettlement (实物安置, METHOD §4)."""

    area_ratio: float = F(1.0, unit="m² per m²", ge=0, desc="area returned per m² acquired (拆一还一 = 1)")
    extra_area_m2_household: float = F(0.0, unit="m²/household", ge=0, desc="增购面积 per household")
    extra_area_price_yuan_m2: float | None = F(None, unit="元/m²", ge=0,
                                                  desc="resident price for extra area")
    market_price_yuan_m2: float | None = F(None, unit="元/m²", ge=0,
                                              desc="market price, for the implied discount")
    construction_cost_yuan_m2: float | None = F(None, unit="元/m²", ge=0,
                                                   desc="resettlement housing cost")
    construction: Window | None = F(None, kind="section",
                                       desc="construction window (default profile scurve)")
    handover_lag_months: int = F(0, unit="months", kind="months", ge=0,
                                 desc="from completion to handover")


class Relocation(Model):
    """Relocation modes (安置方式)."""

    shares: Shares = F(kind="section", desc="cash, voucher and in-kind shares")
    cash_bonus_rate: float = F(0.0, unit="share", ge=0, desc="bonus on cash compensation")
    voucher: Voucher | None = F(None, kind="section", desc="required when the voucher share > 0")
    in_kind: InKind | None = F(None, kind="section", desc="required when the in-kind share > 0")


class WorkItem(Model):
    """A public facility or infrastructure item (METHOD §5)."""

    id: str = F(kind="id", desc="identifier, unique among works items")
    name: str | None = F(None, kind="text", desc="description")
    cost_yuan: float | None = F(None, unit="元", ge=0, desc="cost, or give area and unit cost")
    area_m2: float | None = F(None, unit="m²", ge=0, desc="floor area")
    unit_cost_yuan_m2: float | None = F(None, unit="元/m²", ge=0, desc="cost per m²")
    start: Month = F(kind="date", desc="first month of works")
    months: int = F(unit="months", kind="months", ge=0, desc="duration; completion = start + months")
    profile: Literal["even", "scurve"] | None = F(None, kind="text", desc="default scurve")
    escalation: float | None = F(None, unit="1/year", ge=-0.5,
                                    desc="own escalation, else works.escalation")

    @model_validator(mode="after")
    def _one_cost_form(self) -> WorkItem:
        _one_of(self, "cost_yuan", ("area_m2", "unit_cost_yuan_m2"))
        return self


class Works(Model):
    """Public works, soft costs and contingency (METHOD §5)."""

    escalation: float = F(0.0, unit="1/year", ge=-0.5, desc="construction price escalation g")
    soft_cost_rate: float = F(0.0, unit="share", ge=0, desc="工程建设其他费 on construction + works")
    contingency_rate: float = F(0.0, unit="share", ge=0, desc="预备费 on construction + works + soft costs")
    items: list[WorkItem] = F([], kind="list", desc="works items, merged by id")


class Payment(Model):
    """A land-premium installment."""

    after_months: int = F(0, unit="months", kind="months", ge=0, desc="months after the sale")
    share: float = F(unit="share", ge=0, le=1, desc="share of the premium")


class Uplift(Model):
    """Premium uplift earned by completed facilities (配套先行)."""

    rate: float = F(unit="share", ge=0, desc="uplift on the premium")
    requires: list[str] = F(kind="list", min_length=1,
                            desc="works item ids that must be complete by the sale month")


class Parcel(Model):
    """A land parcel sold (土地出让, METHOD §6)."""

    id: str = F(kind="id", desc="identifier, unique among parcels")
    use: str | None = F(None, kind="text", desc="land use (descriptive)")
    name: str | None = F(None, kind="text", desc="description")
    area_m2: float = F(unit="m²", ge=0, desc="land area")
    far: float = F(unit="m² floor per m² land", ge=0, desc="floor area ratio (容积率)")
    floor_price_yuan_m2: float = F(unit="元/m² floor", ge=0, desc="楼面地价")
    sale: Month = F(kind="date", desc="month of sale")
    payments: list[Payment] = Field(
        default_factory=lambda: [Payment(after_months=0, share=1.0)], min_length=1,
        description="installments, shares summing to 1; default all at sale",
        json_schema_extra={"unit": None, "kind": "list"})
    uplift: Uplift | None = F(None, kind="section", desc="uplift tied to facilities")


class Land(Model):
    """Land premium returned to the project (METHOD §6)."""

    deduction_rate: float = F(0.0, unit="share", ge=0, le=1, desc="计提 withheld from gross premium")
    return_rate: float = F(1.0, unit="share", ge=0, le=1, desc="share of the rest returned to the project")
    parcels: list[Parcel] = F([], kind="list", desc="parcels, merged by id")


class Ramp(Model):
    """Occupancy ramping from ``initial`` to ``stable`` over ``ramp_years``."""

    initial: float = F(unit="share", ge=0, le=1, desc="occupancy in the first operating month")
    stable: float = F(unit="share", ge=0, le=1, desc="occupancy once ramped up")
    ramp_years: float = F(unit="years", gt=0, desc="time to reach stable occupancy")


class Revenue(Model):
    """An operating revenue item (METHOD §7)."""

    id: str = F(kind="id", desc="identifier")
    name: str | None = F(None, kind="text", desc="description")
    amount_yuan_year: float | None = F(None, unit="元/year", ge=0, desc="annual amount")
    quantity: float | None = F(None, unit="m² or units", ge=0, desc="leasable quantity")
    unit_price_yuan_month: float | None = F(None, unit="元/unit/month", ge=0, desc="monthly price per unit")
    occupancy: float | Ramp = F(1.0, unit="share", bounded=False, desc="a constant share, or a ramp")

    @model_validator(mode="after")
    def _one_form(self) -> Revenue:
        _one_of(self, "amount_yuan_year", ("quantity", "unit_price_yuan_month"))
        if isinstance(self.occupancy, float) and not 0 <= self.occupancy <= 1:
            raise ValueError(f"occupancy must lie in [0, 1], got {self.occupancy}")
        return self


class Cost(Model):
    """An operating cost item (METHOD §7)."""

    id: str = F(kind="id", desc="identifier")
    name: str | None = F(None, kind="text", desc="description")
    amount_yuan_year: float = F(unit="元/year", ge=0, desc="annual amount")


class Operations(Model):
    """The operating period (运营期, METHOD §7)."""

    start: Month = F(kind="date", desc="first operating month O")
    years: int = F(unit="years", kind="int", ge=1, desc="operating period length")
    escalation: float = F(0.0, unit="1/year", ge=-0.5, desc="step-up on each operating anniversary")
    revenues: list[Revenue] = F([], kind="list", desc="revenue items, merged by id")
    costs: list[Cost] = F([], kind="list", desc="cost items, merged by id")


class Grant(Model):
    """A grant received (补助资金)."""

    id: str = F(kind="id", desc="identifier")
    name: str | None = F(None, kind="text", desc="description")
    amount_yuan: float = F(unit="元", ge=0, desc="amount")
    date: Month = F(kind="date", desc="month received")


class AmortizationStep(Model):
    """Principal repaid at an anniversary."""

    year: int = F(unit="years", kind="int", ge=1, desc="anniversary n")
    share: float = F(unit="share", ge=0, le=1, desc="share of the principal repaid")


class Bond(Model):
    """A special-purpose bond (专项债, METHOD §7)."""

    id: str = F(kind="id", desc="identifier")
    name: str | None = F(None, kind="text", desc="description")
    amount_yuan: float = F(unit="元", ge=0, desc="principal received at issue")
    issue: Month = F(kind="date", desc="month of issue")
    coupon_rate: float = F(0.0, unit="1/year", ge=0, desc="annual coupon on outstanding principal")
    term_years: int = F(unit="years", kind="int", ge=1, le=50, desc="term")
    amortization: Literal["bullet"] | list[AmortizationStep] = F(
        "bullet", kind="list", desc="bullet, or [{year, share}] summing to 1")


class Coverage(Model):
    """The special-bond self-balance test (专项债项目收益与融资自求平衡, METHOD §13)."""

    threshold: float = F(1.2, unit="ratio", kind="setting", gt=0,
                         desc="本息覆盖倍数 the bond life's coverage must reach (practice: 1.1–1.3)")
    include_grants: bool = F(False, kind="setting",
                             desc="count grants as revenue available for debt service")
    capitalise_construction_interest: bool = F(
        True, kind="setting",
        desc="interest due before the first year with revenue is paid from the bond proceeds "
             "(建设期利息资本化) and does not draw on the reserve")


class Financing(Model):
    """Bonds and gap financing (METHOD §7)."""

    bonds: list[Bond] = F([], kind="list", desc="bonds, merged by id")
    gap_rate: float = F(0.0, unit="1/year", ge=0, desc="rate on a cumulative deficit after bonds")
    deposit_rate: float = F(0.0, unit="1/year", ge=0, desc="rate on a cumulative surplus")
    coverage: Coverage = Field(default_factory=Coverage,
                               description="the self-balance table's threshold and conventions (METHOD §13)",
                               json_schema_extra={"unit": None, "kind": "section"})


class Risk(Model):
    """An uncertain input for Monte Carlo (METHOD §9)."""

    id: str = F(kind="id", desc="identifier")
    name: str | None = F(None, kind="text", desc="description")
    dist: dict[str, Any] = F(kind="dist", desc="distribution, e.g. {triangular: [lo, mode, hi]}")
    scale: list[str] = F([], kind="list", desc="target paths multiplied by the draw")
    set: list[str] = F([], kind="list", desc="target paths replaced by the draw")
    shift_months: list[str] = F([], kind="list", desc="date paths moved by the draw, in whole months")

    @model_validator(mode="after")
    def _has_effect(self) -> Risk:
        if not (self.scale or self.set or self.shift_months):
            raise ValueError("a risk needs at least one effect: scale, set or shift_months")
        return self


class StressCase(Model):
    """A stress case of the scenario's own (压力测试, METHOD §13), beside the standard ones."""

    id: str = F(kind="id", desc="identifier; not base, revenue_-10, opex_+10, land_delay_12 or combined")
    name: str | None = F(None, kind="text", desc="description shown in tables")
    scale: dict[str, float] = F({}, kind="mapping", unit="factor",
                                desc="{target path: factor}; numbers multiplied (paths as risk targets)")
    set: dict[str, float] = F({}, kind="mapping", desc="{target path: value}; numbers replaced")
    shift_months: dict[str, int] = F({}, kind="mapping", unit="months",
                                     desc="{target path: months}; dates and durations moved")

    @model_validator(mode="after")
    def _has_effect(self) -> StressCase:
        if not (self.scale or self.set or self.shift_months):
            raise ValueError("a stress case needs at least one effect: scale, set or shift_months")
        return self


class Simulation(Model):
    """Monte Carlo settings (command-line options override them)."""

    paths: int = F(10000, unit="paths", kind="int", ge=1, desc="number of paths")
    seed: int = F(0, kind="int", ge=0, le=2**63 - 1, desc="random seed")
    sampling: Literal["random", "lhs", "sobol"] = F("sobol", kind="text", desc="sampling method")
    correlation_repair: bool = F(False, kind="text",
                                 desc="use the nearest valid matrix when the correlations are not positive definite")


class ScenarioSchema(Model):
    """One project variant (METHOD §10)."""

    fcfinance: Annotated[Literal[1], BeforeValidator(_version)] = F(kind="int", desc="format version")
    name: str = F(kind="text", desc="project name")
    description: str | None = F(None, kind="text", desc="free text")
    timeline: Timeline = F(kind="section", desc="horizon and reporting")
    site: Site | None = F(None, kind="section", desc="absent: no acquisition")
    acquisition: Acquisition | None = F(None, kind="section", desc="absent: no acquisition")
    relocation: Relocation | None = F(None, kind="section", desc="absent: no relocation")
    works: Works | None = F(None, kind="section", desc="absent: no works")
    land: Land | None = F(None, kind="section", desc="absent: no land sales")
    operations: Operations | None = F(None, kind="section", desc="absent: no operations")
    grants: list[Grant] = F([], kind="list", desc="grants, merged by id")
    financing: Financing | None = F(None, kind="section", desc="absent: no bonds, no gap interest")
    risks: list[Risk] = F([], kind="list", desc="Monte Carlo risks; the base case ignores them")
    stress: list[StressCase] = F([], kind="list",
                                 desc="stress cases run beside the standard ones by fcfinance bond and stress")
    correlations: list[list[str | float]] = F(
        [], kind="list", desc="[[id_a, id_b, rho], ...] Spearman rank-correlation targets")
    simulation: Simulation = Field(default_factory=Simulation, description="Monte Carlo settings",
                                   json_schema_extra={"unit": None, "kind": "section"})

    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False)
