"""Fast exact percentiles equal numpy's linear-method percentiles."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fcfinance.montecarlo.quantiles import order_statistics, row_percentiles

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


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-1e12, 1e12, allow_nan=False), min_size=1, max_size=200),
       st.lists(st.floats(0, 100), min_size=1, max_size=5))
def test_float64_rows_bit_for_bit(values, q):
    """numpy interpolates b − (b − a)(1 − t) for t ≥ 0.5: the same formula, so identical bits."""
    rows = np.array([values, values[::-1]])
    np.testing.assert_array_equal(row_percentiles(rows, q), np.percentile(rows, q, axis=1))


def test_infinite_values_fall_back_to_selection():
    row = np.array([1.0, -np.inf, 3.0, 2.0, np.inf, 0.5])
    ks = np.arange(row.size)
    np.testing.assert_array_equal(order_statistics(row, ks), np.sort(row))


def test_threads_and_row_sequences_change_nothing():
    rows = np.random.default_rng(3).standard_normal((9, 20_001))
    one = row_percentiles(rows, Q, threads=1)
    np.testing.assert_array_equal(one, row_percentiles(rows, Q, threads=3))
    np.testing.assert_array_equal(one, row_percentiles(list(rows), Q))


@pytest.mark.parametrize("row, dtype", [([0.0, 1.1125369292536007e-308, 5e-324], np.float64),
                                        ([-1e308, 1e308, 0.0, 3.0], np.float64),
                                        ([-3e38, 3e38, 1.0], np.float32)])
def test_extreme_ranges(row, dtype):
    """Ranges too narrow or too wide to bin (the span overflows or its inverse does): plain selection."""
    rows = np.array([row], dtype=dtype)
    np.testing.assert_array_equal(order_statistics(rows[0], np.arange(rows.size)), np.sort(rows[0]).astype(float))
    np.testing.assert_array_equal(row_percentiles(rows, [0, 100]), [[rows.min()], [rows.max()]])
