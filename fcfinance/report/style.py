"""The house style of the hearing-pack charts.

* **Size**: 12 × 6.75 in (16:9, a projector slide); text 13 pt, titles
  19 pt, tick labels 12 pt, so that labels stay readable projected and when
  the slide is printed on A4.  Saved at 300 dpi: 3,600 px wide.
* **Colour**: inflows in blues, outflows in oranges and browns, each family
  stepping in lightness so that neighbours differ in grey; adjacent fills
  also carry different hatches and a thin dark edge, so a greyscale print
  still tells them apart.  Lines differ in dash and marker, not only hue.
* **Money** in 万元, or in 亿元 when the largest amount drawn reaches 10 亿元,
  with thousands separators; the unit is in every axis label.
* **Provenance** in a footer on every chart: scenario name, scenario sha256,
  fcfinance version, date, and paths, seed and sampling for Monte Carlo.
"""

from __future__ import annotations

import datetime as _dt
import math
import textwrap
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import matplotlib
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from .._version import __version__
from ..formatting import DASH, percent, probability, wan  # noqa: F401  (the one number style, re-exported)
from ..formatting import wan as amount
from .fonts import font_families
from .labels import sampling_name, tr

FIGSIZE = (12.0, 6.75)
"""Figure size [in]: 16:9."""

DPI = 300
"""Resolution of saved PNG files [dots per inch]."""

HEADER = 0.135
"""Share of the figure height above the axes, for the title and subtitle."""

FOOTER = 0.125
"""Share of the figure height below the axes, for the note (up to three lines) and the provenance line."""

INK = "#1a1a1a"
GREY = "#6b6b6b"
ZERO = "#333333"

INFLOW_COLOURS = ("#08306b", "#4a90c8", "#a6cde8", "#dceaf6")
INFLOW_HATCHES = ("", "//", "..", "xx")
OUTFLOW_COLOURS = ("#7f2704", "#d95f0e", "#fdae6b", "#8c6d46", "#c9b28f", "#fee6ce")
OUTFLOW_HATCHES = ("", "\\\\", "..", "//", "xx", "--")
POSITIVE = "#2166ac"
NEGATIVE = "#b2182b"
FAN_OUTER = "#d4e3f2"
FAN_INNER = "#8fb8dc"
MEDIAN = "#08306b"

RC: dict[str, Any] = {
    "figure.figsize": FIGSIZE,
    "figure.dpi": 100,
    "savefig.dpi": DPI,
    "font.size": 13,
    "axes.titlesize": 15,
    "axes.labelsize": 13,
    "xtick.labelsize": 12,
    "ytick.labelsize": 12,
    "legend.fontsize": 11.5,
    "legend.frameon": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": ZERO,
    "axes.labelcolor": INK,
    "text.color": INK,
    "xtick.color": INK,
    "ytick.color": INK,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "grid.color": "#d0d0d0",
    "grid.linewidth": 0.7,
    "axes.axisbelow": True,
    "lines.linewidth": 2.2,
    "hatch.linewidth": 0.8,
    "hatch.color": "#202020",
    "axes.unicode_minus": False,
    "svg.fonttype": "path",
    "pdf.fonttype": 3,
}
"""matplotlib settings applied while a chart is built."""


_STYLE_LOCK = threading.RLock()
"""Held while matplotlib's settings are the house style: one chart at a time per process."""


@contextmanager
def house_style() -> Iterator[None]:
    """Build or draw figures in the house style, leaving matplotlib's settings as they were.

    matplotlib reads its settings (``rcParams``) when an artist is made and
    when a figure is drawn, from one dictionary per process.  The style is
    applied in a :func:`matplotlib.rc_context` held under a lock, so charts
    built in several threads each get the house style and the caller's
    settings (a notebook's) are the same afterwards.  Fonts are concrete
    family names (the CJK font is chosen on first use, see
    :func:`fcfinance.report.fonts.chosen_font`), so text keeps its font.
    """
    with _STYLE_LOCK:
        rc = dict(RC)
        rc["font.family"] = font_families()
        with matplotlib.rc_context(rc):
            yield


class HouseFigure(Figure):
    """A Figure that is drawn and saved in the house style, whatever the global settings then are."""

    def draw(self, renderer: Any) -> None:
        with house_style():
            super().draw(renderer)

    def savefig(self, fname: Any, **kwargs: Any) -> None:
        with house_style():
            super().savefig(fname, **kwargs)


def new_figure(ncols: int = 1, width_ratios: list[float] | None = None,
               sharey: bool = False) -> tuple[Figure, Any]:
    """A figure in the house style with room for title, subtitle, note and footer.

    Returns
    -------
    fig : Figure
    axes : Axes or array of Axes
    """
    fig = HouseFigure(figsize=FIGSIZE, layout="constrained")
    fig.get_layout_engine().set(rect=(0.0, FOOTER, 1.0, 1.0 - HEADER - FOOTER), w_pad=0.08)
    axes = fig.subplots(1, ncols, width_ratios=width_ratios, sharey=sharey)
    return fig, axes


def side_legend(fig: Figure, handles: list[Any] | None = None, **kwargs: Any) -> Any:
    """A legend to the right of the axes, from the top of the axes down (never beside the titles).

    The legend is measured first, then the axes' layout area is narrowed
    by its width, so the title and subtitle keep the full width of the figure.
    """
    legend = fig.legend(handles=handles, loc="upper left", borderaxespad=0.0, **kwargs) if handles is not None \
        else fig.legend(loc="upper left", borderaxespad=0.0, **kwargs)
    width = legend.get_window_extent(fig._get_renderer()).width / fig.bbox.width
    left = 1.0 - width - 0.012
    legend.set_bbox_to_anchor((left, 1.0 - HEADER), transform=fig.transFigure)
    engine = fig.get_layout_engine()
    if engine is not None and hasattr(engine, "set"):
        engine.set(rect=(0.0, FOOTER, left - 0.01, 1.0 - HEADER - FOOTER))
    return legend


def ems(text: str) -> float:
    """Width of one line of ``text`` in ems (a CJK character is 1 em, other characters about 0.56)."""
    return sum(1.0 if ord(ch) > 0x2E7F else 0.56 for ch in text)


def fitting_size(text: str, size: float, width_in: float) -> float:
    """``size`` [pt], or smaller so that the longest line of ``text`` fits ``width_in`` inches."""
    widest = max((ems(line) for line in text.splitlines()), default=0.0)
    return size if widest * size / 72.0 <= width_in else max(5.0, 72.0 * width_in / widest)


def titles(fig: Figure, title: str, subtitle: str = "") -> None:
    """Title (what the chart shows) and a subtitle line (the key figures)."""
    width = FIGSIZE[0] * 0.976
    fig.text(0.012, 0.975, title, fontsize=fitting_size(title, 19, width / 1.08), fontweight="bold", va="top",
             ha="left", color=INK)
    if subtitle:
        fig.text(0.012, 0.905, subtitle, fontsize=fitting_size(subtitle, 12.5, width), va="top", ha="left",
                 color=GREY)


NOTE_WIDTH = {"zh": 80, "en": 160}
"""Characters per line of a note (full-width for Chinese) at 10 pt across the figure."""


def wrap_note(text: str, lang: str) -> str:
    """Break a note into lines that fit the figure width (Chinese by characters, English by words)."""
    width = NOTE_WIDTH[lang]
    if lang == "en":
        return textwrap.fill(text, width)
    lines, line, size = [], "", 0.0
    for ch in text:
        w = 1.0 if ord(ch) > 0x2E7F else 0.55  # Latin letters and digits are about half as wide
        if size + w > width:
            word = len(line) - len(line.rstrip("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"))
            if ch.isascii() and ch.isalnum() and 0 < word < len(line):  # not inside a Latin word or number
                line, carry = line[:-word], line[-word:]
            else:
                carry = ""
            lines.append(line)
            line, size = carry, 0.55 * len(carry)
        line, size = line + ch, size + w
    return "\n".join(lines + [line])


def note(fig: Figure, lang: str, zh: str, en: str) -> None:
    """A note under the axes (at most three lines): what the figures include, the method's caveats."""
    fig.text(0.012, 0.042, wrap_note(tr(lang, zh, en), lang), fontsize=10, va="bottom", ha="left", color=GREY,
             linespacing=1.35)


# -- money ---------------------------------------------------------------------

@dataclass(frozen=True)
class MoneyUnit:
    """How money is shown: divisor from 万元 and the unit's names."""

    divisor: float
    zh: str
    en: str

    def name(self, lang: str) -> str:
        return tr(lang, self.zh, self.en)

    def value(self, amount_wan: float, decimals: int | None = None) -> str:
        """An amount in 万元 written in this unit with thousands separators."""
        d = (0 if self.divisor == 1 else 2) if decimals is None else decimals
        if amount_wan is None or not math.isfinite(float(amount_wan)):
            return DASH
        return amount(amount_wan / self.divisor, d)

    def formatter(self) -> FuncFormatter:
        """Axis tick labels in this unit, thousands separators, no trailing zeros."""
        def fmt(x: float, _pos: Any) -> str:
            text = f"{x / self.divisor:,.2f}".rstrip("0").rstrip(".")
            return "0" if text in ("-0", "") else text

        return FuncFormatter(fmt)


WAN_UNIT = MoneyUnit(1.0, "万元", "10k CNY (万元)")
YI_UNIT = MoneyUnit(1e4, "亿元", "100m CNY (亿元)")


def money_unit(*values: Any) -> MoneyUnit:
    """亿元 when the largest magnitude among ``values`` (万元) reaches 10 亿元, else 万元."""
    finite = [abs(float(v)) for arr in values for v in np.ravel(np.asarray(arr, dtype=float))
              if np.isfinite(v)]
    return YI_UNIT if finite and max(finite) >= 1e5 else WAN_UNIT




# -- provenance ----------------------------------------------------------------

def provenance(scenario: Any, *, date: str | None = None, simulation: Any = None) -> dict[str, Any]:
    """What every chart and the workbook say about their origin.

    Parameters
    ----------
    scenario : Scenario
    date : str, optional
        ``YYYY-MM-DD`` (default: today).
    simulation : SimulationResult, optional
        Adds paths, seed and sampling.

    Returns
    -------
    dict
        ``scenario``, ``file``, ``scenario_sha256``, ``fcfinance_version``, ``date``
        and, for Monte Carlo, ``paths``, ``seed``, ``sampling``.
    """
    out: dict[str, Any] = {
        "scenario": scenario.name,
        "file": scenario.path,
        "scenario_sha256": scenario.sha256,
        "fcfinance_version": __version__,
        "date": date or _dt.date.today().isoformat(),
    }
    if simulation is not None:
        out.update(paths=int(simulation.paths), seed=int(simulation.seed), sampling=simulation.sampling)
    return out


def provenance_text(prov: dict[str, Any], lang: str) -> str:
    """The footer line: name · sha256 · version · date [· paths · seed · sampling]."""
    parts = [prov["scenario"], f"sha256 {prov['scenario_sha256']}", f"fcfinance {prov['fcfinance_version']}",
             prov["date"]]
    if "paths" in prov:
        parts.append(tr(lang, f"蒙特卡洛 {prov['paths']:,} 次", f"Monte Carlo {prov['paths']:,} paths"))
        parts.append(tr(lang, f"种子 {prov['seed']}", f"seed {prov['seed']}"))
        parts.append(sampling_name(prov["sampling"], lang))
    return " · ".join(parts)


def footer(fig: Figure, prov: dict[str, Any], lang: str) -> None:
    """Write the provenance line at the foot of the figure and keep it on the figure.

    The dict is stored as ``fig.fcfinance_provenance`` so that
    :func:`save_figure` writes it into the files' metadata too.
    """
    text = provenance_text(prov, lang)
    fig.text(0.012, 0.012, text, fontsize=fitting_size(text, 8.5, fig.get_figwidth() * 0.976), color=GREY,
             va="bottom", ha="left", gid="fcfinance-provenance")
    fig.fcfinance_provenance = prov  # type: ignore[attr-defined]


def _metadata(fig: Figure, fmt: str, title: str) -> dict[str, Any]:
    prov = getattr(fig, "fcfinance_provenance", None) or {}
    text = provenance_text(prov, "en") if prov else ""
    creator = f"fcfinance {prov.get('fcfinance_version', __version__)}"
    if fmt == "png":
        return {"Title": title, "Description": text, "Software": creator, "Source": prov.get("file", "")}
    if fmt == "pdf":
        return {"Title": title, "Subject": text, "Creator": creator, "Keywords": prov.get("scenario_sha256", "")}
    if fmt == "svg":
        return {"Title": title, "Description": text, "Creator": creator, "Date": prov.get("date", ""),
                "Identifier": prov.get("scenario_sha256", "")}
    return {}


def save_figure(fig: Figure, path: Any, title: str = "", png: dict[str, Any] | None = None) -> None:
    """Save in the format of the path's suffix (png at :data:`DPI`), provenance in the metadata.

    ``png``: options for the PNG writer (Pillow), e.g. ``{"compress_level": 3}``.
    """
    fmt = str(path).rsplit(".", 1)[-1].lower()
    extra = {"pil_kwargs": dict(png)} if png and fmt == "png" else {}
    with house_style():
        fig.savefig(path, dpi=DPI, metadata=_metadata(fig, fmt, title), facecolor="white", **extra)
