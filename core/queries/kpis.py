"""KPIs for the organisation, aggregated by the database (never row by row in Python)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Select, and_, case, func, select

from core.db import Database
from core.errors import InvalidInput
from core.models import Assessment, Audit, Nonconformity
from core.paging import Page, PageRequest
from core.queries.periods import (
    MAX_MONTHS,
    end_of_day_exclusive,
    last_twelve_months,
    month_key,
    months_between,
    start_of_day,
)
from core.queries.readiness import Readiness, readiness
from core.rules import ASSESSMENT_STATUSES, AUDIT_STATUSES, NC_SEVERITIES, NC_STATUSES


@dataclass(frozen=True)
class CreatedRange:
    created_from: date | None = None
    created_to: date | None = None

    def conditions(self, column: Any) -> list[Any]:
        found = []
        if self.created_from is not None:
            found.append(column >= start_of_day(self.created_from))
        if self.created_to is not None:
            found.append(column < end_of_day_exclusive(self.created_to))
        return found


@dataclass(frozen=True)
class Overview:
    audits_by_status: dict[str, int]
    nc_by_status: dict[str, int]
    nc_by_severity: dict[str, int]
    nc_overdue: int
    assessments_by_status: dict[str, int]
    readiness: Readiness
    generated_at: datetime = field(default_factory=lambda: datetime.now(UTC))


def _check_range(start: date | None, end: date | None, start_name: str, end_name: str) -> None:
    if start is not None and end is not None and end < start:
        raise InvalidInput(
            f"{end_name}: must not be before {start_name}", {end_name: [f"Before {start_name}."]}
        )


def _counts(
    statement: Select[str, int], database: Database, keys: tuple[str, ...]
) -> dict[str, int]:
    with database.session() as session:
        found = {row[0]: int(row[1]) for row in session.execute(statement)}
    return {key: found.get(key, 0) for key in keys}


def overview(database: Database, org_id: str, window: CreatedRange, as_of: date) -> Overview:
    _check_range(window.created_from, window.created_to, "created_from", "created_to")
    audits = _counts(
        select(Audit.status, func.count())
        .where(Audit.org_id == org_id, *window.conditions(Audit.created_at))
        .group_by(Audit.status),
        database,
        AUDIT_STATUSES,
    )
    assessments = _counts(
        select(Assessment.status, func.count())
        .where(Assessment.org_id == org_id, *window.conditions(Assessment.created_at))
        .group_by(Assessment.status),
        database,
        ASSESSMENT_STATUSES,
    )
    overdue = case(
        (and_(Nonconformity.status != "Closed", Nonconformity.due_date < as_of), 1), else_=0
    )
    statement = (
        select(Nonconformity.status, Nonconformity.severity, func.count(), func.sum(overdue))
        .where(Nonconformity.org_id == org_id, *window.conditions(Nonconformity.created_at))
        .group_by(Nonconformity.status, Nonconformity.severity)
    )
    by_status = dict.fromkeys(NC_STATUSES, 0)
    by_severity = dict.fromkeys(NC_SEVERITIES, 0)
    overdue_total = 0
    with database.session() as session:
        for status, severity, count, late in session.execute(statement):
            by_status[status] += int(count)
            by_severity[severity] += int(count)
            overdue_total += int(late or 0)
    return Overview(
        audits_by_status=audits,
        nc_by_status=by_status,
        nc_by_severity=by_severity,
        nc_overdue=overdue_total,
        assessments_by_status=assessments,
        readiness=readiness(database, org_id),
    )


@dataclass(frozen=True)
class Trends:
    months: list[str]
    opened: dict[str, int]
    closed: dict[str, int]


def nc_trends(
    database: Database,
    org_id: str,
    from_date: date | None,
    to_date: date | None,
    severity: str | None,
    today: date,
) -> Trends:
    """Nonconformities opened (by creation) and closed (by closed_date) per month.

    Without dates: the twelve months ending with the current one; with only `to_date`,
    the twelve ending with its month; with only `from_date`, up to today.
    """
    end = to_date or (today if from_date is None else max(today, from_date))
    start = from_date or last_twelve_months(end)[0]
    _check_range(start, end, "from_date", "to_date")
    months = months_between(start, end)
    if len(months) > MAX_MONTHS:
        raise InvalidInput(
            f"to_date: the range covers {len(months)} months; at most {MAX_MONTHS} are allowed",
            {"to_date": ["Range too long."]},
        )
    dialect = database.engine.dialect.name
    scope = [Nonconformity.org_id == org_id]
    if severity is not None:
        scope.append(Nonconformity.severity == severity)
    opened_month = month_key(Nonconformity.created_at, dialect)
    closed_month = month_key(Nonconformity.closed_date, dialect)
    opened_query = (
        select(opened_month, func.count())
        .where(
            *scope,
            Nonconformity.created_at >= start_of_day(start),
            Nonconformity.created_at < end_of_day_exclusive(end),
        )
        .group_by(opened_month)
    )
    closed_query = (
        select(closed_month, func.count())
        .where(*scope, Nonconformity.closed_date >= start, Nonconformity.closed_date <= end)
        .group_by(closed_month)
    )
    with database.session() as session:
        opened = {row[0]: int(row[1]) for row in session.execute(opened_query)}
        closed = {row[0]: int(row[1]) for row in session.execute(closed_query)}
    return Trends(
        months=months,
        opened={month: opened.get(month, 0) for month in months},
        closed={month: closed.get(month, 0) for month in months},
    )


@dataclass(frozen=True)
class OverdueItem:
    """A nonconformity (its fields read through) and how many days it is overdue."""

    nonconformity: Nonconformity
    days_overdue: int

    def __getattr__(self, name: str) -> Any:
        return getattr(self.nonconformity, name)


def overdue_nonconformities(
    database: Database, org_id: str, as_of: date, min_days: int, page: PageRequest
) -> Page[OverdueItem]:
    """Open nonconformities past due by at least `min_days` days, most overdue first."""
    if min_days < 0:
        raise InvalidInput("days: must be 0 or more", {"days": ["Must be 0 or more."]})
    latest_due = date.fromordinal(as_of.toordinal() - min_days)
    conditions = [
        Nonconformity.org_id == org_id,
        Nonconformity.status != "Closed",
        Nonconformity.due_date < as_of,
        Nonconformity.due_date <= latest_due,
    ]
    with database.session() as session:
        total = session.scalar(select(func.count()).select_from(Nonconformity).where(*conditions))
        rows = session.scalars(
            select(Nonconformity)
            .where(*conditions)
            .order_by(Nonconformity.due_date, Nonconformity.id)
            .limit(page.limit)
            .offset(page.offset)
        ).all()
    items = [OverdueItem(nc, (as_of - nc.due_date).days) for nc in rows if nc.due_date]
    return Page(items=items, total=int(total or 0), limit=page.limit, offset=page.offset)
