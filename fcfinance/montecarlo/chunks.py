"""Sizes of the chunks a Monte Carlo run is cut into (constants only: the command line reads them
without loading the sampling machinery)."""

CHUNK = 2**16
"""Largest number of paths per engine call by default: large enough to amortise the per-period
Python steps (measured: benchmarks/bench_simulate.py); chunks are smaller when a path takes more
memory (:data:`CHUNK_MEMORY`)."""

CHUNK_MEMORY = 2**28
"""Memory budget of one chunk in flight [bytes] (256 MiB): chunks hold as many paths as fit,
up to the chunk size asked for; so memory grows with the threads, not with the project's size."""

PROBE_PATHS = 1024
"""Paths of the first chunk of a run, evaluated alone to measure the memory a path takes."""
