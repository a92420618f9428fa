"""Election forensics as JSON and as files: the findings, the histograms, the stations.

`forensics_to_dict` is the JSON of `saylau forensics --json`: `integer_percent` holds
`stations_included`, and `observed`, `expected`, `excess` and `spread` (the standard
deviation of the resamples), each an object with the keys `turnout`, `share` and `either`.
Statistics are floats, rounded to 3 decimals for reading; counts are integers.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pa_csv

from saylau.analysis.fingerprint import MIN_STATIONS as FINGERPRINT_MIN
from saylau.analysis.forensics import Forensics
from saylau.analysis.integer_percent import MIN_STATIONS as INTEGER_MIN
from saylau.analysis.integer_percent import Triple

EDGE = (
    "a percentage within 0.05 points of a whole number is integer, the edge included: "
    "859 of 2,000 = 42.95% counts (exact integer test: with r = 100 a mod b, 20 r <= b or "
    "20 (b - r) <= b)"
)
INCLUSION = (
    "at least 100 registered voters; ballots received (took_part >= 1 and a base of the "
    "share >= 1); turnout (took_part / registered) and the list's share at most 99%"
)
RESAMPLES = (
    "per resample, each included station's turnout is Binomial(registered, turnout) and its "
    "share Binomial(base, share), independently; each station's chance of landing on an "
    "integer percentage is its exact binomial probability, drawn once per resample"
)


def _triple(values: Triple, places: int | None = 3) -> dict[str, float]:
    if places is None:
        return {k: int(v) for k, v in values.as_dict().items()}
    return {k: round(v, places) for k, v in values.as_dict().items()}


def _rounded(value: float | None, places: int = 3) -> float | None:
    return None if value is None else round(value, places)


def forensics_to_dict(found: Forensics) -> dict[str, Any]:
    """Every finding, with its definitions, what it measures and does not prove, its source."""
    stations = found.stations
    test = found.integer_percent
    shape = found.fingerprint
    matrix = shape.matrix()
    share_bins, turnout_bins = matrix.nonzero()
    return {
        "warning": found.warning,
        "generated": bool(found.generated),
        "generated_parts": list(found.generated),
        "election": {"id": found.election_id, "name": found.name},
        "chamber": found.chamber_id,
        "law": found.law_id,
        "contest": stations.contest_id,
        "round": stations.round,
        "entry": {
            "id": stations.entry,
            "name": found.names.get(stations.entry, stations.entry),
            "leader": stations.entry == stations.leader,
        },
        "share_base": stations.base_name,
        "protocols": {
            "accepted": stations.protocols,
            "flagged": stations.flagged,
            "rejected": stations.rejected,
            "missing": stations.missing,
        },
        "fingerprint": {
            "stations": shape.stations,
            "too_few_stations": shape.stations < FINGERPRINT_MIN,
            "no_base": shape.no_base,
            "over_100": shape.over_100,
            "bins": "1 percentage point of turnout x 1 of the share; exactly 100% in 99-100",
            "histogram": [
                [int(t), int(s), int(matrix[s, t])]
                for s, t in zip(share_bins, turnout_bins, strict=True)
            ],
            "histogram_columns": ["turnout_from", "share_from", "stations"],
        },
        "integer_percent": {
            "stations_included": test.stations_included,
            "too_few_stations": test.stations_included < INTEGER_MIN,
            "excluded": dict(test.excluded),
            "observed": _triple(test.observed, None),
            "expected": _triple(test.expected),
            "excess": _triple(test.excess),
            "spread": _triple(test.spread),
            "expected_exact": _triple(test.expected_exact),
            "draws": test.draws,
            "seed": test.seed,
            "inclusion": INCLUSION,
            "integer": EDGE,
            "resamples": RESAMPLES,
        },
        "last_digits": [
            {
                "entry": d.entry,
                "name": found.names.get(d.entry, d.entry),
                "digits": list(d.digits),
                "counts": d.counts,
                "below_10": d.below_10,
                "median": d.median,
                "chi_square": _rounded(d.chi_square),
                "p_value": d.p_value,
            }
            for d in found.last_digits
        ],
        "turnout": {
            "level": found.turnout.level,
            "stations": found.turnout.stations,
            "left_out": found.turnout.left_out,
            "distance": "two-sample Kolmogorov-Smirnov statistic against all other stations",
            "most_distant": list(found.turnout.most_distant),
            "areas": [
                {
                    "id": a.area_id,
                    "name": a.name,
                    "stations": a.stations,
                    "lower_quartile": _rounded(100 * a.lower_quartile),
                    "median": _rounded(100 * a.median),
                    "upper_quartile": _rounded(100 * a.upper_quartile),
                    "distance": _rounded(a.distance, 4),
                }
                for a in found.turnout.areas
            ],
        },
        "findings": {
            key: {"measures": f.measures, "does_not_prove": f.does_not_prove, "source": f.source}
            for key, f in found.findings.items()
        },
    }


def _write_table(table: pa.Table, path: Path) -> None:
    pa_csv.write_csv(table, str(path), pa_csv.WriteOptions(quoting_style="needed"))


def write_forensics(
    found: Forensics, folder: Path, figures: Mapping[str, bytes] | None = None
) -> list[Path]:
    """forensics.json, fingerprint.csv (every bin), turnout_by_area.csv, stations.csv (the
    accepted stations studied), and any figures given (name -> bytes); the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = [folder / "forensics.json"]
    text = json.dumps(forensics_to_dict(found), ensure_ascii=False, indent=2)
    written[0].write_text(text + "\n", encoding="utf-8")
    for name, table in (
        ("fingerprint.csv", found.fingerprint.histogram),
        ("turnout_by_area.csv", found.turnout.histogram),
        ("stations.csv", found.stations.table),
    ):
        _write_table(table, folder / name)
        written.append(folder / name)
    for name, data in (figures or {}).items():
        (folder / name).write_bytes(data)
        written.append(folder / name)
    return written
