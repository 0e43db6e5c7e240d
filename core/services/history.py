"""The append-only change history that every business write leaves behind."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from core.caller import Caller
from core.db import utcnow
from core.models import ChangeRecord


def _json_ready(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def snapshot(record: object) -> dict[str, Any]:
    """Column values of `record`, as JSON-ready data."""
    mapper = inspect(type(record))
    return {
        attribute.key: _json_ready(getattr(record, attribute.key))
        for attribute in mapper.column_attrs
    }


def record_change(
    session: Session,
    caller: Caller,
    *,
    entity: str,
    entity_id: str,
    action: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    session.add(
        ChangeRecord(
            org_id=caller.org_id,
            entity=entity,
            entity_id=entity_id,
            action=action,
            actor=caller.user,
            request_id=caller.request_id,
            at=utcnow(),
            before=before,
            after=after,
        )
    )
