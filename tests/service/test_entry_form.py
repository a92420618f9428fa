"""The entry form as a careless or hostile hand fills it: every figure it cannot read, a
round that is not one, and a field that is neither a line nor votes are refused on the
page, naming what is wrong; nothing is read as something else, nothing is stored."""

from __future__ import annotations

from typing import Any

import pytest

from tests.service.conftest import Api
from tests.service.test_workflow import akmola


def form_of(body: dict[str, Any]) -> dict[str, str]:
    form = {"station_id": body["station_id"], "contest_id": "majilis-list", "round": "1"}
    form |= {f"line.{k}": str(v) for k, v in body["values"]["lines"].items()}
    form |= {f"votes.{k}": str(v) for k, v in body["values"]["votes"].items()}
    return form


@pytest.mark.parametrize(
    ("change", "said"),
    [
        ({"round": "\u00b2"}, "round: '\u00b2' is not a round (1 to 9)"),
        ({"round": "abc"}, "round: 'abc' is not a round (1 to 9)"),
        ({"votes.otan": "\u0661\u0662"}, "otan: '\u0661\u0662' is not a whole number"),
        ({"votes.otan": "1_000"}, "otan: '1_000' is not a whole number"),
        ({"votes.otan": "12.5"}, "otan: '12.5' is not a whole number"),
        ({"lines.otan": "12"}, "field 'lines.otan' is neither a line"),
    ],
)
def test_a_form_it_cannot_read_is_refused_on_the_page(
    shared_api: Api, kz_protocols: Any, change: dict[str, str], said: str
) -> None:
    api = shared_api
    form = form_of(akmola(kz_protocols, 30)) | change
    answer = api.client.post("/enter", data=form, headers=api.as_("op1"), follow_redirects=False)
    assert answer.status_code == 422, answer.text
    assert said in answer.text.replace("&#39;", "'"), answer.text
    listed = api.get("/api/protocols", "admin", station_id=form["station_id"]).json()
    assert listed["total"] == 0


def test_figures_as_on_paper_are_read(api: Api, kz_protocols: Any) -> None:
    body = akmola(kz_protocols, 31)
    form = form_of(body)
    otan = body["values"]["votes"]["otan"]
    form["votes.otan"] = f" {otan:,} "  # a comma between thousands, spaces around
    answer = api.client.post("/enter", data=form, headers=api.as_("op1"), follow_redirects=False)
    assert answer.status_code == 303, answer.text
    listed = api.get("/api/protocols", "op1", station_id=body["station_id"]).json()  # its own
    assert listed["total"] == 1 and listed["protocols"][0]["values"]["votes"]["otan"] == otan
