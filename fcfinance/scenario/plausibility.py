"""Plausibility warnings: values that validate but are more likely a unit slip than a real project.

The ranges are declared once, in :data:`RANGES`, from the table "Plausible
magnitudes, for warnings" of ``../shared/DOMAIN.md`` (Zhejiang 2020s,
*assumed* there).  A value outside its range is not rejected — it computes —
but the scenario carries a :class:`PlausibilityWarning` naming the file,
line, field, value, the plausible range and, where a typical slip explains
the value, the value probably meant:

* a rate written as a percentage (``rate: 20`` for 20%): divide by 100;
* an amount in 元 written in 万元 (``amount_yuan: 80000`` for 8 亿元,
  ``floor_price_yuan_m2: 1.15`` for 1.15 万元/m²): multiply by 10,000;
* an area in m² written in hectares (公顷): multiply by 10,000.

``fcfinance run/validate/simulate/report`` print the warnings (stderr in
text mode, a ``warnings`` list in the JSON) and ``--strict`` turns them
into errors (exit status 2).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..errors import Problem
from .source import locate

SOURCE = "DOMAIN.md, Plausible magnitudes, for warnings"


@dataclass(frozen=True)
class Range:
    """A plausible range for the fields matching ``pattern`` (dotted, ``*`` for any list item).

    ``slip`` names the typical mistake tried when a value falls outside:
    ``percent`` (÷100), ``wan`` (×10,000: 万元 for 元) or ``hectare``
    (×10,000: 公顷 for m²).
    """

    pattern: str
    low: float
    high: float
    unit: str
    slip: str | None
    zh: str
    en: str


RATE_SLIP = "percent"
_RATES = [("timeline.discount_rate", "折现率", "discount rate"),
          ("works.escalation", "建安价格上涨率", "construction escalation"),
          ("works.items.*.escalation", "建安价格上涨率", "construction escalation"),
          ("works.soft_cost_rate", "工程建设其他费率", "soft cost rate"),
          ("works.contingency_rate", "预备费率", "contingency rate"),
          ("operations.escalation", "运营价格上涨率", "operating escalation"),
          ("financing.bonds.*.coupon_rate", "专项债票面利率", "bond coupon rate"),
          ("financing.gap_rate", "缺口融资利率", "gap financing rate"),
          ("financing.deposit_rate", "存款利率", "deposit rate"),
          ("relocation.voucher.bonus_tiers.*.rate", "房票奖励比例", "voucher bonus rate"),
          ("relocation.cash_bonus_rate", "货币补偿奖励比例", "cash bonus rate"),
          ("land.deduction_rate", "计提比例", "deduction rate"),
          ("land.parcels.*.uplift.rate", "配套先行溢价率", "uplift rate")]

RANGES: list[Range] = [
    Range("land.parcels.*.floor_price_yuan_m2", 1_000, 60_000, "元/m²", "wan", "楼面地价", "floor price"),
    Range("acquisition.house_value_yuan_m2", 3_000, 80_000, "元/m²", "wan", "被征收房屋价值", "house value"),
    Range("acquisition.nonresidential_value_yuan_m2", 3_000, 80_000, "元/m²", "wan",
          "非住宅补偿单价", "non-residential value"),
    Range("relocation.in_kind.construction_cost_yuan_m2", 1_500, 12_000, "元/m²", "wan",
          "安置房建设单价", "resettlement construction cost"),
    Range("works.items.*.unit_cost_yuan_m2", 100, 12_000, "元/m²", "wan", "配套工程单价", "works unit cost"),
    Range("acquisition.moving_allowance_yuan_m2", 5, 100, "元/m²", None, "搬迁费", "moving allowance"),
    Range("acquisition.transition_allowance_yuan_m2_month", 5, 80, "元/m²/月", None,
          "临时安置费", "transition allowance"),
    Range("acquisition.signing_reward_yuan_household", 0, 500_000, "元/户", "wan", "签约奖励", "signing reward"),
    *[Range(path, 0, 0.3, "", RATE_SLIP, zh, en) for path, zh, en in _RATES],
    Range("financing.bonds.*.amount_yuan", 1e7, 2e10, "元", "wan", "专项债金额", "bond amount"),
    Range("grants.*.amount_yuan", 1e5, 2e9, "元", "wan", "补助资金", "grant amount"),
    Range("site.households", 10, 20_000, "户", None, "被征收户数", "households"),
    Range("site.residential_area_m2", 1_000, 5e6, "m²", "hectare", "住宅面积", "residential area"),
    Range("site.nonresidential_area_m2", 1_000, 5e6, "m²", "hectare", "非住宅面积", "non-residential area"),
    Range("site.demolition_area_m2", 1_000, 5e6, "m²", "hectare", "拆除面积", "demolition area"),
    Range("land.parcels.*.area_m2", 1_000, 5e6, "m²", "hectare", "地块面积", "parcel area"),
]
"""Plausible ranges [DOMAIN.md: Plausible magnitudes, for warnings].  Floor prices take the wider of
the residential (2,000 … 60,000) and commercial (1,000 … 40,000) ranges; non-residential compensation
that of houses; works unit costs start at 100 元/m², not 1,500, since works items include renovation of
existing buildings (the bundled 整合提升 models use 450–600 元/m², *assumed*); the rates row covers every
rate field that the schema does not already bound by 1.  A value of 0 is "none" and never warned about."""


@dataclass(frozen=True)
class PlausibilityWarning:
    """A value outside its plausible range.

    Attributes
    ----------
    file, line, path : str, int or None, str
        Where the value was written and its field path (list items by id).
    value : float
    rule : Range
    likely : float or None
        The value probably meant, when a typical slip brings it into range.
    """

    file: str
    line: int | None
    path: str
    value: float
    rule: Range
    likely: float | None

    def message(self, lang: str = "en") -> str:
        """What is odd and what was probably meant."""
        r = self.rule
        unit = f" {r.unit}" if r.unit else ""
        span = f"{_num(r.low)} … {_num(r.high)}{unit}"
        if lang == "zh":
            text = f"{r.zh} {_num(self.value)}{unit} 超出常见范围 {span}（{SOURCE}）"
            if self.likely is not None:
                text += f"；可能应为 {_num(self.likely)}{unit}（{_SLIP_ZH[r.slip]}）"
            return text
        text = f"{r.en} {_num(self.value)}{unit} is outside the plausible range {span} ({SOURCE})"
        if self.likely is not None:
            text += f"; likely meant {_num(self.likely)}{unit} ({_SLIP_EN[r.slip]})"
        return text

    def __str__(self) -> str:
        return str(self.to_problem())

    def to_problem(self, lang: str = "en") -> Problem:
        """The warning as a problem (``--strict``)."""
        return Problem(self.file, self.line, self.path, self.message(lang))

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """The JSON form: file, line, field, value, range, likely value, message."""
        return {"file": self.file, "line": self.line, "field": self.path, "value": self.value,
                "plausible_range": [self.rule.low, self.rule.high], "unit": self.rule.unit,
                "likely": self.likely, "message": self.message(lang)}


_SLIP_ZH = {"percent": "比例误写成百分数：20 表示 20%，应写作 0.20",
            "wan": "单位可能误用万元，此处应填元",
            "hectare": "单位可能误用公顷，此处应填 m²"}
_SLIP_EN = {"percent": "a percentage written for a fraction: 20 means 0.20",
            "wan": "the amount written in 万元 where 元 is expected",
            "hectare": "the area written in hectares where m² is expected"}


def _num(x: float) -> str:
    return f"{x:,.10g}" if abs(x) >= 1 or x == 0 else f"{x:.10g}"


def _likely(rule: Range, value: float) -> float | None:
    """The value a typical slip would have meant, if that value is plausible."""
    if rule.slip == "percent" and value >= 1:
        guess = value / 100
    elif rule.slip in ("wan", "hectare") and value < rule.low:
        guess = value * 10_000
    else:
        return None
    return guess if rule.low <= guess <= rule.high else None


def likely_meant(loc: list[Any], value: Any) -> float | None:
    """The value a typical unit slip would have meant at a location, or None.

    Used for values the schema rejects outright (``gap_rate: 20`` exceeds the
    bound of 1): the error then says what was probably meant.

    Parameters
    ----------
    loc : list
        Keys and list indices from the document's root (pydantic's ``loc``).
    value : any
        The value written.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    pattern = [("*" if isinstance(k, int) else str(k)) for k in loc]
    rule = next((r for r in RANGES if r.pattern.split(".") == pattern), None)
    return None if rule is None else _likely(rule, float(value))


def _walk(node: Any, keys: list[str], loc: list[Any]) -> Iterator[tuple[list[Any], Any]]:
    """(location, value) of every value of the document at a dotted pattern."""
    if not keys:
        yield loc, node
        return
    key, rest = keys[0], keys[1:]
    if key == "*":
        if isinstance(node, list):
            for i, item in enumerate(node):
                yield from _walk(item, rest, loc + [i])
    elif isinstance(node, dict) and key in node:
        yield from _walk(node[key], rest, loc + [key])


def check_plausibility(doc: Any) -> list[PlausibilityWarning]:
    """Every value of a merged, validated document outside its plausible range (:data:`RANGES`).

    Parameters
    ----------
    doc : SourceDict
        The merged document, which keeps each value's file and line.
    """
    out = []
    for rule in RANGES:
        for loc, value in _walk(doc, rule.pattern.split("."), []):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                continue
            if value == 0 or rule.low <= value <= rule.high:
                continue
            file, line, path = locate(doc, loc)
            out.append(PlausibilityWarning(file, line, path, float(value), rule, _likely(rule, float(value))))
    return out
