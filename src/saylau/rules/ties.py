"""Ties: broken by the chain of rules the law names, by a recorded lot, or refused.

A lot is reproducible: the order drawn depends only on the seed, the context of
the draw (for example `seat 7`) and the set of tied names, so anyone holding the
seed can draw it again with `redraw`.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from saylau.errors import TieUnresolved
from saylau.law.schema import TieBreak
from saylau.said import N_, Said


@dataclass(frozen=True)
class Contender:
    """One of the tied: a list or a candidate, with what the tie-breaks may look at."""

    id: str
    votes: int
    registration_order: int | None = None


@dataclass(frozen=True)
class Lot:
    """A recorded draw: the tied names in sorted order, and the order drawn."""

    seed: int
    context: str
    among: tuple[str, ...]
    order: tuple[str, ...]


@dataclass(frozen=True)
class TieResolution:
    """How a tie was settled: who was tied, for how many places, who won, by which rule."""

    context: str
    among: tuple[str, ...]
    places: int
    winners: tuple[str, ...]
    rule: TieBreak
    lot: Lot | None = None

    def describe(self) -> Said:
        """One line for a report."""
        how = {
            "more_votes": Said(N_("the one with more votes wins")),
            "registration_order": Said(N_("the one registered earlier wins")),
            "lot": Said(N_("drawn by lot (seed %(seed)s)"), seed=str(self.lot.seed))
            if self.lot
            else Said(N_("drawn by lot")),
            "refuse": Said(N_("refused")),
        }[self.rule]
        return Said(
            N_("%(context)s: %(among)s tied for %(places)s place(s); %(how)s: %(winners)s"),
            context=self.context,
            among=self.among,
            places=self.places,
            how=how,
            winners=self.winners,
        )


def draw_lot(seed: int, context: str, among: Sequence[str]) -> Lot:
    """Draw an order of `among` from the seed; the input order does not matter."""
    names = sorted(among)
    rng = random.Random(f"saylau-lot:{seed}:{context}:{'|'.join(names)}")
    order = list(names)
    rng.shuffle(order)
    return Lot(seed=seed, context=context, among=tuple(names), order=tuple(order))


def redraw(lot: Lot) -> bool:
    """Whether a recorded lot is what its seed draws."""
    return draw_lot(lot.seed, lot.context, lot.among) == lot


def break_tie(
    tied: Sequence[Contender],
    places: int,
    chain: Sequence[TieBreak],
    *,
    context: str,
    seed: int | None = None,
) -> TieResolution:
    """Choose `places` winners among `tied` by the first rule of `chain` that separates them.

    Rules that only partly separate the tied narrow the tie for the next rule.
    Raises TieUnresolved when the chain ends, names `refuse`, or needs what is missing.
    """
    if not 0 < places < len(tied):
        raise ValueError(f"a tie needs fewer places ({places}) than tied ({len(tied)})")
    among = tuple(sorted(c.id for c in tied))
    winners: list[str] = []
    remaining = sorted(tied, key=lambda c: c.id)
    open_places = places
    for rule in chain:
        if rule == "refuse":
            break
        if rule == "lot":
            if seed is None:
                raise TieUnresolved(
                    f"{context}: {', '.join(c.id for c in remaining)} are tied and the law "
                    f"calls for a lot, but no seed was given"
                )
            lot = draw_lot(seed, context, [c.id for c in remaining])
            winners.extend(lot.order[:open_places])
            return TieResolution(context, among, places, tuple(winners), "lot", lot)
        key = _rule_key(rule, remaining, context)
        sure, remaining, open_places = _narrow(remaining, open_places, key)
        winners.extend(c.id for c in sure)
        if open_places == 0:
            return TieResolution(context, among, places, tuple(winners), rule)
    raise TieUnresolved(
        f"{context}: {', '.join(c.id for c in remaining)} are tied for {open_places} place(s) "
        f"and the law's tie-breaks ({', '.join(chain)}) do not settle it"
    )


def _rule_key(
    rule: TieBreak, contenders: Sequence[Contender], context: str
) -> Callable[[Contender], int]:
    if rule == "more_votes":
        return lambda c: c.votes
    unordered = [c.id for c in contenders if c.registration_order is None]
    if unordered:
        raise TieUnresolved(
            f"{context}: {', '.join(c.id for c in contenders)} are tied and the law gives the "
            f"place to the one registered earlier, but no registration order is given for "
            f"{', '.join(unordered)}"
        )
    return lambda c: -(c.registration_order or 0)


def _narrow(
    contenders: Sequence[Contender], places: int, key: Callable[[Contender], int]
) -> tuple[list[Contender], list[Contender], int]:
    """Split into those surely in, those still tied at the cut, and the places left to them."""
    ranked = sorted(contenders, key=key, reverse=True)
    cut = key(ranked[places - 1])
    sure = [c for c in ranked if key(c) > cut]
    still = [c for c in ranked if key(c) == cut]
    open_places = places - len(sure)
    if open_places == len(still):
        return sure + still, [], 0
    return sure, still, open_places
