"""The report in headless Chromium: a screenshot and a PDF, and no request leaves the
machine. Without Chromium these skip with the reason; under CI (CI=true) they fail."""

from __future__ import annotations

import struct
from pathlib import Path

from saylau.report.chromium import allowed, print_pdf, screenshot
from tests.report.helpers import need_chromium, report


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_chromium_opens_the_report_and_saves_a_screenshot(tmp_path: Path) -> None:
    need_chromium()
    report(tmp_path, "kz-1999")
    picture = tmp_path / "shot.png"
    refused = screenshot(tmp_path / "report.html", picture)
    assert refused == []
    data = picture.read_bytes()
    assert _png_size(data) == (1200, 900)
    assert len(data) > 50_000  # a drawn page, not a blank one (a blank one is ~5 KB)


def test_chromium_prints_the_report_to_pdf(tmp_path: Path) -> None:
    need_chromium()
    report(tmp_path, "spb-2021")
    pdf = tmp_path / "report.pdf"
    assert print_pdf(tmp_path / "report.html", pdf) == []
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-") and len(data) > 50_000


def test_a_page_may_load_only_its_files_and_loopback() -> None:
    assert allowed("file:///tmp/report.html") and allowed("data:image/png;base64,AAAA")
    assert allowed("http://127.0.0.1:8000/x") and allowed("http://localhost/x")
    assert not allowed("https://example.org/font.woff")
    assert not allowed("http://10.0.0.1/")
