"""Backup and restore: round trips lose nothing, on both databases and both stores.

The source is the session's database (SQLite or PostgreSQL, by the `database` fixture),
filled through the HTTP API like a real deployment. Targets are fresh databases made
the way `iso55001 init-db` makes them (migrated, clause catalogue loaded), of either
kind, so SQLite -> PostgreSQL and back are covered too.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import tarfile
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import JSON, Engine, create_engine, func, inspect, select, text

from core.backup import (
    MANIFEST,
    BackupSummary,
    backed_up_tables,
    create_backup,
    restore_backup,
)
from core.caller import Caller
from core.config import Settings
from core.db import Database, make_engine, migrate
from core.errors import Conflict, InvalidInput
from core.models import Attachment, Audit, ChangeRecord, Nonconformity, WebSession
from core.repositories.web_sessions import WebSessionRepository
from core.runtime import Runtime
from core.services.assessments import AssessmentService
from core.services.attachments import AttachmentService
from core.services.catalogue import seed_clauses
from core.storage.base import StoreError
from tests import evidence_files as f
from tests.conftest import DATABASES, POSTGRES_SERVER, postgres_url
from tests.evidence_store import configure_store

NORTH = {"X-Org-ID": "north"}
SOUTH = {"X-Org-ID": "south"}
Rows = dict[str, list[dict[str, Any]]]


# Data ---------------------------------------------------------------------------------


def ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.json
    result: dict[str, Any] = response.json
    return result


ASSESSMENTS = (
    {
        "clause_id": "7.5.3",
        "status": "Partial",
        "maturity": 2,
        "target_maturity": 4,
        "due_date": "2027-03-31",
        "owner": "ana@example.org",
        "notes": 'Evidence register \u2013 "draft"\nsecond line',
    },
    {"clause_id": "6.2.1", "status": "Compliant", "evidence": "SAMP v3"},
    {"clause_id": "9.1", "status": "Noncompliant"},
)
AUDIT = {
    "title": "Q3 internal audit",
    "scope_clause_ids": ["9.2.1", "6", "10.2"],
    "scheduled_date": "2027-09-01",
    "lead_auditor": "lee",
}
# The CAPA moves that leave a nonconformity in each state.
CAPA_PATHS = ([], ["Analysis"], ["Action"], ["Action", "Verification"],
              ["Action", "Verification", "Closed"])  # fmt: skip
REVIEW = {
    "title": "H1 review",
    "period_start": "2027-01-01",
    "period_end": "2027-06-30",
    "meeting_date": "2027-07-10",
    "participants": "CEO, CFO",
}
EVIDENCE = (
    (f.PDF, "SAMP v3.pdf", "application/pdf"),
    (f.PNG, "site.png", "image/png"),
    (f.TEXT, "minutes.txt", "text/plain"),
)


def build_records(client: FlaskClient) -> None:
    """Every kind of record, in two organisations, with updates, deletions and evidence."""
    ok(client.post("/v1/orgs", json={"id": "north", "name": "Northshire Water"}), 201)
    south = {"id": "south", "name": "S\u00fcdliche Netze \u2013 Grid"}
    ok(client.post("/v1/orgs", json=south), 201)
    ok(client.patch("/v1/orgs/north", json={"name": "Northshire Water plc"}))
    for headers in (NORTH, SOUTH):

        def post(path: str, body: dict[str, Any], headers: dict[str, str] = headers) -> Any:
            return ok(client.post(path, json=body, headers=headers), 201)

        def patch(path: str, body: dict[str, Any], headers: dict[str, str] = headers) -> Any:
            return ok(client.patch(path, json=body, headers=headers))

        assessments = [post("/assessments", body) for body in ASSESSMENTS]
        patch(f"/assessments/{assessments[1]['id']}", {"maturity": 3})
        audit = post("/audits", AUDIT)
        patch(f"/audits/{audit['id']}", {"status": "Completed"})
        doomed = post("/audits", {"title": "Cancelled"})
        assert client.delete(f"/audits/{doomed['id']}", headers=headers).status_code == 204
        for path in CAPA_PATHS:
            finding = {
                "description": f"Finding after {path or 'nothing'}",
                "severity": "Major",
                "audit_id": audit["id"],
                "clause_id": "10.2",
                "due_date": "2027-01-15",
            }
            nc = post("/nonconformities", finding)
            for state in path:
                patch(f"/nonconformities/{nc['id']}", {"state": state})
        post("/management-reviews", REVIEW)
        governance = {
            "evidence_date": "2027-01-31",
            "retention_until": (date.today() + timedelta(days=3650)).isoformat(),
        }
        for content, name, media in EVIDENCE:
            # Each organisation's files differ, so a mix-up of objects would show.
            unique = content + headers["X-Org-ID"].encode() if media == "text/plain" else content
            upload = {"file": (io.BytesIO(unique), name, media), **governance}
            ok(
                client.post(
                    f"/assessments/{assessments[0]['id']}/attachments",
                    data=upload,
                    content_type="multipart/form-data",
                    headers=headers,
                ),
                201,
            )


def add_web_session(database: Database) -> None:
    with database.session() as session:
        WebSessionRepository(session).save(
            "s-" + uuid.uuid4().hex, {"user": "ana"}, datetime.now(UTC) + timedelta(hours=1)
        )
        session.commit()


def snapshot(database: Database) -> Rows:
    """Every backed-up table, rows sorted by primary key in Python (collations differ)."""
    found: Rows = {}
    with database.engine.connect() as connection:
        for table in backed_up_tables():
            rows = [dict(row) for row in connection.execute(select(table)).mappings()]
            key = [column.name for column in table.primary_key.columns]
            found[table.name] = sorted(rows, key=lambda row: tuple(row[c] for c in key))
    return found


def evidence_bytes(runtime: Runtime) -> dict[str, bytes]:
    """Each attachment's stored bytes, by storage key, read through the runtime's store."""
    with runtime.database.session() as session:
        keys = session.scalars(select(Attachment.storage_key)).all()
    return {key: b"".join(runtime.store.read(key)) for key in keys}


def manifest_of(path: Path) -> dict[str, Any]:
    with tarfile.open(path, "r:gz") as tar:
        member = tar.extractfile(MANIFEST)
        assert member is not None
        manifest: dict[str, Any] = json.load(member)
    return manifest


def current_runtime(app: Flask) -> Runtime:
    runtime: Runtime = app.extensions["iso55001"]
    return runtime


# Targets ------------------------------------------------------------------------------


@pytest.fixture
def make_target(
    settings: Settings, tmp_path: Path, s3_endpoint_lazy: Callable[[], str]
) -> Iterator[Callable[..., Runtime]]:
    """Fresh deployments as `iso55001 init-db` leaves them: migrated, catalogue loaded."""
    cleanups: list[Callable[[], None]] = []

    def make(
        kind: str | None = None, store: str = "local", revision: str | None = "head"
    ) -> Runtime:
        kind = kind or ("sqlite" if settings.is_sqlite else "postgresql")
        name = uuid.uuid4().hex[:10]
        if kind == "sqlite":
            url = f"sqlite:///{tmp_path / f'target-{name}.db'}"
        else:
            schema = f"iso_restore_{name}"
            admin = create_engine(POSTGRES_SERVER, isolation_level="AUTOCOMMIT")
            with admin.connect() as connection:
                connection.execute(text(f'CREATE SCHEMA "{schema}"'))
            url = postgres_url(schema)

            def drop(schema: str = schema, admin: Engine = admin) -> None:
                with admin.connect() as connection:
                    connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
                admin.dispose()

            cleanups.append(drop)
        engine = make_engine(url)
        cleanups.insert(0, engine.dispose)
        database = Database(engine)
        if revision is not None:
            migrate(engine, revision)
        if revision == "head":
            seed_clauses(database, settings.data_dir)
        overrides: dict[str, Any] = {"database_url": url, "evidence_dir": tmp_path / f"ev-{name}"}
        if store == "s3":
            overrides |= {
                "object_store_endpoint": s3_endpoint_lazy(),
                "object_store_bucket": f"restore-{name}",
                "object_store_access_key": "test",
                "object_store_secret_key": "test",
            }
        runtime = Runtime.from_settings(settings.with_overrides(**overrides), database)
        runtime.store.check()
        return runtime

    yield make
    for cleanup in cleanups:
        cleanup()


@pytest.fixture
def s3_endpoint_lazy(request: pytest.FixtureRequest) -> Callable[[], str]:
    """The loopback S3 server, started only by the tests that need it."""
    return lambda: str(request.getfixturevalue("s3_endpoint"))


def assert_same_evidence(source: Runtime, target: Runtime) -> None:
    expected = evidence_bytes(source)
    restored = evidence_bytes(target)
    assert restored == expected and len(expected) == 6
    with target.database.session() as session:
        for attachment in session.scalars(select(Attachment)):
            assert hashlib.sha256(restored[attachment.storage_key]).hexdigest() == attachment.sha256
    assert all(result.ok for result in AttachmentService(target).verify_all())
    assert not list(target.store.staging_dir().glob("restore-*"))


def assert_summary_matches(summary: BackupSummary, rows: Rows) -> None:
    assert summary.tables == {name: len(found) for name, found in rows.items()}
    assert summary.evidence_objects == len(rows["attachments"])
    assert summary.evidence_bytes == sum(row["size"] for row in rows["attachments"])


# Round trips --------------------------------------------------------------------------


@pytest.mark.parametrize("target_kind", DATABASES)
def test_round_trip_into_a_fresh_database_loses_nothing(
    app: Flask,
    client: FlaskClient,
    request: pytest.FixtureRequest,
    make_target: Callable[..., Runtime],
    tmp_path: Path,
    target_kind: str,
) -> None:
    configure_store("local", request)
    build_records(client)
    source = current_runtime(app)
    add_web_session(source.database)
    before = snapshot(source.database)
    # Every kind of record is there, including every CAPA state and history of changes.
    assert {row["state"] for row in before["nonconformities"]} == {
        "New", "Analysis", "Action", "Verification", "Closed",
    }  # fmt: skip
    assert {row["action"] for row in before["change_records"]} == {"create", "update", "delete"}
    assert all(len(rows) > 0 for rows in before.values())

    path = tmp_path / "nightly.tar.gz"
    summary = create_backup(source, path)
    assert summary.path == path and path.is_file()
    assert_summary_matches(summary, before)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []

    manifest = manifest_of(path)
    with source.database.engine.connect() as connection:
        revision = connection.scalar(text("SELECT version_num FROM alembic_version"))
    assert manifest["format_version"] == 1 and manifest["alembic_revision"] == revision
    assert manifest["dialect"] == source.database.engine.dialect.name
    assert manifest["tables"] == summary.tables and "web_sessions" not in manifest["tables"]
    assert manifest["evidence"] == {
        "objects": 6, "bytes": summary.evidence_bytes, "stores": ["local"],
    }  # fmt: skip
    assert datetime.fromisoformat(manifest["created_at"]).tzinfo is not None
    with tarfile.open(path, "r:gz") as tar:
        names = tar.getnames()
    assert names[-1] == MANIFEST and set(names[:-1]) == set(manifest["members"])
    assert not any("web_sessions" in name for name in names)

    target = make_target(target_kind)
    add_web_session(target.database)  # a signed-in admin's session survives a restore
    restored = restore_backup(target, path)
    assert (restored.tables, restored.evidence_objects, restored.evidence_bytes) == (
        summary.tables,
        summary.evidence_objects,
        summary.evidence_bytes,
    )
    assert snapshot(target.database) == before
    assert_same_evidence(source, target)
    with target.database.session() as session:
        assert len(session.scalars(select(WebSession)).all()) == 1


@pytest.mark.parametrize("target_kind", DATABASES)
def test_new_records_after_a_restore_get_fresh_ids(
    app: Flask,
    client: FlaskClient,
    request: pytest.FixtureRequest,
    make_target: Callable[..., Runtime],
    tmp_path: Path,
    target_kind: str,
) -> None:
    configure_store("local", request)
    build_records(client)
    source = current_runtime(app)
    before = snapshot(source.database)
    path = tmp_path / "backup.tar.gz"
    create_backup(source, path)
    target = make_target(target_kind)
    restore_backup(target, path)

    caller = Caller(org_id="north", user="ana", role="editor", request_id="after-restore")
    created = AssessmentService(target.database).create(
        caller, {"clause_id": "8.1", "status": "Partial"}
    )
    assert created.id == max(row["id"] for row in before["assessments"]) + 1
    with target.database.session() as session:
        history = session.scalars(
            select(ChangeRecord).where(ChangeRecord.request_id == "after-restore")
        ).one()
        assert history.id == max(row["id"] for row in before["change_records"]) + 1
        # Tables the new record did not touch take new rows too.
        for model in (Audit, Nonconformity):
            session.add(_minimal(model))
        session.commit()
        assert session.scalars(select(Audit.id).order_by(Audit.id.desc())).first() == (
            max(row["id"] for row in before["audits"]) + 1
        )
        newest_nc = session.scalars(select(Nonconformity.id).order_by(Nonconformity.id.desc()))
        assert newest_nc.first() == max(row["id"] for row in before["nonconformities"]) + 1


def _minimal(model: type[Audit] | type[Nonconformity]) -> Audit | Nonconformity:
    if model is Audit:
        return Audit(org_id="north", title="After restore", scope_clause_ids=[])
    return Nonconformity(org_id="north", description="After restore", severity="Minor")


def test_replace_brings_the_same_database_back_to_the_backup(
    app: Flask,
    client: FlaskClient,
    request: pytest.FixtureRequest,
    database: Database,
    tmp_path: Path,
) -> None:
    store = configure_store("local", request)
    build_records(client)
    source = current_runtime(app)
    before = snapshot(database)
    evidence_before = evidence_bytes(source)
    path = tmp_path / "backup.tar.gz"
    create_backup(source, path)

    # Life goes on after the backup: edits, deletions, new evidence, a lost object.
    first = before["assessments"][0]
    ok(client.patch(f"/assessments/{first['id']}", json={"notes": "edited"}, headers=NORTH))
    ok(client.post("/nonconformities", json={"description": "New", "severity": "Minor"}), 201)
    client.post(
        f"/assessments/{first['id']}/attachments",
        data={"file": (io.BytesIO(f.CSV), "late.csv", "text/csv")},
        content_type="multipart/form-data",
        headers=NORTH,
    )
    lost = before["attachments"][1]["storage_key"]
    store.remove(lost)
    assert snapshot(database) != before

    with pytest.raises(Conflict, match="--replace"):
        restore_backup(source, path)
    restored = restore_backup(source, path, replace=True)
    assert snapshot(database) == before
    assert restored.evidence_objects == len(evidence_before)
    assert {key: evidence_bytes(source)[key] for key in evidence_before} == evidence_before
    assert all(result.ok for result in AttachmentService(source).verify_all())

    # Ids continue after the restored ones, whatever the replaced rows had used.
    later = ok(client.post("/audits", json={"title": "After"}, headers=NORTH), 201)
    assert later["id"] == max(row["id"] for row in before["audits"]) + 1


def test_restore_refuses_a_database_that_holds_records(
    app: Flask,
    client: FlaskClient,
    request: pytest.FixtureRequest,
    database: Database,
    make_target: Callable[..., Runtime],
    tmp_path: Path,
) -> None:
    store = configure_store("local", request)
    build_records(client)
    source = current_runtime(app)
    path = tmp_path / "backup.tar.gz"
    create_backup(source, path)

    # The same database, still full.
    before, keys = snapshot(database), store.object_keys()
    with pytest.raises(Conflict, match="already holds records"):
        restore_backup(source, path)
    assert snapshot(database) == before and store.object_keys() == keys

    # Another database where someone already started working.
    target = make_target()
    caller = Caller(org_id="north", user="ana", role="editor")
    AssessmentService(target.database).create(caller, {"clause_id": "8.1", "status": "Partial"})
    target_before = snapshot(target.database)
    with pytest.raises(Conflict, match="assessments"):
        restore_backup(target, path)
    assert snapshot(target.database) == target_before
    assert evidence_bytes(target) == {}


@pytest.mark.parametrize("damage", ["table member", "evidence member", "compressed stream"])
def test_a_corrupted_archive_restores_nothing(
    app: Flask,
    client: FlaskClient,
    request: pytest.FixtureRequest,
    database: Database,
    tmp_path: Path,
    damage: str,
) -> None:
    store = configure_store("local", request)
    build_records(client)
    source = current_runtime(app)
    path = tmp_path / "backup.tar.gz"
    create_backup(source, path)
    before, keys, stored = snapshot(database), store.object_keys(), evidence_bytes(source)

    if damage == "compressed stream":
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0xFF
        path.write_bytes(bytes(data))
        expected = "damaged"
    else:
        prefix = "tables/nonconformities.jsonl" if damage == "table member" else "evidence/"
        expected = flip_a_byte_in_member(path, prefix)

    # Even with replace, a damaged archive must not delete a single row.
    with pytest.raises(InvalidInput, match=expected) as refused:
        restore_backup(source, path, replace=True)
    assert "nothing was restored" in refused.value.message
    assert snapshot(database) == before
    assert store.object_keys() == keys and evidence_bytes(source) == stored


@pytest.mark.parametrize("into", ["same database, replace", "fresh database"])
def test_a_store_failure_midway_rolls_the_database_back(
    app: Flask,
    client: FlaskClient,
    request: pytest.FixtureRequest,
    database: Database,
    make_target: Callable[..., Runtime],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    into: str,
) -> None:
    configure_store("local", request)
    build_records(client)
    source = current_runtime(app)
    path = tmp_path / "backup.tar.gz"
    create_backup(source, path)
    target = source if into == "same database, replace" else make_target()
    before = snapshot(target.database)
    put_file = target.store.put_file
    calls: list[str] = []

    def fail_on_the_third(key: str, staged: Path, content_type: str) -> None:
        calls.append(key)
        if len(calls) == 3:
            raise StoreError("bucket went away")
        put_file(key, staged, content_type)

    monkeypatch.setattr(target.store, "put_file", fail_on_the_third)
    # By now every table has been deleted and reloaded inside the transaction.
    with pytest.raises(StoreError, match="went away"):
        restore_backup(target, path, replace=True)
    assert len(calls) == 3
    assert snapshot(target.database) == before
    assert not list(target.store.staging_dir().glob("restore-*"))


def flip_a_byte_in_member(path: Path, prefix: str) -> str:
    """Change one byte inside a member's data, keeping tar and gzip framing valid."""
    raw = bytearray(gzip.decompress(path.read_bytes()))
    with tarfile.open(fileobj=io.BytesIO(bytes(raw))) as tar:
        member = next(m for m in tar.getmembers() if m.name.startswith(prefix))
    raw[member.offset_data + member.size // 2] ^= 0x01
    path.write_bytes(gzip.compress(bytes(raw)))
    return member.name


def test_restore_needs_the_same_schema_revision(
    app: Flask,
    client: FlaskClient,
    request: pytest.FixtureRequest,
    make_target: Callable[..., Runtime],
    tmp_path: Path,
) -> None:
    configure_store("local", request)
    build_records(client)
    path = tmp_path / "backup.tar.gz"
    create_backup(current_runtime(app), path)
    for revision in ("0005", None):
        target = make_target(revision=revision)
        with pytest.raises(InvalidInput, match="iso55001 init-db"):
            restore_backup(target, path)
        if revision is not None:
            # An older schema lacks later columns: count rows, select none of them.
            with target.database.engine.connect() as connection:
                present = set(inspect(connection).get_table_names())
                counts = [
                    connection.scalar(select(func.count()).select_from(table))
                    for table in backed_up_tables()
                    if table.name in present
                ]
            assert counts and set(counts) == {0}


def test_a_failed_backup_leaves_no_file_behind(
    app: Flask,
    client: FlaskClient,
    request: pytest.FixtureRequest,
    tmp_path: Path,
) -> None:
    store = configure_store("local", request)
    build_records(client)
    source = current_runtime(app)
    folder = tmp_path / "backups"
    folder.mkdir()
    path = folder / "latest.tar.gz"
    create_backup(source, path)
    good = path.read_bytes()

    with source.database.session() as session:
        victim = session.scalars(select(Attachment).order_by(Attachment.id.desc())).first()
        assert victim is not None
    store.remove(victim.storage_key)
    with pytest.raises(Conflict, match=f"attachment {victim.id}"):
        create_backup(source, path)
    # The earlier backup at that path is untouched and no partial file is left.
    assert [p.name for p in folder.iterdir()] == ["latest.tar.gz"]
    assert path.read_bytes() == good

    with pytest.raises(InvalidInput, match="not a directory"):
        create_backup(source, tmp_path / "missing" / "backup.tar.gz")


def test_s3_round_trip(
    app: Flask,
    client: FlaskClient,
    request: pytest.FixtureRequest,
    make_target: Callable[..., Runtime],
    tmp_path: Path,
) -> None:
    store = configure_store("s3", request)
    build_records(client)
    source = current_runtime(app)
    before = snapshot(source.database)
    path = tmp_path / "backup.tar.gz"
    summary = create_backup(source, path)
    assert_summary_matches(summary, before)
    assert manifest_of(path)["evidence"]["stores"] == ["s3"]
    assert all(name.startswith("evidence/evidence/") for name in _evidence_members(path))

    target = make_target(store="s3")
    restore_backup(target, path)
    assert snapshot(target.database) == before
    assert_same_evidence(source, target)
    listing = store.client().list_objects_v2(Bucket=target.settings.object_store_bucket)
    assert {item["Key"] for item in listing["Contents"]} == {
        row["storage_key"] for row in before["attachments"]
    }

    # Evidence keys are store-specific: an S3 backup does not go into a local store.
    with pytest.raises(InvalidInput, match="same kind of store"):
        restore_backup(make_target(store="local"), path)


def _evidence_members(path: Path) -> list[str]:
    with tarfile.open(path, "r:gz") as tar:
        return [name for name in tar.getnames() if name.startswith("evidence/")]


def test_nullable_json_columns_keep_sql_null() -> None:
    """A backup writes SQL NULL and JSON null alike as null; restore reads it back as SQL
    NULL, which is only faithful where the column stores None as SQL NULL."""
    for table in backed_up_tables():
        for column in table.columns:
            if isinstance(column.type, JSON) and column.nullable:
                assert column.type.none_as_null, f"{table.name}.{column.name}"
