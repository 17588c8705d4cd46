"""Distributions of Monte Carlo risks (METHOD.md section 9).

A risk's ``dist`` field is a mapping with exactly one key, the distribution's
name, whose value holds its parameters:

==============  ==========================================  =====================================
name            value                                       meaning
==============  ==========================================  =====================================
``fixed``       ``x``                                       always ``x``
``uniform``     ``[lo, hi]``                                uniform on ``[lo, hi]``, lo < hi
``triangular``  ``[lo, mode, hi]``                          lo <= mode <= hi, lo < hi
``pert``        ``[lo, mode, hi]``                          beta-PERT with lambda = 4
``normal``      ``[mean, sd]``                              sd > 0
``lognormal``   ``[mean, sd]``                              mean and sd of the variable itself
                                                            (not of its logarithm), both > 0
``beta``        ``[a, b, lo, hi]``                          Beta(a, b) scaled to ``[lo, hi]``
``discrete``    ``{values: [...], probs: [...]}``           ``values[k]`` with ``probs[k]``
``bernoulli``   ``p``                                       1 with probability p, else 0
==============  ==========================================  =====================================

Values carry the unit of the quantity the risk acts on (a dimensionless
multiplier for ``scale``, whole months for ``shift_months``, the field's own
unit for ``set``); this module never needs to know which.

:func:`parse_distribution` turns such a mapping into a :class:`Distribution`
(raising :class:`ValueError` with a self-contained message for impossible
parameters). :meth:`Distribution.ppf` is the vectorised inverse CDF used to
turn uniforms into risk values:

* ``fixed``, ``discrete``, ``bernoulli``: exact, by ``searchsorted`` on the
  cumulative probabilities of the values sorted ascending; value ``k`` is
  returned for ``u`` in ``(cum[k-1], cum[k]]`` (the smallest value whose CDF
  reaches ``u``, the same convention as ``scipy.stats.rv_discrete.ppf``).
* ``uniform``, ``triangular``: closed form.
* ``normal``: ``mean + sd * ndtri(u)``; ``lognormal``: ``exp(mu + sigma *
  ndtri(u))`` with ``sigma**2 = ln(1 + sd**2 / mean**2)`` and
  ``mu = ln(mean) - sigma**2 / 2``.
* ``beta`` and ``pert`` (a beta on ``[lo, hi]`` with
  ``alpha = 1 + 4 (mode - lo) / (hi - lo)``, ``beta = 1 + 4 (hi - mode) / (hi - lo)``):
  a tabulated inverse CDF, :class:`BetaPpfTable`, because
  ``scipy.stats.beta.ppf`` costs about a second per million draws. The table
  is a cubic Hermite interpolant of the exact quantile, with exact
  derivatives, on a uniform grid in ``t = logit(u)`` (dense in ``u`` near 0
  and 1) spanning the whole clipped range ``[U_MIN, U_MAX]``. Its grid is
  doubled until the error against ``scipy.stats.beta.ppf``, measured at the
  quarter points of every interval, is at most :data:`TABLE_TOLERANCE`
  (1e-9 of ``hi - lo``); the tests check at most 1e-8 of ``hi - lo`` on
  random points over ``u`` in ``[1e-9, 1 - 1e-9]`` and over the full range.
  Shapes that would need more than :data:`TABLE_MAX_INTERVALS` intervals
  (beta with ``a`` or ``b`` far below 0.05) fall back to the exact, slow
  ``scipy.stats.beta.ppf``.

All inverse transforms clip ``u`` into ``[U_MIN, U_MAX] = [2**-53, 1 - 2**-53]``
so that unbounded distributions never return infinities.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

import numpy as np
from scipy.special import expit, ndtri

__all__ = [
    "DISCRETE_PROB_TOLERANCE",
    "DISTRIBUTION_NAMES",
    "PERT_LAMBDA",
    "TABLE_MAX_INTERVALS",
    "TABLE_TOLERANCE",
    "U_MAX",
    "U_MIN",
    "BetaPpfTable",
    "Distribution",
    "beta_ppf_table",
    "parse_distribution",
]

#: Smallest uniform passed to an inverse CDF (uniforms are clipped to it). [-]
U_MIN: float = 2.0**-53
#: Largest uniform passed to an inverse CDF: the largest double below 1. [-]
U_MAX: float = 1.0 - 2.0**-53

#: Known distribution names, in the order of METHOD.md section 9.
DISTRIBUTION_NAMES: tuple[str, ...] = (
    "fixed",
    "uniform",
    "triangular",
    "pert",
    "normal",
    "lognormal",
    "beta",
    "discrete",
    "bernoulli",
)

#: Shape parameter lambda of the beta-PERT distribution.
PERT_LAMBDA: float = 4.0
#: Allowed deviation of the sum of discrete probabilities from 1.
DISCRETE_PROB_TOLERANCE: float = 1e-9
#: Target maximum absolute error of a tabulated beta quantile, as a fraction
#: of ``hi - lo``, checked at the quarter points of every table interval.
TABLE_TOLERANCE: float = 1e-9
#: Number of intervals of the first table tried; doubled until accurate.
TABLE_MIN_INTERVALS: int = 1024
#: Largest table tried before falling back to ``scipy.stats.beta.ppf``.
TABLE_MAX_INTERVALS: int = 2**17

_DISCRETE_KINDS = frozenset({"fixed", "discrete", "bernoulli"})
_BETA_KINDS = frozenset({"beta", "pert"})
# logit(U_MAX) = -logit(U_MIN): the table spans exactly the clipped range.
_T_MAX: float = float(np.log1p(-U_MIN) - np.log(U_MIN))


# --------------------------------------------------------------------------
# parsing and validation
# --------------------------------------------------------------------------


def _show(value: Any) -> str:
    """Render a parameter value for an error message (numbers as floats)."""
    if isinstance(value, Mapping):
        inner = ", ".join(f"{k}: {_show(v)}" for k, v in value.items())
        return "{" + inner + "}"
    if isinstance(value, (list, tuple, np.ndarray)):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return repr(float(value))
    return repr(value)


def _is_number(value: Any) -> bool:
    return (
        isinstance(value, numbers.Real)
        and not isinstance(value, bool)
        and math.isfinite(float(value))
    )


def _numbers(name: str, value: Any, count: int, form: str) -> tuple[float, ...]:
    """Check that ``value`` is a list of ``count`` finite numbers."""
    if (
        isinstance(value, (str, bytes, Mapping))
        or not isinstance(value, (Sequence, np.ndarray))
        or len(value) != count
        or not all(_is_number(v) for v in value)
    ):
        raise ValueError(
            f"{name} needs {form} as {count} finite numbers, got {_show(value)}"
        )
    return tuple(float(v) for v in value)


def _parse_fixed(value: Any) -> tuple[Any, ...]:
    if not _is_number(value):
        raise ValueError(f"fixed needs one finite number, got {_show(value)}")
    return (float(value),)


def _parse_uniform(value: Any) -> tuple[Any, ...]:
    lo, hi = _numbers("uniform", value, 2, "[lo, hi]")
    if not lo < hi:
        raise ValueError(
            f"uniform needs [lo, hi] with lo < hi (for a constant use {{fixed: x}}), "
            f"got {_show([lo, hi])}"
        )
    return (lo, hi)


def _parse_three_point(name: str, value: Any) -> tuple[Any, ...]:
    lo, mode, hi = _numbers(name, value, 3, "[lo, mode, hi]")
    if not (lo <= mode <= hi and lo < hi):
        raise ValueError(
            f"{name} needs lo <= mode <= hi with lo < hi, got {_show([lo, mode, hi])}"
        )
    return (lo, mode, hi)


def _parse_normal(value: Any) -> tuple[Any, ...]:
    mean, sd = _numbers("normal", value, 2, "[mean, sd]")
    if not sd > 0:
        raise ValueError(
            f"normal needs [mean, sd] with sd > 0 (for a constant use {{fixed: mean}}), "
            f"got {_show([mean, sd])}"
        )
    return (mean, sd)


def _parse_lognormal(value: Any) -> tuple[Any, ...]:
    mean, sd = _numbers("lognormal", value, 2, "[mean, sd]")
    if not (mean > 0 and sd > 0):
        raise ValueError(
            "lognormal needs [mean, sd] of the variable itself (not of its log) "
            f"with mean > 0 and sd > 0, got {_show([mean, sd])}"
        )
    return (mean, sd)


def _parse_beta(value: Any) -> tuple[Any, ...]:
    a, b, lo, hi = _numbers("beta", value, 4, "[a, b, lo, hi]")
    if not (a > 0 and b > 0 and lo < hi):
        raise ValueError(
            f"beta needs [a, b, lo, hi] with a > 0, b > 0 and lo < hi, "
            f"got {_show([a, b, lo, hi])}"
        )
    return (a, b, lo, hi)


def _parse_discrete(value: Any) -> tuple[Any, ...]:
    form = "discrete needs {values: [...], probs: [...]}"
    if not isinstance(value, Mapping) or set(value) != {"values", "probs"}:
        raise ValueError(f"{form}, got {_show(value)}")
    values, probs = value["values"], value["probs"]
    for key, seq in (("values", values), ("probs", probs)):
        if (
            isinstance(seq, (str, bytes, Mapping))
            or not isinstance(seq, (Sequence, np.ndarray))
            or len(seq) == 0
            or not all(_is_number(v) for v in seq)
        ):
            raise ValueError(
                f"discrete {key} must be a non-empty list of finite numbers, got {_show(seq)}"
            )
    if len(values) != len(probs):
        raise ValueError(
            "discrete probs and values must have the same length, "
            f"got {len(values)} values and {len(probs)} probs"
        )
    v = np.asarray(values, dtype=float)
    p = np.asarray(probs, dtype=float)
    if np.any(p < 0) or np.any(p > 1):
        raise ValueError(
            f"discrete probs must each lie in [0, 1], got {_show(p.tolist())}"
        )
    total = float(math.fsum(p.tolist()))
    if abs(total - 1.0) > DISCRETE_PROB_TOLERANCE:
        raise ValueError(
            f"discrete probs must sum to 1 (±{DISCRETE_PROB_TOLERANCE:g}), got {total:.12g}"
        )
    if np.unique(v).size != v.size:
        raise ValueError(f"discrete values must be distinct, got {_show(v.tolist())}")
    order = np.argsort(v, kind="stable")
    return (tuple(v[order].tolist()), tuple((p[order] / total).tolist()))


def _parse_bernoulli(value: Any) -> tuple[Any, ...]:
    if not _is_number(value) or not 0.0 <= float(value) <= 1.0:
        raise ValueError(
            f"bernoulli needs a probability p in [0, 1], got {_show(value)}"
        )
    return (float(value),)


_PARSERS = {
    "fixed": _parse_fixed,
    "uniform": _parse_uniform,
    "triangular": lambda v: _parse_three_point("triangular", v),
    "pert": lambda v: _parse_three_point("pert", v),
    "normal": _parse_normal,
    "lognormal": _parse_lognormal,
    "beta": _parse_beta,
    "discrete": _parse_discrete,
    "bernoulli": _parse_bernoulli,
}


def _spec_value(name: str, params: tuple[Any, ...]) -> Any:
    """The value of the one-key spec mapping that ``params`` came from."""
    if name == "discrete":
        return {"values": list(params[0]), "probs": list(params[1])}
    if name in ("fixed", "bernoulli"):
        return params[0]
    return list(params)


def parse_distribution(spec: Mapping[str, Any] | Distribution) -> Distribution:
    """Build a :class:`Distribution` from a scenario-file mapping.

    Parameters
    ----------
    spec : mapping or Distribution
        A mapping with exactly one key, the distribution name, e.g.
        ``{"triangular": [0.75, 1.0, 1.08]}`` or
        ``{"discrete": {"values": [0, 12], "probs": [0.8, 0.2]}}``.
        A :class:`Distribution` is returned unchanged.

    Returns
    -------
    Distribution
        Validated, with parameters as floats (discrete values sorted
        ascending, probabilities renormalised to sum to exactly 1).

    Raises
    ------
    ValueError
        If the mapping does not have exactly one known key or its parameters
        are impossible; the message says what was expected and what was given,
        so that it can be shown to the user as it is.
    """
    if isinstance(spec, Distribution):
        return spec
    known = ", ".join(DISTRIBUTION_NAMES)
    if not isinstance(spec, Mapping):
        # ValueError, not TypeError: pydantic turns only ValueError into a user error.
        raise ValueError(  # noqa: TRY004
            "a distribution must be a mapping with one key, such as "
            f"{{triangular: [lo, mode, hi]}}; got {_show(spec)}"
        )
    if len(spec) != 1:
        raise ValueError(
            f"a distribution must have exactly one key (one of: {known}), "
            f"got {len(spec)} keys {sorted(map(str, spec))}"
        )
    ((name, value),) = spec.items()
    if name not in _PARSERS:
        raise ValueError(f"unknown distribution {name!r}; known distributions: {known}")
    return Distribution(name, _PARSERS[name](value))


# --------------------------------------------------------------------------
# tabulated beta quantile
# --------------------------------------------------------------------------


def _beta_ppf_in_t(a: float, b: float, t: np.ndarray) -> np.ndarray:
    """Exact Beta(a, b) quantile at ``u = expit(t)``; isf for the upper half."""
    from scipy import stats  # here, not at import: scipy.stats takes a second to load
    x = np.empty_like(t)
    lower = t <= 0
    x[lower] = stats.beta.ppf(expit(t[lower]), a, b)
    x[~lower] = stats.beta.isf(expit(-t[~lower]), a, b)
    return x


@dataclass(frozen=True, eq=False)
class BetaPpfTable:
    """Tabulated inverse CDF of the standard Beta(a, b) distribution on [0, 1].

    Cubic Hermite interpolation, with the exact derivative ``dx/dt``, of
    ``x(t) = beta.ppf(expit(t), a, b)`` on ``intervals`` equal steps in
    ``t = logit(u)`` from ``logit(U_MIN)`` to ``logit(U_MAX)``. Build with
    :func:`beta_ppf_table` (cached) or :meth:`build`.

    Attributes
    ----------
    a, b : float
        Shape parameters.
    intervals : int
        Number of table intervals (0 when the table fell back to scipy).
    max_error : float
        Largest absolute error found against ``scipy.stats.beta.ppf`` at the
        quarter points of all intervals when the table was built. [fraction
        of the support]
    coefficients : ndarray or None
        Shape ``(4, intervals)``: cubic coefficients in the local variable
        ``w`` in [0, 1] of each interval, constant term first; ``None``
        when the table fell back to ``scipy.stats.beta.ppf``.
    """

    a: float
    b: float
    intervals: int
    max_error: float
    coefficients: np.ndarray | None

    @classmethod
    def build(
        cls,
        a: float,
        b: float,
        tolerance: float = TABLE_TOLERANCE,
        max_intervals: int = TABLE_MAX_INTERVALS,
    ) -> BetaPpfTable:
        """Build a table for Beta(a, b), doubling the grid until accurate.

        Parameters
        ----------
        a, b : float
            Shape parameters, > 0.
        tolerance : float
            Largest acceptable absolute error at the check points. [fraction
            of the support]
        max_intervals : int
            Largest grid tried; beyond it the table falls back to scipy.

        Returns
        -------
        BetaPpfTable
        """
        from scipy import stats  # here, not at import: scipy.stats takes a second to load
        n = TABLE_MIN_INTERVALS
        error = math.inf
        while n <= max_intervals:
            t = np.linspace(-_T_MAX, _T_MAX, n + 1)
            h = t[1] - t[0]
            x = _beta_ppf_in_t(a, b, t)
            # dx/dt = u (1 - u) / pdf(x), in logs to survive the tails.
            log_u_1mu = -np.logaddexp(0.0, -t) - np.logaddexp(0.0, t)
            with np.errstate(all="ignore"):
                slope = np.exp(log_u_1mu - stats.beta.logpdf(x, a, b))
            bad = ~np.isfinite(slope)
            if bad.any():  # pdf 0 at an end point: use secant slopes there
                secant = np.gradient(x, h)
                slope[bad] = secant[bad]
            dx = np.diff(x)
            d0 = slope[:-1] * h
            d1 = slope[1:] * h
            coefficients = np.stack(
                [x[:-1], d0, 3.0 * dx - 2.0 * d0 - d1, d0 + d1 - 2.0 * dx]
            )
            table = cls(a, b, n, 0.0, coefficients)
            w = np.array([0.25, 0.5, 0.75])
            t_check = (t[:-1, None] + h * w[None, :]).ravel()
            approx = table._evaluate_t(t_check)
            error = float(np.max(np.abs(approx - _beta_ppf_in_t(a, b, t_check))))
            if error <= tolerance:
                return cls(a, b, n, error, coefficients)
            n *= 2
        return cls(a, b, 0, 0.0, None)

    def _evaluate_t(self, t: np.ndarray) -> np.ndarray:
        c = self.coefficients
        if c is None:  # pragma: no cover - internal misuse
            raise RuntimeError("BetaPpfTable has no coefficients (scipy fallback)")
        n = self.intervals
        s = (t + _T_MAX) * (n / (2.0 * _T_MAX))
        np.clip(s, 0.0, float(n), out=s)
        i = s.astype(np.intp)
        np.minimum(i, n - 1, out=i)
        w = s - i
        x = c[3][i]
        x *= w
        x += c[2][i]
        x *= w
        x += c[1][i]
        x *= w
        x += c[0][i]
        return x

    def __call__(self, u: np.ndarray) -> np.ndarray:
        """Quantile of Beta(a, b) at ``u``, already clipped into [U_MIN, U_MAX].

        Parameters
        ----------
        u : ndarray
            Probabilities in ``[U_MIN, U_MAX]``.

        Returns
        -------
        ndarray
            Quantiles in [0, 1], same shape as ``u``.
        """
        from scipy import stats  # here, not at import: scipy.stats takes a second to load
        if self.coefficients is None:
            return stats.beta.ppf(u, self.a, self.b)
        t = np.log(u)
        t -= np.log1p(-u)
        x = self._evaluate_t(t)
        np.clip(x, 0.0, 1.0, out=x)
        return x


@lru_cache(maxsize=128)
def beta_ppf_table(a: float, b: float) -> BetaPpfTable:
    """Cached :class:`BetaPpfTable` for Beta(a, b) (built on first use).

    Parameters
    ----------
    a, b : float
        Shape parameters, > 0.

    Returns
    -------
    BetaPpfTable
    """
    return BetaPpfTable.build(float(a), float(b))


# --------------------------------------------------------------------------
# the distribution object
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Distribution:
    """A validated risk distribution.

    Build it with :func:`parse_distribution`; direct construction validates
    the same way.

    Attributes
    ----------
    name : str
        One of :data:`DISTRIBUTION_NAMES`.
    params : tuple
        Parameters as floats, in the order of the scenario file:
        ``(x,)`` for fixed, ``(lo, hi)`` for uniform, ``(lo, mode, hi)`` for
        triangular and pert, ``(mean, sd)`` for normal and lognormal (of the
        variable itself), ``(a, b, lo, hi)`` for beta, ``(p,)`` for bernoulli,
        and ``(values, probs)`` (two tuples, values ascending) for discrete.
    """

    name: str
    params: tuple[Any, ...]

    def __post_init__(self) -> None:
        if self.name not in _PARSERS:
            known = ", ".join(DISTRIBUTION_NAMES)
            raise ValueError(
                f"unknown distribution {self.name!r}; known distributions: {known}"
            )
        params = _PARSERS[self.name](_spec_value(self.name, tuple(self.params)))
        object.__setattr__(self, "params", params)

    # -- descriptive properties ---------------------------------------------

    @property
    def spec(self) -> dict[str, Any]:
        """The scenario-file mapping for this distribution (round-trips)."""
        return {self.name: _spec_value(self.name, self.params)}

    @property
    def is_discrete(self) -> bool:
        """True for fixed, discrete and bernoulli (finitely many values)."""
        return self.name in _DISCRETE_KINDS

    @property
    def values(self) -> tuple[float, ...] | None:
        """Possible values, ascending, for discrete kinds; None otherwise."""
        if self.name == "discrete":
            return self.params[0]
        if self.name == "bernoulli":
            return (0.0, 1.0)
        if self.name == "fixed":
            return (self.params[0],)
        return None

    @property
    def probs(self) -> tuple[float, ...] | None:
        """Probabilities of :attr:`values` (sum exactly 1); None if continuous."""
        if self.name == "discrete":
            return self.params[1]
        if self.name == "bernoulli":
            p = self.params[0]
            return (1.0 - p, p)
        if self.name == "fixed":
            return (1.0,)
        return None

    @property
    def beta_shape(self) -> tuple[float, float, float, float] | None:
        """``(alpha, beta, lo, hi)`` for beta and pert; None otherwise."""
        if self.name == "beta":
            a, b, lo, hi = self.params
            return (a, b, lo, hi)
        if self.name == "pert":
            lo, mode, hi = self.params
            a = 1.0 + PERT_LAMBDA * (mode - lo) / (hi - lo)
            b = 1.0 + PERT_LAMBDA * (hi - mode) / (hi - lo)
            return (a, b, lo, hi)
        return None

    @property
    def lognormal_log_params(self) -> tuple[float, float] | None:
        """``(mu, sigma)`` of ln X for lognormal; None otherwise.

        ``sigma**2 = ln(1 + sd**2 / mean**2)``, ``mu = ln(mean) - sigma**2 / 2``.
        """
        if self.name != "lognormal":
            return None
        m, s = self.params
        var_log = math.log1p((s / m) ** 2)
        return (math.log(m) - 0.5 * var_log, math.sqrt(var_log))

    @property
    def support(self) -> tuple[float, float]:
        """Smallest and largest attainable value (values of positive probability)."""
        name, p = self.name, self.params
        if name in ("uniform", "triangular", "pert"):
            return (p[0], p[-1])
        if name == "beta":
            return (p[2], p[3])
        if name == "normal":
            return (-math.inf, math.inf)
        if name == "lognormal":
            return (0.0, math.inf)
        values = np.asarray(self.values)
        possible = values[np.asarray(self.probs) > 0]
        return (float(possible.min()), float(possible.max()))

    @property
    def mean(self) -> float:
        """Expected value (closed form)."""
        name, p = self.name, self.params
        if name == "fixed":
            return p[0]
        if name == "uniform":
            return 0.5 * (p[0] + p[1])
        if name == "triangular":
            return (p[0] + p[1] + p[2]) / 3.0
        if name == "pert":
            return (p[0] + PERT_LAMBDA * p[1] + p[2]) / (PERT_LAMBDA + 2.0)
        if name in ("normal", "lognormal"):
            return p[0]
        if name == "beta":
            a, b, lo, hi = p
            return lo + (hi - lo) * a / (a + b)
        if name == "bernoulli":
            return p[0]
        return math.fsum(v * q for v, q in zip(*p))

    @cached_property
    def scipy(self) -> Any:
        """The equivalent frozen ``scipy.stats`` distribution.

        ``rv_discrete`` (frozen) for fixed, discrete and bernoulli; for pert
        the scaled beta with the PERT shape parameters.
        """
        from scipy import stats  # here, not at import: scipy.stats takes a second to load
        name, p = self.name, self.params
        if name == "uniform":
            return stats.uniform(loc=p[0], scale=p[1] - p[0])
        if name == "triangular":
            lo, mode, hi = p
            return stats.triang((mode - lo) / (hi - lo), loc=lo, scale=hi - lo)
        if name in _BETA_KINDS:
            a, b, lo, hi = self.beta_shape  # type: ignore[misc]
            return stats.beta(a, b, loc=lo, scale=hi - lo)
        if name == "normal":
            return stats.norm(loc=p[0], scale=p[1])
        if name == "lognormal":
            mu, sigma = self.lognormal_log_params  # type: ignore[misc]
            return stats.lognorm(sigma, scale=math.exp(mu))
        if name == "bernoulli":
            return stats.bernoulli(p[0])
        return stats.rv_discrete(values=(self.values, self.probs))()

    # -- inverse transform ---------------------------------------------------

    def ppf(self, u: Any) -> np.ndarray:
        """Vectorised inverse CDF.

        Parameters
        ----------
        u : array_like
            Probabilities in [0, 1]; clipped into ``[U_MIN, U_MAX]`` first, so
            that unbounded distributions return finite values.

        Returns
        -------
        ndarray
            Float64 risk values, same shape as ``u``, in the unit of the risk.

        Raises
        ------
        ValueError
            If any ``u`` is outside [0, 1] or NaN.
        """
        u = np.asarray(u, dtype=float)
        if not np.all((u >= 0.0) & (u <= 1.0)):
            raise ValueError("ppf needs probabilities u in [0, 1] (and no NaN)")
        shape = u.shape
        return self._ppf(np.clip(u.reshape(-1), U_MIN, U_MAX)).reshape(shape)

    def _ppf(self, u: np.ndarray) -> np.ndarray:
        """Inverse CDF of a 1-D array already clipped into [U_MIN, U_MAX]."""
        name, p = self.name, self.params
        if name in _DISCRETE_KINDS:
            cumulative = _cumulative(self.probs)  # type: ignore[arg-type]
            index = np.searchsorted(cumulative, u, side="left")
            np.minimum(index, len(cumulative) - 1, out=index)
            return np.asarray(self.values, dtype=float)[index]
        if name == "uniform":
            return p[0] + (p[1] - p[0]) * u
        if name == "triangular":
            lo, mode, hi = p
            width = hi - lo
            f_mode = (mode - lo) / width
            left = lo + np.sqrt(u * (width * (mode - lo)))
            right = hi - np.sqrt((1.0 - u) * (width * (hi - mode)))
            return np.where(u < f_mode, left, right)
        if name == "normal":
            return p[0] + p[1] * ndtri(u)
        if name == "lognormal":
            mu, sigma = self.lognormal_log_params  # type: ignore[misc]
            return np.exp(mu + sigma * ndtri(u))
        a, b, lo, hi = self.beta_shape  # type: ignore[misc]
        x = beta_ppf_table(a, b)(u)
        x *= hi - lo
        x += lo
        return x


@lru_cache(maxsize=256)
def _cumulative(probs: tuple[float, ...]) -> np.ndarray:
    """Cumulative probabilities with the last one exactly 1."""
    cumulative = np.cumsum(np.asarray(probs, dtype=float))
    cumulative[-1] = 1.0
    return cumulative
