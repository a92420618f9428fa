"""Write a bundle of the demo election, and edit one the ways a reader or a forger might."""

from __future__ import annotations

import json
from pathlib import Path

from saylau.io.bundle.manifest import sha256_of
from saylau.pipeline.bundle import write_bundle
from saylau.pipeline.run import decide, load_inputs
from tests.stages.demo import DEMO

PROTOCOL = "election/protocols/house-d1.r1.csv"


def demo_bundle(out: Path, source: Path = DEMO) -> Path:
    """`saylau run SOURCE --out OUT`, through the functions the command calls."""
    inputs, root = load_inputs(source)
    write_bundle(decide(inputs, root), inputs, out, ran=str(source), root=root)
    return out


def edit_vote(bundle: Path) -> None:
    """One more vote for d1-red at station s1, one fewer invalid ballot: still a valid
    protocol, so the run counts it and the district's figures change."""
    path = bundle / PROTOCOL
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[1] == '"s1",1000,750,700,10,50,700,25,35,420,220'
    lines[1] = '"s1",1000,750,700,10,50,700,24,35,421,220'
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def forge(bundle: Path, path: str) -> None:
    """Record a file's new size and SHA-256 in the manifest, as a forger would."""
    manifest = bundle / "manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    for entry in data["files"]:
        if entry["path"] == path:
            entry["sha256"] = sha256_of(bundle / path)
            entry["size"] = (bundle / path).stat().st_size
    manifest.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
