"""The verdict: what a run says about funding balance, in one place for every output.

A bare "资金平衡" misleads when the project's own balance (before financing)
is positive but the balance after bond service and gap interest is not, or
when a Monte Carlo run gives P(balanced) far below 1.  The verdict therefore
always names what it is about:

1. the base case's project balance before financing (``net_balance``,
   ``balance_ratio``; METHOD §8);
2. the base case's balance after bonds and gap interest (``ending_balance``);
3. where a Monte Carlo ran, P(balanced) = P(net balance ≥ 0) with its
   standard error (or its one-sided 95% bound at 0 or 1), and P(ending
   balance ≥ 0).

Used by ``fcfinance run`` (:func:`fcfinance.cli.summary_text`), ``fcfinance
simulate`` and the hearing pack's summary.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from .formatting import format_value
from .names import METRIC_BY_KEY


def _money(value: float) -> str:
    return format_value(float(value), "万元")


def _gap(value: float) -> str:
    return format_value(abs(float(value)), "万元")


def headline(metrics: Mapping[str, Any], lang: str) -> str:
    """One sentence on the base case: balanced before financing, and after it.

    Parameters
    ----------
    metrics : mapping
        The base case's METHOD §8 metrics (``net_balance``, ``ending_balance``,
        ``balance_ratio``). [万元]
    lang : {'zh', 'en'}
    """
    nb, end = float(metrics["net_balance"]), float(metrics["ending_balance"])
    zh = lang == "zh"
    if nb >= 0 and end >= 0:
        return ("基准情景资金平衡：项目收支有结余，计入专项债与缺口融资利息后期末余额仍为正" if zh else
                "Base case balanced: the project's own flows leave a surplus, and the balance stays "
                "positive after bonds and gap interest")
    if nb >= 0:
        return (f"基准情景项目收支平衡（融资前），但计入专项债与缺口融资利息后期末资金缺口 {_gap(end)} 万元" if zh
                else f"Base case: project flows balance before financing, but after bonds and gap interest "
                     f"the ending balance is a gap of {_gap(end)} 万元")
    if end >= 0:
        return (f"基准情景项目收支存在缺口 {_gap(nb)} 万元（融资前）；计入融资后期末余额为正" if zh else
                f"Base case: project flows fall short by {_gap(nb)} 万元 before financing; the ending "
                "balance after financing is positive")
    return (f"基准情景存在资金缺口：融资前缺口 {_gap(nb)} 万元，融资后期末缺口 {_gap(end)} 万元" if zh else
            f"Base case funding gap: {_gap(nb)} 万元 short before financing, {_gap(end)} 万元 short after "
            "bonds and gap interest")


def short_verdict(metrics: Mapping[str, Any], lang: str) -> str:
    """A few words for a chart subtitle: balanced or not, before and after financing."""
    before = float(metrics["net_balance"]) >= 0
    after = float(metrics["ending_balance"]) >= 0
    if lang == "zh":
        return {(True, True): "融资前后均资金平衡", (True, False): "融资前平衡、融资后有缺口",
                (False, True): "融资前有缺口、融资后为正", (False, False): "融资前后均有资金缺口"}[before, after]
    return {(True, True): "balanced before and after financing",
            (True, False): "balanced before financing, gap after",
            (False, True): "gap before financing, positive after",
            (False, False): "gap before and after financing"}[before, after]


def verdict_lines(metrics: Mapping[str, Any], summary: Mapping[str, Any] | None = None,
                  lang: str = "zh") -> list[str]:
    """The verdict: a headline, then the three statements it rests on.

    Parameters
    ----------
    metrics : mapping
        The base case's metrics. [万元]
    summary : mapping, optional
        :meth:`SimulationResult.summary` of a Monte Carlo run of the same scenario.
    lang : {'zh', 'en'}

    Returns
    -------
    list of str
        Plain text lines (no Markdown).
    """
    from .montecarlo.probability import format_probability

    zh = lang == "zh"
    ratio = float(metrics["balance_ratio"])
    ratio_text = "—" if math.isnan(ratio) else format_value(ratio, METRIC_BY_KEY["balance_ratio"].unit)  # 102.94%
    out = [headline(metrics, lang),
           (f"融资前项目资金结余 {_money(metrics['net_balance'])} 万元，资金平衡率 {ratio_text}" if zh else
            f"Project balance before financing: {_money(metrics['net_balance'])} 万元, balance ratio {ratio_text}"),
           (f"融资后期末资金余额（计入专项债与缺口融资利息） {_money(metrics['ending_balance'])} 万元" if zh else
            f"Ending balance after bonds and gap interest: {_money(metrics['ending_balance'])} 万元")]
    if summary is not None:
        p_bal = format_probability(summary, "p_balanced", lang)
        p_end = format_probability(summary, "p_ending_nonnegative", lang)
        n = f"{summary['paths']:,}"
        out.append(f"蒙特卡洛（{n} 条路径）：P(资金平衡) = {p_bal}；P(期末余额 ≥ 0) = {p_end}" if zh else
                   f"Monte Carlo ({n} paths): P(balanced) = {p_bal}; P(ending balance ≥ 0) = {p_end}")
    return out
