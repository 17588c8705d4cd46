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
    """A step label for the axis: each path by its last two segments, wrapped to ``width`` columns."""
    parts = [".".join(path.split(".")[-2:]) for path in label.split(" + ")]
    return textwrap.fill(" + ".join(parts), width, break_long_words=False, break_on_hyphens=False)


def provenance(diff: Diff, date: str | None = None) -> dict[str, Any]:
    """Files, scenario sha256 of both sides, fcfinance version and date, for the footer and file metadata."""
    a, b = diff.a.scenario, diff.b.scenario
    return {"scenario": f"A {a.name} → B {b.name}", "file": f"{a.path} → {b.path}",
            "scenario_sha256": f"{a.sha256} → {b.sha256}", "fcfinance_version": __version__,
            "date": date or _dt.date.today().isoformat()}


def bridge_figure(diff: Diff, lang: str = "zh", *, date: str | None = None) -> Any:
    """Draw the bridge of net balance from A to B.

    Parameters
    ----------
    diff : Diff
    lang : {'zh', 'en'}
        Language of titles and axis labels (step labels are field paths).
    date : str, optional
        ``YYYY-MM-DD`` in the footer (default: today).

    Returns
    -------
    matplotlib.figure.Figure
    """
    from ..report.labels import check_lang, tr
    from ..report.style import GREY, INK, NEGATIVE, POSITIVE, ZERO, house_style, money_unit, new_figure, titles, wan

    check_lang(lang)
    start, end = diff.a.metrics["net_balance"], diff.b.metrics["net_balance"]
    steps = diff.contributions
    with house_style():
        fig, ax = new_figure()
        levels = [start] + [c.net_balance for c in steps[:-1]] + [end]
        unit = money_unit(*levels)
        bars = [("A", 0.0, start, "#4d4d4d")]
        for c, low in zip(steps, levels):
            d = c.net_balance_delta
            bars.append((short_label(c.step.label), low, d, POSITIVE if d >= 0 else NEGATIVE))
        bars.append(("B", 0.0, end, "#4d4d4d"))
        for i, (_, low, height, colour) in enumerate(bars):
            ax.bar(i, height, 0.66, bottom=low, color=colour, edgecolor=INK, linewidth=0.6, zorder=3)
            sign = "+" if 0 < i < len(bars) - 1 and height > 0 else ""
            ax.annotate(f"{sign}{unit.value(height)}", (i, max(low, low + height)), xytext=(0, 4),
                        textcoords="offset points", ha="center", va="bottom", fontsize=11, color=INK)
            if i < len(bars) - 1:
                ax.plot([i + 0.33, i + 0.67], [low + height] * 2, color=GREY, linewidth=0.9,
                        linestyle=(0, (2, 2)), zorder=4)
        ax.axhline(0, color=ZERO, linewidth=1.0, zorder=2)
        ax.set_xticks(range(len(bars)), [b[0] for b in bars], fontsize=9 if len(bars) > 10 else 10.5,
                      rotation=0 if len(bars) <= 8 else 35, ha="center" if len(bars) <= 8 else "right")
        ax.set_xlim(-0.6, len(bars) - 0.4)
        ax.yaxis.set_major_formatter(unit.formatter())
        ax.set_ylabel(tr(lang, f"资金结余（{unit.zh}）", f"Net balance, {unit.en}"))
        low, high = ax.get_ylim()
        ax.set_ylim(low, high + 0.06 * (high - low))
        titles(fig, tr(lang, "资金结余变动归因：方案 A → 方案 B", "Net balance bridge: variant A → B"),
               tr(lang, f"A {wan(start)} 万元 → B {wan(end)} 万元，差额 {wan(end - start)} 万元；"
                        f"逐项依 B 中出现的顺序应用变更",
                  f"A {wan(start)} → B {wan(end)} (万元), change {wan(end - start)}; "
                  f"changes applied one at a time in the order they appear in B"))
        prov = provenance(diff, date)
        a, b = diff.a.scenario, diff.b.scenario
        for y, side, s in ((0.034, "A", a), (0.012, "B", b)):
            fig.text(0.012, y, f"{side}: {s.path} · sha256 {s.sha256}"
                     + (f" · fcfinance {__version__} · {prov['date']}" if side == "B" else ""),
                     fontsize=8.5, color=GREY, va="bottom", ha="left", gid="fcfinance-provenance")
        fig.fcfinance_provenance = prov  # read by fcfinance.report.style.save_figure
    return fig


def save_bridge(diff: Diff, path: str | Path, lang: str = "zh") -> None:
    """Draw the bridge and save it (format from the suffix), provenance in the file's metadata."""
    from ..report.style import save_figure

    save_figure(bridge_figure(diff, lang), path, title="资金结余变动归因 net balance bridge")
