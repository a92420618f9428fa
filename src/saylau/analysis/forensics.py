"""Election forensics on the accepted station protocols of one contest.

Four findings, each saying what it measures and what it does not prove, with its source:
the turnout-share fingerprint (saylau.analysis.fingerprint), the integer-percentage test
(saylau.analysis.integer_percent), last-digit tests (saylau.analysis.digits) and turnout
distributions by territory (saylau.analysis.territories). Protocols are checked and counted
as a run does; rejected protocols are left out. On generated data the result says first
that its fingerprints are the generator's, not the election's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Final

import numpy as np

from saylau.analysis.digits import LastDigits, last_digits
from saylau.analysis.fingerprint import Fingerprint, fingerprint
from saylau.analysis.integer_percent import DRAWS, SEED, IntegerPercent, integer_percent_test
from saylau.analysis.stations import StationFigures, choose_contest, station_figures
from saylau.analysis.territories import Level, TurnoutByArea, turnout_by_area
from saylau.errors import InputError
from saylau.inputs import ElectionInputs
from saylau.law.schema import Law


@dataclass(frozen=True)
class Finding:
    """What a finding measures, what it does not prove, and where the method comes from."""

    measures: str
    does_not_prove: str
    source: str


FINDINGS: Final[Mapping[str, Finding]] = MappingProxyType(
    {
        "fingerprint": Finding(
            "how the stations spread over turnout and the studied list's share: a fair count "
            "usually gives one rounded cloud; ballot stuffing and written-up results tend to "
            "smear it towards high turnout and a high share, up to a second cluster near 100/100",
            "a smear or a second cluster also comes from real differences between places "
            "(a region or a closed community that votes in step, small stations, a strong local "
            "candidate); the picture does not say which stations, if any, were falsified",
            "Klimek, Yegorov, Hanel and Thurner, 'Statistical detection of systematic election "
            "irregularities', PNAS 109(41), 2012, 16469-16473",
        ),
        "integer_percent": Finding(
            "how many stations report a turnout or a share that is a whole percentage, against "
            "how many binomial chance alone gives them: people who write results down rather than "
            "count them are drawn to round numbers",
            "an excess says round figures were reported more often than chance gives, not who "
            "rounded them or why, nor how many votes changed; an excess within a few spreads of "
            "0 is what chance gives",
            "Kobak, Shpilkin and Pshenichnikov, 'Integer percentages as electoral falsification "
            "fingerprints', Annals of Applied Statistics 10(1), 2016, 54-73",
        ),
        "last_digits": Finding(
            "whether the last digits of each list's vote counts are equally often 0 to 9, as "
            "counts of many votes tend to be; invented numbers often favour some digits",
            "a small p-value is also what chance gives one list in twenty at the 5% level, and "
            "small counts or a few large stations can skew the digits; a large p-value does not "
            "show the counts are right",
            "Beber and Scacco, 'What the Numbers Say: A Digit-Based Test for Election Fraud', "
            "Political Analysis 20(2), 2012; Hicken and Mebane, A Guide to Election Forensics, "
            "University of Michigan, 2017 (the Election Forensics Toolkit)",
        ),
        "turnout": Finding(
            "which areas' station turnouts are distributed most unlike all the others', by the "
            "Kolmogorov-Smirnov distance (0: alike; 1: no overlap)",
            "areas differ for honest reasons (town and country, age, distance to the polls); a "
            "distant area is a place to look, not a finding of fraud",
            "Hicken and Mebane, A Guide to Election Forensics, University of Michigan, 2017 "
            "(the Election Forensics Toolkit)",
        ),
    }
)

STATION_PARTS: Final = ("stations", "list_protocols", "district_protocols", "territories")
"""Generated parts that make the station protocols themselves generated."""


@dataclass(frozen=True, eq=False)
class Forensics:
    """Every finding on one contest's accepted protocols, and the warnings a reader needs."""

    election_id: str
    name: str
    chamber_id: str
    law_id: str
    stations: StationFigures
    fingerprint: Fingerprint
    integer_percent: IntegerPercent
    last_digits: tuple[LastDigits, ...]
    turnout: TurnoutByArea
    generated: tuple[str, ...] = ()
    warning: str | None = None
    names: Mapping[str, str] = field(default_factory=dict)
    """The name of each entry on the ballot (a party, or a candidate), by id."""
    findings: Mapping[str, Finding] = field(default_factory=lambda: FINDINGS)


def generated_warning(inputs: ElectionInputs) -> tuple[tuple[str, ...], str | None]:
    """The generated parts of the station data, and the warning that heads the output."""
    parts = tuple(sorted(g for g in inputs.generated if g.split(".")[0].startswith(STATION_PARTS)))
    if parts:
        return parts, (
            f"GENERATED DATA: the station protocols of {inputs.election.name} are generated "
            f"by Saylau's seeded scenario (seed {inputs.seed}; {', '.join(parts)}), not "
            f"published. Their fingerprints reflect the generator, not the election."
        )
    if inputs.generated:
        return (), (
            "Some inputs of this election are generated ("
            + ", ".join(sorted(inputs.generated))
            + "); the station protocols are not among them."
        )
    return (), None


def forensics(
    inputs: ElectionInputs,
    laws: Mapping[str, Law],
    *,
    contest: str | None = None,
    round: int = 1,
    entry: str | None = None,
    draws: int = DRAWS,
    seed: int = SEED,
    by: Level | None = None,
) -> Forensics:
    """All four findings on a contest's accepted protocols (default: the list contest).

    `entry` is the list (or candidate) studied, by default the one with the most votes;
    `draws` and `seed` set the integer-percentage test's resamples; `by` compares turnout
    by territory or district (default: territories, or districts when there is only one).
    """
    chosen = choose_contest(inputs, contest, round)
    law = laws.get(chosen.chamber)
    if law is None:
        raise InputError(f"no law given for chamber {chosen.chamber}")
    figures = station_figures(inputs, law, chosen, round, entry)
    table = figures.table
    column = {
        name: table.column(name).to_numpy() for name in ("registered", "took_part", "base", "votes")
    }
    parts, warning = generated_warning(inputs)
    return Forensics(
        inputs.election.election_id,
        inputs.election.name,
        chosen.chamber,
        law.id,
        figures,
        fingerprint(
            column["registered"],
            column["took_part"],
            column["votes"],
            column["base"],
            figures.entry,
        ),
        integer_percent_test(
            column["registered"],
            column["took_part"],
            column["votes"],
            column["base"],
            draws=draws,
            seed=seed,
        ),
        tuple(last_digits(table.column(e).to_numpy(), e) for e in figures.entries),
        _turnout(inputs, figures, column, by),
        parts,
        warning,
        _names(inputs, figures.entries),
    )


def _names(inputs: ElectionInputs, entries: tuple[str, ...]) -> dict[str, str]:
    """Each entry's name: its party's, or its candidate's; else its id."""
    election = inputs.election
    found = {}
    for entry in entries:
        party = election.party_by_id.get(entry)
        candidate = election.candidate_by_id.get(entry)
        found[entry] = party.name if party else candidate.name if candidate else entry
    return found


def _turnout(
    inputs: ElectionInputs,
    figures: StationFigures,
    column: Mapping[str, np.ndarray[Any, np.dtype[np.int64]]],
    by: Level | None,
) -> TurnoutByArea:
    table = figures.table
    territories = table.column("territory_id").to_numpy(zero_copy_only=False)
    level: Level = by or ("territory" if len(set(territories.tolist())) > 1 else "district")
    election = inputs.election
    if level == "territory":
        names = {t.territory_id: t.name for t in election.territories}
        areas = territories
    else:
        names = {d.district_id: d.name for d in election.districts}
        areas = table.column("district_id").to_numpy(zero_copy_only=False)
    return turnout_by_area(column["registered"], column["took_part"], areas, names, level)
