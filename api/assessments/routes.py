"""Assessments: one organisation's compliance judgement of one leaf clause."""

from __future__ import annotations

from api.assessments.schemas import (
    AssessmentCreateSchema,
    AssessmentPatchSchema,
    AssessmentQuerySchema,
    AssessmentSchema,
)
from api.base import ResourceBlueprint
from api.records import RecordRoutes
from core.services.assessments import AssessmentService

blp = ResourceBlueprint(
    "Assessments", __name__, description="Clause assessments: status, maturity, evidence, owner"
)

RecordRoutes(
    path="/assessments",
    id_name="assessment_id",
    service=AssessmentService,
    schema=AssessmentSchema,
    create_schema=AssessmentCreateSchema,
    patch_schema=AssessmentPatchSchema,
    query_schema=AssessmentQuerySchema,
    filters=("clause_id", "status", "owner"),
    create_example={
        "clause_id": "6.2.1",
        "status": "Partial",
        "maturity": 2,
        "target_maturity": 4,
        "owner": "asset.manager@example.com",
        "due_date": "2027-03-31",
        "evidence": "SAMP v3 approved by the board; finance alignment pending",
    },
    patch_example={"status": "Compliant", "maturity": 3},
).register(blp)
