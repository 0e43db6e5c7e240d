"""The interface every evidence store offers, and its errors."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import quote

CHUNK = 64 * 1024


@dataclass(frozen=True)
class StoredObject:
    size: int
    content_type: str | None


class StoreError(Exception):
    """The store could not do what was asked (unreachable, refused, misconfigured)."""


class EvidenceStore(Protocol):
    kind: str  # "local" or "s3", recorded on each attachment

    def put_file(self, key: str, path: Path, content_type: str) -> None: ...

    def read(self, key: str) -> Iterator[bytes]: ...

    def stat(self, key: str) -> StoredObject | None: ...

    def delete(self, key: str) -> None: ...

    def check(self) -> str:
        """Make the store ready (e.g. create the bucket) and say what it is."""
        ...

    def check_writable(self) -> None:
        """Write and remove a small object; StoreError when the store refuses either."""
        ...

    def staging_dir(self) -> Path:
        """Where uploads are received and judged before they are stored."""
        ...


UNSAFE_IN_FILENAME = re.compile(r'[\x00-\x1f\x7f"\\/;]+')


def attachment_disposition(filename: str) -> str:
    """`Content-Disposition: attachment` with a safe ASCII name and the original (RFC 6266).

    The plain `filename` has no control characters, quotes, slashes or backslashes and
    does not start with a dot; `filename*` keeps the original, percent-encoded.
    """
    ascii_name = filename.encode("ascii", "replace").decode("ascii").replace("?", "_")
    safe = UNSAFE_IN_FILENAME.sub("_", ascii_name).lstrip(".").strip() or "evidence"
    return f"attachment; filename=\"{safe}\"; filename*=UTF-8''{quote(filename, safe='')}"
