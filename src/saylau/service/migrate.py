"""`saylau db upgrade`: bring a database to the newest migration (Alembic)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

from saylau.errors import SaylauError
from saylau.service.config import database_url
from saylau.service.db import engine_for, is_sqlite

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str | None = None) -> tuple[str | None, str]:
    """Run every migration not yet applied; (revision before, revision after)."""
    found = database_url(url)
    config = alembic_config(found)
    with engine_for(found, True).connect() as connection:
        keys = _foreign_keys(connection, False) if is_sqlite(found) else None
        try:
            with connection.begin():
                before = MigrationContext.configure(connection).get_current_revision()
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
                if keys is not None:
                    _orphans(connection)
        finally:
            if keys is not None:
                _foreign_keys(connection, True)
    return before, head()


def _foreign_keys(connection: Connection, on: bool) -> bool:
    """SQLite: turn its foreign keys on or off, outside a transaction (the only place the
    pragma works). Off while migrating, as SQLite advises for a table rebuilt by copying
    (batch mode), whose rows other tables refer to: dropping the old one would fail."""
    raw = connection.connection.driver_connection
    assert raw is not None
    raw.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")
    return on


def _orphans(connection: Connection) -> None:
    """SQLite: refuse the migration (its transaction rolls back) if a row refers to none."""
    found = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if found:
        table, row, parent, _ = found[0]
        raise SaylauError(
            f"the migration would leave {table} row {row} referring to no {parent} row: "
            "it is not applied (check the database with PRAGMA foreign_key_check)"
        )


def head() -> str:
    """The newest migration's revision."""
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    found = script.get_current_head()
    assert found is not None
    return found


def current(url: str | None = None) -> str | None:
    """The revision a database is at; None before its first migration."""
    with engine_for(database_url(url), False).connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
