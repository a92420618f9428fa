"""`saylau db upgrade`: bring a database to the newest migration (Alembic)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from saylau.service.config import database_url
from saylau.service.db import engine_for

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
    engine = engine_for(found, True)
    with engine.begin() as connection:
        before = MigrationContext.configure(connection).get_current_revision()
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    return before, head()


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
