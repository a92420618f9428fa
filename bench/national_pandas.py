"""The same work as bench/national_duckdb.py, in pandas: read the stations and the
protocols, flag the four control relations of the benchmark's law (and duplicate and
unknown stations), count the accepted, rejected and missing protocols by district, and
total every line and list by district, territory and nation. Writes the three levels as
JSON to OUT, for the benchmark to compare.

Run: .venv/bin/python bench/national_pandas.py DIR OUT.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pandas as pd
from national_duckdb import LINES, PARTIES

COUNTED = ("protocols", "rejected", "missing", *LINES, *PARTIES)


def read_protocols(root: Path) -> pd.DataFrame:
    parquet = root / "protocols" / "national.r1.parquet"
    if parquet.exists():
        return pd.read_parquet(parquet, dtype_backend="numpy_nullable")
    types = {"station_id": "string", **dict.fromkeys((*LINES, *PARTIES), "Int64")}
    path = root / "protocols" / "national.r1.csv"
    if not path.exists():
        path = path.with_name("national.r1.csv.gz")  # pandas inflates it by its name
    return pd.read_csv(path, dtype=types, engine="pyarrow")


def level_rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as plain values: whole numbers as int, a missing sum as None."""
    return [
        {k: None if pd.isna(v) else (v if isinstance(v, str) else int(v)) for k, v in row.items()}
        for row in frame.to_dict("records")
    ]


def main() -> None:
    root, out = Path(sys.argv[1]), Path(sys.argv[2])
    stations = pd.read_csv(root / "stations.csv", dtype="string", engine="pyarrow")
    p = read_protocols(root).merge(stations, on="station_id", how="left")
    votes = p[list(PARTIES)].sum(axis=1, min_count=len(PARTIES))
    accepted = (
        (p.ballots_received == p.took_part + p.ballots_cancelled)
        & (p.ballots_found == votes + p.against_all.fillna(0) + p.invalid)
        & (p.took_part <= p.registered)
        & (p.took_part_outside.fillna(0) <= p.took_part)
        & p.district_id.notna()
        & ~p.station_id.duplicated(keep=False)
    ).fillna(False)
    placed = p[p.district_id.notna()]
    kept = placed[accepted[p.district_id.notna()]]
    sums = kept.groupby("district_id")[[*LINES, *PARTIES]].sum(min_count=1)
    counted = pd.DataFrame(
        {
            "protocols": kept.groupby("district_id").size(),
            "rejected": placed[~accepted[p.district_id.notna()]].groupby("district_id").size(),
        }
    )
    expected = stations.groupby("district_id").agg(
        territory_id=("territory_id", "min"), stations=("station_id", "size")
    )
    district = expected.join(counted).join(sums)
    district[["protocols", "rejected"]] = district[["protocols", "rejected"]].fillna(0)
    district["missing"] = district.stations - district.protocols - district.rejected
    district = district.reset_index()[["district_id", "territory_id", *COUNTED]]
    territory = district.groupby("territory_id")[list(COUNTED)].sum(min_count=1).reset_index()
    nation = district[list(COUNTED)].sum(min_count=1).to_frame().T
    levels = {
        "district": level_rows(district.sort_values("district_id")),
        "territory": level_rows(territory.sort_values("territory_id")),
        "nation": level_rows(nation),
    }
    out.write_text(json.dumps(levels), encoding="utf-8")


if __name__ == "__main__":
    main()
