"""Where `--out` may write, and how: never into the input, never half a bundle.

DIR must be new, empty, or hold an earlier bundle (which is replaced). Anything else is
refused before the run starts, unless `--force`: DIR is then kept beside the new bundle as
`DIR.replaced` (or `DIR.replaced-2`, ...), never deleted. DIR may not lie inside an input,
nor hold one. The bundle is written into a hidden folder beside DIR and moved into place
only when it is complete.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path

from saylau.errors import InputError
from saylau.io.bundle.manifest import MANIFEST, bundle_files, read_manifest


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def refuse_inputs(out: Path, inputs: Iterable[Path]) -> None:
    """`out` lies in no input, and holds none."""
    place = out.resolve()
    for source in inputs:
        held = source.resolve()
        if _inside(place, held) or _inside(held, place):
            raise InputError(
                f"{out}: --out may not write into the input {source} or hold it; choose a "
                f"directory elsewhere"
            )


def check_target(out: Path, inputs: Iterable[Path] = (), *, force: bool = False) -> bool:
    """Whether `out` may be written; True when it holds an earlier bundle or nothing, False
    when `force` lets other contents be kept aside. Refuses an input's place, a file, and
    anything else."""
    refuse_inputs(out, inputs)
    if not out.exists():
        if out.is_symlink():
            raise InputError(f"{out}: a broken symbolic link; choose another directory")
        return True
    if not out.is_dir():
        raise InputError(f"{out}: not a directory; --out names the directory of a results bundle")
    found = bundle_files(out)
    if not found and not (out / MANIFEST).exists() and not any(out.iterdir()):
        return True
    problem = _not_a_bundle(out, found)
    if problem is None:
        return True
    if force:
        return False
    raise InputError(f"{out}: {problem}; choose another directory, or --force to keep it aside")


def _not_a_bundle(out: Path, found: list[str]) -> str | None:
    """Why `out` is not an earlier bundle, or None when it is one."""
    if not (out / MANIFEST).exists():
        first = found[0] if found else next(p.name for p in sorted(out.iterdir()))
        return f"holds {first} and no {MANIFEST}: it is not an earlier Saylau bundle"
    listed = {entry.path for entry in read_manifest(out).files}
    strays = [path for path in found if path not in listed]
    if strays:
        return f"{strays[0]} is not part of the bundle written there before"
    return None


def draft_beside(out: Path) -> Path:
    """A new, empty hidden folder beside `out` to write the bundle into."""
    parent = out.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        draft = parent / f".{out.name}.partial-{os.getpid()}"
        if draft.exists():
            shutil.rmtree(draft)
        draft.mkdir()
    except OSError as exc:
        raise InputError(f"{out}: cannot write there: {exc.strerror or exc}") from None
    return draft


def publish(draft: Path, out: Path, *, replace_bundle: bool) -> Path | None:
    """Move the complete `draft` to `out`. An earlier bundle there is removed; anything else
    is kept as `out.replaced...` and its new place returned."""
    kept: Path | None = None
    try:
        if out.exists():
            if replace_bundle:
                aside = out.parent / f".{out.name}.old-{os.getpid()}"
                out.rename(aside)
                draft.rename(out)
                shutil.rmtree(aside)
                return None
            kept = _free(out)
            out.rename(kept)
        draft.rename(out)
    except OSError as exc:
        raise InputError(f"{out}: cannot write there: {exc.strerror or exc}") from None
    return kept


def _free(out: Path) -> Path:
    candidate = out.with_name(f"{out.name}.replaced")
    number = 2
    while candidate.exists():
        candidate = out.with_name(f"{out.name}.replaced-{number}")
        number += 1
    return candidate
