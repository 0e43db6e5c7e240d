"""The trends read model: the period it resolved, its series and its backlog, together."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from core.db import Database
from core.errors import InvalidInput
from core.models import Nonconformity
from core.queries.kpis import nc_trends
from core.queries.periods import DateRange, utc_today

AS_OF = date(2026, 3, 15)


def raise_nc(database: Database, created: date, closed: date | None, severity: str) -> None:
    at = datetime(created.year, created.month, created.day, 9, tzinfo=UTC)
    with database.session() as session:
        session.add(
            Nonconformity(
                org_id="acme",
                created_at=at,
                updated_at=at,
                version=1,
                description="x",
                severity=severity,
                status="Closed" if closed else "Open",
                state="Closed" if closed else "New",
                closed_date=closed,
            )
        )
        session.commit()


def test_the_default_period_and_the_backlog_come_with_the_series(database: Database) -> None:
    raise_nc(database, date(2025, 1, 10), None, "Major")  # before the period: backlog only
    raise_nc(database, date(2025, 5, 2), date(2025, 6, 20), "Minor")
    raise_nc(database, date(2026, 2, 1), None, "Minor")
    trends = nc_trends(database, "acme", DateRange(), None, as_of=AS_OF, with_backlog=True)
    assert (trends.period.start, trends.period.end) == (date(2025, 4, 1), AS_OF)
    assert trends.months == trends.period.months() and len(trends.months) == 12
    assert trends.opened["2025-05"] == 1 and trends.closed["2025-06"] == 1
    assert sum(trends.opened.values()) == 2
    assert trends.backlog is not None and trends.backlog.months == trends.months
    assert trends.backlog.open_at_month_end["2025-04"] == 1
    assert trends.backlog.open_at_month_end["2025-05"] == 2
    assert trends.backlog.open_at_month_end["2026-03"] == 2
    assert trends.backlog.median_days_to_close["2025-06"] == 49.0
    minor = nc_trends(database, "acme", DateRange(), "Minor", as_of=AS_OF, with_backlog=True)
    assert minor.backlog is not None and minor.backlog.open_at_month_end["2025-04"] == 0


def test_the_series_alone_leaves_the_backlog_out_and_defaults_to_today(
    database: Database,
) -> None:
    trends = nc_trends(database, "acme", DateRange(start=date(2026, 1, 1)))
    assert trends.backlog is None
    assert trends.period == DateRange(date(2026, 1, 1), max(utc_today(), date(2026, 1, 1)))


def test_a_period_too_long_is_refused(database: Database) -> None:
    with pytest.raises(InvalidInput, match="to_date: the range covers"):
        nc_trends(database, "acme", DateRange(start=date(1900, 1, 1)), None, as_of=AS_OF)
