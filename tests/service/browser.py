"""What the browser tests share: Debian's Chromium driven by Playwright (never Playwright's
own browser download), a fresh context per user, only loopback reachable, and screenshots
kept in the test's folder and copied under build/screenshots/ (ignored by git)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from saylau.report.chromium import ARGS, allowed, find_chromium
from tests.conftest import ROOT
from tests.report.helpers import need_chromium

SCREENSHOTS = ROOT / "build" / "screenshots"


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium (the system's), its requests held to loopback."""
    need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=find_chromium(), headless=True, args=list(ARGS)
        )
        try:
            yield browser
        finally:
            browser.close()


def context(browser: Any, width: int = 1200, height: int = 900, **options: Any) -> Any:
    """A new browser context (its own cookies) whose requests may reach loopback only."""
    found = browser.new_context(viewport={"width": width, "height": height}, **options)

    def guard(route: Any) -> None:
        if allowed(route.request.url):
            route.continue_()
        else:
            route.abort()

    found.route("**/*", guard)
    return found


def log_in(page: Any, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("button:has-text('Log in')")
    page.wait_for_url(f"{base}/")


def shoot(page: Any, folder: Path, name: str) -> Path:
    """A full-page screenshot into `folder`, copied under build/screenshots/."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, SCREENSHOTS / path.name)
    return path


def fill_protocol(page: Any, form: str, values: dict[str, Any]) -> None:
    """Type a protocol's figures into the form `form`: each line the form carries, and
    every entry's votes."""
    for part, prefix in (("lines", "line"), ("votes", "votes")):
        for name, value in values[part].items():
            field = page.locator(f"{form} [id='{prefix}.{name}']")
            if field.count():
                field.fill(str(value))
