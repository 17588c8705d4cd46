"""Charts of decisions: the sweep (模拟运算) and the comparison of variants, in the house style.

:func:`sweep_chart` draws a one-way sweep as a line and a two-way sweep as a
heatmap, with the level where the project balances (net balance, NPV or
ending balance 0, balance ratio 1, probability :data:`~fcfinance.decisions.BALANCE_PROBABILITY`)
as a reference line or contour.  :func:`compare_chart` draws the net
balance of each variant (and P(balanced) when simulated).  Both carry the
hearing pack's footer with provenance.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.figure import Figure

from .labels import check_lang, metric_name, tr
from .style import (
    GREY,
    INK,
    MEDIAN,
    NEGATIVE,
    POSITIVE,
    ZERO,
    footer,
    house_style,
    money_unit,
    new_figure,
    note,
    percent,
    provenance,
    titles,
)


def _level_text(measure: Any, level: float, lang: str) -> str:
    if measure.kind == "probability":
        return tr(lang, f"{measure.label(lang)} = {percent(level, 0)}", f"{measure.label(lang)} = {percent(level, 0)}")
    if measure.metric == "balance_ratio":
        return tr(lang, "资金平衡率 = 1", "balance ratio = 1")
    return tr(lang, f"{measure.label(lang)} = 0（资金平衡线）", f"{measure.label(lang)} = 0 (break-even)")


def _value_axis(measure: Any, values: np.ndarray, lang: str):
    """Formatter, axis label and unit text of the swept measure."""
    if measure.kind == "probability":
        return (lambda v, _p: f"{100 * v:.0f}%"), measure.label(lang), "%"
    if measure.unit == "万元":
        unit = money_unit(values)
        return unit.formatter(), f"{measure.label(lang)}（{unit.name(lang)}）" if lang == "zh" else \
            f"{measure.label(lang)}, {unit.name(lang)}", unit.name(lang)
    return (lambda v, _p: f"{v:,.3g}"), measure.label(lang), ""


def sweep_chart(sweep: Any, lang: str = "zh", *, date: str | None = None) -> Figure:
    """模拟运算图: the measure over one decision (line) or two (heatmap with the balance contour).

    Parameters
    ----------
    sweep : fcfinance.sweeps.Sweep
    lang : {'zh', 'en'}
    date : str, optional
        Date in the provenance (default: today).

    Returns
    -------
    matplotlib.figure.Figure
    """
    check_lang(lang)
    measure = sweep.measure
    level = measure.balance_level
    values = np.asarray(sweep.values, dtype=float)
    prov = provenance(sweep.scenario, date=date, simulation=sweep if sweep.paths is not None else None)
    with house_style():
        fmt, label, _ = _value_axis(measure, values, lang)
        fig, ax = new_figure()
        xs = sweep.x.values
        if sweep.y is None:
            ax.plot(xs, values, color=MEDIAN, marker="o" if xs.size <= 30 else None, markersize=5, zorder=4,
                    label=label)
            if sweep.se is not None:
                ax.fill_between(xs, values - 2 * sweep.se, values + 2 * sweep.se, color="#c6dbef", zorder=2,
                                label=tr(lang, "±2 个标准误", "±2 standard errors"))
            if level is not None:
                ax.axhline(level, color=ZERO, linewidth=1.3, linestyle=(0, (6, 3)), zorder=3,
                           label=_level_text(measure, level, lang))
            ax.yaxis.set_major_formatter(fmt)
            ax.set_ylabel(label)
            ax.grid(True, axis="both")
            ax.legend(loc="best")
        else:
            ys = sweep.y.values
            finite = values[np.isfinite(values)]
            if measure.kind == "probability":
                vmin, vmax, cmap = 0.0, 1.0, "RdYlBu"
            elif level is not None and finite.size:
                span = max(abs(finite.max() - level), abs(finite.min() - level)) or 1.0
                vmin, vmax, cmap = level - span, level + span, "RdYlBu"
            else:
                vmin, vmax, cmap = (finite.min(), finite.max(), "viridis") if finite.size else (0, 1, "viridis")
            mesh = ax.pcolormesh(xs, ys, values, shading="nearest", cmap=cmap, vmin=vmin, vmax=vmax, zorder=1)
            bar = fig.colorbar(mesh, ax=ax, format=fmt, pad=0.015)
            bar.set_label(label)
            drawn = False
            if level is not None and finite.size and finite.min() < level < finite.max() and min(xs.size, ys.size) > 1:
                lines = ax.contour(xs, ys, values, levels=[level], colors=INK, linewidths=2.4, zorder=3)
                ax.clabel(lines, fmt={level: _level_text(measure, level, lang)}, fontsize=11, inline=True)
                drawn = True
            ax.set_ylabel(sweep.y.decision.label(lang))
            ax.grid(False)
            if level is not None and not drawn:
                ax.text(0.99, 0.02, tr(lang, f"网格内无 {_level_text(measure, level, lang)} 的点",
                                       f"no cell reaches {_level_text(measure, level, lang)}"),
                        transform=ax.transAxes, ha="right", va="bottom", color=GREY, fontsize=11)
        ax.set_xlabel(sweep.x.decision.label(lang))
        what = measure.label(lang)
        if sweep.y is None:
            title = tr(lang, f"模拟运算：{what} 随决策变化", f"Sweep: {what} against the decision")
        else:
            title = tr(lang, f"模拟运算：{what}（双因素）", f"Two-way sweep: {what}")
        if finite_extremes := _extremes(values):
            lo, hi = finite_extremes
            sub = tr(lang, f"{sweep.scenario.name} · 网格 {values.size:,} 个 · 范围 {_show(lo, measure)} … "
                           f"{_show(hi, measure)}",
                     f"{sweep.scenario.name} · {values.size:,} cells · from {_show(lo, measure)} "
                     f"to {_show(hi, measure)}")
        else:
            sub = sweep.scenario.name
        titles(fig, title, sub)
        how = {"scale": tr(lang, "倍数：所有匹配字段 × x", "multiplier: every matched field × x"),
               "set": tr(lang, "取值：所有匹配字段 = x", "value: every matched field = x"),
               "shift": tr(lang, "月数：所有匹配日期 + x 个整月", "months: every matched date + x whole months")}
        text_zh = "横轴 " + how[sweep.x.decision.mode]
        text_en = "x axis " + how[sweep.x.decision.mode]
        if sweep.y is not None:
            text_zh += "；纵轴 " + how[sweep.y.decision.mode]
            text_en += "; y axis " + how[sweep.y.decision.mode]
        if sweep.paths is not None:
            text_zh += "。每个格点用同一组抽样风险计算（共同随机数），格点之间的差别不含抽样噪声的差异。"
            text_en += ". Every cell uses the same sampled risks (common random numbers)."
        note(fig, lang, text_zh + "（测算口径 §15）", text_en + " (METHOD §15)")
        footer(fig, prov, lang)
    return fig


def _extremes(values: np.ndarray) -> tuple[float, float] | None:
    finite = values[np.isfinite(values)]
    return (float(finite.min()), float(finite.max())) if finite.size else None


def _show(v: float, measure: Any) -> str:
    if measure.kind == "probability":
        return percent(v)
    if measure.unit == "万元":
        return f"{v:,.0f} 万元"
    return f"{v:,.4g}"


def compare_chart(comparison: Any, lang: str = "zh", *, date: str | None = None) -> Figure:
    """方案比较图: net balance of each variant (bars), and P(balanced) beside it when simulated.

    Parameters
    ----------
    comparison : fcfinance.comparison.Comparison
    lang : {'zh', 'en'}
    date : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    check_lang(lang)
    variants = comparison.variants
    first = variants[0].scenario
    simulated = [v for v in variants if v.summary is not None]
    prov = provenance(first, date=date)
    if simulated:
        s = simulated[0].summary
        prov.update(paths=int(s["paths"]), seed=int(s["seed"]), sampling=s["sampling"])
    prov["scenario"] = tr(lang, f"{first.name} 等 {len(variants)} 个方案", f"{first.name} and {len(variants) - 1} more")
    with house_style():
        nb = np.array([float(v.metrics["net_balance"]) for v in variants])
        unit = money_unit(nb)
        fig, axes = new_figure(2 if simulated else 1, width_ratios=[1.4, 1.0] if simulated else None)
        ax = axes[0] if simulated else axes
        pos = np.arange(len(variants))
        labels = [v.scenario.name for v in variants]
        if len(set(labels)) < len(labels):  # names alike: the files tell them apart
            from pathlib import Path

            labels = [Path(v.file).name for v in variants]
        names = [f"{i + 1}. {label}" for i, label in enumerate(labels)]
        colours = [POSITIVE if v >= 0 else NEGATIVE for v in nb]
        ax.barh(pos, nb, color=colours, edgecolor=INK, linewidth=0.6, zorder=3)
        ax.axvline(0, color=ZERO, linewidth=1.0, zorder=2)
        for y, v in zip(pos, nb):
            ax.annotate(unit.value(v), (v, y), xytext=(4 if v >= 0 else -4, 0), textcoords="offset points",
                        ha="left" if v >= 0 else "right", va="center", fontsize=11)
        ax.margins(x=0.18)  # room for the amounts at the ends of the bars
        ax.set_yticks(pos)
        ax.set_yticklabels([n if len(n) <= 28 else n[:27] + "…" for n in names])
        ax.invert_yaxis()
        ax.xaxis.set_major_formatter(unit.formatter())
        ax.set_xlabel(tr(lang, f"{metric_name('net_balance', lang)}（{unit.zh}）",
                         f"{metric_name('net_balance', lang)}, {unit.en}"))
        ax.grid(True, axis="x")
        ax.grid(False, axis="y")
        if simulated:
            pax = axes[1]
            p = np.array([v.summary["p_balanced"] if v.summary else np.nan for v in variants])
            se = np.array([v.summary["p_balanced_se"] if v.summary else np.nan for v in variants])
            pax.barh(pos, p, xerr=2 * se, color="#92c5de", edgecolor=INK, linewidth=0.6, zorder=3,
                     error_kw={"ecolor": INK, "capsize": 4})
            pax.set_yticks(pos)
            pax.set_yticklabels([])
            pax.invert_yaxis()
            pax.set_xlim(0, 1)
            pax.xaxis.set_major_formatter(lambda v, _p: f"{100 * v:.0f}%")
            pax.set_xlabel(tr(lang, "P(资金平衡)（误差棒 ±2 个标准误）", "P(balanced) (bars ±2 standard errors)"))
            pax.grid(True, axis="x")
            pax.grid(False, axis="y")
        best = int(np.nanargmax(nb))
        titles(fig, tr(lang, "方案比较：资金结余" + ("与资金平衡概率" if simulated else ""),
                       "Variants compared: net balance" + (" and P(balanced)" if simulated else "")),
               tr(lang, f"{len(variants)} 个方案 · 资金结余最高：{names[best]}",
                  f"{len(variants)} variants · highest net balance: {names[best]}"))
        files = "；".join(f"{i + 1}. {v.file}" for i, v in enumerate(variants))
        note(fig, lang, f"方案文件：{files}", f"Files: {files}")
        footer(fig, prov, lang)
    return fig
