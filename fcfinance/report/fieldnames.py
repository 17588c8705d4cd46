"""Chinese names of scenario fields, for labels a panel reads (the diff bridge, the workbook's inputs).

A field path as the scenario files and ``fcfinance diff`` write it —
``land.parcels.R1.floor_price_yuan_m2`` — reads ``R1 楼面地价``: the item's
id, then the field's name.  Names follow the schema
(:mod:`fcfinance.scenario.schema`) and the terms of METHOD §12; a field
missing here keeps its key.
"""

from __future__ import annotations

from .labels import tr

SECTIONS: dict[str, str] = {
    "timeline": "时间轴", "site": "征收范围", "acquisition": "征收补偿", "relocation": "安置",
    "works": "工程", "land": "土地出让", "operations": "运营", "grants": "补助资金", "financing": "融资",
    "risks": "风险", "correlations": "风险相关性", "simulation": "模拟设置",
}
"""Top-level sections."""

LISTS = {"parcels", "items", "revenues", "costs", "bonds", "grants", "risks", "bonus_tiers", "payments",
         "amortization"}
"""Lists whose entries are named by their id (or index) in a path."""

FIELDS: dict[str, str] = {
    # scenario
    "fcfinance": "格式版本", "name": "名称", "description": "说明", "extends": "继承",
    # timeline
    "start": "开始月份", "frequency": "报告期", "years": "年限", "discount_rate": "折现率",
    "timeline.start": "测算起始月", "timeline.years": "测算年限",
    # site and acquisition
    "households": "户数", "residential_area_m2": "住宅面积", "nonresidential_area_m2": "非住宅面积",
    "demolition_area_m2": "拆除面积", "signing": "签约期", "house_value_yuan_m2": "住宅评估单价",
    "nonresidential_value_yuan_m2": "非住宅评估单价", "moving_allowance_yuan_m2": "搬迁费单价",
    "transition_allowance_yuan_m2_month": "临时安置费（每月每平方米）",
    "signing_reward_yuan_household": "签约奖励（每户）", "demolition_works_yuan_m2": "拆除工程单价",
    "demolition": "拆除期", "months": "月数", "profile": "分布方式",
    # relocation
    "shares": "安置比例", "cash": "货币补偿", "voucher": "房票安置", "in_kind": "实物安置",
    "shares.cash": "货币补偿比例", "shares.voucher": "房票安置比例", "shares.in_kind": "实物安置比例",
    "cash_bonus_rate": "货币补偿奖励比例", "validity_months": "房票有效期（月）", "redemption_rate": "房票使用率",
    "bonus_tiers": "房票奖励档位", "within_months": "档位期限（月）", "rate": "比例", "return": "回迁购房",
    "area_m2_household": "户均购房面积", "market_price_yuan_m2": "市场价", "date": "日期",
    "area_ratio": "安置面积比（拆一还一 = 1）", "extra_area_m2_household": "户均增购面积",
    "extra_area_price_yuan_m2": "增购面积单价", "construction_cost_yuan_m2": "安置房建安单价",
    "construction": "安置房建设期", "handover_lag_months": "交付滞后（月）",
    "voucher.return.discount_rate": "回迁优惠比例",
    # works
    "escalation": "价格上涨率", "soft_cost_rate": "工程建设其他费率", "contingency_rate": "预备费率",
    "items": "工程项目", "cost_yuan": "造价", "area_m2": "面积", "unit_cost_yuan_m2": "建安单价",
    # land
    "deduction_rate": "计提比例", "return_rate": "返还比例", "parcels": "地块", "use": "用途",
    "far": "容积率", "floor_price_yuan_m2": "楼面地价", "sale": "出让月份", "payments": "分期缴款",
    "after_months": "出让后月数", "share": "比例", "uplift": "配套先行溢价", "uplift.rate": "溢价率",
    "requires": "所需配套",
    # operations
    "revenues": "运营收入", "costs": "运营成本", "amount_yuan_year": "年金额", "quantity": "可租数量",
    "unit_price_yuan_month": "月租单价", "occupancy": "出租率", "initial": "初始出租率", "stable": "稳定出租率",
    "ramp_years": "爬坡年数", "operations.start": "运营起始月", "operations.years": "运营年限",
    # grants and financing
    "amount_yuan": "金额", "bonds": "专项债", "issue": "发行月份", "coupon_rate": "票面利率",
    "term_years": "期限（年）", "amortization": "还本计划", "year": "年度", "gap_rate": "缺口融资利率",
    "deposit_rate": "存款利率",
    # risks and simulation
    "dist": "分布", "scale": "缩放对象", "set": "取值对象", "shift_months": "平移对象", "paths": "模拟次数",
    "seed": "随机种子", "sampling": "抽样方法", "correlation_repair": "相关矩阵修正",
}
"""Field names; a key ``parent.field`` wins over ``field`` where a word means different things."""


TOP = {"name": "项目名称", "description": "项目说明"}
"""Top-level fields whose name is more specific than the same word deeper down."""

QUALIFIED = {"signing", "demolition", "construction", "return", "uplift", "occupancy"}
"""Sub-sections whose fields read with the sub-section's name first (签约期开始月份)."""


def field_label(path: str, lang: str = "zh") -> str:
    """A field path as a panel reads it.

    Parameters
    ----------
    path : str
        Dotted path, e.g. ``land.parcels.R1.floor_price_yuan_m2``; several joined
        by `` + `` (a step of the bridge) are labelled one by one.
    lang : {'zh', 'en'}
        'en' keeps the last two segments of each path (``R1.floor_price_yuan_m2``).

    Returns
    -------
    str
        ``R1 楼面地价``; ``name`` → ``名称``; an unknown field keeps its key.
    """
    if " + " in path:
        return tr(lang, "、", " + ").join(field_label(p, lang) for p in path.split(" + "))
    parts = [p for p in path.split(".") if p]
    if lang == "en":
        return ".".join(parts[-2:])
    if len(parts) == 1:
        return TOP.get(parts[0]) or FIELDS.get(parts[0]) or SECTIONS.get(parts[0], parts[0])
    ids = [parts[i + 1] for i in range(len(parts) - 1) if parts[i] in LISTS]
    leaf = parts[-1]
    parent = parts[-2]
    name = (FIELDS.get(f"{parts[-3]}.{parent}.{leaf}") if len(parts) > 2 else None) \
        or FIELDS.get(f"{parent}.{leaf}") or FIELDS.get(leaf)
    if leaf.startswith("{") and leaf.endswith("}"):  # several fields changed together: {voucher, in_kind}
        keys = [k.strip() for k in leaf[1:-1].split(",")]
        name = "、".join(FIELDS.get(f"{parent}.{k}") or FIELDS.get(k, k) for k in keys)
    if name is None:
        name = SECTIONS.get(leaf, leaf)
    elif parent in QUALIFIED and f"{parent}.{leaf}" not in FIELDS:
        name = f"{FIELDS[parent]}{name}"
    if parts[0] in ("risks", "correlations") and not ids:
        ids = parts[1:2] if len(parts) > 2 else []
    if leaf in ids:  # a whole list entry added or removed: section and id
        return f"{SECTIONS.get(parts[0], parts[0])} {leaf}"
    return " ".join(ids + [name])
