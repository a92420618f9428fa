"""The explanation of an allocation as plain text, read from its trace (nothing is recomputed).

Each line is a `Said` (saylau.said): the English text, which the command line and the JSON
show, with its template and facts, so that the report can say it in its language."""

from __future__ import annotations

from fractions import Fraction

from saylau.law.share import format_share
from saylau.rules.allocation import Allocation
from saylau.said import N_, Figure, Name, Param, Said

METHOD_NAMES = {
    "hare": N_("largest remainder, Hare quota"),
    "droop": N_("largest remainder, Droop quota"),
    "hagenbach-bischoff": N_("largest remainder, Hagenbach-Bischoff quota"),
    "imperiali-quota": N_("largest remainder, Imperiali quota"),
    "dhondt": N_("highest averages, D'Hondt divisors"),
    "sainte-lague": N_("highest averages, Sainte-Laguë divisors"),
    "modified-sainte-lague": N_("highest averages, modified Sainte-Laguë divisors"),
    "imperiali": N_("highest averages, Imperiali divisors"),
    "danish": N_("highest averages, Danish divisors"),
    "huntington-hill": N_("highest averages, Huntington-Hill divisors"),
    "adams": N_("highest averages, Adams divisors"),
}

INDENT = "  %(line)s"
"""A line under another (a template with no words of its own)."""


def number(value: Fraction | int, places: int = 4) -> str:
    """Exact integers as they are; other fractions rounded, for display only."""
    value = Fraction(value)
    if value.denominator == 1:
        return f"{value.numerator:,}"
    return f"{float(value):,.{places}f}".rstrip("0").rstrip(".")


def figure(value: Fraction | int, places: int = 4) -> Param:
    """`number` as a fact of a message: a count, or a decimal (grouped as English writes it)."""
    value = Fraction(value)
    return value.numerator if value.denominator == 1 else Figure(number(value, places))


def explain_allocation(allocation: Allocation) -> str:
    """Who qualified and why, the quota or the divisors, the order of seats, ties and notes."""
    return "\n".join(explain_lines(allocation))


def explain_lines(allocation: Allocation) -> list[str]:
    """`explain_allocation`'s lines, each a `Said`."""
    method = Said(METHOD_NAMES[allocation.method].replace("%", "%%"))
    seats = allocation.seats_total
    lines: list[str] = [Said(N_("%(seats)s seats by %(method)s."), seats=str(seats), method=method)]
    lines += _threshold_lines(allocation)
    if allocation.quota is not None:
        q = allocation.quota
        lines.append(
            Said(
                N_(
                    "%(name)s quota %(formula)s with V = %(votes)s qualifying votes and "
                    "S = %(seats)s seats: %(quota)s"
                ),
                name=q.quota_name,
                formula=q.formula,
                votes=figure(q.votes_total),
                seats=str(seats),
                quota=figure(q.quota),
            )
        )
        for row in sorted(q.rows, key=lambda r: (-r.votes, r.party_id)):
            said = {
                "party": Name(row.party_id, "party"),
                "votes": figure(row.votes),
                "quotient": figure(row.quotient),
                "whole": str(row.whole_seats),
                "remainder": figure(row.remainder),
                "seats": str(row.seats),
            }
            template = (
                N_(
                    "%(party)s: %(votes)s / quota = %(quotient)s: %(whole)s whole, remainder "
                    "%(remainder)s + 1 by remainder -> %(seats)s"
                )
                if row.remainder_seat
                else N_(
                    "%(party)s: %(votes)s / quota = %(quotient)s: %(whole)s whole, remainder "
                    "%(remainder)s -> %(seats)s"
                )
            )
            lines.append(Said(INDENT, line=Said(template, **said)))
    if allocation.divisor is not None:
        divisors = ", ".join(allocation.divisor.divisors)
        lines.append(Said(N_("Divisors: %(divisors)s, ..."), divisors=divisors))
    if allocation.awards:
        lines.append(Said(N_("Seats in the order given:")))
        for award in allocation.awards:
            if award.reason == "quotient" and award.quotient is not None:
                why = Said(
                    N_("quotient %(quotient)s (divisor %(divisor)s)"),
                    quotient=award.quotient.display(),
                    divisor=str(award.quotient.divisor),
                )
            elif award.reason == "remainder" and award.remainder is not None:
                why = Said(N_("remainder %(remainder)s"), remainder=figure(award.remainder))
            else:
                why = Said(N_("whole quota"))
            lines.append(
                Said(
                    "  %(seat)s. %(party)s - %(why)s",
                    seat=f"{award.seat:>3}",
                    party=Name(award.party_id, "party"),
                    why=why,
                )
            )
    if allocation.divisor is not None:
        nexts = ", ".join(
            f"{party} {q.display()}"
            for party, q in sorted(allocation.divisor.next_quotients, key=lambda n: n[0])
        )
        lines.append(Said(N_("Next quotients, none of which won a seat: %(next)s"), next=nexts))
    lines += [Said(N_("Tie: %(tie)s"), tie=tie.describe()) for tie in allocation.ties]
    lines += [Said(N_("Note: %(note)s"), note=note) for note in allocation.notes]
    ranked = sorted(allocation.seats.items(), key=lambda item: (-item[1], item[0]))
    won = tuple(
        Said("%(party)s %(seats)s", party=Name(party, "party"), seats=str(seats))
        for party, seats in ranked
    )
    lines.append(Said(N_("Result: %(won)s"), won=won))
    return lines


def _threshold_lines(allocation: Allocation) -> list[str]:
    test = allocation.threshold
    if test is None:
        return [Said(N_("No threshold: every list takes part."))]
    sign = ">=" if test.inclusive else ">"
    lines: list[str] = [
        Said(
            N_("Threshold: %(sign)s %(share)s of %(base)s %(value)s = %(bar)s votes"),
            sign=sign,
            share=format_share(test.share),
            base=Name(test.base, "base"),
            value=test.base_value,
            bar=figure(test.bar("party"), 2),
        )
    ]
    for least, share in test.coalition_steps:
        lines.append(
            Said(
                N_(
                    "Coalition threshold, %(least)s members or more: %(sign)s %(share)s = "
                    "%(bar)s votes"
                ),
                least=str(least),
                sign=sign,
                share=format_share(share),
                bar=figure(share * test.base_value, 2),
            )
        )
    if test.coalition_share != test.share and not test.coalition_steps:
        lines.append(
            Said(
                N_("Coalition threshold: %(sign)s %(share)s = %(bar)s votes"),
                sign=sign,
                share=format_share(test.coalition_share),
                bar=figure(test.bar("coalition"), 2),
            )
        )
    for q in sorted(allocation.qualification, key=lambda q: (-q.votes, q.party_id)):
        verdict = Said(N_("qualifies")) if q.qualified else Said(N_("does not qualify"))
        said = Said(
            N_("%(party)s: %(votes)s votes, %(reason)s: %(verdict)s"),
            party=Name(q.party_id, "party"),
            votes=q.votes,
            reason=q.reason,
            verdict=verdict,
        )
        lines.append(Said(INDENT, line=said))
    return lines
