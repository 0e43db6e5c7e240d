from __future__ import annotations

from marshmallow import fields

from api.base import TrackedSchema
from api.specs import create_schema, patch_schema, query_schema
from core.rules import NC_SEVERITIES, NC_STATES, NC_STATUSES, NcLifecycle, next_states
from core.specs.nonconformities import NONCONFORMITY
from web.inputs import one_of


class NonconformitySchema(TrackedSchema):
    description = fields.String()
    severity = one_of(NC_SEVERITIES)
    status = one_of(NC_STATUSES)
    state = one_of(NC_STATES)
    allowed_states = fields.Method(
        "_allowed_states",
        metadata={"description": "CAPA states this nonconformity may move to next"},
    )
    audit_id = fields.Integer(allow_none=True)
    clause_id = fields.String(allow_none=True)
    corrective_action = fields.String(allow_none=True)
    containment = fields.String(allow_none=True)
    root_cause = fields.String(allow_none=True)
    preventive_action = fields.String(allow_none=True)
    verification_method = fields.String(allow_none=True)
    verified_by = fields.String(allow_none=True)
    verified_on = fields.Date(allow_none=True)
    owner = fields.String(allow_none=True)
    due_date = fields.Date(allow_none=True)
    closed_date = fields.Date(allow_none=True)

    def _allowed_states(self, record: object) -> list[str]:
        return next_states(NcLifecycle.of(record))


NonconformityCreateSchema = create_schema(NONCONFORMITY)
NonconformityPatchSchema = patch_schema(NONCONFORMITY)
NonconformityQuerySchema = query_schema(
    NONCONFORMITY, ("status", "severity", "state", "clause_id", "audit_id")
)
