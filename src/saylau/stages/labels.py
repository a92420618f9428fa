"""Honest labels: what a result is, beside what was published.

- Every published figure the run computes is compared; a difference is a conflict note.
  Each comparison carries the kind of figure it was made with (saylau.inputs.FigureKind):
  published by an outside source, a sum of the run's own files, or a generator's target.
- A run is a counterfactual when a chamber's law is not the one the election was held
  under, or when its seats differ from the published ones; its reasons head every output.
- A figure rests on generated data when the run has generated inputs and the figure is
  neither a published figure it matches nor derived only from such figures.
- An input that did not count (a protocol of a round that did not take place, a withdrawal
  or a resolution with nothing to apply to) is reported, never dropped.

Figures are named `<figure>` for a chamber's own and `<figure>.<party_id>` for a party's:
`list_votes`, `list_seats`, `district_seats`, `total_seats` (also written `seats`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from saylau.inputs import ElectionInputs, FigureKind, Note, Published
from saylau.law.schema import Law
from saylau.results import ChamberResult, Compared
from saylau.said import N_, Param, Said
from saylau.stages.districts import ContestPath

FIGURES = (
    "registered",
    "took_part",
    "ballots_found",
    "valid",
    "against_all",
    "invalid",
    "seats_total",
    "majority",
    "seats_filled",
    "districts_decided_round1",
    "runoffs",
    "new_voting",
    "seats_contested",
    "runoff_registered",
    "runoff_took_part",
    "registered_parties",
    "party_lists",
    "seats_elected",
    "appointed_seats",
)
"""The chamber figures a published figure `<chamber>.<figure>` is compared with."""

PARTY_FIGURES = ("list_votes", "list_seats", "district_seats", "total_seats")
"""The party figures a published `<chamber>.<figure>.<party_id>` is compared with."""

SEAT_FIGURES = frozenset({"list_seats", "district_seats", "total_seats"})
ALIASES = {"seats": "total_seats"}
"""`<chamber>.seats.<party_id>` is the party's total seats."""


def figures_of(chamber: ChamberResult) -> dict[str, int | None]:
    """Every comparable figure of a chamber, by name."""
    found: dict[str, int | None] = {name: getattr(chamber, name) for name in FIGURES}
    for party in chamber.parties:
        for name in PARTY_FIGURES:
            found[f"{name}.{party.party_id}"] = getattr(party, name)
    return found


def published_of(chamber_id: str, published: Published) -> dict[str, tuple[int, str]]:
    """The published figures of one chamber by figure name, each with its source key."""
    found: dict[str, tuple[int, str]] = {}
    for key, value in published.figures.items():
        owner, _, figure = key.partition(".")
        if owner != chamber_id:
            continue
        name, dot, party = figure.partition(".")
        figure = f"{ALIASES.get(name, name)}{dot}{party}"
        found[figure] = (value, key)
    return found


KIND_WORDS: Mapping[FigureKind, str] = {
    "published": N_("published"),
    "sum_of_inputs": N_("summed from this run's own files"),
    "generator_target": N_("the generator's target"),
}
"""How a note names a figure of each kind beside the run's own."""


def compared_figures(chamber: ChamberResult, published: Published) -> tuple[Compared, ...]:
    """Every published figure of the chamber that the run computes, with its kind."""
    computed = figures_of(chamber)
    found = []
    for figure, (value, key) in sorted(published_of(chamber.chamber_id, published).items()):
        mine = computed.get(figure)
        if mine is not None:
            source = published.sources.get(key, "no source given")
            found.append(Compared(figure, value, mine, source, published.kind(key)))
    return tuple(found)


def compare_published(chambers: Sequence[ChamberResult], published: Published) -> list[Note]:
    """Every published figure the run computes, checked; a difference is a reported conflict.

    Seats by party are not conflicts: a run whose seats differ from the published ones is a
    counterfactual (`seat_differences`), and says so first, with the published seats beside.
    """
    notes = []
    for chamber in chambers:
        computed = figures_of(chamber)
        for figure, (value, key) in sorted(published_of(chamber.chamber_id, published).items()):
            mine = computed.get(figure)
            if mine is None or mine == value or figure.partition(".")[0] in SEAT_FIGURES:
                continue
            source = published.sources.get(key, "no source given")
            word = KIND_WORDS[published.kind(key)]
            said = Said(
                N_(
                    "%(chamber)s %(figure)s: %(word)s %(value)s (%(source)s), tabulated "
                    "%(mine)s, a difference of %(difference)s"
                ),
                chamber=chamber.chamber_id,
                figure=figure,
                word=Said(word.replace("%", "%%")),
                value=value,
                source=source,
                mine=mine,
                difference=f"{mine - value:+,}",
            )
            notes.append(Note("conflict", said))
    return notes


def law_changes(
    applied: Mapping[str, Law], own: Mapping[str, Law], hashes: Mapping[str, str]
) -> dict[str, str]:
    """Each chamber decided under a law other than its own, with the reason in words."""
    found = {}
    for chamber_id, law in applied.items():
        held = own.get(chamber_id)
        if held is not None and law != held:
            digest = f" (sha256 {hashes[chamber_id][:16]})" if chamber_id in hashes else ""
            found[chamber_id] = (
                f"{chamber_id} is decided under {law.id}{digest}, not {held.id}, the law "
                f"the election was held under"
            )
    return found


def seat_differences(chambers: Sequence[ChamberResult], published: Published) -> list[str]:
    """Each party whose seats differ from the published ones, in words."""
    found = []
    for chamber in chambers:
        computed = figures_of(chamber)
        for figure, (value, key) in sorted(published_of(chamber.chamber_id, published).items()):
            name, _, party = figure.partition(".")
            mine = computed.get(figure)
            if name in SEAT_FIGURES and party and mine is not None and mine != value:
                word = KIND_WORDS[published.kind(key)]
                found.append(f"{chamber.chamber_id} {figure} is {mine}, {word} {value}")
    return found


def with_published_seats(chamber: ChamberResult, published: Published) -> ChamberResult:
    """The chamber with each party's published total seats beside its own."""
    known = published_of(chamber.chamber_id, published)
    parties = tuple(
        replace(p, published_total=known[f"total_seats.{p.party_id}"][0])
        if f"total_seats.{p.party_id}" in known
        else p
        for p in chamber.parties
    )
    return replace(chamber, parties=parties)


LAW_FIGURES = frozenset({"seats_total", "majority", "seats_elected", "appointed_seats"})
"""Figures the law sets: they never rest on data, generated or not."""
VOTE_FIGURES = frozenset(
    {
        "registered",
        "took_part",
        "ballots_found",
        "valid",
        "against_all",
        "invalid",
        "districts_decided_round1",
        "runoffs",
        "new_voting",
        "runoff_registered",
        "runoff_took_part",
        "registered_parties",
        "party_lists",
    }
)
"""Figures of a chamber with list or district ballots; a college chamber shows none."""

DERIVED = {
    "turnout": ("registered", "took_part"),
    "runoff_turnout": ("runoff_registered", "runoff_took_part"),
}
"""Figures computed from others: generated only when one of their parts is."""


def generated_figures(
    chamber: ChamberResult, published: Published, generated: frozenset[str]
) -> frozenset[str]:
    """The figures of a chamber that rest on generated data (see the module doc).

    A counted figure (a line total, a party's list votes or district seats, a count of
    districts) is generated unless it matches its published figure; a figure computed from
    others (turnout, a list's seats and share, a party's total and change, the seats filled,
    the shares against all and invalid) is generated when one of its parts is, whether or
    not it was published.
    """
    if not generated:
        return frozenset()
    known = published_of(chamber.chamber_id, published)
    derived_seats = {"list_seats", "total_seats"}
    shown = {
        figure: value
        for figure, value in figures_of(chamber).items()
        if figure not in LAW_FIGURES
        and figure.partition(".")[0] not in derived_seats
        and (chamber.parties or figure not in VOTE_FIGURES)
        and (chamber.seats_contested or figure != "seats_contested")
        and (not chamber.parties or figure != "seats_filled")
    }
    marked = {
        figure
        for figure, value in shown.items()
        if value is not None and known.get(figure, (None, ""))[0] != value
    }
    for figure, parts in DERIVED.items():
        if any(part in marked for part in parts):
            marked.add(figure)
    base = chamber.percent_base or ""
    votes = any(f"list_votes.{p.party_id}" in marked for p in chamber.parties)
    for party in chamber.parties:
        pid = party.party_id
        if f"list_votes.{pid}" in marked or base in marked:
            marked.add(f"list_share.{pid}")
        if votes or base in marked:
            marked.add(f"list_seats.{pid}")
        if f"list_seats.{pid}" in marked or f"district_seats.{pid}" in marked:
            marked.update({f"total_seats.{pid}", f"seat_change.{pid}"})
    if chamber.parties and any(f.startswith("total_seats.") for f in marked):
        marked.add("seats_filled")
    for figure in ("against_all", "invalid"):
        if figure in marked or base in marked:
            marked.add(f"{figure}_percent")
    return frozenset(marked)


def unfound_ballots(chamber: ChamberResult) -> list[Note]:
    """Ballots issued but not found in the boxes: the parts fall short of those who took part."""
    if chamber.took_part is None or chamber.valid is None or chamber.invalid is None:
        return []
    gap = chamber.took_part - chamber.valid - chamber.invalid
    if gap == 0:
        return []
    said: dict[str, Param] = {
        "chamber": chamber.chamber_id,
        "valid": chamber.valid,
        "invalid": chamber.invalid,
        "sum": chamber.valid + chamber.invalid,
        "gap": gap,
        "took_part": chamber.took_part,
    }
    if gap > 0:
        template = N_(
            "%(chamber)s: valid %(valid)s + invalid %(invalid)s = %(sum)s, which is %(gap)s "
            "short of the %(took_part)s voters who took part (ballots issued); the total is "
            "kept as counted, not adjusted"
        )
    else:
        template = N_(
            "%(chamber)s: valid %(valid)s + invalid %(invalid)s = %(sum)s, which is %(gap)s "
            "more than the %(took_part)s voters who took part (ballots issued); the total is "
            "kept as counted, not adjusted"
        )
    return [Note("conflict", Said(template, **said))]


def unused_inputs(
    inputs: ElectionInputs, counted: frozenset[tuple[str, int]], paths: Sequence[ContestPath]
) -> list[tuple[str, Note]]:
    """Every input that did not count, with its contest: protocols of a contest and round that
    did not take place, withdrawals with no second round to leave, resolutions with no tie."""
    found: list[tuple[str, str]] = []
    for contest_id, round_no in sorted(inputs.protocols.keys() - counted):
        rows = inputs.protocols[(contest_id, round_no)].num_rows
        said = Said(
            N_(
                "%(rows)s protocol(s) of contest %(contest)s, round %(round)s were entered, but "
                "that round did not take place under the law and the decisions taken: not "
                "counted"
            ),
            rows=rows,
            contest=contest_id,
            round=str(round_no),
        )
        found.append((contest_id, said))
    applied = {w for p in paths for w in p.withdrawals}
    found += [
        (
            w.contest_id,
            Said(
                N_(
                    "the withdrawal of %(candidate)s from %(contest)s was not applied: that "
                    "contest held no second round"
                ),
                candidate=w.candidate_id,
                contest=w.contest_id,
            ),
        )
        for w in inputs.withdrawals
        if w not in applied
    ]
    settled = {r for p in paths for r in p.resolutions}
    found += [
        (
            r.contest_id,
            Said(
                N_(
                    "the resolution naming %(winner)s in %(contest)s, round %(round)s was not "
                    "applied: no tie was left undecided there"
                ),
                winner=r.winner,
                contest=r.contest_id,
                round=str(r.round),
            ),
        )
        for r in inputs.resolutions
        if r not in settled
    ]
    return [(contest_id, Note("unused", text)) for contest_id, text in found]
