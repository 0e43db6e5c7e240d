"""One API app per database (SQLite and the local PostgreSQL), built once per session.

Every API and integration test runs on both databases. PostgreSQL tests live in a
schema of their own inside the `test` database, dropped at the end, so concurrent
runs never collide. Data is wiped between tests; the clause catalogue stays.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, delete, text

import core.models  # noqa: F401 - registers every table
from core.config import Settings
from core.db import Base, Database, migrate
from core.models import Clause
from core.runtime import Runtime
from core.services.catalogue import seed_clauses

POSTGRES_SERVER = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
DATABASES = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def postgres_schema() -> Iterator[str]:
    """A fresh schema in the local PostgreSQL `test` database, dropped afterwards."""
    schema = f"iso_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_SERVER, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield schema
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


def postgres_url(schema: str) -> str:
    return f"{POSTGRES_SERVER}?options=-csearch_path%3D{schema}"


def make_database_url(kind: str, tmp_dir: Path, request: pytest.FixtureRequest) -> str:
    if kind == "sqlite":
        return f"sqlite:///{tmp_dir / 'test.db'}"
    schema: str = request.getfixturevalue("postgres_schema")
    return postgres_url(schema)


@pytest.fixture(scope="session", params=DATABASES)
def settings(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    tmp_dir = tmp_path_factory.mktemp(f"db-{request.param}")
    return Settings(
        database_url=make_database_url(request.param, tmp_dir, request),
        evidence_dir=tmp_dir / "evidence",
    )


@pytest.fixture(scope="session")
def app(settings: Settings) -> Iterator[Flask]:
    from server import create_app

    flask_app = create_app(settings, dashboard=False)
    flask_app.config["TESTING"] = True
    runtime: Runtime = flask_app.extensions["iso55001"]
    migrate(runtime.database.engine)
    seed_clauses(runtime.database, settings.data_dir)
    yield flask_app
    runtime.database.dispose()


@pytest.fixture(scope="session")
def session_database(app: Flask) -> Database:
    runtime: Runtime = app.extensions["iso55001"]
    return runtime.database


@pytest.fixture
def database(session_database: Database) -> Iterator[Database]:
    """The session's database, emptied of business data after each test."""
    yield session_database
    with session_database.session() as session:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name != Clause.__tablename__:
                session.execute(delete(table))
        session.commit()


@pytest.fixture
def client(app: Flask, database: Database) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def db_kind(settings: Settings) -> str:
    return "sqlite" if settings.is_sqlite else "postgresql"


@pytest.fixture
def reconfigure(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Settings]:
    """Run this test with some settings changed (same database)."""
    current: Runtime = app.extensions["iso55001"]

    def apply(**overrides: object) -> Settings:
        settings = current.settings.with_overrides(**overrides)
        runtime = Runtime.from_settings(settings, current.database)
        monkeypatch.setitem(app.extensions, "iso55001", runtime)
        return settings

    return apply


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """A real S3-compatible HTTP server on loopback (moto's), for the object store tests."""
    from moto.server import ThreadedMotoServer

    from tests.oidc_provider import free_port

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()
