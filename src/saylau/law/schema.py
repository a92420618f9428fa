"""The law file schema: an electoral system as tiers of validated settings.

A law is data: every rule that differs between elections is a setting here, and
every section may cite, for each of its settings, where that rule comes from.
"""

from __future__ import annotations

from typing import ClassVar, Literal, Self, get_args

from pydantic import BaseModel, ConfigDict, Field, PositiveInt, field_validator, model_validator

from saylau.law.citing import citations as citations
from saylau.law.citing import sections as sections
from saylau.law.citing import uncited_settings as uncited_settings
from saylau.law.clauses import Admission as Admission
from saylau.law.clauses import CoalitionBar as CoalitionBar
from saylau.law.clauses import Condition as Condition
from saylau.law.clauses import MajorityBase as MajorityBase
from saylau.law.clauses import ThresholdBase as ThresholdBase
from saylau.law.clauses import alternatives, ascending, college_bases, validity_replaces
from saylau.law.form import ProtocolForm
from saylau.law.section import REFERENCE, Section
from saylau.law.share import Share
from saylau.limits import MAX_ENTRIES, MAX_SEATS

QuotaMethod = Literal["hare", "droop", "hagenbach-bischoff", "imperiali-quota"]
"""Largest remainder, by the quota that sets the whole seats."""
DivisorMethod = Literal[
    "dhondt",
    "sainte-lague",
    "modified-sainte-lague",
    "imperiali",
    "danish",
    "huntington-hill",
    "adams",
]
"""Highest averages, by the divisor sequence."""
MethodName = Literal[QuotaMethod, DivisorMethod]
"""Every allocation method, as written in law files, the CLI and JSON."""

QUOTA_METHODS: tuple[MethodName, ...] = get_args(QuotaMethod)
DIVISOR_METHODS: tuple[MethodName, ...] = get_args(DivisorMethod)

TieBreak = Literal["more_votes", "registration_order", "lot", "refuse"]
"""One step of a tie-break chain; `lot` and `refuse` settle every tie, so they come last."""

WinRule = Literal["plurality", "absolute_majority"]
SingleCandidate = Literal["runoff_rule", "uncontested", "elected", "failed"]
"""What a second round left with one candidate is: a vote under the runoff's rule or under
the uncontested conditions, a seat without a vote, or a failed voting."""


def tie_chain(chain: tuple[TieBreak, ...]) -> tuple[TieBreak, ...]:
    """A chain of tie-breaks as a law may write it: `lot` and `refuse` only last, none twice."""
    if not chain:
        raise ValueError("name at least one tie-break (for example ['lot'] or ['refuse'])")
    for step in chain[:-1]:
        if step in ("lot", "refuse"):
            raise ValueError(f"'{step}' settles every tie, so it can only be the last tie-break")
    if len(set(chain)) != len(chain):
        raise ValueError("a tie-break is named twice")
    return chain


class Threshold(Section):
    """A list qualifies with `share` of `base` (or more, when `inclusive`).

    A coalition's list needs `coalition_share` instead (by default `share`), or, where the
    law makes the bar grow with the number of members, the share of the last step of
    `coalition_by_members` whose `members` the coalition reaches.
    """

    share: Share
    base: ThresholdBase
    inclusive: bool = True
    coalition_share: Share | None = None
    coalition_by_members: tuple[CoalitionBar, ...] = ()

    _steps_ascend = field_validator("coalition_by_members")(ascending)


class TooFewQualify(Section):
    """What happens when fewer than `minimum_lists` lists pass the threshold (after any
    admission to a share of the votes, `list_tier.admission`)."""

    minimum_lists: PositiveInt = 1
    rule: Literal["not_specified", "admit_next", "allocate_anyway"] = "not_specified"
    admitted_weight: Share = Field(default=1, validate_default=True)


PreferenceRule = Literal["none", "reorder", "quota"]
"""How preference votes reorder a list: `none` (a closed list), `reorder` (every candidate
by preference votes) or `quota` (those over a share of the list's votes move to the top)."""


class Preferences(Section):
    """Open lists: how the preference votes for a list's candidates reorder it before its
    seats are filled.

    `none` keeps list order (a closed list). `reorder` ranks every candidate by preference
    votes, equal votes in list order. `quota` moves the candidates whose preference votes
    reach `quota` of their list's votes (at least it when `inclusive`, else more than it)
    to the top, in order of preference votes (equal votes in list order); the rest keep
    list order below them.
    """

    rule: PreferenceRule
    quota: Share | None = None
    inclusive: bool = True

    @model_validator(mode="after")
    def _quota_with_its_rule(self) -> Self:
        if self.rule == "quota" and self.quota is None:
            raise ValueError("rule 'quota' needs a quota: the share of the list's votes")
        loose = sorted({"quota", "inclusive"} & self.model_fields_set)
        if self.rule != "quota" and loose:
            raise ValueError(
                f"{', '.join(loose)} only applies with rule = 'quota', not '{self.rule}'"
            )
        return self


class ListTier(Section):
    """Party-list seats in one constituency."""

    seats: PositiveInt = Field(le=MAX_SEATS)
    constituency: str = "nation"
    threshold: Threshold | None = None
    method: MethodName
    tie_breaks: tuple[TieBreak, ...] = ("refuse",)
    too_few_qualify: TooFewQualify = Field(default_factory=TooFewQualify)
    admission: Admission | None = None
    max_list_length: PositiveInt | None = None
    against_all: Literal["in_base_only", "not_on_ballot"] = "in_base_only"
    percent_base: ThresholdBase | None = None
    """The base of the list percentages printed and exported; by default the threshold's."""
    preferences: Preferences | None = None
    """Open lists: how preference votes reorder each list; absent, the lists are closed."""

    _check_ties = field_validator("tie_breaks")(tie_chain)

    @model_validator(mode="after")
    def _admission_needs_a_threshold(self) -> Self:
        if self.threshold is None and self.admission is not None:
            raise ValueError(
                "[admission] admits lists below the threshold, and there is no threshold"
            )
        return self

    @property
    def share_base(self) -> ThresholdBase:
        """The base of the list percentages: `percent_base`, else the threshold's base."""
        if self.percent_base is not None:
            return self.percent_base
        return self.threshold.base if self.threshold is not None else "took_part"


class Runoff(Section):
    """The second round of a two-round district election."""

    candidates: int = Field(default=2, ge=2, le=MAX_ENTRIES)
    days_after: PositiveInt | None = None
    latest_days: PositiveInt | None = None
    place_tie: tuple[TieBreak, ...] = ("lot",)
    win: WinRule = "plurality"
    majority_base: MajorityBase = "took_part"
    tie: Literal["undecided", "lot", "refuse"] = "undecided"
    withdrawal: Literal["next_moves_up", "remaining_only"] = "next_moves_up"
    min_turnout: Share | None = None
    min_round1_candidates: int = Field(default=1, ge=1, le=MAX_ENTRIES)
    """A round 1 that elects no one goes to a runoff only where at least this many
    candidates stood in it; with fewer, the voting fails (the law calls new elections)."""
    tie_by_round1: bool = False
    """A tie for first in round 2 goes to the one with more votes in round 1; where those
    are equal too, `tie` applies."""
    single_candidate: SingleCandidate = "runoff_rule"
    """A second round left with one candidate (after a withdrawal, or where only one stood):
    `runoff_rule` holds it under the runoff's own rule, `uncontested` under the conditions of
    `district_tier.uncontested`; `elected` seats the candidate without a vote; `failed`
    ends the voting with no one elected."""
    replaced: ClassVar[dict[str, tuple[str, ...]]] = {"validity": ("win", "majority_base")}
    validity: tuple[Condition, ...] = ()
    """Alternative conditions for a valid second round, in place of `win` and
    `majority_base`: the first that applies decides; a tie for first follows `tie`."""

    _check_ties = field_validator("place_tie")(tie_chain)
    _check_validity = field_validator("validity")(alternatives)

    @model_validator(mode="after")
    def _validity_alone(self) -> Self:
        validity_replaces(self)
        return self

    @model_validator(mode="after")
    def _latest_day_after_the_first(self) -> Self:
        if (
            self.days_after is not None
            and self.latest_days is not None
            and self.latest_days < self.days_after
        ):
            raise ValueError(
                f"latest_days ({self.latest_days}) comes before days_after "
                f"({self.days_after}): the runoff's latest day cannot precede its first"
            )
        return self


class NewVoting(Section):
    """Voting held again after a district's result is declared invalid."""

    original_candidates_barred: bool = False
    validity: tuple[Condition, ...] = ()
    """Alternative conditions for a valid new voting, in place of the district tier's
    round-1 rule (its `win`, `majority_base` or `validity`)."""

    _check_validity = field_validator("validity")(alternatives)


class DistrictTier(Section):
    """Single-member districts, decided in one or two rounds."""

    seats: PositiveInt = Field(le=MAX_SEATS)
    rounds: Literal[1, 2] = 1
    win: WinRule = "plurality"
    majority_base: MajorityBase = "took_part"
    min_turnout: Share | None = None
    turnout_inclusive: bool = False
    tie: tuple[TieBreak, ...] = ("lot",)
    against_all_wins: Literal["no_effect", "new_voting"] = "no_effect"
    runoff: Runoff | None = None
    new_voting: NewVoting = Field(default_factory=NewVoting)
    failed: Literal["vacant", "repeat_election"] = "vacant"
    """What a district whose voting failed leads to (too low a turnout, too few candidates,
    a condition not met): `vacant` reports its seat vacant; `repeat_election` says a repeat
    election is due there, and takes the seat from it where the election directory holds
    one (a `repeat_election` contest that `replaces` the failed one; its candidates may be
    those who stood before)."""
    replaced: ClassVar[dict[str, tuple[str, ...]]] = {"validity": ("win", "majority_base")}
    validity: tuple[Condition, ...] = ()
    """Alternative conditions for a valid first round, in place of `win` and
    `majority_base`: the first that applies decides; where none elects, the runoff follows
    (rounds = 2) or the voting fails (rounds = 1)."""
    uncontested: tuple[Condition, ...] = ()
    """Alternative conditions for a round 1 (or new voting, or repeat election) with one
    candidate on the ballot, in place of the round's own rule; where none elects, the voting
    fails. A second round with one candidate follows them where `runoff.single_candidate` is
    `uncontested`."""

    _check_ties = field_validator("tie")(tie_chain)
    _check_validity = field_validator("validity", "uncontested")(alternatives)

    @field_validator("rounds", mode="before")
    @classmethod
    def _rounds_are_a_whole_number(cls, value: object) -> object:
        if type(value) is not int:
            raise ValueError(f"must be the whole number 1 or 2, not {value!r}")
        return value

    @model_validator(mode="after")
    def _rounds_match_runoff(self) -> Self:
        if self.rounds == 2 and self.runoff is None:
            raise ValueError("two rounds need a [runoff] section")
        if self.rounds == 1 and self.runoff is not None:
            raise ValueError("a [runoff] section needs rounds = 2")
        if self.rounds == 1 and self.win == "absolute_majority":
            raise ValueError("an absolute majority in one round needs rounds = 2 for the fallback")
        if self.runoff and self.runoff.single_candidate == "uncontested" and not self.uncontested:
            raise ValueError(
                "runoff.single_candidate = 'uncontested' holds a second round with one "
                "candidate under the conditions of district_tier.uncontested, and it has none: "
                "add [[district_tier.uncontested]] or choose runoff_rule, elected or failed"
            )
        validity_replaces(self)
        return self


class IndirectTier(Section):
    """Seats elected by an electoral college (for example, regional assemblies)."""

    seats_elected: PositiveInt = Field(le=MAX_SEATS)
    seats_contested: PositiveInt = Field(le=MAX_SEATS)
    seats_per_territory: PositiveInt = 1
    electors: str
    quorum: Share
    quorum_inclusive: bool = False
    win_share: Share | None = None
    win_inclusive: bool = False
    win_base: Literal["took_part", "electors"] = "took_part"
    second_round_candidates: int = Field(default=2, ge=2, le=MAX_ENTRIES)
    second_round_place_tie: tuple[TieBreak, ...] = ("lot",)
    second_round_min_share: Share | None = None
    tie: Literal["undecided", "lot", "refuse"] = "undecided"
    replaced: ClassVar[dict[str, tuple[str, ...]]] = {
        "validity": ("win_share", "win_base", "win_inclusive"),
        "second_round_validity": ("second_round_min_share",),
    }
    validity: tuple[Condition, ...] = ()
    """Alternative conditions for a valid first round, in place of `win_share`, `win_base`
    and `win_inclusive`. The turnout is those who took part of the electors; a base is
    `took_part`, `registered` (the electors) or `candidate_votes`."""
    second_round_validity: tuple[Condition, ...] = ()
    """Alternative conditions for a valid second round, in place of
    `second_round_min_share`; where none elects, the voting fails."""

    _check_ties = field_validator("second_round_place_tie")(tie_chain)
    _check_validity = field_validator("validity", "second_round_validity")(alternatives)

    @model_validator(mode="after")
    def _one_rule_a_round(self) -> Self:
        if self.win_share is None and not self.validity:
            raise ValueError("the first round needs a rule: set win_share, or validity")
        validity_replaces(self)
        college_bases(*self.validity, *self.second_round_validity)
        return self

    @model_validator(mode="after")
    def _contested_within_elected(self) -> Self:
        if self.seats_contested > self.seats_elected:
            raise ValueError("seats_contested cannot exceed seats_elected")
        return self


class Law(BaseModel):
    """One chamber's electoral law."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    name: str
    country: str
    chamber: str
    year: int
    seats_total: PositiveInt = Field(le=MAX_SEATS)
    majority: PositiveInt
    appointed_seats: int = Field(default=0, ge=0)
    protocol: ProtocolForm | None = None
    list_tier: ListTier | None = None
    district_tier: DistrictTier | None = None
    indirect_tier: IndirectTier | None = None
    references: dict[str, str] = Field(default_factory=dict)
    sources: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _seats_add_up(self) -> Self:
        tiers = [
            self.list_tier.seats if self.list_tier else 0,
            self.district_tier.seats if self.district_tier else 0,
            self.indirect_tier.seats_elected if self.indirect_tier else 0,
            self.appointed_seats,
        ]
        if sum(tiers) != self.seats_total:
            raise ValueError(
                f"seats_total is {self.seats_total}, but the tiers and appointed seats "
                f"add up to {sum(tiers)}"
            )
        if self.majority != self.seats_total // 2 + 1:
            raise ValueError(
                f"majority is {self.majority}, but more than half of {self.seats_total} "
                f"is {self.seats_total // 2 + 1}"
            )
        if not (self.list_tier or self.district_tier or self.indirect_tier):
            raise ValueError("a law needs at least one tier")
        if (self.list_tier or self.district_tier) and self.protocol is None:
            raise ValueError(
                "a law with a list or district tier needs a [protocol] section naming the "
                "control relations of its protocol form (relations = [] for none)"
            )
        return self

    @model_validator(mode="after")
    def _citations_name_references(self) -> Self:
        for name in self.sources:
            if name not in type(self).model_fields:
                raise ValueError(f"sources names '{name}', which is not a setting of the law")
        for path, citation in citations(self).items():
            for ref in REFERENCE.findall(citation):
                if ref not in self.references:
                    raise ValueError(f"the source of {path} cites {ref}, which [references] lacks")
        return self
