"""Threads for chunks and rows: the default count, and errors raised by a task."""

from __future__ import annotations

import os

import pytest

from fcfinance.montecarlo.parallel import MAX_DEFAULT_THREADS, default_threads, run_each


def test_default_threads_follows_the_environment(monkeypatch):
    monkeypatch.delenv("FCFINANCE_THREADS", raising=False)
    assert 1 <= default_threads() <= MAX_DEFAULT_THREADS
    assert default_threads() <= len(os.sched_getaffinity(0))
    monkeypatch.setenv("FCFINANCE_THREADS", "3")
    assert default_threads() == 3
    monkeypatch.setenv("FCFINANCE_THREADS", "0")
    assert default_threads() == 1
    monkeypatch.setenv("FCFINANCE_THREADS", "two")
    with pytest.raises(ValueError, match="FCFINANCE_THREADS='two': expected a whole number"):
        default_threads()


@pytest.mark.parametrize("threads", [1, 3])
def test_run_each_reports_results_in_order_and_raises_a_task_error(threads):
    seen = []
    out = [0] * 10

    def task(i: int) -> int:
        out[i] = i * i
        return i

    run_each(task, range(10), threads, on_done=seen.append)
    assert seen == list(range(10)) and out == [i * i for i in range(10)]

    def failing(i: int) -> None:
        if i == 4:
            raise RuntimeError("chunk 4 failed")

    with pytest.raises(RuntimeError, match="chunk 4 failed"):
        run_each(failing, range(10), threads)
