"""A full replay of kz-1999, every protocol of every round, into the temporary service
`saylau replay --serve` starts, as fast as it takes them: it ends with the live result equal
to the batch run and the audit chain verified. Then the public page it leaves, photographed
in Chromium at desktop (1366x768) and phone (390x844) sizes in each language.

The pictures in docs/screenshots/ are rewritten by this test when SAYLAU_UPDATE_SCREENSHOTS=1
(`SAYLAU_UPDATE_SCREENSHOTS=1 .venv/bin/pytest -p no:cacheprovider
tests/service/test_replay_full.py`); otherwise they are taken into the test's folder, and
those in docs/ are checked to exist, to be under 200 KB and to be shown by docs/service.md.

The service's database lies on a memory file system where there is one (/dev/shm): a
commit's fsync costs nothing there, and the replay is what is tested, not the disk.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from saylau.pipeline.run import load_inputs
from saylau.report.i18n import LANGUAGES
from saylau.service.replay.check import Check, audit_verified, live_equals_batch
from saylau.service.replay.client import Api
from saylau.service.replay.local import Local, temporary_service
from saylau.service.replay.plan import make_plan
from saylau.service.replay.play import Pace, Played, play
from tests.conftest import ROOT
from tests.service.browser import context

SHOTS = ROOT / "docs" / "screenshots"
SIZES = {"desktop": (1366, 768), "phone": (390, 844)}
MOST_BYTES = 200_000
UPDATE = os.environ.get("SAYLAU_UPDATE_SCREENSHOTS") == "1"
MEMORY = Path("/dev/shm")

pytestmark = pytest.mark.xdist_group("replay_full")  # one worker plays the night once


def shot_names() -> list[str]:
    return [f"public-{lang}-{size}.png" for lang in LANGUAGES for size in SIZES]


@dataclass(frozen=True)
class Night:
    local: Local
    played: Played
    checks: list[Check]
    said: list[str]


@pytest.fixture(scope="module")
def night(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Night]:
    inputs, root = load_inputs("kz-1999")
    plan = make_plan(inputs, 1999)
    parent = MEMORY if MEMORY.is_dir() and os.access(MEMORY, os.W_OK) else None
    said: list[str] = []
    with temporary_service("kz-1999", workers=2, parent=parent) as local:
        played = play(local.url, plan, inputs, local.admin, Pace(speed=0, clients=8), said.append)
        api = Api(local.url)
        try:
            api.login(*local.admin)
            checks = [live_equals_batch(api, inputs, root), audit_verified(api, local.admin[0])]
        finally:
            api.close()
        yield Night(local, played, checks, said)


def test_a_full_replay_ends_with_live_equal_to_batch_and_the_audit_verified(
    night: Night,
) -> None:
    assert [c.text.split(":")[0] for c in night.checks] == ["live = batch", "audit verified"]
    assert all(c.passed for c in night.checks), night.checks
    assert [(name, n) for name, n, _ in night.played.phases] == [
        ("round 1", 9824),
        ("round 2 (runoffs)", 3514),
        ("new voting", 236),
    ]
    assert night.played.resolved == 5
    assert night.played.published == "published: 84 snapshot files"  # nation, 16, 67
    assert night.played.stages[-3:] == [
        "majilis: round 1 closed",
        "majilis: round 2 closed",
        "senate: round 1 closed",
    ]
    snapshots = night.local.folder / "snapshots"
    assert (snapshots / "national.json").is_file()


def test_the_public_page_after_the_replay_in_each_language_and_size(
    night: Night, browser: Any, tmp_path: Path
) -> None:
    folder = SHOTS if UPDATE else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    base = night.local.url
    for lang in LANGUAGES:
        for size, (width, height) in SIZES.items():
            found = context(
                browser, width, height, locale={"kk": "kk-KZ", "ru": "ru-RU"}.get(lang, "en-US")
            )
            found.add_cookies([{"name": "lang", "value": lang, "url": base}])
            page = found.new_page()
            page.goto(f"{base}/", wait_until="load")  # the live stream never idles
            page.locator("h1").first.wait_for()
            assert page.locator("html").get_attribute("lang") == lang
            if lang != "en":  # the chamber by its name in the language, seat diagram too
                assert "Majilis" not in page.content(), f"{lang}: the chamber in English"
            wide = page.evaluate("document.documentElement.scrollWidth")
            assert wide <= width, f"{lang} {size}: the page is {wide} px wide in {width}"
            data = page.screenshot(full_page=False, animations="disabled")
            assert len(data) < MOST_BYTES, f"{lang} {size}: {len(data):,} bytes"
            (folder / f"public-{lang}-{size}.png").write_bytes(data)
            found.close()
    if not UPDATE:
        shutil.copytree(tmp_path, ROOT / "build" / "screenshots" / "replay", dirs_exist_ok=True)


def test_the_screenshots_are_in_the_docs_small_and_shown() -> None:
    """docs/screenshots/ holds every picture, each under 200 KB, each shown by
    docs/service.md (SAYLAU_UPDATE_SCREENSHOTS=1 rewrites them: see the module's doc)."""
    text = (ROOT / "docs" / "service.md").read_text(encoding="utf-8")
    for name in shot_names():
        path = SHOTS / name
        assert path.is_file(), f"{path} is missing: SAYLAU_UPDATE_SCREENSHOTS=1 makes it"
        assert path.stat().st_size < MOST_BYTES, f"{path}: {path.stat().st_size:,} bytes"
        assert f"screenshots/{name}" in text, f"docs/service.md does not show {name}"
