"""Verify a results bundle: every file against its manifest, then the election recomputed.

First the manifest: each listed file must be there with its SHA-256, and every file there
must be listed. Then the recomputation: the election directory in the bundle is run again
with the laws in the bundle, and the result files are rendered exactly as `--out` writes
them and compared with the stored ones; a differing results.json is named figure by
figure (`majilis.parties[3].list_votes: stored 932,549, recomputed 932,550`).

Every difference is reported, the manifest's first, in a stable order. A bundle whose
manifest is missing or malformed, or whose unedited inputs cannot be read, is bad input
(an InputError). Inputs that cannot be read after the manifest found an edit, and inputs
on which the law cannot decide while results.json holds the decisions, are differences.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import zip_longest
from pathlib import Path, PurePosixPath
from typing import Any

from saylau.errors import InputError, RuleError, SaylauError
from saylau.exports.results_json import result_to_dict
from saylau.inputs import ElectionInputs
from saylau.io.bundle.json_diff import SHOWN, figures, json_differences
from saylau.io.bundle.manifest import (
    ELECTION,
    MANIFEST,
    RESULT_FILES,
    Finding,
    Manifest,
    check_files,
    read_manifest,
)
from saylau.pipeline.bundle import result_files
from saylau.pipeline.run import decide, load_inputs
from saylau.results import ElectionResult
from saylau.version import __version__

Progress = Callable[[str, int, int], None]
"""Told what is being done, how far, of how much: checking files, reading, each stage."""

CONTEXT = 12
"""Characters shown before the first difference in a line of text."""
SHOWN_FIGURES = 20
"""Differing figures of results.json printed one by one; the rest are counted (all in JSON)."""


@dataclass(frozen=True)
class Verification:
    """What `saylau verify` found: every difference, and what was confirmed."""

    bundle: Path
    manifest: Manifest
    findings: tuple[Finding, ...]
    files_matched: int
    seats: int | None = None
    """Seats, decisions and figures of results.json recomputed; None if it could not be."""
    decisions: int | None = None
    figures: int | None = None

    @property
    def verified(self) -> bool:
        return not self.findings


def verify_bundle(root: Path, progress: Progress | None = None) -> Verification:
    """Check a bundle's files against its manifest, then recompute it and compare."""
    manifest = read_manifest(root)
    checking = None if progress is None else _labelled(progress, "checking files")
    findings, matched = check_files(root, manifest, checking)
    try:
        inputs, result = _recompute(root / ELECTION, progress)
    except SaylauError as exc:
        if not findings and not isinstance(exc, RuleError):
            raise  # unedited inputs that cannot be read: bad input, not a difference
        failed = f"{ELECTION}: cannot be recomputed: {exc}"
        findings.append(Finding("recomputation", ELECTION, failed))
        return Verification(root, manifest, tuple(findings), matched)
    findings += _identity(manifest, inputs, result)
    reported = {f.file for f in findings}
    findings += compare_results(root, result, reported)
    return Verification(
        root,
        manifest,
        tuple(findings),
        matched,
        seats=sum(chamber.seats_filled for chamber in result.chambers),
        decisions=sum(len(s.decisions) + len(s.lists) for s in result.stages),
        figures=figures(result_to_dict(result, stages=True)),
    )


def compare_results(
    root: Path, result: ElectionResult, reported: set[str] | None = None
) -> list[Finding]:
    """Each stored result file against the file the recomputed result renders.

    A missing file already in `reported` is not reported again.
    """
    rendered = result_files(result)
    findings: list[Finding] = []
    for name in RESULT_FILES:
        path = root / name
        if not path.is_file():
            if name not in (reported or set()):
                findings.append(_differs(name, "missing, so it cannot be compared"))
            continue
        stored = path.read_bytes()
        if stored == rendered[name].encode("utf-8"):
            continue
        if name == "results.json":
            findings += _json_findings(stored, result)
        else:
            findings.append(_first_line(name, stored, rendered[name]))
    return findings


def verification_to_dict(verification: Verification) -> dict[str, Any]:
    """The report as one JSON object, for programs."""
    manifest = verification.manifest
    findings = verification.findings
    return {
        "bundle": str(verification.bundle),
        "verified": verification.verified,
        "first_difference": findings[0].message if findings else None,
        "differences": [
            {"check": f.check, "file": f.file, "figure": f.figure, "message": f.message}
            for f in findings
        ],
        "files_listed": len(manifest.files),
        "files_matched": verification.files_matched,
        "seats": verification.seats,
        "decisions": verification.decisions,
        "figures": verification.figures,
        "election_id": manifest.election_id,
        "ran": manifest.ran,
        "seed": manifest.seed,
        "written_by": manifest.saylau_version,
        "verified_by": __version__,
    }


def _recompute(election: Path, progress: Progress | None) -> tuple[ElectionInputs, ElectionResult]:
    """The election of a bundle run again, with the laws the bundle holds."""
    if not election.is_dir():
        raise InputError(f"{election}: missing; a bundle holds its election directory there")
    reading = None if progress is None else _labelled(progress, f"reading {election}")
    inputs, root = load_inputs(election, reading=reading)
    return inputs, decide(inputs, root, progress=progress)


def _identity(manifest: Manifest, inputs: ElectionInputs, result: ElectionResult) -> list[Finding]:
    """The manifest names the election and seed the bundle holds, which uses only its laws."""
    found = []
    if manifest.election_id != result.election_id:
        what = f"election_id {manifest.election_id!r}, but the election is {result.election_id!r}"
        found.append(Finding("manifest", MANIFEST, f"{MANIFEST}: {what}"))
    if manifest.seed != result.seed:
        what = f"seed {manifest.seed}, but the election's seed is {result.seed}"
        found.append(Finding("manifest", MANIFEST, f"{MANIFEST}: {what}"))
    laws = {entry.path for entry in manifest.files if entry.role == "law"}
    config = f"{ELECTION}/election.toml"
    for chamber in inputs.election.chambers:
        for field, law in (("law", chamber.law), ("applied_law", chamber.applied_law)):
            if law is None:
                continue
            path = PurePosixPath(ELECTION, law).as_posix()
            if ".." in PurePosixPath(law).parts or path not in laws:
                what = (
                    f"chamber {chamber.chamber_id}: {field} {law!r} is not a law file of the "
                    f"bundle ({ELECTION}/law/*.toml)"
                )
                found.append(Finding("recomputation", config, f"{config}: {what}"))
    return found


def _json_findings(stored: bytes, result: ElectionResult) -> list[Finding]:
    name = "results.json"
    try:
        data = json.loads(stored.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return [_differs(name, f"not valid JSON ({exc})")]
    differences = list(json_differences(data, result_to_dict(result, stages=True)))
    if not differences:
        rendered = result_files(result)[name]
        return [_first_line(name, stored, rendered, "the same figures, but not as --out writes")]
    return [Finding("recomputation", name, f"{name}: {d.describe()}", d.path) for d in differences]


def _first_line(name: str, stored: bytes, rendered: str, what: str = "differs") -> Finding:
    """A text file's first differing line, stored and recomputed, from where they part."""
    try:
        text = stored.decode("utf-8")
    except UnicodeDecodeError:
        return _differs(name, "not UTF-8 text, unlike the recomputed file")
    pairs = zip_longest(text.splitlines(), rendered.splitlines())
    for number, (old, new) in enumerate(pairs, 1):
        if old != new:
            column = _parting(old or "", new or "")
            start = max(0, column - CONTEXT)
            return _differs(
                name,
                f"{what}: line {number}, column {column + 1}: stored {_excerpt(old, start)}, "
                f"recomputed {_excerpt(new, start)}",
            )
    return _differs(name, f"{what}: the same lines, but other line endings or spacing")


def _parting(old: str, new: str) -> int:
    """Where two lines part: the index of the first character that differs."""
    pairs = enumerate(zip(old, new, strict=False))
    return next((i for i, (a, b) in pairs if a != b), min(len(old), len(new)))


def _excerpt(line: str | None, start: int) -> str:
    if line is None:
        return "(absent)"
    piece = line[start : start + SHOWN]
    cut = ("…" if start else "") + piece + ("…" if start + SHOWN < len(line) else "")
    return json.dumps(cut, ensure_ascii=False)


def _differs(name: str, what: str) -> Finding:
    return Finding("recomputation", name, f"{name}: {what}")


def _labelled(progress: Progress, label: str) -> Callable[[int, int], None]:
    def report(done: int, total: int) -> None:
        progress(label, done, total)

    return report


def describe(verification: Verification) -> Iterator[str]:
    """The report as lines of text: a verdict, the first difference, then every one."""
    v, manifest = verification, verification.manifest
    if manifest.saylau_version != __version__:
        yield f"(written by Saylau {manifest.saylau_version}, verified by Saylau {__version__})"
    if v.verified:
        yield (
            f"{v.bundle}: verified. {v.files_matched:,} files match {MANIFEST} (election "
            f"{manifest.election_id}, seed {manifest.seed}, written by Saylau "
            f"{manifest.saylau_version}); recomputed {v.seats or 0:,} seats, {v.decisions or 0:,} "
            f"decisions and {v.figures or 0:,} figures: {', '.join(RESULT_FILES)} are the same."
        )
        return
    count = len(v.findings)
    yield f"{v.bundle}: does not verify: {count:,} difference{'s' if count > 1 else ''}"
    yield f"first difference: {v.findings[0].message}"
    total = Counter(f.file for f in v.findings if f.figure is not None)
    shown: Counter[str] = Counter()
    for number, finding in enumerate(v.findings, 1):
        if finding.figure is not None:
            shown[finding.file] += 1
            if shown[finding.file] == SHOWN_FIGURES + 1:
                more = total[finding.file] - SHOWN_FIGURES
                yield f"  ... and {more:,} more differing figures of {finding.file} (see --json)"
            if shown[finding.file] > SHOWN_FIGURES:
                continue
        yield f"  {number}. [{finding.check}] {finding.message}"
