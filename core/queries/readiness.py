"""Readiness for certification: share of applicable leaf clauses that conform.

`adjusted_percent` is the same share when a leaf clause with a blocker (an open Major or
Critical nonconformity) counts for at most half: an auditor would not pass it whole.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Integer, Numeric, Select, case, cast, func, literal, select
from sqlalchemy.orm import aliased

from core.db import Database
from core.models import Clause, Nonconformity, Organization
from core.queries.clause_status import latest_assessments
from core.rules import NC_STATUSES, READINESS_SCORES, OrgSettings, readiness_percent

# Open findings of these severities stand in the way of certification.
BLOCKING_SEVERITIES = ("Major", "Critical")
# The most a leaf clause with a blocker scores.
BLOCKED_SCORE = 0.5
OPEN_STATUSES = tuple(status for status in NC_STATUSES if status != "Closed")


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
class Blocker:
    clause_id: str
    nonconformity_id: int
    severity: str
    due_date: date | None
    overdue: bool


@dataclass(frozen=True)
class Readiness:
    percent: float
    assessed: int
    applicable: int
    groups: list[GroupReadiness]
    adjusted_percent: float = 0.0
    blockers: list[Blocker] = field(default_factory=list)
    target: int = OrgSettings().readiness_target
    certification_date: date | None = None
    days_to_certification: int | None = None


def _blocking(org_id: str) -> Select[Any]:
    """Open Major/Critical nonconformities on a leaf clause of the organisation."""
    return (
        select(Nonconformity)
        .join(Clause, Clause.clause_id == Nonconformity.clause_id)
        .where(
            Nonconformity.org_id == org_id,
            # Spelled as the open statuses so that the (org, status) index serves it.
            Nonconformity.status.in_(OPEN_STATUSES),
            Nonconformity.severity.in_(BLOCKING_SEVERITIES),
            Clause.is_leaf.is_(True),
        )
    )


def readiness(database: Database, org_id: str, today: date | None = None) -> Readiness:
    today = today or datetime.now(UTC).date()
    latest = latest_assessments(org_id)
    group = aliased(Clause)
    applicable = (latest.c.status.is_(None)) | (latest.c.status != "NotApplicable")
    score = case(
        *((latest.c.status == status, credit) for status, credit in READINESS_SCORES.items()),
        else_=0.0,
    )
    in_scope = latest.c.status != "NotApplicable"
    blockers_statement = (
        _blocking(org_id)
        .with_only_columns(
            Nonconformity.clause_id,
            Nonconformity.id,
            Nonconformity.severity,
            Nonconformity.due_date,
        )
        .order_by(Clause.sort_key, Nonconformity.id)
    )
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
        blocking = session.execute(blockers_statement).all()
        # At most one entry per leaf clause: the adjusted score reads this short list.
        blocked = sorted({row.clause_id for row in blocking})
        adjusted = case(
            (Clause.clause_id.in_(blocked) & (score > BLOCKED_SCORE), literal(BLOCKED_SCORE)),
            else_=score,
        )
        rows = session.execute(
            statement.add_columns(func.sum(cast(adjusted, Numeric(10, 2))).label("adjusted"))
        ).all()
        organization = session.get(Organization, org_id)
    settings = organization.effective_settings if organization else OrgSettings()
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
    certification = settings.certification_date
    return Readiness(
        percent=readiness_percent(sum(g.score for g in groups), total_applicable),
        assessed=sum(g.assessed for g in groups),
        applicable=total_applicable,
        groups=groups,
        adjusted_percent=readiness_percent(
            sum(float(row.adjusted or 0) for row in rows), total_applicable
        ),
        blockers=[
            Blocker(
                clause_id=row.clause_id,
                nonconformity_id=row.id,
                severity=row.severity,
                due_date=row.due_date,
                overdue=row.due_date is not None and row.due_date < today,
            )
            for row in blocking
        ],
        target=settings.readiness_target,
        certification_date=certification,
        days_to_certification=(certification - today).days if certification else None,
    )
