"""Every page on a phone (375 x 740, touch), in Chromium: it fits the screen's width (wide
tables scroll inside their own box), every field has a label, text has a contrast of at
least 4.5:1 (3:1 when large), buttons and fields are at least 44 px high, and the keyboard
reaches the skip link first and then every control, each focus visibly marked. A
screenshot of each page is saved (the test's folder, copied under build/screenshots/)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from tests.service.browser import context, log_in, shoot
from tests.service.conftest import PASSWORD
from tests.service.server import Server

CHECKS = """() => {
  const problems = [];
  const width = document.documentElement.scrollWidth;
  if (width > window.innerWidth + 1) problems.push(`the page is ${width}px wide`);
  for (const el of document.querySelectorAll("input, select, textarea")) {
    if (el.type === "hidden") continue;
    if (!(el.labels && el.labels.length) && !el.getAttribute("aria-label"))
      problems.push(`no label: ${el.outerHTML.slice(0, 80)}`);
  }
  for (const el of document.querySelectorAll("button, select, input:not([type=hidden])")) {
    if (el.type === "radio" || el.type === "checkbox") continue;
    const box = el.getBoundingClientRect();
    if (box.height && box.height < 44)
      problems.push(`${box.height}px high: ${el.outerHTML.slice(0, 60)}`);
  }
  const rgb = (s) => (s.match(/rgba?\\(([^)]+)\\)/) || [null, null])[1]?.split(",").map(Number);
  const lin = (c) => {
    c /= 255;
    return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
  };
  const lum = (c) => 0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2]);
  const behind = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c && (c.length < 4 || c[3] > 0)) return c;
    }
    return [255, 255, 255];
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  while (walker.nextNode()) {
    const text = walker.currentNode.textContent.trim();
    const el = walker.currentNode.parentElement;
    if (!text || seen.has(el) || el.closest("svg")) continue;
    seen.add(el);
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    if (style.visibility === "hidden" || !box.width || !box.height || box.right < 0) continue;
    const a = lum(rgb(style.color)), b = lum(behind(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const size = parseFloat(style.fontSize), bold = Number(style.fontWeight) >= 700;
    const need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    if (ratio < need)
      problems.push(`contrast ${ratio.toFixed(2)} < ${need}: "${text.slice(0, 40)}"`);
  }
  return problems;
}"""

FOCUS = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {
    tag: el.tagName, text: (el.textContent || el.name || "").trim().slice(0, 40),
    marked: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
    shown: box.right > 0 && box.bottom > 0 && box.width > 0,
  };
}"""


def check_page(page: Any, url: str, name: str, folder: Path) -> list[str]:
    answer = page.goto(url)
    assert answer is not None and answer.status == 200, (url, answer and answer.status)
    problems: list[str] = [f"{name}: {p}" for p in page.evaluate(CHECKS)]
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.keyboard.press("Tab")
    first = page.evaluate(FOCUS)
    if first["text"] != "Skip to content" or not first["shown"]:
        problems.append(f"{name}: the first Tab reaches {first}, not a visible skip link")
    for _ in range(12):
        found = page.evaluate(FOCUS)
        if found["tag"] == "BODY":
            break
        if not (found["marked"] and found["shown"]):
            problems.append(f"{name}: focus on {found} is not visibly marked")
        page.keyboard.press("Tab")
    shoot(page, folder, f"phone-{name}")
    return problems


def test_every_page_works_on_a_phone(
    site: Server, browser: Any, kz_protocols: Any, tmp_path: Path
) -> None:
    body = copy.deepcopy(
        next(p for p in kz_protocols[("majilis-list", 1)] if p["station_id"] == "01-030")
    )
    body["values"]["lines"]["ballots_found"] = body["values"]["lines"]["took_part"] + 5
    token = site.login("op1", PASSWORD)
    status, made = site.request("POST", "/api/protocols", {**body, "client_key": "phone"}, token)
    assert status in (200, 201), made
    phone = {"width": 375, "height": 740, "is_mobile": True, "has_touch": True}
    pages: dict[str | None, list[tuple[str, str]]] = {
        None: [
            ("/", "dashboard"),
            ("/login", "login"),
            ("/districts/01", "district"),
            ("/stations/01-001", "station"),
        ],
        "op1": [
            ("/enter?station_id=01-031&contest_id=majilis-list&round=1", "enter"),
            (f"/protocols/{made['id']}", "protocol-rejected"),
            ("/queue", "queue"),
        ],
        "observer": [("/audit", "audit")],
        "admin": [("/admin/users", "users")],
    }
    problems: list[str] = []
    for user, found in pages.items():
        page = context(browser, **phone).new_page()
        if user is not None:
            log_in(page, site.base, user, PASSWORD)
        for path, name in found:
            problems += check_page(page, site.base + path, name, tmp_path)
    assert problems == [], "\n".join(problems)
