"""Alembic's environment: run the migrations on the connection `saylau.service.migrate`
hands over, or on the URL of the Alembic configuration."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from saylau.service.models import Base

config = context.config
target = Base.metadata


def _run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as fresh:
        context.configure(connection=fresh, target_metadata=target, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


_run()
