"""Each leaf clause with its organisation's latest assessment (the heatmap's cells)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Subquery, func, select
from sqlalchemy.orm import aliased

from core.db import Database
from core.models import Assessment, Clause


def latest_assessments(org_id: str) -> Subquery:
    """One row per assessed clause: its latest assessment by updated_at, then id."""
    rank = (
        func.row_number()
        .over(
            partition_by=Assessment.clause_id,
            order_by=(Assessment.updated_at.desc(), Assessment.id.desc()),
        )
        .label("rank")
    )
    ranked = (
        select(
            Assessment.clause_id,
            Assessment.id.label("assessment_id"),
            Assessment.status,
            Assessment.maturity,
            Assessment.target_maturity,
            Assessment.owner,
            Assessment.due_date,
            rank,
        )
        .where(Assessment.org_id == org_id)
        .subquery("ranked")
    )
    return select(ranked).where(ranked.c.rank == 1).subquery("latest")


@dataclass(frozen=True)
class ClauseStatus:
    clause_id: str
    title: str
    group_id: str
    group_title: str
    status: str | None
    maturity: int | None
    target_maturity: int | None
    owner: str | None
    due_date: date | None
    assessment_id: int | None


def clause_statuses(database: Database, org_id: str) -> list[ClauseStatus]:
    latest = latest_assessments(org_id)
    group = aliased(Clause)
    statement = (
        select(
            Clause.clause_id,
            Clause.title,
            Clause.group_id,
            group.title.label("group_title"),
            latest.c.status,
            latest.c.maturity,
            latest.c.target_maturity,
            latest.c.owner,
            latest.c.due_date,
            latest.c.assessment_id,
        )
        .join(group, group.clause_id == Clause.group_id)
        .outerjoin(latest, latest.c.clause_id == Clause.clause_id)
        .where(Clause.is_leaf.is_(True))
        .order_by(Clause.sort_key)
    )
    with database.session() as session:
        return [ClauseStatus(**row._asdict()) for row in session.execute(statement)]
