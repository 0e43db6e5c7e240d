"""Management reviews (clause 9.3)."""

from __future__ import annotations

from core.specs.record import FieldSpec, Kind, RecordSpec
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
