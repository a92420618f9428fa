"""Passwords and user names, as NIST SP 800-63B asks of memorised secrets.

A password is NFKC-normalised, at least `MIN_PASSWORD` characters long, and refused when it
is one of the 30,000 most common passwords, a character repeated, a run of a keyboard or
alphabet sequence, or the user's own name. There are no composition rules (no "a digit and
a capital"). The common passwords are the `passwords` frequency list that the `zxcvbn`
package ships (Dropbox's zxcvbn, its list drawn from leaked password sets), read once on
first use.

A user name is NFKC-normalised (full-width `ａｄｍｉｎ` is `admin`), and a name that looks
like an existing one is refused: each character is mapped to the Latin letter it can be
mistaken for (a Cyrillic `а`, a Greek `ο`, the digit `0`), by the `confusable-homoglyphs`
package's Unicode confusables data, and the results compared without case.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from saylau.service.errors import Conflict, Invalid

MIN_PASSWORD = 10
MAX_PASSWORD = 1000
HASHER = PasswordHasher()
SEQUENCES = ("0123456789", "abcdefghijklmnopqrstuvwxyz", "qwertyuiop", "asdfghjkl", "zxcvbnm")


def normal(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


@cache
def common_passwords() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS  # type: ignore[import-untyped]

    return frozenset(FREQUENCY_LISTS["passwords"])


def _sequence(text: str) -> bool:
    """The whole text is a run of one of SEQUENCES (forwards or backwards, repeated)."""
    low = text.lower()
    for seq in SEQUENCES:
        for order in (seq, seq[::-1]):
            start = order.find(low[0])
            if start < 0:
                continue
            run = (order[start:] + order) * (len(low) // len(order) + 2)
            if run.startswith(low):
                return True
    return False


def check_password(password: str, username: str = "") -> str:
    """The password, normalised, if it may be used; Invalid naming why not."""
    found = normal(password)
    if len(found) < MIN_PASSWORD:
        raise Invalid(f"a password has at least {MIN_PASSWORD} characters")
    if len(found) > MAX_PASSWORD:
        raise Invalid(f"a password has at most {MAX_PASSWORD} characters")
    if len(set(found)) == 1:
        raise Invalid("a password may not be one character repeated")
    if found.lower() in common_passwords() or found.strip().lower() in common_passwords():
        raise Invalid("this password is on a list of common passwords: choose another")
    if _sequence(found):
        raise Invalid("a password may not be a run of keys or letters (1234567890, qwerty...)")
    if username and normal(username).casefold() in found.casefold():
        raise Invalid("a password may not contain the user name")
    return found


def hash_password(password: str, username: str = "") -> str:
    """The argon2 hash of an acceptable password (slow: call it outside any transaction)."""
    return HASHER.hash(check_password(password, username))


_DUMMY = HASHER.hash("not a password of anyone")


def verify(stored: str | None, password: str) -> bool:
    """Whether `password` matches the hash `stored`; argon2 runs even when there is no hash
    (no such user), so the time taken tells nothing (slow: outside any transaction)."""
    try:
        HASHER.verify(stored or _DUMMY, normal(password))
    except (VerificationError, InvalidHashError):
        return False
    return stored is not None


def check_username(name: str) -> str:
    """The user name, normalised, if it is well formed; Invalid otherwise."""
    found = normal(name).strip()
    if (
        not found
        or len(found) > 100
        or not found.replace("-", "").replace("_", "").replace(".", "").isalnum()
    ):
        raise Invalid("a user name is 1 to 100 letters, digits, '-', '_' or '.'")
    return found


@cache
def skeleton(name: str) -> str:
    """How a name looks: each character as the Latin letter it can be taken for, no case."""
    from confusable_homoglyphs import confusables  # type: ignore[import-untyped]

    out = []
    for char in normal(name):
        found = confusables.is_confusable(char, preferred_aliases=["latin"])
        latin = (
            [g["c"] for g in found[0]["homoglyphs"] if g["n"].startswith("LATIN")] if found else []
        )
        out.append(latin[0] if latin else char)
    return "".join(out).casefold()


def check_unlike(name: str, existing: Iterable[str]) -> None:
    """Conflict when `name` is, or looks like, one of the `existing` names."""
    mine = skeleton(name)
    for other in existing:
        if other == name:
            raise Conflict(f"user {name} exists already")
        if skeleton(other) == mine:
            raise Conflict(f"user name {name!r} looks like the existing user {other!r}")
