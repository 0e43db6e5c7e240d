"""Management reviews (clause 9.3): sorted and paged in the database; record and edit reviews."""

from __future__ import annotations

import dash

from core.specs.management_reviews import MANAGEMENT_REVIEWS
from dashboard.components.register_page import RegisterPage

PAGE = RegisterPage(
    register=MANAGEMENT_REVIEWS,
    prefix="reviews",
    heading="Management reviews",
    noun="Review",
    columns=(
        ("id", "#"),
        ("title", "Title"),
        ("period_start", "Period from"),
        ("period_end", "Period to"),
        ("meeting_date", "Meeting"),
        ("participants", "Participants"),
    ),
)
dash.register_page(
    __name__,
    path="/reviews",
    name="Reviews",
    title="Management reviews · ISO 55001",
    order=7,
    layout=PAGE.layout,
)
PAGE.wire()
