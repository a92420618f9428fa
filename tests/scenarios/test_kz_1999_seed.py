"""Seeded: the same seed gives byte-identical inputs, another seed other generated figures."""

from __future__ import annotations

import time

import pyarrow as pa

from saylau.inputs import ElectionInputs
from saylau.scenarios.kz_1999 import build_kz_1999
from tests.scenarios.helpers import built


def ipc_bytes(table: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return bytes(sink.getvalue().to_pybytes())


def fingerprint(inputs: ElectionInputs) -> tuple[object, ...]:
    tables = tuple((key, ipc_bytes(t)) for key, t in inputs.protocols.items())
    return (
        inputs.election,
        tables,
        inputs.college_ballots,
        inputs.invalidations,
        inputs.notes,
        inputs.published,
        inputs.generated,
    )


def test_the_same_seed_gives_identical_inputs() -> None:
    started = time.process_time()
    again = build_kz_1999()
    elapsed = time.process_time() - started
    assert fingerprint(again) == fingerprint(built())
    assert elapsed < 3, f"the build took {elapsed:.2f} s"


def test_another_seed_gives_other_figures() -> None:
    one, other = built(1999), built(7)
    assert ipc_bytes(one.protocols[("majilis-list", 1)]) != ipc_bytes(
        other.protocols[("majilis-list", 1)]
    )
    assert one.election.stations != other.election.stations
    assert one.college_ballots != other.college_ballots
    assert one.published == other.published
