"""The hearing pack: fonts, charts, workbook and ``fcfinance report`` (fcfinance.report)."""

from __future__ import annotations

import io
import json
import math
import struct
import warnings
from pathlib import Path

import numpy as np
import pytest

import fcfinance as fc
from fcfinance import __version__
from fcfinance.cli import main
from fcfinance.montecarlo.simulate import simulate
from fcfinance.names import LINES, WAN
from fcfinance.report import fonts
from fcfinance.report.charts import CHARTS
from fcfinance.report.data import parcel_table, relocation_table
from fcfinance.report.labels import INFLOW_CATEGORIES, OUTFLOW_CATEGORIES
from fcfinance.report.workbook import input_rows
from tests.conftest import REFERENCE

REF_A = REFERENCE / "ref-a.yaml"
DATE = "2025-01-31"


@pytest.fixture(scope="module")
def scenario():
    return fc.load(REF_A)


@pytest.fixture(scope="module")
def run_a(scenario):
    return fc.run(scenario)


@pytest.fixture(scope="module")
def sim_one(scenario):
    return simulate(scenario, paths=1, seed=1, sampling="random")


@pytest.fixture(scope="module")
def sim_many(scenario):
    return simulate(scenario, paths=2048, seed=1)


# -- fonts -------------------------------------------------------------------------

@pytest.mark.parametrize("installed, expected", [
    ({"Arial", "Microsoft YaHei", "SimHei", "SimSun", "DejaVu Sans"}, "Microsoft YaHei"),   # Windows
    ({"Arial", "SimHei", "SimSun"}, "SimHei"),                                              # Windows, no YaHei
    ({"Helvetica", "Hiragino Sans GB", "PingFang SC", "Songti SC"}, "PingFang SC"),        # macOS
    ({"Helvetica", "Hiragino Sans GB", "STHeiti"}, "Hiragino Sans GB"),                    # older macOS
    ({"DejaVu Sans", "Noto Sans CJK JP", "WenQuanYi Micro Hei"}, "WenQuanYi Micro Hei"),   # Linux
    ({"DejaVu Sans", "Noto Sans CJK SC", "WenQuanYi Zen Hei"}, "Noto Sans CJK SC"),        # Linux
    ({"DejaVu Sans", "Liberation Sans"}, None),                                            # no CJK font
])
def test_font_lookup_order(installed, expected):
    assert fonts.choose_family(installed) == expected


def test_installed_font_is_preferred_to_the_shipped_one(monkeypatch):
    monkeypatch.setattr(fonts, "installed_families", lambda: {"Arial", "SimHei", "Microsoft YaHei"})
    assert fonts.select_font() == fonts.FontChoice("Microsoft YaHei", "system")
    monkeypatch.setattr(fonts, "installed_families", lambda: {"Helvetica", "PingFang SC"})
    assert fonts.select_font() == fonts.FontChoice("PingFang SC", "system")


def test_shipped_font_without_a_cjk_system_font(monkeypatch):
    """The fallback font comes from a pip dependency and has the glyphs the charts use."""
    from matplotlib.ft2font import FT2Font

    monkeypatch.setattr(fonts, "installed_families", lambda: {"DejaVu Sans"})
    choice = fonts.select_font()
    assert choice.source == "bundled" and choice.family.startswith("Noto Sans CJK")
    font = FT2Font(choice.path)
    assert all(font.get_char_index(ord(ch)) for ch in "资金平衡图累计净现金流房票实物安置配套先行溢价万亿元")


def test_chart_font_is_cjk():
    assert fonts.setup_fonts().family in fonts.PREFERRED + (fonts.BUNDLED_FAMILY, "Noto Sans CJK JP")
    import matplotlib

    assert matplotlib.rcParams["font.sans-serif"][0] == fonts.setup_fonts().family
    assert matplotlib.rcParams["axes.unicode_minus"] is False


# -- tables behind the charts --------------------------------------------------------

def test_every_project_line_is_in_one_category():
    keys = [k for cat in INFLOW_CATEGORIES + OUTFLOW_CATEGORIES for k in cat.lines]
    project = [s.key for s in LINES if s.group != "financing"]
    assert sorted(keys) == sorted(project)


def test_parcels_add_up_to_the_engine_totals(run_a):
    """Per-parcel detail is what the engine booked: gross premium and installments."""
    table = parcel_table(run_a)
    assert table["gross"].sum() == pytest.approx(run_a.metrics["land_premium_gross"], rel=1e-12)
    land = run_a.scenario.model.land
    net = (1 - land.deduction_rate) * land.return_rate
    installments = sum(a for row in table["installments"] for _, a in row)
    assert installments * net == pytest.approx(run_a.lines["land_premium"], rel=1e-12)
    # ref-a: R1 needs the infrastructure done 2025-04, after its 2024-03 sale; R2's works are in time
    assert not table.loc["R1", "earned"] and table.loc["R1", "uplift_forgone"] > 0
    assert table.loc["R2", "earned"] and table.loc["R2", "uplift_earned"] == pytest.approx(
        0.08 * table.loc["R2", "base"], rel=1e-12)


def test_relocation_parts_add_back_to_the_lines(run_a):
    table = relocation_table(run_a)
    detail, lines = run_a.flows.detail, run_a.lines
    n = table["households"]
    cash = (table.loc["cash", "house_value"] + table.loc["cash", "bonus"]) * n["cash"]
    assert cash + float(detail["nonresidential_value"]) / WAN == pytest.approx(-lines["cash_compensation"], rel=1e-12)
    voucher = (table.loc["voucher", "house_value"] + table.loc["voucher", "bonus"]) * n["voucher"]
    assert voucher == pytest.approx(-(lines["voucher_redemption"] + lines["voucher_expiry"]), rel=1e-12)
    assert table.loc["in_kind", "purchases"] * n["in_kind"] == pytest.approx(-lines["resident_purchases"], rel=1e-12)
    assert (table["moving"] * n).sum() == pytest.approx(-lines["moving_allowance"], rel=1e-12)
    assert (table["signing_reward"] * n).sum() == pytest.approx(-lines["signing_rewards"], rel=1e-12)


def test_in_kind_land_is_valued_at_the_projects_residential_floor_price(run_a):
    """Chart 07's land segment, by hand from ref-a's inputs: A_in = i·A·area_ratio + i·H·extra_area,
    at the floor-area-weighted floor price of the residential parcels R1 and R2 (the commercial C1 left out)."""
    model = run_a.scenario.model
    i, a, h = model.relocation.shares.in_kind, model.site.residential_area_m2, model.site.households
    built = i * a * model.relocation.in_kind.area_ratio + i * h * model.relocation.in_kind.extra_area_m2_household
    homes = [p for p in model.land.parcels if p.use == "residential"]
    assert [p.id for p in homes] == ["R1", "R2"]
    price = sum(p.area_m2 * p.far * p.floor_price_yuan_m2 for p in homes) / sum(p.area_m2 * p.far for p in homes)
    table = relocation_table(run_a)
    assert table.loc["in_kind", "land"] * i * h == pytest.approx(built * price / WAN, rel=1e-12)
    assert table.loc[["cash", "voucher"], "land"].eq(0).all()
    assert table.loc["in_kind", "net_with_land"] == pytest.approx(table.loc["in_kind", "net"]
                                                                + table.loc["in_kind", "land"], rel=1e-12)
    labels = " ".join(t.get_text() for t in CHARTS[6][1](run_a, date=DATE).findobj(lambda a: hasattr(a, "get_text")))
    assert "安置房用地" in labels and f"含用地 {table.loc['in_kind', 'net_with_land']:,.1f}" in labels


def test_report_without_acquisition_leaves_chart_07_out_and_says_so(tmp_path):
    from fcfinance.report.pack import write_report

    scenario = fc.load(Path(__file__).resolve().parents[1] / "models" / "guihua-xinjian.yaml")
    assert relocation_table(fc.run(scenario)).empty
    files = write_report(scenario, tmp_path, paths=64, seed=1, progress=False, formats=("png",), date=DATE)
    assert "07-relocation-costs" not in files.charts and "06-land-premium" in files.charts
    assert not list(tmp_path.glob("07-*"))
    assert any("图 07" in n for n in files.notes)
    assert "图 07" in files.summary_md.read_text(encoding="utf-8")
    import openpyxl

    book = openpyxl.load_workbook(files.workbook)
    cells = [c.value for row in book.worksheets[-1].iter_rows() for c in row]
    assert any(isinstance(v, str) and "图 07" in v for v in cells)


def test_inputs_are_flattened_with_units_and_origin(scenario):
    rows = {r["path"]: r for r in input_rows(scenario)}
    r = rows["land.parcels.R2.floor_price_yuan_m2"]
    assert r["value"] == 14200 and r["unit"] == "元/m² floor" and r["source"].endswith("ref-a.yaml:105")
    assert rows["works.items.school.cost_yuan"]["unit"] == "元"
    assert rows["risks.land_market.dist.triangular.0"]["value"] == 0.75
    assert rows["simulation.correlation_repair"]["source"] == "default"


# -- charts -------------------------------------------------------------------------

def _draw_without_warnings(fig, formats=("png",)):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for fmt in formats:
            fig.savefig(io.BytesIO(), format=fmt, dpi=40)


def _provenance_text(fig) -> str:
    texts = [t.get_text() for t in fig.texts if t.get_gid() == "fcfinance-provenance"]
    assert len(texts) == 1
    return texts[0]


@pytest.mark.parametrize("stem, chart, kind", [(c[0], c[1], c[2]) for c in CHARTS])
@pytest.mark.parametrize("which", ["one", "many"])
def test_each_chart_on_one_and_many_paths(stem, chart, kind, which, run_a, sim_one, sim_many):
    """Base-case charts on fc.run and on a simulation; Monte Carlo charts on 1 and 2,048 paths."""
    sim = sim_one if which == "one" else sim_many
    results = [run_a, sim] if kind == "base" else [sim]
    for result in results:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            fig = chart(result, lang="zh", date=DATE)
        _draw_without_warnings(fig)
        text = _provenance_text(fig)
        assert run_a.scenario.name in text and run_a.scenario.sha256 in text
        assert f"fcfinance {__version__}" in text and DATE in text
        if kind == "mc":
            assert f"{sim.paths:,}" in text and f"种子 {sim.seed}" in text
    if kind == "mc":
        with pytest.raises(TypeError):
            chart(run_a)


@pytest.mark.parametrize("lang, formats", [("zh", ("png", "svg", "pdf")), ("en", ("png",))])
def test_no_missing_glyphs_in_any_format(lang, formats, run_a, sim_many):
    """Every chart drawn and saved with warnings (glyph missing included) as errors: in Chinese
    as PNG, SVG and PDF."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.filterwarnings("error", message=r".*[Gg]lyph.*missing.*")
        for _stem, chart, kind, _zh, _en in CHARTS:
            fig = chart(run_a if kind == "base" else sim_many, lang=lang, date=DATE)
            for fmt in formats:
                fig.savefig(io.BytesIO(), format=fmt, dpi=30)


def test_charts_are_english_with_lang_en(run_a):
    fig = CHARTS[0][1](run_a, lang="en", date=DATE)
    words = " ".join(t.get_text() for t in fig.texts if t.get_gid() != "fcfinance-provenance")
    assert "Funding balance" in words and "资金" not in words


# -- fcfinance report -----------------------------------------------------------------

def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", head[16:24])


def _json(capsys, argv) -> dict:
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def _same(workbook_value, json_value) -> bool:
    if json_value is None:
        return workbook_value is None
    if isinstance(json_value, str):
        return workbook_value == json_value
    return isinstance(workbook_value, (int, float)) and not isinstance(workbook_value, bool) and \
        math.isclose(workbook_value, json_value, rel_tol=1e-12, abs_tol=1e-9)


@pytest.fixture(scope="module")
def pack(tmp_path_factory):
    out = tmp_path_factory.mktemp("pack")
    assert main(["report", str(REF_A), "--out", str(out), "--paths", "256", "--seed", "7", "--no-progress"]) == 0
    return out


def test_report_writes_every_file(pack):
    for stem, *_ in CHARTS:
        for fmt in ("png", "svg", "pdf"):
            assert (pack / f"{stem}.{fmt}").stat().st_size > 1000, f"{stem}.{fmt}"
        width, _height = _png_size(pack / f"{stem}.png")
        assert width >= 1600
    for name in ("workbook.xlsx", "summary.md", "summary.pdf"):
        assert (pack / name).stat().st_size > 500


def test_report_provenance_in_files(pack, scenario):
    from PIL import Image

    with Image.open(pack / "01-funding-balance.png") as img:
        assert scenario.sha256 in img.text["Description"]
        assert round(img.info["dpi"][0]) == 300
    with Image.open(pack / "03-cumulative-fan.png") as img:
        assert "256 paths" in img.text["Description"] and "seed 7" in img.text["Description"]
    assert scenario.sha256 in (pack / "02-sources-and-uses.svg").read_text(encoding="utf-8")
    assert scenario.sha256.encode() in (pack / "04-net-balance-distribution.pdf").read_bytes()
    summary = (pack / "summary.md").read_text(encoding="utf-8")
    assert scenario.name in summary and scenario.sha256 in summary and "P(资金平衡)" in summary


def test_workbook_equals_run_and_simulate_json(pack, capsys):
    from openpyxl import load_workbook

    run_json = _json(capsys, ["run", str(REF_A), "--json"])
    sim_json = _json(capsys, ["simulate", str(REF_A), "--json", "--paths", "256", "--seed", "7"])
    book = load_workbook(pack / "workbook.xlsx")

    metrics = {r[0]: r[3] for r in book["指标"].iter_rows(min_row=5, values_only=True) if r[0]}
    for key, value in run_json["metrics"].items():
        assert _same(metrics[key], value), key

    sheet = list(book["现金流"].iter_rows(min_row=4, values_only=True))
    keys = sheet[2][1:]
    rows = sheet[3:]
    total = dict(zip(keys, rows[-1][1:]))
    assert rows[-1][0].startswith("合计")
    for key, value in run_json["lines"].items():
        assert _same(total[key], value), key
        column = [r[1 + keys.index(key)] for r in rows[:-1]]
        assert all(isinstance(v, (int, float)) for v in column)
        assert sum(column) == pytest.approx(value, rel=1e-9, abs=1e-6)

    simulated = {r[0]: r[3] for r in book["模拟"].iter_rows(min_row=5, values_only=True) if r[0]}
    scalars = {k: v for k, v in sim_json.items() if not isinstance(v, (dict, list))
               and k not in ("scenario", "file", "scenario_sha256", "fcfinance_version")}
    assert {"p_balanced", "p_balanced_se", "net_balance_p10", "npv_p95", "expected_shortfall"} <= set(scalars)
    for key, value in scalars.items():
        assert _same(simulated[key], value), key

    fan = list(book["累计净现金流分位"].iter_rows(min_row=5, values_only=True))
    assert [r[4] for r in fan] == pytest.approx(sim_json["fan_cumulative_net"]["P50"], rel=1e-12)


def test_workbook_provenance(pack, scenario):
    from openpyxl import load_workbook

    book = load_workbook(pack / "workbook.xlsx")
    prov = {r[0]: r[2] for r in book["溯源"].iter_rows(min_row=5, values_only=True) if r[0]}
    assert prov["scenario"] == scenario.name and prov["scenario_sha256"] == scenario.sha256
    assert prov["fcfinance_version"] == __version__ and prov["paths"] == 256 and prov["seed"] == 7
    assert len(prov["date"]) == 10
    for ws in book.worksheets:
        assert scenario.sha256 in ws["A2"].value, ws.title
    assert book.properties.keywords == scenario.sha256


def test_scenario_hash_ignores_comments_and_layout(tmp_path, scenario):
    text = REF_A.read_text(encoding="utf-8")
    copy = tmp_path / "ref-a-copy.yaml"
    copy.write_text("# a comment the hash must not see\n\n" + text.replace("  years: 16", "  years:   16   # horizon"),
                    encoding="utf-8")
    again = fc.load(copy)
    assert again.sha256 == scenario.sha256
    fig = CHARTS[0][1](fc.run(again), date=DATE)
    assert scenario.sha256 in _provenance_text(fig)


def test_report_without_risks_skips_monte_carlo(tmp_path):
    """A scenario without risks still gets its base-case charts, workbook and summary."""
    from fcfinance.report.pack import write_report

    scenario = fc.load(REF_A)
    scenario.model.risks = []
    scenario.model.correlations = []
    files = write_report(scenario, tmp_path, lang="en", progress=False, formats=("png",), date=DATE)
    from fcfinance.report.bond_report import STEM as BOND_CHART  # ref-a has a bond: its self-balance chart

    assert set(files.charts) == {c[0] for c in CHARTS if c[2] == "base"} | {BOND_CHART}
    assert files.notes and files.workbook.exists() and files.summary_pdf.exists()
    assert np.all([p.exists() for p in files.all()])


def test_zh_pack_is_chinese_throughout(tmp_path):
    """The simulation's notes, the workbook's input names and values such as `residential` in Chinese."""
    import openpyxl

    from fcfinance.report.labels import note_text
    from fcfinance.report.pack import write_report

    files = write_report(fc.load(REF_A), tmp_path, paths=100, seed=1, sampling="sobol", progress=False,
                         formats=("png",), date=DATE)
    md = files.summary_md.read_text(encoding="utf-8")
    assert "向上取整为 128" in md and "rounded up" not in md and "Sobol 低差异序列" in md
    book = openpyxl.load_workbook(files.workbook)
    inputs = book["输入参数"] if "输入参数" in book.sheetnames else next(
        ws for ws in book.worksheets if any(c.value == "路径 path" for row in ws.iter_rows(max_row=6) for c in row))
    rows = {r[0]: r for r in inputs.iter_rows(values_only=True) if r and isinstance(r[0], str)}
    assert rows["land.parcels.R1.floor_price_yuan_m2"][1] == "R1 楼面地价"
    assert rows["land.parcels.R1.use"][2] == "住宅用地（residential）"
    assert rows["relocation.shares.cash"][1] == "货币补偿比例"
    assert note_text("something new", "zh").endswith("（英文原文）")
    assert note_text("on 1.50% of paths a flow was pushed past the horizon and booked in the last month",
                     "zh").startswith("1.50% 的路径")


def test_charts_built_and_saved_in_threads_keep_the_house_style_and_the_callers_settings(run_a, sim_many):
    """House style per figure: charts drawn in 4 threads each get it, and a notebook's own matplotlib
    settings are the same afterwards (issue 15)."""
    from concurrent.futures import ThreadPoolExecutor

    import matplotlib

    from fcfinance.report.fonts import font_families
    from fcfinance.report.style import RC

    def build(chart):
        _stem, draw, kind, _zh, _en = chart
        fig = draw(run_a if kind == "base" else sim_many, lang="zh", date=DATE)
        fig.savefig(io.BytesIO(), format="png", dpi=20)
        return fig

    mine = {"font.size": 7.0, "xtick.labelsize": 5.0, "axes.spines.top": True, "font.family": ["serif"]}
    with matplotlib.rc_context(mine):
        before = dict(matplotlib.rcParams)
        with ThreadPoolExecutor(4) as pool:
            figs = list(pool.map(build, CHARTS * 3))
        assert dict(matplotlib.rcParams) == before
    for fig in figs:
        ax = fig.axes[0]
        assert not ax.spines["top"].get_visible()
        labels = [t for t in (ax.xaxis.label, ax.yaxis.label) if t.get_text()]
        assert labels and all(t.get_fontsize() == RC["axes.labelsize"] for t in labels)
        assert all(t.get_fontfamily() == font_families() for t in fig.texts)


def test_importing_the_style_changes_no_setting():
    """Fonts are chosen on the first chart drawn, not at import, and never written to the global settings."""
    import subprocess
    import sys

    code = ("import matplotlib; before = dict(matplotlib.rcParams)\n"
            "import fcfinance.report.style, fcfinance.report.charts\n"
            "assert dict(matplotlib.rcParams) == before\n"
            "from fcfinance.report import fonts; assert fonts._CHOICE is None\n"
            "import fcfinance as fc; from fcfinance.report.charts import funding_balance\n"
            f"funding_balance(fc.run({str(REF_A)!r}))\n"
            "assert dict(matplotlib.rcParams) == before and fonts._CHOICE is not None\n")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_charts_drawn_in_worker_processes_equal_those_drawn_here(tmp_path, run_a, sim_many):
    """Parallel drawing (forked workers, Linux) changes nothing in the files: same pixels as drawing here."""
    import sys

    from PIL import Image

    from fcfinance.report.drawing import draw_charts

    if not sys.platform.startswith("linux"):
        pytest.skip("workers are forked on Linux only")
    charts = [CHARTS[1], CHARTS[4]]  # one base-case chart, one Monte Carlo chart
    out = {}
    for n in (0, 2):
        folder = tmp_path / f"p{n}"
        folder.mkdir()
        out[n] = dict(draw_charts(charts, run_a, sim_many, folder, ("png",), "zh", DATE, processes=n))
    assert list(out[0]) == list(out[2]) == [c[0] for c in charts]
    for stem in out[0]:
        with Image.open(out[0][stem][0]) as a, Image.open(out[2][stem][0]) as b:
            assert a.size == b.size and a.tobytes() == b.tobytes()
