"""Alembic environment: migrations run on the connection :mod:`storage.database` hands over,
or, from the ``alembic`` command line, on the database given as ``-x url=...`` (default: the
embedded SQLite file)."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy import Connection

from storage.database import Database
from storage.tables import Base

target_metadata = Base.metadata


def run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


async def run_on_own_engine() -> None:
    database = Database(context.get_x_argument(as_dictionary=True).get("url"))
    try:
        async with database.engine.begin() as connection:
            await connection.run_sync(run_migrations)
    finally:
        await database.close()


shared = context.config.attributes.get("connection")
if shared is not None:
    run_migrations(shared)
else:
    asyncio.run(run_on_own_engine())
