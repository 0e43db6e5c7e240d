"""Internal audits (clause 9.2)."""

from __future__ import annotations

from api.audits.schemas import AuditCreateSchema, AuditPatchSchema, AuditQuerySchema, AuditSchema
from api.base import ResourceBlueprint
from api.records import RecordRoutes
from core.services.audits import AuditService

blp = ResourceBlueprint("Audits", __name__, description="Internal audits (clause 9.2)")

RecordRoutes(
    path="/audits",
    id_name="audit_id",
    service=AuditService,
    schema=AuditSchema,
    create_schema=AuditCreateSchema,
    patch_schema=AuditPatchSchema,
    query_schema=AuditQuerySchema,
    filters=("status",),
    create_example={
        "title": "Q2 internal audit: planning and operation",
        "status": "Planned",
        "scheduled_date": "2027-05-12",
        "lead_auditor": "internal.auditor@example.com",
        "scope_clause_ids": ["6.2.1", "6.2.3", "8.1"],
    },
    patch_example={"status": "Completed", "completed_date": "2027-05-14"},
).register(blp)
