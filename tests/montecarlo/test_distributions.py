"""Tests of fcfinance.montecarlo.distributions.

Reference values come from scipy.stats (the equivalent frozen distribution);
sampling tolerances are stated in standard errors of the seeded estimate.
"""

from __future__ import annotations

import math
import pathlib

import numpy as np
import pytest
from scipy import stats

from fcfinance.montecarlo.distributions import (
    DISTRIBUTION_NAMES,
    U_MAX,
    U_MIN,
    BetaPpfTable,
    Distribution,
    beta_ppf_table,
    parse_distribution,
)

N = 100_000
SPECS = {
    "fixed": {"fixed": 2.5},
    "uniform": {"uniform": [0.35, 0.60]},
    "triangular": {"triangular": [0.75, 1.0, 1.08]},
    "triangular_left": {"triangular": [0.0, 0.0, 2.0]},
    "triangular_right": {"triangular": [0.0, 2.0, 2.0]},
    "pert": {"pert": [0.95, 1.0, 1.20]},
    "normal": {"normal": [1.0, 0.10]},
    "lognormal": {"lognormal": [1.0, 0.30]},
    "beta": {"beta": [18, 2, 0.80, 1.0]},
    "discrete": {
        "discrete": {"values": [0, 3, 6, 12], "probs": [0.5, 0.25, 0.15, 0.1]}
    },
    "bernoulli": {"bernoulli": 0.3},
}


def uniforms(n: int = N, seed: int = 12345) -> np.ndarray:
    return np.random.default_rng(seed).random(n)


# ---------------------------------------------------------------- moments ---


@pytest.mark.parametrize("key", sorted(SPECS))
def test_sample_mean_matches_scipy(key: str) -> None:
    dist = parse_distribution(SPECS[key])
    x = dist.ppf(uniforms())
    ref = dist.scipy
    # Closed-form mean agrees with scipy's.
    assert dist.mean == pytest.approx(ref.mean(), rel=1e-12, abs=1e-12)
    # Sample mean within 4 standard errors (seeded: a regression, not a flake).
    se = ref.std() / math.sqrt(N)
    assert abs(x.mean() - ref.mean()) <= 4 * se + 1e-12
    lo, hi = dist.support
    assert np.all((x >= lo) & (x <= hi))


@pytest.mark.parametrize("key", sorted(SPECS))
def test_sample_sd_matches_scipy(key: str) -> None:
    dist = parse_distribution(SPECS[key])
    x = dist.ppf(uniforms())
    # Sample sd within 3 % (its relative SE at 1e5 draws is below 0.5 % here).
    assert x.std() == pytest.approx(dist.scipy.std(), rel=0.03, abs=1e-12)


@pytest.mark.parametrize("key", sorted(SPECS))
def test_ppf_matches_scipy_at_fixed_u(key: str) -> None:
    dist = parse_distribution(SPECS[key])
    u = np.array(
        [1e-9, 1e-6, 0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999, 1 - 1e-9]
    )
    if dist.name in ("beta", "pert"):
        # Tabulated: 1e-8 of the range (the table is built to 1e-9).
        lo, hi = dist.support
        np.testing.assert_allclose(
            dist.ppf(u), dist.scipy.ppf(u), rtol=0, atol=1e-8 * (hi - lo)
        )
    else:
        # Closed forms and ndtri: scipy's own values to rounding.
        np.testing.assert_allclose(
            dist.ppf(u), dist.scipy.ppf(u), rtol=1e-12, atol=1e-13
        )


def test_lognormal_parameters_are_of_the_variable_itself() -> None:
    dist = parse_distribution({"lognormal": [250.0, 80.0]})
    # Analytic: the frozen scipy distribution has exactly the stated mean and sd.
    assert dist.scipy.mean() == pytest.approx(250.0, rel=1e-12)
    assert dist.scipy.std() == pytest.approx(80.0, rel=1e-12)
    mu, sigma = dist.lognormal_log_params
    assert sigma**2 == pytest.approx(math.log(1 + (80 / 250) ** 2), rel=1e-14)
    assert mu == pytest.approx(math.log(250) - sigma**2 / 2, rel=1e-14)
    x = dist.ppf(uniforms())
    assert abs(x.mean() - 250.0) <= 4 * 80.0 / math.sqrt(N)
    assert x.std() == pytest.approx(80.0, rel=0.03)


@pytest.mark.parametrize("key", ["discrete", "bernoulli"])
def test_discrete_frequencies_match_probabilities(key: str) -> None:
    dist = parse_distribution(SPECS[key])
    x = dist.ppf(uniforms())
    for value, p in zip(dist.values, dist.probs):
        freq = np.mean(x == value)
        assert abs(freq - p) <= 4 * math.sqrt(p * (1 - p) / N)
    assert set(np.unique(x)) <= set(dist.values)


def test_discrete_convention_on_cumulative_boundaries() -> None:
    # value_k for u in (cum_{k-1}, cum_k]
    dist = parse_distribution({"discrete": {"values": [0, 12], "probs": [0.8, 0.2]}})
    x = dist.ppf([0.0, 1e-12, 0.8, np.nextafter(0.8, 1), 1.0])
    np.testing.assert_array_equal(x, [0, 0, 0, 12, 12])
    b = parse_distribution({"bernoulli": 0.25})
    np.testing.assert_array_equal(b.ppf([0.75, np.nextafter(0.75, 1)]), [0, 1])
    assert parse_distribution({"bernoulli": 0}).ppf([1.0]).tolist() == [0.0]
    assert parse_distribution({"bernoulli": 1}).ppf([0.0]).tolist() == [1.0]


def test_discrete_values_are_sorted_with_their_probs() -> None:
    dist = parse_distribution(
        {"discrete": {"values": [12, 0, 3], "probs": [0.1, 0.6, 0.3]}}
    )
    assert dist.values == (0.0, 3.0, 12.0)
    assert dist.probs == (0.6, 0.3, 0.1)
    # The inverse CDF is non-decreasing in u (needed for rank correlation).
    x = dist.ppf(np.linspace(0, 1, 1001))
    assert np.all(np.diff(x) >= 0)
    assert dist.support == (0.0, 12.0)


def test_zero_probability_values_are_never_drawn() -> None:
    dist = parse_distribution({"discrete": {"values": [-1, 0, 5], "probs": [0, 1, 0]}})
    assert set(np.unique(dist.ppf(uniforms(10_000)))) == {0.0}
    assert dist.support == (0.0, 0.0)


def test_fixed() -> None:
    dist = parse_distribution({"fixed": 3})
    np.testing.assert_array_equal(dist.ppf(np.array([0.0, 0.5, 1.0])), [3.0, 3.0, 3.0])
    assert dist.is_discrete and dist.values == (3.0,) and dist.support == (3.0, 3.0)
    assert dist.scipy.ppf(0.4) == 3.0


def test_unbounded_ppf_is_finite_at_0_and_1() -> None:
    for spec in ({"normal": [0, 1]}, {"lognormal": [1, 2]}):
        x = parse_distribution(spec).ppf(np.array([0.0, 1.0]))
        assert np.all(np.isfinite(x))
    # ndtri(2**-53) is about -8.2 standard deviations.
    assert parse_distribution({"normal": [0, 1]}).ppf(0.0) == pytest.approx(
        stats.norm.ppf(U_MIN), rel=1e-12
    )


def test_ppf_rejects_u_outside_unit_interval() -> None:
    dist = parse_distribution({"uniform": [0, 1]})
    for bad in ([-0.1], [1.5], [np.nan]):
        with pytest.raises(ValueError, match=r"probabilities u in \[0, 1\]"):
            dist.ppf(bad)


def test_ppf_keeps_shape() -> None:
    dist = parse_distribution({"pert": [0, 1, 3]})
    assert dist.ppf(np.full((3, 4), 0.5)).shape == (3, 4)
    assert dist.ppf(0.5).shape == ()


# ------------------------------------------------------- tabulated beta ppf ---

BETA_SHAPES = [
    (18.0, 2.0),  # ref-a redemption
    (1 + 4 * 0.05 / 0.25, 1 + 4 * 0.20 / 0.25),  # ref-a build_cost pert
    (1.0, 5.0),  # pert with mode = lo
    (3.0, 3.0),
    (0.5, 0.5),
    (0.3, 7.0),
    (50.0, 50.0),
    (0.05, 0.05),  # steep U shape: the largest table needed
]


@pytest.mark.parametrize(("a", "b"), BETA_SHAPES)
def test_beta_table_accuracy(a: float, b: float) -> None:
    """Stated accuracy: |table - scipy.stats.beta.ppf| <= 1e-8 of (hi - lo)."""
    table = beta_ppf_table(a, b)
    assert table.coefficients is not None
    assert table.max_error <= 1e-9
    rng = np.random.default_rng(7)
    # u in [1e-9, 1 - 1e-9]: uniform in u, and uniform in logit(u) (the tails).
    t = rng.uniform(-math.log(1e9), math.log(1e9), 50_000)
    u = np.concatenate([rng.uniform(1e-9, 1 - 1e-9, 50_000), 1 / (1 + np.exp(-t))])
    err = np.abs(table(u) - stats.beta.ppf(u, a, b))
    assert err.max() <= 1e-8
    # ... and over the whole clipped range [U_MIN, U_MAX].
    t_full = rng.uniform(math.log(U_MIN), -math.log(U_MIN), 20_000)
    u_full = np.clip(1 / (1 + np.exp(-t_full)), U_MIN, U_MAX)
    assert np.abs(table(u_full) - stats.beta.ppf(u_full, a, b)).max() <= 1e-8


def test_beta_table_scaled_by_support() -> None:
    dist = parse_distribution({"beta": [2, 5, 100.0, 300.0]})
    u = np.linspace(0.001, 0.999, 999)
    np.testing.assert_allclose(dist.ppf(u), dist.scipy.ppf(u), rtol=0, atol=200 * 1e-8)


def test_beta_table_falls_back_to_scipy_when_too_coarse() -> None:
    table = BetaPpfTable.build(0.05, 0.05, max_intervals=1024)
    assert table.coefficients is None and table.intervals == 0
    u = np.array([0.1, 0.5, 0.9])
    np.testing.assert_array_equal(table(u), stats.beta.ppf(u, 0.05, 0.05))


def test_pert_is_the_lambda_4_beta() -> None:
    dist = parse_distribution({"pert": [2.0, 3.0, 7.0]})
    a, b, lo, hi = dist.beta_shape
    assert (a, b, lo, hi) == (1 + 4 * 1 / 5, 1 + 4 * 4 / 5, 2.0, 7.0)
    assert dist.mean == pytest.approx((2 + 4 * 3 + 7) / 6)


# ------------------------------------------------------------- validation ---

BAD_SPECS = [
    (
        {"triangular": [1.0, 0.5, 2.0]},
        r"triangular needs lo <= mode <= hi with lo < hi, got \[1\.0, 0\.5, 2\.0\]",
    ),
    (
        {"triangular": [1, 1, 1]},
        r"triangular needs lo <= mode <= hi with lo < hi, got \[1\.0, 1\.0, 1\.0\]",
    ),
    (
        {"triangular": [1, 2]},
        r"triangular needs \[lo, mode, hi\] as 3 finite numbers, got \[1\.0, 2\.0\]",
    ),
    (
        {"pert": [0, 3, 2]},
        r"pert needs lo <= mode <= hi with lo < hi, got \[0\.0, 3\.0, 2\.0\]",
    ),
    ({"uniform": [2, 1]}, r"uniform needs \[lo, hi\] with lo < hi"),
    (
        {"uniform": [0, "x"]},
        r"uniform needs \[lo, hi\] as 2 finite numbers, got \[0\.0, 'x'\]",
    ),
    ({"uniform": [0, float("nan")]}, r"uniform needs \[lo, hi\] as 2 finite numbers"),
    (
        {"normal": [1.0, -0.1]},
        r"normal needs \[mean, sd\] with sd > 0 .*got \[1\.0, -0\.1\]",
    ),
    (
        {"normal": [1.0, 0]},
        r"normal needs \[mean, sd\] with sd > 0 \(for a constant use \{fixed: mean\}\)",
    ),
    (
        {"lognormal": [1.0, -0.3]},
        r"lognormal needs \[mean, sd\] of the variable itself .*sd > 0, got \[1\.0, -0\.3\]",
    ),
    ({"lognormal": [0.0, 0.3]}, r"lognormal needs .*mean > 0"),
    (
        {"beta": [0, 2, 0, 1]},
        r"beta needs \[a, b, lo, hi\] with a > 0, b > 0 and lo < hi, got \[0\.0, 2\.0, 0\.0, 1\.0\]",
    ),
    ({"beta": [2, -1, 0, 1]}, r"beta needs .*b > 0"),
    ({"beta": [2, 2, 1, 1]}, r"beta needs .*lo < hi, got \[2\.0, 2\.0, 1\.0, 1\.0\]"),
    (
        {"discrete": {"values": [0, 1], "probs": [0.5, 0.4]}},
        r"discrete probs must sum to 1 \(±1e-09\), got 0\.9$",
    ),
    (
        {"discrete": {"values": [0, 1, 2], "probs": [0.5, 0.5]}},
        r"probs and values must have the same length, got 3 values and 2 probs",
    ),
    (
        {"discrete": {"values": [0, 1], "probs": [1.5, -0.5]}},
        r"discrete probs must each lie in \[0, 1\]",
    ),
    (
        {"discrete": {"values": [1, 1], "probs": [0.5, 0.5]}},
        r"discrete values must be distinct, got \[1\.0, 1\.0\]",
    ),
    (
        {"discrete": {"values": [], "probs": []}},
        r"discrete values must be a non-empty list",
    ),
    (
        {"discrete": {"values": [0, 1]}},
        r"discrete needs \{values: \[\.\.\.\], probs: \[\.\.\.\]\}",
    ),
    ({"discrete": [0, 1]}, r"discrete needs \{values: \[\.\.\.\], probs: \[\.\.\.\]\}"),
    ({"bernoulli": 1.2}, r"bernoulli needs a probability p in \[0, 1\], got 1\.2"),
    ({"bernoulli": -0.1}, r"bernoulli needs a probability p in \[0, 1\], got -0\.1"),
    ({"bernoulli": True}, r"bernoulli needs a probability p in \[0, 1\], got True"),
    ({"fixed": "1"}, r"fixed needs one finite number, got '1'"),
    (
        {"gamma": [1, 2]},
        r"unknown distribution 'gamma'; known distributions: fixed, uniform, triangular, pert, normal, lognormal, beta, discrete, bernoulli",
    ),
    (
        {"uniform": [0, 1], "normal": [0, 1]},
        r"a distribution must have exactly one key \(one of: fixed, .*\), got 2 keys",
    ),
    ({}, r"a distribution must have exactly one key"),
    ([0, 1], r"a distribution must be a mapping with one key"),
]


@pytest.mark.parametrize(("spec", "message"), BAD_SPECS)
def test_impossible_parameters_raise_helpful_value_error(
    spec: object, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        parse_distribution(spec)  # type: ignore[arg-type]


def test_direct_construction_validates_too() -> None:
    with pytest.raises(ValueError, match="triangular needs lo <= mode <= hi"):
        Distribution("triangular", (1.0, 0.5, 2.0))
    with pytest.raises(ValueError, match="unknown distribution 'weibull'"):
        Distribution("weibull", (1.0,))


def test_probabilities_within_tolerance_are_renormalised() -> None:
    dist = parse_distribution(
        {"discrete": {"values": [0, 1], "probs": [0.5, 0.5 + 5e-10]}}
    )
    assert math.fsum(dist.probs) == pytest.approx(1.0, abs=1e-15)


# ------------------------------------------------------------- the object ---


@pytest.mark.parametrize("key", sorted(SPECS))
def test_spec_round_trips_and_objects_are_hashable(key: str) -> None:
    dist = parse_distribution(SPECS[key])
    again = parse_distribution(dist.spec)
    assert again == dist and hash(again) == hash(dist)
    assert parse_distribution(dist) is dist
    with pytest.raises(AttributeError):
        dist.name = "uniform"  # type: ignore[misc]


def test_scipy_property_kinds() -> None:
    assert isinstance(
        parse_distribution(SPECS["discrete"]).scipy.dist, stats.rv_discrete
    )
    assert isinstance(
        parse_distribution(SPECS["bernoulli"]).scipy.dist, stats.rv_discrete
    )
    assert isinstance(parse_distribution(SPECS["fixed"]).scipy.dist, stats.rv_discrete)
    assert isinstance(parse_distribution(SPECS["pert"]).scipy.dist, type(stats.beta))
    assert isinstance(
        parse_distribution(SPECS["lognormal"]).scipy.dist, type(stats.lognorm)
    )


def test_is_discrete_values_and_support() -> None:
    assert [
        parse_distribution(SPECS[k]).is_discrete
        for k in ("fixed", "discrete", "bernoulli")
    ] == [True] * 3
    for k in ("uniform", "triangular", "pert", "normal", "lognormal", "beta"):
        dist = parse_distribution(SPECS[k])
        assert not dist.is_discrete and dist.values is None and dist.probs is None
    assert parse_distribution(SPECS["bernoulli"]).values == (0.0, 1.0)
    assert parse_distribution(SPECS["normal"]).support == (-math.inf, math.inf)
    assert parse_distribution(SPECS["lognormal"]).support == (0.0, math.inf)
    assert parse_distribution(SPECS["beta"]).support == (0.8, 1.0)
    assert parse_distribution({"bernoulli": 0.0}).support == (0.0, 0.0)


def test_every_known_name_is_covered() -> None:
    assert {next(iter(s)) for s in SPECS.values()} == set(DISTRIBUTION_NAMES)


def test_reference_case_a_risks_parse() -> None:
    """Every risk of shared/reference/ref-a.yaml parses (read with ruamel.yaml)."""
    path = (
        pathlib.Path(__file__).resolve().parents[3]
        / "shared"
        / "reference"
        / "ref-a.yaml"
    )
    if not path.exists():
        pytest.skip(f"{path} not found")
    yaml = pytest.importorskip("ruamel.yaml")
    doc = yaml.YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    dists = {risk["id"]: parse_distribution(risk["dist"]) for risk in doc["risks"]}
    assert dists["build_cost"].name == "pert"
    assert dists["r2_sale_delay"].values == (0.0, 12.0)
    assert dists["redemption"].beta_shape == (18.0, 2.0, 0.8, 1.0)
