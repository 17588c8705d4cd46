"""The hearing pack of a platform (``fcfinance report PORTFOLIO``): platform charts and a workbook.

Three charts of its own — the platform's funding balance stacked by project,
the cross-subsidy over time, each project's contribution — then the
hearing-pack charts of :mod:`fcfinance.report.charts` drawn for the platform
(its pooled lines; its Monte Carlo run), and a workbook with the platform's
sheets and one sheet per project.  Every number is the engine's
(:class:`~fcfinance.portfolio.evaluate.PortfolioRunResult`,
:class:`~fcfinance.portfolio.simulate.PortfolioSimulationResult`).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ..atomic import atomic_target
from ..names import METRICS
from ..report.charts import CHARTS
from ..report.labels import check_lang, metric_name, tr
from ..report.pack import ReportFiles
from ..report.style import (
    GREY,
    INK,
    NEGATIVE,
    POSITIVE,
    footer,
    house_style,
    money_unit,
    new_figure,
    note,
    provenance,
    save_figure,
    titles,
    wan,
)

PALETTE = ("#4C72B0", "#DD8452", "#55A868", "#C44E52", "#8172B3", "#937860", "#DA8BC3", "#8C8C8C",
           "#CCB974", "#64B5CD")
"""Colours of the projects, in file order (cycled)."""

EDGE = {"edgecolor": INK, "linewidth": 0.5}


def _years(run: Any) -> tuple[list[str], np.ndarray]:
    """Calendar years of the platform's periods, and each project's net cash by year (N, Y). [万元]"""
    tl = run.scenario.timeline
    first = [tl.month_label(tl.period_start_month(p))[:4] for p in range(tl.periods)]
    net = np.diff(run.project_cumulative, axis=1, prepend=0.0)
    years = sorted(set(first))
    by_year = np.stack([net[:, [f == y for f in first]].sum(axis=1) for y in years], axis=1)
    return years, by_year


def platform_balance(run: Any, lang: str = "zh", *, date: str | None = None) -> Figure:
    """平台资金平衡图: each project's net cash by calendar year, stacked; the platform's cumulative net cash.

    Bars above zero are the projects in surplus that year, below zero those in
    deficit; the line is the platform's cumulative project net cash by period
    (no bonds, no interest, as §8), with its peak funding need.
    """
    check_lang(lang)
    with house_style():
        years, by_year = _years(run)
        flows = run.cashflows
        m = run.metrics
        fig, ax = new_figure()
        x = np.arange(len(years))
        unit = money_unit(np.clip(by_year, 0, None).sum(axis=0), np.clip(by_year, None, 0).sum(axis=0),
                          flows["cumulative_net"])
        up, down = np.zeros(len(years)), np.zeros(len(years))
        handles = []
        for i, pid in enumerate(run.projects):
            colour = PALETTE[i % len(PALETTE)]
            values = by_year[i]
            pos, neg = np.clip(values, 0, None), np.clip(values, None, 0)
            ax.bar(x, pos, 0.72, bottom=up, color=colour, zorder=3, **EDGE)
            ax.bar(x, neg, 0.72, bottom=down, color=colour, zorder=3, **EDGE)
            up, down = up + pos, down + neg
            handles.append(Patch(facecolor=colour, label=f"{pid} {run.projects[pid].scenario.name[:14]}", **EDGE))
        tl = run.scenario.timeline
        first = (int(tl.start[5:7]) - 1) / 12.0
        ends = first + (np.arange(tl.periods) + 1) * tl.months_per_period / 12.0 - 0.5
        ax.plot(np.concatenate([[first - 0.5], ends]), np.concatenate([[0.0], flows["cumulative_net"].to_numpy()]),
                color=INK, linewidth=2.4, zorder=5)
        handles.append(Line2D([], [], color=INK, linewidth=2.4,
                              label=tr(lang, "平台累计净现金流", "Platform cumulative net cash")))
        need = m["peak_funding_need"]
        if need > 0:
            p = int(run.evaluation.metrics["peak_funding_period"][0])
            ax.plot([ends[p]], [-need], marker="v", markersize=12, color=NEGATIVE, zorder=6, markeredgecolor=INK)
            handles.append(Line2D([], [], linestyle="none", marker="v", markersize=10, color=NEGATIVE,
                                  markeredgecolor=INK, label=metric_name("peak_funding_need", lang)))
        ax.axhline(0, color=INK, linewidth=0.8, zorder=4)
        cum = flows["cumulative_net"].to_numpy()
        lo, hi = min(down.min(), cum.min(), -need, 0.0), max(up.max(), cum.max(), 0.0)
        ax.set_ylim(lo - 0.06 * (hi - lo), hi + 0.08 * (hi - lo))
        ax.set_xticks(x, years, rotation=90 if len(years) > 14 else 0)
        ax.yaxis.set_major_formatter(unit.formatter())
        ax.set_ylabel(tr(lang, f"项目净现金流（{unit.zh}）", f"Project net cash, {unit.en}"))
        fig.legend(handles=handles, loc="outside right upper")
        titles(fig, tr(lang, "平台资金平衡图：各项目分年度净现金流与平台累计净现金流",
                       "Platform funding balance: each project's net cash by year, platform cumulative"),
               tr(lang, f"平台资金结余 {wan(m['net_balance'])} 万元 · 资金峰值 {wan(need)} 万元"
                        f"（{m['peak_funding_period'] or '—'}）· 项目数 {len(run.projects)}",
                  f"Platform net balance {wan(m['net_balance'])} (万元) · peak need {wan(need)} "
                  f"({m['peak_funding_period'] or '—'}) · {len(run.projects)} projects"))
        note(fig, lang, "柱：各项目各自然年的项目净现金流（盈余向上、缺口向下）。折线：平台报告期末累计项目净现金流，"
                           "不含专项债本息与缺口融资利息。",
             "Bars: each project's net cash by calendar year (surplus up, gap down). Line: the platform's "
             "cumulative project net cash at each period end, without bonds and gap interest.")
        footer(fig, provenance(run.scenario, date=date), lang)
    return fig


def cross_subsidy(run: Any, lang: str = "zh", *, date: str | None = None) -> Figure:
    """内部调剂资金: X(p) by period (METHOD §14), with its peak."""
    check_lang(lang)
    with house_style():
        x = run.cross_subsidy
        labels = run.scenario.timeline.period_labels()
        fig, ax = new_figure()
        unit = money_unit(x)
        idx = np.arange(len(x))
        ax.fill_between(idx, 0, x, color=POSITIVE, alpha=0.5, zorder=3, step="mid")
        ax.step(idx, x, where="mid", color=INK, linewidth=1.4, zorder=4)
        peak, period = run.peak_cross_subsidy
        if peak > 0:
            p = int(np.argmax(x))
            ax.annotate(tr(lang, f"峰值 {unit.value(peak)} {unit.zh}（{period}）",
                           f"Peak {unit.value(peak)} ({period})"), (p, peak), xytext=(12, 0),
                        textcoords="offset points", va="center", fontsize=12,
                        bbox={"boxstyle": "round,pad=0.25", "fc": "white", "ec": GREY, "lw": 0.6})
        step = max(1, len(labels) // 16)
        ax.set_xticks(idx[::step], labels[::step], rotation=90)
        ax.yaxis.set_major_formatter(unit.formatter())
        ax.set_ylabel(tr(lang, f"内部调剂资金（{unit.zh}）", f"Cross-subsidy, {unit.en}"))
        ax.set_ylim(bottom=0)
        titles(fig, tr(lang, "内部调剂资金：盈余项目为缺口项目垫付的资金", "Cross-subsidy: what surplus projects "
                                                                  "lend to gap projects"),
               tr(lang, f"峰值 {wan(peak)} 万元（{period or '—'}）", f"Peak {wan(peak)} (万元) ({period or '—'})"))
        note(fig, lang, "X(p) = Σ max(0, −C_i(p)) − max(0, −Σ C_i(p))，"
                        "C_i 为项目 i 的累计项目净现金流（测算口径 §14）。",
             "X(p) = Σ max(0, −C_i(p)) − max(0, −Σ C_i(p)), C_i each project's cumulative net cash (METHOD §14).")
        footer(fig, provenance(run.scenario, date=date), lang)
    return fig


def project_contributions(run: Any, lang: str = "zh", *, date: str | None = None) -> Figure:
    """各项目贡献: each project's net balance and its share of the platform's."""
    check_lang(lang)
    with house_style():
        ids = list(run.projects)
        nets = run.project_net_balance
        shares = run.shares
        fig, ax = new_figure()
        unit = money_unit(nets)
        y = np.arange(len(ids))[::-1]
        ax.barh(y, nets, 0.6, color=[POSITIVE if v >= 0 else NEGATIVE for v in nets], zorder=3, **EDGE)
        for yi, pid, v in zip(y, ids, nets):
            ax.annotate(f"{unit.value(v)} ({shares[pid]:+.0%})", (v, yi), xytext=(6 if v >= 0 else -6, 0),
                        textcoords="offset points", ha="left" if v >= 0 else "right", va="center", fontsize=11)
        lo, hi = min(float(nets.min()), 0.0), max(float(nets.max()), 0.0)
        pad = 0.3 * ((hi - lo) or 1.0)  # room for the labels at the bar ends
        ax.set_xlim(lo - (pad if lo < 0 else 0.0), hi + (pad if hi > 0 else 0.0))
        ax.set_yticks(y, [f"{pid} {run.projects[pid].scenario.name[:16]}" for pid in ids])
        ax.axvline(0, color=INK, linewidth=0.8, zorder=4)
        ax.xaxis.set_major_formatter(unit.formatter())
        ax.set_xlabel(tr(lang, f"资金结余（{unit.zh}）", f"Net balance, {unit.en}"))
        m = run.metrics
        titles(fig, tr(lang, "各项目对平台资金结余的贡献", "Each project's contribution to the platform's net balance"),
               tr(lang, f"平台资金结余 {wan(m['net_balance'])} 万元；括号内为占比 net_i / Σ|net_j|",
                  f"Platform net balance {wan(m['net_balance'])} (万元); in brackets the share net_i / Σ|net_j|"))
        footer(fig, provenance(run.scenario, date=date), lang)
    return fig


PLATFORM_CHARTS = [
    ("p1-platform-balance", platform_balance, "平台资金平衡图", "Platform funding balance"),
    ("p2-cross-subsidy", cross_subsidy, "内部调剂资金", "Cross-subsidy"),
    ("p3-project-contributions", project_contributions, "各项目贡献", "Project contributions"),
]
"""(file stem, function, Chinese title, English title) of the platform's own charts."""


def _atomic_workbook(path: Path, sheets: dict[str, pd.DataFrame]) -> Path:
    """Write the sheets to ``path`` through a temporary file in the same folder, then rename
    (:func:`fcfinance.atomic.atomic_target`)."""
    with atomic_target(path) as tmp, pd.ExcelWriter(tmp, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name[:31])
    return path


def workbook_sheets(run: Any, sim: Any = None, lang: str = "zh") -> dict[str, pd.DataFrame]:
    """The workbook's sheets: platform metrics beside each project's, platform cash flows, projects,
    cross-subsidy, Monte Carlo summary, and one sheet of cash flows per project. [万元]"""
    names = {spec.key: (spec.zh if lang == "zh" else spec.en) for spec in METRICS}
    metrics = pd.DataFrame({tr(lang, "平台", "platform"): run.metrics,
                            **{pid: r.metrics for pid, r in run.projects.items()}})
    metrics.index = [names[k] for k in metrics.index]
    sheets = {tr(lang, "指标", "metrics"): metrics,
              tr(lang, "平台现金流", "platform cash flows"): run.labelled(run.cashflows, lang),
              tr(lang, "各项目", "projects"): run.projects_table(),
              tr(lang, "内部调剂", "cross-subsidy"): run.contributions()}
    if sim is not None:
        summary = sim.summary()
        rows = {k: v for k, v in summary.items() if not isinstance(v, (dict, list))}
        rows.update({f"{pid}.p_balanced": v["p_balanced"] for pid, v in summary["projects"].items()})
        sheets[tr(lang, "模拟", "simulation")] = pd.DataFrame({"value": rows})
    for pid, r in run.projects.items():
        sheets[f"{tr(lang, '项目', 'project')} {pid}"] = r.labelled(r.cashflows, lang)
    return sheets


def write_portfolio_report(portfolio: Any, out_dir: str | Path, paths: int | None = None, seed: int | None = None,
                           lang: str = "zh", progress: bool = True, *, sampling: str | None = None,
                           workers: int = 1, threads: int | None = None, date: str | None = None,
                           formats: tuple[str, ...] = ("png", "svg", "pdf")) -> ReportFiles:
    """Write a platform's hearing pack into ``out_dir``: charts in each format and ``workbook.xlsx``.

    Parameters as :func:`fcfinance.report.write_report`; ``portfolio`` a
    loaded :class:`~fcfinance.portfolio.load.Portfolio`.
    """
    check_lang(lang)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    files = ReportFiles(out)
    run = portfolio.run()
    sim = None
    if portfolio.model.risks or (portfolio.model.include_project_risks
                                 and any(s.model.risks for s in portfolio.projects.values())):
        sim = portfolio.simulate(paths=paths, seed=seed, sampling=sampling, workers=workers, threads=threads,
                                 progress=progress and sys.stderr is not None)
    else:
        files.notes.append(tr(lang, "平台无风险因素：未生成蒙特卡洛图表",
                              "the platform has no risks: no Monte Carlo charts"))
    charts = [(stem, chart, "base", zh, en) for stem, chart, zh, en in PLATFORM_CHARTS]
    charts += [c for c in CHARTS if c[0].endswith(("funding-balance", "sources-and-uses")) or c[2] == "mc"]
    for stem, chart, kind, zh, en in charts:
        if kind == "mc" and sim is None:
            continue
        fig = chart(run if kind == "base" else sim, lang=lang, date=date)
        files.charts[stem] = []
        for fmt in formats:
            target = out / f"{stem}.{fmt}"
            save_figure(fig, target, tr(lang, zh, en))
            files.charts[stem].append(target)
    files.workbook = _atomic_workbook(out / "workbook.xlsx", workbook_sheets(run, sim, lang))
    return files
