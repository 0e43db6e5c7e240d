from __future__ import annotations

from api.specs import create_schema, patch_schema, query_schema, record_schema
from core.specs.audits import AUDIT

AuditSchema = record_schema(AUDIT)

AuditCreateSchema = create_schema(AUDIT)
AuditPatchSchema = patch_schema(AUDIT)
AuditQuerySchema = query_schema(AUDIT, ("status",))
