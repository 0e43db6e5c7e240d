"""A store under test (local directory or S3 bucket on loopback) and what it holds."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
from sqlalchemy import func, select

from core.config import Settings
from core.db import Database
from core.models import Attachment


@dataclass
class Store:
    kind: str
    settings: Settings
    database: Database

    def client(self) -> Any:
        return boto3.client(
            "s3",
            endpoint_url=self.settings.object_store_endpoint,
            region_name="us-east-1",
            aws_access_key_id="test",
            aws_secret_access_key="test",
        )

    def object_keys(self) -> set[str]:
        if self.kind == "local":
            root = self.settings.evidence_dir
            return {p.name for p in root.rglob("*") if p.is_file() and ".incoming" not in p.parts}
        listing = self.client().list_objects_v2(Bucket=self.settings.object_store_bucket)
        return {item["Key"] for item in listing.get("Contents", [])}

    def staged(self) -> list[Path]:
        if self.kind == "local":
            staging = self.settings.evidence_dir / ".incoming"
        else:
            staging = Path(tempfile.gettempdir()) / "iso55001-incoming"
        return list(staging.glob("upload-*")) if staging.exists() else []

    def rows(self) -> int:
        with self.database.session() as session:
            return int(session.scalar(select(func.count()).select_from(Attachment)) or 0)

    def tamper(self, key: str, content: bytes) -> None:
        if self.kind == "local":
            (self.settings.evidence_dir / key[:2] / key).write_bytes(content)
        else:
            self.client().put_object(
                Bucket=self.settings.object_store_bucket, Key=key, Body=content
            )

    def remove(self, key: str) -> None:
        if self.kind == "local":
            (self.settings.evidence_dir / key[:2] / key).unlink()
        else:
            self.client().delete_object(Bucket=self.settings.object_store_bucket, Key=key)


def configure_store(kind: str, request: pytest.FixtureRequest) -> Store:
    """Point the app at a fresh store of `kind` with a 1 MB upload limit."""
    reconfigure: Callable[..., Settings] = request.getfixturevalue("reconfigure")
    database: Database = request.getfixturevalue("database")
    if kind == "local":
        tmp_path: Path = request.getfixturevalue("tmp_path")
        settings = reconfigure(evidence_dir=tmp_path / "evidence", max_upload_mb=1)
        return Store(kind, settings, database)
    endpoint: str = request.getfixturevalue("s3_endpoint")
    settings = reconfigure(
        object_store_endpoint=endpoint,
        object_store_bucket=f"ev-{uuid.uuid4().hex[:12]}",
        object_store_access_key="test",
        object_store_secret_key="test",
        max_upload_mb=1,
    )
    found = Store(kind, settings, database)
    found.client().create_bucket(Bucket=settings.object_store_bucket)
    return found
