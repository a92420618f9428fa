"""The settings a counterfactual replay varies, and the law each combination makes.

A replay changes a chamber's law in three places only, and keeps every other setting:

- `method`: `list_tier.method`, any allocation method Saylau knows;
- `threshold`: `list_tier.threshold.share`, a percentage of the threshold's own base (its
  inclusiveness and any separate coalition share are kept); 0 means no threshold at all.
  A law without a threshold measures a new one against the base of its list percentages
  (`list_tier.share_base`), "or more";
- `district_rule`, from the district tier's settings (`win`, `rounds`, `runoff`):
  - `plurality`: one round, the most votes wins (`win = plurality`, `rounds = 1`, no
    runoff). Where the election held second rounds, their protocols are not counted and
    are reported as unused;
  - `absolute_majority`: more than half of the law's majority base wins in round 1
    (`win = absolute_majority`, `rounds = 2`), otherwise the law's runoff decides, or, for a
    law without one, a runoff of the top two decided by plurality. Where the election held
    no second round, those districts stay vacant: no votes exist to decide them.

Recorded invalidations and new votings stand as recorded under every rule.
A setting left as None is the law's own. Nothing here is rounded: a threshold is a Fraction.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal, get_args

from saylau.errors import InputError
from saylau.law.schema import DistrictTier, Law, ListTier, MethodName, Runoff, Threshold
from saylau.law.share import format_share
from saylau.results import LawRef
from saylau.rules.apportion import METHODS

DistrictRule = Literal["plurality", "absolute_majority"]
DISTRICT_RULES: tuple[DistrictRule, ...] = get_args(DistrictRule)


@dataclass(frozen=True)
class Setting:
    """One combination of settings; None keeps the law's own."""

    method: MethodName | None = None
    threshold: Fraction | None = None
    """A share of the threshold's base (7/100 for 7%); 0 for no threshold."""
    district_rule: DistrictRule | None = None


def parse_methods(texts: Sequence[str]) -> list[MethodName]:
    """Method names from the command line, each once, in the order given."""
    found: list[MethodName] = []
    for text in texts:
        name = text.strip()
        method = next((m for m in METHODS if m == name), None)
        if method is None:
            raise InputError(f"--method {name!r}: not a method; known: {', '.join(METHODS)}")
        if method not in found:
            found.append(method)
    return found


def parse_threshold(text: str) -> Fraction:
    """A percentage such as `7`, `7.5` or `7%` as an exact share (7/100); `0` is none."""
    cleaned = text.strip().removesuffix("%").strip()
    try:
        percent = Fraction(cleaned)
    except (ValueError, ZeroDivisionError):
        raise InputError(f"--threshold {text!r}: not a percentage (write 7 or 7.5)") from None
    if not 0 <= percent < 100:
        raise InputError(f"--threshold {text!r}: a percentage from 0 up to (not) 100")
    return percent / 100


def parse_thresholds(texts: Sequence[str]) -> list[Fraction]:
    """Thresholds from the command line, each once, in the order given."""
    found: list[Fraction] = []
    for text in texts:
        share = parse_threshold(text)
        if share not in found:
            found.append(share)
    return found


def parse_district_rules(texts: Sequence[str]) -> list[DistrictRule]:
    """District rules from the command line, each once, in the order given."""
    found: list[DistrictRule] = []
    for text in texts:
        name = text.strip().replace("-", "_")
        rule = next((r for r in DISTRICT_RULES if r == name), None)
        if rule is None:
            raise InputError(
                f"--district-rule {text.strip()!r}: not a rule; known: {', '.join(DISTRICT_RULES)}"
            )
        if rule not in found:
            found.append(rule)
    return found


def threshold_share(tier: ListTier) -> Fraction:
    """The tier's threshold as a share; 0 when it has none."""
    return tier.threshold.share if tier.threshold is not None else Fraction(0)


def district_rule_of(tier: DistrictTier) -> str:
    """The name of a district tier's rule: `plurality` (one round), `absolute_majority`
    (two rounds), or its settings in words for any other combination."""
    if tier.validity:
        return f"validity alternatives in {tier.rounds} round(s)"
    if tier.win == "plurality" and tier.rounds == 1:
        return "plurality"
    if tier.win == "absolute_majority" and tier.rounds == 2:
        return "absolute_majority"
    return f"{tier.win} in {tier.rounds} round(s)"


def _threshold(tier: ListTier, share: Fraction) -> Threshold | None:
    if share == 0:
        return None
    if tier.threshold is not None:
        return tier.threshold.model_copy(update={"share": share})
    return Threshold(share=share, base=tier.share_base)


def _district_tier(tier: DistrictTier, rule: DistrictRule) -> DistrictTier:
    if rule == "plurality":
        return tier.model_copy(
            update={"win": "plurality", "rounds": 1, "runoff": None, "validity": ()}
        )
    runoff = tier.runoff if tier.runoff is not None else Runoff()
    return tier.model_copy(
        update={"win": "absolute_majority", "rounds": 2, "runoff": runoff, "validity": ()}
    )


def with_setting(law: Law, setting: Setting) -> Law:
    """`law` with the setting's changes: the same object when nothing changes, else a law
    under an id and name of its own that say it is a replay."""
    update: dict[str, object] = {}
    if setting.method is not None or setting.threshold is not None:
        tier = law.list_tier
        if tier is None:
            raise InputError(f"{law.id} has no list tier: --method and --threshold do not apply")
        changes: dict[str, object] = {}
        if setting.method is not None:
            changes["method"] = setting.method
        if setting.threshold is not None:
            changes["threshold"] = _threshold(tier, setting.threshold)
        update["list_tier"] = tier.model_copy(update=changes)
    if setting.district_rule is not None:
        if law.district_tier is None:
            raise InputError(f"{law.id} has no district tier: --district-rule does not apply")
        update["district_tier"] = _district_tier(law.district_tier, setting.district_rule)
    derived = law.model_copy(update=update)
    if derived == law:
        return law
    words = describe(derived)
    return derived.model_copy(
        update={"id": f"{law.id}-replay-{_slug(derived)}", "name": f"{law.name}, replayed: {words}"}
    )


def describe(law: Law) -> str:
    """The replayed settings of a law in words: method, threshold, district rule."""
    parts: list[str] = []
    tier = law.list_tier
    if tier is not None:
        parts.append(tier.method)
        share = threshold_share(tier)
        base = tier.threshold.base if tier.threshold is not None else None
        parts.append(f"threshold {format_share(share)} of {base}" if base else "no threshold")
    if law.district_tier is not None:
        parts.append(f"districts by {district_rule_of(law.district_tier)}")
    return ", ".join(parts)


def _slug(law: Law) -> str:
    parts: list[str] = []
    if law.list_tier is not None:
        parts.append(law.list_tier.method)
        percent = threshold_share(law.list_tier) * 100
        text = str(percent.numerator) if percent.denominator == 1 else f"{float(percent):g}"
        parts.append("t" + text.replace(".", "p"))
    if law.district_tier is not None:
        parts.append(district_rule_of(law.district_tier).replace("_", "-").split(" ")[0])
    return "-".join(parts)


def law_ref(law: Law, own: Law, own_ref: LawRef) -> LawRef:
    """The reference of a replayed law: no file, so its SHA-256 is that of its JSON."""
    if law is own:
        return own_ref
    digest = hashlib.sha256(law.model_dump_json().encode("utf-8")).hexdigest()
    origin = f"{own_ref.origin}, replayed with {describe(law)} (no file; SHA-256 of its JSON)"
    return LawRef(law.id, law.name, origin, digest)
