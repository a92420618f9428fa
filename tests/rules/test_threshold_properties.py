"""The threshold's coalition bars and the admission of further lists, checked with hypothesis
against plain reference implementations written from the laws' words.

- A coalition's bar: `coalition_share` (else `share`), or, where the law makes it grow with
  the members, the share of the last step whose number of members the coalition reaches.
- Admission to a minimum share: while the admitted lists hold less than the share of the
  base, the list with the most votes not yet admitted is admitted too (equal votes: the one
  registered first); then, with too few lists, the next are admitted to make the minimum.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from saylau.errors import InputError
from saylau.law.schema import Admission, CoalitionBar, ListTier, Threshold, TooFewQualify
from saylau.rules.allocation import ListEntry, PartyId
from saylau.rules.apportion import allocate
from saylau.rules.threshold import Bases, qualify

shares = st.fractions(min_value=0, max_value=Fraction(1, 3), max_denominator=200)


@st.composite
def ballots(draw: st.DrawFn) -> tuple[list[ListEntry], int]:
    """Up to 8 lists, some coalitions with 2 to 6 members, and the voters who took part."""
    size = draw(st.integers(min_value=1, max_value=8))
    entries = []
    for i in range(size):
        coalition = draw(st.booleans())
        entries.append(
            ListEntry(
                PartyId(f"p{i}"),
                draw(st.integers(min_value=0, max_value=5_000)),
                "coalition" if coalition else "party",
                registration_order=i + 1,
                members=draw(st.integers(min_value=2, max_value=6)) if coalition else None,
            )
        )
    took_part = sum(e.votes for e in entries) + draw(st.integers(min_value=0, max_value=3_000))
    return entries, took_part


@st.composite
def steps(draw: st.DrawFn) -> tuple[CoalitionBar, ...]:
    counts = sorted(draw(st.sets(st.integers(min_value=2, max_value=6), max_size=4)))
    return tuple(CoalitionBar(members=n, share=draw(shares)) for n in counts)


def reference_bar(
    entry: ListEntry, share: Fraction, coalition: Fraction | None, bars: tuple[CoalitionBar, ...]
) -> Fraction:
    if entry.kind == "party":
        return share
    bar = share if coalition is None else coalition
    for step in bars:
        if entry.members is not None and entry.members >= step.members:
            bar = step.share
    return bar


@given(
    ballot=ballots(),
    share=shares,
    coalition=st.none() | shares,
    bars=steps(),
    inclusive=st.booleans(),
)
def test_each_list_meets_its_own_bar(
    ballot: tuple[list[ListEntry], int],
    share: Fraction,
    coalition: Fraction | None,
    bars: tuple[CoalitionBar, ...],
    inclusive: bool,
) -> None:
    entries, took_part = ballot
    threshold = Threshold(
        share=share,
        base="took_part",
        inclusive=inclusive,
        coalition_share=coalition,
        coalition_by_members=bars,
    )
    outcome = qualify(
        entries, threshold, Bases(took_part=took_part), TooFewQualify(rule="allocate_anyway"), ()
    )
    for entry, row in zip(entries, outcome.qualification, strict=True):
        bar = reference_bar(entry, share, coalition, bars)
        votes = Fraction(entry.votes)
        expected = votes >= bar * took_part if inclusive else votes > bar * took_part
        assert row.qualified is expected, (entry, row.reason)
        if entry.kind == "coalition":
            assert "coalition threshold" in row.reason


def test_a_growing_bar_needs_the_number_of_members() -> None:
    threshold = Threshold(
        share="5%", base="took_part", coalition_by_members=[{"members": 2, "share": "8%"}]
    )
    entries = [ListEntry(PartyId("bloc"), 100, "coalition")]
    with pytest.raises(InputError, match="list bloc: the coalition threshold grows"):
        qualify(entries, threshold, Bases(took_part=1_000), TooFewQualify(), ())


@pytest.mark.parametrize(
    "bars",
    [
        [{"members": 3, "share": "8%"}, {"members": 2, "share": "10%"}],
        [{"members": 2, "share": "8%"}, {"members": 2, "share": "10%"}],
        [{"members": 1, "share": "8%"}],
        [{"members": 2, "share": 0.08}],
    ],
)
def test_coalition_steps_are_validated(bars: list[dict[str, object]]) -> None:
    with pytest.raises(ValidationError):
        Threshold(share="5%", base="took_part", coalition_by_members=bars)


def reference_admission(
    entries: list[ListEntry],
    took_part: int,
    share: Fraction,
    minimum_share: Fraction,
    minimum_lists: int,
) -> set[str]:
    """The lists admitted: over the threshold, then in order of votes (the one registered
    first among equal votes) while the admitted hold less than `minimum_share` of those who
    took part, then the next to make `minimum_lists` (rule admit_next)."""
    admitted = {e.party_id for e in entries if e.votes >= share * took_part}
    waiting = sorted(
        (e for e in entries if e.party_id not in admitted and e.votes > 0),
        key=lambda e: (-e.votes, e.registration_order),
    )
    held = sum(e.votes for e in entries if e.party_id in admitted)
    while held < minimum_share * took_part and waiting:
        nxt = waiting.pop(0)
        admitted.add(nxt.party_id)
        held += nxt.votes
    while len(admitted) < minimum_lists and waiting:
        admitted.add(waiting.pop(0).party_id)
    return admitted


@given(
    ballot=ballots(),
    share=shares,
    minimum_share=st.fractions(min_value=0, max_value=1, max_denominator=100),
    minimum_lists=st.integers(min_value=1, max_value=4),
)
def test_lists_are_admitted_until_they_hold_the_share(
    ballot: tuple[list[ListEntry], int],
    share: Fraction,
    minimum_share: Fraction,
    minimum_lists: int,
) -> None:
    entries = [
        ListEntry(e.party_id, e.votes, registration_order=e.registration_order) for e in ballot[0]
    ]
    took_part = ballot[1]
    rule = TooFewQualify(minimum_lists=minimum_lists, rule="admit_next")
    threshold = Threshold(share=share, base="took_part")
    ties = ("more_votes", "registration_order")
    admission = Admission(share=minimum_share)
    outcome = qualify(entries, threshold, Bases(took_part=took_part), rule, ties, 1, admission)
    admitted = {q.party_id for q in outcome.qualification if q.qualified}
    assert admitted == reference_admission(entries, took_part, share, minimum_share, minimum_lists)


def test_admission_changes_the_seats_and_says_why() -> None:
    votes = {"a": 280, "b": 180, "c": 150, "d": 130, "e": 60}
    threshold = Threshold(share="20%", base="list_votes")
    without = allocate(votes, 10, "hare", threshold, tie_breaks=("registration_order",))
    with_share = allocate(
        votes,
        10,
        "hare",
        threshold,
        tie_breaks=("registration_order",),
        admission=Admission(share="60%"),
    )
    assert without.seats == {"a": 6, "b": 4, "c": 0, "d": 0, "e": 0}
    assert with_share.seats == {"a": 5, "b": 3, "c": 2, "d": 0, "e": 0}
    (row,) = [q for q in with_share.qualification if q.party_id == "c"]
    assert row.reason == (
        "admitted below the threshold (18.75% of list_votes < 20%): the lists admitted "
        "before it held 57.50% of list_votes, not at least 60% (list_tier.admission)"
    )


def test_admission_is_validated() -> None:
    with pytest.raises(ValidationError, match="float"):
        Admission(share=0.6)
    with pytest.raises(ValidationError, match="there is no threshold"):
        ListTier(seats=5, method="hare", admission={"share": "60%"})
    with pytest.raises(InputError, match="needs a threshold"):
        allocate({"a": 1}, 1, "hare", admission=Admission(share="60%"))
