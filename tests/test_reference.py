"""ref-a end to end: every figure of ref-a.expected.json, computed by an independent
implementation of METHOD.md, reproduced to the file's stated tolerance
(relative 1e-9; IRR absolute 1e-9; absolute 1e-6 万元 near zero)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from fcfinance import run
from tests.conftest import REFERENCE, SHARED_REFERENCE

EXPECTED = json.loads((REFERENCE / "ref-a.expected.json").read_text(encoding="utf-8"))


def close(key: str, expected, actual) -> bool:
    if expected is None:
        return actual is None
    if isinstance(expected, str) or isinstance(actual, str):
        return str(expected) == str(actual)
    if actual is None:
        return False
    if key == "irr":
        return abs(actual - expected) <= 1e-9
    return abs(actual - expected) <= max(1e-9 * abs(expected), 1e-6)


@pytest.mark.parametrize("name", ["ref-a.yaml", "ref-a.expected.json"])
def test_copies_match_shared(name):
    """tests/reference must stay byte-identical to ../shared/reference where it exists."""
    shared = SHARED_REFERENCE / name
    if not shared.exists():
        pytest.skip("../shared/reference is not beside this checkout")
    assert (REFERENCE / name).read_bytes() == shared.read_bytes()


@pytest.fixture(scope="module")
def ref_a():
    return run(REFERENCE / "ref-a.yaml").to_dict()


@pytest.mark.parametrize("key", list(EXPECTED["metrics"]))
def test_metric(ref_a, key):
    assert close(key, EXPECTED["metrics"][key], ref_a["metrics"][key]), (key, ref_a["metrics"][key])


@pytest.mark.parametrize("key", list(EXPECTED["lines"]))
def test_line(ref_a, key):
    assert close(key, EXPECTED["lines"][key], ref_a["lines"][key]), (key, ref_a["lines"][key])


def test_cli_json_matches(ref_a):
    """`fcfinance run FILE --json` prints the same object."""
    out = subprocess.run([sys.executable, "-m", "fcfinance.cli", "run", str(REFERENCE / "ref-a.yaml"), "--json"],
                         capture_output=True, text=True, check=True)
    printed = json.loads(out.stdout)
    for sect in ("metrics", "lines"):
        for key, expected in EXPECTED[sect].items():
            assert close(key, expected, printed[sect][key]), (sect, key)


def test_lines_sum_to_net(ref_a):
    """Inflow lines minus outflow lines is the net balance (METHOD §8)."""
    m = ref_a["metrics"]
    project = [k for k in EXPECTED["lines"] if not k.startswith(("bond_", "gap_", "deposit_"))]
    assert sum(ref_a["lines"][k] for k in project) == pytest.approx(m["net_balance"], rel=1e-12, abs=1e-9)
