from __future__ import annotations

from marshmallow import fields, validate

from api.base import PageArgsSchema, StrictSchema, TrackedSchema, one_of
from api.inputs import Date, Integer
from core.rules import NC_SEVERITIES, NC_STATES, NC_STATUSES, NcLifecycle, next_states

TEXT = validate.Length(max=20000)
NAME = validate.Length(max=255)


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


class NonconformityWriteFields(StrictSchema):
    status = one_of(NC_STATUSES)
    state = one_of(NC_STATES)
    audit_id = Integer(allow_none=True)
    clause_id = fields.String(allow_none=True)
    corrective_action = fields.String(allow_none=True, validate=TEXT)
    containment = fields.String(allow_none=True, validate=TEXT)
    root_cause = fields.String(allow_none=True, validate=TEXT)
    preventive_action = fields.String(allow_none=True, validate=TEXT)
    verification_method = fields.String(allow_none=True, validate=TEXT)
    verified_by = fields.String(allow_none=True, validate=NAME)
    verified_on = Date(allow_none=True)
    owner = fields.String(allow_none=True, validate=NAME)
    due_date = Date(allow_none=True)
    closed_date = Date(allow_none=True)


class NonconformityCreateSchema(NonconformityWriteFields):
    description = fields.String(required=True, validate=validate.Length(min=1, max=20000))
    severity = one_of(NC_SEVERITIES, required=True)


class NonconformityPatchSchema(NonconformityWriteFields):
    description = fields.String(validate=validate.Length(min=1, max=20000))
    severity = one_of(NC_SEVERITIES)


class NonconformityQuerySchema(PageArgsSchema):
    status = one_of(NC_STATUSES)
    severity = one_of(NC_SEVERITIES)
    state = one_of(NC_STATES)
    clause_id = fields.String()
    audit_id = Integer()
