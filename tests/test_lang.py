"""Error messages in Chinese when asked: ``--lang zh`` on every command, or ``FCFINANCE_LANG=zh``."""

from __future__ import annotations

import pytest

from fcfinance.cli import build_parser, main
from fcfinance.errors import Problem
from fcfinance.scenario.fieldnames import field_zh
from fcfinance.scenario.fields import iter_fields
from fcfinance.scenario.schema import ScenarioSchema
from tests.conftest import ROOT

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
