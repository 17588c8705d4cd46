"""Fast exact percentiles equal numpy's linear-method percentiles."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fcfinance.montecarlo.quantiles import row_percentiles

Q = [0, 5, 10, 25, 50, 75, 90, 95, 100]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_matches_numpy_on_continuous_rows(dtype):
    rows = np.random.default_rng(1).standard_normal((6, 100_003)).cumsum(axis=0).astype(dtype)
    np.testing.assert_allclose(row_percentiles(rows, Q), np.percentile(rows.astype(np.float64), Q, axis=1),
                               rtol=0, atol=0)


def test_ties_and_constant_rows():
    rows = np.array([[0.0] * 50 + [12.0] * 50, [3.0] * 100, list(range(100))], dtype=np.float32)
    np.testing.assert_array_equal(row_percentiles(rows, Q), np.percentile(rows.astype(np.float64), Q, axis=1))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(-1e6, 1e6, allow_nan=False, width=32), min_size=1, max_size=300))
def test_any_row(values):
    rows = np.array([values], dtype=np.float32)
    np.testing.assert_allclose(row_percentiles(rows, Q), np.percentile(rows.astype(np.float64), Q, axis=1),
                               rtol=1e-12, atol=1e-12)
