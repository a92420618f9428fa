"""The explanation of an allocation as plain text, read from its trace (nothing is recomputed)."""

from __future__ import annotations

from fractions import Fraction

from saylau.law.share import format_share
from saylau.rules.allocation import Allocation

METHOD_NAMES = {
    "hare": "largest remainder, Hare quota",
    "droop": "largest remainder, Droop quota",
    "hagenbach-bischoff": "largest remainder, Hagenbach-Bischoff quota",
    "imperiali-quota": "largest remainder, Imperiali quota",
    "dhondt": "highest averages, D'Hondt divisors",
    "sainte-lague": "highest averages, Sainte-Laguë divisors",
    "modified-sainte-lague": "highest averages, modified Sainte-Laguë divisors",
    "imperiali": "highest averages, Imperiali divisors",
    "danish": "highest averages, Danish divisors",
    "huntington-hill": "highest averages, Huntington-Hill divisors",
    "adams": "highest averages, Adams divisors",
}


def number(value: Fraction | int, places: int = 4) -> str:
    """Exact integers as they are; other fractions rounded, for display only."""
    value = Fraction(value)
    if value.denominator == 1:
        return f"{value.numerator:,}"
    return f"{float(value):,.{places}f}".rstrip("0").rstrip(".")


def explain_allocation(allocation: Allocation) -> str:
    """Who qualified and why, the quota or the divisors, the order of seats, ties and notes."""
    lines = [f"{allocation.seats_total} seats by {METHOD_NAMES[allocation.method]}."]
    lines += _threshold_lines(allocation)
    if allocation.quota is not None:
        q = allocation.quota
        lines.append(
            f"{q.quota_name} quota {q.formula} with V = {number(q.votes_total)} qualifying "
            f"votes and S = {allocation.seats_total} seats: {number(q.quota)}"
        )
        for row in sorted(q.rows, key=lambda r: (-r.votes, r.party_id)):
            extra = " + 1 by remainder" if row.remainder_seat else ""
            lines.append(
                f"  {row.party_id}: {number(row.votes)} / quota = {number(row.quotient)}: "
                f"{row.whole_seats} whole, remainder {number(row.remainder)}{extra} "
                f"-> {row.seats}"
            )
    if allocation.divisor is not None:
        lines.append(f"Divisors: {', '.join(allocation.divisor.divisors)}, ...")
    if allocation.awards:
        lines.append("Seats in the order given:")
        for award in allocation.awards:
            if award.reason == "quotient" and award.quotient is not None:
                why = f"quotient {award.quotient.display()} (divisor {award.quotient.divisor})"
            elif award.reason == "remainder" and award.remainder is not None:
                why = f"remainder {number(award.remainder)}"
            else:
                why = "whole quota"
            lines.append(f"  {award.seat:>3}. {award.party_id} - {why}")
    if allocation.divisor is not None:
        nexts = ", ".join(
            f"{party} {q.display()}"
            for party, q in sorted(allocation.divisor.next_quotients, key=lambda n: n[0])
        )
        lines.append(f"Next quotients, none of which won a seat: {nexts}")
    lines += [f"Tie: {tie.describe()}" for tie in allocation.ties]
    lines += [f"Note: {note}" for note in allocation.notes]
    ranked = sorted(allocation.seats.items(), key=lambda item: (-item[1], item[0]))
    won = ", ".join(f"{party} {seats}" for party, seats in ranked)
    lines.append(f"Result: {won}")
    return "\n".join(lines)


def _threshold_lines(allocation: Allocation) -> list[str]:
    test = allocation.threshold
    if test is None:
        return ["No threshold: every list takes part."]
    sign = ">=" if test.inclusive else ">"
    lines = [
        f"Threshold: {sign} {format_share(test.share)} of {test.base} "
        f"{test.base_value:,} = {number(test.bar('party'), 2)} votes"
    ]
    for least, share in test.coalition_steps:
        lines.append(
            f"Coalition threshold, {least} members or more: {sign} {format_share(share)} = "
            f"{number(share * test.base_value, 2)} votes"
        )
    if test.coalition_share != test.share and not test.coalition_steps:
        lines.append(
            f"Coalition threshold: {sign} {format_share(test.coalition_share)} = "
            f"{number(test.bar('coalition'), 2)} votes"
        )
    for q in sorted(allocation.qualification, key=lambda q: (-q.votes, q.party_id)):
        verdict = "qualifies" if q.qualified else "does not qualify"
        lines.append(f"  {q.party_id}: {q.votes:,} votes, {q.reason}: {verdict}")
    return lines
