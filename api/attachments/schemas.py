from __future__ import annotations

from marshmallow import Schema, fields, validate

from api.base import PageArgsSchema, StrictSchema, TrackedSchema
from web.inputs import Boolean, Date, FormBoolean, Integer

SHA256 = validate.Regexp(r"^[0-9a-fA-F]{64}$", error="A SHA-256 is 64 hexadecimal characters.")
DISPOSITION = validate.Length(max=255)


class AttachmentSchema(TrackedSchema):
    assessment_id = fields.Integer()
    filename = fields.String(metadata={"description": "The uploader's name, for display only"})
    content_type = fields.String(metadata={"example": "application/pdf"})
    size = fields.Integer(metadata={"description": "Bytes"})
    sha256 = fields.String(metadata={"description": "SHA-256 of the stored bytes, hex"})
    storage = fields.String(metadata={"enum": ["local", "s3"]})
    evidence_date = fields.Date(allow_none=True)
    retention_until = fields.Date(allow_none=True)
    retention_hold = fields.Boolean()
    disposition = fields.String(allow_none=True)


class GovernanceFields(StrictSchema):
    evidence_date = Date(
        allow_none=True, metadata={"description": "The date the evidence is valid for"}
    )
    retention_until = Date(
        allow_none=True, metadata={"description": "Not deletable before this date"}
    )
    # JSON's true/false here; a multipart form sends text (UploadFormSchema).
    retention_hold: fields.Boolean = Boolean(
        allow_none=True, metadata={"description": "Legal or audit hold: not deletable"}
    )
    disposition = fields.String(
        allow_none=True,
        validate=DISPOSITION,
        metadata={"description": "What happens at the end of retention, e.g. 'destroy'"},
    )


class UploadFormSchema(GovernanceFields):
    """The governance fields as a multipart form sends them: text, never null."""

    evidence_date = Date(metadata={"description": "The date the evidence is valid for"})
    retention_until = Date(metadata={"description": "Not deletable before this date"})
    retention_hold = FormBoolean(
        metadata={"description": "Legal or audit hold: not deletable ('true' or 'false')"}
    )
    disposition = fields.String(
        validate=DISPOSITION,
        metadata={"description": "What happens at the end of retention, e.g. 'destroy'"},
    )


class UploadSchema(UploadFormSchema):
    """The multipart body: the file plus optional governance fields."""

    file = fields.Raw(required=True, metadata={"type": "string", "format": "binary"})


class AttachmentPatchSchema(GovernanceFields):
    pass


class AttachmentQuerySchema(PageArgsSchema):
    pass


class PresignRequestSchema(StrictSchema):
    assessment_id = Integer(required=True)
    filename = fields.String(required=True, validate=validate.Length(min=1, max=1024))
    content_type = fields.String(required=True, validate=validate.Length(min=1, max=127))
    size = Integer(required=True, validate=validate.Range(min=0))


class PresignResponseSchema(Schema):
    upload_url = fields.String()
    object_key = fields.String()
    method = fields.String()
    headers = fields.Dict(keys=fields.String(), values=fields.String())
    expires_in = fields.Integer()


class CompleteRequestSchema(GovernanceFields):
    assessment_id = Integer(required=True)
    object_key = fields.String(required=True, validate=validate.Length(max=255))
    filename = fields.String(required=True, validate=validate.Length(min=1, max=1024))
    content_type = fields.String(validate=validate.Length(max=127))
    size = Integer(validate=validate.Range(min=0))
    sha256 = fields.String(validate=SHA256)


class DownloadUrlSchema(Schema):
    url = fields.String()
    expires_in = fields.Integer()


class VerificationSchema(Schema):
    id = fields.Integer(attribute="attachment_id")
    ok = fields.Boolean(metadata={"description": "The stored bytes still hash to sha256"})
    sha256 = fields.String(attribute="recorded_sha256")
    actual_sha256 = fields.String(allow_none=True)
    missing = fields.Boolean(metadata={"description": "The stored object is gone"})
