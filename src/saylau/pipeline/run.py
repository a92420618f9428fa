"""`saylau.run`: find an election by name or path, load its laws, and carry it through.

Names: the bundled scenarios (`kz-1999`) and the importers of real data (`spb-2021`,
`spb-2021-duma`, read from the files shipped with Saylau or the folder given with --data).
Anything else is an election directory. The importers, the analyses and the reader of
election directories are loaded when they are called, so that a run of an election
directory loads no importer and a run of a named election no directory reader (with its
Parquet and election.toml modules).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

from saylau.analysis.integer_percent import DRAWS, SEED
from saylau.errors import InputError
from saylau.importers.spb2021.files import shipped
from saylau.inputs import ElectionInputs
from saylau.law.loader import load_law, read_law
from saylau.law.schema import Law
from saylau.registry.facts import ElectionFacts
from saylau.results import ElectionResult, LawRef
from saylau.scenarios import FACTS, SCENARIOS
from saylau.stages.calendar import Progress, run_calendar

if TYPE_CHECKING:
    from saylau.analysis.compare import Comparison
    from saylau.analysis.forensics import Forensics
    from saylau.analysis.territories import Level

Reading = Callable[[int, int], None]
"""Told (done, in all) as files are read, for a progress bar."""


def _spb_2021(data: Path | None, reading: Reading | None) -> ElectionInputs:
    """The city election: its districts cross the territorial commissions, so the
    tabulation runs station -> district -> the city (saylau.importers.spb2021.city)."""
    from saylau.importers.spb2021.city import read_spb2021

    return read_spb2021(data, territories="city", progress=reading)


def _spb_2021_duma(data: Path | None, reading: Reading | None) -> ElectionInputs:
    """St Petersburg's part of the State Duma election: its districts cross the territorial
    commissions too, so the tabulation runs station -> district -> the city
    (saylau.importers.spb2021.duma)."""
    from saylau.importers.spb2021.duma import read_spb2021_duma

    return read_spb2021_duma(data, territories="city", progress=reading)


IMPORTERS: dict[str, Callable[[Path | None, Reading | None], ElectionInputs]] = {
    "spb-2021": _spb_2021,
    "spb-2021-duma": _spb_2021_duma,
}
"""Real elections read from their own published layout, by name; a folder of None reads the
copy shipped with Saylau."""

DEFAULT_DATA = shipped()
"""Where the importers read when no folder is given: the files shipped with Saylau."""


def names() -> list[str]:
    """Every election `saylau run` knows by name."""
    return sorted([*SCENARIOS, *IMPORTERS])


def load_inputs(
    source: str | Path,
    *,
    seed: int | None = None,
    data: Path | None = None,
    reading: Reading | None = None,
) -> tuple[ElectionInputs, Path | None]:
    """The inputs of a named scenario, a named importer, or an election directory.

    A seed applies only to a generated scenario and a data folder only to an importer:
    either given to anything else is refused, never ignored."""
    name = str(source)
    if name in SCENARIOS:
        _refuse_data(name, data)
        build = SCENARIOS[name]
        return (build() if seed is None else build(seed)), None
    if name in IMPORTERS:
        _refuse_seed(name, seed)
        return _imported(name, data, reading), None
    path = Path(source)
    if path.is_dir():
        _refuse_seed(name, seed)
        _refuse_data(name, data)
        from saylau.io.election.read import read_election_dir

        return read_election_dir(path, progress=reading, check_laws=True), path
    raise InputError(
        f"{name}: neither a known election ({', '.join(names())}) nor an election directory"
    )


def _refuse_seed(name: str, seed: int | None) -> None:
    if seed is not None:
        raise InputError(
            f"--seed {seed}: {name} is not generated, so no seed applies "
            f"(seeded scenarios: {', '.join(sorted(SCENARIOS))})"
        )


def _refuse_data(name: str, data: Path | None) -> None:
    if data is not None:
        raise InputError(
            f"--data {data}: {name} reads no importer's folder "
            f"(importers: {', '.join(sorted(IMPORTERS))})"
        )


def _imported(name: str, data: Path | None, reading: Reading | None) -> ElectionInputs:
    """A real election read by its importer; an error says which folder it read."""
    try:
        return IMPORTERS[name](data, reading)
    except InputError as exc:
        if data is None:
            raise InputError(
                f"{exc} (the files shipped with Saylau; give a folder of them with --data DIR)"
            ) from None
        raise InputError(f"--data {data}: {exc}") from None


def _law_path(root: Path, law: str) -> str:
    """A chamber's law in an election directory (saylau.io.election.laws.law_path)."""
    from saylau.io.election.laws import law_path

    return law_path(root, law)


def law_sources(inputs: ElectionInputs, root: Path | None = None) -> dict[str, str]:
    """Where each chamber's own law is loaded from: a bundled name, or a file under `root`."""
    return {
        c.chamber_id: _law_path(root, c.law) if root is not None else c.law
        for c in inputs.election.chambers
    }


def laws_of(inputs: ElectionInputs, root: Path | None = None) -> dict[str, Law]:
    """Each chamber's own law, bundled by name or from a file beside the election directory."""
    return {chamber: load_law(source) for chamber, source in law_sources(inputs, root).items()}


def applied_sources(
    inputs: ElectionInputs, root: Path | None = None, overrides: Mapping[str, str | Path] = {}
) -> dict[str, str]:
    """The laws a run applies in place of a chamber's own: those an election directory
    records (`applied_law`, a recorded counterfactual), then `overrides` (chamber -> law)."""
    found = {
        c.chamber_id: _law_path(root, c.applied_law) if root is not None else c.applied_law
        for c in inputs.election.chambers
        if c.applied_law is not None
    }
    found.update({chamber: str(law) for chamber, law in overrides.items()})
    return found


def own_laws(
    inputs: ElectionInputs, root: Path | None = None
) -> tuple[dict[str, Law], dict[str, LawRef]]:
    """Each chamber's own law (the one the election was held under) and its reference."""
    files = {chamber: read_law(source) for chamber, source in law_sources(inputs, root).items()}
    refs = {c: LawRef(f.law.id, f.law.name, f.origin, f.sha256) for c, f in files.items()}
    return {c: f.law for c, f in files.items()}, refs


def facts_of(source: str | Path) -> ElectionFacts:
    """The infobox facts known for a named scenario; none for other elections."""
    found = FACTS.get(str(source))
    return found() if found is not None else ElectionFacts()


def decide(
    inputs: ElectionInputs,
    root: Path | None = None,
    *,
    laws: Mapping[str, str | Path] | None = None,
    progress: Progress | None = None,
) -> ElectionResult:
    """Run the calendar under each chamber's own law, or under `laws` (chamber id -> a bundled
    law name or a law file) where given: a counterfactual, which the result says it is."""
    return decide_with_laws(inputs, root, laws=laws, progress=progress)[0]


def decide_with_laws(
    inputs: ElectionInputs,
    root: Path | None = None,
    *,
    laws: Mapping[str, str | Path] | None = None,
    progress: Progress | None = None,
) -> tuple[ElectionResult, dict[str, Law]]:
    """`decide`, and the law each chamber was decided under (for reports that count again)."""
    own = {chamber: read_law(source) for chamber, source in law_sources(inputs, root).items()}
    wanted = applied_sources(inputs, root, laws or {})
    unknown = sorted(wanted.keys() - own.keys())
    if unknown:
        raise InputError(
            f"--law names chamber(s) {', '.join(unknown)}, but this election's chambers are "
            f"{', '.join(own)}"
        )
    applied = {**own, **{chamber: read_law(law) for chamber, law in wanted.items()}}
    refs = {c: LawRef(f.law.id, f.law.name, f.origin, f.sha256) for c, f in applied.items()}
    decided = {c: f.law for c, f in applied.items()}
    result = run_calendar(
        inputs, decided, progress, refs=refs, own={c: f.law for c, f in own.items()}
    )
    return result, decided


def run(
    source: str | Path,
    *,
    seed: int | None = None,
    data: Path | None = None,
    progress: Progress | None = None,
    laws: Mapping[str, str | Path] | None = None,
) -> ElectionResult:
    """Run an election from registration to the final composition of every chamber. The
    laws given are checked before any protocol is read."""
    for law in (laws or {}).values():
        load_law(law)
    inputs, root = load_inputs(source, seed=seed, data=data)
    return decide(inputs, root, laws=laws, progress=progress)


def compare_laws(
    source: str | Path,
    *,
    chamber: str | None = None,
    methods: Sequence[str] = (),
    thresholds: Sequence[str | int | Fraction] = (),
    district_rules: Sequence[str] = (),
    seed: int | None = None,
    data: Path | None = None,
) -> Comparison:
    """Replay an election's chamber under every combination of the settings given
    (saylau.analysis.compare). Thresholds are percentages: 7, "7.5", Fraction(15, 2); 0 is
    none. A setting left empty keeps the law's own."""
    from saylau.analysis.compare import compare
    from saylau.analysis.settings import parse_district_rules, parse_methods, parse_thresholds

    inputs, root = load_inputs(source, seed=seed, data=data)
    own, refs = own_laws(inputs, root)
    return compare(
        inputs,
        own,
        refs,
        chamber=chamber,
        methods=parse_methods(methods),
        thresholds=parse_thresholds([_percent_text(t) for t in thresholds]),
        district_rules=parse_district_rules(district_rules),
    )


def _percent_text(value: str | int | Fraction) -> str:
    """A percentage as exact text; a float is refused, as law files refuse it."""
    if isinstance(value, bool) or not isinstance(value, str | int | Fraction):
        raise InputError(
            f"threshold {value!r}: give a percentage as an int, a Fraction or a string such "
            f"as '7.5' (a float is not exact)"
        )
    return str(value)


def run_forensics(
    source: str | Path,
    *,
    contest: str | None = None,
    round: int = 1,
    entry: str | None = None,
    draws: int = DRAWS,
    resample_seed: int = SEED,
    by: Level | None = None,
    seed: int | None = None,
    data: Path | None = None,
) -> Forensics:
    """Election forensics on a contest's accepted protocols, checked as a run checks them
    under each chamber's own law (saylau.analysis.forensics)."""
    from saylau.analysis.forensics import forensics

    inputs, root = load_inputs(source, seed=seed, data=data)
    own, _ = own_laws(inputs, root)
    return forensics(
        inputs,
        own,
        contest=contest,
        round=round,
        entry=entry,
        draws=draws,
        seed=resample_seed,
        by=by,
    )
