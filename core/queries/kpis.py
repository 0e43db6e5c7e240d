"""KPIs for the organisation, aggregated by the database (never row by row in Python)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Integer, Select, and_, case, func, select

from core.db import Database
from core.errors import InvalidInput
from core.models import Assessment, Audit, Nonconformity
from core.paging import Page, PageRequest
from core.queries.periods import DateRange, month_key, start_of_day, utc_today
from core.queries.readiness import Readiness, readiness
from core.rules import ASSESSMENT_STATUSES, AUDIT_STATUSES, NC_SEVERITIES, NC_STATUSES


@dataclass(frozen=True)
class Overview:
    audits_by_status: dict[str, int]
    nc_by_status: dict[str, int]
    nc_by_severity: dict[str, int]
    nc_overdue: int
    assessments_by_status: dict[str, int]
    readiness: Readiness
    created: DateRange  # the creation window counted
    as_of: date  # the day overdue is judged on
    generated_at: datetime = field(default_factory=lambda: datetime.now(UTC))


def _counts(
    statement: Select[str, int], database: Database, keys: tuple[str, ...]
) -> dict[str, int]:
    with database.session() as session:
        found = {row[0]: int(row[1]) for row in session.execute(statement)}
    return {key: found.get(key, 0) for key in keys}


# Every record, whenever it was created.
ALL_TIME = DateRange(start_name="created_from", end_name="created_to")


def overview(
    database: Database,
    org_id: str,
    created: DateRange = ALL_TIME,
    as_of: date | None = None,
) -> Overview:
    """Counts of the records created in `created`; overdue means due before `as_of` (today
    unless given)."""
    as_of = as_of or utc_today()
    audits = _counts(
        select(Audit.status, func.count())
        .where(Audit.org_id == org_id, *created.on_timestamps(Audit.created_at))
        .group_by(Audit.status),
        database,
        AUDIT_STATUSES,
    )
    assessments = _counts(
        select(Assessment.status, func.count())
        .where(Assessment.org_id == org_id, *created.on_timestamps(Assessment.created_at))
        .group_by(Assessment.status),
        database,
        ASSESSMENT_STATUSES,
    )
    overdue = case(
        (and_(Nonconformity.status != "Closed", Nonconformity.due_date < as_of), 1), else_=0
    )
    statement = (
        select(Nonconformity.status, Nonconformity.severity, func.count(), func.sum(overdue))
        .where(Nonconformity.org_id == org_id, *created.on_timestamps(Nonconformity.created_at))
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
        readiness=readiness(database, org_id, as_of),
        created=created,
        as_of=as_of,
    )


@dataclass(frozen=True)
class Backlog:
    months: list[str]
    open_at_month_end: dict[str, int]
    median_days_to_close: dict[str, float | None]


@dataclass(frozen=True)
class Trends:
    """Nonconformities per month over the period the query resolved (both ends set)."""

    period: DateRange
    months: list[str]
    opened: dict[str, int]
    closed: dict[str, int]
    backlog: Backlog | None = None  # only when asked for: the API's series leaves it out


def nc_trends(
    database: Database,
    org_id: str,
    requested: DateRange,
    severity: str | None = None,
    *,
    as_of: date | None = None,
    with_backlog: bool = False,
) -> Trends:
    """Nonconformities opened (by creation) and closed (by closed_date) per month.

    The period is `requested` with its open ends resolved (see
    `DateRange.for_monthly_series`, counted from `as_of`, today unless given); with
    `with_backlog`, the open backlog and the median days to close come with it.
    """
    period = requested.for_monthly_series(as_of or utc_today())
    assert period.start is not None and period.end is not None  # resolved above
    months = period.months()
    dialect = database.engine.dialect.name
    scope = _scope(org_id, severity)
    opened_month = month_key(Nonconformity.created_at, dialect)
    closed_month = month_key(Nonconformity.closed_date, dialect)
    opened_query = (
        select(opened_month, func.count())
        .where(*scope, *period.on_timestamps(Nonconformity.created_at))
        .group_by(opened_month)
    )
    closed_query = (
        select(closed_month, func.count())
        .where(*scope, *period.on_days(Nonconformity.closed_date))
        .group_by(closed_month)
    )
    with database.session() as session:
        opened = {row[0]: int(row[1]) for row in session.execute(opened_query)}
        closed = {row[0]: int(row[1]) for row in session.execute(closed_query)}
    trends = Trends(
        period=period,
        months=months,
        opened={month: opened.get(month, 0) for month in months},
        closed={month: closed.get(month, 0) for month in months},
    )
    if not with_backlog:
        return trends
    return replace(trends, backlog=_backlog(database, scope, trends, period.start))


def _scope(org_id: str, severity: str | None) -> list[Any]:
    scope = [Nonconformity.org_id == org_id]
    if severity is not None:
        scope.append(Nonconformity.severity == severity)
    return scope


@dataclass(frozen=True)
class OverdueItem:
    """A nonconformity (its fields read through) and how many days it is overdue."""

    nonconformity: Nonconformity
    days_overdue: int

    def __getattr__(self, name: str) -> Any:
        return getattr(self.nonconformity, name)


def overdue_nonconformities(
    database: Database, org_id: str, as_of: date | None, min_days: int, page: PageRequest
) -> Page[OverdueItem]:
    """Open nonconformities past due on `as_of` (today unless given) by at least `min_days`
    days, most overdue first."""
    if min_days < 0:
        raise InvalidInput("days: must be 0 or more", {"days": ["Must be 0 or more."]})
    as_of = as_of or utc_today()
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


def _backlog(database: Database, scope: list[Any], trends: Trends, start: date) -> Backlog:
    """Open nonconformities at each month's end, and the median days to close per month.

    The backlog is what was open before the range plus the running difference of the
    monthly opened and closed counts; the medians are computed by the database with
    window functions (no rows come back to Python).
    """
    before = start_of_day(start)
    with database.session() as session:
        opened_before = (
            session.scalar(
                select(func.count())
                .select_from(Nonconformity)
                .where(*scope, Nonconformity.created_at < before)
            )
            or 0
        )
        closed_before = (
            session.scalar(
                select(func.count())
                .select_from(Nonconformity)
                .where(*scope, Nonconformity.closed_date < start)
            )
            or 0
        )
    running = int(opened_before) - int(closed_before)
    backlog = {}
    for month in trends.months:
        running += trends.opened[month] - trends.closed[month]
        backlog[month] = running
    medians = _median_days_to_close(database, scope, start, trends)
    return Backlog(months=trends.months, open_at_month_end=backlog, median_days_to_close=medians)


def _median_days_to_close(
    database: Database, scope: list[Any], start: date, trends: Trends
) -> dict[str, float | None]:
    """Median days from raising to closing, per month of closure.

    The database returns a histogram (month, days, count), a few thousand rows at most
    however many nonconformities there are; the median is read off it here.
    """
    dialect = database.engine.dialect.name
    if dialect == "postgresql":
        days: Any = Nonconformity.closed_date - func.date(
            func.timezone("UTC", Nonconformity.created_at)
        )
    else:
        days = func.cast(
            func.julianday(Nonconformity.closed_date)
            - func.julianday(func.date(Nonconformity.created_at)),
            Integer,
        )
    month = month_key(Nonconformity.closed_date, dialect)
    end = date.fromisoformat(f"{trends.months[-1]}-01") if trends.months else start
    histogram = (
        select(month, days, func.count())
        .where(
            *scope, Nonconformity.closed_date >= start, Nonconformity.closed_date < _next_month(end)
        )
        .group_by(month, days)
        .order_by(month, days)
    )
    counts: dict[str, list[tuple[int, int]]] = {}
    with database.session() as session:
        for key, duration, count in session.execute(histogram):
            counts.setdefault(key, []).append((int(duration), int(count)))
    return {m: _median(counts[m]) if m in counts else None for m in trends.months}


def _median(histogram: list[tuple[int, int]]) -> float:
    """Median of a sorted (value, count) histogram."""
    total = sum(count for _, count in histogram)
    lower, upper = (total - 1) // 2, total // 2
    seen = 0
    found: list[int] = []
    for value, count in histogram:
        while len(found) < 2 and seen + count > (lower if not found else upper):
            found.append(value)
        seen += count
        if len(found) == 2:
            break
    return round((found[0] + found[1]) / 2, 1)


def _next_month(first: date) -> date:
    return date(first.year + 1, 1, 1) if first.month == 12 else date(first.year, first.month + 1, 1)


@dataclass(frozen=True)
class DueItem:
    kind: str  # "nonconformity" or "assessment"
    record_id: int
    label: str
    due_date: date
    owner: str | None


def due_soon(
    database: Database, org_id: str, today: date, days: int = 30, limit: int = 50
) -> list[DueItem]:
    """Open nonconformities and open assessment gaps due in the next `days` days."""
    until = date.fromordinal(today.toordinal() + days)
    with database.session() as session:
        ncs = session.execute(
            select(
                Nonconformity.id,
                Nonconformity.description,
                Nonconformity.due_date,
                Nonconformity.owner,
            )
            .where(
                Nonconformity.org_id == org_id,
                Nonconformity.status != "Closed",
                Nonconformity.due_date >= today,
                Nonconformity.due_date <= until,
            )
            .order_by(Nonconformity.due_date, Nonconformity.id)
            .limit(limit)
        ).all()
        gaps = session.execute(
            select(Assessment.id, Assessment.clause_id, Assessment.due_date, Assessment.owner)
            .where(
                Assessment.org_id == org_id,
                Assessment.status.in_(("Partial", "Noncompliant")),
                Assessment.due_date >= today,
                Assessment.due_date <= until,
            )
            .order_by(Assessment.due_date, Assessment.id)
            .limit(limit)
        ).all()
    items = [DueItem("nonconformity", r[0], r[1], r[2], r[3]) for r in ncs if r[2]] + [
        DueItem("assessment", r[0], f"Clause {r[1]} gap", r[2], r[3]) for r in gaps if r[2]
    ]
    return sorted(items, key=lambda item: (item.due_date, item.kind, item.record_id))[:limit]


def nonconformity_load(database: Database, today: date | None = None) -> list[tuple[str, int, int]]:
    """(org_id, open, overdue) for every organisation with open nonconformities."""
    as_of = today or utc_today()
    late = case((Nonconformity.due_date < as_of, 1), else_=0)
    statement = (
        select(Nonconformity.org_id, func.count(), func.sum(late))
        .where(Nonconformity.status != "Closed")
        .group_by(Nonconformity.org_id)
        .order_by(Nonconformity.org_id)
    )
    with database.session() as session:
        return [(row[0], int(row[1]), int(row[2] or 0)) for row in session.execute(statement)]
