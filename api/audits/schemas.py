from __future__ import annotations

from marshmallow import fields

from api.base import TrackedSchema
from api.specs import create_schema, patch_schema, query_schema
from core.rules import AUDIT_STATUSES
from core.specs.audits import AUDIT
from web.inputs import one_of


class AuditSchema(TrackedSchema):
    title = fields.String()
    description = fields.String(allow_none=True)
    status = one_of(AUDIT_STATUSES)
    scheduled_date = fields.Date(allow_none=True)
    completed_date = fields.Date(allow_none=True)
    lead_auditor = fields.String(allow_none=True)
    scope_clause_ids = fields.List(fields.String())


AuditCreateSchema = create_schema(AUDIT)
AuditPatchSchema = patch_schema(AUDIT)
AuditQuerySchema = query_schema(AUDIT, ("status",))
