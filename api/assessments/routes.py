"""Assessments: one organisation's compliance judgement of one leaf clause."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from api.assessments.schemas import (
    AssessmentCreateSchema,
    AssessmentPatchSchema,
    AssessmentQuerySchema,
    AssessmentSchema,
)
from api.base import (
    ETAG_HEADER,
    IF_MATCH_PARAMETER,
    ResourceBlueprint,
    etag_of,
    expected_version,
    page_request,
)
from api.context import runtime
from api.security import current_caller, requires
from core.models import Assessment
from core.paging import Page
from core.queries import assessments as queries
from core.repositories.assessments import AssessmentFilter
from core.services import assessments as services

blp = ResourceBlueprint(
    "Assessments", __name__, description="Clause assessments: status, maturity, evidence, owner"
)

CREATE_EXAMPLE = {
    "clause_id": "6.2.1",
    "status": "Partial",
    "maturity": 2,
    "target_maturity": 4,
    "owner": "asset.manager@example.com",
    "due_date": "2027-03-31",
    "evidence": "SAMP v3 approved by the board; finance alignment pending",
}


@blp.collection(
    "/assessments",
    args=AssessmentQuerySchema,
    item=AssessmentSchema,
    decorators=(requires("viewer"),),
)
def list_assessments(args: dict[str, Any]) -> Page[Assessment]:
    """List assessments, filtered by clause, status or owner"""
    where = AssessmentFilter(
        clause_id=args.get("clause_id"), status=args.get("status"), owner=args.get("owner")
    )
    return queries.list_assessments(runtime().database, current_caller(), where, page_request(args))


@blp.route_both("/assessments")
class AssessmentCollection(MethodView):
    @requires("editor")
    @blp.arguments(AssessmentCreateSchema, example=CREATE_EXAMPLE)
    @blp.response(201, AssessmentSchema, headers=ETAG_HEADER)
    @blp.errors(400)
    def post(self, data: dict[str, Any]) -> Any:
        """Assess a leaf clause"""
        assessment = services.create_assessment(
            runtime().database, current_caller(), services.AssessmentDraft(**data)
        )
        return assessment, 201, {"ETag": etag_of(assessment)}


@blp.route_both("/assessments/<int:assessment_id>", parameters=[IF_MATCH_PARAMETER])
class AssessmentById(MethodView):
    @requires("viewer")
    @blp.response(200, AssessmentSchema, headers=ETAG_HEADER)
    @blp.errors(404)
    def get(self, assessment_id: int) -> Any:
        """One assessment"""
        assessment = queries.get_assessment(runtime().database, current_caller(), assessment_id)
        return assessment, 200, {"ETag": etag_of(assessment)}

    @requires("editor")
    @blp.arguments(AssessmentPatchSchema, example={"status": "Compliant", "maturity": 3})
    @blp.response(200, AssessmentSchema, headers=ETAG_HEADER)
    @blp.errors(404, 412)
    def patch(self, changes: dict[str, Any], assessment_id: int) -> Any:
        """Change some fields of an assessment"""
        assessment = services.update_assessment(
            runtime().database,
            current_caller(),
            assessment_id,
            changes,
            expected_version=expected_version(),
        )
        return assessment, 200, {"ETag": etag_of(assessment)}

    @requires("admin")
    @blp.response(204)
    @blp.errors(404, 412)
    def delete(self, assessment_id: int) -> None:
        """Delete an assessment"""
        services.delete_assessment(
            runtime().database,
            current_caller(),
            assessment_id,
            expected_version=expected_version(),
        )
