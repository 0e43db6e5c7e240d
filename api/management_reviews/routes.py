"""Management reviews (clause 9.3)."""

from __future__ import annotations

from api.base import ResourceBlueprint
from api.management_reviews.schemas import (
    ManagementReviewCreateSchema,
    ManagementReviewPatchSchema,
    ManagementReviewQuerySchema,
    ManagementReviewSchema,
)
from api.records import RecordRoutes
from core.services.management_reviews import ManagementReviewService

blp = ResourceBlueprint(
    "Management reviews", __name__, description="Top-management reviews (clause 9.3)"
)

RecordRoutes(
    path="/management-reviews",
    id_name="review_id",
    service=ManagementReviewService,
    schema=ManagementReviewSchema,
    create_schema=ManagementReviewCreateSchema,
    patch_schema=ManagementReviewPatchSchema,
    query_schema=ManagementReviewQuerySchema,
    filters=(),
    create_example={
        "title": "H1 2027 management review",
        "period_start": "2027-01-01",
        "period_end": "2027-06-30",
        "meeting_date": "2027-07-15",
        "participants": "CEO, COO, Head of Asset Management, Finance Director",
    },
    patch_example={"decisions": "Fund the condition-monitoring pilot for trunk mains"},
).register(blp)
