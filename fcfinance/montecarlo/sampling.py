"""Uniform draws for Monte Carlo risks, reproducible whatever the chunking.

One Monte Carlo run is ``replicates`` independent randomisations
(*replicates*) of ``paths_per_replicate`` paths each. Within a replicate,
path ``i`` gets the same uniforms whether the paths are drawn all at once or
in chunks ``[start, start + n)`` of any size, in any order, by any number of
workers (*chunk invariance*). Draws depend only on the seed, the method, the
replicate, the risk ids and (for ``lhs``, and for the Iman–Conover blocks of
:mod:`fcfinance.montecarlo.correlation`) on ``total``, the size of the
replicate the chunk belongs to.

Methods
-------
``random``
    Each risk has its own PCG64 stream seeded by
    ``SeedSequence(seed, spawn_key=(h("random"), h(risk_id), replicate))``,
    ``h`` a stable 64-bit hash (SHA-256 of the UTF-8 text, never Python's
    salted ``hash()``). Path ``i`` is the stream's ``i``-th double: a chunk
    starting at ``start`` is drawn after ``PCG64.advance(start)`` (one 64-bit
    output per double). Adding, removing or reordering risks leaves the other
    risks' draws unchanged.
``lhs``
    Latin hypercube, stratified *per block*: the paths of a replicate are cut
    into blocks (:func:`block_edges`, :data:`BLOCK_SIZE` paths; the last block
    absorbs a remainder shorter than half a block) and each block holds, for
    each risk, an independent one-dimensional LHS
    (``scipy.stats.qmc.LatinHypercube(d=1)``) seeded from
    ``(seed, "lhs", risk_id, replicate, block index)``: exactly one point in
    each of the block's ``m`` equal strata of (0, 1). A d-dimensional LHS is
    d independent one-dimensional ones, so this is an LHS of the block that
    also keeps each risk's column independent of the other risks.
``sobol``
    ``scipy.stats.qmc.Sobol(d, scramble=True, bits=32)`` seeded from
    ``(seed, "sobol", replicate)``; column ``j`` is the ``j``-th risk in the
    order given (so, unlike the other methods, adding a risk changes all
    columns). A chunk is drawn after ``fast_forward(start)``. Balance needs a
    power-of-two number of paths per replicate: :func:`round_paths` rounds up
    and says so.

All uniforms are clipped into ``[U_MIN, U_MAX] = [2**-53, 1 - 2**-53]`` so
that inverse CDFs stay finite.

Standard errors
---------------
``random``: the binomial formula ``sqrt(p (1 - p) / n)`` for a probability
(an indicator's mean), ``sd / sqrt(n)`` for the mean of other values.
``lhs`` and ``sobol``: the paths within a replicate are not independent, so
the standard error of an estimator comes from the spread of its ``R``
replicate estimates ``e_r``: ``SE = sd(e_1 ... e_R; ddof=1) / sqrt(R)``, the
standard error of their mean (for the mean estimator this is the SE of the
overall mean, as replicates have equal size).
"""

from __future__ import annotations

import hashlib
import math
import numbers
import threading
import warnings
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .distributions import U_MAX, U_MIN

_WARNINGS_LOCK = threading.Lock()

__all__ = [
    "BLOCK_SIZE",
    "DEFAULT_REPLICATES",
    "METHODS",
    "SOBOL_BITS",
    "binomial_standard_error",
    "block_edges",
    "blocks_covering",
    "replicate_standard_error",
    "round_paths",
    "sample_uniforms",
    "seed_sequence",
    "stable_hash",
    "standard_error",
]

#: Sampling methods.
METHODS: tuple[str, ...] = ("random", "lhs", "sobol")

#: Paths per block, per method: the unit of LHS stratification and of the
#: Iman–Conover reordering (:mod:`fcfinance.montecarlo.correlation`).
BLOCK_SIZE: dict[str, int] = {"random": 2**14, "lhs": 2**14, "sobol": 2**14}

#: Bits of the Sobol' generator: points are multiples of 2**-32 and at most
#: 2**32 paths per replicate. (scipy 1.17's ``Sobol.fast_forward`` fails for
#: ``bits > 32``, and 2**-32 is finer than any tail this model reports.)
SOBOL_BITS: int = 32

#: Default number of independent randomisations per method, for standard
#: errors (``random`` needs none: its SE is binomial).
DEFAULT_REPLICATES: dict[str, int] = {"random": 1, "lhs": 16, "sobol": 16}


# --------------------------------------------------------------------------
# seeds
# --------------------------------------------------------------------------


def stable_hash(text: str) -> int:
    """64-bit hash of ``text`` that is the same in every process and version.

    Parameters
    ----------
    text : str

    Returns
    -------
    int
        First 8 bytes (little-endian) of SHA-256 of the UTF-8 text.
    """
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "little")


def _check_int(name: str, value: Any, minimum: int) -> int:
    if (
        not isinstance(value, numbers.Integral)
        or isinstance(value, bool)
        or value < minimum
    ):
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def seed_sequence(seed: int, *parts: str | int) -> np.random.SeedSequence:
    """SeedSequence for one stream, derived from the run's seed and labels.

    Parameters
    ----------
    seed : int
        The run's seed, >= 0.
    *parts : str or int
        Labels of the stream (strings are hashed with :func:`stable_hash`;
        integers, such as replicate and block indices, are used as they are).

    Returns
    -------
    numpy.random.SeedSequence
        ``SeedSequence(seed, spawn_key=parts)``: distinct labels give
        statistically independent streams.
    """
    seed = _check_int("seed", seed, 0)
    key = tuple(
        stable_hash(p) if isinstance(p, str) else _check_int("label", p, 0)
        for p in parts
    )
    return np.random.SeedSequence(seed, spawn_key=key)


def _generator(seed: int, *parts: str | int) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(seed_sequence(seed, *parts)))


# --------------------------------------------------------------------------
# paths and blocks
# --------------------------------------------------------------------------


def _check_method(method: str) -> str:
    if method not in METHODS:
        raise ValueError(
            f"unknown sampling method {method!r}; choose one of {', '.join(METHODS)}"
        )
    return method


def round_paths(n: int, method: str, replicates: int = 1) -> tuple[int, str | None]:
    """Number of paths actually run, and a note when it differs from ``n``.

    Parameters
    ----------
    n : int
        Paths requested, >= 1.
    method : {'random', 'lhs', 'sobol'}
    replicates : int
        Independent randomisations, each of ``ceil(n / replicates)`` paths,
        rounded up to a power of two under ``sobol``.

    Returns
    -------
    n_run : int
        ``replicates * paths_per_replicate``, >= n.
    note : str or None
        Human-readable explanation when ``n_run != n``, else None.
    """
    n = _check_int("paths", n, 1)
    method = _check_method(method)
    replicates = _check_int("replicates", replicates, 1)
    per = -(-n // replicates)
    if method == "sobol":
        per = 1 << (per - 1).bit_length()
    n_run = per * replicates
    if n_run == n:
        return n_run, None
    if method == "sobol":
        why = "a power of two" + (" each" if replicates > 1 else "")
    else:
        why = "equal replicates"
    layout = f" ({replicates} replicates × {per})" if replicates > 1 else ""
    return n_run, f"{method}: {n} paths rounded up to {n_run}{layout}, {why}"


def block_edges(total: int, method: str) -> np.ndarray:
    """Edges of the blocks that cut a replicate of ``total`` paths.

    Blocks have ``BLOCK_SIZE[method]`` paths, except the last, which absorbs
    a remainder shorter than half a block (so blocks hold between half and
    one and a half block sizes); a replicate shorter than half a block is one
    block.

    Parameters
    ----------
    total : int
        Paths in the replicate, >= 0.
    method : {'random', 'lhs', 'sobol'}

    Returns
    -------
    ndarray of int
        ``[0, B, 2B, ..., total]``: block ``k`` is paths ``[edges[k], edges[k+1])``.
    """
    total = _check_int("total", total, 0)
    size = BLOCK_SIZE[_check_method(method)]
    count = max(1, (total + size // 2) // size)
    edges = np.arange(count + 1, dtype=np.int64) * size
    edges[-1] = total
    return edges


def blocks_covering(start: int, stop: int, edges: np.ndarray) -> tuple[int, int]:
    """Indices ``(first, last + 1)`` of the blocks that overlap ``[start, stop)``.

    Parameters
    ----------
    start, stop : int
        Path range, ``0 <= start <= stop <= edges[-1]``.
    edges : ndarray of int
        From :func:`block_edges`.

    Returns
    -------
    tuple of int
        Empty (``first == last + 1``) when ``stop == start``.
    """
    last_block = len(edges) - 2
    first = min(int(np.searchsorted(edges, start, side="right")) - 1, last_block)
    if stop <= start:
        return first, first
    last = min(int(np.searchsorted(edges, stop - 1, side="right")) - 1, last_block)
    return first, last + 1


# --------------------------------------------------------------------------
# uniforms
# --------------------------------------------------------------------------


def _check_ids(risk_ids: Sequence[str]) -> tuple[str, ...]:
    ids = tuple(risk_ids)
    if not all(isinstance(r, str) for r in ids):
        raise ValueError(f"risk ids must be strings, got {list(ids)!r}")
    duplicates = sorted(r for r, count in Counter(ids).items() if count > 1)
    if duplicates:
        raise ValueError(f"risk ids must be unique, repeated: {', '.join(duplicates)}")
    return ids


def sample_uniforms(
    risk_ids: Sequence[str],
    n: int,
    method: str,
    seed: int,
    replicate: int = 0,
    start: int = 0,
    total: int | None = None,
) -> np.ndarray:
    """Independent uniforms for paths ``[start, start + n)`` of one replicate.

    Parameters
    ----------
    risk_ids : sequence of str
        Risk ids, unique; column ``j`` belongs to ``risk_ids[j]``.
    n : int
        Number of paths in this chunk, >= 0.
    method : {'random', 'lhs', 'sobol'}
    seed : int
        Run seed, >= 0.
    replicate : int
        Index of the independent randomisation, >= 0.
    start : int
        First path of the chunk within the replicate, >= 0.
    total : int, optional
        Paths in the whole replicate (fixes the LHS blocks); default
        ``start + n``. Pass the same ``total`` for every chunk of a run.

    Returns
    -------
    ndarray, shape (n, len(risk_ids))
        Uniforms in ``[U_MIN, U_MAX]``, column-major (Fortran order), not yet
        correlated: the same values for any chunking of ``[0, total)``.

    Notes
    -----
    Under ``lhs`` a chunk that covers part of a block generates the whole
    block (:data:`BLOCK_SIZE` paths per risk) and keeps its slice, so chunks
    aligned with :func:`block_edges` are cheapest.
    """
    ids = _check_ids(risk_ids)
    n = _check_int("n", n, 0)
    method = _check_method(method)
    seed = _check_int("seed", seed, 0)
    replicate = _check_int("replicate", replicate, 0)
    start = _check_int("start", start, 0)
    total = start + n if total is None else _check_int("total", total, 0)
    if start + n > total:
        raise ValueError(
            f"chunk [{start}, {start + n}) runs past total = {total} paths"
        )
    d = len(ids)
    out = np.empty((n, d), order="F")
    if n == 0 or d == 0:
        return out
    if method == "random":
        for j, risk in enumerate(ids):
            gen = _generator(seed, "random", risk, replicate)
            if start:
                gen.bit_generator.advance(start)
            out[:, j] = gen.random(n)
    elif method == "lhs":
        from scipy.stats import qmc  # here, not at import: scipy.stats takes a second to load

        edges = block_edges(total, method)
        first, stop = blocks_covering(start, start + n, edges)
        for k in range(first, stop):
            b0, b1 = int(edges[k]), int(edges[k + 1])
            lo, hi = max(b0, start), min(b1, start + n)
            for j, risk in enumerate(ids):
                engine = qmc.LatinHypercube(
                    1, seed=_generator(seed, "lhs", risk, replicate, k)
                )
                out[lo - start : hi - start, j] = engine.random(b1 - b0)[
                    lo - b0 : hi - b0, 0
                ]
    else:
        from scipy.stats import qmc

        engine = qmc.Sobol(
            d, scramble=True, bits=SOBOL_BITS, seed=_generator(seed, "sobol", replicate)
        )
        if start:
            engine.fast_forward(start)
        with _WARNINGS_LOCK, warnings.catch_warnings():
            # Chunks need not be powers of two; the run as a whole is (round_paths).
            # catch_warnings swaps process-wide state: one thread at a time.
            warnings.filterwarnings(
                "ignore", message=".*balance properties of Sobol", category=UserWarning
            )
            out[:] = engine.random(n)
    np.clip(out, U_MIN, U_MAX, out=out)
    return out


# --------------------------------------------------------------------------
# standard errors
# --------------------------------------------------------------------------


def binomial_standard_error(p: Any, n: int) -> Any:
    """Standard error of an estimated probability from ``n`` independent paths.

    Parameters
    ----------
    p : float or ndarray
        Estimated probability.
    n : int
        Number of independent paths.

    Returns
    -------
    float or ndarray
        ``sqrt(p (1 - p) / n)``.
    """
    p = np.asarray(p, dtype=float)
    result = np.sqrt(p * (1.0 - p) / n)
    return float(result) if result.ndim == 0 else result


def replicate_standard_error(
    values: Any,
    replicates: int,
    estimator: Callable[..., Any] = np.mean,
) -> Any:
    """Standard error of an estimator from independent replicates.

    Parameters
    ----------
    values : array_like, shape (R * m, ...)
        Path results, replicate ``r`` being rows ``[r m, (r + 1) m)``.
    replicates : int
        ``R`` >= 2.
    estimator : callable
        ``estimator(array, axis=0)`` giving one estimate per replicate, e.g.
        ``np.mean`` (default) or ``np.median``.

    Returns
    -------
    float or ndarray
        ``sd(e_1 ... e_R; ddof=1) / sqrt(R)`` with ``e_r`` the estimate from
        replicate ``r``.
    """
    replicates = _check_int("replicates", replicates, 2)
    values = np.asarray(values)
    if values.shape[0] % replicates:
        raise ValueError(
            f"{values.shape[0]} paths do not split into {replicates} equal replicates"
        )
    groups = values.reshape((replicates, -1) + values.shape[1:])
    estimates = np.stack([np.asarray(estimator(g, axis=0)) for g in groups])
    result = np.std(estimates, axis=0, ddof=1) / math.sqrt(replicates)
    return float(result) if np.ndim(result) == 0 else result


def standard_error(values: Any, method: str, replicates: int = 1) -> Any:
    """Standard error of the mean of path results (or of a probability).

    Parameters
    ----------
    values : array_like, shape (n, ...)
        Path results along axis 0, replicates contiguous and equal in size.
        A boolean array (or one holding only 0 and 1) is an indicator whose
        mean is a probability.
    method : {'random', 'lhs', 'sobol'}
    replicates : int
        Number of replicates in ``values``; >= 2 for ``lhs`` and ``sobol``.

    Returns
    -------
    float or ndarray
        ``random``: ``sqrt(p (1 - p) / n)`` for an indicator, else
        ``sd(ddof=1) / sqrt(n)``. ``lhs``/``sobol``: ``sd`` of the replicate
        means ``/ sqrt(R)`` (:func:`replicate_standard_error`).
    """
    method = _check_method(method)
    values = np.asarray(values)
    if method != "random":
        if replicates < 2:
            raise ValueError(
                f"a standard error under {method} needs at least 2 independent replicates, "
                f"got {replicates}"
            )
        return replicate_standard_error(values.astype(float), replicates)
    n = values.shape[0]
    if values.dtype == bool or np.all((values == 0) | (values == 1)):
        return binomial_standard_error(np.mean(values, axis=0), n)
    result = np.std(values.astype(float), axis=0, ddof=1) / math.sqrt(n)
    return float(result) if np.ndim(result) == 0 else result
