"""The integer-percentage test (Kobak, Shpilkin and Pshenichnikov, "Integer percentages as
electoral falsification fingerprints", Annals of Applied Statistics 10(1), 2016, 54-73).

Definitions, as this module applies them:

- A station is included when it has at least 100 registered voters, received ballots (at
  least one voter took part, and the base of the share is not 0), and both its turnout and
  the studied list's share are at most 99%. Every station left out is counted by its first
  failing rule, in that order.
- Turnout is took_part / registered; the share is the list's votes over the base the law
  uses for list percentages (for the Russian Duma, the ballots found), per station.
- A percentage 100 a / b is integer when it lies within 0.05 points of a whole number. The
  interval is closed: a value exactly on its edge, such as 859 of 2,000 = 42.95%, counts as
  integer. The test is exact, in integers: with r = 100 a mod b, the percentage is integer
  when 20 r <= b or 20 (b - r) <= b.
- The expectation: 1,000 resamples (seeded). In each, every included station's turnout is
  drawn again as Binomial(registered, its turnout) and its share as Binomial(base, its
  share), independently, and the stations whose drawn percentage is integer are counted,
  for the turnout, the share, and either. The expected counts are the mean of the
  resamples, the spread their standard deviation; the excess is observed - expected.

How the resamples are drawn. A resample only asks whether a station's binomial count lands
on an integer percentage; that event has an exact probability, the binomial probability of
its integer-percentage counts, summed over the window of the count's mean +/- 9 standard
deviations (+10), outside which the binomial puts less than 1e-17. Each resample draws
that event for every station from its probability: the same distribution as drawing the
count itself and testing it, at a fraction of the cost (100,000 stations x 1,000
resamples in seconds). `literal=True` draws the binomial counts themselves instead; the
tests hold the two to the same result. The exact expectation (the sum of the
probabilities) is reported beside the Monte Carlo mean. Floats are used here, and only
here: in the probabilities and the Monte Carlo; the observed counts are exact.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

import numpy as np

from saylau.limits import MAX_DRAWS

MIN_REGISTERED: Final = 100
MIN_STATIONS: Final = 100
"""Below this many stations included, an excess of round percentages says nothing: the test
is reported as too few, its figures shown but not read."""
DRAWS: Final = 1000
SEED: Final = 2016
"""The default seed of the resamples (the year of the paper); every result records its own."""
CELLS: Final = 2_000_000
"""At most this many values in memory per chunk of stations or resamples."""

Ints = np.ndarray[Any, np.dtype[np.int64]]
Floats = np.ndarray[Any, np.dtype[np.float64]]
Bools = np.ndarray[Any, np.dtype[np.bool_]]


@dataclass(frozen=True)
class Triple:
    """One figure for the turnout, the share, and either of them."""

    turnout: float
    share: float
    either: float

    def as_dict(self) -> dict[str, float]:
        return {"turnout": self.turnout, "share": self.share, "either": self.either}


@dataclass(frozen=True)
class IntegerPercent:
    """The test's result; `observed` counts are exact, the rest come from the resamples."""

    stations_included: int
    excluded: dict[str, int]
    observed: Triple
    expected: Triple
    spread: Triple
    excess: Triple
    expected_exact: Triple
    draws: int
    seed: int
    literal: bool = False


def is_integer_percent(part: int, whole: int) -> bool:
    """Whether 100 part / whole lies within 0.05 points of a whole number (edge included)."""
    rest = (100 * part) % whole
    return 20 * rest <= whole or 20 * (whole - rest) <= whole


def integer_mask(part: Ints, whole: Ints) -> Bools:
    """`is_integer_percent` on arrays (broadcast), exactly, in int64; whole > 0."""
    rest = np.remainder(100 * part, whole)
    result: Bools = (20 * rest <= whole) | (20 * (whole - rest) <= whole)
    return result


def inclusion(
    registered: Ints, took_part: Ints, votes: Ints, base: Ints
) -> tuple[Bools, dict[str, int]]:
    """Which stations the test includes, and how many each rule leaves out (first rule)."""
    rules: list[tuple[str, Bools]] = [
        ("fewer than 100 registered voters", registered < MIN_REGISTERED),
        (
            "no ballots received (no voter took part, or no base for the share)",
            _none(took_part, base),
        ),
        ("turnout above 99%", 100 * took_part > 99 * registered),
        ("share above 99%", 100 * votes > 99 * base),
    ]
    left = np.ones(len(registered), dtype=bool)
    excluded: dict[str, int] = {}
    for reason, fails in rules:
        mask = np.asarray(fails, dtype=bool)
        excluded[reason] = int(np.count_nonzero(left & mask))
        left &= ~mask
    return left, excluded


def _none(took_part: Ints, base: Ints) -> Bools:
    found: Bools = (took_part < 1) | (base < 1)
    return found


def hit_probability(whole: Ints, part: Ints) -> Floats:
    """For each station, the probability that Binomial(whole, part / whole) is an integer
    percentage of `whole`, summed over the count's window of mean +/- (9 sd + 10)."""
    whole = np.asarray(whole, dtype=np.int64)
    part = np.asarray(part, dtype=np.int64)
    if len(whole) and (whole.min() < 1 or (part < 0).any() or (part > whole).any()):
        raise ValueError("every base must be at least 1, and every count between 0 and it")
    found = np.empty(len(whole), dtype=np.float64)
    fixed = (part == 0) | (part == whole)
    found[fixed] = integer_mask(part[fixed], whole[fixed])
    moving = np.flatnonzero(~fixed)
    p = part[moving] / whole[moving]
    sd = np.sqrt(whole[moving] * p * (1 - p))
    half = np.ceil(9 * sd).astype(np.int64) + 10
    order = np.argsort(half, kind="stable")
    start = 0
    while start < len(order):
        width = int(half[order[start]])
        stop = start + max(1, CELLS // (2 * width + 1))
        chunk = order[start:stop]
        width = int(half[chunk].max())
        rows = moving[chunk]
        found[rows] = _window_mass(whole[rows], part[rows], width)
        start = stop
    return found


def _window_mass(n: Ints, k: Ints, width: int) -> Floats:
    """The integer-percentage mass of Binomial(n, k/n) around its mode, by ratios of
    neighbouring probabilities (no factorials): every weight is relative to the mode's."""
    p = k / n
    odds = p / (1 - p)
    mode = np.minimum(np.floor((n + 1) * p).astype(np.int64), n)[:, None]
    steps = np.arange(1, width + 1, dtype=np.int64)[None, :]
    n2 = n[:, None]
    up_from = mode + steps - 1  # P(x + 1) / P(x) = (n - x) / (x + 1) * odds
    up_ratio = np.where(up_from < n2, (n2 - up_from) / (up_from + 1) * odds[:, None], 0.0)
    up = np.cumprod(up_ratio, axis=1)
    down_to = mode - steps  # P(x) / P(x + 1) = (x + 1) / ((n - x) * odds)
    down_ratio = np.where(down_to >= 0, (down_to + 1) / ((n2 - down_to) * odds[:, None]), 0.0)
    down = np.cumprod(down_ratio, axis=1)
    up_hit = integer_mask(np.minimum(mode + steps, n2), n2)
    down_hit = integer_mask(np.maximum(down_to, 0), n2)
    at_mode = integer_mask(mode[:, 0], n).astype(np.float64)
    total = 1 + up.sum(axis=1) + down.sum(axis=1)
    mass = at_mode + (up * up_hit).sum(axis=1) + (down * down_hit).sum(axis=1)
    result: Floats = mass / total
    return result


def integer_percent_test(
    registered: Ints,
    took_part: Ints,
    votes: Ints,
    base: Ints,
    *,
    draws: int = DRAWS,
    seed: int = SEED,
    literal: bool = False,
) -> IntegerPercent:
    """The whole test on one station per row: inclusion, observed, the resamples, excess."""
    if not 2 <= draws <= MAX_DRAWS:
        raise ValueError(f"draws must be from 2 to {MAX_DRAWS:,}, not {draws:,}")
    arrays = [np.asarray(a, dtype=np.int64) for a in (registered, took_part, votes, base)]
    keep, excluded = inclusion(*arrays)
    reg, took, won, of = (a[keep] for a in arrays)
    turnout_hit = integer_mask(took, reg) if len(reg) else np.zeros(0, dtype=bool)
    share_hit = integer_mask(won, of) if len(reg) else np.zeros(0, dtype=bool)
    observed = Triple(
        int(np.count_nonzero(turnout_hit)),
        int(np.count_nonzero(share_hit)),
        int(np.count_nonzero(turnout_hit | share_hit)),
    )
    p_turnout, p_share = hit_probability(reg, took), hit_probability(of, won)
    exact = Triple(
        float(p_turnout.sum()),
        float(p_share.sum()),
        float((1 - (1 - p_turnout) * (1 - p_share)).sum()),
    )
    rng = np.random.default_rng(seed)
    if literal:
        counts = _literal_draws(rng, (reg, took), (of, won), draws)
    else:
        counts = _event_draws(rng, p_turnout, p_share, draws)
    mean = counts.mean(axis=0)
    sd = counts.std(axis=0, ddof=1)
    expected = Triple(float(mean[0]), float(mean[1]), float(mean[2]))
    return IntegerPercent(
        stations_included=len(reg),
        excluded=excluded,
        observed=observed,
        expected=expected,
        spread=Triple(float(sd[0]), float(sd[1]), float(sd[2])),
        excess=Triple(
            observed.turnout - expected.turnout,
            observed.share - expected.share,
            observed.either - expected.either,
        ),
        expected_exact=exact,
        draws=draws,
        seed=seed,
        literal=literal,
    )


def _chunks(draws: int, stations: int) -> list[tuple[int, int]]:
    size = max(1, CELLS // max(1, stations))
    return [(start, min(draws, start + size)) for start in range(0, draws, size)]


def _event_draws(
    rng: np.random.Generator, p_turnout: Floats, p_share: Floats, draws: int
) -> Floats:
    """Per resample, how many stations land on an integer turnout, share, either."""
    counts = np.empty((draws, 3), dtype=np.float64)
    for start, stop in _chunks(draws, len(p_turnout)):
        shape = (stop - start, len(p_turnout))
        turnout = rng.random(shape) < p_turnout
        share = rng.random(shape) < p_share
        counts[start:stop, 0] = np.count_nonzero(turnout, axis=1)
        counts[start:stop, 1] = np.count_nonzero(share, axis=1)
        counts[start:stop, 2] = np.count_nonzero(turnout | share, axis=1)
    return counts


def _literal_draws(
    rng: np.random.Generator,
    turnout: tuple[Ints, Ints],
    share: tuple[Ints, Ints],
    draws: int,
) -> Floats:
    """The same counts from the binomial resamples themselves (slow; for checking)."""
    (reg, took), (of, won) = turnout, share
    counts = np.empty((draws, 3), dtype=np.float64)
    for start, stop in _chunks(draws, len(reg)):
        shape = (stop - start, len(reg))
        drawn_turnout = integer_mask(rng.binomial(reg, took / np.maximum(reg, 1), shape), reg)
        drawn_share = integer_mask(rng.binomial(of, won / np.maximum(of, 1), shape), of)
        counts[start:stop, 0] = np.count_nonzero(drawn_turnout, axis=1)
        counts[start:stop, 1] = np.count_nonzero(drawn_share, axis=1)
        counts[start:stop, 2] = np.count_nonzero(drawn_turnout | drawn_share, axis=1)
    return counts
