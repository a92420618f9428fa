"""The public page while `saylau replay` plays a night into a real server, watched in
Debian's headless Chromium at desktop (1366x768) and phone (390x844) widths from before the
first protocol to the last stage.

Each page records every state it shows (a MutationObserver on the figures the page swaps in
as the count moves on): each district's state with its "N of M stations reporting", what
the count waits for, the time of the last update, and any id or developer's message. Then,
at both widths: no district was ever shown elected (or in a runoff, or with no one elected)
on an incomplete count; a district was seen leading and later decided; the page never
reloaded and its time moved on; what it waited for was said in plain words; and at the end
the stations reporting equal the protocols the API counts as accepted, and the districts
with no protocol are listed by name.

One small territory (Astana: one district, 113 stations, a runoff) at a fast speed, so the
whole night takes well under a minute."""

from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.service.browser import context, shoot
from tests.service.conftest import PASSWORD
from tests.service.reader import DESKTOP, DEVELOPER, IDS, PHONE, misfits, plain
from tests.service.server import SAYLAU, Server

pytestmark = pytest.mark.xdist_group("replay_full")  # never beside the whole night's replay

TERRITORY = "astana"
DISTRICT = "67"
SPEED = 20
"""Protocols a second: Astana's 339 protocols (two rounds) in about 20 s."""

READER_IDS = re.compile(rf"{IDS.pattern}|\b{TERRITORY}\b")

WATCH = """([pattern, developer]) => {
  const box = document.getElementById("decided");
  const ids = new RegExp(pattern, "g");
  const seen = { rows: [], waits: [], updated: [], shown: [] };
  const last = {};
  window.__stayed = true;
  window.__seen = seen;
  function once(list, value) {
    if (list.length === 0 || list[list.length - 1] !== value) list.push(value);
  }
  function look() {
    box.querySelectorAll("tr[data-district]").forEach((row) => {
      const reporting = row.cells[2].textContent.replace(/\\s+/g, " ").trim();
      const state = row.dataset.state;
      const key = state + "|" + reporting;
      if (last[row.dataset.district] !== key) {
        last[row.dataset.district] = key;
        seen.rows.push([row.dataset.district, state, reporting]);
      }
    });
    const waits = box.querySelector(".waits");
    once(seen.waits, waits ? waits.innerText.replace(/\\s+/g, " ").trim() : "");
    const time = document.getElementById("updated");
    if (time) once(seen.updated, (time.getAttribute("datetime") || "") + "|" + time.textContent);
    const text = box.innerText;
    for (const found of text.matchAll(ids)) seen.shown.push(found[0]);
    for (const words of developer) if (text.includes(words)) seen.shown.push(words);
  }
  look();
  new MutationObserver(look).observe(box, { childList: true, subtree: true, characterData: true });
}"""

REPORTING = re.compile(
    r"(?:round (\d+): )?(?:new voting: )?([\d,]+) of ([\d,]+) stations reporting"
)


def reporting(text: str) -> tuple[int, int, int]:
    """(round, counted, stations) of a district row's reporting cell."""
    found = REPORTING.search(text)
    assert found is not None, text
    round, counted, stations = found.groups()
    return int(round or 1), int(counted.replace(",", "")), int(stations.replace(",", ""))


def shown_too_soon(rows: list[list[str]]) -> list[str]:
    """Every state shown as the law's decision on an incomplete count. A runoff is the
    first round's decision, so it stands beside a second round not yet begun."""
    found = []
    for district, state, text in rows:
        round, counted, stations = reporting(text)
        early = counted < stations
        if state == "runoff" and round == 2 and counted == 0:
            early = False
        if state in ("elected", "runoff", "not_elected") and early:
            found.append(f"district {district}: {state} at {text!r}")
    return found


def decided_after_leading(rows: list[list[str]]) -> list[str]:
    """The districts seen leading and, later, elected or in a runoff."""
    leading: set[str] = set()
    found = []
    for district, state, _ in rows:
        if state == "leading":
            leading.add(district)
        elif state in ("elected", "runoff") and district in leading and district not in found:
            found.append(district)
    return found


def accepted(site: Server, token: str, **where: str | int) -> int:
    """How many protocols the API counts as accepted, where `where` says."""
    query = "&".join(f"{k}={v}" for k, v in {**where, "status": "accepted", "limit": 1}.items())
    status, answer = site.request("GET", f"/api/protocols?{query}", token=token)
    assert status == 200, answer
    total: int = answer["total"]
    return total


def stations(site: Server, token: str, **where: str) -> int:
    query = "&".join(f"{k}={v}" for k, v in {**where, "limit": 10000}.items())
    status, answer = site.request("GET", f"/api/registry/stations?{query}", token=token)
    assert status == 200, answer
    return len(answer["stations"])


def test_a_replay_watched_at_both_widths(site: Server, browser: Any, tmp_path: Path) -> None:
    pages = {}
    for name, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page = context(browser, **size).new_page()
        page.goto(f"{site.base}/", wait_until="load")
        page.evaluate(WATCH, [READER_IDS.pattern, list(DEVELOPER)])
        pages[name] = page
    password = tmp_path / "admin-password"
    password.write_text(PASSWORD, encoding="utf-8")
    command = [str(SAYLAU), "replay", "kz-1999", "--url", site.base, "--territory", TERRITORY]
    command += ["--speed", str(SPEED), "--password-file", str(password), "--quiet"]
    replay = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while replay.poll() is None:  # the pages' requests pass through Playwright: keep it turning
        assert time.monotonic() < deadline, "the replay took more than two minutes"
        pages["desktop"].wait_for_timeout(200)
    said = replay.communicate()[0].decode()
    assert replay.returncode == 0, said
    assert "live = batch: " in said and "audit verified: " in said, said

    token = site.login("observer", PASSWORD)
    status, national = site.request("GET", "/api/results", token=token)
    assert status == 200, national
    lists = accepted(site, token, contest_id="majilis-list", round=1)
    runoff = accepted(site, token, contest_id=f"majilis-{DISTRICT}", round=2)
    everywhere = stations(site, token)
    here = stations(site, token, district_id=DISTRICT)
    assert lists == here == runoff > 0
    majilis = next(c for c in national["chambers"] if c["chamber_id"] == "majilis")
    assert majilis["districts"][f"majilis-{DISTRICT}"] == "decided"  # as the page says it
    problems: list[str] = []
    for name, page in pages.items():
        where = f"at {name} width"
        page.wait_for_function(
            "seq => document.getElementById('freshness').dataset.seq === String(seq)",
            arg=national["seq"],
            timeout=20_000,
        )
        seen = page.evaluate("window.__seen")
        assert page.evaluate("window.__stayed") is True, f"{where}: the page reloaded itself"
        problems += [f"{where}: {p}" for p in shown_too_soon(seen["rows"])]
        assert DISTRICT in decided_after_leading(seen["rows"]), (where, seen["rows"][:40])
        states = [state for d, state, _ in seen["rows"] if d == DISTRICT]
        assert states[0] == "no_protocol" and states[-1] == "elected", (where, states)
        times = [t for t in seen["updated"] if t.split("|")[0]]
        assert len({t.split("|")[0] for t in times}) >= 3, f"{where}: {seen['updated']}"
        assert seen["updated"][0] != seen["updated"][-1], f"{where}: the time never moved"
        assert all(re.search(r"[A-Z][a-z]{2}", t.split("|")[1]) for t in times), times
        waits = " ".join(seen["waits"])
        assert "No protocol has been counted yet" in waits, where
        assert "New voting in district Atyrau city has not been ordered yet" in waits, where
        problems += [f"{where}: shown {text!r}" for text in sorted(set(seen["shown"]))]

        row = page.locator(f"tr[data-district='{DISTRICT}']")  # the end, as the API has it
        expect(row).to_have_attribute("data-state", "elected")
        expect(row).to_contain_text(f"round 2: {runoff} of {here} stations reporting (100.0%)")
        expect(page.locator("#reporting-h + ul")).to_contain_text(
            f"party lists: {lists} of {everywhere:,} stations reporting"
        )
        cell = page.locator(f"#by-territory td[data-territory='{TERRITORY}'][data-tier='list']")
        expect(cell).to_have_attribute("data-counted", str(lists))
        quiet = page.locator("tr[data-district][data-state='no_protocol']")
        assert quiet.count() == 66, f"{where}: {quiet.count()} districts with no protocol"
        expect(page.locator("tr[data-district='40']")).to_contain_text("no protocol yet")
        expect(page.locator("tr[data-district='40'] th")).to_contain_text("Kyzylorda No. 2")
        problems += plain(page, where) + misfits(page, where)
        shoot(page, tmp_path, f"public-replay-{name}")
    assert problems == [], "\n".join(problems)
