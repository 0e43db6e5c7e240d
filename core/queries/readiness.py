"""Readiness for certification: share of applicable leaf clauses that conform."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Integer, Numeric, case, cast, func, select
from sqlalchemy.orm import aliased

from core.db import Database
from core.models import Clause
from core.queries.clause_status import latest_assessments
from core.rules import READINESS_SCORES, readiness_percent


@dataclass(frozen=True)
class GroupReadiness:
    group_id: str
    title: str
    percent: float
    assessed: int
    applicable: int
    score: float
    current_maturity: float | None
    target_maturity: float | None


@dataclass(frozen=True)
class Readiness:
    percent: float
    assessed: int
    applicable: int
    groups: list[GroupReadiness]


def readiness(database: Database, org_id: str) -> Readiness:
    latest = latest_assessments(org_id)
    group = aliased(Clause)
    applicable = (latest.c.status.is_(None)) | (latest.c.status != "NotApplicable")
    score = case(
        *((latest.c.status == status, credit) for status, credit in READINESS_SCORES.items()),
        else_=0.0,
    )
    in_scope = latest.c.status != "NotApplicable"
    statement = (
        select(
            Clause.group_id,
            group.title,
            func.sum(cast(score, Numeric(10, 2))).label("score"),
            func.sum(case((applicable, 1), else_=0)).label("applicable"),
            func.sum(case((latest.c.status.is_not(None) & in_scope, 1), else_=0)).label("assessed"),
            func.avg(case((in_scope, cast(latest.c.maturity, Integer)))).label("current"),
            func.avg(case((in_scope, cast(latest.c.target_maturity, Integer)))).label("target"),
        )
        .join(group, group.clause_id == Clause.group_id)
        .outerjoin(latest, latest.c.clause_id == Clause.clause_id)
        .where(Clause.is_leaf.is_(True))
        .group_by(Clause.group_id, group.title, group.sort_key)
        .order_by(group.sort_key)
    )
    with database.session() as session:
        rows = session.execute(statement).all()
    groups = [
        GroupReadiness(
            group_id=row.group_id,
            title=row.title,
            percent=readiness_percent(float(row.score or 0), int(row.applicable or 0)),
            assessed=int(row.assessed or 0),
            applicable=int(row.applicable or 0),
            score=float(row.score or 0),
            current_maturity=None if row.current is None else round(float(row.current), 2),
            target_maturity=None if row.target is None else round(float(row.target), 2),
        )
        for row in rows
    ]
    total_applicable = sum(g.applicable for g in groups)
    return Readiness(
        percent=readiness_percent(sum(g.score for g in groups), total_applicable),
        assessed=sum(g.assessed for g in groups),
        applicable=total_applicable,
        groups=groups,
    )
