from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from core.models import Assessment
from core.paging import Page, PageRequest, fetch_page


@dataclass(frozen=True)
class AssessmentFilter:
    clause_id: str | None = None
    status: str | None = None
    owner: str | None = None


class AssessmentRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, assessment: Assessment) -> None:
        self.session.add(assessment)

    def get(self, org_id: str, assessment_id: int) -> Assessment | None:
        return self.session.scalar(
            select(Assessment).where(Assessment.org_id == org_id, Assessment.id == assessment_id)
        )

    def list(self, org_id: str, where: AssessmentFilter, page: PageRequest) -> Page[Assessment]:
        statement: Select[Assessment] = select(Assessment).where(Assessment.org_id == org_id)
        if where.clause_id is not None:
            statement = statement.where(Assessment.clause_id == where.clause_id)
        if where.status is not None:
            statement = statement.where(Assessment.status == where.status)
        if where.owner is not None:
            statement = statement.where(Assessment.owner == where.owner)
        return fetch_page(self.session, statement.order_by(Assessment.id), page)

    def delete(self, assessment: Assessment) -> None:
        self.session.delete(assessment)
