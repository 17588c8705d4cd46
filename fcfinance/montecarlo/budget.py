"""How many Monte Carlo paths fit in memory.

A run keeps, for every path, its metrics (float64), its risk values
(float64), its cumulative net cash per reporting period (float32), an IRR
code with ``irr`` and a clipped flag; :func:`bytes_per_path` adds these up.
A run may use at most :data:`SHARE` of the memory available (the rest is
for the engine's chunk workspace and the summaries' sorted copies), so a
run that cannot fit is refused before anything is allocated, and a
``target_se`` run stops doubling when the next stage would not fit.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import UsageError

SHARE = 0.5
"""Share of the available memory the per-path arrays may take."""


def bytes_per_path(scenario, irr: bool = False) -> int:
    """Bytes kept per path: metrics and risk values (8 each), cumulative net cash (4 × periods), flags."""
    from .runner import PATH_METRICS

    metrics = len(PATH_METRICS) + (1 if irr else 0)
    return 8 * metrics + 8 * len(scenario.model.risks) + 4 * scenario.timeline.periods + 1


def available_memory() -> int | None:
    """Bytes of memory available to this process (MemAvailable, capped by a cgroup limit); None if unknown."""
    found = []
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                found.append(int(line.split()[1]) * 1024)
    except (OSError, ValueError, IndexError):
        try:
            found.append(os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
        except (OSError, ValueError, AttributeError):
            pass
    for limit in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        try:
            text = Path(limit).read_text().strip()
        except OSError:
            continue
        if text.isdigit() and int(text) < 2**60:
            found.append(int(text))
    return min(found) if found else None


def path_limit(scenario, irr: bool = False) -> int | None:
    """Most paths whose arrays fit in :data:`SHARE` of the available memory (None if unknown)."""
    memory = available_memory()
    return None if memory is None else int(memory * SHARE) // bytes_per_path(scenario, irr)


def _gib(n: float) -> str:
    return f"{n / 2**30:,.1f} GiB" if n >= 2**28 else f"{n / 2**20:,.0f} MiB"


def check_paths(scenario, paths: int, irr: bool = False) -> None:
    """Refuse, before allocating, a run whose per-path arrays would not fit in memory.

    Raises
    ------
    UsageError
        With the memory needed, the memory available and how to get a result.
    """
    limit = path_limit(scenario, irr)
    if limit is not None and paths > limit:
        per = bytes_per_path(scenario, irr)
        raise UsageError(f"{paths:,} paths would need about {_gib(paths * per)} of memory ({per:,} bytes per "
                         f"path: metrics, risk values, cumulative net cash × {scenario.timeline.periods} periods); "
                         f"{_gib(available_memory() or 0)} is available, enough for about {limit:,} paths. "
                         "Run fewer paths (--paths), or let --target-se choose how many are needed")


def doubling_stop(scenario, paths: int, irr: bool, target_se: float, se: float) -> str | None:
    """A note why a ``target_se`` run stops before running ``paths`` paths, or None if they fit."""
    limit = path_limit(scenario, irr)
    if limit is None or paths <= limit:
        return None
    return (f"target standard error {target_se} not reached: {se:.5f} at the last stage; {paths:,} paths "
            f"would need about {_gib(paths * bytes_per_path(scenario, irr))} of memory, more than half of the "
            f"{_gib(available_memory() or 0)} available")
