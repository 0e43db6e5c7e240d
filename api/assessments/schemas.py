from __future__ import annotations

from marshmallow import fields, validate

from api.base import PageArgsSchema, StrictSchema, TrackedSchema, one_of
from api.inputs import Date, Integer
from core.rules import ASSESSMENT_STATUSES, MATURITY_LEVELS, MATURITY_MAX, MATURITY_MIN

MATURITY_HELP = "IAM maturity 0..5: " + ", ".join(f"{k} {v}" for k, v in MATURITY_LEVELS.items())


def _maturity(description: str) -> fields.Integer:
    return Integer(
        allow_none=True,
        validate=validate.Range(min=MATURITY_MIN, max=MATURITY_MAX),
        metadata={"description": f"{description}. {MATURITY_HELP}", "example": 3},
    )


class AssessmentSchema(TrackedSchema):
    clause_id = fields.String(metadata={"example": "6.2.1"})
    status = one_of(ASSESSMENT_STATUSES)
    evidence = fields.String(allow_none=True)
    owner = fields.String(allow_none=True)
    due_date = fields.Date(allow_none=True)
    maturity = fields.Integer(allow_none=True)
    target_maturity = fields.Integer(allow_none=True)
    notes = fields.String(allow_none=True)


class AssessmentWriteFields(StrictSchema):
    evidence = fields.String(allow_none=True, validate=validate.Length(max=20000))
    owner = fields.String(allow_none=True, validate=validate.Length(max=255))
    due_date = Date(allow_none=True)
    maturity = _maturity("Current maturity")
    target_maturity = _maturity("Target maturity")
    notes = fields.String(allow_none=True, validate=validate.Length(max=20000))


class AssessmentCreateSchema(AssessmentWriteFields):
    clause_id = fields.String(required=True, metadata={"example": "6.2.1"})
    status = one_of(ASSESSMENT_STATUSES, required=True)


class AssessmentPatchSchema(AssessmentWriteFields):
    clause_id = fields.String(metadata={"example": "6.2.1"})
    status = one_of(ASSESSMENT_STATUSES)


class AssessmentQuerySchema(PageArgsSchema):
    clause_id = fields.String()
    status = one_of(ASSESSMENT_STATUSES)
    owner = fields.String()
