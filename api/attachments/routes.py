"""Evidence attachments: upload (direct or pre-signed), download, retention, integrity."""

from __future__ import annotations

from typing import Any

from flask import Response, request
from flask.views import MethodView
from flask_smorest import abort
from marshmallow import ValidationError

from api.attachments.schemas import (
    AttachmentPatchSchema,
    AttachmentQuerySchema,
    AttachmentSchema,
    CompleteRequestSchema,
    DownloadUrlSchema,
    PresignRequestSchema,
    PresignResponseSchema,
    UploadFormSchema,
    UploadSchema,
    VerificationSchema,
)
from api.base import (
    BINARY_FILE,
    ETAG_HEADER,
    ResourceBlueprint,
    etag_of,
    expected_version,
    page_request,
)
from api.security import requires
from core.models import Assessment, Attachment
from core.paging import Page
from core.queries.records import list_children
from core.services.attachments import AttachmentService
from core.storage.base import attachment_disposition
from web.caller import current_caller
from web.files import evidence_download
from web.hardening import limit_presign, limit_uploads
from web.runtime import runtime

blp = ResourceBlueprint(
    "Evidence",
    __name__,
    description="Evidence attachments with integrity (SHA-256) and retention (clause 7.5)",
)

UPLOAD_SAMPLES = [
    {
        "lang": "curl",
        "source": "curl -H 'Authorization: Bearer $TOKEN' "
        "-F file=@samp-v3.pdf -F evidence_date=2027-01-31 "
        "https://iso.example/assessments/12/attachments",
    },
    {
        "lang": "Python",
        "source": "import requests\nrequests.post(f'{base}/assessments/12/"
        "attachments', headers={'Authorization': f'Bearer {token}'},\n    files={'file': "
        "open('samp-v3.pdf', 'rb')}, data={'retention_until': '2032-12-31'})",
    },
]


def service() -> AttachmentService:
    return AttachmentService(runtime())


@blp.collection(
    "/assessments/<int:assessment_id>/attachments",
    args=AttachmentQuerySchema,
    item=AttachmentSchema,
    decorators=(requires("viewer"), blp.errors(404)),
)
def list_attachments(args: dict[str, Any], assessment_id: int) -> Page[Attachment]:
    """List an assessment's evidence"""
    return list_children(
        runtime().database,
        current_caller(),
        (Assessment, "Assessment", assessment_id),
        Attachment,
        "assessment_id",
        page_request(args),
    )


@blp.route_both("/assessments/<int:assessment_id>/attachments")
class Upload(MethodView):
    decorators = [limit_uploads]  # noqa: RUF012 - read once by Flask

    @requires("editor")
    @blp.arguments(UploadSchema, location="files")
    @blp.response(201, AttachmentSchema, headers=ETAG_HEADER)
    @blp.errors(404, 413, 415, 429)
    @blp.doc(**{"x-codeSamples": UPLOAD_SAMPLES})
    def post(self, files: dict[str, Any], assessment_id: int) -> Any:
        """Upload evidence (multipart field `file`); judged on its bytes, hashed, stored"""
        # flask-smorest documents one request body per operation, so the governance
        # fields of the same multipart body are read here (UploadSchema documents them).
        try:
            form = UploadFormSchema().load(request.form.to_dict())
        except ValidationError as error:
            abort(
                422,
                message=f"Invalid request (form: {', '.join(sorted(error.messages))})",
                errors={"form": error.messages},
            )
        upload = files["file"]
        attachment = service().upload(
            current_caller(), assessment_id, upload.filename, upload.mimetype, upload.stream, form
        )
        return attachment, 201, {"ETag": etag_of(attachment)}


@blp.route_both("/attachments/<int:attachment_id>")
class AttachmentById(MethodView):
    @requires("viewer")
    @blp.response(200, AttachmentSchema, headers=ETAG_HEADER)
    @blp.errors(404)
    def get(self, attachment_id: int) -> Any:
        """One attachment's record"""
        attachment = service().get(current_caller(), attachment_id)
        return attachment, 200, {"ETag": etag_of(attachment)}

    @requires("admin")
    @blp.arguments(AttachmentPatchSchema, example={"retention_hold": True})
    @blp.response(200, AttachmentSchema, headers=ETAG_HEADER)
    @blp.errors(404, 412)
    @blp.honours_if_match
    def patch(self, changes: dict[str, Any], attachment_id: int) -> Any:
        """Change retention, hold, disposition or evidence date"""
        attachment = service().update(
            current_caller(), attachment_id, changes, expected_version=expected_version()
        )
        return attachment, 200, {"ETag": etag_of(attachment)}

    @requires("admin")
    @blp.response(204)
    @blp.errors(404, 409, 412)
    @blp.honours_if_match
    def delete(self, attachment_id: int) -> None:
        """Delete evidence (refused under a hold or before its retention date)"""
        service().delete(current_caller(), attachment_id, expected_version=expected_version())


DOWNLOADED = "The file, as an attachment, with the type judged at upload"


@blp.route_both("/attachments/<int:attachment_id>/download")
class Download(MethodView):
    @requires("viewer")
    @blp.response(200, BINARY_FILE, content_type="application/octet-stream", description=DOWNLOADED)
    # That type is any of ALLOWED_UPLOAD_MEDIA, which is configurable.
    @blp.alt_response(200, schema=BINARY_FILE, content_type="*/*", description=DOWNLOADED)
    @blp.errors(404)
    def get(self, attachment_id: int) -> Response:
        """Download the stored file"""
        return evidence_download(attachment_id)


@blp.route_both("/attachments/<int:attachment_id>/download_url")
class DownloadUrl(MethodView):
    @requires("viewer")
    @blp.response(200, DownloadUrlSchema)
    @blp.errors(404, 409)
    def get(self, attachment_id: int) -> dict[str, Any]:
        """A short-lived pre-signed GET URL (object storage only)"""
        evidence = service()
        attachment = evidence.get(current_caller(), attachment_id)
        url = evidence.download_url(
            current_caller(), attachment_id, attachment_disposition(attachment.filename)
        )
        return {"url": url, "expires_in": runtime().settings.presign_ttl_seconds}


@blp.route_both("/attachments/<int:attachment_id>/verify")
class Verify(MethodView):
    @requires("viewer")
    @blp.response(200, VerificationSchema)
    @blp.errors(404)
    def get(self, attachment_id: int) -> Any:
        """Re-hash the stored bytes and compare with the recorded SHA-256"""
        return service().verify(current_caller(), attachment_id)


@blp.route_both("/attachments/presign_upload")
class PresignUpload(MethodView):
    decorators = [limit_presign]  # noqa: RUF012 - read once by Flask

    @requires("editor")
    @blp.arguments(
        PresignRequestSchema,
        example={
            "assessment_id": 12,
            "filename": "samp-v3.pdf",
            "content_type": "application/pdf",
            "size": 482113,
        },
    )
    @blp.response(200, PresignResponseSchema)
    @blp.errors(404, 409, 413, 415, 429)
    @blp.doc(
        **{
            "x-codeSamples": [
                {
                    "lang": "curl",
                    "source": "curl -X PUT -H 'Content-Type: application/pdf' "
                    "--data-binary @samp-v3.pdf "
                    '"$UPLOAD_URL"',
                }
            ]
        }
    )
    def post(self, data: dict[str, Any]) -> Any:
        """Get a pre-signed PUT URL; type and size are checked before signing"""
        return service().presign_upload(
            current_caller(),
            data["assessment_id"],
            data["filename"],
            data["content_type"],
            data["size"],
        )


@blp.route_both("/attachments/complete")
class CompleteUpload(MethodView):
    @requires("editor")
    @blp.arguments(
        CompleteRequestSchema,
        example={
            "assessment_id": 12,
            "object_key": "evidence/<from presign_upload>",
            "filename": "samp-v3.pdf",
            "size": 482113,
        },
    )
    @blp.response(201, AttachmentSchema, headers=ETAG_HEADER)
    @blp.errors(404, 409, 413, 415)
    def post(self, data: dict[str, Any]) -> Any:
        """Record a pre-signed upload after checking the stored object"""
        governance: dict[str, Any] = {
            k: data[k]
            for k in ("evidence_date", "retention_until", "retention_hold", "disposition")
            if k in data
        }
        attachment = service().complete(
            current_caller(),
            data["assessment_id"],
            data["object_key"],
            data["filename"],
            content_type=data.get("content_type"),
            size=data.get("size"),
            sha256=data.get("sha256"),
            governance=governance,
        )
        return attachment, 201, {"ETag": etag_of(attachment)}
