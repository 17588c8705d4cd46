"""Chinese names of the scenario's sections and fields, for messages in Chinese (``--lang zh``).

Keyed by the key as written in files; where the schema's description
(:mod:`fcfinance.scenario.schema`) already gives the Chinese term (楼面地价, 签约奖励, 计提 …) the
same term is used.  :func:`field_zh` names a dotted field path such as
``land.parcels.R1.floor_price_yuan_m2`` (→ ``R1 楼面地价``).
"""

from __future__ import annotations

SECTION_ZH: dict[str, str] = {
    "timeline": "时间轴", "site": "征收范围", "acquisition": "征收补偿", "relocation": "安置",
    "shares": "安置方式比例", "voucher": "房票", "in_kind": "实物安置", "return": "房票回迁",
    "bonus_tiers": "房票奖励档", "works": "配套工程", "items": "工程项目", "land": "土地出让",
    "parcels": "地块", "payments": "分期付款", "uplift": "配套先行溢价", "operations": "运营",
    "revenues": "运营收入", "costs": "运营成本", "grants": "补助资金", "financing": "融资",
    "bonds": "专项债", "amortization": "还本计划", "risks": "风险因素", "correlations": "相关性",
    "simulation": "模拟设置", "signing": "签约期", "demolition": "拆除期", "construction": "建设期",
    "occupancy": "出租率", "coverage": "本息覆盖测试", "stress": "压力测试",
}

FIELD_ZH: dict[str, str] = {
    # top level and timeline
    "fcfinance": "格式版本", "name": "名称", "description": "说明", "extends": "继承的基础方案",
    "start": "开始月份", "frequency": "报告期", "years": "年限", "discount_rate": "折现率",
    "months": "月数", "profile": "分布曲线",
    # site and acquisition
    "households": "被征收户数", "residential_area_m2": "住宅面积", "nonresidential_area_m2": "非住宅面积",
    "demolition_area_m2": "拆除面积", "house_value_yuan_m2": "被征收房屋价值补偿单价",
    "nonresidential_value_yuan_m2": "非住宅补偿单价", "moving_allowance_yuan_m2": "搬迁费",
    "transition_allowance_yuan_m2_month": "临时安置费", "signing_reward_yuan_household": "签约奖励",
    "demolition_works_yuan_m2": "拆除工程单价",
    # relocation
    "cash": "货币补偿比例", "in_kind": "实物安置比例", "cash_bonus_rate": "货币补偿奖励比例",
    "validity_months": "房票有效期", "redemption_rate": "房票使用率", "within_months": "奖励期限",
    "rate": "比例", "share": "比例", "area_m2_household": "户均面积", "market_price_yuan_m2": "市场价格",
    "date": "月份", "area_ratio": "拆一还一面积比", "extra_area_m2_household": "增购面积",
    "extra_area_price_yuan_m2": "增购单价", "construction_cost_yuan_m2": "安置房建设单价",
    "handover_lag_months": "交房滞后月数",
    # works
    "id": "标识", "cost_yuan": "造价", "area_m2": "面积", "unit_cost_yuan_m2": "单方造价",
    "escalation": "价格上涨率", "soft_cost_rate": "工程建设其他费率", "contingency_rate": "预备费率",
    # land
    "deduction_rate": "计提比例", "return_rate": "返还比例", "use": "用途", "far": "容积率",
    "floor_price_yuan_m2": "楼面地价", "sale": "出让月份", "after_months": "出让后月数",
    "requires": "前置配套",
    # operations
    "amount_yuan_year": "年金额", "quantity": "数量", "unit_price_yuan_month": "月单价",
    "initial": "初始出租率", "stable": "稳定出租率", "ramp_years": "爬坡年数",
    # financing and grants
    "amount_yuan": "金额", "issue": "发行月份", "coupon_rate": "票面利率", "term_years": "期限",
    "year": "还本年度", "gap_rate": "缺口融资利率", "deposit_rate": "存款利率",
    "threshold": "本息覆盖倍数门槛", "include_grants": "补助资金计入收益",
    "capitalise_construction_interest": "建设期利息资本化",
    # risks and simulation
    "dist": "分布", "scale": "乘数作用对象", "set": "取值作用对象", "shift_months": "推迟作用对象",
    "paths": "路径数", "seed": "随机种子", "sampling": "抽样方法", "correlation_repair": "相关矩阵修正",
}

_OWNED = {("voucher", "share"): "房票比例", ("return", "share"): "回迁比例", ("payments", "share"): "付款比例",
          ("amortization", "share"): "还本比例", ("uplift", "rate"): "溢价率",
          ("bonus_tiers", "rate"): "奖励比例", ("return", "discount_rate"): "回迁优惠比例",
          ("shares", "voucher"): "房票安置比例", ("return", "date"): "优惠支付月份",
          ("grants", "date"): "到账月份"}


def field_zh(path: str) -> str:
    """The Chinese name of a dotted field path, list items by id (``R1 楼面地价``); "" if unknown.

    Parameters
    ----------
    path : str
        As in :class:`~fcfinance.errors.Problem` (``land.parcels.R1.floor_price_yuan_m2``).
    """
    parts = [p for p in path.replace("[", ".[").split(".") if p]
    if not parts:
        return ""
    last = parts[-1]
    known = {*SECTION_ZH, *FIELD_ZH}
    parent = next((p for p in reversed(parts[:-1]) if p in known), "")
    name = _OWNED.get((parent, last)) or FIELD_ZH.get(last) or SECTION_ZH.get(last, "")
    if not name:
        return ""
    # a list item's id (a part that is no known key) names the item: "R1 楼面地价"; a generic
    # name gets its section: "时间轴 开始月份"
    item = next((p for p in reversed(parts[:-1]) if p not in known and not p.startswith("[")), "")
    owner = SECTION_ZH.get(parent, "") if not item and name in _GENERIC else ""
    return " ".join(x for x in (item or owner, name) if x)


_GENERIC = {"比例", "开始月份", "月数", "年限", "金额", "月份", "名称", "说明", "标识", "面积", "分布曲线",
            "价格上涨率", "年金额"}
