"""Scenario.variant: changed inputs merged and validated as `extends` would."""

from __future__ import annotations

import pytest

import fcfinance as fc
from tests.conftest import REFERENCE


@pytest.fixture(scope="module")
def ref_a():
    return fc.load(REFERENCE / "ref-a.yaml")


def test_variant_equals_an_extends_file(ref_a, tmp_path):
    """The same changes written as a review variant that extends ref-a give the same scenario."""
    (tmp_path / "ref-a.yaml").write_bytes((REFERENCE / "ref-a.yaml").read_bytes())
    (tmp_path / "v.yaml").write_text(
        "extends: ref-a.yaml\n"
        "relocation:\n"
        "  shares: {cash: 0.2, voucher: 0.5, in_kind: 0.3}\n"
        "land:\n"
        "  parcels:\n"
        "    - {id: R1, floor_price_yuan_m2: 15000}\n", encoding="utf-8")
    from_file = fc.load(tmp_path / "v.yaml")
    built = ref_a.variant({"relocation.shares": {"cash": 0.2, "voucher": 0.5, "in_kind": 0.3},
                           "land.parcels.R1.floor_price_yuan_m2": 15000})
    assert built.sha256 == from_file.sha256
    assert fc.run(built).to_dict()["metrics"] == fc.run(from_file).to_dict()["metrics"]


def test_variant_leaves_the_original_alone(ref_a):
    before = ref_a.sha256
    ref_a.variant({"timeline.discount_rate": 0.08}, name="x")
    assert ref_a.sha256 == before


def test_invalid_variant_is_a_scenario_error(ref_a):
    with pytest.raises(fc.ScenarioError, match=r"relocation shares sum to 1.45.*\(variant\)"):
        ref_a.variant({"relocation.shares.voucher": 0.9})


def test_new_list_item_by_id(ref_a):
    v = ref_a.variant({"grants.city_award": {"amount_yuan": 10_000_000, "date": "2025-01"}})
    assert fc.run(v).lines["grants"] == pytest.approx(fc.run(ref_a).lines["grants"] + 1000)
