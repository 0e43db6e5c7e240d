"""Internal audits (clause 9.2)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.caller import Caller
from core.errors import Conflict
from core.models import Audit, Clause, Nonconformity
from core.services.records import Problems, RecordService
from core.specs.audits import AUDIT


class AuditService(RecordService[Audit]):
    model = Audit
    spec = AUDIT

    def validate(
        self, session: Session, caller: Caller, values: dict[str, Any], current: Audit | None
    ) -> dict[str, Any]:
        problems = Problems()
        scope = values.get("scope_clause_ids")
        if scope is not None:
            known = set(
                session.scalars(select(Clause.clause_id).where(Clause.clause_id.in_(scope)))
            )
            unknown = [clause_id for clause_id in scope if clause_id not in known]
            if unknown:
                problems.add("scope_clause_ids", f"Unknown clause(s): {', '.join(unknown)}.")
            values["scope_clause_ids"] = list(dict.fromkeys(scope))
        elif "scope_clause_ids" in values:
            values["scope_clause_ids"] = []
        problems.raise_if_any()
        # Completing an audit dates it today unless the caller gave the date.
        completing = values.get("status") == "Completed" and "completed_date" not in values
        if completing and (current is None or current.completed_date is None):
            values["completed_date"] = datetime.now(UTC).date()
        return values

    def check_delete(self, session: Session, record: Audit) -> None:
        findings = session.scalar(
            select(func.count())
            .select_from(Nonconformity)
            .where(Nonconformity.org_id == record.org_id, Nonconformity.audit_id == record.id)
        )
        if findings:
            raise Conflict(
                f"Audit {record.id} has {findings} nonconformity(ies); "
                "unlink or delete them before deleting the audit"
            )
