"""The columns of each CSV file of an election directory: the required ones, then the
optional ones (saylau.io.election.read lists the files)."""

from __future__ import annotations

from collections.abc import Mapping

from saylau.io.election.rows import with_names

COLUMNS: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "parties.csv": (
        ("party_id", "name"),
        ("kind", "registration_order", "colour", "seats_before", "members"),
    ),
    "lists.csv": (("party_id", "rank", "name"), ()),
    "territories.csv": (("territory_id", "name"), ("kind", "utc_offset")),
    "districts.csv": (("district_id", "name", "territory_id"), ()),
    "stations.csv": (("station_id", "district_id", "territory_id"), ()),
    "contests.csv": (
        ("contest_id", "chamber", "tier"),
        ("district_id", "territory_id", "replaces"),
    ),
    "candidates.csv": (("candidate_id", "contest_id", "name"), ("nominator", "member")),
    "college.csv": (
        ("contest_id", "round", "electors", "present", "candidate_id", "votes"),
        ("took_part",),
    ),
    "invalidations.csv": (("contest_id", "round", "new_contest_id"), ("reason",)),
    "withdrawals.csv": (("contest_id", "candidate_id"), ("reason",)),
    "resolutions.csv": (("contest_id", "round", "winner", "method"), ("reference",)),
    "notes.csv": (("kind", "text"), ()),
    "preferences.csv": (("contest_id", "party_id", "rank", "votes"), ("station_id",)),
}
COLUMNS = with_names(COLUMNS)  # and name_kk, name_ru, name_en (saylau.io.election.rows)


KEYED = frozenset(
    {
        "parties.csv",
        "territories.csv",
        "districts.csv",
        "stations.csv",
        "contests.csv",
        "candidates.csv",
    }
)
"""Registry files whose first column is an id that must not repeat."""
