"""Restoring a backup: verify every member first, then load tables and evidence."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from contextlib import closing
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from alembic.migration import MigrationContext
from sqlalchemy import (
    Connection,
    Date,
    DateTime,
    Engine,
    Integer,
    Table,
    Time,
    bindparam,
    delete,
    func,
    insert,
    inspect,
    literal,
    select,
    text,
    update,
)
from sqlalchemy.types import TypeDecorator, TypeEngine

from core.backup.archive import (
    BATCH,
    CATALOGUE_TABLES,
    EVIDENCE_DIR,
    FORMAT,
    FORMAT_VERSION,
    LOCK_TIMEOUT,
    MANIFEST,
    MANIFEST_LIMIT,
    TABLES_DIR,
    BackupSummary,
    Guarded,
    backed_up_tables,
    read_members,
    table_member,
)
from core.errors import Conflict, InvalidInput
from core.models import Attachment
from core.runtime import Runtime
from core.storage.base import CHUNK, EvidenceStore


def restore_backup(runtime: Runtime, source: Path, *, replace: bool = False) -> BackupSummary:
    """Load a backup into this deployment's database and evidence store.

    Nothing is written until the whole archive has been read and every member matched
    its checksum. Rows go in inside one transaction that commits only after every
    evidence object is back in the store and reads back with its recorded SHA-256; any
    failure leaves the database as it was (objects already put stay as orphans, which
    the evidence service treats as harmless, unlike rows without objects).
    """
    source = Path(source)
    if not source.is_file():
        raise InvalidInput(f"No backup file at {source}")
    engine = runtime.database.engine
    tables = backed_up_tables()
    if not replace:
        # A cheap early answer before reading the archive; checked again under lock in
        # the transaction. Only tables that exist: the schema is checked later.
        with engine.connect() as connection:
            present = set(inspect(connection).get_table_names())
            _refuse_existing_rows(connection, [t for t in tables if t.name in present])
    manifest, names = _verified_manifest(source)
    _check_compatible(manifest, names, engine, runtime.store, tables)
    return _load(runtime, source, manifest, tables, replace=replace)


def _verified_manifest(source: Path) -> tuple[dict[str, Any], list[str]]:
    """Read the whole archive once: every member's SHA-256 against the manifest."""
    digests: dict[str, str] = {}
    names: list[str] = []
    content: bytes | None = None
    with closing(read_members(source)) as members:
        for member, stream in members:
            if member.name in digests:
                raise InvalidInput(f"Backup member {member.name} appears twice")
            if member.name == MANIFEST and member.size > MANIFEST_LIMIT:
                raise InvalidInput(f"{MANIFEST} is implausibly large ({member.size} bytes)")
            digest = hashlib.sha256()
            kept: list[bytes] = []
            while chunk := stream.read(CHUNK):
                digest.update(chunk)
                if member.name == MANIFEST:
                    kept.append(chunk)
            digests[member.name] = digest.hexdigest()
            names.append(member.name)
            if member.name == MANIFEST:
                content = b"".join(kept)
    if content is None:
        raise InvalidInput(f"{source} holds no {MANIFEST}; it is not a backup of this platform")
    try:
        manifest = json.loads(content)
    except ValueError as exc:
        raise InvalidInput(f"{MANIFEST} is not valid JSON ({exc})") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise InvalidInput(f"{source} is not a backup of this platform ({MANIFEST} format)")
    version = manifest.get("format_version")
    if version != FORMAT_VERSION:
        raise InvalidInput(
            f"Backup format version {version} is not supported (this release reads "
            f"version {FORMAT_VERSION})"
        )
    expected = manifest.get("members")
    if not isinstance(expected, dict):
        raise InvalidInput(f"{MANIFEST} lists no members")
    for name in expected:
        if name not in digests:
            raise InvalidInput(f"Backup member {name} is missing; nothing was restored")
    for name, actual in digests.items():
        if name == MANIFEST:
            continue
        if name not in expected:
            raise InvalidInput(f"Backup member {name} is not in the manifest; nothing was restored")
        if not isinstance(expected[name], dict) or expected[name].get("sha256") != actual:
            raise InvalidInput(
                f"Backup member {name} is corrupted (its SHA-256 does not match the "
                "manifest); nothing was restored"
            )
    return manifest, names


def _check_compatible(
    manifest: dict[str, Any],
    names: list[str],
    engine: Engine,
    store: EvidenceStore,
    tables: list[Table],
) -> None:
    """Same schema revision, same tables in foreign-key order, same kind of store."""
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    wanted = manifest.get("alembic_revision")
    if current != wanted:
        raise InvalidInput(
            f"The backup was taken at schema revision {wanted} but this database is at "
            f"{current or 'no revision (not initialised)'}; run `iso55001 init-db` with the "
            f"release whose schema is {wanted}, then restore"
        )
    expected = [table_member(table) for table in tables]
    found = [name for name in names if name.startswith(TABLES_DIR)]
    if found != expected:
        raise InvalidInput(
            "The backup's tables do not match this schema's tables in foreign-key order "
            f"(expected {', '.join(expected)})"
        )
    last_table = max(names.index(name) for name in expected) if expected else -1
    for position, name in enumerate(names):
        if name.startswith(EVIDENCE_DIR) and position < last_table:
            raise InvalidInput(f"Backup member {name} comes before the tables it belongs to")
        if not name.startswith((TABLES_DIR, EVIDENCE_DIR)) and name != MANIFEST:
            raise InvalidInput(f"Backup member {name} is not part of the backup format")
    evidence = manifest.get("evidence")
    kinds = set(evidence.get("stores", [])) if isinstance(evidence, dict) else set()
    if kinds - {store.kind}:
        raise InvalidInput(
            f"The backup's evidence was kept in a {', '.join(sorted(kinds))} store but this "
            f"deployment uses a {store.kind} store; restore with the same kind of store"
        )


def _load(
    runtime: Runtime,
    source: Path,
    manifest: dict[str, Any],
    tables: list[Table],
    *,
    replace: bool,
) -> BackupSummary:
    by_member = {table_member(table): table for table in tables}
    expected_counts: dict[str, Any] = manifest.get("tables", {})
    counts: dict[str, int] = {}
    evidence_objects = evidence_bytes = 0
    with runtime.database.engine.begin() as connection:
        _lock(connection, tables)
        if not replace:
            _refuse_existing_rows(connection, tables)
        for table in reversed(tables):
            connection.execute(delete(table))
        with closing(read_members(source)) as members:
            for member, stream in members:
                if member.name in by_member:
                    table = by_member[member.name]
                    counts[table.name] = _insert_rows(connection, table, stream, member.name)
                    if counts[table.name] != expected_counts.get(table.name):
                        raise InvalidInput(
                            f"{member.name} holds {counts[table.name]} rows but the manifest "
                            f"says {expected_counts.get(table.name)}; nothing was restored"
                        )
                elif member.name.startswith(EVIDENCE_DIR):
                    key = member.name.removeprefix(EVIDENCE_DIR)
                    evidence_bytes += _put_evidence(connection, runtime.store, key, stream)
                    evidence_objects += 1
        attachments = connection.scalar(select(func.count()).select_from(Attachment)) or 0
        if attachments != evidence_objects:
            raise InvalidInput(
                f"The backup holds {evidence_objects} evidence objects for {attachments} "
                "attachments; nothing was restored"
            )
        _reset_sequences(connection, tables)
    return BackupSummary(counts, evidence_objects, evidence_bytes, source)


def _lock(connection: Connection, tables: list[Table]) -> None:
    """Keep the running app from writing while the tables are swapped (PostgreSQL).

    SQLite needs nothing: the first DELETE takes its single write lock for the whole
    transaction.
    """
    if connection.dialect.name != "postgresql":
        return
    preparer = connection.dialect.identifier_preparer
    names = ", ".join(preparer.format_table(table) for table in tables)
    # Fail with an error instead of waiting forever behind an idle app transaction.
    connection.exec_driver_sql(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
    connection.exec_driver_sql(f"LOCK TABLE {names} IN EXCLUSIVE MODE")


def _refuse_existing_rows(connection: Connection, tables: list[Table]) -> None:
    occupied = [
        table.name
        for table in tables
        if table.name not in CATALOGUE_TABLES
        and connection.scalar(select(literal(1)).select_from(table).limit(1)) is not None
    ]
    if occupied:
        raise Conflict(
            f"The database already holds records ({', '.join(occupied)}); a restore does not "
            "merge. Restore into an empty database (after `iso55001 init-db`), or pass "
            "--replace to delete the current records first"
        )


def _insert_rows(connection: Connection, table: Table, stream: Guarded, name: str) -> int:
    decoders = _decoders(table)
    primary_key = [column.name for column in table.primary_key.columns]
    # A row may reference a row of its own table that comes later in key order (a
    # clause's parent, depending on collation): insert those references as NULL, then
    # set them once the whole table is in.
    self_references = [
        key.parent.name
        for key in table.foreign_keys
        if key.column.table is table and key.parent.nullable
    ]
    deferred: list[dict[str, Any]] = []
    batch: list[dict[str, Any]] = []
    count = 0
    # JSON escapes every control character, so a newline only ever ends a row.
    for number, line in enumerate(iter(stream.readline, b""), start=1):
        row = _decode_row(line, decoders, f"{name} line {number}")
        if any(row[column] is not None for column in self_references):
            deferred.append(
                {
                    **{f"pk_{c}": row[c] for c in primary_key},
                    **{f"ref_{c}": row[c] for c in self_references},
                }
            )
            row.update(dict.fromkeys(self_references))
        batch.append(row)
        count += 1
        if len(batch) >= BATCH:
            connection.execute(insert(table), batch)
            batch = []
    if batch:
        connection.execute(insert(table), batch)
    if deferred:
        statement = (
            update(table)
            .where(*(table.c[c] == bindparam(f"pk_{c}") for c in primary_key))
            .values({c: bindparam(f"ref_{c}") for c in self_references})
        )
        for start in range(0, len(deferred), BATCH):
            connection.execute(statement, deferred[start : start + BATCH])
    return count


def _decoders(table: Table) -> dict[str, Callable[[Any], Any] | None]:
    """Per column: how to turn its JSON value back into what the column type binds."""
    return {column.name: _decoder(column.type) for column in table.columns}


def _decoder(type_: TypeEngine[Any]) -> Callable[[Any], Any] | None:
    base = type_.impl_instance if isinstance(type_, TypeDecorator) else type_
    # JSON values need nothing: the column type serialises them again. Its None is SQL
    # NULL only with none_as_null, which every nullable JSON column sets (a test checks).
    if isinstance(base, DateTime):
        return datetime.fromisoformat
    if isinstance(base, Date):
        return date.fromisoformat
    if isinstance(base, Time):
        return time.fromisoformat
    return None


def _decode_row(
    line: bytes, decoders: dict[str, Callable[[Any], Any] | None], where: str
) -> dict[str, Any]:
    try:
        raw = json.loads(line)
    except ValueError as exc:
        raise InvalidInput(f"{where} is not valid JSON ({exc}); nothing was restored") from exc
    if not isinstance(raw, dict) or raw.keys() != decoders.keys():
        raise InvalidInput(f"{where} does not have this table's columns; nothing was restored")
    row: dict[str, Any] = {}
    for column, value in raw.items():
        decode = decoders[column]
        try:
            row[column] = decode(value) if decode is not None and value is not None else value
        except (TypeError, ValueError) as exc:
            raise InvalidInput(f"{where}: bad {column} value {value!r}") from exc
    return row


def _put_evidence(connection: Connection, store: EvidenceStore, key: str, stream: Guarded) -> int:
    """Stage one object, put it in the store, and check what the store now serves."""
    row = connection.execute(
        select(Attachment.id, Attachment.sha256, Attachment.size, Attachment.content_type).where(
            Attachment.storage == store.kind, Attachment.storage_key == key
        )
    ).one_or_none()
    if row is None:
        raise InvalidInput(f"Evidence {key} belongs to no attachment in the backup")
    handle, staged_name = tempfile.mkstemp(dir=store.staging_dir(), prefix="restore-")
    staged = Path(staged_name)
    try:
        digest = hashlib.sha256()
        with os.fdopen(handle, "wb") as staging:
            while chunk := stream.read(CHUNK):
                digest.update(chunk)
                staging.write(chunk)
        if digest.hexdigest() != row.sha256:
            raise InvalidInput(
                f"Evidence {key} does not match attachment {row.id}'s SHA-256; nothing was restored"
            )
        store.put_file(key, staged, row.content_type)
    finally:
        staged.unlink(missing_ok=True)  # the local store moved it; S3 copied it
    stored = hashlib.sha256()
    for chunk in store.read(key):
        stored.update(chunk)
    if stored.hexdigest() != row.sha256:
        raise Conflict(
            f"Evidence {key} of attachment {row.id} reads back from the store with another "
            "SHA-256; the database was left as it was"
        )
    return int(row.size)


def _reset_sequences(connection: Connection, tables: list[Table]) -> None:
    """Point each PostgreSQL id sequence past the restored ids (rows went in with ids).

    setval is not transactional, so it runs last; if the commit still failed, the
    sequences would only skip some numbers.
    """
    if connection.dialect.name != "postgresql":
        return
    preparer = connection.dialect.identifier_preparer
    for table in tables:
        column = table.autoincrement_column
        if column is None or not isinstance(column.type, Integer):
            continue
        quoted_table = preparer.format_table(table)
        quoted_column = preparer.format_column(column)
        connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence(:table, :column), "
                f"COALESCE(MAX({quoted_column}), 0) + 1, false) FROM {quoted_table}"
            ),
            {"table": quoted_table, "column": column.name},
        )


# Archive reading ---------------------------------------------------------------------
