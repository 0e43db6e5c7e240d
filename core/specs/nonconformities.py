"""Nonconformities and corrective action (clause 10.2)."""

from __future__ import annotations

from core.rules import NC_SEVERITIES, NC_STATES, NC_STATUSES
from core.specs.record import FieldSpec, Kind, RecordSpec
from core.specs.sizes import LONG_TEXT_LENGTH, NAME_LENGTH


def _text(name: str, label: str) -> FieldSpec:
    return FieldSpec(name, Kind.LONG_TEXT, label, max_length=LONG_TEXT_LENGTH)


NONCONFORMITY = RecordSpec(
    entity="nonconformity",
    label="Nonconformity",
    fields=(
        FieldSpec(
            "description", Kind.LONG_TEXT, "Description", required=True, max_length=LONG_TEXT_LENGTH
        ),
        FieldSpec("severity", Kind.ENUM, "Severity", required=True, choices=NC_SEVERITIES),
        # The CAPA workflow sets status and state when they are not given; never cleared.
        FieldSpec("status", Kind.ENUM, "Status", nullable=False, choices=NC_STATUSES),
        FieldSpec("state", Kind.ENUM, "CAPA state", nullable=False, choices=NC_STATES),
        FieldSpec("audit_id", Kind.INTEGER, "Audit", references="audit"),
        FieldSpec("clause_id", Kind.TEXT, "Clause", references="clause"),
        _text("corrective_action", "Corrective action"),
        _text("containment", "Containment"),
        _text("root_cause", "Root cause"),
        _text("preventive_action", "Preventive action"),
        _text("verification_method", "Verification method"),
        FieldSpec("verified_by", Kind.TEXT, "Verified by", max_length=NAME_LENGTH),
        FieldSpec("verified_on", Kind.DATE, "Verified on"),
        FieldSpec("owner", Kind.TEXT, "Owner", max_length=NAME_LENGTH),
        FieldSpec("due_date", Kind.DATE, "Due date"),
        FieldSpec("closed_date", Kind.DATE, "Closed on"),
    ),
    export_order=(
        "audit_id",
        "clause_id",
        "severity",
        "status",
        "description",
        "state",
        "owner",
        "due_date",
        "closed_date",
        "containment",
        "root_cause",
        "corrective_action",
        "preventive_action",
        "verification_method",
        "verified_by",
        "verified_on",
    ),
)
