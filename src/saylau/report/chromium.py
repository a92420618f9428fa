"""The report printed to PDF, or photographed, by headless Chromium driven by Playwright.

Chromium is the system's own (`/usr/bin/chromium`, or `chromium` on the PATH); Playwright's
browser download is never used. It runs headless with a fresh profile in a temporary
folder, with background networking, updates and sync switched off, and it may load only
the page's own file and loopback addresses: every other request is refused and named in
the result, so a page that tried to fetch anything can be caught.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlsplit

from saylau.errors import InputError

ARGS: Final = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
CANDIDATES: Final = ("/usr/bin/chromium", "chromium", "chromium-browser")
LOOPBACK: Final = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})
ALLOWED_SCHEMES: Final = frozenset({"file", "data", "about", "blob"})


def find_chromium() -> str | None:
    """The path of the system's Chromium, or None when it is not installed."""
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def allowed(url: str) -> bool:
    """Whether the browser may load `url`: the page's files, inline data, loopback."""
    parts = urlsplit(url)
    if parts.scheme in ALLOWED_SCHEMES:
        return True
    return parts.scheme in ("http", "https", "ws", "wss") and parts.hostname in LOOPBACK


@dataclass
class Visit:
    """A page open in the browser, and every request it was refused."""

    page: Any
    refused: list[str] = field(default_factory=list)


@contextmanager
def opened(html: Path, *, width: int = 1200, height: int = 900) -> Iterator[Visit]:
    """`html` open in headless Chromium, in a viewport of `width` x `height` pixels."""
    executable = find_chromium()
    if executable is None:
        raise InputError(
            "Chromium is not installed: install it (apt-get install -y chromium) to print "
            "the report to PDF or take its picture"
        )
    try:
        from playwright.sync_api import Route, sync_playwright
    except ImportError:
        raise InputError(
            "the PDF and the picture of the report need the pdf extra: pip install 'saylau[pdf]'"
        ) from None
    with tempfile.TemporaryDirectory(prefix="saylau-chromium-") as profile, sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            profile,
            executable_path=executable,
            headless=True,
            args=list(ARGS),
            viewport={"width": width, "height": height},
            offline=True,
        )
        try:
            visit = Visit(context.new_page())

            def guard(route: Route) -> None:
                url = route.request.url
                if allowed(url):
                    route.continue_()
                else:
                    visit.refused.append(url)
                    route.abort()

            context.route("**/*", guard)
            visit.page.goto(html.resolve().as_uri(), wait_until="load")
            yield visit
        finally:
            context.close()


def print_pdf(html: Path, pdf: Path) -> list[str]:
    """Print the page to `pdf` (A4, every district opened); return the refused requests."""
    with opened(html) as visit:
        visit.page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        visit.page.emulate_media(media="print")
        visit.page.pdf(path=str(pdf), format="A4", print_background=True)
        return visit.refused


def screenshot(html: Path, png: Path, *, width: int = 1200, height: int = 900) -> list[str]:
    """A picture of the top of the page, `width` x `height`; return the refused requests."""
    with opened(html, width=width, height=height) as visit:
        visit.page.screenshot(path=str(png), full_page=False)
        return visit.refused
