"""Chunks of Monte Carlo paths as small picklable jobs, run on any executor.

A run is described once by a :class:`RunSpec` — the frozen parameters, the
grid, the compiled risk effects and the risk sampler: data, not live objects
— and cut into :class:`ChunkJob` s, each the spec and a range of path
numbers.  :func:`run_chunk` evaluates one job with the kernel
(:func:`fcfinance.kernel.evaluate`) and returns plain arrays; results merge
by placing each chunk's rows at its path numbers, so the outcome is the same
whatever the chunk size and wherever the chunks ran.  :func:`run_jobs`
accepts any :class:`concurrent.futures.Executor` — a process pool, a Dask
``Client.get_executor()`` — or, by default, evaluates the chunks on threads
of this process (numpy releases the GIL), writing the cumulative net cash
in place.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..effects import Target
from ..kernel import evaluate
from ..names import METRICS
from ..params import Record
from ..timeline import Timeline
from .chunks import CHUNK_MEMORY
from .parallel import run_each, single_threaded_blas
from .sampler import RiskSampler

PATH_METRICS = [m.key for m in METRICS]



@dataclass(frozen=True)
class RunSpec:
    """Everything needed to evaluate any range of paths of one run (picklable).

    Attributes
    ----------
    params : Record
        The scenario's frozen parameters.
    timeline : Timeline
        The grid.
    targets : tuple of Target
        The risks' compiled effects (columns = the sampler's risks).
    sampler : RiskSampler
        Risk values for any range of path numbers.
    with_irr : bool
        Also each path's IRR.
    """

    params: Record
    timeline: Timeline
    targets: tuple[Target, ...]
    sampler: RiskSampler
    with_irr: bool = False

    def run(self, start: int, n: int, cumulative_out: np.ndarray | None = None) -> dict[str, np.ndarray]:
        """Paths ``[start, start + n)``: see :func:`run_chunk`.

        Any other spec (a platform of projects) runs through :func:`run_jobs`
        when it has ``sampler``, ``timeline`` and this method.
        """
        values = self.sampler.values(start, n)
        _, ev = evaluate(self.params, self.timeline, self.targets, values, with_irr=self.with_irr,
                         cumulative_out=cumulative_out)
        return path_results(ev, values, cumulative_out is None)


@dataclass(frozen=True)
class ChunkJob:
    """Paths ``[start, start + n)`` of a run."""

    spec: Any
    start: int
    n: int


def chunk_jobs(spec: Any, chunk: int, start: int = 0, stop: int | None = None) -> list[ChunkJob]:
    """Paths ``[start, stop)`` of the run as jobs of at most ``chunk`` paths (stop: the sampler's paths)."""
    stop = spec.sampler.paths if stop is None else stop
    return [ChunkJob(spec, s, min(chunk, stop - s)) for s in range(start, stop, chunk)]


def run_chunk(job: ChunkJob, cumulative_out: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Risk values, metrics and cumulative net cash of one job's paths.

    Parameters
    ----------
    job : ChunkJob
    cumulative_out : ndarray (T, n), optional
        Where to write the cumulative project net cash (float32); it is
        then left out of the result.

    Returns
    -------
    dict of ndarray
        Each METHOD §8 metric (n,), ``_values`` (n, d), ``_clipped`` (n,),
        ``_cumulative`` (n, T) float32 unless written in place, ``_irr_code``
        with IRR.
    """
    return job.spec.run(job.start, job.n, cumulative_out)


def path_results(ev: Any, values: np.ndarray, with_cumulative: bool) -> dict[str, np.ndarray]:
    """The per-path arrays a chunk returns, from a kernel evaluation (see :func:`run_chunk`)."""
    out = {key: np.asarray(ev.metrics[key], dtype=float) for key in PATH_METRICS if key in ev.metrics}
    out["_values"] = values
    if with_cumulative:
        out["_cumulative"] = ev.cumulative.astype(np.float32, copy=False)
    out["_clipped"] = ev.clipped
    if ev.irr_code is not None:
        out["_irr_code"] = ev.irr_code
    return out


def measured_chunk(job: ChunkJob) -> tuple[dict[str, np.ndarray], float]:
    """Run one (small) job in this process and measure its peak memory per path.

    Returns
    -------
    result : dict of ndarray
        As :func:`run_chunk`.
    bytes_per_path : float
        Peak memory allocated while evaluating, per path (tracemalloc) [bytes];
        NaN when memory is already being traced by someone else.
    """
    import tracemalloc

    if tracemalloc.is_tracing():
        return run_chunk(job), float("nan")
    # draw one path first: what the draws load once (scipy.stats.qmc, quantile tables) is neither
    # memory per path nor worth tracing (tracing an import of scipy.stats makes it many times slower)
    job.spec.sampler.values(job.start, 1)
    tracemalloc.start()
    try:
        part = run_chunk(job)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return part, peak / max(job.n, 1)


def chunk_within_budget(bytes_per_path: float, largest: int, budget: int = CHUNK_MEMORY) -> int:
    """Paths per chunk: as many as ``budget`` holds at ``bytes_per_path``, between 1,024 and ``largest``."""
    if not np.isfinite(bytes_per_path) or bytes_per_path <= 0:
        return largest
    return int(max(min(largest, budget // bytes_per_path), min(largest, 1024)))


def path_outputs(got: dict[str, np.ndarray], notes: list[str]) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Every METHOD §8 metric per path, and the clipped flags, from a run's merged chunk arrays.

    Takes ``_clipped`` out of ``got`` and adds a note to ``notes`` when a flow
    was pushed past the horizon on some path.

    Returns
    -------
    path_metrics : dict of ndarray (paths,)
        Metrics (``irr_code`` too when the IRR was computed).
    clipped : ndarray of bool (paths,)
    """
    clipped = got.pop("_clipped")
    if clipped.any():
        notes.append(f"on {clipped.mean():.2%} of paths a flow was pushed past the horizon and "
                     "booked in the last month")
    path_metrics = {key: got[key] for key in PATH_METRICS if key in got}
    if "_irr_code" in got:
        path_metrics["irr_code"] = got["_irr_code"]
    return path_metrics, clipped


def _in_worker(job: ChunkJob) -> dict[str, np.ndarray]:
    """:func:`run_chunk` with BLAS on one thread (the parallelism is across chunks)."""
    with single_threaded_blas():
        return run_chunk(job)


class PathArrays:
    """Per-path results of a run, merged chunk by chunk at their path numbers.

    ``arrays["_cumulative"]`` is period-major, shape (T, paths), float32;
    every other array has the path axis first.
    """

    def __init__(self, total: int, periods: int):
        self.total = total
        self.arrays: dict[str, np.ndarray] = {"_cumulative": np.empty((periods, total), dtype=np.float32)}
        self._lock = threading.Lock()

    def store(self, start: int, part: dict[str, np.ndarray]) -> int:
        """Place one chunk's rows; returns its number of paths."""
        n = len(part["_clipped"])
        with self._lock:  # allocate on the first chunk to arrive
            for key, value in part.items():
                if key not in self.arrays:  # same memory order as the chunks (risk values are column-major)
                    order = "F" if value.ndim > 1 and value.flags.f_contiguous else "C"
                    self.arrays[key] = np.empty((self.total,) + value.shape[1:], dtype=value.dtype, order=order)
        for key, value in part.items():
            if key == "_cumulative":  # (n, T) view of a period-major block
                self.arrays[key][:, start:start + n] = value.T
            else:
                self.arrays[key][start:start + n] = value
        return n


def run_jobs(jobs: Sequence[ChunkJob], sink: PathArrays, offset: int = 0, *, executor: Executor | None = None,
             threads: int | None = None, on_done: Callable[[int], None] | None = None) -> None:
    """Evaluate every job into ``sink`` (job path ``p`` at row ``p − offset``).

    Parameters
    ----------
    jobs : sequence of ChunkJob
    sink : PathArrays
    offset : int
        Path number of the sink's first row.
    executor : concurrent.futures.Executor, optional
        Runs :func:`run_chunk` on each job (``executor.map``): a process pool,
        a Dask client's executor, any other.  Default: threads of this process.
    threads : int, optional
        Threads when no executor is given (default
        :func:`.parallel.default_threads`).
    on_done : callable, optional
        Called with each chunk's path count, in job order, in this thread.
    """
    def done(n: int) -> None:
        if on_done is not None:
            on_done(n)

    if executor is not None:
        for job, part in zip(jobs, executor.map(_in_worker, jobs)):
            done(sink.store(job.start - offset, part))
        return

    def in_process(job: ChunkJob) -> int:
        rows = slice(job.start - offset, job.start - offset + job.n)
        return sink.store(job.start - offset, run_chunk(job, sink.arrays["_cumulative"][:, rows]))

    run_each(in_process, jobs, threads, on_done=done)


def executor_for(workers: int) -> Any:
    """A process pool of ``workers`` processes, or None for threads (``workers`` ≤ 1)."""
    if workers > 1:
        from concurrent.futures import ProcessPoolExecutor

        return ProcessPoolExecutor(max_workers=workers)
    return None
