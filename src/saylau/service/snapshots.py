"""Static JSON snapshots of the published results: `national.json`, `territories/<id>.json`
and `districts/<id>.json`, so that any web server or CDN can serve the public at any scale
without touching the database. Each file is written beside its place and renamed in, so
a reader never sees half a file. `national.json` also carries the audit chain's head
(`audit_head`: its seq, hash, the audit key's signature of them and the public key):
once published, a signed anchor that `saylau audit verify --anchor SEQ:HASH:SIGNATURE`
holds the chain to, so that nobody can rewrite what came before it; and when the chain was
last verified, with what result (`audit`)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from saylau.service import published
from saylau.service.models import AuditHead, DistrictRow, TerritoryRow
from saylau.service.signing import head_message, signer


def _write(path: Path, value: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(
        json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8"
    )
    os.replace(temporary, path)


def _signed(head: AuditHead) -> dict[str, Any]:
    """The head, signed by the audit key (`SEQ:HASH:SIGNATURE` is an anchor that
    `saylau audit verify --anchor` holds the chain to), and the key's public key."""
    found: dict[str, Any] = {"seq": head.seq, "hash": head.hash}
    key = signer()
    if key is not None:
        found["signature"] = key.sign(head_message(head.seq, head.hash))
        found["public_key"] = key.public.hex
        found["anchor"] = f"{head.seq}:{head.hash}:{found['signature']}"
    return found


def write_snapshots(session: Session, url: str, folder: Path) -> list[Path]:
    """Write every snapshot under `folder`; the files written, national first."""
    written = [folder / "national.json"]
    head = session.get(AuditHead, 1)
    national = published.national(session, url)
    national["audit_head"] = _signed(head) if head is not None and head.seq else None
    _write(written[0], national)
    for territory_id in session.scalars(
        select(TerritoryRow.territory_id).order_by(TerritoryRow.territory_id)
    ):
        path = folder / "territories" / f"{territory_id}.json"
        _write(path, published.territory(session, territory_id))
        written.append(path)
    for district_id in session.scalars(
        select(DistrictRow.district_id).order_by(DistrictRow.district_id)
    ):
        path = folder / "districts" / f"{district_id}.json"
        _write(path, published.district(session, district_id, url))
        written.append(path)
    return written
