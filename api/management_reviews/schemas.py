from __future__ import annotations

from marshmallow import fields

from api.base import TrackedSchema
from api.specs import create_schema, patch_schema, query_schema
from core.specs.management_reviews import MANAGEMENT_REVIEW


class ManagementReviewSchema(TrackedSchema):
    title = fields.String()
    period_start = fields.Date(allow_none=True)
    period_end = fields.Date(allow_none=True)
    meeting_date = fields.Date(allow_none=True)
    participants = fields.String(allow_none=True)
    summary = fields.String(allow_none=True)
    decisions = fields.String(allow_none=True)
    actions = fields.String(allow_none=True)


ManagementReviewCreateSchema = create_schema(MANAGEMENT_REVIEW)
ManagementReviewPatchSchema = patch_schema(MANAGEMENT_REVIEW)
ManagementReviewQuerySchema = query_schema(MANAGEMENT_REVIEW, ())
