from __future__ import annotations

from marshmallow import fields, validate

from api.base import PageArgsSchema, StrictSchema, TrackedSchema
from api.inputs import Date

TEXT = validate.Length(max=50000)


class ManagementReviewSchema(TrackedSchema):
    title = fields.String()
    period_start = fields.Date(allow_none=True)
    period_end = fields.Date(allow_none=True)
    meeting_date = fields.Date(allow_none=True)
    participants = fields.String(allow_none=True)
    summary = fields.String(allow_none=True)
    decisions = fields.String(allow_none=True)
    actions = fields.String(allow_none=True)


class ManagementReviewWriteFields(StrictSchema):
    period_start = Date(allow_none=True)
    period_end = Date(allow_none=True)
    meeting_date = Date(allow_none=True)
    participants = fields.String(allow_none=True, validate=TEXT)
    summary = fields.String(allow_none=True, validate=TEXT)
    decisions = fields.String(allow_none=True, validate=TEXT)
    actions = fields.String(allow_none=True, validate=TEXT)


class ManagementReviewCreateSchema(ManagementReviewWriteFields):
    title = fields.String(required=True, validate=validate.Length(min=1, max=255))


class ManagementReviewPatchSchema(ManagementReviewWriteFields):
    title = fields.String(validate=validate.Length(min=1, max=255))


class ManagementReviewQuerySchema(PageArgsSchema):
    pass
