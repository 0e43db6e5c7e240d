from __future__ import annotations

from marshmallow import fields

from api.base import TrackedSchema
from api.specs import create_schema, patch_schema, query_schema
from core.rules import ASSESSMENT_STATUSES
from core.specs.assessments import ASSESSMENT
from web.inputs import one_of


class AssessmentSchema(TrackedSchema):
    clause_id = fields.String(metadata={"example": "6.2.1"})
    status = one_of(ASSESSMENT_STATUSES)
    evidence = fields.String(allow_none=True)
    owner = fields.String(allow_none=True)
    due_date = fields.Date(allow_none=True)
    maturity = fields.Integer(allow_none=True)
    target_maturity = fields.Integer(allow_none=True)
    notes = fields.String(allow_none=True)


AssessmentCreateSchema = create_schema(ASSESSMENT)
AssessmentPatchSchema = patch_schema(ASSESSMENT)
AssessmentQuerySchema = query_schema(ASSESSMENT, ("clause_id", "status", "owner"))
