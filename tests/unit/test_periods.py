"""DateRange: refused the same way wherever it is made, its open ends resolved once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from core.errors import InvalidInput
from core.queries.exports import ExportFilters
from core.queries.periods import MAX_MONTHS, DateRange

TODAY = date(2026, 11, 28)


def _refusal(make: Callable[[], object]) -> InvalidInput:
    with pytest.raises(InvalidInput) as refused:
        make()
    return refused.value


def test_an_end_before_the_start_is_refused_with_one_message_wherever_it_is_made() -> None:
    may, january = date(2026, 5, 1), date(2026, 1, 1)
    for make, start, end in (
        (lambda: DateRange(may, january), "from_date", "to_date"),
        (lambda: DateRange.from_text("2026-05-01", "2026-01-01"), "from_date", "to_date"),
        (
            lambda: DateRange(may, january, "created_from", "created_to"),
            "created_from",
            "created_to",
        ),
        (lambda: ExportFilters(due_from=may, due_to=january).check(), "due_from", "due_to"),
    ):
        refused = _refusal(make)
        assert refused.message == f"{end}: must not be before {start}"
        assert refused.fields == {end: [f"Before {start}."]}


def test_a_one_day_range_and_open_ends_are_fine() -> None:
    assert DateRange(TODAY, TODAY).months() == ["2026-11"]
    assert DateRange(start=TODAY).end is None and DateRange(end=TODAY).start is None


@pytest.mark.parametrize("text", ["2026-13-01", "yesterday", "2026-02-30"])
def test_text_that_is_no_date_is_refused_under_its_name(text: str) -> None:
    refused = _refusal(lambda: DateRange.from_text("2026-01-01", text))
    assert refused.message == "to_date: Not a valid date."
    assert refused.fields == {"to_date": ["Not a valid date."]}


def test_blank_text_is_an_open_end_and_a_time_after_the_date_is_ignored() -> None:
    assert DateRange.from_text("", None) == DateRange()
    assert DateRange.from_text("2026-01-01T00:00:00", None).start == date(2026, 1, 1)


@pytest.mark.parametrize(
    ("requested", "start", "end"),
    [
        (DateRange(), date(2025, 12, 1), TODAY),  # the twelve months ending with this one
        (DateRange(end=date(2026, 3, 10)), date(2025, 4, 1), date(2026, 3, 10)),
        (DateRange(start=date(2026, 6, 5)), date(2026, 6, 5), TODAY),
        (DateRange(start=date(2027, 2, 1)), date(2027, 2, 1), date(2027, 2, 1)),  # no later end
        (DateRange(date(2024, 1, 1), date(2024, 2, 1)), date(2024, 1, 1), date(2024, 2, 1)),
    ],
)
def test_a_monthly_series_resolves_its_open_ends(
    requested: DateRange, start: date, end: date
) -> None:
    resolved = requested.for_monthly_series(TODAY)
    assert (resolved.start, resolved.end) == (start, end)
    assert (resolved.start_name, resolved.end_name) == (requested.start_name, requested.end_name)


def test_a_monthly_series_is_at_most_max_months_long() -> None:
    longest = DateRange(date(2006, 12, 1), TODAY).for_monthly_series(TODAY)
    assert len(longest.months()) == MAX_MONTHS
    refused = _refusal(lambda: DateRange(date(2006, 11, 30), TODAY).for_monthly_series(TODAY))
    assert refused.message == (
        f"to_date: the range covers {MAX_MONTHS + 1} months; at most {MAX_MONTHS} are allowed"
    )
