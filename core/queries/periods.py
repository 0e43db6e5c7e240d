"""Periods for dated queries: one `DateRange` type, checked and resolved in one place;
month buckets in SQL, month ranges in Python."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func
from sqlalchemy.sql.elements import ColumnElement

from core.errors import InvalidInput

MAX_MONTHS = 240
# The words the API's date fields use for text that is no date, so both doors say the same.
NOT_A_DATE = "Not a valid date."


def utc_today() -> date:
    """The calendar day every dated query defaults to: today in UTC, like the timestamps."""
    return datetime.now(UTC).date()


def parse_day(text: str | None, name: str) -> date | None:
    """An ISO date typed or put in a URL (a time after it is ignored); blank is no date."""
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise InvalidInput(f"{name}: {NOT_A_DATE}", {name: [NOT_A_DATE]}) from None


@dataclass(frozen=True)
class DateRange:
    """Whole days from `start` to `end`, both included, either end open.

    The ends carry the names the caller gave them (query parameters such as from_date and
    to_date) so that a range that ends before it starts is refused with the same message
    on every door, when the range is made.
    """

    start: date | None = None
    end: date | None = None
    start_name: str = "from_date"
    end_name: str = "to_date"

    def __post_init__(self) -> None:
        if self.start is not None and self.end is not None and self.end < self.start:
            raise InvalidInput(
                f"{self.end_name}: must not be before {self.start_name}",
                {self.end_name: [f"Before {self.start_name}."]},
            )

    @classmethod
    def from_text(
        cls,
        start: str | None,
        end: str | None,
        start_name: str = "from_date",
        end_name: str = "to_date",
    ) -> DateRange:
        """The range typed in a form or a URL; refuses text that is no date."""
        return cls(parse_day(start, start_name), parse_day(end, end_name), start_name, end_name)

    def on_days(self, column: Any) -> list[Any]:
        """Conditions on a date column."""
        found = []
        if self.start is not None:
            found.append(column >= self.start)
        if self.end is not None:
            found.append(column <= self.end)
        return found

    def on_timestamps(self, column: Any) -> list[Any]:
        """Conditions on a UTC timestamp column: from the start day's first instant to the
        end day's last."""
        found = []
        if self.start is not None:
            found.append(column >= start_of_day(self.start))
        if self.end is not None:
            found.append(column < end_of_day_exclusive(self.end))
        return found

    def for_monthly_series(self, today: date) -> DateRange:
        """Both ends resolved for a monthly series, whose length is checked.

        Without dates: the twelve months ending with the current one; with only an end,
        the twelve ending with its month; with only a start, up to today (or the start,
        if that is later).
        """
        end = self.end or (today if self.start is None else max(today, self.start))
        start = self.start or twelfth_month_back(end)
        resolved = replace(self, start=start, end=end)
        months = len(resolved.months())
        if months > MAX_MONTHS:
            raise InvalidInput(
                f"{self.end_name}: the range covers {months} months; at most {MAX_MONTHS} "
                "are allowed",
                {self.end_name: ["Range too long."]},
            )
        return resolved

    def months(self) -> list[str]:
        """'YYYY-MM' of every month the range touches (both ends must be set)."""
        if self.start is None or self.end is None:
            raise ValueError("an open range has no list of months")
        return months_between(self.start, self.end)


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


def twelfth_month_back(day: date) -> date:
    """The first day of the month eleven months before `day`'s: twelve months with its own."""
    year, month = day.year, day.month - 11
    if month < 1:
        year, month = year - 1, month + 12
    return date(year, month, 1)
