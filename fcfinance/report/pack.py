"""``write_report``: every chart (PNG, SVG, PDF), the workbook and a one-page summary in one folder."""

from __future__ import annotations

import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from matplotlib.figure import Figure

from ..atomic import atomic_folder
from ..formatting import display_unit, format_value, percent, probability, wan  # noqa: F401
from ..montecarlo.probability import format_probability
from ..names import METRICS
from ..verdict import verdict_lines
from .charts import CHARTS
from .data import sensitivity
from .labels import check_lang, metric_name, note_text, risk_label, sampling_name, tr
from .style import HouseFigure, house_style, provenance, provenance_text, save_figure
from .workbook import write_workbook

FORMATS = ("png", "svg", "pdf")
"""Formats every chart is written in (PNG at 300 dpi)."""

WORKBOOK = "workbook.xlsx"
SUMMARY_MD = "summary.md"
SUMMARY_PDF = "summary.pdf"


@dataclass
class ReportFiles:
    """What :func:`write_report` wrote.

    Attributes
    ----------
    out_dir : Path
    charts : dict
        File stem → list of paths (one per format).
    workbook, summary_md, summary_pdf : Path
    notes : list of str
        Charts left out and why (a scenario without risks has no Monte Carlo charts).
    """

    out_dir: Path
    charts: dict[str, list[Path]] = field(default_factory=dict)
    workbook: Path | None = None
    summary_md: Path | None = None
    summary_pdf: Path | None = None
    notes: list[str] = field(default_factory=list)

    def moved_to(self, folder: Path) -> ReportFiles:
        """The same files, in ``folder`` (where the finished pack was moved)."""
        def move(p: Path | None) -> Path | None:
            return None if p is None else folder / p.name

        return ReportFiles(folder, {k: [folder / p.name for p in v] for k, v in self.charts.items()},
                           move(self.workbook), move(self.summary_md), move(self.summary_pdf), list(self.notes))

    def all(self) -> list[Path]:
        """Every file written."""
        files = [p for paths in self.charts.values() for p in paths]
        return files + [p for p in (self.workbook, self.summary_md, self.summary_pdf) if p is not None]


def _value(key: str, value: Any, unit: str, lang: str) -> str:
    if key == "peak_funding_period":
        return value or "—"
    return format_value(value, unit)


def _unit(unit: str, lang: str) -> str:
    return display_unit(unit, lang)


def _main_risks(run: Any, sim: Any, lang: str) -> str:
    """The three risks ranked first by |partial rank correlation| (docs/montecarlo.md), with the
    contribution to variance only when the risks are independent."""
    names = {r.id: r.name for r in run.scenario.model.risks}
    valid = getattr(sim, "contribution_is_valid", False)
    parts = []
    for r, row in sensitivity(sim).head(3).iterrows():
        partial = row.partial_rank_correlation
        text = f"{risk_label(r, names.get(r), lang)} PRCC {'—' if partial != partial else f'{partial:+.2f}'}"
        if valid and row.contribution_to_variance == row.contribution_to_variance:
            text += tr(lang, f"（方差贡献 {row.contribution_to_variance:.0%}）",
                       f" ({row.contribution_to_variance:.0%} of variance)")
        parts.append(text)
    ranked = tr(lang, "、", ", ").join(parts)
    return tr(lang, f"影响最大的风险（按偏秩相关系数绝对值排序）：{ranked}",
              f"Most influential risks (by absolute partial rank correlation): {ranked}")


def summary_markdown(run: Any, sim: Any, prov: dict[str, Any], lang: str, files: list[str],
                     notes: list[str] | None = None) -> str:
    """The one-page summary as Markdown: metrics, verdict, P(balanced), main risks, files."""
    m = run.metrics
    out = [f"# {run.scenario.name} — {tr(lang, '资金平衡测算摘要', 'funding balance summary')}", "",
           f"{provenance_text(prov, lang)}", "",
           f"| {tr(lang, '指标', 'Metric')} | {tr(lang, '数值', 'Value')} | {tr(lang, '单位', 'Unit')} |",
           "|---|---:|---|"]
    for spec in METRICS:
        out.append(f"| {metric_name(spec.key, lang)} | {_value(spec.key, m[spec.key], spec.unit, lang)} | "
                   f"{_unit(spec.unit, lang)} |")
    verdict = verdict_lines(m, sim.summary() if sim is not None else None, lang)
    out += ["", f"{tr(lang, '**结论**：', '**Verdict:** ')}{verdict[0]}", ""] + [f"- {line}" for line in verdict[1:]]
    if run.irr_note:
        out += ["", f"{metric_name('irr', lang)}: {run.irr_note}"]
    if run.scenario.warnings:  # plausibility: likely unit slips (fcfinance.scenario.plausibility)
        out += ["", tr(lang, "**输入提示**（可能的单位错误）：", "**Input warnings** (likely unit slips):"), ""]
        out += [f"- {w.to_problem(lang).render(lang)}" for w in run.scenario.warnings]
    if sim is not None:
        s = sim.summary()
        out += ["", f"## {tr(lang, '蒙特卡洛模拟', 'Monte Carlo')}", "",
                tr(lang, f"- **P(资金平衡) = {format_probability(s, 'p_balanced', lang)}**"
                         f"（{s['paths']:,} 次，{sampling_name(s['sampling'], lang)}，种子 {s['seed']}；± 为标准误）",
                   f"- **P(balanced) = {format_probability(s, 'p_balanced', lang)}** "
                   f"({s['paths']:,} paths, {s['sampling']}, seed {s['seed']}; ± one standard error)"),
                tr(lang, f"- P(净现值 ≥ 0) = {format_probability(s, 'p_npv_nonnegative', lang)}；"
                         f"P(期末余额 ≥ 0) = {format_probability(s, 'p_ending_nonnegative', lang)}",
                   f"- P(NPV ≥ 0) = {format_probability(s, 'p_npv_nonnegative', lang)}; "
                   f"P(ending balance ≥ 0) = {format_probability(s, 'p_ending_nonnegative', lang)}"),
                tr(lang, f"- 资金结余 P10 / P50 / P90 = {wan(s['net_balance_p10'])} / {wan(s['net_balance_p50'])} / "
                         f"{wan(s['net_balance_p90'])} 万元；预期缺口 {wan(s['expected_shortfall'])} 万元",
                   f"- Net balance P10 / P50 / P90 = {wan(s['net_balance_p10'])} / {wan(s['net_balance_p50'])} / "
                   f"{wan(s['net_balance_p90'])} 万元; expected shortfall {wan(s['expected_shortfall'])} 万元")]
        out.append(f"- {_main_risks(run, sim, lang)}")
        for text in s["notes"]:
            out.append(f"- {note_text(text, lang)}")
    if notes:
        out += ["", f"## {tr(lang, '说明', 'Notes')}", ""] + [f"- {text}" for text in notes]
    out += ["", f"## {tr(lang, '文件', 'Files')}", ""]
    stems: dict[str, list[str]] = {}
    for name in files:
        stem, _, ext = name.rpartition(".")
        stems.setdefault(stem, []).append(ext)
    out += [f"- `{stem}` ({', '.join('.' + e for e in exts)})" for stem, exts in stems.items()]
    return "\n".join(out) + "\n"


def summary_figure(run: Any, sim: Any, prov: dict[str, Any], lang: str, files: list[str] | None = None) -> Figure:
    """The one-page summary as an A4 portrait figure (for the PDF)."""
    m = run.metrics
    with house_style():
        fig = HouseFigure(figsize=(8.27, 11.69))
        fig.text(0.07, 0.955, run.scenario.name, fontsize=17, fontweight="bold", va="top")
        fig.text(0.07, 0.925, tr(lang, "资金平衡测算摘要", "Funding balance summary"), fontsize=13, va="top",
                 color="#444444")
        ax = fig.add_axes((0.07, 0.53, 0.86, 0.37))
        ax.axis("off")
        rows = [[metric_name(s.key, lang), _value(s.key, m[s.key], s.unit, lang), _unit(s.unit, lang)]
                for s in METRICS]
        table = ax.table(cellText=rows, colLabels=[tr(lang, "指标", "Metric"), tr(lang, "数值", "Value"),
                                                   tr(lang, "单位", "Unit")],
                         colWidths=[0.58, 0.27, 0.15], loc="upper center", cellLoc="left")
        table.auto_set_font_size(False)
        table.set_fontsize(10.5)
        table.scale(1, 1.4)
        for (r, c), cell in table.get_celld().items():
            cell.set_edgecolor("#bbbbbb")
            if r == 0:
                cell.set_facecolor("#dde7f2")
            if c == 1 and r > 0:
                cell.set_text_props(ha="right")
        y = 0.54

        def say(text: str, size: float = 11.5, bold: bool = False, gap: float = 0.026) -> None:
            nonlocal y
            fig.text(0.07, y, text, fontsize=size, fontweight="bold" if bold else "normal", va="top")
            y -= gap

        # the verdict's headline and its two balances (P(balanced) follows on its own line)
        head, *balances = verdict_lines(m, None, lang)
        width = 44 if lang == "zh" else 92  # characters per line of the A4 text column
        for part in textwrap.wrap(tr(lang, "结论：", "Verdict: ") + head, width):
            say(part, 11.5, True, 0.022)
        for part in textwrap.wrap(tr(lang, "；", "; ").join(balances), int(width * 1.1)):
            say(part, 10.5, gap=0.02)
        y -= 0.008
        if sim is not None:
            s = sim.summary()
            say(tr(lang, f"P(资金平衡) = {format_probability(s, 'p_balanced', lang)}"
                         f"（{s['paths']:,} 次模拟，{sampling_name(s['sampling'], lang)}，种子 {s['seed']}）",
                   f"P(balanced) = {format_probability(s, 'p_balanced', lang)} "
                   f"({s['paths']:,} paths, {sampling_name(s['sampling'], lang)}, seed {s['seed']})"), 13, True, 0.034)
            say(tr(lang, f"资金结余 P10 / P50 / P90：{wan(s['net_balance_p10'])} / {wan(s['net_balance_p50'])} / "
                         f"{wan(s['net_balance_p90'])} 万元",
                   f"Net balance P10 / P50 / P90: {wan(s['net_balance_p10'])} / {wan(s['net_balance_p50'])} / "
                   f"{wan(s['net_balance_p90'])} 万元"))
            say(tr(lang, f"预期缺口 {wan(s['expected_shortfall'])} 万元；P(净现值 ≥ 0) = "
                         f"{format_probability(s, 'p_npv_nonnegative', lang, short=True)}",
                   f"Expected shortfall {wan(s['expected_shortfall'])} 万元; P(NPV ≥ 0) = "
                   f"{format_probability(s, 'p_npv_nonnegative', lang, short=True)}"))
            for part in textwrap.wrap(_main_risks(run, sim, lang), 50 if lang == "zh" else 100):
                say(part, 10.5, gap=0.022)
            y -= 0.018
        say(tr(lang, "图表", "Charts"), 12, True, 0.028)
        written = None if files is None else {name.rpartition(".")[0] for name in files}
        for stem, _chart, kind, zh, en in CHARTS:
            if (kind == "mc" and sim is None) or (written is not None and stem not in written):
                continue
            say(f"{stem}  {tr(lang, zh, en)}", 10, gap=0.021)
        prov_lines = [f"{tr(lang, '情景文件', 'File')}: {prov['file']}", f"sha256: {prov['scenario_sha256']}",
                      f"fcfinance {prov['fcfinance_version']} · {prov['date']}"]
        if "paths" in prov:
            prov_lines.append(tr(lang, f"蒙特卡洛 {prov['paths']:,} 次 · 种子 {prov['seed']} · "
                                 f"{sampling_name(prov['sampling'], lang)}",
                                 f"Monte Carlo {prov['paths']:,} paths · seed {prov['seed']} · {prov['sampling']}"))
        prov_lines.append(tr(lang, "单位：万元（比率、利率、年除外）", "Money in 万元 except ratios, rates and years"))
        fig.text(0.07, 0.04, "\n".join(prov_lines), fontsize=8.5, color="#555555", va="bottom", linespacing=1.5,
                 gid="fcfinance-provenance")
        fig.fcfinance_provenance = prov  # type: ignore[attr-defined]
    return fig


def write_summary(out_dir: Path, run: Any, sim: Any, lang: str, date: str | None,
                  files: list[str], notes: list[str] | None = None) -> tuple[Path, Path]:
    """Write ``summary.md`` and ``summary.pdf`` (one A4 page); ``notes``: charts left out and why."""
    prov = provenance(run.scenario, date=date, simulation=sim)
    md = out_dir / SUMMARY_MD
    md.write_text(summary_markdown(run, sim, prov, lang, files, notes), encoding="utf-8")
    pdf = out_dir / SUMMARY_PDF
    save_figure(summary_figure(run, sim, prov, lang, files), pdf,
                tr(lang, "资金平衡测算摘要", "Funding balance summary"))
    return md, pdf


def _bond_chart(scenario: Any, out: Path, files: ReportFiles, lang: str, date: str | None,
                formats: tuple[str, ...]) -> Any:
    """Compute the self-balance table and stress cases, write its chart; return the table (METHOD §13)."""
    from ..stress_cases import run_stress
    from .bond_report import STEM, TITLE, bond_self_balance

    table = run_stress(scenario).bond_table()
    fig = bond_self_balance(table, lang=lang, date=date)
    files.charts[STEM] = []
    for fmt in formats:
        save_figure(fig, out / f"{STEM}.{fmt}", tr(lang, *TITLE))
        files.charts[STEM].append(out / f"{STEM}.{fmt}")
    return table


def write_report(scenario: Any, out_dir: str | Path, paths: int | None = None, seed: int | None = None,
                 lang: str = "zh", progress: bool = True, *, sampling: str | None = None, workers: int = 1,
                 threads: int | None = None, date: str | None = None,
                 formats: tuple[str, ...] = FORMATS) -> ReportFiles:
    """Write the hearing pack of a scenario into ``out_dir``.

    Runs the base case and, when the scenario has risks, the Monte Carlo
    simulation (options as ``fcfinance simulate``); then writes every chart
    of :data:`fcfinance.report.charts.CHARTS` in each of ``formats`` (PNG at
    300 dpi, 3,600 px wide), ``workbook.xlsx``, ``summary.md`` and ``summary.pdf``.

    Parameters
    ----------
    scenario : Scenario or path
    out_dir : str or Path
        Created if missing.  The pack is built in a temporary folder beside
        it and moved into place only when complete: until then an old pack
        there stays whole, and a failure or interruption leaves it as it was.
        A second run into the same folder fails at once (lock file
        ``.<name>.lock`` beside it); a folder that is a symbolic link or
        holds files other than a pack's is refused (:mod:`fcfinance.atomic`).
    paths, seed, sampling : optional
        Override the file's ``simulation`` settings.
    lang : {'zh', 'en'}
    progress : bool
        A progress bar on stderr.
    workers : int
        Worker processes for the simulation (results do not depend on it).
    threads : int, optional
        Threads for the simulation's chunks (default:
        :func:`~fcfinance.montecarlo.parallel.default_threads`; results do not
        depend on it).
    date : str, optional
        Date in the provenance (default: today).
    formats : tuple of str
        Chart formats.

    Returns
    -------
    ReportFiles

    Raises
    ------
    fcfinance.errors.UsageError
        If ``out_dir`` is a link, a file, busy, or holds files of the user's (nothing written).
    """
    target = Path(out_dir)
    with atomic_folder(target, replaceable=lambda name: _pack_entry(name, formats)) as staging:
        files = _write_pack(scenario, staging, paths, seed, lang, progress, sampling=sampling, workers=workers,
                            threads=threads, date=date, formats=formats)
    return files.moved_to(target)


def _pack_entry(name: str, formats: tuple[str, ...]) -> bool:
    """A file name a hearing pack writes: an old pack's file, which a new pack may replace."""
    from .bond_report import STEM as BOND_STEM

    stem, _, ext = name.rpartition(".")
    return name in (WORKBOOK, SUMMARY_MD, SUMMARY_PDF) or (
        stem in {c[0] for c in CHARTS} | {BOND_STEM} and ext in set(FORMATS) | set(formats))


def _write_pack(scenario: Any, out: Path, paths: int | None = None, seed: int | None = None,
                 lang: str = "zh", progress: bool = True, *, sampling: str | None = None, workers: int = 1,
                 threads: int | None = None, date: str | None = None,
                 formats: tuple[str, ...] = FORMATS) -> ReportFiles:
    """Write every file of the pack into the (new, empty) folder ``out`` (see :func:`write_report`)."""
    from tqdm.auto import tqdm

    from ..montecarlo.simulate import simulate
    from ..result import run as run_base
    from ..scenario import as_scenario as _scenario

    check_lang(lang)
    scenario = _scenario(scenario)
    has_risks = bool(scenario.model.risks)
    has_bonds = bool(scenario.model.financing and scenario.model.financing.bonds)
    steps = 1 + has_risks + len(CHARTS) + has_bonds + 2
    files = ReportFiles(out)
    with tqdm(total=steps, desc=tr(lang, "听证材料", "hearing pack"), unit="step", file=sys.stderr,
              disable=not progress, leave=True) as bar:
        def step(label: str) -> None:
            bar.set_postfix_str(label, refresh=True)

        step(tr(lang, "基准测算", "base run"))
        run = run_base(scenario)
        bar.update()
        sim = None
        if has_risks:
            step(tr(lang, "蒙特卡洛模拟", "Monte Carlo"))
            sim = simulate(scenario, paths=paths, seed=seed, sampling=sampling, workers=workers,
                           threads=threads, progress=progress)
            bar.update()
        else:
            files.notes.append(tr(lang, "情景无风险因素：未生成蒙特卡洛图表与工作表",
                                  "the scenario has no risks: no Monte Carlo charts or sheets"))
        bond = _bond_chart(scenario, out, files, lang, date, formats) if has_bonds else None
        bar.update(has_bonds)
        _write_charts_and_tables(files, run, sim, lang, date, formats, step, bar.update, bond)
    return files


def _write_charts_and_tables(files: ReportFiles, run: Any, sim: Any, lang: str, date: str | None,
                             formats: tuple[str, ...], step: Any, done: Any, bond: Any = None) -> None:
    """Charts (drawn in parallel, :mod:`.drawing`), then workbook and summary written meanwhile.

    ``bond`` is the self-balance table of a project with special bonds (its chart already
    written into ``files``), for the workbook's sheet.
    """
    from .drawing import draw_charts, left_out

    out = files.out_dir
    skipped = left_out(run, sim, lang)
    files.notes += [text for stem, text in skipped.items() if stem != "mc"]
    charts = [c for c in CHARTS if c[0] not in skipped and not (c[2] == "mc" and sim is None)]
    for _ in range(len(CHARTS) - len(charts)):
        done()
    names = ([f"{c[0]}.{fmt}" for c in charts for fmt in formats] + [p.name for p in files.all()]
             + [WORKBOOK, SUMMARY_MD, SUMMARY_PDF])

    def tables() -> None:
        step(tr(lang, "工作簿", "workbook"))
        files.workbook = write_workbook(out / WORKBOOK, run, sim, lang=lang, date=date, bond=bond, notes=files.notes)
        done()
        step(tr(lang, "摘要", "summary"))
        files.summary_md, files.summary_pdf = write_summary(out, run, sim, lang, date, names, files.notes)
        done()
        step(tr(lang, "图表", "charts"))

    for stem, written in draw_charts(charts, run, sim, out, formats, lang, date, meanwhile=tables):
        files.charts[stem] = written
        done()
