"""The public results pages as a reader sees them, in Debian's headless Chromium against a
real server, while protocols of the 1999 election are entered through the API (two
operators each): names are shown and ids are not; the stations reporting match the
protocols accepted; districts with no protocol are listed; a district is "leading" until
its last station is in, then "elected"; a stage that waits says so in plain words; the page
updates without a reload and shows the time, and a reader who comes back sees what
changed since highlighted; at 1366x768 and 390x844 the same figures are shown, every
public page fits its width (in Kazakh and Russian too, on a phone), the seat diagram has a
legible legend in words, and axe-core finds no serious or critical violation. Screenshots
are kept (the test's folder, and build/screenshots/)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.service.browser import context, shoot
from tests.service.conftest import PASSWORD
from tests.service.reader import DESKTOP, FITS, PHONE, plain
from tests.service.server import Server

PAGES = ("/", "/districts/01", "/stations/01-001", "/stations/40-001")
LEGEND = """() => [...document.querySelectorAll(".hemicycle .legend li")]
  .map((el) => parseFloat(getComputedStyle(el).fontSize))"""


def enter(site: Server, bodies: list[dict[str, Any]]) -> None:
    """Each protocol entered by one operator and verified by another, through the API."""
    first, second = site.login("op1", PASSWORD), site.login("op2", PASSWORD)
    for body in bodies:
        status, made = site.request("POST", "/api/protocols", body, first)
        assert status == 201, made
        status, done = site.request(
            "POST", f"/api/protocols/{made['id']}/verify", {"values": body["values"]}, second
        )
        assert status == 201 and done["status"] == "accepted", done


def axe_problems(page: Any, where: str) -> list[str]:
    found = Axe().run(page).response["violations"]
    return [
        f"{where}: {v['id']} ({v['impact']}): {v['help']}; {[n['target'] for n in v['nodes']][:3]}"
        for v in found
        if v["impact"] in ("serious", "critical")
    ]


def test_a_reader_follows_the_count(
    site: Server, browser: Any, kz_protocols: Any, tmp_path: Path
) -> None:
    district = kz_protocols[("majilis-01", 1)]
    lists = [p for p in kz_protocols[("majilis-list", 1)] if p["station_id"].startswith("01-")]
    reader = context(browser, **DESKTOP).new_page()
    reader.goto(f"{site.base}/")
    expect(reader.locator("#decided")).to_contain_text("No protocol has been counted yet")
    assert reader.locator("tr[data-district]").count() == 67
    before = reader.locator("#updated").inner_text()
    returning = context(browser, **DESKTOP)  # looks once now, and again at the end
    first_look = returning.new_page()
    first_look.goto(f"{site.base}/")
    first_look.close()
    reader.evaluate("window.__stayed = true")

    enter(site, district[:-1] + lists[:3])
    row = reader.locator("tr[data-district='01']")
    expect(row).to_have_attribute("data-state", "leading", timeout=20_000)
    expect(row).to_contain_text(f"{len(district) - 1} of {len(district)} stations reporting")
    expect(row).to_contain_text("leading by")
    assert reader.evaluate("window.__stayed") is True, "the page reloaded itself"
    assert reader.locator("#updated").inner_text() != before
    assert reader.locator("#updated").get_attribute("datetime")
    assert reader.locator("#decided .changed").count() >= 1, "nothing changed is highlighted"
    expect(reader.locator("#announce")).to_contain_text("Last updated")
    akmola = reader.locator("#by-territory td[data-territory='akmola'][data-tier='list']")
    expect(akmola).to_contain_text("3 of 274 stations reporting (1.1%)")
    expect(reader.locator("#reporting-h + ul")).to_contain_text(
        "party lists: 3 of 4,912 stations reporting (0.1%)"
    )
    assert reader.locator("tr[data-district][data-state='no_protocol']").count() == 66
    expect(reader.locator("tr[data-district='40']")).to_contain_text("no protocol yet")
    waits = reader.locator(".waits")
    expect(waits).to_contain_text("New voting in district Atyrau city has not been ordered yet")
    expect(reader.locator("h2", has_text="seats as the count stands")).to_contain_text(
        "provisional"
    )
    expect(reader.locator(".hemicycle figcaption")).to_contain_text("Otan (Fatherland): ")
    problems = plain(reader, "dashboard, count under way")
    shoot(reader, tmp_path, "public-desktop-leading")

    enter(site, district[-1:])
    expect(row).to_have_attribute("data-state", "elected", timeout=20_000)
    expect(row).to_contain_text(f"{len(district)} of {len(district)} stations reporting (100.0%)")
    expect(row).to_contain_text("elected")
    assert reader.evaluate("window.__stayed") is True, "the page reloaded itself"
    shoot(reader, tmp_path, "public-desktop-elected")
    back = returning.new_page()
    back.goto(f"{site.base}/")
    again = back.locator("tr[data-district='01']")
    expect(again).to_have_class(re.compile(r"\bchanged\b"))  # since this reader last looked
    assert back.locator("tr[data-district='02']").get_attribute("class") in (None, "")

    for name, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page = context(browser, **size).new_page()
        for path in PAGES:
            where = f"{path} at {size['width']}px"
            answer = page.goto(site.base + path)
            assert answer is not None and answer.status == 200, where
            fits = page.evaluate(FITS)
            if fits["wide"] > fits["screen"] + 1 or fits["cut"]:
                problems.append(f"{where}: {fits['wide']}px wide, cut: {fits['cut']}")
            problems += plain(page, where) + axe_problems(page, where)
            shoot(page, tmp_path, f"public-{name}{path.replace('/', '-')}")
        page.goto(f"{site.base}/")
        shown = page.locator("tr[data-district='01']")  # the same figures at each width
        expect(shown).to_be_visible()
        expect(shown).to_have_attribute("data-state", "elected")
        expect(shown).to_contain_text(f"{len(district)} of {len(district)} stations reporting")
        expect(page.locator("tr[data-district='40']")).to_contain_text("no protocol yet")
        assert page.locator("tr[data-district][data-state='no_protocol']").count() == 66
        expect(page.locator("#reporting-h + ul")).to_contain_text(
            "party lists: 3 of 4,912 stations reporting (0.1%)"
        )
        expect(page.locator(".waits")).to_contain_text("has not been ordered yet")
        sizes = page.evaluate(LEGEND)
        if not sizes or min(sizes) < 12:
            problems.append(f"the seat diagram's legend at {size['width']}px: {sizes}")
    for language in ("kk", "ru"):  # longer words: still nothing cut on a phone
        page = context(browser, **PHONE, locale=language).new_page()
        for path in PAGES[:2]:
            page.goto(site.base + path)
            assert page.locator(f"html[lang={language}]").count() == 1
            updated = page.locator("#updated").inner_text()  # a month in words, never "M12"
            assert not re.search(r"\bM\d{1,2}\b", updated), f"{path} in {language}: {updated}"
            fits = page.evaluate(FITS)
            if fits["wide"] > fits["screen"] + 1 or fits["cut"]:
                problems.append(f"{path} in {language}: {fits['wide']}px wide, {fits['cut']}")
            shoot(page, tmp_path, f"public-phone-{language}{path.replace('/', '-')}")
    assert problems == [], "\n".join(problems)
