"""Display conventions every page shares: whole-number count axes, Monday-first calendars."""

from __future__ import annotations

from datetime import date

from core.queries.kpis import Trends
from core.queries.periods import DateRange
from dashboard.components.forms import date_input
from dashboard.figures.trends import monthly_flow


def _trends(opened: int, closed: int) -> Trends:
    months = ["2026-10", "2026-11"]
    return Trends(
        period=DateRange(date(2026, 10, 1), date(2026, 11, 30)),
        months=months,
        opened={"2026-10": opened, "2026-11": 0},
        closed={"2026-10": closed, "2026-11": 0},
    )


def test_count_axes_show_whole_numbers() -> None:
    small = monthly_flow(_trends(2, 1)).layout.yaxis
    assert (small.tickformat, small.dtick, small.tick0) == (",d", 1, 0)
    large = monthly_flow(_trends(240, 120)).layout.yaxis
    assert large.tickformat == ",d" and large.dtick is None


def test_date_pickers_start_weeks_on_monday() -> None:
    picker = date_input("due")
    assert picker.first_day_of_week == 1 and picker.display_format == "YYYY-MM-DD"
