"""Write a results bundle: what `saylau run ... --out DIR` leaves for anyone to re-verify.

    results.json    the whole run with every stage (as `saylau run --json --stages`)
    results.txt     the published form, as `saylau run` prints it
    rejected.csv    protocols kept for review and not counted
    flagged.csv     protocols counted and listed for review
    election/       the election directory the run read (saylau.io.election.read), with
                    each chamber's law file under law/<law id>.toml, exactly as loaded
    manifest.json   every file's role, size and SHA-256 (saylau.io.bundle.manifest)

The election directory alone reproduces the run: `saylau run DIR/election` needs no law
bundled with Saylau. Where the bundle may be written, and how, is saylau.io.bundle.out_dir.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import json
import shutil
from collections.abc import Mapping
from io import StringIO
from pathlib import Path

from rich.console import Console

from saylau.errors import InputError
from saylau.exports.results_json import result_to_dict
from saylau.inputs import ElectionInputs
from saylau.io.bundle.manifest import (
    ELECTION,
    MANIFEST,
    Manifest,
    build_manifest,
    manifest_text,
)
from saylau.io.bundle.out_dir import check_target, draft_beside, publish
from saylau.io.election.write import write_election_dir
from saylau.law.loader import law_bytes, load_law
from saylau.pipeline.run import applied_sources, law_sources
from saylau.report.table import render_result
from saylau.results import ElectionResult, LawRef, ProtocolReview

REVIEW_COLUMNS = ("contest_id", "round", "station_id", "codes", "messages")


def result_files(result: ElectionResult) -> dict[str, str]:
    """The text of each result file of a bundle, by name, exactly as written."""
    data = result_to_dict(result, stages=True)
    text = StringIO()
    console = Console(
        file=text, width=120, color_system=None, force_terminal=False, force_jupyter=False
    )
    console.print(render_result(result))
    return {
        "results.json": json.dumps(data, ensure_ascii=False, indent=2) + "\n",
        "results.txt": text.getvalue(),
        "rejected.csv": _reviews(result.rejected),
        "flagged.csv": _reviews(result.flagged),
    }


def write_bundle(
    result: ElectionResult,
    inputs: ElectionInputs,
    out: Path,
    *,
    ran: str,
    root: Path | None = None,
    overrides: Mapping[str, str] | None = None,
    force: bool = False,
) -> tuple[Manifest, Path | None]:
    """Write the bundle of a run; `root` is the election directory it read, if any, and
    `overrides` the laws the run applied in place of the chambers' own (a counterfactual),
    which the bundle records as each chamber's `applied_law`. The bundle is written beside
    `out` and moved there when complete (saylau.io.bundle.out_dir); with `force`, what `out` held
    is kept aside, and its new place is returned."""
    inputs_at = [root] if root is not None else []
    replace_bundle = check_target(out, inputs_at, force=force)
    own = law_sources(inputs, root)
    applied = applied_sources(inputs, root, overrides or {})
    used = {c.chamber_id: c.law for c in result.chambers if c.law is not None}
    files, names = _law_files({**own, **{f"{c} applied": s for c, s in applied.items()}})
    draft = draft_beside(out)
    try:
        manifest = _write(result, inputs, draft, ran, files, names, used)
        kept = publish(draft, out, replace_bundle=replace_bundle)
    finally:
        shutil.rmtree(draft, ignore_errors=True)
    return manifest, kept


def _write(
    result: ElectionResult,
    inputs: ElectionInputs,
    out: Path,
    ran: str,
    files: Mapping[str, bytes],
    names: Mapping[str, str],
    used: Mapping[str, LawRef],
) -> Manifest:
    """Every file of the bundle, into `out`."""
    election = out / ELECTION
    for name, data in files.items():
        (election / name).parent.mkdir(parents=True, exist_ok=True)
        (election / name).write_bytes(data)
    for chamber, ref in used.items():
        name = names.get(f"{chamber} applied", names[chamber])
        if hashlib.sha256(files[name]).hexdigest() != ref.sha256:
            raise InputError(
                f"{ref.origin}: the law file changed while the election ran; run it again"
            )
    chambers = tuple(
        dataclasses.replace(
            c,
            law=names[c.chamber_id],
            applied_law=names.get(f"{c.chamber_id} applied"),
        )
        for c in inputs.election.chambers
    )
    registry = dataclasses.replace(inputs.election, chambers=chambers)
    write_election_dir(dataclasses.replace(inputs, election=registry), election)
    for name, text in result_files(result).items():
        (out / name).write_bytes(text.encode("utf-8"))
    manifest = build_manifest(out, ran=ran, seed=result.seed, election_id=result.election_id)
    (out / MANIFEST).write_bytes(manifest_text(manifest).encode("utf-8"))
    return manifest


def _law_files(sources: Mapping[str, str]) -> tuple[dict[str, bytes], dict[str, str]]:
    """The law files of a bundle (law/<law id>.toml: the bytes stored where the run loaded
    each law), and which file each key of `sources` names."""
    files: dict[str, bytes] = {}
    names: dict[str, str] = {}
    for number, (key, source) in enumerate(sources.items(), 1):
        data = law_bytes(source)
        law_id = load_law(source).id
        name = f"law/{law_id}.toml"
        if files.get(name, data) != data:
            name = f"law/{law_id}.{number}.toml"  # one id, two different files
        files[name] = data
        names[key] = name
    return files, names


def _reviews(reviews: tuple[ProtocolReview, ...]) -> str:
    """rejected.csv or flagged.csv: one row per protocol, codes and messages joined."""
    text = StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(REVIEW_COLUMNS)
    for r in reviews:
        writer.writerow(
            [r.contest_id, r.round, r.station_id, " ".join(r.codes), " | ".join(r.messages)]
        )
    return text.getvalue()
