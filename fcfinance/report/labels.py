"""Words on the charts and in the workbook, in Chinese and English.

Line and metric names come from :mod:`fcfinance.names` (METHOD §12); this
module adds the groups of lines drawn together, the units, and names for the
risk ids used by the templates in ``models/`` (a risk's own ``name`` in the
scenario file wins over these).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..names import LINE_BY_KEY, METRIC_BY_KEY

LANGS = ("zh", "en")


def check_lang(lang: str) -> str:
    """``lang`` if it is 'zh' or 'en'.

    Raises
    ------
    ValueError
        For any other value.
    """
    if lang not in LANGS:
        raise ValueError(f"lang must be 'zh' or 'en', got {lang!r}")
    return lang


def tr(lang: str, zh: str, en: str) -> str:
    """The Chinese or the English text."""
    return zh if lang == "zh" else en


@dataclass(frozen=True)
class Category:
    """Lines drawn as one bar segment: key, names, member line keys."""

    key: str
    zh: str
    en: str
    lines: tuple[str, ...]

    def name(self, lang: str) -> str:
        return tr(lang, self.zh, self.en)


def _line(key: str) -> Category:
    spec = LINE_BY_KEY[key]
    zh = {"land_premium": "土地出让收入"}.get(key, spec.zh)  # the chart says "returned" in its note
    return Category(key, zh, spec.en, (key,))


INFLOW_CATEGORIES: tuple[Category, ...] = tuple(
    _line(k) for k in ("land_premium", "resident_purchases", "operating_revenue", "grants"))
"""Project inflows (METHOD §8), one line each."""

OUTFLOW_CATEGORIES: tuple[Category, ...] = (
    Category("acquisition", "征收补偿", "Acquisition and compensation",
             ("cash_compensation", "signing_rewards", "moving_allowance", "transition_allowance",
              "demolition_works")),
    Category("vouchers", "房票", "Housing vouchers",
             ("voucher_redemption", "voucher_expiry", "voucher_return_discount")),
    Category("resettlement", "安置房建设", "Resettlement housing", ("resettlement_construction",)),
    Category("works", "公共配套及基础设施", "Public facilities and infrastructure", ("public_works",)),
    Category("soft", "工程建设其他费及预备费", "Soft costs and contingency", ("soft_costs", "contingency")),
    Category("operating", "运营成本", "Operating costs", ("operating_costs",)),
)
"""Project outflows (METHOD §8) in groups; every outflow line is in exactly one."""

RISK_NAMES: dict[str, tuple[str, str]] = {
    "land_market": ("土地市场（楼面地价）", "Land market (floor price)"),
    "sale_delay": ("土地出让延期", "Land sale delay"),
    "r2_sale_delay": ("R2地块出让延期", "Parcel R2 sale delay"),
    "holdouts": ("个别户未签约致拆除延期", "Holdouts delay demolition"),
    "build_cost": ("建安成本", "Construction cost"),
    "works_delay": ("工期延误", "Works delay"),
    "voucher_share": ("房票安置比例", "Voucher share"),
    "voucher_bonus": ("房票奖励比例", "Voucher bonus"),
    "redemption": ("房票使用率", "Voucher redemption rate"),
    "rent": ("运营租金水平", "Rent level"),
    "gap_rate": ("缺口融资利率", "Gap financing rate"),
    "subsidy_granted": ("改造补助获批", "Renovation subsidy granted"),
    "owners_consent": ("业主同意（金角银边）", "Owners' consent"),
    "apartment_occupancy": ("人才公寓出租率", "Apartment occupancy"),
}
"""Names of the risk ids used in ``models/`` and ``scenarios/``."""


USE_NAMES: dict[str, tuple[str, str]] = {
    "residential": ("住宅用地", "residential"),
    "commercial": ("商业用地", "commercial"),
    "mixed": ("商住混合用地", "mixed use"),
    "office": ("商务办公用地", "office"),
    "industrial": ("工业用地", "industrial"),
    "public": ("公共设施用地", "public"),
}
"""Chinese names of common ``land.parcels.*.use`` values."""


def use_name(use: str | None, lang: str) -> str:
    """A parcel's land use as written, or its Chinese name when known."""
    if not use:
        return ""
    known = USE_NAMES.get(use.strip().lower())
    return tr(lang, *known) if known else use


def risk_label(risk_id: str, name: str | None, lang: str) -> str:
    """A risk's label: its own ``name``, else a known name, else its id."""
    if name:
        return name
    known = RISK_NAMES.get(risk_id)
    return tr(lang, *known) if known else risk_id


def line_name(key: str, lang: str) -> str:
    """Name of a line of METHOD §11/§12."""
    spec = LINE_BY_KEY[key]
    return tr(lang, spec.zh, spec.en)


def metric_name(key: str, lang: str) -> str:
    """Name of a metric of METHOD §8/§12."""
    spec = METRIC_BY_KEY[key]
    return tr(lang, spec.zh, spec.en)


SAMPLING_NAMES: dict[str, tuple[str, str]] = {
    "random": ("随机抽样", "random"),
    "lhs": ("拉丁超立方抽样", "lhs"),
    "sobol": ("Sobol 低差异序列", "sobol"),
}
"""Sampling methods of ``simulation.sampling``."""


VALUE_NAMES: dict[str, str] = {
    **{k: v[0] for k, v in USE_NAMES.items()},
    "cash": "货币补偿", "voucher": "房票安置", "in_kind": "实物安置",
    "month": "月", "quarter": "季度", "year": "年",
    "even": "均匀", "scurve": "S 曲线",
    **{k: v[0] for k, v in SAMPLING_NAMES.items()},
}
"""Chinese for the words a scenario file uses as values (a parcel's use, a mode, a frequency, a profile)."""


def sampling_name(method: str, lang: str) -> str:
    """A sampling method as the pack names it (``sobol`` → ``Sobol 低差异序列``)."""
    known = SAMPLING_NAMES.get(method)
    return tr(lang, *known) if known else method


def value_text(value: object, lang: str) -> object:
    """A scenario value for a reader: in Chinese a known word becomes ``住宅用地（residential）``;
    numbers and other text are returned as they are."""
    if lang != "zh" or not isinstance(value, str):
        return value
    known = VALUE_NAMES.get(value.strip().lower())
    return f"{known}（{value}）" if known else value


_NOTE_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"^(\w+): ([\d,]+) paths rounded up to ([\d,]+)(?: \((\d+) replicates × (\d+)\))?, (.*)$",
     "{m}：路径数 {1} 向上取整为 {2}{rep}（{why}）"),
    (r"^on ([\d.]+%) of paths a flow was pushed past the horizon and booked in the last month$",
     "{0} 的路径中有现金流被推迟到测算期之外，计入最后一个月"),
    (r"^stopped at ([\d,]+) paths: standard error of P\(balanced\) ([\d.]+) ≤ target ([\d.e-]+)$",
     "在 {0} 条路径处停止：P(资金平衡) 的标准误 {1} ≤ 目标 {2}"),
    (r"^target standard error ([\d.e-]+) not reached: ([\d.]+) at the maximum of ([\d,]+) paths$",
     "未达到目标标准误 {0}：在路径上限 {2} 条时为 {1}"),
    (r"^rank-correlation targets are not positive definite \(smallest eigenvalue ([^)]*)\); "
     r"using the nearest valid matrix, (.*)$",
     "秩相关系数目标矩阵非正定（最小特征值 {0}），已改用最近的有效矩阵；{1}"),
    (r"^the normal-scores matrix calibrated to the rank-correlation targets is not positive definite; "
     r"using the nearest valid one, (.*)$",
     "按秩相关目标标定的正态得分相关矩阵非正定，已改用最近的有效矩阵；{0}"),
)
"""The simulation's notes (fcfinance.montecarlo) and their Chinese wording."""


def note_text(text: str, lang: str) -> str:
    """A simulation note in the pack's language; a note without a Chinese wording keeps its English,
    marked ``（英文原文）`` so that a reader knows it was not translated."""
    import re

    if lang != "zh":
        return text
    for pattern, zh in _NOTE_PATTERNS:
        m = re.match(pattern, text)
        if m is None:
            continue
        groups = m.groups()
        if zh.startswith("{m}"):
            method, n, n_run, reps, per, why = groups
            rep = f"（{reps} 组重复 × {per}）" if reps else ""
            reason = "2 的整数次幂" if "power of two" in why else "各组重复等长"
            return (f"{sampling_name(method, 'zh')}：路径数 {n} 向上取整为 {n_run}{rep}"
                    f"（{reason}）")
        return zh.format(*groups)
    return f"{text}（英文原文）"
