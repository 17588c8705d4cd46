"""The self-balance table in the hearing pack: its chart and workbook sheet (METHOD §13)."""

from __future__ import annotations

import io
import json
import math
import warnings

import pytest

import fcfinance as fc
from fcfinance.cli import main
from fcfinance.report.bond_report import SHEET, STEM, bond_self_balance
from fcfinance.report.pack import write_report
from fcfinance.stress_cases import run_stress
from tests.test_bond import TWO_BONDS

DATE = "2026-12-02"


@pytest.fixture(scope="module")
def two_bonds(tmp_path_factory):
    path = tmp_path_factory.mktemp("bond") / "two-bonds.yaml"
    path.write_text(TWO_BONDS, encoding="utf-8")
    return fc.load(path)


@pytest.mark.parametrize("lang, words", [("zh", "自求平衡"), ("en", "self-balance")])
def test_chart_draws_in_both_languages_with_provenance(two_bonds, lang, words):
    table = run_stress(two_bonds).bond_table()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph is an error
        fig = bond_self_balance(table, lang=lang, date=DATE)
        for fmt in ("png", "pdf"):
            fig.savefig(io.BytesIO(), format=fmt, dpi=30)
    texts = " ".join(t.get_text() for t in fig.texts)
    assert words in texts and two_bonds.sha256 in texts and DATE in texts
    assert "0.47" in texts and "2027" in texts  # life coverage and first shortfall year in the subtitle
    if lang == "en":
        assert "自求" not in texts.replace(two_bonds.name, "")


def test_pack_has_chart_and_sheet_equal_to_bond_json(two_bonds, tmp_path, capsys):
    from openpyxl import load_workbook

    files = write_report(two_bonds, tmp_path, lang="zh", progress=False, formats=("png",), date=DATE)
    assert (tmp_path / f"{STEM}.png").stat().st_size > 1000 and STEM in files.charts
    assert main(["bond", two_bonds.path, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    sheet = list(load_workbook(files.workbook)[SHEET[0]].iter_rows(min_row=4, values_only=True))
    assert [int(y) for y in sheet[0][3:]] == [y["year"] for y in data["years"]]
    rows = {r[1].split(" ")[0]: r for r in sheet[1:10]}
    for label, key in (("项目收入", "revenue"), ("还本", "principal"), ("付息", "interest"),
                       ("本息合计", "debt_service"), ("累计结余（三", "reserve")):
        row = next(r for name, r in rows.items() if name.startswith(label))
        for value, year in zip(row[3:], data["years"]):
            assert value == pytest.approx(year[key], rel=1e-12, abs=1e-9), (label, year["year"])
    coverage = next(r for name, r in rows.items() if name.startswith("当年覆盖倍数"))
    assert coverage[2] == pytest.approx(data["coverage_life"], rel=1e-12)
    assert coverage[3] is None  # 2024: no debt service, an empty cell
    stress_rows = [r for r in sheet if r[0] in ("revenue_-10", "opex_+10", "land_delay_12", "combined")]
    assert [r[2] for r in stress_rows] == pytest.approx([c["coverage_life"] for c in data["stress"]], rel=1e-12)


def test_pack_without_bonds_has_no_bond_chart(two_bonds, tmp_path):
    from openpyxl import load_workbook

    plain = fc.load(two_bonds.path)
    plain.model.financing = None
    files = write_report(plain, tmp_path, lang="en", progress=False, formats=("png",), date=DATE)
    assert STEM not in files.charts
    assert SHEET[1] not in load_workbook(files.workbook).sheetnames
    assert not math.isnan(fc.run(plain).metrics["net_balance"])
