"""The backup archive's format: its members, manifest and bounded reading."""

from __future__ import annotations

import gzip
import os
import tarfile
import zlib
from collections.abc import Generator, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from sqlalchemy import (
    Table,
)

from core.db import Base
from core.errors import InvalidInput
from core.models import Clause, Job, WebSession
from core.storage.base import CHUNK

FORMAT = "iso55001-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
TABLES_DIR = "tables/"
EVIDENCE_DIR = "evidence/"
# Server-side sign-ins: meaningless on another deployment, and they hold identities.
# Jobs: work in progress and result files kept for days, not records of the system.
EXCLUDED_TABLES = frozenset({WebSession.__tablename__, Job.__tablename__})
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


def member_info(name: str, size: int, mtime: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = mtime
    info.mode = 0o600  # the backup holds every record: nobody else should read it
    return info


def fsync_directory(directory: Path) -> None:
    """Make the rename itself durable (POSIX); a no-op where directories cannot be opened."""
    with suppress(OSError):
        descriptor = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


# Restore -----------------------------------------------------------------------------


class Guarded:
    """A member's bytes, where a read failure means a damaged archive (InvalidInput).

    Only reads from the archive are translated: errors from the database or the store,
    raised while a member is being handled, keep their own meaning.
    """

    def __init__(self, stream: IO[bytes], source: Path) -> None:
        self.stream = stream
        self.source = source

    def read(self, size: int = -1) -> bytes:
        with archive_errors(self.source):
            return self.stream.read(size)

    def readline(self) -> bytes:
        with archive_errors(self.source):
            return self.stream.readline()


def read_members(source: Path) -> Generator[tuple[tarfile.TarInfo, Guarded], None, None]:
    """The archive's members in order, as a forward-only stream (no unpacking to disk).

    Opened without `with` on purpose: the error guard may wrap the archive's own reads
    but never the `yield`, and `finally` closes the file.
    """
    with archive_errors(source):
        compressed = gzip.open(source, "rb")  # noqa: SIM115
    try:
        with archive_errors(source):
            # Reads the first header already, hence inside the guard.
            tar = tarfile.open(fileobj=compressed, mode="r|")  # noqa: SIM115
        while True:
            with archive_errors(source):
                member = tar.next()
            if member is None:
                break
            if not member.isfile():
                # Links and devices have no place in a backup; never follow them.
                raise InvalidInput(f"Backup member {member.name} is not a regular file")
            with archive_errors(source):
                stream = tar.extractfile(member)
            if stream is None:
                raise InvalidInput(f"Backup member {member.name} is not a regular file")
            yield member, Guarded(stream, source)
        with archive_errors(source):
            # tar stops at its end marker; reading on to EOF makes gzip check its CRC.
            while compressed.read(CHUNK):
                pass
    finally:
        compressed.close()


@contextmanager
def archive_errors(source: Path) -> Iterator[None]:
    try:
        yield
    except ARCHIVE_ERRORS as exc:
        raise InvalidInput(
            f"{source} is damaged or not a .tar.gz backup ({exc}); nothing was restored"
        ) from exc
