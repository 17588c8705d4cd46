"""The Excel workbook of the hearing pack.

Sheets (Chinese names; ``lang='en'`` gives English ones), each with a title
row and a provenance row above its table:

=========================  ================  ==============================================
zh                         en                content
=========================  ================  ==============================================
指标                       metrics           every metric of METHOD §8 with names and units
现金流                     cashflows         every line by reporting period (万元, signed)
分年度                     by_year           every line by calendar year (万元, signed)
输入                       inputs            every input, flattened, with unit and origin
模拟                       simulation        ``simulate --json`` figures (Monte Carlo)
模拟分位数                 percentiles       every metric's mean, sd, P5 … P95
敏感性                     sensitivity       rank correlation, variance share, tornado
累计净现金流分位           fan               cumulative net cash percentiles by period
地块                       parcels           premium per parcel and installments
安置户均                   relocation        cost per household of each relocation mode
溯源                       provenance        scenario, sha256, version, date, paths, seed
=========================  ================  ==============================================

Every figure is written as a number, straight from the engine's results
(:class:`~fcfinance.result.RunResult`, :class:`SimulationResult`); totals are
the engine's line totals and metrics, not sums taken here.
"""

from __future__ import annotations

import math
import platform
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from pydantic import BaseModel

from ..names import LINES, METRIC_BY_KEY, METRICS
from ..result import SUBTOTALS, RunResult
from ..scenario.fields import field_at, unit_of
from ..scenario.schema import ScenarioSchema
from ..verdict import headline
from .data import LAND_PART, RELOCATION_PARTS, parcel_table, relocation_table, sensitivity
from .fieldnames import field_label
from .labels import check_lang, note_text, risk_label, sampling_name, tr, value_text
from .style import provenance, provenance_text

SHEETS = {
    "metrics": ("指标", "metrics"), "cashflows": ("现金流", "cashflows"), "by_year": ("分年度", "by_year"),
    "inputs": ("输入", "inputs"), "simulation": ("模拟", "simulation"),
    "percentiles": ("模拟分位数", "percentiles"), "sensitivity": ("敏感性", "sensitivity"),
    "fan": ("累计净现金流分位", "fan"), "parcels": ("地块", "parcels"),
    "relocation": ("安置户均", "relocation"), "provenance": ("溯源", "provenance"),
    "bond": ("专项债自求平衡", "bond_self_balance"),
}
"""Sheet names by key: (zh, en)."""

MONEY = "#,##0.00"
RATIO = "0.0000"
PERCENT = "0.00%"
"""Probabilities and shares, as percentages (the one number style, :mod:`fcfinance.formatting`)."""
HEAD = Font(bold=True)
HEAD_FILL = PatternFill("solid", fgColor="DDE7F2")
TITLE = Font(bold=True, size=14)
SMALL = Font(size=9, color="666666")

SUMMARY_LABELS = {
    "p_balanced": ("资金平衡概率 P(资金结余 ≥ 0)", "P(balanced) = P(net balance ≥ 0)"),
    "p_npv_nonnegative": ("净现值非负概率 P(NPV ≥ 0)", "P(NPV ≥ 0)"),
    "p_ending_nonnegative": ("期末余额非负概率", "P(ending balance ≥ 0)"),
    "expected_shortfall": ("预期缺口 E[−资金结余 | 资金结余 < 0]（万元）",
                           "Expected shortfall E[−net balance | net balance < 0] (万元)"),
    "paths": ("模拟路径数", "Paths"), "seed": ("随机种子", "Seed"), "sampling": ("抽样方法", "Sampling"),
    "replicates": ("独立随机化次数（标准误）", "Replicates (standard errors)"),
    "paths_clipped_share": ("流量推至期末的路径占比", "Share of paths with flows clipped at the horizon"),
}


def sheet_name(key: str, lang: str) -> str:
    """The name of a sheet in the workbook's language."""
    zh, en = SHEETS[key]
    return tr(lang, zh, en)


def _number(value: Any) -> Any:
    """A cell value: numbers stay numbers, NaN becomes an empty cell."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        return _number(value.item())
    return value


class _Sheet:
    """Rows appended to one worksheet."""

    def __init__(self, book: Any, name: str, title: str, prov_line: str):
        self.ws = book.create_sheet(name)
        self.ws.append([title])
        self.ws["A1"].font = TITLE
        self.ws.append([prov_line])
        self.ws["A2"].font = SMALL
        self.ws.append([])
        self.widths: dict[int, float] = {}

    def row(self, values: Iterable[Any], *, head: bool = False, formats: dict[int, str] | None = None) -> int:
        values = [_number(v) for v in values]
        self.ws.append(values)
        r = self.ws.max_row
        for c, value in enumerate(values, start=1):
            cell = self.ws.cell(r, c)
            if head:
                cell.font = HEAD
                cell.fill = HEAD_FILL
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            elif formats and c in formats and isinstance(value, (int, float)) and not isinstance(value, bool):
                cell.number_format = formats[c]
            text = str(value) if value is not None else ""
            width = sum(2 if ord(ch) > 0x2E7F else 1 for ch in text) + 2
            self.widths[c] = max(self.widths.get(c, 8), min(width, 48 if head else 60))
        return r

    def blank(self) -> None:
        self.ws.append([])

    def finish(self, freeze: str | None = None) -> None:
        for c, width in self.widths.items():
            self.ws.column_dimensions[get_column_letter(c)].width = width
        if freeze:
            self.ws.freeze_panes = freeze


def _metrics(sheet: _Sheet, run: RunResult, lang: str) -> None:
    sheet.row(["键 key", "指标", "Metric", "数值 value", "单位 unit", "说明 note"], head=True)
    note = {"irr": run.irr_note}
    for spec in METRICS:
        value = run.metrics[spec.key]
        fmt = {"万元": MONEY, "ratio": RATIO, "percent": "0.00%", "rate": "0.00%", "years": "0.00"}.get(spec.unit)
        sheet.row([spec.key, spec.zh, spec.en, value, spec.unit, note.get(spec.key, "")],
                  formats={4: fmt} if fmt else None)
    sheet.blank()
    sheet.row(["verdict", "结论", "Verdict", headline(run.metrics, lang)])  # fcfinance/verdict.py
    sheet.finish("A5")


def _line_table(sheet: _Sheet, frame: pd.DataFrame, run: RunResult, first: tuple[str, str, str]) -> None:
    """A line table: Chinese, English and key header rows, one row per period, then the engine totals."""
    keys = list(frame.columns)
    zh = {**{s.key: s.zh for s in LINES}, **{k: v[0] for k, v in SUBTOTALS.items()}}
    en = {**{s.key: s.en for s in LINES}, **{k: v[1] for k, v in SUBTOTALS.items()}}
    sheet.row([first[0]] + [zh[k] for k in keys], head=True)
    sheet.row([first[1]] + [en[k] for k in keys], head=True)
    sheet.row([first[2]] + keys, head=True)
    money = {c: MONEY for c in range(2, len(keys) + 2)}
    for label, values in frame.iterrows():
        sheet.row([str(label)] + list(values.to_numpy(dtype=float)), formats=money)
    totals = dict(run.lines)
    totals["project_net"] = run.metrics["net_balance"]
    sheet.row(["合计 total"] + [totals.get(k) for k in keys], formats=money)
    sheet.finish("B7")


def _cashflows(sheet: _Sheet, run: RunResult) -> None:
    _line_table(sheet, run.cashflows, run, ("期间", "period", "period"))


def _by_year(sheet: _Sheet, run: RunResult) -> None:
    _line_table(sheet, run.by_year(), run, ("年度", "year", "year"))


def input_rows(scenario: Any) -> list[dict[str, Any]]:
    """Every input of a scenario, flattened: dotted path (list items by id), value, unit,
    description and where it was written (``file:line``, or ``default``).

    Returns
    -------
    list of dict
        Keys ``path``, ``value`` (number, text or bool), ``unit``, ``description``, ``source``.
    """
    rows: list[dict[str, Any]] = []

    def where(doc: Any, key: Any) -> str:
        spots = getattr(doc, "where", None)
        if isinstance(spots, dict) and key in spots:
            return f"{spots[key][0]}:{spots[key][1]}"
        if isinstance(spots, list) and isinstance(key, int) and key < len(spots):
            return f"{spots[key][0]}:{spots[key][1]}"
        return "default"

    def child(doc: Any, key: Any) -> Any:
        if isinstance(doc, dict):
            return doc.get(key)
        if isinstance(doc, list) and isinstance(key, int) and key < len(doc):
            return doc[key]
        return None

    def leaf(path: str, value: Any, loc: list[Any], source: str, info: Any) -> None:
        rows.append({"path": path, "value": value, "unit": unit_of(info) or "",
                     "description": (info.description if info is not None else "") or "", "source": source})

    def walk(value: Any, path: str, loc: list[Any], doc: Any, source: str, info: Any) -> None:
        if isinstance(value, BaseModel):
            for name, finfo in type(value).model_fields.items():
                key = finfo.alias or name
                sub = getattr(value, name)
                if sub is None:
                    continue
                walk(sub, f"{path}.{key}" if path else key, loc + [key], child(doc, key), where(doc, key), finfo)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                item_id = getattr(item, "id", None) if isinstance(item, BaseModel) else None
                j = i
                if item_id is not None and isinstance(doc, list):
                    j = next((k for k, d in enumerate(doc) if isinstance(d, dict) and d.get("id") == item_id), -1)
                walk(item, f"{path}.{item_id if item_id is not None else i}", loc + [i],
                     child(doc, j), where(doc, j) if j >= 0 else "default", info)
        elif isinstance(value, dict):
            for key, sub in value.items():
                walk(sub, f"{path}.{key}", loc + [key], child(doc, key), where(doc, key), info)
        else:
            leaf(path, value, loc, source, field_at(ScenarioSchema, loc) if info is None else info)

    walk(scenario.model, "", [], scenario.document, "default", None)
    return rows


def _inputs(sheet: _Sheet, scenario: Any, lang: str = "zh") -> None:
    """Every input; in Chinese each path also by its Chinese name and known words as values translated."""
    if lang == "zh":
        sheet.row(["路径 path", "名称", "值 value", "单位 unit", "说明（schema）", "来源 source (file:line)"],
                  head=True)
        for r in input_rows(scenario):
            sheet.row([r["path"], field_label(r["path"], "zh"), value_text(r["value"], "zh"), r["unit"],
                       r["description"], r["source"]])
    else:
        sheet.row(["path", "value", "unit", "description", "source (file:line)"], head=True)
        for r in input_rows(scenario):
            sheet.row([r["path"], r["value"], r["unit"], r["description"], r["source"]])
    sheet.finish("A5")


def _simulation(sheet: _Sheet, sim: Any, lang: str) -> None:
    summary = sim.summary()
    sheet.row(["键 key", "说明", "Description", "数值 value"], head=True)
    for key, value in summary.items():
        if isinstance(value, (list, dict)) or key in ("scenario", "file", "scenario_sha256", "fcfinance_version"):
            continue
        zh, en = SUMMARY_LABELS.get(key, ("", ""))
        if key.endswith("_se"):
            base = SUMMARY_LABELS.get(key[:-3], ("", ""))
            zh, en = f"{base[0]} 的标准误", f"standard error of {base[1]}"
        if key.endswith(("_upper95", "_lower95")):  # a probability estimated as 0 or 1
            base = SUMMARY_LABELS.get(key[:-8], ("", ""))
            side = ("上限", "upper") if key.endswith("_upper95") else ("下限", "lower")
            zh, en = f"{base[0]} 的 95% 单侧{side[0]}", f"one-sided 95% {side[1]} bound of {base[1]}"
        for metric in ("net_balance", "npv", "peak_funding_need", "ending_balance"):
            if key.startswith(metric + "_"):
                stat = key[len(metric) + 1:]
                stat = {"mean": ("均值", "mean"), "sd": ("标准差", "standard deviation")}.get(
                    stat, (stat.upper(), stat.upper()))
                zh, en = f"{METRIC_BY_KEY[metric].zh} {stat[0]}", f"{METRIC_BY_KEY[metric].en} {stat[1]}"
        fmt = MONEY if any(key.startswith(m) for m in ("net_balance", "npv", "peak", "ending", "expected")) else \
            PERCENT if key.startswith("p_") or key.endswith("_share") else None
        sheet.row([key, zh, en, value], formats={4: fmt} if fmt else None)
    if summary["notes"]:
        sheet.blank()
        sheet.row(["notes", "注", "Notes"], head=True)
        for text in summary["notes"]:
            sheet.row(["", note_text(text, lang)])
    sheet.finish("A5")


def _percentiles(sheet: _Sheet, sim: Any) -> None:
    table = sim.percentiles()
    cols = list(table.columns)
    sheet.row(["键 key", "指标", "Metric"] + cols, head=True)
    for key, row in table.iterrows():
        spec = METRIC_BY_KEY.get(key)
        sheet.row([key, spec.zh if spec else "", spec.en if spec else ""] + list(row.to_numpy(dtype=float)),
                  formats={c: MONEY for c in range(4, len(cols) + 4)} if spec and spec.unit == "万元" else None)
    sheet.finish("D5")


def _sensitivity(sheet: _Sheet, sim: Any, lang: str) -> None:
    sens, tornado = sensitivity(sim), sim.tornado()
    names = {r.id: r.name for r in sim.scenario.model.risks}
    cols = ["rank_correlation", "contribution_to_variance", "partial_rank_correlation", "value_p10", "value_p90",
            "net_balance_at_p10", "net_balance_at_p90", "swing"]
    sheet.row(["风险 risk", "名称 name", "秩相关 rank correlation", "方差贡献 contribution to variance",
               "偏秩相关 partial rank correlation", "P10 取值 value at P10", "P90 取值 value at P90",
               "资金结余@P10（万元）net balance at P10", "资金结余@P90（万元）net balance at P90", "摆幅（万元）swing"],
              head=True)
    sheet.row(["", "", "", "", "", "单因素法（一次只变一项）one at a time"], head=True)
    for risk in sens.index:
        values = [sens.loc[risk, c] for c in cols[:3]] + [tornado.loc[risk, c] for c in cols[3:]]
        sheet.row([risk, risk_label(risk, names.get(risk), lang)] + values,
                  formats={3: RATIO, 4: "0.00%", 5: RATIO, 8: MONEY, 9: MONEY, 10: MONEY})
    sheet.blank()
    sheet.row(["按偏秩相关系数绝对值排序 ranked by |partial rank correlation|"
               + ("" if getattr(sim, "contribution_is_valid", True) else
                  "；风险之间有相关性，方差贡献仅供参考（只在风险独立时成立） — risks are correlated: the "
                  "contribution to variance holds only for independent risks")])
    if sim.sobol_table is not None:
        sheet.blank()
        sheet.row(["风险 risk", "一阶 Sobol' first order", "总效应 total order"], head=True)
        for risk, row in sim.sobol_table.iterrows():
            sheet.row([risk, row["first_order"], row["total_order"]], formats={2: RATIO, 3: RATIO})
    sheet.finish("C6")


def _fan(sheet: _Sheet, sim: Any) -> None:
    fan = sim.fan()
    sheet.row(["期间 period"] + list(fan.columns), head=True)
    money = {c: MONEY for c in range(2, len(fan.columns) + 2)}
    for label, row in fan.iterrows():
        sheet.row([str(label)] + [float(v) for v in row.to_numpy()], formats=money)
    sheet.finish("B5")


def _parcels(sheet: _Sheet, run: RunResult, lang: str) -> None:
    table = parcel_table(run, lang)
    sheet.row(["地块 parcel", "用途 use", "出让月 sale", "基础价款（万元）base", "溢价率 uplift rate",
               "已获溢价（万元）uplift earned", "未获溢价（万元）uplift forgone", "出让总价款（万元）gross",
               "溢价获得 earned", "所需配套（完工月）required works (completion)"], head=True)
    for pid, row in table.iterrows():
        works = "; ".join(f"{wid} {done}" for wid, _label, done in row["requires"])
        sheet.row([pid, value_text(row["use"], lang), row["sale"], row["base"], row["uplift_rate"],
                   row["uplift_earned"], row["uplift_forgone"], row["gross"], bool(row["earned"]), works],
                  formats={4: MONEY, 5: "0.00%", 6: MONEY, 7: MONEY, 8: MONEY})
    sheet.blank()
    sheet.row(["地块 parcel", "缴款月 month", "缴款（出让总价款口径，万元）installment, gross"], head=True)
    for pid, row in table.iterrows():
        for month, amount in row["installments"]:
            sheet.row([pid, month, amount], formats={3: MONEY})
    sheet.finish("B5")


MODE_NAMES = {"cash": "货币补偿 cash", "voucher": "房票安置 voucher", "in_kind": "实物安置 in_kind"}
"""Relocation modes as the workbook names them (Chinese, then the scenario's key)."""


def _relocation(sheet: _Sheet, run: RunResult) -> None:
    table = relocation_table(run)
    keys = [k for k, _, _ in RELOCATION_PARTS]
    sheet.row(["安置方式", "户数"] + [zh for _, zh, _ in RELOCATION_PARTS]
              + ["户均净额", "增购面积优惠（非现金）", LAND_PART[1], "户均净额（含用地）"], head=True)
    sheet.row(["mode", "households"] + [en for _, _, en in RELOCATION_PARTS]
              + ["net", "extra-area discount (not cash)", LAND_PART[2], "net with land"],
              head=True)
    sheet.row(["", "户 households"] + ["万元/户"] * (len(keys) + 4), head=True)
    for mode, row in table.iterrows():
        sheet.row([MODE_NAMES.get(mode, mode), row["households"]] + [row[k] for k in keys]
                  + [row["net"], row["extra_area_discount"], row["land"], row["net_with_land"]],
                  formats={c: MONEY for c in range(3, len(keys) + 7)})
    sheet.finish("B7")


def _provenance(sheet: _Sheet, prov: dict[str, Any], scenario: Any, lang: str, font: str,
                notes: list[str]) -> None:
    import matplotlib
    import numpy

    sheet.row(["键 key", "说明", "值 value"], head=True)
    rows = [("scenario", "项目名称", prov["scenario"]), ("file", "情景文件", prov["file"]),
            ("files", "继承链（extends，基础在前）", " → ".join(scenario.files)),
            ("scenario_sha256", "情景哈希（规范 JSON 的 sha256）", prov["scenario_sha256"]),
            ("fcfinance_version", "fcfinance 版本", prov["fcfinance_version"]), ("date", "生成日期", prov["date"])]
    for key in ("paths", "seed", "sampling"):
        if key in prov:
            value = f"{sampling_name(prov[key], 'zh')}（{prov[key]}）" if key == "sampling" and lang == "zh" \
                else prov[key]
            rows.append((key, {"paths": "模拟路径数", "seed": "随机种子", "sampling": "抽样方法"}[key], value))
    rows += [("lang", "语言", lang), ("font", "图表字体", font), ("python", "Python", platform.python_version()),
             ("numpy", "numpy", numpy.__version__), ("pandas", "pandas", pd.__version__),
             ("matplotlib", "matplotlib", matplotlib.__version__),
             ("units", "单位", "万元（比率、利率、年除外）；流入为正、流出为负")]
    rows += [("note", "说明（未生成的图表及原因）", text) for text in notes]
    for row in rows:
        sheet.row(row)
    sheet.finish("A5")


def write_workbook(path: str | Path, run: RunResult, sim: Any = None, *, lang: str = "zh",
                   date: str | None = None, bond: Any = None, notes: list[str] | None = None) -> Path:
    """Write the hearing-pack workbook.

    Parameters
    ----------
    path : str or Path
        The ``.xlsx`` file to write.
    run : RunResult
        The base case.
    sim : SimulationResult, optional
        Adds the Monte Carlo sheets and paths and seed to the provenance.
    lang : {'zh', 'en'}
        Sheet names and titles (header rows carry both languages).
    date : str, optional
        ``YYYY-MM-DD`` in the provenance (default: today).
    bond : BondTable, optional
        Adds the special-bond self-balance sheet (METHOD §13).

    Returns
    -------
    Path
    """
    check_lang(lang)
    from .fonts import chosen_font

    path = Path(path)
    prov = provenance(run.scenario, date=date, simulation=sim)
    line = provenance_text(prov, lang)
    titles = {
        "metrics": tr(lang, "测算指标（万元；比率、利率、年除外）", "Metrics (万元 except ratios, rates, years)"),
        "cashflows": tr(lang, "分报告期现金流（万元；流入为正、流出为负）",
                        "Cash flows by reporting period (万元, outflows negative)"),
        "by_year": tr(lang, "分年度现金流（万元；流入为正、流出为负）",
                      "Cash flows by calendar year (万元, outflows negative)"),
        "inputs": tr(lang, "输入参数（展开，含单位与来源）", "Inputs, flattened, with units and origin"),
        "simulation": tr(lang, "蒙特卡洛模拟结果（同 fcfinance simulate --json）",
                         "Monte Carlo (as fcfinance simulate --json)"),
        "percentiles": tr(lang, "各指标的模拟分位数（万元）", "Percentiles of every metric (万元)"),
        "sensitivity": tr(lang, "风险因素：秩相关、方差贡献与单因素敏感性",
                          "Risks: rank correlation, variance share, one at a time"),
        "fan": tr(lang, "累计净现金流分位数（万元，按报告期）", "Cumulative net cash percentiles by period (万元)"),
        "parcels": tr(lang, "土地出让：分地块价款与分期（扣除计提前）",
                      "Land premium by parcel and installment (gross)"),
        "relocation": tr(lang, "安置方式户均成本（万元/户）", "Relocation cost per household (万元)"),
        "provenance": tr(lang, "溯源信息", "Provenance"),
        "bond": tr(lang, "专项债项目收益与融资自求平衡表（万元）", "Special-bond self-balance table (万元)"),
    }
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        book = writer.book

        def sheet(key: str) -> _Sheet:
            return _Sheet(book, sheet_name(key, lang), titles[key], line)

        _metrics(sheet("metrics"), run, lang)
        _cashflows(sheet("cashflows"), run)
        _by_year(sheet("by_year"), run)
        if bond is not None:
            from .bond_report import bond_sheet

            bond_sheet(sheet("bond"), bond, lang, MONEY, RATIO)
        _inputs(sheet("inputs"), run.scenario, lang)
        if sim is not None:
            _simulation(sheet("simulation"), sim, lang)
            _percentiles(sheet("percentiles"), sim)
            _sensitivity(sheet("sensitivity"), sim, lang)
            _fan(sheet("fan"), sim)
        if run.scenario.model.land is not None:
            _parcels(sheet("parcels"), run, lang)
        if not relocation_table(run).empty:
            _relocation(sheet("relocation"), run)
        _provenance(sheet("provenance"), prov, run.scenario, lang, chosen_font().describe(), notes or [])
        for name in list(book.sheetnames):
            if name not in [sheet_name(k, lang) for k in SHEETS]:
                del book[name]
        props = book.properties
        props.title = f"{prov['scenario']} — fcfinance"
        props.subject = provenance_text(prov, "en")
        props.keywords = prov["scenario_sha256"]
        props.creator = f"fcfinance {prov['fcfinance_version']}"
        props.description = line
    return path
