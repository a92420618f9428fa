"""A repeat election (contests.csv tier `repeat_election`) loads into the service, and a
database migrated before the tier existed takes it on upgrade (migration 0007), its rows
kept: on SQLite the contests table is rebuilt while other tables refer to its rows."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import func, select

from saylau.service.db import dispose, engine_for, is_sqlite, reading, writing
from saylau.service.load import load_election
from saylau.service.migrate import alembic_config, current, head, upgrade
from saylau.service.models import ContestRow, StationRow
from tests.service import postgres

DEMO = Path(__file__).parents[2] / "examples" / "demo-election"


def with_repeat(folder: Path) -> Path:
    """The demo election, its law holding repeat elections after a failed district, and d2's
    repeat election (house-d2r, replacing house-d2) with d2's three people standing again."""
    target = folder / "demo"
    shutil.copytree(DEMO, target)
    law = target / "law" / "demo-house.toml"
    text = law.read_text(encoding="utf-8")
    text = text.replace(
        'against_all_wins = "no_effect"\n',
        'against_all_wins = "no_effect"\nfailed = "repeat_election"\n',
        1,
    ).replace(
        'failed = "[V] D1 art. 7: the seat of a district whose voting failed stays vacant"',
        'failed = "[V] D1 art. 7: a repeat election in a district whose voting failed"',
    )
    law.write_text(text, encoding="utf-8")
    with (target / "contests.csv").open("a", encoding="utf-8") as contests:
        contests.write("house-d2r,house,repeat_election,d2,south,house-d2\n")
    with (target / "candidates.csv").open("a", encoding="utf-8") as candidates:
        candidates.write("d2r-blue,house-d2r,Ka Blue,blue\nd2r-green,house-d2r,Lu Green,green\n")
    return target


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of each kind."""
    if request.param == "postgresql":
        url = postgres.new_database(request.getfixturevalue("pg_server"))
    else:
        url = f"sqlite:///{tmp_path / 'saylau.db'}"
    try:
        yield url
    finally:
        dispose(url)


def test_repeat_election_loads(fresh_url: str, tmp_path: Path) -> None:
    upgrade(fresh_url)
    source = with_repeat(tmp_path)
    with writing(fresh_url) as session:
        report = load_election(session, str(source))
    assert report.contests == 5
    with reading(fresh_url) as session:
        repeat = session.get(ContestRow, "house-d2r")
        assert repeat is not None
        assert (repeat.tier, repeat.district_id, repeat.replaces) == (
            "repeat_election",
            "d2",
            "house-d2",
        )
        # decided like round 1 and its runoff: the district tier's two rounds
        assert repeat.rounds == 2


def demo_at_0006(url: str) -> None:
    """The database migrated to 0006, the last revision before the tier, holding the demo."""
    config = alembic_config(url)
    with engine_for(url, True).begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0006")
    with writing(url) as session:
        load_election(session, str(DEMO))


def test_upgrade_keeps_rows(fresh_url: str, tmp_path: Path) -> None:
    demo_at_0006(fresh_url)
    assert upgrade(fresh_url) == ("0006", head())
    assert current(fresh_url) == head()
    with reading(fresh_url) as session:
        assert session.scalar(select(func.count()).select_from(ContestRow)) == 4
        assert session.scalar(select(func.count()).select_from(StationRow)) > 0
    with writing(fresh_url) as session:  # the upgraded check takes the new tier
        row = ContestRow(contest_id="house-d2r", chamber="house", tier="repeat_election")
        row.district_id, row.territory_id, row.replaces = "d2", "south", "house-d2"
        row.rounds, row.position = 2, 4
        session.add(row)
    if is_sqlite(fresh_url):  # the connections migrated keep their foreign keys on
        with engine_for(fresh_url, True).connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_an_upgrade_that_would_leave_a_row_referring_to_none_is_refused(tmp_path: Path) -> None:
    """SQLite: a database at 0006 holding a station of no territory (written with its
    foreign keys off) is not upgraded; `saylau db upgrade` says why in one line."""
    from typer.testing import CliRunner

    from saylau.cli import app

    url = f"sqlite:///{tmp_path / 'saylau.db'}"
    demo_at_0006(url)
    dispose(url)
    broken = sqlite3.connect(tmp_path / "saylau.db")  # foreign keys off: SQLite's default
    broken.execute("UPDATE stations SET territory_id = 'nowhere'")
    broken.commit()
    broken.close()
    answer = CliRunner().invoke(app, ["db", "upgrade", "--url", url])
    assert answer.exit_code == 2, answer.output
    assert "referring to no territories row" in answer.output
    assert "Traceback" not in answer.output
    assert current(url) == "0006"
    dispose(url)
