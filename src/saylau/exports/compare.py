"""A counterfactual comparison as JSON and CSV.

Seats are integers. Each index is shown rounded for reading (two decimals; the shares of
wasted votes as percentages) and travels exactly beside it, as a fraction, under `exact`
(Gallagher's index as its exact square, `gallagher_squared`). `threshold` is the percentage
of the threshold's base as a number (7 for 7%, 0 for none), exact as `threshold_share`.
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

from saylau.analysis.compare import Comparison, Replay, SeatShift
from saylau.analysis.compare_text import percent_number, shift_text
from saylau.analysis.indices import Indices
from saylau.io.table_files import write_rows
from saylau.rules.exact import fixed

INDEX_KEYS = (
    "gallagher",
    "loosemore_hanby",
    "effective_parties_votes",
    "effective_parties_seats",
    "wasted_below_threshold",
    "wasted_against_all",
)
"""The indices of a row, as JSON keys and CSV columns (the list tier's)."""


def number(value: Fraction | None, places: int = 2) -> float | int | None:
    """An exact value rounded half up for reading, as a JSON number."""
    if value is None:
        return None
    text = fixed(value, places)
    return int(text) if places == 0 else float(text)


def _exact(value: Fraction | None) -> str | None:
    return None if value is None else str(value)


def indices_to_dict(found: Indices | None) -> dict[str, Any]:
    """The indices rounded for reading, and exactly under `exact`."""
    if found is None:
        return dict.fromkeys(INDEX_KEYS)
    wasted = (found.wasted_below_threshold, found.wasted_against_all)
    return {
        "gallagher": float(found.gallagher),
        "loosemore_hanby": number(found.loosemore_hanby),
        "effective_parties_votes": number(found.effective_parties_votes),
        "effective_parties_seats": number(found.effective_parties_seats),
        "wasted_below_threshold": number(100 * wasted[0]) if wasted[0] is not None else None,
        "wasted_against_all": number(100 * wasted[1]) if wasted[1] is not None else None,
        "exact": {
            "gallagher_squared": _exact(found.gallagher_squared),
            "loosemore_hanby": _exact(found.loosemore_hanby),
            "effective_parties_votes": _exact(found.effective_parties_votes),
            "effective_parties_seats": _exact(found.effective_parties_seats),
            "wasted_below_threshold": _exact(wasted[0]),
            "wasted_against_all": _exact(wasted[1]),
        },
    }


def shift_to_dict(shift: SeatShift) -> dict[str, Any]:
    return {
        "setting": shift.setting,
        "from": shift.before,
        "to": shift.after,
        "total_seats": dict(shift.total_seats),
        "list_seats": dict(shift.list_seats),
        "districts": [
            {"contest_id": c.contest_id, "before": c.before, "after": c.after}
            for c in shift.contests
        ],
        "error": shift.error,
    }


def row_to_dict(row: Replay) -> dict[str, Any]:
    """One row: its settings, seats, indices and what moved against the real law."""
    threshold = row.threshold
    out: dict[str, Any] = {
        "method": row.method,
        "threshold": percent_number(threshold) if threshold is not None else None,
        "threshold_share": _exact(threshold),
        "district_rule": row.district_rule,
        "real": row.real,
        "law": {"id": row.law_ref.law_id, "name": row.law_ref.name, "sha256": row.law_ref.sha256},
        "error": row.error,
        "list_seats": row.list_seats,
        "total_seats": row.total_seats,
        "seats_vacant": row.chamber.seats_vacant if row.chamber is not None else None,
    }
    out.update(indices_to_dict(row.list_indices))
    out["chamber_indices"] = indices_to_dict(row.chamber_indices)
    out["changes"] = [shift_to_dict(s) for s in row.shifts]
    return out


def comparison_to_dict(comparison: Comparison) -> dict[str, Any]:
    """The whole comparison: which chamber, its own law, the parties, every row."""
    law = comparison.law
    return {
        "election": {"id": comparison.election_id, "name": comparison.name},
        "chamber": comparison.chamber_id,
        "law": {"id": law.law_id, "name": law.name, "sha256": law.sha256},
        "generated": sorted(comparison.generated),
        "notes": list(comparison.notes),
        "parties": dict(comparison.parties),
        "indices": (
            "gallagher, loosemore_hanby and the effective numbers are of the list tier: each "
            "list's votes against its list seats; wasted_* are percentages of the base of the "
            "list percentages; chamber_indices compare list votes with all seats held"
        ),
        "rows": [row_to_dict(row) for row in comparison.rows],
    }


def comparison_rows(comparison: Comparison) -> tuple[list[str], list[dict[str, object]]]:
    """The CSV's columns and rows: one row per law."""
    parties = [party for party, _ in comparison.parties]
    columns = ["method", "threshold", "district_rule", "real", "error", "seats_vacant"]
    columns += [f"list_seats.{p}" for p in parties] + [f"total_seats.{p}" for p in parties]
    columns += [*INDEX_KEYS, "changes"]
    rows = []
    for row in comparison.rows:
        data = row_to_dict(row)
        flat: dict[str, object] = {c: data.get(c) for c in columns[:6]}
        flat["real"] = "true" if row.real else "false"
        for p in parties:
            flat[f"list_seats.{p}"] = data["list_seats"].get(p)
            flat[f"total_seats.{p}"] = data["total_seats"].get(p)
        flat.update({key: data[key] for key in INDEX_KEYS})
        flat["changes"] = "; ".join(shift_text(s) for s in row.shifts)
        rows.append(flat)
    return columns, rows


def write_comparison(comparison: Comparison, folder: Path) -> list[Path]:
    """`compare.csv` and `compare.json` under `folder`; the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    columns, rows = comparison_rows(comparison)
    csv_path, json_path = folder / "compare.csv", folder / "compare.json"
    write_rows(csv_path, columns, rows)
    text = json.dumps(comparison_to_dict(comparison), ensure_ascii=False, indent=2)
    json_path.write_text(text + "\n", encoding="utf-8")
    return [csv_path, json_path]
