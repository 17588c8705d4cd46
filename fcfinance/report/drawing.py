"""Drawing the hearing pack's charts, several at a time.

Each chart is drawn once and saved in every format; the layout worked out
for the first format is kept for the others (:func:`save_chart`).  Charts
are drawn in worker processes forked from this one (Linux), each with its
own matplotlib settings, so that the seven charts share the cores while
this process writes the workbook and the summary; elsewhere, or with one
core, they are drawn here one after another.  Every worker draws from the
same base run and the same Monte Carlo result (forked, not recomputed).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any

from .labels import tr

PNG_OPTIONS = {"compress_level": 3}
"""zlib level for PNG files: a few percent larger than level 6, about three times faster to write."""

_JOB: dict[str, Any] = {}
"""What forked workers draw from (set before the pool starts; inherited, never pickled)."""


def save_chart(fig: Any, out: Path, stem: str, formats: tuple[str, ...], title: str) -> list[Path]:
    """Save ``fig`` as ``out/stem.<fmt>`` for each format; lay it out once.

    Returns
    -------
    list of Path
        The files written, in the order of ``formats``.
    """
    from .style import save_figure

    written = []
    for i, fmt in enumerate(formats):
        target = out / f"{stem}.{fmt}"
        save_figure(fig, target, title, png=PNG_OPTIONS)
        if i == 0 and fig.get_layout_engine() is not None:
            fig.set_layout_engine("none")  # positions stay as the first save laid them out
        written.append(target)
    return written


def _draw(index: int) -> tuple[str, list[Path]]:
    """Draw chart ``index`` of the job and save it in every format."""
    job = _JOB
    stem, chart, kind, zh, en = job["charts"][index]
    lang = job["lang"]
    fig = chart(job["run"] if kind == "base" else job["sim"], lang=lang, date=job["date"])
    return stem, save_chart(fig, job["out"], stem, job["formats"], tr(lang, zh, en))


def left_out(run: Any, sim: Any, lang: str) -> dict[str, str]:
    """Charts the pack leaves out, each with the reason (for the summary and the workbook).

    Monte Carlo charts without risks (key ``'mc'``), and ``07-relocation-costs``
    for a project without acquisition (no household to divide by: an empty
    chart tells the panel nothing).
    """
    from .data import relocation_table

    out = {}
    if sim is None:
        out["mc"] = tr(lang, "情景无风险因素：未生成蒙特卡洛图表与工作表",
                       "the scenario has no risks: no Monte Carlo charts or sheets")
    if relocation_table(run).empty:
        out["07-relocation-costs"] = tr(lang, "本方案无征收安置：未生成图 07（安置方式户均成本）",
                                        "no acquisition or relocation: chart 07 (relocation cost per household) "
                                        "left out")
    return out


def prepare(sim: Any) -> None:
    """Compute once, before the workers fork, what several charts and the workbook read from the
    simulation (the fan, the rank correlations, the one-at-a-time tornado, the per-path table): the
    result keeps them, so every worker inherits them instead of computing them again."""
    from .data import sensitivity

    sim.fan()
    sensitivity(sim)
    sim.tornado()
    _ = sim.per_path


def drawing_processes(charts: int) -> int:
    """Worker processes for ``charts`` charts: one per core, 0 (draw here) without fork or with one core."""
    if not sys.platform.startswith("linux"):
        return 0
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - platforms without affinity
        cores = os.cpu_count() or 1
    return min(cores, charts) if cores > 1 and charts > 1 else 0


def draw_charts(charts: list[tuple[str, Callable[..., Any], str, str, str]], run: Any, sim: Any, out: Path,
                formats: tuple[str, ...], lang: str, date: str | None,
                meanwhile: Callable[[], None] | None = None, processes: int | None = None,
                ) -> Iterator[tuple[str, list[Path]]]:
    """Draw ``charts`` (entries of :data:`~fcfinance.report.charts.CHARTS`) and save them.

    Parameters
    ----------
    charts : list
        The charts to draw (Monte Carlo ones only when ``sim`` is given).
    run, sim : RunResult, SimulationResult or None
    out : Path
    formats : tuple of str
    lang : {'zh', 'en'}
    date : str or None
    meanwhile : callable, optional
        Work for this process while the workers draw (the workbook, the summary).
    processes : int, optional
        Worker processes (default :func:`drawing_processes`); 0 draws here.

    Yields
    ------
    (stem, paths)
        As each chart is written, in the order of ``charts``.
    """
    import multiprocessing

    n = drawing_processes(len(charts)) if processes is None else processes
    if sim is not None and n > 0:
        prepare(sim)
    _JOB.update(charts=charts, run=run, sim=sim, out=out, formats=formats, lang=lang, date=date)
    try:
        if n <= 0:
            if meanwhile is not None:
                meanwhile()
            for i in range(len(charts)):
                yield _draw(i)
            return
        with ProcessPoolExecutor(max_workers=n, mp_context=multiprocessing.get_context("fork")) as pool:
            futures: list[Future] = [pool.submit(_draw, i) for i in range(len(charts))]
            if meanwhile is not None:
                meanwhile()
            for future in futures:
                yield future.result()
    finally:
        _JOB.clear()
