"""Writing a backup: every table and evidence object, streamed into one archive."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from pathlib import Path
from typing import IO, Any

from alembic.migration import MigrationContext
from sqlalchemy import (
    Connection,
    Engine,
    Table,
    select,
)

from core.backup.archive import (
    BATCH,
    EVIDENCE_DIR,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    BackupSummary,
    backed_up_tables,
    fsync_directory,
    member_info,
    table_member,
)
from core.db import utcnow
from core.errors import Conflict, InvalidInput
from core.models import Attachment
from core.runtime import Runtime
from core.storage.base import EvidenceStore, StoreError


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
    fsync_directory(directory)
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
        tar.addfile(member_info(MANIFEST, len(content), mtime), io.BytesIO(content))
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
        tar.addfile(member_info(name, size, mtime), spool)
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
        tar.addfile(member_info(name, row.size, mtime), reader)
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


def _encode(value: Any) -> str:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    raise TypeError(f"backup cannot encode {type(value).__name__} values")
