"""Line items and metrics: keys, signs, Chinese and English names, units (METHOD §8, §11, §12)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LineSpec:
    """A cash-flow line: key, sign (+1 inflow, −1 outflow), group, names."""

    key: str
    sign: int
    group: str  # 'inflow', 'outflow' or 'financing'
    zh: str
    en: str


LINES: list[LineSpec] = [
    LineSpec("land_premium", +1, "inflow", "土地出让收入（返还项目）", "Land premium (returned)"),
    LineSpec("resident_purchases", +1, "inflow", "居民增购房款", "Resident purchases"),
    LineSpec("operating_revenue", +1, "inflow", "运营收入", "Operating revenue"),
    LineSpec("grants", +1, "inflow", "补助资金", "Grants"),
    LineSpec("cash_compensation", -1, "outflow", "货币补偿", "Cash compensation"),
    LineSpec("signing_rewards", -1, "outflow", "签约奖励", "Signing rewards"),
    LineSpec("moving_allowance", -1, "outflow", "搬迁费", "Moving allowance"),
    LineSpec("transition_allowance", -1, "outflow", "临时安置费", "Transition allowance"),
    LineSpec("voucher_redemption", -1, "outflow", "房票兑付", "Voucher redemption"),
    LineSpec("voucher_expiry", -1, "outflow", "房票到期结算", "Voucher expiry settlement"),
    LineSpec("voucher_return_discount", -1, "outflow", "房票回迁优惠", "Voucher buy-back discount"),
    LineSpec("demolition_works", -1, "outflow", "拆除工程费", "Demolition works"),
    LineSpec("resettlement_construction", -1, "outflow", "安置房建设费", "Resettlement construction"),
    LineSpec("public_works", -1, "outflow", "公共配套及基础设施建设费", "Public facilities and infrastructure"),
    LineSpec("soft_costs", -1, "outflow", "工程建设其他费", "Soft costs"),
    LineSpec("contingency", -1, "outflow", "预备费", "Contingency"),
    LineSpec("operating_costs", -1, "outflow", "运营成本", "Operating costs"),
    LineSpec("bond_proceeds", +1, "financing", "专项债发行收入", "Bond proceeds"),
    LineSpec("bond_interest", -1, "financing", "专项债利息", "Bond interest"),
    LineSpec("bond_principal", -1, "financing", "专项债还本", "Bond principal"),
    LineSpec("gap_interest", -1, "financing", "缺口融资利息", "Gap financing interest"),
    LineSpec("deposit_interest", +1, "financing", "存款利息", "Deposit interest"),
]
LINE_BY_KEY = {spec.key: spec for spec in LINES}
PROJECT_LINES = [s for s in LINES if s.group != "financing"]


@dataclass(frozen=True)
class MetricSpec:
    """A metric of METHOD §8: key, names, unit."""

    key: str
    zh: str
    en: str
    unit: str  # '万元', 'percent' (a share shown as %), 'ratio', 'rate', 'years', 'month'


METRICS: list[MetricSpec] = [
    MetricSpec("project_inflows", "项目总收入", "Project inflows", "万元"),
    MetricSpec("project_outflows", "项目总支出", "Project outflows", "万元"),
    MetricSpec("net_balance", "资金结余（负为资金缺口）", "Net balance (negative = gap)", "万元"),
    MetricSpec("balance_ratio", "资金平衡率", "Balance ratio", "percent"),
    MetricSpec("npv", "净现值", "NPV", "万元"),
    MetricSpec("irr", "内部收益率", "IRR", "rate"),
    MetricSpec("peak_funding_need", "资金峰值", "Peak funding need", "万元"),
    MetricSpec("peak_funding_period", "资金峰值出现时点", "Peak funding period", "month"),
    MetricSpec("payback_years", "回收期（年）", "Payback", "years"),
    MetricSpec("bond_coverage", "本息覆盖倍数", "Bond coverage", "ratio"),
    MetricSpec("ending_balance", "期末资金余额（融资后）", "Ending balance (after financing)", "万元"),
    MetricSpec("financing_cost", "融资成本", "Financing cost", "万元"),
    MetricSpec("operating_ratio", "运营收支比", "Operating ratio", "ratio"),
    MetricSpec("resident_discount_value", "居民优惠总额", "Resident discounts", "万元"),
    MetricSpec("land_premium_gross", "土地出让总价款", "Gross land premium", "万元"),
]
METRIC_BY_KEY = {spec.key: spec for spec in METRICS}

WAN = 10_000.0
"""Yuan per 万元."""
