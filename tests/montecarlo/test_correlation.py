"""Tests of fcfinance.montecarlo.correlation."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from scipy.special import ndtr

import fcfinance as fc
from fcfinance.montecarlo import RiskSampler
from fcfinance.montecarlo.correlation import (
    achieved_rank_correlation,
    build_target_matrix,
    check_positive_definite,
    correlate,
    correlation_model,
    iman_conover,
    mid_ranks,
    nearest_correlation,
    normal_to_rank_correlation,
    partial_correlations,
    rank_correlation_range,
    rank_to_normal_correlation,
)
from fcfinance.montecarlo.distributions import parse_distribution
from fcfinance.montecarlo.sampling import METHODS, block_edges, sample_uniforms
from tests.conftest import REFERENCE

SEED = 20211102
# risks and correlations of the reference case ref-a (tests/reference keeps a copy)
REF_A = fc.load(REFERENCE / "ref-a.yaml").model
REF_A_RISKS = {r.id: r.dist for r in REF_A.risks}
REF_A_CORRELATIONS = [list(c) for c in REF_A.correlations]
IDS = list(REF_A_RISKS)
LAND = parse_distribution(REF_A_RISKS["land_market"])
RENT = parse_distribution(REF_A_RISKS["rent"])
R2 = parse_distribution(REF_A_RISKS["r2_sale_delay"])
WORKS = parse_distribution(REF_A_RISKS["works_delay"])


# ------------------------------------------------ achieved correlations -------


@pytest.fixture(scope="module", params=METHODS)
def ref_a_run(request: pytest.FixtureRequest) -> tuple[RiskSampler, np.ndarray]:
    sampler = RiskSampler.build(
        REF_A_RISKS, REF_A_CORRELATIONS, paths=100_000, seed=SEED, method=request.param
    )
    return sampler, sampler.values()


def test_ref_a_targets_are_achieved(ref_a_run: tuple[RiskSampler, np.ndarray]) -> None:
    _, values = ref_a_run
    achieved = achieved_rank_correlation(values)
    target = build_target_matrix(IDS, REF_A_CORRELATIONS)
    # Spearman with mid-ranks within 0.02 of every target (including the zeros).
    np.testing.assert_allclose(achieved, target, rtol=0, atol=0.02)
    i, j, k = IDS.index("land_market"), IDS.index("rent"), IDS.index("r2_sale_delay")
    assert achieved[i, j] == pytest.approx(0.6, abs=0.02)
    assert achieved[i, k] == pytest.approx(-0.4, abs=0.02)
    # scipy agrees on the mid-ranked value.
    assert stats.spearmanr(values[:, i], values[:, k])[0] == pytest.approx(
        achieved[i, k], abs=1e-12
    )


def test_ref_a_marginals_still_match(ref_a_run: tuple[RiskSampler, np.ndarray]) -> None:
    sampler, values = ref_a_run
    n = values.shape[0]
    for j, dist in enumerate(sampler.distributions):
        if dist.is_discrete:
            for v, p in zip(dist.values, dist.probs):
                assert abs(np.mean(values[:, j] == v) - p) <= 4 * math.sqrt(
                    p * (1 - p) / n
                )
        else:
            # Kolmogorov–Smirnov distance well inside its 1e-3 level (1.95/sqrt(n)).
            assert stats.kstest(
                values[:, j], dist.scipy.cdf
            ).statistic < 1.95 / math.sqrt(n)


@pytest.mark.parametrize("method", METHODS)
def test_iman_conover_preserves_marginals_exactly(method: str) -> None:
    total = 2**15
    model = correlation_model(IDS, list(REF_A_RISKS.values()), REF_A_CORRELATIONS)
    u = sample_uniforms(IDS, total, method, SEED, total=total)
    c = correlate(u, model, method, SEED, total=total)
    edges = block_edges(total, method)
    for b0, b1 in itertools.pairwise(edges):
        # The same values in every column of every block, only reordered.
        np.testing.assert_array_equal(
            np.sort(c[b0:b1], axis=0), np.sort(u[b0:b1], axis=0)
        )
    untouched = [j for j in range(len(IDS)) if j not in model.columns]
    np.testing.assert_array_equal(c[:, untouched], u[:, untouched])
    assert sorted(IDS[j] for j in model.columns) == [
        "land_market",
        "r2_sale_delay",
        "rent",
    ]


def test_iman_conover_keeps_sobol_and_lhs_strata() -> None:
    model = correlation_model(IDS, list(REF_A_RISKS.values()), REF_A_CORRELATIONS)
    for method in ("sobol", "lhs"):
        u = correlate(sample_uniforms(IDS, 4_096, method, SEED), model, method, SEED)
        for j in range(len(IDS)):
            strata = np.sort(np.floor(u[:, j] * 4_096).astype(int))
            np.testing.assert_array_equal(strata, np.arange(4_096))


def test_correlate_needs_whole_blocks() -> None:
    model = correlation_model(IDS, list(REF_A_RISKS.values()), REF_A_CORRELATIONS)
    u = sample_uniforms(IDS, 100, "random", SEED, start=10, total=40_000)
    with pytest.raises(ValueError, match="correlate needs whole blocks"):
        correlate(u, model, "random", SEED, start=10, total=40_000)


def test_iman_conover_tiny_blocks() -> None:
    chol = np.linalg.cholesky(np.array([[1.0, 0.5], [0.5, 1.0]]))
    for m in (1, 2, 3, 4):
        sample = np.arange(2.0 * m).reshape(m, 2)
        perms = np.column_stack([np.arange(m), np.arange(m)])  # identical: singular
        out = iman_conover(sample, chol, perms)
        np.testing.assert_array_equal(np.sort(out, axis=0), sample)


# ------------------------------------------------------------ calibration ----


def test_continuous_pairs_use_the_closed_form() -> None:
    for rho in (-0.9, -0.3, 0.2, 0.6, 1.0):
        r = rank_to_normal_correlation(rho, LAND, RENT)
        assert r == pytest.approx(2 * math.sin(math.pi * rho / 6), abs=1e-15)
        assert normal_to_rank_correlation(r, LAND, RENT) == pytest.approx(
            rho, abs=1e-12
        )


def test_plain_gaussian_copula_undershoots_for_the_discrete_pair() -> None:
    # The textbook conversion would give about -0.29, not -0.4, for ref-a's pair.
    naive = 2 * math.sin(math.pi * -0.4 / 6)
    assert normal_to_rank_correlation(naive, LAND, R2) == pytest.approx(-0.29, abs=0.01)
    r = rank_to_normal_correlation(-0.4, LAND, R2)
    assert normal_to_rank_correlation(r, LAND, R2) == pytest.approx(-0.4, abs=1e-12)
    assert r < naive


@pytest.mark.parametrize(
    ("a", "b"),
    [(LAND, R2), (R2, LAND), (WORKS, R2), (R2, R2), (WORKS, WORKS), (LAND, RENT)],
)
@pytest.mark.parametrize("r", [-0.95, -0.5, 0.3, 0.8, 0.99])
def test_analytic_rank_correlation_matches_a_large_sample(a, b, r: float) -> None:
    """The quadrature against a seeded 4e5-path Gaussian-copula sample.

    Tolerance 0.006 is about 4 standard errors of a sample Spearman at 4e5.
    """
    rng = np.random.default_rng(int(1000 * r) % 2**16)
    n = 400_000
    z1 = rng.standard_normal(n)
    z2 = r * z1 + math.sqrt(1 - r * r) * rng.standard_normal(n)
    x = a.ppf(ndtr(z1))
    y = b.ppf(ndtr(z2))
    sample = stats.spearmanr(x, y)[0]
    assert normal_to_rank_correlation(r, a, b) == pytest.approx(sample, abs=0.006)


def test_reachable_range_is_analytic() -> None:
    # Comonotone: Cov = E[U G(U)] - 1/4 = 0.04, Var G = (1 - 0.8**3 - 0.2**3)/12 = 0.04.
    lo, hi = rank_correlation_range(LAND, R2)
    assert hi == pytest.approx(math.sqrt(0.48), abs=1e-9)
    assert lo == pytest.approx(-math.sqrt(0.48), abs=1e-9)
    # Two identical binary risks: comonotone 1, countermonotone -p/(1-p) = -0.25.
    lo, hi = rank_correlation_range(R2, R2)
    assert (lo, hi) == (pytest.approx(-0.25, abs=1e-9), pytest.approx(1.0, abs=1e-9))


def test_unreachable_target_names_the_range() -> None:
    message = (
        r"rank correlation -0\.9 between land_market and r2_sale_delay is not reachable "
        r"with these marginals; reachable range is \[-0\.69, 0\.69\]"
    )
    with pytest.raises(ValueError, match=message):
        rank_to_normal_correlation(-0.9, LAND, R2, ("land_market", "r2_sale_delay"))
    with pytest.raises(ValueError, match=message):
        correlation_model(
            IDS, list(REF_A_RISKS.values()), [["land_market", "r2_sale_delay", -0.9]]
        )


def test_a_risk_with_one_value_cannot_be_correlated() -> None:
    risks = {"a": {"fixed": 1.0}, "b": {"uniform": [0, 1]}}
    with pytest.raises(
        ValueError, match=r"risk 'a' has only one possible value \(fixed\)"
    ):
        correlation_model(list(risks), list(risks.values()), [["a", "b", 0.3]])
    risks = {"a": {"bernoulli": 0.0}, "b": {"uniform": [0, 1]}}
    with pytest.raises(ValueError, match="risk 'a' has only one possible value"):
        correlation_model(list(risks), list(risks.values()), [["a", "b", 0.3]])


# ------------------------------------------------------- target matrix -------


def test_build_target_matrix() -> None:
    c = build_target_matrix(IDS, REF_A_CORRELATIONS)
    assert c.shape == (7, 7) and np.array_equal(c, c.T) and np.all(np.diag(c) == 1)
    assert c[0, 6] == 0.6 and c[3, 0] == -0.4 and c[1, 2] == 0.0


@pytest.mark.parametrize(
    ("pairs", "message"),
    [
        (
            [["land_market", "rents", 0.6]],
            r"correlation \[land_market, rents, 0\.6\] names unknown risk 'rents'; known risks: land_market, build_cost",
        ),
        (
            [["rent", "rent", 0.6]],
            r"correlation \[rent, rent, 0\.6\] pairs risk 'rent' with itself",
        ),
        (
            [["land_market", "rent", 0.6], ["rent", "land_market", 0.5]],
            r"correlation between rent and land_market is given twice: \[land_market, rent, 0\.6\] and \[rent, land_market, 0\.5\]",
        ),
        (
            [["land_market", "rent", 1.2]],
            r"rank correlation must be a number in \[-1, 1\], got 1\.2 in \[land_market, rent, 1\.2\]",
        ),
        (
            [["land_market", "rent", -1.01]],
            r"rank correlation must be a number in \[-1, 1\], got -1\.01",
        ),
        (
            [["land_market", "rent", "high"]],
            r"rank correlation must be a number in \[-1, 1\], got 'high'",
        ),
        (
            [["land_market", "rent"]],
            r"a correlation must be \[id_a, id_b, rho\], got \['land_market', 'rent'\]",
        ),
    ],
)
def test_target_matrix_validation(pairs, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        build_target_matrix(IDS, pairs)


# ------------------------------------------------ positive definiteness ------

CONFLICT = [["a", "b", 0.9], ["b", "c", 0.9], ["a", "c", -0.9]]
ABC = {
    "a": {"uniform": [0, 1]},
    "b": {"normal": [0, 1]},
    "c": {"triangular": [0, 1, 2]},
}


def test_not_positive_definite_error_names_the_smallest_eigenvalue() -> None:
    c = build_target_matrix(list(ABC), CONFLICT)
    smallest = np.linalg.eigvalsh(c)[0]
    assert smallest == pytest.approx(-0.8)
    message = (
        r"correlation matrix is not positive definite: smallest eigenvalue -0\.800 "
        r"\(among a, b, c\); set simulation\.correlation_repair: true to use the nearest valid matrix"
    )
    with pytest.raises(ValueError, match=message):
        check_positive_definite(c, list(ABC))
    with pytest.raises(ValueError, match=r"smallest eigenvalue -0\.800"):
        correlation_model(list(ABC), list(ABC.values()), CONFLICT)
    # A singular target (rho = 1) is not positive definite either.
    with pytest.raises(
        ValueError, match=r"smallest eigenvalue (-?0\.0e\+00|-?\d\.\de-\d\d)"
    ):
        check_positive_definite(build_target_matrix(["a", "b"], [["a", "b", 1.0]]))
    assert check_positive_definite(build_target_matrix(IDS, REF_A_CORRELATIONS)) > 0


def test_nearest_correlation_reproduces_higham_2002() -> None:
    # Higham (2002), section 4: nearest correlation matrix to tridiag(-1, 2, -1).
    a = np.array(
        [[2, -1, 0, 0], [-1, 2, -1, 0], [0, -1, 2, -1], [0, 0, -1, 2]], dtype=float
    )
    expected = np.array(
        [
            [1.0000, -0.8084, 0.1916, 0.1068],
            [-0.8084, 1.0000, -0.6562, 0.1916],
            [0.1916, -0.6562, 1.0000, -0.8084],
            [0.1068, 0.1916, -0.8084, 1.0000],
        ]
    )
    np.testing.assert_allclose(nearest_correlation(a), expected, atol=1e-4)


def test_repair_gives_a_positive_definite_unit_diagonal_matrix() -> None:
    c = build_target_matrix(list(ABC), CONFLICT)
    x = nearest_correlation(c)
    np.testing.assert_array_equal(np.diag(x), 1.0)
    np.testing.assert_allclose(x, x.T, atol=0)
    assert np.linalg.eigvalsh(x)[0] > 0
    np.linalg.cholesky(x)
    # The exact nearest correlation matrix here is 0.5 / 0.5 / -0.5.
    np.testing.assert_allclose(x[0, 1], 0.5, atol=1e-5)
    model = correlation_model(list(ABC), list(ABC.values()), CONFLICT, repair=True)
    assert model.repaired and "nearest valid matrix" in model.notes[0]
    assert "smallest eigenvalue -0.800" in model.notes[0]
    sampler = RiskSampler.build(
        ABC, CONFLICT, paths=20_000, seed=SEED, method="lhs", correlation_repair=True
    )
    assert sampler.notes == model.notes
    achieved = achieved_rank_correlation(sampler.values())
    np.testing.assert_allclose(achieved, model.target, atol=0.03)


def test_achieved_rank_correlation_uses_mid_ranks() -> None:
    rng = np.random.default_rng(3)
    x = np.column_stack(
        [rng.integers(0, 3, 500), rng.random(500), rng.integers(0, 2, 500)]
    )
    x[:, 1] += x[:, 0]
    np.testing.assert_allclose(
        achieved_rank_correlation(x), stats.spearmanr(x)[0], atol=1e-12
    )
    constant = np.column_stack([np.ones(10), np.arange(10.0)])
    assert np.isnan(achieved_rank_correlation(constant)[0, 1])


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from([-2.0, 0.0, 0.5, 1.0, 3.0, np.inf, -np.inf]) | st.floats(-1e6, 1e6),
                min_size=1, max_size=60))
def test_mid_ranks_equal_scipy_average_ranks(values) -> None:
    x = np.array(values)
    np.testing.assert_array_equal(mid_ranks(x), stats.rankdata(x, method="average"))


def test_mid_ranks_of_nan_are_nan() -> None:
    assert np.isnan(mid_ranks(np.array([1.0, np.nan, 2.0]))).all()
    assert np.isnan(stats.rankdata(np.array([1.0, np.nan, 2.0]))).all()


def test_partial_rank_correlation_sees_through_a_correlated_bystander() -> None:
    """y = x1 + x2; x3 follows x1 but has no effect: its plain rank correlation with y is
    large, its partial rank correlation small (ranks are not linear in the values, so not
    exactly 0); x1 and x2 keep large ones."""
    rng = np.random.default_rng(11)
    x1, x2 = rng.standard_normal(50_000), rng.standard_normal(50_000)
    x3 = x1 + 0.3 * rng.standard_normal(50_000)
    matrix = achieved_rank_correlation(np.column_stack([x1, x2, x3, x1 + x2]))
    partial = partial_correlations(matrix)
    assert matrix[2, 3] > 0.6
    assert abs(partial[2]) < 0.05
    assert partial[0] > 0.5 and partial[1] > 0.8  # x1 shares part of its information with x3


def test_partial_correlations_of_independent_variables_and_degenerate_cases() -> None:
    # two independent inputs: partial equals plain, r / sqrt(1 - other r²) scaled as the closed form gives
    r1, r2 = 0.6, 0.3
    matrix = np.array([[1.0, 0.0, r1], [0.0, 1.0, r2], [r1, r2, 1.0]])
    expected = [r1 / math.sqrt(1 - r2**2), r2 / math.sqrt(1 - r1**2)]
    np.testing.assert_allclose(partial_correlations(matrix), expected, rtol=1e-12)
    constant_risk = np.array([[np.nan, np.nan, np.nan], [np.nan, 1.0, 0.5], [np.nan, 0.5, 1.0]])
    got = partial_correlations(constant_risk)
    assert np.isnan(got[0]) and got[1] == pytest.approx(0.5)
    assert np.isnan(partial_correlations(np.full((3, 3), np.nan))).all()
