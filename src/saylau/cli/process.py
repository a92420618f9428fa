"""How the `saylau` command sets up its own process (a library user's process is left
alone): measured costs of a run that have nothing to do with elections."""

from __future__ import annotations

import gc
import os
import sys
from typing import Final


class _WithoutPandas:
    """Saylau never uses pandas; pyarrow, where pandas is installed, imports it to recognise
    pandas values Saylau never passes, which costs a third of a second at every start."""

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name == "pandas" or name.startswith("pandas."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)


def without_pandas() -> None:
    """The process finds no pandas, unless it has imported it already."""
    if "pandas" not in sys.modules:
        sys.meta_path.insert(0, _WithoutPandas())


BLAS_THREADS: Final = "OPENBLAS_NUM_THREADS"
"""How many threads NumPy's OpenBLAS starts when NumPy loads (by default one per core)."""


def without_blas_threads() -> None:
    """NumPy's OpenBLAS in one thread, unless the environment names a number: Saylau never
    multiplies matrices, yet pyarrow loads NumPy, and OpenBLAS starts its threads as it
    loads, which costs a small run processor time and, on a busy machine, wall time. Set
    before NumPy loads; the command's child processes inherit it."""
    os.environ.setdefault(BLAS_THREADS, "1")


def keeping_memory_pool() -> None:
    """Arrow's memory from jemalloc (the system's allocator where the build has none).

    pyarrow's default on Linux, mimalloc, hands freed pages back to the system at once, so
    each column a check computes faults its pages in afresh: on a million stations that is
    0.7 to 1.5 s of system time against 0.4 s, and a third of a second of wall time
    (bench/bench_national.py). Called by the commands that read protocols, once each.
    """
    import pyarrow as pa

    try:
        pool = pa.jemalloc_memory_pool()
    except NotImplementedError:
        pool = pa.system_memory_pool()
    pa.set_memory_pool(pool)


COLLECTING_THRESHOLD: Final = 100_000
"""Objects made between two collections of the youngest generation in a command that reads
protocols (Python's default is 700). Loading its modules makes tens of thousands of objects,
and a run at scale hundreds of thousands more (each protocol kept for review, with its
words): nearly none of them garbage, yet at the default each is scanned again and again,
which costs such a run a measurable share of its processor time (docs/scaling.md)."""


def collecting_seldom() -> None:
    """Collect the youngest generation seldom for the rest of the command, from before its
    modules load (a command that reads protocols; never a library user's process)."""
    gc.set_threshold(COLLECTING_THRESHOLD, *gc.get_threshold()[1:])


def frozen_start() -> None:
    """The objects made so far (modules, classes, the law's schema) are never scanned by
    the garbage collector again: a run at scale makes many small objects."""
    gc.freeze()


def reading_protocols() -> None:
    """Set up the process of a command that reads protocols, once its rooms are loaded."""
    keeping_memory_pool()
    frozen_start()
