"""Synthetic protocols for forensics tests: clean stations, and the same stations with some
turnouts or leader's shares written down as a whole percentage (planted).

Each protocol keeps every relation of the 1999 Kazakh form (received = issued + cancelled,
found = votes + against all + invalid, found <= issued <= registered), so the protocols
pass the check a run applies. Lists `a` (the leader), `b` and `c`, and against all.
(A whole percentage moves a count by at most half a point of its base, which the largest
line but the leader's can always give, so the planted protocols keep every relation.)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from saylau.law.loader import load_law
from saylau.protocol.table import check_table
from saylau.stages.counting import Counted
from saylau.tabulate import tabulate

LINES = ("registered", "took_part", "cancelled", "invalid", "against_all", "a", "b", "c")


@dataclass(frozen=True)
class Synthetic:
    """Station arrays (one per line) and the stations planted: `turnout` and `share` hold
    the rows whose turnout, or leader's share, was set to a whole percentage."""

    lines: dict[str, np.ndarray]
    turnout: np.ndarray
    share: np.ndarray

    @property
    def stations(self) -> int:
        return len(self.lines["registered"])

    def table(self) -> pa.Table:
        """The protocol table (saylau.protocol.lines layout)."""
        x = self.lines
        columns = {
            "registered": x["registered"],
            "ballots_received": x["took_part"] + x["cancelled"],
            "took_part": x["took_part"],
            "ballots_cancelled": x["cancelled"],
            "ballots_found": x["took_part"],
            "invalid": x["invalid"],
            "against_all": x["against_all"],
            "a": x["a"],
            "b": x["b"],
            "c": x["c"],
        }
        data = {"station_id": pa.array(self.ids(), pa.string())}
        data.update({k: pa.array(v, pa.int64()) for k, v in columns.items()})
        return pa.table(data)

    def ids(self) -> list[str]:
        return [f"s{i:06d}" for i in range(self.stations)]

    def registry(self) -> pa.Table:
        ids = self.ids()
        return pa.table(
            {
                "station_id": pa.array(ids, pa.string()),
                "district_id": pa.array([f"d{i % 40:02d}" for i in range(len(ids))]),
                "territory_id": pa.array([f"t{i % 8}" for i in range(len(ids))]),
            }
        )


def clean(stations: int, seed: int) -> Synthetic:
    """Counted honestly: every figure drawn from binomials, nothing rounded."""
    rng = np.random.default_rng(seed)
    registered = rng.integers(1_000, 3_000, stations)
    took_part = rng.binomial(registered, rng.uniform(0.35, 0.85, stations))
    invalid = rng.binomial(took_part, 0.02)
    shares = rng.dirichlet([6.0, 3.0, 2.0, 1.0], stations)
    valid = took_part - invalid
    a = rng.binomial(valid, shares[:, 0])
    b = rng.binomial(valid - a, shares[:, 1] / shares[:, 1:].sum(axis=1))
    c = rng.binomial(valid - a - b, shares[:, 2] / shares[:, 2:].sum(axis=1))
    lines = {
        "registered": registered,
        "took_part": took_part,
        "cancelled": rng.integers(0, 50, stations),
        "invalid": invalid,
        "against_all": valid - a - b - c,
        "a": a,
        "b": b,
        "c": c,
    }
    empty = np.zeros(0, dtype=np.int64)
    return Synthetic(lines, empty, empty)


def planted(data: Synthetic, turnout: int, share: int) -> Synthetic:
    """The same stations, but `turnout` of them report the whole percentage nearest their
    turnout (the ballots issued moved to match, the difference put on list `c`), and
    `share` others the whole percentage nearest the leader's share (the difference from
    the largest line but the leader's). Each planted figure is within 0.05 points of a
    whole number: the counts are rounded to the nearest, and every base is at least 1,000."""
    x = {k: v.copy() for k, v in data.lines.items()}
    rows = np.arange(turnout)
    whole = np.rint(100 * x["took_part"][rows] / x["registered"][rows])
    moved = np.rint(x["registered"][rows] * whole / 100).astype(np.int64) - x["took_part"][rows]
    x["took_part"][rows] += moved
    _absorb(x, rows, moved)
    eligible = np.flatnonzero(x["took_part"] >= 1_000)
    others = eligible[eligible >= turnout][:share]
    wanted = np.rint(100 * x["a"][others] / x["took_part"][others])
    shift = np.rint(x["took_part"][others] * wanted / 100).astype(np.int64) - x["a"][others]
    x["a"][others] += shift
    _absorb(x, others, -shift)
    return Synthetic(x, rows, others)


def _absorb(x: dict[str, np.ndarray], rows: np.ndarray, amount: np.ndarray) -> None:
    """Add `amount` (a few votes, either sign) to the largest line but the leader's."""
    lines = ("b", "c", "against_all")
    largest = np.stack([x[name][rows] for name in lines]).argmax(axis=0)
    for position, name in enumerate(lines):
        x[name][rows] += np.where(largest == position, amount, 0)


def counted(data: Synthetic) -> Counted:
    """The synthetic protocols checked against the 1999 form and tabulated, as a run does."""
    form = load_law("kz-1999-majilis").protocol
    assert form is not None
    registry = data.registry()
    expected = registry.column("station_id").combine_chunks()
    table = data.table()
    check = check_table(table, "list", 1, expected, form=form)
    totals = tabulate(
        table, check.accepted, registry, contest_id="list", round=1, expected=expected
    )
    return Counted("list", 1, check, totals)
