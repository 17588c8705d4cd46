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
