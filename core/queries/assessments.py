from __future__ import annotations

from core.context import Caller
from core.db import Database
from core.errors import NotFound
from core.models import Assessment
from core.paging import Page, PageRequest
from core.repositories.assessments import AssessmentFilter, AssessmentRepository


def list_assessments(
    database: Database, caller: Caller, where: AssessmentFilter, page: PageRequest
) -> Page[Assessment]:
    with database.session() as session:
        return AssessmentRepository(session).list(caller.org_id, where, page)


def get_assessment(database: Database, caller: Caller, assessment_id: int) -> Assessment:
    with database.session() as session:
        assessment = AssessmentRepository(session).get(caller.org_id, assessment_id)
    if assessment is None:
        raise NotFound(f"Assessment {assessment_id} not found")
    return assessment
