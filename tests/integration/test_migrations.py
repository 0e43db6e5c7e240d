"""Alembic migrations run up, down and up again, and match the models exactly."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, create_engine, inspect, text

from core.db import Base, downgrade, make_engine, migrate
from tests.conftest import DATABASES, POSTGRES_SERVER, postgres_url

BUSINESS_TABLES = {
    "organizations",
    "clauses",
    "assessments",
    "audits",
    "nonconformities",
    "management_reviews",
    "change_records",
}


@pytest.fixture(params=DATABASES)
def empty_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'migrations.db'}")
        yield engine
        engine.dispose()
        return
    schema = f"iso_mig_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_SERVER, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(postgres_url(schema))
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names()) - {"alembic_version"}


def test_upgrade_downgrade_upgrade(empty_engine: Engine) -> None:
    migrate(empty_engine)
    assert tables(empty_engine) >= BUSINESS_TABLES
    downgrade(empty_engine, "base")
    assert tables(empty_engine) == set()
    migrate(empty_engine)
    assert tables(empty_engine) >= BUSINESS_TABLES


def test_models_and_migrations_do_not_drift(empty_engine: Engine) -> None:
    migrate(empty_engine)
    with empty_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []
