"""Alembic migrations of the service's database, from the first table on."""
