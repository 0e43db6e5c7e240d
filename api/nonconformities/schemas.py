from __future__ import annotations

from marshmallow import fields

from api.specs import create_schema, patch_schema, query_schema, record_schema
from core.rules import NcLifecycle, next_states
from core.specs.nonconformities import NONCONFORMITY

NonconformitySchema = record_schema(
    NONCONFORMITY,
    {
        "state": {
            "allowed_states": fields.Function(
                lambda record: next_states(NcLifecycle.of(record)),
                metadata={"description": "CAPA states this nonconformity may move to next"},
            )
        }
    },
)

NonconformityCreateSchema = create_schema(NONCONFORMITY)
NonconformityPatchSchema = patch_schema(NONCONFORMITY)
NonconformityQuerySchema = query_schema(
    NONCONFORMITY, ("status", "severity", "state", "clause_id", "audit_id")
)
