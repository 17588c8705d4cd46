"""Threads for whole-array work: chunks of paths, rows of the fan.

numpy releases the GIL inside its array loops, so chunks of paths (or rows
of a large table) evaluated on threads of one process run side by side on
the machine's cores, with no copying between processes.  Each task writes
only its own part of the result, so results never depend on the number of
threads.  BLAS is kept to one thread meanwhile: the parallelism is across
tasks instead (threadpoolctl).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


MAX_DEFAULT_THREADS = 4
"""Default cap: each chunk in flight holds about 150 MB (65,536 paths of ref-a),
and beyond a few threads the array loops wait on memory bandwidth."""


def default_threads() -> int:
    """Threads used by default: ``FCFINANCE_THREADS`` if set, else the cores this
    process may run on, at most :data:`MAX_DEFAULT_THREADS`."""
    setting = os.environ.get("FCFINANCE_THREADS", "").strip()
    if setting:
        try:
            return max(int(setting), 1)
        except ValueError:
            raise ValueError(f"FCFINANCE_THREADS={setting!r}: expected a whole number of threads") from None
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(min(cores, MAX_DEFAULT_THREADS), 1)


def single_threaded_blas():
    """Context in which BLAS uses one thread (threadpoolctl)."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="blas")


def run_each(task: Callable[[T], R], items: Iterable[T], threads: int | None = None,
             on_done: Callable[[R], None] | None = None) -> None:
    """Call ``task(item)`` for every item, on up to ``threads`` threads (default: :func:`default_threads`).

    Tasks must write disjoint parts of their output; the first error raised
    by a task is raised here.  ``on_done`` receives each task's return value,
    in the order of ``items``, in the calling thread (a progress bar in a
    notebook is then updated from the thread that owns it).  With one thread
    (or one item) it is a plain loop.
    """
    items = list(items)
    threads = default_threads() if threads is None else int(threads)
    threads = max(1, min(threads, len(items)))
    if threads == 1:
        for item in items:
            result = task(item)
            if on_done is not None:
                on_done(result)
        return
    with single_threaded_blas(), ThreadPoolExecutor(max_workers=threads) as pool:
        for result in pool.map(task, items):
            if on_done is not None:
                on_done(result)
