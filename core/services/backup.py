"""Backup and restore: one portable .tar.gz holding every table and every evidence object.

A backup is logical, not a database file: rows are JSON lines and evidence is read
through the configured store, so a SQLite backup restores into PostgreSQL (and back)
and local files and S3 objects are backed up alike.

Archive layout, in this order:

- ``tables/<table>.jsonl`` for every table of ``Base.metadata`` except ``web_sessions``,
  in foreign-key order, one JSON object per row, ordered by primary key;
- ``evidence/<storage_key>`` for every attachment, ordered by attachment id;
- ``manifest.json`` last, because it carries every member's SHA-256, which is known
  only once the member is written; writing it first would mean holding the whole
  backup on disk twice.

Both directions stream: tables are read in batches and spooled one at a time, evidence
goes from the store straight into the archive, and restore reads the archive twice
(once to verify every checksum, once to load) rather than unpacking it.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import tarfile
import tempfile
import zlib
from collections.abc import Callable, Generator, Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import IO, Any

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

from core.db import Base, utcnow
from core.errors import Conflict, InvalidInput
from core.models import Attachment, Clause, WebSession
from core.runtime import Runtime
from core.storage.base import CHUNK, EvidenceStore, StoreError

FORMAT = "iso55001-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
TABLES_DIR = "tables/"
EVIDENCE_DIR = "evidence/"
# Server-side sign-ins: meaningless on another deployment, and they hold identities.
EXCLUDED_TABLES = frozenset({WebSession.__tablename__})
# Seeded by `init-db`, so present in an empty target; replaced by the backup's copy.
CATALOGUE_TABLES = frozenset({Clause.__tablename__})
BATCH = 1000
MANIFEST_LIMIT = 256 * 1024 * 1024
LOCK_TIMEOUT = "30s"
ARCHIVE_ERRORS = (tarfile.TarError, OSError, EOFError, zlib.error)


@dataclass(frozen=True)
class BackupSummary:
    tables: dict[str, int]
    evidence_objects: int
    evidence_bytes: int
    path: Path


def backed_up_tables() -> list[Table]:
    """Every table a backup holds, parents before children."""
    return [table for table in Base.metadata.sorted_tables if table.name not in EXCLUDED_TABLES]


def table_member(table: Table) -> str:
    return f"{TABLES_DIR}{table.name}.jsonl"


# Backup ------------------------------------------------------------------------------


def create_backup(runtime: Runtime, target: Path) -> BackupSummary:
    """Write a backup of the database and the evidence store to `target` (.tar.gz).

    The archive is written to a hidden temporary file in the same directory and renamed
    over `target` only when complete, so a failed run never leaves a half backup behind
    (and an earlier backup at the same path survives it).
    """
    target = Path(target)
    directory = target.parent
    if not directory.is_dir():
        raise InvalidInput(f"Cannot write the backup: {directory} is not a directory")
    handle, partial_name = tempfile.mkstemp(
        dir=directory, prefix=f".{target.name}.", suffix=".partial"
    )
    partial = Path(partial_name)
    try:
        with os.fdopen(handle, "wb") as raw:
            summary = _write_archive(runtime, raw, directory, target)
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    _fsync_directory(directory)
    return summary


def _write_archive(runtime: Runtime, raw: IO[bytes], scratch: Path, target: Path) -> BackupSummary:
    created_at = utcnow()
    mtime = int(created_at.timestamp())
    members: dict[str, dict[str, Any]] = {}
    counts: dict[str, int] = {}
    evidence_objects = evidence_bytes = 0
    stores: set[str] = set()
    engine = runtime.database.engine
    # compresslevel 6: evidence is mostly PDFs and images that gzip barely shrinks, so
    # level 9 only costs time.
    with (
        gzip.GzipFile(filename="", mode="wb", compresslevel=6, fileobj=raw, mtime=mtime) as gz,
        tarfile.open(fileobj=gz, mode="w|", format=tarfile.PAX_FORMAT) as tar,
        _snapshot(engine) as connection,
    ):
        revision = MigrationContext.configure(connection).get_current_revision()
        if revision is None:
            raise InvalidInput("The database has no schema yet; run `iso55001 init-db` first")
        for table in backed_up_tables():
            name = table_member(table)
            counts[table.name], members[name] = _add_table(
                tar, connection, table, name, scratch, mtime
            )
        attachments = select(
            Attachment.id,
            Attachment.storage,
            Attachment.storage_key,
            Attachment.size,
            Attachment.sha256,
        ).order_by(Attachment.id)
        for row in connection.execution_options(yield_per=BATCH).execute(attachments):
            name = EVIDENCE_DIR + row.storage_key
            members[name] = _add_evidence(tar, runtime.store, row, name, mtime)
            evidence_objects += 1
            evidence_bytes += row.size
            stores.add(row.storage)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": created_at.isoformat(),
            "alembic_revision": revision,
            "dialect": engine.dialect.name,
            "tables": counts,
            "evidence": {
                "objects": evidence_objects,
                "bytes": evidence_bytes,
                "stores": sorted(stores),
            },
            "members": members,
        }
        content = json.dumps(manifest, indent=2).encode()
        tar.addfile(_member_info(MANIFEST, len(content), mtime), io.BytesIO(content))
    return BackupSummary(counts, evidence_objects, evidence_bytes, target)


@contextmanager
def _snapshot(engine: Engine) -> Iterator[Connection]:
    """One read-only view of every table, so rows that reference each other agree."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as plain:
            connection = plain.execution_options(
                isolation_level="REPEATABLE READ", postgresql_readonly=True
            )
            with connection.begin():
                yield connection
        return
    with engine.connect() as connection:
        # pysqlite opens no transaction for reads, so each SELECT would see its own
        # moment; an explicit BEGIN pins one WAL snapshot for all of them.
        connection.exec_driver_sql("BEGIN")
        try:
            yield connection
        finally:
            connection.rollback()


def _add_table(
    tar: tarfile.TarFile,
    connection: Connection,
    table: Table,
    name: str,
    scratch: Path,
    mtime: int,
) -> tuple[int, dict[str, Any]]:
    """Stream the table (by primary key) into a spool file, then into the archive."""
    query = select(table).order_by(*table.primary_key.columns)
    rows = 0
    digest = hashlib.sha256()
    # tar needs each member's size up front: spool the table (not the whole backup).
    with tempfile.TemporaryFile(dir=scratch) as spool:
        for row in connection.execution_options(yield_per=BATCH).execute(query).mappings():
            line = json.dumps(dict(row), default=_encode, ensure_ascii=False, separators=(",", ":"))
            data = (line + "\n").encode()
            digest.update(data)
            spool.write(data)
            rows += 1
        size = spool.tell()
        spool.seek(0)
        tar.addfile(_member_info(name, size, mtime), spool)
    return rows, {"sha256": digest.hexdigest(), "size": size}


def _add_evidence(
    tar: tarfile.TarFile, store: EvidenceStore, row: Any, name: str, mtime: int
) -> dict[str, Any]:
    """Copy one object from the store into the archive, checking it against its row.

    A missing or altered object fails the backup rather than being skipped: a backup
    that silently lacks evidence would only be found out at restore time.
    """
    problem = f"Evidence object {row.storage_key} of attachment {row.id}"
    advice = "run `iso55001 verify-evidence` and repair it before backing up"
    chunks = store.read(row.storage_key)
    reader = _ChunkReader(chunks)
    try:
        tar.addfile(_member_info(name, row.size, mtime), reader)
        surplus = reader.read(1)
    except (StoreError, OSError) as exc:
        raise Conflict(f"{problem} could not be read ({exc}); {advice}") from exc
    finally:
        close = getattr(chunks, "close", None)
        if close is not None:
            close()
    if surplus or reader.digest.hexdigest() != row.sha256:
        raise Conflict(f"{problem} does not match its recorded size and SHA-256; {advice}")
    return {"sha256": row.sha256, "size": row.size}


class _ChunkReader(io.RawIOBase):
    """A read(n) file over the store's chunk iterator that hashes what it hands out."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        super().__init__()
        self.chunks = chunks
        self.pending = b""
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self.pending) < size:
            chunk = next(self.chunks, b"")
            if not chunk:
                break
            self.pending += chunk
        cut = len(self.pending) if size < 0 else size
        data, self.pending = self.pending[:cut], self.pending[cut:]
        self.digest.update(data)
        return data


def _member_info(name: str, size: int, mtime: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = mtime
    info.mode = 0o600  # the backup holds every record: nobody else should read it
    return info


def _encode(value: Any) -> str:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    raise TypeError(f"backup cannot encode {type(value).__name__} values")


def _fsync_directory(directory: Path) -> None:
    """Make the rename itself durable (POSIX); a no-op where directories cannot be opened."""
    with suppress(OSError):
        descriptor = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


# Restore -----------------------------------------------------------------------------


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
    with closing(_members(source)) as members:
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
        with closing(_members(source)) as members:
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


def _insert_rows(connection: Connection, table: Table, stream: _Guarded, name: str) -> int:
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


def _put_evidence(connection: Connection, store: EvidenceStore, key: str, stream: _Guarded) -> int:
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


class _Guarded:
    """A member's bytes, where a read failure means a damaged archive (InvalidInput).

    Only reads from the archive are translated: errors from the database or the store,
    raised while a member is being handled, keep their own meaning.
    """

    def __init__(self, stream: IO[bytes], source: Path) -> None:
        self.stream = stream
        self.source = source

    def read(self, size: int = -1) -> bytes:
        with _archive_errors(self.source):
            return self.stream.read(size)

    def readline(self) -> bytes:
        with _archive_errors(self.source):
            return self.stream.readline()


def _members(source: Path) -> Generator[tuple[tarfile.TarInfo, _Guarded], None, None]:
    """The archive's members in order, as a forward-only stream (no unpacking to disk).

    Opened without `with` on purpose: the error guard may wrap the archive's own reads
    but never the `yield`, and `finally` closes the file.
    """
    with _archive_errors(source):
        compressed = gzip.open(source, "rb")  # noqa: SIM115
    try:
        with _archive_errors(source):
            # Reads the first header already, hence inside the guard.
            tar = tarfile.open(fileobj=compressed, mode="r|")  # noqa: SIM115
        while True:
            with _archive_errors(source):
                member = tar.next()
            if member is None:
                break
            if not member.isfile():
                # Links and devices have no place in a backup; never follow them.
                raise InvalidInput(f"Backup member {member.name} is not a regular file")
            with _archive_errors(source):
                stream = tar.extractfile(member)
            if stream is None:
                raise InvalidInput(f"Backup member {member.name} is not a regular file")
            yield member, _Guarded(stream, source)
        with _archive_errors(source):
            # tar stops at its end marker; reading on to EOF makes gzip check its CRC.
            while compressed.read(CHUNK):
                pass
    finally:
        compressed.close()


@contextmanager
def _archive_errors(source: Path) -> Iterator[None]:
    try:
        yield
    except ARCHIVE_ERRORS as exc:
        raise InvalidInput(
            f"{source} is damaged or not a .tar.gz backup ({exc}); nothing was restored"
        ) from exc
