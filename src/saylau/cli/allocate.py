"""`saylau allocate`: seats for the lists in a votes file, by a method or by a law."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from saylau.cli.options import JsonOption

if TYPE_CHECKING:
    from fractions import Fraction

    from rich.table import Table

    from saylau.law.schema import MethodName, Threshold, TieBreak
    from saylau.rules.allocation import Allocation


def allocate_command(
    votes_csv: Annotated[
        Path, typer.Argument(help="CSV with columns party,votes [,kind,registration_order].")
    ],
    seats: Annotated[
        int | None, typer.Option(help="Seats to allocate (default: the law's).")
    ] = None,
    method: Annotated[
        str | None,
        typer.Option(help="Method, e.g. hare or dhondt (an unknown name lists every method)."),
    ] = None,
    threshold: Annotated[
        str | None, typer.Option(help="Threshold in percent, e.g. 7 or 7.5.")
    ] = None,
    coalition_threshold: Annotated[
        str | None, typer.Option(help="Threshold for coalition lists, in percent.")
    ] = None,
    base: Annotated[
        int | None,
        typer.Option(
            help="The number the threshold is a share of: whichever base the law's threshold "
            "names (took_part, ballots_found or valid), or with --threshold the voters who "
            "took part (default: the sum of the votes in the file)."
        ),
    ] = None,
    strict: Annotated[
        bool, typer.Option(help="Require more than the threshold, not 'or more'.")
    ] = False,
    law: Annotated[
        str | None, typer.Option(help="Take the list-tier settings from this law.")
    ] = None,
    tie_break: Annotated[
        list[str] | None,
        typer.Option(help="Tie-break chain: more_votes, registration_order, lot, refuse."),
    ] = None,
    seed: Annotated[
        int | None, typer.Option(help="Seed for a lot, recorded in the result.")
    ] = None,
    as_json: JsonOption = False,
    explain: Annotated[
        bool, typer.Option(help="Print the full explanation after the table.")
    ] = False,
) -> None:
    """Allocate seats among party lists, exactly, and explain the result.

    Example: saylau allocate examples/kz-1999-list-votes.csv --law kz-1999-majilis --base 5253864
    """
    from rich.console import Console

    from saylau.errors import InputError
    from saylau.exports.allocation_json import allocation_to_dict
    from saylau.io.votes_csv import read_votes_csv
    from saylau.law import TooFewQualify, load_law
    from saylau.rules.apportion import allocate

    entries = read_votes_csv(votes_csv)
    tier = load_law(law).list_tier if law else None
    if law and tier is None:
        raise InputError(f"law {law} has no list tier")
    chosen_seats = seats if seats is not None else (tier.seats if tier else None)
    chosen_method = method or (tier.method if tier else None)
    if chosen_seats is None or chosen_method is None:
        raise InputError("give --seats and --method, or --law to take them from a law")
    rule = _threshold(
        threshold, coalition_threshold, base, strict, tier.threshold if tier else None
    )
    named = rule.base if rule is not None else None
    chain = _ties(tie_break) if tie_break else (tier.tie_breaks if tier else ("refuse",))
    result = allocate(
        entries,
        chosen_seats,
        _method(chosen_method),
        rule,
        took_part=base if named == "took_part" else None,
        valid=base if named == "valid" else None,
        ballots_found=base if named == "ballots_found" else None,
        tie_breaks=chain,
        too_few_qualify=tier.too_few_qualify if tier else TooFewQualify(rule="allocate_anyway"),
        seed=seed,
        admission=tier.admission if tier and rule is not None else None,
    )
    if as_json:
        typer.echo(json.dumps(allocation_to_dict(result), ensure_ascii=False, indent=2))
        return
    console = Console()
    console.print(_table(result, f"{law} list tier: " if law else ""))
    console.print(_summary(result), markup=False, highlight=False)
    if explain:
        typer.echo("")
        typer.echo(result.explanation)


def _threshold(
    percent: str | None,
    coalition: str | None,
    base: int | None,
    strict: bool,
    from_law: Threshold | None,
) -> Threshold | None:
    from saylau.errors import InputError
    from saylau.law.schema import Threshold

    if percent is None and coalition is None:
        if from_law is None:
            if base is not None or strict:
                raise InputError("--base and --strict apply to a threshold: give --threshold")
            return None
        if from_law.base != "list_votes" and base is None:
            raise InputError(
                f"the law's threshold is a share of {from_law.base}: give that number with --base"
            )
        if from_law.base == "list_votes" and base is not None:
            raise InputError("--base is not used: the law's threshold is a share of list_votes")
        return from_law.model_copy(update={"inclusive": False}) if strict else from_law
    share = _percent(percent, "--threshold") if percent is not None else 0
    coalition_share = _percent(coalition, "--coalition-threshold") if coalition else None
    return Threshold(
        share=share,
        coalition_share=coalition_share,
        base="list_votes" if base is None else "took_part",
        inclusive=not strict,
    )


def _percent(text: str, option: str) -> Fraction:
    from fractions import Fraction

    from saylau.errors import InputError

    try:
        share = Fraction(text.strip().removesuffix("%")) / 100
    except (ValueError, ZeroDivisionError):
        raise InputError(f"{option}: '{text}' is not a percentage such as 7 or 7.5") from None
    if not 0 <= share <= 1:
        raise InputError(f"{option}: {text} is not between 0 and 100")
    return share


def _method(name: str) -> MethodName:
    from saylau.errors import InputError
    from saylau.rules.apportion import METHODS

    for known in METHODS:
        if known == name:
            return known
    raise InputError(f"--method: unknown method '{name}'; known: {', '.join(METHODS)}")


def _ties(chain: list[str]) -> tuple[TieBreak, ...]:
    """The --tie-break chain, refused where a law file would refuse it."""
    from saylau.errors import InputError
    from saylau.law.schema import tie_chain

    known: tuple[TieBreak, ...] = ("more_votes", "registration_order", "lot", "refuse")
    out: list[TieBreak] = []
    for step in chain:
        match = next((k for k in known if k == step), None)
        if match is None:
            raise InputError(f"--tie-break: unknown '{step}'; known: {', '.join(known)}")
        out.append(match)
    try:
        return tie_chain(tuple(out))
    except ValueError as exc:
        raise InputError(f"--tie-break: {exc}") from None


def _table(result: Allocation, title: str) -> Table:
    from rich.table import Table

    from saylau.rules.exact import percent
    from saylau.rules.explain import METHOD_NAMES

    table = Table(title=f"{title}{result.seats_total} seats", caption=METHOD_NAMES[result.method])
    table.add_column("party")
    table.add_column("votes", justify="right")
    share_title = f"% of {result.threshold.base}" if result.threshold else "% of votes"
    table.add_column(share_title, justify="right")
    table.add_column("qualified")
    table.add_column("seats", justify="right")
    base = result.threshold.base_value if result.threshold else None
    if base is None:
        base = sum(q.votes for q in result.qualification)
    for q in sorted(result.qualification, key=lambda q: (-q.votes, q.party_id)):
        table.add_row(
            q.party_id,
            f"{q.votes:,}",
            percent(q.votes, base).removesuffix("%"),
            "yes" if q.qualified else "no",
            str(result.seats[q.party_id]),
        )
    return table


def _summary(result: Allocation) -> str:
    from saylau.rules.explain import number

    lines = []
    if result.threshold is not None:
        lines.append(
            f"Threshold {result.threshold_label()} {result.threshold.base_value:,}: "
            f"{number(result.threshold.bar('party'), 2)} votes"
        )
    if result.quota is not None:
        lines.append(f"{result.quota.quota_name} quota: {number(result.quota.quota)}")
    if result.divisor is not None:
        lines.append(f"Divisors: {', '.join(result.divisor.divisors)}, ...")
    lines += [tie.describe() for tie in result.ties]
    lines += result.notes
    return "\n".join(lines)
