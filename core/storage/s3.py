"""Evidence in S3-compatible object storage (AWS S3, MinIO, ...) through boto3."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from core.config import Settings
from core.storage.base import CHUNK, StoredObject, StoreError

MISSING_CODES = {"404", "NoSuchKey", "NotFound", "NoSuchBucket"}


class S3Store:
    kind = "s3"

    def __init__(self, settings: Settings, client: Any = None) -> None:
        assert settings.object_store_bucket, "S3Store needs OBJECT_STORE_BUCKET"
        self.bucket = settings.object_store_bucket
        self.endpoint = settings.object_store_endpoint
        self.region = settings.object_store_region
        self.client = client or boto3.client(
            "s3",
            endpoint_url=settings.object_store_endpoint,
            region_name=settings.object_store_region,
            aws_access_key_id=settings.object_store_access_key,
            aws_secret_access_key=settings.object_store_secret_key,
            config=Config(
                signature_version="s3v4",
                s3={"addressing_style": "path" if settings.object_store_use_path_style else "auto"},
                connect_timeout=5,
                read_timeout=30,
                retries={"max_attempts": 3, "mode": "standard"},
            ),
        )

    def put_file(self, key: str, path: Path, content_type: str) -> None:
        try:
            self.client.upload_file(
                str(path), self.bucket, key, ExtraArgs={"ContentType": content_type}
            )
        except (BotoCoreError, ClientError) as exc:
            raise StoreError(f"object store refused the upload: {exc}") from exc

    def read(self, key: str) -> Iterator[bytes]:
        try:
            body = self.client.get_object(Bucket=self.bucket, Key=key)["Body"]
        except (BotoCoreError, ClientError) as exc:
            raise StoreError(f"object {key} could not be read: {exc}") from exc
        try:
            yield from body.iter_chunks(CHUNK)
        finally:
            body.close()

    def stat(self, key: str) -> StoredObject | None:
        try:
            head = self.client.head_object(Bucket=self.bucket, Key=key)
        except ClientError as exc:
            if str(exc.response.get("Error", {}).get("Code")) in MISSING_CODES:
                return None
            raise StoreError(f"object {key} could not be checked: {exc}") from exc
        return StoredObject(size=int(head["ContentLength"]), content_type=head.get("ContentType"))

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=key)

    def check(self) -> str:
        """Create the bucket when it is missing; say where evidence goes."""
        try:
            self.client.head_bucket(Bucket=self.bucket)
            state = "present"
        except ClientError as exc:
            if str(exc.response.get("Error", {}).get("Code")) not in MISSING_CODES:
                raise StoreError(f"bucket {self.bucket} is not usable: {exc}") from exc
            options: dict[str, Any] = {"Bucket": self.bucket}
            if self.region and self.region != "us-east-1":
                options["CreateBucketConfiguration"] = {"LocationConstraint": self.region}
            self.client.create_bucket(**options)
            state = "created"
        except BotoCoreError as exc:
            raise StoreError(f"object store unreachable: {exc}") from exc
        return f"s3 bucket {self.bucket} {state}"

    def check_writable(self) -> None:
        key = f".ready/{uuid.uuid4().hex}"
        try:
            self.client.put_object(Bucket=self.bucket, Key=key, Body=b"ready")
            self.client.delete_object(Bucket=self.bucket, Key=key)
        except (BotoCoreError, ClientError) as exc:
            raise StoreError(f"object store bucket {self.bucket} is not writable: {exc}") from exc

    def staging_dir(self) -> Path:
        staging = Path(tempfile.gettempdir()) / "iso55001-incoming"
        staging.mkdir(parents=True, exist_ok=True)
        return staging

    def presign_put(self, key: str, content_type: str, ttl: int) -> str:
        url: str = self.client.generate_presigned_url(
            "put_object",
            Params={"Bucket": self.bucket, "Key": key, "ContentType": content_type},
            ExpiresIn=ttl,
        )
        return url

    def presign_get(self, key: str, ttl: int, disposition: str, content_type: str) -> str:
        url: str = self.client.generate_presigned_url(
            "get_object",
            Params={
                "Bucket": self.bucket,
                "Key": key,
                "ResponseContentDisposition": disposition,
                "ResponseContentType": content_type,
            },
            ExpiresIn=ttl,
        )
        return url
