"""The special-bond self-balance test in the hearing pack (METHOD §13): a chart and a workbook sheet.

:func:`bond_self_balance` draws net revenue and debt service by year with the
cumulative reserve and each year's coverage, the threshold marked on a
coverage panel below; :func:`bond_sheet` writes the table in the layout of a
bond application's 项目收益与融资自求平衡表 (items as rows, years as columns,
a total column), the life coverage, the verdict and the stress cases.
Both take a :class:`~fcfinance.bond.BondTable`; nothing is computed here.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ..bond import BondTable
from .labels import check_lang, tr
from .style import (
    FIGSIZE,
    FOOTER,
    GREY,
    HEADER,
    INK,
    NEGATIVE,
    POSITIVE,
    ZERO,
    footer,
    house_style,
    money_unit,
    note,
    provenance,
    titles,
)

STEM = "08-bond-self-balance"
TITLE = ("专项债项目收益与融资自求平衡", "Special-bond self-balance")
"""File stem and (zh, en) title of the chart in the hearing pack."""

SHEET = ("专项债自求平衡", "bond_self_balance")
"""Workbook sheet name (zh, en)."""


def _coverage(value: float) -> str:
    return "—" if value is None or value != value else f"{value:.2f}"


def bond_self_balance(table: BondTable, lang: str = "zh", *, date: str | None = None) -> Figure:
    """专项债自求平衡图: net revenue and debt service by year, the reserve, coverage against the threshold.

    Parameters
    ----------
    table : BondTable
        From :func:`fcfinance.stress_cases.run_stress` (``.bond_table()``).
    lang : {'zh', 'en'}
    date : str, optional
        Date in the provenance footer (default: today).

    Returns
    -------
    matplotlib.figure.Figure
        Money in 万元, or 亿元 when amounts reach 10 亿元; coverage as a ratio.
    """
    check_lang(lang)
    rows = table.rows
    years = [str(y) for y in table.years]
    x = np.arange(len(years))
    with house_style():
        fig = Figure(figsize=FIGSIZE, layout="constrained")
        fig.get_layout_engine().set(rect=(0.0, FOOTER, 1.0, 1.0 - HEADER - FOOTER), w_pad=0.08)
        ax, cov = fig.subplots(2, 1, sharex=True, height_ratios=[3, 1.3])
        unit = money_unit(rows["net_revenue"], rows["debt_service"], rows["reserve"])
        net_label = tr(lang, "可用于还本付息的项目收益", "Net revenue for debt service")
        debt_label = tr(lang, "本息合计（含资本化的建设期利息）", "Debt service (incl. construction interest)")
        reserve_label = tr(lang, "累计结余", "Cumulative reserve")
        ax.bar(x - 0.19, rows["net_revenue"], 0.38, color=POSITIVE, zorder=3, edgecolor=INK, linewidth=0.6)
        ax.bar(x + 0.19, rows["debt_service"], 0.38, color="#fdae6b", zorder=3, edgecolor=INK, linewidth=0.6)
        ax.bar(x + 0.19, rows["capitalised"], 0.38, color="white", hatch="//", zorder=3, edgecolor=INK,
               linewidth=0.6)
        ax.plot(x, rows["reserve"], color=INK, linewidth=2.4, marker="o", markersize=4, zorder=5)
        short = table.first_shortfall_year
        if short is not None:
            i = table.years.index(short)
            ax.plot([x[i]], [rows["reserve"][i]], marker="v", markersize=13, color=NEGATIVE,
                    markeredgecolor=INK, zorder=6)
            ax.annotate(tr(lang, f"{short} 年起累计结余为负", f"Reserve negative from {short}"),
                        (x[i], rows["reserve"][i]), xytext=(14, -4), textcoords="offset points", va="top",
                        fontsize=12, bbox={"boxstyle": "round,pad=0.25", "fc": "white", "ec": GREY, "lw": 0.6})
        ax.axhline(0, color=ZERO, linewidth=1.0, zorder=2)
        ax.yaxis.set_major_formatter(unit.formatter())
        ax.set_ylabel(tr(lang, f"金额（{unit.zh}）", f"Amount, {unit.en}"))
        low, high = ax.get_ylim()
        ax.set_ylim(low - (0.1 * (high - low) if short is not None else 0.0), high + 0.08 * (high - low))

        coverage = np.asarray(rows["coverage"], dtype=float)
        shown = np.isfinite(coverage)
        life = table.coverage_life
        # the axis shows the threshold and the life coverage; a year far above them is cut, its label says how far
        top = max([table.threshold * 1.6] + ([life * 1.15] if life == life else [])
                  + [c for c in coverage[shown] if c < 3 * table.threshold])
        ax_cov = np.clip(coverage, 0.0, top)
        cov.bar(x[shown], ax_cov[shown], 0.5, color=["#9ecae1" if c >= table.threshold else "#f4a582"
                                                     for c in coverage[shown]], edgecolor=INK, linewidth=0.6,
                zorder=3)
        for xi, c, shown_c in zip(x[shown], coverage[shown], ax_cov[shown]):
            cov.annotate(_coverage(c), (xi, shown_c), xytext=(0, 2), textcoords="offset points", ha="center",
                         va="bottom", fontsize=9.5)
        cov.axhline(table.threshold, color=NEGATIVE, linestyle=(0, (5, 3)), linewidth=1.6, zorder=4)
        if life == life:
            cov.axhline(life, color=INK, linewidth=1.4, zorder=4)
        cov.set_ylim(0, top * 1.25)
        cov.set_ylabel(tr(lang, "覆盖倍数", "Coverage"))
        cov.set_xticks(x)
        cov.set_xticklabels(years)

        handles = [Patch(facecolor=POSITIVE, edgecolor=INK, label=net_label),
                   Patch(facecolor="#fdae6b", edgecolor=INK, label=debt_label),
                   Patch(facecolor="white", hatch="//", edgecolor=INK,
                         label=tr(lang, "其中：建设期利息（债券资金支付）",
                                  "of which construction interest (from proceeds)")),
                   Line2D([], [], color=INK, linewidth=2.4, marker="o", markersize=4, label=reserve_label),
                   Line2D([], [], color=NEGATIVE, linestyle=(0, (5, 3)), linewidth=1.6,
                          label=tr(lang, f"要求覆盖倍数 {table.threshold:g}",
                                   f"Required coverage {table.threshold:g}")),
                   Line2D([], [], color=INK, linewidth=1.4,
                          label=tr(lang, f"存续期覆盖倍数 {_coverage(life)}", f"Life coverage {_coverage(life)}"))]
        fig.legend(handles=handles, loc="outside right upper")
        result = tr(lang, "能够自求平衡" if table.passes else "不能自求平衡",
                    "balances" if table.passes else "does not balance")
        titles(fig, tr(lang, "专项债项目收益与融资自求平衡：分年度本息覆盖", "Special-bond self-balance by year"),
               tr(lang, f"存续期本息覆盖倍数 {_coverage(life)}（要求 ≥ {table.threshold:g}）· 首个缺口年度 "
                        f"{short if short is not None else '无'} · {result}",
                  f"Life coverage {_coverage(life)} (required ≥ {table.threshold:g}) · first shortfall year "
                  f"{short if short is not None else 'none'} · {result}"))
        note(fig, lang, "上图柱：各年可用于还本付息的项目收益（土地出让返还、居民增购、运营收入减运营成本）"
                        "与当年还本付息；斜线部分为首个有收入年度之前的建设期利息，由债券资金支付、不计入累计结余。折线：累计结余。"
                        "下图：当年覆盖倍数，虚线为要求的覆盖倍数，实线为存续期覆盖倍数。",
             "Top: net revenue for debt service (land premium returned, resident purchases, operating revenue "
             "less operating costs) and debt service by year; hatched: interest before the first year with "
             "revenue, paid from the proceeds and kept out of the reserve. Line: cumulative reserve. Bottom: "
             "coverage by year, the dashed line the required coverage, the solid line the life coverage.")
        footer(fig, provenance(table.scenario, date=date), lang)
    return fig


def bond_sheet(sheet: Any, table: BondTable, lang: str, money: str, ratio: str) -> None:
    """Fill a workbook sheet with the table as bond documents lay it out.

    Parameters
    ----------
    sheet : fcfinance.report.workbook._Sheet
        The sheet, its title and provenance rows written.
    table : BondTable
    lang : {'zh', 'en'}
        The verdict's language (item names carry both).
    money, ratio : str
        Excel number formats.
    """
    rows = table.rows
    head = ["序号 no.", "项目 item", "合计 total"] + [str(y) for y in table.years]
    sheet.row(head, head=True)
    items = [("一", "项目收入", "Revenue", "revenue"),
             ("二", "运营成本", "Operating costs", "operating_costs"),
             ("三", "可用于还本付息的项目收益（一 − 二）", "Net revenue for debt service", "net_revenue"),
             ("四", "本息合计", "Debt service", "debt_service"),
             ("1", "还本", "Principal", "principal"),
             ("2", "付息", "Interest", "interest"),
             ("3", "其中：建设期利息资本化（债券资金支付）", "of which construction interest from proceeds",
              "capitalised"),
             ("五", "累计结余（三 − 四 + 3）", "Cumulative reserve", "reserve"),
             ("六", "当年覆盖倍数（三 ÷ 四）", "Coverage by year", "coverage")]
    n = len(table.years)
    for no, zh, en, key in items:
        values = list(rows[key])
        if key == "coverage":
            total = table.coverage_life
            formats = {c: ratio for c in range(3, n + 4)}
        elif key == "reserve":
            total = values[-1] if values else None
            formats = {c: money for c in range(3, n + 4)}
        else:
            total = float(np.sum(values))
            formats = {c: money for c in range(3, n + 4)}
        sheet.row([no, f"{zh} {en}", total] + values, formats=formats)
    sheet.blank()
    short = table.first_shortfall_year
    sheet.row(["", "存续期本息覆盖倍数 life coverage", table.coverage_life], formats={3: ratio})
    sheet.row(["", "要求覆盖倍数 required coverage", table.threshold], formats={3: ratio})
    sheet.row(["", "首个资金缺口年度 first shortfall year", short if short is not None else tr(lang, "无", "none")])
    sheet.row(["", "结论 verdict", table.verdict(lang)])
    sheet.blank()
    sheet.row(["", "压力测试 stress case", "存续期覆盖倍数 life coverage", "首个缺口年度 first shortfall year",
               "结果 result"], head=True)
    for case in table.stress:
        sheet.row([case["id"], case["name"], case["coverage_life"],
                   case["first_shortfall_year"] if case["first_shortfall_year"] is not None else "—",
                   tr(lang, "通过", "pass") if case["passes"] else tr(lang, "不通过", "fail")], formats={3: ratio})
    sheet.blank()
    sheet.row(["", tr(lang, "单位：万元（覆盖倍数除外）；收入为土地出让返还项目部分、居民增购房款与运营收入"
                            + ("及补助资金" if table.scenario.model.financing.coverage.include_grants else ""),
                      "Money in 万元 except coverage; revenue = land premium returned, resident purchases and "
                      "operating revenue"
                      + (" and grants" if table.scenario.model.financing.coverage.include_grants else ""))])
    sheet.finish("D5")
