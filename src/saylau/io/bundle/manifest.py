"""The manifest of a results bundle: every file in the bundle, its role, size and SHA-256.

    manifest.json   format ("saylau-results-bundle/1"), saylau_version, election_id,
                    ran (the election name or path given to `saylau run`), seed, and
                    files: [{path, role, size, sha256}, ...]

A path is relative to the bundle, with "/" between folders; the files are sorted by path,
and every file under the bundle but the manifest itself is listed. The role of a file
follows from its path (`role_of`): `law`, `registry`, `protocols`, `input` (the other
inputs of a run), `result` (what the run wrote) or `reader` (written for readers only).
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from saylau.errors import InputError
from saylau.io.election.columns import COLUMNS
from saylau.io.election.gather import REGISTRY_FILES as REGISTRY_TABLES
from saylau.version import __version__

FORMAT: Final = "saylau-results-bundle/1"
MANIFEST = "manifest.json"
MAX_MANIFEST_BYTES: Final = 64 * 2**20
"""A manifest lists files, about 100 bytes each: 64 MiB is far more than any bundle needs."""
ELECTION = "election"
RESULT_FILES = ("results.json", "results.txt", "rejected.csv", "flagged.csv")
REGISTRY_FILES = frozenset({"election.toml", *REGISTRY_TABLES})
"""The files of a bundle's election that hold its registry: election.toml and the tables."""
INPUT_FILES = tuple(name for name in COLUMNS if name not in REGISTRY_FILES)
"""Every other file of an election directory a run reads: college, notes, ..."""

Role = Literal["law", "registry", "protocols", "input", "result", "reader"]
Check = Literal["manifest", "recomputation"]
Progress = Callable[[int, int], None]

CHUNK = 1 << 20
EDITED = "SHA-256 differs from the manifest (edited after the run)"


class BundleFile(BaseModel):
    """One file of a bundle, as the manifest records it."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    path: str
    role: Role
    size: int = Field(ge=0)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")

    @field_validator("path")
    @classmethod
    def _inside_the_bundle(cls, path: str) -> str:
        parts = PurePosixPath(path).parts
        if not parts or path.startswith("/") or "\\" in path or ".." in parts:
            raise ValueError(f"{path!r} is not a relative path inside the bundle")
        if "/".join(parts) != path or path == MANIFEST:
            raise ValueError(f"{path!r} is not a path a manifest lists")
        return path


class Manifest(BaseModel):
    """What `saylau run ... --out DIR` wrote, and how to recognise every file of it."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    format: Literal["saylau-results-bundle/1"]
    saylau_version: str
    election_id: str
    ran: str
    seed: int
    files: tuple[BundleFile, ...]


@dataclass(frozen=True)
class Finding:
    """One difference found in a bundle: the file, and a line that begins with its path.

    `figure` is the JSON path of a differing figure of results.json, where there is one.
    """

    check: Check
    file: str
    message: str
    figure: str | None = None


def role_of(path: str) -> Role | None:
    """The role of a file by its path in a bundle; None for a file a bundle does not hold."""
    if path in RESULT_FILES:
        return "result"
    parts = path.split("/")
    if parts[0] != ELECTION or len(parts) < 2:
        return None
    rest = parts[1:]
    if len(rest) == 2 and rest[0] == "law" and rest[1].endswith(".toml"):
        return "law"
    if len(rest) == 2 and rest[0] == "protocols":
        return "protocols"
    if len(rest) == 1 and rest[0] in REGISTRY_FILES:
        return "registry"
    if len(rest) == 1 and rest[0] in INPUT_FILES:
        return "input"
    if rest == ["sources.md"]:
        return "reader"
    return None


def bundle_files(root: Path) -> list[str]:
    """Every entry under `root` but the manifest that is not a folder (regular files, and
    anything else found there: links, pipes, devices), as sorted bundle paths. Links are
    listed, never followed."""
    found = []
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        linked = [name for name in dirs if (Path(folder) / name).is_symlink()]
        for name in [*files, *linked]:
            path = (Path(folder) / name).relative_to(root).as_posix()
            if path != MANIFEST:
                found.append(path)
    return sorted(found)


def irregular(path: Path) -> str | None:
    """Why a bundle cannot hold `path` (a link, a pipe, a device), or None for a regular
    file. Nothing is opened: a pipe would wait forever, a link to /dev/zero never end."""
    mode = path.lstat().st_mode
    if stat.S_ISLNK(mode):
        return "a link (a results bundle holds only regular files; it is not followed)"
    if not stat.S_ISREG(mode):
        return "not a regular file (a results bundle holds only regular files)"
    return None


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file's bytes, in hex."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def build_manifest(root: Path, *, ran: str, seed: int, election_id: str) -> Manifest:
    """The manifest of the files now under `root`; a file with no role is an error."""
    entries = []
    for path in bundle_files(root):
        role = role_of(path)
        if role is None:
            raise InputError(f"{root / path}: not a file a results bundle holds")
        file = root / path
        entries.append(
            BundleFile(path=path, role=role, size=file.stat().st_size, sha256=sha256_of(file))
        )
    return Manifest(
        format=FORMAT,
        saylau_version=__version__,
        election_id=election_id,
        ran=ran,
        seed=seed,
        files=tuple(entries),
    )


def manifest_text(manifest: Manifest) -> str:
    """The manifest as written: JSON, two-space indents, fields in a fixed order."""
    return json.dumps(manifest.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"


def read_manifest(root: Path) -> Manifest:
    """A bundle's manifest; a missing or malformed one is an InputError naming the field."""
    if not root.is_dir():
        raise InputError(f"{root}: not a directory; a results bundle is what --out writes")
    path = root / MANIFEST
    try:
        why = irregular(path)
        if why is not None:
            raise InputError(f"{path}: {why}")
        if path.stat().st_size > MAX_MANIFEST_BYTES:
            raise InputError(f"{path}: larger than {MAX_MANIFEST_BYTES:,} bytes; not a manifest")
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: missing; every results bundle has a manifest") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text ({exc.reason})") from None
    try:
        manifest = Manifest.model_validate_json(text)
    except ValidationError as exc:
        raise InputError(f"{path}: {_describe(exc.errors())}") from None
    seen: set[str] = set()
    for number, entry in enumerate(manifest.files):
        if entry.path in seen:
            raise InputError(f"{path}: field files[{number}].path: {entry.path!r} listed twice")
        seen.add(entry.path)
    return manifest


def check_files(
    root: Path, manifest: Manifest, progress: Progress | None = None
) -> tuple[list[Finding], int]:
    """Each file against the manifest, in path order; and how many files matched it."""
    listed = {entry.path: entry for entry in manifest.files}
    present = set(bundle_files(root))
    paths = sorted(present | listed.keys())
    findings: list[Finding] = []
    matched = 0
    for done, path in enumerate(paths, 1):
        entry = listed.get(path)
        if entry is None:
            why = irregular(root / path)
            added = "not listed in the manifest (added after the run)"
            findings.append(_found(path, added if why is None else f"{why}; {added}"))
        elif path not in present:
            findings.append(_found(path, "missing (the manifest lists it)"))
        elif (why := irregular(root / path)) is not None:
            findings.append(_found(path, why))
        else:
            role = role_of(path)
            if role != entry.role:
                findings.append(
                    _found(path, f"the manifest says role {entry.role}; its path says {role}")
                )
            file = root / path
            if sha256_of(file) != entry.sha256:
                findings.append(_found(path, EDITED))
            elif file.stat().st_size != entry.size:
                findings.append(_found(path, "size differs from the manifest"))
            elif role == entry.role:
                matched += 1
        if progress is not None:
            progress(done, len(paths))
    return findings, matched


def _found(path: str, what: str) -> Finding:
    return Finding("manifest", path, f"{path}: {what}")


def _describe(errors: list[Any]) -> str:
    """The first validation error as `field a[1].b: message`, and how many more there are."""
    first = errors[0]
    if first["type"] == "json_invalid":
        return f"not valid JSON: {first['ctx']['error']}"
    where = "".join(
        f"[{part}]" if isinstance(part, int) else f".{part}" for part in first["loc"]
    ).lstrip(".")
    message = {
        "missing": "required",
        "extra_forbidden": "is not a field of a manifest",
    }.get(first["type"], str(first["msg"]).removeprefix("Value error, "))
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"field {where or '(top level)'}: {message}{more}"
