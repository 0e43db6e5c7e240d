"""Nonconformities and corrective action (clause 10.2), with the CAPA workflow."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from core.caller import Caller
from core.errors import Conflict, InvalidInput
from core.models import Audit, Clause, Nonconformity, Organization
from core.repositories.records import TenantRepository
from core.rules import (
    IllegalMove,
    NcLifecycle,
    RuleViolation,
    next_lifecycle,
    strict_capa_refusal,
)
from core.services.records import Problems, RecordService
from core.specs.nonconformities import NONCONFORMITY

LIFECYCLE_FIELDS = ("status", "state", "closed_date")


class NonconformityService(RecordService[Nonconformity]):
    model = Nonconformity
    spec = NONCONFORMITY

    def validate(
        self,
        session: Session,
        caller: Caller,
        values: dict[str, Any],
        current: Nonconformity | None,
    ) -> dict[str, Any]:
        problems = Problems()
        audit_id = values.get("audit_id")
        if (
            audit_id is not None
            and TenantRepository(session, Audit).get(caller.org_id, audit_id) is None
        ):
            problems.add("audit_id", f"Unknown audit_id {audit_id}.")
        clause_id = values.get("clause_id")
        if clause_id is not None and session.get(Clause, clause_id) is None:
            problems.add("clause_id", f"Unknown clause_id {clause_id!r}.")
        problems.raise_if_any()

        lifecycle_changes = {name: values[name] for name in LIFECYCLE_FIELDS if name in values}
        if current is None or lifecycle_changes:
            before = NcLifecycle() if current is None else NcLifecycle.of(current)
            try:
                after = next_lifecycle(
                    before, lifecycle_changes, datetime.now(UTC).date(), creating=current is None
                )
            except IllegalMove as exc:
                raise Conflict(str(exc)) from exc
            except RuleViolation as exc:
                raise InvalidInput(str(exc), {"state": [str(exc)]}) from exc
            values.update(status=after.status, state=after.state, closed_date=after.closed_date)
            if current is not None and after.state != before.state:
                self._check_strict_capa(session, caller, after.state, values, current)
        return values

    def _check_strict_capa(
        self,
        session: Session,
        caller: Caller,
        target_state: str,
        values: dict[str, Any],
        current: Nonconformity,
    ) -> None:
        """With the organisation's `capa_strict` on, a move needs its evidence recorded
        (the fields may come in the same change)."""
        organization = session.get(Organization, caller.org_id)
        if organization is None or not organization.effective_settings.capa_strict:
            return
        record = {name: getattr(current, name) for name in self.fields} | values
        refusal = strict_capa_refusal(target_state, record)
        if refusal is not None:
            raise Conflict(refusal)
