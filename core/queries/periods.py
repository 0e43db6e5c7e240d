"""Calendar helpers for date-bounded queries: month buckets in SQL, month ranges in Python."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func
from sqlalchemy.sql.elements import ColumnElement

MAX_MONTHS = 240


def month_key(column: Any, dialect: str) -> ColumnElement[str]:
    """'YYYY-MM' of a date or UTC timestamp column, computed by the database."""
    if dialect == "postgresql":
        if getattr(column.type, "timezone", False):
            return func.to_char(func.timezone("UTC", column), "YYYY-MM")
        return func.to_char(column, "YYYY-MM")
    return func.strftime("%Y-%m", column)


def months_between(start: date, end: date) -> list[str]:
    months = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def start_of_day(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def end_of_day_exclusive(day: date) -> datetime:
    return start_of_day(day + timedelta(days=1))


def last_twelve_months(today: date) -> tuple[date, date]:
    """From the first day of the month eleven months ago to today."""
    year, month = today.year, today.month - 11
    if month < 1:
        year, month = year - 1, month + 12
    return date(year, month, 1), today
