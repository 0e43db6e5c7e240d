from __future__ import annotations

from api.specs import create_schema, patch_schema, query_schema, record_schema
from core.specs.management_reviews import MANAGEMENT_REVIEW

ManagementReviewSchema = record_schema(MANAGEMENT_REVIEW)

ManagementReviewCreateSchema = create_schema(MANAGEMENT_REVIEW)
ManagementReviewPatchSchema = patch_schema(MANAGEMENT_REVIEW)
ManagementReviewQuerySchema = query_schema(MANAGEMENT_REVIEW, ())
