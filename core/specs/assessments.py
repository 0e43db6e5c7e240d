"""Assessments of leaf clauses: status, maturity against target, evidence, owner."""

from __future__ import annotations

from core.rules import ASSESSMENT_STATUSES, MATURITY_LEVELS, MATURITY_MAX, MATURITY_MIN
from core.specs.record import FieldSpec, Kind, RecordSpec
from core.specs.sizes import LONG_TEXT_LENGTH, NAME_LENGTH

MATURITY_HELP = "IAM maturity 0..5: " + ", ".join(f"{k} {v}" for k, v in MATURITY_LEVELS.items())


def _maturity(name: str, label: str, meaning: str) -> FieldSpec:
    return FieldSpec(
        name,
        Kind.INTEGER,
        label,
        minimum=MATURITY_MIN,
        maximum=MATURITY_MAX,
        help=f"{meaning}. {MATURITY_HELP}",
        example=3,
    )


ASSESSMENT = RecordSpec(
    entity="assessment",
    label="Assessment",
    fields=(
        FieldSpec(
            "clause_id", Kind.TEXT, "Clause", required=True, references="clause", example="6.2.1"
        ),
        FieldSpec("status", Kind.ENUM, "Status", required=True, choices=ASSESSMENT_STATUSES),
        FieldSpec("evidence", Kind.LONG_TEXT, "Evidence", max_length=LONG_TEXT_LENGTH),
        FieldSpec("owner", Kind.TEXT, "Owner", max_length=NAME_LENGTH),
        FieldSpec("due_date", Kind.DATE, "Due date"),
        _maturity("maturity", "Maturity", "Current maturity"),
        _maturity("target_maturity", "Target maturity", "Target maturity"),
        FieldSpec("notes", Kind.LONG_TEXT, "Notes", max_length=LONG_TEXT_LENGTH),
    ),
)
