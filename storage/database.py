"""Connecting to the database: SQLite by default, PostgreSQL by URL alone.

``sqlite:///path`` and ``postgresql://...`` URLs get their async drivers (aiosqlite, asyncpg)
added. SQLite runs in WAL mode with a busy timeout, and every transaction starts with
``BEGIN IMMEDIATE``: it takes the write lock up front, so two read-modify-write transactions
queue for it instead of one failing with "database is locked" when it tries to write.

Migrations (Alembic, ``storage/migrations``) are applied by :meth:`Database.migrate`, which the
bot runs on start and ``hangul-bot migrate`` runs on demand.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, nullcontext
from pathlib import Path

from sqlalchemy import Connection, event, insert, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from storage.tables import Delivery, utcnow

log = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_MS = 30_000
MIGRATIONS = Path(__file__).with_name("migrations")
MIGRATION_LOCK = 4_741_001
"""PostgreSQL advisory lock key held while migrating."""


def default_url() -> str:
    """The embedded default: a SQLite file in the user's data folder."""
    path = Path.home() / ".local" / "share" / "hangul-tutor" / "tutor.db"
    return f"sqlite+aiosqlite:///{path}"


def async_url(url: str) -> URL:
    """``url`` with its async driver: aiosqlite for SQLite, asyncpg for PostgreSQL."""
    parsed = make_url(url)
    drivers = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+asyncpg"}
    backend = parsed.get_backend_name()
    if backend not in drivers:
        raise ValueError(f"unsupported database {backend!r}: use SQLite or PostgreSQL")
    return parsed.set(drivername=drivers[backend])


def _prepare_sqlite(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def on_begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


class Database:
    """An async engine and its sessions."""

    def __init__(self, url: str | None = None, **engine_options) -> None:
        self.url = async_url(url or default_url())
        if self.url.get_backend_name() == "sqlite" and self.url.database:
            Path(self.url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        self.engine = create_async_engine(self.url, **engine_options)
        if self.is_sqlite:
            _prepare_sqlite(self.engine)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        self._sqlite_writer = asyncio.Lock()

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session inside one transaction: committed on success, rolled back on error. On
        SQLite, this process's transactions queue here for the write lock rather than polling
        for it (other processes still wait through the busy timeout)."""
        async with self._sqlite_writer if self.is_sqlite else nullcontext():
            async with self.sessions() as session, session.begin():
                yield session

    async def migrate(self, revision: str = "head") -> None:
        """Bring the schema up to ``revision`` (Alembic upgrade)."""
        async with self.engine.begin() as connection:
            if not self.is_sqlite:  # replicas starting together migrate one after another
                await connection.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK}
                )
            await connection.run_sync(_upgrade, revision)
        log.info("database schema at %s", revision)

    async def check_writable(self) -> None:
        """Raise the database's own error if it takes no writes (a read-only file or server, a
        full disk): one row written and rolled back."""
        async with self.engine.connect() as connection:
            transaction = await connection.begin()
            try:
                await connection.execute(
                    insert(Delivery).values(platform="probe", event_id="probe", created_at=utcnow())
                )
            finally:
                await transaction.rollback()

    async def close(self) -> None:
        await self.engine.dispose()


def alembic_config(connection: Connection | None = None):
    """Alembic's configuration for our migrations, sharing ``connection`` when given (Alembic is
    loaded only to migrate)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def _upgrade(connection: Connection, revision: str) -> None:
    from alembic import command

    command.upgrade(alembic_config(connection), revision)
