"""Every chart, in Chinese and English, for every bundled scenario and template: no text box overlaps
another or a legend, none leaves the figure, and no value label is crossed by an axis line.

Text boxes are matplotlib's own window extents (``Text.get_window_extent``) after the figure is laid
out and drawn (``Figure.draw_without_rendering``), at the figure's dpi; axis lines are the spines and
the straight horizontal or vertical lines drawn in an axes (zero lines, base lines, percentile lines,
the payback line).  Grid lines and the bars themselves are not obstacles.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from matplotlib.legend import Legend
from matplotlib.text import Text
from matplotlib.transforms import Bbox

import fcfinance as fc
from fcfinance.montecarlo.simulate import simulate
from fcfinance.report.charts import CHARTS
from tests.conftest import ROOT

SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml")) + sorted((ROOT / "models").glob("*.yaml"))
PATHS = 512
TOLERANCE = 1.0
"""Pixels by which two boxes may touch (antialiasing), at the figure's 100 dpi."""


def _shrink(box: Bbox, by: float = TOLERANCE) -> Bbox:
    return Bbox.from_extents(box.x0 + by, box.y0 + by, box.x1 - by, box.y1 - by)


def _drawn_tick_labels(ax) -> list[Text]:
    labels = []
    for axis in (ax.xaxis, ax.yaxis):
        for tick in axis._update_ticks():  # the ticks inside the view, which are the ones drawn
            labels += [t for t in (tick.label1, tick.label2) if t.get_visible()]
    return labels


def _texts(fig) -> list[tuple[str, Text]]:
    """(kind, Text) of every text drawn: 'figure', 'value' (in an axes), 'tick', 'axis', 'legend'."""
    out = [("figure", t) for t in fig.texts]
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        out += [("value", t) for t in ax.texts]
        if ax.axison:
            out += [("tick", t) for t in _drawn_tick_labels(ax)]
            out += [("axis", t) for t in (ax.xaxis.label, ax.yaxis.label)]
        out += [("axis", t) for t in (ax.title, ax._left_title, ax._right_title)]
    for legend in _legends(fig):
        out += [("legend", t) for t in legend.get_texts()]
    return [(k, t) for k, t in out if t.get_visible() and t.get_text().strip()]


def _legends(fig) -> list[Legend]:
    return list(fig.legends) + [ax.get_legend() for ax in fig.axes if ax.get_legend() is not None]


def _axis_segments(ax) -> list[tuple[np.ndarray, np.ndarray]]:
    """Display-coordinate segments of the spines and of every straight horizontal or vertical line."""
    segments = []
    for spine in ax.spines.values():
        if spine.get_visible():
            path = spine.get_path().transformed(spine.get_transform())
            v = path.vertices
            segments += [(v[i], v[i + 1]) for i in range(len(v) - 1)]
    for line in ax.lines:
        x, y = (np.asarray(a, dtype=float) for a in line.get_data())
        if x.size < 2 or line.get_linestyle() in ("None", "none", "", " "):
            continue
        if np.all(x == x[0]) or np.all(y == y[0]):
            xy = line.get_transform().transform(np.column_stack([x, y]))
            segments.append((xy.min(axis=0), xy.max(axis=0)))
    return segments


def _crosses(box: Bbox, a: np.ndarray, b: np.ndarray) -> bool:
    """An axis-parallel segment a–b passes through the inside of ``box``."""
    inner = _shrink(box, 2.0)
    if inner.width <= 0 or inner.height <= 0:
        return False
    (x0, y0), (x1, y1) = np.minimum(a, b), np.maximum(a, b)
    if abs(x1 - x0) < 0.5:   # vertical
        return inner.x0 < x0 < inner.x1 and y0 < inner.y1 and y1 > inner.y0
    if abs(y1 - y0) < 0.5:   # horizontal
        return inner.y0 < y0 < inner.y1 and x0 < inner.x1 and x1 > inner.x0
    return False


def layout_problems(fig) -> list[str]:
    """What a reader would see wrong: overlapping text, text off the figure, value labels struck through."""
    fig.draw_without_rendering()
    renderer = fig._get_renderer()
    page = fig.bbox
    texts = [(k, t, t.get_window_extent(renderer)) for k, t in _texts(fig)]
    problems = []
    for kind, t, box in texts:
        if box.x0 < page.x0 - TOLERANCE or box.y0 < page.y0 - TOLERANCE or \
                box.x1 > page.x1 + TOLERANCE or box.y1 > page.y1 + TOLERANCE:
            problems.append(f"{kind} text {t.get_text()!r} leaves the figure")
    for (k1, t1, b1), (k2, t2, b2) in itertools.combinations(texts, 2):
        if _shrink(b1).overlaps(_shrink(b2)):
            problems.append(f"{k1} text {t1.get_text()!r} overlaps {k2} text {t2.get_text()!r}")
    for legend in _legends(fig):
        frame = legend.get_window_extent(renderer)
        own = set(map(id, legend.get_texts()))
        if legend.get_title().get_text():
            own.add(id(legend.get_title()))
        for kind, t, box in texts:
            if id(t) not in own and _shrink(box).overlaps(_shrink(frame)):
                problems.append(f"{kind} text {t.get_text()!r} runs under a legend")
    for ax in fig.axes:
        segments = _axis_segments(ax)
        for t in ax.texts:
            if not (t.get_visible() and t.get_text().strip()):
                continue
            box = t.get_window_extent(renderer)
            if any(_crosses(box, a, b) for a, b in segments):
                problems.append(f"value label {t.get_text()!r} is crossed by an axis line")
    return problems


@pytest.fixture(scope="module", params=SCENARIOS, ids=lambda p: p.stem)
def results(request):
    scenario = fc.load(request.param)
    run = fc.run(scenario)
    sim = simulate(scenario, paths=PATHS, seed=1, progress=False) if scenario.model.risks else None
    return run, sim


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_label_overlaps_anything(results, lang):
    run, sim = results
    problems = []
    for stem, chart, kind, _zh, _en in CHARTS:
        if kind == "mc" and sim is None:
            continue
        fig = chart(run if kind == "base" else sim, lang=lang, date="2026-12-02")
        problems += [f"{stem}: {p}" for p in layout_problems(fig)]
    assert not problems, "\n".join(problems)


def test_the_checker_sees_an_overlap_a_label_off_the_figure_and_a_struck_label():
    """The checks above can fail: a drawn overlap, an escaping label and a zero line through a label."""
    from fcfinance.report.style import new_figure

    fig, ax = new_figure()
    ax.set_xlim(-1, 1)
    ax.set_ylim(-1, 1)
    ax.axvline(0)
    ax.text(-0.02, 0.5, "P90 12,345")
    fig.text(0.5, 0.5, "first label")
    fig.text(0.51, 0.5, "second label")
    fig.text(0.98, 0.2, "a label that runs off the page")
    problems = "\n".join(layout_problems(fig))
    assert "'P90 12,345' is crossed by an axis line" in problems
    assert "'first label' overlaps" in problems
    assert "leaves the figure" in problems


@pytest.mark.parametrize("lang, text", [
    ("zh", "土地出让收入"), ("zh", "公共配套及基础设施"), ("zh", "工程建设其他费及预备费"), ("zh", "居民增购房款"),
    ("en", "Public facilities and infrastructure"), ("en", "Soft costs and contingency"),
])
def test_bar_labels_break_between_words_only(lang, text):
    """Chart 02's labels: English between words, Chinese only before 及/与/、 (never 土地出/让收入)."""
    from fcfinance.report.charts import ZH_BREAKS, _wrap

    lines = _wrap(text, lang, 6, 13).split("\n")
    if lang == "en":
        assert " ".join(lines).split() == text.split()
    else:
        assert "".join(lines) == text
        assert all(line[0] in ZH_BREAKS for line in lines[1:])


def test_every_bundled_file_is_covered():
    assert len(SCENARIOS) >= 9 and all(isinstance(p, Path) for p in SCENARIOS)
