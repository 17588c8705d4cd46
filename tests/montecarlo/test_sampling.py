"""Tests of fcfinance.montecarlo.sampling (and RiskSampler's chunking)."""

from __future__ import annotations

import hashlib
import itertools
import math

import numpy as np
import pytest

from fcfinance.montecarlo import RiskSampler
from fcfinance.montecarlo.distributions import U_MAX, U_MIN
from fcfinance.montecarlo.sampling import (
    BLOCK_SIZE,
    METHODS,
    binomial_standard_error,
    block_edges,
    blocks_covering,
    replicate_standard_error,
    round_paths,
    sample_uniforms,
    seed_sequence,
    stable_hash,
    standard_error,
)

IDS = [
    "land_market",
    "build_cost",
    "works_delay",
    "r2_sale_delay",
    "voucher_share",
    "redemption",
    "rent",
]
SEED = 20211102
TOTAL = 10_000


def draw_in_chunks(
    method: str, chunk: int, ids=IDS, total=TOTAL, replicate=0
) -> np.ndarray:
    parts = [
        sample_uniforms(ids, min(chunk, total - s), method, SEED, replicate, s, total)
        for s in range(0, total, chunk)
    ]
    return np.vstack(parts)


# ---------------------------------------------------------- chunk invariance ---


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("chunk", [999, 4096])
def test_chunk_invariance(method: str, chunk: int) -> None:
    whole = sample_uniforms(IDS, TOTAL, method, SEED, total=TOTAL)
    np.testing.assert_array_equal(draw_in_chunks(method, chunk), whole)


@pytest.mark.parametrize("method", METHODS)
def test_chunks_in_any_order_and_offsets(method: str) -> None:
    whole = sample_uniforms(IDS, TOTAL, method, SEED, total=TOTAL)
    for start, n in [(9_000, 1_000), (17, 5), (4_095, 2), (0, 1)]:
        part = sample_uniforms(IDS, n, method, SEED, start=start, total=TOTAL)
        np.testing.assert_array_equal(part, whole[start : start + n])


@pytest.mark.parametrize("method", METHODS)
def test_shape_range_and_determinism(method: str) -> None:
    u = sample_uniforms(IDS, 3_000, method, SEED)
    assert u.shape == (3_000, len(IDS)) and u.dtype == np.float64
    assert np.all((u >= U_MIN) & (u <= U_MAX))
    assert 0.0 < U_MIN and U_MAX < 1.0
    np.testing.assert_array_equal(u, sample_uniforms(IDS, 3_000, method, SEED))
    assert not np.array_equal(u, sample_uniforms(IDS, 3_000, method, SEED + 1))
    assert not np.array_equal(u, sample_uniforms(IDS, 3_000, method, SEED, replicate=1))


def test_empty_requests() -> None:
    assert sample_uniforms(IDS, 0, "sobol", SEED).shape == (0, len(IDS))
    assert sample_uniforms([], 10, "random", SEED).shape == (10, 0)


# ------------------------------------------------------- stream independence ---


@pytest.mark.parametrize("method", ["random", "lhs"])
def test_adding_or_reordering_risks_leaves_other_columns_unchanged(method: str) -> None:
    base = sample_uniforms(IDS, 5_000, method, SEED)
    more = sample_uniforms(IDS[:3] + ["new_risk"] + IDS[3:], 5_000, method, SEED)
    np.testing.assert_array_equal(np.delete(more, 3, axis=1), base)
    fewer = sample_uniforms(IDS[1:], 5_000, method, SEED)
    np.testing.assert_array_equal(fewer, base[:, 1:])
    reordered = sample_uniforms(IDS[::-1], 5_000, method, SEED)
    np.testing.assert_array_equal(reordered, base[:, ::-1])


def test_random_streams_are_independent_of_each_other() -> None:
    u = sample_uniforms(IDS, 50_000, "random", SEED)
    c = np.corrcoef(u, rowvar=False)
    off = c[~np.eye(len(IDS), dtype=bool)]
    # Pearson correlation of independent uniforms has SE 1/sqrt(n) = 0.0045.
    assert np.max(np.abs(off)) < 5 / math.sqrt(50_000)


def test_stable_hash_is_fixed() -> None:
    # First 8 bytes of SHA-256, little-endian: the same in every process and
    # Python version (unlike the salted built-in hash()).
    digest = hashlib.sha256(b"land_market").digest()[:8]
    assert (
        stable_hash("land_market")
        == int.from_bytes(digest, "little")
        == 10664388363411298925
    )
    assert seed_sequence(1, "a", 2).spawn_key == (stable_hash("a"), 2)


# ------------------------------------------------------ stratification -------


def one_per_stratum(column: np.ndarray) -> bool:
    m = column.size
    return bool(np.array_equal(np.sort(np.floor(column * m).astype(int)), np.arange(m)))


def test_lhs_is_stratified_per_block() -> None:
    total = 40_000  # blocks [0, 16384), [16384, 40000): the remainder is absorbed
    edges = block_edges(total, "lhs")
    assert edges.tolist() == [0, BLOCK_SIZE["lhs"], total]
    u = sample_uniforms(IDS[:3], total, "lhs", SEED, total=total)
    for b0, b1 in itertools.pairwise(edges):
        for j in range(3):
            assert one_per_stratum(u[b0:b1, j])


def test_lhs_small_run_is_one_design() -> None:
    u = sample_uniforms(IDS, 1_000, "lhs", SEED, total=1_000)
    assert all(one_per_stratum(u[:, j]) for j in range(len(IDS)))


def test_sobol_power_of_two_is_balanced() -> None:
    u = sample_uniforms(IDS, 4_096, "sobol", SEED)
    assert all(one_per_stratum(u[:, j]) for j in range(len(IDS)))


# -------------------------------------------------------- paths and blocks ---


def test_round_paths() -> None:
    assert round_paths(100_000, "random") == (100_000, None)
    assert round_paths(100_000, "lhs") == (100_000, None)
    n, note = round_paths(100_000, "sobol")
    assert (
        n == 131_072
        and "100000" in note
        and "131072" in note
        and "power of two" in note
    )
    assert round_paths(131_072, "sobol") == (131_072, None)
    n, note = round_paths(100_000, "sobol", replicates=16)
    assert n == 16 * 8_192 and "16 replicates × 8192" in note
    n, note = round_paths(100_000, "lhs", replicates=3)
    assert n == 3 * 33_334 and "3 replicates × 33334" in note
    assert round_paths(1, "sobol") == (1, None)
    assert round_paths(3, "sobol")[0] == 4


def test_block_edges_and_covering() -> None:
    size = BLOCK_SIZE["lhs"]
    assert block_edges(100_000, "lhs").tolist() == [
        0,
        16384,
        32768,
        49152,
        65536,
        81920,
        100000,
    ]
    assert block_edges(24_000, "lhs").tolist() == [
        0,
        24_000,
    ]  # remainder < half a block
    assert block_edges(25_000, "lhs").tolist() == [0, size, 25_000]
    assert block_edges(5, "sobol").tolist() == [0, 5]
    assert block_edges(2**17, "sobol").tolist() == list(range(0, 2**17 + 1, size))
    edges = block_edges(100_000, "lhs")
    assert blocks_covering(0, 100_000, edges) == (0, 6)
    assert blocks_covering(16_383, 16_385, edges) == (0, 2)
    assert blocks_covering(99_999, 100_000, edges) == (5, 6)
    assert blocks_covering(5, 5, edges) == (0, 0)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"method": "halton"},
            r"unknown sampling method 'halton'; choose one of random, lhs, sobol",
        ),
        ({"seed": -1}, r"seed must be an integer >= 0, got -1"),
        ({"seed": 1.5}, r"seed must be an integer >= 0, got 1\.5"),
        ({"n": -3}, r"n must be an integer >= 0"),
        ({"replicate": -1}, r"replicate must be an integer >= 0"),
        ({"risk_ids": ["a", "b", "a"]}, r"risk ids must be unique, repeated: a"),
        ({"start": 5, "total": 10}, r"chunk \[5, 105\) runs past total = 10 paths"),
    ],
)
def test_invalid_arguments(kwargs: dict, message: str) -> None:
    args = {"risk_ids": IDS, "n": 100, "method": "random", "seed": SEED} | kwargs
    with pytest.raises(ValueError, match=message):
        sample_uniforms(**args)


def test_round_paths_rejects_nonsense() -> None:
    with pytest.raises(ValueError, match="paths must be an integer >= 1"):
        round_paths(0, "sobol")
    with pytest.raises(ValueError, match="replicates must be an integer >= 1"):
        round_paths(10, "lhs", 0)


# --------------------------------------------------------- RiskSampler -------

RISKS = {
    "land_market": {"triangular": [0.75, 1.0, 1.08]},
    "build_cost": {"pert": [0.95, 1.0, 1.20]},
    "r2_sale_delay": {"discrete": {"values": [0, 12], "probs": [0.8, 0.2]}},
    "rent": {"normal": [1.0, 0.10]},
}
CORRELATIONS = [["land_market", "rent", 0.6], ["land_market", "r2_sale_delay", -0.4]]


@pytest.mark.parametrize("method", METHODS)
def test_risk_sampler_values_are_chunk_invariant(method: str) -> None:
    sampler = RiskSampler.build(
        RISKS, CORRELATIONS, paths=40_000, seed=SEED, method=method, replicates=2
    )
    whole = sampler.values()
    assert whole.shape == (sampler.paths, len(RISKS))
    for chunk in (999, 4_096, 25_000):
        parts = np.vstack(
            [
                sampler.values(s, min(chunk, sampler.paths - s))
                for s in range(0, sampler.paths, chunk)
            ]
        )
        np.testing.assert_array_equal(parts, whole)
    # Replicates are independent randomisations laid end to end.
    per = sampler.paths_per_replicate
    assert sampler.replicate_of().tolist() == [0] * per + [1] * per
    assert not np.array_equal(whole[:per], whole[per:])


def test_risk_sampler_reports_sobol_rounding() -> None:
    sampler = RiskSampler.build(
        RISKS, CORRELATIONS, paths=100_000, seed=SEED, method="sobol"
    )
    assert sampler.paths == 131_072 and sampler.replicates == 16
    assert any("rounded up to 131072" in note for note in sampler.notes)
    with pytest.raises(ValueError, match=r"outside the run's \[0, 131072\)"):
        sampler.values(131_000, 100)


# ------------------------------------------------------- standard errors -----


def test_binomial_standard_error_formula() -> None:
    assert binomial_standard_error(0.3, 10_000) == pytest.approx(
        math.sqrt(0.3 * 0.7 / 10_000)
    )
    np.testing.assert_allclose(
        binomial_standard_error(np.array([0.0, 0.5, 1.0]), 100), [0.0, 0.05, 0.0]
    )


def test_standard_error_under_random_is_binomial_for_indicators() -> None:
    flags = np.zeros(1_000, dtype=bool)
    flags[:250] = True
    assert standard_error(flags, "random") == pytest.approx(
        math.sqrt(0.25 * 0.75 / 1_000)
    )
    assert standard_error(flags.astype(float), "random") == pytest.approx(
        math.sqrt(0.25 * 0.75 / 1_000)
    )
    values = np.arange(10.0)
    assert standard_error(values, "random") == pytest.approx(
        np.std(values, ddof=1) / math.sqrt(10)
    )


def test_replicate_standard_error_on_a_toy_estimator() -> None:
    # Four replicates of three paths whose means are 1, 2, 3, 6.
    values = np.array([0, 1, 2, 1, 2, 3, 2, 3, 4, 5, 6, 7], dtype=float)
    means = np.array([1.0, 2.0, 3.0, 6.0])
    expected = np.std(means, ddof=1) / 2.0
    assert replicate_standard_error(values, 4) == pytest.approx(expected)
    assert standard_error(values, "lhs", 4) == pytest.approx(expected)
    assert standard_error(values, "sobol", 4) == pytest.approx(expected)
    # Another estimator: the median of each replicate (1, 2, 3, 6 again).
    assert replicate_standard_error(values, 4, np.median) == pytest.approx(expected)
    # Columns are estimated separately.
    two = np.column_stack([values, 2 * values])
    np.testing.assert_allclose(
        replicate_standard_error(two, 4), [expected, 2 * expected]
    )


def test_replicate_standard_error_measures_the_spread_of_sobol_estimates() -> None:
    # E[u] = 1/2 estimated with 16 scrambled Sobol' replicates of 256 paths:
    # the reported SE must be consistent with the actual error over seeds.
    errors, ses = [], []
    for seed in range(20):
        u = np.vstack(
            [
                sample_uniforms(["x"], 256, "sobol", seed, replicate=r)[:, 0] ** 2
                for r in range(16)
            ]
        ).ravel()
        errors.append(u.mean() - 1 / 3)
        ses.append(standard_error(u, "sobol", 16))
    rms_error = math.sqrt(np.mean(np.square(errors)))
    assert 0.5 < rms_error / np.mean(ses) < 2.0


def test_standard_error_needs_replicates_under_qmc() -> None:
    with pytest.raises(ValueError, match="needs at least 2 independent replicates"):
        standard_error(np.ones(10), "sobol", 1)
    with pytest.raises(ValueError, match="do not split into 3 equal replicates"):
        replicate_standard_error(np.ones(10), 3)
