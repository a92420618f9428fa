"""The election calendar: registration, the college vote, round 1, runoffs, new voting, final.

Each stage is decided by the rule core from tabulated protocols, and records what it
decided and why. 1999: the Senate on 17 Sep, the Majilis on 10 Oct with runoffs on
24 Oct, then new voting where the Central Election Commission invalidated a result
(data/kz-1999/calendar.csv; [V seed, S8]).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from saylau.errors import InputError
from saylau.inputs import ElectionInputs, Note
from saylau.law.schema import Law
from saylau.registry.election import Chamber, Election
from saylau.registry.model import Contest
from saylau.results import (
    ChamberResult,
    ContestDecision,
    ElectionResult,
    LawRef,
    ListDecision,
    StageRecord,
)
from saylau.rules.decision import CandidateId, Elected
from saylau.rules.district import RunoffNeeded
from saylau.said import N_, Name, Said, joined
from saylau.stages.accounting import seats_summary
from saylau.stages.college import decide_college
from saylau.stages.counting import CountCache, Counting
from saylau.stages.districts import ContestPath, decide_rounds
from saylau.stages.final import compose
from saylau.stages.labels import (
    compare_published,
    compared_figures,
    generated_figures,
    law_changes,
    seat_differences,
    unfound_ballots,
    unused_inputs,
    with_published_seats,
)
from saylau.stages.lists import decide_list, undecided
from saylau.stages.preferences import preference_totals, unused_preferences
from saylau.stages.registration import register
from saylau.stages.repeat import Repeats, repeat_stage
from saylau.stages.station_index import indexing
from saylau.tabulate.totals import LineTotals, sum_totals

Progress = Callable[[str, int, int], None]
"""Called as each stage starts: its label, stages done, stages in all."""

STAGES = ("registration", "college", "round1", "runoffs", "new_voting", "repeat_elections", "final")


@dataclass
class _Chamber:
    """One chamber's decisions as the calendar moves on."""

    chamber: Chamber
    law: Law
    lists: list[ListDecision] = field(default_factory=list)
    undecided: dict[str, str] = field(default_factory=dict)
    """Why each list contest that could not be decided was not."""
    originals: list[ContestPath] = field(default_factory=list)
    replaced: dict[str, ContestPath] = field(default_factory=dict)
    colleges: list[ContestPath] = field(default_factory=list)
    repeats: Repeats = field(default_factory=Repeats)


def run_calendar(
    inputs: ElectionInputs,
    laws: Mapping[str, Law],
    progress: Progress | None = None,
    *,
    refs: Mapping[str, LawRef] | None = None,
    own: Mapping[str, Law] | None = None,
    counts: CountCache | None = None,
) -> ElectionResult:
    """Carry an election through its calendar under `laws` (one per chamber id).

    `refs` name each law's file for the result; `own` are the laws the election was held
    under, where `laws` replace some of them: the run is then a counterfactual, and says so.
    `counts` shares the checked and tabulated protocols between runs over the same inputs.
    """
    election = inputs.election
    step, status = _stepper(progress)
    missing = [c.chamber_id for c in election.chambers if c.chamber_id not in laws]
    if missing:
        raise InputError(f"no law given for chamber(s) {', '.join(missing)}")
    unknown = sorted({c for c, _ in inputs.protocols} - election.contest_by_id.keys())
    if unknown:
        raise InputError(f"protocols entered for unregistered contest(s) {', '.join(unknown)}")
    step("registration")
    index = indexing(inputs)  # the registry's and the list contests' station ids, hashed once
    counting = Counting(inputs, laws, counts, status=status, index=index)
    counting.start(_list_contests(election, laws), 1)  # beside registration, for round 1
    stages = [register(inputs, laws, election.dates.get("registration"), own=own, index=index)]
    chambers = [_Chamber(c, laws[c.chamber_id]) for c in election.chambers]
    for label, stage in (
        ("college", _college_stage),
        ("round 1", _round1_stage),
        ("runoffs", _runoff_stage),
        ("new voting", _new_voting_stage),
        ("repeat elections", _repeat_stage),
    ):
        step(label)
        for ch in chambers:
            record = stage(ch, counting)
            if record is not None:
                stages.append(record)

    step("final")
    known = refs or {}
    results = [_compose(election, ch, inputs, known.get(ch.chamber.chamber_id)) for ch in chambers]
    published = inputs.published
    changed = law_changes(laws, own or laws, {k: r.sha256 for k, r in known.items()})
    results = [
        replace(
            with_published_seats(r, published),
            generated_figures=generated_figures(r, published, inputs.generated),
            compared=compared_figures(r, published),
        )
        for r in results
    ]
    paths = [p for ch in chambers for p in (*ch.originals, *ch.replaced.values(), *ch.colleges)]
    paths += [p for ch in chambers for p in ch.repeats.paths]
    unused = unused_inputs(inputs, counting.counted, paths)
    unused += unused_preferences(inputs, laws)
    unused += [(c, Note("missing", text)) for c, text in counting.missing_notes()]
    for result in results:
        mine = tuple(n.text for c, n in unused if _chamber_of(election, c) == result.chamber_id)
        summary = _final_summary(result)
        stages.append(StageRecord("final", result.chamber_id, None, summary, notes=mine))
    all_notes: list[Note] = list(inputs.notes)
    all_notes += compare_published(results, published)
    for result in results:
        all_notes += unfound_ballots(result)
    all_notes += [note for _, note in unused]
    counterfactual = [*changed.values()]
    differing = seat_differences(results, published)
    if differing:
        counterfactual.append("its seats differ from the published ones: " + "; ".join(differing))
    return ElectionResult(
        election.election_id,
        election.name,
        tuple(results),
        tuple(stages),
        counting.reviews("rejected"),
        counting.reviews("flagged"),
        tuple(all_notes),
        inputs.generated,
        inputs.seed,
        tuple(counterfactual),
    )


def _college_stage(ch: _Chamber, counting: Counting) -> StageRecord | None:
    """Each college seat in its joint session [V S22]."""
    tier, election = ch.law.indirect_tier, counting.inputs.election
    if tier is None:
        return None
    chamber_id = ch.chamber.chamber_id
    contests = election.contests_of(chamber_id, "college")
    ch.colleges = [decide_college(counting.inputs, c, tier) for c in contests]
    decisions = tuple(d for p in ch.colleges for d in p.decisions)
    summary = _college_summary(ch.chamber, ch.colleges)
    return StageRecord("college", chamber_id, election.dates.get(chamber_id), summary, decisions)


def _list_contests(election: Election, laws: Mapping[str, Law]) -> list[Contest]:
    """The list contests that round 1 counts: those of every chamber with a list tier."""
    return [
        contest
        for chamber in election.chambers
        if laws[chamber.chamber_id].list_tier is not None
        for contest in election.contests_of(chamber.chamber_id, "list")
    ]


def _round1_stage(ch: _Chamber, counting: Counting) -> StageRecord | None:
    """The list tier's seats, and every district's first round (up to an invalidation)."""
    inputs, chamber_id = counting.inputs, ch.chamber.chamber_id
    election = inputs.election
    if ch.law.list_tier is not None:
        for contest in election.contests_of(chamber_id, "list"):
            counted = counting.count(contest, 1)
            why = undecided(contest.contest_id, counted)
            if counted is not None and why is None:
                preferences = preference_totals(inputs, counted)
                lists = ch.law.list_tier
                ch.lists.append(decide_list(election, lists, counted, inputs.seed, preferences))
            elif why is not None:
                ch.undecided[contest.contest_id] = why
    tier = ch.law.district_tier
    if tier is not None:
        cut = {i.contest_id: i.round for i in inputs.invalidations}
        for contest in election.contests_of(chamber_id, "district"):
            last = min(cut.get(contest.contest_id, tier.rounds), tier.rounds)
            ch.originals.append(decide_rounds(counting, contest, tier, last_round=last))
    if not ch.lists and not ch.originals and not ch.undecided:
        return None
    firsts = tuple(p.decisions[0] for p in ch.originals if p.decisions)
    summary = _round1_summary(ch.lists, firsts, ch.undecided)
    date = election.dates.get("round1")
    return StageRecord("round1", chamber_id, date, summary, firsts, tuple(ch.lists))


def _runoff_stage(ch: _Chamber, counting: Counting) -> StageRecord | None:
    """The second rounds decided with the first (saylau.stages.districts)."""
    seconds = tuple(d for p in ch.originals for d in p.decisions[1:])
    if not seconds:
        return None
    voted = sum(d.count is not None for d in seconds)
    elected = sum(isinstance(d.decision, Elected) for d in seconds if d.count is not None)
    summary = Said(N_("%(count)s second rounds: %(elected)s elected"), count=voted, elected=elected)
    if voted < len(seconds):  # left with one candidate (runoff.single_candidate)
        unvoted = Said(N_("%(count)s settled without a vote"), count=len(seconds) - voted)
        summary = joined([summary, unvoted])
    date = counting.inputs.election.dates.get("round2")
    return StageRecord("runoffs", ch.chamber.chamber_id, date, summary, seconds)


def _new_voting_stage(ch: _Chamber, counting: Counting) -> StageRecord | None:
    """A new voting replaces each invalidated result, without its candidates [V seed, S8]."""
    tier, election = ch.law.district_tier, counting.inputs.election
    if tier is None:
        return None
    invalidated = {i.contest_id: i for i in counting.inputs.invalidations}
    notes: list[str] = []
    for path in ch.originals:
        cancel = invalidated.get(path.contest_id)
        if cancel is None:
            continue
        notes.append(
            Said(
                N_("%(contest)s round %(round)s invalidated: %(reason)s"),
                contest=cancel.contest_id,
                round=cancel.round,
                reason=cancel.reason,
            )
        )
        new = election.contest_by_id.get(cancel.new_contest_id)
        if new is None:
            raise InputError(
                f"{cancel.contest_id}: new voting {cancel.new_contest_id} is not registered"
            )
        barred = tuple(CandidateId(c.candidate_id) for c in election.candidates_in(path.contest_id))
        ch.replaced[path.contest_id] = decide_rounds(
            counting, new, tier, original=barred, last_round=tier.rounds
        )
    if not ch.replaced:
        return None
    decisions = tuple(d for p in ch.replaced.values() for d in p.decisions)
    elected = sum(isinstance(p.final, Elected) for p in ch.replaced.values())
    summary = Said(
        N_("%(count)s new votings after invalidated results: %(elected)s elected"),
        count=len(ch.replaced),
        elected=elected,
    )
    date = election.dates.get("new_voting")
    return StageRecord(
        "new_voting", ch.chamber.chamber_id, date, summary, decisions, notes=tuple(notes)
    )


def _repeat_stage(ch: _Chamber, counting: Counting) -> StageRecord | None:
    """A repeat election where a district failed and the law calls one (stages/repeat.py)."""
    finals = [ch.replaced.get(path.contest_id, path) for path in ch.originals]
    ch.repeats, record = repeat_stage(counting, ch.chamber.chamber_id, ch.law, finals)
    return record


def _compose(
    election: Election, ch: _Chamber, inputs: ElectionInputs, ref: LawRef | None
) -> ChamberResult:
    finals = [ch.replaced.get(p.contest_id, p) for p in ch.originals]
    finals = [ch.repeats.final.get(p.contest_id, p) for p in finals]
    cut_at_one = {i.contest_id for i in inputs.invalidations if i.round == 1}
    national = ch.lists[0].count if ch.lists else None
    if national is None and ch.originals and not ch.undecided:  # the list ballot's, or none
        national = _sum_counts([p.decisions[0] for p in ch.originals if p.decisions])
    return compose(
        election,
        ch.chamber,
        ch.law,
        lists=ch.lists,
        districts=finals,
        colleges=ch.colleges,
        national=national,
        decided_round1=sum(
            isinstance(p.decisions[0].decision, Elected) and p.contest_id not in cut_at_one
            for p in ch.originals
            if p.decisions
        ),
        runoffs=sum(  # as the runoff stage counts: the second rounds voted
            any(d.count is not None for d in p.decisions[1:]) for p in ch.originals
        ),
        new_voting=len(ch.replaced),
        published=inputs.published,
        undecided=ch.undecided,
        runoff=_sum_counts([d for p in ch.originals for d in p.decisions[1:]]),
        repeat_due=ch.repeats.due,
        law_ref=ref,
    )


def _chamber_of(election: Election, contest_id: str) -> str | None:
    contest = election.contest_by_id.get(contest_id)
    return contest.chamber if contest is not None else None


def _sum_counts(decisions: Sequence[ContestDecision]) -> LineTotals | None:
    """Several contests' counts added up; None when none was counted."""
    counts = [d.count for d in decisions if d.count is not None]
    return sum_totals(counts, ()) if counts else None


def _stepper(progress: Progress | None) -> tuple[Callable[[str], None], Callable[[str], None]]:
    """`step(label)` as each stage starts, and `status(text)` for the work within it."""
    done = 0
    stage = ""

    def step(label: str) -> None:
        nonlocal done, stage
        stage = label
        if progress is not None:
            progress(label, done, len(STAGES))
        done += 1

    def status(text: str) -> None:
        if progress is not None:
            progress(f"{stage}: {text}", done - 1, len(STAGES))

    return step, status


def _college_summary(chamber: Chamber, paths: Sequence[ContestPath]) -> str:
    elected = [p for p in paths if isinstance(p.final, Elected)]
    later = sum(len(p.decisions) > 1 for p in elected)
    return Said(
        N_(
            "%(chamber)s: %(contested)s seats contested, %(elected)s elected "
            "(%(round1)s in round 1, %(round2)s in round 2)"
        ),
        chamber=Name(chamber.name, "chamber", chamber.chamber_id),
        contested=len(paths),
        elected=len(elected),
        round1=len(elected) - later,
        round2=later,
    )


def _round1_summary(
    lists: Sequence[ListDecision],
    firsts: Sequence[ContestDecision],
    undecided: Mapping[str, str],
) -> str:
    parts = [Said(N_("list tier not decided: %(why)s"), why=why) for why in undecided.values()]
    for decision in lists:
        won = tuple(
            Said(N_("%(party)s: %(seats)s"), party=Name(p, "party"), seats=n)
            for p, n in sorted(decision.allocation.seats.items())
            if n
        )
        seats = decision.allocation.seats_total
        parts.append(Said(N_("list tier, %(seats)s seats: %(won)s"), seats=seats, won=won))
    if firsts:
        parts.append(
            Said(
                N_("%(count)s districts: %(elected)s elected, %(runoffs)s to a second round"),
                count=len(firsts),
                elected=sum(isinstance(d.decision, Elected) for d in firsts),
                runoffs=sum(isinstance(d.decision, RunoffNeeded) for d in firsts),
            )
        )
    return joined(parts)


def _final_summary(result: ChamberResult) -> str:
    return seats_summary(
        Name(result.name, "chamber", result.chamber_id),
        result.seats_total,
        result.majority,
        result.seats_filled,
        result.seats_vacant,
        result.seats_not_in_data,
        result.seats_contested,
        result.seats_not_decided,
    )
