"""The web pages in Debian's headless Chromium, driven by Playwright, against a real server:
an operator logs in, enters a protocol with an error and sees it inline, then corrects it;
a second operator verifies it, and a dashboard left open shows the new totals without
reloading; an observer cannot submit. Screenshots are saved by the run (the test's folder,
copied under build/screenshots/). Without Chromium these skip with the reason; under
CI=true they fail."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from tests.service.browser import context, fill_protocol, log_in, shoot
from tests.service.conftest import PASSWORD
from tests.service.server import Server


def akmola_list(kz_protocols: dict[tuple[str, int], list[dict[str, Any]]], n: int) -> Any:
    rows = [p for p in kz_protocols[("majilis-list", 1)] if p["station_id"].startswith("01-")]
    return copy.deepcopy(rows[n])


AKMOLA_LISTS = "#by-territory td[data-territory='akmola'][data-tier='list']"
"""Akmola's stations reporting the party lists, on the dashboard."""


def counted(page: Any) -> int:
    return int(page.locator(AKMOLA_LISTS).get_attribute("data-counted"))


def test_enter_with_an_error_correct_verify_and_the_dashboard_follows(
    site: Server, browser: Any, kz_protocols: Any, tmp_path: Path
) -> None:
    body = akmola_list(kz_protocols, 20)
    good = body["values"]
    wrong = copy.deepcopy(good)
    wrong["lines"]["ballots_found"] = good["lines"]["took_part"] + 5
    base = site.base

    watcher = context(browser).new_page()  # the public dashboard, left open throughout
    watcher.goto(f"{base}/")
    before = counted(watcher)
    watcher.evaluate("window.__stayed = true")

    first = context(browser).new_page()
    log_in(first, base, "op1", PASSWORD)
    first.goto(f"{base}/enter?station_id={body['station_id']}&contest_id=majilis-list&round=1")
    fill_protocol(first, "#entry", wrong)
    shoot(first, tmp_path, "1-entry-form")
    first.click("#entry button[type=submit]")
    first.wait_for_url(f"{base}/protocols/*")
    assert first.locator("#status").inner_text() == "rejected"
    inline = first.locator("#correct .field.invalid .error")
    assert inline.count() >= 1, first.content()
    assert inline.first.is_visible() and inline.first.inner_text().strip()
    assert first.locator("#correct [aria-invalid=true]").count() >= 1
    shoot(first, tmp_path, "2-rejected-with-errors-inline")

    fill_protocol(first, "#correct", good)
    first.fill("#reason", "ballots found misread from the paper protocol")
    with first.expect_navigation():  # the answer's page, not the form still showing
        first.click("#correct button[type=submit]")
    assert first.locator("#status").inner_text() == "entered"
    assert "version 2" in first.inner_text("main")
    corrected = first.url
    shoot(first, tmp_path, "3-corrected")

    second = context(browser).new_page()
    log_in(second, base, "op2", PASSWORD)
    second.goto(corrected)
    fill_protocol(second, "#verify", good)
    with second.expect_navigation():  # the answer's page, not the form still showing
        second.click("#verify button[type=submit]")
    assert second.locator("#status").inner_text() == "accepted"
    shoot(second, tmp_path, "4-verified-and-accepted")

    second.goto(f"{base}/")
    assert counted(second) == before + 1
    # a locator assertion polls without evaluating a string, which the pages' CSP forbids
    expect(watcher.locator(AKMOLA_LISTS)).to_have_attribute(
        "data-counted", str(before + 1), timeout=15_000
    )
    assert watcher.evaluate("window.__stayed") is True, "the dashboard reloaded itself"
    expect(watcher.locator(AKMOLA_LISTS)).to_contain_text(f"{before + 1} of 274 stations")
    shoot(watcher, tmp_path, "5-dashboard-updated-live")


def test_an_observer_cannot_submit(
    site: Server, browser: Any, kz_protocols: Any, tmp_path: Path
) -> None:
    body = akmola_list(kz_protocols, 21)
    page = context(browser).new_page()
    log_in(page, site.base, "observer", PASSWORD)
    assert page.locator("nav a", has_text="Enter a protocol").count() == 0
    answer = page.goto(
        f"{site.base}/enter?station_id={body['station_id']}&contest_id=majilis-list&round=1"
    )
    assert answer is not None and answer.status == 403
    assert page.locator("#entry").count() == 0
    assert "may not submit a protocol (protocol.submit)" in page.inner_text("main")
    shoot(page, tmp_path, "6-observer-refused")
    csrf = page.locator("input[name=csrf]").first.get_attribute("value")
    assert csrf, "the observer's pages carry its session's CSRF token"
    form = {"csrf": csrf, "station_id": body["station_id"], "contest_id": "majilis-list"}
    form |= {"round": "1", "client_key": "observer-try"}
    form |= {f"line.{k}": str(v) for k, v in body["values"]["lines"].items()}
    form |= {f"votes.{k}": str(v) for k, v in body["values"]["votes"].items()}
    posted = page.request.post(f"{site.base}/enter", form=form)
    assert posted.status == 403 and "may not submit a protocol (protocol.submit)" in posted.text()
    token = site.login("admin", PASSWORD)
    status, listed = site.request(
        "GET", f"/api/protocols?station_id={body['station_id']}", token=token
    )
    assert status == 200 and listed["total"] == 0
