"""Who sees what in the audit trail (issue 22, item 7), on SQLite and PostgreSQL: a
supervisor reads its own commission's entries only, and a login's address is shown to
administrators only."""

from __future__ import annotations

import re
from typing import Any

from tests.service.conftest import Api
from tests.service.test_workflow import akmola


def targets(api: Api, user: str) -> set[str]:
    return {e["target"] for e in api.get("/api/audit", user, limit=1000).json()}


def test_a_supervisor_reads_its_own_commissions_entries_only(api: Api, kz_protocols: Any) -> None:
    mine = api.post("/api/protocols", "op1", akmola(kz_protocols, 50)).json()["id"]
    astana = next(p for p in kz_protocols[("majilis-list", 1)] if p["station_id"][:3] == "67-")
    theirs = api.post("/api/protocols", "op-other", astana).json()["id"]
    # The attack: a supervisor of one commission read every commission's entries.
    assert targets(api, "super") == {f"protocol:{mine}"}
    assert targets(api, "super-other") == {f"protocol:{theirs}"}
    assert {f"protocol:{mine}", f"protocol:{theirs}"} <= targets(api, "observer")
    assert any(t.startswith("user:") for t in targets(api, "observer"))
    asked = api.get("/api/audit", "super-other", target=f"protocol:{mine}").json()
    assert asked == []
    page = api.client.get("/audit", headers=api.as_("super-other")).text
    shown = set(re.findall(r"<td>(protocol:[0-9]+)</td>", page))
    assert shown == {f"protocol:{theirs}"}, shown


def test_login_addresses_are_shown_to_administrators_only(shared_api: Api) -> None:
    api = shared_api
    # The attack: every reader of the trail saw every user's login address.
    logins = [
        e for e in api.get("/api/audit", "admin", limit=1000).json() if "address" in e["detail"]
    ]
    assert logins, "the prepared logins record their address"
    for reader in ("observer", "super"):
        for entry in api.get("/api/audit", reader, limit=1000).json():
            assert "address" not in entry["detail"], (reader, entry)
    seen = {e["seq"]: e for e in api.get("/api/audit", "observer", limit=1000).json()}
    assert all(seen[e["seq"]]["hash"] == e["hash"] for e in logins)  # the entry, not its address
