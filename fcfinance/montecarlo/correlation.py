"""Rank-correlation targets between risks (METHOD.md section 9).

A scenario's ``correlations: [[id_a, id_b, rho], ...]`` are Spearman
rank-correlation targets; pairs not listed have target 0.

How the targets are imposed: Iman–Conover, not a Gaussian copula
-----------------------------------------------------------------
Iman and Conover (1982) *reorder* each correlated risk's sample so that its
ranks follow those of a matrix of normal scores with the wanted correlation.
Reordering changes no value, so every marginal is preserved **exactly**: a
Latin-hypercube column keeps one point per stratum and a Sobol' column keeps
its one-dimensional balance. A Gaussian copula applied to the uniforms would
instead replace the stratified columns by mixtures of them, and lose that
stratification for every correlated risk but one. Risks that take part in no
correlation are left untouched (their joint low-discrepancy structure stays).

Reordering needs a set of paths to reorder, so it is done on the fixed
blocks of :func:`fcfinance.montecarlo.sampling.block_edges` (the same blocks
that stratify LHS; ``BLOCK_SIZE`` = 2**14 paths): block ``k`` of replicate
``r`` is reordered with random score permutations drawn from
``(seed, "iman-conover", risk_id, r, k)``, so the result does not depend on
how a caller chunks the paths (callers draw whole blocks and slice; see
:class:`fcfinance.montecarlo.RiskSampler`). Within a block the Pearson
correlation of the normal scores is made exact (the scores are whitened by
the Cholesky factor of their own sample correlation), so the achieved rank
correlation has very little block-to-block noise.

Calibration (discrete marginals, ties)
--------------------------------------
The achieved Spearman correlation is that of mid-ranks (ties get their
average rank), which for a discrete risk is lower than the normal-scores
correlation suggests: for ref-a's triangular ``land_market`` against the
two-valued ``r2_sale_delay`` (values 0 or 12 with probabilities 0.8, 0.2),
the textbook conversion ``r = 2 sin(pi rho / 6)`` gives about -0.29 for a
target of -0.4. Each pair's normal-scores correlation ``r`` is therefore
found by a root search (``brentq``) on the *population* mid-rank Spearman
correlation of the Gaussian copula with correlation ``r`` and the two
marginals, computed deterministically:

* ``rho_S(r) = Cov(G_a, G_b) / sqrt(Var G_a Var G_b)``, with ``G = F~(X)``
  the mid-distribution transform, ``F~(x) = (F(x) + F(x-)) / 2``; ``Var G``
  is ``1/12`` for a continuous risk and ``(1 - sum p_k**3) / 12`` for a
  discrete one.
* By Price's theorem ``dCov/dr = E_r[g_a'(Z_a) g_b'(Z_b)]``, integrated from
  0 to ``r`` with ``r = sin(theta)`` by 128-point Gauss–Legendre quadrature
  in ``theta`` (the integrand is bounded and smooth): closed form
  ``6/pi asin(r/2)`` for two continuous risks, a sum over the discrete
  risk's probability steps for continuous–discrete and over pairs of steps
  for discrete–discrete.

A target outside ``[rho_S(-1), rho_S(1)]`` (the reachable range for those
marginals) is an error that names the range. Because ``rho_S`` depends only
on the marginals, the calibration holds for any sampling method.

Positive definiteness
---------------------
The target matrix must be positive definite (smallest eigenvalue above
:data:`EIGENVALUE_TOLERANCE`); otherwise :func:`check_positive_definite`
raises an error naming the smallest eigenvalue, unless repair is asked for,
when :func:`nearest_correlation` (Higham 2002, alternating projections with
Dykstra's correction, eigenvalues floored at :data:`REPAIR_MIN_EIGENVALUE`)
gives the matrix used, and the change is reported in the model's notes. If
the calibrated normal-scores matrix is not positive definite although the
targets are, it is repaired the same way and that is reported too.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from numpy.polynomial.legendre import leggauss
from scipy.special import ndtri

from .distributions import Distribution, parse_distribution
from .parallel import run_each
from .sampling import _check_ids, _check_int, _generator, block_edges

__all__ = [
    "EIGENVALUE_TOLERANCE",
    "QUADRATURE_NODES",
    "REPAIR_MIN_EIGENVALUE",
    "CorrelationModel",
    "achieved_rank_correlation",
    "build_target_matrix",
    "check_positive_definite",
    "correlate",
    "correlation_model",
    "iman_conover",
    "nearest_correlation",
    "normal_to_rank_correlation",
    "rank_correlation_range",
    "rank_to_normal_correlation",
    "smallest_eigenvalue",
]

#: A correlation matrix is positive definite when its smallest eigenvalue
#: exceeds this.
EIGENVALUE_TOLERANCE: float = 1e-10
#: Eigenvalue floor of the matrices returned by :func:`nearest_correlation`.
REPAIR_MIN_EIGENVALUE: float = 1e-6
#: Gauss–Legendre nodes of the calibration integral.
QUADRATURE_NODES: int = 128

_NODES, _WEIGHTS = leggauss(QUADRATURE_NODES)


# --------------------------------------------------------------------------
# target matrix and positive definiteness
# --------------------------------------------------------------------------


def _show_pair(pair: Any) -> str:
    try:
        a, b, rho = pair
    except (TypeError, ValueError):
        return repr(pair)
    return f"[{a}, {b}, {rho}]"


def build_target_matrix(
    risk_ids: Sequence[str], pairs: Sequence[Sequence[Any]]
) -> np.ndarray:
    """Spearman target matrix from ``[id_a, id_b, rho]`` pairs.

    Parameters
    ----------
    risk_ids : sequence of str
        Risk ids; row/column ``j`` belongs to ``risk_ids[j]``.
    pairs : sequence of [str, str, float]
        Rank-correlation targets; pairs not listed are 0.

    Returns
    -------
    ndarray, shape (d, d)
        Symmetric, unit diagonal. [-]

    Raises
    ------
    ValueError
        Malformed pair, unknown id, a risk paired with itself, a pair given
        twice (in either order), or ``|rho| > 1``.
    """
    ids = _check_ids(risk_ids)
    index = {r: i for i, r in enumerate(ids)}
    matrix = np.eye(len(ids))
    seen: dict[frozenset[str], Any] = {}
    for pair in pairs:
        if (
            isinstance(pair, (str, bytes))
            or not isinstance(pair, (Sequence, np.ndarray))
            or len(pair) != 3
        ):
            raise ValueError(f"a correlation must be [id_a, id_b, rho], got {pair!r}")
        a, b, rho = pair
        for risk in (a, b):
            if risk not in index:
                known = ", ".join(ids) if ids else "none"
                raise ValueError(
                    f"correlation {_show_pair(pair)} names unknown risk {risk!r}; "
                    f"known risks: {known}"
                )
        if a == b:
            raise ValueError(
                f"correlation {_show_pair(pair)} pairs risk {a!r} with itself"
            )
        if (
            not isinstance(rho, numbers.Real)
            or isinstance(rho, bool)
            or not math.isfinite(float(rho))
            or abs(float(rho)) > 1.0
        ):
            raise ValueError(
                f"rank correlation must be a number in [-1, 1], got {rho!r} "
                f"in {_show_pair(pair)}"
            )
        key = frozenset((a, b))
        if key in seen:
            raise ValueError(
                f"correlation between {a} and {b} is given twice: "
                f"{_show_pair(seen[key])} and {_show_pair(pair)}"
            )
        seen[key] = pair
        i, j = index[a], index[b]
        matrix[i, j] = matrix[j, i] = float(rho)
    return matrix


def smallest_eigenvalue(matrix: Any) -> float:
    """Smallest eigenvalue of a symmetric matrix (``numpy.linalg.eigvalsh``)."""
    matrix = np.asarray(matrix, dtype=float)
    if matrix.size == 0:
        return math.inf
    return float(np.linalg.eigvalsh(matrix)[0])


def _format_eigenvalue(value: float) -> str:
    return f"{value:.3f}" if abs(value) >= 5e-4 else f"{value:.1e}"


def check_positive_definite(
    matrix: Any, risk_ids: Sequence[str] | None = None
) -> float:
    """Check that a correlation matrix is positive definite.

    Parameters
    ----------
    matrix : array_like, shape (d, d)
        Symmetric correlation matrix.
    risk_ids : sequence of str, optional
        Names of the rows, to say which risks conflict.

    Returns
    -------
    float
        The smallest eigenvalue (> :data:`EIGENVALUE_TOLERANCE`).

    Raises
    ------
    ValueError
        "correlation matrix is not positive definite: smallest eigenvalue
        -0.083; ..." naming the risks the offending eigenvector involves and
        pointing to ``simulation.correlation_repair``.
    """
    matrix = np.asarray(matrix, dtype=float)
    if matrix.size == 0:
        return math.inf
    values, vectors = np.linalg.eigh(matrix)
    smallest = float(values[0])
    if smallest > EIGENVALUE_TOLERANCE:
        return smallest
    involved = ""
    if risk_ids is not None:
        weight = np.abs(vectors[:, 0])
        names = [r for r, w in zip(risk_ids, weight) if w >= 0.25 * weight.max()]
        involved = f" (among {', '.join(names)})"
    raise ValueError(
        "correlation matrix is not positive definite: smallest eigenvalue "
        f"{_format_eigenvalue(smallest)}{involved}; set simulation.correlation_repair: true "
        "to use the nearest valid matrix"
    )


def nearest_correlation(
    matrix: Any,
    min_eigenvalue: float = REPAIR_MIN_EIGENVALUE,
    tolerance: float = 1e-12,
    max_iterations: int = 10_000,
) -> np.ndarray:
    """Nearest correlation matrix in the Frobenius norm (Higham 2002).

    Alternating projections, with Dykstra's correction, between the
    symmetric matrices with eigenvalues >= ``min_eigenvalue`` and those with
    unit diagonal.

    Parameters
    ----------
    matrix : array_like, shape (d, d)
        Symmetric matrix with unit diagonal (e.g. targets that are not
        positive definite).
    min_eigenvalue : float
        Eigenvalue floor, so that the result is positive definite.
    tolerance : float
        Stop when successive iterates change by less than this (relative,
        Frobenius).
    max_iterations : int

    Returns
    -------
    ndarray, shape (d, d)
        Symmetric, unit diagonal, smallest eigenvalue > 0 (about
        ``min_eigenvalue``). [-]

    References
    ----------
    N. J. Higham, "Computing the nearest correlation matrix -- a problem from
    finance", IMA J. Numer. Anal. 22 (2002) 329-343.
    """
    a = np.asarray(matrix, dtype=float)
    y = 0.5 * (a + a.T)
    np.fill_diagonal(y, 1.0)
    correction = np.zeros_like(y)
    for _ in range(max_iterations):
        r = y - correction
        values, vectors = np.linalg.eigh(r)
        x = (vectors * np.maximum(values, min_eigenvalue)) @ vectors.T
        x = 0.5 * (x + x.T)
        correction = x - r
        y_new = x.copy()
        np.fill_diagonal(y_new, 1.0)
        change = np.linalg.norm(y_new - y) / max(np.linalg.norm(y_new), 1.0)
        y = y_new
        if change < tolerance:
            break
    if smallest_eigenvalue(y) <= EIGENVALUE_TOLERANCE:
        # Unit-diagonal projection pushed an eigenvalue below the floor:
        # floor it again and rescale to unit diagonal (keeps it definite).
        values, vectors = np.linalg.eigh(y)
        x = (vectors * np.maximum(values, min_eigenvalue)) @ vectors.T
        scale = 1.0 / np.sqrt(np.diag(x))
        y = x * scale[:, None] * scale[None, :]
        y = 0.5 * (y + y.T)
        np.fill_diagonal(y, 1.0)
    return y


# --------------------------------------------------------------------------
# calibration of normal-scores correlations to mid-rank Spearman targets
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class _RankProfile:
    """Mid-rank transform of a risk: None steps for a continuous one."""

    steps_z: np.ndarray | None  # normal quantiles of the inner cumulative probabilities
    steps_size: np.ndarray | None  # jump of the mid-distribution transform there
    variance: float  # Var F~(X)


def _rank_profile(dist: Distribution, risk_id: str = "risk") -> _RankProfile:
    if not dist.is_discrete:
        return _RankProfile(None, None, 1.0 / 12.0)
    probs = np.asarray(dist.probs)
    probs = probs[probs > 0]
    if probs.size < 2:
        raise ValueError(
            f"risk {risk_id!r} has only one possible value ({dist.name}), "
            "so it cannot be rank-correlated with another risk"
        )
    inner = np.cumsum(probs)[:-1]
    return _RankProfile(
        ndtri(inner),
        0.5 * (probs[:-1] + probs[1:]),
        float((1.0 - np.sum(probs**3)) / 12.0),
    )


def _covariance(r: float, pa: _RankProfile, pb: _RankProfile) -> float:
    """Cov(F~a(Xa), F~b(Xb)) under a Gaussian copula with correlation r."""
    if pa.steps_z is None and pb.steps_z is None:
        return math.asin(r / 2.0) / (2.0 * math.pi)
    theta_r = math.asin(max(-1.0, min(1.0, r)))
    theta = 0.5 * theta_r * (_NODES + 1.0)
    weights = 0.5 * theta_r * _WEIGHTS
    s, c = np.sin(theta), np.cos(theta)
    if pa.steps_z is None or pb.steps_z is None:
        steps = pb if pa.steps_z is None else pa
        z, dm = steps.steps_z, steps.steps_size
        s2 = (s * s)[:, None]
        # E_s[phi(Z1) delta(Z2 - z)] = phi(z) N(s z; 0, 2 - s^2), times ds = cos dtheta
        kernel = (
            dm
            * np.exp(-0.5 * z**2 - s2 * z**2 / (2.0 * (2.0 - s2)))
            / (2.0 * math.pi * np.sqrt(2.0 - s2))
        )
        integrand = c * kernel.sum(axis=1)
    else:
        x, dx = pa.steps_z[:, None], pa.steps_size[:, None]  # type: ignore[index]
        y, dy = pb.steps_z[None, :], pb.steps_size[None, :]  # type: ignore[index]
        weight = dx * dy
        integrand = np.empty_like(theta)
        # One node at a time: memory stays (steps_a x steps_b) however many values.
        for k in range(theta.size):
            # phi2(x, y; s) ds with s = sin(theta): the 1/cos factor cancels.
            q = (x * x - 2.0 * s[k] * x * y + y * y) / (2.0 * c[k] * c[k])
            integrand[k] = np.sum(weight * np.exp(-q)) / (2.0 * math.pi)
    return float(np.dot(weights, integrand))


def normal_to_rank_correlation(
    r: float, dist_a: Distribution, dist_b: Distribution
) -> float:
    """Population mid-rank Spearman correlation of a Gaussian copula.

    Parameters
    ----------
    r : float
        Correlation of the normal scores (copula parameter), in [-1, 1].
    dist_a, dist_b : Distribution
        Marginals (only whether they are discrete, and their probabilities,
        matter).

    Returns
    -------
    float
        Spearman's rho with ties mid-ranked, the limit of
        ``scipy.stats.spearmanr`` on a large sample. [-]
    """
    pa, pb = _rank_profile(dist_a, "a"), _rank_profile(dist_b, "b")
    return _covariance(r, pa, pb) / math.sqrt(pa.variance * pb.variance)


def rank_correlation_range(
    dist_a: Distribution, dist_b: Distribution
) -> tuple[float, float]:
    """Reachable mid-rank Spearman correlations for two marginals.

    Returns
    -------
    tuple of float
        ``(rho_S(-1), rho_S(1))``: counter- and comonotone. [-]
    """
    return (
        normal_to_rank_correlation(-1.0, dist_a, dist_b),
        normal_to_rank_correlation(1.0, dist_a, dist_b),
    )


def rank_to_normal_correlation(
    rho: float,
    dist_a: Distribution,
    dist_b: Distribution,
    names: tuple[str, str] = ("a", "b"),
) -> float:
    """Normal-scores correlation that achieves a mid-rank Spearman target.

    Parameters
    ----------
    rho : float
        Spearman target, in [-1, 1].
    dist_a, dist_b : Distribution
    names : tuple of str
        Risk ids, for error messages.

    Returns
    -------
    float
        ``r`` in [-1, 1] with ``normal_to_rank_correlation(r) == rho``
        (to 1e-12). [-]

    Raises
    ------
    ValueError
        If ``rho`` is outside the reachable range for these marginals, or a
        marginal has a single possible value.
    """
    pa = _rank_profile(dist_a, names[0])
    pb = _rank_profile(dist_b, names[1])
    if rho == 0.0:
        return 0.0
    if pa.steps_z is None and pb.steps_z is None:
        return 2.0 * math.sin(math.pi * rho / 6.0)
    scale = math.sqrt(pa.variance * pb.variance)

    def gap(r: float) -> float:
        return _covariance(r, pa, pb) / scale - rho

    lo, hi = gap(-1.0) + rho, gap(1.0) + rho
    if not lo - 1e-12 <= rho <= hi + 1e-12:
        shown = f"[{math.ceil(lo * 100) / 100:.2f}, {math.floor(hi * 100) / 100:.2f}]"
        raise ValueError(
            f"rank correlation {rho:g} between {names[0]} and {names[1]} is not reachable "
            f"with these marginals; reachable range is {shown}"
        )
    if rho >= hi:
        return 1.0
    if rho <= lo:
        return -1.0
    from scipy.optimize import brentq  # here, not at import: scipy.optimize is slow to load

    return float(brentq(gap, -1.0, 1.0, xtol=1e-13, rtol=1e-13))


# --------------------------------------------------------------------------
# the correlation model
# --------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class CorrelationModel:
    """Calibrated rank-correlation structure of a risk set.

    Attributes
    ----------
    risk_ids : tuple of str
        All risks, in column order.
    target : ndarray, shape (d, d)
        Spearman targets used (the repaired matrix if repair was needed). [-]
    columns : tuple of int
        Indices of the risks with a non-zero target with some other risk;
        only these columns are reordered.
    normal_scores : ndarray, shape (k, k)
        Calibrated correlation of the normal scores for ``columns``. [-]
    cholesky : ndarray, shape (k, k)
        Lower Cholesky factor of ``normal_scores``.
    notes : tuple of str
        What was repaired, to report to the user.
    """

    risk_ids: tuple[str, ...]
    target: np.ndarray
    columns: tuple[int, ...]
    normal_scores: np.ndarray
    cholesky: np.ndarray
    notes: tuple[str, ...] = ()

    @property
    def repaired(self) -> bool:
        """True when the targets were replaced by the nearest valid matrix."""
        return bool(self.notes)


def _largest_change(before: np.ndarray, after: np.ndarray, ids: Sequence[str]) -> str:
    diff = np.abs(after - before)
    i, j = np.unravel_index(int(np.argmax(diff)), diff.shape)
    return (
        f"largest change {diff[i, j]:.3f} ({ids[i]}–{ids[j]}: "
        f"{before[i, j]:.3f} -> {after[i, j]:.3f})"
    )


def correlation_model(
    risk_ids: Sequence[str],
    distributions: Sequence[Distribution | Any],
    pairs: Sequence[Sequence[Any]],
    repair: bool = False,
) -> CorrelationModel:
    """Validate rank-correlation targets and calibrate them to the marginals.

    Parameters
    ----------
    risk_ids : sequence of str
    distributions : sequence of Distribution or distribution mappings
        One per risk, same order.
    pairs : sequence of [id_a, id_b, rho]
        Spearman targets (the scenario's ``correlations``).
    repair : bool
        ``simulation.correlation_repair``: use the nearest valid matrix when
        the targets are not positive definite, instead of raising.

    Returns
    -------
    CorrelationModel

    Raises
    ------
    ValueError
        Invalid pairs (:func:`build_target_matrix`), a matrix that is not
        positive definite without ``repair`` (:func:`check_positive_definite`),
        an unreachable target (:func:`rank_to_normal_correlation`), or a
        correlated risk with one possible value.
    """
    ids = _check_ids(risk_ids)
    dists = [parse_distribution(d) for d in distributions]
    if len(dists) != len(ids):
        raise ValueError(f"{len(ids)} risk ids but {len(dists)} distributions")
    target = build_target_matrix(ids, pairs)
    notes: list[str] = []
    smallest = smallest_eigenvalue(target)
    if smallest <= EIGENVALUE_TOLERANCE:
        if not repair:
            check_positive_definite(target, ids)
        repaired = nearest_correlation(target)
        notes.append(
            "rank-correlation targets are not positive definite (smallest eigenvalue "
            f"{_format_eigenvalue(smallest)}); using the nearest valid matrix, "
            + _largest_change(target, repaired, ids)
        )
        target = repaired
    off = np.abs(target - np.eye(len(ids))) > 1e-12
    columns = tuple(int(i) for i in np.flatnonzero(off.any(axis=1)))
    k = len(columns)
    normal = np.eye(k)
    for a in range(k):
        for b in range(a + 1, k):
            i, j = columns[a], columns[b]
            if off[i, j]:
                normal[a, b] = normal[b, a] = rank_to_normal_correlation(
                    float(target[i, j]), dists[i], dists[j], (ids[i], ids[j])
                )
            else:  # still check that both risks can be correlated at all
                _rank_profile(dists[i], ids[i])
                _rank_profile(dists[j], ids[j])
    if k and smallest_eigenvalue(normal) <= EIGENVALUE_TOLERANCE:
        fixed = nearest_correlation(normal)
        names = [ids[c] for c in columns]
        notes.append(
            "the normal-scores matrix calibrated to the rank-correlation targets is not "
            "positive definite; using the nearest valid one, "
            + _largest_change(normal, fixed, names)
        )
        normal = fixed
    cholesky = np.linalg.cholesky(normal) if k else np.zeros((0, 0))
    return CorrelationModel(ids, target, columns, normal, cholesky, tuple(notes))


# --------------------------------------------------------------------------
# Iman–Conover
# --------------------------------------------------------------------------


@lru_cache(maxsize=16)
def _van_der_waerden(m: int) -> np.ndarray:
    scores = ndtri(np.arange(1, m + 1) / (m + 1.0))
    scores.flags.writeable = False
    return scores


def iman_conover(
    sample: np.ndarray,
    target_cholesky: np.ndarray,
    permutations: np.ndarray,
) -> np.ndarray:
    """Reorder the columns of a sample to a normal-scores correlation.

    Parameters
    ----------
    sample : ndarray, shape (m, k)
        One block of draws (uniforms or values); each column is reordered.
    target_cholesky : ndarray, shape (k, k)
        Lower Cholesky factor of the wanted normal-scores correlation.
    permutations : ndarray of int, shape (m, k)
        Column ``j`` is a permutation of ``range(m)``: the random pairing of
        van der Waerden scores ``ndtri(i / (m + 1))`` that Iman–Conover
        starts from.

    Returns
    -------
    ndarray, shape (m, k)
        The same values column by column (so each marginal is unchanged),
        rearranged so that their ranks are those of the scores transformed to
        have exactly the target Pearson correlation.
    """
    sample = np.asarray(sample, dtype=float)
    m, k = sample.shape
    if m < 3 or k < 2:
        return sample.copy()
    # Work on (k, m) arrays: rows contiguous for the sorts.
    scores = _van_der_waerden(m)[np.asarray(permutations).T]
    # Whiten the scores' own sample correlation, then colour with the target.
    cov = scores @ scores.T
    norm = np.sqrt(np.diag(cov))
    own = cov / norm[:, None] / norm[None, :]
    try:  # target factor times the inverse of the scores' own factor: one k × k matrix
        mix = np.asarray(target_cholesky) @ np.linalg.inv(np.linalg.cholesky(own))
    except np.linalg.LinAlgError:  # tiny blocks only
        mix = np.asarray(target_cholesky)
    coloured = mix @ scores
    order = np.argsort(coloured, axis=1)
    out = np.empty((k, m))
    np.put_along_axis(out, order, np.sort(sample.T, axis=1), axis=1)
    return out.T


def correlate(
    uniforms: np.ndarray,
    model: CorrelationModel,
    method: str,
    seed: int,
    replicate: int = 0,
    start: int = 0,
    total: int | None = None,
) -> np.ndarray:
    """Impose the rank correlations on whole blocks of uniforms.

    Parameters
    ----------
    uniforms : ndarray, shape (n, d)
        Independent uniforms of paths ``[start, start + n)`` of one replicate
        (:func:`fcfinance.montecarlo.sampling.sample_uniforms`), columns in
        ``model.risk_ids`` order.
    model : CorrelationModel
    method : {'random', 'lhs', 'sobol'}
        Fixes the blocks (``block_edges(total, method)``).
    seed : int
    replicate : int
    start : int
        First path; ``start`` and ``start + n`` must be block edges.
    total : int, optional
        Paths in the replicate; default ``start + n``.

    Returns
    -------
    ndarray, shape (n, d)
        A copy in which each correlated column is reordered within each block
        (values and so marginals unchanged), other columns untouched.
    """
    uniforms = np.asarray(uniforms, dtype=float)
    n, d = uniforms.shape
    if d != len(model.risk_ids):
        raise ValueError(
            f"uniforms have {d} columns but the model has {len(model.risk_ids)} risks"
        )
    seed = _check_int("seed", seed, 0)
    start = _check_int("start", start, 0)
    total = start + n if total is None else _check_int("total", total, 0)
    edges = block_edges(total, method)
    if start not in edges or start + n not in edges:
        raise ValueError(
            f"correlate needs whole blocks: paths [{start}, {start + n}) do not start and end "
            f"on block edges of a {method} replicate of {total} paths"
        )
    out = np.array(uniforms, order="F", copy=True)
    columns = list(model.columns)
    if not columns or n == 0:
        return out
    first = int(np.searchsorted(edges, start))
    last = int(np.searchsorted(edges, start + n))
    for block in range(first, last):
        b0, b1 = int(edges[block]) - start, int(edges[block + 1]) - start
        m = b1 - b0
        perms = np.empty((m, len(columns)), dtype=np.intp, order="F")
        for c, col in enumerate(columns):
            gen = _generator(
                seed, "iman-conover", model.risk_ids[col], replicate, block
            )
            perms[:, c] = gen.permutation(m)
        out[b0:b1, columns] = iman_conover(out[b0:b1, columns], model.cholesky, perms)
    return out


def mid_ranks(values: np.ndarray) -> np.ndarray:
    """Ranks 1 … n with ties given their average rank (``scipy.stats.rankdata``'s "average").

    One sort, then each run of equal values gets the mean of the positions
    it spans; NaN anywhere gives NaN ranks, as scipy does.

    Parameters
    ----------
    values : ndarray (n,)

    Returns
    -------
    ndarray (n,), float
    """
    values = np.asarray(values)
    n = values.size
    if n == 0 or np.isnan(values).any():
        return np.full(n, np.nan)
    order = np.argsort(values)  # tied values share one rank, so their order does not matter
    ordered = values[order]
    starts_run = np.empty(n, dtype=bool)
    starts_run[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=starts_run[1:])
    first = np.flatnonzero(starts_run)  # 0-based position where each run starts
    after = np.append(first[1:], n)     # and where it ends (exclusive)
    ranks = np.empty(n)
    ranks[order] = ((first + 1 + after) / 2.0)[np.cumsum(starts_run) - 1]
    return ranks


def partial_correlations(matrix: np.ndarray) -> np.ndarray:
    """Partial correlation of each variable with the last, the others held fixed.

    From a correlation matrix ``R`` (of ranks: partial *rank* correlations,
    PRCC): with ``P = R⁻¹``, ``r_iy·rest = −P_iy / √(P_ii P_yy)``.  Unlike a
    plain rank correlation, a risk that only moves with another influential
    risk, and has no effect of its own, gets about 0.

    Parameters
    ----------
    matrix : ndarray (d + 1, d + 1)
        Correlation matrix, the output variable last.  Constant variables
        (NaN on the diagonal, as ``np.corrcoef`` gives) are left out and get NaN.

    Returns
    -------
    ndarray (d,)
        NaN where the matrix of the other variables is singular. [-]
    """
    matrix = np.asarray(matrix, dtype=float)
    d = matrix.shape[0] - 1
    out = np.full(d, np.nan)
    keep = np.flatnonzero(~np.isnan(np.diag(matrix)[:d]))  # a constant variable has a NaN diagonal
    if keep.size == 0 or np.isnan(matrix[d, d]):  # nothing to hold fixed, or a constant output
        return out
    rows = np.append(keep, d)
    sub = matrix[np.ix_(rows, rows)]
    try:
        inverse = np.linalg.inv(sub)
    except np.linalg.LinAlgError:
        return out
    diag = np.diag(inverse)
    with np.errstate(invalid="ignore", divide="ignore"):
        partial = -inverse[:-1, -1] / np.sqrt(diag[:-1] * diag[-1])
    out[keep] = np.where(np.isfinite(partial), np.clip(partial, -1.0, 1.0), np.nan)
    return out


def achieved_rank_correlation(samples: Any) -> np.ndarray:
    """Spearman correlation matrix with ties mid-ranked.

    Parameters
    ----------
    samples : array_like, shape (n, d)

    Returns
    -------
    ndarray, shape (d, d)
        Pearson correlation of average ranks (as ``scipy.stats.spearmanr``);
        NaN in the rows of constant columns. [-]
    """
    samples = np.asarray(samples, dtype=float)
    ranks = np.empty(samples.shape, order="F")

    def rank(j: int) -> None:  # columns side by side on threads
        ranks[:, j] = mid_ranks(np.ascontiguousarray(samples[:, j]))

    run_each(rank, range(samples.shape[1]))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.atleast_2d(np.corrcoef(ranks, rowvar=False))
