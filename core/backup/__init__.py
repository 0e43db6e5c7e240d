"""Backup and restore: one portable .tar.gz holding every table and every evidence object.

A backup is logical, not a database file: rows are JSON lines and evidence is read
through the configured store, so a SQLite backup restores into PostgreSQL (and back)
and local files and S3 objects are backed up alike.

Archive layout, in this order:

- ``tables/<table>.jsonl`` for every table of ``Base.metadata`` except ``web_sessions``
  and ``jobs``,
  in foreign-key order, one JSON object per row, ordered by primary key;
- ``evidence/<storage_key>`` for every attachment, ordered by attachment id;
- ``manifest.json`` last, because it carries every member's SHA-256, which is known
  only once the member is written; writing it first would mean holding the whole
  backup on disk twice.

Both directions stream: tables are read in batches and spooled one at a time, evidence
goes from the store straight into the archive, and restore reads the archive twice
(once to verify every checksum, once to load) rather than unpacking it.
"""

from core.backup.archive import MANIFEST, BackupSummary, backed_up_tables
from core.backup.dump import create_backup
from core.backup.restore import restore_backup

__all__ = ["MANIFEST", "BackupSummary", "backed_up_tables", "create_backup", "restore_backup"]
