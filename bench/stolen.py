"""The processor time the machine's host took from it while a run went on: Linux counts it
as `steal` in the first line of /proc/stat. On a virtual machine it slows a run without
any process of the machine's own being busy, so the load average does not show it; each
run of the service's benchmarks prints it beside its figures."""

from __future__ import annotations

import os
from pathlib import Path

STAT = Path("/proc/stat")


def steal_seconds(stat: str) -> float | None:
    """The processor time taken by the host since boot, over every processor, in seconds,
    from the text of /proc/stat; None when its first line does not count it."""
    fields = stat.split("\n", 1)[0].split()
    if len(fields) < 9 or fields[0] != "cpu" or not fields[8].isdigit():
        return None
    return int(fields[8]) / os.sysconf("SC_CLK_TCK")


def stolen_so_far() -> float | None:
    """`steal_seconds` of this machine now; None where there is no /proc/stat."""
    try:
        return steal_seconds(STAT.read_text(encoding="ascii"))
    except OSError:
        return None


def taken_since(before: float | None) -> float | None:
    """The processor time the host took since `before` (`stolen_so_far`), in seconds; None
    where it is not counted."""
    now = stolen_so_far()
    return None if before is None or now is None else now - before


def stolen_line(taken: float | None) -> str:
    """What the host took (`taken_since`), as a run's line prints it."""
    if taken is None:
        return "taken by the host (steal): unknown"
    return f"taken by the host (steal): {taken:.1f} s of processor time"


def stolen_since(before: float | None) -> str:
    """What the host took since `before` (`stolen_so_far`), as a run's line prints it."""
    return stolen_line(taken_since(before))
