"""The St Petersburg part of the 2021 State Duma election, from its real station files.

Reads `spb2021_duma_list_by_uik.csv.gz` (the federal list ballot, 2,043 stations) and
`spb2021_duma_smd_by_uik.csv.gz` (districts 211-218) with `spb2021_parties.csv`, in the
layout of the city election's files (saylau.importers.spb2021.city, which states how each line is
read), into one chamber `duma` under the law `ru-2021-duma`: the list contest `duma-list`
and the districts `duma-211`..`duma-218`.

The federal list ballot was counted across Russia: a run allocates the 225 list seats on
St Petersburg's votes alone, which is not the official allocation, and says so in a note.
The published figures are the St Petersburg station sums (`duma.registered`, `valid`,
`invalid`, `ballots_found`) and the national list seats as the Central Election Commission
published them (`duma.list_seats.<party_id>`, data/ru-2021-duma/seats.csv).
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from saylau.importers.spb2021.city import Areas, Progress, SpbElection, read_spb_files
from saylau.inputs import ElectionInputs, Note, Published

LIST_FILE: Final = "spb2021_duma_list_by_uik.csv.gz"
DISTRICT_FILE: Final = "spb2021_duma_smd_by_uik.csv.gz"

ELECTION: Final = "spb-2021-duma"
CHAMBER: Final = "duma"
LAW: Final = "ru-2021-duma"
LIST_CONTEST: Final = "duma-list"

STATION_FILES: Final = "spb2021 Duma station files"
STATION_FIGURES: Final = {
    "duma.registered": 3_931_555,
    "duma.valid": 1_430_296,
    "duma.invalid": 36_297,
    "duma.ballots_found": 1_466_593,
    "duma.stations_list": 2_043,
    "duma.stations_district": 2_045,
}
"""Totals of the St Petersburg list ballot (and the station counts), measured once from the
station files, each station counted once: sums of station rows, not an official summary."""

NATIONAL_SEATS: Final = (
    "Central Election Commission, national result of 21 Sep 2021, as reported by Interfax "
    "(interfax.com/newsroom/top-stories/72732/) and Meduza "
    "(meduza.io/en/news/2021/09/21/election-officials-declare-a-majority-win-for-united-russia"
    "-in-state-duma-vote): list seats of all Russia, not of St Petersburg; the five lists "
    "named hold all 225, so every other list holds 0 (data/ru-2021-duma/seats.csv)"
)
LIST_SEATS: Final = {
    "5": 126,
    "1": 48,
    "3": 19,
    "6": 19,
    "4": 13,
    **dict.fromkeys(("2", "7", "8", "9", "10", "11", "12", "13", "14"), 0),
}
"""The national list seats by party id of spb2021_parties.csv: United Russia 126, the
Communists 48, LDPR 19, A Just Russia 19, New People 13 (NATIONAL_SEATS)."""

SOURCE: Final = (
    "Station results of the State Duma election of 17-19 September 2021 in St Petersburg "
    "(the federal list ballot and single-member districts 211-218), from "
    "github.com/vkryl/spbik-2021 @ 08c81bb6 (data/st-petersburg/results_by_uik/<uik>/federal/"
    "parties.json and person_<district>.json, scraped from the site of the St Petersburg "
    "city election commission; party names from data/st-petersburg/parties/*.json), which "
    "may be used without conditions (a link back is asked for). Copied as "
    "data/real/spb2021_duma_list_by_uik.csv.gz, spb2021_duma_smd_by_uik.csv.gz and "
    "spb2021_parties.csv; see data/real/SOURCES.md."
)

PART_OF_THE_NATION: Final = Note(
    "assumption",
    "These are St Petersburg's 2,043 list protocols and its 8 of the 225 districts. The 225 "
    "federal list seats were allocated on the votes of all Russia; here they are allocated "
    "on St Petersburg's votes alone, so the list seats are not the official ones (nationally: "
    "United Russia 126, Communists 48, LDPR 19, A Just Russia 19, New People 13). The 8 "
    "district results are the official ones; the other 217 districts are not in the data.",
)

DUMA: Final = SpbElection(
    election_id=ELECTION,
    name="State Duma election of 2021 in St Petersburg: the federal list and districts 211-218",
    level="federal",
    list_file=LIST_FILE,
    district_file=DISTRICT_FILE,
    chamber=CHAMBER,
    chamber_name="State Duma (St Petersburg's part)",
    law=LAW,
    source=SOURCE,
    published=Published(
        {**STATION_FIGURES, **{f"duma.list_seats.{p}": n for p, n in LIST_SEATS.items()}},
        {
            **dict.fromkeys(STATION_FIGURES, STATION_FILES),
            **{f"duma.list_seats.{p}": NATIONAL_SEATS for p in LIST_SEATS},
        },
    ),
    notes=(PART_OF_THE_NATION,),
)


def read_spb2021_duma(
    data_dir: Path, *, progress: Progress | None = None, territories: Areas = "tik"
) -> ElectionInputs:
    """Read the Duma 2021 files of St Petersburg in `data_dir` into the values of a run.

    The options are those of saylau.importers.spb2021.city.read_spb2021.
    """
    return read_spb_files(DUMA, data_dir, progress=progress, territories=territories)
