"""Assessments of leaf clauses: status, maturity against target, evidence, owner."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.caller import Caller
from core.errors import Conflict
from core.models import Assessment, Attachment
from core.repositories.clauses import ClauseRepository
from core.services.records import Problems, RecordService
from core.specs.assessments import ASSESSMENT


def leaf_clause_problem(session: Session, clause_id: str) -> str | None:
    clause = ClauseRepository(session).get(clause_id)
    if clause is None:
        return f"Unknown clause_id {clause_id!r}."
    if not clause.is_leaf:
        return f"Clause {clause.clause_id} groups other clauses; assess one of its sub-clauses."
    return None


class AssessmentService(RecordService[Assessment]):
    model = Assessment
    spec = ASSESSMENT

    def validate(
        self, session: Session, caller: Caller, values: dict[str, Any], current: Assessment | None
    ) -> dict[str, Any]:
        problems = Problems()
        if values.get("clause_id") is not None:
            problem = leaf_clause_problem(session, values["clause_id"])
            if problem:
                problems.add("clause_id", problem)
        problems.raise_if_any()
        return values

    def check_delete(self, session: Session, record: Assessment) -> None:
        evidence = session.scalar(
            select(func.count())
            .select_from(Attachment)
            .where(Attachment.org_id == record.org_id, Attachment.assessment_id == record.id)
        )
        if evidence:
            raise Conflict(
                f"Assessment {record.id} has {evidence} evidence attachment(s); "
                "delete them before deleting the assessment"
            )
