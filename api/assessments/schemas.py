from __future__ import annotations

from api.specs import create_schema, patch_schema, query_schema, record_schema
from core.specs.assessments import ASSESSMENT

AssessmentSchema = record_schema(ASSESSMENT)

AssessmentCreateSchema = create_schema(ASSESSMENT)
AssessmentPatchSchema = patch_schema(ASSESSMENT)
AssessmentQuerySchema = query_schema(ASSESSMENT, ("clause_id", "status", "owner"))
