"""Evidence stores: local files and S3-compatible object storage behind one interface."""

from __future__ import annotations

from core.config import Settings
from core.storage.base import EvidenceStore
from core.storage.local import LocalStore


def make_store(settings: Settings) -> EvidenceStore:
    """S3 when a bucket is configured, local files otherwise."""
    if settings.object_store_bucket:
        # boto3 is loaded only where it is used (it is a tenth of a worker's memory).
        from core.storage.s3 import S3Store

        return S3Store(settings)
    return LocalStore(settings.evidence_dir)
