"""The St Petersburg part of the 2021 State Duma election, from its real station files.

Reads `spb2021_duma_list_by_uik.csv.gz` (the federal list ballot, 2,043 stations) and
`spb2021_duma_smd_by_uik.csv.gz` (districts 211-218) with `spb2021_parties.csv`, in the
layout of the city election's files (saylau.importers.spb2021.city, which states how each line is
read), into one chamber `duma` under the law `ru-2021-duma`: the list contest `duma-list`
and the districts `duma-211`..`duma-218`.

The federal list ballot was counted across Russia: a run allocates the 225 list seats on
St Petersburg's votes alone, which is not the official allocation, and says so in a note.
The figures a run is compared with (data/published.csv of this package) are the St Petersburg
station sums (`duma.registered`, `valid`, `invalid`, `ballots_found`), sums of the same files
a run reads, and the national list seats as the Central Election Commission published them
(`duma.list_seats.<party_id>`, data/ru-2021-duma/seats.csv).
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from saylau.importers.spb2021.city import Areas, Progress, SpbElection, read_spb_files
from saylau.inputs import ElectionInputs, Note

LIST_FILE: Final = "spb2021_duma_list_by_uik.csv.gz"
DISTRICT_FILE: Final = "spb2021_duma_smd_by_uik.csv.gz"

ELECTION: Final = "spb-2021-duma"
CHAMBER: Final = "duma"
LAW: Final = "ru-2021-duma"
LIST_CONTEST: Final = "duma-list"

SOURCE: Final = (
    "Station results of the State Duma election of 17-19 September 2021 in St Petersburg "
    "(the federal list ballot and single-member districts 211-218), from "
    "github.com/vkryl/spbik-2021 @ 08c81bb6 (data/st-petersburg/results_by_uik/<uik>/federal/"
    "parties.json and person_<district>.json, scraped from the site of the St Petersburg "
    "city election commission; party names from data/st-petersburg/parties/*.json), which "
    "may be used without conditions (a link back is asked for). Copied as "
    "spb2021_duma_list_by_uik.csv.gz, spb2021_duma_smd_by_uik.csv.gz and spb2021_parties.csv, "
    "shipped in saylau/importers/spb2021/data; see its SOURCES.md."
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
    notes=(PART_OF_THE_NATION,),
)


def read_spb2021_duma(
    data_dir: Path | None = None, *, progress: Progress | None = None, territories: Areas = "tik"
) -> ElectionInputs:
    """Read the Duma 2021 files of St Petersburg in `data_dir` (None: the copy shipped with
    Saylau) into the values of a run.

    The options are those of saylau.importers.spb2021.city.read_spb2021.
    """
    return read_spb_files(DUMA, data_dir, progress=progress, territories=territories)
