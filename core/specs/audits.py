"""Internal audits (clause 9.2)."""

from __future__ import annotations

from core.rules import AUDIT_STATUSES
from core.specs.record import FieldSpec, Kind, RecordSpec
from core.specs.sizes import LONG_TEXT_LENGTH, NAME_LENGTH

MAX_SCOPE_CLAUSES = 100

AUDIT = RecordSpec(
    entity="audit",
    label="Audit",
    fields=(
        FieldSpec("title", Kind.TEXT, "Title", required=True, max_length=NAME_LENGTH),
        FieldSpec("description", Kind.LONG_TEXT, "Description", max_length=LONG_TEXT_LENGTH),
        # The database sets "Planned" when none is given; a status is never cleared.
        FieldSpec("status", Kind.ENUM, "Status", nullable=False, choices=AUDIT_STATUSES),
        FieldSpec("scheduled_date", Kind.DATE, "Scheduled"),
        FieldSpec("completed_date", Kind.DATE, "Completed"),
        FieldSpec("lead_auditor", Kind.TEXT, "Lead auditor", max_length=NAME_LENGTH),
        FieldSpec(
            "scope_clause_ids",
            Kind.STRINGS,
            "Scope (clause ids, comma-separated)",
            max_length=MAX_SCOPE_CLAUSES,
            references="clause",
            help="Catalogue clause ids the audit covers",
        ),
    ),
)
