from __future__ import annotations

from marshmallow import fields, validate

from api.base import PageArgsSchema, StrictSchema, TrackedSchema, one_of
from api.inputs import Date
from core.rules import AUDIT_STATUSES

TEXT = validate.Length(max=20000)


class AuditSchema(TrackedSchema):
    title = fields.String()
    description = fields.String(allow_none=True)
    status = one_of(AUDIT_STATUSES)
    scheduled_date = fields.Date(allow_none=True)
    completed_date = fields.Date(allow_none=True)
    lead_auditor = fields.String(allow_none=True)
    scope_clause_ids = fields.List(fields.String())


class AuditWriteFields(StrictSchema):
    description = fields.String(allow_none=True, validate=TEXT)
    status = one_of(AUDIT_STATUSES)
    scheduled_date = Date(allow_none=True)
    completed_date = Date(allow_none=True)
    lead_auditor = fields.String(allow_none=True, validate=validate.Length(max=255))
    scope_clause_ids = fields.List(
        fields.String(),
        allow_none=True,
        validate=validate.Length(max=100),
        metadata={"description": "Catalogue clause ids the audit covers"},
    )


class AuditCreateSchema(AuditWriteFields):
    title = fields.String(required=True, validate=validate.Length(min=1, max=255))


class AuditPatchSchema(AuditWriteFields):
    title = fields.String(validate=validate.Length(min=1, max=255))


class AuditQuerySchema(PageArgsSchema):
    status = one_of(AUDIT_STATUSES)
