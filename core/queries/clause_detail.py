"""One clause seen from one organisation: its assessments, evidence and nonconformities."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from core.caller import Caller
from core.db import Database
from core.models import Assessment, Attachment, Clause, Nonconformity
from core.queries.catalogue import get_clause

RECENT = 20


@dataclass(frozen=True)
class ClauseDetail:
    clause: Clause
    assessments: Sequence[Assessment]
    evidence: Sequence[Attachment]
    nonconformities: Sequence[Nonconformity]


def clause_detail(database: Database, caller: Caller, clause_id: str) -> ClauseDetail:
    clause = get_clause(database, clause_id)
    with database.session() as session:
        assessments = session.scalars(
            select(Assessment)
            .where(Assessment.org_id == caller.org_id, Assessment.clause_id == clause_id)
            .order_by(Assessment.updated_at.desc(), Assessment.id.desc())
            .limit(RECENT)
        ).all()
        evidence = session.scalars(
            select(Attachment)
            .join(Assessment, Assessment.id == Attachment.assessment_id)
            .where(Attachment.org_id == caller.org_id, Assessment.clause_id == clause_id)
            .order_by(Attachment.id.desc())
            .limit(RECENT)
        ).all()
        nonconformities = session.scalars(
            select(Nonconformity)
            .where(Nonconformity.org_id == caller.org_id, Nonconformity.clause_id == clause_id)
            .order_by(Nonconformity.id.desc())
            .limit(RECENT)
        ).all()
    return ClauseDetail(clause, assessments, evidence, nonconformities)
