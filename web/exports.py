"""The exports' filters, as both doors read them from a query string."""

from __future__ import annotations

from marshmallow import Schema, fields

from core.rules import ASSESSMENT_STATUSES, AUDIT_STATUSES, NC_SEVERITIES, NC_STATUSES
from core.specs import registers
from core.specs.record import Register
from web.inputs import Date, InputSchema, Integer, filter_field, one_of


def _register_filters(register: Register) -> type[Schema]:
    equalities = {name: filter_field(register.spec.field(name)) for name in register.filters}
    name = "".join(part.capitalize() for part in register.spec.entity.split("_"))
    return InputSchema.from_dict(
        {**equalities, "created_from": Date(), "created_to": Date()},
        name=f"{name}ExportFilters",
    )


FILTERS: dict[str, type[Schema]] = {
    "audits": InputSchema.from_dict(
        {
            "status": one_of(AUDIT_STATUSES),
            "scheduled_from": Date(),
            "scheduled_to": Date(),
            "completed_from": Date(),
            "completed_to": Date(),
            "created_from": Date(),
            "created_to": Date(),
        },
        name="AuditExportFilters",
    ),
    "nonconformities": InputSchema.from_dict(
        {
            "status": one_of(NC_STATUSES),
            "severity": one_of(NC_SEVERITIES),
            "clause_id": fields.String(),
            "audit_id": Integer(),
            "created_from": Date(),
            "created_to": Date(),
            "due_from": Date(),
            "due_to": Date(),
        },
        name="NonconformityExportFilters",
    ),
    "assessments": InputSchema.from_dict(
        {
            "status": one_of(ASSESSMENT_STATUSES),
            "clause_id": fields.String(),
            "owner": fields.String(),
            "created_from": Date(),
            "created_to": Date(),
            "due_from": Date(),
            "due_to": Date(),
        },
        name="AssessmentExportFilters",
    ),
    "audit_nonconformities": InputSchema.from_dict(
        {
            "audit_id": Integer(),
            "status": one_of(NC_STATUSES, metadata={"description": "Nonconformity status"}),
            "severity": one_of(NC_SEVERITIES),
        },
        name="AuditNonconformityExportFilters",
    ),
}
FILTERS.update(
    (register.export, _register_filters(register)) for register in registers() if register.export
)
