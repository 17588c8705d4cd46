"""Error messages in Chinese when asked: ``--lang zh`` on every command, or ``FCFINANCE_LANG=zh``."""

from __future__ import annotations

import pytest

from fcfinance.cli import build_parser, main
from fcfinance.errors import Problem
from fcfinance.lang.fieldnames import field_zh
from fcfinance.scenario.fields import iter_fields
from fcfinance.scenario.schema import ScenarioSchema
from tests.conftest import ROOT


@pytest.fixture(autouse=True)
def _extends_reaches_the_project(monkeypatch):
    """These tests write variants in a temporary folder that extend the bundled files: let
    ``extends`` reach both (the reach itself is tested in test_hostile.py)."""
    monkeypatch.setenv("FCFINANCE_ROOT", "/")

BAD = f"""\
extends: {ROOT / "scenarios" / "ouhai-lvjiaan.yaml"}
timeline:
  years: zero
financing:
  foo: 1
land:
  parcels:
    - id: R1
      floor_price_yuan_m2: -5
simulation:
  sampling: grid
"""


@pytest.fixture
def bad(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(BAD, encoding="utf-8")
    return path


def test_every_command_takes_lang():
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices
    for name, sub in commands.items():
        assert "--lang" in sub._option_string_actions, name


@pytest.mark.parametrize("command", [["validate"], ["run"], ["simulate", "--paths", "8"], ["diff", "X"]])
def test_lang_zh_gives_chinese_with_field_names(bad, command, capsys):
    args = command[:1] + [str(bad)] + ([str(bad)] if command[-1] == "X" else command[1:-1] if command[0] == "diff"
                                       else command[1:])
    assert main(args + ["--lang", "zh"]) == 2
    err = capsys.readouterr().err
    assert "方案文件中有 4 处问题" in err
    assert "bad.yaml:3: timeline.years（时间轴 年限）: 应为整数；实际为 'zero'" in err
    assert "bad.yaml:9: land.parcels.R1.floor_price_yuan_m2（R1 楼面地价）: 应不小于 0；实际为 -5" in err
    assert "未知字段 'foo'" in err
    assert "simulation.sampling（抽样方法）: 应为 'random'、'lhs'、'sobol' 之一；实际为 'grid'" in err


def test_environment_variable_and_english_default(bad, capsys, monkeypatch):
    assert main(["validate", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "4 problems in the scenario" in err and "Input should be a valid integer" in err
    monkeypatch.setenv("FCFINANCE_LANG", "zh")
    assert main(["validate", str(bad)]) == 2
    assert "应为整数" in capsys.readouterr().err
    assert main(["validate", str(bad), "--lang", "en"]) == 2  # the option wins over the environment
    assert "valid integer" in capsys.readouterr().err


def test_every_schema_field_has_a_chinese_name():
    for path, _info, _cls in iter_fields(ScenarioSchema):
        assert field_zh(path.replace("*", "item1")), path


def test_a_message_without_translation_keeps_its_text_with_chinese_names():
    p = Problem("f.yaml", 4, "land.parcels.R1.sale", "sale month after the horizon")
    assert p.render("zh") == "f.yaml:4: land.parcels.R1.sale（R1 出让月份）: sale month after the horizon"
    assert p.render("en") == str(p)


CHECKS = {
    "outside": ("grants:\n  - {id: g1, amount_yuan: 1000000, date: 2099-01}\n", "超出时间轴；应为"),
    "window": ("acquisition:\n  signing: {start: 2022-03, months: 400}\n", "晚于时间轴最后一个月"),
    "shares": ("relocation:\n  shares: {cash: 0.5, voucher: 0.1, in_kind: 0.85}\n",
               "安置方式比例之和为 1.45；货币、房票、实物安置比例之和应为 1（±1e-9） [涉及字段："),
    "installments": ("land:\n  parcels:\n    - id: R1\n      payments: [{after_months: 0, share: 0.5}]\n",
                     "分期付款比例之和为 0.5"),
    "amortization": ("financing:\n  bonds:\n    - {id: b1, amount_yuan: 100000000, issue: 2023-01, term_years: 10,"
                     " amortization: [{year: 1, share: 0.5}]}\n", "还本比例之和为 0.5"),
    "target": ("risks:\n  - {id: zz, dist: {uniform: [0.9, 1.1]}, scale: [land.parcels.ZZ.floor_price_yuan_m2]}\n",
               "作用对象 'land.parcels.ZZ.floor_price_yuan_m2' 在本方案中不存在"),
    "risk id": ("correlations:\n  - [land_market, nope, 0.3]\n", "未知的风险标识 'nope'"),
    "bond matures": ("financing:\n  bonds:\n    - {id: b1, amount_yuan: 100000000, issue: 2035-01, term_years: 30}\n",
                     "专项债到期月份 2065-01 晚于时间轴最后一个月 2037-12 [涉及字段："),
    "year twice": ("financing:\n  bonds:\n    - {id: b1, amount_yuan: 100000000, issue: 2023-01, term_years: 10,"
                   " amortization: [{year: 2, share: 0.5}, {year: 2, share: 0.5}]}\n", "还本年度 2 重复出现"),
    "after term": ("financing:\n  bonds:\n    - {id: b1, amount_yuan: 100000000, issue: 2023-01, term_years: 3,"
                   " amortization: [{year: 5, share: 1.0}]}\n", "还本年度 5 超过 3 年的期限；应为 1 … 3"),
    "installment late": ("land:\n  parcels:\n    - id: R1\n      payments: [{after_months: 400, share: 1.0}]\n",
                         "晚于时间轴最后一个月"),
    "set twice": ("risks:\n  - {id: zz, dist: {uniform: [0.03, 0.04]}, set: [financing.gap_rate]}\n",
                  "已由风险 'gap_rate' 设定；一个字段只能由一个风险设定"),
    "kind": ("risks:\n  - {id: zz, dist: {uniform: [1, 2]}, shift_months: [financing.gap_rate]}\n",
             "shift_months 不能作用于 'financing.gap_rate'"),
    "correlation row": ("correlations:\n  - [land_market, rent]\n", "应为 [id_a, id_b, rho]，实际为"),
    "works item": ("land:\n  parcels:\n    - id: R1\n      uplift: {rate: 0.05, requires: [nope]}\n",
                   "未知的配套工程项目 'nope'"),
}


STANDALONE = """\
fcfinance: 1
name: duplicate ids
timeline: {start: 2024-01, years: 5}
works:
  items:
    - {id: park, cost_yuan: 1000000, start: 2024-01, months: 12}
    - {id: park, cost_yuan: 2000000, start: 2024-06, months: 12}
"""


def test_duplicate_id_in_chinese(tmp_path, capsys):
    path = tmp_path / "dup.yaml"
    path.write_text(STANDALONE, encoding="utf-8")
    assert main(["validate", str(path), "--lang", "zh"]) == 2
    assert "dup.yaml:7: works.items.park.id（park 标识）: 重复的标识 'park'；items 中的标识必须唯一" in capsys.readouterr().err


@pytest.mark.parametrize("case", list(CHECKS))
def test_checks_messages_in_chinese(case, tmp_path, capsys):
    """Each catalogued check message, produced by a real scenario, prints in Chinese under --lang zh."""
    body, expected = CHECKS[case]
    path = tmp_path / "case.yaml"
    path.write_text(f"extends: {ROOT / 'scenarios' / 'ouhai-lvjiaan.yaml'}\n{body}", encoding="utf-8")
    assert main(["validate", str(path), "--lang", "zh"]) == 2
    err = capsys.readouterr().err
    assert expected in err, err
