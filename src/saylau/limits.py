"""The sizes Saylau accepts, each well above any real election, checked before work begins.

The largest legislature has about 3,000 seats, the longest ballots about 50 lists, the
largest national elections about a million polling stations and a billion voters.

| limit | value | what |
|---|---|---|
| MAX_SEATS | 10,000 | seats in a tier or a chamber, and `saylau allocate --seats` |
| MAX_ENTRIES | 1,000 | lists or candidates on one ballot; lists in a votes file |
| MAX_COLUMNS | 2,000 | columns of a protocol file or a registry file |
| MAX_CELL_CHARS | 1,000 | characters in one cell of a CSV file |
| MAX_COUNT | 10^12 | one figure in a protocol, a votes file or the registry |
| MAX_ROWS | 5,000,000 | rows (stations) of one protocol or registry file |
| MAX_FILE_BYTES | 64 GiB | one input file; only regular files are read |
| MAX_TEXT_BYTES | 4 GiB | the text of one CSV file, a gzip's once inflated (in chunks) |
| MAX_LINE_BYTES | 8,006,000 | one line of a CSV file: MAX_COLUMNS cells of MAX_CELL_CHARS |
| MAX_CELLS | 200,000,000 | cells (rows times columns) of one protocol file: 1.6 GB as int64 |
| MAX_CONFIG_BYTES | 16 MiB | election.toml (a law file: 1 MiB, saylau.law.loader) |
| MAX_DRAWS | 1,000,000 | resamples of a forensics test (24 bytes each held at once) |

MAX_COUNT times MAX_ROWS stays below 2^63, so no total of a file can wrap in int64.
MAX_LINE_BYTES is MAX_COLUMNS cells of MAX_CELL_CHARS characters of up to 4 bytes, with their
quotes and commas: a longer line holds a cell past MAX_CELL_CHARS, or too many cells. Every line
of a CSV file counts towards MAX_ROWS, blank lines too, and a Parquet file's row count is read
from its metadata, so both are refused before their rows are decoded.
"""

from __future__ import annotations

from typing import Final

MAX_SEATS: Final = 10_000
MAX_ENTRIES: Final = 1_000
MAX_COLUMNS: Final = 2_000
MAX_CELL_CHARS: Final = 1_000
MAX_COUNT: Final = 10**12
MAX_ROWS: Final = 5_000_000
MAX_FILE_BYTES: Final = 64 * 2**30
MAX_DRAWS: Final = 1_000_000
MAX_TEXT_BYTES: Final = 4 * 2**30
MAX_LINE_BYTES: Final = MAX_COLUMNS * (4 * MAX_CELL_CHARS + 3)
MAX_CELLS: Final = 200_000_000
MAX_CONFIG_BYTES: Final = 16 * 2**20

assert MAX_COUNT * MAX_ROWS < 2**63

__all__ = [
    "MAX_CELLS",
    "MAX_CELL_CHARS",
    "MAX_COLUMNS",
    "MAX_CONFIG_BYTES",
    "MAX_COUNT",
    "MAX_DRAWS",
    "MAX_ENTRIES",
    "MAX_FILE_BYTES",
    "MAX_LINE_BYTES",
    "MAX_ROWS",
    "MAX_SEATS",
    "MAX_TEXT_BYTES",
]
