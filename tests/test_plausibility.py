"""Plausibility warnings: unit slips named with file, line, field, value and the value probably meant."""

from __future__ import annotations

import json

import pytest

import fcfinance as fc
from fcfinance.cli import main
from fcfinance.scenario.fields import iter_fields
from fcfinance.scenario.plausibility import RANGES, check_plausibility
from fcfinance.scenario.schema import ScenarioSchema
from tests.conftest import REFERENCE, ROOT


@pytest.fixture(autouse=True)
def _extends_reaches_the_project(monkeypatch):
    """These tests write variants in a temporary folder that extend the bundled files: let
    ``extends`` reach both (the reach itself is tested in test_hostile.py)."""
    monkeypatch.setenv("FCFINANCE_ROOT", "/")

BASE = ROOT / "scenarios" / "ouhai-lvjiaan.yaml"

SLIPS = f"""\
extends: {BASE}
financing:
  gap_rate: 0.5
land:
  parcels:
    - id: R1
      floor_price_yuan_m2: 1.15
grants:
  - id: g1
    amount_yuan: 80000
    date: 2023-01
"""


@pytest.fixture
def slips(tmp_path):
    path = tmp_path / "slips.yaml"
    path.write_text(SLIPS, encoding="utf-8")
    return path


def test_the_three_slips_of_the_issue(slips, tmp_path):
    """Floor price 1.15 (万元), grant 80,000 (万元): each warned where written, with the fix; a gap rate of
    0.5 is warned without a likely value; rate 20 (meant 20%) exceeds the schema's bound of 1, so it is an
    error, which names the value probably meant."""
    found = {w.path: w for w in fc.load(slips).warnings}
    assert set(found) == {"financing.gap_rate", "land.parcels.R1.floor_price_yuan_m2", "grants.g1.amount_yuan"}
    rate, price, grant = (found["financing.gap_rate"], found["land.parcels.R1.floor_price_yuan_m2"],
                          found["grants.g1.amount_yuan"])
    assert (rate.line, rate.value, rate.likely) == (3, 0.5, None)
    twenty = tmp_path / "twenty.yaml"
    twenty.write_text(SLIPS.replace("gap_rate: 0.5", "gap_rate: 20"), encoding="utf-8")
    with pytest.raises(fc.ScenarioError) as err:
        fc.load(twenty)
    assert "twenty.yaml:3: financing.gap_rate" in str(err.value) and "likely meant 0.2" in str(err.value)
    assert (price.line, price.value, price.likely) == (7, 1.15, pytest.approx(11500))
    assert (grant.line, grant.value, grant.likely) == (10, 80000, 8e8)
    assert all(w.file == str(slips) or w.file.endswith("slips.yaml") for w in found.values())
    text = str(price)
    assert "slips.yaml:7" in text and "floor_price_yuan_m2" in text and "1.15" in text and "11,500" in text


def test_bond_amount_in_wan_and_inherited_lines(tmp_path):
    """A bond of 80,000 written for 8 亿元; an inherited value is reported in its own file."""
    path = tmp_path / "bond.yaml"
    path.write_text(f"extends: {BASE}\nfinancing:\n  bonds:\n    - id: b1\n      amount_yuan: 80000\n"
                    "      issue: 2023-01\n      term_years: 10\n", encoding="utf-8")
    (w,) = fc.load(path).warnings
    assert (w.path, w.line, w.likely) == ("financing.bonds.b1.amount_yuan", 5, 8e8)
    child = tmp_path / "child.yaml"
    child.write_text(f"extends: {path.name}\nname: child\n", encoding="utf-8")
    (inherited,) = fc.load(child).warnings
    assert inherited.file.endswith("bond.yaml") and inherited.line == 5


def test_no_likely_value_when_no_slip_explains_it(tmp_path):
    path = tmp_path / "odd.yaml"
    path.write_text(f"extends: {BASE}\nfinancing:\n  gap_rate: 0.5\n", encoding="utf-8")
    (w,) = fc.load(path).warnings
    assert w.likely is None and "likely" not in w.message()


@pytest.mark.parametrize("path", sorted((ROOT / "scenarios").glob("*.yaml")) + sorted((ROOT / "models").glob("*.yaml"))
                         + [REFERENCE / "ref-a.yaml"], ids=lambda p: p.name)
def test_bundled_files_are_plausible(path):
    assert fc.load(path).warnings == []


def test_every_range_names_a_schema_field():
    fields = {p for p, _info, _cls in iter_fields(ScenarioSchema)}
    for rule in RANGES:
        assert rule.pattern in fields, rule.pattern
        assert rule.low < rule.high


def test_zero_means_none_and_is_not_warned():
    assert check_plausibility({"site": {"households": 0}}) == []


def test_cli_shows_lists_and_strict_refuses(slips, tmp_path, capsys):
    assert main(["run", str(slips)]) == 0
    err = capsys.readouterr().err
    assert err.count("warning:") == 3 and "likely meant 11,500" in err
    assert main(["run", str(slips), "--json"]) == 0
    captured = capsys.readouterr()
    listed = json.loads(captured.out)["warnings"]
    assert {w["field"] for w in listed} >= {"financing.gap_rate"} and captured.err == ""
    assert listed[0].keys() >= {"file", "line", "field", "value", "likely", "message"}
    assert main(["simulate", str(slips), "--paths", "64", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["warnings"]) == 3
    assert main(["validate", str(slips)]) == 0
    assert "3 warnings" in capsys.readouterr().out
    for command in (["run"], ["validate"], ["simulate", "--paths", "64"]):
        assert main(command + [str(slips), "--strict"]) == 2
        assert "3 problems" in capsys.readouterr().err
    out = tmp_path / "pack"
    assert main(["report", str(slips), "--out", str(out), "--paths", "64", "--strict"]) == 2
    assert not out.exists() or not any(out.iterdir())
