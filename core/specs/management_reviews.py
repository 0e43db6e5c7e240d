"""Management reviews (clause 9.3)."""

from __future__ import annotations

from core.specs.record import FieldSpec, Kind, NotBefore, RecordSpec, Register
from core.specs.sizes import MINUTES_LENGTH, NAME_LENGTH

MANAGEMENT_REVIEW = RecordSpec(
    entity="management_review",
    label="Management review",
    fields=(
        FieldSpec("title", Kind.TEXT, "Title", required=True, max_length=NAME_LENGTH),
        FieldSpec("period_start", Kind.DATE, "Period from"),
        FieldSpec("period_end", Kind.DATE, "Period to"),
        FieldSpec("meeting_date", Kind.DATE, "Meeting"),
        FieldSpec("participants", Kind.TEXT, "Participants", max_length=MINUTES_LENGTH),
        FieldSpec("summary", Kind.LONG_TEXT, "Summary", max_length=MINUTES_LENGTH),
        FieldSpec("decisions", Kind.LONG_TEXT, "Decisions", max_length=MINUTES_LENGTH),
        FieldSpec("actions", Kind.LONG_TEXT, "Actions", max_length=MINUTES_LENGTH),
    ),
)

MANAGEMENT_REVIEWS = Register(
    spec=MANAGEMENT_REVIEW,
    table="management_reviews",
    path="/management-reviews",
    id_name="review_id",
    group="Management reviews",
    description="Top-management reviews (clause 9.3)",
    checks=(NotBefore("period_end", "period_start"),),
    order=60,
    create_example={
        "title": "H1 2027 management review",
        "period_start": "2027-01-01",
        "period_end": "2027-06-30",
        "meeting_date": "2027-07-15",
        "participants": "CEO, COO, Head of Asset Management, Finance Director",
    },
    patch_example={"decisions": "Fund the condition-monitoring pilot for trunk mains"},
)
