"""Nonconformities and corrective action (clause 10.2)."""

from __future__ import annotations

from api.base import ResourceBlueprint
from api.nonconformities.schemas import (
    NonconformityCreateSchema,
    NonconformityPatchSchema,
    NonconformityQuerySchema,
    NonconformitySchema,
)
from api.records import RecordRoutes
from core.rules import workflow_description
from core.services.nonconformities import NonconformityService

blp = ResourceBlueprint(
    "Nonconformities",
    __name__,
    description=f"Nonconformities and corrective action (clause 10.2). {workflow_description()}",
)

RecordRoutes(
    path="/nonconformities",
    id_name="nonconformity_id",
    service=NonconformityService,
    schema=NonconformitySchema,
    create_schema=NonconformityCreateSchema,
    patch_schema=NonconformityPatchSchema,
    query_schema=NonconformityQuerySchema,
    filters=("status", "severity", "state", "clause_id", "audit_id"),
    create_example={
        "description": "Criticality ranking of pumping stations not reviewed since 2023",
        "severity": "Major",
        "clause_id": "6.2.3",
        "audit_id": 1,
        "owner": "planning.lead@example.com",
        "due_date": "2027-02-28",
    },
    patch_example={"state": "Analysis", "root_cause": "No owner for the annual review"},
).register(blp)
