"""The one timer every benchmark uses: the median of repeated runs, in seconds."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def timed(call: Callable[[], object], repeat: int) -> float:
    """Median wall time of `repeat` calls; medians resist a busy machine's outliers."""
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)
