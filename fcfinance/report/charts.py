"""The seven charts of the hearing pack, one function each, returning a matplotlib Figure.

Base-case charts take a :class:`~fcfinance.result.RunResult` (or a
:class:`~fcfinance.montecarlo.simulate.SimulationResult`, whose base case
they draw); Monte Carlo charts take a ``SimulationResult``.  Every figure is
drawn from the engine's numbers — lines, metrics, percentiles — never from
a computation of its own, carries a footer with its provenance, and can be
changed and saved like any other Figure::

    fig = funding_balance(fc.run(scenario))
    fig.axes[0].set_ylim(-30e4, 20e4)
    fig.savefig("资金平衡图.png", dpi=300)

See ``docs/report.md`` for what each chart shows and the house style.
"""

from __future__ import annotations

import math
import textwrap
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator, MultipleLocator

from ..formatting import no_minus_zero
from ..montecarlo.probability import format_probability
from .data import (
    LAND_PART,
    RELOCATION_PARTS,
    base_result,
    category_totals,
    parcel_table,
    relocation_table,
    require_simulation,
    sensitivity,
)
from .labels import INFLOW_CATEGORIES, OUTFLOW_CATEGORIES, check_lang, metric_name, risk_label, tr, use_name
from .style import (
    FAN_INNER,
    FAN_OUTER,
    FIGSIZE,
    GREY,
    INFLOW_COLOURS,
    INFLOW_HATCHES,
    INK,
    MEDIAN,
    NEGATIVE,
    OUTFLOW_COLOURS,
    OUTFLOW_HATCHES,
    POSITIVE,
    ZERO,
    ems,
    fitting_size,
    footer,
    house_style,
    money_unit,
    new_figure,
    note,
    percent,
    probability,
    provenance,
    side_legend,
    titles,
    wan,
)

EDGE = {"edgecolor": INK, "linewidth": 0.6}


ZH_BREAKS = "及与和、／/（"
"""Characters a Chinese label may break before (a conjunction, a list mark, an opening bracket)."""


def _wrap(text: str, lang: str, width_zh: int = 7, width_en: int = 14) -> str:
    """Break a category name over lines for a bar label, never inside a word.

    English breaks between words only; Chinese only before a conjunction
    (及, 与, 和), a list mark or a bracket, at the break that best balances
    the lines, and not at all when the name fits ``width_zh`` characters or
    has no such place.
    """
    if lang == "en":
        return textwrap.fill(text, width_en, break_long_words=False, break_on_hyphens=False)
    if len(text) <= width_zh:
        return text
    cuts = [i for i, ch in enumerate(text) if ch in ZH_BREAKS and 0 < i < len(text)]
    if not cuts:
        return text
    cut = min(cuts, key=lambda i: abs(2 * i - len(text)))
    return text[:cut] + "\n" + _wrap(text[cut:], lang, width_zh, width_en)


def _empty(ax: Any, text: str) -> None:
    """An axes that says there is nothing to draw."""
    ax.text(0.5, 0.5, text, ha="center", va="center", fontsize=16, color=GREY, transform=ax.transAxes)
    ax.axis("off")


def _year_axis(ax: Any, years: list[str], x: np.ndarray) -> None:
    """Year labels under bars, every year or every other one on long horizons."""
    step = 1 if len(years) <= 20 else 2
    ax.set_xticks(x[::step])
    ax.set_xticklabels(years[::step])
    ax.set_xlim(x[0] - 0.7, x[-1] + 0.7)


def _headroom(ax: Any, share: float) -> None:
    """Extend the top of the y axis by ``share`` of its range (room for labels)."""
    low, high = ax.get_ylim()
    ax.set_ylim(low, high + share * (high - low))


def _zero_line(ax: Any, vertical: bool = False) -> None:
    if vertical:
        ax.axvline(0, color=ZERO, linewidth=1.0, zorder=2)
    else:
        ax.axhline(0, color=ZERO, linewidth=1.0, zorder=2)


# -- 1. 资金平衡图 ------------------------------------------------------------------

def funding_balance(result: Any, lang: str = "zh", *, date: str | None = None) -> Figure:
    """资金平衡图: project cash flows by calendar year and cumulative net cash.

    Inflows by line are stacked above zero, outflows by group below it (bars,
    from :meth:`RunResult.by_year`); the cumulative project net cash by
    reporting period is the line (:attr:`RunResult.cashflows`); the peak
    funding need and the payback are marked (测算口径 §8).  Bonds and gap
    interest are financing and are left out, as in the metrics.

    Parameters
    ----------
    result : RunResult or SimulationResult
        A deterministic run (a simulation's base case is run for it).
    lang : {'zh', 'en'}
        Language of every label.
    date : str, optional
        Date in the provenance footer (default: today).

    Returns
    -------
    matplotlib.figure.Figure
        Money in 万元, or 亿元 when amounts reach 10 亿元.
    """
    check_lang(lang)
    run = base_result(result)
    tl = run.scenario.timeline
    with house_style():
        years = run.by_year()
        cats = category_totals(years)
        flows = run.cashflows
        m = run.metrics
        fig, ax = new_figure()
        x = np.arange(len(years))
        up = cats[[c.key for c in INFLOW_CATEGORIES]].clip(lower=0).sum(axis=1)
        down = cats[[c.key for c in OUTFLOW_CATEGORIES]].clip(upper=0).sum(axis=1)
        unit = money_unit(up, down, flows["cumulative_net"])
        handles = []
        for cats_, colours, hatches in ((INFLOW_CATEGORIES, INFLOW_COLOURS, INFLOW_HATCHES),
                                        (OUTFLOW_CATEGORIES, OUTFLOW_COLOURS, OUTFLOW_HATCHES)):
            bottom = np.zeros(len(years))
            for cat, colour, hatch in zip(cats_, colours, hatches):
                values = cats[cat.key].to_numpy()
                if not np.any(values):
                    continue
                ax.bar(x, values, 0.72, bottom=bottom, color=colour, hatch=hatch, zorder=3, **EDGE)
                bottom = bottom + values
                handles.append(Patch(facecolor=colour, hatch=hatch, label=cat.name(lang), **EDGE))
        _zero_line(ax)
        # cumulative net cash at the end of each reporting period, on the calendar-year axis
        first = (int(tl.start[5:7]) - 1) / 12.0
        ends = first + (np.arange(tl.periods) + 1) * tl.months_per_period / 12.0 - 0.5
        xs = np.concatenate([[first - 0.5], ends])
        ys = np.concatenate([[0.0], flows["cumulative_net"].to_numpy()])
        ax.plot(xs, ys, color=INK, linewidth=2.6, zorder=5, marker="o", markersize=2.8)
        handles.append(Line2D([], [], color=INK, linewidth=2.6, marker="o", markersize=3,
                              label=tr(lang, "累计净现金流（按报告期）", "Cumulative net cash (by period)")))
        need = m["peak_funding_need"]
        if need > 0:
            p = int(run.evaluation.metrics["peak_funding_period"][0])
            ax.plot([ends[p]], [-need], marker="v", markersize=13, color=NEGATIVE, zorder=6,
                    markeredgecolor=INK)
            label = tr(lang, f"资金峰值 {unit.value(need)} {unit.zh}\n（{flows.index[p]}）",
                       f"Peak funding need\n{unit.value(need)} {unit.en.split(' (')[0]} ({flows.index[p]})")
            payback = m["payback_years"]
            xp = first + payback - 0.5 if payback == payback and payback > 0 else None
            place = _free_side(ends[p], label, 12, (x[0] - 0.7, x[-1] + 0.7), xp)
            if place is not None:  # else the legend entry alone gives the figure
                xytext, ha, va = place
                ax.annotate(label, (ends[p], -need), xytext=xytext, textcoords="offset points", va=va, ha=ha,
                            fontsize=12, color=INK, linespacing=1.15,
                            bbox={"boxstyle": "round,pad=0.25", "fc": "white", "ec": GREY, "lw": 0.6}, zorder=7)
            handles.append(Line2D([], [], linestyle="none", marker="v", markersize=11, color=NEGATIVE,
                                  markeredgecolor=INK, label=label.replace("\n", " ")))
        payback = m["payback_years"]
        if payback == payback and payback > 0:
            xp = first + payback - 0.5
            ax.axvline(xp, color=INK, linestyle=(0, (5, 3)), linewidth=1.4, zorder=4)
            ax.annotate(tr(lang, f"回收期 {payback:.2f} 年", f"Payback {payback:.2f} years"),
                        (xp, 1.0), xycoords=("data", "axes fraction"), xytext=(-6, -4),
                        textcoords="offset points", ha="right", va="top", fontsize=12,
                        bbox={"boxstyle": "round,pad=0.25", "fc": "white", "ec": GREY, "lw": 0.6})
            handles.append(Line2D([], [], color=INK, linestyle=(0, (5, 3)), linewidth=1.4,
                                  label=tr(lang, "回收期", "Payback")))
        _year_axis(ax, list(years.index), x)
        _headroom(ax, 0.08)
        if need > 0:
            low, high = ax.get_ylim()  # room under the peak for its label when it sits below the marker
            ax.set_ylim(min(low, -need - 0.12 * (high - low)), high)
        ax.yaxis.set_major_formatter(unit.formatter())
        ax.set_ylabel(tr(lang, f"现金流（{unit.zh}）", f"Cash flow, {unit.en}"))
        side_legend(fig, handles)
        verdict = _verdict(m, lang)
        titles(fig, tr(lang, "资金平衡图：分年度项目现金流与累计净现金流",
                       "Funding balance: project cash flows by year and cumulative net cash"),
               tr(lang, f"资金结余 {wan(m['net_balance'])} 万元 · 资金平衡率 {percent(m['balance_ratio'])} · "
                        f"资金峰值 {wan(need)} 万元 · 回收期 {_years(payback, lang)} · {verdict}",
                  f"Net balance {wan(m['net_balance'])} (万元) · balance ratio {percent(m['balance_ratio'])} · "
                  f"peak need {wan(need)} · payback {_years(payback, lang)} · {verdict}"))
        note(fig, lang, "柱：各自然年项目现金流入（向上）与流出（向下）；土地出让收入为扣除计提后返还项目部分。"
                           "折线：报告期末累计项目净现金流。均不含专项债本息与缺口融资利息（融资口径见工作簿）。",
                     "Bars: project inflows (up) and outflows (down) by calendar year; land premium as returned "
                     "to the project. Line: cumulative project net cash at each period end. Bonds and gap "
                     "interest are financing and are not included (see the workbook).")
        footer(fig, provenance(run.scenario, date=date), lang)
    return fig


AXES_WIDTH_IN = FIGSIZE[0] * 0.62
"""Width of a one-panel chart's axes beside a side legend [in], for placing labels before layout."""


def _free_side(x: float, label: str, size: float, xlim: tuple[float, float],
               avoid: float | None) -> tuple[tuple[float, float], str, str] | None:
    """Offset [pt] and alignment of a label beside a marker at ``x`` such that it crosses neither the
    vertical line at ``avoid`` nor the axes' edges: right of the marker, left of it, or below it
    (ending at the marker, starting at it, or centred).  Widths are estimated from the text
    (:func:`~.style.ems`), with room for the box and the offset.  None when no place is free."""
    per_in = (xlim[1] - xlim[0]) / AXES_WIDTH_IN
    width = (max(ems(line) for line in label.splitlines()) * size / 72.0 + 0.3) * per_in
    gap = 0.25 * per_in  # the 16 pt offset and a margin
    options = [((16, 0), "left", "center", x, x + gap + width), ((-16, 0), "right", "center", x - gap - width, x),
               ((8, -16), "right", "top", x - width, x + gap), ((-8, -16), "left", "top", x - gap, x + width)]
    for xytext, ha, va, lo, hi in options:
        if lo >= xlim[0] and hi <= xlim[1] and (avoid is None or not lo - 0.1 < avoid < hi + 0.1):
            return xytext, ha, va
    return None


def _years(value: float, lang: str) -> str:
    if value != value:
        return tr(lang, "期内未回收", "not within the horizon")
    return tr(lang, f"{value:.2f} 年", f"{value:.2f} years")


def _verdict(m: dict[str, Any], lang: str) -> str:
    from ..verdict import short_verdict  # the one wording of the verdict, before and after financing

    return short_verdict(m, lang)


# -- 2. 资金来源与运用 ---------------------------------------------------------------

def sources_and_uses(result: Any, lang: str = "zh", *, date: str | None = None) -> Figure:
    """资金来源与运用: a waterfall from each inflow and outflow category to the net balance.

    Each inflow line rises from the running total, a bar shows total
    inflows, each outflow group falls from it, and the last bar is the net
    balance (资金结余, 测算口径 §8).  Totals are the run's line totals and metrics.

    Parameters
    ----------
    result : RunResult or SimulationResult
    lang : {'zh', 'en'}
    date : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    check_lang(lang)
    run = base_result(result)
    with house_style():
        lines, m = run.lines, run.metrics
        steps: list[tuple[str, float, str, str, str]] = []  # label, signed value, kind, colour, hatch
        for cat, colour, hatch in zip(INFLOW_CATEGORIES, INFLOW_COLOURS, INFLOW_HATCHES):
            value = sum(lines[k] for k in cat.lines)
            if value:
                steps.append((cat.name(lang), value, "step", colour, hatch))
        steps.append((metric_name("project_inflows", lang), m["project_inflows"], "total", "#4d4d4d", ""))
        for cat, colour, hatch in zip(OUTFLOW_CATEGORIES, OUTFLOW_COLOURS, OUTFLOW_HATCHES):
            value = sum(lines[k] for k in cat.lines)
            if value:
                steps.append((cat.name(lang), value, "step", colour, hatch))
        nb = m["net_balance"]
        steps.append((tr(lang, "资金结余", "Net balance"), nb, "end",
                      POSITIVE if nb >= 0 else NEGATIVE, "" if nb >= 0 else "//"))
        unit = money_unit(m["project_inflows"], m["project_outflows"])
        fig, ax = new_figure()
        level = 0.0
        x = np.arange(len(steps))
        tops = []
        for i, (_label, value, kind, colour, hatch) in enumerate(steps):
            if kind == "step":
                low, height = level, value
                level += value
            else:
                low, height = 0.0, value
                level = value if kind == "total" else level
            ax.bar(i, height, 0.66, bottom=low, color=colour, hatch=hatch, zorder=3, **EDGE)
            top = max(low, low + height)
            tops.append(low + height)
            sign = "+" if kind == "step" and value > 0 else ""
            text = f"{sign}{unit.value(value)}"
            if kind == "end" and unit.divisor != 1:
                text += tr(lang, f"\n（{wan(value)} 万元）", f"\n({wan(value)} 万元)")
            ax.annotate(text, (i, top), xytext=(0, 4), textcoords="offset points",
                        ha="center", va="bottom", fontsize=12, color=INK)
        for i in range(len(steps) - 1):
            ax.plot([i + 0.33, i + 0.67], [tops[i], tops[i]], color=GREY, linewidth=0.9,
                    linestyle=(0, (2, 2)), zorder=4)
        _zero_line(ax)
        ax.set_xticks(x)
        labels = [_wrap(s[0], lang, 6, 13) for s in steps]
        slot = (FIGSIZE[0] - 1.2) / len(steps) * 0.92  # inches of axis per bar (less the y labels), with a gap
        ax.set_xticklabels(labels, fontsize=min(fitting_size(t, 11.5, slot) for t in labels))
        ax.set_xlim(-0.6, len(steps) - 0.4)
        ax.yaxis.set_major_formatter(unit.formatter())
        ax.set_ylabel(tr(lang, f"金额（{unit.zh}）", f"Amount, {unit.en}"))
        _headroom(ax, 0.06)
        titles(fig, tr(lang, "资金来源与运用：各项收入、支出至资金结余",
                       "Sources and uses: each inflow and outflow to the net balance"),
               tr(lang, f"项目总收入 {wan(m['project_inflows'])} 万元 · 项目总支出 {wan(m['project_outflows'])} 万元"
                        f" · 资金结余 {wan(nb)} 万元 · 资金平衡率 {percent(m['balance_ratio'])}",
                  f"Inflows {wan(m['project_inflows'])} · outflows {wan(m['project_outflows'])} · "
                  f"net balance {wan(nb)} (万元) · balance ratio {percent(m['balance_ratio'])}"))
        note(fig, lang, f"项目收支口径（测算口径 §8），不含专项债与融资利息；融资后期末资金余额 "
                           f"{wan(m['ending_balance'])} 万元，融资成本 {wan(m['financing_cost'])} 万元。",
                     f"Project flows as in METHOD §8 (测算口径), without bonds and financing interest; ending balance "
                     f"after financing {wan(m['ending_balance'])}, financing cost {wan(m['financing_cost'])} (万元).")
        footer(fig, provenance(run.scenario, date=date), lang)
    return fig


# -- 3. fan of cumulative net cash --------------------------------------------------

def _period_axis(ax: Any, tl: Any) -> None:
    """A time axis in reporting periods from the start (0) to the horizon, ticked at each year."""
    per_year = tl.per_year
    step = per_year * (1 if tl.years <= 20 else 2)
    ticks = list(range(0, tl.periods + 1, step))
    ax.set_xticks(ticks)
    january = tl.start.endswith("-01")
    ax.set_xticklabels([tl.month_label(tl.period_start_month(p))[:4 if january else 7] for p in ticks])
    ax.set_xlim(0, tl.periods)


def cumulative_fan(sim: Any, lang: str = "zh", *, date: str | None = None) -> Figure:
    """Monte Carlo fan of cumulative project net cash by reporting period.

    Bands P5–P95 and P25–P75, the median and the base case, from
    :meth:`SimulationResult.fan` (percentiles taken period by period, so a
    band is not one path).

    Parameters
    ----------
    sim : SimulationResult
    lang : {'zh', 'en'}
    date : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    check_lang(lang)
    sim = require_simulation(sim)
    tl = sim.scenario.timeline
    with house_style():
        fan = sim.fan()
        s = sim.summary()
        unit = money_unit(fan.to_numpy())
        fig, ax = new_figure()
        # values at each period end; the start of the horizon is 0 on every path
        x = np.arange(len(fan) + 1)
        fan = pd.concat([pd.DataFrame(0.0, index=["start"], columns=fan.columns), fan])
        ax.fill_between(x, fan["P5"], fan["P95"], color=FAN_OUTER, linewidth=0, zorder=2,
                        label=tr(lang, "P5–P95 区间", "P5–P95"))
        ax.fill_between(x, fan["P25"], fan["P75"], color=FAN_INNER, linewidth=0, zorder=3,
                        label=tr(lang, "P25–P75 区间", "P25–P75"))
        ax.plot(x, fan["P50"], color=MEDIAN, linewidth=2.6, zorder=4, label=tr(lang, "中位数 P50", "Median P50"))
        ax.plot(x, fan["base"], color=INK, linewidth=2.0, linestyle=(0, (6, 3)), zorder=5,
                label=tr(lang, "基准情形", "Base case"))
        _zero_line(ax)
        _period_axis(ax, tl)
        ax.yaxis.set_major_formatter(unit.formatter())
        ax.set_ylabel(tr(lang, f"累计净现金流（{unit.zh}）", f"Cumulative net cash, {unit.en}"))
        ax.set_xlabel(tr(lang, "年份（报告期末）", "Year (period ends)"))
        side_legend(fig)
        last = fan.iloc[-1]
        titles(fig, tr(lang, "累计净现金流的概率区间（蒙特卡洛）",
                       "Cumulative net cash: Monte Carlo percentile fan"),
               tr(lang, f"{sim.paths:,} 次模拟 · 期末中位数 {unit.value(last['P50'])} {unit.zh}"
                        f"（P5 {unit.value(last['P5'])}，P95 {unit.value(last['P95'])}）· "
                        f"P(资金平衡) = {format_probability(s, 'p_balanced', lang, short=True)}",
                  f"{sim.paths:,} paths · final median {unit.value(last['P50'])} (P5 {unit.value(last['P5'])}, "
                  f"P95 {unit.value(last['P95'])}) {unit.zh} · P(balanced) = "
                  f"{format_probability(s, 'p_balanced', lang, short=True)}"))
        note(fig, lang, "各报告期的分位数分别计算，区间不是某一条模拟路径；"
                        "累计净现金流为项目口径，不含专项债与融资利息。",
                     "Percentiles are taken period by period, so a band is not one path; project cash only, "
                     "without bonds and financing interest.")
        footer(fig, provenance(sim.scenario, date=date, simulation=sim), lang)
    return fig


# -- 4. distribution of net balance --------------------------------------------------

def net_balance_distribution(sim: Any, lang: str = "zh", *, date: str | None = None) -> Figure:
    """Distribution of the net balance: histogram and CDF, P(balanced), P10/P50/P90.

    From :attr:`SimulationResult.per_path` and :meth:`SimulationResult.summary`;
    the base case is marked.

    Parameters
    ----------
    sim : SimulationResult
    lang : {'zh', 'en'}
    date : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    check_lang(lang)
    sim = require_simulation(sim)
    with house_style():
        nb = sim.per_path["net_balance"].to_numpy(dtype=float)
        s = sim.summary()
        base = sim.base_metrics.get("net_balance", float("nan"))
        unit = money_unit(nb, base)
        fig, (hist, cdf) = new_figure(2, width_ratios=[1.15, 1.0])
        edges = _bins_at_zero(nb)
        weights = np.full(nb.size, 100.0 / nb.size)
        hist.hist(nb[nb < 0], bins=edges, weights=weights[nb < 0], color="#f4a582", hatch="\\\\",
                  zorder=3, label=tr(lang, "资金缺口路径", "Paths with a gap"), **EDGE)
        hist.hist(nb[nb >= 0], bins=edges, weights=weights[nb >= 0], color="#92c5de", zorder=3,
                  label=tr(lang, "资金平衡路径", "Balanced paths"), **EDGE)
        order = np.sort(nb)
        cdf.step(np.concatenate([[order[0]], order]), np.concatenate([[0.0], np.arange(1, nb.size + 1) / nb.size]),
                 where="post", color=MEDIAN, linewidth=2.4, zorder=4)
        share_gap = 1.0 - s["p_balanced"]
        cdf.axhline(share_gap, color=GREY, linewidth=1.0, linestyle=(0, (2, 2)))
        styles = {"P10": (0, (2, 2)), "P50": (0, (7, 3)), "P90": (0, (1, 1.5))}
        for axis in (hist, cdf):
            axis.axvline(0, color=ZERO, linewidth=1.6, zorder=5)
            for key, dash in styles.items():
                axis.axvline(s[f"net_balance_{key.lower()}"], color=INK, linewidth=1.3, linestyle=dash, zorder=5)
            axis.xaxis.set_major_formatter(unit.formatter())
            axis.xaxis.set_major_locator(MaxNLocator(nbins=6))
            axis.set_xlabel(tr(lang, f"资金结余（{unit.zh}）", f"Net balance, {unit.en}"))
            axis.grid(True, axis="both")
        _headroom(hist, 0.45)
        top = hist.get_ylim()[1]
        # the percentiles are named in the legend (by their dash), not beside their lines, where the
        # break-even line and each other would cross the labels
        for key, dash in styles.items():
            hist.plot([], [], color=INK, linewidth=1.3, linestyle=dash,
                      label=f"{key} {unit.value(s[f'net_balance_{key.lower()}'])}")
        hist.plot([], [], color=ZERO, linewidth=1.6, label=tr(lang, "0（平衡线）", "0 (break-even)"))
        if base == base:
            hist.plot([base], [0.02 * top], marker="^", markersize=14, color=INK, zorder=6,
                      linestyle="none", label=tr(lang, f"基准情形 {unit.value(base)}", f"Base case {unit.value(base)}"))
        hist.set_ylabel(tr(lang, "路径占比（%）", "Share of paths (%)"))
        hist.legend(loc="upper left", ncol=2, fontsize=10, columnspacing=1.0)
        cdf.set_ylabel(tr(lang, "累计概率 P(资金结余 ≤ x)", "Cumulative probability P(net balance ≤ x)"))
        cdf.set_ylim(0, 1.02)
        cdf.yaxis.set_major_formatter(lambda v, _p: f"{100 * v:.0f}%")
        p_ok = probability(s["p_balanced"])
        cdf.set_title(tr(lang, f"P(资金缺口) = {probability(share_gap)}（虚线） · P(资金平衡) = {p_ok}",
                         f"P(gap) = {probability(share_gap)} (dotted) · P(balanced) = {p_ok}"),
                      loc="left", fontsize=12)
        titles(fig, tr(lang, "资金结余的概率分布：P(资金平衡) = "
                             f"{format_probability(s, 'p_balanced', lang, short=True)}",
                       "Distribution of the net balance: P(balanced) = "
                       f"{format_probability(s, 'p_balanced', lang, short=True)}"),
               tr(lang, f"{sim.paths:,} 次模拟 · 均值 {wan(s['net_balance_mean'])} 万元 · "
                        f"P10 {wan(s['net_balance_p10'])} · P50 {wan(s['net_balance_p50'])} · "
                        f"P90 {wan(s['net_balance_p90'])} · 预期缺口 {wan(s['expected_shortfall'])} 万元",
                  f"{sim.paths:,} paths · mean {wan(s['net_balance_mean'])} · P10 {wan(s['net_balance_p10'])} · "
                  f"P50 {wan(s['net_balance_p50'])} · P90 {wan(s['net_balance_p90'])} · expected shortfall "
                  f"{wan(s['expected_shortfall'])} (万元)"))
        note(fig, lang, "P(资金平衡) = P(资金结余 ≥ 0)，± 为标准误；预期缺口 = E[−资金结余 | 资金结余 < 0]。"
                           "竖线：0（平衡线）及 P10、P50、P90。",
                     "P(balanced) = P(net balance ≥ 0), ± one standard error; expected shortfall = "
                     "E[−net balance | net balance < 0]. Vertical lines: 0 (break-even), P10, P50, P90.")
        footer(fig, provenance(sim.scenario, date=date, simulation=sim), lang)
    return fig


def _risk_value(risk: Any, value: float, lang: str) -> str:
    """A risk's draw as its effect reads: ×0.84 (scale), +6 月 (shift), 0.575 (set)."""
    if risk is not None and risk.scale:
        return f"×{value:.3g}"
    if risk is not None and risk.shift_months:
        return tr(lang, f"{value:+.0f} 个月", f"{value:+.0f} months")
    return f"{value:.3g}"


def _bins_at_zero(values: np.ndarray) -> np.ndarray:
    """Histogram edges of equal width with 0 on an edge, so no bin mixes gaps and surpluses."""
    lo, hi = float(values.min()), float(values.max())
    span = hi - lo
    if span <= 1e-9 * max(1.0, abs(lo)):
        span = max(1.0, abs(lo) * 0.02)
        lo, hi = lo - span / 2, hi + span / 2
    width = span / float(np.clip(math.sqrt(values.size), 10, 60))
    start = math.floor(lo / width) * width
    stop = math.ceil(hi / width) * width
    count = max(int(round((stop - start) / width)), 1)
    return start + width * np.arange(count + 1)


# -- 5. tornado and contribution to variance ------------------------------------------

def _variance_shares(ax: Any, ys: np.ndarray, sens: Any, lang: str) -> None:
    """Right panel of chart 05 for independent risks: each risk's share of the variance of net balance."""
    shares = sens["contribution_to_variance"].to_numpy() * 100
    ax.barh(ys, shares, 0.6, color="#6b6b6b", zorder=3, **EDGE)
    for yi, share, rho in zip(ys, shares, sens["rank_correlation"]):
        text = (f"{percent(share / 100, 1)}  (ρ {no_minus_zero(f'{rho:+.2f}')})" if rho == rho
                else tr(lang, "—（路径过少）", "— (too few paths)"))
        ax.annotate(text, (share, yi), xytext=(4, 0), textcoords="offset points", va="center", fontsize=10.5)
    ax.set_xlim(0, max(100.0, float(shares.max()) * 1.35) if shares.size and shares.max() > 75
                else max(10.0, float(shares.max()) * 1.45 if shares.size else 10.0))
    ax.xaxis.set_major_formatter(lambda v, _p: f"{v:.0f}%")
    ax.set_xlabel(tr(lang, "对资金结余方差的贡献", "Contribution to variance of net balance"))
    ax.set_title(tr(lang, "方差贡献（秩相关平方归一）", "Variance share (ρ² normalised)"), loc="left", fontsize=13.5)


def _partial_correlations(ax: Any, ys: np.ndarray, sens: Any, lang: str) -> None:
    """Right panel of chart 05 for correlated risks: |partial rank correlation| with net balance."""
    partial = sens["partial_rank_correlation"].to_numpy(dtype=float)
    size = np.nan_to_num(np.abs(partial))
    ax.barh(ys, size, 0.6, color="#6b6b6b", zorder=3, **EDGE)
    for yi, value, rho in zip(ys, partial, sens["rank_correlation"]):
        text = (f"{no_minus_zero(f'{value:+.2f}')}  (ρ {no_minus_zero(f'{rho:+.2f}')})" if value == value
                else tr(lang, "—（固定或路径过少）", "— (fixed, or too few paths)"))
        ax.annotate(text, (abs(value) if value == value else 0.0, yi), xytext=(4, 0), textcoords="offset points",
                    va="center", fontsize=10.5)
    ax.set_xlim(0, max(0.2, float(size.max()) * 1.6 if size.size else 0.2))
    ax.set_xlabel(tr(lang, "偏秩相关系数（绝对值）", "|Partial rank correlation|"))
    ax.set_title(tr(lang, "偏秩相关（其余风险固定）", "Partial rank corr. (others fixed)"), loc="left",
                 fontsize=13.5)


def risk_ranking(sim: Any, lang: str = "zh", *, date: str | None = None, top: int = 12) -> Figure:
    """Risks ranked: one-at-a-time tornado, and contribution to variance or partial rank correlation.

    Left, :meth:`SimulationResult.tornado`: net balance with each risk at its
    P10 and its P90, every other risk at base (one at a time: correlations
    and interactions ignored, and labelled so).  Right,
    :meth:`SimulationResult.sensitivity`, risks in its order (by |partial rank
    correlation|): with independent risks each risk's share of the variance
    of net balance (squared rank correlations normalised); with correlated
    risks, where shares would misattribute, the partial rank correlation.

    Parameters
    ----------
    sim : SimulationResult
    lang : {'zh', 'en'}
    date : str, optional
    top : int
        Risks shown in each panel, largest first.

    Returns
    -------
    matplotlib.figure.Figure
    """
    check_lang(lang)
    sim = require_simulation(sim)
    risks = {r.id: r for r in sim.scenario.model.risks}
    names = {r.id: r.name for r in sim.scenario.model.risks}
    with house_style():
        tornado = sim.tornado().head(top)
        sens = sensitivity(sim).head(top)
        base = float(sim.base_metrics.get("net_balance", 0.0))
        unit = money_unit(tornado[["net_balance_at_p10", "net_balance_at_p90"]].to_numpy(), base)
        fig, (left, right) = new_figure(2, width_ratios=[1.5, 1.0])
        y = np.arange(len(tornado))[::-1]
        for yi, (_risk, row) in zip(y, tornado.iterrows()):
            for key, colour, hatch in (("p10", "#9ecae1", "//"), ("p90", "#08519c", "")):
                end = row[f"net_balance_at_{key}"]
                left.barh(yi + (0.19 if key == "p10" else -0.19), end - base, 0.38, left=base, color=colour,
                          hatch=hatch, zorder=3, **EDGE)
        left.axvline(base, color=INK, linewidth=1.6, zorder=4)
        _zero_line(left, vertical=True)
        left.set_yticks(y)
        # the risk's values at P10 and P90 go under its name, clear of the bars, the base and zero lines
        left.set_yticklabels([f"{risk_label(r, names.get(r), lang)}\n"
                              f"P10 {_risk_value(risks.get(r), row['value_p10'], lang)} · "
                              f"P90 {_risk_value(risks.get(r), row['value_p90'], lang)}"
                              for r, row in tornado.iterrows()], fontsize=10.5 if len(tornado) <= 8 else 9)
        left.xaxis.set_major_formatter(unit.formatter())
        left.set_xlabel(tr(lang, f"资金结余（{unit.zh}）", f"Net balance, {unit.en}"))
        left.grid(True, axis="x")
        left.grid(False, axis="y")
        lo, hi = left.get_xlim()
        pad = 0.06 * (hi - lo)
        left.set_xlim(lo - pad, hi + pad)
        left.set_title(tr(lang, "单因素敏感性（一次只变动一项，其余取基准值）",
                          "One at a time: each risk at P10 / P90, others at base"), loc="left", fontsize=13.5)
        left.legend(handles=[Patch(facecolor="#9ecae1", hatch="//", label=tr(lang, "风险取 P10", "Risk at P10"),
                                   **EDGE),
                             Patch(facecolor="#08519c", label=tr(lang, "风险取 P90", "Risk at P90"), **EDGE),
                             Line2D([], [], color=INK, linewidth=1.6,
                                    label=tr(lang, f"基准 {unit.value(base)}", f"Base {unit.value(base)}"))],
                    loc="lower left", fontsize=10.5)
        left.xaxis.set_major_locator(MaxNLocator(nbins=6))
        ys = np.arange(len(sens))[::-1]
        independent = getattr(sim, "contribution_is_valid", not sim.scenario.model.correlations)
        if independent:
            _variance_shares(right, ys, sens, lang)
        else:  # correlated risks: the partial rank correlation, which holds the other risks fixed
            _partial_correlations(right, ys, sens, lang)
        right.set_yticks(ys)
        right.set_yticklabels([risk_label(r, names.get(r), lang) for r in sens.index])
        right.grid(True, axis="x")
        right.grid(False, axis="y")
        lead = tornado.index[0] if len(tornado) else ""
        titles(fig, tr(lang, "风险因素排序：单因素敏感性与" + ("方差贡献" if independent else "偏秩相关"),
                       "Risks ranked: one-at-a-time swings and "
                       + ("variance" if independent else "partial rank corr.")),
               tr(lang, f"基准资金结余 {wan(base)} 万元 · 影响最大：{risk_label(lead, names.get(lead), lang)}"
                        f"（P10–P90 摆幅 {wan(tornado['swing'].iloc[0]) if len(tornado) else '—'} 万元）",
                  f"Base net balance {wan(base)} (万元) · largest: {risk_label(lead, names.get(lead), lang)} "
                  f"(P10–P90 swing {wan(tornado['swing'].iloc[0]) if len(tornado) else '—'})"))
        note(fig, lang, "单因素法忽略风险间相关性与交互作用；方差贡献为秩相关平方归一的筛选指标，"
                           "仅对单调、可加且相互独立的模型精确，风险相关时改列偏秩相关系数。ρ：与资金结余的秩相关系数。",
                     "One at a time ignores correlations and interactions; the variance share (squared rank "
                     "correlations normalised) is exact only for a monotone additive model of independent risks, "
                     "so with correlated risks the partial rank correlation is shown. ρ: rank correlation.")
        footer(fig, provenance(sim.scenario, date=date, simulation=sim), lang)
    return fig


# -- 6. land premium by parcel -------------------------------------------------------

def land_premium(result: Any, lang: str = "zh", *, date: str | None = None) -> Figure:
    """Land premium by parcel and over time, with the uplift completed facilities earned (配套先行).

    Left: each parcel's gross premium — base, uplift earned, and uplift
    forgone when a required work was not complete by the sale month.
    Right: each parcel's sale month, its installments (area ∝ amount) and the
    completion of the works its uplift requires.  Amounts are gross, before
    deductions, from the engine's per-parcel detail (:attr:`Flows.parcels`).

    Parameters
    ----------
    result : RunResult or SimulationResult
    lang : {'zh', 'en'}
    date : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    check_lang(lang)
    run = base_result(result)
    model = run.scenario.model
    with house_style():
        table = parcel_table(run, lang)
        fig, (left, right) = new_figure(2, width_ratios=[1.0, 1.45], sharey=True)
        if table.empty:
            _empty(left, tr(lang, "本方案无土地出让", "No land sales in this scenario"))
            _empty(right, "")
            titles(fig, tr(lang, "土地出让金：分地块与分期", "Land premium by parcel and installment"))
            footer(fig, provenance(run.scenario, date=date), lang)
            return fig
        unit = money_unit(table["gross"] + table["uplift_forgone"])
        y = np.arange(len(table))[::-1]
        left.barh(y, table["base"], 0.55, color=INFLOW_COLOURS[2], zorder=3, **EDGE)
        got = (table["uplift_earned"] > 0).to_numpy()
        left.barh(y[got], table["uplift_earned"][got], 0.55, left=table["base"][got], color=INFLOW_COLOURS[0],
                  hatch="//", zorder=3, **EDGE)
        lost = (table["uplift_forgone"] > 0).to_numpy()
        left.barh(y[lost], table["uplift_forgone"][lost], 0.55, left=table["base"][lost], facecolor="white",
                  edgecolor=NEGATIVE, linestyle=(0, (3, 2)), linewidth=1.2, zorder=3)
        for yi, (_pid, row) in zip(y, table.iterrows()):
            end = row["base"] + row["uplift_earned"] + row["uplift_forgone"]
            extra = ""
            if row["requires"]:
                extra = tr(lang, f"\n溢价 {row['uplift_rate']:.0%}：{'已获得' if row['earned'] else '未获得'}",
                           f"\nuplift {row['uplift_rate']:.0%}: {'earned' if row['earned'] else 'forgone'}")
            left.annotate(f"{unit.value(row['gross'])}{extra}", (end, yi), xytext=(5, 0), textcoords="offset points",
                          va="center", fontsize=11)
        left.set_yticks(y)
        left.set_yticklabels([_parcel_label(pid, row, lang) for pid, row in table.iterrows()])
        left.xaxis.set_major_formatter(unit.formatter())
        left.set_xlabel(tr(lang, f"出让总价款（{unit.zh}）", f"Gross premium, {unit.en}"))
        left.grid(True, axis="x")
        left.grid(False, axis="y")
        left.set_xlim(0, float((table["gross"] + table["uplift_forgone"]).max()) * 1.45 or 1.0)
        left.set_title(tr(lang, "分地块出让总价款", "Gross premium by parcel"), loc="left", fontsize=13.5)
        left.legend(handles=[Patch(facecolor=INFLOW_COLOURS[2], label=tr(lang, "基础价款", "Base premium"), **EDGE),
                             Patch(facecolor=INFLOW_COLOURS[0], hatch="//",
                                   label=tr(lang, "配套先行溢价（已获得）", "Uplift earned"), **EDGE),
                             Patch(facecolor="white", edgecolor=NEGATIVE, linestyle=(0, (3, 2)),
                                   label=tr(lang, "溢价未获得（配套未按时完工）", "Uplift forgone (works late)"))],
                    loc="upper right", fontsize=10.5)
        _land_timeline(right, table, y, unit, lang)
        earned = float(table["uplift_earned"].sum())
        forgone = float(table["uplift_forgone"].sum())
        returned = run.lines["land_premium"]
        deduction = model.land.deduction_rate if model.land else 0.0
        titles(fig, tr(lang, "土地出让金：分地块、分期与配套先行溢价",
                       "Land premium by parcel and over time, with the uplift completed facilities earned"),
               tr(lang, f"出让总价款 {wan(run.metrics['land_premium_gross'])} 万元，其中配套先行溢价 {wan(earned)} 万元"
                        + (f"（未获得 {wan(forgone)} 万元）" if forgone else "")
                        + f" · 扣除计提 {deduction:.0%} 后返还项目 {wan(returned)} 万元",
                  f"Gross premium {wan(run.metrics['land_premium_gross'])}, of which uplift earned {wan(earned)}"
                  + (f" (forgone {wan(forgone)})" if forgone else "")
                  + f" · returned to the project after the {deduction:.0%} deduction "
                  f"{wan(returned)} (万元)"))
        note(fig, lang, "溢价规则：所需配套全部在出让当月或之前完工（开工 + 工期 ≤ 出让月）方可获得（测算口径 §6）。"
                           "金额为出让总价款（扣除计提前），分期按出让月 + 间隔月数缴纳。",
                     "The uplift is earned when every required work is complete by the sale month (start + months "
                     "≤ sale, METHOD §6). Gross amounts before deductions; installments in sale month + after_months.")
        footer(fig, provenance(run.scenario, date=date), lang)
    return fig


def _parcel_label(pid: str, row: Any, lang: str) -> str:
    """``R1`` over its name or use (住宅, 商业, … in Chinese)."""
    what = row["name"] or use_name(row["use"], lang)
    return f"{pid}\n{_wrap(what, lang, 8, 16)}" if what else pid


def _fractional_year(label: str) -> float:
    """``YYYY-MM`` as a year with the month as a fraction (month centre)."""
    return int(label[:4]) + (int(label[5:7]) - 0.5) / 12.0


RIGHT_PANEL_IN = FIGSIZE[0] * 0.5
"""Width of the time panel of the land-premium chart [in], for placing labels before layout."""


def _land_timeline(ax: Any, table: Any, y: np.ndarray, unit: Any, lang: str) -> None:
    """Sale, installments and required completions of each parcel on a time axis."""
    largest = max((a for row in table["installments"] for _, a in row), default=1.0) or 1.0
    times = []
    reach: list[tuple[float, float]] = []  # (time, inches of label to its left (−) or right (+))
    for yi, (_pid, row) in zip(y, table.iterrows()):
        sale = _fractional_year(row["sale"])
        times.append(sale)
        ax.plot([sale, sale], [yi - 0.22, yi + 0.22], color=INK, linewidth=2.6, zorder=5, solid_capstyle="butt")
        for month, amount in row["installments"]:
            t = _fractional_year(month)
            times.append(t)
            ax.scatter([t], [yi], s=40 + 420 * amount / largest, color=INFLOW_COLOURS[1], edgecolor=INK,
                       linewidth=0.6, zorder=4)
            ax.annotate(unit.value(amount), (t, yi + 0.22), xytext=(0, 3), textcoords="offset points",
                        ha="center", va="bottom", fontsize=10)  # above the sale mark and the dot
        for k, (_wid, label, done) in enumerate(row["requires"]):
            t = _fractional_year(done)
            times.append(t)
            colour = POSITIVE if t <= sale else NEGATIVE
            level = yi - 0.32 - 0.2 * k  # each required work on its own level, labels clear of the others' lines
            ax.plot([t, sale], [level, level], color=colour, linestyle=(0, (2, 2)), linewidth=1.2, zorder=3)
            ax.plot([t], [level], marker="D", markersize=8, color=colour, markeredgecolor=INK, zorder=5)
            # beside the diamond, away from the dashed line to the sale: left of a work done in time
            text = f"{label} {done}"
            early = t <= sale
            ax.annotate(text, (t, level), xytext=(-8 if early else 8, 0), textcoords="offset points",
                        ha="right" if early else "left", va="center", fontsize=9.5, color=colour)
            reach.append((t, (-1 if early else 1) * (ems(text) * 9.5 / 72.0 + 0.2)))
    lo, hi = math.floor(min(times) - 0.25), math.ceil(max(times) + 0.25)
    width = RIGHT_PANEL_IN
    for t, inches in reach:  # widen the time axis so that every label stays inside it
        share = min(abs(inches) / width, 0.8)
        if inches < 0 and t - share * (hi - lo) < lo:
            lo = math.floor((t - share * hi) / (1.0 - share))
        elif inches > 0 and t + share * (hi - lo) > hi:
            hi = math.ceil((t - share * lo) / (1.0 - share))
    ax.set_xlim(lo, hi)
    ax.set_ylim(min(y) - 0.9, max(y) + 1.45)
    ax.xaxis.set_major_locator(MultipleLocator(1.0))
    ax.xaxis.set_major_formatter(lambda v, _p: f"{v:.0f}")
    ax.grid(True, axis="x")
    ax.grid(False, axis="y")
    ax.set_xlabel(tr(lang, "年份", "Year"))
    ax.tick_params(axis="y", left=False)
    ax.set_title(tr(lang, "出让、分期缴款与配套完工时点", "Sale, installments and completion of required works"),
                 loc="left", fontsize=13.5)
    ax.legend(handles=[
        Line2D([], [], color=INK, linewidth=2.6, label=tr(lang, "出让月", "Sale month")),
        Line2D([], [], linestyle="none", marker="o", markersize=10, color=INFLOW_COLOURS[1], markeredgecolor=INK,
               label=tr(lang, f"分期缴款（{unit.zh}，面积∝金额）",
                        f"Installment ({unit.en.split(' (')[0]}, area ∝ amount)")),
        Line2D([], [], linestyle="none", marker="D", markersize=8, color=POSITIVE, markeredgecolor=INK,
               label=tr(lang, "所需配套完工：不晚于出让", "Required work done by sale")),
        Line2D([], [], linestyle="none", marker="D", markersize=8, color=NEGATIVE, markeredgecolor=INK,
               label=tr(lang, "所需配套完工：晚于出让", "Required work done after sale"))],
        loc="upper center", ncol=2, fontsize=10, bbox_to_anchor=(0.5, 1.0))


# -- 7. relocation economics ---------------------------------------------------------

RELOCATION_STYLE = {
    "house_value": ("#08306b", ""),
    "bonus": ("#4a90c8", "//"),
    "return_discount": ("#c6dbef", ".."),
    "construction": ("#7f2704", ""),
    "transition": ("#d95f0e", "\\\\"),
    "moving": ("#fdae6b", ".."),
    "signing_reward": ("#bdbdbd", "xx"),
    "purchases": ("#ffffff", "//"),
}
MODES = {"cash": ("货币补偿", "Cash"), "voucher": ("房票安置", "Housing voucher"),
         "in_kind": ("实物安置", "In kind")}


def relocation_costs(result: Any, lang: str = "zh", *, date: str | None = None) -> Figure:
    """Relocation economics: cost per household of cash, voucher and in-kind relocation.

    Stacked parts per household of each mode (万元/户), from the run's line
    totals divided by the mode's households (see
    :func:`fcfinance.report.data.relocation_table` for what each part
    includes): house value, cash or voucher bonus, the voucher buy-back
    discount, resettlement construction, transition and moving allowances,
    signing reward, and resident purchases as an offset; the net per
    household is marked.

    Parameters
    ----------
    result : RunResult or SimulationResult
    lang : {'zh', 'en'}
    date : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    check_lang(lang)
    run = base_result(result)
    with house_style():
        table = relocation_table(run)
        fig, ax = new_figure()
        if table.empty:
            _empty(ax, tr(lang, "本方案无征收安置", "No acquisition or relocation in this scenario"))
            titles(fig, tr(lang, "安置方式户均成本", "Relocation cost per household"))
            footer(fig, provenance(run.scenario, date=date), lang)
            return fig
        x = np.arange(len(table))
        handles = []
        above, below = np.zeros(len(table)), np.zeros(len(table))
        for key, zh, en in RELOCATION_PARTS:
            values = table[key].to_numpy(dtype=float)
            if not np.any(values):
                continue
            colour, hatch = RELOCATION_STYLE[key]
            ax.bar(x, values, 0.55, bottom=np.where(values >= 0, above, below), color=colour, hatch=hatch,
                   zorder=3, **EDGE)
            above, below = above + np.clip(values, 0, None), below + np.clip(values, None, 0)
            handles.append(Patch(facecolor=colour, hatch=hatch, label=tr(lang, zh, en), **EDGE))
        land = table["land"].to_numpy(dtype=float)
        if np.any(land):  # its own segment on top: not paid in cash, but the project's land
            key, zh, en = LAND_PART
            ax.bar(x, land, 0.55, bottom=above, facecolor="#f2ead3", edgecolor=INK, hatch="++", linewidth=0.6,
                   linestyle=(0, (4, 2)), zorder=3)
            above = above + land
            handles.append(Patch(facecolor="#f2ead3", edgecolor=INK, hatch="++", linestyle=(0, (4, 2)),
                                 label=tr(lang, zh, en)))
        ax.plot(x, table["net"], linestyle="none", marker="D", markersize=11, color="white", markeredgecolor=INK,
                markeredgewidth=1.8, zorder=6)
        handles.append(Line2D([], [], linestyle="none", marker="D", markersize=10, color="white",
                              markeredgecolor=INK, markeredgewidth=1.8,
                              label=tr(lang, "户均净额", "Net per household")))
        for i, mode in enumerate(table.index):
            text = tr(lang, f"净额 {wan(table.loc[mode, 'net'], 1)}", f"net {wan(table.loc[mode, 'net'], 1)}")
            if table.loc[mode, "land"]:
                text += tr(lang, f"\n含用地 {wan(table.loc[mode, 'net_with_land'], 1)}",
                           f"\nwith land {wan(table.loc[mode, 'net_with_land'], 1)}")
            if table.loc[mode, "extra_area_discount"]:
                text += tr(lang, f"\n另：增购面积优惠\n{wan(table.loc[mode, 'extra_area_discount'], 1)}（非现金）",
                           f"\nplus extra-area discount\n{wan(table.loc[mode, 'extra_area_discount'], 1)} (not cash)")
            ax.annotate(text, (i, above[i]), xytext=(0, 12), textcoords="offset points", ha="center",
                        va="bottom", fontsize=11)
        _zero_line(ax)
        ax.set_xticks(x)
        ax.set_xticklabels([tr(lang, f"{MODES[m][0]}\n{table.loc[m, 'households']:,.0f} 户",
                               f"{MODES[m][1]}\n{table.loc[m, 'households']:,.0f} households") for m in table.index])
        ax.set_xlim(-0.6, len(table) - 0.4)
        low, high = ax.get_ylim()
        ax.set_ylim(low, high + 0.12 * (high - low))
        ax.yaxis.set_major_formatter(lambda v, _p: f"{v:,.0f}")
        ax.set_ylabel(tr(lang, "户均金额（万元/户）", "Per household, 10k CNY (万元)"))
        side_legend(fig, handles)
        summary = " · ".join(f"{tr(lang, MODES[m][0], MODES[m][1])} {wan(table.loc[m, 'net'], 1)}" for m in table.index)
        if "in_kind" in table.index and table.loc["in_kind", "land"]:
            summary += tr(lang, f"（实物安置含用地 {wan(table.loc['in_kind', 'net_with_land'], 1)}）",
                          f" (in kind with land {wan(table.loc['in_kind', 'net_with_land'], 1)})")
        titles(fig, tr(lang, "安置方式户均成本：货币补偿、房票与实物安置",
                       "Relocation cost per household: cash, voucher, in kind"),
               tr(lang, f"户均净额（万元/户）：{summary}", f"Net per household (万元): {summary}"))
        note(fig, lang, "按各安置方式户数（安置比例 × 总户数）平均：货币补偿不含非住宅补偿；"
                        "房票含兑付奖励，到期未用部分按面值结算；"
                           "实物安置含建设费（含涨价与增购面积）、临时安置费与回迁搬迁费，减居民增购房款；签约奖励与首次搬迁费按总户数平均。"
                           "不含拆除工程、工程建设其他费与预备费。安置房用地按本项目住宅地块楼面地价 × 安置房建筑面积计"
                           "（若出让可得的出让金，非现金支出），单列一段。",
                     "Per household of each mode (share × households). Cash: without non-residential compensation; "
                     "vouchers: with the redemption bonus, expiries at face value; in kind: construction (escalated, "
                     "extra area), transition, the move back, less resident purchases; signing reward and first move "
                     "over all households. Without demolition, soft costs, contingency. Land of the resettlement "
                     "housing: floor area × the project's residential floor price (premium forgone, not cash).")
        footer(fig, provenance(run.scenario, date=date), lang)
    return fig


CHARTS: list[tuple[str, Any, str, str, str]] = [
    ("01-funding-balance", funding_balance, "base", "资金平衡图", "Funding balance"),
    ("02-sources-and-uses", sources_and_uses, "base", "资金来源与运用", "Sources and uses"),
    ("03-cumulative-fan", cumulative_fan, "mc", "累计净现金流概率区间", "Cumulative net cash fan"),
    ("04-net-balance-distribution", net_balance_distribution, "mc", "资金结余概率分布",
     "Net balance distribution"),
    ("05-risk-ranking", risk_ranking, "mc", "风险因素排序", "Risks ranked"),
    ("06-land-premium", land_premium, "base", "土地出让金分地块", "Land premium by parcel"),
    ("07-relocation-costs", relocation_costs, "base", "安置方式户均成本", "Relocation cost per household"),
]
"""Every chart: file stem, function, 'base' (RunResult) or 'mc' (SimulationResult), titles."""
