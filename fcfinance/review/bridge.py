"""The attribution bridge: a waterfall from A's net balance to B's, one bar per step (万元).

Drawn in the house style of the hearing pack (:mod:`fcfinance.report.style`:
size, CJK font, money unit, colours), with a footer naming both sides' files
and scenario sha256 and the fcfinance version.
"""

from __future__ import annotations

import datetime as _dt
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._version import __version__

if TYPE_CHECKING:  # pragma: no cover
    from .diff import Diff


def short_label(label: str, width: int = 16) -> str:
    """A step label for the axis in English: each path by its last two segments, wrapped to ``width`` columns."""
    parts = [".".join(path.split(".")[-2:]) for path in label.split(" + ")]
    return textwrap.fill(" + ".join(parts), width, break_long_words=False, break_on_hyphens=False)


def step_label(label: str, lang: str, width: int = 16) -> str:
    """A step label for the axis: the schema's Chinese names (``R1 楼面地价``) or, in English, the
    last two segments of each path; broken between words (or after 、) to ``width`` columns."""
    from ..report.fieldnames import field_label

    if lang == "en":  # break after a dot or an underscore too: keys are long single words
        text = field_label(label, "en").replace(".", ".\0 ").replace("_", "_\0 ")
        lines = textwrap.wrap(text, max(6, width), break_long_words=False, break_on_hyphens=False)
        return "\n".join(line.replace("\0 ", "").replace("\0", "") for line in lines)
    text = field_label(label, "zh").replace("、", "、 ")
    lines = textwrap.wrap(text, max(4, width // 2), break_long_words=False, break_on_hyphens=False)
    return "\n".join(line.replace("、 ", "、") for line in lines)


NO_EFFECT = 0.005
"""Largest |change| of net balance [万元] (50 元, 0.00 as printed) of a step drawn as no bar."""

MOST_BARS = 16
"""Steps drawn one bar each; beyond that the smallest are drawn together as one bar."""


def no_effect(contribution: Any) -> bool:
    """A step that leaves the base case's net balance as it was (a name, risk or simulation settings)."""
    return abs(contribution.net_balance_delta) <= NO_EFFECT


def provenance(diff: Diff, date: str | None = None) -> dict[str, Any]:
    """Files, scenario sha256 of both sides, fcfinance version and date, for the footer and file metadata."""
    a, b = diff.a.scenario, diff.b.scenario
    return {"scenario": f"A {a.name} → B {b.name}", "file": f"{a.path} → {b.path}",
            "scenario_sha256": f"{a.sha256} → {b.sha256}", "fcfinance_version": __version__,
            "date": date or _dt.date.today().isoformat()}


def bridge_figure(diff: Diff, lang: str = "zh", *, date: str | None = None) -> Any:
    """Draw the bridge of net balance from A to B.

    One bar per step that changes the base case's net balance (the
    :data:`MOST_BARS` − 1 largest when there are more, the rest as one bar);
    steps without effect on it (the name, risk and simulation settings) are
    listed under the chart instead of drawn as zero bars.  A and B stand on the axis; when every
    level is positive the axis is at zero.

    Parameters
    ----------
    diff : Diff
    lang : {'zh', 'en'}
        Language of titles and labels; Chinese step labels name the fields as the
        schema does (``land.parcels.R1.floor_price_yuan_m2`` → ``R1 楼面地价``).
    date : str, optional
        ``YYYY-MM-DD`` in the footer (default: today).

    Returns
    -------
    matplotlib.figure.Figure
    """
    from ..report.fieldnames import field_label
    from ..report.labels import check_lang, tr
    from ..report.style import (
        GREY,
        INK,
        NEGATIVE,
        POSITIVE,
        ZERO,
        fitting_size,
        house_style,
        money_unit,
        new_figure,
        note,
        titles,
        wan,
    )

    check_lang(lang)
    start, end = diff.a.metrics["net_balance"], diff.b.metrics["net_balance"]
    steps = [c for c in diff.contributions if not no_effect(c)]
    idle = [c for c in diff.contributions if no_effect(c)]
    rest: list[Any] = []
    if len(steps) > MOST_BARS:  # the largest one by one, in their order; the others as one bar before B
        keep = set(sorted(range(len(steps)), key=lambda k: -abs(steps[k].net_balance_delta))[:MOST_BARS - 1])
        rest = [c for k, c in enumerate(steps) if k not in keep]
        steps = [c for k, c in enumerate(steps) if k in keep]
    with house_style():
        fig, ax = new_figure()
        unit = money_unit(start, end, *[c.net_balance for c in diff.contributions])
        bars = [("A", 0.0, start, "#4d4d4d")]
        level = start
        slot = 10.8 / (len(steps) + 2 + bool(rest)) * 0.9  # inches of axis per bar, less a gap
        columns = max(8, int(2 * slot * 72 / 9.0))  # two columns per CJK character at 9 pt
        for c in steps:
            d = c.net_balance_delta
            bars.append((step_label(c.step.label, lang, columns), level, d,
                         POSITIVE if d >= 0 else NEGATIVE))
            level += d
        if rest:
            d = sum(c.net_balance_delta for c in rest)
            bars.append((tr(lang, f"其他 {len(rest)} 项\n变更", f"{len(rest)} other\nchanges"), level, d,
                         POSITIVE if d >= 0 else NEGATIVE))
        bars.append(("B", 0.0, end, "#4d4d4d"))
        for i, (_, low, height, colour) in enumerate(bars):
            ax.bar(i, height, 0.66, bottom=low, color=colour, edgecolor=INK, linewidth=0.6, zorder=3)
            sign = "+" if 0 < i < len(bars) - 1 and height > 0 else ""
            ax.annotate(f"{sign}{unit.value(height)}", (i, max(low, low + height)), xytext=(0, 4),
                        textcoords="offset points", ha="center", va="bottom", fontsize=11, color=INK)
            if i < len(bars) - 1:
                ax.plot([i + 0.33, i + 0.67], [low + height] * 2, color=GREY, linewidth=0.9,
                        linestyle=(0, (2, 2)), zorder=4)
        labels = [b[0] for b in bars]
        ax.set_xticks(range(len(bars)), labels, fontsize=min(fitting_size(t, 10.5, slot) for t in labels))
        ax.set_xlim(-0.6, len(bars) - 0.4)
        ax.yaxis.set_major_formatter(unit.formatter())
        ax.set_ylabel(tr(lang, f"资金结余（{unit.zh}）", f"Net balance, {unit.en}"))
        tops = [max(low, low + h) for _, low, h, _ in bars]
        bottoms = [min(low, low + h) for _, low, h, _ in bars]
        low, high = ax.get_ylim()
        span = high - low
        if min(bottoms) >= 0:     # every bar above zero: they stand on the x axis
            ax.set_ylim(0.0, high + 0.06 * span)
        else:                     # the zero line is the axis the bars stand on
            ax.axhline(0, color=ZERO, linewidth=1.2, zorder=2)
            ax.spines["bottom"].set_visible(False)
            ax.tick_params(axis="x", length=0)
            ax.set_ylim(min(low, min(bottoms) - 0.02 * span), max(high, max(tops)) + 0.06 * span)
        titles(fig, tr(lang, "资金结余变动归因：方案 A → 方案 B", "Net balance bridge: variant A → B"),
               tr(lang, f"A {wan(start)} 万元 → B {wan(end)} 万元，差额 {wan(end - start)} 万元；"
                        f"逐项依 B 中出现的顺序应用变更",
                  f"A {wan(start)} → B {wan(end)} (万元), change {wan(end - start)}; "
                  f"changes applied one at a time in the order they appear in B"))
        if idle:
            names = [field_label(c.step.label, lang) + ("" if abs(c.npv_delta) <= NO_EFFECT else
                                                        tr(lang, "（仅净现值变动）", " (NPV only)")) for c in idle]
            shown = names[:10]
            more = len(names) - len(shown)
            listed = tr(lang, "、", "; ").join(shown) + (tr(lang, f" 等 {len(names)} 项", f" and {more} more")
                                                        if more else "")
            note(fig, lang, f"不改变基准情形资金结余的变更，未画出：{listed}。",
                 f"Changes that leave the base-case net balance unchanged, not drawn: {listed}.")
        prov = provenance(diff, date)
        a, b = diff.a.scenario, diff.b.scenario
        for y, side, s in ((0.026, "A", a), (0.006, "B", b)):
            text = (f"{side}: {s.path} · sha256 {s.sha256}"
                    + (f" · fcfinance {__version__} · {prov['date']}" if side == "B" else ""))
            fig.text(0.012, y, text, fontsize=fitting_size(text, 8.0, fig.get_figwidth() * 0.976), color=GREY,
                     va="bottom", ha="left", gid="fcfinance-provenance")
        fig.fcfinance_provenance = prov  # read by fcfinance.report.style.save_figure
    return fig


def save_bridge(diff: Diff, path: str | Path, lang: str = "zh", *, date: str | None = None) -> None:
    """Draw the bridge and save it (format from the suffix), provenance in the file's metadata."""
    from ..report.style import save_figure

    save_figure(bridge_figure(diff, lang, date=date), path, title="资金结余变动归因 net balance bridge")
