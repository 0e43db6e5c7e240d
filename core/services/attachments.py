"""Evidence attachments (clause 7.5): judged, hashed, stored, retained, verified.

Uploads are received into a staging file while their SHA-256 is computed and their
size counted; only a file that passes every check is moved into the store, and only a
stored file gets a row. Any refusal removes the staging file and writes nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re
import tempfile
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.caller import Caller
from core.errors import Conflict, InvalidInput, NotFound, PayloadTooLarge, UnsupportedMedia
from core.models import Assessment, Attachment
from core.queries.records import get_record
from core.repositories.records import TenantRepository
from core.runtime import Runtime
from core.services.records import Problems, RecordService
from core.storage.base import CHUNK, StoreError
from core.storage.media import declared_matches, detect_media_type, normalise
from core.storage.s3 import S3Store

GOVERNANCE_FIELDS = frozenset({"retention_until", "retention_hold", "disposition", "evidence_date"})
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]+")
log = logging.getLogger(__name__)
PRESIGNED_KEY = re.compile(r"^evidence/([0-9a-f]{32})\.([0-9a-f]{24})$")


def display_name(filename: str | None) -> str:
    """The uploader's name for display: no control characters, no folders, bounded."""
    name = CONTROL_CHARACTERS.sub(" ", filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    return name.strip()[:255] or "evidence"


@dataclass(frozen=True)
class Staged:
    path: Path
    size: int
    sha256: str


@dataclass(frozen=True)
class PresignedUpload:
    upload_url: str
    object_key: str
    headers: dict[str, str]
    expires_in: int
    method: str = "PUT"


@dataclass(frozen=True)
class Verification:
    attachment_id: int
    ok: bool
    recorded_sha256: str
    actual_sha256: str | None
    missing: bool


class AttachmentService(RecordService[Attachment]):
    model = Attachment
    entity = "attachment"
    label = "Attachment"
    fields = GOVERNANCE_FIELDS

    def __init__(self, runtime: Runtime) -> None:
        super().__init__(runtime.database)
        self.runtime = runtime
        self.store = runtime.store
        self.settings = runtime.settings
        self.limit = runtime.settings.max_upload_mb * 1024 * 1024

    # Rules ---------------------------------------------------------------------------
    def validate(
        self, session: Session, caller: Caller, values: dict[str, Any], current: Attachment | None
    ) -> dict[str, Any]:
        problems = Problems()
        if values.get("disposition") is not None and len(values["disposition"]) > 255:
            problems.add("disposition", "At most 255 characters.")
        if "retention_hold" in values and values["retention_hold"] is None:
            values["retention_hold"] = False
        problems.raise_if_any()
        return values

    def check_delete(self, session: Session, record: Attachment) -> None:
        if record.retention_hold:
            raise Conflict(f"Attachment {record.id} is under a retention hold; release it first")
        today = datetime.now(UTC).date()
        if record.retention_until is not None and today < record.retention_until:
            until = record.retention_until.isoformat()
            raise Conflict(f"Attachment {record.id} must be retained until {until}")

    def after_delete(self, record: Attachment) -> None:
        # The row is gone (and its history written); an object left behind is only an
        # orphan, while a row without its object would be a broken record.
        try:
            self.store.delete(record.storage_key)
        except (StoreError, OSError):
            log.warning(
                "evidence object %s of attachment %s left behind",
                record.storage_key,
                record.id,
                exc_info=True,
            )

    # Direct upload -------------------------------------------------------------------
    def upload(
        self,
        caller: Caller,
        assessment_id: int,
        filename: str | None,
        declared_type: str | None,
        stream: BinaryIO,
        governance: Mapping[str, Any],
    ) -> Attachment:
        self._check_names(governance)
        self._require_assessment(caller, assessment_id)
        staged = self._receive(stream.read)
        key = uuid.uuid4().hex if self.store.kind == "local" else f"evidence/{uuid.uuid4().hex}"
        try:
            media_type = self._judge(staged, declared_type)
            self.store.put_file(key, staged.path, media_type)
        finally:
            staged.path.unlink(missing_ok=True)
        return self._record(caller, assessment_id, filename, media_type, staged, key, governance)

    # Pre-signed upload ---------------------------------------------------------------
    def presign_upload(
        self, caller: Caller, assessment_id: int, filename: str, content_type: str, size: int
    ) -> PresignedUpload:
        store = self._object_store()
        self._require_assessment(caller, assessment_id)
        media_type = normalise(content_type)
        if media_type not in self.settings.allowed_upload_media:
            raise UnsupportedMedia(f"Files of type {media_type or 'unknown'} are not accepted")
        if size > self.limit:
            raise PayloadTooLarge(self._too_large())
        if size < 1:
            raise InvalidInput("size: The file is empty", {"size": ["Must be at least 1."]})
        object_key = self._issue_key(caller, assessment_id)
        ttl = self.settings.presign_ttl_seconds
        return PresignedUpload(
            upload_url=store.presign_put(object_key, media_type, ttl),
            object_key=object_key,
            headers={"Content-Type": media_type},
            expires_in=ttl,
        )

    def complete(
        self,
        caller: Caller,
        assessment_id: int,
        object_key: str,
        filename: str,
        *,
        content_type: str | None = None,
        size: int | None = None,
        sha256: str | None = None,
        governance: Mapping[str, Any],
    ) -> Attachment:
        store = self._object_store()
        self._check_names(governance)
        self._require_assessment(caller, assessment_id)
        if not self._key_issued_to(caller, assessment_id, object_key):
            raise InvalidInput(
                "object_key: was not issued for this assessment by presign_upload",
                {"object_key": ["Unknown upload."]},
            )
        with self.database.session() as session:
            existing = session.scalar(
                select(Attachment.id).where(
                    Attachment.storage == store.kind, Attachment.storage_key == object_key
                )
            )
        if existing is not None:
            raise Conflict(f"This upload is already recorded as attachment {existing}")
        stored = store.stat(object_key)
        if stored is None:
            raise InvalidInput(
                "object_key: no uploaded object found; upload it to upload_url first",
                {"object_key": ["Not uploaded."]},
            )
        if size is not None and stored.size != size:
            raise InvalidInput(
                f"size: the stored object has {stored.size} bytes, not {size}",
                {"size": ["Does not match the uploaded object."]},
            )
        # The pre-signed URL could not enforce the limit or the type: check the object.
        if stored.size > self.limit:
            store.delete(object_key)
            raise PayloadTooLarge(self._too_large())
        staged = self._receive(_reader(store.read(object_key)))
        try:
            if sha256 is not None and sha256.lower() != staged.sha256:
                raise InvalidInput(
                    "sha256: does not match the uploaded object",
                    {"sha256": ["Does not match the uploaded object."]},
                )
            declared = content_type or stored.content_type
            try:
                media_type = self._judge(staged, declared)
            except (UnsupportedMedia, PayloadTooLarge, InvalidInput):
                store.delete(object_key)
                raise
        finally:
            staged.path.unlink(missing_ok=True)
        return self._record(
            caller, assessment_id, filename, media_type, staged, object_key, governance
        )

    # Reading -------------------------------------------------------------------------
    def get(self, caller: Caller, attachment_id: int) -> Attachment:
        return get_record(self.database, caller, Attachment, attachment_id, self.label)

    def content(self, attachment: Attachment) -> Iterator[bytes]:
        return self.store.read(attachment.storage_key)

    def download_url(self, caller: Caller, attachment_id: int, disposition: str) -> str:
        attachment = self.get(caller, attachment_id)
        if attachment.storage != "s3" or not isinstance(self.store, S3Store):
            raise Conflict(f"Attachment {attachment_id} is stored locally; use its /download route")
        return self.store.presign_get(
            attachment.storage_key,
            self.settings.presign_ttl_seconds,
            disposition,
            attachment.content_type,
        )

    def verify(self, caller: Caller, attachment_id: int) -> Verification:
        return self._verify(self.get(caller, attachment_id))

    def verify_all(self) -> Iterator[Verification]:
        """Every attachment of every organisation (for the admin command)."""
        last_id = 0
        while True:
            with self.database.session() as session:
                batch = session.scalars(
                    select(Attachment)
                    .where(Attachment.id > last_id)
                    .order_by(Attachment.id)
                    .limit(500)
                ).all()
            if not batch:
                return
            for attachment in batch:
                yield self._verify(attachment)
            last_id = batch[-1].id

    # Internals -----------------------------------------------------------------------
    def _verify(self, attachment: Attachment) -> Verification:
        digest = hashlib.sha256()
        try:
            if self.store.stat(attachment.storage_key) is None:
                raise FileNotFoundError(attachment.storage_key)
            for chunk in self.store.read(attachment.storage_key):
                digest.update(chunk)
        except (FileNotFoundError, StoreError):
            return Verification(attachment.id, False, attachment.sha256, None, True)
        actual = digest.hexdigest()
        return Verification(
            attachment.id, actual == attachment.sha256, attachment.sha256, actual, False
        )

    def _record(
        self,
        caller: Caller,
        assessment_id: int,
        filename: str | None,
        media_type: str,
        staged: Staged,
        key: str,
        governance: Mapping[str, Any],
    ) -> Attachment:
        values = {
            **governance,
            "assessment_id": assessment_id,
            "filename": display_name(filename),
            "content_type": media_type,
            "size": staged.size,
            "sha256": staged.sha256,
            "storage": self.store.kind,
            "storage_key": key,
        }
        try:
            return self._insert(caller, values)
        except Exception:
            self.store.delete(key)  # no row, so no object either
            raise

    def _require_assessment(self, caller: Caller, assessment_id: int) -> None:
        with self.database.session() as session:
            found = TenantRepository(session, Assessment).get(caller.org_id, assessment_id)
        if found is None:
            raise NotFound(f"Assessment {assessment_id} not found")

    def _too_large(self) -> str:
        return f"The file is larger than the {self.settings.max_upload_mb} MB limit (MAX_UPLOAD_MB)"

    def _receive(self, read: Any) -> Staged:
        """Copy the stream into a staging file, hashing and counting; refuse past the limit."""
        digest = hashlib.sha256()
        size = 0
        handle, name = tempfile.mkstemp(dir=self.store.staging_dir(), prefix="upload-")
        path = Path(name)
        try:
            with os.fdopen(handle, "wb") as staging:
                while chunk := read(CHUNK):
                    size += len(chunk)
                    if size > self.limit:
                        raise PayloadTooLarge(self._too_large())
                    digest.update(chunk)
                    staging.write(chunk)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return Staged(path=path, size=size, sha256=digest.hexdigest())

    def _judge(self, staged: Staged, declared: str | None) -> str:
        if staged.size == 0:
            raise InvalidInput("file: The file is empty", {"file": ["Empty file."]})
        detected = detect_media_type(staged.path, declared)
        if detected is None:
            raise UnsupportedMedia("The file's type could not be recognised from its content")
        if detected not in self.settings.allowed_upload_media:
            raise UnsupportedMedia(f"Files of type {detected} are not accepted")
        if not declared_matches(declared, detected):
            raise UnsupportedMedia(
                f"The file was declared as {normalise(declared)} but its content is {detected}"
            )
        return detected

    def _object_store(self) -> S3Store:
        if not isinstance(self.store, S3Store):
            raise Conflict("Pre-signed uploads need object storage (set OBJECT_STORE_BUCKET)")
        return self.store

    def _mac(self, caller: Caller, assessment_id: int, token: str) -> str:
        message = f"{caller.org_id}|{assessment_id}|{token}".encode()
        return hmac.new(self.runtime.secret.encode(), message, hashlib.sha256).hexdigest()[:24]

    def _issue_key(self, caller: Caller, assessment_id: int) -> str:
        token = uuid.uuid4().hex
        return f"evidence/{token}.{self._mac(caller, assessment_id, token)}"

    def _key_issued_to(self, caller: Caller, assessment_id: int, object_key: str) -> bool:
        match = PRESIGNED_KEY.match(object_key)
        if match is None:
            return False
        return hmac.compare_digest(match.group(2), self._mac(caller, assessment_id, match.group(1)))


def _reader(chunks: Iterator[bytes]) -> Any:
    """A read(n) function over an iterator of chunks (chunk sizes are the store's)."""
    pending = iter(chunks)

    def read(_size: int) -> bytes:
        return next(pending, b"")

    return read
