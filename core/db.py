"""Database plumbing: declarative base, engine and session factory, migrations."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import DateTime, Engine, MetaData, create_engine, event, text
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.sql import Executable
from sqlalchemy.types import TypeDecorator

from core.config import REPO_ROOT

if TYPE_CHECKING:
    from alembic.config import Config

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
MIGRATIONS_DIR = REPO_ROOT / "migrations"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that always comes back timezone-aware in UTC.

    SQLite has no time zones and returns naive values; storing UTC and re-attaching
    the offset on load keeps both databases answering the same ISO 8601 strings.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; use UTC-aware values")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def make_engine(url: str, **options: Any) -> Engine:
    if url.startswith("sqlite"):
        database = url.split("///", 1)[-1]
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, **options)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    connect_args = dict(options.pop("connect_args", {}))
    if url.startswith("postgresql+psycopg"):
        # psycopg's server-side prepared statements switch to a generic plan after a
        # few executions, which was measured 6x slower on skewed org/status data.
        connect_args.setdefault("prepare_threshold", None)
        # An unreachable server fails fast (a 503) instead of holding a worker thread.
        connect_args.setdefault("connect_timeout", 5)
    return create_engine(url, pool_pre_ping=True, connect_args=connect_args, **options)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


class Database:
    """An engine and its session factory; services open one session per use case."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def from_url(cls, url: str, **options: Any) -> Database:
        return cls(make_engine(url, **options))

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._sessions() as session:
            yield session

    def ping(self) -> None:
        with self.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    def dispose(self) -> None:
        self.engine.dispose()


def affected(session: Session, statement: Executable) -> int:
    """Run an UPDATE or DELETE; how many rows it changed."""
    return int(getattr(session.execute(statement), "rowcount", 0) or 0)


def alembic_config(engine: Engine) -> Config:
    # Alembic is loaded when a migration runs, not by every process that opens a database.
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


# Alembic's command API keeps module-level state (its `op` and `context` proxies), so a
# process runs one migration at a time; on PostgreSQL an advisory lock also keeps
# several processes (gunicorn workers, `/setup` calls) from migrating at once.
_MIGRATION_LOCK = threading.Lock()
MIGRATION_ADVISORY_LOCK = 55001


@contextmanager
def _migration_lock(engine: Engine) -> Iterator[None]:
    with _MIGRATION_LOCK:
        if engine.dialect.name != "postgresql":
            yield
            return
        with engine.connect() as holder:
            holder.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_ADVISORY_LOCK})
            try:
                yield
            finally:
                holder.execute(
                    text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_ADVISORY_LOCK}
                )
                holder.commit()


def migrate(engine: Engine, revision: str = "head") -> None:
    with _migration_lock(engine):
        from alembic import command

        command.upgrade(alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str = "base") -> None:
    with _migration_lock(engine):
        from alembic import command

        command.downgrade(alembic_config(engine), revision)
