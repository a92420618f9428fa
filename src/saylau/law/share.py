"""Exact shares for law files: "7%", "1/2", "0.4" or 0 and 1, never a float."""

from __future__ import annotations

from fractions import Fraction
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema


def parse_share(value: Any) -> Fraction:
    """Read a share exactly; a float is refused because 0.07 is not 7/100 in binary."""
    if isinstance(value, bool):
        raise ValueError("a share must be a string such as '7%' or '1/2', not a boolean")
    if isinstance(value, float):
        raise ValueError(
            f"{value!r} is a float, which is not exact; write the share as a string "
            f"such as '{value * 100:g}%' or a fraction such as '1/2'"
        )
    if isinstance(value, Fraction):
        share = value
    elif isinstance(value, int):
        share = Fraction(value)
    elif isinstance(value, str):
        text = value.strip().replace(" ", "")
        try:
            share = Fraction(text[:-1]) / 100 if text.endswith("%") else Fraction(text)
        except (ValueError, ZeroDivisionError):
            raise ValueError(
                f"{value!r} is not a share; write it like '7%', '1/2' or '0.4'"
            ) from None
    else:
        raise ValueError(f"a share must be a string such as '7%', not {type(value).__name__}")
    if not 0 <= share <= 1:
        raise ValueError(f"{value!r} is not between 0% and 100%")
    return share


def format_share(share: Fraction) -> str:
    """Show a share as a percentage when that is exact, otherwise as a fraction."""
    percent = share * 100
    if percent.denominator == 1:
        return f"{percent.numerator}%"
    if (percent * 1000).denominator == 1:
        return f"{float(percent):g}%"
    return f"{share.numerator}/{share.denominator}"


SHARE_JSON_SCHEMA = {
    "anyOf": [
        {"type": "string", "pattern": r"^\s*[0-9./ ]+%?\s*$"},
        {"type": "integer", "enum": [0, 1]},
    ],
    "description": "an exact share: '7%', '1/2', '0.4', 0 or 1 (never a float)",
}

Share = Annotated[
    Fraction,
    BeforeValidator(parse_share),
    PlainSerializer(format_share, return_type=str),
    WithJsonSchema(SHARE_JSON_SCHEMA),
]
"""A share between 0 and 1, held as a Fraction."""
